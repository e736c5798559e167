"""The tidy table of poles as readers see it: the JSON of ``ptce list`` and the report's data
table, with the values that rest on an inference marked."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import TYPE_CHECKING

from ptce_typology.render.labels import text

#: The language the case files' notes are written in.
CASE_FILE_LANG = "en"

if TYPE_CHECKING:
    import pandas as pd

    from ptce_typology.intake.codebook import Codebook


def split_list(cell: object) -> list[str]:
    """A ``;``-joined cell of the tidy frame as a list (empty cell: empty list)."""
    if not isinstance(cell, str):
        return []
    return [part for part in cell.split(";") if part]


def poles_json(frame: pd.DataFrame) -> list[dict]:
    """The tidy frame as ``ptce list --format json`` prints it.

    Parameters
    ----------
    frame
        The tidy frame (``load_frame``).

    Returns
    -------
    list of dict
        One object per pole, keys as the CSV's columns (``pole_id`` first), except
        ``inferred``: a list of the columns whose value rests on an inferred one
        (``basis: inferred``), empty when none.
    """
    records = frame.reset_index().to_dict(orient="records")
    for record in records:
        if "inferred" in record:
            record["inferred"] = split_list(record["inferred"])
    return records


def marked_table_html(frame: pd.DataFrame, columns: list[str],
                      notes: Mapping[str, Mapping[str, str]], lang: str) -> str:
    """An HTML table of some columns of the tidy frame, labelled, where each value resting on
    an inference is followed by an "(inferred)" mark whose title gives the reasoning (the
    value's note).

    Parameters
    ----------
    frame
        The tidy frame (keys as column names, with the ``inferred`` column).
    columns
        The columns to show, in order.
    notes
        pole_id -> column -> the reasoning behind the inferred value
        (:func:`~ptce_typology.intake.records.inferred_notes`); a pole without notes keeps a
        bare mark.
    lang
        Language of the labels and of the mark.
    """
    import pandas as pd

    from ptce_typology.vocabulary import label_frame

    mark = html.escape(text("data.inferred", lang))
    inferred = frame["inferred"] if "inferred" in frame.columns else None
    shown = label_frame(frame[columns], lang).astype(object)
    for i, pole in enumerate(frame.index):
        marked = set(split_list(inferred.iat[i])) if inferred is not None else set()
        for j, key in enumerate(columns):
            value = shown.iat[i, j]
            cell = "" if pd.isna(value) else html.escape(str(value))
            if key in marked:
                note = html.escape(notes.get(pole, {}).get(key, ""), quote=True)
                cell += f' <span class="inferred" title="{note}">{mark}</span>'
            shown.iat[i, j] = cell
    name = shown.index.name
    shown.index = [html.escape(str(p)) for p in shown.index]
    shown.index.name = html.escape(str(name)) if name else None
    shown.columns = [html.escape(str(c)) for c in shown.columns]
    # The index heads its own column (pandas would give its name a row of its own).
    return shown.reset_index().to_html(escape=False, border=0, na_rep="", index=False,
                         classes="tbl").replace(' class="dataframe tbl"', "")


def inferred_titles(notes: Mapping[str, Mapping[str, str]],
                    rules: Mapping[str, Mapping[str, str]], codebook: Codebook | None,
                    lang: str) -> dict[str, dict[str, str]]:
    """pole_id -> column -> what the "(inferred)" mark of the value says when hovered: in the
    case files' language the value's note (its reasoning); in another language the codebook
    rule the value applies, in that language (``data.inferred_title``).

    Parameters
    ----------
    notes, rules
        pole_id -> column -> the note, and the rule id, of each inferred value
        (:func:`~ptce_typology.intake.records.inferred_by_pole`: notes and rules).
    codebook
        The codebook whose rules the inferred values name (None: the rule's id only).
    lang
        The reader's language.
    """
    if lang == CASE_FILE_LANG:
        return {pole: dict(columns) for pole, columns in notes.items()}
    known = codebook.rules() if codebook is not None else {}

    def title(rule: str) -> str:
        found = known.get(rule)
        return text("data.inferred_title", lang, rule=rule,
                    rule_text=getattr(found[1].text, lang) if found else "").strip(" :")

    return {pole: {column: title(rule) for column, rule in columns.items()}
            for pole, columns in rules.items()}
