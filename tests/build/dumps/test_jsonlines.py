"""ctld.build.dumps.jsonlines: node objects made from N-Triples lines are, byte for byte, the ones
ctld.build.dumps.jsonld's NodeWriter makes from the parsed triples, whatever the terms hold."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_jsonld import XSD, project, tricky  # noqa: F401  (project is a fixture)

from ctld.build.dumps.jsonld import NodeWriter, context, node_texts
from ctld.build.dumps.jsonlines import LineNodes
from ctld.core.namespaces import PREFIXES


def lines_of(triples: Iterable[ox.Triple]) -> bytes:
    """Sorted unique N-Triples lines, as the union dump holds them."""
    text = ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES)
    return b"".join(sorted(set(text.splitlines(keepends=True))))


def both(triples: Iterable[ox.Triple], ctx: dict[str, Any] | None = None) -> tuple[list, list]:
    chunk = lines_of(triples)
    writer = NodeWriter(ctx or context())
    parsed = ox.parse(chunk, format=ox.RdfFormat.N_TRIPLES)
    return list(node_texts(parsed, writer)), LineNodes(NodeWriter(ctx or context())).texts(chunk)


def test_the_project_data_gives_the_same_bytes(project: list[ox.Triple]) -> None:  # noqa: F811
    old, new = both(project)
    assert len(new) > 500
    assert new == old


def cannot_use_all() -> dict[str, Any]:
    entries = dict(context()["@context"])
    entries["@language"] = "en"
    entries["prefLabel"] = {"@id": "skos:prefLabel", "@container": "@language"}
    entries["adoptedBy"] = {"@id": "ctld:adoptedBy", "@type": "@vocab"}
    return {"@context": entries}


@pytest.mark.parametrize(
    "ctx",
    [None, {"@context": {}}, cannot_use_all(), context("https://example.org/ctld/")],
    ids=["published", "empty", "unusable-terms", "other-base"],
)
def test_tricky_terms_give_the_same_bytes(ctx: dict[str, Any] | None) -> None:
    old, new = both(tricky(), ctx)
    assert new == old


def test_lines_json_cannot_write_take_the_slow_way() -> None:
    """A \\u escape (a control character), a blank node and a base direction."""
    s, p = ox.NamedNode("http://example.org/s"), ox.NamedNode(PREFIXES["rdfs"] + "label")
    b = ox.BlankNode("x1")
    triples = [
        ox.Triple(s, p, ox.Literal("bell \x07 and delete \x7f")),
        ox.Triple(s, p, ox.Literal("مرحبا", language="ar", direction=ox.BaseDirection.RTL)),
        ox.Triple(s, p, b),
        ox.Triple(b, p, ox.Literal("from a blank node")),
    ]
    old, new = both(triples)
    assert new == old and len(new) == 2
    assert '"@direction":"rtl"' in new[1] or '"@direction":"rtl"' in new[0]


def test_an_empty_chunk_has_no_nodes() -> None:
    assert LineNodes(NodeWriter(context())).texts(b"") == []


texts = st.text(st.characters(codec="utf-8"), max_size=12)
iris = st.sampled_from([
    "https://w3id.org/ctld/id/organization/unoct",
    "https://w3id.org/ctld/id/article/a#t-1-2",
    "https://w3id.org/ctld/ontology#Organization",
    "http://example.org/x",
    "https://w3id.org/ctld/id/place/São_Paulo",
])  # fmt: skip
predicates = st.sampled_from([
    PREFIXES["rdf"] + "type",
    PREFIXES["skos"] + "prefLabel",
    "https://w3id.org/ctld/ontology#adoptedBy",
    "https://w3id.org/ctld/ontology#adoptionDate",
    "https://w3id.org/ctld/ontology#meetingNumber",
    "http://example.org/p",
])  # fmt: skip
datatypes = st.sampled_from(["date", "string", "integer", "gYear", "boolean"])
objects = st.one_of(
    iris.map(ox.NamedNode),
    texts.map(ox.Literal),
    st.tuples(texts, st.sampled_from(["en", "fr", "ru", "pt-br"])).map(
        lambda v: ox.Literal(v[0], language=v[1])
    ),
    st.tuples(texts, datatypes).map(
        lambda v: ox.Literal(v[0], datatype=ox.NamedNode(XSD + v[1]))
    ),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(iris, predicates, objects), max_size=25))
def test_any_triples_give_the_same_bytes(rows: list[tuple[str, str, Any]]) -> None:
    triples = [ox.Triple(ox.NamedNode(s), ox.NamedNode(p), o) for s, p, o in rows]
    old, new = both(triples)
    assert new == old
