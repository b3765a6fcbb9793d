"""The authority data as a whole: the generated states are current, every UN member
state is there once, and the relations the extractor reads are in place."""

import subprocess
import sys

from conftest import ROOT
from rdflib import Graph

from ctld.core.namespaces import CTLD
from ctld.core.settings import Settings
from ctld.extract.authorities import Authorities


def test_generated_states_are_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_states.py"), "--check"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_un_member_state_once(settings: Settings) -> None:
    graph = Graph()
    for name in ("states.ttl", "un-member-states.ttl"):
        graph.parse(settings.authorities_dir / name)
    codes = [str(c) for c in graph.objects(None, CTLD.iso3166Alpha3)]
    listed = [
        line.split(",")[0]
        for line in (ROOT / "data" / "reference" / "un-member-states.csv").read_text().splitlines()
        if line and not line.startswith(("#", "alpha3"))
    ]
    assert len(listed) == 193
    assert sorted(codes) == sorted(listed)


def test_relations_the_extractor_reads(settings: Settings) -> None:
    authorities = Authorities.load(settings)
    unoct = "https://w3id.org/ctld/id/organization/unoct"
    assert "https://w3id.org/ctld/id/organization/united-nations" in authorities.ancestors[unoct]
    mou = authorities.instrument_between(
        str(CTLD.MemorandumOfUnderstanding),
        ["https://w3id.org/ctld/id/organization/rosfinmonitoring", unoct],
    )
    assert mou == "https://w3id.org/ctld/id/instrument/rosfinmonitoring-unoct-mou-2025"
    assert len(authorities.gazetteer.entities) > 600
