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

from ptce_typology.analysis.parameters import (
    DEFAULT_CLOUD_DESCRIPTOR,
    DEFAULT_CONSOLIDATION,
    DEFAULT_RULE,
)
from ptce_typology.errors import PtceError
from ptce_typology.intake.schema import DEFAULT_REFERENCE_YEAR
from ptce_typology.parallel import in_parallel
from ptce_typology.resources import resolve_paths

if TYPE_CHECKING:
    import pandas as pd

    from ptce_typology.analysis.qca import QCAResult
    from ptce_typology.analysis.typology import Typology
    from ptce_typology.intake.codebook import Codebook
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
    instead of a result, so that a report can say why. ``paper_typology`` and
    ``paper_crosstab`` are the paper's tables (of its témoins); ``model`` is the fitted
    :class:`~ptce_typology.analysis.typology.Typology` estimator.
    """

    parameters: dict[str, Any]
    cases: list[Case]
    frame: pd.DataFrame
    inferred_notes: dict[str, dict[str, str]]
    paper_typology: pd.DataFrame | None
    paper_crosstab: pd.DataFrame | None
    claims: pd.DataFrame | None
    paper_left_out: list[str]
    model: Typology
    stability: dict
    sensitivity: dict
    new_frame: pd.DataFrame | None
    placements: Any
    placed_coordinates: pd.DataFrame | None
    comparison: dict | None
    comparison_error: PtceError | None
    qca: QCAResult | None
    qca_error: PtceError | None
    referentiel: Referentiel
    gap: dict
    codebook: Codebook | None = None
    checksums: list[tuple[str, str]] = field(default_factory=list)
    # The categories of a descriptor in the cloud of poles (analysis.clouds.CategoryClouds,
    # in the plane of the factor map), and the poles the map names besides the témoins.
    clouds: Any = None
    label_poles: tuple[str, ...] | None = None
    #: pole_id -> column -> the codebook rule of each inferred value (as ``inferred_notes``)
    inferred_rules: dict[str, dict[str, str]] = field(default_factory=dict)

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
              n_clusters: int | None = None, rule: str = DEFAULT_RULE,
              consolidation: str = DEFAULT_CONSOLIDATION, active: Sequence[str] | None = None,
              passive: Sequence[str] | None = None, typology: Typology | None = None,
              reference_year: int = DEFAULT_REFERENCE_YEAR,
              qca_conditions: Sequence[str] = DEFAULT_QCA_CONDITIONS,
              on_step: Callable[[str], None] | None = None,
              axes: tuple[int, int] | None = None,
              cloud_descriptor: str = DEFAULT_CLOUD_DESCRIPTOR,
              label_poles: Sequence[str] | None = None) -> Study:
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
    axes, cloud_descriptor, label_poles
        The factor map's two dimensions (default 1, 2; checked against the MCA), the
        descriptor whose categories' mean points and ellipses are drawn on the cloud of poles
        (``analysis.clouds``), and the poles the map names besides the témoins.
    """
    from ptce_typology.analysis.clouds import plane_clouds
    from ptce_typology.analysis.typology import DEFAULT_ACTIVE, DEFAULT_PASSIVE, Typology
    from ptce_typology.frame import cases_frame
    from ptce_typology.intake.loading import input_checksums, read_cases

    step = on_step or (lambda _: None)
    step("loading")
    loaded = read_cases(resolve_paths(list(cases) if cases else None))
    frame = cases_frame(loaded.items, reference_year=reference_year)
    notes, rules = _inferred(loaded.items, frame.attrs["members_year"])
    paper = _paper_results(frame, step)
    step("clustering")
    model = (typology or Typology(active=tuple(active) if active else DEFAULT_ACTIVE, seed=seed,
                                  n_clusters=n_clusters, ncp=ncp, rule=rule,
                                  consolidation=consolidation,
                                  passive=DEFAULT_PASSIVE if passive is None
                                  else tuple(passive))).fit(frame)
    clouds = plane_clouds(model, cloud_descriptor, axes)
    sens, stab, placed, others = _analyses(model, frame, loaded.items, list(classify), step,
                                           seed=seed, resamples=resamples,
                                           reference_year=reference_year,
                                           qca_conditions=qca_conditions)
    placed_sums = placed.pop("checksums")
    step("checksums")
    parameters = {"seed": seed, "resamples": stab["bootstrap"]["n_resamples"],
                  "ncp": model.ncp, "n_clusters": model.n_clusters, "rule": model.rule,
                  "consolidation": model.consolidation,
                  "active": list(model.active), "passive": list(model.passive_),
                  "qca_conditions": list(qca_conditions),
                  "reference_year": frame.attrs.get("reference_year"),
                  "axes": list(axes or (1, 2)), "cloud_descriptor": cloud_descriptor}
    return Study(parameters=parameters, cases=loaded.items, frame=frame, inferred_notes=notes,
                 **paper, model=model, stability=stab, sensitivity=sens, **placed, **others,
                 checksums=input_checksums(loaded.checksums, placed_sums), clouds=clouds,
                 label_poles=tuple(label_poles) if label_poles is not None else None,
                 inferred_rules=rules)


def _analyses(model: Typology, frame: pd.DataFrame, cases: list[Case],
              classify: list[Path | str],
              step: Callable[[str], None], *, seed: int, resamples: int | None,
              reference_year: int, qca_conditions: Sequence[str]
              ) -> tuple[dict, dict, dict[str, Any], dict[str, Any]]:
    """The sensitivity, the stability, the placed poles and the other results: the
    sensitivity (the longest) beside the others, on two cores where there are
    (:mod:`ptce_typology.parallel`). The model keeps its descriptor tests
    (:attr:`Typology.variable_tests_`), computed there too."""
    # Both sides, and the report's dendrogram, use scipy's tree: imported once, before the
    # fork, instead of in each process.
    import scipy.cluster.hierarchy  # noqa: F401

    from ptce_typology.analysis.sensitivity import sensitivity
    from ptce_typology.analysis.stability import stability

    def the_rest() -> tuple[dict, dict, dict]:
        # No progress step from here: this may run in the child, where the progress display
        # (a thread of the parent's, with its lock) must not be touched.
        stab = stability(model, n_resamples=resamples, seed=seed)
        placed = _placed_poles(model, classify, reference_year)
        return stab, placed, _other_results(frame, cases, seed, qca_conditions)

    step("stability")
    # The clusters' descriptor tests (exact tests: a few tenths of a second on the corpus) are
    # taken by whichever process is free first; the renderers read them from the model.
    sens, (stab, placed, others), tests = in_parallel(
        [lambda: sensitivity(model), the_rest, lambda: model.variable_tests_])
    model.keep_variable_tests(tests)
    for name in ("sensitivity", "classification", "comparison", "qca", "gap"):
        step(name)
    return sens, stab, placed, others


def _inferred(cases: list, members_year: int
              ) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """The note and the codebook rule of each inferred value, pole by pole and column by
    column, from one reading of the cases."""
    from ptce_typology.intake.records import inferred_by_pole, inferred_texts

    inferred = inferred_by_pole(cases, members_year)
    return inferred_texts(inferred, "note"), inferred_texts(inferred, "rule")


def _paper_results(frame: pd.DataFrame, step: Callable[[str], None]) -> dict[str, Any]:
    """The paper's tables and claims, which speak of its témoins only (None without one)."""
    from ptce_typology.analysis.claims import reproduce_claims, temoins_only
    from ptce_typology.analysis.paper import crosstab_table, typology_table
    from ptce_typology.intake.claims import load_claims

    paper_frame, left_out = temoins_only(frame)
    step("typology")
    known = len(paper_frame) > 0
    typology = typology_table(paper_frame) if known else None
    crosstab = crosstab_table(paper_frame, "territory", "sector") if known else None
    step("reproduction")
    claims = reproduce_claims(paper_frame, load_claims()) if known else None
    return {"paper_typology": typology, "paper_crosstab": crosstab, "claims": claims,
            "paper_left_out": left_out}


def _placed_poles(model: Typology, paths: list[Path | str],
                  reference_year: int) -> dict[str, Any]:
    """The new poles' frame, their placements (``model.classify``'s, as the records
    ``ptce classify --format json`` gives), their
    coordinates on the factor map (``model.transform``, once) and their files' checksums."""
    from ptce_typology.analysis.typology import placement_records
    from ptce_typology.frame import frame_from_columns
    from ptce_typology.intake.loading import read_record_columns

    if not paths:
        return {"new_frame": None, "placements": None, "placed_coordinates": None,
                "checksums": []}
    loaded = read_record_columns(paths, reference_year)
    new_frame = frame_from_columns(loaded.items[0].columns, reference_year)
    return {"new_frame": new_frame,
            "placements": placement_records(model.classify(new_frame)),
            "placed_coordinates": model.transform(new_frame), "checksums": loaded.checksums}


def _other_results(frame: pd.DataFrame, cases: list[Case], seed: int,
                   qca_conditions: Sequence[str]) -> dict[str, Any]:
    """The comparison of the laureates, their QCA (each with the error that stopped it, if
    any) and the référentiel's gap matrix."""
    from ptce_typology.analysis.comparison import compare_groups
    from ptce_typology.analysis.qca import qca
    from ptce_typology.analysis.referentiel import gap_matrix
    from ptce_typology.intake.codebook import load_codebook
    from ptce_typology.intake.loading import assessments
    from ptce_typology.intake.referentiel import load_referentiel

    comparison, comparison_error = None, None
    try:
        comparison = compare_groups(frame, seed=seed)
    except PtceError as err:  # e.g. a data set with a single group
        comparison_error = err
    qca_result, qca_error = None, None
    try:
        qca_result = qca(frame, "laureate_2013", list(qca_conditions))
    except PtceError as err:
        qca_error = err
    ref = load_referentiel()
    return {"comparison": comparison, "comparison_error": comparison_error,
            "qca": qca_result, "qca_error": qca_error, "referentiel": ref,
            "gap": gap_matrix(frame, ref, assessments(cases)), "codebook": load_codebook()}
