"""Extraction benchmark: how many articles per second `ctld extract` turns into Turtle
and a report, and how much memory that takes.

Why: the pipeline has to keep up with corpora of 10k-100k articles; the target is at
least 200 articles/s on one core. The corpus is synthetic (bench/corpus.py), generated
in a child process first, so its cost and memory stay out of the figures. The Extractor
is built once and timed apart (a fixed cost per run, not per article); the timed loop
is what `ctld extract --no-write` does per article: read, extract, serialise to Turtle,
build the report. Nothing is written unless --keep. A benchmark prints figures and
asserts nothing; every figure is a `name: value` line, for grep and for comparing runs.

    python bench/extract.py [--count 1000] [--jobs 1] [--seed 7] [--keep DIR] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import math
import os
import platform
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

ROOT = Path(__file__).resolve().parents[1]
# The benchmark measures this checkout's code, not some installed copy of ctld.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ctld.core.errors import CtldError  # noqa: E402
from ctld.core.outputs import write_atomic  # noqa: E402
from ctld.core.settings import Settings  # noqa: E402
from ctld.extract.articles import Article  # noqa: E402
from ctld.extract.corpus import ArticleResult, article_paths, extract_corpus, extract_one  # noqa: E402
from ctld.extract.extractor import Extractor  # noqa: E402
from ctld.extract.result import Extraction  # noqa: E402

TARGET_ARTICLES_PER_SECOND = 200
PROFILE_TOP = 25
ERRORS_SHOWN = 5
CORPUS_SCRIPT = Path(__file__).resolve().with_name("corpus.py")
CRASH = "crash: "


class ExtractorCrash(CtldError):
    """An unexpected exception inside Extractor.extract, turned into an article error."""


class GuardedExtractor(Extractor):
    """The Extractor, except that a bug on one article (an IndexError, say) becomes that
    article's error instead of ending the run: ctld.extract.corpus collects CtldErrors per
    article in one process and in many alike, so a benchmark of 100k articles still
    finishes, and reports each crash with the line that raised it."""

    def extract(self, article: Article) -> Extraction:
        try:
            return super().extract(article)
        except CtldError:
            raise
        except Exception as exc:
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            where = f"{Path(frame.filename).name}:{frame.lineno} in {frame.name}"
            raise ExtractorCrash(
                f"{CRASH}{article.id}: {type(exc).__name__}: {exc} ({where})"
            ) from exc


@dataclass
class Run:
    """What the timed loop produced; only sizes are kept, so memory stays the
    extractor's, not the results'."""

    seconds: float = 0.0
    articles: int = 0
    errors: list[str] = field(default_factory=list)
    turtle_bytes: int = 0
    per_article: list[float] = field(default_factory=list)  # seconds, --jobs 1 only


def generate_corpus(out_dir: Path, count: int, seed: int) -> dict[str, str]:
    """Write the corpus with bench/corpus.py in a child process, so that the parent's
    peak RSS is the extractor's alone; returns the generator's `name: value` figures."""
    done = subprocess.run(
        [sys.executable, str(CORPUS_SCRIPT), "--count", str(count), "--out", str(out_dir),
         "--seed", str(seed)],
        check=False, capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"bench/corpus.py failed (exit {done.returncode})")
    figures = {}
    for line in done.stdout.splitlines():
        name, _, value = line.partition(": ")
        figures[name] = value
    return figures


def run_single(
    extractor: Extractor, paths: list[Path], keep: Path | None, profiler: cProfile.Profile | None
) -> Run:
    """One process, one article at a time, each timed for the p50/p95 figures."""
    run = Run()
    reports = _open_reports(keep)
    began = time.perf_counter()
    if profiler is not None:
        profiler.enable()
    for path in paths:
        start = time.perf_counter()
        result = extract_one(extractor, path)
        _keep(result, keep, reports)
        run.per_article.append(time.perf_counter() - start)
        _count(run, result)
    if profiler is not None:
        profiler.disable()
    run.seconds = time.perf_counter() - began
    if reports is not None:
        reports.close()
    return run


def run_parallel(extractor: Extractor, paths: list[Path], keep: Path | None, jobs: int) -> Run:
    """`jobs` forked processes through ctld.extract.corpus.extract_corpus, as `ctld extract
    --jobs N` runs; results come back in article order, and are only kept (for the
    reports file) with --keep, so the parent's memory stays flat."""
    run = Run()
    began = time.perf_counter()
    result = extract_corpus(
        extractor, paths, keep / "graphs" if keep else None, jobs=jobs, keep=keep is not None
    )
    reports = _open_reports(keep)
    if reports is not None:
        for item in result.results:
            if item.report is not None:
                reports.write(json.dumps(item.report, ensure_ascii=False) + "\n")
        reports.close()
    run.seconds = time.perf_counter() - began
    for item in result.results:
        _count(run, item)
    return run


def _open_reports(keep: Path | None) -> TextIO | None:
    if keep is None:
        return None
    return (keep / "reports.jsonl").open("w", encoding="utf-8")


def _keep(result: ArticleResult, keep: Path | None, reports: TextIO | None) -> None:
    if keep is None or result.turtle is None or result.article_id is None:
        return
    write_atomic(keep / "graphs" / f"{result.article_id}.ttl", result.turtle)
    if reports is not None and result.report is not None:
        reports.write(json.dumps(result.report, ensure_ascii=False) + "\n")


def _count(run: Run, result: ArticleResult) -> None:
    run.articles += 1
    if result.error is not None:
        run.errors.append(result.error)
    if result.turtle is not None:
        run.turtle_bytes += len(result.turtle)


def peak_rss_mib(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident set size so far: ru_maxrss is KiB on Linux, bytes on macOS. For
    RUSAGE_CHILDREN it is the largest single waited-for child, not a sum."""
    peak = resource.getrusage(who).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile: a real article's time, no interpolation."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(len(ordered) * fraction)) - 1]


def report(figures: dict[str, Any]) -> None:
    """One `name: value` line per figure, so runs can be grepped and diffed."""
    for name, value in figures.items():
        if isinstance(value, float):
            value = f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"
        print(f"{name}: {value}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Extraction throughput and memory (bench/README.md)."
    )
    parser.add_argument("--count", type=int, default=1000, help="articles in the corpus")
    parser.add_argument("--jobs", type=int, default=1, help="processes (ctld extract --jobs)")
    parser.add_argument("--seed", type=int, default=7, help="corpus seed (bench/corpus.py)")
    parser.add_argument(
        "--keep", type=Path, metavar="DIR",
        help="keep the corpus in DIR/articles and write DIR/graphs/*.ttl and DIR/reports.jsonl "
        "(writing is then inside the timed loop)",
    )  # fmt: skip
    parser.add_argument(
        "--profile", action="store_true",
        help=f"cProfile the single-process loop; print the top {PROFILE_TOP} by cumulative time",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.count < 1 or args.jobs < 1:
        parser.error("--count and --jobs must be at least 1")
    if args.profile and args.jobs != 1:
        parser.error("--profile profiles the single-process loop: use it with --jobs 1")
    if args.keep is not None and any((args.keep / "articles").glob("*.txt")):
        parser.error(f"{args.keep / 'articles'} already holds articles: give an empty DIR")

    with tempfile.TemporaryDirectory(prefix="ctld-bench-") as scratch:
        base = args.keep or Path(scratch)
        corpus = generate_corpus(base / "articles", args.count, args.seed)
        generator_rss = peak_rss_mib(resource.RUSAGE_CHILDREN)

        began = time.perf_counter()
        extractor = GuardedExtractor.from_settings(Settings.discover(ROOT))
        extractor.warm(("en", "fr", "es", "pt", "ru"))
        setup = time.perf_counter() - began
        setup_rss = peak_rss_mib()

        paths = article_paths([base / "articles"])
        profiler = cProfile.Profile() if args.profile else None
        if args.jobs == 1:
            run = run_single(extractor, paths, args.keep, profiler)
        else:
            run = run_parallel(extractor, paths, args.keep, args.jobs)

    megabytes = int(corpus["body_bytes"]) / 1e6
    figures: dict[str, Any] = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "seed": args.seed,
        "jobs": args.jobs,
        "profiled": "yes" if args.profile else "no",
        "articles": run.articles,
        "languages": corpus.get("languages", ""),
        "total_chars": int(corpus["body_chars"]),
        "text_megabytes": megabytes,
        "corpus_seconds": float(corpus["setup_seconds"]) + float(corpus["write_seconds"]),
        "setup_seconds": setup,
        "extraction_seconds": run.seconds,
        "articles_per_second": run.articles / run.seconds,
        "megabytes_per_second": megabytes / run.seconds,
    }
    if run.per_article:
        figures["p50_article_ms"] = 1000 * statistics.median(run.per_article)
        figures["p95_article_ms"] = 1000 * percentile(run.per_article, 0.95)
        figures["max_article_ms"] = 1000 * max(run.per_article)
    figures["errors"] = len(run.errors)
    figures["crashes"] = sum(e.startswith(CRASH) for e in run.errors)
    figures["turtle_megabytes"] = run.turtle_bytes / 1e6
    figures["peak_rss_after_setup_mib"] = setup_rss
    figures["peak_rss_mib"] = peak_rss_mib()
    if args.jobs > 1:
        figures["peak_rss_children_mib"] = peak_rss_mib(resource.RUSAGE_CHILDREN)
    figures["corpus_generator_peak_rss_mib"] = generator_rss
    figures["target_articles_per_second"] = TARGET_ARTICLES_PER_SECOND
    report(figures)
    for error in run.errors[:ERRORS_SHOWN]:
        print(f"error: {error}", file=sys.stderr)
    if profiler is not None:
        stats = pstats.Stats(profiler, stream=sys.stdout)
        print(f"profile: top {PROFILE_TOP} functions by cumulative time")
        stats.sort_stats(pstats.SortKey.CUMULATIVE).print_stats(PROFILE_TOP)
        # Own time (tottime) points at the hot loops themselves, which the cumulative
        # view buries under their callers.
        print(f"profile: top {PROFILE_TOP} functions by own time")
        stats.sort_stats(pstats.SortKey.TIME).print_stats(PROFILE_TOP)
    return 0


if __name__ == "__main__":
    sys.exit(main())
