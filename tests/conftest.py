from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ptce_typology.cli import app

# The suite runs one worker per core, so a report forking a second process (ptce_typology.parallel)
# only adds work; tests/test_parallel.py turns it back on and holds the forked report to the
# serial one's bytes.
os.environ.setdefault("PTCE_PARALLEL", "0")

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
needs_chromium = pytest.mark.skipif(
    not (CHROMIUM and DRIVER), reason="chromium and chromedriver are not installed "
                                      "(.ci/run installs Debian's chromium and chromium-driver)")


def chromium(tmp_path: Path, width: int, height: int):
    """A headless Chromium driven by selenium, its window this size; the caller quits it."""
    pytest.importorskip("selenium", reason="selenium is a test extra")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                 f"--user-data-dir={tmp_path / 'profile'}", f"--window-size={width},{height}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(DRIVER), options=options)


# The modules that read the session's study and its rendered reports. pytest-xdist computes a
# session fixture once per worker: these modules go to one worker, so that the suite computes
# the study once and renders it once in each language.
ONE_STUDY_MODULES = {"tests/test_html.py", "tests/test_french.py"}


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadscope`` (pyproject.toml), with ONE_STUDY_MODULES as one scope."""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class OneStudyScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            scope = super()._split_scope(nodeid)
            return "one study" if scope in ONE_STUDY_MODULES else scope

    return OneStudyScheduling(config, log)


@pytest.fixture
def run():
    """Run the real CLI; returns the click Result (stdout and stderr kept apart)."""
    runner = CliRunner()

    def invoke(*args: str, **kwargs):
        return runner.invoke(app, [str(a) for a in args], **kwargs)

    return invoke


@pytest.fixture(scope="session")
def temoins():
    from ptce_typology import load_cases

    return load_cases()


@pytest.fixture(scope="session")
def frame(temoins):
    from ptce_typology import cases_frame

    return cases_frame(temoins)


GOLDEN = Path(__file__).parent / "golden"
#: The bundled case files, counted on disk: a loader that skipped one would read fewer.
BUNDLED = sum(1 for folder in ("temoins", "poles")
              for _ in (REPO / "data" / "cases" / folder).glob("*.yaml"))
PAPER = REPO.parent / "shared" / "seed" / "podlewski-2014-ptce-riuess.txt"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite the golden files from the current output.")


@pytest.fixture
def golden(request):
    """Compare text with tests/golden/NAME; `pytest --update-golden` rewrites it."""

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if request.config.getoption("--update-golden"):
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
        assert path.exists(), f"no golden file {name}; run pytest --update-golden"
        assert text == path.read_text(encoding="utf-8"), f"output differs from golden {name}"

    return check


def normalise(text: str) -> str:
    import re

    text = re.sub(r"\[\d+\]", "", text)  # footnote markers
    text = text.replace("*", "").replace("’", "'").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="session")
def paper_text():
    if not PAPER.exists():
        pytest.skip(f"the paper is not at {PAPER} (../shared is beside the checkout in CI)")
    return normalise(PAPER.read_text(encoding="utf-8"))


REPORT_EPOCH = "1400000000"  # 2014-05-13: the report's date, so that reruns are identical
REPORT_RESAMPLES = 5  # the report's tests test the page, not the bootstrap


def build_report(path: Path, *args: str) -> Path:
    """``ptce report`` with the session study's options and a fixed date; the HTML file."""
    from ptce_typology.resources import examples_dir

    result = CliRunner().invoke(
        app, ["report", "--classify", str(examples_dir() / "le_periscope.yaml"),
              "--resamples", str(REPORT_RESAMPLES), "-o", str(path), *args],
        env={"SOURCE_DATE_EPOCH": REPORT_EPOCH})
    assert result.exit_code == 0, result.stderr
    return path


@pytest.fixture(scope="session")
def study():
    """The one study of the test session: the bundled témoins, Le Périscope placed, as
    ``ptce report --classify data/examples/le_periscope.yaml --resamples 5`` computes it
    (``test_html.py::test_byte_identical_rerun`` holds the command to these bytes)."""
    from ptce_typology.resources import examples_dir
    from ptce_typology.study import run_study

    return run_study(None, [examples_dir() / "le_periscope.yaml"],
                     resamples=REPORT_RESAMPLES)


def _render(study, lang: str, path: Path) -> Path:
    import os

    from ptce_typology.render.html import render_html
    from ptce_typology.render.write import atomic_write

    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = REPORT_EPOCH
    try:
        atomic_write(path, render_html(study, lang))
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before
    return path


@pytest.fixture(scope="session")
def report_file(study, tmp_path_factory):
    """The session study's English report."""
    return _render(study, "en", tmp_path_factory.mktemp("report") / "report.html")


@pytest.fixture(scope="session")
def french_report(study, tmp_path_factory):
    """The session study's French report (``--lang fr``)."""
    return _render(study, "fr", tmp_path_factory.mktemp("report") / "rapport.html")
