"""YAML 1.1 readings a case file must not rely on: numbers in another base, with a leading
zero, ``_`` or ``:``, and ``on``/``off`` as booleans, are one-line issues with the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from ptce_typology.intake.yamlread import IssueError, read_yaml

EXAMPLE = Path(__file__).parent.parent / "data" / "examples" / "le_periscope.yaml"


@pytest.mark.parametrize("raw, fix", [
    # the issue's examples
    ("010", "write 10"), ("1:20", "write 80"), ("0x1F", "write 31"), ("1_0", "write 10"),
    ("0b101", "write 5"),
    # variants of our own: signed octal, a float with _, a sexagesimal float, a leading zero
    ("-017", "write -17"), ("1_000.5", "write 1000.5"), ("1:30.5", "write 90.5"),
    ("007", "write 7")])
def test_yaml11_numbers_are_issues_with_the_fix(tmp_path, raw, fix):
    path = tmp_path / "c.yaml"
    path.write_text(f"pole_id: x\nmembers:\n  - count: {raw}\n", encoding="utf-8")
    with pytest.raises(IssueError) as err:
        read_yaml(path)
    issue = err.value.issue
    assert (issue.code, issue.line, issue.field, issue.value) == (
        "invalid-value", 3, "members.0.count", raw)
    assert fix in issue.one_line() and "\n" not in issue.one_line()


@pytest.mark.parametrize("raw, fix", [("on", "write yes"), ("off", "write no"),
                                      ("ON", "write yes"), ("Off", "write no")])
def test_on_and_off_are_no_booleans(tmp_path, raw, fix):
    path = tmp_path / "c.yaml"
    path.write_text(f"employer_group: {{value: {raw}}}\n", encoding="utf-8")
    with pytest.raises(IssueError) as err:
        read_yaml(path)
    assert err.value.issue.field == "employer_group.value" and fix in str(err.value)


def test_yaml_12_forms_read_as_written(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("a: 10\nb: -3\nc: 0\nd: 1.5\ne: .5\nf: yes\ng: No\nh: TRUE\ni: false\n"
                    "j: \"010\"\nk: 'on'\nl: y\nm: n\n", encoding="utf-8")
    data, _ = read_yaml(path)
    assert data == {"a": 10, "b": -3, "c": 0, "d": 1.5, "e": 0.5, "f": True, "g": False,
                    "h": True, "i": False, "j": "010", "k": "on", "l": "y", "m": "n"}


@pytest.mark.parametrize("edit, needle", [
    (("{count: 37,", "{count: 010,"), "write 10"),
    (("employer_group: {value: unknown,", "employer_group: {value: on,"), "write yes"),
    (("employer_group: {value: unknown,", "employer_group: {value: y,"), "allowed: yes, no")])
def test_validate_names_file_line_field_value_and_fix(run, tmp_path, edit, needle):
    path = tmp_path / "le_periscope.yaml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8").replace(*edit, 1), encoding="utf-8")
    result = run("validate", path)
    assert result.exit_code == 1
    first = result.stdout.splitlines()[0]
    assert str(path) in first and needle in first, result.stdout
