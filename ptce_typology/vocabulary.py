"""The controlled vocabularies and their French and English labels (``data/vocabulary.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import yaml

from ptce_typology.resources import data_bytes

UNKNOWN = "unknown"
# A call that ran before the grouping started: derived, never typed; no answer to "laureate?".
NOT_APPLICABLE = "not_applicable"
SEP = "="  # between descriptor and category in category names: territory=rural
GAP_STATUSES = ("evidenced", "not_evidenced", "unknown", "not_operationalised")
LANGS = ("fr", "en")
DEFAULT_REFERENCE_YEAR = 2011  # the year the twelve became pôles témoins


@dataclass(frozen=True)
class Descriptor:
    key: str
    labels: dict[str, str]
    categories: tuple[str, ...]  # vocabulary order, without "unknown"
    category_labels: dict[str, dict[str, str]]
    derived: bool = False

    def label(self, lang: str = "en") -> str:
        return self.labels[lang]

    def category_label(self, category: str, lang: str = "en") -> str:
        if category == UNKNOWN:
            return vocabulary().unknown_label[lang]
        return self.category_labels[category][lang]

    @property
    def allowed(self) -> tuple[str, ...]:
        """Keys a case file may use: the categories and ``unknown``."""
        return (*self.categories, UNKNOWN)


@dataclass(frozen=True)
class Vocabulary:
    descriptors: dict[str, Descriptor]
    column_labels: dict[str, dict[str, str]]
    unknown_label: dict[str, str]
    calls: dict[str, dict] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Descriptor:
        return self.descriptors[key]

    def label(self, key: str, lang: str = "en") -> str:
        """Label of a descriptor or of another column of the tidy frame."""
        if key in self.descriptors:
            return self.descriptors[key].label(lang)
        if key in self.column_labels:
            return self.column_labels[key][lang]
        return key

    def category_label(self, descriptor: str, category: str, lang: str = "en") -> str:
        if descriptor in self.descriptors:
            desc = self.descriptors[descriptor]
            if category == UNKNOWN or category in desc.category_labels:
                return desc.category_label(category, lang)
        return category


def load_yaml_data(source) -> object:
    """A bundled data file (trusted, ours): safe YAML, with libyaml's C loader when present
    (ten times faster than the pure-Python one at start-up)."""
    return yaml.load(source, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@cache
def vocabulary() -> Vocabulary:
    """The bundled vocabulary, read once."""
    raw = load_yaml_data(data_bytes("vocabulary.yaml").decode("utf-8"))
    named = {"tristate": raw["tristate"], "calls": raw["calls_categories"]}
    descriptors = {}
    for key, spec in raw["descriptors"].items():
        cats = named.get(spec["categories"], spec["categories"]) \
            if isinstance(spec["categories"], str) else spec["categories"]
        descriptors[key] = Descriptor(
            key=key,
            labels={lang: spec[lang] for lang in LANGS},
            categories=tuple(cats),
            category_labels={c: dict(v) for c, v in cats.items()},
            derived=bool(spec.get("derived", False)),
        )
    return Vocabulary(descriptors, raw["columns"], raw["unknown"], raw.get("calls", {}))


def allowed(descriptor: str) -> tuple[str, ...]:
    return vocabulary()[descriptor].allowed


def label_frame(frame, lang: str = "en"):
    """A copy of a tidy frame for human eyes: descriptor values and column names as labels.

    Keys stay in CSV and JSON output; this is for the terminal, Markdown, LaTeX and XLSX.
    """
    vocab = vocabulary()
    out = frame.copy()
    for column in out.columns:
        if column in vocab.descriptors:
            out[column] = [vocab.category_label(column, str(v), lang) if v == v else ""
                           for v in out[column].astype(object)]
        elif out[column].dtype == object:
            # `unknown` in a free column (commune, website...) is still the unknown label
            out[column] = out[column].replace(UNKNOWN, vocab.unknown_label[lang])
    out.columns = [vocab.label(c, lang) for c in out.columns]
    if out.index.name:
        out.index.name = vocab.label(out.index.name, lang)
    return out
