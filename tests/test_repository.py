"""Every Turtle file of the repository is read the same way by three independent parsers."""

import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, turtle_files
from rdflib import Graph

FILES = turtle_files()


def test_the_repository_has_its_sources() -> None:
    names = {p.relative_to(ROOT).parts[0] for p in FILES}
    assert {"ontology", "shapes", "data", "tests"} <= names


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(ROOT)) for p in FILES])
def test_rdflib_and_rapper_read_the_same_triples(path: Path, rapper: str) -> None:
    graph = Graph().parse(path, format="turtle")
    result = subprocess.run(
        [rapper, "-i", "turtle", "-o", "ntriples", "-q", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Error" not in result.stderr and "Warning" not in result.stderr, result.stderr
    from_rapper = Graph().parse(data=result.stdout, format="nt")
    assert len(from_rapper) == len(graph)
    assert graph.isomorphic(from_rapper)
