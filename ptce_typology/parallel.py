"""Two independent computations side by side: one in a forked child process, one here.

The report spends its seconds in computations that do not depend on each other (the
sensitivity beside the stability and the comparisons; one half of the figures beside the
other), each a pure function of data already in memory. On a machine with two cores or more,
:func:`side_by_side` runs the first in a child forked from this process (so it starts with
every module imported and every input in memory; only its result is copied back, pickled)
and the second here. The results are the ones a serial run gives, byte for byte: each
computation is deterministic and runs the same code on the same data.

Forking is used only where it is safe and cheap: on Linux, with more than one core. Elsewhere
(macOS, where some system libraries do not survive a fork; Windows, which has no fork), and
when ``PTCE_PARALLEL=0`` is set, both run here one after the other. A child that fails for any
reason (an exception, a result that cannot be pickled, a killed process) is not trusted: its
computation runs again here, and raises here if it raises, with its own traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
U = TypeVar("U")


def forking() -> bool:
    """Whether :func:`side_by_side` runs its first computation in a child process."""
    if os.environ.get("PTCE_PARALLEL", "").strip() == "0":
        return False
    return sys.platform.startswith("linux") and (os.cpu_count() or 1) > 1


def side_by_side(child: Callable[[], T], here: Callable[[], U]) -> tuple[T, U]:
    """``(child(), here())``, the first computed in a forked process while this one computes
    the second (see the module's note); serially when forking is off or the child fails."""
    if not forking():
        return child(), here()
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    for stream in (sys.stdout, sys.stderr):  # nothing buffered to be written twice
        if stream is not None:
            stream.flush()
    process = context.Process(target=_run_child, args=(child, sender), daemon=True)
    process.start()
    sender.close()
    try:
        mine = here()
    except BaseException:
        process.kill()
        process.join()
        raise
    try:
        status, theirs = receiver.recv()
    except (EOFError, OSError):  # the child died before it answered
        status, theirs = "failed", None
    finally:
        receiver.close()
        process.join()
    if status != "ok":
        theirs = child()
    return theirs, mine


def _run_child(compute: Callable[[], Any], sender: Any) -> None:
    """In the child: compute, send ``("ok", result)`` or ``("failed", None)``. The child
    writes nothing: its output streams go to the null device."""
    null = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the child
    sys.stdout = sys.stderr = null
    try:
        result = ("ok", compute())
    except BaseException:  # noqa: BLE001 - any failure: the parent computes it again
        result = ("failed", None)
    try:
        sender.send(result)
    except Exception:  # noqa: BLE001 - e.g. a result that cannot be pickled
        sender.send(("failed", None))
    finally:
        sender.close()
