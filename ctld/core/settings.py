"""Explicit configuration: where the project's sources are and which IRI base it mints.

Nothing here reads the environment at import time; a Settings object is built once by
the caller (the CLI, a test, a server factory) and passed down.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ctld.core.errors import MissingPathError

DEFAULT_BASE_IRI = "https://w3id.org/ctld/"
_MARKER = Path("ontology") / "ctld.ttl"
# The installed package's own folder (ctld/): where a wheel bundles the project's
# sources (ctld/_project) and where the extractor's code lies.
PACKAGE_DIR = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Settings:
    """A ctld project: the hand-edited sources and data under one root directory."""

    root: Path
    base_iri: str = DEFAULT_BASE_IRI

    @property
    def ontology_path(self) -> Path:
        return self.root / _MARKER

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def authorities_dir(self) -> Path:
        return self.root / "data" / "authorities"

    @property
    def articles_dir(self) -> Path:
        return self.root / "data" / "articles"

    @property
    def graphs_dir(self) -> Path:
        return self.root / "data" / "graphs"

    @property
    def checks_dir(self) -> Path:
        return self.root / "sparql" / "checks"

    @property
    def queries_dir(self) -> Path:
        return self.root / "sparql" / "queries"

    @property
    def pages_dir(self) -> Path:
        """The queries behind the server's resource pages (files, like every query)."""
        return self.root / "sparql" / "pages"

    @classmethod
    def discover(cls, root: Path | str | None = None, base_iri: str = DEFAULT_BASE_IRI) -> Settings:
        """Find the project: an explicit root, else the current directory, else the copy
        bundled in the installed package, else the checkout the package was imported from."""
        if root is not None:
            path = Path(root)
            if not (path / _MARKER).is_file():
                raise MissingPathError(path / _MARKER, "ontology of the project root")
            return cls(path.resolve(), base_iri)
        for candidate in _candidates():
            if (candidate / _MARKER).is_file():
                return cls(candidate.resolve(), base_iri)
        raise MissingPathError(Path.cwd() / _MARKER, "ctld project (give --root)")


def _candidates() -> list[Path]:
    return [Path.cwd(), PACKAGE_DIR / "_project", PACKAGE_DIR.parent]
