"""ctld.check.dataset_validation: the build's validation, per article graph in parallel and the
checks over the whole store, gives the verdict a whole-dataset validation gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctld.build.pipeline import assemble
from ctld.check.dataset_validation import validate_dataset
from ctld.check.validation import validate
from ctld.core.settings import Settings

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


def test_a_rebuild_validates_only_what_changed(settings: Settings, tmp_path: Path) -> None:
    from ctld.check.dataset_validation import CACHE_DIR, fingerprint
    from ctld.check.shacl_cache import ResultCache
    from ctld.core.sources import expand_paths

    graphs = tmp_path / "graphs"
    graphs.mkdir()
    for path in sorted(settings.graphs_dir.glob("*.ttl"))[:2]:
        (graphs / path.name).write_bytes(path.read_bytes())
    bad = graphs / "bad.ttl"
    bad.write_text(BAD_EVENT, encoding="utf-8")
    files = sorted(graphs.glob("*.ttl"))
    shape_files = expand_paths([settings.shapes_dir])
    base = expand_paths([settings.ontology_path, settings.authorities_dir])

    def fresh() -> ResultCache:
        return ResultCache(tmp_path / CACHE_DIR, fingerprint(shape_files, base))

    def run_with(cache: ResultCache):
        store, _ = assemble(settings, files)
        return validate_dataset(settings, store, files, cache=cache)

    first_cache = fresh()
    first = run_with(first_cache)
    assert first_cache.hits == 0 and first_cache.misses == 4  # the base and three graphs
    again_cache = fresh()
    again = run_with(again_cache)
    assert again_cache.hits == 4 and again_cache.misses == 0
    assert again.violations == first.violations and not again.conforms
    bad.write_text(BAD_EVENT.replace("2019-05-01", "2019-05-20"), encoding="utf-8")
    changed_cache = fresh()
    changed = run_with(changed_cache)
    assert changed_cache.misses == 1
    assert "check:event-end-before-start" not in {v.source for v in changed.violations}
    assert "ctld:participant" in {v.path for v in changed.violations}
