"""The release files as other tools read them: Jena riot and rapper count the same
triples as rdflib, the JSON-LD expands with PyLD to the graph of the Turtle, Jena's
SHACL finds the published dataset conformant to the published shapes, and the gzip
files hold their dumps, with no time or name in their headers."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
from pathlib import Path

import pytest
from pyld import jsonld
from rdflib import Dataset, Graph, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import SH

from ctld.build.dumps.canonical import CONTEXT_URL
from ctld.check.jena import Jena

VOID = Namespace("http://rdfs.org/ns/void#")
DUMPS = {  # file -> (rdflib format, rapper syntax, quads?)
    "ctld.nt": ("nt", "ntriples", False),
    "ctld.ttl": ("turtle", "turtle", False),
    "ctld.nq": ("nquads", "nquads", True),
    "ctld.trig": ("trig", "trig", True),
    "ontology.ttl": ("turtle", "turtle", False),
    "ontology.owl": ("xml", "rdfxml", False),
    "shapes.ttl": ("turtle", "turtle", False),
    "void.ttl": ("turtle", "turtle", False),
    "catalog.ttl": ("turtle", "turtle", False),
}


@pytest.fixture(scope="module")
def dist(release) -> Path:
    return release[0] / "dist"


@pytest.fixture(scope="module")
def rdflib_counts(dist: Path) -> dict[str, int]:
    counts = {}
    for name, (fmt, _, quads) in DUMPS.items():
        if quads:
            data = Dataset()
            data.parse(dist / name, format=fmt)
            counts[name] = sum(1 for _ in data.quads())
        else:
            counts[name] = len(Graph().parse(dist / name, format=fmt))
    return counts


def test_union_and_graphs_agree(rdflib_counts: dict[str, int]) -> None:
    assert rdflib_counts["ctld.nt"] > 15000
    assert rdflib_counts["ctld.nq"] >= rdflib_counts["ctld.nt"]
    assert rdflib_counts["ctld.trig"] == rdflib_counts["ctld.nq"]


@pytest.mark.parametrize("name", sorted(DUMPS))
def test_rapper_counts_what_rdflib_counts(dist, rdflib_counts, rapper: str, name: str) -> None:
    syntax = DUMPS[name][1]
    done = subprocess.run([rapper, "-c", "-i", syntax, str(dist / name)],
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    found = re.search(r"Parsing returned (\d+) (?:triples|statements)", done.stderr)
    assert found, done.stderr[-2000:]
    assert int(found.group(1)) == rdflib_counts[name]


def test_riot_counts_what_rdflib_counts(dist: Path, rdflib_counts, jena: Jena) -> None:
    names = sorted(DUMPS)
    for name in names:
        done = jena.run("riot", ["--count", str(dist / name)], timeout=600)
        assert done.returncode == 0, done.stderr[-2000:]
        found = re.search(r"(Triples|Quads) = ([\d,]+)", done.stdout + done.stderr)
        assert found, (name, done.stdout[-500:], done.stderr[-500:])
        assert int(found.group(2).replace(",", "")) == rdflib_counts[name], name


def test_gzip_files_hold_their_dump_with_no_time_or_name(dist: Path) -> None:
    for packed in sorted(dist.glob("*.gz")):
        raw = packed.read_bytes()
        assert raw[4:8] == b"\0\0\0\0", f"{packed.name}: a modification time is set"
        assert not raw[3] & 0x08, f"{packed.name}: a file name is stored"
        assert gzip.decompress(raw) == (dist / packed.name[:-3]).read_bytes()


def test_jsonld_expands_to_the_turtle_graph(dist: Path) -> None:
    context = json.loads((dist / "context.jsonld").read_text(encoding="utf-8"))

    def loader(url: str, options: dict | None = None) -> dict:
        assert url == CONTEXT_URL, f"PyLD asked for {url}: no network in tests"
        return {"contextUrl": None, "documentUrl": url, "document": context}

    document = json.loads((dist / "ctld.jsonld").read_text(encoding="utf-8"))
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": loader})
    expanded = Graph().parse(data=nquads, format="nquads")
    turtle = Graph().parse(dist / "ctld.ttl", format="turtle")
    assert len(expanded) == len(turtle)
    assert isomorphic(expanded, turtle)


def test_jena_shacl_finds_the_published_dataset_conformant(dist: Path, jena: Jena) -> None:
    done = jena.run("shacl", ["validate", "--shapes", str(dist / "shapes.ttl"),
                              "--data", str(dist / "ctld.nt")], timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    report = Graph().parse(data=done.stdout, format="turtle")
    verdicts = {bool(v.toPython()) for v in report.objects(None, SH.conforms)}
    assert verdicts == {True}, done.stdout[:3000]


def test_void_counts_the_dump(dist: Path, rdflib_counts: dict[str, int]) -> None:
    void = Graph().parse(dist / "void.ttl")
    dataset = URIRef("https://w3id.org/ctld/dataset")
    assert int(void.value(dataset, VOID.triples)) == rdflib_counts["ctld.nq"]
    dumps = {str(o).rsplit("/", 1)[-1] for o in void.objects(dataset, VOID.dataDump)}
    assert {"ctld.nt", "ctld.nq.gz", "ctld.jsonld", "ctld.trig"} <= dumps
