"""ctld.build.dumps.compression: segments compressed apart join into one gzip file that any reader
takes for the data, with no time or name in its header."""

from __future__ import annotations

import gzip
import hashlib
import subprocess
import zlib
from pathlib import Path

from ctld.build.dumps.compression import DumpWriter, deflate_segment


def test_segments_made_apart_are_one_gzip_stream(tmp_path: Path) -> None:
    chunks = [b"<a> <b> <c> .\n" * 5000, b"", bytes(range(256)) * 300, b"end\n"]
    writer = DumpWriter(tmp_path / "x.nt")
    for number, chunk in enumerate(chunks):
        writer.write(chunk, deflate_segment(chunk) if number % 2 else None)
    digests = writer.close()
    raw = (tmp_path / "x.nt.gz").read_bytes()
    assert raw[4:8] == b"\0\0\0\0" and not raw[3] & 0x08
    assert gzip.decompress(raw) == b"".join(chunks) == (tmp_path / "x.nt").read_bytes()
    unpacker = zlib.decompressobj(zlib.MAX_WBITS | 16)  # one member, nothing after it
    assert unpacker.decompress(raw) == b"".join(chunks) and unpacker.eof
    assert not unpacker.unused_data
    assert subprocess.run(["gzip", "--test", str(tmp_path / "x.nt.gz")]).returncode == 0
    for name, digest in digests.items():
        assert hashlib.sha256((tmp_path / name).read_bytes()).hexdigest() == digest


def test_an_empty_dump_is_an_empty_gzip_file(tmp_path: Path) -> None:
    DumpWriter(tmp_path / "e.nt").close()
    assert gzip.decompress((tmp_path / "e.nt.gz").read_bytes()) == b""
    assert (tmp_path / "e.nt").read_bytes() == b""


def test_the_same_chunks_give_the_same_bytes(tmp_path: Path) -> None:
    for name in ("a.nt", "b.nt"):
        writer = DumpWriter(tmp_path / name)
        writer.write(b"x" * 100_000)
        writer.write(b"y\n" * 10)
        writer.close()
    assert (tmp_path / "a.nt.gz").read_bytes() == (tmp_path / "b.nt.gz").read_bytes()
