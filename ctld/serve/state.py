"""What every route reads: the server's settings and the state its lifespan builds.

The routes import this module, never the app factory (ctld.serve.app), which imports
the routes: so the state lives below both.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from starlette.requests import Request
from starlette.templating import Jinja2Templates

from ctld.core.settings import DEFAULT_BASE_IRI, Settings
from ctld.link.labels import LabelIndex
from ctld.query.engine import Engine, QueryRequest
from ctld.query.packaged import PackagedQuery
from ctld.query.results import ValueTerm, table
from ctld.query.store import Release

PACKAGE = Path(__file__).resolve().parent  # the templates and static files beside it


@dataclass(frozen=True)
class ServerSettings:
    """Everything a server needs, given explicitly (the CLI builds it from its options)."""

    project: Settings
    release_dir: Path
    base_iri: str = DEFAULT_BASE_IRI
    store_path: Path | None = None  # a persisted store; None keeps the dataset in memory
    endpoint: str | None = None  # a remote SPARQL endpoint instead of the embedded store
    timeout: float = 30.0
    row_limit: int = 10_000
    max_request_bytes: int = 1_000_000
    # One more query process than cores: a worker that has answered waits for the
    # event loop to read its answer and hand it the next query, and the spare one keeps
    # the cores busy meanwhile (at 100k triples, 8 clients, 2 cores: 431 -> 474 joins/s).
    workers: int = field(default_factory=lambda: (os.cpu_count() or 1) + 1)
    # large joins over the default graph by hashing where pyoxigraph would loop
    # (ctld.query.planner); off runs every query exactly as sent
    hash_joins: bool = True


@dataclass
class AppState:
    """What every route reads: built in the lifespan, kept on `app.state.ctld`."""

    settings: ServerSettings
    release: Release
    engine: Engine
    queries: dict[str, PackagedQuery]
    pages: dict[str, PackagedQuery]
    labels: LabelIndex
    report: dict
    fingerprint: str
    templates: Jinja2Templates
    anchors: dict[str, str] = field(default_factory=dict)
    _resources: dict[str, list[str]] | None = None
    _classes: list[dict] | None = None

    def classes(self) -> list[dict]:
        """The index's classes with their counts, read once: the release never changes
        while it is served, and the count runs over every typed resource."""
        if self._classes is None:
            text = self.pages["classes"].bind({}, self.base_iri)
            rows = table(self.engine.run(QueryRequest(text, limit=10_000)).body)[1]
            # classes.rq groups by ?class, so ?count is bound in every row; ?label may not be
            self._classes = [
                {"iri": c.value, "label": label.value if label else c.value.rsplit("#", 1)[-1],
                 "count": int(cast(ValueTerm, n).value)}
                for c, label, n in cast(list[list[ValueTerm | None]], rows) if c is not None
            ]  # fmt: skip
        return self._classes

    def resources(self) -> dict[str, list[str]]:
        """Every resource IRI by kind (organization, person, …), read once and kept."""
        if self._resources is None:
            text = self.pages["resources"].bind({"base": f"{self.base_iri}id/"}, self.base_iri)
            rows = table(self.engine.run(QueryRequest(text, limit=10**9)).body)[1]
            found: dict[str, list[str]] = {}
            prefix = len(self.base_iri) + 3
            # resources.rq binds ?resource to an IRI in every row
            for (iri,) in cast(list[list[ValueTerm]], rows):
                kind, _, slug = iri.value[prefix:].partition("/")
                if slug:
                    found.setdefault(kind, []).append(iri.value)
            self._resources = found
        return self._resources

    @property
    def base_iri(self) -> str:
        return self.settings.base_iri

    def local_path(self, iri: str) -> str | None:
        """The server path of one of our IRIs (`…/id/x/y` → `/doc/x/y`), else None."""
        if not iri.startswith(self.base_iri):
            return None
        rest = iri[len(self.base_iri) :]
        if rest.startswith("id/"):
            head, _, fragment = rest[3:].partition("#")
            return f"/doc/{head}" + (f"#{fragment}" if fragment else "")
        if rest.startswith("graph/"):
            # an article's graph is its article's document; the ontology's is /ontology;
            # the others are whole in the dumps
            name = rest[len("graph/") :]
            if name.startswith("article/"):
                return f"/doc/{name}"
            return "/ontology" if name == "ontology" else "/dumps/"
        if rest.startswith("ontology#"):
            anchor = self.anchors.get(iri)
            return f"/ontology#{anchor}" if anchor else "/ontology"
        return "/" + rest


_ENTITY = re.compile(
    r'<div class="[^"]*entity[^"]*" id="([^"]+)">(?:(?!<div ).){0,600}?'
    r"<th>IRI</th>\s*<td>\s*<code>([^<]+)</code>",
    re.DOTALL,
)


def ontology_anchors(page: Path) -> dict[str, str]:
    """Term IRI → its anchor in the pyLODE page, whose ids are not the local names
    (ctld:Person is `Person1` when foaf:Person came first)."""
    if not page.is_file():
        return {}
    found = _ENTITY.findall(page.read_text(encoding="utf-8"))
    uses = Counter(anchor for anchor, _ in found)
    # pyLODE 3.3 can give several terms one id: such an anchor would land on the wrong
    # term, so those terms link to the page itself.
    return {iri: anchor for anchor, iri in found if uses[anchor] == 1}


def app_state(request: Request) -> AppState:
    """The state the app's lifespan built, as every route reads it."""
    return request.app.state.ctld
