"""JSON with a stable key order and no NaN."""

from __future__ import annotations

import json
import math
from typing import Any


def to_json(data: Any) -> str:
    """JSON with a stable key order and no NaN (missing values become null)."""
    return json.dumps(_jsonable(data), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if value is None or isinstance(value, (str, int, bool)):
        return value
    try:
        import numpy as np
        import pandas as pd

        if value is pd.NA:
            return None
        if isinstance(value, np.integer):
            return int(value)
        if isinstance(value, np.floating):
            return _jsonable(float(value))
        if isinstance(value, np.bool_):
            return bool(value)
    except ImportError:  # pragma: no cover
        pass
    return str(value)
