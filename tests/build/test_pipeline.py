"""`ctld build`: every release file, byte-identical rebuilds, nothing published from a
failing or killed build, and the exit codes. Each build runs on a copy of the project,
so the checkout's data/graphs and caches are never touched."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, copy_project

from ctld.build.pipeline import build, extractor_fingerprint, release_date
from ctld.build.run import BuildOptions, BuildResult
from ctld.core.settings import Settings

RELEASE = [
    "SHA256SUMS", "build-report.json", "catalog.ttl", "context.jsonld",
    "ctld.jsonld", "ctld.jsonld.gz", "ctld.nq", "ctld.nq.gz", "ctld.nt", "ctld.nt.gz",
    "ctld.trig", "ctld.trig.gz", "ctld.ttl", "ctld.ttl.gz", "ontology.html",
    "ontology.jsonld", "ontology.owl", "ontology.ttl", "shapes.ttl", "void.ttl",
]  # fmt: skip


def run_cli(root: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ctld", "--root", str(root), "build", "--quiet", *args],
        capture_output=True, text=True, timeout=timeout, cwd=root,
    )  # fmt: skip


@pytest.fixture(scope="module")
def built(release: tuple[Path, BuildResult]) -> tuple[Path, BuildResult]:
    return release


def test_every_release_file_is_written(built) -> None:
    root, result = built
    assert sorted(p.name for p in (root / "dist").iterdir()) == RELEASE
    assert sorted(result.files) == RELEASE
    assert result.articles == 5 and result.extracted == 5
    assert result.inference is not None and result.inference.consistent is True
    assert result.inference.inferred > 1000
    assert not list(root.glob(".dist.building-*")), "the staging folder is cleaned up"


def test_checksums_cover_every_file(built) -> None:
    root, _ = built
    done = subprocess.run(["sha256sum", "--check", "--strict", "SHA256SUMS"],
                          cwd=root / "dist", capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    sums = (root / "dist" / "SHA256SUMS").read_text().splitlines()
    listed = [line.split("  ", 1)[1] for line in sums]
    assert listed == [name for name in RELEASE if name != "SHA256SUMS"]


def test_no_blank_nodes_and_sorted_ntriples(built) -> None:
    root, _ = built
    for name in ("ctld.nt", "ctld.nq"):
        lines = (root / "dist" / name).read_bytes().splitlines()
        assert not any(line.startswith(b"_:") or b" _:" in line for line in lines), name
    lines = (root / "dist" / "ctld.nt").read_bytes().splitlines()
    assert lines == sorted(set(lines))


def test_literals_are_published_as_written(built) -> None:
    """The store normalises "103"^^xsd:nonNegativeInteger to xsd:integer; the dumps must
    keep the article graphs' own literals."""
    root, _ = built
    data = (root / "dist" / "ctld.nt").read_text(encoding="utf-8")
    assert "XMLSchema#nonNegativeInteger>" in data
    assert '"2019-05-16"^^<http://www.w3.org/2001/XMLSchema#date>' in data


def test_report_has_no_clock_time(built) -> None:
    root, result = built
    report = json.loads((root / "dist" / "build-report.json").read_text())
    assert report["release_date"] == release_date({"a": None, "b": _newest_seed()}).isoformat()
    assert report["inference"]["consistent"] is True
    assert "seconds" not in json.dumps(report)
    assert list(result.seconds) == ["extract", "assemble", "validate", "reason", "release"]
    assert all(seconds >= 0 for seconds in result.seconds.values())


def test_second_build_is_byte_identical_and_extracts_nothing(built) -> None:
    root, _ = built
    before = (root / "dist" / "SHA256SUMS").read_bytes()
    again = build(Settings.discover(root), BuildOptions(dist=root / "dist2"))
    assert again.extracted == 0
    first = (root / "dist" / "build-report.json").read_text()
    second = (root / "dist2" / "build-report.json").read_text()
    assert second == first
    assert (root / "dist2" / "SHA256SUMS").read_bytes() == before
    shutil.rmtree(root / "dist2")


def test_a_killed_build_leaves_the_previous_release(built) -> None:
    root, _ = built
    before = (root / "dist" / "SHA256SUMS").read_bytes()
    (root / ".ctld-cache" / "extract.json").unlink()  # so the build has work to do
    process = subprocess.Popen(
        [sys.executable, "-m", "ctld", "--root", str(root), "build", "--quiet"],
        cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while not list(root.glob(".dist.building-*/dist/ctld.nq")):
        assert process.poll() is None, "the build ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert (root / "dist" / "SHA256SUMS").read_bytes() == before
    done = subprocess.run(["sha256sum", "--check", "--strict", "SHA256SUMS"],
                          cwd=root / "dist", capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stdout


def test_a_violation_stops_the_build_with_exit_1(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    (root / "dist").mkdir()
    (root / "dist" / "old.txt").write_text("previous release")
    bad = root / "data" / "authorities" / "zz-bad.ttl"
    bad.write_text(
        "@prefix ctld: <https://w3id.org/ctld/ontology#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "<https://w3id.org/ctld/id/resolution/s-res-9999-2030> a ctld:SecurityCouncilResolution ;\n"
        '    skos:prefLabel "Security Council resolution 9999 (2030)"@en .\n'
    )  # fmt: skip
    done = run_cli(root)
    assert done.returncode == 1, done.stderr
    assert "nothing published" in done.stderr
    assert "s-res-9999-2030" in done.stderr and "ctld:symbol" in done.stderr
    assert sorted(p.name for p in (root / "dist").iterdir()) == ["old.txt"]


def test_a_bad_article_is_named_with_exit_2(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    article = root / "data" / "articles" / "zz_bad.txt"
    article.write_text("---\nid: zz_bad\npublished: not-a-date\n---\nText.\n")
    done = run_cli(root)
    assert done.returncode == 2, done.stderr
    assert "zz_bad.txt" in done.stderr and "published" in done.stderr
    assert not (root / "dist").exists()


def test_bad_source_date_epoch_is_a_usage_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(Exception, match="SOURCE_DATE_EPOCH"):
        release_date({})


def test_source_date_epoch_sets_the_release_date(monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert release_date({"a": None}).isoformat() == "2023-11-14"


def _newest_seed():
    from ctld.extract.articles import read_article

    dates = [read_article(p).published for p in (ROOT / "data" / "articles").glob("*.txt")]
    return max(d for d in dates if d is not None)


def test_refuses_to_write_into_the_installed_package(tmp_path: Path) -> None:
    import ctld

    bundled = Settings(Path(ctld.__file__).parent / "_project")
    with pytest.raises(Exception, match="--root"):
        build(bundled, BuildOptions(dist=tmp_path / "dist"))


def test_the_extraction_cache_keys_on_extraction_code_only(tmp_path: Path) -> None:
    """An edit to the server or the release leaves every article graph current; an edit
    to extraction, or to the core it stands on, re-extracts."""
    package = tmp_path / "ctld"
    shutil.copytree(ROOT / "ctld", package, ignore=shutil.ignore_patterns("__pycache__"))
    settings = Settings.discover(ROOT)
    before = extractor_fingerprint(settings, package)
    for elsewhere in ("serve/app.py", "build/release.py", "check/shacl.py", "cli.py"):
        with (package / elsewhere).open("a", encoding="utf-8") as handle:
            handle.write("\n# an edit\n")
    assert extractor_fingerprint(settings, package) == before
    for inside in ("extract/finders/events.py", "core/namespaces.py"):
        changed = tmp_path / f"copy-{inside.replace('/', '-')}"
        shutil.copytree(package, changed)
        with (changed / inside).open("a", encoding="utf-8") as handle:
            handle.write("\n# an edit\n")
        assert extractor_fingerprint(settings, changed) != before, inside
