"""The DCAT catalogue of a release (https://www.w3.org/TR/vocab-dcat-3/).

Open-data portals harvest DCAT, not VoID: this is how the release shows up in them, one
distribution per published file with its media type, size and SHA-256 checksum, so a
harvester or a user can tell what a file is and check that a download is intact. Every
node has an IRI, checksums included, so the catalogue is byte-identical across runs.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF

from ctld.build.void import description_graph, void_turtle

SPDX = Namespace("http://spdx.org/rdf/terms#")
MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
GZIP = "application/gzip"
SPARQL_PROTOCOL = "https://www.w3.org/TR/sparql11-protocol/"

# File name ending → (IANA media type, name of the format for people). ontology.owl is
# the ontology in RDF/XML, the usual meaning of .owl (OWL/XML would be application/owl+xml).
_FORMATS: tuple[tuple[str, str, str], ...] = (
    (".trig", "application/trig", "TriG"),
    (".nq", "application/n-quads", "N-Quads"),
    (".ttl", "text/turtle", "Turtle"),
    (".nt", "application/n-triples", "N-Triples"),
    (".jsonld", "application/ld+json", "JSON-LD"),
    (".owl", "application/rdf+xml", "RDF/XML"),
    (".html", "text/html", "HTML"),
    (".json", "application/json", "JSON"),
)
_PLAIN_TEXT = ("SHA256SUMS", "text/plain", "checksums, sha256sum format")
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class ReleaseFile:
    """A published file: its name under `{base}dumps/`, its bytes' size and SHA-256.
    `media_type` is that of the content: for `ctld.nt.gz`, application/n-triples (the
    `.gz` ending alone makes it a gzip-compressed distribution)."""

    name: str
    media_type: str
    size: int
    sha256: str


def media_type(name: str) -> tuple[str, str | None]:
    """(media type, compression media type or None) of a release file, by its name; a
    `.gz` file has the media type of what it compresses. An unknown name is an error,
    not application/octet-stream: a harvester would offer such a file to nobody."""
    inner, compression = name, None
    if name.endswith(".gz"):
        inner, compression = name[: -len(".gz")], GZIP
    return _format(inner)[0], compression


def release_file(name: str, data: bytes) -> ReleaseFile:
    """The ReleaseFile of `data` published as `name`, its media type from the name."""
    return ReleaseFile(name, media_type(name)[0], len(data), hashlib.sha256(data).hexdigest())


def catalog_graph(
    files: Sequence[ReleaseFile],
    *,
    base: str,
    issued: datetime.date,
    modified: datetime.date,
    title: str,
    description: str,
    license: str,
    publisher: str,
) -> Graph:
    """The catalogue: the dataset `{base}dataset` (the one the VoID description
    describes) with a distribution per file, and the SPARQL endpoint serving it.
    `license` is an IRI; `publisher` is the publisher's name."""
    graph = description_graph()
    add = graph.add
    catalog = URIRef(f"{base}catalog")
    dataset = URIRef(f"{base}dataset")
    agent = URIRef(f"{base}publisher")
    service = URIRef(f"{base}service/sparql")
    license_iri = URIRef(license)
    issued_date = _date(issued)

    add((agent, RDF.type, FOAF.Agent))
    add((agent, FOAF.name, Literal(publisher)))

    add((catalog, RDF.type, DCAT.Catalog))
    add((catalog, DCTERMS.title, Literal(f"{title} catalogue", lang="en")))
    add((catalog, DCTERMS.description, Literal(description, lang="en")))
    add((catalog, DCTERMS.publisher, agent))
    add((catalog, DCTERMS.license, license_iri))
    add((catalog, DCTERMS.issued, issued_date))
    add((catalog, DCTERMS.modified, _date(modified)))
    add((catalog, DCAT.dataset, dataset))
    add((catalog, DCAT.service, service))

    add((dataset, RDF.type, DCAT.Dataset))
    add((dataset, DCTERMS.title, Literal(title, lang="en")))
    add((dataset, DCTERMS.description, Literal(description, lang="en")))
    add((dataset, DCTERMS.license, license_iri))
    add((dataset, DCTERMS.issued, issued_date))
    add((dataset, DCTERMS.modified, _date(modified)))
    add((dataset, DCTERMS.publisher, agent))

    add((service, RDF.type, DCAT.DataService))
    add((service, DCTERMS.title, Literal(f"{title} SPARQL endpoint", lang="en")))
    add((service, DCAT.endpointURL, URIRef(f"{base}sparql")))
    add((service, DCTERMS.conformsTo, URIRef(SPARQL_PROTOCOL)))
    add((service, DCAT.servesDataset, dataset))

    names = [file.name for file in files]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"release files listed twice: {', '.join(duplicates)}")
    for file in files:
        _add_distribution(graph, dataset, file, base, license_iri, issued_date)
    return graph


def _add_distribution(
    graph: Graph,
    dataset: URIRef,
    file: ReleaseFile,
    base: str,
    license_iri: URIRef,
    issued: Literal,
) -> None:
    sha256 = file.sha256.lower()
    if not _SHA256.fullmatch(sha256):
        raise ValueError(f"{file.name}: not a SHA-256 in hexadecimal: {file.sha256!r}")
    if file.size < 0:
        raise ValueError(f"{file.name}: negative size {file.size}")
    add = graph.add
    segment = quote(file.name, safe="")
    distribution = URIRef(f"{base}distribution/{segment}")
    checksum = URIRef(f"{base}distribution/{segment}/checksum")
    download = URIRef(f"{base}dumps/{segment}")
    if file.media_type == GZIP or "/" not in file.media_type:
        raise ValueError(
            f"{file.name}: media type {file.media_type!r}: give the type of the (uncompressed)"
            " content, as media_type() does"
        )
    compression = GZIP if file.name.endswith(".gz") else None
    add((dataset, DCAT.distribution, distribution))
    add((distribution, RDF.type, DCAT.Distribution))
    add((distribution, DCTERMS.title, Literal(_title(file.name, file.media_type), lang="en")))
    add((distribution, DCAT.downloadURL, download))
    add((distribution, DCAT.accessURL, download))
    add((distribution, DCAT.mediaType, URIRef(MEDIA_TYPES + file.media_type)))
    if compression:
        add((distribution, DCAT.compressFormat, URIRef(MEDIA_TYPES + compression)))
    add((distribution, DCAT.byteSize, Literal(file.size, datatype=XSD.nonNegativeInteger)))
    add((distribution, DCTERMS.license, license_iri))
    add((distribution, DCTERMS.issued, issued))
    add((distribution, SPDX.checksum, checksum))
    add((checksum, RDF.type, SPDX.Checksum))
    add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    add((checksum, SPDX.checksumValue, Literal(sha256, datatype=XSD.hexBinary)))


def catalog_turtle(graph: Graph) -> bytes:
    """Turtle for the catalogue, byte-identical on every run (see void_turtle)."""
    return void_turtle(graph)


def _format(name: str) -> tuple[str, str]:
    if name == _PLAIN_TEXT[0]:
        return _PLAIN_TEXT[1], _PLAIN_TEXT[2]
    for suffix, media, label in _FORMATS:
        if name.endswith(suffix):
            return media, label
    raise ValueError(f"no media type known for release file {name!r}")


def _title(name: str, media: str) -> str:
    compressed = name.endswith(".gz")
    try:
        label = _format(name.removesuffix(".gz"))[1]
    except ValueError:
        label = media
    return f"{name} ({label}{', gzip-compressed' if compressed else ''})"


def _date(value: datetime.date) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)
