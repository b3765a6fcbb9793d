"""Release files: the dataset's dumps and descriptions, written deterministically.

Two builds from the same inputs give the same bytes: every dump is written in an order
fixed by the data (graphs by IRI, lines sorted), gzip members carry no name and no time
(ctld.compression), the dates written are the release date (SOURCE_DATE_EPOCH, or the
newest article's), never the clock, and blank nodes of the ontology and shapes get
canonical labels (RDFC via rdflib), and skolem IRIs in the dumps, so the data dumps have
no blank nodes at all. The dumps themselves are made by ctld.draft (graph by graph, as
the build assembles the dataset) and ctld.union (the sorted union); this module holds
what they share and the smaller files.
"""

from __future__ import annotations

import hashlib
import heapq
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.compare import to_canonical_graph

from ctld.namespaces import PREFIXES
from ctld.rdfmap import SERIALIZE_PREFIXES

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
        out.add(tuple(URIRef(GENID + str(t)) if isinstance(t, BNode) else t for t in triple))
    return out


def to_oxigraph(graph: Graph) -> list[ox.Triple]:
    """rdflib triples as pyoxigraph ones, through canonical N-Triples."""
    data = canonical(graph).serialize(format="nt", encoding="utf-8")
    return list(ox.parse(data, ox.RdfFormat.N_TRIPLES))


class LineSorter:
    """Sorts and de-duplicates lines larger than memory: sorted runs of CHUNK lines go
    to temporary files, which are merged at the end (an external merge sort)."""

    CHUNK = 500_000

    def __init__(self, work: Path) -> None:
        self._work = work
        self._lines: list[bytes] = []
        self._runs: list[Path] = []

    def add(self, lines: Iterable[bytes]) -> None:
        self._lines.extend(lines)
        if len(self._lines) >= self.CHUNK:
            self._spill()

    def add_run(self, data: bytes) -> None:
        """Lines already sorted and unique, each ending with a line break, kept as a
        run of their own: a large graph's lines (the inferred graph's) are then never
        split, de-duplicated and sorted again here."""
        if not data:
            return
        self._work.mkdir(exist_ok=True)
        run = self._work / f"run-{len(self._runs):05d}"
        run.write_bytes(data)
        self._runs.append(run)

    def write(self, target: Path) -> None:
        with target.open("wb") as handle:
            for line in self.lines():
                handle.write(line + b"\n")

    def lines(self) -> Iterator[bytes]:
        """Every line added, sorted, each once (without its line break); the runs are
        removed at the end."""
        self._lines = sorted(set(self._lines))
        if not self._runs:
            yield from self._lines
            self._lines = []
            return
        runs = [open(run, "rb") for run in self._runs]  # noqa: SIM115 - closed below
        try:
            merged = heapq.merge(iter(self._lines), *(_stripped(r) for r in runs))
            previous = None
            for line in merged:
                if line != previous:
                    yield line
                    previous = line
        finally:
            for handle in runs:
                handle.close()
            self._lines = []
            shutil.rmtree(self._work, ignore_errors=True)

    def _spill(self) -> None:
        self._work.mkdir(exist_ok=True)
        run = self._work / f"run-{len(self._runs):05d}"
        run.write_bytes(b"".join(line + b"\n" for line in sorted(set(self._lines))))
        self._runs.append(run)
        self._lines = []


def _stripped(handle: Any) -> Iterator[bytes]:
    for line in handle:
        yield line.rstrip(b"\n")


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
        (out / name).write_bytes(ox.serialize(triples, format=kinds[suffix], prefixes=prefixes))
        names.append(name)
    return names


def write_checksums(out: Path, known: dict[str, str] | None = None) -> str:
    """SHA256SUMS over every other file, in the format `sha256sum -c` reads; `known`
    digests (by file name) are not computed again."""
    known = known or {}
    lines = [
        f"{known.get(path.name) or sha256_file(path)}  {path.name}\n"
        for path in sorted(out.iterdir())
        if path.is_file() and path.name != "SHA256SUMS"
    ]
    text = "".join(lines)
    (out / "SHA256SUMS").write_text(text, encoding="utf-8")
    return text


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def triple_key(triple: ox.Triple) -> tuple[str, str, str]:
    return (str(triple.subject), str(triple.predicate), str(triple.object))
