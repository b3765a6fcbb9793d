"""Sorting lines larger than memory, for the sorted N-Triples of the union dump."""

from __future__ import annotations

import heapq
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any


class LineSorter:
    """Sorts and de-duplicates lines larger than memory: sorted runs of CHUNK lines go
    to temporary files, which are merged at the end (an external merge sort)."""

    CHUNK = 500_000

    def __init__(self, work: Path) -> None:
        self._work = work
        self._lines: list[bytes] = []
        self._runs: list[Path] = []

    def add(self, lines: Iterable[bytes]) -> None:
        self._lines.extend(lines)
        if len(self._lines) >= self.CHUNK:
            self._spill()

    def add_run(self, data: bytes) -> None:
        """Lines already sorted and unique, each ending with a line break, kept as a
        run of their own: a large graph's lines (the inferred graph's) are then never
        split, de-duplicated and sorted again here."""
        if not data:
            return
        self._work.mkdir(exist_ok=True)
        run = self._work / f"run-{len(self._runs):05d}"
        run.write_bytes(data)
        self._runs.append(run)

    def write(self, target: Path) -> None:
        with target.open("wb") as handle:
            for line in self.lines():
                handle.write(line + b"\n")

    def lines(self) -> Iterator[bytes]:
        """Every line added, sorted, each once (without its line break); the runs are
        removed at the end."""
        self._lines = sorted(set(self._lines))
        if not self._runs:
            yield from self._lines
            self._lines = []
            return
        runs = [open(run, "rb") for run in self._runs]  # noqa: SIM115 - closed below
        try:
            merged = heapq.merge(iter(self._lines), *(_stripped(r) for r in runs))
            previous = None
            for line in merged:
                if line != previous:
                    yield line
                    previous = line
        finally:
            for handle in runs:
                handle.close()
            self._lines = []
            shutil.rmtree(self._work, ignore_errors=True)

    def _spill(self) -> None:
        self._work.mkdir(exist_ok=True)
        run = self._work / f"run-{len(self._runs):05d}"
        run.write_bytes(b"".join(line + b"\n" for line in sorted(set(self._lines))))
        self._runs.append(run)
        self._lines = []


def _stripped(handle: Any) -> Iterator[bytes]:
    for line in handle:
        yield line.rstrip(b"\n")
