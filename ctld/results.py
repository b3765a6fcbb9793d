"""Query results in the SPARQL 1.1 result formats, cut at a row limit the client is told of.

pyoxigraph serialises whole result sets; a public endpoint must stop at a cap and say
so, so SELECT results are written here row by row (JSON, XML, CSV, TSV as the W3C
result-format specs define them) and graph results by pyoxigraph's RDF serialisers
from the capped list of triples.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

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
    kept = []
    iterator = iter(rows)
    for row in iterator:
        if len(kept) == limit:
            return kept, True
        kept.append(row)
    return kept, False


_NS = "http://www.w3.org/2005/sparql-results#"


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
    out = [f'<?xml version="1.0"?>\n<sparql xmlns="{_NS}">\n<head>']
    out.extend(f"<variable name={quoteattr(name)}/>" for name in variables)
    out.append("</head>\n<results>")
    for row in rows:
        out.append("<result>")
        for index, name in enumerate(variables):
            term = row[index]
            if term is not None:
                out.append(f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>")
        out.append("</result>\n")
    out.append("</results>\n</sparql>\n")
    return "".join(out)


def _xml_term(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            kind = quoteattr(term.datatype.value)
            return f"<literal datatype={kind}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
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


def table(payload: bytes) -> tuple[list[str], list[list[object | None]]]:
    """Parses SPARQL JSON results back into terms (for pages and the command line)."""
    parsed = ox.parse_query_results(payload, format=ox.QueryResultsFormat.JSON)
    if isinstance(parsed, ox.QueryBoolean):
        return ["boolean"], [[ox.Literal("true" if bool(parsed) else "false")]]
    names = [v.value for v in parsed.variables]
    return names, [[row[i] for i in range(len(names))] for row in parsed]

