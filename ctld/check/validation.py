"""`validate`: SHACL shapes and SPARQL quality checks over the project's files, as one
report.

`validate` is the stable entry point: it returns a typed ValidationReport, never prints,
and raises only CtldError subclasses for input it cannot read. The build validates its
assembled dataset differently, per article and in parallel (ctld.check.dataset_validation).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ctld.check.quality import load_checks, violations_in_graph
from ctld.check.shacl import shacl_violations, shapes_graph
from ctld.check.violations import ValidationReport, Violation
from ctld.core.settings import Settings
from ctld.core.sources import expand_paths, load_sources


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
        violations += violations_in_graph(sources, checks)
    violations.sort(key=_order)
    conforms = not any(v.severity == "Violation" for v in violations)
    return ValidationReport(conforms, tuple(violations), sources.files, shape_files, check_names)


def _order(v: Violation) -> tuple[str, int, str, str, str, str]:
    return (v.file or "~", v.line or 0, v.focus, v.source, v.path or "", v.message)
