"""The engine's dataset: the union of the graphs by default, FROM and the protocol's
graph parameters choose among the graphs held, nothing is ever fetched."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from ctld.core.errors import QueryRefusedError, StoreError
from ctld.query.engine import QueryRequest, RemoteEngine, StoreEngine
from ctld.query.store import Release, union_store

G1, G2 = "http://e/g1", "http://e/g2"
CTLD = "https://w3id.org/ctld/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"


@pytest.fixture(scope="module")
def engine() -> StoreEngine:
    store = ox.Store()
    p = ox.NamedNode("http://e/p")
    a = ox.Triple(ox.NamedNode("http://e/a"), p, ox.Literal("a"))
    b = ox.Triple(ox.NamedNode("http://e/b"), p, ox.Literal("b"))
    for triple, graphs in ((a, [G1, G2]), (b, [G2])):  # a is asserted by both graphs
        for graph in graphs:
            store.add(ox.Quad(*triple, ox.NamedNode(graph)))
        store.add(ox.Quad(*triple))  # the default graph holds the union (ctld.query.store)
    return StoreEngine(store)


def values(engine: StoreEngine, text: str, **options: object) -> list[str]:
    body = engine.run(QueryRequest(text, **options)).body  # type: ignore[arg-type]
    return sorted(b["o"]["value"] for b in json.loads(body)["results"]["bindings"])


def test_union_default_graph(engine: StoreEngine) -> None:
    assert values(engine, "SELECT ?o WHERE { ?s ?p ?o }") == ["a", "b"]


def test_from_selects_held_graphs(engine: StoreEngine) -> None:
    assert values(engine, f"SELECT ?o FROM <{G1}> WHERE {{ ?s ?p ?o }}") == ["a"]
    both = f"SELECT ?o FROM <{G1}> FROM <{G2}> WHERE {{ ?s ?p ?o }}"
    assert values(engine, both) == ["a", "a", "b"]  # FROM merges per query, as pyoxigraph does
    assert values(engine, "SELECT ?o FROM <http://127.0.0.1:9/x> WHERE { ?s ?p ?o }") == []
    named = f"SELECT ?o FROM NAMED <{G2}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    assert values(engine, named) == ["a", "b"]


def test_protocol_graphs_override(engine: StoreEngine) -> None:
    text = f"SELECT ?o FROM <{G1}> WHERE {{ ?s ?p ?o }}"
    assert values(engine, text, default_graphs=(G2,)) == ["a", "b"]
    assert values(engine, "SELECT ?o WHERE { ?s ?p ?o }", named_graphs=(G1,)) == []
    with pytest.raises(QueryRefusedError, match="graph IRI"):
        values(engine, "SELECT ?o WHERE { ?s ?p ?o }", default_graphs=("not an iri",))


def test_union_store_answers_what_reads_no_named_graph(engine: StoreEngine) -> None:
    """The union-only store answers a query only when nothing in it, or in the request,
    can reach a named graph; a marker triple held by the union store alone shows which
    store answered."""
    union = ox.Store()
    union.extend(engine.store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    union.add(ox.Quad(ox.NamedNode("http://e/c"), ox.NamedNode("http://e/p"), ox.Literal("c")))
    routed = StoreEngine(engine.store, union)
    everything = "SELECT ?o WHERE { ?s ?p ?o }"
    assert values(routed, everything) == ["a", "b", "c"]
    assert values(routed, "SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }") == ["a", "a", "b"]
    unasserted = "SELECT ?o WHERE { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }"
    assert values(routed, unasserted) == []
    assert values(routed, f"SELECT ?o FROM <{G1}> WHERE {{ ?s ?p ?o }}") == ["a"]
    assert values(routed, everything, default_graphs=(G2,)) == ["a", "b"]
    assert values(routed, everything, named_graphs=(G1,)) == []


def test_union_store_gives_the_same_answers(store: ox.Store, release: tuple) -> None:
    """On the real release, queries without GRAPH answer alike from both stores."""
    root, _ = release
    union = union_store(Release(root / "dist"))
    full, routed = StoreEngine(store), StoreEngine(store, union)
    for text in (
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        f"SELECT ?e ?p ?l WHERE {{ ?e a <{CTLD}Event> ; <{CTLD}participant> ?p . "
        f"?p <{SKOS}prefLabel> ?l }} ORDER BY ?e ?p ?l",
        "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c",
        "DESCRIBE <https://w3id.org/ctld/id/organization/unoct>",
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 500",
    ):
        expected = full.run(QueryRequest(text))
        assert expected.count > 0
        assert routed.run(QueryRequest(text)) == expected


def test_unacceptable_format(engine: StoreEngine) -> None:
    with pytest.raises(QueryRefusedError) as caught:
        engine.run(QueryRequest("ASK {}", "text/turtle"))
    assert caught.value.status == 406


def test_unreachable_remote() -> None:
    with pytest.raises(StoreError, match="cannot reach"):
        RemoteEngine("http://127.0.0.1:1/query", timeout=2).run(QueryRequest("ASK {}"))
