"""ctld.build.dumps.union: the union of the graphs' lines, sorted and each once, whatever order
the blocks came in, cut where a subject ends."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from ctld.build.dumps import union as union_module
from ctld.build.dumps.sorting import LineSorter
from ctld.build.dumps.union import Union


def _lines(*subjects: str) -> bytes:
    return b"".join(f"<{s}> <p> <o{n}> .\n".encode() for s in subjects for n in range(3))


def test_blocks_and_other_lines_merge_sorted_and_unique(tmp_path: Path) -> None:
    union = Union(tmp_path)
    union.add(_lines("m1"), _lines("a#1", "a#2"))
    union.add(_lines("b"), _lines("c#1"))
    union.add(b"", _lines("b#1"))  # out of order: merged line by line
    union.add(_lines("a#2", "c#0"), _lines("d#1"))  # repeats and lines inside blocks
    union.add(_lines("m1", "z"), b"")
    union.add(b"", b"<e#1> <p> <o> .\n")  # a block of one line
    everything = [
        _lines("m1"), _lines("a#1", "a#2"), _lines("b"), _lines("c#1"), _lines("b#1"),
        _lines("a#2", "c#0"), _lines("d#1"), _lines("z"), b"<e#1> <p> <o> .\n",
    ]  # fmt: skip
    expected = sorted(set(b"".join(everything).splitlines(keepends=True)))
    chunks = list(union.chunks(size=40))
    assert b"".join(chunks) == b"".join(expected)
    assert len(chunks) > 2
    for before, after in itertools.pairwise(chunks):
        last = before.splitlines()[-1].split(b" ")[0]
        assert after.split(b" ")[0] != last


def test_a_large_graph_kept_as_a_sorted_run_merges_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A graph's lines from RUN_BYTES on go to a run file unsplit; the union is the same."""
    parts = [(_lines("m1", "q"), _lines("a#1")), (_lines("b", "m1", "n"), b""),
             (_lines("c", "p"), _lines("c#1"))]  # fmt: skip
    expected = list(_union(tmp_path / "lines", parts))
    runs: list[bytes] = []
    add_run = LineSorter.add_run

    def counted(self: LineSorter, data: bytes) -> None:
        runs.append(data)
        add_run(self, data)

    monkeypatch.setattr(LineSorter, "add_run", counted)
    monkeypatch.setattr(union_module, "RUN_BYTES", 50)
    assert list(_union(tmp_path / "runs", parts)) == expected
    assert len(runs) == 3


def _union(work: Path, parts: list[tuple[bytes, bytes]]) -> list[bytes]:
    union = Union(work)
    for asserted, fragments in parts:
        union.add(asserted, fragments)
    chunks = union.chunks(size=40)
    first = next(chunks)
    return [first, *chunks]
