"""The engine's dataset: the union of the graphs by default, FROM and the protocol's
graph parameters choose among the graphs held, nothing is ever fetched."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from ctld.engine import QueryRequest, RemoteEngine, StoreEngine
from ctld.errors import QueryRefusedError, StoreError

G1, G2 = "http://e/g1", "http://e/g2"


@pytest.fixture(scope="module")
def engine() -> StoreEngine:
    store = ox.Store()
    p = ox.NamedNode("http://e/p")
    a = ox.Triple(ox.NamedNode("http://e/a"), p, ox.Literal("a"))
    b = ox.Triple(ox.NamedNode("http://e/b"), p, ox.Literal("b"))
    for triple, graphs in ((a, [G1, G2]), (b, [G2])):  # a is asserted by both graphs
        for graph in graphs:
            store.add(ox.Quad(*triple, ox.NamedNode(graph)))
        store.add(ox.Quad(*triple))  # the default graph holds the union, as ctld.store loads it
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


def test_unacceptable_format(engine: StoreEngine) -> None:
    with pytest.raises(QueryRefusedError) as caught:
        engine.run(QueryRequest("ASK {}", "text/turtle"))
    assert caught.value.status == 406


def test_unreachable_remote() -> None:
    with pytest.raises(StoreError, match="cannot reach"):
        RemoteEngine("http://127.0.0.1:1/query", timeout=2).run(QueryRequest("ASK {}"))
