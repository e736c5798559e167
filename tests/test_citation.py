"""CITATION.cff: the software and its data set are citable, in the Citation File Format 1.2.0
(validated against its published JSON Schema, a fixture: the tests need no network)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from ptce_typology import __version__

REPO = Path(__file__).resolve().parents[1]
# The schema as published at https://citation-file-format.github.io/1.2.0/schema.json
# (CC-BY-4.0), copied from the cffconvert 2.0.0 wheel, which vendors it.
SCHEMA = Path(__file__).parent / "fixtures" / "cff-schema-1.2.0.json"


@pytest.fixture(scope="module")
def citation():
    return yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))


def _errors(document) -> list[str]:
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is a test extra")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(document)]


def test_citation_file_is_valid_cff(citation):
    assert _errors(citation) == []


def test_the_schema_check_finds_an_error(citation):
    broken = {**citation, "cff-version": "1.1.0", "authors": []}
    del broken["message"]
    found = " ".join(_errors(broken))
    assert "'message' is a required property" in found
    assert "1.1.0" in found and "authors" in found


def test_it_cites_the_software_the_data_and_the_paper(citation):
    assert citation["version"] == __version__
    assert set(citation["license"]) == {"MIT", "CC-BY-4.0"}
    paper, data = citation["references"]
    assert paper["authors"][0]["family-names"] == "Podlewski" and paper["year"] == 2014
    assert paper["url"] == "https://shs.hal.science/halshs-01142474"
    assert paper["title"].startswith("Intelligence collective, dynamiques culturelles")
    assert data["type"] == "data" and data["license"] == "CC-BY-4.0"
