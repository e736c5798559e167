"""Every kind of broken input gets its stable code, a one-line message and exit code 1."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import FIXTURES

from ptce_typology.errors import ISSUE_CODES, Issue
from ptce_typology.intake.loading import load_cases
from ptce_typology.intake.validation import validate_paths

BAD = sorted((FIXTURES / "bad").iterdir())


def _code(path: Path) -> str:
    return path.name.split(".")[0]


def _digest(path: Path) -> str:
    files = sorted(path.rglob("*")) if path.is_dir() else [path]
    return hashlib.sha256(b"".join(f.read_bytes() for f in files if f.is_file())).hexdigest()


def test_every_code_has_a_fixture():
    assert {_code(p) for p in BAD} == set(ISSUE_CODES)


@pytest.mark.parametrize("path", BAD, ids=_code)
def test_bad_input_gives_its_code(run, path):
    before = _digest(path)
    result = run("validate", path)
    assert result.exit_code == 1
    assert f"[{_code(path)}]" in result.stdout
    assert "Traceback" not in result.output
    lines = [line for line in result.stdout.splitlines() if f"[{_code(path)}]" in line]
    assert lines and all(str(path.name) in line or path.is_dir() for line in lines)
    assert _digest(path) == before  # the input is never modified


@pytest.mark.parametrize("path", BAD, ids=_code)
def test_loading_bad_input_is_one_line_error(run, path):
    result = run("list", "--cases", path)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.output


def test_debug_shows_the_traceback(run):
    result = run("--debug", "list", "--cases", FIXTURES / "bad" / "unknown-category.yaml")
    assert result.exit_code != 0
    assert type(result.exception).__name__ == "ValidationFailed"


def test_issue_names_file_line_field_value_and_allowed():
    report = validate_paths([FIXTURES / "bad" / "unknown-category.yaml"])
    (issue,) = report.issues
    assert issue.code == "unknown-category"
    assert issue.file.endswith("unknown-category.yaml")
    assert issue.line == 10
    assert issue.field == "territory.value"
    assert issue.value == "urban"
    assert issue.allowed == ("deindustrialised", "periurban", "rural",
                             "urban_popular_neighbourhood", "other", "unknown")
    assert "did you mean 'periurban'?" in issue.one_line()


def test_typo_in_key_gets_did_you_mean():
    report = validate_paths([FIXTURES / "bad" / "unknown-key.yaml"])
    messages = [i.one_line() for i in report.issues if i.code == "unknown-key"]
    assert messages and "did you mean 'territory'?" in messages[0]


def test_every_problem_in_every_file_is_reported(tmp_path):
    good = (FIXTURES / "good" / "minimal.yaml").read_text(encoding="utf-8")
    (tmp_path / "a.yaml").write_text(good.replace("value: rural", "value: urban")
                                     .replace("year: 2005", "year: soon"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(good.replace("test_pole", "other_pole")
                                     .replace("[s1]}\nsector", "[s9]}\nsector"),
                                     encoding="utf-8")
    report = validate_paths([tmp_path])
    codes = sorted((Path(i.file).name, i.code) for i in report.issues)
    assert codes == [("a.yaml", "unknown-category"), ("a.yaml", "wrong-type"),
                     ("b.yaml", "unknown-source")]


def test_unsafe_tag_executes_nothing(tmp_path):
    marker = tmp_path / "pwned"
    text = (FIXTURES / "good" / "minimal.yaml").read_text(encoding="utf-8").replace(
        "name: Test pole", f'name: !!python/object/apply:os.system ["touch {marker}"]')
    (tmp_path / "x.yaml").write_text(text, encoding="utf-8")
    report = validate_paths([tmp_path / "x.yaml"])
    assert [i.code for i in report.issues] == ["yaml-unsafe-tag"]
    assert not marker.exists()


def test_deep_nesting_is_refused(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 200 + "]" * 200 + "\n", encoding="utf-8")
    report = validate_paths([path])
    assert [i.code for i in report.issues] == ["yaml-too-complex"]


def test_recursive_alias_is_refused(tmp_path):
    path = tmp_path / "rec.yaml"
    path.write_text("a: &x\n  b: *x\n", encoding="utf-8")
    report = validate_paths([path])
    assert [i.code for i in report.issues] == ["yaml-too-complex"]


def test_bom_and_crlf_are_accepted(tmp_path):
    text = (FIXTURES / "good" / "minimal.yaml").read_text(encoding="utf-8")
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert validate_paths([path]).ok


def test_yes_no_unquoted_are_read_as_categories():
    (case,) = load_cases([FIXTURES / "good" / "minimal.yaml"])
    assert case.shared_premises.value == "no"


def test_unregistered_issue_code_is_a_bug():
    with pytest.raises(ValueError):
        Issue("no-such-code", "f", "m")


def test_duplicate_key_names_both_lines():
    report = validate_paths([FIXTURES / "bad" / "yaml-duplicate-key.yaml"])
    (issue,) = report.issues
    assert issue.line == 5 and "first at line 4" in issue.message


def _broken_copy(tmp_path: Path) -> Path:
    """The first témoin with four mistakes a user makes: French words for yes and no, an
    unquoted YAML « Yes » (a boolean) where no source is named, a typo, out of line order
    (the checks find the source problems after the vocabulary ones)."""
    from ptce_typology.resources import cases_dir

    text = (cases_dir() / "culture_et_cooperation.yaml").read_text(encoding="utf-8")
    for old, new in (("employer_group:\n  value: yes", "employer_group:\n  value: oui"),
                     ("research_partnership: {value: unknown}",
                      "research_partnership: {value: Yes}"),
                     ("territory: {value: deindustrialised,", "territory: {value: rurale,"),
                     ("  call_2015: {value: unknown}", "  call_2015: {value: non}")):
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_near_misses_get_did_you_mean_and_booleans_read_as_written(tmp_path):
    issues = validate_paths([_broken_copy(tmp_path)]).issues
    by_field = {(i.field, i.code): i for i in issues}
    # « oui » is the French label of yes: the label names the key.
    assert "did you mean 'yes'?" in by_field[("employer_group.value", "unknown-category")].message
    assert "did you mean 'no'?" in by_field[("national_calls.call_2015.value",
                                             "unknown-category")].message
    assert "did you mean 'rural'?" in by_field[("territory.value", "unknown-category")].message
    # An unquoted Yes is YAML's True: said as the vocabulary says it.
    assert by_field[("research_partnership", "missing-source")].value == "yes"
    assert all(i.value != "True" for i in issues)


def test_problems_are_in_line_order(run, tmp_path):
    issues = validate_paths([_broken_copy(tmp_path)]).issues
    lines = [i.line for i in issues]
    assert len(lines) >= 5 and lines == sorted(lines)
    result = run("validate", tmp_path / "broken.yaml")
    printed = [int(line.split(":")[1]) for line in result.stdout.splitlines()
               if line.startswith(str(tmp_path))]
    assert printed == sorted(printed) and len(printed) == len(lines)


def test_the_same_bytes_are_parsed_once_and_changed_bytes_again(tmp_path, monkeypatch):
    from ptce_typology.intake import validation
    from ptce_typology.resources import cases_dir

    calls = []
    real = validation.parse_yaml
    monkeypatch.setattr(validation, "parse_yaml", lambda raw, name: calls.append(name)
                        or real(raw, name))
    path = tmp_path / "paris_mix.yaml"
    text = (cases_dir() / "paris_mix.yaml").read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    first = validation.validate_paths([path])
    again = validation.validate_paths([path])
    assert len(calls) == 1 and first.pole_ids == again.pole_ids and not again.issues
    path.write_text(text.replace("pole_id: paris_mix", "pole_id: paris mix"), encoding="utf-8")
    changed = validation.validate_paths([path])
    assert len(calls) == 2 and [i.field for i in changed.issues] == ["pole_id"]
