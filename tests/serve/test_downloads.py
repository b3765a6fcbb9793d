"""`/dumps/`, `/.well-known/void` and `/ontology` on a real `ctld serve`: every release
file with its checksum, nothing else on the disk, and the ontology by negotiation."""

from __future__ import annotations

import gzip
import hashlib
import re
import socket
from pathlib import Path

import httpx
import pytest
import rdflib
from rdflib.namespace import OWL, RDF, VOID

from ctld.build.run import BuildResult

ONTOLOGY_IRI = rdflib.URIRef("https://w3id.org/ctld/ontology")


@pytest.fixture(scope="module")
def sums(release: tuple[Path, BuildResult]) -> dict[str, str]:
    """SHA256SUMS of the release, read here without ctld's reader."""
    root, _ = release
    found = {}
    for line in (root / "dist" / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"([0-9a-f]{64}) [ *](.+)", line)
        assert match, line
        found[match.group(2)] = match.group(1)
    assert "ctld.trig" in found and "void.ttl" in found
    return found


def test_the_listing_names_every_file_with_its_checksum(
    client: httpx.Client, sums: dict[str, str]
) -> None:
    response = client.get("/dumps/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    rows = re.findall(
        r'<tr><td><a href="/dumps/([^"]+)">[^<]+</a></td><td class="num">\d+</td>'
        r"<td><code>([0-9a-f]{64})</code></td></tr>",
        response.text,
    )
    assert dict(rows) == sums
    assert 'href="/dumps/SHA256SUMS"' in response.text


def test_the_listing_as_json(
    client: httpx.Client, sums: dict[str, str], release: tuple[Path, BuildResult]
) -> None:
    root, _ = release
    response = client.get("/dumps/", headers={"Accept": "application/json"})
    assert response.status_code == 200
    files = response.json()["files"]
    assert {f["name"]: f["sha256"] for f in files} == sums
    for entry in files:
        assert entry["href"] == f"/dumps/{entry['name']}"
        assert entry["bytes"] == (root / "dist" / entry["name"]).stat().st_size


def test_the_listing_as_plain_text_is_sha256sums(
    client: httpx.Client, release: tuple[Path, BuildResult]
) -> None:
    root, _ = release
    response = client.get("/dumps/", headers={"Accept": "text/plain"})
    assert response.text == (root / "dist" / "SHA256SUMS").read_text(encoding="utf-8")


def test_every_file_hashes_to_its_checksum(client: httpx.Client, sums: dict[str, str]) -> None:
    for name, digest in sums.items():
        response = client.get(f"/dumps/{name}")
        assert response.status_code == 200, name
        assert hashlib.sha256(response.content).hexdigest() == digest, name
        assert response.headers["etag"], name


def test_sha256sums_itself_is_served(
    client: httpx.Client, release: tuple[Path, BuildResult]
) -> None:
    root, _ = release
    response = client.get("/dumps/SHA256SUMS")
    assert response.status_code == 200
    assert response.content == (root / "dist" / "SHA256SUMS").read_bytes()


def test_dumps_have_their_media_types(client: httpx.Client) -> None:
    expected = {
        "ctld.trig": "application/trig",
        "ctld.nq": "application/n-quads",
        "ctld.ttl": "text/turtle",
        "ctld.nt": "application/n-triples",
        "ctld.jsonld": "application/ld+json",
        "ctld.nq.gz": "application/gzip",
        "build-report.json": "application/json",
    }
    for name, media_type in expected.items():
        response = client.get(f"/dumps/{name}")
        assert response.headers["content-type"].split(";")[0] == media_type, name
    packed = client.get("/dumps/ctld.nt.gz")
    assert gzip.decompress(packed.content) == client.get("/dumps/ctld.nt").content


@pytest.mark.parametrize(
    "name",
    [
        "../pyproject.toml",
        "..%2Fpyproject.toml",
        "build-report.json.bak",
        "%2e%2e%2fSHA256SUMS",
        "..%2F..%2F..%2Fetc%2Fpasswd",
        "ctld.nq%00",
        ".ctld-cache",
        "staging",
    ],
)
def test_an_unlisted_name_is_404(client: httpx.Client, name: str) -> None:
    response = client.get(f"/dumps/{name}")
    assert response.status_code == 404


def test_a_raw_dot_dot_path_reaches_nothing(server: str) -> None:
    """httpx normalises `..` away; send the path exactly as written."""
    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            b"GET /dumps/../pyproject.toml HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    status = answer.split(b"\r\n", 1)[0]
    assert status.split()[1] == b"404", status
    assert b"[project]" not in answer


def test_void_describes_the_dataset(
    client: httpx.Client, release: tuple[Path, BuildResult]
) -> None:
    root, _ = release
    response = client.get("/.well-known/void")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    datasets = set(graph.subjects(RDF.type, VOID.Dataset))
    assert datasets
    triples = {int(n) for d in datasets for n in graph.objects(d, VOID.triples)}
    assert triples
    assert response.content == (root / "dist" / "void.ttl").read_bytes()


ONTOLOGY_TYPES = {
    "text/turtle": ("turtle", "ontology.ttl"),
    "application/rdf+xml": ("xml", "ontology.owl"),
    "application/ld+json": ("json-ld", "ontology.jsonld"),
}


@pytest.fixture(scope="module")
def ontology_size(release: tuple[Path, BuildResult]) -> int:
    root, _ = release
    return len(rdflib.Graph().parse(root / "dist" / "ontology.ttl", format="turtle"))


@pytest.mark.parametrize("media_type", ONTOLOGY_TYPES)
def test_the_ontology_negotiates_rdf(
    client: httpx.Client, ontology_size: int, media_type: str
) -> None:
    response = client.get("/ontology", headers={"Accept": media_type})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert "Accept" in response.headers["vary"]
    graph = rdflib.Graph().parse(data=response.content, format=ONTOLOGY_TYPES[media_type][0])
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in graph
    assert len(graph) == ontology_size


def test_the_ontology_as_html_is_the_pylode_page(
    client: httpx.Client, release: tuple[Path, BuildResult]
) -> None:
    root, _ = release
    response = client.get("/ontology", headers={"Accept": "text/html,*/*;q=0.8"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.content == (root / "dist" / "ontology.html").read_bytes()
    assert 'class="property entity"' in response.text


def test_the_ontology_answers_application_json_as_json_ld(client: httpx.Client) -> None:
    response = client.get("/ontology", headers={"Accept": "application/json"})
    assert response.headers["content-type"].startswith("application/ld+json")
    graph = rdflib.Graph().parse(data=response.content, format="json-ld")
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in graph


def test_the_ontology_refuses_what_it_cannot_give(client: httpx.Client) -> None:
    assert client.get("/ontology", headers={"Accept": "image/png"}).status_code == 406


@pytest.mark.parametrize("suffix", ["ttl", "owl", "jsonld", "html"])
def test_the_ontology_files(
    client: httpx.Client, release: tuple[Path, BuildResult], suffix: str
) -> None:
    root, _ = release
    response = client.get(f"/ontology.{suffix}")
    assert response.status_code == 200
    assert response.content == (root / "dist" / f"ontology.{suffix}").read_bytes()


def test_ontology_ttl_parses(client: httpx.Client, ontology_size: int) -> None:
    response = client.get("/ontology.ttl")
    assert response.headers["content-type"].startswith("text/turtle")
    assert len(rdflib.Graph().parse(data=response.text, format="turtle")) == ontology_size


def test_an_unknown_ontology_file_is_404(client: httpx.Client) -> None:
    assert client.get("/ontology.txt").status_code == 404
    assert client.get("/ontology.ttl.bak").status_code == 404
