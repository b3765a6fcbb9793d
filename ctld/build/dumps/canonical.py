"""Canonical forms: what makes two builds of the same inputs give the same bytes.

Every dump is written in an order fixed by the data (graphs by IRI, lines sorted),
gzip members carry no name and no time (ctld.build.dumps.compression), the dates
written are the release date, never the clock, and blank nodes of the ontology and
shapes get canonical labels (RDFC via rdflib), and skolem IRIs in the dumps, so the
data dumps have no blank nodes at all. The dumps themselves are made by
ctld.build.dumps.asserted (graph by graph, as the build assembles the dataset) and
ctld.build.dumps.union (the sorted union); this module holds the forms they share and
writes the ontology and shapes files.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import cast

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.term import Node

from ctld.core.namespaces import PREFIXES, SERIALIZE_PREFIXES

GENID = "https://w3id.org/ctld/.well-known/genid/"
DUMP_PREFIXES = {**SERIALIZE_PREFIXES, **{k: v for k, v in PREFIXES.items() if k != "id"}}
DUMP_PREFIXES.pop("this", None)
CONTEXT_URL = "https://w3id.org/ctld/context.jsonld"


def canonical(graph: Graph) -> Graph:
    """The graph with canonical blank node labels: the same graph always serialises to
    the same bytes, whatever labels its parser chose."""
    return to_canonical_graph(graph)


def skolemised(graph: Graph) -> Graph:
    """Blank nodes replaced by IRIs under .well-known/genid/, from canonical labels."""
    out = Graph()
    for triple in canonical(graph):
        terms = tuple(URIRef(GENID + str(t)) if isinstance(t, BNode) else t for t in triple)
        out.add(cast(tuple[Node, Node, Node], terms))  # a triple's three terms, mapped one by one
    return out


def to_oxigraph(graph: Graph) -> list[ox.Triple]:
    """rdflib triples as pyoxigraph ones, through canonical N-Triples."""
    data = canonical(graph).serialize(format="nt", encoding="utf-8")
    return list(ox.parse(data, ox.RdfFormat.N_TRIPLES))


def prefix_lines(prefixes: dict[str, str]) -> bytes:
    """@prefix lines, sorted by prefix, as pyoxigraph's Turtle and TriG writers order them."""
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(prefixes.items())).encode()


def write_graph_files(graph: Graph, out: Path, stem: str, formats: Iterable[str]) -> list[str]:
    """One graph (the ontology, the shapes) in each of `formats` (ttl, owl, jsonld),
    blank nodes kept (OWL's and SHACL's RDF mappings need them), canonically labelled."""
    triples = sorted(to_oxigraph(graph), key=triple_key)
    kinds = {
        "ttl": ox.RdfFormat.TURTLE,
        "owl": ox.RdfFormat.RDF_XML,
        "jsonld": ox.RdfFormat.JSON_LD,
        "nt": ox.RdfFormat.N_TRIPLES,
    }
    names = []
    for suffix in formats:
        name = f"{stem}.{suffix}"
        prefixes = DUMP_PREFIXES if suffix in ("ttl", "owl") else None
        # with no output given, serialize returns the bytes
        data = cast(bytes, ox.serialize(triples, format=kinds[suffix], prefixes=prefixes))
        (out / name).write_bytes(data)
        names.append(name)
    return names


def triple_key(triple: ox.Triple) -> tuple[str, str, str]:
    return (str(triple.subject), str(triple.predicate), str(triple.object))
