"""The whole study, computed once: every result the report (and a notebook) needs.

>>> from ptce_typology.study import run_study
>>> study = run_study(resamples=5)
>>> sorted(study.frame.index)[:2]
['culture_et_cooperation', 'de_fil_en_reseaux']
>>> study.model.hcpc_.n_clusters_
5
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ptce_typology.errors import PtceError
from ptce_typology.intake.schema import DEFAULT_REFERENCE_YEAR
from ptce_typology.resources import resolve_paths

if TYPE_CHECKING:
    import pandas as pd

    from ptce_typology.analysis.qca import QCAResult
    from ptce_typology.analysis.typology import Typology
    from ptce_typology.intake.referentiel import Referentiel
    from ptce_typology.intake.schema import Case

DEFAULT_QCA_CONDITIONS = ("DEIND:territory=deindustrialised", "OLD:age_class=over_10_years",
                          "SEG:origin=social_enterprise_group", "CREA:sector=creative_cultural")
STEPS = ("loading", "typology", "reproduction", "clustering", "stability", "sensitivity",
         "classification",
         "comparison", "qca", "gap", "checksums")


@dataclass
class Study:
    """Every result of one run of the study, with the parameters that made it.

    A section the data cannot support holds the error (``comparison_error``, ``qca_error``)
    instead of a result, so that a report can say why.
    """

    parameters: dict[str, Any]
    cases: list[Case]
    frame: pd.DataFrame
    typology: pd.DataFrame | None
    crosstab: pd.DataFrame | None
    claims: pd.DataFrame | None
    paper_left_out: list[str]
    model: Typology
    stability: dict
    sensitivity: dict
    new_frame: pd.DataFrame | None
    classification: list[dict]
    comparison: dict | None
    comparison_error: str | None
    qca: QCAResult | None
    qca_error: str | None
    referentiel: Referentiel
    gap: dict
    checksums: list[tuple[str, str]] = field(default_factory=list)

    @property
    def n_temoins(self) -> int:
        """How many reference poles are témoins (role: temoin)."""
        return int((self.frame["role"].astype(object) == "temoin").sum())

    @property
    def names(self) -> dict[str, str]:
        """pole_id -> name of every pole of the study, reference and classified."""
        names = self.frame["name"].to_dict()
        if self.new_frame is not None:
            names.update(self.new_frame["name"].to_dict())
        return names


def run_study(cases: Sequence[Path | str] | None = None, classify: Iterable[Path | str] = (),
              *, seed: int = 0, resamples: int | None = None, ncp: int = 5,
              n_clusters: int | None = None, rule: str = "within_ratio",
              consolidation: str = "hartigan-wong", active: Sequence[str] | None = None,
              passive: Sequence[str] | None = None, typology: Typology | None = None,
              reference_year: int = DEFAULT_REFERENCE_YEAR,
              qca_conditions: Sequence[str] = DEFAULT_QCA_CONDITIONS,
              on_step: Callable[[str], None] | None = None) -> Study:
    """Load the cases and run every analysis of the study once.

    Parameters
    ----------
    cases
        Case files, folders or tables; default: the bundled témoins.
    classify
        New poles to place against the typology.
    seed, resamples, ncp, n_clusters, rule, consolidation, active, passive
        As for ``ptce clusters`` (``passive`` None: unknown and not_started).
    typology
        An unfitted :class:`~ptce_typology.analysis.typology.Typology`, instead of ``ncp``,
        ``n_clusters``, ``rule``, ``consolidation``, ``active`` and ``passive``.
    qca_conditions
        Conditions of the QCA of the 2013-14 laureates.
    reference_year
        Year at which ages are computed (the témoin year, 2011).
    on_step
        Called with the name of each step (from ``STEPS``) as it starts.
    """
    from ptce_typology.analysis.claims import reproduce_claims, temoins_only
    from ptce_typology.analysis.comparison import compare_groups
    from ptce_typology.analysis.paper import crosstab_table, typology_table
    from ptce_typology.analysis.qca import qca
    from ptce_typology.analysis.referentiel import gap_matrix
    from ptce_typology.analysis.sensitivity import sensitivity
    from ptce_typology.analysis.stability import stability
    from ptce_typology.analysis.typology import (
        DEFAULT_ACTIVE,
        DEFAULT_PASSIVE,
        Typology,
        placement_records,
    )
    from ptce_typology.frame import cases_frame, load_frame
    from ptce_typology.intake.claims import load_claims
    from ptce_typology.intake.loading import assessments, input_checksums, load_cases
    from ptce_typology.intake.referentiel import load_referentiel
    from ptce_typology.intake.validation import expand_paths

    step = on_step or (lambda _: None)
    step("loading")
    case_paths = resolve_paths(list(cases) if cases else None)
    loaded = load_cases(case_paths)
    frame = cases_frame(loaded, reference_year=reference_year)
    # The paper's tables and claims speak of its témoins only.
    paper_frame, paper_left_out = temoins_only(frame)
    step("typology")
    paper_table = typology_table(paper_frame) if len(paper_frame) else None
    crosstab = crosstab_table(paper_frame, "territory", "sector") if len(paper_frame) else None
    step("reproduction")
    claims = reproduce_claims(paper_frame, load_claims()) if len(paper_frame) else None
    step("clustering")
    model = (typology or Typology(active=tuple(active) if active else DEFAULT_ACTIVE, seed=seed,
                                  n_clusters=n_clusters, ncp=ncp, rule=rule,
                                  consolidation=consolidation,
                                  passive=DEFAULT_PASSIVE if passive is None
                                  else tuple(passive))).fit(frame)
    step("stability")
    stab = stability(model, n_resamples=resamples, seed=seed)
    step("sensitivity")
    sens = sensitivity(model)
    step("classification")
    extra = list(classify)
    new_frame = load_frame(extra, reference_year=reference_year) if extra else None
    results = placement_records(model.classify(new_frame)) if new_frame is not None else []
    step("comparison")
    comparison, comparison_error = None, None
    try:
        comparison = compare_groups(frame, seed=seed)
    except PtceError as err:  # e.g. a data set with a single group
        comparison_error = str(err)
    step("qca")
    qca_result, qca_error = None, None
    try:
        qca_result = qca(frame, "laureate_2013", list(qca_conditions))
    except PtceError as err:
        qca_error = str(err)
    step("gap")
    ref = load_referentiel()
    gap = gap_matrix(frame, ref, assessments(loaded))
    step("checksums")
    files, _ = expand_paths(case_paths + extra)
    parameters = {"seed": seed, "resamples": stab["bootstrap"]["n_resamples"],
                  "ncp": model.ncp, "n_clusters": model.n_clusters, "rule": model.rule,
                  "consolidation": model.consolidation,
                  "active": list(model.active), "passive": list(model.passive_),
                  "qca_conditions": list(qca_conditions),
                  "reference_year": frame.attrs.get("reference_year")}
    return Study(parameters=parameters, cases=loaded, frame=frame, typology=paper_table,
                 crosstab=crosstab, claims=claims, paper_left_out=paper_left_out,
                 model=model, stability=stab, sensitivity=sens,
                 new_frame=new_frame, classification=results, comparison=comparison,
                 comparison_error=comparison_error, qca=qca_result, qca_error=qca_error,
                 referentiel=ref, gap=gap, checksums=input_checksums(files))
