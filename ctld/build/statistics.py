"""Counts that describe a release: how big it is, what it is about, what it links to.

The VoID description, the catalogue and the build report all quote these numbers, so
they are computed once, from the assembled store, by the SPARQL queries in
`sparql/stats/` — files anyone can rerun against the published SPARQL endpoint to check
the description against the data. Every mapping is sorted by key so that what is written
from it is byte-identical across runs.

Triple counts count statements: a triple stated in two named graphs counts twice, as it
is written twice in every dump. Instance and subject counts are distinct resources.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph

from ctld.core.errors import MissingPathError, QueryFileError
from ctld.core.queryfiles import QueryFile, read_query_file
from ctld.core.settings import PACKAGE_DIR

# The queries statistics() needs, by file stem; each is a file in the stats directory.
QUERY_NAMES = ("size", "entities", "classes", "properties", "graphs", "linksets")


@dataclass(frozen=True)
class DatasetStatistics:
    """What a VoID description states about a dataset, plus the links by target.

    `linksets` maps a target ("wikidata", "unbis", "undocs", "iso3166") to its number of
    links; `link_predicates` splits the same counts by link predicate (VoID describes one
    linkset per predicate). `vocabularies` are the namespaces of the predicates and
    classes used, sorted."""

    triples: int
    distinct_subjects: int
    entities: int
    classes: dict[str, int]
    properties: dict[str, int]
    graphs: dict[str, int]
    linksets: dict[str, int]
    link_predicates: dict[str, dict[str, int]]
    vocabularies: tuple[str, ...]


def default_queries_dir() -> Path:
    """The `sparql/stats` that ships with this code: the numbers' meaning is part of
    the program, so a project root elsewhere does not bring its own."""
    candidates = [
        PACKAGE_DIR / "_project" / "sparql" / "stats",
        PACKAGE_DIR.parent / "sparql" / "stats",
    ]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise MissingPathError(candidates[-1], "statistics query directory")


def load_queries(directory: Path | str | None = None) -> dict[str, QueryFile]:
    """The statistics queries by name; a missing one is named rather than skipped, as a
    VoID description without, say, its class partitions would still look complete."""
    directory = Path(directory) if directory is not None else default_queries_dir()
    if not directory.is_dir():
        raise MissingPathError(directory, "statistics query directory")
    return {name: read_query_file(directory / f"{name}.rq") for name in QUERY_NAMES}


def statistics(store: pyoxigraph.Store, queries_dir: Path | str | None = None) -> DatasetStatistics:
    """The statistics of everything in `store`, all graphs together (the default graph
    is queried as the union of all graphs)."""
    queries = load_queries(queries_dir)
    size = _single_row(store, queries["size"])
    entities = _single_row(store, queries["entities"])
    classes = _counts(_rows(store, queries["classes"]), "class", "instances")
    properties = _counts(_rows(store, queries["properties"]), "property", "triples")
    graphs = _counts(_rows(store, queries["graphs"]), "graph", "triples")
    link_rows = _rows(store, queries["linksets"])
    link_predicates: dict[str, dict[str, int]] = {}
    for row in link_rows:
        target = _text(queries["linksets"], row, "target")
        predicate = _text(queries["linksets"], row, "predicate")
        per_target = link_predicates.setdefault(target, {})
        per_target[predicate] = per_target.get(predicate, 0) + _int(
            queries["linksets"], row, "links"
        )
    link_predicates = {t: dict(sorted(p.items())) for t, p in sorted(link_predicates.items())}
    return DatasetStatistics(
        triples=_int(queries["size"], size, "triples"),
        distinct_subjects=_int(queries["size"], size, "distinctSubjects"),
        entities=_int(queries["entities"], entities, "entities"),
        classes=classes,
        properties=properties,
        graphs=graphs,
        linksets={t: sum(p.values()) for t, p in link_predicates.items()},
        link_predicates=link_predicates,
        vocabularies=vocabularies([*classes, *properties]),
    )


def namespace(iri: str) -> str:
    """The IRI up to its last "#" or "/": the vocabulary a term belongs to."""
    cut = max(iri.rfind("#"), iri.rfind("/")) + 1
    return iri[:cut] if cut else iri


def vocabularies(terms: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({namespace(term) for term in terms}))


_Row = Mapping[str, pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | None]


def _rows(store: pyoxigraph.Store, query: QueryFile) -> list[_Row]:
    try:
        solutions = store.query(query.text, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise QueryFileError(query.path, f"query failed: {exc}") from None
    if not isinstance(solutions, pyoxigraph.QuerySolutions):
        raise QueryFileError(query.path, "a statistics query must be a SELECT query")
    names = [variable.value for variable in solutions.variables]
    return [{name: solution[name] for name in names} for solution in solutions]


def _single_row(store: pyoxigraph.Store, query: QueryFile) -> _Row:
    rows = _rows(store, query)
    if len(rows) != 1:
        raise QueryFileError(query.path, f"expected one row, got {len(rows)}")
    return rows[0]


def _counts(rows: list[_Row], key: str, count: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in rows:
        term, value = row.get(key), row.get(count)
        if isinstance(term, pyoxigraph.NamedNode) and isinstance(value, pyoxigraph.Literal):
            counts[term.value] = int(value.value)
    return dict(sorted(counts.items()))


def _int(query: QueryFile, row: _Row, name: str) -> int:
    value = row.get(name)
    if not isinstance(value, pyoxigraph.Literal):
        raise QueryFileError(query.path, f"?{name} must be bound to a number")
    try:
        return int(value.value)
    except ValueError:
        raise QueryFileError(query.path, f"?{name} is not an integer: {value.value}") from None


def _text(query: QueryFile, row: _Row, name: str) -> str:
    value = row.get(name)
    if value is None:
        raise QueryFileError(query.path, f"?{name} must be bound")
    return value.value
