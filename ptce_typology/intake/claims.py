"""The paper's claims as data (``data/paper_claims.yaml``): what each figure of the paper
asserts, with its verbatim quote and section."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from ptce_typology.errors import PtceError
from ptce_typology.intake.yamlread import IssueError, parse_yaml, read_yaml
from ptce_typology.resources import data_bytes, data_file


class Claim(BaseModel):
    """One figure the paper publishes: its kind (total, count, share, named, range, mean),
    the descriptor or column it counts, the expected value with its tolerance, the French
    quote and section it comes from, an English summary (``en``) and notes."""
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    kind: Literal["total", "count", "share", "named", "range", "mean", "unmeasured"]
    descriptor: str | None = None
    category: str | None = None
    column: str | None = None
    expected: Any
    tolerance: float = 0.0
    interval: tuple[float, float] | None = None
    match: Literal["exact", "include"] = "exact"
    section: str
    quote: str
    en: str
    note: str | None = None
    note_fr: str | None = None


    @field_validator("expected")
    @classmethod
    def _expected_fits_kind(cls, value: Any, info: ValidationInfo) -> Any:
        """What ``expected`` holds depends on the kind: a number, two numbers (range) or a
        list of pole ids (named); ``expected: twelve`` is an error here, not a crash later."""
        kind = info.data.get("kind")
        if kind == "unmeasured":  # what the paper says, as it says it: no field to compute
            ok = isinstance(value, (str, int, float)) and not isinstance(value, bool)
            wanted = "a number or a short text"
        elif kind == "named":
            ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
            wanted = "a list of pole ids"
        elif kind == "range":
            ok = isinstance(value, list) and len(value) == 2 and all(map(_number, value))
            wanted = "two numbers [low, high]"
        else:
            ok = _number(value)
            wanted = "a number"
        if not ok:
            raise ValueError(f"expected must be {wanted} for a {kind} claim")
        return value

    @field_validator("tolerance")
    @classmethod
    def _finite_tolerance(cls, value: float) -> float:
        if not math.isfinite(value) or value < 0:
            raise ValueError("tolerance must be a finite number >= 0")
        return value


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) \
        and math.isfinite(value)


class ClaimFile(BaseModel):
    """The claims file: a list of :class:`Claim` with unique ids."""
    model_config = ConfigDict(extra="forbid")
    claims: list[Claim] = Field(min_length=1)


def load_claims(path: Path | str | None = None) -> list[Claim]:
    """The claims of ``data/paper_claims.yaml`` (or of another file of the same shape)."""
    target = Path(path) if path else data_file("paper_claims.yaml")
    try:
        data, lines = (read_yaml(target) if path
                       else parse_yaml(data_bytes("paper_claims.yaml"), str(target)))
        return ClaimFile.model_validate(data).claims
    except IssueError as err:
        raise PtceError(err.issue.message, file=str(target), line=err.issue.line) from None
    except ValidationError as err:
        first = err.errors()[0]
        loc = tuple(first["loc"])
        line = None
        for cut in range(len(loc), -1, -1):  # the line of the field, or of its claim
            if loc[:cut] in lines:
                line = lines[loc[:cut]]
                break
        value = None if first["type"] == "missing" else _short(first.get("input"))
        raise PtceError(first["msg"].removeprefix("Value error, "), file=str(target), line=line,
                        field=".".join(str(p) for p in loc) or None, value=value) from None


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
