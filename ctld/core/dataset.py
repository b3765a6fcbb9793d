"""The dataset: the ontology, the authorities and every article graph, each in its named
graph, in one pyoxigraph store.

pyoxigraph parses Turtle about ten times faster than rdflib and holds a million triples
in a third of the memory, and its SPARQL engine runs the quality checks and the release
statistics over the whole dataset; rdflib stays for small graphs (pyshacl's input, the
VoID and DCAT descriptions). A parse error names the file and line, as everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ctld.core.errors import SourceSyntaxError
from ctld.core.namespaces import GRAPH
from ctld.core.settings import Settings

ONTOLOGY_GRAPH = f"{GRAPH}ontology"
AUTHORITIES_GRAPH = f"{GRAPH}authorities"
INFERRED_GRAPH = f"{GRAPH}inferred"
ARTICLE_GRAPH = f"{GRAPH}article/"
ARTICLE_ID = ARTICLE_GRAPH.replace("/graph/article/", "/id/article/")


@dataclass(frozen=True)
class Part:
    """One named graph of the dataset and the files it is read from."""

    graph: str
    paths: tuple[Path, ...]


def dataset_parts(settings: Settings, article_graphs: Sequence[Path]) -> list[Part]:
    """The asserted named graphs: ontology, authorities, one per article (its id is the
    file's stem, as `ctld extract` names it)."""
    authorities = tuple(sorted(settings.authorities_dir.glob("*.ttl")))
    parts = [
        Part(ONTOLOGY_GRAPH, (settings.ontology_path,)),
        Part(AUTHORITIES_GRAPH, authorities),
    ]
    parts.extend(Part(f"{ARTICLE_GRAPH}{p.stem}", (p,)) for p in sorted(article_graphs))
    return parts


def load_parts(store: ox.Store, parts: Iterable[Part], annotations: bool = True) -> int:
    """Load every part into its named graph; returns the number of files read. With
    annotations=False an article graph's own fragment nodes (the Web Annotations,
    targets and selectors: nearly nine triples in ten) stay out of the store: no shape,
    check or axiom reads them, and the release reads them from the files."""
    files = 0
    for part in parts:
        graph = ox.NamedNode(part.graph)
        for path in part.paths:
            if annotations or not part.graph.startswith(ARTICLE_GRAPH):
                load_file(store, path, graph)
            else:
                store.extend(
                    ox.Quad(t.subject, t.predicate, t.object, graph)
                    for t in read_triples(path)
                    # the stub lets a subject be a Triple; pyoxigraph 0.5 (RDF 1.2) makes none
                    if not is_fragment(t.subject)  # type: ignore[arg-type]
                )
            files += 1
    return files


def is_fragment(subject: ox.NamedNode | ox.BlankNode) -> bool:
    """A node in an article's own fragment space: …/id/article/{id}#…"""
    value = subject.value
    return value.startswith(ARTICLE_ID) and "#" in value


def load_file(store: ox.Store, path: Path, graph: ox.NamedNode) -> None:
    try:
        store.bulk_load(path=path, format=ox.RdfFormat.TURTLE, to_graph=graph)
    except SyntaxError as exc:
        raise SourceSyntaxError(path, exc.lineno, exc.msg) from None


def release_graphs(
    parts: Sequence[Part], ontology: list[ox.Triple], store: ox.Store
) -> Iterator[tuple[str, list[ox.Triple]]]:
    """Every named graph with its triples, in graph IRI order, one at a time: asserted
    graphs as parsed from their files (their literals exactly as written; in file
    order, which is deterministic), the ontology as given (skolemised), and the
    inferred graph from the store (IRIs only), sorted."""
    graphs: dict[str, Part | None] = {part.graph: part for part in parts}
    graphs[ONTOLOGY_GRAPH] = None
    graphs[INFERRED_GRAPH] = None
    for graph in sorted(graphs):
        part = graphs[graph]
        if graph == ONTOLOGY_GRAPH:
            yield graph, sorted(ontology, key=_key)
        elif part is None:
            name = ox.NamedNode(graph)
            found = [q.triple for q in store.quads_for_pattern(None, None, None, name)]
            yield graph, sorted(found, key=_key)
        else:
            yield graph, [t for path in part.paths for t in read_triples(path)]


def _key(triple: ox.Triple) -> tuple[str, str, str]:
    return (str(triple.subject), str(triple.predicate), str(triple.object))


def read_triples(path: Path) -> list[ox.Triple]:
    try:
        return list(ox.parse(path=path, format=ox.RdfFormat.TURTLE))
    except SyntaxError as exc:
        raise SourceSyntaxError(path, exc.lineno, exc.msg) from None
