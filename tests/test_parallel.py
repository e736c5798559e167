"""ptce_typology.parallel: two computations side by side give what a serial run gives."""

from __future__ import annotations

import os
import sys

import pytest

from ptce_typology.errors import PtceError
from ptce_typology.parallel import forking, side_by_side

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2,
                                reason="forks on Linux with two cores or more only")


@linux_only
def test_the_first_runs_in_a_child_process_and_the_second_here():
    assert forking()
    theirs, mine = side_by_side(os.getpid, os.getpid)
    assert mine == os.getpid() and theirs != os.getpid()


def test_ptce_parallel_0_runs_both_here(monkeypatch):
    monkeypatch.setenv("PTCE_PARALLEL", "0")
    assert not forking()
    assert side_by_side(os.getpid, os.getpid) == (os.getpid(), os.getpid())


@linux_only
def test_a_result_comes_back_whole():
    table = {"poles": [f"p{i}" for i in range(50_000)], "share": 0.1 + 0.2}
    theirs, mine = side_by_side(lambda: table, lambda: 3)
    assert theirs == table and theirs is not table and mine == 3


@linux_only
def test_a_child_that_fails_is_computed_again_here_and_raises_here():
    calls = []

    def fails():
        calls.append(os.getpid())
        raise PtceError("no such pole", field="pole", value="x")

    with pytest.raises(PtceError, match="no such pole"):
        side_by_side(fails, lambda: 1)
    assert calls == [os.getpid()]  # the parent's own run (the child's list is its own)


@linux_only
def test_a_result_that_cannot_be_pickled_is_computed_here():
    theirs, _ = side_by_side(lambda: (lambda: os.getpid()), lambda: None)
    assert theirs() == os.getpid()


@linux_only
def test_an_error_here_ends_the_child():
    def slow():
        import time

        time.sleep(30)

    with pytest.raises(ZeroDivisionError):
        side_by_side(slow, lambda: 1 / 0)


@linux_only
def test_the_child_writes_nothing_and_buffered_output_is_written_once(capfd):
    sys.stdout.write("before ")  # buffered, not yet flushed when the child is forked
    side_by_side(lambda: print("from the child"), lambda: None)
    sys.stdout.flush()
    assert capfd.readouterr().out == "before "


def test_the_report_is_the_same_forked_or_not(monkeypatch):
    from ptce_typology.render.html import render_html
    from ptce_typology.study import run_study

    forked = render_html(run_study(resamples=5), "fr")
    monkeypatch.setenv("PTCE_PARALLEL", "0")
    assert render_html(run_study(resamples=5), "fr") == forked
