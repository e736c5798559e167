"""Safe, strict YAML reading with line numbers.

Only YAML's standard tags are constructed (nothing executes); a duplicate key is an error
rather than last-wins; alias expansion and nesting are bounded; every value's line is kept so
that validation can say where a problem is.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml

from ptce_typology.errors import Issue, PtceError

MAX_FILE_BYTES = 1_000_000
# C0 and C1 control characters other than tab, line feed and carriage return: a terminal acts
# on them (ESC sequences), so no value may hold one (YAML refuses them raw, tables too).
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
MAX_DEPTH = 32
MAX_NODES = 100_000

_SAFE_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path_ = tuple[Any, ...]


class IssueError(Exception):
    """Internal: a problem that stops the reading of one file."""

    def __init__(self, issue: Issue) -> None:
        super().__init__(issue.one_line())
        self.issue = issue


def read_bytes(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file, read with a bound: a FIFO, a device (a link to /dev/zero),
    a folder or a file without read permission is an issue, never a hang or a huge read."""
    import errno
    import os
    import stat

    name = str(path)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise IssueError(Issue("file-not-found", name, "no such file")) from None
    except OSError as err:
        if err.errno == errno.ENOENT:
            raise IssueError(Issue("file-not-found", name, "no such file")) from None
        raise IssueError(Issue("file-unreadable", name,
                               f"cannot open the file: {err.strerror or err}")) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = ("a folder" if stat.S_ISDIR(info.st_mode) else "a FIFO"
                    if stat.S_ISFIFO(info.st_mode) else "a device" if stat.S_ISCHR(info.st_mode)
                    or stat.S_ISBLK(info.st_mode) else "not a regular file")
            raise IssueError(Issue("file-unreadable", name,
                                   f"this is {kind}, not a regular file"))
        if info.st_size > max_bytes:
            raise IssueError(Issue("file-too-large", name, f"file is {info.st_size:,} bytes; "
                                   f"the limit is {max_bytes:,}"))
        chunks = []
        total = 0
        while True:  # bounded whatever st_size says (a file growing while read)
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                raise IssueError(Issue("file-too-large", name,
                                       f"file is over the limit of {max_bytes:,} bytes"))
        return b"".join(chunks)
    except OSError as err:
        raise IssueError(Issue("file-unreadable", name,
                               f"cannot read the file: {err.strerror or err}")) from None
    finally:
        os.close(fd)


def read_text(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> str:
    """The file's text: UTF-8 (a BOM is allowed), not empty, not over ``max_bytes``."""
    return decode_text(read_bytes(path, max_bytes=max_bytes), str(path))


def decode_text(raw: bytes, name: str) -> str:
    """The text of a file's bytes: UTF-8 (a BOM is allowed), not empty."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise IssueError(Issue(
            "file-encoding", name,
            f"byte 0x{raw[err.start]:02x} at offset {err.start} is not UTF-8; "
            "save the file as UTF-8", line=line)) from None
    if not text.strip():
        raise IssueError(Issue("file-empty", name, "the file is empty"))
    return text


def read_yaml(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> tuple[Any, dict[Path_, int]]:
    """Parse one YAML file safely (:func:`parse_yaml`)."""
    return parse_yaml(read_bytes(path, max_bytes=max_bytes), str(path))


def parse_yaml(raw: bytes, name: str) -> tuple[Any, dict[Path_, int]]:
    """Parse the bytes of one YAML document safely.

    Returns the data and a map from each value's path (a tuple of keys and list indexes) to
    its 1-based line. Raises :class:`IssueError` on the first problem that stops reading.
    """
    text = decode_text(raw, name)
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent and line.strip():
            raise IssueError(Issue("yaml-tab", name,
                                   "a tab is used for indentation; indent with spaces",
                                   line=number))
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else None
        problem = " ".join(str(p) for p in (err.context, err.problem) if p)
        problem = (problem or "invalid YAML") + _syntax_hint(problem)
        raise IssueError(Issue("yaml-syntax", name, problem, line=line)) from None
    except yaml.YAMLError as err:
        raise IssueError(Issue("yaml-syntax", name, str(err).splitlines()[0])) from None
    if node is None:
        raise IssueError(Issue("file-empty", name, "the file holds no YAML document"))
    return _Converter(name).run(node)


_STR_TAG = "tag:yaml.org,2002:str"
# YAML refuses them raw; an escape ("\e", "\x07") would still let one through.
_CONTROL_MESSAGE = "a control character (such as ESC, BEL or NUL) is not allowed"
_YAML11_TAGS = {"tag:yaml.org,2002:" + name for name in ("int", "float", "bool")}
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_DECIMAL_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")
_BOOLEANS = {"yes", "no", "true", "false"}


def _core_schema_fix(kind: str, raw: str) -> str | None:
    """The message for a plain scalar YAML 1.1 reads in a way a case file must not rely on
    (a base, a leading zero, ``_``, ``:``, ``on``/``off``), or None when it reads as written.

    >>> _core_schema_fix("int", "010")
    'YAML 1.1 reads 010 as 8 (octal); write 10, or quote it if it is text'
    >>> _core_schema_fix("int", "10") is None, _core_schema_fix("bool", "Yes") is None
    (True, True)
    """
    if kind == "bool":
        if raw.lower() in _BOOLEANS:
            return None
        meant = "yes" if raw.lower() == "on" else "no"
        return f"YAML 1.1 reads {raw} as {meant}; write {meant}, or quote it if it is text"
    if (_DECIMAL if kind == "int" else _DECIMAL_FLOAT).fullmatch(raw):
        return None
    read = yaml.load(raw, Loader=_Loader)
    digits = raw.replace("_", "")
    if kind == "int" and re.fullmatch(r"[-+]?[0-9]+", digits):
        meant = str(int(digits, 10))  # the decimal number the writer meant (010, 1_0)
    else:
        meant = str(read)
    how = ("octal" if re.fullmatch(r"[-+]?0[0-7_]+", raw) else "hexadecimal" if "x" in raw
           else "binary" if "b" in raw else "base 60" if ":" in raw
           else "digits grouped by _" if "_" in raw else "YAML 1.1")
    return f"YAML 1.1 reads {raw} as {read} ({how}); write {meant}, or quote it if it is text"


# The usual fix for the YAML errors people make when typing a case file by hand.
_SYNTAX_HINTS = (
    ("mapping values are not allowed",
     "a value holding « : » must be quoted: write \"...\" around it"),
    ("found character '\\t'", "indent with spaces, not tabs"),
    ("did not find expected key", "check the indentation of this line and the one before"),
    ("found unexpected ':'", "a value holding « : » must be quoted"),
    ("expected <block end>", "check the indentation: a line is less indented than its block"),
    ("found undefined alias", "a value starting with * must be quoted"),
    ("found character that cannot start any token",
     "a value starting with @, ` or % must be quoted"),
    ("while scanning a quoted scalar", "a quote is not closed"),
)


def _syntax_hint(problem: str) -> str:
    for pattern, hint in _SYNTAX_HINTS:
        if pattern in problem:
            return f" ({hint})"
    return ""


class _Converter:
    def __init__(self, name: str) -> None:
        self.name = name
        self.lines: dict[Path_, int] = {}
        self.count = 0
        self.constructor = yaml.constructor.SafeConstructor()

    def run(self, node: yaml.Node) -> tuple[Any, dict[Path_, int]]:
        return self.convert(node, (), 0), self.lines

    def check_core_schema(self, node: yaml.ScalarNode, path: Path_) -> None:
        """Refuse a plain number or boolean that YAML 1.1 (PyYAML) reads otherwise than a
        reader of the YAML 1.2 core schema, or than its writer meant: ``010`` (8), ``1:20``
        (80), ``0x1F``, ``0b101``, ``1_0``, and ``on``/``off``. Case files are YAML 1.2 in
        spirit: decimal numbers, and only ``yes``/``no``/``true``/``false`` as booleans."""
        fix = _core_schema_fix(node.tag.rpartition(":")[2], node.value)
        if fix is not None:
            raise IssueError(Issue(
                "invalid-value", self.name, fix, line=node.start_mark.line + 1,
                field=".".join(str(p) for p in path) or None, value=node.value))

    def fail(self, code: str, message: str, node: yaml.Node, path: Path_) -> IssueError:
        field = ".".join(str(p) for p in path) or None
        return IssueError(Issue(code, self.name, message, line=node.start_mark.line + 1,
                                field=field))

    def convert(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail("yaml-too-complex",
                            f"more than {MAX_NODES:,} values once aliases are expanded "
                            "(an alias bomb?)", node, path)
        if depth > MAX_DEPTH:
            raise self.fail("yaml-too-complex",
                            f"nesting deeper than {MAX_DEPTH} levels (or a recursive alias)",
                            node, path)
        if node.tag not in _SAFE_TAGS:
            raise self.fail("yaml-unsafe-tag",
                            f"tag {node.tag!r} is not allowed; case files hold plain data only",
                            node, path)
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self.fail("yaml-syntax", "a mapping key must be a plain value",
                                    key_node, path)
                key = self.convert(key_node, path, depth + 1)
                if key in result:
                    raise self.fail("yaml-duplicate-key",
                                    f"key {key!r} appears twice in this mapping "
                                    f"(first at line {self.lines[(*path, key)]})",
                                    key_node, (*path, key))
                self.lines[(*path, key)] = key_node.start_mark.line + 1
                result[key] = self.convert(value_node, (*path, key), depth + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        if node.tag == _STR_TAG:  # most values: the constructor would return node.value
            if CONTROL_RE.search(node.value):
                raise self.fail("invalid-value", _CONTROL_MESSAGE, node, path)
            return node.value
        try:
            value = self.constructor.construct_object(node)
        except (ValueError, OverflowError, TypeError):
            # Looks like a date or a number but is none (2014-02-30, 0x_, 5,000 digits).
            if node.tag.endswith(":timestamp"):
                return node.value  # the schema says why the date is impossible
            raise IssueError(Issue(
                "wrong-type", self.name, f"{node.value[:40]!r} looks like a number but "
                "cannot be read as one (or has over 4,300 digits); quote it if it is text",
                line=node.start_mark.line + 1,
                field=".".join(str(p) for p in path) or None)) from None
        if not node.style and node.tag in _YAML11_TAGS:  # plain ("" in libyaml, None in pure)
            self.check_core_schema(node, path)
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        if isinstance(value, str) and CONTROL_RE.search(value):
            raise self.fail("invalid-value", _CONTROL_MESSAGE, node, path)
        return value


def model_error(err: Any, target: object, lines: dict) -> PtceError:
    """The first problem of a pydantic ``ValidationError`` met while reading a bundled-style
    data file (the référentiel, the codebook), as one user error naming the file, the line
    and the field."""
    first = err.errors()[0]
    loc = tuple(first["loc"])
    line = next((lines[loc[:i]] for i in range(len(loc), 0, -1) if loc[:i] in lines), None)
    return PtceError(first["msg"].removeprefix("Value error, "), file=str(target), line=line,
                     field=".".join(map(str, loc)) or None)
