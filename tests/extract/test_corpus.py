"""A corpus run: bad articles are reported without stopping the others, and the result
does not depend on the number of worker processes."""

from pathlib import Path

from conftest import ROOT

from ctld.extract.corpus import extract_corpus
from ctld.extract.extractor import Extractor

ARTICLES = ROOT / "data" / "articles"


def _copy_articles(target: Path) -> list[Path]:
    target.mkdir()
    copies = []
    for path in sorted(ARTICLES.glob("*.txt")):
        copy = target / path.name
        copy.write_bytes(path.read_bytes())
        copies.append(copy)
    return copies


def test_one_bad_article_does_not_stop_the_others(extractor: Extractor, tmp_path: Path) -> None:
    articles = tmp_path / "in"
    _copy_articles(articles)
    (articles / "zz_bad.txt").write_text("---\nid: zz_bad\npublished: soon\n---\nx\n", "utf-8")
    out = tmp_path / "out"
    result = extract_corpus(extractor, [articles], out)
    assert len(result.errors) == 1
    error = result.errors[0].error or ""
    assert "zz_bad.txt" in error and "'published'" in error
    assert sorted(p.name for p in out.glob("*.ttl")) == sorted(
        p.with_suffix(".ttl").name for p in ARTICLES.glob("*.txt")
    )
    assert not list(out.glob(".*"))  # no temporary files left behind


def test_jobs_give_the_same_output(extractor: Extractor, tmp_path: Path) -> None:
    articles = tmp_path / "in"
    _copy_articles(articles)
    one = extract_corpus(extractor, [articles], None, jobs=1)
    two = extract_corpus(extractor, [articles], None, jobs=2)
    assert [r.turtle for r in one.results] == [r.turtle for r in two.results]
    assert one.reports == two.reports


def test_duplicate_ids_are_refused(extractor: Extractor, tmp_path: Path) -> None:
    articles = tmp_path / "in"
    articles.mkdir()
    for name in ("a.txt", "b.txt"):
        (articles / name).write_text("---\nid: same\nlanguage: en\n---\nText.\n", "utf-8")
    result = extract_corpus(extractor, [articles], tmp_path / "out")
    assert len(result.errors) == 1 and "already used" in (result.errors[0].error or "")


def test_rerun_leaves_files_untouched(extractor: Extractor, tmp_path: Path) -> None:
    articles = tmp_path / "in"
    _copy_articles(articles)
    out = tmp_path / "out"
    extract_corpus(extractor, [articles], out)
    before = {p.name: p.stat().st_mtime_ns for p in out.glob("*.ttl")}
    extract_corpus(extractor, [articles], out)
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.ttl")} == before
