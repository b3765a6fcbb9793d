"""ctld.build.dumps.pagecache: handing written pages back to the kernel loses nothing."""

from __future__ import annotations

import os
from pathlib import Path

from ctld.build.dumps.pagecache import PageDropper, drop_pages


def test_a_file_written_through_the_dropper_reads_back_whole(tmp_path: Path) -> None:
    path = tmp_path / "dump.nt"
    blocks = [os.urandom(1000) * (i + 1) for i in range(60)]
    with path.open("wb") as handle:
        dropper = PageDropper(handle, step=4096)
        for block in blocks:
            handle.write(block)
            dropper.written(len(block))
    assert path.read_bytes() == b"".join(blocks)


def test_buffered_bytes_are_flushed_before_the_pages_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "part"
    with path.open("wb") as handle:
        handle.write(b"still in Python's buffer")
        drop_pages(handle)
        assert path.read_bytes() == b"still in Python's buffer"
