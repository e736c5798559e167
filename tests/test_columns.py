"""The columns of the tidy frame, by name (ptce_typology/columns.py)."""

from __future__ import annotations


def test_the_names_are_the_frames_columns(frame):
    from ptce_typology.columns import CATEGORY_COLUMNS, FRAME_COLUMNS, NUMERIC_COLUMNS

    assert tuple(frame.columns) == FRAME_COLUMNS
    assert {c for c in frame.columns if str(frame[c].dtype) == "category"} == \
        set(CATEGORY_COLUMNS)
    assert all(frame[c].dtype.kind in "if" or str(frame[c].dtype).startswith(("Int", "Float"))
               for c in NUMERIC_COLUMNS)


def test_help_needs_no_heavy_import():
    import subprocess
    import sys

    code = ("import sys, ptce_typology.columns; "
            "print(any(m in sys.modules for m in ('pandas', 'pydantic', 'yaml')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "False"
