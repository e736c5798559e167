"""Agreement of two codings: κ and α against hand computations and published examples, the
matching of poles, the disagreements and their recorded readings, the command."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import yaml
from conftest import FIXTURES

from ptce_typology.analysis.agreement import (
    DEFAULT_DESCRIPTORS,
    agreement,
    alternatives_to_add,
    cohen_kappa,
    krippendorff_alpha,
    match_poles,
)
from ptce_typology.frame import coding_of
from ptce_typology.intake.loading import load_cases

A, B = FIXTURES / "agreement" / "a", FIXTURES / "agreement" / "b"

# Krippendorff (2011), « Computing Krippendorff's Alpha-Reliability », section A: binary data,
# two observers, ten units, no missing data; published α = 0.095.
BEN = np.array([0, 1, 0, 0, 0, 0, 0, 0, 1, 0], dtype=float)
GERRY = np.array([1, 1, 1, 0, 0, 1, 0, 0, 0, 0], dtype=float)


def test_alpha_equals_krippendorffs_published_binary_example():
    assert round(krippendorff_alpha(BEN, GERRY), 3) == 0.095


def test_alpha_equals_the_hand_computation():
    # Coincidences: 5 units (0,0) give o00 = 10, 1 unit (1,1) gives o11 = 2, 4 mismatched
    # units give o01 = o10 = 4; n0 = 14, n1 = 6, n = 20.
    # α = 1 - (n - 1) * o01 / (n0 * n1) = 1 - 19 * 4 / 84.
    assert krippendorff_alpha(BEN, GERRY) == pytest.approx(1 - 19 * 4 / 84, abs=1e-12)


def test_alpha_leaves_out_a_unit_one_side_did_not_code():
    a, b = BEN.copy(), GERRY.copy()
    a = np.append(a, 1.0)
    b = np.append(b, np.nan)
    assert krippendorff_alpha(a, b) == pytest.approx(krippendorff_alpha(BEN, GERRY))


def test_the_alpha_library_gives_krippendorffs_nominal_example():
    """Krippendorff (2011), section C: four observers, twelve units, missing values;
    published nominal α = 0.743."""
    import krippendorff

    nan = np.nan
    data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
            [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
            [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
            [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan]]
    assert round(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"),
                 3) == 0.743


def test_kappa_equals_the_hand_computation():
    # p_o = 6/10; p_e = 0.2 * 0.4 + 0.8 * 0.6 = 0.56; κ = (0.6 - 0.56) / 0.44.
    assert cohen_kappa(BEN, GERRY) == pytest.approx((0.6 - 0.56) / 0.44, abs=1e-12)


def test_kappa_of_the_textbook_yes_no_table():
    """50 items: yes/yes 20, yes/no 5, no/yes 10, no/no 15: κ = 0.4 (the example most
    textbooks and Wikipedia use)."""
    a = np.array([1] * 25 + [0] * 25)
    b = np.array([1] * 20 + [0] * 5 + [1] * 10 + [0] * 15)
    assert cohen_kappa(a, b) == pytest.approx(0.4, abs=1e-12)


def test_kappa_equals_scikit_learn():
    from sklearn.metrics import cohen_kappa_score

    rng = np.random.default_rng(3)
    for _ in range(20):
        a = rng.integers(0, 4, 30)
        b = np.where(rng.random(30) < 0.6, a, rng.integers(0, 4, 30))
        assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b), abs=1e-12)


def test_kappa_is_undefined_when_both_use_one_category():
    assert math.isnan(cohen_kappa(np.zeros(5), np.zeros(5)))


@pytest.fixture(scope="module")
def codings():
    return (coding_of(load_cases(A), DEFAULT_DESCRIPTORS),
            coding_of(load_cases(B), DEFAULT_DESCRIPTORS))


@pytest.fixture(scope="module")
def result(codings):
    return agreement(*codings, resamples=200, seed=1)


def test_poles_are_matched_by_id_then_name_or_alias(codings):
    pairs = match_poles(*codings).set_index("pole_a")
    assert pairs.loc["pole_one", "matched_by"] == "pole_id"
    assert pairs.loc["pole_two", "pole_b"] == "other_id_two"
    assert pairs.loc["pole_two", "matched_by"] == "alias"
    assert "pole_five" not in pairs.index


def test_counts_disagreements_and_recorded_readings(result):
    c = result.coefficients
    assert c.loc["origin", "n_both"] == 4 and c.loc["origin", "n_agree"] == 2
    assert c.loc["shared_premises", "n_both"] == 3  # unknown is missing, not a category
    assert c.loc["employer_group", "n_both"] == 2
    assert c.loc["origin", "n_disagree"] == 2 and c.loc["origin", "n_recorded"] == 1
    assert c.loc["all", "n_both"] == 21 and c.loc["all", "n_units"] == 24
    recorded = result.disagreements.set_index(["pole_a", "descriptor"])["recorded"]
    assert recorded[("pole_two", "origin")] and not recorded[("pole_three", "origin")]
    assert result.unmatched == {"a": ["pole_five"], "b": ["pole_six"]}


def test_coefficients_equal_the_functions_on_the_matched_codes(result):
    a = np.array([0, 1, 0, 3], dtype=float)  # origin, pairs in pole_one, two, three, four
    b = np.array([0, 0, 4, 3], dtype=float)
    assert result.coefficients.loc["origin", "kappa"] == pytest.approx(cohen_kappa(a, b))
    assert result.coefficients.loc["origin", "alpha"] == pytest.approx(
        krippendorff_alpha(a, b))
    assert result.coefficients.loc["origin", "observed"] == 0.5


def test_intervals_hold_the_estimate_and_are_seeded(codings, result):
    c = result.coefficients
    assert c.loc["all", "alpha_low"] <= c.loc["all", "alpha"] <= c.loc["all", "alpha_high"]
    again = agreement(*codings, resamples=200, seed=1)
    assert again.coefficients.equals(result.coefficients)


def test_confusion_table(result):
    table = result.confusion["origin"]
    assert table.loc["citizen_associative", "other"] == 1
    assert table.to_numpy().sum() == 4


def test_alternatives_to_add_only_unrecorded_readings(result, codings):
    additions = alternatives_to_add(result, codings[1])
    assert set(additions) == {"pole_three"}
    origin = additions["pole_three"]["origin"]
    assert origin["alternatives"][0]["value"] == "other"
    assert origin["alternatives"][0]["sources"] == ["second_coding_s1"]
    assert origin["sources"][0]["quote"] == "coding b quote"


def test_command_json_equals_the_library_and_writes_alternatives(run, tmp_path, result):
    out = tmp_path / "alternatives.yaml"
    done = run("agreement", A, B, "--resamples", "200", "--seed", "1", "--format", "json",
               "--alternatives-out", out)
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout) == json.loads(json.dumps(result.to_dict()))
    assert "pole_three" in yaml.safe_load(out.read_text(encoding="utf-8"))
    assert "pole_five" in done.stderr


def test_command_in_french_has_french_headings(run):
    done = run("agreement", A, B, "--resamples", "20", "--format", "md", "--lang", "fr")
    assert done.exit_code == 0, done.output
    assert "κ de Cohen" in done.stdout and "contesté, consigné" in done.stdout
    assert "Cohen's" not in done.stdout and "recorded" not in done.stdout


def test_no_pole_in_common_is_one_error(run, tmp_path):
    done = run("agreement", A / "pole_five.yaml", B / "pole_six.yaml")
    assert done.exit_code == 1
    assert "no pole in common" in done.stderr
