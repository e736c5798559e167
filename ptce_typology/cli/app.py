"""The ``ptce`` application: the one error boundary and the output writer every command uses."""

from __future__ import annotations

import errno
import functools
import io
import os
import sys
from pathlib import Path
from typing import Any, Callable, Optional  # noqa: UP035

import typer
from typer.core import TyperGroup

from ptce_typology import __version__
from ptce_typology.cli.flags import FLAGS
from ptce_typology.cli.options import Sheet, split  # noqa: F401 - split: re-exported
from ptce_typology.errors import PtceError, one_line

# click's base exception, found through a public class (typer may vendor click).
_ClickException = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


class _OneLineErrors(TyperGroup):
    """The group of commands; a usage error (unknown option, bad option value) is one line on
    stderr with exit code 1, as every other user error, instead of click's usage block."""

    def main(self, args: Any = None, prog_name: Any = None, complete_var: Any = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        given = list(sys.argv[1:] if args is None else args)
        if given and set(given) == {"--debug"}:  # `ptce --debug`: no command, as bare `ptce`
            args = given = []
        if sys.stdout is None:  # `ptce list >&-`: Python gives None for a closed descriptor
            sys.stdout = _ClosedStdout()
        _encodable_streams()
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            sys.stdout.flush()  # a full disk says so here, not in Python's exit
        except _ClickException as err:
            if type(err).__name__ == "NoArgsIsHelpError":  # bare `ptce`: the help
                err.show()
                sys.exit(err.exit_code)
            sys.stderr.write(f"error: {usage_error_line(err, given)}\n")
            sys.exit(1)
        except typer.Abort:
            sys.stderr.write("error: aborted\n")
            sys.exit(1)
        except BrokenPipeError:  # `ptce list | head`: the reader went away
            _stdout_to_devnull()
            sys.exit(1)
        except OSError as err:  # `ptce list > /dev/full`: no space left for the output
            if err.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO):
                raise
            _stdout_to_devnull()
            sys.stderr.write(f"error: cannot write the output: {err.strerror}\n")
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The command list with each command's first sentence whole, wrapped rather than cut
        with « ... » at click's 45 characters."""
        rows = [(name, command.get_short_help_str(limit=1000))
                for name in self.list_commands(ctx)
                if (command := self.get_command(ctx, name)) is not None and not command.hidden]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _stdout_to_devnull() -> None:
    """No second error when Python flushes stdout at exit."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):  # pragma: no cover - stdout without a descriptor
        pass


class _ClosedStdout(io.TextIOBase):
    """Stands for a closed stdout: the first write ends the command as a reader that went
    away does (quietly, exit code 1); a command that writes only files still succeeds."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(errno.EBADF, "stdout is closed")


def _encodable_streams() -> None:
    """With an output encoding that lacks accented letters (``PYTHONIOENCODING=ascii``, an old
    locale), write ``Pôle`` as ``P\\xf4le`` instead of failing with UnicodeEncodeError. Files
    written with ``-o`` are always UTF-8."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding not in ("utf8", "utf16", "utf32") and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # pragma: no cover - a closed or odd stream
                pass


def usage_error_line(err: Exception, args: list[str]) -> str:
    """click's usage error as one line: the command, its message (which names the option and
    the allowed values), the value given and where to read more."""
    ctx = getattr(err, "ctx", None)
    where = f"{ctx.command_path}: " if ctx is not None else ""
    text = where + err.format_message().strip().rstrip(".")
    param = getattr(err, "param", None)
    for opt in getattr(param, "opts", None) or ():
        for i, arg in enumerate(args):
            if arg == opt and i + 1 < len(args):
                text += f" (got {args[i + 1]!r})"
                break
            if arg.startswith(opt + "="):
                text += f" (got {arg[len(opt) + 1:]!r})"
                break
        else:
            continue
        break
    if ctx is not None:
        text += f"; see {ctx.command_path} --help"
    return one_line(" ".join(text.split()))


app = typer.Typer(
    cls=_OneLineErrors,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Typology of French PTCE (Pôles Territoriaux de Coopération Économique): sourced case "
         "files, the 2014 paper's typology reproduced, statistical typology, classification.\n\n"
         "Example: ptce list --format csv > poles.csv",
)

_state = {"debug": False}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ptce-typology {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks of errors."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    _state["debug"] = debug


# The option of each parameter the library names in its errors: the one place where the
# library's names meet the command line's (« n_clusters: ... » is read « --k: ... »).
def command(*args: Any, **kwargs: Any) -> Callable:
    """Register a command behind the one error boundary."""

    def decorator(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(*a: Any, **kw: Any) -> Any:
            from ptce_typology.intake.tables import xlsx_sheet

            sheet = kw.pop("sheet", None)
            try:
                from ptce_typology.render.dates import source_date_epoch

                source_date_epoch()  # before numpy or matplotlib read it
                check_outputs(kw)
                _note_all(kw)
                with xlsx_sheet(sheet):
                    return func(*a, **kw)
            except PtceError as err:
                if _state["debug"]:
                    raise
                from ptce_typology.render.errors import error_line

                lang = kw.get("lang") if kw.get("lang") in ("fr", "en") else "en"
                sys.stderr.write(error_line(err, lang, FLAGS) + "\n")
                raise typer.Exit(1) from None

        _with_sheet_option(func, wrapper)
        return app.command(*args, **kwargs)(wrapper)

    return decorator


# Parameters that name the cases a command reads: such a command takes --sheet too.
_CASE_INPUTS = ("cases", "reference", "paths", "files", "first")


def _with_sheet_option(func: Callable, wrapper: Callable) -> None:
    """Give a command that reads case tables the ``--sheet`` option (cli/options.py), which
    the wrapper applies to every XLSX table read (:func:`~ptce_typology.intake.tables.
    xlsx_sheet`)."""
    import inspect

    signature = inspect.signature(func, eval_str=True)
    if not set(signature.parameters) & set(_CASE_INPUTS):
        return
    sheet = inspect.Parameter("sheet", inspect.Parameter.KEYWORD_ONLY, default=None,
                              annotation=Sheet)
    parameters = [*signature.parameters.values(), sheet]
    wrapper.__signature__ = signature.replace(parameters=parameters)
    wrapper.__annotations__ = {p.name: p.annotation for p in parameters}


# Parameters that name files a command writes; every other path parameter is read.
_OUTPUTS = {"output": "--output", "plot": "--plot"}


def check_outputs(params: dict[str, Any]) -> None:
    """Before anything is read or written, the files a command would write pass
    :func:`ptce_typology.render.write.check_outputs` (the one place an output path is refused):
    not a folder, not one of its inputs, not twice the same file, no ``.yaml`` among the cases
    read, in a folder that exists (so that a figure is not written when the table then fails).
    """
    inputs: list[Path] = []
    outputs: list[tuple[str, Path]] = []
    for key, value in params.items():
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if key in _OUTPUTS and isinstance(item, (Path, str)):  # str: `-o out/` as given
                outputs.append((_OUTPUTS[key], item))
                if key == "plot" and isinstance(item, Path):  # the figures beside the map
                    stem = item.with_suffix("")
                    outputs += [("--plot", Path(f"{stem}_{part}{item.suffix}"))
                                for part in ("dendrogram", "gains", "ellipses")]
            elif isinstance(item, Path):
                inputs.append(item)
    from ptce_typology.render.write import check_outputs as check

    check(outputs, inputs)


def _note_all(params: dict[str, Any]) -> None:
    """``--cases all`` beside a file or folder named ``all``: one line on stderr says that the
    bundled poles are read, not it (README, « Case files »)."""
    from ptce_typology.resources import shadowed_by_all

    paths = [item for value in params.values()
             for item in (value if isinstance(value, (list, tuple)) else [value])
             if isinstance(item, Path)]
    shadowed = shadowed_by_all(paths)
    if shadowed is not None:
        from ptce_typology.render.labels import text

        lang = params.get("lang") if params.get("lang") in ("fr", "en") else "en"
        sys.stderr.write(text("cli.all_shadows", lang, path=one_line(str(shadowed))) + "\n")


def emit(data: str | bytes, output: Optional[Path], lang: str = "en") -> None:  # noqa: UP045
    """Write rendered output to ``output`` (atomically) or to stdout.

    Parameters
    ----------
    data : str or bytes
        The rendered output; bytes (XLSX, Word) need an output file.
    output : Path, optional
        The file to write; stdout when None.
    lang : {"en", "fr"}
        Language of the line that says the file was written.
    """
    from ptce_typology.render.labels import text
    from ptce_typology.render.write import atomic_write

    if output is not None:
        atomic_write(output, data)
        sys.stderr.write(text("cli.wrote", lang, path=one_line(str(output))) + "\n")
    elif isinstance(data, bytes):
        raise PtceError("this format is binary; give an output file", field="--output",
                        value=None)
    else:
        sys.stdout.write(data)
