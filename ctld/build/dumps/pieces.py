"""What the build makes of each named graph and of each chunk of the union, made in
worker processes: everything here is a pure function of its input, so any process may
run it and the bytes do not depend on how many did.

A graph is parsed once (turning Turtle into Python objects is the costliest step of
the build, about 1.6 µs a triple), and that one parse gives every form the build needs:
its N-Quads and TriG sections of the dumps, already compressed; its triples without the
article's fragment nodes (Web Annotations, targets, selectors), which the store, SHACL
and HermiT read; its fragment triples, which only the release reads; and the counts of
the fragment nodes for VoID. All of it is derived from pyoxigraph's N-Triples and
Turtle writers, so literals stay as the file writes them.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox

from ctld.build.dumps.canonical import DUMP_PREFIXES
from ctld.build.dumps.compression import deflate_segment
from ctld.build.dumps.jsonld import NodeWriter, context
from ctld.build.dumps.jsonlines import LineNodes
from ctld.core.dataset import ARTICLE_ID, read_triples
from ctld.core.errors import SourceSyntaxError

_FRAGMENTS_FROM = f"<{ARTICLE_ID}".encode()
_FRAGMENTS_UNTIL = _FRAGMENTS_FROM[:-1] + bytes([_FRAGMENTS_FROM[-1] + 1])
_RDF_TYPE = b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_PROBE = ox.NamedNode("urn:ctld:probe")
# The @prefix lines pyoxigraph's Turtle writer puts before the triples (in its order).
# (Given no output, ox.serialize returns the bytes, here and below.)
TURTLE_HEADER = cast(
    bytes,
    ox.serialize(
        [ox.Triple(_PROBE, _PROBE, _PROBE)], format=ox.RdfFormat.TURTLE, prefixes=DUMP_PREFIXES
    ),
).removesuffix(b"<urn:ctld:probe> <urn:ctld:probe> <urn:ctld:probe> .\n")


@dataclass(frozen=True)
class Counts:
    """A graph's fragment triples, their distinct subjects, properties and classes."""

    triples: int = 0
    subjects: int = 0
    properties: Counter[str] = field(default_factory=Counter)
    classes: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class Rendition:
    """One named graph in every form the build needs. N-Triples lines are sorted."""

    graph: str
    nquads: bytes  # its N-Quads lines, sorted, repeated triples kept (one line each)
    trig: bytes  # its TriG block, triples in file order, without @prefix lines
    asserted: bytes  # N-Triples lines without fragment nodes, unique
    fragments: bytes  # N-Triples lines of fragment nodes, unique
    counts: Counts
    nquads_packed: bytes | None = None  # deflate segments, when made by a worker
    trig_packed: bytes | None = None


@dataclass(frozen=True)
class Failure:
    """A syntax error met in a worker (the exception itself does not pickle)."""

    path: Path
    line: int | None
    detail: str

    def error(self) -> SourceSyntaxError:
        return SourceSyntaxError(self.path, self.line, self.detail)


def render_files(parts: list[tuple[str, Path]]) -> list[Rendition | Failure]:
    """Each (graph IRI, Turtle file) parsed and rendered, with compressed segments."""
    done: list[Rendition | Failure] = []
    for graph, path in parts:
        try:
            triples = read_triples(path)
        except SourceSyntaxError as exc:
            done.append(Failure(exc.path, exc.line, exc.detail))
            continue
        done.append(render_graph(graph, triples, packed=True))
    return done


def render_graph(graph: str, triples: list, packed: bool = False) -> Rendition:
    """A graph's triples (Triples, or Quads in the default graph) in every form; its
    TriG block lists them in the order given."""
    ntriples = cast(bytes, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
    lines = ntriples.splitlines(keepends=True)
    lines.sort()
    return _rendition(graph, lines, _trig(graph, triples), packed)


def render_sorted(graph: str, ntriples: bytes) -> Rendition:
    """A graph given as N-Triples (as a store dumps it: no Python object per triple,
    for the inferred graph's hundreds of thousands of triples); its TriG block lists
    the triples in the order of their sorted lines."""
    lines = ntriples.splitlines(keepends=True)
    lines.sort()
    stream = ox.parse(b"".join(lines), format=ox.RdfFormat.N_TRIPLES, lenient=True)
    return _rendition(graph, lines, _trig(graph, stream))


def _rendition(graph: str, lines: list[bytes], trig: bytes, packed: bool = False) -> Rendition:
    name = f" <{graph}> .\n".encode()
    nquads = b"".join(lines).replace(b" .\n", name)
    low, high = bisect_left(lines, _FRAGMENTS_FROM), bisect_left(lines, _FRAGMENTS_UNTIL)
    fragments: list[bytes] = []
    others: list[bytes] = []
    for line in lines[low:high]:
        (fragments if b"#" in line[: line.index(b">")] else others).append(line)
    asserted = b"".join(dict.fromkeys([*lines[:low], *others, *lines[high:]]))
    counts = _counts(fragments)
    return Rendition(
        graph,
        nquads,
        trig,
        asserted,
        b"".join(dict.fromkeys(fragments)),
        counts,
        deflate_segment(nquads) if packed else None,
        deflate_segment(trig) if packed else None,
    )


@dataclass(frozen=True)
class UnionPiece:
    """A chunk of the sorted union as Turtle (without @prefix lines) and as JSON-LD
    node objects (with the separator before the first), and the three compressed."""

    ntriples_packed: bytes
    turtle: bytes
    turtle_packed: bytes
    jsonld: bytes
    jsonld_packed: bytes


def render_union(chunk: bytes, first: bool, base: str) -> UnionPiece:
    """A chunk of sorted, unique N-Triples lines that starts with a new subject."""
    # The lines were written by pyoxigraph from parsed, validated terms: lenient
    # parsing (no IRI validation) reads them a third faster, to the same terms.
    triples = list(ox.parse(chunk, format=ox.RdfFormat.N_TRIPLES, lenient=True))
    turtle = cast(bytes, ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=DUMP_PREFIXES))
    if not turtle.startswith(TURTLE_HEADER):
        raise ValueError("unexpected Turtle prefix lines")
    turtle = turtle[len(TURTLE_HEADER) :]
    nodes = ",\n".join(_line_nodes(base).texts(chunk))
    jsonld = ("\n" if first else ",\n").encode() + nodes.encode("utf-8")
    return UnionPiece(
        deflate_segment(chunk),
        turtle,
        deflate_segment(turtle),
        jsonld,
        deflate_segment(jsonld),
    )


@lru_cache(maxsize=4)
def _line_nodes(base: str) -> LineNodes:
    """One writer per process and base: its caches of shortened IRIs carry over."""
    return LineNodes(NodeWriter(context(base)))


@lru_cache(maxsize=1 << 12)
def _graph_label(graph: str) -> bytes:
    """How the TriG writer names the graph: a prefixed name when a prefix fits."""
    term = ox.NamedNode(graph)
    text = cast(bytes, ox.serialize([ox.Triple(term, term, term)], format=ox.RdfFormat.TURTLE,
                                    prefixes=DUMP_PREFIXES))  # fmt: skip
    return text.splitlines()[-1].split(b" ", 1)[0]


def _trig(graph: str, triples: Iterable[Any]) -> bytes:
    """The graph's TriG block: pyoxigraph's Turtle, each line indented by a tab, in
    braces after the graph's name (byte for byte what its TriG writer gives, at a third
    of the cost, since no Quad objects are made). A literal's line breaks are escaped,
    so every line break in the Turtle ends a line."""
    turtle = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=DUMP_PREFIXES)
    if not turtle:
        return b""
    if not turtle.startswith(TURTLE_HEADER):
        raise ValueError("unexpected Turtle prefix lines")
    body = turtle[len(TURTLE_HEADER) :]
    return _graph_label(graph) + b" {\n\t" + body.replace(b"\n", b"\n\t")[:-1] + b"}\n"


def _counts(fragments: list[bytes]) -> Counts:
    """Counts from N-Triples lines (each line one statement, as the old tally counted
    each parsed triple); IRIs in N-Triples are written as they are, between < >, and
    hold no spaces, so a line splits at its first two spaces into its terms."""
    if not fragments:
        return Counts()
    terms = [line.split(b" ", 2) for line in fragments]
    properties = Counter(map(itemgetter(1), terms))
    classes: Counter[str] = Counter()
    for _, predicate, rest in terms:
        if predicate == _RDF_TYPE:
            classes[_term_value(rest[: -len(b" .\n")])] += 1
    return Counts(
        len(terms),
        len(set(map(itemgetter(0), terms))),
        Counter({_term_value(p): n for p, n in properties.items()}),
        classes,
    )


def _term_value(term: bytes) -> str:
    if term.startswith(b"<") and term.endswith(b">"):
        return term[1:-1].decode("utf-8")
    line = b"<urn:x:s> <urn:x:p> " + term + b" .\n"
    return next(iter(ox.parse(line, format=ox.RdfFormat.N_TRIPLES))).object.value
