"""HermiT through owlready2: the project is consistent, and deliberately broken data is
found inconsistent (so the check can fail)."""

from pathlib import Path

import pytest
from conftest import FIXTURES, header
from rdflib import Graph

from ctld.check.hermit import check_consistency
from ctld.check.validation import default_paths
from ctld.core.settings import Settings
from ctld.core.sources import load_sources

CASES = sorted((FIXTURES / "reasoning").glob("*.ttl"))


def test_ontology_with_authorities_is_consistent(settings: Settings) -> None:
    sources = load_sources(default_paths(settings))
    report = check_consistency(sources.graph)
    assert report.consistent
    assert report.unsatisfiable == ()
    assert report.triples == len(sources.graph)


@pytest.mark.parametrize("fixture", CASES, ids=[p.stem for p in CASES])
def test_fixture_verdict(settings: Settings, fixture: Path) -> None:
    assert header(fixture)["about"]
    graph = Graph().parse(settings.ontology_path) + Graph().parse(fixture)
    report = check_consistency(graph)
    assert report.consistent is fixture.stem.endswith(".consistent")


def test_unsatisfiable_class_is_named(settings: Settings) -> None:
    graph = Graph().parse(settings.ontology_path)
    graph.parse(
        data="@prefix ctld: <https://w3id.org/ctld/ontology#> .\n"
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "ctld:PersonEvent a owl:Class ; owl:intersectionOf ( ctld:Person ctld:Event ) .\n",
        format="turtle",
    )
    report = check_consistency(graph)
    assert report.consistent
    assert report.unsatisfiable == ("https://w3id.org/ctld/ontology#PersonEvent",)
    assert not report.ok
