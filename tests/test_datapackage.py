"""``ptce export-data``: a Frictionless Data Package of the poles and their sources, valid,
deterministic, and whose poles.csv reads back as ``--cases``."""

from __future__ import annotations

import json
from datetime import date

import pytest
from conftest import BUNDLED

from ptce_typology.intake.records import FRAME_COLUMNS
from ptce_typology.render.datapackage import FILES, SOURCES_COLUMNS, sources_table
from ptce_typology.vocabulary import vocabulary


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    from typer.testing import CliRunner

    from ptce_typology.cli import app

    folder = tmp_path_factory.mktemp("export") / "package"
    result = CliRunner().invoke(app, ["export-data", "-o", str(folder)])
    assert result.exit_code == 0, result.stderr
    return folder


@pytest.fixture(scope="module")
def descriptor(exported):
    return json.loads((exported / "datapackage.json").read_text(encoding="utf-8"))


def _fields(descriptor, resource):
    (found,) = [r for r in descriptor["resources"] if r["name"] == resource]
    return found["schema"], {f["name"]: f for f in found["schema"]["fields"]}


def test_frictionless_says_valid(exported):
    import frictionless

    report = frictionless.validate(str(exported / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_frictionless_catches_a_value_outside_the_vocabulary(exported, tmp_path):
    import frictionless

    for name in FILES:
        (tmp_path / name).write_bytes((exported / name).read_bytes())
    poles = tmp_path / "poles.csv"
    poles.write_text(poles.read_text(encoding="utf-8").replace(",rural,", ",rurale,", 1),
                     encoding="utf-8")
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:  # the recorded hash would catch it first
        del resource["hash"], resource["bytes"]
    (tmp_path / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert not report.valid
    assert "constraint-error" in {e.type for task in report.tasks for e in task.errors}


def test_every_bundled_pole_by_default(exported, run):
    assert sorted(p.name for p in exported.iterdir()) == sorted(FILES)
    lines = (exported / "poles.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 + BUNDLED
    assert (exported / "poles.csv").read_text(encoding="utf-8") == \
        run("list", "--cases", "all", "-f", "csv").stdout


def test_poles_csv_reads_back(exported, run):
    poles = exported / "poles.csv"
    checked = run("validate", poles)
    assert checked.exit_code == 0, checked.stdout
    again = run("list", "--cases", poles, "-f", "csv")
    assert again.exit_code == 0, again.stderr
    assert again.stdout == poles.read_text(encoding="utf-8")


def test_schemas_give_types_categories_descriptions_and_keys(descriptor):
    schema, fields = _fields(descriptor, "poles")
    assert [f["name"] for f in schema["fields"]] == ["pole_id", *FRAME_COLUMNS]
    assert schema["primaryKey"] == ["pole_id"]
    assert fields["start_year"]["type"] == "year" and fields["members"]["type"] == "integer"
    assert fields["origin"]["constraints"]["enum"] == list(vocabulary()["origin"].allowed)
    assert "unknown" in fields["laureate_2013"]["constraints"]["enum"]
    assert "not_applicable" in fields["laureate_2013"]["constraints"]["enum"]
    assert "Origin" in fields["origin"]["description"]
    assert "Origine" in fields["origin"]["description"]
    assert all(f.get("description") for f in schema["fields"])
    schema, fields = _fields(descriptor, "sources")
    assert [f["name"] for f in schema["fields"]] == list(SOURCES_COLUMNS)
    assert schema["foreignKeys"] == [{"fields": ["pole_id"], "reference": {
        "resource": "poles", "fields": ["pole_id"]}}]
    assert fields["basis"]["constraints"]["enum"] == ["stated", "inferred", "derived"]


def test_package_metadata(descriptor, exported):
    assert descriptor["name"] == "ptce-typology-data"
    assert [lic["name"] for lic in descriptor["licenses"]] == ["CC-BY-4.0"]
    assert descriptor["sources"][0]["path"] == "https://shs.hal.science/halshs-01142474"
    text = (exported / "datapackage.json").read_text(encoding="utf-8")
    assert date.today().isoformat() not in text and "created" not in descriptor


def test_sources_rows_carry_the_quote_of_each_cited_source():
    from ptce_typology import load_cases

    cases = load_cases("all")
    table = sources_table(cases)
    by_id = {c.pole_id: c for c in cases}
    assert len(table) > 1000
    assert not table.duplicated(["pole_id", "descriptor", "source_id"]).any()
    assert set(table["basis"]) == {"stated", "inferred"}
    assert table.loc[table["basis"] == "inferred", "rule"].notna().all()
    for row in table.sample(200, random_state=0).itertuples():
        source = by_id[row.pole_id].source(row.source_id)
        assert row.quote == source.quote and row.url == source.url
    paris = table[(table.pole_id == "paris_mix") & (table.descriptor == "origin")]
    assert list(paris["source_id"])[:2] == ["paper_origin", "citego_dossier"]
    assert set(paris["basis"]) == {"inferred"}
    assert paris["note"].iloc[0].startswith("The paper's category")
    assert set(paris["rule"]) == {"origin.citizen_associative.R1"}


def test_rerun_is_byte_identical_and_needs_force(exported, run, tmp_path):
    before = {name: (exported / name).read_bytes() for name in FILES}
    refused = run("export-data", "-o", exported)
    assert refused.exit_code == 1 and "--force" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert run("export-data", "-o", exported, "--force").exit_code == 0
    assert {name: (exported / name).read_bytes() for name in FILES} == before


def test_output_is_a_file(run, tmp_path):
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    result = run("export-data", "-o", target)
    assert result.exit_code == 1 and "error:" in result.stderr


def test_cases_option(run, tmp_path):
    from ptce_typology.resources import examples_dir

    result = run("export-data", "-o", tmp_path / "p", "--cases", examples_dir())
    assert result.exit_code == 0, result.stderr
    lines = (tmp_path / "p" / "poles.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and lines[1].startswith("le_periscope,")
