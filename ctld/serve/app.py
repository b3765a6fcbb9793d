"""`ctld serve`: the app factory.

Nothing is loaded at import time: `create_app(settings)` returns an app whose lifespan
opens the store and starts the query workers, so tests can run several servers with
different settings in one process, and importing ctld never touches the disk. The
routes read what the lifespan builds from ctld.serve.state, never from here.
"""

from __future__ import annotations

import json
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from ctld.link.labels import LabelIndex
from ctld.query.engine import Engine, RemoteEngine
from ctld.query.packaged import read_catalog
from ctld.query.planner import JoinPlanner
from ctld.query.pool import PoolEngine, WorkerPool
from ctld.query.store import Release, memory_store, open_read_only, persisted_store, union_store
from ctld.serve import api, downloads, endpoint, pages, reconciliation
from ctld.serve.state import PACKAGE, AppState, ServerSettings, ontology_anchors


def open_engine(settings: ServerSettings, release: Release) -> Engine:
    if settings.endpoint:
        return RemoteEngine(settings.endpoint, settings.timeout)
    if settings.store_path is not None:
        location = persisted_store(release, settings.store_path)

        # RocksDB keeps the default graph in indexes of its own: a union-only copy
        # would not join faster there.
        def opener() -> tuple[ox.Store, ox.Store | None]:
            return open_read_only(location), None
    else:
        stores = memory_store(release), union_store(release)

        def opener() -> tuple[ox.Store, ox.Store | None]:
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
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        release = Release(settings.release_dir)
        fingerprint = release.fingerprint
        report = json.loads((settings.release_dir / "build-report.json").read_text("utf-8"))
        engine = open_engine(settings, release)
        try:
            pages = read_catalog(settings.project.pages_dir)
            context = AppState(
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
        *reconciliation.routes(),
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
