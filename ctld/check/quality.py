"""Quality checks: SPARQL queries in sparql/checks/ whose every row is a violation.

This is the ODK convention: a check is a reviewable query file that any SPARQL engine
can run, not Python code. Each must bind ?focus and should bind ?message.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.term import Identifier

from ctld.check.violations import Violation
from ctld.core.errors import QueryFileError
from ctld.core.namespaces import shorten
from ctld.core.queryfiles import QueryFile, read_query_dir
from ctld.core.sources import Sources

SEVERITIES = {"error": "Violation", "warning": "Warning", "info": "Info"}


@dataclass(frozen=True)
class Check:
    query: QueryFile
    severity: str

    @property
    def name(self) -> str:
        return self.query.name


@dataclass(frozen=True)
class CheckRow:
    focus: str
    message: str
    value: str | None = None


def load_checks(directory: Path) -> list[Check]:
    checks = []
    for query in read_query_dir(directory):
        level = str(query.metadata.get("severity", "error")).lower()
        if level not in SEVERITIES:
            raise QueryFileError(query.path, f"severity must be one of {sorted(SEVERITIES)}")
        if "?focus" not in query.text:
            raise QueryFileError(query.path, "a check must select ?focus")
        checks.append(Check(query, SEVERITIES[level]))
    return checks


def run_check(graph: Graph, check: Check) -> list[CheckRow]:
    """Rows of one check, de-duplicated and sorted so reports are stable."""
    try:
        result = graph.query(check.query.text)
    except Exception as exc:  # rdflib raises pyparsing and assorted errors for bad SPARQL
        raise QueryFileError(check.query.path, f"query failed: {exc}") from None
    rows = set()
    # keyed by rdflib Variables, a str subclass: a str finds them
    bindings = cast(Iterable[Mapping[str, Identifier]], result.bindings)
    for binding in bindings:
        focus = binding.get("focus")
        if focus is None:
            continue
        message = binding.get("message")
        value = binding.get("value")
        rows.add(
            CheckRow(
                focus=str(focus),
                message=str(message) if message is not None else check.query.summary,
                value=_render(value) if value is not None else None,
            )
        )
    return sorted(rows, key=lambda r: (r.focus, r.message, r.value or ""))


def _render(node: object) -> str:
    if isinstance(node, URIRef):
        return shorten(str(node))
    if isinstance(node, Literal):
        return node.n3()
    return str(node)


def violations_in_graph(sources: Sources, checks: Iterable[Check]) -> list[Violation]:
    """Each check over the files' rdflib graph, each row placed in its file and line."""
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


def violations_in_store(store: ox.Store, checks: Iterable[Check]) -> list[Violation]:
    """Each check over the union of all graphs, in pyoxigraph."""
    found = []
    for check in checks:
        try:
            # a check is a SELECT query: it gives QuerySolutions
            solutions = cast(
                ox.QuerySolutions, store.query(check.query.text, use_default_graph_as_union=True)
            )
        except SyntaxError as exc:
            raise QueryFileError(check.query.path, f"query failed: {exc}") from None
        names = {v.value for v in solutions.variables}
        rows = set()
        for solution in solutions:
            focus = solution["focus"] if "focus" in names else None
            if focus is None:
                continue
            message = solution["message"] if "message" in names else None
            value = solution["value"] if "value" in names else None
            text = message.value if message is not None else check.query.summary
            rows.add((focus.value, text, _store_term(value)))
        for focus, message, value in sorted(rows, key=lambda r: (r[0], r[1], r[2] or "")):
            found.append(
                Violation(focus, message, f"check:{check.name}", check.severity, value=value)
            )
    return found


def _store_term(term: object) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return shorten(term.value)
    return str(term)
