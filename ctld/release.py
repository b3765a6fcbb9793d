"""Release files: the dataset's dumps and descriptions, written deterministically.

Two builds from the same inputs give the same bytes: quads are sorted before any
serialiser sees them, gzip members carry no name and no time, the dates written are
the release date (SOURCE_DATE_EPOCH, or the newest article's), never the clock, and
blank nodes of the ontology and shapes get canonical labels (RDFC via rdflib), and
skolem IRIs in the dumps, so the data dumps have no blank nodes at all.
"""

from __future__ import annotations

import gzip
import hashlib
import heapq
import json
import multiprocessing
import shutil
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
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


def write_dumps(
    graphs: Iterable[tuple[str, list[ox.Triple]]], out: Path, context: dict[str, Any]
) -> list[str]:
    """ctld.{nq,trig} (every named graph, in graph order), ctld.{nt,ttl,jsonld} (the
    union, sorted by subject), each also gzipped, and context.jsonld.

    `graphs` yields (graph IRI, its triples in a deterministic order) in IRI order, one
    graph at a time, so only one article's triples are in memory; the union is sorted
    on disk. The triples must come from the parser, not from a pyoxigraph Store, which
    normalises literals ("103"^^xsd:nonNegativeInteger comes back as xsd:integer).
    Once the union is written, a forked process writes the JSON-LD (pure Python, the
    slowest dump) while this one writes the Turtle and gzips the others in threads
    (zlib releases the GIL)."""
    nt_lines = LineSorter(out / ".union")
    with (out / "ctld.nq").open("wb") as nq, (out / "ctld.trig").open("wb") as trig:
        trig.write(_prefix_lines(DUMP_PREFIXES))
        for graph, triples in graphs:
            name = ox.NamedNode(graph)
            quads = [ox.Quad(t.subject, t.predicate, t.object, name) for t in triples]
            nq.write(_sorted_lines(ox.serialize(quads, format=ox.RdfFormat.N_QUADS)))
            chunk = ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=DUMP_PREFIXES)
            trig.write(_without_prefixes(chunk))
            nt_lines.add(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).splitlines())
    nt_lines.write(out / "ctld.nt")
    union = out / "ctld.nt"
    dumps = ("ctld.nq", "ctld.trig", "ctld.nt", "ctld.ttl", "ctld.jsonld")
    fork = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=1, mp_context=fork) as process:
        jsonld = process.submit(write_jsonld_file, union, out / "ctld.jsonld", context)
        ox.serialize(ox.parse(path=union, format=ox.RdfFormat.N_TRIPLES), out / "ctld.ttl",
                     format=ox.RdfFormat.TURTLE, prefixes=DUMP_PREFIXES)  # fmt: skip
        with ThreadPoolExecutor(max_workers=2) as pool:
            packed = [pool.submit(gzip_file, out / n, out / f"{n}.gz") for n in dumps[:4]]
            for job in packed:
                job.result()
        jsonld.result()
    names = [n for name in dumps for n in (name, f"{name}.gz")]
    (out / "context.jsonld").write_text(
        json.dumps(context, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    return [*names, "context.jsonld"]


def write_jsonld_file(union: Path, target: Path, context: dict[str, Any]) -> None:
    """The JSON-LD dump, and its gzip copy, from the sorted N-Triples union."""
    from ctld.jsonld import write_jsonld  # the JSON-LD writer is only needed here

    with target.open("w", encoding="utf-8") as handle:
        triples_in_order = ox.parse(path=union, format=ox.RdfFormat.N_TRIPLES)
        write_jsonld(triples_in_order, handle, context_url=CONTEXT_URL, ctx=context)
    gzip_file(target, target.with_name(f"{target.name}.gz"))


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

    def write(self, target: Path) -> None:
        self._lines = sorted(set(self._lines))
        runs = [open(run, "rb") for run in self._runs]  # noqa: SIM115 - closed below
        try:
            merged = heapq.merge(iter(self._lines), *(_stripped(r) for r in runs))
            with target.open("wb") as handle:
                previous = None
                for line in merged:
                    if line != previous:
                        handle.write(line + b"\n")
                        previous = line
        finally:
            for handle in runs:
                handle.close()
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


def _prefix_lines(prefixes: dict[str, str]) -> bytes:
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(prefixes.items())).encode()


def _without_prefixes(chunk: bytes) -> bytes:
    """A TriG chunk without its @prefix lines (written once at the top of the file)."""
    lines = chunk.splitlines(keepends=True)
    return b"".join(line for line in lines if not line.startswith(b"@prefix "))


def write_graph_files(graph: Graph, out: Path, stem: str, formats: Iterable[str]) -> list[str]:
    """One graph (the ontology, the shapes) in each of `formats` (ttl, owl, jsonld),
    blank nodes kept (OWL's and SHACL's RDF mappings need them), canonically labelled."""
    triples = sorted(to_oxigraph(graph), key=_triple_key)
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


def gzip_file(source: Path, target: Path) -> None:
    """gzip with no file name and time 0 in the header: the same data, the same bytes."""
    with (
        source.open("rb") as src,
        target.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as packed,
    ):
        shutil.copyfileobj(src, packed, 1 << 20)


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


def _sorted_lines(data: bytes) -> bytes:
    lines = data.splitlines(keepends=True)
    lines.sort()
    return b"".join(lines)


def _triple_key(triple: ox.Triple) -> tuple[str, str, str]:
    return (str(triple.subject), str(triple.predicate), str(triple.object))
