"""A study that mixes the témoins with other poles, across the years: roles, reference year,
every national call, contested codings (tests/fixtures/poles: eight real PTCE)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from ptce_typology.frame import load_frame
from ptce_typology.intake.schema import Case
from ptce_typology.resources import cases_dir, data_file

POLES = Path(__file__).parent / "fixtures" / "poles"
MIXED = ("--cases", str(cases_dir()), "--cases", str(POLES))


def test_reproduce_uses_the_temoins_only(run):
    alone = run("reproduce", "--format", "csv")
    mixed = run("reproduce", "--format", "csv", *MIXED)
    assert mixed.exit_code == alone.exit_code == 0
    assert mixed.stdout == alone.stdout
    assert "8 other poles left out" in mixed.stderr and "stras_eco_renov" in mixed.stderr


@pytest.mark.parametrize("year", [2011, 2015, 2025])
def test_no_negative_age_and_not_started(run, year):
    result = run("list", "--format", "csv", "--reference-year", str(year), *MIXED)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 20
    for row in rows:
        if row["age"] not in ("", "unknown"):
            assert int(row["age"]) >= 0
        if row["start_year"] and int(row["start_year"]) > year:
            assert row["age_class"] == "not_started" and row["age"] in ("", "unknown")


@pytest.mark.parametrize("year", [2011, 2018])
def test_a_table_written_with_any_reference_year_reads_back(run, tmp_path, year):
    result = run("list", "--format", "csv", "--reference-year", str(year), *MIXED)
    table = tmp_path / "poles.csv"
    table.write_text(result.stdout, encoding="utf-8")
    check = run("validate", str(table))
    assert check.exit_code == 0, check.stdout
    again = run("list", "--format", "csv", "--reference-year", str(year), "--cases", str(table))
    assert again.stdout == result.stdout


def test_every_call_is_recorded_and_not_applicable_is_derived():
    frame = load_frame([POLES])
    for pole in ("stras_eco_renov", "recycl_occ_textile", "edenn_toulouse"):
        assert frame.at[pole, "laureate_ami_2021"] == "yes"
        assert frame.at[pole, "laureate_any"] == "yes"
    # Started in 2018, after the 2013-14 call's results: not a "no", not applicable.
    assert frame.at["la_californie_toucy", "laureate_2013"] == "not_applicable"
    assert frame.at["la_californie_toucy", "laureate_ami_2023"] == "yes"
    assert frame.at["pope_bobigny", "laureate_2013"] == "unknown"  # its start is unknown


def test_a_typed_not_applicable_is_refused(tmp_path):
    text = (POLES / "pope_bobigny.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    typed = text.replace("ami_2021: {value: unknown}", "ami_2021: {value: not_applicable}")
    assert typed != text
    bad.write_text(typed, encoding="utf-8")
    from ptce_typology.intake.validation import validate_paths

    report = validate_paths([bad])
    assert ("unknown-category", "national_calls.ami_2021.value") in [
        (i.code, i.field) for i in report.issues]


def test_compare_by_a_later_call_leaves_out_who_had_not_started(run):
    result = run("compare", "--by", "laureate_2013", *MIXED)
    assert result.exit_code == 0, result.stderr
    assert "Left out (laureate_2013: not_applicable)" in result.stderr
    assert "la_californie_toucy" in result.stderr


def test_classify_reports_the_cluster_under_each_alternative(run):
    result = run("classify", str(POLES / "stras_eco_renov.yaml"),
                 str(POLES / "edenn_toulouse.yaml"), "--format", "json")
    assert result.exit_code == 0, result.stderr
    poles = {p["pole_id"]: p for p in json.loads(result.stdout)["poles"]}
    edenn = poles["edenn_toulouse"]
    assert [(a["descriptor"], a["value"]) for a in edenn["alternatives"]] == [
        ("origin", "local_authority")]
    # No témoin holds local_authority: the reading is placed without it, and says so.
    assert edenn["alternatives"][0]["unseen"] == ["origin=local_authority"]
    assert any(f["code"] == "not_started" for f in edenn["flags"])


def test_the_new_template_holds_every_field_of_the_schema(tmp_path, run):
    result = run("new", "my_pole", "-o", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "my_pole.yaml").read_text(encoding="utf-8")
    for field in Case.model_fields:
        assert f"\n{field}:" in text or text.startswith(f"{field}:"), field
    for call in ("call_2013", "call_2015", "ami_2021", "ami_2023", "ami_2024", "ami_2025"):
        assert f"{call}:" in text
    assert "2026" not in text and "YYYY" in text  # placeholders, not this year
    assert run("validate", str(tmp_path / "my_pole.yaml")).exit_code == 0
    assert data_file("case_template.yaml").is_file()


def _refuse(*args, **kwargs):
    raise AssertionError("the report recomputed or re-read something the study holds")


def test_the_report_title_and_sections_follow_the_data(tmp_path, monkeypatch):
    from ptce_typology.analysis.typology import Typology
    from ptce_typology.intake import records, validation, yamlread
    from ptce_typology.render.html import render_html
    from ptce_typology.resources import examples_dir
    from ptce_typology.study import run_study

    study = run_study([cases_dir(), POLES], [examples_dir() / "le_periscope.yaml"],
                      resamples=5)
    # The report renders the study: it places, projects, reads and infers nothing again.
    for owner, name in ((Typology, "transform"), (Typology, "classify"),
                        (Typology, "fit"), (yamlread, "read_bytes"),
                        (validation, "read_inputs"), (records, "inferred_values"),
                        (Path, "read_bytes")):
        monkeypatch.setattr(owner, name, _refuse)
    page = render_html(study, "en")
    assert "le_periscope" in page.split('id="classification"')[1]
    assert "<h1>PTCE typology: 12 témoin poles of Podlewski (2014) and 8 other poles</h1>" in page
    # The paper's sections name the poles they leave out, and why.
    assert page.count("The paper&#x27;s tables and claims are about its témoins: 8 other "
                      "poles are left out") == 2
    assert "Stras Eco Renov" in page.split('id="reproduction"')[1].split("</section>")[0]
    # The comparison names who had not started at the call's results, apart from unknowns.
    comparison = page.split('id="comparison"')[1].split("</section>")[0]
    assert "Not applicable" in comparison and "La Californie" in comparison
    assert study.claims is not None and len(study.claims) == 33  # the témoins' claims only
    french = render_html(study, "fr")
    assert "<h1>Typologie des PTCE : 12 pôles témoins de Podlewski (2014) et 8 autres pôles" \
        in french


def test_one_separator_for_every_cell_of_the_typology_table(run):
    """PEPSS 30's name holds a comma, so every cell of the poles column uses « ; », not only
    the cell it is in."""
    result = run("typology", "--cases", "all", "--format", "md")
    assert result.exit_code == 0, result.stderr
    cells = [line.rsplit("|", 2)[1].strip() for line in result.stdout.splitlines()
             if line.startswith("|") and not line.startswith("|---")][1:]
    several = [c for c in cells if "; " in c or ", " in c]
    assert len(several) > 10 and all("; " in c for c in several)


def test_the_factor_map_names_the_temoins_and_counts_the_many_others():
    """Past NAMED_OTHERS_MAX other poles, the map draws them unnamed (placing 68 names took
    adjustText over 20 s and left them unreadable) and its legend says how many there are."""
    from ptce_typology.analysis.typology import Typology
    from ptce_typology.frame import load_frame
    from ptce_typology.render.plots import NAMED_OTHERS_MAX, factor_map

    frame = load_frame(["all"])
    names, roles = frame["name"].to_dict(), frame["role"].to_dict()
    model = Typology().fit(frame)
    others = [p for p in model.labels_.index if roles[p] != "temoin"]  # the poles clustered
    assert len(others) > NAMED_OTHERS_MAX
    figure = factor_map(model, names, "fr", roles=roles)
    ax = figure.axes[0]
    shown = {t.get_text() for t in ax.texts}
    assert {names[p] for p, r in roles.items() if r == "temoin"} <= shown
    assert not shown & {names[p] for p in others}
    legend = [t.get_text() for t in figure.legends[0].get_texts()]  # below the plot
    assert (f"autre pôle (pas un témoin ; {len(others)} sur {len(others)} non nommés : voir "
            "les tableaux)") in legend
    # --label-poles names the poles it gives; the legend counts the others.
    chosen = others[:3]
    figure = factor_map(model, names, "en", roles=roles, label_poles=chosen)
    shown = {t.get_text() for t in figure.axes[0].texts}
    assert {names[p] for p in chosen} <= shown
    assert not shown & {names[p] for p in others[3:]}
    legend = [t.get_text() for t in figure.legends[0].get_texts()]
    assert (f"other pole (not a témoin; {len(others) - 3} of {len(others)} not named: see "
            "the tables)") in legend
