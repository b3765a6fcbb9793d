"""ctld writes SELECT results itself (to cut them at a row limit): each format must read
back, through pyoxigraph's own parsers, as exactly the terms that went in."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest

from ctld.results import boolean, solutions, table, triples

XSD = "http://www.w3.org/2001/XMLSchema#"
TERMS = [
    ox.NamedNode("https://w3id.org/ctld/id/person/vladimir-voronkov"),
    ox.Literal("Владимир Воронков", language="ru"),
    ox.Literal('tab\there, "quotes", new\nline, back\\slash, <tag> & co'),
    ox.Literal("2019-05-16", datatype=ox.NamedNode(XSD + "date")),
    ox.Literal("0012", datatype=ox.NamedNode(XSD + "integer")),
    ox.BlankNode("b0"),
    None,
]


def rows(limit: int = 100) -> tuple[list[str], list]:
    store = ox.Store()
    values = " ".join(f"({str(t) if t is not None else 'UNDEF'})" for t in TERMS)
    values = values.replace("_:b0", "UNDEF")
    result = store.query(f"SELECT ?x ?n WHERE {{ VALUES (?x) {{ {values} }} BIND(1 AS ?n) }}")
    return [v.value for v in result.variables], list(result)


@pytest.mark.parametrize(
    ("media_type", "fmt"),
    [
        ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
        ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
        ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
    ],
)
def test_round_trip(media_type: str, fmt: ox.QueryResultsFormat) -> None:
    names, solved = rows()
    payload = solutions(names, solved, media_type, 100)
    parsed = ox.parse_query_results(payload.body, format=fmt)
    assert [v.value for v in parsed.variables] == names
    back = [[row[i] for i in range(len(names))] for row in parsed]
    assert back == [[row[i] for i in range(len(names))] for row in solved]
    assert payload.count == len(solved) and not payload.truncated


def test_csv_is_rfc4180() -> None:
    names, solved = rows()
    payload = solutions(names, solved, "text/csv", 100)
    assert payload.body.endswith(b"\r\n")
    read = list(csv.reader(io.StringIO(payload.body.decode("utf-8"), newline="")))
    assert read[0] == ["x", "n"]
    assert read[3][0] == TERMS[2].value
    assert read[1][0] == TERMS[0].value


def test_row_limit_is_reported() -> None:
    names, solved = rows()
    payload = solutions(names, solved, "application/sparql-results+json", 3)
    assert payload.truncated and payload.count == 3
    assert len(json.loads(payload.body)["results"]["bindings"]) == 3
    exact = solutions(names, solved, "application/sparql-results+json", len(solved))
    assert not exact.truncated


def test_boolean() -> None:
    assert json.loads(boolean(True, "application/sparql-results+json").body)["boolean"] is True
    root = ET.fromstring(boolean(False, "application/sparql-results+xml").body)
    assert root.find("{http://www.w3.org/2005/sparql-results#}boolean").text == "false"


def test_table_reads_json_back() -> None:
    names, solved = rows()
    back_names, back = table(solutions(names, solved, "application/sparql-results+json", 99).body)
    assert back_names == names and back[1][0] == TERMS[1]


def test_triples_are_sorted_and_parse() -> None:
    p = ox.NamedNode("http://e/p")
    data = [ox.Triple(ox.NamedNode(f"http://e/{i}"), p, ox.Literal(str(i))) for i in (3, 1, 2)]
    for media_type, fmt in [
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/rdf+xml", ox.RdfFormat.RDF_XML),
        ("application/trig", ox.RdfFormat.TRIG),
    ]:
        payload = triples(data, media_type, 10, {"e": "http://e/"})
        back = {(q.subject, q.predicate, q.object) for q in ox.parse(payload.body, format=fmt)}
        assert back == {(t.subject, t.predicate, t.object) for t in data}, media_type
    lines = triples(data, "application/n-triples", 10, {}).body.decode().splitlines()
    assert lines == sorted(lines)
    cut = triples(data, "text/turtle", 2, {})
    assert cut.truncated and cut.count == 2
