"""Every command on the bundled data, as a user would run it."""

from __future__ import annotations

import json

import pytest

from ptce_typology.cli import app
from ptce_typology.resources import examples_dir


def _commands():
    import typer.main

    return sorted(typer.main.get_command(app).commands)


@pytest.mark.parametrize("name", _commands())
def test_every_command_has_help_with_an_example(run, name):
    result = run(name, "--help")
    assert result.exit_code == 0
    assert "Example: ptce " in result.stdout


def test_top_help_and_version(run):
    assert "Example:" in run("--help").stdout
    assert run("--version").stdout.startswith("ptce-typology ")


def test_validate_bundled_and_example(run):
    result = run("validate")  # every bundled pole and the example
    assert result.exit_code == 0 and "69 case(s): valid" in result.stderr
    result = run("validate", "all")
    assert result.exit_code == 0 and "68 case(s): valid" in result.stderr
    result = run("validate", examples_dir() / "le_periscope.yaml")
    assert result.exit_code == 0


def test_validate_json(run):
    data = json.loads(run("validate", "--format", "json").stdout)
    assert data["valid"] is True and len(data["cases"]) >= 45 + 12


def test_list_csv_has_twelve_rows(run):
    result = run("list", "--format", "csv")
    assert result.exit_code == 0
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 13 and lines[0].startswith("pole_id,name,")


def test_list_json_equals_the_library(run, frame):
    data = json.loads(run("list", "--format", "json").stdout)
    assert [row["pole_id"] for row in data] == list(frame.index)
    assert data[0]["territory"] == frame.iloc[0]["territory"]
    assert data[0]["age"] == int(frame.iloc[0]["age"])


def test_list_labels_in_french(run):
    result = run("list", "--format", "md", "--lang", "fr")
    assert "Quartier populaire urbain" in result.stdout and "| Territoire |" in result.stdout


def test_list_to_missing_folder_is_one_line_error(run, tmp_path):
    result = run("list", "--format", "csv", "-o", tmp_path / "nope" / "x.csv")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and "output folder does not exist" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_list_xlsx_needs_an_output_file(run):
    result = run("list", "--format", "xlsx")
    assert result.exit_code == 1 and "binary" in result.stderr


def test_show_a_pole_with_its_sources(run):
    result = run("show", "paris_mix", "--format", "csv")
    assert result.exit_code == 0
    assert "created_2008" in result.stdout and "citego.org" in result.stdout
    data = json.loads(run("show", "le_periscope", "--format", "json").stdout)
    assert data["pole_id"] == "le_periscope" and data["derived"]["start_year"] == 2012


def test_show_unknown_pole(run):
    result = run("show", "nowhere")
    assert result.exit_code == 1 and "allowed: " in result.stderr


def test_new_writes_a_valid_template_and_never_overwrites(run, tmp_path):
    result = run("new", "my_pole", "-o", tmp_path)
    assert result.exit_code == 0
    path = tmp_path / "my_pole.yaml"
    assert run("validate", path).exit_code == 0
    path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    before = path.read_bytes()
    result = run("new", "my_pole", "-o", tmp_path)
    assert result.exit_code == 1 and "already exists" in result.stderr
    assert path.read_bytes() == before


def test_new_rejects_a_bad_id(run, tmp_path):
    result = run("new", "My Pole", "-o", tmp_path)
    assert result.exit_code == 1 and "snake_case" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_schema_is_json_schema(run):
    schema = json.loads(run("schema").stdout)
    assert schema["title"] == "ptce-typology case file"
    territory = schema["$defs"]["Territory"]["properties"]["value"]
    assert "urban_popular_neighbourhood" in territory["enum"]
