from __future__ import annotations

import datetime
import gzip
import hashlib
from pathlib import Path

import pytest
from conftest import run_python
from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF

from ctld.build.catalog import ReleaseFile, catalog_graph, catalog_turtle, media_type, release_file

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://w3id.org/ctld/"
IANA = "https://www.iana.org/assignments/media-types/"
SPDX = Namespace("http://spdx.org/rdf/terms#")
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
DATASET = URIRef(f"{BASE}dataset")

NT = b'<https://w3id.org/ctld/id/x> <http://www.w3.org/2000/01/rdf-schema#label> "x" .\n'
CONTENTS = {
    "ctld.nt": NT,
    "ctld.nt.gz": gzip.compress(NT, mtime=0),
    "ctld.trig": b"",
    "ontology.owl": b"<rdf:RDF/>",
    "ontology.html": b"<html></html>",
    "build-report.json": b"{}",
    "SHA256SUMS": b"0" * 64 + b"  ctld.nt\n",
}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ctld.trig", ("application/trig", None)),
        ("ctld.trig.gz", ("application/trig", "application/gzip")),
        ("ctld.nq", ("application/n-quads", None)),
        ("ctld.nq.gz", ("application/n-quads", "application/gzip")),
        ("ctld.ttl", ("text/turtle", None)),
        ("void.ttl", ("text/turtle", None)),
        ("ctld.nt.gz", ("application/n-triples", "application/gzip")),
        ("ctld.jsonld", ("application/ld+json", None)),
        ("context.jsonld", ("application/ld+json", None)),
        ("ontology.owl", ("application/rdf+xml", None)),
        ("ontology.html", ("text/html", None)),
        ("build-report.json", ("application/json", None)),
        ("SHA256SUMS", ("text/plain", None)),
    ],
)
def test_media_type(name: str, expected: tuple[str, str | None]) -> None:
    assert media_type(name) == expected


@pytest.mark.parametrize("name", ["ctld.zip", "README", "ctld.gz", "sha256sums"])
def test_unknown_names_are_refused(name: str) -> None:
    with pytest.raises(ValueError, match="no media type"):
        media_type(name)


def _files() -> list[ReleaseFile]:
    return [release_file(name, data) for name, data in CONTENTS.items()]


def _catalog(files: list[ReleaseFile] | None = None) -> Graph:
    return catalog_graph(
        _files() if files is None else files,
        base=BASE,
        issued=datetime.date(2024, 5, 1),
        modified=datetime.date(2024, 6, 2),
        title="Counter-Terrorism Linked Data",
        description="Articles about counter-terrorism cooperation as a knowledge graph.",
        license=LICENSE,
        publisher="The ctld developers",
    )


def test_release_file() -> None:
    file = release_file("ctld.nt.gz", CONTENTS["ctld.nt.gz"])
    assert file.media_type == "application/n-triples"
    assert file.size == len(CONTENTS["ctld.nt.gz"])
    assert file.sha256 == hashlib.sha256(CONTENTS["ctld.nt.gz"]).hexdigest()


def test_every_file_has_a_distribution_with_exact_size_and_checksum() -> None:
    graph = _catalog()
    distributions = set(graph.objects(DATASET, DCAT.distribution))
    assert len(distributions) == len(CONTENTS)
    for name, data in CONTENTS.items():
        distribution = URIRef(f"{BASE}distribution/{name}")
        assert distribution in distributions
        assert (distribution, RDF.type, DCAT.Distribution) in graph
        download = URIRef(f"{BASE}dumps/{name}")
        assert graph.value(distribution, DCAT.downloadURL) == download
        assert graph.value(distribution, DCAT.byteSize) == Literal(
            len(data), datatype=XSD.nonNegativeInteger
        )
        checksum = graph.value(distribution, SPDX.checksum)
        assert checksum == URIRef(f"{BASE}distribution/{name}/checksum")
        assert (checksum, RDF.type, SPDX.Checksum) in graph
        assert graph.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        value = graph.value(checksum, SPDX.checksumValue)
        assert value == Literal(hashlib.sha256(data).hexdigest(), datatype=XSD.hexBinary)
        assert graph.value(distribution, DCTERMS.license) == URIRef(LICENSE)
        assert graph.value(distribution, DCTERMS.issued) == Literal("2024-05-01", datatype=XSD.date)


def test_media_types_and_compression() -> None:
    graph = _catalog()
    for name in CONTENTS:
        distribution = URIRef(f"{BASE}distribution/{name}")
        inner, compression = media_type(name)
        assert graph.value(distribution, DCAT.mediaType) == URIRef(IANA + inner)
        compress = graph.value(distribution, DCAT.compressFormat)
        assert compress == (URIRef(IANA + compression) if compression else None), name
    gz = URIRef(f"{BASE}distribution/ctld.nt.gz")
    assert graph.value(gz, DCAT.mediaType) == URIRef(f"{IANA}application/n-triples")
    assert graph.value(gz, DCAT.compressFormat) == URIRef(f"{IANA}application/gzip")
    assert "gzip" in str(graph.value(gz, DCTERMS.title))


def test_catalog_dataset_publisher_and_service() -> None:
    graph = _catalog()
    catalog = URIRef(f"{BASE}catalog")
    assert (catalog, RDF.type, DCAT.Catalog) in graph
    assert graph.value(catalog, DCAT.dataset) == DATASET
    assert (DATASET, RDF.type, DCAT.Dataset) in graph
    assert graph.value(DATASET, DCTERMS.issued) == Literal("2024-05-01", datatype=XSD.date)
    assert graph.value(DATASET, DCTERMS.modified) == Literal("2024-06-02", datatype=XSD.date)
    assert graph.value(DATASET, DCTERMS.license) == URIRef(LICENSE)
    assert str(graph.value(DATASET, DCTERMS.title)) == "Counter-Terrorism Linked Data"
    publisher = graph.value(DATASET, DCTERMS.publisher)
    assert publisher == URIRef(f"{BASE}publisher")
    assert (publisher, RDF.type, FOAF.Agent) in graph
    assert graph.value(publisher, FOAF.name) == Literal("The ctld developers")
    services = list(graph.subjects(RDF.type, DCAT.DataService))
    assert len(services) == 1
    assert graph.value(services[0], DCAT.endpointURL) == URIRef(f"{BASE}sparql")
    assert graph.value(services[0], DCAT.servesDataset) == DATASET
    assert (catalog, DCAT.service, services[0]) in graph


def test_no_blank_nodes() -> None:
    graph = _catalog()
    assert not [t for t in graph if any(isinstance(term, BNode) for term in t)]


def test_names_are_escaped_in_iris() -> None:
    graph = _catalog([release_file("odd name.ttl", b"x")])
    assert URIRef(f"{BASE}distribution/odd%20name.ttl") in set(graph.objects(DATASET, None))


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (ReleaseFile("a.ttl", "text/turtle", 1, "abc"), "SHA-256"),
        (ReleaseFile("a.ttl", "text/turtle", -1, "0" * 64), "negative"),
        (ReleaseFile("a.ttl.gz", "application/gzip", 1, "0" * 64), "uncompressed"),
    ],
)
def test_bad_files_are_refused(file: ReleaseFile, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _catalog([file])


def test_a_file_listed_twice_is_refused() -> None:
    file = release_file("ctld.nt", NT)
    with pytest.raises(ValueError, match=r"ctld\.nt"):
        _catalog([file, file])


def test_turtle_parses_back_to_the_same_graph() -> None:
    graph = _catalog()
    data = catalog_turtle(graph)
    assert b"@prefix dcat: <http://www.w3.org/ns/dcat#> ." in data
    assert b"@prefix spdx: <http://spdx.org/rdf/terms#> ." in data
    assert set(Graph().parse(data=data, format="turtle")) == set(graph)


_SCRIPT = """
import sys
from tests.build.test_catalog import _catalog
from ctld.build.catalog import catalog_turtle
sys.stdout.buffer.write(catalog_turtle(_catalog()))
"""


def test_byte_identical_across_processes() -> None:
    first, second = run_python(_SCRIPT, "1"), run_python(_SCRIPT, "2")
    assert first == second
    assert first == catalog_turtle(_catalog())


def test_independent_of_the_order_files_are_given_in() -> None:
    files = _files()
    assert catalog_turtle(_catalog(files)) == catalog_turtle(_catalog(files[::-1]))
