"""OWL reasoning with HermiT (through owlready2): is the ontology with its data consistent,
and are all its classes satisfiable?

owlready2 reads N-Triples, not Turtle, so the graph is handed over as a temporary
N-Triples file, loaded into a private World (never owlready2's global default world).
HermiT rejects datatypes outside the OWL 2 datatype map (xsd:date, xsd:gYear, ...)
unless told to ignore them; ctld's dates are checked by SHACL instead.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import owlready2
from rdflib import Graph

from ctld.errors import ReasonerError, ToolMissingError

_NOTHING = "http://www.w3.org/2002/07/owl#Nothing"
_THING = "http://www.w3.org/2002/07/owl#Thing"


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


def run_hermit(path: Path, triples: int) -> ReasoningReport:
    """HermiT over an N-Triples file: consistency, unsatisfiable classes and the
    classified hierarchy (the build materialises class memberships from it)."""
    world = owlready2.World()
    try:
        world.get_ontology(path.resolve().as_uri()).load()
        try:
            owlready2.sync_reasoner_hermit(
                world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
            )
        except owlready2.OwlReadyInconsistentOntologyError:
            return ReasoningReport(False, (), triples)
        except owlready2.OwlReadyJavaError as exc:
            raise ReasonerError(f"HermiT failed: {str(exc).strip()[-2000:]}") from None
        except FileNotFoundError:
            raise ToolMissingError("no Java runtime on PATH: HermiT needs Java 17") from None
        unsatisfiable = sorted(
            str(c.iri)
            for c in world.inconsistent_classes()
            if hasattr(c, "iri") and str(c.iri) != _NOTHING
        )
        return ReasoningReport(True, tuple(unsatisfiable), triples, _ancestors(world))
    finally:
        world.close()


def _ancestors(world: owlready2.World) -> dict[str, tuple[str, ...]]:
    out = {}
    for cls in world.classes():
        own = str(cls.iri)
        above = sorted(
            str(a.iri)
            for a in cls.ancestors(include_self=False)
            if isinstance(a, owlready2.ThingClass) and str(a.iri) not in (own, _THING)
        )
        out[own] = tuple(above)
    return dict(sorted(out.items()))
