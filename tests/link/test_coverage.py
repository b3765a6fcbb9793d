"""External links: counted per class, and only ever to identifiers someone verified."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from ctld.build.run import BuildResult
from ctld.core.settings import Settings
from ctld.link.coverage import link_report, target_kind

CTLD = "https://w3id.org/ctld/ontology#"
IDENTIFIERS = ROOT / "docs" / "reference" / "identifiers.md"


@pytest.fixture(scope="module")
def report(release: tuple[Path, BuildResult]) -> dict:
    root, _ = release
    return link_report(Settings.discover(root), root / "dist")


def test_counts_per_class(report: dict) -> None:
    states = report[CTLD + "State"]
    assert len(states.entities) == 193 and states.targets["iso3166"] == 193
    assert not states.unlinked
    resolutions = report[CTLD + "SecurityCouncilResolution"]
    assert resolutions.targets["undocs"] == len(resolutions.entities) >= 3
    topics = report[CTLD + "Topic"]
    assert topics.targets["unbis"] == len(topics.linked) > 0
    assert CTLD + "NewsArticle" not in report


def test_links_only_to_verified_identifiers(report: dict) -> None:
    """Every Wikidata and UNBIS link the release makes is one the reference lists."""
    text = IDENTIFIERS.read_text(encoding="utf-8")
    verified = set(re.findall(r"\| (Q[0-9]+) \|", text))
    unbis = set(re.findall(r"\b(100[0-9]{4})\b", text))
    assert verified and unbis
    assert target_kind("http://www.wikidata.org/entity/Q1") == "wikidata"
    found = 0
    for entry in report.values():
        for entity in entry.linked:
            found += 1
            assert entity.startswith("https://w3id.org/ctld/id/")
    assert found > 200
    for path in sorted((ROOT / "data" / "authorities").glob("*.ttl")):
        body = path.read_text(encoding="utf-8")
        for qid in re.findall(r"\bwd:(Q[0-9]+)", body):
            assert qid in verified, f"{path.name}: {qid} is not a verified Wikidata item"
        for concept in re.findall(r"\bunbis:([0-9]+)", body):
            assert concept in unbis, f"{path.name}: UNBIS {concept} is not verified"


def test_command(release: tuple[Path, BuildResult]) -> None:
    root, _ = release
    done = subprocess.run(
        [sys.executable, "-m", "ctld", "--root", str(root), "links", "--dist", str(root / "dist"),
         "--format", "json"], capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["ctld:State"]["linked"] == 193
    assert data["ctld:Person"]["unlinked"] == len(data["ctld:Person"]["unlinked_entities"])
    text = subprocess.run(
        [sys.executable, "-m", "ctld", "--root", str(root), "links", "--dist", str(root / "dist"),
         "--unlinked"], capture_output=True, text=True, check=False,
    ).stdout  # fmt: skip
    assert "unlinked: https://w3id.org/ctld/id/person/vladimir-voronkov" in text
