"""A user error in the user's language: an error that carries a label key (``errors.<key>``
in ``data/labels*.yaml``) is said in French or English; any other is its English message."""

from __future__ import annotations

from collections.abc import Mapping

from ptce_typology.errors import PtceError, one_line
from ptce_typology.render.labels import labels, text


def error_text(err: PtceError, lang: str = "en", names: Mapping[str, str] | None = None) -> str:
    """The error's one line, its field named through ``names`` (the CLI's flags), its message
    in ``lang`` when the error has a label."""
    key = f"errors.{err.key}" if err.key else None
    if key is None or key not in labels():
        return err.naming(names or {})
    field = (names or {}).get(err.field or "", err.field)
    message = text(key, lang, **err.values)
    if field:
        message = text("errors.field", lang, field=field, message=message)
    if err.file:
        where = err.file + (f":{err.line}" if err.line else "")
        message = text("errors.file", lang, file=where, message=message)
    return one_line(message)


def labelled_error(key: str, *, file: str | None = None, field: str | None = None,
                   **values: object) -> PtceError:
    """A :class:`PtceError` whose message is the label ``errors.<key>``: ``str()`` says it in
    English, :func:`error_line` in the user's language."""
    return PtceError(text(f"errors.{key}", "en", **values), file=file, field=field, key=key,
                     values=values)


def error_line(err: PtceError, lang: str = "en", names: Mapping[str, str] | None = None) -> str:
    """``error: …`` (``erreur : …``) as the command line writes it on stderr."""
    if err.key and f"errors.{err.key}" in labels():
        return text("errors.line", lang, message=error_text(err, lang, names))
    return f"error: {err.naming(names or {})}"
