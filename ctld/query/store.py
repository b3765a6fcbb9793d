"""The embedded store: a release's N-Quads in pyoxigraph, in memory or persisted on disk.

The named graphs come from `ctld.nq`; the default graph holds `ctld.nt`, the release's
union of every graph, each triple once. SPARQL's default graph must be that merge: a
union computed at query time (pyoxigraph 0.5's `use_default_graph_as_union`) repeats a
triple once per graph that asserts it, so rows and counts come out inflated; and a
stored union is also 2-3x faster to join over.

A persisted store is reused across restarts while the release it was loaded from is
unchanged: the release's SHA256SUMS is its fingerprint, kept next to the database, so
a server with a persisted store is ready without re-parsing anything. A stale or
half-written store is never opened: a new one is loaded beside it and swapped in.
"""

from __future__ import annotations

import gzip
import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ctld.core.errors import MissingPathError, StoreError

DUMP = "ctld.nq"
UNION = "ctld.nt"
MARKER = "ctld-release.sha256"
# What a store holds besides the release's bytes: bump it when the loading changes (2:
# the union in the default graph), so a store loaded by an older ctld is reloaded.
LAYOUT = "layout 2"


@dataclass(frozen=True)
class Release:
    """A published release folder (what `ctld build` writes)."""

    directory: Path

    @property
    def fingerprint(self) -> str:
        """SHA-256 of SHA256SUMS: changes whenever any release file changes."""
        sums = self.directory / "SHA256SUMS"
        if not sums.is_file():
            raise MissingPathError(sums, "release checksums (run `ctld build` first)")
        return hashlib.sha256(sums.read_bytes()).hexdigest()

    def file(self, name: str, what: str) -> Path:
        for candidate in (name, name + ".gz"):
            path = self.directory / candidate
            if path.is_file():
                return path
        raise MissingPathError(self.directory / name, f"{what} (run `ctld build` first)")

    @property
    def dump(self) -> Path:
        return self.file(DUMP, "release dump")

    @property
    def union(self) -> Path:
        return self.file(UNION, "release union dump")

    def load_into(self, store: ox.Store) -> None:
        """The named graphs, then their union as the default graph."""
        self._load(store, [(self.dump, ox.RdfFormat.N_QUADS), (self.union, ox.RdfFormat.N_TRIPLES)])

    def load_union_into(self, store: ox.Store) -> None:
        self._load(store, [(self.union, ox.RdfFormat.N_TRIPLES)])

    @staticmethod
    def _load(store: ox.Store, files: list[tuple[Path, ox.RdfFormat]]) -> None:
        for path, fmt in files:
            try:
                if path.suffix == ".gz":
                    with gzip.open(path, "rb") as handle:
                        # the stub asks for IO[bytes]; pyoxigraph reads any binary file object
                        store.bulk_load(handle, format=fmt)  # type: ignore[arg-type]
                else:
                    store.bulk_load(path=str(path), format=fmt)
            except (SyntaxError, ValueError) as exc:
                raise StoreError(f"{path}: does not parse as {fmt.name}: {exc}") from None


def memory_store(release: Release) -> ox.Store:
    store = ox.Store()
    release.load_into(store)
    return store


def union_store(release: Release) -> ox.Store:
    """The union alone, as the default graph: what a query without GRAPH or FROM reads,
    held apart from the named graphs so joins over it walk half the quads (see
    ctld.query.engine.evaluate). Costs about a third more memory than memory_store alone."""
    store = ox.Store()
    release.load_union_into(store)
    return store


def persisted_store(release: Release, location: Path) -> Path:
    """Makes `location` hold the release, loading it only when the release changed.

    Returns the location; processes open it read-only, which RocksDB allows any number
    of at once.
    """
    fingerprint = f"{release.fingerprint} {LAYOUT}"
    marker = location / MARKER
    if marker.is_file() and marker.read_text(encoding="ascii").strip() == fingerprint:
        return location
    if location.exists() and not (location / MARKER).is_file() and any(location.iterdir()):
        raise StoreError(f"{location}: not a ctld store (no {MARKER}); refusing to replace it")
    staging = location.with_name(location.name + ".loading")
    shutil.rmtree(staging, ignore_errors=True)
    store = ox.Store(str(staging))
    try:
        release.load_into(store)
        store.flush()
        store.optimize()
    finally:
        del store
    (staging / MARKER).write_text(fingerprint + "\n", encoding="ascii")
    old = location.with_name(location.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if location.exists():
        location.rename(old)
    staging.rename(location)
    shutil.rmtree(old, ignore_errors=True)
    return location


def open_read_only(location: Path) -> ox.Store:
    try:
        return ox.Store.read_only(str(location))
    except OSError as exc:
        raise StoreError(f"{location}: cannot open the store: {exc}") from None
