"""`/sparql`: the SPARQL 1.1 Protocol against a real `ctld serve` (2 s limit, 1000 rows).

Expected answers come from pyoxigraph over the release's N-Quads directly, not from
ctld's result writers, and every answer is parsed with a reader of its own format.
"""

from __future__ import annotations

import csv
import io
import os
import socket
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import Namespace

from ctld.build.run import BuildResult
from ctld.query.results import GRAPH_TYPES, SOLUTION_TYPES

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
RESULTS = "{http://www.w3.org/2005/sparql-results#}"
CTLD = "https://w3id.org/ctld/ontology#"
ONTOLOGY_GRAPH = "https://w3id.org/ctld/graph/ontology"
VORONKOV = "https://w3id.org/ctld/id/person/vladimir-voronkov"
PERSONS = f"SELECT ?person WHERE {{ ?person a <{CTLD}Person> }} ORDER BY ?person"
ONTOLOGY = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }}"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def persons(store: ox.Store) -> list[str]:
    found = [row["person"].value for row in store.query(PERSONS)]
    assert len(found) > 3
    return found


@pytest.fixture(scope="module")
def ontology_triples(store: ox.Store) -> set[tuple[str, str, str]]:
    quads = store.quads_for_pattern(None, None, None, ox.NamedNode(ONTOLOGY_GRAPH))
    triples = {(str(q.subject), str(q.predicate), str(q.object)) for q in quads}
    assert len(triples) > 100
    return triples


def total_triples(store: ox.Store) -> int:
    return int(next(iter(store.query(COUNT)))["n"].value)


def bindings(response: httpx.Response) -> list[dict]:
    assert response.status_code == 200, response.text
    return response.json()["results"]["bindings"]


def nt_key(graph: rdflib.Graph) -> set[tuple[str, str, str]]:
    return {(s.n3(), p.n3(), o.n3()) for s, p, o in graph}


# --- the three ways to send a query ------------------------------------------------


def test_get_post_form_and_post_query_answer_the_same(
    client: httpx.Client, persons: list[str]
) -> None:
    accept = {"Accept": "application/sparql-results+json"}
    by_get = client.get("/sparql", params={"query": PERSONS}, headers=accept)
    by_form = client.post("/sparql", data={"query": PERSONS}, headers=accept)
    by_body = client.post(
        "/sparql",
        content=PERSONS.encode(),
        headers={**accept, "Content-Type": "application/sparql-query"},
    )
    for response in (by_get, by_form, by_body):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert by_get.content == by_form.content == by_body.content
    assert [b["person"]["value"] for b in bindings(by_get)] == persons


def test_a_form_with_an_unknown_content_type_is_refused(client: httpx.Client) -> None:
    response = client.post("/sparql", content=PERSONS, headers={"Content-Type": "text/plain"})
    assert response.status_code == 415


LATIN = 'ASK { FILTER("é" = "é") }'


@pytest.mark.parametrize(
    ("content", "content_type", "url"),
    [
        (LATIN.encode("latin-1"), "application/sparql-query", ""),
        (b"query=ASK%7BFILTER%28%22%E9%22%29%7D", "application/x-www-form-urlencoded", ""),
        (b"", "application/x-www-form-urlencoded", "?query=ASK%7BFILTER%28%22%E9%22%29%7D"),
    ],
    ids=["query-body", "form", "url"],
)
def test_text_not_in_its_charset_is_refused(
    client: httpx.Client, content: bytes, content_type: str, url: str
) -> None:
    """Bytes that are not UTF-8 get 400 naming the part of the request, never U+FFFD
    passed on to the parser as a puzzling syntax error."""
    response = client.post("/sparql" + url, content=content,
                           headers={"Content-Type": content_type})  # fmt: skip
    assert response.status_code == 400
    assert "not valid utf-8" in response.text and "syntax" not in response.text


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (LATIN.encode(), "application/sparql-query"),
        (LATIN.encode(), "application/sparql-query; charset=UTF-8"),
        (b"query=" + quote(LATIN).encode(), "application/x-www-form-urlencoded; charset=utf-8"),
        (b"query=" + LATIN.encode(), "application/x-www-form-urlencoded"),  # as curl --data
    ],
    ids=["utf-8", "declared-utf-8", "declared-utf-8-form", "raw-utf-8-form"],
)
def test_utf8_text_is_read(client: httpx.Client, content: bytes, content_type: str) -> None:
    response = client.post("/sparql", content=content, headers={
        "Content-Type": content_type, "Accept": "application/sparql-results+json"})  # fmt: skip
    assert response.status_code == 200, response.text
    assert response.json()["boolean"] is True


# The W3C SPARQL 1.1 Protocol suite's query tests, as (method, target, content type,
# body): the negative ones expect a 4xx, the positive ones a 2xx. Its update tests
# are all refusals here (read-only); its dataset tests name graphs of its own and are
# covered above with graphs of this store.
W3C_NEGATIVE = {
    "bad_query_method": ("PUT", "/sparql?query=ASK%20%7B%7D", None, b""),
    "bad_multiple_queries": ("GET", "/sparql?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D",
                             None, b""),
    "bad_query_wrong_media_type": ("POST", "/sparql", "text/plain", b"ASK {}"),
    "bad_query_missing_form_type": ("POST", "/sparql", None, b"query=ASK%20%7B%7D"),
    "bad_query_missing_direct_type": ("POST", "/sparql", None, b"ASK {}"),
    "bad_query_non_utf8": ("POST", "/sparql", "application/sparql-query; charset=UTF-16",
                           "ASK {}".encode("utf-16")),
    "bad_query_syntax": ("GET", "/sparql?query=ASK%20%7B", None, b""),
    "bad_update_get": ("GET", "/sparql?update=CLEAR%20ALL", None, b""),
    "bad_multiple_updates": ("POST", "/sparql", "application/x-www-form-urlencoded",
                             b"update=CLEAR%20NAMED&update=CLEAR%20DEFAULT"),
    "bad_update_wrong_media_type": ("POST", "/sparql", "text/plain", b"CLEAR NAMED"),
    "bad_update_missing_form_type": ("POST", "/sparql", None, b"update=CLEAR%20NAMED"),
    "bad_update_non_utf8": ("POST", "/sparql", "application/sparql-update; charset=UTF-16",
                            "CLEAR NAMED".encode("utf-16")),
    "bad_update_syntax": ("POST", "/sparql", "application/x-www-form-urlencoded",
                          b"update=CLEAR%20XYZ"),
    "update_post_form": ("POST", "/sparql", "application/x-www-form-urlencoded",
                         b"update=CLEAR%20ALL"),
    "update_post_direct": ("POST", "/sparql", "application/sparql-update", b"CLEAR ALL"),
}  # fmt: skip
W3C_POSITIVE = {
    "query_get": ("GET", "/sparql?query=ASK%20%7B%7D", None, b""),
    "query_post_form": ("POST", "/sparql", "application/x-www-form-urlencoded",
                        b"query=ASK%20%7B%7D"),
    "query_post_direct": ("POST", "/sparql", "application/sparql-query", b"ASK {}"),
    "query_content_type_select": ("POST", "/sparql", "application/sparql-query",
                                  b"SELECT (1 AS ?value) {}"),
    "query_content_type_ask": ("POST", "/sparql", "application/sparql-query", b"ASK {}"),
    "query_content_type_describe": ("POST", "/sparql", "application/sparql-query",
                                    b"DESCRIBE <http://example.org/>"),
    "query_content_type_construct": ("POST", "/sparql", "application/sparql-query",
                                     b"CONSTRUCT { <s> <p> 1 } WHERE {}"),
}  # fmt: skip


def test_relative_iris_resolve_against_the_base_iri(client: httpx.Client) -> None:
    """The W3C suite's `<s>` needs a base; the dataset's makes `<id/…>` its resources."""
    response = client.get("/sparql", params={"query": "ASK { <id/organization/unoct> ?p ?o }"},
                          headers={"Accept": "application/sparql-results+json"})  # fmt: skip
    assert response.json()["boolean"] is True
    text = "CONSTRUCT { <s> <p> 1 } WHERE {}"
    response = client.get("/sparql", params={"query": text, "format": "nt"})
    assert response.text.startswith("<https://w3id.org/ctld/s> <https://w3id.org/ctld/p> ")


def w3c_request(client: httpx.Client, case: tuple) -> httpx.Response:
    method, target, content_type, body = case
    headers = {"Content-Type": content_type} if content_type else {}
    return client.request(method, target, content=body, headers=headers)


@pytest.mark.parametrize("name", W3C_NEGATIVE)
def test_w3c_protocol_negative(client: httpx.Client, name: str) -> None:
    response = w3c_request(client, W3C_NEGATIVE[name])
    assert 400 <= response.status_code < 500, (response.status_code, response.text)
    assert response.text.strip()  # a message, not an empty refusal


@pytest.mark.parametrize("name", W3C_POSITIVE)
def test_w3c_protocol_positive(client: httpx.Client, name: str) -> None:
    response = w3c_request(client, W3C_POSITIVE[name])
    assert 200 <= response.status_code < 300, (response.status_code, response.text)
    kind = response.headers["content-type"].split(";")[0]
    if "select" in name or name.endswith(("ask", "get", "form", "direct")):
        assert kind in SOLUTION_TYPES
    else:
        assert kind in GRAPH_TYPES
        assert rdflib.Graph().parse(data=response.content, format=kind) is not None


def test_a_charset_other_than_utf8_is_refused(client: httpx.Client) -> None:
    kind = "application/sparql-query; charset=x-nope"
    response = client.post("/sparql", content=b"ASK {}", headers={"Content-Type": kind})
    assert response.status_code == 415 and "x-nope" in response.text


def test_two_query_parameters_are_refused(client: httpx.Client) -> None:
    response = client.get("/sparql", params=[("query", PERSONS), ("query", COUNT)])
    assert response.status_code == 400
    assert "query" in response.text


# --- the dataset: default-graph-uri, named-graph-uri, FROM ----------------------------


def test_default_graph_uri_gives_only_that_graph(
    client: httpx.Client, ontology_triples: set[tuple[str, str, str]]
) -> None:
    response = client.get(
        "/sparql",
        params={
            "query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
            "default-graph-uri": ONTOLOGY_GRAPH,
        },
        headers={"Accept": "application/n-triples"},
    )
    assert response.status_code == 200, response.text
    graph = rdflib.Graph().parse(data=response.text, format="nt")
    assert nt_key(graph) == ontology_triples


def test_without_a_dataset_the_default_graph_is_the_union(
    client: httpx.Client, store: ox.Store
) -> None:
    rows = bindings(client.get("/sparql", params={"query": COUNT}))
    assert int(rows[0]["n"]["value"]) == total_triples(store)
    # the RDF merge: a triple several graphs assert is counted once (pyoxigraph 0.5's
    # query-time union would count it once per graph)
    distinct = (
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
    )
    expected = int(next(iter(store.query(distinct)))["n"].value)
    assert int(rows[0]["n"]["value"]) == expected


def test_named_graph_uri_limits_the_named_graphs(client: httpx.Client) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    every = {b["g"]["value"] for b in bindings(client.get("/sparql", params={"query": query}))}
    assert ONTOLOGY_GRAPH in every and len(every) > 2
    chosen = client.get("/sparql", params={"query": query, "named-graph-uri": ONTOLOGY_GRAPH})
    assert [b["g"]["value"] for b in bindings(chosen)] == [ONTOLOGY_GRAPH]


@pytest.mark.parametrize("parameter", ["default-graph-uri", "named-graph-uri"])
def test_an_unknown_graph_gives_empty_results(client: httpx.Client, parameter: str) -> None:
    query = "SELECT * WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
    response = client.get(
        "/sparql", params={"query": query, parameter: "https://example.org/no-such-graph"}
    )
    assert bindings(response) == []


def test_from_chooses_a_graph_of_the_store(
    client: httpx.Client, ontology_triples: set[tuple[str, str, str]]
) -> None:
    query = f"SELECT (COUNT(*) AS ?n) FROM <{ONTOLOGY_GRAPH}> WHERE {{ ?s ?p ?o }}"
    rows = bindings(client.get("/sparql", params={"query": query}))
    assert int(rows[0]["n"]["value"]) == len(ontology_triples)


def test_the_protocols_dataset_overrides_the_querys(
    client: httpx.Client, ontology_triples: set[tuple[str, str, str]]
) -> None:
    """As the W3C suite's query_multiple_dataset checks: FROM names the ontology graph,
    default-graph-uri another, and the protocol's graph is the one read."""
    query = f"SELECT (COUNT(*) AS ?n) FROM <{ONTOLOGY_GRAPH}> WHERE {{ ?s ?p ?o }}"
    other = "https://w3id.org/ctld/graph/authorities"
    for graph, expected in [(other, None), (ONTOLOGY_GRAPH, len(ontology_triples))]:
        params = {"query": query, "default-graph-uri": graph}
        n = int(bindings(client.get("/sparql", params=params))[0]["n"]["value"])
        assert (n == expected) if expected else (n != len(ontology_triples) and n > 0)


# --- result formats -------------------------------------------------------------------


def parse_solutions(kind: str, response: httpx.Response) -> list[str]:
    """The `person` column of a SELECT answer, read with a parser of its format."""
    if kind == "json":
        return [b["person"]["value"] for b in response.json()["results"]["bindings"]]
    if kind == "xml":
        root = ET.fromstring(response.content)
        names = [v.get("name") for v in root.iter(f"{RESULTS}variable")]
        assert names == ["person"]
        return [uri.text or "" for uri in root.iter(f"{RESULTS}uri")]
    if kind == "csv":
        rows = list(csv.reader(io.StringIO(response.text)))
        assert rows[0] == ["person"]
        return [row[0] for row in rows[1:]]
    rows = list(csv.reader(io.StringIO(response.text), delimiter="\t"))
    assert rows[0] == ["?person"]
    assert all(row[0].startswith("<") and row[0].endswith(">") for row in rows[1:])
    return [row[0][1:-1] for row in rows[1:]]


SOLUTION_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}


@pytest.mark.parametrize("kind", SOLUTION_FORMATS)
def test_select_results_by_accept(client: httpx.Client, persons: list[str], kind: str) -> None:
    media_type = SOLUTION_FORMATS[kind]
    response = client.get("/sparql", params={"query": PERSONS}, headers={"Accept": media_type})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type
    assert "Accept" in response.headers["vary"]
    assert parse_solutions(kind, response) == persons


@pytest.mark.parametrize("kind", SOLUTION_FORMATS)
def test_select_results_by_format_parameter(
    client: httpx.Client, persons: list[str], kind: str
) -> None:
    response = client.get(
        "/sparql", params={"query": PERSONS, "format": kind}, headers={"Accept": "text/html"}
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == SOLUTION_FORMATS[kind]
    assert parse_solutions(kind, response) == persons


def test_a_literal_keeps_its_language_in_every_format(client: httpx.Client) -> None:
    query = (
        f"SELECT ?label WHERE {{ <{VORONKOV}> <http://www.w3.org/2004/02/skos/core#prefLabel>"
        ' ?label FILTER(LANG(?label) = "ru") }'
    )
    as_json = client.get("/sparql", params={"query": query}).json()
    assert as_json["results"]["bindings"] == [
        {"label": {"type": "literal", "value": "Владимир Воронков", "xml:lang": "ru"}}
    ]
    as_xml = ET.fromstring(client.get("/sparql", params={"query": query, "format": "xml"}).content)
    literal = next(as_xml.iter(f"{RESULTS}literal"))
    assert literal.text == "Владимир Воронков"
    assert literal.get("{http://www.w3.org/XML/1998/namespace}lang") == "ru"
    as_tsv = client.get("/sparql", params={"query": query, "format": "tsv"}).text
    assert as_tsv.splitlines()[1] == '"Владимир Воронков"@ru'


@pytest.mark.parametrize(
    ("query", "answer"),
    [
        (f"ASK {{ <{VORONKOV}> a <{CTLD}Person> }}", True),
        (f"ASK {{ <{VORONKOV}> a <{CTLD}Resolution> }}", False),
    ],
    ids=["true", "false"],
)
def test_ask(client: httpx.Client, query: str, answer: bool) -> None:
    as_json = client.get("/sparql", params={"query": query})
    assert as_json.status_code == 200, as_json.text
    assert as_json.json()["boolean"] is answer
    as_xml = client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+xml"}
    )
    node = ET.fromstring(as_xml.content).find(f"{RESULTS}boolean")
    assert node is not None and node.text == str(answer).lower()


GRAPH_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/trig": "trig",
}


def parse_graph(media_type: str, body: bytes) -> rdflib.Graph:
    if media_type == "application/trig":
        dataset = rdflib.Dataset()
        dataset.parse(data=body, format="trig")
        graph = rdflib.Graph()
        for s, p, o, _ in dataset.quads():
            graph.add((s, p, o))
        return graph
    return rdflib.Graph().parse(data=body, format=GRAPH_FORMATS[media_type])


@pytest.mark.parametrize("media_type", GRAPH_FORMATS)
def test_construct_in_every_rdf_format(
    client: httpx.Client, ontology_triples: set[tuple[str, str, str]], media_type: str
) -> None:
    response = client.get("/sparql", params={"query": ONTOLOGY}, headers={"Accept": media_type})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type
    assert response.headers["x-ctld-result-truncated"] == "false"
    graph = parse_graph(media_type, response.content)
    assert len(graph) == len(ontology_triples)
    assert nt_key(graph) == ontology_triples


@pytest.mark.parametrize(
    ("short", "media_type"),
    [
        ("turtle", "text/turtle"),
        ("jsonld", "application/ld+json"),
        ("rdfxml", "application/rdf+xml"),
        ("nt", "application/n-triples"),
    ],
)
def test_construct_by_format_parameter(
    client: httpx.Client, ontology_triples: set[tuple[str, str, str]], short: str, media_type: str
) -> None:
    response = client.get("/sparql", params={"query": ONTOLOGY, "format": short})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type
    assert len(parse_graph(media_type, response.content)) == len(ontology_triples)


def test_describe_gives_the_resource(client: httpx.Client) -> None:
    response = client.get(
        "/sparql", params={"query": f"DESCRIBE <{VORONKOV}>"}, headers={"Accept": "text/turtle"}
    )
    assert response.status_code == 200, response.text
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    me = rdflib.URIRef(VORONKOV)
    assert (me, rdflib.RDF.type, rdflib.URIRef(CTLD + "Person")) in graph
    assert rdflib.Literal("Владимир Воронков", lang="ru") in set(graph.objects(me, None))


@pytest.mark.parametrize(
    ("query", "accept"),
    [
        (PERSONS, "image/png"),
        (PERSONS, "text/turtle"),
        (ONTOLOGY, "application/sparql-results+json"),
    ],
    ids=["select-png", "select-turtle", "construct-json-results"],
)
def test_unsupported_accept_is_406(client: httpx.Client, query: str, accept: str) -> None:
    response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 406
    assert accept in response.text


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [("text/n3", "text/turtle"), ("application/json", "application/ld+json"),
     ("application/x-turtle;q=0.5, application/rdf+xml;q=0.4", "text/turtle")],
)  # fmt: skip
def test_a_graph_by_an_older_name(client: httpx.Client, accept: str, media_type: str) -> None:
    response = client.get("/sparql", params={"query": ONTOLOGY}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    for name in ("SELECT", "ASK"):  # results have no such alias: JSON stays SPARQL JSON
        text = PERSONS if name == "SELECT" else "ASK {}"
        answer = client.get("/sparql", params={"query": text},
                            headers={"Accept": "application/json"})  # fmt: skip
        assert answer.headers["content-type"].startswith("application/json"), name


def test_an_unusable_format_parameter_falls_back_to_accept(client: httpx.Client) -> None:
    # clients such as SPARQLWrapper send format values of their own naming with Accept
    params = {"query": PERSONS, "format": "png"}
    response = client.get("/sparql", params=params, headers={"Accept": "text/csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    refused = client.get("/sparql", params=params, headers={"Accept": "image/png"})
    assert refused.status_code == 406
    assert "format='png'" in refused.text


# --- service description and the query page -------------------------------------------


def test_service_description_in_turtle(client: httpx.Client, server: str) -> None:
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    services = list(graph.subjects(rdflib.RDF.type, SD.Service))
    assert len(services) == 1
    service = services[0]
    assert graph.value(service, SD.endpoint) == rdflib.URIRef(f"{server}/sparql")
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    formats = set(graph.objects(service, SD.resultFormat))
    assert {
        FORMATS.SPARQL_Results_JSON,
        FORMATS.SPARQL_Results_XML,
        FORMATS.SPARQL_Results_CSV,
        FORMATS.SPARQL_Results_TSV,
        FORMATS.Turtle,
        FORMATS["JSON-LD"],
    } <= formats
    assert (service, SD.feature, SD.UnionDefaultGraph) in graph
    assert not set(graph.objects(service, SD.supportedLanguage)) - {SD.SPARQL11Query}


def test_service_description_in_json_ld(client: httpx.Client) -> None:
    response = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.text, format="json-ld")
    assert len(list(graph.subjects(rdflib.RDF.type, SD.Service))) == 1


class Page(HTMLParser):
    """Scripts, style sheets, and the examples' text as a browser gives it to the page's
    script: the content of a <script> is raw text (character references stay as they
    are), that of a <textarea> has its character references decoded."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.options: list[str] = []
        self.examples: dict[str, str] = {}
        self._example: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script":
            if values.get("src"):
                self.scripts.append(values["src"] or "")
            if values.get("type") == "application/sparql-query":
                self._example = values.get("id") or ""
                self.examples[self._example] = ""
        elif tag == "textarea" and (values.get("id") or "").startswith("example-"):
            self._example = values.get("id") or ""
            self.examples[self._example] = ""
        elif tag == "link" and "stylesheet" in (values.get("rel") or ""):
            self.styles.append(values.get("href") or "")
        elif tag == "select":
            self._select = values.get("id")
        elif tag == "option" and values.get("value") and self._select == "examples":
            self.options.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "textarea"):
            self._example = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._example is not None:
            self.examples[self._example] += data


@pytest.fixture(scope="module")
def query_page(client: httpx.Client) -> Page:
    response = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = Page()
    page.feed(response.text)
    return page


def test_query_page_lists_the_packaged_queries(
    query_page: Page, release: tuple[Path, BuildResult]
) -> None:
    root, _ = release
    names = sorted(p.stem for p in (root / "sparql" / "queries").glob("*.rq"))
    assert names
    assert sorted(query_page.options) == names
    assert sorted(query_page.examples) == [f"example-{name}" for name in names]


def test_query_page_works_offline(query_page: Page, client: httpx.Client) -> None:
    assert query_page.scripts and query_page.styles
    for url in query_page.scripts + query_page.styles:
        assert url.startswith("/static/"), url
        assert client.get(url).status_code == 200, url


def test_query_page_examples_run_as_the_page_gives_them(
    query_page: Page, client: httpx.Client
) -> None:
    """The page's script copies an example's text into the query box as it stands in
    the <script> element; that text must be a query the endpoint runs."""
    for name, text in query_page.examples.items():
        response = client.post("/sparql", data={"query": text.strip()})
        assert response.status_code == 200, f"{name}: {response.text[:300]}"


# --- CORS -----------------------------------------------------------------------------


def test_cors_on_a_query(client: httpx.Client) -> None:
    response = client.get(
        "/sparql", params={"query": PERSONS}, headers={"Origin": "https://example.org"}
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] in ("*", "https://example.org")
    exposed = response.headers["access-control-expose-headers"].lower()
    assert "x-ctld-result-truncated" in exposed


def test_cors_preflight(client: httpx.Client) -> None:
    response = client.options(
        "/sparql",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] in ("*", "https://example.org")
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "content-type" in response.headers["access-control-allow-headers"].lower()


# --- a read-only endpoint ---------------------------------------------------------------

UPDATES = {
    "INSERT": "INSERT DATA { <https://example.org/a> <https://example.org/b> 1 }",
    "DELETE": "DELETE WHERE { ?s ?p ?o }",
    "DROP": "DROP ALL",
    "LOAD": "LOAD <https://example.org/data.ttl>",
    "CLEAR": "CLEAR DEFAULT",
    "CREATE": "CREATE GRAPH <https://example.org/g>",
    "COPY": f"COPY <{ONTOLOGY_GRAPH}> TO <https://example.org/g>",
}


@pytest.mark.parametrize("operation", UPDATES)
def test_an_update_as_a_query_is_refused(
    client: httpx.Client, store: ox.Store, operation: str
) -> None:
    response = client.post("/sparql", data={"query": UPDATES[operation]})
    assert 400 <= response.status_code < 500
    assert operation in response.text
    rows = bindings(client.get("/sparql", params={"query": COUNT}))
    assert int(rows[0]["n"]["value"]) == total_triples(store)


def test_the_update_parameter_is_forbidden(client: httpx.Client) -> None:
    posted = client.post("/sparql", data={"update": UPDATES["DROP"]})
    assert posted.status_code == 403
    assert "read-only" in posted.text
    with_query = client.get("/sparql", params={"query": PERSONS, "update": UPDATES["DROP"]})
    assert with_query.status_code == 403


def test_sparql_update_content_type_is_forbidden(client: httpx.Client) -> None:
    response = client.post(
        "/sparql",
        content=UPDATES["INSERT"],
        headers={"Content-Type": "application/sparql-update"},
    )
    assert response.status_code == 403


def test_service_is_refused(client: httpx.Client) -> None:
    query = "SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }"
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 400
    assert "SERVICE" in response.text


@pytest.fixture()
def canary() -> Iterator[tuple[socket.socket, str]]:
    """A listening socket nobody should ever connect to: (socket, its base URL)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    try:
        yield sock, f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        sock.close()


def assert_untouched(sock: socket.socket) -> None:
    """The kernel queues a connection even when nobody accepts it, so a connection the
    server opened at any time during the request is still waiting here."""
    sock.settimeout(0.5)
    try:
        connection, _ = sock.accept()
    except TimeoutError:
        return
    request = connection.recv(200)
    connection.close()
    pytest.fail(f"the server connected to the canary and sent: {request!r}")


CANARY_REFUSED = {
    "service": "SELECT * WHERE {{ SERVICE <{url}/> {{ ?s ?p ?o }} }}",
    "service-lower-case": "select * where {{ service <{url}/sparql> {{ ?s ?p ?o }} }}",
    "service-after-a-comment-ended-by-cr": (
        "SELECT * WHERE {{ # note\rSERVICE <{url}/> {{ ?s ?p ?o }} }}"
    ),
    "load": "LOAD <{url}/data.ttl>",
    "load-into": "LOAD SILENT <{url}/data.ttl> INTO GRAPH <https://example.org/g>",
}
CANARY_EMPTY = {
    "from": "SELECT * FROM <{url}/x> WHERE {{ ?s ?p ?o }}",
    "from-named": "SELECT * FROM NAMED <{url}/x> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "from-file": "SELECT * FROM <file:///etc/passwd> WHERE {{ ?s ?p ?o }}",
    "construct-from": "CONSTRUCT {{ ?s ?p ?o }} FROM <{url}/x.ttl> WHERE {{ ?s ?p ?o }}",
}


@pytest.mark.parametrize("case", CANARY_REFUSED)
def test_canary_refused_queries_never_connect(
    client: httpx.Client, canary: tuple[socket.socket, str], case: str
) -> None:
    sock, url = canary
    response = client.post("/sparql", data={"query": CANARY_REFUSED[case].format(url=url)})
    assert_untouched(sock)
    assert 400 <= response.status_code < 500, response.text


@pytest.mark.parametrize("case", CANARY_EMPTY)
def test_canary_from_clauses_never_fetch(
    client: httpx.Client, canary: tuple[socket.socket, str], case: str
) -> None:
    sock, url = canary
    response = client.post(
        "/sparql",
        data={"query": CANARY_EMPTY[case].format(url=url)},
        headers={"Accept": "application/sparql-results+json, application/n-triples"},
    )
    assert response.status_code == 200, response.text
    if case.startswith("construct"):
        assert response.text.strip() == ""
    else:
        assert bindings(response) == []
    assert_untouched(sock)


@pytest.mark.parametrize("parameter", ["default-graph-uri", "named-graph-uri"])
def test_canary_graph_parameters_never_fetch(
    client: httpx.Client, canary: tuple[socket.socket, str], parameter: str
) -> None:
    sock, url = canary
    query = "SELECT * WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
    response = client.get("/sparql", params={"query": query, parameter: f"{url}/graph"})
    assert bindings(response) == []
    assert_untouched(sock)


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * WHERE { ?s ?p "SERVICE LOAD INSERT" }',
        "SELECT * WHERE { ?s ?p 'DROP ALL' }",
        'SELECT * WHERE { ?s ?p """CLEAR\nDELETE { } WHERE { }""" }',
        "SELECT * WHERE { ?s ?p <https://example.org/SERVICE/LOAD/INSERT> }",
        "PREFIX load: <https://example.org/> SELECT * WHERE { ?s load:service load:drop }",
        "SELECT ?insert ?delete WHERE { ?insert ?delete ?load } LIMIT 1 # then DROP ALL",
    ],
    ids=[
        "double-quotes",
        "single-quotes",
        "long-string",
        "iri",
        "prefixed-names",
        "variables-and-comment",
    ],
)
def test_keywords_in_strings_iris_and_names_are_not_refused(
    client: httpx.Client, query: str
) -> None:
    response = client.post("/sparql", data={"query": query})
    assert response.status_code == 200, response.text
    assert "results" in response.json()


def test_a_malformed_query_names_line_and_column(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "SELECT *\nWHERE {\n  ?s ?p ?o ."})
    assert response.status_code == 400
    assert "line" in response.text and "column" in response.text
    assert "line 3" in response.text, response.text


# --- limits -------------------------------------------------------------------------------


def test_a_heavy_query_is_stopped_and_the_workers_are_replaced(client: httpx.Client) -> None:
    """Every worker (the pool has max(2, CPUs)) runs past the 2 s limit at once; each is
    killed and replaced, so a normal query is still answered right after."""
    workers = min(8, max(2, os.cpu_count() or 2))
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        answers = list(
            pool.map(lambda _: client.get("/sparql", params={"query": HEAVY}), range(workers))
        )
    elapsed = time.monotonic() - started
    assert [r.status_code for r in answers] == [503] * workers, answers[0].text
    assert "2 s" in answers[0].text
    assert elapsed < 15
    started = time.monotonic()
    response = client.get("/sparql", params={"query": PERSONS})
    assert response.status_code == 200
    assert time.monotonic() - started < 10


def test_the_row_cap_cuts_and_says_so(client: httpx.Client, store: ox.Store) -> None:
    assert total_triples(store) > 1000
    response = client.get(
        "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers={"Accept": "text/csv"}
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.text)))
    assert sorted(rows[0]) == ["o", "p", "s"]
    assert len(rows) - 1 == 1000
    assert response.headers["x-ctld-result-truncated"] == "true"
    assert response.headers["x-ctld-result-limit"] == "1000"


def test_the_row_cap_cuts_graphs_too(client: httpx.Client) -> None:
    response = client.get(
        "/sparql",
        params={"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/n-triples"},
    )
    assert response.status_code == 200
    assert len(rdflib.Graph().parse(data=response.text, format="nt")) == 1000
    assert response.headers["x-ctld-result-truncated"] == "true"


def test_a_small_answer_is_not_truncated(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": PERSONS})
    assert response.status_code == 200
    assert response.headers["x-ctld-result-truncated"] == "false"
    assert response.headers["x-ctld-result-limit"] == "1000"


def test_exactly_the_limit_is_not_truncated(client: httpx.Client) -> None:
    query = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1000"
    response = client.get("/sparql", params={"query": query})
    assert len(bindings(response)) == 1000
    assert response.headers["x-ctld-result-truncated"] == "false"


@pytest.mark.parametrize("kind", ["query-body", "form", "chunked"])
def test_a_request_over_the_size_limit_is_413(client: httpx.Client, kind: str) -> None:
    """There is no CLI option for the size limit: the default is 1,000,000 bytes."""
    padding = "#" + "x" * 1_000_001
    text = f"SELECT * WHERE {{ ?s ?p ?o }} {padding}"
    if kind == "form":
        response = client.post("/sparql", data={"query": text})
    elif kind == "query-body":
        response = client.post(
            "/sparql", content=text, headers={"Content-Type": "application/sparql-query"}
        )
    else:

        def chunks() -> Iterator[bytes]:
            for _ in range(1100):
                yield b"x" * 1000

        response = client.post(
            "/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"}
        )
    assert response.status_code == 413
    assert "1000000" in response.text
    assert client.get("/sparql", params={"query": PERSONS}).status_code == 200


def test_a_format_parameter_takes_the_older_names_too(client: httpx.Client) -> None:
    """`format=` reads the media type aliases content negotiation reads."""
    for value, media_type in [("text/n3", "text/turtle"), ("application/json",
                                                           "application/ld+json")]:  # fmt: skip
        response = client.get("/sparql", params={"query": ONTOLOGY, "format": value},
                              headers={"Accept": "application/rdf+xml"})  # fmt: skip
        assert response.headers["content-type"].split(";")[0] == media_type, value


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_large_answer_arrives_whole_with_its_length(
    client: httpx.Client, store: ox.Store, method: str
) -> None:
    """Bodies over 256 KiB go to the server in slices (ctld.serve.endpoint.SlicedResponse):
    still one body framed by Content-Length, the same bytes in the same order."""
    text = ("SELECT ?s ?p ?o ?n WHERE { ?s ?p ?o VALUES ?n { 1 2 3 } } "
            "ORDER BY ?s ?p ?o ?n")  # fmt: skip
    response = client.request(method, "/sparql", params={"query": text},
                              headers={"Accept": "application/sparql-results+xml"})  # fmt: skip
    assert response.status_code == 200
    assert "chunked" not in response.headers.get("transfer-encoding", "")
    length = int(response.headers["content-length"])
    assert length > 256 * 1024  # more than one slice
    if method == "HEAD":
        assert response.content == b""
        return
    assert len(response.content) == length
    found = [[binding[0].text for binding in result]
             for result in ET.fromstring(response.content).iter(f"{RESULTS}result")]  # fmt: skip
    limit = int(response.headers["x-ctld-result-limit"])
    expected = [[str(t.value) for t in row] for row in store.query(text)][:limit]
    assert found == expected and len(found) >= 1000
