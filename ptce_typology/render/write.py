"""Writing output files: atomically, never half-written, and every check of an output path.

A file is written to a temporary file in its folder, then renamed over the target; SIGTERM and
SIGHUP during the write remove the temporary file. :func:`check_output` (a file) and
:func:`check_output_folder` (a folder of files) are the one place an output path is refused.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any

from ptce_typology.errors import PtceError


def check_output(path: Path | str, field: str | None = None) -> None:
    """Refuse an output file that cannot be written: a folder, a name the system refuses, or
    a file in a folder that does not exist.

    Parameters
    ----------
    path : Path or str
        The file to write.
    field : str, optional
        What the error names (the CLI's option, ``--output``).

    Raises
    ------
    PtceError
        With a one-line message naming the file.
    """
    target = Path(path)
    try:
        is_folder = target.is_dir()
    except OSError as err:  # a name too long, a loop of links
        raise PtceError(f"cannot write the file: {err.strerror or err}", file=str(target),
                        field=field) from None
    if is_folder:
        raise PtceError("the output is a folder; name a file", file=str(target), field=field)
    if not target.parent.is_dir():
        raise PtceError("the output folder does not exist; create it first",
                        file=str(target), field=field, value=str(target.parent))


def check_output_folder(directory: Path, force: bool) -> None:
    """Refuse an output folder that is a file, or that holds files unless ``force``."""
    if directory.exists() and not directory.is_dir():
        raise PtceError("the output is a file, not a folder", file=str(directory),
                        field="--output")
    if directory.is_dir() and any(directory.iterdir()) and not force:
        raise PtceError("the output folder is not empty; give --force to write into it",
                        file=str(directory), field="--output")


def atomic_write(path: Path | str, data: str | bytes) -> None:
    """Write ``data`` to ``path`` atomically: a temporary file in the same folder, then a rename.

    An existing file is left intact when anything fails before the rename. A symbolic link
    stays a link (the file it points to is replaced). A device, FIFO or anything under
    /dev or /proc (``-o /dev/null``, ``-o /dev/stdout``) is written to as a stream, never
    replaced. A folder, a missing folder or an OS error (read-only folder, full disk, a name
    too long) is a :class:`PtceError`.
    """
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        _write(target, payload)
    except OSError as err:
        raise PtceError(f"cannot write the file: {err.strerror or err}",
                        file=str(target)) from None


def _write(target: Path, payload: bytes) -> None:
    import stat

    try:
        info = os.stat(target)  # follows a symbolic link
    except FileNotFoundError:
        info = None
    check_output(target)
    real = Path(os.path.realpath(target))
    special = str(real).startswith(("/dev/", "/proc/"))
    if special or (info is not None and not stat.S_ISREG(info.st_mode)):
        with open(target, "wb") as handle:  # a stream: never rename over a device node
            handle.write(payload)
        return
    folder = real.parent
    if info is not None:
        mode = info.st_mode & 0o777
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    with _terminations_raise():
        # A short name, so that a target name near the 255-byte limit still has room.
        fd, tmp = tempfile.mkstemp(prefix=".ptce-", suffix=".tmp", dir=folder)
        try:
            os.chmod(tmp, mode)  # mkstemp makes the file private; give the usual (or old) mode
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, real)
        except BaseException:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
            raise


class _Terminated(BaseException):
    pass


@contextlib.contextmanager
def _terminations_raise():
    """While writing, SIGTERM and SIGHUP raise (so that the temporary file is removed) instead
    of killing the process outright; Ctrl-C already raises. Only SIGKILL can leave a
    ``.ptce-*.tmp`` behind."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise _Terminated(signum)

    wanted = [s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None))
              if s is not None]
    previous = {s: signal.signal(s, stop) for s in wanted}
    try:
        yield
    except _Terminated as err:
        raise SystemExit(128 + err.args[0]) from None
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def write_new(path: Path | str, text: str) -> Path:
    """Create ``path`` with ``text``, and its folder if need be; never replaces a file that
    exists (created exclusively, so a file made in between is not lost either)."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise PtceError("the file already exists; `ptce new` never overwrites",
                        file=str(target)) from None
    except OSError as err:
        raise PtceError(f"cannot write the file: {err.strerror}", file=str(target)) from None
    return target
