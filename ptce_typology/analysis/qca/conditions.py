"""Conditions of a QCA: specs such as ``NAME:column=value`` read against a table, and the
0/1 (or fuzzy) columns they make."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ptce_typology.errors import PtceError
from ptce_typology.vocabulary import NOT_APPLICABLE, UNKNOWN

# Values that answer nothing: the case is left out of a condition or outcome that holds one.
NO_VALUE = (UNKNOWN, NOT_APPLICABLE)


@dataclass(frozen=True)
class Condition:
    """A condition: its name in expressions and the rule that makes it 0 or 1 (or a
    fuzzy membership)."""

    name: str
    column: str
    rule: str            # "== value", ">= threshold", "> threshold", "0/1" or "membership"
    value: object = None


def parse_condition(spec: str, data: pd.DataFrame, fuzzy: bool = False,
                    parameter: str = "conditions") -> Condition:
    """``NAME:column=value``, ``column=value``, ``column>=x``, ``column>x`` or ``column``.

    A plain column must hold 0/1 values, or yes/no (then 1 means yes); with ``fuzzy`` it may
    also hold membership scores between 0 and 1. ``parameter`` (``"conditions"`` or
    ``"outcome"``) is the argument of :func:`~ptce_typology.analysis.qca.qca` an error names
    when the column does not exist.
    """
    name = None
    if ":" in spec:
        name, spec = spec.split(":", 1)
    match = re.fullmatch(r"\s*([^=<>!]+?)\s*(>=|>|=)\s*(.+?)\s*", spec)
    if match:
        column, op, value = match.groups()
    else:
        column, op, value = spec.strip(), None, None
    if column not in data.columns:
        raise PtceError("no such column", field=parameter, value=column,
                        allowed=list(data.columns))
    default = re.sub(r"[^A-Za-z0-9]+", "_", spec.strip()).strip("_").upper()
    name = (name or default).strip()
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name):
        raise PtceError("a condition name is letters, digits and _", value=name)
    if op is None:
        values = set(data[column].dropna().astype(object)) - set(NO_VALUE)
        if values <= {0, 1, "0", "1"} and not fuzzy:
            return Condition(name, column, "0/1")
        if values <= {"yes", "no"}:
            return Condition(name, column, "== value", "yes")
        if fuzzy:
            scores = pd.to_numeric(pd.Series(sorted(values, key=str), dtype=object),
                                   errors="coerce")
            if scores.notna().all() and scores.between(0, 1).all():
                return Condition(name, column, "membership")
            raise PtceError("a fuzzy condition holds membership scores between 0 and 1",
                            field=column, value=", ".join(sorted(map(str, values)))[:80])
        raise PtceError("the column is not 0/1 or yes/no; say which value is 1 "
                        "(column=value or column>=number)", field=column,
                        value=", ".join(sorted(map(str, values)))[:80])
    if op == "=":
        _check_level(data[column], column, value)
        return Condition(name, column, "== value", value)
    try:
        threshold = float(value)
    except ValueError:
        raise PtceError("a threshold must be a number", field=column, value=value) from None
    if not np.isfinite(threshold):
        raise PtceError("a threshold must be a finite number", field=column, value=value)
    if not pd.api.types.is_numeric_dtype(data[column]):
        raise PtceError("a threshold needs a numeric column; use column=value",
                        field=column, value=f"{op}{value}")
    return Condition(name, column, f"{op} threshold", threshold)


def _check_level(values: pd.Series, column: str, value: str) -> None:
    """``column=value`` must name a category of the column (its vocabulary), a value it holds,
    or, for a numeric column, a number: anything else would be a condition that is 0 for
    every case."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        levels = [str(c) for c in values.cat.categories]
        if value not in levels:
            raise PtceError("not a category of the column", field=column, value=value,
                            allowed=levels)
        return
    if pd.api.types.is_numeric_dtype(values):
        try:
            number = float(value)
        except ValueError:
            number = float("nan")
        if not np.isfinite(number):
            raise PtceError("the column is numeric; give a number", field=column, value=value)
        return
    held = sorted({str(v) for v in values.dropna()} | {UNKNOWN})
    if value not in held:
        raise PtceError("no case has this value", field=column, value=value,
                        allowed=held[:12] + (["..."] if len(held) > 12 else []))


def binarise(data: pd.DataFrame, conditions: list[Condition]) -> tuple[pd.DataFrame, list]:
    """0/1 columns, one per condition; cases with an unknown value in any are left out
    (returned as the second item), and so are those for which the value is not applicable
    (a call that ran before the grouping started is neither won nor lost)."""
    out = {}
    missing = pd.Series(False, index=data.index)
    for cond in conditions:
        col = data[cond.column]
        obj = col.astype(object)
        unknown = col.isna() | obj.isin(NO_VALUE)
        if cond.rule in ("0/1", "membership"):
            values = pd.to_numeric(obj.where(~unknown), errors="coerce")
            bad = ~unknown & (~values.isin([0, 1]) if cond.rule == "0/1"
                              else ~values.between(0, 1))
            if bad.any():
                raise PtceError(f"a {cond.rule} condition holds another value",
                                field=cond.column, value=str(obj[bad].iloc[0]))
        elif cond.rule == "== value":
            if cond.value in NO_VALUE:  # asked for by name: a value like the others
                unknown = col.isna() | obj.isin([v for v in NO_VALUE if v != cond.value])
            values = (obj.astype(str) == str(cond.value)).astype(float)
        else:
            numbers = pd.to_numeric(obj.where(~unknown), errors="coerce")
            unknown = unknown | numbers.isna()
            values = (numbers >= cond.value) if cond.rule.startswith(">=") \
                else (numbers > cond.value)
            values = values.astype(float)
        missing |= unknown
        out[cond.name] = values
    frame = pd.DataFrame(out, index=data.index)
    left_out = list(frame.index[missing])
    if any(c.rule == "membership" for c in conditions):
        return frame[~missing].astype(float), left_out
    return frame[~missing].astype(int), left_out
