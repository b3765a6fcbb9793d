from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph
import pytest
from conftest import project_store
from rdflib import Graph

from ctld.build.statistics import (
    QUERY_NAMES,
    DatasetStatistics,
    default_queries_dir,
    namespace,
    statistics,
)
from ctld.core.errors import MissingPathError, QueryFileError
from ctld.core.queryfiles import read_query_dir

ROOT = Path(__file__).resolve().parents[2]
G = "https://w3id.org/ctld/graph/"
CTLD = "https://w3id.org/ctld/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OWL = "http://www.w3.org/2002/07/owl#"
FOAF = "http://xmlns.com/foaf/0.1/"

PREFIXES = """
@prefix ctld: <https://w3id.org/ctld/ontology#> .
@prefix id: <https://w3id.org/ctld/id/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix schema: <https://schema.org/> .
@prefix wd: <http://www.wikidata.org/entity/> .
@prefix unbis: <http://metadata.un.org/thesaurus/> .
"""

AUTHORITIES = """
id:p1 a ctld:Person ; skos:prefLabel "P1"@en ; owl:sameAs wd:Q1 .
id:p2 a ctld:Person , foaf:Person ; skos:exactMatch wd:Q2 .
id:st a ctld:State ; ctld:iso3166Alpha2 "TJ" ; ctld:iso3166Alpha3 "TJK" ;
    skos:exactMatch unbis:1001346 .
id:res a ctld:SecurityCouncilResolution ;
    foaf:page <https://undocs.org/S/RES/2462(2019)> , <https://example.org/not-undocs> .
id:x rdfs:seeAlso wd:Q3 .
"""

# p1's type is stated again: a second statement, but not a second Person.
ARTICLE = """
id:p1 a ctld:Person .
id:ev a ctld:Meeting ; schema:name "A meeting" .
"""

ONTOLOGY = "ctld:Person a owl:Class ."


def _store(graphs: dict[str, str]) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    for name, body in graphs.items():
        store.load(
            (PREFIXES + body).encode(),
            format=pyoxigraph.RdfFormat.TURTLE,
            to_graph=pyoxigraph.NamedNode(G + name),
        )
    return store


@pytest.fixture(scope="module")
def small() -> DatasetStatistics:
    return statistics(
        _store({"authorities": AUTHORITIES, "article/a1": ARTICLE, "ontology": ONTOLOGY})
    )


def test_sizes(small: DatasetStatistics) -> None:
    assert small.triples == 18
    # p1, p2, st, res, x, ev and ctld:Person (the ontology's subject)
    assert small.distinct_subjects == 7
    # typed with a ctld class: p1, p2, st, res, ev (not ctld:Person, typed owl:Class)
    assert small.entities == 5


def test_classes_count_distinct_instances(small: DatasetStatistics) -> None:
    assert small.classes == {
        f"{CTLD}Meeting": 1,
        f"{CTLD}Person": 2,
        f"{CTLD}SecurityCouncilResolution": 1,
        f"{CTLD}State": 1,
        f"{OWL}Class": 1,
        f"{FOAF}Person": 1,
    }


def test_properties_count_statements(small: DatasetStatistics) -> None:
    assert small.properties == {
        f"{FOAF}page": 2,
        f"{RDF_TYPE}": 8,
        "http://www.w3.org/2000/01/rdf-schema#seeAlso": 1,
        f"{OWL}sameAs": 1,
        f"{SKOS}exactMatch": 2,
        f"{SKOS}prefLabel": 1,
        "https://schema.org/name": 1,
        f"{CTLD}iso3166Alpha2": 1,
        f"{CTLD}iso3166Alpha3": 1,
    }
    assert sum(small.properties.values()) == small.triples


def test_graphs(small: DatasetStatistics) -> None:
    assert small.graphs == {G + "article/a1": 3, G + "authorities": 14, G + "ontology": 1}


def test_linksets(small: DatasetStatistics) -> None:
    # rdfs:seeAlso to Wikidata and a foaf:page outside undocs.org are not links
    assert small.linksets == {"iso3166": 2, "unbis": 1, "undocs": 1, "wikidata": 2}
    assert small.link_predicates == {
        "iso3166": {f"{CTLD}iso3166Alpha2": 1, f"{CTLD}iso3166Alpha3": 1},
        "unbis": {f"{SKOS}exactMatch": 1},
        "undocs": {f"{FOAF}page": 1},
        "wikidata": {f"{OWL}sameAs": 1, f"{SKOS}exactMatch": 1},
    }


def test_vocabularies(small: DatasetStatistics) -> None:
    assert small.vocabularies == (
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "http://www.w3.org/2000/01/rdf-schema#",
        OWL,
        SKOS,
        FOAF,
        "https://schema.org/",
        CTLD,
    )


def test_mappings_are_sorted(small: DatasetStatistics) -> None:
    for mapping in (small.classes, small.properties, small.graphs, small.linksets):
        assert list(mapping) == sorted(mapping)
    assert list(small.vocabularies) == sorted(small.vocabularies)


def test_default_graph_triples_count_but_belong_to_no_graph() -> None:
    store = _store({"ontology": ONTOLOGY})
    store.load((PREFIXES + "id:loose a ctld:Person .").encode(), format=pyoxigraph.RdfFormat.TURTLE)
    stats = statistics(store)
    assert stats.triples == 2
    assert stats.graphs == {G + "ontology": 1}
    assert stats.entities == 1


def test_empty_store() -> None:
    stats = statistics(pyoxigraph.Store())
    assert (stats.triples, stats.distinct_subjects, stats.entities) == (0, 0, 0)
    assert stats.classes == stats.properties == stats.graphs == stats.linksets == {}
    assert stats.vocabularies == ()


def test_namespace() -> None:
    assert namespace(f"{CTLD}Person") == CTLD
    assert namespace("https://schema.org/name") == "https://schema.org/"
    assert namespace("urn:x") == "urn:x"


def test_queries_are_documented_files() -> None:
    queries = {q.name: q for q in read_query_dir(default_queries_dir())}
    assert set(QUERY_NAMES) <= set(queries)
    for name in QUERY_NAMES:
        assert queries[name].metadata.get("summary"), name
        assert queries[name].description.strip(), name


def test_a_missing_query_is_named(tmp_path: Path) -> None:
    shutil.copytree(default_queries_dir(), tmp_path / "stats")
    (tmp_path / "stats" / "linksets.rq").unlink()
    with pytest.raises(MissingPathError, match=r"linksets\.rq"):
        statistics(pyoxigraph.Store(), tmp_path / "stats")


def test_a_broken_query_names_its_file(tmp_path: Path) -> None:
    shutil.copytree(default_queries_dir(), tmp_path / "stats")
    (tmp_path / "stats" / "graphs.rq").write_text("#+ summary: x\nSELECT ?graph {", "utf-8")
    with pytest.raises(QueryFileError, match=r"graphs\.rq"):
        statistics(pyoxigraph.Store(), tmp_path / "stats")


def test_a_query_must_select(tmp_path: Path) -> None:
    shutil.copytree(default_queries_dir(), tmp_path / "stats")
    (tmp_path / "stats" / "size.rq").write_text("ASK { ?s ?p ?o }", "utf-8")
    with pytest.raises(QueryFileError, match="SELECT"):
        statistics(pyoxigraph.Store(), tmp_path / "stats")


@pytest.fixture(scope="module")
def project() -> tuple[pyoxigraph.Store, DatasetStatistics]:
    store = project_store()
    return store, statistics(store)


def test_project_totals_add_up(project: tuple[pyoxigraph.Store, DatasetStatistics]) -> None:
    store, stats = project
    assert stats.triples == len(store) > 1000
    assert sum(stats.graphs.values()) == stats.triples
    assert sum(stats.properties.values()) == stats.triples
    assert 0 < stats.entities < stats.distinct_subjects
    assert all(count <= stats.entities for c, count in stats.classes.items() if c.startswith(CTLD))


def test_project_graphs(project: tuple[pyoxigraph.Store, DatasetStatistics]) -> None:
    _, stats = project
    articles = sorted(p.stem for p in (ROOT / "data" / "graphs").glob("*.ttl"))
    assert articles
    assert set(stats.graphs) == {G + "ontology", G + "authorities"} | {
        G + f"article/{a}" for a in articles
    }
    authorities = Graph()
    for path in sorted((ROOT / "data" / "authorities").glob("*.ttl")):
        authorities.parse(path, format="turtle")
    assert stats.graphs[G + "authorities"] == len(authorities)


def test_project_classes_and_links(project: tuple[pyoxigraph.Store, DatasetStatistics]) -> None:
    _, stats = project
    assert stats.classes[f"{CTLD}Person"] > 0
    assert stats.classes[f"{CTLD}NewsArticle"] == len(list((ROOT / "data" / "graphs").glob("*")))
    assert stats.classes[f"{OWL}Class"] > 10
    assert stats.linksets["wikidata"] > 0
    assert stats.linksets["undocs"] > 0
    assert stats.linksets["unbis"] > 0
    iso = stats.link_predicates["iso3166"]
    assert iso[f"{CTLD}iso3166Alpha2"] == iso[f"{CTLD}iso3166Alpha3"] >= 190
    assert CTLD in stats.vocabularies and "https://schema.org/" in stats.vocabularies
