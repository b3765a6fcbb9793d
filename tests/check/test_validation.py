"""SHACL validation, driven by data: every fixture in tests/fixtures/shapes says in its
header what the validator must find (pySHACL's conformance-suite style)."""

from pathlib import Path

import pytest
from conftest import FIXTURES, header
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SH

from ctld.check.shacl import shapes_graph
from ctld.check.validation import validate
from ctld.check.violations import ValidationReport
from ctld.core.namespaces import shorten
from ctld.core.settings import Settings
from ctld.core.sources import expand_paths

SHAPE_FIXTURES = sorted((FIXTURES / "shapes").glob("*.ttl"))


def _iri(text: str) -> str:
    return text.strip().removeprefix("<").removesuffix(">")


def test_repository_conforms(settings: Settings) -> None:
    report = validate(settings)
    assert report.violations == (), "\n".join(
        f"{v.file}:{v.line} {v.focus} {v.message}" for v in report.violations[:20]
    )
    assert report.conforms
    assert len(report.checks) >= 6
    assert any(f.name == "ctld.ttl" for f in report.files)


@pytest.mark.parametrize("fixture", SHAPE_FIXTURES, ids=[p.name for p in SHAPE_FIXTURES])
def test_shape_fixture(shape_reports: dict[str, ValidationReport], fixture: Path) -> None:
    expected = header(fixture)
    assert expected.get("about"), "every fixture says what it is about"
    report = shape_reports[fixture.name]
    if expected["expect"] == "conforms":
        assert report.conforms, [v.message for v in report.violations]
        return
    assert expected["expect"] == "violation"
    assert not report.conforms
    matching = [
        v
        for v in report.violations
        if v.component == expected["component"]
        and v.shape == expected["shape"]
        and v.focus == _iri(expected["focus"])
    ]
    assert matching, [(v.focus, v.component, v.shape) for v in report.violations]
    found = matching[0]
    assert found.message and found.message != "constraint not met"
    assert found.file is not None and Path(found.file).name == fixture.name
    assert found.line is not None


def test_every_targeted_shape_has_a_bad_fixture(settings: Settings) -> None:
    shapes = shapes_graph(expand_paths([settings.shapes_dir]))
    targets = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
    named = {
        shape
        for target in targets
        for shape in shapes.subjects(target, None)
        if isinstance(shape, URIRef)
    }
    exercised = {header(p).get("shape") for p in SHAPE_FIXTURES if p.name.endswith(".bad.ttl")}
    missing = []
    for shape in sorted(named):
        owned = {shorten(str(shape))} | {
            shorten(str(p)) for p in shapes.objects(shape, SH.property) if isinstance(p, URIRef)
        }
        if not owned & exercised:
            missing.append(shorten(str(shape)))
    assert missing == []


def test_every_targeted_shape_has_a_focus_in_a_good_fixture(settings: Settings) -> None:
    """Good fixtures must exercise every shape: each target matches something in one."""
    shapes = shapes_graph(expand_paths([settings.shapes_dir]))
    goods = [p for p in SHAPE_FIXTURES if p.name.endswith(".good.ttl")]
    data = Graph().parse(settings.ontology_path)
    for path in goods:
        data.parse(path)
    idle = []
    for shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
        if not _targets_something(shapes, shape, data):
            idle.append(shorten(str(shape)))
    assert idle == []


def _targets_something(shapes: Graph, shape: URIRef, data: Graph) -> bool:
    targeted = False
    for cls in shapes.objects(shape, SH.targetClass):
        targeted = True
        query = "ASK { ?x a/rdfs:subClassOf* ?c }"
        if data.query(query, initBindings={"c": cls}).askAnswer:
            return True
    for prop in shapes.objects(shape, SH.targetSubjectsOf):
        targeted = True
        if (None, prop, None) in data:
            return True
    for prop in shapes.objects(shape, SH.targetObjectsOf):
        targeted = True
        if (None, prop, None) in data:
            return True
    for node in shapes.objects(shape, SH.targetNode):
        targeted = True
        if (node, None, None) in data or (None, None, node) in data:
            return True
    return not targeted  # shapes without a target are used through sh:node


def test_every_constraint_has_a_message(settings: Settings) -> None:
    shapes = shapes_graph(expand_paths([settings.shapes_dir]))
    shape_nodes = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(
        shapes.objects(None, SH.property)
    )
    silent = [str(s) for s in shape_nodes if shapes.value(s, SH.message) is None]
    sparql = [
        str(c) for c in shapes.objects(None, SH.sparql) if shapes.value(c, SH.message) is None
    ]
    assert silent == [] and sparql == []


def test_violation_is_located_in_the_fixture(settings: Settings, tmp_path: Path) -> None:
    data = tmp_path / "no-symbol.ttl"
    data.write_text(
        "@prefix ctld: <https://w3id.org/ctld/ontology#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n\n\n"
        "<https://w3id.org/ctld/id/resolution/s-res-9999-2030>\n"
        "    a ctld:SecurityCouncilResolution ;\n"
        '    skos:prefLabel "Security Council resolution 9999"@en .\n',
        encoding="utf-8",
    )
    report = validate(settings, [data], run_checks=False)
    assert not report.conforms
    mine = [v for v in report.violations if v.focus.endswith("s-res-9999-2030")]
    assert mine and {v.line for v in mine} == {5}
    assert all(Path(v.file or "") == data for v in mine)


def test_given_files_are_read_with_the_ontology(settings: Settings, tmp_path: Path) -> None:
    """Class targets reach subclasses only because the ontology is in the data graph."""
    data = tmp_path / "sc.ttl"
    data.write_text(
        "@prefix ctld: <https://w3id.org/ctld/ontology#> .\n"
        "<https://w3id.org/ctld/id/resolution/s-res-1-1946> a ctld:SecurityCouncilResolution .\n",
        encoding="utf-8",
    )
    report = validate(settings, [data], run_checks=False)
    assert any(v.focus.endswith("s-res-1-1946") for v in report.violations)
    assert Graph().parse(settings.ontology_path)  # the ontology itself parses
