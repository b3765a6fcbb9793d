"""ctld.core.dataset: the named graphs of the dataset, and a parse error that names the file
and line."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from ctld.core.dataset import (
    ARTICLE_GRAPH,
    AUTHORITIES_GRAPH,
    INFERRED_GRAPH,
    ONTOLOGY_GRAPH,
    dataset_parts,
    is_fragment,
    load_parts,
    release_graphs,
)
from ctld.core.errors import SourceSyntaxError
from ctld.core.settings import Settings


def test_parts_name_one_graph_per_article(settings: Settings) -> None:
    files = sorted(settings.graphs_dir.glob("*.ttl"))
    parts = dataset_parts(settings, files)
    assert [p.graph for p in parts[:2]] == [ONTOLOGY_GRAPH, AUTHORITIES_GRAPH]
    assert [p.graph for p in parts[2:]] == [f"{ARTICLE_GRAPH}{f.stem}" for f in files]
    store = ox.Store()
    assert load_parts(store, parts[1:]) == len(parts[1].paths) + len(files)
    graphs = sorted(g.value for g in store.named_graphs())
    assert graphs == sorted([AUTHORITIES_GRAPH, *(f"{ARTICLE_GRAPH}{f.stem}" for f in files)])


def test_a_syntax_error_names_file_and_line(settings: Settings, tmp_path: Path) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text('@prefix a: <http://a/> .\na:b a:c a:d .\na:x a:y "unterminated .\n')
    with pytest.raises(SourceSyntaxError) as caught:
        load_parts(ox.Store(), dataset_parts(settings, [bad])[2:])
    assert caught.value.path == bad and caught.value.line == 3
    assert "broken.ttl:3" in str(caught.value)


def test_release_graphs_keep_literals_as_written(settings: Settings, tmp_path: Path) -> None:
    """A pyoxigraph Store gives "007"^^xsd:nonNegativeInteger back as "7"^^xsd:integer;
    the release reads the files again, so the dumps keep what the graphs say."""
    graph = tmp_path / "a.ttl"
    graph.write_text(
        '<http://example.org/s> <http://example.org/p> '
        '"007"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger> .\n'
    )
    parts = dataset_parts(settings, [graph])
    store = ox.Store()
    load_parts(store, parts[2:])
    stored = next(iter(store)).object
    assert stored.value == "7"  # the pitfall this guards against
    graphs = dict(release_graphs(parts[2:], [], store))
    assert sorted(graphs) == [f"{ARTICLE_GRAPH}a", INFERRED_GRAPH, ONTOLOGY_GRAPH]
    (triple,) = graphs[f"{ARTICLE_GRAPH}a"]
    assert triple.object.value == "007"
    assert triple.object.datatype.value.endswith("#nonNegativeInteger")


def test_without_annotations_the_store_holds_no_fragment_node(settings: Settings) -> None:
    files = sorted(settings.graphs_dir.glob("*.ttl"))
    parts = dataset_parts(settings, files)[1:]
    full, lean = ox.Store(), ox.Store()
    load_parts(full, parts)
    load_parts(lean, parts, annotations=False)
    fragments = [q for q in full if is_fragment(q.subject)]
    assert fragments and not any(is_fragment(q.subject) for q in lean)
    assert len(lean) == len(full) - len(fragments)
