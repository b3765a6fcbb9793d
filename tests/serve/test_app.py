"""The app factory: each app carries its own settings and state, nothing is global."""

from __future__ import annotations

import contextlib
import json
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import uvicorn
from conftest import ctld_server, free_port
from starlette.applications import Starlette

from ctld.build.run import BuildResult
from ctld.core.settings import Settings
from ctld.query.store import MARKER
from ctld.serve.app import ServerSettings, create_app

COUNT = "SELECT ?s WHERE { ?s ?p ?o }"


@contextlib.contextmanager
def running(app: Starlette) -> Iterator[str]:
    """An app on uvicorn in a thread of this process, on a free loopback port."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def test_two_apps_keep_their_own_settings(release: tuple[Path, BuildResult]) -> None:
    root, _ = release
    project = Settings.discover(root)
    small = ServerSettings(project, root / "dist", row_limit=5, workers=1)
    large = ServerSettings(project, root / "dist", row_limit=50, workers=1)
    query = urllib.parse.urlencode({"query": COUNT, "format": "json"})
    answers = []
    with running(create_app(small)) as a, running(create_app(large)) as b:
        for url in (a, b):
            with urllib.request.urlopen(f"{url}/sparql?{query}") as response:
                answers.append((response.headers["X-Ctld-Result-Limit"], response.read()))
    rows = [len(json.loads(body)["results"]["bindings"]) for _, body in answers]
    assert rows == [5, 50]
    assert [limit for limit, _ in answers] == ["5", "50"]


def test_persisted_store_is_reused_across_restarts(
    release: tuple[Path, BuildResult], tmp_path: Path
) -> None:
    root, _ = release
    store = tmp_path / "store"
    stamps = []
    for _ in range(2):
        with (
            ctld_server(root, "--store", str(store)) as url,
            urllib.request.urlopen(f"{url}/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D") as r,
        ):
            assert json.loads(r.read())["boolean"] is True
        stamps.append((store / MARKER).stat().st_mtime_ns)
    assert stamps[0] == stamps[1]  # the second start found the store current


def test_hash_joins_can_be_turned_off(release: tuple[Path, BuildResult]) -> None:
    """`ctld serve --no-hash-joins` reaches the workers: they run queries as sent."""
    from ctld.cli import build_parser
    from ctld.query.planner import JoinPlanner
    from ctld.query.store import Release
    from ctld.serve.app import open_engine

    parser = build_parser()
    assert parser.parse_args(["serve"]).hash_joins is True
    assert parser.parse_args(["serve", "--no-hash-joins"]).hash_joins is False
    root, _ = release
    project = Settings.discover(root)
    for hash_joins, expected in ((True, JoinPlanner), (False, None)):
        settings = ServerSettings(project, root / "dist", workers=1, hash_joins=hash_joins)
        engine = open_engine(settings, Release(root / "dist"))
        try:
            assert engine.pool.planner is expected  # type: ignore[attr-defined]
        finally:
            engine.close()
