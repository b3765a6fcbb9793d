"""ctld.core.swap: the release folder is replaced whole."""

from __future__ import annotations

from pathlib import Path

from ctld.core.swap import replace_directory


def make(path: Path, text: str) -> Path:
    path.mkdir()
    (path / "file.txt").write_text(text)
    return path


def test_replaces_an_existing_folder(tmp_path: Path) -> None:
    target = make(tmp_path / "dist", "old")
    new = make(tmp_path / "staging", "new")
    replace_directory(new, target)
    assert (target / "file.txt").read_text() == "new"
    assert not new.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


def test_creates_a_missing_folder(tmp_path: Path) -> None:
    new = make(tmp_path / "staging", "new")
    replace_directory(new, tmp_path / "dist")
    assert (tmp_path / "dist" / "file.txt").read_text() == "new"
    assert not new.exists()
