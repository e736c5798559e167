"""Every value shows its basis: stated (a cited quote says it) or inferred (with the reasoning),
in ``ptce show``, in the tidy table (``inferred``), ``ptce list --format json`` and the report."""

from __future__ import annotations

import json

from ptce_typology.intake.loading import load_cases
from ptce_typology.intake.records import inferred_text, inferred_values
from ptce_typology.render.casefile import case_json, describe_case


def _by_id(cases):
    return {c.pole_id: c for c in cases}


def test_describe_case_shows_basis_and_note(temoins):
    table = describe_case(_by_id(temoins)["paris_mix"])
    assert list(table.columns[:3]) == ["Value", "Basis", "Note"]
    assert table.loc["origin", "Basis"] == "inferred (rule origin.citizen_associative.R1)"
    assert "by elimination" in table.loc["origin", "Note"]
    assert table.loc["territory", "Basis"] == "stated"
    assert table.loc["website", "Basis"] == ""  # unknown, no source: no basis to show
    assert "basis=" not in " ".join(table["Value"])
    french = describe_case(_by_id(temoins)["paris_mix"], "fr")
    assert french.loc["origin", "Fondement"] == "déduit (règle origin.citizen_associative.R1)"


def test_case_json_carries_every_basis(temoins):
    data = case_json(_by_id(temoins)["paris_mix"])
    assert data["origin"]["basis"] == "inferred" and data["territory"]["basis"] == "stated"
    assert data["members"][0]["basis"] == "stated"
    # the origin, its two other readings and the shared premises rest on reasoning
    assert list(data["derived"]["inferred"]) == [
        "origin", "origin.alternatives.0", "origin.alternatives.1", "shared_premises"]
    assert data["derived"]["inferred"]["origin"].startswith("The paper's category")
    assert data["origin"]["rule"] == "origin.citizen_associative.R1"


def test_inferred_columns_follow_the_value_they_rest_on(temoins):
    coop = _by_id(temoins)["culture_et_cooperation"]
    assert coop.start_event().basis == "inferred"
    columns = inferred_values(coop)
    assert {"start_year", "age", "age_class"} <= set(columns)
    assert columns["age"].note == coop.start_event().note
    assert inferred_text(coop).split(";") == list(columns)


def test_frame_has_the_inferred_column(frame, temoins):
    assert frame.loc["paris_mix", "inferred"] == "origin;shared_premises"
    assert all(frame.loc[c.pole_id, "inferred"] == inferred_text(c) for c in temoins)


def test_list_json_lists_inferred_descriptors(run, frame):
    data = {row["pole_id"]: row for row in json.loads(run("list", "-f", "json").stdout)}
    assert data["paris_mix"]["inferred"] == ["origin", "shared_premises"]
    assert all(isinstance(row["inferred"], list) for row in data.values())
    assert data["culture_et_cooperation"]["inferred"] == \
        frame.loc["culture_et_cooperation", "inferred"].split(";")


def test_inferred_column_reads_back(run, tmp_path):
    path = tmp_path / "all.csv"
    assert run("list", "--cases", "all", "-f", "csv", "-o", path).exit_code == 0
    again = run("list", "--cases", path, "-f", "csv")
    assert again.exit_code == 0, again.stderr
    assert again.stdout == path.read_text(encoding="utf-8")


def test_an_unknown_name_in_the_inferred_column_is_reported(tmp_path):
    from ptce_typology.intake.validation import validate_paths

    path = tmp_path / "t.csv"
    path.write_text("pole_id,name,origin,territory,sector,source,inferred\n"
                    "p,P,citizen_associative,rural,production,https://example.org,"
                    "origin;orign\n", encoding="utf-8")
    issues = validate_paths([path]).issues
    assert [(i.code, i.field) for i in issues] == [("unknown-key", "inferred")]
    path.write_text(path.read_text(encoding="utf-8").replace(";orign", ""), encoding="utf-8")
    (case,) = load_cases([path])
    assert case.origin.basis == "inferred" and case.territory.basis == "stated"


def test_report_marks_inferred_values(temoins, frame):
    from ptce_typology.intake.records import inferred_notes
    from ptce_typology.render.poles import marked_table_html

    notes = inferred_notes(temoins)
    shown = ["name", "region", "start_year", "origin", "territory", "sector",
             "shared_premises", "employer_group", "members", "laureate_any"]
    for lang, mark in (("en", "(inferred)"), ("fr", "(inféré)")):
        section = marked_table_html(frame, shown, notes, lang)
        assert ('<span class="inferred" title="The paper&#x27;s category, the one the '
                'analyses use: by elimination') in section
        assert mark in section
    assert "(inferred)" not in marked_table_html(frame, shown, notes, "fr")
    # Without the notes the values stay marked, with no reasoning to show.
    assert '<span class="inferred" title="">' in marked_table_html(frame, shown, {}, "en")
