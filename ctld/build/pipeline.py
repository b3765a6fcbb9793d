"""`ctld build`: from articles to a validated, reasoned, deterministic release in dist/.

Stages: extract what changed -> assemble the named graphs -> SHACL and quality checks
(a Violation stops the build) -> HermiT (an inconsistency stops it) -> release files.
The release is written into a fresh folder beside the target and swapped in whole at
the end, so a failed or killed build never leaves users a half-written dist/. Each
article graph is read once, by worker processes, while assembling: that reading also
begins the dumps in the staging folder (ctld.build.dumps.asserted). HermiT runs while the shapes and
checks do, and the union dumps are rendered by the workers (ctld.build.dumps.union).
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
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ctld.build.dumps.asserted import ReleaseDraft, add_articles
from ctld.build.dumps.canonical import skolemised, to_oxigraph
from ctld.build.release import write_release
from ctld.build.run import BuildFailed, BuildOptions, BuildResult, Progress
from ctld.check.dataset_validation import validate_dataset
from ctld.check.inference import Inference, PendingReasoning, reason, write_projection
from ctld.core.dataset import ONTOLOGY_GRAPH, dataset_parts, load_parts
from ctld.core.errors import CtldError
from ctld.core.outputs import write_atomic
from ctld.core.settings import PACKAGE_DIR, Settings
from ctld.core.sources import load_sources, parse_file
from ctld.core.swap import replace_directory
from ctld.core.version import VERSION
from ctld.core.workers import worker_pool
from ctld.extract.articles import read_article
from ctld.extract.corpus import article_paths, extract_corpus
from ctld.extract.extractor import Extractor
from ctld.extract.language import LanguageGuesser

CACHE = ".ctld-cache/extract.json"
INPUT_DIRS = ("data/authorities", "data/lexicon", "data/reference")
EXTRACTOR_PACKAGES = ("core", "extract")  # ctld.extract imports only these


def build(
    settings: Settings, options: BuildOptions, progress: Progress | None = None
) -> BuildResult:
    """Run every stage; raises BuildFailed (exit 1) or another CtldError (exit 2)."""
    if settings.root.resolve().is_relative_to(PACKAGE_DIR):
        raise CtldError(
            f"{settings.root} is the copy of the project bundled with the installed package: "
            "run `ctld build` in a project directory, or give --root DIR"
        )
    result = BuildResult(options.dist)
    advance = progress or _silent
    with _timed(result, "extract"):
        articles = extract_changed(settings, options.jobs, result, advance)
    graph_files = sorted(settings.graphs_dir / f"{a}.ttl" for a in articles)
    pool = worker_pool(options.jobs)
    try:
        with tempfile.TemporaryDirectory(
            prefix=f".{options.dist.name}.building-", dir=_parent(options.dist)
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
    dumps are begun while assembling (ctld.build.dumps.asserted); HermiT runs while the shapes and
    checks do, each a JVM on one core of a build's two, and the inferences are
    materialised while Jena's SHACL finishes (at a lower priority than HermiT: the
    release waits for the reasoning, and for the shapes only at the end)."""

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
            replace_directory(staging, options.dist)
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
    (ctld.core.dataset.load_parts); the ontology also as an rdflib Graph (the reasoning stage
    reads its axioms). The ontology's blank nodes become skolem IRIs. With a `draft`,
    the article graphs are read through it (in `pool`'s workers), so the one reading of
    each file also begins the dumps."""

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


def extractor_fingerprint(settings: Settings, package: Path = PACKAGE_DIR) -> str:
    """What an article graph depends on besides the article: the code extraction runs
    (ctld.extract and the ctld.core below it; the layer test keeps extraction from
    importing anything else, so an edit to the server or the release re-extracts
    nothing), ctld's version, the authorities, the lexicon and the reference tables."""
    digest = hashlib.sha256(VERSION.encode())
    code = [path for folder in EXTRACTOR_PACKAGES
            for path in sorted((package / folder).rglob("*.py"))]  # fmt: skip
    for path in code:
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    for directory in INPUT_DIRS:
        for path in sorted((settings.root / directory).rglob("*")):
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

    write_atomic(path, (json.dumps(data, indent=1) + "\n").encode())


def _parent(dist: Path) -> Path:
    parent = dist.resolve().parent
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
