"""The commented template of a new case file (``ptce new``)."""

from __future__ import annotations

from string import Template
from typing import TYPE_CHECKING

from ptce_typology.errors import PtceError
from ptce_typology.resources import data_file

if TYPE_CHECKING:
    pass


def new_case_template(pole_id: str) -> str:
    """The commented YAML template of a new case, which validates as it is (all unknown)."""
    import re

    # fullmatch: with re.match, "$" also matches before a final newline ("abc\n").
    if not re.fullmatch(r"[a-z][a-z0-9_]*", pole_id) or len(pole_id) > 60:
        raise PtceError("a pole_id is lower-case snake_case (letters, digits, _), "
                        "starting with a letter", field="POLE_ID", value=pole_id)
    text = data_file("case_template.yaml").read_text(encoding="utf-8")
    return Template(text).substitute(pole_id=pole_id)
