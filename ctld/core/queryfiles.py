"""SPARQL query files whose metadata lives in `#+` comment lines (the grlc convention).

A query is a file, reviewable and runnable with any SPARQL tool; ctld reads its
summary, description and parameters from the comments instead of from Python code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ctld.core.errors import MissingPathError, QueryFileError


@dataclass(frozen=True)
class QueryFile:
    name: str
    path: Path
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def summary(self) -> str:
        return str(self.metadata.get("summary", self.name))

    @property
    def description(self) -> str:
        return str(self.metadata.get("description", ""))


def read_query_file(path: Path | str) -> QueryFile:
    path = Path(path)
    if not path.is_file():
        raise MissingPathError(path, "query file")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise QueryFileError(path, "not valid UTF-8") from None
    header = [line[2:].removeprefix(" ") for line in text.splitlines() if line.startswith("#+")]
    try:
        metadata = yaml.safe_load("\n".join(header)) if header else {}
    except yaml.YAMLError as exc:
        raise QueryFileError(path, f"bad '#+' metadata: {exc}") from None
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, dict):
        raise QueryFileError(path, "the '#+' lines must be 'key: value' pairs")
    return QueryFile(path.stem, path, text, metadata)


def read_query_dir(directory: Path | str) -> list[QueryFile]:
    directory = Path(directory)
    if not directory.is_dir():
        raise MissingPathError(directory, "query directory")
    return [read_query_file(p) for p in sorted(directory.glob("*.rq"))]
