"""ctld writes SELECT results itself (to cut them at a row limit): each format must read
back, through pyoxigraph's own parsers, as exactly the terms that went in."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ctld.query.results import (
    _OX_FORMATS,
    SOLUTION_TYPES,
    RowCounter,
    boolean,
    select,
    solutions,
    table,
    triples,
)

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


# Strings that make byte patterns of the formats' row boundaries inside a term.
TRICKY = [
    '},{"x":{', "{}", ",{}", '[{"', ',{":', "<result>", "<result/>", "</results>",
    "ends,{", "[{", 'a"b', "a'b", "line\nbreak", "crlf\r\nx", '"",""', "tab\there", "back\\slash\\",
]
FAST_TYPES = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv"]


def tricky_query(strings: list[str], empty: bool = True) -> str:
    """A row per string, with ?o unbound in every third row, and (if `empty`) a last
    row with nothing bound, which JSON writes as `{}` and ctld then counts by parsing."""
    values = " ".join(f"({json.dumps(s)} {i})" for i, s in enumerate(strings))
    return ("SELECT ?s ?o ?i WHERE { { VALUES (?s ?i) { " + values + " } "
            "OPTIONAL { FILTER(?i / 3 * 3 != ?i) BIND(<http://e/o> AS ?o) } }"
            + (" UNION {} }" if empty else " }"))  # fmt: skip


def both(store: ox.Store, text: str, media_type: str, limit: int) -> tuple:
    fast = select(store.query(text), media_type, limit, lambda: store.query(text))
    answer = store.query(text)
    slow = solutions([v.value for v in answer.variables], answer, media_type, limit)
    return fast, slow


@pytest.mark.parametrize("media_type", FAST_TYPES)
@pytest.mark.parametrize("limit", [0, 1, 5, len(TRICKY), len(TRICKY) + 1, len(TRICKY) + 2, 100])
def test_select_gives_the_python_writers_bytes(media_type: str, limit: int) -> None:
    """pyoxigraph writes answers under the limit, ctld's writers cut the others: both
    give the same bytes and counts, so a cut answer reads like a whole one."""
    fast, slow = both(ox.Store(), tricky_query(TRICKY), media_type, limit)
    assert fast == slow
    assert fast.count == min(limit, len(TRICKY) + 1)
    assert fast.truncated == (limit < len(TRICKY) + 1)


@given(st.lists(st.text(alphabet='{}[],":<>/\\\r\n\t\'rxesult ', max_size=12), max_size=8),
       st.integers(0, 10), st.sampled_from(FAST_TYPES), st.booleans())  # fmt: skip
@settings(max_examples=300, deadline=None)
def test_select_counts_any_strings(
    strings: list[str], limit: int, media_type: str, empty: bool
) -> None:
    text = tricky_query(strings, empty)
    fast, slow = both(ox.Store(), text, media_type, limit)
    assert fast == slow
    fmt = SOLUTION_TYPES[media_type]
    counter = RowCounter(fmt, 1000)
    counter.write(ox.Store().query(text).serialize(format=_OX_FORMATS[fmt]))
    assert counter.total() == len(strings) + empty


@pytest.mark.parametrize("empty", [True, False])
@pytest.mark.parametrize("media_type", FAST_TYPES)
def test_rows_split_between_chunks_are_counted_once(media_type: str, empty: bool) -> None:
    fmt = SOLUTION_TYPES[media_type]
    # without `{}` anywhere, JSON is counted from its patterns alone
    strings = TRICKY if empty else [s for s in TRICKY if "{}" not in s]
    body = ox.Store().query(tricky_query(strings, empty)).serialize(format=_OX_FORMATS[fmt])
    assert fmt != "json" or (b"{}" in body) == empty
    for size in range(1, 11):
        counter = RowCounter(fmt, 1000)
        for start in range(0, len(body), size):
            counter.write(body[start : start + size])
        assert counter.body() == body
        assert counter.total() == len(strings) + empty, size


def test_serialising_stops_past_the_limit() -> None:
    store = ox.Store()
    text = "SELECT ?i WHERE { VALUES ?i { " + " ".join(map(str, range(50_000))) + " } }"
    counter = RowCounter("json", 10)
    with pytest.raises(OSError):
        store.query(text).serialize(counter, format=ox.QueryResultsFormat.JSON)
    assert counter.past and len(counter.body()) < 100_000  # stopped early, not at the end
    payload = select(store.query(text), "application/sparql-results+json", 10,
                     lambda: store.query(text))  # fmt: skip
    assert payload.truncated and payload.count == 10
    assert len(json.loads(payload.body)["results"]["bindings"]) == 10


def test_tsv_is_always_ctlds_writer() -> None:
    """pyoxigraph's TSV writes "1"^^xsd:integer as 1, which ctld's writer (needed for
    cut answers) does not: TSV answers come from ctld's writer, whole or cut alike."""
    fast, slow = both(ox.Store(), tricky_query(TRICKY), "text/tab-separated-values", 100)
    assert fast == slow and b'"1"^^<http://www.w3.org/2001/XMLSchema#integer>' in fast.body


@pytest.mark.parametrize("media_type", FAST_TYPES)
@pytest.mark.parametrize("limit", [0, 1, 7])
def test_a_cut_answer_is_not_evaluated_again(media_type: str, limit: int) -> None:
    """Past the limit the serialiser's own output is cut at a row boundary, so the
    query runs once; only JSON holding `{}` is evaluated again, to be cut exactly."""
    store = ox.Store()
    strings = [s for s in TRICKY if "{}" not in s]
    for empty, evaluations in [(False, 0), (True, int(media_type.endswith("json")))]:
        text = tricky_query(strings, empty)
        calls = []

        def again(text: str = text, calls: list = calls) -> ox.QuerySolutions:
            calls.append(1)
            return store.query(text)

        fast = select(store.query(text), media_type, limit, again)
        answer = store.query(text)
        slow = solutions([v.value for v in answer.variables], answer, media_type, limit)
        assert fast == slow and fast.truncated and fast.count == limit
        assert len(calls) == evaluations, empty


@pytest.mark.parametrize("media_type", FAST_TYPES)
def test_a_cut_across_the_serialisers_chunks_gives_the_python_writers_bytes(
    media_type: str,
) -> None:
    """Rows of uneven length put the row boundaries at every offset of pyoxigraph's
    8 KiB chunks; each cut is the bytes ctld's writer gives for the rows kept."""
    strings = [f'{"x" * (i % 97)},{{"s":"{i}"}}' for i in range(3_000)]
    text = tricky_query(strings, empty=False)
    store = ox.Store()
    for limit in (1, 37, 100, 333, 1_000, 2_999):
        fast, slow = both(store, text, media_type, limit)
        assert fast == slow, limit
