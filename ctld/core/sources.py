"""RDF source files: parsed with errors that name the file and line, and remembered so
that a report can say where a node is defined."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax

from ctld.core.errors import MissingPathError, SourceSyntaxError

# Only formats whose parsers never dereference anything: JSON-LD and RDF/XML parsers
# may fetch remote contexts or DTDs, and ctld makes no network calls it was not told to.
FORMATS = {".ttl": "turtle", ".nt": "nt", ".trig": "trig", ".nq": "nquads"}

_LINE_IN_MESSAGE = re.compile(r"\bline (\d+)", re.IGNORECASE)


def expand_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Files given directly, and the RDF files of given directories (recursively, sorted)."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in FORMATS and p.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            raise MissingPathError(path)
    seen: set[Path] = set()
    unique = []
    for file in files:
        key = file.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(file)
    return unique


def parse_file(path: Path | str, into: Graph | None = None) -> Graph:
    """Parse one file by its suffix into `into` (or a new graph)."""
    path = Path(path)
    if not path.is_file():
        raise MissingPathError(path)
    fmt = FORMATS.get(path.suffix)
    if fmt is None:
        raise SourceSyntaxError(path, None, f"unknown RDF file type {path.suffix!r}")
    graph = into if into is not None else Graph()
    try:
        data = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        line: int | None = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise SourceSyntaxError(path, line, "not valid UTF-8") from None
    try:
        graph.parse(data=data, format=fmt, publicID=path.resolve().as_uri())
    except BadSyntax as exc:
        raise SourceSyntaxError(path, exc.lines + 1, exc._why) from None
    except Exception as exc:  # rdflib's other parsers raise assorted exception types
        match = _LINE_IN_MESSAGE.search(str(exc))
        line = int(match.group(1)) if match else None
        raise SourceSyntaxError(path, line, str(exc).strip().splitlines()[0]) from None
    return graph


@dataclass
class _FileRecord:
    path: Path
    subjects: set[URIRef]
    prefixes: dict[str, str]
    lines: list[str] | None = None


@dataclass
class Sources:
    """The union of several files, and where each subject was written."""

    graph: Graph
    files: tuple[Path, ...]
    _records: list[_FileRecord] = field(default_factory=list, repr=False)

    def locate(self, node: str) -> tuple[Path, int | None] | None:
        """The first file that describes `node`, and the line where it does, if found."""
        ref = URIRef(node)
        for record in self._records:
            if ref in record.subjects:
                return record.path, _find_line(record, node)
        return None


def load_sources(paths: Iterable[Path | str]) -> Sources:
    files = expand_paths(paths)
    union = Graph()
    records = []
    for path in files:
        graph = parse_file(path)
        union += graph
        prefixes = {p: str(ns) for p, ns in graph.namespaces()}
        subjects = {s for s in graph.subjects() if isinstance(s, URIRef)}
        records.append(_FileRecord(path, subjects, prefixes))
    for prefix, namespace in _namespaces_of(records).items():
        union.bind(prefix, namespace, override=False, replace=False)
    return Sources(union, tuple(files), records)


def _namespaces_of(records: list[_FileRecord]) -> dict[str, str]:
    merged: dict[str, str] = {}
    for record in records:
        for prefix, namespace in record.prefixes.items():
            merged.setdefault(prefix, namespace)
    return merged


def _find_line(record: _FileRecord, iri: str) -> int | None:
    if record.lines is None:
        record.lines = record.path.read_text(encoding="utf-8").splitlines()
    forms = [f"<{iri}>"]
    for prefix, namespace in record.prefixes.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            forms.append(f"{prefix}:{iri[len(namespace) :]}")
    fallback = None
    for number, text in enumerate(record.lines, start=1):
        stripped = text.lstrip()
        for form in forms:
            after = stripped[len(form) : len(form) + 1]
            if stripped.startswith(form) and (after == "" or after.isspace()):
                return number
            if fallback is None and form in text:
                fallback = number
    return fallback
