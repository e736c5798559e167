"""The one tidy DataFrame every analysis starts from: one row per pole (index ``pole_id``),
one column per descriptor, ordered categoricals in vocabulary order with ``unknown`` last."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ptce_typology.intake.loading import read_record_columns
from ptce_typology.intake.records import CATEGORY_COLUMNS, FRAME_COLUMNS, case_record
from ptce_typology.intake.schema import DEFAULT_MEMBERS_YEAR, DEFAULT_REFERENCE_YEAR, Case
from ptce_typology.vocabulary import vocabulary

if TYPE_CHECKING:
    import pandas as pd


def cases_frame(cases: Iterable[Case], reference_year: int = DEFAULT_REFERENCE_YEAR,
                members_year: int = DEFAULT_MEMBERS_YEAR) -> pd.DataFrame:
    """The tidy table of poles.

    Parameters
    ----------
    cases
        Validated cases (from :func:`load_cases`).
    reference_year
        Year at which ``age`` and ``age_class`` are computed (the témoin year, 2011).
    members_year
        The member count dated closest to this year is used (2014, the paper's year).

    Returns
    -------
    pandas.DataFrame
        Index ``pole_id``. Columns: ``name``, ``role``, ``commune``, ``departement``,
        ``region``, ``website``, ``start_year`` (Int64), ``age`` (Int64), ``age_class``,
        ``origin``, ``territory``, ``sector``, ``theme``, ``shared_premises``,
        ``employer_group``, ``research_partnership``, ``members`` (Int64), ``members_year``
        (Int64), ``members_class``,
        ``legal_form``, one ``laureate_*`` column per national call (``laureate_2013``,
        ``laureate_2015``, ``laureate_ami_2021`` ... ``laureate_ami_2025``: yes, no,
        not_applicable or unknown) and ``laureate_any``, the five ``funding_*`` columns and
        ``alternatives`` (other readings of contested codings, ``descriptor=value`` joined by
        ``;``) and ``inferred`` (the columns whose value rests on an inferred one, ``basis:
        inferred``, joined by ``;``; see :func:`inferred_values`). Descriptor
        columns are ordered categoricals in vocabulary order with ``unknown`` last; numbers
        are nullable integers (missing = unknown).
    """
    records = [case_record(c, reference_year, members_year) for c in cases]
    return frame_from_records(records, reference_year, members_year)


def frame_from_records(records: list[dict], reference_year: int = DEFAULT_REFERENCE_YEAR,
                       members_year: int = DEFAULT_MEMBERS_YEAR) -> pd.DataFrame:
    """The tidy frame from flat records (see :func:`case_record`)."""
    import pandas as pd

    frame = pd.DataFrame.from_records(records, columns=("pole_id", *FRAME_COLUMNS))
    return _typed(frame.set_index("pole_id"), reference_year, members_year)


def frame_from_columns(columns: dict[str, list], reference_year: int = DEFAULT_REFERENCE_YEAR,
                       members_year: int = DEFAULT_MEMBERS_YEAR) -> pd.DataFrame:
    """The tidy frame from records held column by column (record key -> values): the frame
    :func:`frame_from_records` gives, without a dict per row."""
    import pandas as pd

    frame = pd.DataFrame({key: columns[key] for key in ("pole_id", *FRAME_COLUMNS)})
    return _typed(frame.set_index("pole_id"), reference_year, members_year)


def _typed(frame: pd.DataFrame, reference_year: int, members_year: int) -> pd.DataFrame:
    """Descriptor columns as ordered categoricals, numbers as nullable integers, texts as
    objects, and the years the frame was computed at."""
    import pandas as pd

    vocab = vocabulary()
    for column in CATEGORY_COLUMNS:
        frame[column] = pd.Categorical(frame[column], categories=list(vocab[column].allowed),
                                       ordered=True)
    for column in ("start_year", "age", "members", "members_year"):
        frame[column] = frame[column].astype("Int64")
    for column in ("name", "commune", "departement", "region", "website", "theme",
                   "legal_form", "alternatives", "inferred"):
        frame[column] = frame[column].astype(object)
    frame.attrs["reference_year"] = reference_year
    frame.attrs["members_year"] = members_year
    return frame


def load_frame(paths: Path | str | Iterable[Path | str] | None = None,
               reference_year: int = DEFAULT_REFERENCE_YEAR,
               members_year: int = DEFAULT_MEMBERS_YEAR) -> pd.DataFrame:
    """The tidy frame straight from case files and tables: the same frame as
    ``cases_frame(load_cases(paths))``, faster for large tables (their rows are checked
    column by column, and only doubtful rows go through the case schema).

    Raises
    ------
    ValidationFailed
        With the same issues ``load_cases`` would raise.
    """
    (records,) = read_record_columns(paths, reference_year, members_year).items
    return frame_from_columns(records.columns, reference_year, members_year)


# The age class rests on the grouping's start event; every other descriptor on its own value.
_START_DESCRIPTORS = ("age_class", "start_year", "age")


def evidence_frame(cases: Iterable[Case], descriptors: Iterable[str]) -> pd.DataFrame:
    """What each pole's value of each descriptor rests on, for reading two codings side by
    side.

    Returns
    -------
    pandas.DataFrame
        Index (``pole_id``, ``descriptor``). Columns: ``basis`` (stated, inferred, derived;
        None when the value is unknown), ``sources`` (tuple of ``{id, citation, url, quote}``),
        ``event`` (for the age class: the start event's ``{id, year, event}``, else None).
    """
    import pandas as pd

    rows = []
    for case in cases:
        by_id = {s.id: s for s in case.sources}
        for descriptor in descriptors:
            start = descriptor in _START_DESCRIPTORS
            value = case.start_event() if start else getattr(case, descriptor, None)
            sources = tuple({"id": sid, "citation": by_id[sid].citation, "url": by_id[sid].url,
                             "quote": by_id[sid].quote}
                            for sid in getattr(value, "sources", None) or [] if sid in by_id)
            event = ({"id": value.id, "year": value.year, "event": value.event}
                     if start and value is not None else None)
            rows.append({"pole_id": case.pole_id, "descriptor": descriptor,
                         "basis": getattr(value, "basis", None), "sources": sources,
                         "event": event})
    frame = pd.DataFrame(rows, columns=["pole_id", "descriptor", "basis", "sources", "event"])
    return frame.set_index(["pole_id", "descriptor"])


def aliases_frame(cases: Iterable[Case]) -> pd.Series:
    """Each pole's other names (``aliases``), as a tuple, indexed by ``pole_id``."""
    import pandas as pd

    cases = list(cases)
    return pd.Series([tuple(c.aliases) for c in cases],
                     index=pd.Index([c.pole_id for c in cases], name="pole_id"), name="aliases",
                     dtype=object)


class Coding(NamedTuple):
    """One coding of a set of poles, as :func:`~ptce_typology.analysis.agreement.agreement`
    reads it: the tidy frame, the evidence of each value and the poles' aliases."""

    frame: pd.DataFrame
    evidence: pd.DataFrame
    aliases: pd.Series


def coding_of(cases: Iterable[Case], descriptors: Iterable[str],
              reference_year: int = DEFAULT_REFERENCE_YEAR) -> Coding:
    """The :class:`Coding` of validated cases (:func:`cases_frame`, :func:`evidence_frame`,
    :func:`aliases_frame`)."""
    cases = list(cases)
    return Coding(cases_frame(cases, reference_year), evidence_frame(cases, list(descriptors)),
                  aliases_frame(cases))
