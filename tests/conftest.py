"""Shared test fixtures. Peers (Java, Jena, rapper) are required, not optional: a
missing peer fails the run instead of skipping the tests that need it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from ctld.build import BuildOptions, BuildResult, build
from ctld.dataset import dataset_parts, load_parts
from ctld.extraction import Extractor
from ctld.jena import Jena
from ctld.language import LanguageGuesser
from ctld.settings import Settings
from ctld.validation import ValidationReport, validate

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
    result = build(Settings.discover(root), BuildOptions(out=root / "dist"))
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


@pytest.fixture(scope="session")
def rapper() -> str:
    path = shutil.which("rapper")
    assert path, "rapper is required: install Debian's raptor2-utils"
    return path
