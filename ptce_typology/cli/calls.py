"""The national calls: ``ptce calls``."""

from __future__ import annotations

from ptce_typology.cli.app import command, emit
from ptce_typology.cli.options import Caption, Cases, Format, Label, Lang, Output, Paper


@command("calls")
def calls_cmd(
    cases: Cases = None,
    fmt: Format = "table",
    lang: Lang = "en",
    paper: Paper = "a4",
    output: Output = None,
    caption: Caption = None,
    label: Label = None,
) -> None:
    """The ledger of the national calls 2013-2025: laureates announced, named in the sources,
    bundled, and whether each list is complete (default: every bundled pole).

    Example: ptce calls --format md --lang fr
    """
    from ptce_typology.analysis.calls import calls_ledger
    from ptce_typology.frame import load_frame
    from ptce_typology.render.calls import ledger_json, ledger_sections
    from ptce_typology.render.formats import render_sections

    ledger = calls_ledger(load_frame(cases or ["all"]))
    emit(render_sections(ledger_sections(ledger, lang), fmt,
                         paper=paper, json_data=ledger_json(ledger),
                         label=label or "tab:calls", lang=lang, caption=caption), output, lang)
