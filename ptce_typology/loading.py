"""Loading validated cases, and the one tidy DataFrame every analysis starts from."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ptce_typology.errors import ValidationFailed
from ptce_typology.resources import cases_dir
from ptce_typology.schema import DEFAULT_MEMBERS_YEAR, DEFAULT_REFERENCE_YEAR, Case
from ptce_typology.validation import validate_paths
from ptce_typology.vocabulary import UNKNOWN, vocabulary

if TYPE_CHECKING:
    import pandas as pd

# Categorical columns of the tidy frame, in this order, each an ordered categorical.
CATEGORY_COLUMNS = (
    "role", "age_class", "members_class", "origin", "territory", "sector", "shared_premises",
    "employer_group", "research_partnership",
    "laureate_2013", "laureate_2015", "funding_member_fees", "funding_public",
    "funding_private", "funding_own_revenue", "funding_volunteering",
)
FRAME_COLUMNS = (
    "name", "role", "commune", "departement", "region", "website", "start_year", "age",
    "age_class", "origin", "territory", "sector", "theme", "shared_premises", "employer_group",
    "research_partnership", "members", "members_year", "members_class", "legal_form",
    "laureate_2013", "laureate_2015", "funding_member_fees", "funding_public",
    "funding_private", "funding_own_revenue", "funding_volunteering",
)


def load_cases(paths: Path | str | Iterable[Path | str] | None = None) -> list[Case]:
    """Load and validate cases.

    Parameters
    ----------
    paths
        A folder of YAML case files, single YAML files, or CSV/XLSX tables with one row per
        pole; several may be given. ``None`` loads the twelve bundled témoin poles.

    Returns
    -------
    list of Case
        In the order the files (and rows) were read.

    Raises
    ------
    ValidationFailed
        When any file has a problem; ``err.issues`` lists every one.
    """
    if paths is None:
        paths = [cases_dir()]
    elif isinstance(paths, (str, Path)):
        paths = [paths]
    report = validate_paths(paths)
    if report.issues:
        raise ValidationFailed(report.issues)
    return [case for _, case in report.cases]


MEMBERS_CLASS_BOUNDS = ((10, "under_10"), (20, "from_10_to_19"), (30, "from_20_to_29"))


def members_class(count: int | None) -> str:
    """The class of a member count (bounds around the paper's « une vingtaine »)."""
    if count is None:
        return UNKNOWN
    for bound, key in MEMBERS_CLASS_BOUNDS:
        if count < bound:
            return key
    return "from_30"


def case_record(case: Case, reference_year: int = DEFAULT_REFERENCE_YEAR,
                members_year: int = DEFAULT_MEMBERS_YEAR) -> dict:
    """One pole as a flat record of descriptor values (the tidy frame's row)."""
    count = case.member_count(members_year)
    legal = case.latest_legal_form()
    funding = case.funding
    return {
        "pole_id": case.pole_id,
        "name": case.name,
        "role": case.role,
        "commune": case.commune.value,
        "departement": case.departement.value,
        "region": case.region.value,
        "website": case.website.value,
        "start_year": case.start_year(),
        "age": case.age(reference_year),
        "age_class": case.age_class(reference_year),
        "origin": case.origin.value,
        "territory": case.territory.value,
        "sector": case.sector.value,
        "theme": case.sector.theme or UNKNOWN,
        "shared_premises": case.shared_premises.value,
        "employer_group": case.employer_group.value,
        "research_partnership": case.research_partnership.value,
        "members": count.count if count else None,
        "members_year": int(count.date[:4]) if count else None,
        "members_class": members_class(count.count if count else None),
        "legal_form": legal.value if legal else UNKNOWN,
        "laureate_2013": case.national_calls.laureate_2013.value,
        "laureate_2015": case.national_calls.laureate_2015.value,
        "funding_member_fees": funding.member_fees.value,
        "funding_public": funding.public.value,
        "funding_private": funding.private.value,
        "funding_own_revenue": funding.own_revenue.value,
        "funding_volunteering": funding.volunteering.value,
    }


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
        ``legal_form``,
        ``laureate_2013``, ``laureate_2015`` and the five ``funding_*`` columns. Descriptor
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
    frame = frame.set_index("pole_id")
    vocab = vocabulary()
    for column in CATEGORY_COLUMNS:
        frame[column] = pd.Categorical(frame[column], categories=list(vocab[column].allowed),
                                       ordered=True)
    for column in ("start_year", "age", "members", "members_year"):
        frame[column] = frame[column].astype("Int64")
    for column in ("name", "commune", "departement", "region", "website", "theme",
                   "legal_form"):
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
    from ptce_typology.spreadsheet import table_records
    from ptce_typology.validation import (
        TABLE_SUFFIXES,
        duplicate_ids,
        expand_paths,
        validate_file,
    )

    if paths is None:
        paths = [cases_dir()]
    elif isinstance(paths, (str, Path)):
        paths = [paths]
    files, issues = expand_paths(paths)
    named: list[tuple[str, dict]] = []
    for path in files:
        if path.suffix.lower() in TABLE_SUFFIXES:
            records, file_issues = table_records(path, reference_year, members_year)
            named.extend(records)
        else:
            case, file_issues = validate_file(path)
            if case is not None:
                named.append((str(path), case_record(case, reference_year, members_year)))
        issues.extend(file_issues)
    issues.extend(duplicate_ids([(name, rec["pole_id"]) for name, rec in named]))
    if issues:
        raise ValidationFailed(issues)
    return frame_from_records([rec for _, rec in named], reference_year, members_year)


def read_data_table(path: Path | str) -> pd.DataFrame:
    """Any CSV with one row per case (``--data``): the first column is the case id; empty
    cells and ``unknown`` are missing; text columns become categoricals (sorted categories).
    """
    import pandas as pd

    from ptce_typology.errors import PtceError
    from ptce_typology.yamlread import IssueError, read_text

    target = Path(path)
    try:
        text = read_text(target, max_bytes=500_000_000)
    except IssueError as err:
        raise PtceError(err.issue.message, file=str(target)) from None
    import io

    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise PtceError(f"CSV cannot be parsed: {err}", file=str(target)) from None
    if frame.shape[1] < 2:
        raise PtceError("the table needs an id column and at least one variable",
                        file=str(target))
    frame = frame.set_index(frame.columns[0])
    if frame.index.duplicated().any():
        raise PtceError("duplicate case id", file=str(target),
                        value=str(frame.index[frame.index.duplicated()][0]))
    out = {}
    for column in frame.columns:
        raw = frame[column].str.strip().replace({"": None, UNKNOWN: None})
        numbers = pd.to_numeric(raw, errors="coerce")
        if raw.notna().any() and numbers[raw.notna()].notna().all():
            out[column] = numbers
        else:
            cats = sorted(raw.dropna().unique())
            out[column] = pd.Categorical(raw.fillna(UNKNOWN), categories=[*cats, UNKNOWN])
    result = pd.DataFrame(out, index=frame.index)
    result.index.name = frame.index.name
    return result
