"""SHACL shapes and SPARQL quality checks over the project's graphs, as one report.

`validate` is the stable entry point: it returns a typed ValidationReport, never prints,
and raises only CtldError subclasses for input it cannot read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pyshacl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from ctld.checks import Check, load_checks, run_check
from ctld.namespaces import shorten
from ctld.settings import Settings
from ctld.sources import Sources, expand_paths, load_sources, parse_file


@dataclass(frozen=True)
class Violation:
    """One problem: a focus node, what is wrong with it, and where it is written."""

    focus: str
    message: str
    source: str  # "shacl" or "check:<name>"
    severity: str = "Violation"
    path: str | None = None
    value: str | None = None
    component: str | None = None
    shape: str | None = None
    file: str | None = None
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    violations: tuple[Violation, ...]
    files: tuple[Path, ...]
    shapes: tuple[Path, ...]
    checks: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "conforms": self.conforms,
            "files": [str(f) for f in self.files],
            "shapes": [str(f) for f in self.shapes],
            "checks": list(self.checks),
            "violations": [v.to_dict() for v in self.violations],
        }


def default_paths(settings: Settings) -> list[Path]:
    """What `ctld validate` checks when given no paths: the ontology, the authorities
    and the per-article graphs."""
    paths = [settings.ontology_path, settings.authorities_dir]
    if settings.graphs_dir.is_dir():
        paths.append(settings.graphs_dir)
    return paths


def validate(
    settings: Settings,
    paths: Sequence[Path | str] | None = None,
    *,
    context: Sequence[Path | str] = (),
    run_shapes: bool = True,
    run_checks: bool = True,
) -> ValidationReport:
    """Validate the given files (or the whole project) against shapes/ and sparql/checks/.

    Given files are read together with the ontology, whose class hierarchy SHACL class
    targets follow, and with any `context` (the authorities, for an article graph that
    points to them); without paths, the whole project is validated."""
    if paths:
        sources = load_sources([settings.ontology_path, *context, *paths])
    else:
        sources = load_sources([*default_paths(settings), *context])
    violations: list[Violation] = []
    shape_files: tuple[Path, ...] = ()
    check_names: tuple[str, ...] = ()
    if run_shapes:
        shape_files = tuple(expand_paths([settings.shapes_dir]))
        violations += shacl_violations(sources, shapes_graph(shape_files))
    if run_checks:
        checks = load_checks(settings.checks_dir)
        check_names = tuple(c.name for c in checks)
        violations += check_violations(sources, checks)
    violations.sort(key=_order)
    conforms = not any(v.severity == "Violation" for v in violations)
    return ValidationReport(conforms, tuple(violations), sources.files, shape_files, check_names)


def shapes_graph(files: Iterable[Path]) -> Graph:
    graph = Graph()
    for path in files:
        parse_file(path, into=graph)
    return graph


def shacl_violations(
    sources: Sources, shapes: Graph, focus: Sequence[URIRef] | None = None
) -> list[Violation]:
    """pyshacl's results as Violations; with `focus`, only those nodes are validated."""
    _, results, _ = pyshacl.validate(
        sources.graph,
        shacl_graph=shapes,
        inference="none",
        advanced=False,
        allow_warnings=True,
        abort_on_first=False,
        focus_nodes=list(focus) if focus is not None else None,
    )
    return report_violations(results, sources.locate)


def report_violations(
    results: Graph, locate: Callable[[str], tuple[Path, int | None] | None]
) -> list[Violation]:
    """The sh:ValidationResults of a SHACL report (pyshacl's or Jena's) as Violations,
    each placed in its file and line by `locate`."""
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = str(results.value(result, SH.focusNode))
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        severity = results.value(result, SH.resultSeverity)
        shape = results.value(result, SH.sourceShape)
        component = results.value(result, SH.sourceConstraintComponent)
        where = locate(focus)
        found.append(
            Violation(
                focus=focus,
                message=_message(results, result),
                source="shacl",
                severity=_local(severity) if severity is not None else "Violation",
                path=shorten(str(path)) if isinstance(path, URIRef) else None,
                value=_term(value) if value is not None else None,
                component=shorten(str(component)) if component is not None else None,
                shape=shorten(str(shape)) if isinstance(shape, URIRef) else None,
                file=str(where[0]) if where else None,
                line=where[1] if where else None,
            )
        )
    return found


def check_violations(sources: Sources, checks: Iterable[Check]) -> list[Violation]:
    found = []
    for check in checks:
        for row in run_check(sources.graph, check):
            where = sources.locate(row.focus)
            found.append(
                Violation(
                    focus=row.focus,
                    message=row.message,
                    source=f"check:{check.name}",
                    severity=check.severity,
                    value=row.value,
                    file=str(where[0]) if where else None,
                    line=where[1] if where else None,
                )
            )
    return found


def _message(results: Graph, result: Any) -> str:
    messages = sorted(results.objects(result, SH.resultMessage), key=_english_first)
    return str(messages[0]) if messages else "constraint not met"


def _english_first(message: Any) -> tuple[int, str]:
    lang = getattr(message, "language", None)
    return (0 if lang in (None, "en") else 1, str(message))


def _local(iri: Any) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1]


def _term(node: Any) -> str:
    if isinstance(node, URIRef):
        return shorten(str(node))
    if isinstance(node, Literal):
        return node.n3()
    return str(node)


def _order(v: Violation) -> tuple[str, int, str, str, str, str]:
    return (v.file or "~", v.line or 0, v.focus, v.source, v.path or "", v.message)
