from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ptce_typology.cli import app

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent


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


def build_report(path: Path, *args: str) -> Path:
    """``ptce report`` with 5 resamples and a fixed date; the HTML file's path."""
    from ptce_typology.resources import examples_dir

    result = CliRunner().invoke(
        app, ["report", "--classify", str(examples_dir() / "le_periscope.yaml"),
              "--resamples", "5", "-o", str(path), *args],
        env={"SOURCE_DATE_EPOCH": REPORT_EPOCH})
    assert result.exit_code == 0, result.stderr
    return path


@pytest.fixture(scope="session")
def report_file(tmp_path_factory):
    """The English report, built once per test session."""
    return build_report(tmp_path_factory.mktemp("report") / "report.html")


@pytest.fixture(scope="session")
def french_report(tmp_path_factory):
    """The French report (``--lang fr``), built once per test session."""
    return build_report(tmp_path_factory.mktemp("report") / "rapport.html", "--lang", "fr")
