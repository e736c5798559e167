"""Errors a user can fix, and validation issues.

Data problems are values (:class:`Issue`, gathered into a report); anything else a user can fix
raises :class:`PtceError`, which the CLI renders as one line on stderr with exit code 1.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from dataclasses import field as dc_field

# Stable codes of validation issues: never renamed once published. The meta-test checks that
# every code has a fixture file under tests/fixtures/bad/.
ISSUE_CODES: dict[str, str] = {
    "file-not-found": "the path does not exist",
    "file-empty": "the file is empty",
    "file-too-large": "the file is larger than the size limit",
    "file-encoding": "the file is not valid UTF-8",
    "file-unreadable": "not a regular file (a folder, FIFO or device), or no permission to read",
    "file-not-mapping": "the document is not a mapping of descriptors (a list or a scalar)",
    "file-format": "the file extension is not one the loader reads",
    "yaml-syntax": "the YAML cannot be parsed",
    "yaml-tab": "a tab is used for indentation",
    "yaml-duplicate-key": "a key appears twice in the same mapping",
    "yaml-unsafe-tag": "a tag that could construct Python objects",
    "yaml-too-complex": "too many aliases expanded or nesting too deep",
    "unknown-key": "a key the schema does not define",
    "missing-field": "a required field is missing",
    "wrong-type": "a value of the wrong type",
    "unknown-category": "a value outside the controlled vocabulary",
    "invalid-value": "a value of the right type that breaks a rule",
    "missing-source": "a known value that names no source",
    "unknown-source": "a source id that no source defines",
    "duplicate-source-id": "two sources with the same id",
    "unknown-start-event": "grouping_start.start names no event",
    "unknown-rule": "a rule the codebook does not define, or one of another descriptor",
    "duplicate-pole-id": "two cases with the same pole_id",
    "table-missing-column": "a required column is missing from a table",
}


@dataclass(frozen=True)
class Issue:
    """One problem found in one input file.

    ``code`` is one of :data:`ISSUE_CODES`; ``line`` is 1-based (None when unknown);
    ``field`` is a dotted path such as ``origin.value``.
    """

    code: str
    file: str
    message: str
    line: int | None = None
    field: str | None = None
    value: str | None = None
    allowed: tuple[str, ...] = dc_field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.code not in ISSUE_CODES:
            raise ValueError(f"unregistered issue code {self.code!r}")

    def one_line(self) -> str:
        """``file:line: [code] field: message (got 'x'; allowed: a, b)``."""
        where = self.file + (f":{self.line}" if self.line else "")
        text = f"{where}: [{self.code}]"
        if self.field:
            text += f" {self.field}:"
        text += f" {self.message}"
        details = []
        if self.value is not None:
            details.append(f"got {self.value!r}")
        if self.allowed:
            shown = ", ".join(self.allowed[:12]) + (", ..." if len(self.allowed) > 12 else "")
            details.append(f"allowed: {shown}")
        if details:
            text += f" ({'; '.join(details)})"
        return one_line(text)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["allowed"] = list(self.allowed)
        return data


class PtceError(Exception):
    """An error the user can fix: bad input, a missing file, a bad option value.

    The CLI prints ``str(error)`` on one line to stderr and exits with code 1.
    """

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 field: str | None = None, value: object = None,
                 allowed: tuple[str, ...] | list[str] = (), key: str | None = None,
                 values: Mapping[str, object] | None = None) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.field = field
        self.value = value
        self.allowed = tuple(allowed)
        # A label of ``data/labels*.yaml`` (``errors.<key>``) and its fields, so that a
        # renderer can say the error in the user's language; ``message`` is the English text.
        self.key = key
        self.values = dict(values or {})
        super().__init__(self._render())

    def naming(self, names: Mapping[str, str]) -> str:
        """``str(error)`` with its field named through ``names`` when it is there: the command
        line names its option (``--k``) where the library names its parameter
        (``n_clusters``)."""
        return self._render(names.get(self.field or "", self.field))

    def _render(self, field: str | None = None) -> str:
        field = field or self.field
        parts = []
        if self.file:
            parts.append(self.file + (f":{self.line}" if self.line else "") + ":")
        if field:
            parts.append(f"{field}:")
        parts.append(self.message)
        text = " ".join(parts)
        if self.value is not None:
            text += f" (got {self.value!r})"
        if self.allowed:
            text += f"; allowed: {', '.join(self.allowed)}"
        return one_line(text)


def one_line(text: str) -> str:
    """Text for one line of a terminal: line breaks become spaces, and any other control
    character (ESC, BEL, NUL, ... in a file name or a value) is shown as ``\\x1b``."""
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


class ValidationFailed(PtceError):
    """Raised by loaders when input files have validation issues; carries every issue."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        first = issues[0].one_line()
        more = f" (and {len(issues) - 1} more problem(s); run `ptce validate` to see all)" \
            if len(issues) > 1 else ""
        super().__init__(first + more)

    def _render(self, field: str | None = None) -> str:  # the message is already complete
        return self.message


class NotFittedError(ValueError, AttributeError):
    """An estimator's result was asked for before ``fit`` (scikit-learn's contract: the same
    bases as ``sklearn.exceptions.NotFittedError``). A programming error, not a user's."""
