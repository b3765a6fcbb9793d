"""Remembered SHACL results of article graphs, so a rebuild validates only what changed.

pyshacl takes about a quarter of a second of CPU per article graph; a publisher who adds
ten articles to a thousand should not wait for the thousand again. A result is stored
under a key made of everything the validation read: the article graph's path and bytes,
the types of the nodes it names, and a fingerprint of ctld, pyshacl, the shapes, the
ontology and the authorities (with their paths, which results name). Any change to those
gives another key; entries are JSON files written atomically, so a killed build leaves
no half-written one.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ctld.check.violations import Violation
from ctld.core.outputs import write_atomic


class ResultCache:
    def __init__(self, directory: Path, fingerprint: str) -> None:
        self._directory = directory
        self.fingerprint = fingerprint
        self.hits = 0
        self.misses = 0

    def key(self, path: Path, context: Any) -> str:
        """The path is part of the key: results name their file, and must name this one."""
        digest = hashlib.sha256(self.fingerprint.encode())
        digest.update(str(path.resolve()).encode() + b"\0")
        digest.update(path.read_bytes())
        digest.update(json.dumps(context, sort_keys=True).encode())
        return digest.hexdigest()

    def get(self, key: str) -> list[Violation] | None:
        """The stored results, or None when absent or unreadable (then it is recomputed)."""
        try:
            data = json.loads((self._directory / f"{key}.json").read_text(encoding="utf-8"))
            found = [Violation(**item) for item in data]
        except (OSError, ValueError, TypeError):
            self.misses += 1
            return None
        self.hits += 1
        return found

    def put(self, key: str, violations: list[Violation]) -> None:
        data = json.dumps([v.to_dict() for v in violations], sort_keys=True)
        write_atomic(self._directory / f"{key}.json", data.encode("utf-8"))
