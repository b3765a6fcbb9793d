"""The Jena wrapper, and Jena as the second engine: it must parse every Turtle file."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, header, turtle_files
from rdflib import Graph
from rdflib.namespace import SH

from ctld.check.jena import Jena, _is_versioned
from ctld.check.shacl import shapes_graph
from ctld.check.violations import ValidationReport
from ctld.core.settings import Settings
from ctld.core.sources import expand_paths, load_sources


def test_versioned_jar_names_are_skipped() -> None:
    assert _is_versioned("jena-core-4.5.0.jar")
    assert not _is_versioned("jena-core.jar")
    assert not _is_versioned("jena-shacl.jar")


def test_bundles_are_copied_where_the_relocated_classes_look(jena: Jena) -> None:
    classpath = jena.classpath().split(":")
    fix = Path(classpath[-1])
    assert (fix / "xerces" / "impl" / "xpath" / "regex" / "message.properties").is_file()
    assert sum("slf4j-simple" in entry for entry in classpath) == 1
    assert not any("slf4j-jdk14" in entry or "slf4j-nop" in entry for entry in classpath)


def test_riot_validates_every_turtle_file(jena: Jena) -> None:
    """Strict validation, term checks included, of every file but the bad shape fixtures,
    some of which hold ill-typed literals on purpose; those must still parse."""
    files = [p for p in turtle_files() if not p.name.endswith(".bad.ttl")]
    result = jena.run("riot", ["--validate", *map(str, files)], timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ERROR" not in result.stderr and "WARN" not in result.stderr, result.stderr
    bad = [str(p) for p in turtle_files() if p.name.endswith(".bad.ttl")]
    result = jena.run("riot", ["--sink", "--nocheck", *bad], timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ERROR" not in result.stderr, result.stderr


def test_riot_rejects_a_broken_file(jena: Jena) -> None:
    broken = ROOT / "tests" / "fixtures" / "syntax" / "unterminated-literal.ttl"
    result = jena.run("riot", ["--validate", str(broken)], timeout=120)
    assert result.returncode != 0
    assert "ERROR" in result.stderr and "line:" in result.stderr, result.stderr


# --- two engines, one verdict -------------------------------------------------------

SHAPE_FIXTURES = sorted((FIXTURES / "shapes").glob("*.ttl"))
CHECK_FIXTURES = sorted((FIXTURES / "checks").glob("*.ttl"))


def _jena_conforms(jena: Jena, shapes: Path, data: Path) -> bool:
    """Jena's `shacl validate` exits 0 either way: the verdict is in its report."""
    result = jena.run("shacl", ["validate", "--shapes", str(shapes), "--data", str(data)])
    assert result.returncode == 0, result.stderr
    report = Graph().parse(data=result.stdout, format="turtle")
    verdicts = set(report.objects(None, SH.conforms))
    assert len(verdicts) == 1, result.stdout[:2000]
    return bool(verdicts.pop().toPython())


@pytest.fixture(scope="module")
def jena_verdicts(
    jena: Jena,
    settings: Settings,
    shape_reports: dict[str, ValidationReport],
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, tuple[bool, bool]]:
    """(pyshacl, Jena) verdicts for every fixture, on exactly the same data graph; the
    JVM runs are spread over both cores."""
    work = tmp_path_factory.mktemp("jena-shacl")
    shapes = work / "shapes.ttl"
    shapes_graph(expand_paths([settings.shapes_dir])).serialize(shapes, format="turtle")
    jobs = {}
    for fixture in SHAPE_FIXTURES:
        data = work / f"{fixture.stem}.nt"
        load_sources([settings.ontology_path, fixture]).graph.serialize(
            data, format="nt", encoding="utf-8"
        )
        jobs[fixture.name] = data
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {n: pool.submit(_jena_conforms, jena, shapes, d) for n, d in jobs.items()}
        jena_side = {name: future.result() for name, future in futures.items()}
    return {f.name: (shape_reports[f.name].conforms, jena_side[f.name]) for f in SHAPE_FIXTURES}


@pytest.mark.parametrize("fixture", SHAPE_FIXTURES, ids=[p.name for p in SHAPE_FIXTURES])
def test_pyshacl_and_jena_agree(jena_verdicts: dict[str, tuple[bool, bool]], fixture: Path) -> None:
    pyshacl_verdict, jena_verdict = jena_verdicts[fixture.name]
    assert pyshacl_verdict == jena_verdict
    assert pyshacl_verdict == (header(fixture)["expect"] == "conforms")


@pytest.mark.parametrize("fixture", CHECK_FIXTURES, ids=[p.name for p in CHECK_FIXTURES])
def test_checks_give_the_same_rows_in_jena(
    jena: Jena, settings: Settings, fixture: Path, tmp_path: Path
) -> None:
    query = settings.checks_dir / f"{fixture.name.split('.')[0]}.rq"
    result = jena.run(
        "arq",
        [
            "--data",
            str(settings.ontology_path),
            "--data",
            str(fixture),
            "--query",
            str(query),
            "--results=TSV",
        ],
    )
    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines()[1:] if line.strip()]
    assert len(set(rows)) == int(header(fixture)["expect-rows"]), result.stdout
