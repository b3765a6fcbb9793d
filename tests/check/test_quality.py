"""The SPARQL quality checks, driven by data: each fixture in tests/fixtures/checks
names the check in its file name and the exact number of rows it must return."""

from pathlib import Path

import pytest
from conftest import FIXTURES, header
from rdflib import Graph

from ctld.check.quality import load_checks, run_check
from ctld.core.errors import QueryFileError
from ctld.core.settings import Settings

CHECK_FIXTURES = sorted((FIXTURES / "checks").glob("*.ttl"))


def _check_name(fixture: Path) -> str:
    return fixture.name.split(".")[0]


def test_at_least_the_required_checks_exist(settings: Settings) -> None:
    names = {c.name for c in load_checks(settings.checks_dir)}
    assert len(names) >= 5
    assert {
        "duplicate-labels",
        "resolution-without-metadata",
        "organization-without-type",
        "missing-inverse",
    } <= names


@pytest.mark.parametrize("fixture", CHECK_FIXTURES, ids=[p.name for p in CHECK_FIXTURES])
def test_check_fixture(settings: Settings, fixture: Path) -> None:
    checks = {c.name: c for c in load_checks(settings.checks_dir)}
    check = checks[_check_name(fixture)]
    graph = Graph().parse(settings.ontology_path) + Graph().parse(fixture)
    rows = run_check(graph, check)
    assert len(rows) == int(header(fixture)["expect-rows"]), rows
    assert all(row.message for row in rows)


def test_every_check_has_a_bad_and_a_good_fixture(settings: Settings) -> None:
    kinds = {(_check_name(p), p.name.split(".")[1]) for p in CHECK_FIXTURES}
    for check in load_checks(settings.checks_dir):
        if check.name.startswith("ontology-"):
            continue  # run against the ontology itself, see test_ontology_check_fires
        assert (check.name, "bad") in kinds and (check.name, "good") in kinds, check.name


def test_ontology_check_fires_on_an_unlabelled_term(settings: Settings) -> None:
    checks = {c.name: c for c in load_checks(settings.checks_dir)}
    graph = Graph().parse(settings.ontology_path)
    graph.parse(
        data="@prefix ctld: <https://w3id.org/ctld/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "ctld:Unlabelled a owl:Class ; rdfs:isDefinedBy <https://w3id.org/ctld/ontology> ;\n"
        '    rdfs:label "Unlabelled"@en .\n',
        format="turtle",
    )
    rows = run_check(graph, checks["ontology-term-annotations"])
    assert {r.focus for r in rows} == {"https://w3id.org/ctld/ontology#Unlabelled"}
    assert len(rows) == 5  # four missing languages and the definition


def test_a_check_must_select_focus(tmp_path: Path) -> None:
    (tmp_path / "nofocus.rq").write_text("SELECT ?x WHERE { ?x ?p ?o }\n", encoding="utf-8")
    with pytest.raises(QueryFileError, match="focus"):
        load_checks(tmp_path)


def test_a_broken_check_names_its_file(tmp_path: Path) -> None:
    (tmp_path / "broken.rq").write_text("SELECT ?focus WHERE { ?focus \n", encoding="utf-8")
    (check,) = load_checks(tmp_path)
    with pytest.raises(QueryFileError, match=r"broken\.rq"):
        run_check(Graph(), check)
