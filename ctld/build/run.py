"""A build run's types: its options, its result, the failure that stops it, and the
report it leaves in dist/.

They live apart from the pipeline so that the release writer (ctld.build.release) and
the progress display (ctld.build.progress) can read a result without importing the
pipeline that makes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ctld.check.inference import Inference
from ctld.check.violations import ValidationReport, Violation
from ctld.core.errors import CtldError
from ctld.core.version import VERSION

Progress = Callable[[str, int], Callable[[int], None]]  # stage, total -> advance


class BuildFailed(CtldError):
    """Validation or reasoning failed: nothing was published (exit code 1)."""

    def __init__(self, message: str, violations: tuple[Violation, ...] = ()) -> None:
        self.violations = violations
        super().__init__(message)


@dataclass(frozen=True)
class BuildOptions:
    dist: Path  # the release folder
    jobs: int = 1
    shacl: str = "pyshacl"  # or "jena": one JVM run over the whole dataset, for corpora
    release_date: dt.date | None = None  # default: SOURCE_DATE_EPOCH, else newest article


@dataclass
class BuildResult:
    dist: Path
    articles: int = 0
    extracted: int = 0
    triples: int = 0
    entities: dict[str, int] = field(default_factory=dict)
    warnings: list[Violation] = field(default_factory=list)
    inference: Inference | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    peak_mib: dict[str, float] = field(default_factory=dict)  # this process, at stage end
    files: list[str] = field(default_factory=list)
    validation: ValidationReport | None = None


def build_report(result: BuildResult, date: dt.date) -> dict[str, Any]:
    """The machine-readable report kept in dist/: counts and outcomes, no timings (they
    differ on every run and would break the byte-identical release)."""
    inference = result.inference
    return {
        "ctld": VERSION,
        "release_date": date.isoformat(),
        "articles": result.articles,
        "triples": result.triples,
        "entities": result.entities,
        "warnings": [v.to_dict() for v in result.warnings],
        "inference": {
            "reasoner": "HermiT (owlready2)",
            "skipped": inference.skipped if inference else "not run",
            "consistent": inference.consistent if inference else None,
            "triples_reasoned": inference.triples_reasoned if inference else 0,
            "inferred_triples": inference.inferred if inference else 0,
        },
        "files": sorted(result.files),
    }
