"""Real SPARQL clients against a real `ctld serve`: SPARQLWrapper (Python), Jena's
rsparql and riot (Java), and ctld's own RemoteEngine pointed at a ctld endpoint."""

from __future__ import annotations

import csv
import io
import warnings
from pathlib import Path
from xml.dom.minidom import Document

import pyoxigraph as ox
import pytest
import rdflib
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TURTLE, XML, SPARQLWrapper

from ctld.check.jena import Jena
from ctld.query.engine import QueryRequest, RemoteEngine, StoreEngine

CTLD = "https://w3id.org/ctld/ontology#"
VORONKOV = "https://w3id.org/ctld/id/person/vladimir-voronkov"
ONTOLOGY_GRAPH = "https://w3id.org/ctld/graph/ontology"
LABELS = (
    f"SELECT ?label WHERE {{ <{VORONKOV}> <http://www.w3.org/2004/02/skos/core#prefLabel>"
    " ?label } ORDER BY ?label"
)
PERSONS = f"SELECT ?person WHERE {{ ?person a <{CTLD}Person> }} ORDER BY ?person"
ONTOLOGY = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }}"


@pytest.fixture(scope="module")
def labels(store: ox.Store) -> list[tuple[str, str]]:
    rows = store.query(LABELS)
    found = [(row["label"].value, row["label"].language or "") for row in rows]
    assert ("Владимир Воронков", "ru") in found
    return found


@pytest.fixture(scope="module")
def ontology_size(store: ox.Store) -> int:
    return sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(ONTOLOGY_GRAPH)))


def wrapper(server: str, query: str, fmt: str | None) -> SPARQLWrapper:
    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery(query)
    if fmt is not None:
        client.setReturnFormat(fmt)
    return client


# --- SPARQLWrapper ----------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select_json(server: str, labels: list[tuple[str, str]], method: str) -> None:
    client = wrapper(server, LABELS, JSON)
    client.setMethod(method)
    result = client.query().convert()
    assert isinstance(result, dict)
    found = [
        (b["label"]["value"], b["label"].get("xml:lang", "")) for b in result["results"]["bindings"]
    ]
    assert found == labels


def test_sparqlwrapper_select_xml(server: str, labels: list[tuple[str, str]]) -> None:
    result = wrapper(server, LABELS, XML).query().convert()
    assert isinstance(result, Document)
    found = [
        (node.firstChild.data if node.firstChild else "", node.getAttribute("xml:lang"))
        for node in result.getElementsByTagName("literal")
    ]
    assert found == labels


def test_sparqlwrapper_select_csv(server: str, labels: list[tuple[str, str]]) -> None:
    result = wrapper(server, LABELS, CSV).query().convert()
    rows = list(csv.reader(io.StringIO(result.decode("utf-8"))))
    assert rows[0] == ["label"]
    assert [row[0] for row in rows[1:]] == [text for text, _ in labels]


def test_sparqlwrapper_ask(server: str) -> None:
    query = f"ASK {{ <{VORONKOV}> a <{CTLD}Person> }}"
    assert wrapper(server, query, JSON).query().convert()["boolean"] is True


def as_graph(converted: object, rdf_format: str) -> rdflib.Graph:
    """SPARQLWrapper gives an rdflib graph for some formats and bytes for others."""
    if isinstance(converted, rdflib.Graph):
        return converted
    assert isinstance(converted, bytes | str), type(converted)
    return rdflib.Graph().parse(data=converted, format=rdf_format)


@pytest.mark.parametrize(
    ("fmt", "rdf_format"),
    [(TURTLE, "turtle"), (JSONLD, "json-ld"), (RDFXML, "xml"), (N3, "turtle"), (None, "xml")],
    ids=["turtle", "json-ld", "rdf-xml", "n3", "default-xml"],
)
def test_sparqlwrapper_construct(
    server: str, ontology_size: int, fmt: str | None, rdf_format: str
) -> None:
    """Each of SPARQLWrapper's graph formats, as the client sends it (its `format`
    parameter and its Accept header both); None is its default, XML (RDF/XML)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        converted = wrapper(server, ONTOLOGY, fmt).query().convert()
        graph = as_graph(converted, rdf_format)
    assert len(graph) == ontology_size


# --- Jena ---------------------------------------------------------------------------------


def test_rsparql_select(server: str, jena: Jena, tmp_path: Path, store: ox.Store) -> None:
    query = tmp_path / "persons.rq"
    query.write_text(PERSONS, encoding="utf-8")
    result = jena.run(
        "rsparql", ["--service", f"{server}/sparql", "--query", str(query)], timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert f"<{VORONKOV}>" in result.stdout
    expected = [r["person"].value for r in store.query(PERSONS)]
    listed = [
        line.split("<", 1)[1].split(">", 1)[0]
        for line in result.stdout.splitlines()
        if line.startswith("| <")
    ]
    assert listed == expected


def test_rsparql_csv_and_construct(
    server: str, jena: Jena, tmp_path: Path, ontology_size: int
) -> None:
    select = tmp_path / "labels.rq"
    select.write_text(LABELS, encoding="utf-8")
    result = jena.run(
        "rsparql",
        ["--service", f"{server}/sparql", "--query", str(select), "--results=CSV"],
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "Владимир Воронков" in result.stdout
    construct = tmp_path / "ontology.rq"
    construct.write_text(ONTOLOGY, encoding="utf-8")
    result = jena.run(
        "rsparql",
        ["--service", f"{server}/sparql", "--query", str(construct), "--results=NT"],
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    graph = rdflib.Graph().parse(data=result.stdout, format="nt")
    assert len(graph) == ontology_size


@pytest.mark.parametrize("path", ["/doc/person/vladimir-voronkov", "/doc/organization/unoct"])
def test_riot_parses_the_turtle_of_a_page(
    server: str, jena: Jena, tmp_path: Path, path: str
) -> None:
    import httpx

    response = httpx.get(server + path, headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    target = tmp_path / "page.ttl"
    target.write_bytes(response.content)
    result = jena.run("riot", ["--validate", str(target)], timeout=300)
    assert result.returncode == 0, result.stderr
    assert "ERROR" not in result.stderr and "WARN" not in result.stderr, result.stderr
    counted = jena.run("riot", ["--count", str(target)], timeout=300)
    expected = len(rdflib.Graph().parse(data=response.text, format="turtle"))
    assert f"Triples = {expected}" in counted.stdout + counted.stderr


# --- ctld's own client ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "media_type"),
    [
        (PERSONS, "application/sparql-results+json"),
        (PERSONS, "text/csv"),
        (ONTOLOGY, "text/turtle"),
        (ONTOLOGY, "application/n-triples"),
    ],
    ids=["select-json", "select-csv", "construct-turtle", "construct-nt"],
)
def test_remote_engine_on_a_ctld_endpoint(
    server: str, store: ox.Store, query: str, media_type: str
) -> None:
    """`ctld serve --endpoint` and `ctld query --endpoint` may point at another ctld."""
    request = QueryRequest(query, media_type, limit=1000)
    expected = StoreEngine(store).run(request)
    answer = RemoteEngine(f"{server}/sparql").run(request)
    assert answer.body == expected.body
