"""The release as far as the asserted graphs make it, written while the build assembles
the dataset.

Every named graph is read from its file once (ctld.build.dumps.pieces, in worker processes), and
that one reading feeds the store, the file SHACL and HermiT read, and the dumps: the
article graphs come first in graph IRI order, so their N-Quads and TriG sections go
straight into the staging folder, compressed as they come; the union's lines wait in
ctld.build.dumps.union. The release stage then adds the authorities, the inferred graph and the
ontology, and writes the union. Nothing is published before the swap at the end, so a
build that fails validation or reasoning leaves only a staging folder to remove.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Executor
from pathlib import Path

import pyoxigraph as ox

from ctld.build.dumps.canonical import DUMP_PREFIXES, prefix_lines
from ctld.build.dumps.compression import DumpWriter
from ctld.build.dumps.pieces import Failure, Rendition, render_files
from ctld.build.dumps.union import Union
from ctld.build.tally import FragmentTally
from ctld.core.dataset import ARTICLE_GRAPH
from ctld.core.workers import ordered_map

BATCH = 32  # article graphs per task: big enough to hide the cost of a round trip
# Bytes of N-Quads loaded into the store at a time, with Store.load (a transaction): on
# the in-memory store it took 30 % less time than bulk_load, which waits on its threads.
STORE_BATCH = 16 << 20


class ReleaseDraft:
    """The open N-Quads and TriG dumps, the union's lines, the fragment counts, and
    `asserted`: the article graphs without fragment nodes, as N-Triples."""

    def __init__(self, staging: Path, work: Path) -> None:
        work.mkdir(parents=True, exist_ok=True)
        self.nquads = DumpWriter(staging / "ctld.nq")
        self.trig = DumpWriter(staging / "ctld.trig")
        self.trig.write(prefix_lines(DUMP_PREFIXES))
        self.union = Union(work / "union")
        self.tally = FragmentTally()
        self.asserted = work / "asserted.nt"
        self._asserted = self.asserted.open("wb")
        self._last_graph = ""

    def add(self, rendition: Rendition) -> None:
        """The next graph, in graph IRI order."""
        if rendition.graph <= self._last_graph:
            raise ValueError(f"graphs out of order: {rendition.graph} after {self._last_graph}")
        self._last_graph = rendition.graph
        self.nquads.write(rendition.nquads, rendition.nquads_packed)
        self.trig.write(rendition.trig, rendition.trig_packed)
        self.union.add(rendition.asserted, rendition.fragments)
        self.tally.merge(rendition.graph, rendition.counts)
        if not self._asserted.closed:
            self._asserted.write(rendition.asserted)

    def articles_done(self) -> None:
        """No more article graphs: `asserted` is complete."""
        self._asserted.close()

    def close(self) -> dict[str, str]:
        """Finish the N-Quads and TriG dumps; returns their digests."""
        return {**self.nquads.close(), **self.trig.close()}

    def abandon(self) -> None:
        self._asserted.close()
        self.nquads.abandon()
        self.trig.abandon()


def add_articles(
    draft: ReleaseDraft,
    store: ox.Store,
    graph_files: Sequence[Path],
    pool: Executor | None,
    jobs: int = 1,
) -> None:
    """Render each article graph (in `pool`'s workers), add it to the draft, and load
    its triples without fragment nodes into `store`, in its named graph."""
    parts = sorted((f"{ARTICLE_GRAPH}{path.stem}", path) for path in graph_files)
    batches = [parts[i : i + BATCH] for i in range(0, len(parts), BATCH)]
    loading: list[bytes] = []
    size = 0
    for _, renditions in ordered_map(pool, render_files, batches, 6 * jobs + 2):
        for rendition in renditions:
            if isinstance(rendition, Failure):
                raise rendition.error()
            draft.add(rendition)
            name = f" <{rendition.graph}> .\n".encode()
            loading.append(rendition.asserted.replace(b" .\n", name))
            size += len(loading[-1])
        if size >= STORE_BATCH:
            store.load(b"".join(loading), format=ox.RdfFormat.N_QUADS)
            loading, size = [], 0
    if loading:
        store.load(b"".join(loading), format=ox.RdfFormat.N_QUADS)
    draft.articles_done()
