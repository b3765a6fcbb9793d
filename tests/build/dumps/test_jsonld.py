"""ctld.build.dumps.jsonld: the published context is unambiguous, and the JSON-LD the writer streams
expands (PyLD, no network) back to exactly the triples it was given."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterable, Iterator
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib
from conftest import ROOT
from pyld import jsonld
from rdflib.compare import isomorphic

from ctld.build.dumps import jsonld as ctld_jsonld
from ctld.build.dumps.jsonld import context, write_jsonld
from ctld.core.namespaces import CTLD, PREFIXES

URL = "https://w3id.org/ctld/context.jsonld"
XSD = PREFIXES["xsd"]
RDF_TYPE = PREFIXES["rdf"] + "type"
GEN_DELIMS = ":/?#[]@"


def project_files() -> list[str]:
    data = ROOT / "data"
    found = [ROOT / "ontology" / "ctld.ttl"]
    found += sorted((data / "authorities").glob("*.ttl")) + sorted((data / "graphs").glob("*.ttl"))
    return [str(path) for path in found]


def by_subject(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    return sorted(set(triples), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


@pytest.fixture(scope="module")
def project() -> list[ox.Triple]:
    store = ox.Store()
    for path in project_files():
        store.bulk_load(path=path, format=ox.RdfFormat.TURTLE)
    return by_subject(quad.triple for quad in store)


def write(triples: Iterable[ox.Triple], ctx: dict[str, Any] | None = None) -> str:
    out = io.StringIO()
    write_jsonld(triples, out, context_url=URL, ctx=ctx or context())
    return out.getvalue()


def expand_to_graph(text: str, ctx: dict[str, Any] | None = None) -> rdflib.Graph:
    """PyLD, with the context served from memory: the test never touches the network."""
    served = ctx or context()

    def loader(url: str, options: Any = None) -> dict[str, Any]:
        assert url == URL, f"unexpected fetch of {url}"
        return {"contextUrl": None, "documentUrl": url, "document": served}

    options = {"format": "application/n-quads", "documentLoader": loader}
    nquads = jsonld.to_rdf(json.loads(text), options)
    return rdflib.Graph().parse(data=nquads, format="nt")


def to_rdflib(triples: Iterable[ox.Triple]) -> rdflib.Graph:
    def term(t: Any) -> Any:
        if isinstance(t, ox.NamedNode):
            return rdflib.URIRef(t.value)
        if isinstance(t, ox.BlankNode):
            return rdflib.BNode(t.value)
        if t.language:
            return rdflib.Literal(t.value, lang=t.language)
        if t.datatype.value == XSD + "string":
            return rdflib.Literal(t.value)
        return rdflib.Literal(t.value, datatype=rdflib.URIRef(t.datatype.value))

    graph = rdflib.Graph()
    for t in triples:
        graph.add((term(t.subject), term(t.predicate), term(t.object)))
    return graph


@pytest.fixture(autouse=True)
def exact_literals(monkeypatch: pytest.MonkeyPatch) -> None:
    """rdflib would otherwise rewrite "0012"^^xsd:integer as "12" on both sides and hide
    a writer that changed a lexical form."""
    monkeypatch.setattr(rdflib, "NORMALIZE_LITERALS", False)


def assert_round_trip(triples: list[ox.Triple], ctx: dict[str, Any] | None = None) -> str:
    text = write(triples, ctx)
    back = expand_to_graph(text, ctx)
    expected = to_rdflib(triples)
    assert len(back) == len(expected)
    assert isomorphic(back, expected), sorted(set(back) ^ set(expected))[:10]
    return text


# The context


def test_context_keys_are_unambiguous() -> None:
    entries = context()["@context"]
    assert entries["@version"] == 1.1 and entries["id"] == "@id" and entries["type"] == "@type"
    spaces = {k: v for k, v in entries.items() if isinstance(v, str) and v[-1] in GEN_DELIMS}

    def expand(value: str) -> str:
        prefix, _, local = value.partition(":")
        return spaces[prefix] + local

    iris: dict[str, str] = {}
    for key, definition in entries.items():
        if key.startswith("@") or key in ("id", "type"):
            continue
        # A key never looks like a CURIE or an IRI, so it can only ever mean its term.
        assert ":" not in key and "/" not in key, key
        iri = (
            definition
            if key in spaces
            else expand(definition["@id"] if isinstance(definition, dict) else definition)
        )
        assert iri not in iris, f"{key} and {iris.get(iri)} share {iri}"
        iris[iri] = key
        if isinstance(definition, dict):
            assert set(definition) == {"@id", "@type"}, key
    expected = "ctld org schema skos dcterms prov oa foaf owl rdfs xsd sem time organization state"
    for prefix in (*expected.split(), "person", "place", "topic", "role", "post", "article"):
        assert prefix in spaces, prefix
    assert spaces["organization"] == "https://w3id.org/ctld/id/organization/"


def test_context_rejects_a_key_defined_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    terms = (*ctld_jsonld._TERMS, ("skos", "", "organization=prefLabel"))
    monkeypatch.setattr(ctld_jsonld, "_TERMS", terms)
    with pytest.raises(ValueError, match="defined twice"):
        context()


def test_context_follows_the_base() -> None:
    entries = context("https://example.org/kg/")["@context"]
    assert entries["ctld"] == "https://example.org/kg/ontology#"
    assert entries["organization"] == "https://example.org/kg/id/organization/"
    assert entries["skos"] == PREFIXES["skos"]


def test_context_covers_the_ontology() -> None:
    """Every ctld property has a short key; object properties take IRIs, and a datatype
    property with a fixed non-string range has it as its coercion."""
    store = ox.Store()
    store.bulk_load(path=str(ROOT / "ontology" / "ctld.ttl"), format=ox.RdfFormat.TURTLE)
    entries = context()["@context"]
    by_iri = {}
    for key, definition in entries.items():
        curie = definition["@id"] if isinstance(definition, dict) else definition
        if isinstance(curie, str) and curie.startswith("ctld:"):
            by_iri[str(CTLD) + curie[5:]] = (key, definition)
    owl = PREFIXES["owl"]
    for kind in ("ObjectProperty", "DatatypeProperty"):
        for quad in store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(owl + kind)):
            iri = quad.subject.value
            if not iri.startswith(str(CTLD)):
                continue
            assert iri in by_iri, f"no key for {iri}"
            key, definition = by_iri[iri]
            coercion = definition.get("@type", "") if isinstance(definition, dict) else ""
            if kind == "ObjectProperty":
                assert coercion == "@id", key
            else:
                ranges = [q.object.value for q in store.quads_for_pattern(
                    quad.subject, ox.NamedNode(PREFIXES["rdfs"] + "range"), None)]  # fmt: skip
                fixed = [r for r in ranges if r != XSD + "string"]
                assert coercion == ("xsd:" + fixed[0][len(XSD) :] if fixed else ""), key


def test_every_predicate_of_the_data_has_a_short_key(project: list[ox.Triple]) -> None:
    lines = write(project).splitlines()[1:-1]
    keys = {key for line in lines for key in json.loads(line.rstrip(","))}
    long = sorted(key for key in keys if ":" in key)
    assert long == ["rdf:first", "rdf:rest", "vann:preferredNamespacePrefix",
                    "vann:preferredNamespaceUri"]  # fmt: skip


# Lossless


def test_project_data_round_trips(project: list[ox.Triple]) -> None:
    text = assert_round_trip(project)
    assert '"hasBody":"event:000-6e37811b0b06130c-1"' in text
    assert '"id":"organization:unoct"' in text
    unoct = next(line for line in text.splitlines() if '"id":"organization:unoct"' in line)
    node = json.loads(unoct.rstrip(","))
    assert node["type"] == "ctld:UnitedNationsEntity"
    assert {"@value": "UNOCT", "@language": "en"} in node["altLabel"]
    assert node["establishedBy"] == "resolution:a-res-71-291"
    assembly = next(
        line for line in text.splitlines() if '"id":"organization:un-general-assembly"' in line
    )
    assert json.loads(assembly.rstrip(","))["sameAs"] == "wd:Q47423"


def tricky() -> list[ox.Triple]:
    def iri(value: str) -> ox.NamedNode:
        return ox.NamedNode(value)

    def typed(value: str, datatype: str) -> ox.Literal:
        return ox.Literal(value, datatype=iri(XSD + datatype))

    ctld, skos, org, oa = str(CTLD), PREFIXES["skos"], PREFIXES["org"], PREFIXES["oa"]
    s = iri("https://w3id.org/ctld/id/resolution/s-res-2462-(2019)")
    a = iri("https://w3id.org/ctld/id/article/x#t-1-2")
    b = ox.BlankNode("b1")
    ns = iri("https://w3id.org/ctld/id/organization/")
    values = [
        (s, RDF_TYPE, iri(ctld + "SecurityCouncilResolution")),
        (s, RDF_TYPE, iri("http://example.org/no-prefix#Class")),
        (s, RDF_TYPE, ox.Literal("a literal type")),
        (s, RDF_TYPE, b),
        (s, skos + "prefLabel", ox.Literal("quotes \" ' and \\ backslash")),
        (s, skos + "prefLabel", ox.Literal("two\nlines\r\n\ttab \u2028 \x00 \x7f")),
        (s, skos + "prefLabel", ox.Literal("emoji 🇺🇳🕊️ and 𝔘𝔑", language="en")),
        (s, skos + "prefLabel", ox.Literal("الأمم المتحدة", language="ar")),
        (s, skos + "prefLabel", ox.Literal("האומות המאוחדות", language="he")),
        (s, skos + "prefLabel", ox.Literal("Nações Unidas", language="pt-BR")),
        (s, skos + "prefLabel", ox.Literal("")),
        (s, skos + "prefLabel", ox.Literal("@id")),
        (s, skos + "prefLabel", ox.Literal("_:b1")),
        (s, skos + "prefLabel", ox.Literal("organization:unoct")),
        (s, skos + "prefLabel", iri("https://w3id.org/ctld/id/organization/unoct")),
        (s, ctld + "adoptionDate", typed("2019-03-28", "date")),
        (s, ctld + "adoptionDate", typed("2019", "gYear")),
        (s, ctld + "adoptionDate", typed("-0044", "gYear")),
        (s, ctld + "adoptionDate", typed("--05-23", "gMonthDay")),
        (s, ctld + "undated", typed("true", "boolean")),
        (s, ctld + "undated", typed("1", "boolean")),
        (s, ctld + "undated", ox.Literal("true")),
        (s, ctld + "meetingNumber", typed("0012", "integer")),
        (s, ctld + "meetingNumber", typed("12", "nonNegativeInteger")),
        (s, ctld + "adoptedBy", iri("https://w3id.org/ctld/id/organization/unoct")),
        (s, ctld + "adoptedBy", ox.Literal("organization:unoct")),
        (s, ctld + "adoptedBy", ox.Literal("plain", language="fr")),
        (s, ctld + "adoptedBy", b),
        (s, ctld + "adoptedBy", ns),
        (s, ctld + "adoptedBy", iri("https://w3id.org/ctld/id/organization//double")),
        (s, ctld + "adoptedBy", iri("urn:isbn:9780000000000")),
        (s, ctld + "adoptedBy", iri("https://undocs.org/S/RES/2462(2019)")),
        (s, ctld + "adoptedBy", iri("https://w3id.org/ctld/id/place/São_Paulo")),
        (s, ctld + "symbol", ox.Literal("S/RES/2462 (2019)")),
        (s, org + "organization", iri("https://w3id.org/ctld/id/organization/unoct")),
        (s, "http://example.org/no-prefix#p", ox.Literal("x")),
        (s, "https://w3id.org/ctld/id/organization/as-a-predicate", iri("http://example.org/o")),
        (a, oa + "start", typed("103", "nonNegativeInteger")),
        (a, oa + "end", typed("112", "integer")),
        (a, oa + "end", ox.Literal("112")),
        (a, oa + "exact", ox.Literal("S/RES/2462 (2019)", language="en")),
        (b, RDF_TYPE, iri(ctld + "Organization")),
        (b, skos + "altLabel", ox.Literal("blank", language="en")),
    ]
    return by_subject(ox.Triple(s, p if isinstance(p, ox.NamedNode) else iri(p), o)
                      for s, p, o in values)  # fmt: skip


def test_tricky_terms_round_trip() -> None:
    text = assert_round_trip(tricky())
    assert '"adoptedBy":[' in text and '"organization:unoct"' in text
    assert '{"@value":"organization:unoct"}' in text  # a string that looks like a CURIE
    assert '"organization:as-a-predicate":{"id":"http://example.org/o"}' in text
    assert '"https://w3id.org/ctld/id/organization//double"' in text
    assert '"id":"resolution:s-res-2462-(2019)"' in text
    assert '"id":"article:x#t-1-2"' in text and '"start":"103"' in text
    assert '{"@value":"112","@type":"xsd:integer"}' in text
    assert "🕊️" in text and "الأمم المتحدة" in text  # not \u-escaped


def test_a_context_the_writer_cannot_fully_use_still_round_trips() -> None:
    """A default language, a language map and a vocab-typed term: the writer leaves them
    unused rather than let them retag or re-type a value."""
    ctx = context()
    entries = dict(ctx["@context"])
    entries["@language"] = "en"
    entries["prefLabel"] = {"@id": "skos:prefLabel", "@container": "@language"}
    entries["adoptedBy"] = {"@id": "ctld:adoptedBy", "@type": "@vocab"}
    text = assert_round_trip(tricky(), {"@context": entries})
    assert '"prefLabel"' not in text and '"adoptedBy"' not in text
    assert '"skos:prefLabel"' in text


def test_an_empty_context_gives_full_iris() -> None:
    text = assert_round_trip(tricky(), {"@context": {}})
    assert '"@id":"https://w3id.org/ctld/id/article/x#t-1-2"' in text and '"type"' not in text


def test_base_direction_is_written() -> None:
    s, p = ox.NamedNode("http://example.org/s"), ox.NamedNode(PREFIXES["rdfs"] + "label")
    rtl = ox.Literal("مرحبا", language="ar", direction=ox.BaseDirection.RTL)
    node = json.loads(write([ox.Triple(s, p, rtl)]).splitlines()[1])
    assert node["label"] == {"@value": "مرحبا", "@language": "ar", "@direction": "rtl"}


def test_an_iri_whose_scheme_is_a_key_is_refused() -> None:
    s, p = ox.NamedNode("http://example.org/s"), ox.NamedNode(PREFIXES["rdfs"] + "seeAlso")
    with pytest.raises(ValueError, match="'org'"):
        write([ox.Triple(s, p, ox.NamedNode("org:not-the-w3c-org-vocabulary"))])


def test_no_triples_is_an_empty_graph() -> None:
    out = io.StringIO()
    assert write_jsonld(iter(()), out, context_url=URL, ctx=context()) == 0
    assert json.loads(out.getvalue()) == {"@context": URL, "@graph": []}


# Streaming and determinism


class Tracking(io.StringIO):
    """Output whose nodes the test can count while the input is still being read."""

    def nodes(self) -> int:
        return self.getvalue().count('{"id":')


def test_writer_streams() -> None:
    """A generator in, one node out as soon as its subject is done: never len(), never the
    whole input first."""
    p = ox.NamedNode(PREFIXES["rdfs"] + "label")
    out = Tracking()
    seen: list[int] = []

    def triples() -> Iterator[ox.Triple]:
        for i in range(1000):
            seen.append(out.nodes())
            s = ox.NamedNode(f"https://w3id.org/ctld/id/place/p{i:04d}")
            yield ox.Triple(s, p, ox.Literal(f"one {i}"))
            yield ox.Triple(s, p, ox.Literal(f"two {i}"))

    assert write_jsonld(triples(), out, context_url=URL, ctx=context()) == 1000
    # Subject i is known to be complete when subject i+1 begins: node i is out before
    # the second triple of subject i+1 is asked for.
    assert seen == [max(i - 1, 0) for i in range(1000)]
    assert len(json.loads(out.getvalue())["@graph"]) == 1000


_RUN = """
import hashlib, io, random, sys
import pyoxigraph as ox
from ctld.build.dumps.jsonld import context, write_jsonld
dataset = ox.Dataset()
for path in sys.argv[2:]:
    for quad in ox.parse(path=path, format=ox.RdfFormat.TURTLE):
        dataset.add(quad)
dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)  # stable blank node labels
triples = [quad.triple for quad in dataset]
random.Random(int(sys.argv[1])).shuffle(triples)
triples.sort(key=lambda t: str(t.subject))  # grouped by subject; the rest in any order
out = io.StringIO()
write_jsonld(iter(triples), out, context_url="https://w3id.org/ctld/context.jsonld",
             ctx=context())
print(hashlib.sha256(out.getvalue().encode()).hexdigest())
"""


def test_same_bytes_in_processes_with_different_hash_seeds() -> None:
    digests = set()
    for seed in ("0", "1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", _RUN, seed, *project_files()],
            env=env, cwd=ROOT, capture_output=True, text=True, check=True,
        )  # fmt: skip
        digests.add(run.stdout.strip())
    assert len(digests) == 1, digests
