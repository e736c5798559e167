"""Independent computations shared between this process and one forked child.

The report spends its seconds in computations that do not depend on each other (the
sensitivity beside the stability and the comparisons; the figures), each a pure function of
data already in memory. On a machine with two cores or more, :func:`in_parallel` forks one
child (it starts with every module imported and every input in memory) and both processes
take the computations one at a time, in the order given, until none is left; only the child's
results are copied back (pickled). Which process computes what varies with the machine's load;
the results do not: each computation is deterministic and runs the same code on the same data,
so the output is the one a serial run gives, byte for byte.

Forking is used only where it is safe: on Linux, with more than one core. Elsewhere (macOS,
where some system libraries do not survive a fork; Windows, which has no fork), and when
``PTCE_PARALLEL=0`` is set, the computations run here one after the other. A computation that
fails, or whose result does not come back from the child (it cannot be pickled, the child
died), is run again here, in order, after the others: an error is raised here, with its own
traceback, as a serial run raises it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
_MISSING = object()


def forking() -> bool:
    """Whether :func:`in_parallel` shares its computations with a child process."""
    if os.environ.get("PTCE_PARALLEL", "").strip() == "0":
        return False
    return sys.platform.startswith("linux") and (os.cpu_count() or 1) > 1


def in_parallel(jobs: Sequence[Callable[[], T]]) -> list[T]:
    """``[job() for job in jobs]``, shared between this process and a forked child (see the
    module's note; put the longest first); serially when forking is off."""
    results: list[Any] = [_MISSING] * len(jobs)
    if forking() and len(jobs) > 1:
        _share(jobs, results)
    for i, job in enumerate(jobs):
        if results[i] is _MISSING:
            results[i] = job()
    return results


def _share(jobs: Sequence[Callable[[], Any]], results: list[Any]) -> None:
    """Fill ``results`` with what this process and a forked child compute; a job that failed
    here, or whose result did not come back, stays missing."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    taken = context.Value("i", 0)  # the next job to take, shared by both processes
    receiver, sender = context.Pipe(duplex=False)
    for stream in (sys.stdout, sys.stderr):  # nothing buffered to be written twice
        try:
            stream.flush()
        except (AttributeError, ValueError, OSError):  # None, closed, or a reader gone
            pass
    process = context.Process(target=_child, args=(jobs, taken, sender), daemon=True)
    process.start()
    sender.close()
    try:
        for i, result in _take(jobs, taken):
            results[i] = result
        theirs = receiver.recv()
    except (EOFError, OSError):  # the child died before it answered
        theirs = {}
    except BaseException:  # an interrupt: the child is not waited for
        process.kill()
        raise
    finally:
        receiver.close()
        process.join()
    for i, result in theirs.items():
        results[i] = result


def _take(jobs: Sequence[Callable[[], Any]], taken: Any):
    """Compute the next job not taken yet, until none is left: ``(index, result)`` of each
    that succeeded."""
    while True:
        with taken.get_lock():
            i = taken.value
            taken.value = i + 1
        if i >= len(jobs):
            return
        try:
            result = jobs[i]()
        except Exception:  # noqa: BLE001 - computed again in order by the caller
            continue
        yield i, result


def _child(jobs: Sequence[Callable[[], Any]], taken: Any, sender: Any) -> None:
    """In the child: take jobs as the parent does, send ``{index: result}``. The child writes
    nothing: its output streams go to the null device."""
    null = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the child
    sys.stdout = sys.stderr = null
    done = dict(_take(jobs, taken))
    try:
        sender.send(done)
    except Exception:  # noqa: BLE001 - a result that cannot be pickled: send those that can
        import pickle

        sender.send({i: r for i, r in done.items() if _picklable(r, pickle)})
    finally:
        sender.close()


def _picklable(value: Any, pickle: Any) -> bool:
    try:
        pickle.dumps(value)
    except Exception:  # noqa: BLE001 - any failure: not sent
        return False
    return True
