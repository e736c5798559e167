"""The codebook (``data/codebook.yaml``): what each descriptor and category means, and the
decision rules by which a value is coded from its sources.

A value with ``basis: inferred`` names the rule it applies (``rule:
origin.social_enterprise_group.R1``); validation checks that the rule exists, belongs to the
field's descriptor and, for a category's rule, to the value's category
(:func:`rule_issues`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ptce_typology.errors import Issue, PtceError
from ptce_typology.intake.yamlread import IssueError, model_error, parse_yaml, read_bytes
from ptce_typology.resources import data_bytes, data_file

# Codebook descriptors that are not columns of the vocabulary: the start of the grouping (its
# events) and the national calls (one rule set for every call).
START, CALLS = "start", "calls"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bilingual(_Model):
    """A text in French and English."""
    fr: str = Field(min_length=1)
    en: str = Field(min_length=1)


class CodebookCategory(_Model):
    """A category: its definition and bundled poles that show it."""
    definition: Bilingual
    examples: list[str] = Field(default_factory=list)


class CodebookRule(_Model):
    """A decision rule with a stable id (``origin.social_enterprise_group.R1``); a
    ``boundary`` rule settles the cases between categories (``origin.B1``)."""
    id: str = Field(pattern=r"^[a-z_]+(\.[a-z_]+)?\.[A-Z][0-9]+$")
    text: Bilingual
    category: str | None = None
    boundary: bool = False
    examples: list[str] = Field(default_factory=list)


class CodebookDescriptor(_Model):
    """A descriptor: label, definition, where the definition comes from, categories, rules."""
    label: Bilingual
    definition: Bilingual
    sources: list[str] = Field(default_factory=list)
    categories: dict[str, CodebookCategory] = Field(default_factory=dict)
    rules: list[CodebookRule] = Field(default_factory=list)


class Figure(_Model):
    """The agreement of two independent codings on one descriptor (``ptce agreement``)."""
    n_both: int
    n: int
    kappa: float | None = None
    alpha: float | None = None


class Reliability(_Model):
    """How far two independent codings of the same poles agree: a note saying which poles and
    how the disagreements were settled, and the figures per descriptor."""
    note: Bilingual
    figures: dict[str, Figure]


class Codebook(_Model):
    """The whole codebook, checked for consistency: every rule id starts with its descriptor's
    key and is unique, and a category rule names a category of its descriptor."""
    version: int
    reliability: Reliability | None = None
    descriptors: dict[str, CodebookDescriptor] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Codebook:
        seen: set[str] = set()
        for key, descriptor in self.descriptors.items():
            for rule in descriptor.rules:
                if not rule.id.startswith(f"{key}."):
                    raise ValueError(f"rule {rule.id} is listed under {key}: its id must "
                                     f"start with {key}.")
                if rule.id in seen:
                    raise ValueError(f"rule {rule.id} is defined twice")
                seen.add(rule.id)
                if rule.category is not None and rule.category not in descriptor.categories:
                    raise ValueError(f"rule {rule.id} names category {rule.category!r}, which "
                                     f"{key} does not define")
        return self

    def rules(self) -> dict[str, tuple[str, CodebookRule]]:
        """Every rule by id, with the key of its descriptor."""
        return {rule.id: (key, rule) for key, descriptor in self.descriptors.items()
                for rule in descriptor.rules}


@cache
def _bundled() -> Codebook:
    # The bytes the report's checksums hash (resources.data_bytes), parsed once.
    return _parse(data_bytes("codebook.yaml"), data_file("codebook.yaml"))


def load_codebook(path: Path | str | None = None) -> Codebook:
    """The bundled codebook, or a user's copy (a :class:`PtceError` names the file, line and
    field of a problem)."""
    return _bundled() if path is None else _read(Path(path))


def _read(target: Path) -> Codebook:
    try:
        return _parse(read_bytes(target), target)
    except IssueError as err:
        raise PtceError(err.issue.message, file=str(target), line=err.issue.line) from None


def _parse(raw: bytes, target: Path) -> Codebook:
    lines: dict = {}
    try:
        data, lines = parse_yaml(raw, str(target))
        return Codebook.model_validate(data)
    except IssueError as err:
        raise PtceError(err.issue.message, file=str(target), line=err.issue.line) from None
    except ValidationError as err:
        raise model_error(err, target, lines) from None


# Validation of the rules a case names -------------------------------------------------------

# The codebook descriptor of a case field: the field itself for the coded descriptors, the
# start for grouping events, the calls for every national call.
_CODED = ("origin", "territory", "sector", "shared_premises", "employer_group",
          "research_partnership")


def field_descriptor(path: tuple) -> str | None:
    """The codebook descriptor that governs the value at ``path`` (a tuple of keys), or None
    when the codebook has no rules for it (members, funding, ...)."""
    if not path:
        return None
    if path[0] in _CODED:
        return path[0]
    if path[0] == "grouping_start":
        return START
    if path[0] == "national_calls":
        return CALLS
    return None


# An unquoted yes/no in YAML 1.1 reaches the raw data as a boolean.
_YAML_BOOLEANS = {True: "yes", False: "no"}


def rule_issues(data: Any, name: str, line_of) -> list[Issue]:
    """Issues of the ``rule`` fields of one case given as plain data: ``unknown-rule`` for a
    rule the codebook does not define, or one of another descriptor or category;
    ``unknown-source`` for a ``searched`` id that no source defines. (An inferred value
    without a rule is valid: the bundled data name one for every inferred value, a test
    holds them to it, and a user's own files may not use this codebook.)"""
    if not isinstance(data, dict):
        return []
    rules = load_codebook().rules()
    defined = {s.get("id") for s in data.get("sources") or [] if isinstance(s, dict)}
    issues: list[Issue] = []

    def walk(node: Any, path: tuple, category: Any = None) -> None:
        if isinstance(node, dict):
            value = node.get("value", category)
            category = _YAML_BOOLEANS[value] if isinstance(value, bool) else value
            issues.extend(_node_issues(node, path, category, rules, defined, name, line_of))
            for key, child in node.items():
                walk(child, (*path, key), category)
        elif isinstance(node, list):
            for i, child in enumerate(node):
                walk(child, (*path, i), category)

    for key in data:
        if key != "sources":
            walk(data[key], (key,))
    return issues


def _node_issues(node: dict, path: tuple, category: Any, rules: dict, defined: set, name: str,
                 line_of) -> list[Issue]:
    issues = []
    descriptor = field_descriptor(path)
    rule = node.get("rule")
    dotted = ".".join(map(str, path))
    if isinstance(rule, str):
        problem = _rule_problem(rule, path, descriptor, category, rules)
        if problem:
            allowed = tuple(sorted(r for r, (key, _) in rules.items()
                                   if key in (descriptor, *GENERAL_RULES)))
            issues.append(Issue("unknown-rule", name, problem, line=line_of((*path, "rule")),
                                field=f"{dotted}.rule", value=rule, allowed=allowed))
    searched = node.get("searched")
    for j, ref in enumerate(searched if isinstance(searched, list) else []):
        if isinstance(ref, str) and ref not in defined:
            issues.append(Issue("unknown-source", name, "no source in `sources:` has this id",
                                line=line_of((*path, "searched", j)),
                                field=f"{dotted}.searched.{j}", value=ref,
                                allowed=tuple(sorted(i for i in defined if isinstance(i, str)))))
    return issues


# General rules: `date` rules date any field's fact, `place` rules infer the place fields,
# `count` rules read member counts, `identity` rules tie a source to the pole (any field).
GENERAL_RULES = {"date": None, "identity": None, "place": ("commune", "departement", "region"),
                 "count": ("members",)}


def _rule_problem(rule: str, path: tuple, descriptor: str | None, category: Any,
                  rules: dict) -> str | None:
    if rule not in rules:
        return "the codebook defines no such rule"
    key, found = rules[rule]
    if key in GENERAL_RULES:
        fields = GENERAL_RULES[key]
        if fields is None or (path and path[0] in fields):
            return None
        return f"a {key} rule applies to {', '.join(fields)} only"
    if descriptor is None:
        return "the codebook has no rules for this field"
    if key != descriptor:
        return f"the rule is one of {key}, not of {descriptor}"
    if found.category is not None and str(category) != found.category:
        return f"the rule decides {found.category}, not {category}"
    return None
