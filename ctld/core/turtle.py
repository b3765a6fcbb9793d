"""A small Turtle writer for ctld's own triples.

Article graphs are many small documents written in bulk (the extraction benchmark
writes 1,000 of them a run), and building an RDF library's term objects for each
triple cost more than everything else in extraction. Writing the text directly from
sorted tuples is several times faster, keeps the output byte-identical across runs,
and every string is escaped by the rules of the Turtle grammar (ECHAR and UCHAR), so
any article text, control characters and quotes included, makes valid Turtle. The
tests parse every graph back with rdflib, Jena and rapper.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# An object: ("iri", iri, "") | ("text", value, language or "") | ("typed", value, datatype)
Object = tuple[str, str, str]
Triple = tuple[str, str, Object]

_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?$")
_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    return _ESCAPES.get(char) or f"\\u{ord(char):04X}"


def literal(value: str) -> str:
    return '"' + _NEEDS_ESCAPE.sub(_escape_char, value) + '"'


class Writer:
    """Writes triples grouped by subject and predicate, with the given prefixes."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self._prefixes = sorted(prefixes.items())
        self._by_namespace = {namespace: prefix for prefix, namespace in prefixes.items()}
        self._written: dict[str, str] = {}
        self._predicates: dict[str, str] = {}

    def iri(self, iri: str) -> str:
        """A prefixed name when the namespace ends at the last "/" or "#", else <iri>."""
        written = self._written.get(iri)
        if written is None:
            written = self._written[iri] = self._iri(iri)
        return written

    def _iri(self, iri: str) -> str:
        if _IRI_FORBIDDEN.search(iri):
            raise ValueError(f"not an IRI that can be written: {iri!r}")
        cut = max(iri.rfind("/"), iri.rfind("#")) + 1
        prefix = self._by_namespace.get(iri[:cut])
        if prefix is not None and _LOCAL.match(iri, cut):
            return f"{prefix}:{iri[cut:]}"
        return f"<{iri}>"

    def term(self, obj: Object) -> str:
        kind, value, extra = obj
        if kind == "iri":
            return self.iri(value)
        if kind == "text":
            return literal(value) + (f"@{extra}" if extra else "")
        return f"{literal(value)}^^{self.iri(extra)}"

    def write(self, triples: Iterable[Triple], nodes: Iterable[tuple[str, str]] = ()) -> str:
        """The triples grouped by subject, and `nodes` (subject IRI, its statement from
        `node`), all in subject order."""
        out = [f"@prefix {p}: <{ns}> .\n" for p, ns in self._prefixes]
        blocks: list[tuple[str, str]] = list(nodes)
        terms: dict[Object, str] = {}
        predicates = self._predicates
        subject = predicate = None
        parts: list[str] = []
        for s, p, o in sorted(triples):
            obj = terms.get(o)
            if obj is None:
                obj = terms[o] = self.term(o)
            if s != subject:
                if subject is not None:
                    blocks.append((subject, "".join(parts)))
                parts = [f"{self.iri(s)} {predicates.get(p) or self._predicate(p)} {obj}"]
                subject, predicate = s, p
            elif p != predicate:
                parts.append(f" ;\n    {predicates.get(p) or self._predicate(p)} {obj}")
                predicate = p
            else:
                parts.append(f" , {obj}")
        if subject is not None:
            blocks.append((subject, "".join(parts)))
        blocks.sort()
        out.extend(f"{statement} .\n" for _, statement in blocks)
        return "".join(out)

    def node(self, subject: str, pairs: Iterable[tuple[str, str]]) -> str:
        """A statement from a written subject and (predicate IRI, written object) pairs
        in the order given: the fast path for nodes of a fixed shape (annotation
        targets and selectors are most of an article graph), which skip the sort."""
        predicates = self._predicates
        return f"{subject} " + " ;\n    ".join(
            f"{predicates.get(p) or self._predicate(p)} {obj}" for p, obj in pairs
        )

    def _predicate(self, iri: str) -> str:
        written = self._predicates.get(iri)
        if written is None:
            written = self._predicates[iri] = "a" if iri == RDF_TYPE else self.iri(iri)
        return written
