"""Query results in the SPARQL 1.1 result formats, cut at a row limit the client is told of.

pyoxigraph serialises whole result sets; a public endpoint must stop at a cap and say
so, so SELECT results are written here row by row (JSON, XML, CSV, TSV as the W3C
result-format specs define them) and graph results by pyoxigraph's RDF serialisers
from the capped list of triples.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeAlias
from xml.sax.saxutils import escape as _escape

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

# media type -> format name; the first of each kind is the default.
SOLUTION_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}


@dataclass(frozen=True)
class Payload:
    """A serialised answer: its bytes, media type, and how many rows or triples it holds."""

    body: bytes
    media_type: str
    count: int
    truncated: bool = False


def select(
    results: ox.QuerySolutions,
    media_type: str,
    limit: int,
    again: Callable[[], ox.QuerySolutions],
) -> Payload:
    """SELECT results in the format of `media_type`, with at most `limit` rows.

    pyoxigraph's own serialiser writes a result 5x as fast as Python code can (4,896
    rows of three terms: 8 ms against 45), but it writes every row. So its output is
    counted as it comes, and past the limit it is stopped and cut after the last row
    kept, then closed as the format closes. Only where JSON holds `{}` (a solution with
    no binding, or a string like one) are the boundaries uncertain: `again` then
    evaluates the query anew for `solutions`, which writes the first `limit` rows.
    """
    fmt = SOLUTION_TYPES[media_type]
    if fmt == "tsv":  # pyoxigraph's TSV abbreviates numbers as Turtle does; ctld's does not
        return solutions([v.value for v in results.variables], results, media_type, limit)
    counter = RowCounter(fmt, limit)
    try:
        # the stub asks for IO[bytes], but pyoxigraph only calls the writer's write()
        results.serialize(counter, format=_OX_FORMATS[fmt])  # type: ignore[arg-type]
    except OSError:
        if not counter.past:
            raise
    rows = counter.total()
    if rows <= limit:
        return Payload(counter.body(), media_type, rows)
    cut = counter.cut()
    if cut is not None:
        return Payload(cut, media_type, limit, truncated=True)
    answer = again()
    return solutions([v.value for v in answer.variables], answer, media_type, limit)


class RowCounter:
    """A binary writer for pyoxigraph's result serialiser that keeps what it is given
    and counts the solutions in it, from patterns that only a row boundary can make in
    that serialiser's output (escaping keeps them out of strings); it raises once the
    limit is passed. Each pattern begins with a literal, which the regular expression
    engine finds at memory speed, and nothing is copied: at 1.2 MB an answer, copies
    and slower scans had cost a third of the serialising."""

    def __init__(self, fmt: str, limit: int) -> None:
        self.fmt = fmt
        self.limit = limit
        self.chunks: list[bytes] = []
        self.rows = -_HEADER_LINES.get(fmt, 0)
        self.past = False
        self._tail = b""  # the end of the previous chunk, for patterns split between two
        self._quoted = False
        self._first = False  # JSON: the first solution is seen
        self._empty = False  # JSON: a solution with no binding is seen (or a string like one)
        # Chunks are counted a batch at a time, a batch twice as large as the last, up to
        # 1 MiB: pyoxigraph writes 8 KiB at a time, and three scans per chunk were 15 ms
        # of a 12.6 MB answer's 100; a small limit is still found past in the first 8 KiB.
        self._counted = 0  # chunks counted so far
        self._pending = 0  # bytes written and not counted
        self._batch = 8192

    def write(self, chunk: bytes) -> int:
        data = bytes(chunk)  # pyoxigraph gives bytes: no copy
        self.chunks.append(data)
        self._pending += len(data)
        if self._pending >= self._batch:
            self._batch = min(2 * self._batch, 1 << 20)
            self._count_pending()
            if self.past:
                raise OSError("past the row limit")
        return len(data)

    def flush(self) -> None:
        pass

    def _count_pending(self) -> None:
        batch = self.chunks[self._counted :]
        self._counted = len(self.chunks)
        self._pending = 0
        data = batch[0] if len(batch) == 1 else b"".join(batch)
        if not data:
            return
        if self.fmt == "csv":
            self.rows += self._csv(data)
        else:
            # a pattern split between chunks: in their joint, neither in one nor the other
            head = data[:8]
            joint = self._count(self._tail + head) - self._count(self._tail) - self._count(head)
            self.rows += self._count(data) + joint
            self._tail = (self._tail + head)[-8:] if len(data) < 8 else data[-8:]
        self.past = self.rows > self.limit

    def _count(self, data: bytes) -> int:
        if self.fmt == "xml":
            return data.count(b"<result>") + data.count(b"<result/>")
        found = _JSON_ROW.findall(data)
        if not self._first:  # the first `[{` is where the solutions begin
            first = _JSON_FIRST.search(data)
            if first:
                self._first = True
                found.append(b",{}" if first.group() == b"[{}" else first.group())
        if not self._empty and b",{}" in found:
            self._empty = True
        return len(found)

    def _csv(self, data: bytes) -> int:
        if not self._quoted and b'"' not in data:
            return data.count(b"\n")
        lines = 0
        for mark in _CSV_MARKS.findall(data):
            if mark == b'"':
                self._quoted = not self._quoted  # "" inside a field toggles twice
            elif not self._quoted:
                lines += 1
        return lines

    def body(self) -> bytes:
        return b"".join(self.chunks)

    def cut(self) -> bytes | None:
        """The answer stopped past the limit, cut to its first `limit` rows and closed:
        the bytes ctld's writers give for those rows. None where the boundaries are
        uncertain (JSON with `{}`). One more pass over what was written replaces a
        second evaluation and Python's writers."""
        body = self.body()
        if self.fmt == "csv":
            return _cut_csv(body, self.limit + _HEADER_LINES["csv"])
        if self.fmt == "xml":
            return _cut_before(body, _XML_ROW.finditer(body), self.limit, b"</results></sparql>")
        first = None if self._empty else _JSON_FIRST.search(body)
        if first is None:
            return None
        if self.limit == 0:
            return body[: first.start() + 1] + b"]}}"
        # the first row opens with `[{`, each later one with `,{`
        return _cut_before(body, _JSON_ROW.finditer(body, first.end()), self.limit - 1, b"]}}")

    def total(self) -> int:
        """The exact count: JSON's patterns miss solutions with no binding (`{}`), so an
        answer that has the two bytes anywhere is counted by parsing it."""
        if self._pending:
            self._count_pending()
        if self.past:
            return self.limit + 1
        if self._empty:
            return len(json.loads(self.body())["results"]["bindings"])
        return self.rows


# A JSON solution opens as `[{"x` or `,{"x`, with its first variable: only solutions are
# objects in an array. pyoxigraph escapes a quote inside a string, so `{"` is a key's
# opening quote unless the quote ends a string, and then `,` `}` `]` or `:` follows it.
# A solution with no binding is `[{}` or `,{}`, which a string may hold too: an answer
# with one is counted by parsing it. In XML, `<` in text is always `&lt;`.
_JSON_ROW = re.compile(rb',\{(?:"[^,}\]:]|\})')
_JSON_FIRST = re.compile(rb'\[\{(?:"[^,}\]:]|\})')
_CSV_MARKS = re.compile(rb'["\n]')
_XML_ROW = re.compile(rb"<result/?>")


def _cut_csv(body: bytes, lines: int) -> bytes | None:
    """`body` up to the end of its line number `lines` (from 1), line breaks in quoted
    fields apart."""
    quoted = False
    for mark in _CSV_MARKS.finditer(body):
        if mark.group() == b'"':
            quoted = not quoted
        elif not quoted:
            lines -= 1
            if lines == 0:
                return body[: mark.end()]
    return None


def _cut_before(body: bytes, starts: Iterable[re.Match], index: int, close: bytes) -> bytes | None:
    """`body` up to the start of its row number `index` (from 0), then `close`."""
    for number, start in enumerate(starts):
        if number == index:
            return body[: start.start()] + close
    return None


_HEADER_LINES = {"csv": 1}
_OX_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
}


def solutions(
    variables: Sequence[str], rows: Iterable[ox.QuerySolution], media_type: str, limit: int
) -> Payload:
    """SELECT results in the format of `media_type`, with at most `limit` rows."""
    kept, truncated = _take(rows, limit)
    fmt = SOLUTION_TYPES[media_type]
    body = _WRITERS[fmt](variables, kept)
    return Payload(body.encode("utf-8"), media_type, len(kept), truncated)


def boolean(value: bool, media_type: str) -> Payload:
    fmt = SOLUTION_TYPES[media_type]
    word = "true" if value else "false"
    if fmt == "json":
        body = json.dumps({"head": {}, "boolean": value})
    elif fmt == "xml":
        head = f'<?xml version="1.0"?>\n<sparql xmlns="{_NS}"><head/>'
        body = f"{head}<boolean>{word}</boolean></sparql>\n"
    else:
        body = f"{word}\n"
    return Payload(body.encode("utf-8"), media_type, 1)


def triples(
    rows: Iterable[ox.Triple], media_type: str, limit: int, prefixes: dict[str, str]
) -> Payload:
    """CONSTRUCT and DESCRIBE results, sorted so the same answer is the same bytes."""
    kept, truncated = _take(rows, limit)
    kept = [ox.Triple(t.subject, t.predicate, t.object) for t in kept]
    kept.sort(key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    fmt = GRAPH_TYPES[media_type]
    data: list = kept
    if fmt in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS):
        data = [ox.Quad(t.subject, t.predicate, t.object) for t in kept]
    usable = {} if fmt in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS) else prefixes
    body = ox.serialize(data, format=fmt, prefixes=usable) or b""
    return Payload(body, media_type, len(kept), truncated)


def _take(rows: Iterable, limit: int) -> tuple[list, bool]:
    kept: list = []
    iterator = iter(rows)
    for row in iterator:
        if len(kept) == limit:
            return kept, True
        kept.append(row)
    return kept, False


_NS = "http://www.w3.org/2005/sparql-results#"

_QUOTES = {'"': "&quot;", "'": "&apos;"}


def _text(text: str) -> str:
    """XML text escaped as pyoxigraph's writer escapes it: quotes too, and whitespace
    at either end as character references (a reader may not trim those)."""
    escaped = _escape(text, _QUOTES)
    core = escaped.strip(_SPACE)
    if core == escaped:
        return escaped
    lead = escaped[: len(escaped) - len(escaped.lstrip(_SPACE))]
    trail = escaped[len(lead) + len(core) :]
    return "".join(f"&#{ord(c)};" for c in lead) + core + "".join(f"&#{ord(c)};" for c in trail)


_SPACE = " \t\n\r"


def _attr(value: str) -> str:
    return f'"{_text(value)}"'


def _json(variables: Sequence[str], rows: list[ox.QuerySolution]) -> str:
    bindings = []
    for row in rows:
        binding = {}
        for index, name in enumerate(variables):
            term = row[index]
            if term is not None:
                binding[name] = _json_term(term)
        bindings.append(binding)
    document = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def _json_term(term: object) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(term.subject),
                "predicate": _json_term(term.predicate),
                "object": _json_term(term.object),
            },
        }
    raise TypeError(f"not an RDF term: {term!r}")


def _xml(variables: Sequence[str], rows: list[ox.QuerySolution]) -> str:
    """The bytes pyoxigraph's XML writer gives, so a cut answer reads like a whole one."""
    out = [f'<?xml version="1.0"?><sparql xmlns="{_NS}"><head>']
    out.extend(f"<variable name={_attr(name)}/>" for name in variables)
    out.append("</head><results>")
    for row in rows:
        out.append("<result>")
        for index, name in enumerate(variables):
            term = row[index]
            if term is not None:
                out.append(f"<binding name={_attr(name)}>{_xml_term(term)}</binding>")
        out.append("</result>")
    out.append("</results></sparql>")
    return "".join(out)


def _xml_term(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{_text(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_text(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={_attr(term.language)}>{_text(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            kind = _attr(term.datatype.value)
            return f"<literal datatype={kind}>{_text(term.value)}</literal>"
        return f"<literal>{_text(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        parts = zip(("subject", "predicate", "object"), term, strict=True)
        inner = "".join(f"<{k}>{_xml_term(v)}</{k}>" for k, v in parts)
        return f"<triple>{inner}</triple>"
    raise TypeError(f"not an RDF term: {term!r}")


def _csv(variables: Sequence[str], rows: list[ox.QuerySolution]) -> str:
    lines = [",".join(_csv_field(v) for v in variables)]
    for row in rows:
        lines.append(",".join(_csv_field(_csv_value(row[i])) for i in range(len(variables))))
    return "\r\n".join(lines) + "\r\n"


def _csv_value(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def _csv_field(text: str) -> str:
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _tsv(variables: Sequence[str], rows: list[ox.QuerySolution]) -> str:
    lines = ["\t".join(f"?{v}" for v in variables)]
    for row in rows:
        lines.append("\t".join(_tsv_value(row[i]) for i in range(len(variables))))
    return "\n".join(lines) + "\n"


def _tsv_value(term: object) -> str:
    if term is None:
        return ""
    return str(term).replace("\t", "\\t")


_WRITERS = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}


# A term with a `.value`: any term a result holds but a triple term (RDF 1.2), which
# ctld's data and its packaged queries never make.
ValueTerm: TypeAlias = ox.NamedNode | ox.BlankNode | ox.Literal


def table(payload: bytes) -> tuple[list[str], list[list[object | None]]]:
    """Parses SPARQL JSON results back into terms (for pages and the command line)."""
    parsed = ox.parse_query_results(payload, format=ox.QueryResultsFormat.JSON)
    if isinstance(parsed, ox.QueryBoolean):
        return ["boolean"], [[ox.Literal("true" if bool(parsed) else "false")]]
    names = [v.value for v in parsed.variables]
    return names, [[row[i] for i in range(len(names))] for row in parsed]
