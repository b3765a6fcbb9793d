"""OWL reasoning with HermiT (the jar owlready2 ships): is the ontology with its data
consistent, and are all its classes satisfiable?

HermiT runs as a command over an N-Triples file, asked only to classify the classes
(`-c`): classification starts with the consistency check of the whole ontology, data
included, and its taxonomy is all the build needs. Going through owlready2's World would
load every triple into its SQLite store, write them all out again for HermiT, and ask
for the types of every individual (`-I`), which the build never reads: at 10,000
articles that cost more time than HermiT itself and about 1.5 GiB of memory. HermiT
rejects datatypes outside the OWL 2 datatype map (xsd:date, xsd:gYear, ...) unless told
to ignore them; ctld's dates are checked by SHACL instead.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import owlready2
from rdflib import Graph

from ctld.check.jvm import jvm_options
from ctld.core.errors import ReasonerError, ToolMissingError

_NOTHING = "http://www.w3.org/2002/07/owl#Nothing"
_THING = "http://www.w3.org/2002/07/owl#Thing"
_HERMIT_DIR = Path(owlready2.__file__).resolve().parent / "hermit"
_CLASSPATH = os.pathsep.join([str(_HERMIT_DIR), str(_HERMIT_DIR / "HermiT.jar")])
_IRI = re.compile(r"<([^>]+)>")
_AXIOM = re.compile(r"^(SubClassOf|EquivalentClasses)\( ((?:<[^>]+>\s*)+)\)$", re.MULTILINE)


@dataclass(frozen=True)
class ReasoningReport:
    consistent: bool
    unsatisfiable: tuple[str, ...]
    triples: int
    # class IRI -> every named superclass HermiT derives (itself excluded); empty when
    # the data is inconsistent (then everything follows, and nothing is worth keeping)
    ancestors: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.consistent and not self.unsatisfiable


def check_consistency(graph: Graph) -> ReasoningReport:
    """Run HermiT over `graph` and report consistency and unsatisfiable named classes."""
    with tempfile.TemporaryDirectory(prefix="ctld-hermit-") as tmp:
        path = Path(tmp) / "input.nt"
        graph.serialize(destination=str(path), format="nt", encoding="utf-8")
        return run_hermit(path, len(graph))


def hermit_command(path: Path) -> list[str]:
    """The java command that classifies the ontology in the N-Triples file `path`."""
    return [
        owlready2.JAVA_EXE, *jvm_options(path, per_byte=6), "-cp", _CLASSPATH,
        "org.semanticweb.HermiT.cli.CommandLine", "-c", "--ignoreUnsupportedDatatypes",
        path.resolve().as_uri(),
    ]  # fmt: skip


def run_hermit(path: Path, triples: int) -> ReasoningReport:
    """HermiT over an N-Triples file: consistency, unsatisfiable classes and the
    classified hierarchy (the build materialises class memberships from it)."""
    return hermit_report(start_hermit(path), triples)


def start_hermit(path: Path) -> subprocess.Popen[str]:
    """HermiT started in the background (the build validates meanwhile); give the
    process to hermit_report for the verdict."""
    try:
        return subprocess.Popen(
            hermit_command(path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    except FileNotFoundError:
        raise ToolMissingError("no Java runtime on PATH: HermiT needs Java 17") from None


def hermit_report(process: subprocess.Popen[str], triples: int) -> ReasoningReport:
    """Wait for a HermiT run and read its verdict and taxonomy."""
    output, errors = process.communicate()
    if process.returncode != 0:
        if "InconsistentOntologyException" in errors or "Inconsistent ontology" in errors:
            return ReasoningReport(False, (), triples)
        raise ReasonerError(f"HermiT failed: {(errors or output).strip()[-2000:]}")
    return _taxonomy(output, triples)


def _taxonomy(output: str, triples: int) -> ReasoningReport:
    """The verdict from HermiT's taxonomy: direct subclass axioms, and equivalences
    (a class equivalent to owl:Nothing is unsatisfiable); every class's ancestors are
    the transitive closure over both, owl:Thing left out."""
    parents: dict[str, set[str]] = defaultdict(set)
    unsatisfiable: set[str] = set()
    for kind, names in _AXIOM.findall(output):
        iris = _IRI.findall(names)
        if kind == "SubClassOf":
            child, parent = iris[0], iris[1]
            if child.startswith("http://www.w3.org/2002/07/owl#"):
                continue
            parents[child].update(() if parent == _THING else (parent,))
        elif _NOTHING in iris:
            unsatisfiable.update(iri for iri in iris if iri != _NOTHING)
        else:
            for iri in iris:
                parents[iri].update(other for other in iris if other != iri)
    ancestors = {}
    for cls in sorted(parents):
        if cls in (_THING, _NOTHING):
            continue
        seen: set[str] = set()
        stack = list(parents[cls])
        while stack:
            above = stack.pop()
            if above in seen or above == cls:
                continue
            seen.add(above)
            stack.extend(parents.get(above, ()))
        ancestors[cls] = tuple(sorted(seen - {_THING, _NOTHING}))
    return ReasoningReport(True, tuple(sorted(unsatisfiable)), triples, ancestors)
