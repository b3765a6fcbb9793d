"""ctld.build.dumps.pieces: one parse of a graph gives the bytes pyoxigraph's own writers give,
and the fragment counts the tally takes from the triples."""

from __future__ import annotations

import pyoxigraph as ox

from ctld.build.dumps.canonical import DUMP_PREFIXES
from ctld.build.dumps.pieces import render_graph, render_sorted
from ctld.build.tally import FragmentTally
from ctld.core.dataset import ARTICLE_GRAPH, is_fragment, read_triples
from ctld.core.settings import Settings


def _article(settings: Settings) -> tuple[str, list]:
    path = sorted(settings.graphs_dir.glob("*.ttl"))[0]
    return f"{ARTICLE_GRAPH}{path.stem}", read_triples(path)


def test_an_article_graph_in_every_form(settings: Settings) -> None:
    graph, triples = _article(settings)
    name = ox.NamedNode(graph)
    quads = [ox.Quad(t.subject, t.predicate, t.object, name) for t in triples]
    done = render_graph(graph, triples)
    nquads = ox.serialize(quads, format=ox.RdfFormat.N_QUADS).splitlines(keepends=True)
    assert done.nquads == b"".join(sorted(nquads))
    trig = ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=DUMP_PREFIXES)
    lines = trig.splitlines(keepends=True)
    assert done.trig == b"".join(line for line in lines if not line.startswith(b"@prefix "))
    fragments = {t.triple for t in triples if is_fragment(t.subject)}
    others = {t.triple for t in triples if not is_fragment(t.subject)}
    parsed = {
        "fragments": set(ox.parse(done.fragments, format=ox.RdfFormat.N_TRIPLES)),
        "asserted": set(ox.parse(done.asserted, format=ox.RdfFormat.N_TRIPLES)),
    }
    assert {q.triple for q in parsed["fragments"]} == fragments and fragments
    assert {q.triple for q in parsed["asserted"]} == others and others
    for part in (done.fragments, done.asserted):
        lines = part.splitlines()
        assert lines == sorted(set(lines))


def test_counts_are_the_tallys(settings: Settings) -> None:
    graph, triples = _article(settings)
    tally, counted = FragmentTally(), FragmentTally()
    tally.add(graph, triples)
    counted.merge(graph, render_graph(graph, triples).counts)
    assert counted == tally and tally.triples > 0


def test_a_dumped_graph_lists_its_triples_sorted(settings: Settings) -> None:
    graph, triples = _article(settings)
    iris = sorted((t.triple for t in triples if isinstance(t.object, ox.NamedNode)), key=str)
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph)) for t in iris)
    dumped = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph))
    ordered = sorted(iris, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    assert render_sorted(graph, dumped) == render_graph(graph, ordered)
