"""Packaged queries: the `.rq` files of sparql/queries with typed parameters.

A parameter is declared in the file's `#+ params:` metadata and given to the query as
a VALUES row, after its value has been checked against its type and turned into an
RDF term by pyoxigraph. User text never becomes query syntax, so a quote, a brace or
a newline in a value is only ever part of a literal.

```
#+ params:
#+   - name: org
#+     type: iri            # iri | string | integer | date | year
#+     description: The organization
#+     example: organization/unoct
#+     required: true       # or a default: value
```
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ctld.core.errors import ParameterError, QueryFileError, QueryRefusedError
from ctld.core.queryfiles import QueryFile, read_query_dir
from ctld.query.querytext import inspect_query, tokens, where_group, with_values

XSD = "http://www.w3.org/2001/XMLSchema#"
TYPES = ("iri", "string", "integer", "date", "year")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_RELATIVE = re.compile(r"[a-z][a-z0-9-]*/[^\s/]+")


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    description: str = ""
    required: bool = False
    default: str | None = None
    example: str | None = None

    def term(self, query: str, value: str, base_iri: str) -> ox.NamedNode | ox.Literal:
        """The RDF term for a user's value, or a ParameterError saying what is expected."""
        if not isinstance(value, str):
            raise ParameterError(query, self.name, f"{value!r} is not text")
        try:
            return _TERMS[self.type](value.strip() if self.type != "string" else value, base_iri)
        except ValueError as exc:
            raise ParameterError(query, self.name, f"{value!r} is not {_EXPECTED[self.type]}"
                                 f" ({exc})") from None  # fmt: skip


def _iri(value: str, base_iri: str) -> ox.NamedNode:
    if _RELATIVE.fullmatch(value):
        value = f"{base_iri}id/{value}"
    elif not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", value):
        raise ValueError("give an absolute IRI or kind/slug")
    return ox.NamedNode(value)


def _integer(value: str, _: str) -> ox.Literal:
    if not re.fullmatch(r"[+-]?[0-9]+", value):
        raise ValueError("digits")
    return ox.Literal(str(int(value, 10)), datatype=ox.NamedNode(XSD + "integer"))


def _date(value: str, _: str) -> ox.Literal:
    if not re.fullmatch(r"-?[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ValueError("YYYY-MM-DD")
    return ox.Literal(dt.date.fromisoformat(value).isoformat(), datatype=ox.NamedNode(XSD + "date"))


def _year(value: str, _: str) -> ox.Literal:
    if not re.fullmatch(r"-?[0-9]{4}", value):
        raise ValueError("four digits")
    return ox.Literal(value, datatype=ox.NamedNode(XSD + "gYear"))


def _string(value: str, _: str) -> ox.Literal:
    return ox.Literal(value)


_TERMS: dict[str, Callable[[str, str], ox.NamedNode | ox.Literal]] = {
    "iri": _iri,
    "string": _string,
    "integer": _integer,
    "date": _date,
    "year": _year,
}
_EXPECTED = {
    "iri": "an IRI (absolute, or kind/slug such as organization/unoct)",
    "string": "a string",
    "integer": "an integer",
    "date": "a date (YYYY-MM-DD)",
    "year": "a year (YYYY)",
}


@dataclass(frozen=True)
class PackagedQuery:
    file: QueryFile
    form: str
    parameters: tuple[Parameter, ...]

    @property
    def name(self) -> str:
        return self.file.name

    @property
    def summary(self) -> str:
        return self.file.summary

    @property
    def description(self) -> str:
        return self.file.description

    @property
    def example(self) -> dict[str, str]:
        return {p.name: p.example for p in self.parameters if p.example is not None}

    def bind(self, values: Mapping[str, str], base_iri: str) -> str:
        """The query text with the given values bound; defaults fill what is not given."""
        known = {p.name for p in self.parameters}
        for name in values:
            if name not in known:
                expected = ", ".join(sorted(known)) or "none"
                raise ParameterError(self.name, name, f"unknown parameter (expected: {expected})")
        names: list[str] = []
        terms: list[str] = []
        for parameter in self.parameters:
            value = values.get(parameter.name)
            if value is None or value == "":
                value = parameter.default
            if value is None:
                if parameter.required:
                    raise ParameterError(self.name, parameter.name, "required, not given")
                continue
            names.append(parameter.name)
            terms.append(str(parameter.term(self.name, value, base_iri)))
        return with_values(self.file.text, names, terms)


def packaged_query(file: QueryFile) -> PackagedQuery:
    """Checks a query file's metadata and form once, when the catalogue is read."""
    raw = file.metadata.get("params") or []
    if not isinstance(raw, list):
        raise QueryFileError(file.path, "'params' must be a list of parameters")
    parameters = tuple(_parameter(file.path, item) for item in raw)
    names = [p.name for p in parameters]
    if len(set(names)) != len(names):
        raise QueryFileError(file.path, "a parameter is declared twice")
    try:
        form = inspect_query(file.text).form
        if parameters:
            where_group(file.text)
    except QueryRefusedError as exc:
        raise QueryFileError(file.path, str(exc)) from None
    used = {t.text[1:] for t in tokens(file.text) if t.kind == "var"}  # not comments
    for parameter in parameters:
        if parameter.name not in used:
            raise QueryFileError(file.path, f"parameter '{parameter.name}' is not used")
    return PackagedQuery(file, form, parameters)


def _parameter(path: Path, item: Any) -> Parameter:
    if not isinstance(item, dict) or not isinstance(item.get("name"), str):
        raise QueryFileError(path, f"a parameter needs a name: {item!r}")
    name = item["name"]
    if not _NAME.fullmatch(name):
        raise QueryFileError(path, f"parameter name {name!r} is not a SPARQL variable name")
    kind = item.get("type", "string")
    if kind not in TYPES:
        raise QueryFileError(path, f"parameter '{name}': type {kind!r} not one of {TYPES}")
    unknown = set(item) - {"name", "type", "description", "required", "default", "example"}
    if unknown:
        raise QueryFileError(path, f"parameter '{name}': unknown keys {sorted(unknown)}")

    def text(key: str) -> str | None:
        value = item.get(key)
        return None if value is None else str(value)

    return Parameter(
        name=name,
        type=kind,
        description=str(item.get("description", "")).strip(),
        required=bool(item.get("required", False)),
        default=text("default"),
        example=text("example"),
    )


def read_catalog(directory: Path) -> dict[str, PackagedQuery]:
    """Every packaged query by name, in file-name order."""
    return {q.name: q for q in (packaged_query(f) for f in read_query_dir(directory))}
