"""Writing output files: atomically, never half-written, and every check of an output path.

A file is written to a temporary file in its folder, then renamed over the target; SIGTERM and
SIGHUP during the write remove the temporary file. :func:`check_output` (a file) and
:func:`check_output_folder` (a folder of files) are the one place an output path is refused.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
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
    if str(path).endswith(("/", os.sep)):  # `-o out/`: a folder was meant, not a file
        raise _refused("output_slash", path, field)
    target = Path(path)
    try:
        is_folder = target.is_dir()
    except OSError as err:  # a name too long, a loop of links
        raise PtceError(f"cannot write the file: {err.strerror or err}", file=str(target),
                        field=field) from None
    if is_folder:
        raise _refused("output_folder", target, field)
    if not target.parent.is_dir():
        raise PtceError("the output folder does not exist; create it first",
                        file=str(target), field=field, value=str(target.parent))
    if _read_only(target):
        raise PtceError("the file is read-only; choose another name or make it writable",
                        file=str(target), field=field)


def _read_only(target: Path) -> bool:
    """Whether ``target`` is an existing regular file nobody may write (no write bit, or no
    permission for this user): replacing it by a rename would succeed and lose it."""
    import stat

    try:
        info = os.stat(target)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and (not info.st_mode & 0o222
                                           or not os.access(target, os.W_OK))


def check_outputs(outputs: list[tuple[str, Path]], inputs: list[Path]) -> None:
    """Refuse, before anything is read or written, outputs that would clash: two outputs on
    one file (``-o`` equal to ``--plot`` or a figure written beside it), an output that is an
    input, or a ``.yaml`` written into a folder of case files the command reads (the next
    run would read it as a case). Each output also passes :func:`check_output`.

    Parameters
    ----------
    outputs : list of (str, Path)
        The option that names each file to write, and the file.
    inputs : list of Path
        The files and folders the command reads.

    Raises
    ------
    PtceError
        Naming the file and the option.
    """
    seen: dict[str, str] = {}
    for option, out in outputs:
        check_output(out, option)
        key = _identity(out)
        if key in seen:
            raise _refused("output_twice", out, option, first=seen[key], second=option)
        seen[key] = option
        if any(_overwrites(out, source) for source in inputs):
            raise _refused("output_is_input", out, option)


def _refused(key: str, path: Path | str, field: str | None, **values: str) -> PtceError:
    """The error ``errors.<key>`` of ``data/labels_errors.yaml`` about the output ``path``."""
    from ptce_typology.render.errors import labelled_error

    return labelled_error(key, file=str(path), field=field, **values)


def _identity(path: Path) -> str:
    """The file a path names: its real path (links, ``..`` and ``./`` resolved)."""
    return os.path.realpath(path)


def _overwrites(out: Path, source: Path) -> bool:
    try:
        if source.is_dir():
            return out.suffix.lower() in (".yaml", ".yml") and \
                _identity(out.parent) == _identity(source)
        return _identity(out) == _identity(source)
    except OSError:
        return False


def check_output_folder(directory: Path, force: bool, names: Iterable[str] = ()) -> None:
    """Refuse an output folder that is a symbolic link or a file, or that holds files unless
    ``force``; with ``force``, refuse it when one of the files ``names`` it would replace is a
    symbolic link (writing would go through it, outside the folder)."""
    if directory.is_symlink():
        raise _refused("output_folder_link", directory, "--output")
    if directory.exists() and not directory.is_dir():
        raise _refused("output_not_folder", directory, "--output")
    if not directory.is_dir():
        return
    if any(directory.iterdir()) and not force:
        raise _refused("output_folder_full", directory, "--output")
    for name in names:
        if (directory / name).is_symlink():
            raise _refused("output_file_link", directory / name, "--output")


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
        _write_stream(target, payload)  # never rename over a device node or a FIFO
        return
    folder = real.parent
    if info is not None:
        mode = info.st_mode & 0o777
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    with _temporary(folder, mode, payload) as tmp:
        os.replace(tmp, real)
    _sync_folder(folder)


@contextlib.contextmanager
def _temporary(folder: Path, mode: int, payload: bytes) -> Iterator[str]:
    """A temporary file in ``folder`` holding ``payload`` (synced to disk), removed unless
    the body renames or links it; SIGTERM and SIGHUP remove it too, even one that arrives
    just after it was created."""
    tmp = None
    with _terminations_raise():
        try:
            # A short name, so that a target name near the 255-byte limit still has room.
            fd, tmp = tempfile.mkstemp(prefix=".ptce-", suffix=".tmp", dir=folder)
            os.chmod(tmp, mode)  # mkstemp makes the file private; give the usual (or old) mode
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            yield tmp
        finally:
            if tmp is not None:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)


def _sync_folder(folder: Path) -> None:
    """Make a rename durable (a crash of the machine right after it keeps the new file)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - a folder that cannot be opened (Windows)
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - a file system without fsync on folders
        pass
    finally:
        os.close(fd)


def _write_stream(target: Path, payload: bytes) -> None:
    """Write to a device or a FIFO as a stream. A FIFO that no program reads is refused
    instead of waiting for one forever (``-o /dev/stdout`` on a pipe has its reader)."""
    import errno

    try:
        fd = os.open(target, os.O_WRONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as err:
        if err.errno == errno.ENXIO:
            raise PtceError("no program reads this FIFO; start the reader first, or write to "
                            "a file", file=str(target)) from None
        raise
    os.set_blocking(fd, True)
    with os.fdopen(fd, "wb") as handle:
        handle.write(payload)


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
    exists (created exclusively, so a file made in between is not lost either). A write that
    fails (a full disk) or is stopped by SIGTERM, SIGHUP or Ctrl-C removes the file it
    created: no partial template is left."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with _terminations_raise():
            _create_exclusively(target, text)
    except FileExistsError:
        raise PtceError("the file already exists; `ptce new` never overwrites",
                        file=str(target)) from None
    except OSError as err:
        raise PtceError(f"cannot write the file: {err.strerror}", file=str(target)) from None
    return target


def _create_exclusively(target: Path, text: str) -> None:
    """Create ``target`` exclusively and write ``text``; a failed write removes it."""
    handle = open(target, "x", encoding="utf-8")  # noqa: SIM115 - closed below, then removed
    try:
        with handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(target)
        raise
