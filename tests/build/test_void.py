from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from conftest import project_store, run_python
from rdflib import RDF, XSD, BNode, Graph, Literal, URIRef

from ctld.build.statistics import DatasetStatistics, statistics
from ctld.build.void import VOID, slug, void_graph, void_turtle

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://w3id.org/ctld/"
DATASET = URIRef(f"{BASE}dataset")
CTLD = "https://w3id.org/ctld/ontology#"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
DUMPS = ("ctld.trig", "ctld.trig.gz", "ctld.nq", "ctld.nt.gz", "ctld.jsonld")
ISSUED = datetime.date(2024, 5, 1)

STATS = DatasetStatistics(
    triples=30,
    distinct_subjects=9,
    entities=6,
    classes={f"{CTLD}Person": 4, f"{CTLD}State": 2, "http://xmlns.com/foaf/0.1/Person": 1},
    properties={
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": 7,
        "http://www.w3.org/2002/07/owl#sameAs": 3,
        "http://www.w3.org/2004/02/skos/core#exactMatch": 2,
        f"{CTLD}iso3166Alpha2": 2,
        "https://schema.org/name": 16,
    },
    graphs={f"{BASE}graph/article/a1": 10, f"{BASE}graph/authorities": 20},
    linksets={"iso3166": 2, "wikidata": 4},
    link_predicates={
        "iso3166": {f"{CTLD}iso3166Alpha2": 2},
        "wikidata": {
            "http://www.w3.org/2002/07/owl#sameAs": 3,
            "http://www.w3.org/2004/02/skos/core#exactMatch": 1,
        },
    },
    vocabularies=(
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "http://www.w3.org/2002/07/owl#",
        "http://www.w3.org/2004/02/skos/core#",
        "http://xmlns.com/foaf/0.1/",
        "https://schema.org/",
        CTLD,
    ),
)


def _void(stats: DatasetStatistics = STATS, **extra: str) -> Graph:
    return void_graph(
        stats,
        base=BASE,
        dumps=DUMPS,
        issued=ISSUED,
        title="Counter-Terrorism Linked Data",
        license=LICENSE,
        **extra,
    )


def _value(graph: Graph, subject: URIRef, predicate: URIRef) -> object:
    value = graph.value(subject, predicate)
    assert isinstance(value, Literal), (subject, predicate, value)
    return value.toPython()


def test_dataset_numbers() -> None:
    graph = _void()
    assert (DATASET, RDF.type, VOID.Dataset) in graph
    assert _value(graph, DATASET, VOID.triples) == 30
    assert _value(graph, DATASET, VOID.entities) == 6
    assert _value(graph, DATASET, VOID.distinctSubjects) == 9
    assert _value(graph, DATASET, VOID.classes) == 3
    assert _value(graph, DATASET, VOID.properties) == 5
    issued = graph.value(DATASET, URIRef("http://purl.org/dc/terms/issued"))
    assert issued == Literal("2024-05-01", datatype=XSD.date)


def test_every_dump_is_a_data_dump() -> None:
    graph = _void()
    assert set(graph.objects(DATASET, VOID.dataDump)) == {
        URIRef(f"{BASE}dumps/{name}") for name in DUMPS
    }


def test_endpoint_uri_space_and_vocabularies() -> None:
    graph = _void()
    assert graph.value(DATASET, VOID.sparqlEndpoint) == URIRef(f"{BASE}sparql")
    assert graph.value(DATASET, VOID.uriSpace) == Literal(f"{BASE}id/")
    assert set(graph.objects(DATASET, VOID.vocabulary)) == {URIRef(v) for v in STATS.vocabularies}


def test_class_partitions_equal_statistics() -> None:
    graph = _void()
    partitions = list(graph.objects(DATASET, VOID.classPartition))
    assert len(partitions) == len(STATS.classes)
    found = {
        str(graph.value(p, VOID["class"])): _value(graph, p, VOID.entities) for p in partitions
    }
    assert found == STATS.classes


def test_property_partitions_equal_statistics() -> None:
    graph = _void()
    partitions = list(graph.objects(DATASET, VOID.propertyPartition))
    assert len(partitions) == len(STATS.properties)
    found = {str(graph.value(p, VOID.property)): _value(graph, p, VOID.triples) for p in partitions}
    assert found == STATS.properties


def test_graph_subsets() -> None:
    graph = _void()
    for name, triples in STATS.graphs.items():
        assert (DATASET, VOID.subset, URIRef(name)) in graph
        assert _value(graph, URIRef(name), VOID.triples) == triples


def test_one_linkset_per_target_and_predicate() -> None:
    graph = _void()
    linksets = set(graph.subjects(RDF.type, VOID.Linkset))
    assert len(linksets) == 2  # ISO codes are literals: no linkset
    found = {}
    for linkset in linksets:
        assert (DATASET, VOID.subset, linkset) in graph
        assert graph.value(linkset, VOID.subjectsTarget) == DATASET
        assert graph.value(linkset, VOID.objectsTarget) == URIRef("https://www.wikidata.org/")
        found[str(graph.value(linkset, VOID.linkPredicate))] = _value(graph, linkset, VOID.triples)
    assert found == STATS.link_predicates["wikidata"]
    assert (URIRef("https://www.wikidata.org/"), RDF.type, VOID.Dataset) in graph


def test_optional_resources_and_description() -> None:
    plain = _void()
    assert plain.value(DATASET, VOID.exampleResource) is None
    assert "30 triples" in str(plain.value(DATASET, URIRef("http://purl.org/dc/terms/description")))
    person = f"{BASE}id/person/someone"
    graph = _void(example_resource=person, root_resource=f"{BASE}id/", description="Given.")
    assert graph.value(DATASET, VOID.exampleResource) == URIRef(person)
    assert graph.value(DATASET, VOID.rootResource) == URIRef(f"{BASE}id/")
    description = graph.value(DATASET, URIRef("http://purl.org/dc/terms/description"))
    assert str(description) == "Given."


def test_no_blank_nodes() -> None:
    graph = _void()
    assert not [t for t in graph if any(isinstance(term, BNode) for term in t)]


def test_slugs_are_iri_safe_unique_and_stable() -> None:
    assert re.fullmatch(r"ctld-Person-[0-9a-f]{10}", slug(f"{CTLD}Person"))
    assert slug(f"{CTLD}Person") == slug(f"{CTLD}Person")
    assert slug(f"{CTLD}Person") != slug("http://xmlns.com/foaf/0.1/Person")
    assert slug("http://example.org/x#") != slug("http://example.org/y#")
    odd = slug("http://example.org/a b/ä?x=1")
    assert re.fullmatch(r"[A-Za-z0-9_-]+", odd)


def test_turtle_parses_back_to_the_same_graph() -> None:
    graph = _void(example_resource=f"{BASE}id/person/someone")
    data = void_turtle(graph)
    assert data.startswith(b"@prefix ")
    assert b"@prefix void: <http://rdfs.org/ns/void#> ." in data
    parsed = Graph().parse(data=data, format="turtle")
    assert set(parsed) == set(graph)


def test_turtle_refuses_blank_nodes() -> None:
    graph = _void()
    graph.add((BNode(), RDF.type, VOID.Dataset))
    with pytest.raises(ValueError, match="blank nodes"):
        void_turtle(graph)


# Run from the repository root, where `tests` is importable.
_SCRIPT = """
import datetime, sys
from tests.conftest import project_store
from ctld.build.statistics import statistics
from ctld.build.void import void_graph, void_turtle

graph = void_graph(
    statistics(project_store()),
    base="https://w3id.org/ctld/",
    dumps=["ctld.nt", "ctld.trig"],
    issued=datetime.date(2024, 5, 1),
    title="ctld",
    license="https://example.org/licence",
    example_resource="https://w3id.org/ctld/id/person/x",
)
sys.stdout.buffer.write(void_turtle(graph))
"""


def test_byte_identical_across_processes() -> None:
    first, second = run_python(_SCRIPT, "1"), run_python(_SCRIPT, "2")
    assert first == second
    graph = Graph().parse(data=first, format="turtle")
    assert len(graph) > 100
    assert len(set(graph.subjects(RDF.type, VOID.Linkset))) >= 3


def test_project_description_matches_its_statistics() -> None:
    stats = statistics(project_store())
    graph = _void(stats)
    partitions = graph.objects(DATASET, VOID.classPartition)
    found = {
        str(graph.value(p, VOID["class"])): _value(graph, p, VOID.entities) for p in partitions
    }
    assert found == stats.classes
    assert _value(graph, DATASET, VOID.triples) == stats.triples
    targets = {graph.value(ls, VOID.objectsTarget) for ls in graph.subjects(RDF.type, VOID.Linkset)}
    assert targets == {
        URIRef("https://www.wikidata.org/"),
        URIRef("http://metadata.un.org/thesaurus/"),
        URIRef("https://undocs.org/"),
    }
