"""The build's reasoning stage: HermiT checks the whole dataset for consistency and
classifies the ontology; the class memberships and inverse-property assertions that
follow are then written into the `inferred` named graph.

HermiT sees the ontology, the authorities and every article graph without its Web
Annotation nodes (the quotes and offsets, most of an article graph, say nothing the
ontology has axioms about). Materialising with SPARQL updates over the classified
hierarchy, rather than reading every individual's types back from owlready2, keeps the
stage linear in the data: HermiT's answer is the hierarchy, the store applies it.
Users then query memberships (every ctld:Conference is a schema:Event) without a
reasoner, and still see which triples are inferred: they are in graph/inferred.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import cast

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, Graph, URIRef

from ctld.check.hermit import ReasoningReport, hermit_report, run_hermit, start_hermit
from ctld.core.dataset import AUTHORITIES_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH, is_fragment
from ctld.core.errors import ToolMissingError

Hermit = Callable[[Path, int], ReasoningReport]
# The inverse rule as a SPARQL update; $values is a VALUES table of ontology IRIs.
_INVERSE = Template(
    "INSERT { GRAPH $graph { ?o ?q ?s } } WHERE { VALUES (?p ?q) { $values } "
    "GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?o)) FILTER NOT EXISTS { GRAPH ?h { ?o ?q ?s } } }"
)
# Domain and range typing is done in Python over two SELECTs (see _add_types): as one
# update, each property's triples were matched once per class of its domain or range.
_USES = Template(
    "SELECT DISTINCT ?p $node WHERE { VALUES ?p { $values } GRAPH ?g { ?s ?p ?o } "
    "FILTER(isIRI($node)) }"
)
_TYPES = "SELECT ?s ?c WHERE { GRAPH ?g { ?s a ?c } FILTER(isIRI(?s) && isIRI(?c)) }"


@dataclass(frozen=True)
class Inference:
    """What the reasoning stage found. `skipped` says why HermiT did not run (no Java);
    then nothing is inferred, and the build report says so."""

    consistent: bool | None
    triples_reasoned: int = 0
    inferred: int = 0
    unsatisfiable: tuple[str, ...] = ()
    blamed: tuple[str, ...] = ()  # the named graphs that make the dataset inconsistent
    skipped: str | None = None
    classes: int = 0


class PendingReasoning:
    """HermiT started on the dataset's projection file while the build validates; the
    verdict is read (and waited for) when the reasoning stage needs it."""

    def __init__(self, projection: Path) -> None:
        self._missing: ToolMissingError | None = None
        self._process: subprocess.Popen[str] | None = None
        try:
            self._process = start_hermit(projection)
        except ToolMissingError as exc:
            self._missing = exc

    def report(self) -> ReasoningReport:
        """HermiT's verdict; raises ToolMissingError without Java."""
        if self._process is None:
            raise self._missing or ToolMissingError("HermiT was not started")
        return hermit_report(self._process, 0)

    def cancel(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.communicate()


def reason(
    store: ox.Store,
    ontology: Graph,
    hermit: Hermit = run_hermit,
    pending: PendingReasoning | None = None,
) -> Inference:
    """Check consistency; on success materialise the inferences into graph/inferred.

    HermiT reads `ontology` itself, blank nodes and all: the store's copy has skolem
    IRIs in their place, which would turn each class expression into a named class.
    `pending` is a HermiT run already under way on the same triples (write_projection);
    without it HermiT runs here on the store's projection."""
    graphs = _asserted_graphs(store)
    axioms = ontology.serialize(format="nt", encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="ctld-reason-") as tmp:
        work = Path(tmp)
        try:
            if pending is not None:
                report, size = pending.report(), _size(store)
            else:
                report, size = _run(store, graphs, work / "all.nt", hermit, axioms)
        except ToolMissingError as exc:
            return Inference(None, skipped=str(exc))
        if not report.consistent:
            return Inference(False, size, blamed=_blame(store, graphs, work, hermit, axioms))
    if report.unsatisfiable:
        return Inference(True, size, unsatisfiable=report.unsatisfiable)
    inferred = materialise(store, ontology, report.ancestors)
    return Inference(True, size, inferred, classes=len(report.ancestors))


def write_projection(base: Graph, asserted: Path, target: Path) -> None:
    """What HermiT (and Jena's SHACL) read: the ontology with the authorities (`base`,
    blank nodes and all), then the article graphs without fragment nodes, as N-Triples
    (`asserted`, from ctld.build.dumps.asserted): the triples _run would take from the store, with
    literals as written."""
    with target.open("wb") as out:
        out.write(base.serialize(format="nt", encoding="utf-8"))
        with asserted.open("rb") as articles:
            shutil.copyfileobj(articles, out, 1 << 20)


def _size(store: ox.Store) -> int:
    """The number of quads outside the ontology and inferred graphs: what _run would
    hand HermiT (the store holds no fragment nodes)."""
    skip = f"{ox.NamedNode(ONTOLOGY_GRAPH)}, {ox.NamedNode(INFERRED_GRAPH)}"
    query = (
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g NOT IN ({skip})) }}"
    )
    (row,) = list(cast(ox.QuerySolutions, store.query(query)))  # a SELECT gives QuerySolutions
    return int(row["n"].value)


def materialise(
    store: ox.Store, ontology: Graph, ancestors: dict[str, tuple[str, ...]]
) -> int:
    """Inverse-property assertions, then class memberships: the domain and range classes
    of the properties used, then each asserted or derived type's superclasses. Only
    what no graph asserts goes into graph/inferred; returns its size. The memberships
    are computed as sets in Python from every (node, class) typing (one SELECT) and the
    nodes each property is used with (one SELECT per position): the same triples the
    equivalent SPARQL updates insert, at a fraction of the cost."""
    inferred = ox.NamedNode(INFERRED_GRAPH)
    graph = str(inferred)
    pairs = _inverse_pairs(ontology)
    if pairs:
        store.update(_INVERSE.substitute(graph=graph, values=_values(pairs)))
    # _TYPES is a SELECT: it gives QuerySolutions
    solutions = cast(ox.QuerySolutions, store.query(_TYPES))
    typed = {(row["s"].value, row["c"].value) for row in solutions}
    for position, rows in _typing(ontology, ancestors).items():
        if rows:
            _add_types(store, inferred, position, rows, typed)
    supers = {(node, above) for node, cls in typed for above in ancestors.get(cls, ())}
    _insert_types(store, inferred, supers - typed)
    return sum(1 for _ in store.quads_for_pattern(None, None, None, inferred))


def _add_types(
    store: ox.Store,
    inferred: ox.NamedNode,
    position: str,
    rows: Sequence[tuple[str, str]],
    typed: set[tuple[str, str]],
) -> None:
    """`node a class` in graph/inferred for each (property, class) row and each IRI at
    `position` (?s or ?o) of a triple with that property, unless some graph already
    types it so; `typed` holds every (node, class) typed so far and is kept up to date.
    The same triples the update "INSERT { node a ?c } WHERE { VALUES (?p ?c) { rows }
    GRAPH ?g { ?s ?p ?o } FILTER NOT EXISTS { GRAPH ?h { node a ?c } } }" adds."""
    classes: dict[str, list[str]] = {}
    for prop, cls in rows:
        classes.setdefault(prop, []).append(cls)
    values = " ".join(str(ox.NamedNode(p)) for p in classes)
    name = position.lstrip("?")
    wanted: set[tuple[str, str]] = set()
    # _USES is a SELECT: it gives QuerySolutions
    solutions = cast(ox.QuerySolutions, store.query(_USES.substitute(node=position, values=values)))
    for row in solutions:
        node = row[name].value
        wanted.update((node, cls) for cls in classes[row["p"].value])
    new = wanted - typed
    _insert_types(store, inferred, new)
    typed.update(new)


def _insert_types(store: ox.Store, graph: ox.NamedNode, pairs: set[tuple[str, str]]) -> None:
    rdf_type = ox.NamedNode(str(RDF.type))
    store.extend(ox.Quad(ox.NamedNode(n), rdf_type, ox.NamedNode(c), graph) for n, c in pairs)


def projection(store: ox.Store, graphs: Sequence[str]) -> Iterator[ox.Triple]:
    """The triples of `graphs` that HermiT needs: all but an article's own fragment
    nodes (annotations, targets, selectors), which are outside the ontology."""
    for graph in graphs:
        for quad in store.quads_for_pattern(None, None, None, ox.NamedNode(graph)):
            # the stub lets a subject be a Triple; pyoxigraph 0.5 (RDF 1.2) makes none
            if not is_fragment(quad.subject):  # type: ignore[arg-type]
                yield quad.triple


def _run(
    store: ox.Store, graphs: Sequence[str], path: Path, hermit: Hermit, axioms: bytes
) -> tuple[ReasoningReport, int]:
    triples = list(projection(store, graphs))
    with path.open("wb") as handle:
        handle.write(axioms)
        ox.serialize(triples, handle, ox.RdfFormat.N_TRIPLES)
    return hermit(path, len(triples) + axioms.count(b"\n")), len(triples)


def _blame(
    store: ox.Store, graphs: list[str], work: Path, hermit: Hermit, axioms: bytes
) -> tuple[str, ...]:
    """The graphs HermiT blames: the ontology with the authorities when they alone are
    inconsistent, else each article graph that is inconsistent with them, found by
    halving the set of articles (a few HermiT runs for one bad article in thousands)."""
    base = [g for g in graphs if g == AUTHORITIES_GRAPH]
    if not _run(store, base, work / "base.nt", hermit, axioms)[0].consistent:
        return (ONTOLOGY_GRAPH, *base)
    suspects = [g for g in graphs if g not in base]
    blamed: list[str] = []
    stack = [suspects]
    while stack:
        group = stack.pop()
        if not group or _run(store, base + group, work / "part.nt", hermit, axioms)[0].consistent:
            continue
        if len(group) == 1:
            blamed.append(group[0])
            continue
        half = len(group) // 2
        stack.extend([group[half:], group[:half]])
    return tuple(sorted(blamed)) or tuple(suspects)


def _asserted_graphs(store: ox.Store) -> list[str]:
    """The data graphs (the ontology is given to HermiT apart)."""
    skip = (INFERRED_GRAPH, ONTOLOGY_GRAPH)
    return sorted(g.value for g in store.named_graphs() if g.value not in skip)


def _inverse_pairs(ontology: Graph) -> list[tuple[str, str]]:
    pairs = set()
    for p, q in ontology.subject_objects(OWL.inverseOf):
        if isinstance(p, URIRef) and isinstance(q, URIRef):
            pairs.update({(str(p), str(q)), (str(q), str(p))})
    for p in ontology.subjects(RDF.type, OWL.SymmetricProperty):
        pairs.add((str(p), str(p)))
    return sorted(pairs)


def _typing(
    ontology: Graph, ancestors: dict[str, tuple[str, ...]]
) -> dict[str, list[tuple[str, str]]]:
    """(property, class) rows for the subjects (rdfs:domain) and the IRI objects of
    object properties (rdfs:range), each class with its superclasses."""
    rows: dict[str, set[tuple[str, str]]] = {"?s": set(), "?o": set()}
    for position, predicate in (("?s", RDFS.domain), ("?o", RDFS.range)):
        for prop, cls in ontology.subject_objects(predicate):
            if not isinstance(prop, URIRef) or not isinstance(cls, URIRef):
                continue  # a union (blank node) domain says nothing about each member
            if position == "?o" and (prop, RDF.type, OWL.ObjectProperty) not in ontology:
                continue
            for name in (str(cls), *ancestors.get(str(cls), ())):
                rows[position].add((str(prop), name))
    return {position: sorted(found) for position, found in rows.items()}


def _values(rows: Sequence[tuple[str, str]]) -> str:
    """A VALUES block of IRI pairs from the ontology (never user input), each written
    by pyoxigraph, so it is escaped as N-Triples."""
    return " ".join(f"({ox.NamedNode(a)} {ox.NamedNode(b)})" for a, b in rows)
