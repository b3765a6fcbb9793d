"""SHA-256 checksums of the release files: SHA256SUMS, and the digests DCAT records."""

from __future__ import annotations

import hashlib
from pathlib import Path


def write_checksums(out: Path, known: dict[str, str] | None = None) -> str:
    """SHA256SUMS over every other file, in the format `sha256sum -c` reads; `known`
    digests (by file name) are not computed again."""
    known = known or {}
    lines = [
        f"{known.get(path.name) or sha256_file(path)}  {path.name}\n"
        for path in sorted(out.iterdir())
        if path.is_file() and path.name != "SHA256SUMS"
    ]
    text = "".join(lines)
    (out / "SHA256SUMS").write_text(text, encoding="utf-8")
    return text


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
