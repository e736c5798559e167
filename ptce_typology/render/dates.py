"""The date outputs carry: today's, or the one ``SOURCE_DATE_EPOCH`` gives (reproducible
builds), checked once, before anything reads it (numpy and matplotlib read it too, and fail
with a traceback on a value they cannot use)."""

from __future__ import annotations

import os
import re

#: The latest moment ``SOURCE_DATE_EPOCH`` may name: 9999-12-31 23:59:59 UTC (dates have
#: four-digit years).
MAX_EPOCH = 253_402_300_799


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` as seconds since 1970-01-01 UTC, or None when it is not set.

    Raises
    ------
    PtceError
        When it is set but is not ASCII digits (``²``, ``-1``, ``1e9``, an empty text) or
        names a moment after :data:`MAX_EPOCH`; the error names the variable.
    """
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None:
        return None
    if re.fullmatch(r"[0-9]{1,20}", raw) is None or int(raw) > MAX_EPOCH:
        from ptce_typology.render.errors import labelled_error

        raise labelled_error("source_date_epoch", field="SOURCE_DATE_EPOCH", value=raw,
                             max=MAX_EPOCH)
    return int(raw)
