"""Article graphs: provenance for every fact, offsets that point at the quoted text,
no blank nodes, SHACL-conformant, and the same bytes on every run."""

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from rdflib import RDF, BNode, Graph, Namespace, URIRef

from ctld.check.validation import validate
from ctld.core.namespaces import CTLD
from ctld.core.settings import Settings
from ctld.extract.articles import read_article
from ctld.extract.extractor import Extractor
from ctld.extract.graph import graph_iri, serialize

OA = Namespace("http://www.w3.org/ns/oa#")
PROV = Namespace("http://www.w3.org/ns/prov#")
ARTICLES = sorted((ROOT / "data" / "articles").glob("*.txt"))


@pytest.fixture(scope="module")
def graphs(extractor: Extractor) -> dict[str, tuple[str, Graph, bytes]]:
    out = {}
    for path in ARTICLES:
        article = read_article(path)
        data = serialize(extractor.extract(article))
        out[article.id] = (article.text, Graph().parse(data=data, format="turtle"), data)
    return out


@pytest.mark.parametrize("path", ARTICLES, ids=[p.stem for p in ARTICLES])
def test_every_selector_points_at_its_quote(graphs, path: Path) -> None:
    text, graph, _ = graphs[path.stem]
    targets = list(graph.subjects(RDF.type, OA.SpecificResource))
    assert len(targets) > 20
    for target in targets:
        quote = position = None
        for selector in graph.objects(target, OA.hasSelector):
            if (selector, RDF.type, OA.TextQuoteSelector) in graph:
                quote = selector
            if (selector, RDF.type, OA.TextPositionSelector) in graph:
                position = selector
        start = graph.value(position, OA.start).toPython()
        end = graph.value(position, OA.end).toPython()
        assert text[start:end] == str(graph.value(quote, OA.exact))
        article = URIRef(f"https://w3id.org/ctld/id/article/{path.stem}")
        assert (target, OA.hasSource, article) in graph


@pytest.mark.parametrize("path", ARTICLES, ids=[p.stem for p in ARTICLES])
def test_provenance_and_evidence(graphs, path: Path) -> None:
    _, graph, _ = graphs[path.stem]
    article = URIRef(f"https://w3id.org/ctld/id/article/{path.stem}")
    assert (URIRef(graph_iri(path.stem)), PROV.wasDerivedFrom, article) in graph
    assert not any(isinstance(term, BNode) for triple in graph for term in triple)
    evidenced = set(graph.objects(None, OA.hasBody))
    for fact in graph.objects(article, CTLD.reports):
        assert fact in evidenced, fact
    for entity in graph.objects(article, CTLD.mentions):
        assert entity in evidenced, entity


@pytest.mark.parametrize("path", ARTICLES, ids=[p.stem for p in ARTICLES])
def test_graph_conforms(settings: Settings, path: Path, tmp_path: Path, graphs) -> None:
    target = tmp_path / f"{path.stem}.ttl"
    target.write_bytes(graphs[path.stem][2])
    report = validate(settings, [target], context=[settings.authorities_dir])
    assert report.conforms, [(v.focus, v.message) for v in report.violations[:5]]


@pytest.mark.parametrize("path", ARTICLES, ids=[p.stem for p in ARTICLES])
def test_committed_graphs_are_what_extract_writes(settings: Settings, graphs, path) -> None:
    committed = settings.graphs_dir / f"{path.stem}.ttl"
    assert committed.read_bytes() == graphs[path.stem][2], "run `ctld extract` and commit"


def test_same_bytes_in_another_process(graphs) -> None:
    """Hash randomisation differs between processes; the output must not."""
    code = (
        "import sys; from pathlib import Path; from ctld.core.settings import Settings; "
        "from ctld.extract.extractor import Extractor; "
        "from ctld.extract.articles import read_article; "
        "from ctld.extract.graph import serialize; "
        "e = Extractor.from_settings(Settings.discover(sys.argv[1])); "
        "sys.stdout.buffer.write(serialize(e.extract(read_article(Path(sys.argv[2])))))"
    )
    path = ARTICLES[1]
    for seed in ("1", "2"):
        result = subprocess.run(
            [sys.executable, "-c", code, str(ROOT), str(path)],
            capture_output=True, check=True, env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin"},
            cwd=ROOT,
        )  # fmt: skip
        assert result.stdout == graphs[path.stem][2]


def test_graphs_of_other_articles_conform(
    settings: Settings, extractor: Extractor, tmp_path: Path
) -> None:
    """Graphs of the development and held-out articles (unknown officials, minted roles
    and posts, General Assembly resolutions outside the authorities) pass the shapes and
    the quality checks too, together with the authorities."""
    others = sorted((ROOT / "tests").glob("*/articles/*.txt"))
    assert len(others) >= 10
    for path in others:
        article = read_article(path)
        (tmp_path / f"{article.id}.ttl").write_bytes(serialize(extractor.extract(article)))
    report = validate(settings, [tmp_path], context=[settings.authorities_dir])
    assert report.conforms, [(v.focus, v.message) for v in report.violations[:5]]
