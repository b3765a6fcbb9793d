"""The VoID description of a release (https://www.w3.org/TR/void/).

It is what crawlers, dataset registries and SPARQL federation engines read to learn
what the dataset holds without downloading it: its size, its classes and properties,
its named graphs, where its dumps and endpoint are, and how it links to Wikidata, the
UNBIS Thesaurus and undocs.org. Every node has an IRI (partitions and linksets
included) so that the description is as stable as the data: a re-run writes the same
bytes, and a partition can be cited.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Sequence

from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF

from ctld.build.statistics import DatasetStatistics
from ctld.core.namespaces import CTLD, PREFIXES

VOID = Namespace("http://rdfs.org/ns/void#")

# Targets of the links counted by sparql/stats/linksets.rq: (statistics key, target
# dataset IRI, title, the URI space its resources live in). ISO 3166 codes are literals,
# not links, so they have no linkset; they show in the property partitions.
LINK_TARGETS: tuple[tuple[str, str, str, str], ...] = (
    ("wikidata", "https://www.wikidata.org/", "Wikidata", "http://www.wikidata.org/entity/"),
    (
        "unbis",
        "http://metadata.un.org/thesaurus/",
        "UNBIS Thesaurus",
        "http://metadata.un.org/thesaurus/",
    ),
    (
        "undocs",
        "https://undocs.org/",
        "United Nations Official Document System",
        "https://undocs.org/",
    ),
)

# The prefixes a VoID or DCAT description is written with (rdflib emits only those used).
DESCRIPTION_PREFIXES: tuple[tuple[str, str], ...] = (
    ("ctld", str(CTLD)),
    ("dcat", str(DCAT)),
    ("dcterms", str(DCTERMS)),
    ("foaf", str(FOAF)),
    ("rdf", str(RDF)),
    ("spdx", "http://spdx.org/rdf/terms#"),
    ("void", str(VOID)),
    ("xsd", str(XSD)),
)

_SLUG_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def slug(iri: str) -> str:
    """A readable, IRI-safe path segment for a term: its prefixed name when ctld knows
    the prefix (`ctld-Person`), else its local name, then a hash of the whole IRI, as two
    vocabularies may share a local name."""
    local = iri[max(iri.rfind("#"), iri.rfind("/")) + 1 :]
    prefix = next((p for p, ns in PREFIXES.items() if iri == ns + local), None)
    readable = _SLUG_UNSAFE.sub("-", f"{prefix}-{local}" if prefix else local).strip("-")
    digest = hashlib.sha256(iri.encode("utf-8")).hexdigest()[:10]
    return f"{readable[:40]}-{digest}" if readable else digest


def void_graph(
    stats: DatasetStatistics,
    *,
    base: str,
    dumps: Sequence[str],
    issued: datetime.date,
    title: str,
    license: str,
    description: str | None = None,
    example_resource: str | None = None,
    root_resource: str | None = None,
) -> Graph:
    """The VoID description of the dataset `stats` were computed from.

    `dumps` are file names, published under `{base}dumps/`; `license` is an IRI. Without
    a `description`, one is written from the statistics."""
    graph = description_graph()
    dataset = URIRef(f"{base}dataset")
    add = graph.add
    add((dataset, RDF.type, VOID.Dataset))
    add((dataset, DCTERMS.title, Literal(title, lang="en")))
    add((dataset, DCTERMS.description, Literal(description or _describe(stats), lang="en")))
    add((dataset, DCTERMS.license, URIRef(license)))
    add((dataset, DCTERMS.issued, Literal(issued.isoformat(), datatype=XSD.date)))
    add((dataset, VOID.triples, _count(stats.triples)))
    add((dataset, VOID.entities, _count(stats.entities)))
    add((dataset, VOID.distinctSubjects, _count(stats.distinct_subjects)))
    add((dataset, VOID.classes, _count(len(stats.classes))))
    add((dataset, VOID.properties, _count(len(stats.properties))))
    add((dataset, VOID.sparqlEndpoint, URIRef(f"{base}sparql")))
    add((dataset, VOID.uriSpace, Literal(f"{base}id/")))
    for name in dumps:
        add((dataset, VOID.dataDump, URIRef(f"{base}dumps/{name}")))
    for vocabulary in stats.vocabularies:
        add((dataset, VOID.vocabulary, URIRef(vocabulary)))
    if example_resource:
        add((dataset, VOID.exampleResource, URIRef(example_resource)))
    if root_resource:
        add((dataset, VOID.rootResource, URIRef(root_resource)))

    for cls, instances in stats.classes.items():
        partition = URIRef(f"{base}dataset/class/{slug(cls)}")
        add((dataset, VOID.classPartition, partition))
        add((partition, RDF.type, VOID.Dataset))
        add((partition, VOID["class"], URIRef(cls)))
        add((partition, VOID.entities, _count(instances)))
    for prop, triples in stats.properties.items():
        partition = URIRef(f"{base}dataset/property/{slug(prop)}")
        add((dataset, VOID.propertyPartition, partition))
        add((partition, RDF.type, VOID.Dataset))
        add((partition, VOID.property, URIRef(prop)))
        add((partition, VOID.triples, _count(triples)))
    for name, triples in stats.graphs.items():
        # The graph's name is the subset's IRI: the article graphs already describe
        # themselves under it (prov:wasDerivedFrom), and GRAPH <name> queries the subset.
        subset = URIRef(name)
        add((dataset, VOID.subset, subset))
        add((subset, RDF.type, VOID.Dataset))
        add((subset, VOID.triples, _count(triples)))
    _add_linksets(graph, dataset, stats, base)
    return graph


def _add_linksets(graph: Graph, dataset: URIRef, stats: DatasetStatistics, base: str) -> None:
    """One void:Linkset per target and link predicate, as VoID gives a linkset a single
    link predicate."""
    add = graph.add
    for key, target_iri, target_title, uri_space in LINK_TARGETS:
        predicates = stats.link_predicates.get(key, {})
        if not predicates:
            continue
        target = URIRef(target_iri)
        add((target, RDF.type, VOID.Dataset))
        add((target, DCTERMS.title, Literal(target_title, lang="en")))
        add((target, VOID.uriSpace, Literal(uri_space)))
        for predicate, links in predicates.items():
            linkset = URIRef(f"{base}dataset/linkset/{key}/{slug(predicate)}")
            add((dataset, VOID.subset, linkset))
            add((linkset, RDF.type, VOID.Linkset))
            add((linkset, VOID.subjectsTarget, dataset))
            add((linkset, VOID.objectsTarget, target))
            add((linkset, VOID.linkPredicate, URIRef(predicate)))
            add((linkset, VOID.triples, _count(links)))


def void_turtle(graph: Graph) -> bytes:
    """Turtle for a description graph, byte-identical on every run.

    rdflib's serializer sorts subjects, predicates and objects, which is enough for a
    graph without blank nodes (their labels change from run to run). The prefixes are
    bound here rather than left to rdflib's defaults, and the triples are added in sorted
    order, so that nothing depends on the order the caller added them in."""
    if any(not isinstance(term, URIRef | Literal) for triple in graph for term in triple):
        raise ValueError("a graph with blank nodes cannot be written deterministically")
    out = description_graph()
    for triple in sorted(graph, key=lambda t: tuple(term.n3() for term in t)):
        out.add(triple)
    return out.serialize(format="turtle", encoding="utf-8")


def description_graph() -> Graph:
    """An empty graph with the description prefixes bound and no rdflib defaults."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in DESCRIPTION_PREFIXES:
        graph.bind(prefix, namespace)
    return graph


def _count(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def _describe(stats: DatasetStatistics) -> str:
    return (
        "News articles about international counter-terrorism cooperation as a knowledge "
        f"graph: {stats.entities} entities in {len(stats.graphs)} named graphs, "
        f"{stats.triples} triples."
    )
