"""The HTML report: self-contained, every section present, checked in a real browser."""

from __future__ import annotations

import os
import re
import sys

import pytest
from conftest import build_report, chromium, needs_chromium

from ptce_typology.render.html import SECTIONS


def test_every_section_is_there(report_file):
    text = report_file.read_text(encoding="utf-8")
    for key in SECTIONS:
        assert f'id="{key}"' in text, key
    # map, laureates' ellipses, tree, gains, co-clustering, gap heat map
    assert text.count("<svg") == 6
    assert "le_periscope" in text and "Pôle Sud Archer" in text


def test_self_contained(report_file):
    text = report_file.read_text(encoding="utf-8")
    assert "<script" not in text
    assert not re.search(r'(src|href)="(https?:)?//[^"]*\.(css|js|png|svg|woff2?)"', text)
    assert "<link" not in text
    # links to sources are plain anchors, which need no network to render the page
    assert 'href="https://shs.hal.science/halshs-01142474"' in text


def test_sha256_and_versions_in_footer(report_file):
    text = report_file.read_text(encoding="utf-8")
    footer = text[text.index('<footer id="reproducibility">'):]
    assert re.search(r"<code>[0-9a-f]{64}</code>", footer)
    assert "numpy" in footer and "seed 0" in footer and "paris_mix.yaml" in footer


def test_byte_identical_rerun(report_file, tmp_path, monkeypatch):
    # The command, run again, writes the bytes the session's study rendered: a rerun is
    # identical, and the command is run_study then render_html, nothing more. The session
    # renders in one process (PTCE_PARALLEL=0, conftest.py); the command here shares its work
    # with a forked child where it can (ptce_typology.parallel), and still writes those bytes.
    from ptce_typology.parallel import forking

    monkeypatch.delenv("PTCE_PARALLEL", raising=False)
    assert forking() or not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2
    again = build_report(tmp_path / "again.html")
    assert again.read_bytes() == report_file.read_bytes()
    assert "2014-05-13" in again.read_text(encoding="utf-8")


def test_french_report(french_report):
    text = french_report.read_text(encoding="utf-8")
    assert '<html lang="fr">' in text and "recalculés" in text
    assert "Table de vérité" in text and "Logiciels utilisés" in text


def test_missing_output_folder(run, tmp_path):
    result = run("report", "-o", tmp_path / "no" / "r.html")
    assert result.exit_code == 1 and "output folder" in result.stderr


@needs_chromium
def test_report_in_headless_chromium(report_file, tmp_path):
    import matplotlib.image as mpimg
    import numpy as np
    from selenium.webdriver.common.by import By

    driver = chromium(tmp_path, 1280, 1600)
    try:
        driver.get(report_file.resolve().as_uri())
        for key in SECTIONS:
            element = driver.find_element(By.ID, key)
            assert element.is_displayed() or key == "reproducibility"
        assert len(driver.find_elements(By.CSS_SELECTOR, "figure svg")) == 6
        errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
        assert errors == []
        shot = tmp_path / "report.png"
        assert driver.save_screenshot(str(shot))
    finally:
        driver.quit()
    pixels = mpimg.imread(shot)
    assert pixels.shape[0] > 500 and pixels.shape[1] > 500
    assert float(np.std(pixels[..., :3])) > 0.05  # not a blank page
    assert float(np.mean(pixels[..., :3] < 0.5)) > 0.005  # some dark text


def test_small_data_report_says_what_is_not_computable(run, tmp_path):
    from synthetic import synthetic_table, write_csv

    table = synthetic_table(6, seed=1)
    table["laureate_2013"] = "no"
    path = write_csv(table, tmp_path / "six.csv")
    out = tmp_path / "six.html"
    result = run("report", "--cases", path, "--k", "2", "--resamples", "5", "-o", out)
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "Not computable on these data" in text and 'id="gap"' in text


def test_the_sensitivity_headline_is_beside_the_partition(report_file, french_report):
    for path, title in ((report_file, "How far the data determine this partition"),
                        (french_report, "Ce que les données déterminent de cette partition")):
        page = path.read_text(encoding="utf-8")
        clusters = page[page.index('id="clusters"'):page.index('id="sensitivity"')]
        assert title in clusters and "ARI" in clusters


@pytest.mark.parametrize(("english", "french"), [
    (("Categories on dimensions 1 and 2", "Squared correlation ratios", "Benzécri"),
     ("Modalités sur les axes 1 et 2", "Rapports de corrélation", "Greenacre (taux ajusté)")),
    (("concentration ellipses (90 %)", "Mean points of the categories of “Laureate of at least "
      "one national call”", "finite-population correction"),
     ("ellipses de concentration (90 %)", "Points moyens des modalités", "population finie")),
], ids=["mca_tables", "laureates_mean_points"])
def test_the_clusters_section_holds(report_file, french_report, english, french):
    # The MCA's tables, and the laureates' mean points beside the map, in both languages.
    for path, words in ((report_file, english), (french_report, french)):
        page = path.read_text(encoding="utf-8")
        clusters = page[page.index('id="clusters"'):page.index('id="sensitivity"')]
        for word in words:
            assert word in clusters, word


def test_sections_in_a_readers_order(report_file):
    # The summary first, the analyses, then the data and sources as an appendix.
    page = report_file.read_text(encoding="utf-8")
    order = [page.index(f'id="{key}"') for key in SECTIONS]
    assert order == sorted(order)
    assert SECTIONS[0] == "summary" and SECTIONS.index("data") > SECTIONS.index("gap")
    summary = page[page.index('id="summary"'):page.index('id="typology"')]
    assert "Poles studied: 13" not in summary and "Poles studied: 12" in summary
    assert "New poles placed against the typology: 1." in summary


def test_no_empty_index_name_row_under_a_header(report_file, french_report):
    for path in (report_file, french_report):
        page = path.read_text(encoding="utf-8")
        heads = re.findall(r"<thead>.*?</thead>", page, flags=re.S)
        assert len(heads) > 20
        for head in heads:
            rows = re.findall(r"<tr[^>]*>(.*?)</tr>", head, flags=re.S)
            for row in rows:
                cells = re.findall(r"<th[^>]*>(.*?)</th>", row, flags=re.S)
                assert any(c.strip() for c in cells[1:]) or len(cells) == 1, head


def test_the_twelve_report_keeps_its_title(french_report, report_file):
    assert "<h1>PTCE typology: the twelve témoin poles of Podlewski (2014)</h1>" in \
        report_file.read_text(encoding="utf-8")
    assert "<h1>Typologie des PTCE : les douze pôles témoins de Podlewski (2014)</h1>" in \
        french_report.read_text(encoding="utf-8")


def test_the_sections_built_beside_the_figures_hold_none(study, monkeypatch):
    # render_html builds every section outside FIGURE_SECTIONS while the figures are drawn
    # (in the forked child, where there is one): none of them may need a figure.
    from ptce_typology.render import html as report

    page = report._page(study, "en")

    def no_figure(self, key: str, caption: str) -> str:
        raise AssertionError(f"a figure ({key}) in a section built beside the figures")

    monkeypatch.setattr(report._Page, "figure", no_figure)
    plain = [key for key in report.BUILDERS if key not in report.FIGURE_SECTIONS]
    assert plain and set(report.FIGURE_SECTIONS) < set(report.BUILDERS)
    for key in plain:
        assert report.BUILDERS[key](page).strip()
    with pytest.raises(AssertionError, match="a figure"):
        report.BUILDERS["clusters"](page)
