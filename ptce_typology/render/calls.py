"""The ledger of the national calls as tables, in French or English."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ptce_typology.render.labels import text
from ptce_typology.vocabulary import vocabulary

if TYPE_CHECKING:
    import pandas as pd


def _head(key: str, lang: str) -> str:
    return text(f"calls.head.{key}", lang)


def ledger_table(ledger: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The ledger for reading: the call's name, results year, what it funded, laureates
    announced and named, the bundled poles by value, and whether the list is complete."""
    import pandas as pd

    calls = vocabulary().calls
    rows = []
    for call, row in ledger.iterrows():
        spec = calls[call]
        funded = spec.get("funded") or {}
        announced = row["announced"]
        rows.append({
            _head("call", lang): spec[lang],
            _head("results_year", lang): "" if pd.isna(row["results_year"])
            else str(int(row["results_year"])),
            _head("funded", lang): funded.get(lang, text("calls.not_given", lang)),
            _head("announced", lang): text("calls.not_given", lang) if pd.isna(announced)
            else str(int(announced)),
            _head("named", lang): str(int(row["named"])),
            _head("bundled", lang): text("calls.bundled", lang, yes=int(row["bundled_yes"]),
                                         no=int(row["bundled_no"]),
                                         unknown=int(row["bundled_unknown"]),
                                         na=int(row["bundled_not_applicable"])),
            _head("complete", lang): text(f"calls.complete.{bool(row['complete'])}", lang),
        })
    return pd.DataFrame(rows).set_index(_head("call", lang))


def ledger_sources(lang: str = "en") -> pd.DataFrame:
    """The sources of the ledger's figures: call, citation, url, quote."""
    import pandas as pd

    from ptce_typology.render.citations import citation_text

    rows = [{_head("call", lang): spec[lang],
             _head("citation", lang): citation_text(s.get("citation", ""), lang),
             _head("url", lang): s.get("url", ""), _head("quote", lang): s.get("quote", "")}
            for spec in vocabulary().calls.values() for s in spec.get("sources") or []]
    for spec in vocabulary().calls.values():
        for named in spec.get("named_not_bundled") or []:
            rows.append({_head("call", lang): spec[lang],
                         _head("citation", lang): text("calls.named_not_bundled", lang,
                                                       name=named.get("name", "")),
                         _head("url", lang): named.get("url", ""),
                         _head("quote", lang): named.get("quote", "")})
    columns = [_head(k, lang) for k in ("call", "citation", "url", "quote")]
    return pd.DataFrame(rows, columns=columns).set_index(columns[0])


def ledger_sections(ledger: pd.DataFrame, lang: str = "en") -> list[tuple[str, pd.DataFrame]]:
    """The ledger and its sources, titled in ``lang``."""
    return [(text("calls.title", lang), ledger_table(ledger, lang)),
            (text("calls.sources", lang), ledger_sources(lang))]


def ledger_json(ledger: pd.DataFrame) -> dict:
    """The ledger as plain data: one object per call with its sources."""
    import pandas as pd

    calls = vocabulary().calls
    out = []
    for call, row in ledger.iterrows():
        item = {"call": call}
        for key, value in row.items():
            item[key] = None if pd.isna(value) else (
                bool(value) if key == "complete" else
                int(value) if key != "column" else value)
        item["funded"] = calls[call].get("funded")
        item["named_not_bundled"] = calls[call].get("named_not_bundled") or []
        # a YAML date (2016-01-14) is read as a date: JSON gives it as written
        item["sources"] = [{k: str(v) for k, v in source.items()}
                           for source in calls[call].get("sources") or []]
        out.append(item)
    return {"calls": out}
