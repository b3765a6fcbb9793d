"""Everything `ctld build` puts in dist/, in the order that lets each file describe the
ones before it: dumps, ontology and shapes, VoID, the build report, the ontology's HTML
documentation, the DCAT catalogue (sizes and checksums of all of those), and last
SHA256SUMS, which covers the catalogue too.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from ctld.build.catalog import ReleaseFile, catalog_graph, catalog_turtle, media_type
from ctld.build.checksums import sha256_file, write_checksums
from ctld.build.dumps.asserted import ReleaseDraft
from ctld.build.dumps.canonical import skolemised, to_oxigraph, triple_key, write_graph_files
from ctld.build.dumps.jsonld import context
from ctld.build.dumps.pieces import Rendition, render_graph, render_sorted
from ctld.build.dumps.union import UNION_DUMPS, write_union
from ctld.build.run import BuildResult, build_report
from ctld.build.statistics import DatasetStatistics, statistics
from ctld.build.tally import with_fragments
from ctld.build.void import void_graph, void_turtle
from ctld.core.dataset import (
    AUTHORITIES_GRAPH,
    INFERRED_GRAPH,
    ONTOLOGY_GRAPH,
    dataset_parts,
    read_triples,
)
from ctld.core.errors import CtldError
from ctld.core.namespaces import CTLD, PREFIXES
from ctld.core.settings import Settings
from ctld.core.sources import expand_paths, parse_file

TITLE = "Counter-Terrorism Linked Data"
DESCRIPTION = (
    "International counter-terrorism cooperation as stated in news articles: bodies, "
    "officials and their posts, instruments, UN resolutions, events, places and topics, "
    "each fact traced to the words of its article."
)
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
PUBLISHER = "The ctld developers"
CTLD_CLASS = "https://w3id.org/ctld/ontology#"


def write_release(
    settings: Settings,
    store: ox.Store,
    ontology: Graph,
    draft: ReleaseDraft,
    out: Path,
    date: dt.date,
    result: BuildResult,
    pool: Executor | None = None,
) -> None:
    """Finish the dumps the draft began with the authorities, the inferred graph and the
    ontology, write the union, then every description of them."""

    base = settings.base_iri
    html = _start_ontology_html(settings.ontology_path)  # a child process: runs meanwhile
    authorities = dataset_parts(settings, [])[1]
    inferred = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(INFERRED_GRAPH))
    # The inferred graph (hundreds of thousands of triples) is rendered by a worker
    # while this process counts the store for VoID.
    pending = _submit(pool, render_sorted, INFERRED_GRAPH, inferred)
    del inferred
    counted = statistics(store, settings.root / "sparql" / "stats")
    last: dict[str, Callable[[], Rendition]] = {
        AUTHORITIES_GRAPH: lambda: render_graph(
            AUTHORITIES_GRAPH, [t for path in authorities.paths for t in read_triples(path)]
        ),
        INFERRED_GRAPH: pending,
        ONTOLOGY_GRAPH: lambda: render_graph(
            ONTOLOGY_GRAPH, sorted(to_oxigraph(skolemised(ontology)), key=triple_key)
        ),
    }
    for graph in sorted(last):  # the article graphs' IRIs sort before these
        draft.add(last[graph]())
    digests = draft.close()
    stats = with_fragments(counted, draft.tally)
    result.triples = stats.triples
    result.entities = {c: n for c, n in stats.classes.items() if c.startswith(CTLD_CLASS)}
    dumps = sorted([*digests, *(f"{name}{gz}" for name in UNION_DUMPS for gz in ("", ".gz"))])
    # VoID (an rdflib graph of thousands of partitions) fills this process's waits on
    # the union's workers.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ctld-void") as thread:
        void_bytes = thread.submit(_void, stats, base, dumps, date)
        digests.update(write_union(draft.union, out, pool, base))
        (out / "void.ttl").write_bytes(void_bytes.result())
    if sorted(name for name in digests if name.startswith("ctld.")) != dumps:
        raise CtldError(f"the dumps written are not the ones VoID lists: {sorted(digests)}")
    (out / "context.jsonld").write_text(
        json.dumps(context(base), indent=2, sort_keys=True, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    files = [*sorted(digests), "context.jsonld"]
    files += write_graph_files(ontology, out, "ontology", ("ttl", "owl", "jsonld"))
    shapes = Graph()
    for path in expand_paths([settings.shapes_dir]):
        parse_file(path, into=shapes)
    files += write_graph_files(shapes, out, "shapes", ("ttl",))
    (out / "ontology.html").write_text(_finish_ontology_html(html, settings.ontology_path),
                                       encoding="utf-8")  # fmt: skip
    files += ["void.ttl", "ontology.html", "build-report.json"]
    result.files = sorted([*files, "catalog.ttl", "SHA256SUMS"])
    report = build_report(result, date)
    (out / "build-report.json").write_text(
        json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    # Sizes and digests are streamed from the files (a dump can be larger than memory),
    # or were taken as the dumps were written.
    described = [
        ReleaseFile(name, media_type(name)[0], (out / name).stat().st_size,
                    digests.get(name) or sha256_file(out / name))
        for name in sorted(files)
    ]  # fmt: skip
    catalog = catalog_graph(
        described, base=base, issued=date, modified=date, title=TITLE,
        description=DESCRIPTION, license=LICENSE, publisher=PUBLISHER,
    )  # fmt: skip
    (out / "catalog.ttl").write_bytes(catalog_turtle(catalog))
    write_checksums(out, {file.name: file.sha256 for file in described})


def _void(stats: DatasetStatistics, base: str, dumps: list[str], date: dt.date) -> bytes:
    return void_turtle(void_graph(
        stats, base=base, dumps=dumps, issued=date, title=TITLE, license=LICENSE,
        example_resource=f"{base}id/person/vladimir-voronkov",
    ))  # fmt: skip


def _submit(
    pool: Executor | None, function: Callable[..., Rendition], *args: Any
) -> Callable[[], Rendition]:
    """`function(*args)` in a worker when there is a pool (else when asked for)."""
    if pool is None:
        return lambda: function(*args)
    return pool.submit(function, *args).result


def _ontology_html(path: Path) -> str:
    """pyLODE's documentation page, in English, made in a child process with a fixed
    hash seed from the ontology with canonical blank node labels. pyLODE picks one label
    of a term in any language it meets first (so only the English ones are given: the
    other languages are in the RDF files), orders terms (unless told to sort them) and
    class unions by set iteration, and configures the root logger at import. pyLODE 3.3
    reads its background ontologies from a pickle it ships, so no network."""
    return _finish_ontology_html(_start_ontology_html(path), path)


_PYLODE = (
    "import sys\n"
    "from rdflib import Graph\n"
    "from rdflib.compare import to_canonical_graph\n"
    "from pylode import OntPub\n"
    "source = Graph().parse(sys.argv[1])\n"
    "english = Graph()\n"
    "english += (t for t in to_canonical_graph(source)\n"
    "            if getattr(t[2], 'language', None) in (None, 'en'))\n"
    "sys.stdout.buffer.write(OntPub(english, sort_subjects=True).make_html().encode('utf-8'))\n"
)


def _start_ontology_html(path: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    return subprocess.Popen(
        [sys.executable, "-c", _PYLODE, str(path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )  # fmt: skip


def _finish_ontology_html(process: subprocess.Popen[bytes], path: Path) -> str:
    output, errors = process.communicate()
    if process.returncode != 0:
        detail = errors.decode("utf-8", "replace").strip()[-2000:]
        raise CtldError(f"pyLODE could not document {path}: {detail}")
    return _unique_anchors(_ordered_class_sets(output.decode("utf-8")))


_MEMBER = r"<span>\s*<a [^>]*>[^<]*</a>\s*<sup [^>]*>[^<]*</sup>\s*</span>"
_SET = re.compile(
    rf"(?P<first>{_MEMBER})(?P<rest>(?:\s*<span class=\"cardinality\">(?:or|and)</span>\s*"
    rf"{_MEMBER})+)"
)


def _ordered_class_sets(html: str) -> str:
    """pyLODE writes the members of a union or intersection ("Person or Organization")
    from a set of HTML elements, in an order that changes from run to run; sort them."""

    def ordered(match: re.Match[str]) -> str:
        members = sorted(re.findall(_MEMBER, match.group()))
        joiner = re.search(r"\s*<span class=\"cardinality\">(?:or|and)</span>\s*", match.group())
        return joiner.group().join(members) if joiner else match.group()

    return _SET.sub(ordered, html)


_ENTITY = re.compile(
    r'(<div class="[^"]*entity[^"]*" id=")([^"]+)(">(?:(?!<div ).){0,600}?'
    r"<th>IRI</th>\s*<td>\s*<code>([^<]+)</code>)",
    re.DOTALL,
)


def _anchor(iri: str) -> str:
    """ctld's terms by their local name (`#Person`), others by prefix (`#foaf-Person`)."""
    if iri.startswith(str(CTLD)):
        return iri[len(str(CTLD)) :]
    for prefix, namespace in sorted(PREFIXES.items()):
        if iri.startswith(namespace) and iri != namespace:
            return f"{prefix}-{iri[len(namespace) :]}"
    return re.sub(r"[^A-Za-z0-9]+", "-", iri).strip("-")


def _unique_anchors(html: str) -> str:
    """pyLODE 3.3 gives several terms one id (foaf:Person, schema:Person and ctld:Person
    are all `Person1`), so links to the page's anchors, ours included, land on the wrong
    term. Every term gets an id made from its IRI; a link to an id several terms shared
    goes to ctld's own term, which is what the page documents."""
    entities = _ENTITY.findall(html)
    owners: dict[str, list[str]] = {}
    for _, old, _, iri in entities:
        owners.setdefault(old, []).append(iri)
    renamed = {}
    for old, iris in owners.items():
        ours = [i for i in iris if i.startswith(str(CTLD))]
        renamed[old] = _anchor(ours[0] if ours else iris[0])
    seen: dict[str, int] = {}

    def rename(match: re.Match[str]) -> str:
        anchor = _anchor(match[4])
        seen[anchor] = seen.get(anchor, 0) + 1  # a term listed twice (functional and
        if seen[anchor] > 1:  # datatype property) keeps one id per element
            anchor += f"-{seen[anchor]}"
        return f"{match[1]}{anchor}{match[3]}"

    html = _ENTITY.sub(rename, html)
    return re.sub(
        r'href="#([^"]+)"', lambda m: f'href="#{renamed.get(m[1], m[1])}"', html
    )
