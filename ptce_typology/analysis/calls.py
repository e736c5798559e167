"""The ledger of the national calls (``ptce calls``): for each call, the laureates announced,
how many are named (by a bundled case file or by a source that no case file holds), how the
bundled poles stand, and whether the list is complete — so that a reader sees which
comparisons rest on complete lists."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ptce_typology.vocabulary import NOT_APPLICABLE, UNKNOWN, vocabulary

if TYPE_CHECKING:
    import pandas as pd

LEDGER_COLUMNS = ("column", "results_year", "announced", "named", "bundled_yes", "bundled_no",
                  "bundled_unknown", "bundled_not_applicable", "complete")


def calls_ledger(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per national call, in call order.

    Parameters
    ----------
    frame
        The tidy frame of the poles the ledger counts (usually every bundled pole).

    Returns
    -------
    pandas.DataFrame
        Index ``call`` (``call_2013`` ... ``ami_2025``). Columns: ``column`` (of the tidy
        frame), ``results_year``, ``announced`` (laureates announced; NA when no source read
        gives it), ``named`` (laureates named: the poles of ``frame`` coded ``yes`` plus the
        laureates a source names that no case file holds), ``bundled_yes``, ``bundled_no``,
        ``bundled_unknown``, ``bundled_not_applicable`` (poles of ``frame`` by their value),
        ``complete`` (every announced laureate is named: then a pole that had started and is
        not on the list is not a laureate, codebook rule calls.R1).
    """
    import pandas as pd

    rows = []
    for call, spec in vocabulary().calls.items():
        values = frame[spec["column"]].astype(object) if spec["column"] in frame.columns \
            else pd.Series(dtype=object)
        yes = int((values == "yes").sum())
        named = yes + len(spec.get("named_not_bundled") or [])
        announced = spec.get("announced")
        rows.append({"call": call, "column": spec["column"],
                     "results_year": spec.get("results_year"),
                     "announced": announced, "named": named, "bundled_yes": yes,
                     "bundled_no": int((values == "no").sum()),
                     "bundled_unknown": int((values == UNKNOWN).sum()),
                     "bundled_not_applicable": int((values == NOT_APPLICABLE).sum()),
                     "complete": bool(announced is not None and named >= announced)})
    ledger = pd.DataFrame(rows, columns=("call", *LEDGER_COLUMNS)).set_index("call")
    for column in ("results_year", "announced"):
        ledger[column] = ledger[column].astype("Int64")
    return ledger
