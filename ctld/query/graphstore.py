"""`ctld upload --to URL`: load a release into a remote store with the SPARQL 1.1 Graph
Store HTTP Protocol.

The default graph gets the release's union (`ctld.nt`, each triple once), as in the
embedded store, so the remote store needs no union-default-graph setting (which
Oxigraph 0.5 answers with a row per graph holding a triple).

One PUT per named graph replaces that graph and nothing else, so publishing a new
release over an old one updates every graph the release holds and leaves the store's
other graphs alone; the protocol is the one Oxigraph server, Fuseki, Virtuoso, GraphDB
and QLever share. The TriG dump is read as a stream, graph by graph, so memory stays
at one graph whatever the size of the release.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox

from ctld.core.errors import MissingPathError, StoreError


@dataclass(frozen=True)
class Published:
    graphs: int
    triples: int


def _graphs(path: Path) -> Iterator[tuple[str, list[ox.Triple]]]:
    current: str | None = None
    batch: list[ox.Triple] = []
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.TRIG):
        name = quad.graph_name
        if not isinstance(name, ox.NamedNode):
            raise StoreError(f"{path}: a triple outside a named graph; ctld releases have none")
        if name.value != current:
            if current is not None:
                yield current, batch
            current, batch = name.value, []
        batch.append(ox.Triple(quad.subject, quad.predicate, quad.object))
    if current is not None:
        yield current, batch


def _send(method: str, url: str, body: bytes | BinaryIO, timeout: float, size: int = -1) -> None:
    headers = {"Content-Type": "application/n-triples"}
    if size >= 0:
        headers["Content-Length"] = str(size)
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read(500).decode("utf-8", "replace").strip()
        raise StoreError(f"{method} {url}: HTTP {exc.code} {exc.reason}: {detail}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise StoreError(f"{method} {url}: cannot reach the store: {exc}") from None


def upload(
    release_dir: Path,
    store_url: str,
    timeout: float = 60.0,
    progress: Callable[[str, int], None] | None = None,
) -> Published:
    """PUTs every named graph of the release's TriG dump to the Graph Store at `store_url`,
    then the union to its default graph."""
    parts = urlsplit(store_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise StoreError(f"--to: {store_url!r} is not an http(s) Graph Store URL")
    dump = release_dir / "ctld.trig"
    if not dump.is_file():
        raise MissingPathError(dump, "release dump (run `ctld build` first)")
    joiner = "&" if parts.query else "?"
    seen: set[str] = set()
    graphs = triples = 0
    for graph, batch in _graphs(dump):
        url = f"{store_url}{joiner}{urlencode({'graph': graph})}"
        body = ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES) or b""
        # A graph met twice in the dump is appended to, never replaced by its second half.
        _send("POST" if graph in seen else "PUT", url, body, timeout)
        if graph not in seen:
            graphs += 1
        seen.add(graph)
        triples += len(batch)
        if progress is not None:
            progress(graph, len(batch))
    union = release_dir / "ctld.nt"
    if not union.is_file():
        raise MissingPathError(union, "release union dump (run `ctld build` first)")
    with union.open("rb") as handle:  # streamed: the union can be gigabytes
        _send("PUT", f"{store_url}{joiner}default", handle, timeout, union.stat().st_size)
    return Published(graphs, triples)
