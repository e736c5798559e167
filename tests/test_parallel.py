"""ptce_typology.parallel: computations shared with a forked child give what a serial run
gives."""

from __future__ import annotations

import os
import sys
import time

import pytest

from ptce_typology.errors import PtceError
from ptce_typology.parallel import forking, in_parallel

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2,
                                reason="forks on Linux with two cores or more only")


@pytest.fixture(autouse=True)
def forking_on(monkeypatch):
    """The rest of the suite runs with PTCE_PARALLEL=0 (tests/conftest.py); here it forks."""
    monkeypatch.delenv("PTCE_PARALLEL", raising=False)


def _slow_pid():
    time.sleep(0.3)  # long enough that the other process takes the next job meanwhile
    return os.getpid()


@linux_only
def test_both_processes_take_jobs_and_the_results_keep_their_order():
    assert forking()
    pids = in_parallel([_slow_pid, _slow_pid])
    assert os.getpid() in pids and len(set(pids)) == 2
    assert in_parallel([lambda i=i: i * i for i in range(20)]) == [i * i for i in range(20)]


def test_ptce_parallel_0_runs_every_job_here(monkeypatch):
    monkeypatch.setenv("PTCE_PARALLEL", "0")
    assert not forking()
    assert in_parallel([_slow_pid, _slow_pid]) == [os.getpid(), os.getpid()]


@linux_only
def test_a_result_comes_back_whole():
    table = {"poles": [f"p{i}" for i in range(50_000)], "share": 0.1 + 0.2}
    first, second = in_parallel([lambda: (time.sleep(0.3), table)[1], lambda: table])
    assert first == second == table


@linux_only
def test_a_job_that_fails_is_run_again_here_and_raises_as_a_serial_run_does():
    calls = []

    def fails(message):
        calls.append(os.getpid())
        raise PtceError(message, field="pole", value="x")

    with pytest.raises(PtceError, match="first"):
        in_parallel([lambda: fails("first"), lambda: fails("second"), _slow_pid])
    assert calls.count(os.getpid()) >= 1


@linux_only
def test_a_result_that_cannot_be_pickled_is_computed_here():
    results = in_parallel([lambda: (lambda: os.getpid()), lambda: (lambda: os.getpid())])
    assert [r() for r in results] == [os.getpid(), os.getpid()]


@linux_only
def test_an_interrupt_here_ends_the_child():
    parent = os.getpid()

    def job():  # long in the child; interrupted here
        if os.getpid() != parent:
            time.sleep(30)
        time.sleep(0.5)
        raise KeyboardInterrupt

    start = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        in_parallel([job, job])
    assert time.perf_counter() - start < 10


@linux_only
def test_the_child_writes_nothing_and_buffered_output_is_written_once(capfd):
    sys.stdout.write("before ")  # buffered, not yet flushed when the child is forked

    def job():
        time.sleep(0.3)
        print(f"job run by {os.getpid()}")

    in_parallel([job, job, job])
    sys.stdout.flush()
    out = capfd.readouterr().out
    assert out.startswith("before ") and out.count("before") == 1
    assert set(out.split()[1:]) <= {"job", "run", "by", str(os.getpid())}


def test_the_progress_steps_come_from_this_process_in_order():
    # The report's progress display is a thread of this process: a forked child must not
    # touch it (its lock may be held at the fork).
    from ptce_typology.study import STEPS, run_study

    seen = []
    run_study(resamples=5, on_step=lambda name: seen.append((name, os.getpid())))
    assert seen == [(name, os.getpid()) for name in STEPS]
