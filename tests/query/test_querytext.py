"""The query inspector decides what reaches the engine: a word counts as a keyword only
where a SPARQL parser would read one."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from ctld.core.errors import QueryRefusedError
from ctld.query.querytext import inspect_query, position, tokens, where_group, with_values


@pytest.mark.parametrize(
    ("text", "form", "dataset", "graphs"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT", False, False),
        ("PREFIX ex: <http://e/>\nask { ex:a ?p ?o }", "ASK", False, False),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT", False, False),
        ("DESCRIBE <http://e/a>", "DESCRIBE", False, False),
        ("SELECT * FROM <http://e/g> WHERE { ?s ?p ?o }", "SELECT", True, True),
        ("SELECT * FROM NAMED <http://e/g> WHERE { GRAPH ?g { ?s ?p ?o } }", "SELECT", True, True),
        ("SELECT * WHERE { graph ?g { ?s ?p ?o } }", "SELECT", False, True),
        ("SELECT * WHERE { ?s ?p ?o FILTER EXISTS { GRAPH <http://e/g> { ?s ?p ?o } } }",
         "SELECT", False, True),
        # keywords inside strings, IRIs, prefixed names, comments and variables are data
        ('SELECT * WHERE { ?s ?p "SERVICE LOAD INSERT GRAPH" }', "SELECT", False, False),
        ("SELECT * WHERE { ?s ?p '''DROP\nALL''' }", "SELECT", False, False),
        ("SELECT * WHERE { ?s <http://e/LOAD> ?o }", "SELECT", False, False),
        ("PREFIX service: <http://e/>\nSELECT * WHERE { ?s service:load ?o }", "SELECT", False,
         False),
        ("PREFIX graph: <http://e/>\nSELECT * WHERE { ?s graph:x ?graph }", "SELECT", False,
         False),
        ("# INSERT DATA { }\nSELECT ?insert WHERE { ?insert ?p ?o }", "SELECT", False, False),
        ("# GRAPH ?g { }\nSELECT * WHERE { ?s <http://e/GRAPH> ?o }", "SELECT", False, False),
        ('SELECT * WHERE { ?s ?p "x"@load }', "SELECT", False, False),
        ("SELECT * WHERE { _:drop ?p ?o }", "SELECT", False, False),
    ],
)
def test_inspect(text: str, form: str, dataset: bool, graphs: bool) -> None:
    """`graphs` decides which store answers (ctld.query.engine.evaluate): a query that can
    read a named graph must never be sent to the union-only store."""
    shape = inspect_query(text)
    assert (shape.form, shape.dataset, shape.graphs) == (form, dataset, graphs)


@pytest.mark.parametrize(
    ("text", "flat"),
    [
        ("SELECT * WHERE { ?s ?p ?o . ?o ?q ?r }", True),
        ("SELECT * WHERE { ?s ?p ?o } VALUES ?s { <http://e/a> }", True),
        ("SELECT * WHERE { ?s ?p '{' # {\n }", True),
        ("SELECT * WHERE { VALUES ?s { <http://e/a> } ?s ?p ?o }", False),
        ("SELECT * WHERE { ?s ?p ?o OPTIONAL { ?o ?q ?r } }", False),
        ("SELECT * WHERE { { SELECT ?s WHERE { ?s ?p ?o } } }", False),
    ],
)
def test_flat(text: str, flat: bool) -> None:
    """Only a flat query goes to the join planner, which reads the tokens again."""
    assert inspect_query(text).flat is flat


@pytest.mark.parametrize(
    ("text", "word", "status"),
    [
        ("INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }", "INSERT", 403),
        ("DELETE WHERE { ?s ?p ?o }", "DELETE", 403),
        ("PREFIX e: <http://e/>\nDROP ALL", "DROP", 403),
        ("LOAD <http://127.0.0.1:9/x>", "LOAD", 403),
        ("CLEAR DEFAULT", "CLEAR", 403),
        ("WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH", 403),
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE", 400),
        ("SELECT * WHERE { service silent <http://e/> { ?s ?p ?o } }", "SERVICE", 400),
        ("SELECT ?x WHERE { ?x ?p ?o } ; INSERT DATA { }", "INSERT", 403),
    ],
)
def test_refused(text: str, word: str, status: int) -> None:
    with pytest.raises(QueryRefusedError) as caught:
        inspect_query(text)
    assert word in str(caught.value)
    assert "line" in str(caught.value)
    assert caught.value.status == status


def test_not_a_query() -> None:
    with pytest.raises(QueryRefusedError, match="not a query"):
        inspect_query("PREFIX e: <http://e/>")


def test_less_than_is_not_an_iri() -> None:
    kinds = [t.kind for t in tokens("FILTER(?a<?b && ?c > 3)")]
    assert "iri" not in kinds


def test_position_is_one_based() -> None:
    text = "SELECT\n  * WHERE"
    assert position(text, text.index("*")) == "line 2, column 3"


def test_where_group_skips_templates_and_subqueries() -> None:
    text = "CONSTRUCT { ?s ?p ?o } WHERE { { SELECT ?s WHERE { ?s ?p ?o } } ?s ?p ?o }"
    assert text[where_group(text) - 1 :].startswith("{ { SELECT")
    with pytest.raises(QueryRefusedError, match="WHERE"):
        where_group("SELECT * { ?s ?p ?o }")


@pytest.mark.parametrize(
    "value",
    ['a"b', "}", "line\nbreak", "#", "'", "back\\slash", '"} } ; DROP ALL #', "€ и 中"],
)
def test_values_are_terms_not_syntax(value: str) -> None:
    store = ox.Store()
    node = ox.NamedNode("http://e/a")
    store.add(ox.Quad(node, ox.NamedNode("http://e/p"), ox.Literal(value)))
    store.add(ox.Quad(node, ox.NamedNode("http://e/p"), ox.Literal("other")))
    text = with_values("SELECT ?s WHERE { ?s <http://e/p> ?v }", ["v"], [str(ox.Literal(value))])
    inspect_query(text)
    rows = list(store.query(text))
    assert [r["s"] for r in rows] == [node]
