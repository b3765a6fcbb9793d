"""SHACL with Apache Jena over a whole dataset, for corpora too large for pyshacl.

pyshacl costs about 0.2 ms a triple; Jena's validator, a JVM run, about a hundredth of
that (docs/reference/stack-facts.md). The data Jena reads is the ontology, the
authorities and every article graph without its Web Annotation nodes: no shape targets
an oa: class or follows a path into one (a test holds that), and they are most of an
article graph. Literals are written as parsed from the files, not read back from the
store (which normalises them). Results come back as the same Violations pyshacl's do,
each placed in its file and line.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import SH

from ctld.check.jena import Jena
from ctld.check.jvm import jvm_options, yielding
from ctld.check.shacl import report_violations
from ctld.check.violations import Violation
from ctld.core.dataset import is_fragment, read_triples
from ctld.core.errors import CtldError
from ctld.core.sources import Sources, load_sources


def jena_violations(
    shapes: Graph,
    base: Sources,
    store: ox.Store,
    article_files: Sequence[Path],
    data: Path | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> list[Violation]:
    """Jena's SHACL report as Violations. `data` is the dataset without annotation
    nodes as N-Triples when the build wrote it already (ctld.check.inference.write_projection);
    `meanwhile` runs in this process while the JVM works (the build's SPARQL checks)."""
    jena = Jena()
    with tempfile.TemporaryDirectory(prefix="ctld-jena-shacl-") as tmp:
        shapes_file = Path(tmp) / "shapes.nt"
        shapes.serialize(destination=str(shapes_file), format="nt", encoding="utf-8")
        if data is None:
            data = Path(tmp) / "data.nt"
            with data.open("wb") as out:
                out.write(base.graph.serialize(format="nt", encoding="utf-8"))
                for path in article_files:
                    ox.serialize(_without_annotations(path), out, ox.RdfFormat.N_TRIPLES)
        command = jena.command("shacl", ["validate", "--shapes", str(shapes_file),
                                         "--data", str(data)])  # fmt: skip
        command[1:1] = jvm_options(data)
        process = subprocess.Popen(
            yielding(command), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        try:
            if meanwhile is not None:
                meanwhile()
            stdout, stderr = process.communicate()
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
    if process.returncode != 0:
        raise CtldError(f"Jena SHACL failed: {stderr.strip()[-2000:]}")
    report = Graph().parse(data=stdout, format="turtle")
    if not list(report.objects(None, SH.conforms)):
        raise CtldError(f"Jena SHACL gave no report: {stdout[:500]}")
    return report_violations(report, _Locator(base, store, article_files).locate)


def _without_annotations(path: Path) -> list[ox.Triple]:
    # the stub lets a subject be a Triple; pyoxigraph 0.5 (RDF 1.2) makes none
    return [t for t in read_triples(path) if not is_fragment(t.subject)]  # type: ignore[arg-type]


class _Locator:
    """File and line of a focus node: the authorities and ontology are read already;
    an article graph is read only when one of its nodes is reported."""

    def __init__(self, base: Sources, store: ox.Store, article_files: Sequence[Path]) -> None:
        self._base = base
        self._store = store
        self._files = {f"https://w3id.org/ctld/graph/article/{p.stem}": p for p in article_files}
        self._read: dict[Path, Sources] = {}

    def locate(self, node: str) -> tuple[Path, int | None] | None:
        found = self._base.locate(node)
        if found is not None:
            return found
        for quad in self._store.quads_for_pattern(ox.NamedNode(node), None, None, None):
            path = self._files.get(getattr(quad.graph_name, "value", ""))
            if path is not None:
                if path not in self._read:
                    self._read[path] = load_sources([path])
                return self._read[path].locate(node)
        return None
