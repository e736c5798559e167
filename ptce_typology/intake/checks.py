"""Checking one case given as plain data (from YAML or a table row) against the schema:
every problem becomes an :class:`~ptce_typology.errors.Issue` with a stable code."""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterable
from functools import cache
from typing import Any

from pydantic import BaseModel, ValidationError

from ptce_typology.errors import Issue
from ptce_typology.intake.codebook import rule_issues
from ptce_typology.intake.schema import Case
from ptce_typology.vocabulary import UNKNOWN, vocabulary


def validate_mapping(data: Any, name: str, lines: dict[tuple, int],
                     default_line: int | None = None,
                     check_sources: bool = True) -> tuple[Case | None, list[Issue]]:
    """Validate one case given as plain data (from YAML or from a table row).

    ``check_sources`` False skips the source-reference checks, for table rows whose values
    all rest, by construction, on the row's own source.
    """
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single value ({type(data).__name__})"
        return None, [Issue("file-not-mapping", name,
                            f"a case file is a mapping of descriptors, not {kind}",
                            line=default_line or 1)]

    def line_of(path: tuple) -> int | None:
        for cut in range(len(path), -1, -1):
            if path[:cut] in lines:
                return lines[path[:cut]]
        return default_line

    issues = _source_issues(data, name, line_of) if check_sources else []
    issues += rule_issues(data, name, line_of)
    try:
        case = Case.model_validate(data)
    except ValidationError as err:
        issues = [_from_pydantic(e, name, line_of) for e in err.errors()] + issues
        return None, _in_line_order(issues)
    start_ids = [event.id for event in case.grouping_start.events]
    if case.grouping_start.start not in (*start_ids, UNKNOWN):
        path = ("grouping_start", "start")
        issues.append(Issue("unknown-start-event", name,
                            "start must name one of the events (or be unknown)",
                            line=line_of(path), field="grouping_start.start",
                            value=case.grouping_start.start, allowed=(*start_ids, UNKNOWN)))
    return (None if issues else case), _in_line_order(issues)


def _in_line_order(issues: list[Issue]) -> list[Issue]:
    """The problems of one file as a reader meets them: by line (stable, so that the
    problems of one line keep the order they were found in), those without a line last."""
    return sorted(issues, key=lambda i: (i.line is None, i.line or 0))


# Source checks on the raw data, so that they run even when the structure is broken. -----------

_SOURCED_KEYS = ("value", "year", "count")


def _source_issues(data: dict, name: str, line_of) -> list[Issue]:
    issues: list[Issue] = []
    defined: dict[str, tuple] = {}
    raw_sources = data.get("sources")
    if isinstance(raw_sources, list):
        for i, src in enumerate(raw_sources):
            if isinstance(src, dict) and isinstance(src.get("id"), str):
                if src["id"] in defined:
                    issues.append(Issue("duplicate-source-id", name,
                                        "two sources share this id", line=line_of(("sources", i)),
                                        field=f"sources.{i}.id", value=src["id"]))
                defined[src["id"]] = ("sources", i)
    ids = tuple(defined)

    def walk(node: Any, path: tuple) -> None:
        if isinstance(node, dict):
            refs = node.get("sources")
            if path and isinstance(refs, list):
                for j, ref in enumerate(refs):
                    if isinstance(ref, str) and ref not in defined:
                        issues.append(Issue(
                            "unknown-source", name, "no source in `sources:` has this id"
                            + did_you_mean(ref, ids),
                            line=line_of((*path, "sources", j)),
                            field=_dotted((*path, "sources", j)), value=ref, allowed=ids))
            is_value = any(k in node for k in _SOURCED_KEYS)
            inferred = node.get("basis") == "inferred" and node.get("note")
            if path and is_value and node.get("value") != UNKNOWN and not refs \
                    and not inferred:
                issues.append(Issue("missing-source", name,
                                    "a known value must name the source(s) it rests on, or be "
                                    "`basis: inferred` with the reasoning in `note` (or be "
                                    "`unknown`)",
                                    line=line_of(path), field=_dotted(path),
                                    value=_short(node.get("value", node.get("year",
                                                                           node.get("count"))))))
            for key, child in node.items():
                # A key the schema does not define is reported once, as unknown-key.
                if path or (key != "sources" and key in Case.model_fields):
                    walk(child, (*path, key))
        elif isinstance(node, list):
            for i, child in enumerate(node):
                walk(child, (*path, i))

    walk(data, ())
    return issues


# Pydantic errors to issues ---------------------------------------------------------------------


def _from_pydantic(error: dict, name: str, line_of) -> Issue:
    loc = tuple(error["loc"])
    kind = error["type"]
    dotted = _dotted(loc)
    line = line_of(loc)
    value = None if kind == "missing" else _short(error.get("input"))
    if kind == "extra_forbidden":
        keys = _keys_at(loc[:-1])
        return Issue("unknown-key", name,
                     f"unknown key {loc[-1]!r}" + did_you_mean(str(loc[-1]), keys),
                     line=line, field=dotted, allowed=keys)
    if kind == "missing":
        return Issue("missing-field", name, f"required field {loc[-1]!r} is missing",
                     line=line, field=dotted)
    if kind == "literal_error":
        choices = _literal_choices(loc)
        message = "not in the vocabulary" + did_you_mean(_as_written(error.get("input")),
                                                         choices)
        return Issue("unknown-category", name, message, line=line, field=dotted, value=value,
                     allowed=choices)
    if kind.endswith("_type") or kind.endswith("_parsing") or kind in (
            "model_attributes_type", "dict_type", "list_type"):
        return Issue("wrong-type", name, error["msg"], line=line, field=dotted, value=value)
    message = error["msg"].removeprefix("Value error, ")
    return Issue("invalid-value", name, message, line=line, field=dotted, value=value)


def _dotted(loc: tuple) -> str:
    return ".".join(str(p) for p in loc)


def _as_written(value: Any) -> str:
    """A value as the case file writes it: a YAML boolean (an unquoted ``Yes``, ``true``) is
    ``yes`` or ``no``, the words the vocabulary uses, not Python's ``True``."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value if isinstance(value, str) else repr(value)


def _short(value: Any) -> str | None:
    if value is None:
        return None
    text = _as_written(value)
    return text if len(text) <= 60 else text[:57] + "..."


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A "did you mean" hint: the closest of ``choices`` to ``word``, or ``""``.

    Parameters
    ----------
    word : str
        What the file says.
    choices : iterable of str
        What it may say.

    Returns
    -------
    str
        ``" (did you mean 'territory'?)"`` or ``""`` when nothing is close.
    """
    choices = list(choices)
    # A category's label in either language (« oui », « Désindustrialisé ») names its key.
    named = _label_keys().get(word.strip().casefold())
    if named in choices:
        return f"; did you mean {named!r}?"
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


@cache
def _label_keys() -> dict[str, str]:
    """Every category label of the vocabulary, in each language and casefolded -> its key."""
    vocab = vocabulary()
    found = {label.casefold(): UNKNOWN for label in vocab.unknown_label.values()}
    for descriptor in vocab.descriptors.values():
        for key, labels in descriptor.category_labels.items():
            found.update({label.casefold(): key for label in labels.values()})
    return found


def _unwrap(annotation: Any) -> Any:
    """The model or Literal inside list[...], Optional[...] or Annotated[...]."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (list, typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation


def _annotation_at(loc: tuple) -> Any:
    current: Any = Case
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = _unwrap(info.annotation)
    return current


def _keys_at(loc: tuple) -> tuple[str, ...]:
    model = _annotation_at(loc)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return tuple(model.model_fields)
    return ()


def _literal_choices(loc: tuple) -> tuple[str, ...]:
    annotation = _annotation_at(loc)
    if typing.get_origin(annotation) is typing.Literal:
        return tuple(str(a) for a in typing.get_args(annotation))
    return ()
