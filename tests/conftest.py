"""Shared test fixtures. Peers (Java, Jena, rapper) are required, not optional: a
missing peer fails the run instead of skipping the tests that need it."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest

from ctld.build.pipeline import build
from ctld.build.run import BuildOptions, BuildResult
from ctld.check.jena import Jena
from ctld.check.validation import validate
from ctld.check.violations import ValidationReport
from ctld.core.dataset import dataset_parts, load_parts
from ctld.core.settings import Settings
from ctld.extract.articles import Article
from ctld.extract.extractor import Extractor
from ctld.extract.language import LanguageGuesser
from ctld.extract.report import article_report
from ctld.query.store import Release, memory_store

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


def header(path: Path) -> dict[str, str]:
    """The `# key: value` lines at the top of a fixture: what the test must find."""
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        key, sep, value = line[1:].partition(":")
        if sep and key.strip().replace("-", "").isalpha():
            values[key.strip()] = value.strip()
    return values


def turtle_files() -> list[Path]:
    """Every Turtle file of the repository that is meant to be valid."""
    found = []
    for top in ("ontology", "shapes", "data", "tests/fixtures"):
        found += sorted((ROOT / top).rglob("*.ttl"))
    return [p for p in found if "syntax" not in p.relative_to(ROOT).parts]


def project_store() -> ox.Store:
    """The project as a release holds it: ontology, authorities, one graph per article."""
    settings = Settings.discover(ROOT)
    store = ox.Store()
    load_parts(store, dataset_parts(settings, sorted(settings.graphs_dir.glob("*.ttl"))))
    return store


def run_python(script: str, seed: str) -> bytes:
    """`script`'s standard output in a new interpreter with the given PYTHONHASHSEED."""
    path = os.pathsep.join(filter(None, [str(ROOT / "tests"), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": path}  # conftest importable
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, check=False
    )
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


def copy_project(target: Path) -> Path:
    """The project's sources and data in `target`, for commands that write into them."""
    for part in ("ontology", "shapes", "sparql", "data"):
        shutil.copytree(ROOT / part, target / part)
    return target


@pytest.fixture(scope="session")
def release(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    """One `ctld build` of a copy of the project: (project root, result); the release is
    in root/dist. Tests that change the copy work on their own copy instead."""
    root = copy_project(tmp_path_factory.mktemp("project"))
    result = build(Settings.discover(root), BuildOptions(dist=root / "dist"))
    return root, result


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings.discover(ROOT)


@pytest.fixture(scope="session")
def jena(tmp_path_factory: pytest.TempPathFactory) -> Jena:
    tool = Jena(cache_dir=tmp_path_factory.mktemp("jena-cache"))
    assert tool.available(), "Jena is required: install Debian's libapache-jena-java and Java 17"
    return tool


@pytest.fixture(scope="session")
def shape_reports(settings: Settings) -> dict[str, ValidationReport]:
    """pyshacl's report on every shape fixture (with the ontology), computed once for
    the fixture tests and for the comparison with Jena."""
    return {
        path.name: validate(settings, [path], run_checks=False)
        for path in sorted((FIXTURES / "shapes").glob("*.ttl"))
    }


@pytest.fixture(scope="session")
def extractor(settings: Settings) -> Extractor:
    """One extractor (gazetteer, lexicons, stemmers) for the whole session."""
    return Extractor.from_settings(settings, detect=LanguageGuesser())


def extracted(
    extractor: Extractor, text: str, language: str = "en", published: dt.date | None = None
) -> dict[str, Any]:
    """The extraction report of one text, as `ctld extract --report json` gives it."""
    article = Article("test", text, language, published=published or dt.date(2024, 5, 20))
    return article_report(extractor.extract(article))


def labels(items: list[dict[str, Any]]) -> list[str]:
    """The English labels of a report's linked entities (`{iri, label}` or a hit)."""
    return [item["label"] for item in items]


@pytest.fixture(scope="session")
def rapper() -> str:
    path = shutil.which("rapper")
    assert path, "rapper is required: install Debian's raptor2-utils"
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, seconds: float = 60.0) -> None:
    """Polls until the server answers; a server that exits or never answers fails."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited with {process.returncode}: {url}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    raise AssertionError(f"no answer from {url} within {seconds} s")


@contextlib.contextmanager
def ctld_server(root: Path, *options: str) -> Iterator[str]:
    """`ctld serve` in a child process on a free loopback port; yields its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "ctld", "--root", str(root), "serve",
               "--dist", str(root / "dist"), "--port", str(port), *options]  # fmt: skip
    # no pipes: one nobody drains would block a chatty server once full
    with subprocess.Popen(command, cwd=root, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL) as process:  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            wait_for(f"{url}/dumps/SHA256SUMS", process)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="session")
def server(release: tuple[Path, BuildResult]) -> Iterator[str]:
    """The seeds' release served by `ctld serve` (in-memory store, 2 s query limit)."""
    root, _ = release
    with ctld_server(root, "--timeout", "2", "--row-limit", "1000") as url:
        yield url


@contextlib.contextmanager
def oxigraph_server(location: Path) -> Iterator[str]:
    """The real Oxigraph server (PyPI `oxigraph`); yields its base URL (`/query`, `/store`).
    `ctld publish` puts the union in its default graph, as the embedded store has it."""
    binary = shutil.which("oxigraph")
    assert binary, "the Oxigraph server is required: pip install oxigraph"
    port = free_port()
    with subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    ) as process:  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            wait_for(f"{url}/query?query=ASK%7B%7D", process)
            yield url
        finally:
            process.terminate()
            process.wait(10)


@pytest.fixture(scope="session")
def site(release: tuple[Path, BuildResult], tmp_path_factory: pytest.TempPathFactory) -> Path:
    root, _ = release
    out = tmp_path_factory.mktemp("site") / "www"
    done = subprocess.run(
        [sys.executable, "-m", "ctld", "--root", str(root), "publish", "--site", str(out),
         "--dist", str(root / "dist")], capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="session")
def static_host(site: Path) -> Iterator[str]:
    """The folder served by Python's static file server: no ctld process at all."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
         "--directory", str(site)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url + "/index.html", process)
        yield url
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="session")
def client(server: str) -> Iterator[httpx.Client]:
    """An HTTP client on the `server` fixture."""
    with httpx.Client(base_url=server, timeout=60) as session:
        yield session


@pytest.fixture(scope="session")
def store(release: tuple[Path, BuildResult]) -> ox.Store:
    """The release as pyoxigraph holds it: the oracle for what the server must answer."""
    root, _ = release
    return memory_store(Release(root / "dist"))


def run_ctld(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`ctld --root ROOT ARGS…` in a child process, as a user runs it."""
    command = [sys.executable, "-m", "ctld", "--root", str(root), *args]
    return subprocess.run(command, capture_output=True, text=True, check=False)
