"""SHACL with pyshacl, and the reading of any SHACL validation report (pyshacl's or
Jena's) into Violations placed in their file and line."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pyshacl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from ctld.check.violations import Violation
from ctld.core.namespaces import shorten
from ctld.core.sources import Sources, parse_file


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
