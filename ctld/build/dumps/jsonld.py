"""The dataset as JSON-LD: the published context and a streaming writer.

JSON-LD is for readers who want the graph as plain JSON, so the context gives short
keys (`prefLabel`, `party`, `hasBody`) and CURIE values (`organization:unoct`). Short
keys must never cost a triple: a key is used only when it expands back to exactly its
predicate, a value is written bare only when the key's coercion turns it back into
exactly the same term, and anything the context cannot shorten stays a CURIE or a full
IRI. Language-tagged strings stay value objects (no `@container: @language`): a label
with and one without a language tag would otherwise land under different shapes.

The dataset can reach ten million triples, so the writer holds one subject's triples at
a time: it expects triples grouped by subject (sorted), writes one node object per line,
and sorts keys and values so that the same triples give the same bytes. A subject that
comes back after another one gets a second node object with the same id, which JSON-LD
merges: still correct, just less tidy.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any, TextIO

import pyoxigraph

from ctld.core.namespaces import BASE, PREFIXES, SERIALIZE_PREFIXES, VANN

RDF_TYPE = PREFIXES["rdf"] + "type"
# json.dumps with these options builds an encoder per call; one node object per subject
# makes that a tenth of the writer's time.
ENCODE_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
XSD_STRING = PREFIXES["xsd"] + "string"
# JSON-LD 1.1 treats a plain term as a prefix only when its IRI ends with one of these.
GEN_DELIMS = ":/?#[]@"
_EXTERNAL = ("rdf", "rdfs", "owl", "xsd", "skos", "dcterms", "prov", "oa", "foaf", "org",
             "schema", "sem")  # fmt: skip
_OTHER_PREFIXES = (
    ("vann", str(VANN)),
    ("time", "http://www.w3.org/2006/time#"),
    ("wd", "http://www.wikidata.org/entity/"),
    ("unbis", "http://metadata.un.org/thesaurus/"),
)
# (prefix, coercion, local names): coercion "@id" for IRI values, a datatype every value
# has, or "" for none. "key=local" where the local name is already a key: ctld's own
# properties keep their names, the instance namespaces (organization:, role:, post:,
# topic:) keep theirs, and an external property whose name ctld took (schema:location,
# org:postIn, dcterms:references) stays a CURIE.
_TERMS: tuple[tuple[str, str, str], ...] = (
    ("ctld", "@id", "party partyTo signatory signed participant participatedIn organizer "
     "organized location locatedIn subEventOf hasSubEvent references referencedBy adoptedBy "
     "adopted adoptedAt signedAt establishedBy established holdsPost heldBy postIn hasPost "
     "tenureOf=post subOrganizationOf hasSubOrganization reports reportedIn mentions "
     "hasTopic=topic yearCompletedFrom"),
    ("ctld", "", "symbol adoptionDate startDate endDate dateText iso3166Alpha2 iso3166Alpha3"),
    ("ctld", "xsd:boolean", "undated"),
    ("ctld", "xsd:integer", "meetingNumber"),
    ("org", "@id", "member inOrganization=organization hasRole=role holds"),
    ("skos", "", "prefLabel altLabel hiddenLabel definition scopeNote note notation"),
    ("skos", "@id", "exactMatch closeMatch broader narrower inScheme topConceptOf hasTopConcept"),
    ("rdfs", "", "label comment"),
    ("rdfs", "@id", "subClassOf subPropertyOf domain range seeAlso isDefinedBy"),
    ("owl", "@id", "sameAs equivalentClass disjointWith inverseOf unionOf members versionIRI"),
    ("owl", "", "versionInfo"),
    ("dcterms", "", "title description creator publisher source identifier dateAccepted"),
    ("dcterms", "xsd:date", "created modified"),
    ("dcterms", "@id", "license subject isReferencedBy"),
    ("schema", "@id", "url attendee about subjectOf containedInPlace superEvent subEvent "
     "parentOrganization subOrganization"),
    ("schema", "", "inLanguage legislationDate"),
    ("schema", "xsd:date", "datePublished"),
    ("foaf", "@id", "page"),
    ("prov", "@id", "wasDerivedFrom wasAttributedTo wasGeneratedBy atLocation"),
    ("oa", "@id", "hasBody hasTarget hasSource hasSelector motivatedBy"),
    ("oa", "", "exact"),
    ("oa", "xsd:nonNegativeInteger", "start end"),
    ("sem", "@id", "hasActor hasPlace"),
)  # fmt: skip


def _prefixes(base: str) -> dict[str, str]:
    """The context's prefixes: the vocabularies, then ctld's namespaces under `base`."""
    found = {name: PREFIXES[name] for name in _EXTERNAL}
    found.update(_OTHER_PREFIXES)
    own = {name: ns for name, ns in SERIALIZE_PREFIXES.items() if ns.startswith(BASE)}
    own["scheme"] = BASE + "id/scheme/"
    for name, ns in sorted(own.items()):
        found[name] = base + ns[len(BASE) :]
    return found


def context(base: str = BASE) -> dict[str, Any]:
    """The published context document ({"@context": {...}}).

    Raises ValueError if two keys would share a name or an IRI: either would make a key
    or a value expand to something other than what was written."""
    entries: dict[str, Any] = {"@version": 1.1, "id": "@id", "type": "@type"}
    spaces = _prefixes(base)
    iris: dict[str, str] = {}

    def add(key: str, iri: str, definition: Any) -> None:
        if key in entries or iri in iris:
            raise ValueError(f"context key {key!r} or IRI {iri} defined twice")
        entries[key], iris[iri] = definition, key

    for name, ns in spaces.items():
        add(name, ns, ns)
    for prefix, coercion, names in _TERMS:
        for item in names.split():
            key, _, local = item.partition("=")
            curie = f"{prefix}:{local or key}"
            definition: Any = {"@id": curie, "@type": coercion} if coercion else curie
            add(key, spaces[prefix] + (local or key), definition)
    return {"@context": entries}


def write_jsonld(
    triples: Iterable[pyoxigraph.Triple], out: TextIO, *, context_url: str, ctx: dict[str, Any]
) -> int:
    """Write {"@context": context_url, "@graph": [...]} to `out`, one node object a line,
    from triples grouped by subject; returns the number of node objects.

    `ctx` is the context that `context_url` serves (the document or its inner object):
    the writer shortens only what that context expands back unchanged."""
    out.write('{"@context":' + json.dumps(context_url, ensure_ascii=False) + ',"@graph":[')
    count = 0
    for text in node_texts(triples, NodeWriter(ctx)):
        out.write((",\n" if count else "\n") + text)
        count += 1
    out.write("\n]}\n")
    return count


def node_texts(triples: Iterable[pyoxigraph.Triple], nodes: NodeWriter) -> Iterator[str]:
    """One node object (JSON text) per run of triples with the same subject: what the
    dump's "@graph" lists, so a large dump can be written in chunks, each chunk
    starting with a new subject."""
    subject: Any = None
    pairs: list[tuple[pyoxigraph.NamedNode, Any]] = []
    for triple in triples:
        if triple.subject != subject:
            if pairs:
                yield nodes.node(subject, pairs)
            subject, pairs = triple.subject, []
        pairs.append((triple.predicate, triple.object))
    if pairs:
        yield nodes.node(subject, pairs)


class NodeWriter:
    """What one context lets the writer shorten, and the node objects it writes. A
    per-write cache of shortened IRIs keeps the prefix search off the hot path."""

    def __init__(self, ctx: dict[str, Any]) -> None:
        inner = ctx.get("@context", ctx)
        if not isinstance(inner, dict):
            raise ValueError("the context must be a JSON object")
        self.id_key, self.type_key = "@id", "@type"
        self.namespaces: dict[str, str] = {}  # namespace IRI -> prefix
        self.terms: dict[str, tuple[str, str]] = {}  # predicate IRI -> (key, coercion)
        # Any key can shadow the scheme of a full IRI ("org:x" would expand through org:).
        self.keys = frozenset(inner)
        # A default language would tag every bare string.
        self.bare_strings = "@language" not in inner and "@direction" not in inner
        self._read(inner)
        # Namespaces can only end where one of these characters is.
        self.ends = "".join(sorted({ns[-1] for ns in self.namespaces}))
        self._stems: dict[tuple[str, str], str | None] = {}
        self.iri = self._iri
        self.key = lru_cache(maxsize=None)(self._key)

    def _read(self, inner: dict[str, Any]) -> None:
        simple = {k: v for k, v in inner.items() if isinstance(v, str) and not k.startswith("@")}

        def expand(value: str) -> str:
            prefix, sep, local = value.partition(":")
            return simple[prefix] + local if sep and prefix in simple else value

        for key, value in simple.items():
            if value == "@id":
                self.id_key = key
            elif value == "@type":
                self.type_key = key
            elif ":" not in key and value[-1:] in GEN_DELIMS and key != "_":
                self.namespaces.setdefault(expand(value), key)
        for key in sorted(inner):
            definition = inner[key]
            if key.startswith("@") or ":" in key:
                continue
            if isinstance(definition, str) and not definition.startswith("@"):
                if definition[-1:] not in GEN_DELIMS:
                    self.terms.setdefault(expand(definition), (key, ""))
            elif isinstance(definition, dict) and set(definition) <= {"@id", "@type"}:
                coercion = definition.get("@type", "")
                if "@id" in definition and coercion not in ("@vocab", "@json", "@none"):
                    coercion = coercion if coercion in ("", "@id") else expand(coercion)
                    self.terms.setdefault(expand(definition["@id"]), (key, coercion))

    def _iri(self, iri: str) -> str:
        """A CURIE, longest namespace first, or the IRI itself. Where the namespace ends
        depends only on the IRI up to its last possible namespace end (its stem) and on
        how the rest begins, so that is remembered per stem: a dump's millions of
        fragment IRIs (article:x#ann-1, article:x#ann-2, ...) share a few stems."""
        cut = max([iri.rfind(c) for c in self.ends]) if self.ends else -1
        if cut < 0:
            return self._search(iri)
        stem, rest = iri[: cut + 1], iri[cut + 1 :]
        shape = "" if not rest else "/x" if rest.startswith("/") else "x"
        found = self._stems.get((stem, shape))
        if found is None:
            curie = self._search(stem + shape)
            found = self._stems[(stem, shape)] = (
                (curie[: -len(shape)] if shape else curie) if curie != stem + shape else None
            )
        return self._search(iri) if found is None else found + rest

    def _search(self, iri: str) -> str:
        """A CURIE, longest namespace first, or the IRI itself."""
        cut = len(iri) if self.ends else 0
        while cut > 0:
            cut = max([iri.rfind(c, 0, cut) for c in self.ends])
            prefix = self.namespaces.get(iri[: cut + 1])
            local = iri[cut + 1 :]
            # A suffix starting with "//" would be read as an absolute IRI.
            if prefix is not None and local and not local.startswith("/"):
                return f"{prefix}:{local}"
        scheme, _, rest = iri.partition(":")
        if scheme in self.keys and not rest.startswith("//"):
            raise ValueError(f"<{iri}> would expand through the context key {scheme!r}")
        return iri

    def _key(self, predicate: str) -> tuple[str, str]:
        return self.terms.get(predicate) or (self.iri(predicate), "")

    def _ref(self, term: Any) -> str:
        if isinstance(term, pyoxigraph.NamedNode):
            return self.iri(term.value)
        if isinstance(term, pyoxigraph.BlankNode):
            return "_:" + term.value
        raise ValueError(f"JSON-LD 1.1 has no way to write {term} as a node")

    def _value(self, term: Any, coercion: str) -> tuple[tuple[str, str, str], Any]:
        """A sort key and the JSON of one object under a key with that coercion."""
        if not isinstance(term, pyoxigraph.Literal):
            ref = self._ref(term)
            return ("0", ref, ""), ref if coercion == "@id" else {self.id_key: ref}
        value, language = term.value, term.language
        if language:
            obj: dict[str, str] = {"@value": value, "@language": language}
            if term.direction is not None:
                obj["@direction"] = str(term.direction)
            return ("2", language + str(term.direction or ""), value), obj
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            bare = coercion == "" and self.bare_strings
            return ("1", value, ""), value if bare else {"@value": value}
        if datatype == coercion:
            return ("3", value, datatype), value
        return ("3", value, datatype), {"@value": value, "@type": self.iri(datatype)}

    def node(self, subject: Any, pairs: list[tuple[pyoxigraph.NamedNode, Any]]) -> str:
        # The hot loop of a dump of millions of triples: _value's common cases (an IRI,
        # a plain or typed literal) are inlined, with the same results.
        types: set[str] = set()
        values: dict[str, dict[tuple[str, str, str], Any]] = {}
        iri_of, key_of, id_key = self.iri, self.key, self.id_key
        named, literal = pyoxigraph.NamedNode, pyoxigraph.Literal
        for predicate, obj in pairs:
            iri = predicate.value
            if isinstance(obj, named):
                ref = iri_of(obj.value)
                if iri == RDF_TYPE:
                    types.add(ref)
                    continue
                key, coercion = key_of(iri)
                sort_key: tuple[str, str, str] = ("0", ref, "")
                value: Any = ref if coercion == "@id" else {id_key: ref}
            elif isinstance(obj, literal) and not obj.language:
                key, coercion = key_of(iri)
                text, datatype = obj.value, obj.datatype.value
                if datatype == XSD_STRING:
                    sort_key = ("1", text, "")
                    value = text if coercion == "" and self.bare_strings else {"@value": text}
                else:
                    sort_key = ("3", text, datatype)
                    value = (
                        text if datatype == coercion
                        else {"@value": text, "@type": iri_of(datatype)}
                    )  # fmt: skip
            else:
                key, coercion = key_of(iri)
                sort_key, value = self._value(obj, coercion)
            values.setdefault(key, {})[sort_key] = value
        node: dict[str, Any] = {id_key: self._ref(subject)}
        if types:
            node[self.type_key] = sorted(types) if len(types) > 1 else types.pop()
        for key in sorted(values):
            found = values[key]
            node[key] = (
                [found[k] for k in sorted(found)] if len(found) > 1 else next(iter(found.values()))
            )
        return ENCODE_JSON(node)
