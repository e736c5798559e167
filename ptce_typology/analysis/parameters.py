"""The typology's parameters and their defaults, importable without numpy or pandas: the
estimator (:class:`~ptce_typology.analysis.typology.Typology`) and the command line's shared
options read them from here."""

from __future__ import annotations

from ptce_typology.vocabulary import UNKNOWN

DEFAULT_ACTIVE = ("age_class", "origin", "territory", "sector", "shared_premises",
                  "employer_group")
DEFAULT_SUPPLEMENTARY = ("laureate_2013",)
# What no source says, and an age that does not exist yet, shape no axis.
DEFAULT_PASSIVE = (UNKNOWN, "not_started")
DEFAULT_NCP = 5  # FactoMineR's default
# The automatic choices of k: FactoMineR 2.14's gain_ratio (the default: current FactoMineR,
# which the supplementary projection follows too) and 2.7's within_ratio (FactoMineR 1.34 to
# 2.12), kept because the two differ on some tables (not on the twelve: both give k = 5).
K_RULES = ("gain_ratio", "within_ratio")
DEFAULT_RULE = "gain_ratio"
CONSOLIDATIONS = ("hartigan-wong", "lloyd", "none")
DEFAULT_CONSOLIDATION = "hartigan-wong"  # R's kmeans default
DEFAULT_SEED = 0
# A pole with fewer known active descriptors shapes no axis and no cluster: it is placed as a
# supplementary individual (the twelve témoins all have at least 4 of the 6 known).
DEFAULT_MIN_KNOWN = 4
# The descriptor whose categories are drawn on the cloud of poles (mean points, ellipses).
DEFAULT_CLOUD_DESCRIPTOR = "laureate_any"
