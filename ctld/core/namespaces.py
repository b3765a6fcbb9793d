"""The IRIs ctld mints and the vocabularies it reuses."""

from rdflib import Namespace

BASE = "https://w3id.org/ctld/"
CTLD = Namespace(BASE + "ontology#")
CTLDS = Namespace(BASE + "shapes#")
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")
ONTOLOGY_IRI = BASE + "ontology"

ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
OA = Namespace("http://www.w3.org/ns/oa#")
VANN = Namespace("http://purl.org/vocab/vann/")

PREFIXES: dict[str, str] = {
    "ctld": str(CTLD),
    "ctlds": str(CTLDS),
    "id": str(ID),
    "org": str(ORG),
    "schema": str(SCHEMA),
    "sem": str(SEM),
    "oa": str(OA),
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "prov": "http://www.w3.org/ns/prov#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
}

# The prefixes of the Turtle ctld writes (article graphs, dumps): the vocabularies and
# one per kind of instance, so a graph reads `organization:unoct`, not a long IRI.
SERIALIZE_PREFIXES: dict[str, str] = {
    "ctld": str(CTLD),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xsd": PREFIXES["xsd"],
    "skos": PREFIXES["skos"],
    "dcterms": PREFIXES["dcterms"],
    "prov": PREFIXES["prov"],
    "oa": str(OA),
    "schema": str(SCHEMA),
    "foaf": PREFIXES["foaf"],
    "org": str(ORG),
    "organization": "https://w3id.org/ctld/id/organization/",
    "state": "https://w3id.org/ctld/id/state/",
    "person": "https://w3id.org/ctld/id/person/",
    "place": "https://w3id.org/ctld/id/place/",
    "topic": "https://w3id.org/ctld/id/topic/",
    "resolution": "https://w3id.org/ctld/id/resolution/",
    "instrument": "https://w3id.org/ctld/id/instrument/",
    "event": "https://w3id.org/ctld/id/event/",
    "post": "https://w3id.org/ctld/id/post/",
    "role": "https://w3id.org/ctld/id/role/",
    "membership": "https://w3id.org/ctld/id/membership/",
    "article": "https://w3id.org/ctld/id/article/",
    "graph": f"{GRAPH}article/",
}


def shorten(iri: str) -> str:
    """A prefixed name for reports (ctld:symbol), or the IRI in angle brackets."""
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(best):
            local = iri[len(namespace) :]
            if local and all(c.isalnum() or c in "-_./" for c in local):
                best = namespace
                result = f"{prefix}:{local}"
    return result if best else f"<{iri}>"
