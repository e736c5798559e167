"""The ``ptce`` application: the one error boundary and the output writer every command uses."""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Any, Callable, Optional  # noqa: UP035

import typer

from ptce_typology import __version__
from ptce_typology.errors import PtceError

app = typer.Typer(
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


def command(*args: Any, **kwargs: Any) -> Callable:
    """Register a command behind the one error boundary."""

    def decorator(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(*a: Any, **kw: Any) -> Any:
            try:
                return func(*a, **kw)
            except PtceError as err:
                if _state["debug"]:
                    raise
                sys.stderr.write(f"error: {err}\n")
                raise typer.Exit(1) from None

        return app.command(*args, **kwargs)(wrapper)

    return decorator


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
    from ptce_typology.render.formats import atomic_write
    from ptce_typology.render.labels import text

    if output is not None:
        atomic_write(output, data)
        sys.stderr.write(text("cli.wrote", lang, path=output) + "\n")
    elif isinstance(data, bytes):
        raise PtceError("this format is binary; give an output file", field="--output",
                        value=None)
    else:
        sys.stdout.write(data)


def split(value: Optional[str]) -> Optional[tuple[str, ...]]:  # noqa: UP045
    """A comma-separated option as a tuple (None stays None)."""
    if value is None:
        return None
    return tuple(v.strip() for v in value.split(",") if v.strip())
