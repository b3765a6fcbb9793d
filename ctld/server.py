"""`ctld serve`: the app factory and what the routes share.

Nothing is loaded at import time: `create_app(settings)` returns an app whose lifespan
opens the store and starts the query workers, so tests can run several servers with
different settings in one process, and importing ctld never touches the disk.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from ctld.engine import Engine, RemoteEngine
from ctld.labels import LabelIndex
from ctld.packaged import PackagedQuery, read_catalog
from ctld.planner import JoinPlanner
from ctld.pool import PoolEngine, WorkerPool
from ctld.settings import DEFAULT_BASE_IRI, Settings
from ctld.store import Release, memory_store, open_read_only, persisted_store, union_store

PACKAGE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class ServerSettings:
    """Everything a server needs, given explicitly (the CLI builds it from its options)."""

    project: Settings
    release_dir: Path
    base_iri: str = DEFAULT_BASE_IRI
    store_path: Path | None = None  # a persisted store; None keeps the dataset in memory
    endpoint: str | None = None  # a remote SPARQL endpoint instead of the embedded store
    timeout: float = 30.0
    row_limit: int = 10_000
    max_request_bytes: int = 1_000_000
    # One more query process than cores: a worker that has answered waits for the
    # event loop to read its answer and hand it the next query, and the spare one keeps
    # the cores busy meanwhile (at 100k triples, 8 clients, 2 cores: 431 -> 474 joins/s).
    workers: int = field(default_factory=lambda: (os.cpu_count() or 1) + 1)
    # large joins over the default graph by hashing where pyoxigraph would loop
    # (ctld.planner); off runs every query exactly as sent
    hash_joins: bool = True


@dataclass
class Context:
    """What every route reads: built in the lifespan, kept on `app.state.ctld`."""

    settings: ServerSettings
    release: Release
    engine: Engine
    queries: dict[str, PackagedQuery]
    pages: dict[str, PackagedQuery]
    labels: LabelIndex
    report: dict
    fingerprint: str
    templates: Jinja2Templates
    anchors: dict[str, str] = field(default_factory=dict)
    _resources: dict[str, list[str]] | None = None
    _classes: list[dict] | None = None

    def classes(self) -> list[dict]:
        """The index's classes with their counts, read once: the release never changes
        while it is served, and the count runs over every typed resource."""
        if self._classes is None:
            from ctld.engine import QueryRequest
            from ctld.results import table

            text = self.pages["classes"].bind({}, self.base_iri)
            rows = table(self.engine.run(QueryRequest(text, limit=10_000)).body)[1]
            self._classes = [
                {"iri": c.value, "label": label.value if label else c.value.rsplit("#", 1)[-1],
                 "count": int(n.value)} for c, label, n in rows if c is not None
            ]  # fmt: skip
        return self._classes

    def resources(self) -> dict[str, list[str]]:
        """Every resource IRI by kind (organization, person, …), read once and kept."""
        if self._resources is None:
            from ctld.engine import QueryRequest
            from ctld.results import table

            text = self.pages["resources"].bind({"base": f"{self.base_iri}id/"}, self.base_iri)
            rows = table(self.engine.run(QueryRequest(text, limit=10**9)).body)[1]
            found: dict[str, list[str]] = {}
            prefix = len(self.base_iri) + 3
            for (iri,) in rows:
                kind, _, slug = iri.value[prefix:].partition("/")
                if slug:
                    found.setdefault(kind, []).append(iri.value)
            self._resources = found
        return self._resources

    @property
    def base_iri(self) -> str:
        return self.settings.base_iri

    def local_path(self, iri: str) -> str | None:
        """The server path of one of our IRIs (`…/id/x/y` → `/doc/x/y`), else None."""
        if not iri.startswith(self.base_iri):
            return None
        rest = iri[len(self.base_iri) :]
        if rest.startswith("id/"):
            head, _, fragment = rest[3:].partition("#")
            return f"/doc/{head}" + (f"#{fragment}" if fragment else "")
        if rest.startswith("graph/"):
            # an article's graph is its article's document; the ontology's is /ontology;
            # the others are whole in the dumps
            name = rest[len("graph/") :]
            if name.startswith("article/"):
                return f"/doc/{name}"
            return "/ontology" if name == "ontology" else "/dumps/"
        if rest.startswith("ontology#"):
            anchor = self.anchors.get(iri)
            return f"/ontology#{anchor}" if anchor else "/ontology"
        return "/" + rest


_ENTITY = re.compile(
    r'<div class="[^"]*entity[^"]*" id="([^"]+)">(?:(?!<div ).){0,600}?'
    r"<th>IRI</th>\s*<td>\s*<code>([^<]+)</code>",
    re.DOTALL,
)


def ontology_anchors(page: Path) -> dict[str, str]:
    """Term IRI → its anchor in the pyLODE page, whose ids are not the local names
    (ctld:Person is `Person1` when foaf:Person came first)."""
    if not page.is_file():
        return {}
    found = _ENTITY.findall(page.read_text(encoding="utf-8"))
    uses = Counter(anchor for anchor, _ in found)
    # pyLODE 3.3 can give several terms one id: such an anchor would land on the wrong
    # term, so those terms link to the page itself.
    return {iri: anchor for anchor, iri in found if uses[anchor] == 1}


def open_engine(settings: ServerSettings, release: Release) -> Engine:
    if settings.endpoint:
        return RemoteEngine(settings.endpoint, settings.timeout)
    if settings.store_path is not None:
        location = persisted_store(release, settings.store_path)

        # RocksDB keeps the default graph in indexes of its own: a union-only copy
        # would not join faster there.
        def opener():
            return open_read_only(location), None
    else:
        stores = memory_store(release), union_store(release)

        def opener():
            return stores

    planner = JoinPlanner if settings.hash_joins else None
    pool = WorkerPool(opener, settings.workers, settings.timeout, planner=planner)
    pool.start()
    if not pool.isolated:
        print("ctld: warning: query workers could not get a network namespace of their own "
              "(needs root or user namespaces); SERVICE is still refused before any query "
              "runs", file=sys.stderr)  # fmt: skip
    return PoolEngine(pool)


def create_app(settings: ServerSettings) -> Starlette:
    from ctld import api, downloads, endpoint, pages, reconcile

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        release = Release(settings.release_dir)
        fingerprint = release.fingerprint
        report = json.loads((settings.release_dir / "build-report.json").read_text("utf-8"))
        engine = open_engine(settings, release)
        try:
            pages = read_catalog(settings.project.pages_dir)
            context = Context(
                settings=settings,
                release=release,
                engine=engine,
                queries=read_catalog(settings.project.queries_dir),
                pages=pages,
                labels=LabelIndex.load(engine, pages["labels"], settings.base_iri),
                report=report,
                fingerprint=fingerprint,
                templates=Jinja2Templates(directory=str(PACKAGE / "templates")),
                anchors=ontology_anchors(settings.release_dir / "ontology.html"),
            )
            context.templates.env.globals["ctx"] = context
            app.state.ctld = context
            yield
        finally:
            engine.close()

    routes = [
        *endpoint.routes(),
        *api.routes(),
        *pages.routes(),
        *reconcile.routes(),
        *downloads.routes(),
        Mount("/static", StaticFiles(directory=str(PACKAGE / "static")), name="static"),
    ]
    middleware = [
        Middleware(
            CORSMiddleware,
            allow_origins=["*"],
            allow_methods=["GET", "POST", "HEAD", "OPTIONS"],
            allow_headers=["*"],
            expose_headers=["X-Ctld-Result-Limit", "X-Ctld-Result-Truncated", "ETag"],
        )
    ]
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
