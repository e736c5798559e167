"""The référentiel as data, the evidence rules and the gap matrix."""

from __future__ import annotations

import json

import pytest
import yaml
from conftest import normalise

from ptce_typology import cases_frame, load_cases
from ptce_typology.analysis.referentiel import gap_matrix
from ptce_typology.intake.loading import assessments
from ptce_typology.intake.referentiel import load_referentiel
from ptce_typology.render.referentiel import referentiel_tree
from ptce_typology.resources import cases_dir, data_file


@pytest.fixture(scope="module")
def ref():
    return load_referentiel()


def test_three_general_and_nine_main_objectives(ref):
    assert len(ref.general_objectives) == 3 and len(ref.main_objectives) == 9
    assert ref.indicators.count.first_version == 27 and ref.indicators.count.updated == 36
    assert ref.indicators.items == []  # no source lists them; none is invented
    assert all(o.general_objective == "unknown" for o in ref.main_objectives)


def test_objective_names_are_the_papers(ref, paper_text):
    for source in ref.sources:
        if source.url == "https://shs.hal.science/halshs-01142474" and source.quote:
            assert normalise(source.quote) in paper_text, source.id
    for obj in ref.general_objectives:
        assert normalise(obj.fr).lower() in paper_text.lower()


def test_tree(ref):
    tree = referentiel_tree(ref, "fr")
    assert list(tree["level"]).count("main") == 9
    assert set(tree.loc[tree["level"] == "main", "under"]) == {"inconnu (aucune source)"}


def test_rules_are_marked_as_this_projects(ref):
    assert "not the Labo" in ref.evidence_rules.operationalisation


def test_gap_on_the_bundled_data(temoins, frame, ref):
    result = gap_matrix(frame, ref, assessments(temoins))
    status = result["status"]
    assert status.shape == (12, 9)
    assert status.at["paris_mix", "cooperate_pool"] == "evidenced"       # shared premises
    assert status.at["pole_sud_archer", "citizen_governance"] == "not_evidenced"
    assert status.at["domb_innov", "cooperate_pool"] == "unknown"        # both unknown
    assert (status["ethics_values"] == "not_operationalised").all()
    summary = result["summary"]
    assert summary.at["citizen_governance", "evidenced"] == 9
    assert summary.at["citizen_governance", "share_evidenced"] == pytest.approx(0.75)


def test_user_indicator_with_scores_changes_the_matrix(tmp_path, ref):
    spec = yaml.safe_load(data_file("referentiel.yaml").read_text(encoding="utf-8"))
    spec["user_indicators"] = [{"id": "ethics_charter", "objective": "ethics_values",
                                "fr": "Charte éthique", "en": "Ethics charter",
                                "evidenced_at": 1}]
    custom = tmp_path / "referentiel.yaml"
    custom.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    scored = (cases_dir() / "paris_mix.yaml").read_text(encoding="utf-8").replace(
        "\nsources:\n", "\nassessment:\n  ethics_charter: {score: 1, sources: [citego_318]}\n"
        "\nsources:\n")
    low = (cases_dir() / "fontaine_o_livres.yaml").read_text(encoding="utf-8").replace(
        "\nsources:\n", "\nassessment:\n  ethics_charter: {score: 0, sources: [avise]}\n"
        "\nsources:\n")
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "paris_mix.yaml").write_text(scored, encoding="utf-8")
    (folder / "fontaine_o_livres.yaml").write_text(low, encoding="utf-8")
    (folder / "domb_innov.yaml").write_text(
        (cases_dir() / "domb_innov.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    plain = load_cases([cases_dir() / f"{p}.yaml" for p in
                        ("domb_innov", "fontaine_o_livres", "paris_mix")])
    before = gap_matrix(cases_frame(plain), ref, assessments(plain))["status"]
    assert set(before["ethics_values"]) == {"not_operationalised"}
    unscored = gap_matrix(cases_frame(plain), load_referentiel(custom),
                          assessments(plain))["status"]
    assert set(unscored["ethics_values"]) == {"unknown"}
    cases = load_cases(folder)
    frame = cases_frame(cases)
    after = gap_matrix(frame, load_referentiel(custom), assessments(cases))["status"]
    assert after.at["paris_mix", "ethics_values"] == "evidenced"
    assert after.at["fontaine_o_livres", "ethics_values"] == "not_evidenced"
    assert after.at["domb_innov", "ethics_values"] == "unknown"      # not scored
    # other objectives are untouched
    others = after.drop(columns="ethics_values")
    assert (others == before.loc[after.index].drop(columns="ethics_values")).all().all()


def test_assessment_of_an_undefined_indicator_is_a_user_error(tmp_path, ref):
    from ptce_typology.errors import PtceError

    text = (cases_dir() / "paris_mix.yaml").read_text(encoding="utf-8").replace(
        "\nsources:\n", "\nassessment:\n  nowhere: {score: 1, sources: [citego_318]}\n"
        "\nsources:\n")
    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
    cases = load_cases(tmp_path / "p.yaml")
    with pytest.raises(PtceError, match="indicator"):
        gap_matrix(cases_frame(cases), ref, assessments(cases))


def test_bad_referentiel_is_one_line(run, tmp_path):
    path = tmp_path / "r.yaml"
    spec = yaml.safe_load(data_file("referentiel.yaml").read_text(encoding="utf-8"))
    spec["evidence_rules"]["rules"][0]["objective"] = "world_peace"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    result = run("gap", "--referentiel", path)
    assert result.exit_code == 1 and "world_peace" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_referentiel_cli(run):
    data = json.loads(run("referentiel", "--format", "json").stdout)
    assert len(data["main_objectives"]) == 9
    assert "Cultiver et servir un territoire" in run("referentiel", "--lang", "fr",
                                                      "-f", "md").stdout


def test_gap_cli(run, tmp_path, golden):
    result = run("gap", "--format", "json", "--plot", tmp_path / "gap.png")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["status"]["paris_mix"]["cooperate_pool"] == "evidenced"
    assert (tmp_path / "gap.png").stat().st_size > 10000
    golden("gap.md", run("gap", "--format", "md").stdout)


def test_no_share_where_no_value_is_known(run):
    # Partnerships: every témoin's funding_private is unknown, so that 0 % would be a claim
    # the data cannot make.
    for lang, words in (("en", "— (no value known)"), ("fr", "— (aucune valeur connue)")):
        out = run("gap", "--format", "md", "--lang", lang).stdout
        rows = [line for line in out.splitlines() if "| 0 | 0 | 12 | 0 |" in line]
        assert rows and all(line.endswith(f"| {words} |") for line in rows), rows
        assert "| 0 | 0 | 12 | 0 | 0.0 %" not in out and "| 0 | 0 | 12 | 0 | 0,0 %" not in out
