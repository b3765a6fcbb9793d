"""The persisted store is reused while the release is unchanged, and replaced whole."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ctld.build.run import BuildResult
from ctld.core.errors import MissingPathError, StoreError
from ctld.query.store import LAYOUT, MARKER, Release, memory_store, open_read_only, persisted_store


@pytest.fixture
def release_copy(release: tuple[Path, BuildResult], tmp_path: Path) -> Release:
    root, _ = release
    target = tmp_path / "dist"
    shutil.copytree(root / "dist", target)
    return Release(target)


def test_persisted_store_is_reused(release_copy: Release, tmp_path: Path) -> None:
    location = tmp_path / "store"
    persisted_store(release_copy, location)
    count = len(open_read_only(location))
    assert count == len(memory_store(release_copy)) > 10_000
    stamp = (location / MARKER).stat().st_mtime_ns
    persisted_store(release_copy, location)  # unchanged release: nothing reloaded
    assert (location / MARKER).stat().st_mtime_ns == stamp


def test_changed_release_reloads(release_copy: Release, tmp_path: Path) -> None:
    location = tmp_path / "store"
    persisted_store(release_copy, location)
    sums = release_copy.directory / "SHA256SUMS"
    sums.write_text(sums.read_text() + "\n", encoding="utf-8")
    persisted_store(release_copy, location)
    assert (location / MARKER).read_text().strip() == f"{release_copy.fingerprint} {LAYOUT}"
    assert not (tmp_path / "store.loading").exists() and not (tmp_path / "store.old").exists()


def test_refuses_foreign_folder(release_copy: Release, tmp_path: Path) -> None:
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("precious")
    with pytest.raises(StoreError, match="not a ctld store"):
        persisted_store(release_copy, foreign)
    assert (foreign / "notes.txt").read_text() == "precious"


def test_missing_release(tmp_path: Path) -> None:
    with pytest.raises(MissingPathError, match="SHA256SUMS"):
        Release(tmp_path).fingerprint  # noqa: B018


def test_store_of_an_older_layout_reloads(release_copy: Release, tmp_path: Path) -> None:
    location = tmp_path / "store"
    persisted_store(release_copy, location)
    (location / MARKER).write_text(release_copy.fingerprint + "\n")  # as ctld 0.1 wrote it
    persisted_store(release_copy, location)
    assert (location / MARKER).read_text().strip().endswith(LAYOUT)
    union = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert int(next(iter(open_read_only(location).query(union)))["n"].value) > 10_000
