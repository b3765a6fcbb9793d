"""`ctld publish --to URL` (SPARQL 1.1 Graph Store Protocol) into the real Oxigraph
server, and the same answers from it as from the embedded store: byte for byte through
ctld's engines, and page for page through `ctld serve --endpoint`."""

from __future__ import annotations

import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from conftest import ROOT, ctld_server, oxigraph_server, run_ctld

from ctld.build.run import BuildResult
from ctld.core.settings import DEFAULT_BASE_IRI
from ctld.query.engine import QueryRequest, RemoteEngine, StoreEngine
from ctld.query.packaged import PackagedQuery, read_catalog
from ctld.query.store import Release, memory_store

QUERY_NAMES = sorted(p.stem for p in (ROOT / "sparql" / "queries").glob("*.rq"))
PAGE_NAMES = sorted(p.stem for p in (ROOT / "sparql" / "pages").glob("*.rq"))
SOLUTION_TYPES = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
]
GRAPH_TYPES = ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"]
QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def publish(root: Path, to: str) -> subprocess.CompletedProcess[str]:
    return run_ctld(root, "publish", "--to", to, "--dist", str(root / "dist"), "--timeout", "20")


def count(endpoint: str, query: str = QUADS) -> int:
    request = urllib.request.Request(
        endpoint,
        data=query.encode(),
        headers={
            "Content-Type": "application/sparql-query",
            "Accept": "application/sparql-results+json",
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        parsed = ox.parse_query_results(response.read(), format=ox.QueryResultsFormat.JSON)
    return int(next(iter(parsed))["n"].value)


@pytest.fixture(scope="module")
def release_quads(release: tuple[Path, BuildResult]) -> int:
    root, _ = release
    return sum(
        1 for _ in ox.parse(path=str(root / "dist" / "ctld.nq"), format=ox.RdfFormat.N_QUADS)
    )


@pytest.fixture(scope="module")
def oxigraph(
    release: tuple[Path, BuildResult], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The real Oxigraph server with the release published into it by `ctld publish`."""
    root, _ = release
    with oxigraph_server(tmp_path_factory.mktemp("ox") / "store") as url:
        done = publish(root, f"{url}/store")
        assert done.returncode == 0, done.stderr
        assert "graph(s)" in done.stderr
        yield url


@pytest.fixture(scope="module")
def engines(
    release: tuple[Path, BuildResult], oxigraph: str
) -> Iterator[tuple[StoreEngine, RemoteEngine]]:
    root, _ = release
    embedded = StoreEngine(memory_store(Release(root / "dist")))
    remote = RemoteEngine(f"{oxigraph}/query")
    yield embedded, remote
    embedded.close()
    remote.close()


def catalogue(root: Path, folder: str) -> dict[str, PackagedQuery]:
    return read_catalog(root / "sparql" / folder)


def test_publishing_puts_every_quad(oxigraph: str, release_quads: int) -> None:
    assert count(f"{oxigraph}/query") == release_quads


def test_every_named_graph_arrives_whole(oxigraph: str, release: tuple[Path, BuildResult]) -> None:
    root, _ = release
    sizes: dict[str, int] = {}
    for quad in ox.parse(path=str(root / "dist" / "ctld.nq"), format=ox.RdfFormat.N_QUADS):
        sizes[quad.graph_name.value] = sizes.get(quad.graph_name.value, 0) + 1
    assert len(sizes) >= 4
    for graph, size in sizes.items():
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        assert count(f"{oxigraph}/query", query) == size, graph


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_packaged_queries_give_the_same_bytes(
    engines: tuple[StoreEngine, RemoteEngine], release: tuple[Path, BuildResult], name: str
) -> None:
    root, _ = release
    query = catalogue(root, "queries")[name]
    text = query.bind(query.example, DEFAULT_BASE_IRI)
    graph = query.form in ("CONSTRUCT", "DESCRIBE")
    embedded, remote = engines
    for media_type in GRAPH_TYPES if graph else SOLUTION_TYPES:
        request = QueryRequest(text, media_type, limit=100_000)
        here, there = embedded.run(request), remote.run(request)
        assert here.count > 0, f"{name}: the example finds nothing"
        assert (here.count, here.truncated) == (there.count, there.truncated), media_type
        assert here.body == there.body, f"{name} in {media_type}"


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_queries_give_the_same_rows(
    engines: tuple[StoreEngine, RemoteEngine], release: tuple[Path, BuildResult], name: str
) -> None:
    """The page queries do not all fix an order; their rows must be the same."""
    root, _ = release
    query = catalogue(root, "pages")[name]
    text = query.bind(query.example, DEFAULT_BASE_IRI)
    graph = query.form in ("CONSTRUCT", "DESCRIBE")
    media_type = "application/n-triples" if graph else "text/tab-separated-values"
    embedded, remote = engines
    here = embedded.run(QueryRequest(text, media_type, limit=100_000))
    there = remote.run(QueryRequest(text, media_type, limit=100_000))
    assert here.count > 0, f"{name}: the example finds nothing"
    assert sorted(here.body.splitlines()) == sorted(there.body.splitlines())


def test_the_row_limit_cuts_remote_answers_alike(engines: tuple[StoreEngine, RemoteEngine]) -> None:
    embedded, remote = engines
    request = QueryRequest(
        "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 50", "text/csv", limit=20
    )
    here, there = embedded.run(request), remote.run(request)
    assert here.truncated and there.truncated
    assert here.count == there.count == 20
    assert here.body == there.body


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        ("SELECT ?p WHERE { <id/organization/unoct> ?p ?o } ORDER BY ?p LIMIT 1", 1),
        ("BASE <http://elsewhere.example/> SELECT ?p WHERE { <id/organization/unoct> ?p ?o }", 0),
    ],
    ids=["relative", "own-base"],
)
def test_relative_iris_resolve_against_the_base_on_both_stores(
    engines: tuple[StoreEngine, RemoteEngine], text: str, rows: int
) -> None:
    """Relative IRIs name the dataset's own resources on either store; a BASE the
    query declares comes after the one the remote is sent, and wins there too."""
    request = QueryRequest(text, "text/csv", base="https://w3id.org/ctld/")
    answers = [engine.run(request) for engine in engines]
    assert [a.count for a in answers] == [rows, rows]
    assert answers[0].body == answers[1].body


@pytest.fixture(scope="module")
def remote_server(release: tuple[Path, BuildResult], oxigraph: str) -> Iterator[str]:
    root, _ = release
    with ctld_server(root, "--endpoint", f"{oxigraph}/query", "--row-limit", "1000") as url:
        yield url


SPARQL = (
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?s ?label WHERE "
    "{ ?s skos:prefLabel ?label } ORDER BY ?s ?label LIMIT 200"
)


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "text/csv"])
def test_serve_endpoint_answers_sparql_like_the_embedded_one(
    server: str, remote_server: str, accept: str
) -> None:
    here = httpx.get(f"{server}/sparql", params={"query": SPARQL}, headers={"Accept": accept})
    there = httpx.get(
        f"{remote_server}/sparql", params={"query": SPARQL}, headers={"Accept": accept}
    )
    assert here.status_code == there.status_code == 200
    assert here.content == there.content
    assert here.headers["x-ctld-result-truncated"] == there.headers["x-ctld-result-truncated"]


def test_serve_endpoint_caps_rows_too(remote_server: str) -> None:
    response = httpx.get(f"{remote_server}/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == 1000
    assert response.headers["x-ctld-result-truncated"] == "true"


def test_serve_endpoint_still_refuses_service(remote_server: str) -> None:
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }"
    response = httpx.get(f"{remote_server}/sparql", params={"query": query})
    assert response.status_code == 400


def test_serve_endpoint_passes_on_the_graph_parameters(server: str, remote_server: str) -> None:
    params = {
        "query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        "default-graph-uri": "https://w3id.org/ctld/graph/ontology",
    }
    here = httpx.get(f"{server}/sparql", params=params).json()
    there = httpx.get(f"{remote_server}/sparql", params=params).json()
    assert here == there
    assert 0 < int(here["results"]["bindings"][0]["n"]["value"]) < 5000


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        ("/doc/person/vladimir-voronkov", "text/html"),
        ("/doc/person/vladimir-voronkov", "text/turtle"),
        ("/doc/organization/unoct", "application/ld+json"),
        ("/doc/article/001_e053d2e383822934", "text/html"),
        ("/", "text/html"),
        ("/search?q=voronkov&format=json", "application/json"),
    ],
)
def test_serve_endpoint_pages_are_the_embedded_ones(
    server: str, remote_server: str, path: str, accept: str
) -> None:
    here = httpx.get(server + path, headers={"Accept": accept})
    there = httpx.get(remote_server + path, headers={"Accept": accept})
    assert here.status_code == there.status_code == 200
    assert here.content == there.content


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_serve_endpoint_api_is_the_embedded_one(
    server: str, remote_server: str, release: tuple[Path, BuildResult], name: str
) -> None:
    root, _ = release
    example = catalogue(root, "queries")[name].example
    here = httpx.get(f"{server}/api/queries/{name}", params=example)
    there = httpx.get(f"{remote_server}/api/queries/{name}", params=example)
    assert here.status_code == there.status_code == 200
    assert here.content == there.content


def test_publishing_again_replaces_each_graph(
    oxigraph: str, release: tuple[Path, BuildResult], release_quads: int
) -> None:
    """PUT replaces a graph: a triple added to a published graph is gone after the next
    publication, and nothing is doubled."""
    root, _ = release
    graph = "https://w3id.org/ctld/graph/ontology"
    extra = b"<https://example.org/a> <https://example.org/b> <https://example.org/c> .\n"
    request = urllib.request.Request(
        f"{oxigraph}/store?graph={graph}",
        data=extra,
        method="POST",
        headers={"Content-Type": "application/n-triples"},
    )
    with urllib.request.urlopen(request, timeout=30):
        pass
    assert count(f"{oxigraph}/query") == release_quads + 1
    done = publish(root, f"{oxigraph}/store")
    assert done.returncode == 0, done.stderr
    assert count(f"{oxigraph}/query") == release_quads
    done = publish(root, f"{oxigraph}/store")
    assert done.returncode == 0, done.stderr
    assert count(f"{oxigraph}/query") == release_quads


def test_publishing_leaves_other_graphs_alone(
    release: tuple[Path, BuildResult], tmp_path: Path, release_quads: int
) -> None:
    root, _ = release
    with oxigraph_server(tmp_path / "store") as url:
        mine = b"<https://example.org/a> <https://example.org/b> <https://example.org/c> .\n"
        request = urllib.request.Request(
            f"{url}/store?graph=https://example.org/mine",
            data=mine,
            method="PUT",
            headers={"Content-Type": "application/n-triples"},
        )
        with urllib.request.urlopen(request, timeout=30):
            pass
        done = publish(root, f"{url}/store")
        assert done.returncode == 0, done.stderr
        assert count(f"{url}/query") == release_quads + 1


def test_publishing_to_nothing_listening_exits_2(release: tuple[Path, BuildResult]) -> None:
    root, _ = release
    done = publish(root, "http://127.0.0.1:1/store")
    assert done.returncode == 2
    assert "cannot reach" in done.stderr and "127.0.0.1:1" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("to", ["ftp://127.0.0.1/store", "127.0.0.1:7878/store", "http://"])
def test_a_bad_store_url_exits_2(release: tuple[Path, BuildResult], to: str) -> None:
    root, _ = release
    done = publish(root, to)
    assert done.returncode == 2
    assert "--to" in done.stderr and "http" in done.stderr
    assert "Traceback" not in done.stderr


def test_publishing_without_a_release_exits_2(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "ontology").mkdir(parents=True)
    (root / "ontology" / "ctld.ttl").write_text("", encoding="utf-8")
    done = publish(root, "http://127.0.0.1:1/store")
    assert done.returncode == 2
    assert "ctld.trig" in done.stderr
