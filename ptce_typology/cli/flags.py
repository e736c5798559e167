"""The flag of each parameter that an analysis names in its errors (``field="conditions"``):
the CLI shows ``--conditions``, a notebook user sees the parameter."""

from __future__ import annotations

from ptce_typology.errors import PtceError

FLAGS = {
    # analysis.qca
    "conditions": "--conditions",
    "outcome": "--outcome",
    "incl_cut": "--incl-cut",
    "dir_exp": "--dir-exp",
}


def as_flags(err: PtceError) -> str:
    """The error's one line, its parameter named by the CLI's flag."""
    if err.field not in FLAGS:
        return str(err)
    return str(PtceError(err.message, file=err.file, line=err.line, field=FLAGS[err.field],
                         value=err.value, allowed=err.allowed))
