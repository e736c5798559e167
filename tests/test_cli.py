"""Every command on the bundled data, as a user would run it."""

from __future__ import annotations

import json

import pytest
from conftest import BUNDLED

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
    assert result.exit_code == 0 and f"{BUNDLED + 1} case(s): valid" in result.stderr
    result = run("validate", "all")
    assert result.exit_code == 0 and f"{BUNDLED} case(s): valid" in result.stderr
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


def test_show_gives_a_category_and_its_details_in_words(run):
    """A value with other fields (a sector and its theme, shared premises and their year) shows
    the category's label, then each field named in the language; no « value=… » key."""
    import csv
    import io

    for lang, sector, premises in (
            ("fr", "Industries créatrices et culturelles; thème : music", "Oui; lieu : "),
            ("en", "Creative and cultural industries; theme: music", "Yes; premises: ")):
        result = run("show", "paris_mix", "--format", "csv", "--lang", lang)
        assert result.exit_code == 0, result.stderr
        rows = {r[0]: r[1] for r in csv.reader(io.StringIO(result.stdout))}
        assert rows["sector"].startswith(sector)
        assert rows["shared_premises"].startswith(premises)
        assert rows["shared_premises"].endswith("2010")
        assert not any("value=" in v for v in rows.values())


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


# --format json equals the library's result, written as JSON (not only "the keys exist").

QCA_CONDITIONS = ["SEG:origin=social_enterprise_group", "DEIND:territory=deindustrialised"]


def as_json(data):
    """The library's result as the commands write it: through to_json, read back."""
    from ptce_typology.render.formats import to_json

    return json.loads(to_json(data))


@pytest.fixture(scope="module")
def loaded():
    from ptce_typology.frame import load_frame

    return load_frame(None)


def _json(run, *args):
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_validate_json_equals_the_library(run):
    from ptce_typology.intake.validation import validate_paths
    from ptce_typology.resources import examples_dir, resolve_paths

    expected = validate_paths([*resolve_paths("all"), examples_dir()]).to_dict()
    assert _json(run, "validate") == as_json(expected)


def test_list_and_show_json_equal_the_library(run, loaded):
    from ptce_typology.intake.loading import load_cases
    from ptce_typology.render.casefile import case_json
    from ptce_typology.render.poles import poles_json
    from ptce_typology.resources import cases_dir, examples_dir

    assert _json(run, "list") == as_json(poles_json(loaded))
    case = next(c for c in load_cases([cases_dir(), examples_dir()])
                if c.pole_id == "paris_mix")
    assert _json(run, "show", "paris_mix") == as_json(case_json(case))


def test_typology_json_equals_the_library(run, loaded):
    from ptce_typology.analysis.paper import crosstab_table, typology_table
    from ptce_typology.render.paper import crosstab_json, typology_json

    assert _json(run, "typology") == as_json(typology_json(typology_table(loaded), loaded))
    assert _json(run, "typology", "--by", "sector", "--lang", "fr") == as_json(
        crosstab_json(crosstab_table(loaded, "territory", "sector"), "fr"))


def test_reproduce_json_equals_the_library(run, loaded):
    from ptce_typology.analysis.claims import reproduce_claims
    from ptce_typology.intake.claims import load_claims
    from ptce_typology.render.paper import claims_json

    table = reproduce_claims(loaded, load_claims())
    assert _json(run, "reproduce") == as_json(claims_json(table))
    assert _json(run, "reproduce", "--lang", "fr") == as_json(claims_json(table, "fr"))


def test_compare_and_qca_json_equal_the_library(run, loaded):
    from ptce_typology.analysis.comparison import compare_groups
    from ptce_typology.analysis.qca import qca
    from ptce_typology.render.comparison import comparison_json
    from ptce_typology.render.qca import qca_json

    assert _json(run, "compare") == as_json(comparison_json(compare_groups(loaded)))
    assert _json(run, "compare", "--by", "territory", "--correction", "bh") == as_json(
        comparison_json(compare_groups(loaded, by="territory", correction="bh")))
    got = _json(run, "qca", "--outcome", "laureate_2013", "--conditions",
                ",".join(QCA_CONDITIONS))
    assert got == as_json(qca_json(qca(loaded, "laureate_2013", QCA_CONDITIONS)))


def test_referentiel_and_gap_json_equal_the_library(run):
    from ptce_typology.analysis.referentiel import gap_matrix
    from ptce_typology.frame import cases_frame
    from ptce_typology.intake.loading import assessments, load_cases
    from ptce_typology.intake.referentiel import load_referentiel
    from ptce_typology.render.referentiel import gap_json, referentiel_json

    ref = load_referentiel()
    assert _json(run, "referentiel") == as_json(referentiel_json(ref))
    cases = load_cases(None)
    result = gap_matrix(cases_frame(cases), ref, assessments(cases))
    assert _json(run, "gap") == as_json(gap_json(result, ref))


def test_clusters_and_classify_json_equal_the_library(run, loaded):
    from ptce_typology.analysis.sensitivity import HEADLINE_COMPLETIONS, sensitivity
    from ptce_typology.analysis.typology import Typology, placement_records
    from ptce_typology.frame import load_frame
    from ptce_typology.render.typology import cluster_names, clusters_json

    model = Typology(seed=0).fit(loaded)
    headline = sensitivity(model, max_exhaustive=HEADLINE_COMPLETIONS,
                           n_sampled=HEADLINE_COMPLETIONS)
    from ptce_typology.analysis.clouds import plane_clouds

    assert _json(run, "clusters", "--resamples", "0") == as_json(
        clusters_json(model, None, headline=headline, clouds=plane_clouds(model)))
    path = examples_dir() / "le_periscope.yaml"
    expected = {"cluster_names": {str(c): n for c, n in cluster_names(model).items()},
                "poles": placement_records(model.classify(load_frame([path])))}
    assert _json(run, "classify", path) == as_json(expected)


def test_the_script_collects_less_and_freezes_what_is_left(monkeypatch):
    """`ptce` (``run``) raises the collector's threshold for its one command and freezes the
    heap at the end, so the exit does not walk it; the command's exit status is kept. It
    turns pydantic's plugin search off and keeps a thread count the user set."""
    import gc
    import os
    import sys

    import ptce_typology.cli as cli

    seen = {}

    def command() -> None:
        seen["threshold"] = gc.get_threshold()
        seen["frozen"] = gc.get_freeze_count()
        seen["plugins"] = os.environ.get("PYDANTIC_DISABLE_PLUGINS")
        seen["blas"] = os.environ.get("OPENBLAS_NUM_THREADS")
        sys.exit(3)

    monkeypatch.setattr(cli, "main", command)
    # Its start-up settings, unless the user set them.
    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "2")
    before = gc.get_threshold()
    try:
        with pytest.raises(SystemExit) as done:
            cli.run()
        assert done.value.code == 3
        assert seen["threshold"] == cli.SCRIPT_GC_THRESHOLD != before
        assert seen["frozen"] == 0 and gc.get_freeze_count() > 0
        assert (seen["plugins"], seen["blas"]) == ("__all__", "2")
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_python_m_runs_the_script():
    """``python -m ptce_typology.cli`` is the script: output, then the exit status."""
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "ptce_typology.cli", "show", "no_such_pole"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    ok = subprocess.run([sys.executable, "-m", "ptce_typology.cli", "list", "--format", "csv"],
                        capture_output=True, text=True, check=False)
    assert ok.returncode == 0 and len(ok.stdout.splitlines()) == 13


def test_help_lists_the_columns_by_and_outcome_take(run):
    from ptce_typology.columns import CATEGORY_COLUMNS, NUMERIC_COLUMNS

    for command in (("compare",), ("typology",), ("qca",)):
        page = " ".join(run(*command, "--help", env={"COLUMNS": "100"}).stdout.split())
        wanted = CATEGORY_COLUMNS + (NUMERIC_COLUMNS if command == ("qca",) else ())
        for column in wanted:
            assert column in page, (command, column)


def test_help_neither_cuts_nor_splits_words(run):
    from ptce_typology.analysis.typology import DEFAULT_ACTIVE

    for width in ("60", "80", "100"):
        page = run("--help", env={"COLUMNS": width}).stdout
        commands = page[page.index("Commands:"):]
        assert "..." not in commands and "…" not in commands
        # every command's first sentence, whole
        assert "never overwrites an existing file." in " ".join(page.split())
        clusters = run("clusters", "--help", env={"COLUMNS": width}).stdout
        words = set(clusters.replace(",", " ").replace(".", " ").split())
        assert set(DEFAULT_ACTIVE) <= words, width
