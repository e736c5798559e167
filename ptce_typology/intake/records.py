"""One pole as a flat record of descriptor values: the row of the tidy frame, derived from a
validated case (or, for large tables, from checked cells)."""

from __future__ import annotations

# The columns of the tidy frame live in a module of their own, light enough for --help.
from ptce_typology.columns import (  # noqa: F401 (published here too)
    CALL_COLUMNS,
    CALLS,
    CATEGORY_COLUMNS,
    FRAME_COLUMNS,
)
from ptce_typology.intake.schema import (
    DEFAULT_MEMBERS_YEAR,
    DEFAULT_REFERENCE_YEAR,
    Case,
    Sourced,
    members_class,
)
from ptce_typology.vocabulary import UNKNOWN

FUNDING_COLUMNS = ("funding_member_fees", "funding_public", "funding_private",
                   "funding_own_revenue", "funding_volunteering")
# The categorical descriptors that may carry `alternatives:` readings.
ALTERNATIVE_DESCRIPTORS = ("origin", "territory", "sector", "shared_premises", "employer_group",
                           "research_partnership")


def laureate_any(values: list[str]) -> str:
    """yes when any call says yes; no when every call says no (or did not apply); else
    unknown."""
    if "yes" in values:
        return "yes"
    if all(v in ("no", "not_applicable") for v in values):
        return "no"
    return UNKNOWN


def alternatives_text(case: Case) -> str:
    """The other readings of a case's contested codings, as ``descriptor=value`` joined by
    ``;`` (empty when none)."""
    readings = []
    for descriptor in ALTERNATIVE_DESCRIPTORS:
        for alternative in getattr(case, descriptor).alternatives:
            readings.append(f"{descriptor}={alternative.value}")
    return ";".join(readings)


def _values_behind(case: Case, members_year: int) -> dict[str, Sourced | None]:
    """The sourced value each column of the tidy frame rests on (None when there is none);
    derived columns rest on the value they are derived from."""
    start = case.start_event()
    count = case.member_count(members_year)
    behind: dict[str, Sourced | None] = {
        "commune": case.commune, "departement": case.departement, "region": case.region,
        "website": case.website, "start_year": start, "age": start, "age_class": start,
        "origin": case.origin, "territory": case.territory, "sector": case.sector,
        "shared_premises": case.shared_premises, "employer_group": case.employer_group,
        "research_partnership": case.research_partnership, "members": count,
        "members_year": count, "members_class": count, "legal_form": case.latest_legal_form(),
    }
    for call, column in zip(CALLS, CALL_COLUMNS, strict=True):
        behind[column] = getattr(case.national_calls, call)
    for column in FUNDING_COLUMNS:
        behind[column] = getattr(case.funding, column.removeprefix("funding_"))
    return behind


def inferred_values(case: Case, members_year: int = DEFAULT_MEMBERS_YEAR) -> dict[str, Sourced]:
    """The columns of a case's record that rest on an inferred value (``basis: inferred``),
    each with that value (its ``note`` gives the reasoning), in column order.

    A derived column follows the value it comes from: an inferred start year makes ``age`` and
    ``age_class`` inferred too, an inferred member count ``members_year`` and
    ``members_class``.
    """
    behind = _values_behind(case, members_year)
    return {column: behind[column] for column in FRAME_COLUMNS
            if behind.get(column) is not None and behind[column].basis == "inferred"}


def inferred_by_pole(cases: list[Case], members_year: int = DEFAULT_MEMBERS_YEAR
                     ) -> dict[str, dict[str, Sourced]]:
    """pole_id -> :func:`inferred_values` of the pole's record: read once, for the notes and
    the rules a report shows."""
    return {case.pole_id: inferred_values(case, members_year) for case in cases}


def inferred_texts(inferred: dict[str, dict[str, Sourced]], attribute: str
                   ) -> dict[str, dict[str, str]]:
    """pole_id -> column -> the ``note`` or the ``rule`` (``attribute``) of each value of
    :func:`inferred_by_pole` (empty when it has none)."""
    return {pole: {column: getattr(value, attribute) or "" for column, value in values.items()}
            for pole, values in inferred.items()}


def inferred_notes(cases: list[Case], members_year: int = DEFAULT_MEMBERS_YEAR
                   ) -> dict[str, dict[str, str]]:
    """pole_id -> column -> the note giving the reasoning behind each inferred value of the
    pole's record (:func:`inferred_values`; an empty note when there is none)."""
    return inferred_texts(inferred_by_pole(cases, members_year), "note")


def inferred_text(case: Case, members_year: int = DEFAULT_MEMBERS_YEAR) -> str:
    """The record's columns that rest on an inferred value, joined by ``;`` (empty when
    none): the tidy frame's ``inferred`` column."""
    return ";".join(inferred_values(case, members_year))


def case_record(case: Case, reference_year: int = DEFAULT_REFERENCE_YEAR,
                members_year: int = DEFAULT_MEMBERS_YEAR) -> dict:
    """One pole as a flat record of descriptor values (the tidy frame's row)."""
    count = case.member_count(members_year)
    legal = case.latest_legal_form()
    funding = case.funding
    calls = {column: case.call_value(call)
             for call, column in zip(CALLS, CALL_COLUMNS, strict=True)}
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
        "members_year": count.year() if count else None,
        "members_class": members_class(count.count if count else None),
        "legal_form": legal.value if legal else UNKNOWN,
        **calls,
        "laureate_any": laureate_any(list(calls.values())),
        "funding_member_fees": funding.member_fees.value,
        "funding_public": funding.public.value,
        "funding_private": funding.private.value,
        "funding_own_revenue": funding.own_revenue.value,
        "funding_volunteering": funding.volunteering.value,
        "alternatives": alternatives_text(case),
        "inferred": inferred_text(case, members_year),
    }
