"""The loader and the tidy frame, from YAML, CSV and XLSX."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import FIXTURES

from ptce_typology import cases_frame, load_cases
from ptce_typology.errors import ValidationFailed
from ptce_typology.intake.records import FRAME_COLUMNS


def test_frame_shape_and_types(frame):
    assert frame.index.name == "pole_id"
    assert list(frame.columns) == list(FRAME_COLUMNS)
    assert len(frame) == 12
    territory = frame["territory"].dtype
    assert isinstance(territory, pd.CategoricalDtype) and territory.ordered
    assert list(territory.categories) == ["deindustrialised", "periurban", "rural",
                                          "urban_popular_neighbourhood", "other", "unknown"]
    assert str(frame["age"].dtype) == "Int64"


def test_unknown_stays_unknown(frame):
    assert frame.loc["domb_innov", "shared_premises"] == "unknown"
    assert pd.isna(frame.loc["eoliennes_en_pays_de_vilaine", "members"])


def test_reference_year_is_configurable(temoins):
    later = cases_frame(temoins, reference_year=2014)
    assert later.loc["la_coursive_boutaric", "age"] == 11
    assert later.loc["la_coursive_boutaric", "age_class"] == "over_10_years"


def test_csv_round_trip(run, tmp_path, frame):
    result = run("list", "--format", "csv")
    path = tmp_path / "poles.csv"
    path.write_text(result.stdout, encoding="utf-8")
    again = cases_frame(load_cases(path))
    pd.testing.assert_frame_equal(again.drop(columns=["role"]), frame.drop(columns=["role"]))
    assert run("list", "--format", "csv", "--cases", path).stdout == result.stdout


def test_xlsx_round_trip(run, tmp_path, frame):
    path = tmp_path / "poles.xlsx"
    assert run("list", "--format", "xlsx", "-o", path).exit_code == 0
    again = cases_frame(load_cases(path))
    pd.testing.assert_frame_equal(again, frame)


def test_table_errors_name_the_column(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("pole_id,name,origin,territory,sector,start_year\n"
                    "a,A,citizen_associative,urbain,production,2001\n"
                    "b,B,citizen_associative,rural,production,soon\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as info:
        load_cases(path)
    found = {(i.line, i.field, i.code) for i in info.value.issues}
    assert found == {(2, "territory", "unknown-category"), (3, "start_year", "wrong-type")}


def test_table_unknown_column_did_you_mean(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("pole_id,name,origin,teritory,sector\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as info:
        load_cases(path)
    assert any("did you mean 'territory'" in i.message for i in info.value.issues)


def test_table_derived_columns_are_checked(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("pole_id,name,origin,territory,sector,start_year,age_class\n"
                    "a,A,citizen_associative,rural,production,2001,over_10_years\n",
                    encoding="utf-8")
    with pytest.raises(ValidationFailed) as info:
        load_cases(path)
    assert info.value.issues[0].field == "age_class"


def test_table_values_rest_on_the_row_source(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("pole_id,name,origin,territory,sector,source\n"
                    "a,A,citizen_associative,rural,production,https://example.org/a\n"
                    "b,B,other,,,\n", encoding="utf-8")
    a, b = load_cases(path)
    assert a.territory.sources == ["row"] and a.source("row").url == "https://example.org/a"
    assert b.territory.value == "unknown" and b.source("row").citation == "t.csv, row 3"


def test_good_fixture_loads():
    (case,) = load_cases(FIXTURES / "good" / "minimal.yaml")
    assert case.pole_id == "test_pole"


def test_loading_many_paths_and_duplicates(tmp_path):
    with pytest.raises(ValidationFailed) as info:
        load_cases([FIXTURES / "good" / "minimal.yaml", FIXTURES / "good" / "minimal.yaml"])
    assert info.value.issues[0].code == "duplicate-pole-id"


def test_load_frame_equals_cases_frame(tmp_path, frame):
    from synthetic import synthetic_table, write_csv

    from ptce_typology.frame import load_frame

    pd.testing.assert_frame_equal(load_frame(), frame)
    path = write_csv(synthetic_table(300, seed=9), tmp_path / "s.csv")
    pd.testing.assert_frame_equal(load_frame(path), cases_frame(load_cases(path)))
    pd.testing.assert_frame_equal(load_frame(path, reference_year=2020),
                                  cases_frame(load_cases(path), reference_year=2020))


def test_load_frame_of_mixed_inputs_equals_cases_frame(run, tmp_path):
    # load_frame builds the frame column by column (read_record_columns): case files, rows
    # the case schema reads (alternatives, inferred values) and plain rows, in reading order.
    from synthetic import synthetic_table, write_csv

    from ptce_typology.frame import load_frame
    from ptce_typology.resources import examples_dir

    listed = tmp_path / "all.csv"
    assert run("list", "--cases", "all", "-f", "csv", "-o", listed).exit_code == 0
    synthetic = write_csv(synthetic_table(200, seed=3), tmp_path / "s.csv")
    paths = [synthetic, examples_dir(), listed]
    expected = cases_frame(load_cases(paths), reference_year=2018)
    assert expected["alternatives"].ne("").any() and expected["inferred"].ne("").any()
    got = load_frame(paths, reference_year=2018)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert list(got.index[:2]) == ["synth_000001", "synth_000002"]
    assert got.index[200] == "le_periscope"


def test_load_frame_reports_the_same_issues(tmp_path):
    from ptce_typology.frame import load_frame

    path = tmp_path / "t.csv"
    path.write_text(
        "pole_id,name,origin,territory,sector,start_year,age_class,members,members_year\n"
        "a,A,citizen_associative,rural,production,2001,up_to_10_years,12,2014\n"
        "b,B,citizen_associative,urbain,production,2001,,,\n"
        "c,C,other,rural,production,soon,,,\n"
        "d,D,other,rural,production,1990,up_to_10_years,,\n"
        "e,E,other,rural,production,,,7,\n"
        "a,A again,other,rural,production,,,,\n"
        "F,F,other,rural,production,,,,\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as slow:
        load_cases(path)
    with pytest.raises(ValidationFailed) as fast:
        load_frame(path)
    assert [i.to_dict() for i in fast.value.issues] == [i.to_dict() for i in slow.value.issues]
    assert {i.code for i in slow.value.issues} == {"unknown-category", "wrong-type",
                                                   "invalid-value", "duplicate-pole-id"}


def test_each_input_is_read_once_and_hashed_from_those_bytes(tmp_path, monkeypatch):
    import hashlib

    from ptce_typology.intake import validation
    from ptce_typology.intake.loading import read_cases, read_record_columns
    from ptce_typology.resources import cases_dir

    table = tmp_path / "t.csv"
    table.write_text("pole_id,name,origin,territory,sector\n"
                     "a,A,citizen_associative,rural,production\n", encoding="utf-8")
    reads: list[str] = []
    real = validation.read_bytes

    def counted(path, **kwargs):
        reads.append(str(path))
        return real(path, **kwargs)

    monkeypatch.setattr(validation, "read_bytes", counted)
    files = sorted(cases_dir().glob("*.yaml"))
    for read, count in ((read_cases, len), (read_record_columns, lambda i: len(i[0].names))):
        reads.clear()
        loaded = read([cases_dir(), table])
        assert reads == [*map(str, files), str(table)]  # each file once, nothing else
        assert loaded.checksums == [(str(f), hashlib.sha256(f.read_bytes()).hexdigest())
                                    for f in (*files, table)]
        assert count(loaded.items) == 13


def test_table_limits_are_the_schemas(tmp_path):
    """The fast table reader accepts and refuses exactly what the case schema does, at the
    schema's own limits."""
    from ptce_typology.frame import load_frame
    from ptce_typology.intake.schema import MEMBERS_MAX, POLE_ID_MAX_LENGTH, TEXT_MAX_LENGTH

    header = "pole_id,name,origin,territory,sector,members,members_year\n"
    row = "{id},{name},citizen_associative,rural,production,{members},2014\n"
    for over in (0, 1):
        path = tmp_path / f"limits{over}.csv"
        path.write_text(header + row.format(id="p" * (POLE_ID_MAX_LENGTH + over), name="N",
                                            members=1)
                        + row.format(id="q", name="N" * (TEXT_MAX_LENGTH + over), members=1)
                        + row.format(id="r", name="N", members=MEMBERS_MAX + over),
                        encoding="utf-8")
        if not over:
            pd.testing.assert_frame_equal(load_frame(path), cases_frame(load_cases(path)))
            continue
        with pytest.raises(ValidationFailed) as slow:
            load_cases(path)
        with pytest.raises(ValidationFailed) as fast:
            load_frame(path)
        assert [i.to_dict() for i in fast.value.issues] == \
            [i.to_dict() for i in slow.value.issues]
        assert [i.line for i in slow.value.issues] == [2, 3, 4]


def test_bundled_data_checksums_hash_the_bytes_the_loaders_parsed(monkeypatch):
    import hashlib
    from pathlib import Path

    from ptce_typology.intake.claims import load_claims
    from ptce_typology.intake.codebook import load_codebook
    from ptce_typology.intake.loading import input_checksums
    from ptce_typology.intake.referentiel import load_referentiel
    from ptce_typology.resources import data_file
    from ptce_typology.vocabulary import vocabulary

    vocabulary(), load_claims(), load_referentiel(), load_codebook()
    names = ("vocabulary.yaml", "paper_claims.yaml", "referentiel.yaml", "codebook.yaml")
    expected = [(str(data_file(n)), hashlib.sha256(data_file(n).read_bytes()).hexdigest())
                for n in names]

    def refuse(*args, **kwargs):
        raise AssertionError("a bundled data file was read again")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert input_checksums([("b.yaml", "2"), ("a.yaml", "1")], [("b.yaml", "2")]) == \
        [("a.yaml", "1"), ("b.yaml", "2"), *expected]


@pytest.mark.parametrize(("text", "plain"), [
    ('pole_id,name,origin,territory,sector,source\n'
     'a,"A, B",citizen_associative,rural,production,"x, y"\nb,B,x,rural,production,z\n', True),
    ('\ufeffpole_id;name;origin;territory;sector;members\n a ; B ;;rural; x ;12', True),
    ('pole_id\tname\torigin\tterritory\tsector\nNA\tnan\tNULL\tNone\t#N/A\n', True),
    ('pole_id,name,origin,territory,sector\na,A,b,c,d\n , , , , \nb,B,b,c,d\n', False),
    ('pole_id,name,origin,territory,sector\na,"say ""hi""",b,c,d\n', False),
    ("pole_id,name,origin,territory,sector\na,'=1+1,b,c,d\n", False),
    ('pole_id,name,origin,territory,sector\na,A,b,c\n', False),
    ('pole_id,name,origin,territory,sector\na,"A\nB",b,c,d\n', False),
    ('pole_id,name,origin,territory,sector,members\na,A,b,c,d,1.000\n', False),
])
def test_a_plain_csv_read_by_columns_gives_the_csv_modules_cells(tmp_path, text, plain):
    # Plain CSV files are parsed by pandas' C reader straight into columns; anything else
    # (blank rows, quotes inside cells, guarded formulas, short rows, cells on two lines,
    # numbers with separators) is left to the csv module's reader, which finds the issues.
    from ptce_typology.intake import tables

    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    raw = path.read_bytes()
    fast = tables._plain_csv_table(path, raw)
    assert (fast is not None) is plain
    if plain:
        header, rows, issues = tables._read_checked(path, raw)
        slow = tables._cells_table(header, rows)
        assert issues == [] and fast.numbers == slow.numbers
        assert {c: [col.values[i] for i in col.codes] for c, col in fast.columns.items()} == \
            {c: [col.values[i] for i in col.codes] for c, col in slow.columns.items()}
