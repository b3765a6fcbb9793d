"""`ctld build`: from articles to a validated, reasoned, deterministic release in dist/.

Stages: extract what changed -> assemble the named graphs -> SHACL and quality checks
(a Violation stops the build) -> HermiT (an inconsistency stops it) -> release files.
The release is written into a fresh folder beside the target and swapped in whole at
the end, so a failed or killed build never leaves users a half-written dist/. Each
article graph is read once, by worker processes, while assembling: that reading also
begins the dumps in the staging folder (ctld.draft). HermiT runs while the shapes and
checks do, and the union dumps are rendered by the workers (ctld.union).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import resource
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

import ctld
from ctld import __version__
from ctld.articles import read_article
from ctld.corpus import article_paths, extract_corpus
from ctld.dataset import ONTOLOGY_GRAPH, dataset_parts, load_parts
from ctld.draft import ReleaseDraft, add_articles
from ctld.errors import CtldError
from ctld.inference import Inference, PendingReasoning, reason, write_projection
from ctld.settings import Settings
from ctld.sources import load_sources, parse_file
from ctld.swap import replace_directory
from ctld.validation import ValidationReport, Violation
from ctld.workers import worker_pool

CACHE = ".ctld-cache/extract.json"
INPUT_DIRS = ("data/authorities", "data/lexicon", "data/reference")
Progress = Callable[[str, int], Callable[[int], None]]  # stage, total -> advance


class BuildFailed(CtldError):
    """Validation or reasoning failed: nothing was published (exit code 1)."""

    def __init__(self, message: str, violations: tuple[Violation, ...] = ()) -> None:
        self.violations = violations
        super().__init__(message)


@dataclass(frozen=True)
class BuildOptions:
    out: Path
    jobs: int = 1
    shacl: str = "pyshacl"  # or "jena": one JVM run over the whole dataset, for corpora
    release_date: dt.date | None = None  # default: SOURCE_DATE_EPOCH, else newest article


@dataclass
class BuildResult:
    out: Path
    articles: int = 0
    extracted: int = 0
    triples: int = 0
    entities: dict[str, int] = field(default_factory=dict)
    warnings: list[Violation] = field(default_factory=list)
    inference: Inference | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    peak_mib: dict[str, float] = field(default_factory=dict)  # this process, at stage end
    files: list[str] = field(default_factory=list)
    validation: ValidationReport | None = None


def build(
    settings: Settings, options: BuildOptions, progress: Progress | None = None
) -> BuildResult:
    """Run every stage; raises BuildFailed (exit 1) or another CtldError (exit 2)."""
    if settings.root.resolve().is_relative_to(Path(ctld.__file__).resolve().parent):
        raise CtldError(
            f"{settings.root} is the copy of the project bundled with the installed package: "
            "run `ctld build` in a project directory, or give --root DIR"
        )
    result = BuildResult(options.out)
    advance = progress or _silent
    with _timed(result, "extract"):
        articles = extract_changed(settings, options.jobs, result, advance)
    graph_files = sorted(settings.graphs_dir / f"{a}.ttl" for a in articles)
    pool = worker_pool(options.jobs)
    try:
        with tempfile.TemporaryDirectory(
            prefix=f".{options.out.name}.building-", dir=_parent(options.out)
        ) as tmp:
            staging, work = Path(tmp) / "dist", Path(tmp) / "work"
            staging.mkdir()
            _stages(settings, options, result, advance, articles, graph_files, staging, work, pool)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return result


def _stages(
    settings: Settings,
    options: BuildOptions,
    result: BuildResult,
    advance: Progress,
    articles: dict[str, dt.date | None],
    graph_files: list[Path],
    staging: Path,
    work: Path,
    pool: Executor | None,
) -> None:
    """Assemble, validate, reason and release into `staging`, then swap it in. The
    dumps are begun while assembling (ctld.draft); HermiT runs while the shapes and
    checks do, each a JVM on one core of a build's two, and the inferences are
    materialised while Jena's SHACL finishes (at a lower priority than HermiT: the
    release waits for the reasoning, and for the shapes only at the end)."""
    from ctld.conformance import validate_dataset
    from ctld.publication import write_release

    draft = ReleaseDraft(staging, work)
    pending: PendingReasoning | None = None
    try:
        with _timed(result, "assemble"):
            store, ontology = assemble(settings, graph_files, draft, pool, options.jobs)
        with _timed(result, "validate"):
            projection = work / "dataset.nt"
            base = load_sources([settings.ontology_path, settings.authorities_dir]).graph
            write_projection(base, draft.asserted, projection)
            pending = PendingReasoning(projection)
            running = pending

            def reasoning() -> None:  # after the checks, while Jena's SHACL runs
                with _timed(result, "reason"):
                    result.inference = reason(store, ontology, pending=running)

            tick = advance("validate", len(graph_files))
            report = validate_dataset(settings, store, graph_files, options.jobs, tick,
                                      options.shacl, data=projection,
                                      meanwhile=reasoning)  # fmt: skip
            pending = None
            result.validation = report
            result.warnings = [v for v in report.violations if v.severity != "Violation"]
            if not report.conforms:
                errors = tuple(v for v in report.violations if v.severity == "Violation")
                raise BuildFailed(f"validation failed: {len(errors)} violation(s)", errors)
        # The stages overlap: validation's own time is what reasoning did not take.
        result.seconds["validate"] = round(result.seconds["validate"] - result.seconds["reason"], 3)
        if result.inference is None:
            raise CtldError("the reasoning stage did not run")
        _check_inference(result.inference)
        with _timed(result, "release"):
            date = options.release_date or release_date(articles)
            write_release(settings, store, ontology, draft, staging, date, result, pool)
            replace_directory(staging, options.out)
    except BaseException:
        draft.abandon()
        if pending is not None:
            pending.cancel()
        raise


def extract_changed(
    settings: Settings, jobs: int, result: BuildResult, advance: Progress
) -> dict[str, dt.date | None]:
    """Extract the articles whose text, or whose extractor inputs, changed since the
    graph was written; returns every article id with its publication date."""
    paths = article_paths([settings.articles_dir])
    fingerprint = extractor_fingerprint(settings)
    cache_path = settings.root / CACHE
    cache = _read_cache(cache_path)
    todo, ids, keys = [], {}, {}
    for path in paths:
        article = read_article(path)
        ids[article.id] = article.published
        keys[article.id] = hashlib.sha256(fingerprint.encode() + path.read_bytes()).hexdigest()
        graph = settings.graphs_dir / f"{article.id}.ttl"
        if cache.get(article.id) != keys[article.id] or not graph.is_file():
            todo.append(path)
    result.articles = len(paths)
    if todo:
        from ctld.extraction import Extractor
        from ctld.language import LanguageGuesser

        tick = advance("extract", len(todo))
        extractor = Extractor.from_settings(settings, detect=LanguageGuesser())
        corpus = extract_corpus(extractor, todo, settings.graphs_dir, jobs, False)
        tick(len(todo))
        if corpus.errors:
            raise CtldError("; ".join(str(e.error) for e in corpus.errors))
        result.extracted = len(todo)
    _write_cache(cache_path, {a: keys[a] for a in sorted(keys)})
    return dict(sorted(ids.items()))


def assemble(
    settings: Settings,
    graph_files: list[Path],
    draft: ReleaseDraft | None = None,
    pool: Executor | None = None,
    jobs: int = 1,
) -> tuple[ox.Store, Graph]:
    """The store with every named graph, article graphs without their annotation nodes
    (ctld.dataset.load_parts); the ontology also as an rdflib Graph (the reasoning stage
    reads its axioms). The ontology's blank nodes become skolem IRIs. With a `draft`,
    the article graphs are read through it (in `pool`'s workers), so the one reading of
    each file also begins the dumps."""
    from ctld.release import skolemised, to_oxigraph

    ontology = parse_file(settings.ontology_path)
    store = ox.Store()
    authorities, *articles = dataset_parts(settings, graph_files)[1:]
    # The article graphs go in first: pyoxigraph's in-memory store answers the
    # dangling-references check 25 times slower at 10,000 articles when the ontology
    # and the authorities were loaded before them (same data, same answers).
    if draft is None:
        load_parts(store, articles, annotations=False)
    else:
        add_articles(draft, store, graph_files, pool, jobs)
    load_parts(store, [authorities])
    graph = ox.NamedNode(ONTOLOGY_GRAPH)
    store.extend(ox.Quad(t.subject, t.predicate, t.object, graph)
                 for t in to_oxigraph(skolemised(ontology)))  # fmt: skip
    return store, ontology


def extractor_fingerprint(settings: Settings) -> str:
    """What an article graph depends on besides the article: ctld's code and version,
    the authorities, the lexicon and the reference tables."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(ctld.__file__).parent
    files = sorted(package.glob("*.py"))
    for directory in INPUT_DIRS:
        files.extend(sorted((settings.root / directory).rglob("*")))
    for path in files:
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def release_date(articles: dict[str, dt.date | None]) -> dt.date:
    """SOURCE_DATE_EPOCH when set (the reproducible-builds convention), else the newest
    article's publication date: never the clock, so rebuilds give the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
        except ValueError:
            raise CtldError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds") from None
    dates = [d for d in articles.values() if d is not None]
    return max(dates) if dates else dt.date(1970, 1, 1)


def build_report(result: BuildResult, date: dt.date) -> dict[str, Any]:
    """The machine-readable report kept in dist/: counts and outcomes, no timings (they
    differ on every run and would break the byte-identical release)."""
    inference = result.inference
    return {
        "ctld": __version__,
        "release_date": date.isoformat(),
        "articles": result.articles,
        "triples": result.triples,
        "entities": result.entities,
        "warnings": [v.to_dict() for v in result.warnings],
        "inference": {
            "reasoner": "HermiT (owlready2)",
            "skipped": inference.skipped if inference else "not run",
            "consistent": inference.consistent if inference else None,
            "triples_reasoned": inference.triples_reasoned if inference else 0,
            "inferred_triples": inference.inferred if inference else 0,
        },
        "files": sorted(result.files),
    }


def _check_inference(inference: Inference) -> None:
    if inference.consistent is False:
        blamed = ", ".join(inference.blamed) or "the dataset as a whole"
        raise BuildFailed(f"the dataset is inconsistent (HermiT); it blames: {blamed}")
    if inference.unsatisfiable:
        names = ", ".join(inference.unsatisfiable)
        raise BuildFailed(f"unsatisfiable classes (HermiT): {names}")


def _read_cache(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_cache(path: Path, data: dict[str, str]) -> None:
    from ctld.outputs import write_atomic

    write_atomic(path, (json.dumps(data, indent=1) + "\n").encode())


def _parent(out: Path) -> Path:
    parent = out.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    return parent


@contextmanager
def _timed(result: BuildResult, stage: str) -> Iterator[None]:
    began = time.perf_counter()
    result.seconds.setdefault(stage, 0.0)  # stages are listed in the order they begin
    try:
        yield
    finally:
        result.seconds[stage] = round(time.perf_counter() - began, 3)
        result.peak_mib[stage] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _silent(stage: str, total: int) -> Callable[[int], None]:
    return lambda done: None
