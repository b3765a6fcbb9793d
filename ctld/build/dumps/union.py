"""The union of all named graphs, sorted and without repeats: ctld.nt, and from it
ctld.ttl and ctld.jsonld.

Sorting ten million lines costs memory and time, but most of the work is already done:
an article's fragment nodes (nine triples in ten) belong to that article alone, and
their IRIs start with the article's, so the articles' sorted fragment lines, taken in
article order, are nearly the sorted union already. Each article's fragment lines are
kept as one block in a file; every other line (the articles' own nodes, the
authorities, the ontology, the inferred graph: a tenth of the data) is sorted apart
(ctld.build.dumps.sorting.LineSorter). Writing the union merges the two, block by
block: a block no other line falls inside is copied whole, the rare other one is
merged line by line. Blocks that arrive out of order simply join the other lines.
The result is cut into chunks at subject boundaries, which workers turn into Turtle
and JSON-LD.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import Executor
from pathlib import Path

from ctld.build.dumps.canonical import CONTEXT_URL
from ctld.build.dumps.compression import DumpWriter
from ctld.build.dumps.pieces import TURTLE_HEADER, UnionPiece, render_union
from ctld.build.dumps.sorting import LineSorter
from ctld.core.workers import ordered_map

CHUNK_BYTES = 4 << 20
UNION_DUMPS = ("ctld.jsonld", "ctld.nt", "ctld.ttl")  # and each .gz
RUN_BYTES = 8 << 20  # a graph's lines from this size on are kept as a sorted run
JSONLD_HEAD = f'{{"@context":{json.dumps(CONTEXT_URL, ensure_ascii=False)},"@graph":['.encode()
JSONLD_TAIL = b"\n]}\n"


class Union:
    """The union's lines as they arrive, graph by graph."""

    def __init__(self, work: Path) -> None:
        work.mkdir(parents=True, exist_ok=True)
        self._path = work / "fragments.nt"
        self._blocks_file = self._path.open("wb")
        self._blocks: list[tuple[int, int, bytes, bytes]] = []  # offset, size, first, last
        self._offset = 0
        self._last = b""
        self._others = LineSorter(work / "others")

    def add(self, asserted: bytes, fragments: bytes) -> None:
        """A graph's sorted unique N-Triples lines: its fragment lines as one block
        (when they sort after every block so far), the others to be sorted."""
        if len(asserted) >= RUN_BYTES:
            self._others.add_run(asserted)
        elif asserted:
            self._others.add(asserted.splitlines())
        if not fragments:
            return
        first = fragments[: fragments.index(b"\n")]
        last = fragments[fragments.rfind(b"\n", 0, len(fragments) - 1) + 1 : -1]
        if first <= self._last:
            self._others.add(fragments.splitlines())
            return
        self._blocks_file.write(fragments)
        self._blocks.append((self._offset, len(fragments), first, last))
        self._offset += len(fragments)
        self._last = last

    def chunks(self, size: int = CHUNK_BYTES) -> Iterator[bytes]:
        """The sorted unique lines, in chunks of about `size` bytes, each starting with
        a subject the chunk before does not end with."""
        self._blocks_file.close()
        cutter = _Cutter(size)
        others = self._others.lines()
        line = next(others, None)
        with self._path.open("rb") as blocks:
            for offset, length, first, last in self._blocks:
                while line is not None and line < first:
                    yield from cutter.add(line + b"\n", line, line)
                    line = next(others, None)
                blocks.seek(offset)
                data = blocks.read(length)
                if line is None or line > last:
                    yield from cutter.add(data, first, last)
                    continue
                inside = set(data.splitlines())
                while line is not None and line <= last:
                    inside.add(line)
                    line = next(others, None)
                for one in sorted(inside):
                    yield from cutter.add(one + b"\n", one, one)
        while line is not None:
            yield from cutter.add(line + b"\n", line, line)
            line = next(others, None)
        yield from cutter.finish()
        self._path.unlink(missing_ok=True)


class _Cutter:
    def __init__(self, size: int) -> None:
        self._size = size
        self._parts: list[bytes] = []
        self._length = 0
        self._subject = b""

    def add(self, data: bytes, first: bytes, last: bytes) -> Iterator[bytes]:
        if self._length >= self._size and _subject(first) != self._subject:
            yield from self.finish()
        self._parts.append(data)
        self._length += len(data)
        self._subject = _subject(last)

    def finish(self) -> Iterator[bytes]:
        if self._parts:
            yield b"".join(self._parts)
        self._parts, self._length = [], 0


def _subject(line: bytes) -> bytes:
    return line[: line.find(b" ")]


def write_union(union: Union, out: Path, pool: Executor | None, base: str) -> dict[str, str]:
    """ctld.nt, ctld.ttl and ctld.jsonld with their gzip copies; returns the digests.
    The workers render chunks while this process writes the ones before."""
    ntriples = DumpWriter(out / "ctld.nt")
    turtle = DumpWriter(out / "ctld.ttl")
    jsonld = DumpWriter(out / "ctld.jsonld")
    writers = (ntriples, turtle, jsonld)
    try:
        jsonld.write(JSONLD_HEAD)
        numbered = enumerate(union.chunks())
        window = 3 * getattr(pool, "_max_workers", 1)
        for (index, chunk), piece in ordered_map(pool, _render, numbered, window, (base,)):
            if index == 0:
                turtle.write(TURTLE_HEADER)
            ntriples.write(chunk, piece.ntriples_packed)
            turtle.write(piece.turtle, piece.turtle_packed)
            jsonld.write(piece.jsonld, piece.jsonld_packed)
        jsonld.write(JSONLD_TAIL)
    except BaseException:
        for writer in writers:
            writer.abandon()
        raise
    digests: dict[str, str] = {}
    for writer in writers:
        digests.update(writer.close())
    return digests


def _render(numbered: tuple[int, bytes], base: str) -> UnionPiece:
    index, chunk = numbered
    return render_union(chunk, index == 0, base)
