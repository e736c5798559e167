"""The codebook: its consistency, its renderings, and the rules the case files name."""

from __future__ import annotations

import json

import pytest

from ptce_typology.errors import PtceError
from ptce_typology.intake.codebook import field_descriptor, load_codebook
from ptce_typology.intake.loading import load_cases
from ptce_typology.intake.validation import validate_paths
from ptce_typology.render.labels import labels
from ptce_typology.resources import cases_dir, examples_dir, poles_dir
from ptce_typology.vocabulary import vocabulary

CODED = ("origin", "territory", "sector", "shared_premises", "employer_group")


def test_every_coded_descriptor_has_its_vocabulary_categories_and_rules():
    book = load_codebook()
    for key in CODED:
        descriptor = book.descriptors[key]
        assert set(descriptor.categories) == set(vocabulary()[key].categories), key
        decided = {rule.category for rule in descriptor.rules if rule.category}
        # every category has at least one rule that decides it
        assert decided == set(descriptor.categories), key
    assert {"start", "calls", "age_class", "date", "place"} <= set(book.descriptors)


def test_examples_are_bundled_poles():
    bundled = {p.stem for folder in (cases_dir(), poles_dir()) for p in folder.glob("*.yaml")}
    for descriptor in load_codebook().descriptors.values():
        named = [e for c in descriptor.categories.values() for e in c.examples]
        named += [e for r in descriptor.rules for e in r.examples]
        assert set(named) <= bundled, set(named) - bundled


def test_a_broken_codebook_is_one_error(tmp_path):
    path = tmp_path / "codebook.yaml"
    path.write_text("version: 1\ndescriptors:\n  origin:\n    label: {fr: O, en: O}\n"
                    "    definition: {fr: D, en: D}\n    rules:\n"
                    "      - {id: territory.rural.R1, text: {fr: t, en: t}}\n",
                    encoding="utf-8")
    with pytest.raises(PtceError, match="must start with origin"):
        load_codebook(path)


def test_field_descriptor():
    assert field_descriptor(("origin",)) == "origin"
    assert field_descriptor(("origin", "alternatives", 0)) == "origin"
    assert field_descriptor(("grouping_start", "events", 2)) == "start"
    assert field_descriptor(("national_calls", "ami_2021")) == "calls"
    assert field_descriptor(("members", 0)) is None


def _issues(tmp_path, text):
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    return [(i.code, i.field, i.message) for i in validate_paths([path]).issues]


CASE = """pole_id: test_pole
name: Test pole
role: case
grouping_start:
  events:
    - {id: founded, year: 2005, event: "association founded", sources: [s1]}
  start: founded
origin: ORIGIN
territory: {value: unknown, searched: [SEARCHED]}
sector: {value: production, theme: bread, sources: [s1]}
shared_premises: {value: no, sources: [s1]}
employer_group: {value: unknown}
sources:
  - {id: s1, citation: "Fictional source for tests", checked: false, accessed: 2026-12-05}
"""


def test_rules_that_fit_pass(tmp_path):
    origin = ('{value: citizen_associative, basis: inferred, '
              'rule: origin.citizen_associative.R1, note: "an association of inhabitants", '
              'sources: [s1]}')
    assert _issues(tmp_path, CASE.replace("ORIGIN", origin).replace("SEARCHED", "s1")) == []


@pytest.mark.parametrize("rule, message", [
    ("origin.nonsense.R9", "no such rule"),
    ("territory.rural.R1", "one of territory, not of origin"),
    ("origin.local_authority.R1", "decides local_authority, not citizen_associative"),
    ("place.R1", "a place rule applies to commune, departement, region only"),
])
def test_a_rule_that_does_not_fit_is_unknown_rule(tmp_path, rule, message):
    origin = (f'{{value: citizen_associative, basis: inferred, rule: {rule}, '
              f'note: "why", sources: [s1]}}')
    issues = _issues(tmp_path, CASE.replace("ORIGIN", origin).replace("SEARCHED", "s1"))
    assert [(code, field) for code, field, _ in issues] == [("unknown-rule", "origin.rule")]
    assert message in issues[0][2]


def test_a_date_rule_fits_any_field(tmp_path):
    origin = ('{value: citizen_associative, basis: inferred, '
              'rule: origin.citizen_associative.R1, note: "an association", sources: [s1]}')
    text = CASE.replace("ORIGIN", origin).replace("SEARCHED", "s1") + (
        "members:\n  - {count: 12, date: 2014, basis: inferred, rule: date.R1, "
        "note: \"dated by the source\", sources: [s1]}\n")
    assert _issues(tmp_path, text) == []


def test_a_searched_id_without_source_and_an_inferred_value_without_rule(tmp_path):
    origin = '{value: citizen_associative, basis: inferred, note: "why", sources: [s1]}'
    issues = _issues(tmp_path, CASE.replace("ORIGIN", origin).replace("SEARCHED", "s2"))
    # a user's file need not use this codebook: only a rule it names is checked
    assert [(code, field) for code, field, _ in issues] == [
        ("unknown-source", "territory.searched.0")]


def test_every_inferred_value_of_the_bundled_data_names_a_rule_that_exists():
    from ptce_typology.render.casefile import sourced_values

    rules = load_codebook().rules()
    named, missing = 0, []
    for case in load_cases([cases_dir(), poles_dir(), examples_dir()]):
        for path, value in sourced_values(case):
            if value.basis == "inferred":
                if value.rule not in rules:
                    missing.append(f"{case.pole_id}.{path}")
                named += 1
    assert not missing, missing
    assert named > 100


@pytest.mark.parametrize("fmt", ["table", "md", "latex", "docx", "html", "json"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_codebook_renders_in_every_format(run, tmp_path, fmt, lang):
    out = tmp_path / f"codebook.{fmt}"
    # A terminal table takes its width from COLUMNS (a test runner may set it narrow).
    result = run("codebook", "--format", fmt, "--lang", lang, "-o", out,
                 env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert len(data) > 2000
    if fmt == "json":
        assert json.loads(data) == load_codebook().model_dump(mode="json")
    if fmt in ("md", "html", "latex", "table"):
        body = data.decode("utf-8").replace(r"\allowbreak{}", "").replace(r"\_", "_")
        assert "origin.social_enterprise_group.R1" in body
        heading = labels()["codebook.head.definition"][lang]
        assert heading in body
        other = labels()["codebook.head.definition"]["en" if lang == "fr" else "fr"]
        assert other not in body


def test_codebook_french_has_the_french_texts(run):
    result = run("codebook", "--format", "md", "--lang", "fr")
    rule = load_codebook().rules()["origin.social_enterprise_group.R1"][1]
    assert rule.text.fr.split()[0] in result.stdout
    assert rule.text.en not in result.stdout


def test_show_gives_the_rule_the_sources_searched_and_unchecked_quotes(run):
    path = poles_dir() / "accordeur_guyane.yaml"
    result = run("show", "accordeur_guyane", "--cases", path, "--format", "md", "--lang", "fr")
    assert result.exit_code == 0, result.output
    assert "déduit (règle territory.other.R1)" in result.stdout
    assert "Sources lues sans réponse : guyaweb" in result.stdout
    assert "(citation non vérifiée sur la page même)" in result.stdout
    assert "rule=" not in result.stdout and "searched" not in result.stdout


def test_the_data_package_carries_the_codebook(run, tmp_path):
    result = run("export-data", "-o", tmp_path / "pkg", "--cases", cases_dir())
    assert result.exit_code == 0, result.output
    package = json.loads((tmp_path / "pkg" / "datapackage.json").read_text(encoding="utf-8"))
    fields = {f["name"]: f for f in package["resources"][0]["schema"]["fields"]}
    origin = load_codebook().descriptors["origin"].definition
    assert origin.en in fields["origin"]["description"]
    assert origin.fr in fields["origin"]["description"]
    assert load_codebook().descriptors["calls"].definition.en in \
        fields["laureate_2013"]["description"]
    header = (tmp_path / "pkg" / "sources.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",")[3:5] == ["basis", "rule"]
