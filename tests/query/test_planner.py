"""The join planner: which queries it may rewrite, when it does, and that a rewritten
query answers exactly what the query as sent answers."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ctld.build.run import BuildResult
from ctld.core.errors import QueryRefusedError
from ctld.query.engine import QueryRequest, StoreEngine, evaluate
from ctld.query.planner import JoinPlanner, split
from ctld.query.pool import WorkerPool
from ctld.query.store import Release, union_store

E = "http://e/"
CTLD = "https://w3id.org/ctld/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
JOIN = f"?e a <{CTLD}Event> ; <{CTLD}participant> ?p . ?p <{SKOS}prefLabel> ?l"

# (query, the stars it splits into, or None when it must run as sent)
SHAPES = [
    (f"SELECT ?e ?p ?l WHERE {{ {JOIN} }}", 2),
    (f"SELECT * {{ {JOIN} }}", 2),
    (f"SELECT (COUNT(*) AS ?n) WHERE {{ {JOIN} }}", 2),
    (f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ {JOIN} }} GROUP BY ?p ORDER BY ?n", 2),
    (f"SELECT DISTINCT ?p WHERE {{ {JOIN} }}", 2),
    ("PREFIX e: <http://e/> SELECT * WHERE { ?a e:p ?b , ?c ; e:q ?d . ?b e:r ?x }", 2),
    ("SELECT * WHERE { ?a <http://e/p> ?b . $b <http://e/q> 'x'@en }", 2),  # $b is ?b
    ('SELECT * WHERE { ?a <http://e/p> ?b . ?b <http://e/q> "1"^^<http://e/t> }', 2),
    ("SELECT * WHERE { ?a <http://e/p> ?b ; . ?b <http://e/q> ?c ; ; <http://e/r> ?d . }", 2),
    ("SELECT * WHERE { ?a ?p ?b . FILTER(?a != ?b) ?b ?q ?c FILTER regex(?c, 'x') }", 2),
    ("SELECT * WHERE { ?a ?p ?b . # } OPTIONAL {\n ?b ?q '{' }", 2),
    # one star: nothing to join
    ("SELECT * WHERE { ?a ?p ?b ; ?q ?c }", None),
    ("SELECT ?p ?o WHERE { <http://e/a> ?p ?o }", None),
    # a LIMIT keeps rows that depend on the order (and lets a nested loop stop early)
    (f"SELECT * WHERE {{ {JOIN} }} LIMIT 100", None),
    (f"SELECT * WHERE {{ {JOIN} }} ORDER BY ?l LIMIT 5", None),
    (f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ {JOIN} }} GROUP BY ?p LIMIT 5", None),
    (f"SELECT DISTINCT ?p WHERE {{ {JOIN} }} OFFSET 5", None),
    # values that depend on the order of the rows
    (f"SELECT (GROUP_CONCAT(?l) AS ?all) WHERE {{ {JOIN} }}", None),
    (f"SELECT ?p (SAMPLE(?l) AS ?one) WHERE {{ {JOIN} }} GROUP BY ?p", None),
    # anything but triples and FILTERs in the group
    ("SELECT * WHERE { ?a ?p ?b OPTIONAL { ?b ?q ?c } }", None),
    ("SELECT * WHERE { ?a ?p ?b . { ?b ?q ?c } UNION { ?b ?r ?c } }", None),
    ("SELECT * WHERE { ?a ?p ?b . ?b ?q ?c FILTER EXISTS { ?c ?r ?d } }", None),
    ("SELECT * WHERE { ?a ?p ?b . ?b ?q ?c BIND(1 AS ?d) }", None),
    ("SELECT * WHERE { ?a <http://e/p>/<http://e/q> ?b . ?b ?q ?c }", None),
    ("SELECT * WHERE { ?a <http://e/p> 42 . ?b ?q ?a }", None),
    ("SELECT * WHERE { ?a <http://e/p> _:x . ?b ?q ?a }", None),
    ("SELECT * WHERE { ?a <http://e/p> [] . ?b ?q ?a }", None),
    ("SELECT * WHERE { ?a ?p ?b . ?b ?q ?c } VALUES ?a { <http://e/a> }", 2),
    # a cartesian product stays as written
    ("SELECT * WHERE { ?a ?p ?b . ?c ?q ?d }", None),
    # other forms, datasets, and an EXISTS in the projection
    ("CONSTRUCT { ?a ?p ?b } WHERE { ?a ?p ?b . ?b ?q ?c }", None),
    ("ASK { ?a ?p ?b . ?b ?q ?c }", None),
    ("SELECT * FROM <http://e/g> WHERE { ?a ?p ?b . ?b ?q ?c }", None),
    ("SELECT (EXISTS { ?x ?y ?z } AS ?e) WHERE { ?a ?p ?b . ?b ?q ?c }", None),
]


@pytest.mark.parametrize(("text", "stars"), SHAPES, ids=[q for q, _ in SHAPES])
def test_shapes(text: str, stars: int | None) -> None:
    found = split(text)
    assert (found and len(found.stars)) == stars


def test_rewritten_text_keeps_the_rest_of_the_query() -> None:
    text = ("PREFIX e: <http://e/>\nSELECT ?a (COUNT(*) AS ?n) WHERE { ?a e:p ?b . "
            "FILTER(?b != e:x) ?b e:q ?c } GROUP BY ?a ORDER BY DESC(?n)")  # fmt: skip
    rewritten = split(text).rewritten()  # type: ignore[union-attr]
    assert rewritten.startswith("PREFIX e: <http://e/>\nSELECT ?a (COUNT(*) AS ?n) WHERE {")
    assert "{ SELECT * WHERE { ?a e:p ?b } } { SELECT * WHERE { ?b e:q ?c } }" in rewritten
    assert "FILTER(?b != e:x)" in rewritten
    assert rewritten.endswith("} GROUP BY ?a ORDER BY DESC(?n)")


def _events(count: int, labelled: int = 40) -> ox.Store:
    """`count` events with three participants each among `labelled` labelled hubs."""
    store = ox.Store()
    event, participant, label = (ox.NamedNode(CTLD + "Event"), ox.NamedNode(CTLD + "participant"),
                                 ox.NamedNode(SKOS + "prefLabel"))  # fmt: skip
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    quads = []
    for i in range(labelled):
        hub = ox.NamedNode(f"{E}org{i}")
        quads += [ox.Quad(hub, label, ox.Literal(f"org {i}", language=lang))
                  for lang in ("en", "fr")]  # fmt: skip
    for i in range(count):
        e = ox.NamedNode(f"{E}event{i}")
        quads.append(ox.Quad(e, rdf_type, event))
        quads += [ox.Quad(e, participant, ox.NamedNode(f"{E}org{(i * 7 + k) % labelled}"))
                  for k in range(3)]  # fmt: skip
    store.extend(quads)
    return store


def test_large_stars_are_hashed_selective_ones_are_not() -> None:
    store = _events(400)  # the events' star: 1,200 rows; the labels': 80
    planner = JoinPlanner(threshold=50, spread=16)
    text = f"SELECT * WHERE {{ {JOIN} }}"
    assert planner.plan(store, text) == split(text).rewritten()  # type: ignore[union-attr]
    # the labels' star is below the threshold: a loop from it is cheaper
    assert JoinPlanner(threshold=100).plan(store, text) == text
    # one star far larger than the other
    assert JoinPlanner(threshold=50, spread=10).plan(store, text) == text
    selective = f"SELECT * WHERE {{ <{E}event1> <{CTLD}participant> ?p . ?p <{SKOS}prefLabel> ?l }}"
    assert planner.plan(store, selective) == selective


def test_decisions_are_remembered_and_bounded() -> None:
    store = _events(400)
    planner = JoinPlanner(threshold=50, remembered=2)
    text = f"SELECT * WHERE {{ {JOIN} }}"
    first = planner.plan(store, text)
    store.clear()  # a planner trusts its store not to change: the decision stands
    assert planner.plan(store, text) == first != text
    for i in range(3):
        planner.plan(store, f"SELECT * WHERE {{ {JOIN} }} # {i}")
    assert planner.plan(store, text) == text  # forgotten, and decided again on no data


@pytest.mark.parametrize("text", [
    f"SELECT * WHERE {{ {JOIN} . }} }}",
    f"SELECT ?x WHERE {{ {JOIN} }} GROUP BY",
    "SELECT * WHERE { ?a <http://e/p> ?b ?c <http://e/q> ?a }",
    "SELECT * WHERE { ?a nope:p ?b . ?b <http://e/q> ?c }",
])  # fmt: skip
def test_invalid_queries_fail_as_sent(text: str) -> None:
    """A query pyoxigraph cannot parse is never rewritten: its error names its own text."""
    store = _events(400)
    planner = JoinPlanner(threshold=1)
    assert planner.plan(store, text) == text
    with pytest.raises(QueryRefusedError) as planned:
        evaluate(store, QueryRequest(text), planner=planner)
    with pytest.raises(QueryRefusedError) as plain:
        evaluate(store, QueryRequest(text))
    assert str(planned.value) == str(plain.value)


# --------------------------------------------------------------------------- same answers

_PREDICATES = [f"<{E}p{i}>" for i in range(3)]
_NODES = [f"<{E}n{i}>" for i in range(6)]
_LITERALS = ['"x"', '"x"@en', '"1"^^<http://www.w3.org/2001/XMLSchema#integer>']
_VARIABLES = ["?a", "?b", "?c", "$a", "?d"]


def _graph() -> ox.Store:
    """A small graph dense enough that random joins find rows, with hubs and literals."""
    store = ox.Store()
    triples = []
    for i, subject in enumerate(_NODES):
        for j, predicate in enumerate(_PREDICATES):
            for k, obj in enumerate(_NODES + _LITERALS):
                if (i * 5 + j * 3 + k * 2) % 4 == 0 or i == 0:
                    triples.append(f"{subject} {predicate} {obj} .")
    store.load("\n".join(triples), format=ox.RdfFormat.N_TRIPLES)
    return store


_term = st.sampled_from(_VARIABLES + _NODES)
_pattern = st.tuples(_term, st.sampled_from([*_PREDICATES, "?p", "a"]),
                     st.sampled_from(_VARIABLES + _NODES + _LITERALS))  # fmt: skip


def _rows(store: ox.Store, text: str) -> tuple[list[str], Counter]:
    answer = json.loads(evaluate(store, QueryRequest(text, limit=1_000_000)).body)
    rows = Counter(json.dumps(b, sort_keys=True) for b in answer["results"]["bindings"])
    return answer["head"]["vars"], rows


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    patterns=st.lists(_pattern, min_size=2, max_size=5),
    projection=st.sampled_from(["*", "?a ?c", "DISTINCT ?b", "(COUNT(*) AS ?n)"]),
    modifier=st.sampled_from(["", "ORDER BY ?a ?b ?c", "FILTER(?a != ?c)"]),
)
def test_rewritten_queries_answer_the_same(patterns: list, projection: str,
                                           modifier: str) -> None:  # fmt: skip
    store = _GRAPH
    body = " . ".join(" ".join(p) for p in patterns)
    filters, after = (modifier, "") if modifier.startswith("FILTER") else ("", modifier)
    text = f"SELECT {projection} WHERE {{ {body} {filters} }} {after}"
    shape = split(text)
    if shape is None:
        return
    rewritten = shape.rewritten()
    try:
        expected = _rows(store, text)
    except QueryRefusedError:  # e.g. COUNT over a projection pyoxigraph refuses
        return
    assert _rows(store, rewritten) == expected


_GRAPH = _graph()

# The syntax the property test does not generate: lists, comments, $-variables, typed
# and tagged literals, FILTER forms.
FORMS = [
    "SELECT * WHERE { ?a <http://e/p0> ?b , ?c ; <http://e/p1> ?d . ?b <http://e/p2> ?e }",
    "SELECT * WHERE { ?a <http://e/p0> ?b ; ; <http://e/p1> ?c ; . $b ?q ?a }",
    "SELECT * WHERE { ?a ?p ?b # a comment } {\n . ?b ?q ?c FILTER isIRI(?c) }",
    'PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> '
    'SELECT * WHERE { ?a ?p "x"@en . ?a ?q ?b . ?b ?r "1"^^xsd:integer }',
    "PREFIX e: <http://e/> SELECT ?a (COUNT(*) AS ?n) WHERE { ?a e:p0 ?b . ?b e:p1 ?c "
    "FILTER (?a != ?c && !sameTerm(?b, e:n1)) . } GROUP BY ?a ORDER BY ?a",
    "BASE <http://e/> SELECT * WHERE { ?a <p0> ?b . ?b <p1> ?c FILTER regex(str(?c), 'n[0-3]') }",
]


@pytest.mark.parametrize("text", FORMS)
def test_every_form_of_a_group_answers_the_same(text: str) -> None:
    shape = split(text)
    assert shape is not None and len(shape.stars) >= 2
    expected = _rows(_GRAPH, text)
    assert sum(expected[1].values()) > 0  # the comparison is not between empty answers
    assert _rows(_GRAPH, shape.rewritten()) == expected


# --------------------------------------------------------------------------- in ctld


@pytest.fixture(scope="module")
def seed_union(release: tuple[Path, BuildResult]) -> ox.Store:
    return union_store(Release(release[0] / "dist"))


def test_the_seed_release_answers_the_same(seed_union: ox.Store) -> None:
    text = f"SELECT ?e ?p ?l WHERE {{ {JOIN} }}"
    planner = JoinPlanner(threshold=1, spread=10**6)  # the seed's events are few
    assert planner.plan(seed_union, text) != text
    planned = evaluate(seed_union, QueryRequest(text), planner=planner)
    plain = evaluate(seed_union, QueryRequest(text))
    assert planned.count == plain.count > 50
    # the same rows, whatever their order
    rows = [json.loads(p.body)["results"]["bindings"] for p in (planned, plain)]
    assert sorted(map(json.dumps, rows[0])) == sorted(map(json.dumps, rows[1]))


def test_named_graphs_and_nested_groups_are_never_planned() -> None:
    """A dataset chosen by the request reads other graphs than the planner counted in."""
    store = _events(400)
    text = f"SELECT * WHERE {{ {JOIN} }}"

    class Spy(JoinPlanner):
        asked = 0

        def plan(self, store: ox.Store, text: str, base: str | None = None) -> str:
            Spy.asked += 1
            return super().plan(store, text, base)

    planner = Spy(threshold=1)
    evaluate(store, QueryRequest(text, default_graphs=(E + "g",)), planner=planner)
    evaluate(store, QueryRequest(text.replace("WHERE", f"FROM <{E}g> WHERE")), planner=planner)
    evaluate(store, QueryRequest(f"SELECT * WHERE {{ GRAPH ?g {{ {JOIN} }} }}"), planner=planner)
    # nor is a nested group, such as a packaged query's VALUES: it is never read twice
    evaluate(store, QueryRequest(f"SELECT * WHERE {{ VALUES ?e {{ <{E}event1> }} {JOIN} }}"),
             planner=planner)  # fmt: skip
    assert Spy.asked == 0
    StoreEngine(store, planner=planner).run(QueryRequest(text))
    assert Spy.asked == 1


def test_workers_plan_and_can_be_told_not_to() -> None:
    """The rows come in another order when hashed: that shows which plan a worker ran."""
    store = _events(400)
    text = f"SELECT * WHERE {{ {JOIN} }}"
    hashed = evaluate(store, QueryRequest(text), planner=JoinPlanner(threshold=50)).body
    looped = evaluate(store, QueryRequest(text)).body
    assert hashed != looped
    for planner, expected in ((lambda: JoinPlanner(threshold=50), hashed), (None, looped)):
        pool = WorkerPool(lambda: (store, None), size=1, timeout=30, planner=planner)
        pool.start()
        try:
            assert pool.run(QueryRequest(text)).body == expected
            assert pool.run(QueryRequest(text)).body == expected  # remembered
        finally:
            pool.close()
