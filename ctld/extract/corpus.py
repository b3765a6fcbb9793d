"""Extracting a corpus: many articles in, one Turtle graph and one report per article.

One bad article does not stop the others: its error is collected, the rest are
written, and the caller decides the exit code. With jobs > 1 the work is spread over
processes that inherit the prepared Extractor (fork), and results come back in article
order, so the output does not depend on the number of processes.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ctld.core.errors import CtldError, MissingPathError
from ctld.core.outputs import write_atomic
from ctld.extract.articles import read_article
from ctld.extract.extractor import Extractor
from ctld.extract.graph import serialize
from ctld.extract.report import article_report

ARTICLE_SUFFIX = ".txt"


@dataclass(frozen=True)
class ArticleResult:
    path: Path
    article_id: str | None
    turtle: bytes | None = None
    report: dict[str, Any] | None = None
    error: str | None = None


@dataclass
class CorpusResult:
    results: list[ArticleResult] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)

    @property
    def errors(self) -> list[ArticleResult]:
        return [r for r in self.results if r.error is not None]

    @property
    def reports(self) -> list[dict[str, Any]]:
        return [r.report for r in self.results if r.report is not None]


def article_paths(paths: Sequence[Path]) -> list[Path]:
    """Article files given directly, and the .txt files of given directories, sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.glob(f"*{ARTICLE_SUFFIX}") if p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            raise MissingPathError(path, "article")
    return found


def extract_one(extractor: Extractor, path: Path) -> ArticleResult:
    try:
        article = read_article(path, detect=extractor.detect)
        extraction = extractor.extract(article)
        return ArticleResult(path, article.id, serialize(extraction), article_report(extraction))
    except CtldError as exc:
        return ArticleResult(path, None, error=str(exc))


def extract_corpus(
    extractor: Extractor,
    paths: Sequence[Path],
    out_dir: Path | None,
    jobs: int = 1,
    keep: bool = True,
) -> CorpusResult:
    """Extract every article; with keep=False only errors and written paths are kept,
    so memory stays flat however large the corpus."""
    result = CorpusResult()
    seen: dict[str, Path] = {}
    for item in _run(extractor, article_paths(paths), jobs):
        if item.article_id is not None and item.article_id in seen:
            item = ArticleResult(
                item.path, None, error=f"{item.path}: id {item.article_id!r} already used by "
                f"{seen[item.article_id]}",
            )  # fmt: skip
        if item.article_id is not None:
            seen[item.article_id] = item.path
        if out_dir is not None and item.turtle is not None and item.article_id is not None:
            target = out_dir / f"{item.article_id}.ttl"
            write_atomic(target, item.turtle)
            result.written.append(target)
        if not keep and item.error is None:
            item = ArticleResult(item.path, item.article_id)
        result.results.append(item)
    return result


# Set in each worker process by its initializer (never in the parent): a forked worker
# receives the parent's prepared Extractor without pickling it.
_worker: dict[str, Extractor] = {}


def _init_worker(extractor: Extractor) -> None:
    _worker["extractor"] = extractor


def _work(path: Path) -> ArticleResult:
    return extract_one(_worker["extractor"], path)


def _run(extractor: Extractor, paths: list[Path], jobs: int) -> Iterator[ArticleResult]:
    if jobs <= 1 or len(paths) < 2:
        for path in paths:
            yield extract_one(extractor, path)
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_init_worker, initargs=(extractor,)
    ) as pool:
        yield from pool.map(_work, paths, chunksize=max(1, len(paths) // (jobs * 8)))
