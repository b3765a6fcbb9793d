"""The ontology's header and alignments; per-term labels and definitions are a SPARQL
check (sparql/checks/ontology-term-annotations.rq) run with the others."""

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import DCTERMS

from ctld.core.namespaces import CTLD, ONTOLOGY_IRI, VANN
from ctld.core.settings import Settings

EXTERNAL = (
    "http://www.w3.org/ns/org#",
    "https://schema.org/",
    "http://xmlns.com/foaf/0.1/",
    "http://www.w3.org/ns/prov#",
    "http://www.w3.org/2004/02/skos/core#",
    "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "http://www.w3.org/2006/time#",
)


@pytest.fixture(scope="module")
def ontology(settings: Settings) -> Graph:
    return Graph().parse(settings.ontology_path)


def test_header(ontology: Graph) -> None:
    header = URIRef(ONTOLOGY_IRI)
    assert (header, RDF.type, OWL.Ontology) in ontology
    for prop in (
        OWL.versionIRI,
        OWL.versionInfo,
        DCTERMS.license,
        DCTERMS.title,
        DCTERMS.description,
        VANN.preferredNamespacePrefix,
    ):
        assert ontology.value(header, prop) is not None, prop
    assert str(ontology.value(header, VANN.preferredNamespaceUri)) == str(CTLD)
    assert str(ontology.value(header, OWL.versionIRI)).startswith(ONTOLOGY_IRI + "/")


def _ctld_terms(ontology: Graph, kind: URIRef) -> list[URIRef]:
    return sorted(t for t in ontology.subjects(RDF.type, kind) if str(t).startswith(str(CTLD)))


def test_required_classes_exist(ontology: Graph) -> None:
    required = [
        "Organization",
        "IntergovernmentalOrganization",
        "UnitedNationsEntity",
        "UnitedNationsOrgan",
        "GovernmentAgency",
        "State",
        "Person",
        "Post",
        "Membership",
        "Instrument",
        "Agreement",
        "MemorandumOfUnderstanding",
        "CooperationArrangement",
        "Declaration",
        "Strategy",
        "Convention",
        "Resolution",
        "GeneralAssemblyResolution",
        "SecurityCouncilResolution",
        "Event",
        "Conference",
        "Meeting",
        "Talks",
        "Session",
        "Signing",
        "Workshop",
        "Operation",
        "SideEvent",
        "Place",
        "City",
        "Country",
        "Topic",
        "NewsArticle",
    ]
    classes = set(_ctld_terms(ontology, OWL.Class))
    assert {CTLD[name] for name in required} <= classes


def test_every_class_is_aligned_to_a_standard_vocabulary(ontology: Graph) -> None:
    def aligned(cls: URIRef, seen: frozenset = frozenset()) -> bool:
        for parent in ontology.objects(cls, RDFS.subClassOf):
            if isinstance(parent, URIRef) and str(parent).startswith(EXTERNAL):
                return True
            if isinstance(parent, URIRef) and parent not in seen and aligned(parent, seen | {cls}):
                return True
        return False

    # ctld:Candidate is a curation status of an entity, which none of the aligned
    # vocabularies has a class for
    unaligned = [c for c in _ctld_terms(ontology, OWL.Class) if not aligned(c)]
    assert unaligned == [CTLD.Candidate]


def test_inverse_pairs_are_declared_once(ontology: Graph) -> None:
    pairs = list(ontology.subject_objects(OWL.inverseOf))
    assert len(pairs) >= 8
    canonical = {s for s, _ in pairs}
    assert not canonical & {o for _, o in pairs}, "declare owl:inverseOf on one side only"


def test_no_external_ontology_is_imported(ontology: Graph) -> None:
    assert list(ontology.objects(None, OWL.imports)) == []
