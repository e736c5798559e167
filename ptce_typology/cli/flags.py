"""The flag of each parameter that an analysis names in its errors (``field="ncp"``): the
CLI shows ``--ncp``, a notebook user sees the parameter. The one mapping from parameters to
flags; the error boundary renders errors through it (:meth:`PtceError.naming`)."""

from __future__ import annotations

FLAGS = {
    # the typology (analysis.typology, hcpc, mca, sensitivity)
    "active": "--active", "supplementary": "--supplementary", "ncp": "--ncp",
    "min_known": "--min-known",
    "n_clusters": "--k", "rule": "--rule", "consolidation": "--consolidation",
    "passive": "--passive", "seed": "--seed", "sensitivity": "--sensitivity",
    # figures (analysis.clouds, render.plots)
    "axes": "--axes", "cloud_descriptor": "--ellipses", "label_poles": "--label-poles",
    # comparisons and tables (analysis.comparison, paper)
    "correction": "--correction", "by": "--by", "column": "--by", "row": "--descriptor",
    "descriptors": "--descriptor",
    # analysis.qca
    "conditions": "--conditions", "outcome": "--outcome", "incl_cut": "--incl-cut",
    "dir_exp": "--dir-exp",
}
