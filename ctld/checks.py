"""Quality checks: SPARQL queries in sparql/checks/ whose every row is a violation.

This is the ODK convention: a check is a reviewable query file that any SPARQL engine
can run, not Python code. Each must bind ?focus and should bind ?message.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from ctld.errors import QueryFileError
from ctld.namespaces import shorten
from ctld.queryfiles import QueryFile, read_query_dir

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
    for binding in result.bindings:
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
