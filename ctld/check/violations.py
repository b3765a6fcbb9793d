"""What a check finds: one Violation per problem, and the ValidationReport of a run.

Every checker (pyshacl, Jena's SHACL, the SPARQL quality checks) reports in these
types, and the build and the command line read them, so they sit below all of them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Violation:
    """One problem: a focus node, what is wrong with it, and where it is written."""

    focus: str
    message: str
    source: str  # "shacl" or "check:<name>"
    severity: str = "Violation"
    path: str | None = None
    value: str | None = None
    component: str | None = None
    shape: str | None = None
    file: str | None = None
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    violations: tuple[Violation, ...]
    files: tuple[Path, ...]
    shapes: tuple[Path, ...]
    checks: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "conforms": self.conforms,
            "files": [str(f) for f in self.files],
            "shapes": [str(f) for f in self.shapes],
            "checks": list(self.checks),
            "violations": [v.to_dict() for v in self.violations],
        }
