"""One case file as a reader sees it (``ptce show``): every sourced value with its sources."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from ptce_typology.intake.schema import Case, Sourced
from ptce_typology.vocabulary import UNKNOWN

if TYPE_CHECKING:
    import pandas as pd


def sourced_values(case: Case) -> list[tuple[str, Sourced]]:
    """Every sourced value of a case with its dotted field path, in file order."""
    found: list[tuple[str, Sourced]] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, Sourced):
            found.append((path, node))
        if isinstance(node, BaseModel):
            for name in type(node).model_fields:
                if name != "sources" or not isinstance(node, Case):
                    walk(getattr(node, name), f"{path}.{name}" if path else name)
        elif isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, f"{path}.{i}")

    walk(case, "")
    return found


def shown_value(value: Sourced) -> str:
    """A sourced value as one line of text: the value, a count with its unit and date, an
    event with its year and id, or the other fields as ``key=value`` pairs."""
    data = value.model_dump(exclude={"sources", "note", "basis", "alternatives"},
                            exclude_none=True)
    data = {k: v for k, v in data.items() if v != []}
    if set(data) == {"value"}:
        return str(data["value"])
    if "count" in data:
        qualifier = {"exact": "", "about": "about ", "more_than": "more than ",
                     "at_least": "at least "}[data.get("qualifier", "exact")]
        return f"{qualifier}{data['count']} {data['unit']} ({data['date']})"
    if "event" in data:
        approx = "~" if data.get("approximate") else ""
        return f"{approx}{data['year']}: {data['event']} [{data['id']}]"
    return "; ".join(f"{k}={v}" for k, v in data.items())


def describe_case(case: Case) -> pd.DataFrame:
    """Every descriptor of a case with the sources behind it.

    Returns
    -------
    pandas.DataFrame
        Index ``field`` (dotted path). Columns: ``value``, ``basis`` (``stated``: a cited
        quote says it; ``inferred``: derived by reasoning; empty for an ``unknown`` value no
        source is cited for), ``note`` (for an inferred value,
        the reasoning), ``sources`` (ids joined by ``; ``), ``citations`` (each source's
        citation or URL, joined by `` | ``).
    """
    import pandas as pd

    rows = []
    for path, value in sourced_values(case):
        cites = []
        for sid in value.sources:
            src = case.source(sid)
            cites.append(" ".join(x for x in (src.citation, f"<{src.url}>" if src.url else None)
                                  if x))
        silent = getattr(value, "value", None) == UNKNOWN and not value.sources
        rows.append({"field": path, "value": shown_value(value),
                     "basis": "" if silent else value.basis,
                     "note": value.note or "", "sources": "; ".join(value.sources),
                     "citations": " | ".join(cites)})
    frame = pd.DataFrame(rows, columns=["field", "value", "basis", "note", "sources",
                                        "citations"])
    return frame.set_index("field")


def case_json(case: Case) -> dict:
    """The case as plain data, derived values included.

    Every sourced value carries its ``basis`` (``stated`` or ``inferred``, with the reasoning
    in ``note``); ``derived.inferred`` maps the dotted path of each inferred value to its
    note.
    """
    data = case.model_dump(mode="json", exclude_none=True)
    data["derived"] = {"start_year": case.start_year(), "age": case.age(),
                       "age_class": case.age_class(),
                       "inferred": {path: value.note for path, value in sourced_values(case)
                                    if value.basis == "inferred"}}
    return data
