"""The référentiel of a PTCE as data (``data/referentiel.yaml``): objectives, indicator counts,
reference texts, this project's evidence rules and user indicators."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ptce_typology.errors import PtceError
from ptce_typology.intake.yamlread import IssueError, model_error, parse_yaml, read_yaml
from ptce_typology.resources import data_bytes, data_file
from ptce_typology.vocabulary import UNKNOWN


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RefSource(_Model):
    """A source of the référentiel file: id, citation, URL, quote, date."""
    id: str
    citation: str
    url: str | None = None
    quote: str | None = None
    date: str | int | None = None


class Objective(_Model):
    """A general or main objective of the référentiel, in French and English, with its
    sources and (for a main one) the general objective a source puts it under, if any."""
    id: str
    fr: str
    en: str
    sources: list[str] = Field(min_length=1)
    general_objective: str | None = None

    def label(self, lang: str) -> str:
        """The objective's name in ``lang`` (``fr`` or ``en``)."""
        return getattr(self, lang)


class IndicatorCount(_Model):
    """How many indicators the référentiel had: at first and later, with sources."""
    first_version: int
    updated: int
    sources: list[str]


class Indicators(_Model):
    """The référentiel's indicators: their count, and the list when a source gives it."""
    count: IndicatorCount
    items: list[dict] = Field(default_factory=list)


class ReferenceText(_Model):
    """A reference definition (the law's, the Labo's) in French and English."""
    id: str
    fr: str
    en: str
    sources: list[str]


class Condition(_Model):
    """One test of an evidence rule: a descriptor equal to a value, or at least a number."""
    descriptor: str
    equals: str | None = None
    at_least: float | None = None

    @model_validator(mode="after")
    def _one_test(self) -> Condition:
        if (self.equals is None) == (self.at_least is None):
            raise ValueError("a condition has exactly one of `equals` or `at_least`")
        return self

    def text(self, value: object) -> str:
        """The test and the pole's value, as evidence: ``origin=citizen_associative (is
        unknown)``."""
        test = f"={self.equals}" if self.equals is not None else f">={self.at_least:g}"
        return f"{self.descriptor}{test} (is {value})"


class Rule(_Model):
    """An evidence rule: a main objective is evidenced when any (or all) of its conditions
        hold; ``why`` says why."""
    objective: str
    any: list[Condition] = Field(default_factory=list)
    all: list[Condition] = Field(default_factory=list)
    why: str = ""

    @model_validator(mode="after")
    def _has_conditions(self) -> Rule:
        if not self.any and not self.all:
            raise ValueError("a rule needs `any` or `all` conditions")
        return self


class EvidenceRules(_Model):
    """This project's operationalisation (marked as such) and its rules."""
    operationalisation: str
    rules: list[Rule] = Field(default_factory=list)


class UserIndicator(_Model):
    """An indicator a user adds: its objective, names, and the score that evidences it."""
    id: str
    objective: str
    fr: str
    en: str
    evidenced_at: float = 1.0


class Referentiel(_Model):
    """The whole référentiel file: sources, objectives, indicators, reference texts,
    evidence rules and user indicators, checked for consistency."""
    sources: list[RefSource]
    general_objectives: list[Objective] = Field(min_length=1)
    main_objectives: list[Objective] = Field(min_length=1)
    indicators: Indicators
    reference_texts: list[ReferenceText]
    evidence_rules: EvidenceRules
    user_indicators: list[UserIndicator] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Referentiel:
        known_sources = {s.id for s in self.sources}
        mains = {o.id for o in self.main_objectives}
        generals = {o.id for o in self.general_objectives}
        for item in (*self.general_objectives, *self.main_objectives, *self.reference_texts):
            for sid in item.sources:
                if sid not in known_sources:
                    raise ValueError(f"{item.id}: source {sid!r} is not defined")
        for obj in self.main_objectives:
            if obj.general_objective not in (*generals, UNKNOWN, None):
                raise ValueError(f"{obj.id}: unknown general objective "
                                 f"{obj.general_objective!r}")
        for item in (*self.evidence_rules.rules, *self.user_indicators):
            if item.objective not in mains:
                raise ValueError(f"objective {item.objective!r} is not a main objective; "
                                 f"allowed: {', '.join(sorted(mains))}")
        return self


def load_referentiel(path: Path | str | None = None) -> Referentiel:
    """The bundled référentiel, or a user's copy with its own rules and indicators."""
    target = Path(path) if path else data_file("referentiel.yaml")
    try:
        data, lines = (read_yaml(target) if path
                       else parse_yaml(data_bytes("referentiel.yaml"), str(target)))
        return Referentiel.model_validate(data)
    except IssueError as err:
        raise PtceError(err.issue.message, file=str(target), line=err.issue.line) from None
    except ValidationError as err:
        raise model_error(err, target, lines) from None
