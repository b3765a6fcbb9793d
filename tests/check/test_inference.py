"""ctld.check.inference: HermiT's verdict, what is materialised in graph/inferred, who is
blamed for an inconsistency, and a build without Java."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from ctld.check.hermit import ReasoningReport
from ctld.check.inference import reason
from ctld.core.dataset import ARTICLE_GRAPH, INFERRED_GRAPH, dataset_parts, load_parts
from ctld.core.errors import ToolMissingError
from ctld.core.settings import Settings

CTLD = "https://w3id.org/ctld/ontology#"
ID = "https://w3id.org/ctld/id/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
ARTICLE = """@prefix ctld: <https://w3id.org/ctld/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/ctld/id/event/t-1> a ctld:Conference ;
    skos:prefLabel "Conference (2019-05-16)"@en ;
    ctld:participant <https://w3id.org/ctld/id/person/vladimir-voronkov> .
"""


def store_with(settings: Settings, tmp_path: Path, articles: dict[str, str]) -> ox.Store:
    files = []
    for name, text in articles.items():
        path = tmp_path / f"{name}.ttl"
        path.write_text(text, encoding="utf-8")
        files.append(path)
    store = ox.Store()
    load_parts(store, dataset_parts(settings, files)[1:])
    return store


@pytest.fixture(scope="module")
def ontology(settings: Settings) -> Graph:
    return Graph().parse(settings.ontology_path)


def inferred(store: ox.Store) -> set[tuple[str, str, str]]:
    graph = ox.NamedNode(INFERRED_GRAPH)
    return {(q.subject.value, q.predicate.value, q.object.value)
            for q in store.quads_for_pattern(None, None, None, graph)}  # fmt: skip


def test_memberships_and_inverses_are_materialised(settings, ontology, tmp_path) -> None:
    store = store_with(settings, tmp_path, {"t": ARTICLE})
    result = reason(store, ontology)
    assert result.consistent is True and result.inferred > 0
    found = inferred(store)
    event, person = f"{ID}event/t-1", f"{ID}person/vladimir-voronkov"
    rdf_type = RDF_TYPE.value
    assert (event, rdf_type, f"{CTLD}Event") in found
    assert (event, rdf_type, "https://schema.org/Event") in found
    assert (person, f"{CTLD}participatedIn", event) in found
    assert (person, rdf_type, "http://xmlns.com/foaf/0.1/Agent") in found
    # what a graph asserts is never repeated in graph/inferred
    assert (event, rdf_type, f"{CTLD}Conference") not in found


def test_an_inconsistent_article_is_blamed(settings, ontology, tmp_path) -> None:
    bad = (
        "@prefix ctld: <https://w3id.org/ctld/ontology#> .\n"
        "<https://w3id.org/ctld/id/organization/unoct> a ctld:Person .\n"
    )
    store = store_with(settings, tmp_path, {"good": ARTICLE, "bad": bad})
    result = reason(store, ontology)
    assert result.consistent is False
    assert result.blamed == (f"{ARTICLE_GRAPH}bad",)
    assert not inferred(store)


def test_without_java_inference_is_skipped_and_says_why(settings, ontology, tmp_path) -> None:
    def no_java(path: Path, triples: int) -> ReasoningReport:
        raise ToolMissingError("no Java runtime on PATH: HermiT needs Java 17")

    store = store_with(settings, tmp_path, {"t": ARTICLE})
    result = reason(store, ontology, hermit=no_java)
    assert result.consistent is None
    assert result.skipped is not None and "Java" in result.skipped
    assert not inferred(store)


def test_materialise_adds_what_the_sparql_rules_add(settings, ontology, tmp_path) -> None:
    """The memberships are computed in Python; they must be the triples the SPARQL
    updates (domain and range typing, then superclasses) insert."""
    from rdflib import RDFS

    from ctld.check.inference import _INVERSE, _inverse_pairs, _typing, _values, materialise

    ancestors: dict[str, tuple[str, ...]] = {}
    for cls in set(ontology.subjects(RDFS.subClassOf)):
        above = {str(c) for c in ontology.transitive_objects(cls, RDFS.subClassOf)} - {str(cls)}
        ancestors[str(cls)] = tuple(sorted(a for a in above if a.startswith("http")))
    paths = sorted(settings.graphs_dir.glob("*.ttl"))
    files = {p.stem: p.read_text(encoding="utf-8") for p in paths}
    ours, rules = store_with(settings, tmp_path, files), store_with(settings, tmp_path, files)
    materialise(ours, ontology, ancestors)
    graph = str(ox.NamedNode(INFERRED_GRAPH))
    rules.update(_INVERSE.substitute(graph=graph, values=_values(_inverse_pairs(ontology))))
    typing = (
        "INSERT { GRAPH $g { NODE a ?c } } WHERE { VALUES (?p ?c) { $v } GRAPH ?x { ?s ?p ?o } "
        "FILTER(isIRI(NODE)) FILTER NOT EXISTS { GRAPH ?h { NODE a ?c } } }"
    )
    for position, rows in _typing(ontology, ancestors).items():
        text = typing.replace("NODE", position).replace("$g", graph)
        rules.update(text.replace("$v", _values(rows)))
    supers = [(d, a) for d in ancestors for a in ancestors[d]]
    rules.update(
        f"INSERT {{ GRAPH {graph} {{ ?s a ?sup }} }} WHERE {{ VALUES (?c ?sup) {{ "
        f"{_values(supers)} }} GRAPH ?g {{ ?s a ?c }} FILTER(isIRI(?s)) "
        "FILTER NOT EXISTS { GRAPH ?h { ?s a ?sup } } }"
    )
    assert inferred(ours) == inferred(rules) and len(inferred(ours)) > 1000
