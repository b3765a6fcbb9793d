"""The build's validation stage: SHACL per part of the dataset, in parallel, and the
quality checks once over the whole.

pyshacl costs about 0.2 ms a triple whatever the graph, so one run over a large dataset
is out of reach (10k articles would take an hour). The shapes are local, though: a
focus node's constraints read its own triples and the types of the nodes it points to.
So the ontology and authorities are validated once, and each article graph apart, with
the ontology's class hierarchy and the types of the nodes it references; a result
counts only for a focus node the article itself describes. Articles run in forked
worker processes. The SPARQL checks are the cross-article constraints (duplicate
labels, orphan posts): they run over the whole dataset in pyoxigraph, seconds for
millions of triples.
"""

from __future__ import annotations

import hashlib
import multiprocessing
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pyshacl
from rdflib import RDF, RDFS, Graph, URIRef

from ctld.check.jena_shacl import jena_violations
from ctld.check.quality import load_checks, violations_in_store
from ctld.check.shacl import shacl_violations, shapes_graph
from ctld.check.shacl_cache import ResultCache
from ctld.check.violations import ValidationReport, Violation
from ctld.core.dataset import ARTICLE_GRAPH
from ctld.core.errors import CtldError
from ctld.core.settings import Settings
from ctld.core.sources import expand_paths, load_sources
from ctld.core.version import VERSION

Tick = Callable[[int], None]
CACHE_DIR = Path(".ctld-cache") / "shacl"


@dataclass(frozen=True)
class _Shared:
    """What every worker needs, prepared once in the parent and inherited by fork."""

    shapes: Graph
    hierarchy: tuple[tuple[URIRef, URIRef], ...]
    types: dict[str, tuple[str, ...]]


_shared: dict[str, _Shared] = {}  # set in each worker by its initializer, never in the parent


def validate_dataset(
    settings: Settings,
    store: ox.Store,
    article_files: Sequence[Path],
    jobs: int = 1,
    progress: Tick | None = None,
    engine: str = "pyshacl",
    cache: ResultCache | None = None,
    data: Path | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> ValidationReport:
    """SHACL over the ontology with the authorities, then each article graph; then the
    checks over everything in `store`. With engine="jena", Jena's SHACL validator takes
    the whole dataset in one run instead (a JVM: for corpora pyshacl is too slow for).
    pyshacl's results are remembered per article graph (ctld.check.shacl_cache), so a
    rebuild validates only the graphs that changed. `data` is the dataset without
    annotation nodes as N-Triples, when the build has written it (Jena reads it).
    `meanwhile` runs after the checks, while Jena's JVM may still work: the build
    reasons then."""
    shape_files = tuple(expand_paths([settings.shapes_dir]))
    shapes = shapes_graph(shape_files)
    base = load_sources([settings.ontology_path, settings.authorities_dir])
    checks = load_checks(settings.checks_dir)
    found: list[Violation] = []
    violations: list[Violation] | None  # None: not in the cache
    if engine == "jena":

        def run_checks() -> None:  # while Jena's JVM works
            found.extend(violations_in_store(store, checks))
            if meanwhile is not None:
                meanwhile()

        violations = jena_violations(shapes, base, store, article_files, data, run_checks)
        if progress is not None:
            progress(len(article_files))
    elif engine == "pyshacl":
        if cache is None:
            cache = ResultCache(settings.root / CACHE_DIR, fingerprint(shape_files, base.files))
        violations = cache.get(f"base-{cache.fingerprint}")
        if violations is None:
            violations = shacl_violations(base, shapes)
            cache.put(f"base-{cache.fingerprint}", violations)
        shared = _Shared(shapes, _hierarchy(base.graph), _types(store))
        violations += _articles(shared, store, cache, article_files, jobs, progress)
        found.extend(violations_in_store(store, checks))
        if meanwhile is not None:
            meanwhile()
    else:
        raise CtldError(f"unknown SHACL engine {engine!r}: use pyshacl or jena")
    violations.extend(found)
    violations.sort(key=lambda v: (v.file or "~", v.line or 0, v.focus, v.source, v.message))
    conforms = not any(v.severity == "Violation" for v in violations)
    files = (*base.files, *article_files)
    return ValidationReport(
        conforms, tuple(violations), files, shape_files, tuple(c.name for c in checks)
    )


def _articles(
    shared: _Shared,
    store: ox.Store,
    cache: ResultCache,
    files: Sequence[Path],
    jobs: int,
    progress: Tick | None,
) -> list[Violation]:
    """Each article's results: remembered ones from the cache, the others computed in
    `jobs` processes and remembered."""
    keys = {path: cache.key(path, _named_types(store, shared.types, path)) for path in files}
    found: list[Violation] = []
    todo = []
    for path in files:
        known = cache.get(keys[path])
        if known is None:
            todo.append(path)
            continue
        found.extend(known)
        if progress is not None:
            progress(1)
    for path, results in _each_article(shared, todo, jobs):
        cache.put(keys[path], results)
        found.extend(results)
        if progress is not None:
            progress(1)
    return found


def validate_article(shared: _Shared, path: Path) -> list[Violation]:
    """An article graph with the hierarchy and the types of what it names; only results
    about the nodes it types itself (events, tenures, candidates, annotations) are its
    own: an authority an article adds a statement to is validated with the authorities.
    (One pyshacl run per article: putting several in one run costs more, not less.)"""
    sources = load_sources([path])
    graph = sources.graph
    own = {s for s in graph.subjects(RDF.type) if isinstance(s, URIRef)}
    named = {n for s, _, o in graph for n in (s, o) if isinstance(n, URIRef)}
    for child, parent in shared.hierarchy:
        graph.add((child, RDFS.subClassOf, parent))
    for node in named - own:
        for cls in shared.types.get(str(node), ()):
            graph.add((node, RDF.type, URIRef(cls)))
    return shacl_violations(sources, shared.shapes, focus=sorted(own))


def _each_article(
    shared: _Shared, files: Sequence[Path], jobs: int
) -> Iterator[tuple[Path, list[Violation]]]:
    if jobs <= 1 or len(files) < 2:
        for path in files:
            yield path, validate_article(shared, path)
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs, initializer=_init_worker, initargs=(shared,)) as pool:
        yield from pool.imap(_validate_in_worker, files, chunksize=4)


def _init_worker(shared: _Shared) -> None:
    _shared["shared"] = shared


def _validate_in_worker(path: Path) -> tuple[Path, list[Violation]]:
    return path, validate_article(_shared["shared"], path)


def _named_types(store: ox.Store, types: dict[str, tuple[str, ...]], path: Path) -> list:
    """The types of every IRI the article graph names: with the graph's bytes, all a
    per-article validation reads besides the shapes, ontology and authorities."""
    graph = ox.NamedNode(f"{ARTICLE_GRAPH}{path.stem}")
    named = set()
    for quad in store.quads_for_pattern(None, None, None, graph):
        # the stub lets a subject be a Triple; pyoxigraph 0.5 (RDF 1.2) makes none
        named.add(quad.subject.value)  # type: ignore[union-attr]
        if isinstance(quad.object, ox.NamedNode):
            named.add(quad.object.value)
    return sorted((iri, types[iri]) for iri in named if iri in types)


def fingerprint(shape_files: Sequence[Path], base_files: Sequence[Path]) -> str:
    digest = hashlib.sha256(f"ctld {VERSION} pyshacl {pyshacl.__version__}".encode())
    for path in [*shape_files, *base_files]:
        digest.update(str(path.resolve()).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _hierarchy(graph: Graph) -> tuple[tuple[URIRef, URIRef], ...]:
    return tuple(
        sorted(
            (c, p)
            for c, p in graph.subject_objects(RDFS.subClassOf)
            if isinstance(c, URIRef) and isinstance(p, URIRef)
        )
    )


def _types(store: ox.Store) -> dict[str, tuple[str, ...]]:
    """Every typed IRI in the dataset and its asserted types."""
    types: dict[str, set[str]] = defaultdict(set)
    rdf_type = ox.NamedNode(str(RDF.type))
    for quad in store.quads_for_pattern(None, rdf_type, None, None):
        if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.NamedNode):
            types[quad.subject.value].add(quad.object.value)
    return {iri: tuple(sorted(found)) for iri, found in types.items()}
