"""ctld.conformance: the build's validation, per article graph in parallel and the
checks over the whole store, gives the verdict a whole-dataset validation gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctld.build import assemble
from ctld.conformance import validate_dataset
from ctld.settings import Settings
from ctld.validation import validate

BAD_EVENT = """@prefix ctld: <https://w3id.org/ctld/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/ctld/id/event/bad-1> a ctld:Conference ;
    skos:prefLabel "Conference (2019-05-16)"@en ;
    ctld:startDate "2019-05-16"^^xsd:date ;
    ctld:endDate "2019-05-01"^^xsd:date ;
    ctld:participant <https://w3id.org/ctld/id/topic/terrorism> .
"""


def run(settings: Settings, files: list[Path], jobs: int = 1, engine: str = "pyshacl"):
    store, _ = assemble(settings, files)  # as the build does: ontology included
    return validate_dataset(settings, store, files, jobs=jobs, engine=engine)


def test_the_committed_graphs_conform_in_parallel(settings: Settings) -> None:
    files = sorted(settings.graphs_dir.glob("*.ttl"))
    report = run(settings, files, jobs=2)
    assert report.conforms, report.violations[:3]
    assert len(report.checks) >= 10


@pytest.fixture(scope="module")
def bad_report(settings: Settings, tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("graphs") / "bad.ttl"
    path.write_text(BAD_EVENT, encoding="utf-8")
    return path, run(settings, [path])


def test_an_article_violation_names_its_file_and_line(bad_report) -> None:
    path, report = bad_report
    assert not report.conforms
    shacl = [v for v in report.violations if v.source == "shacl"]
    assert {v.path for v in shacl} >= {"ctld:participant"}
    assert all(v.file == str(path) and v.line == 4 for v in shacl)


def test_the_checks_run_over_the_store(bad_report) -> None:
    _, report = bad_report
    assert "check:event-end-before-start" in {v.source for v in report.violations}


def test_same_verdicts_as_validating_the_whole(settings: Settings, bad_report) -> None:
    path, report = bad_report
    whole = validate(settings, [path], context=[settings.authorities_dir])
    key = {(v.focus, v.source, v.path, v.message) for v in whole.violations}
    assert {(v.focus, v.source, v.path, v.message) for v in report.violations} == key


def test_jena_finds_what_pyshacl_finds(settings: Settings, bad_report) -> None:
    path, report = bad_report
    jena = run(settings, [path], engine="jena")
    assert not jena.conforms
    key = {(v.focus, v.source, v.path, v.file, v.line) for v in report.violations}
    assert {(v.focus, v.source, v.path, v.file, v.line) for v in jena.violations} == key


def test_jena_finds_the_committed_graphs_conformant(settings: Settings) -> None:
    report = run(settings, sorted(settings.graphs_dir.glob("*.ttl")), engine="jena")
    assert report.conforms, report.violations[:3]


def test_no_shape_reaches_an_annotation_node(settings: Settings) -> None:
    """The Jena run leaves the articles' Web Annotation nodes out; that is sound only
    while no shape targets an oa: class or names an oa: property."""
    text = "".join(p.read_text(encoding="utf-8") for p in settings.shapes_dir.glob("*.ttl"))
    assert "oa:" not in text and "http://www.w3.org/ns/oa#" not in text
