"""The paper's claims as data (``data/paper_claims.yaml``): what each figure of the paper
asserts, with its verbatim quote and section."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ptce_typology.errors import PtceError
from ptce_typology.intake.yamlread import IssueError, read_yaml
from ptce_typology.resources import data_file


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


class ClaimFile(BaseModel):
    """The claims file: a list of :class:`Claim` with unique ids."""
    model_config = ConfigDict(extra="forbid")
    claims: list[Claim] = Field(min_length=1)


def load_claims(path: Path | str | None = None) -> list[Claim]:
    """The claims of ``data/paper_claims.yaml`` (or of another file of the same shape)."""
    target = Path(path) if path else data_file("paper_claims.yaml")
    try:
        data, _ = read_yaml(target)
        return ClaimFile.model_validate(data).claims
    except IssueError as err:
        raise PtceError(err.issue.message, file=str(target), line=err.issue.line) from None
    except ValidationError as err:
        first = err.errors()[0]
        raise PtceError(first["msg"], file=str(target),
                        field=".".join(str(p) for p in first["loc"])) from None
