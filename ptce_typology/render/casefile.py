"""One case file as a reader sees it (``ptce show``): every sourced value with its sources."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from ptce_typology.intake.schema import Case, Sourced
from ptce_typology.render.labels import text
from ptce_typology.vocabulary import UNKNOWN, vocabulary

if TYPE_CHECKING:
    import pandas as pd


def sourced_values(case: Case) -> list[tuple[str, Sourced]]:
    """Every sourced value of a case with its dotted field path, in file order.

    Returns
    -------
    list of (str, Sourced)
        ``("territory", Sourced(...))``, ``("members.0", ...)``...
    """
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


def shown_value(value: Sourced, path: str | None = None, lang: str = "en") -> str:
    """A sourced value as one line of text: a count with its unit and date, an event with its
    year and id, or the other fields as ``key=value`` pairs.

    With the value's ``path`` (``territory``, ``funding.public``), a category gets its label in
    ``lang``, for reading; without it, the vocabulary key stays, as data (the data package).
    """
    data = value.model_dump(exclude={"sources", "note", "basis", "alternatives", "rule",
                                     "searched"}, exclude_none=True)
    data = {k: v for k, v in data.items() if v != []}
    if set(data) == {"value"}:
        return str(data["value"]) if path is None else _category_text(data["value"], path, lang)
    if path is not None and "value" in data:  # the category, then its other fields, in words
        details = [text("casefile.detail.pair", lang, field=text(f"casefile.detail.{key}", lang),
                        value=", ".join(_category_text(v, path, lang) for v in found)
                        if isinstance(found, list) else found)
                   for key, found in data.items() if key != "value"]
        return "; ".join([_category_text(data["value"], path, lang), *details])
    if "count" in data:
        count = text(f"casefile.qualifier.{data.get('qualifier', 'exact')}", lang,
                     count=data["count"])
        unit = text(f"casefile.unit.{data.get('unit', 'structures')}", lang)
        return f"{count} {unit} ({data['date']})"
    if "event" in data:
        approx = "~" if data.get("approximate") else ""
        return f"{approx}{data['year']}: {data['event']} [{data['id']}]"
    return "; ".join(f"{k}={v}" for k, v in data.items())


def _category_text(value: object, path: str, lang: str) -> str:
    """A category's label: territory, funding.public -> funding_public, ...; else as given."""
    vocab = vocabulary()
    for key in (path, path.replace(".", "_"), path.rpartition(".")[2]):
        if key in vocab.descriptors:
            return vocab.category_label(key, str(value), lang)
    if value == UNKNOWN:
        return vocab.unknown_label[lang]
    return str(value)


def describe_case(case: Case, lang: str = "en") -> pd.DataFrame:
    """Every descriptor of a case with the sources behind it.

    Parameters
    ----------
    case : Case
        A validated case (:func:`ptce_typology.intake.loading.load_cases`).
    lang : {"en", "fr"}
        Language of the headers and qualifiers; values stay as the case file gives them.

    Returns
    -------
    pandas.DataFrame
        Index: the field (dotted path). Columns, headed in ``lang``: value, basis (stated: a
        cited quote says it; inferred: derived by reasoning; empty for an ``unknown`` value no
        source is cited for), note (for an inferred value, the reasoning), sources (ids
        joined by ``; ``), citations (each source's citation or URL, joined by `` | ``).
    """
    import pandas as pd

    rows = []
    for path, value in sourced_values(case):
        silent = getattr(value, "value", None) == UNKNOWN and not value.sources
        rows.append({"field": path, "value": shown_value(value, path, lang),
                     "basis": "" if silent else _basis_text(value, lang),
                     "note": _note_text(value, lang), "sources": "; ".join(value.sources),
                     "citations": " | ".join(_citation(case.source(sid), lang)
                                             for sid in value.sources)})
    columns = ["field", "value", "basis", "note", "sources", "citations"]
    frame = pd.DataFrame(rows, columns=columns)
    frame.columns = [text(f"casefile.head.{c}", lang) for c in columns]
    return frame.set_index(frame.columns[0])


def _basis_text(value: Sourced, lang: str) -> str:
    """« inferred (rule origin.citizen_associative.R1) », or the basis alone."""
    basis = text(f"casefile.basis.{value.basis}", lang)
    return text("casefile.with_rule", lang, basis=basis, rule=value.rule) if value.rule \
        else basis


def _note_text(value: Sourced, lang: str) -> str:
    """The value's note, and for a value no source gives, the sources read for it."""
    parts = [value.note] if value.note else []
    if value.searched:
        parts.append(text("casefile.searched", lang, sources=", ".join(value.searched)))
    return " ".join(parts)


def _citation(source, lang: str) -> str:
    """A source's citation and URL, with a word when its quote was not checked against the
    page itself."""
    from ptce_typology.render.citations import citation_text

    citation = citation_text(source.citation, lang) if source.citation else None
    cited = " ".join(x for x in (citation, f"<{source.url}>" if source.url else None) if x)
    return f"{cited} {text('casefile.unchecked', lang)}" if not source.checked else cited


def case_json(case: Case) -> dict:
    """The case as plain data, derived values included (``ptce show --format json``).

    Every sourced value carries its ``basis`` (``stated`` or ``inferred``, with the reasoning
    in ``note``).

    Returns
    -------
    dict
        The case file's fields, and ``derived``: ``start_year``, ``age``, ``age_class`` and
        ``inferred`` (the dotted path of each inferred value -> its note).
    """
    data = case.model_dump(mode="json", exclude_none=True)
    data["derived"] = {"start_year": case.start_year(), "age": case.age(),
                       "age_class": case.age_class(),
                       "inferred": {path: value.note for path, value in sourced_values(case)
                                    if value.basis == "inferred"}}
    return data
