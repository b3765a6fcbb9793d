"""What a SPARQL request asks for, read from its tokens before any engine sees it.

The endpoint must refuse SERVICE, LOAD and updates whatever store runs the query, and
packaged queries take their parameters as a VALUES block. Both need the query's
keywords and braces as a SPARQL parser sees them: a word inside a string, an IRI, a
prefixed name or a comment is not a keyword, so a plain text search would refuse
harmless queries and let dangerous ones through.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ctld.core.errors import QueryRefusedError

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
      |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][0-9A-Za-z_\u00b7\u00c0-\uffff]+)
  | (?P<bnode>_:[0-9A-Za-z_\u00c0-\uffff][-.0-9A-Za-z_\u00b7\u00c0-\uffff]*)
  | (?P<pname>(?:[A-Za-z\u00c0-\uffff][-.0-9A-Za-z_\u00b7\u00c0-\uffff]*)?:
      (?:[-.:%0-9A-Za-z_\u00b7\u00c0-\uffff]|\\.)*)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<word>[A-Za-z_][0-9A-Za-z_]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_UPDATES = frozenset(
    ["INSERT", "DELETE", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH", "LOAD"]
)


@dataclass(frozen=True)
class SparqlToken:
    kind: str
    text: str
    start: int

    @property
    def keyword(self) -> str:
        return self.text.upper() if self.kind == "word" else ""


def tokens(text: str) -> Iterator[SparqlToken]:
    """The query's significant tokens (no spaces, no comments), with their offsets."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind not in ("space", "comment"):
            yield SparqlToken(kind, match.group(), match.start())


def position(text: str, offset: int) -> str:
    """A 1-based 'line L, column C' for an offset, as a user finds it in an editor."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


@dataclass(frozen=True)
class QueryShape:
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    dataset: bool  # the query names its own dataset with FROM or FROM NAMED
    graphs: bool  # it may read named graphs: GRAPH, FROM or FROM NAMED
    # no group inside another: no OPTIONAL, UNION, sub-SELECT or VALUES in the WHERE
    # group; only such a query can be a join the planner rewrites (ctld.query.planner)
    flat: bool = True


def inspect_query(text: str) -> QueryShape:
    """The query's form, whether it has FROM clauses and whether it can read a named
    graph; refuses what is not a read-only query.

    SERVICE is refused because it makes the server fetch from a URL the user chose;
    LOAD and the update operations because the endpoint is read-only.
    """
    form = ""
    dataset = False
    graph = False
    depth = deepest = 0
    for token in tokens(text):
        word = token.keyword
        if token.text == "{":
            depth += 1
            deepest = max(deepest, depth)
        elif token.text == "}":
            depth -= 1
        elif word == "SERVICE":
            raise QueryRefusedError(
                f"SERVICE at {position(text, token.start)} is not allowed: this endpoint "
                "never fetches data from other endpoints",
                status=400,
            )
        elif word in _UPDATES:
            raise QueryRefusedError(
                f"{word} at {position(text, token.start)} is an update operation: "
                "this endpoint is read-only",
                status=403,
            )
        elif word == "FROM" and depth == 0:
            dataset = True
        elif word == "GRAPH":
            graph = True
        elif not form and word in FORMS:
            form = word
    if not form:
        raise QueryRefusedError("not a query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    return QueryShape(form, dataset, dataset or graph, flat=deepest <= 1)


def where_group(text: str) -> int:
    """Offset just after the '{' that opens the query's WHERE clause.

    Packaged queries spell out the WHERE keyword so that this is the first '{' after
    the first WHERE at brace depth 0, whatever the query form.
    """
    depth = 0
    seen_where = False
    for token in tokens(text):
        if token.text == "{":
            if seen_where and depth == 0:
                return token.start + 1
            depth += 1
        elif token.text == "}":
            depth -= 1
        elif token.keyword == "WHERE" and depth == 0:
            seen_where = True
    raise QueryRefusedError("the query has no 'WHERE {' clause to bind parameters in")


def with_values(text: str, names: Sequence[str], terms: Sequence[str]) -> str:
    """The query with a one-row VALUES block opening its WHERE group.

    `terms` are N-Triples term serialisations made by pyoxigraph from validated
    values, so the only text inserted is terms the RDF syntax escapes; a VALUES block
    works on every SPARQL 1.1 engine, local or remote, where SEP-0007 substitution
    is pyoxigraph-only and refuses variables outside the projection.
    """
    if not names:
        return text
    at = where_group(text)
    variables = " ".join(f"?{name}" for name in names)
    block = f" VALUES ({variables}) {{ ({' '.join(terms)}) }}"
    return text[:at] + block + text[at:]
