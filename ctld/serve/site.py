"""`ctld publish --site DIR`: the linked-data pages as files any static host serves.

The pages are the server's own (same page queries, same templates), rendered once per
resource with the embedded engine; the search box reads a JSON index instead of
`/search`. Paths keep the server's shape — `/doc/{kind}/{slug}/` (an index.html) next
to `/doc/{kind}/{slug}.ttl` and friends — so a link means the same on both, and an
`.htaccess` gives w3id.org-style hosting its 303 and content negotiation for `/id/`.
The site is written beside DIR and swapped in whole.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from starlette.templating import Jinja2Templates

from ctld.core.outputs import write_atomic
from ctld.core.settings import DEFAULT_BASE_IRI, Settings
from ctld.core.swap import replace_directory
from ctld.link.labels import LabelIndex, ascii_fold
from ctld.query.engine import QueryRequest, StoreEngine
from ctld.query.packaged import read_catalog
from ctld.query.store import Release, memory_store
from ctld.serve.pages import kind_rows
from ctld.serve.pageview import article_text, resource_view
from ctld.serve.state import PACKAGE, AppState, ServerSettings, ontology_anchors

RDF_FILES = {
    ".ttl": "text/turtle",
    ".jsonld": "application/ld+json",
    ".nt": "application/n-triples",
    ".rdf": "application/rdf+xml",
}
ONTOLOGY_FILES = ("ontology.html", "ontology.ttl", "ontology.owl", "ontology.jsonld")
_PATH = re.compile(r"([a-z][a-z0-9-]*)/([A-Za-z0-9_~-][A-Za-z0-9._~-]*)")

HTACCESS = """# ctld static site: /id/ answers 303 See Other to the document the client accepts.
Options -MultiViews
RewriteEngine On
AddType text/turtle .ttl
AddType application/ld+json .jsonld
AddType application/n-triples .nt
AddType application/rdf+xml .rdf .owl
RewriteCond %{HTTP_ACCEPT} text/turtle
RewriteRule ^id/(.+)$ doc/$1.ttl [R=303,L]
RewriteCond %{HTTP_ACCEPT} application/ld\\+json
RewriteRule ^id/(.+)$ doc/$1.jsonld [R=303,L]
RewriteCond %{HTTP_ACCEPT} application/n-triples
RewriteRule ^id/(.+)$ doc/$1.nt [R=303,L]
RewriteCond %{HTTP_ACCEPT} application/rdf\\+xml
RewriteRule ^id/(.+)$ doc/$1.rdf [R=303,L]
RewriteRule ^id/(.+)$ doc/$1/ [R=303,L]
RewriteCond %{HTTP_ACCEPT} text/turtle
RewriteRule ^ontology$ ontology.ttl [R=303,L]
RewriteCond %{HTTP_ACCEPT} application/rdf\\+xml
RewriteRule ^ontology$ ontology.owl [R=303,L]
RewriteRule ^ontology$ ontology/ [R=303,L]
"""


@dataclass(frozen=True)
class Site:
    resources: int
    files: int


def site_context(project: Settings, release_dir: Path, base_iri: str) -> AppState:
    """The server's AppState over the embedded engine, for rendering without a server."""
    release = Release(release_dir)
    engine = StoreEngine(memory_store(release))
    pages = read_catalog(project.pages_dir)
    templates = Jinja2Templates(directory=str(PACKAGE / "templates"))
    context = AppState(
        settings=ServerSettings(project, release_dir, base_iri=base_iri),
        release=release,
        engine=engine,
        queries=read_catalog(project.queries_dir),
        pages=pages,
        labels=LabelIndex.load(engine, pages["labels"], base_iri),
        report=json.loads((release_dir / "build-report.json").read_text("utf-8")),
        fingerprint=release.fingerprint,
        templates=templates,
        anchors=ontology_anchors(release_dir / "ontology.html"),
    )
    templates.env.globals["ctx"] = context
    templates.env.globals["static_site"] = True
    return context


def _render(ctx: AppState, template: str, **values: object) -> str:
    return ctx.templates.env.get_template(template).render(**values)


def write_site(
    project: Settings,
    release_dir: Path,
    out: Path,
    base_iri: str = DEFAULT_BASE_IRI,
    progress: Callable[[int, int], None] | None = None,
) -> Site:
    ctx = site_context(project, release_dir, base_iri)
    staging = out.with_name(out.name + ".staging")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    files = 0

    def write(relative: str, content: str | bytes) -> None:
        nonlocal files
        data = content.encode("utf-8") if isinstance(content, str) else content
        write_atomic(staging / relative, data)
        files += 1

    resources = [iri for kind in sorted(ctx.resources()) for iri in ctx.resources()[kind]]
    for done, iri in enumerate(resources, 1):
        path = iri[len(base_iri) + 3 :]
        match = _PATH.fullmatch(path)
        if not match:
            continue
        kind, slug = match.groups()
        view = resource_view(ctx, iri, kind, slug)
        if view is None:
            continue
        write(f"doc/{path}/index.html", _render(ctx, "resource.html", view=view))
        if kind == "article":
            graph = f"{base_iri}graph/article/{slug}"
            text = ctx.pages["article"].bind({"resource": iri, "graph": graph}, base_iri)
            body = article_text(ctx, slug)
            if body is not None:
                write(f"doc/{path}.txt", body)
        else:
            text = ctx.pages["describe"].bind({"resource": iri}, base_iri)
        for suffix, media_type in RDF_FILES.items():
            payload = ctx.engine.run(QueryRequest(text, media_type, limit=10**9))
            write(f"doc/{path}{suffix}", payload.body)
        if progress is not None:
            progress(done, len(resources))

    for kind in sorted(ctx.resources()):
        write(f"doc/{kind}/index.html", _render(ctx, "kind.html", kind=kind,
                                                rows=kind_rows(ctx, kind)))  # fmt: skip
    write("index.html", _index(ctx))
    write("search/index.html", _render(ctx, "search.html", query="", results=[]))
    write("search-index.json", _search_index(ctx))
    sums = (release_dir / "SHA256SUMS").read_text(encoding="utf-8")
    listed: list[dict[str, str | int]] = []
    (staging / "dumps").mkdir()
    for line in sums.splitlines():
        digest, _, name = line.partition("  ")
        if name:
            shutil.copyfile(release_dir / name, staging / "dumps" / name)
            files += 1
            size = (release_dir / name).stat().st_size
            listed.append({"name": name, "sha256": digest, "bytes": size, "href": f"/dumps/{name}"})
    write("dumps/SHA256SUMS", sums)
    listed.sort(key=lambda f: f["name"])
    write("dumps/index.html", _render(ctx, "dumps.html", files=listed))
    write(".well-known/void", (release_dir / "void.ttl").read_bytes())
    for name in ONTOLOGY_FILES:
        write(name, (release_dir / name).read_bytes())
    write("ontology/index.html", (release_dir / "ontology.html").read_bytes())
    for asset in sorted((PACKAGE / "static").iterdir()):
        write(f"static/{asset.name}", asset.read_bytes())
    write(".htaccess", HTACCESS)
    replace_directory(staging, out)
    return Site(len(resources), files)


def _index(ctx: AppState) -> str:
    kinds = {kind: len(iris) for kind, iris in sorted(ctx.resources().items())}
    return _render(ctx, "index.html", classes=ctx.classes(), report=ctx.report, downloads=[],
                   kinds=kinds)  # fmt: skip


def _search_index(ctx: AppState) -> str:
    """Every resource with its display name and the folded forms of all its names, so
    the page's script matches accent- and script-insensitively as /search does."""
    entries = []
    for iri, labels in sorted(ctx.labels.labels.items()):
        href = ctx.local_path(iri)
        if href is None:
            continue
        keys = sorted({ascii_fold(label.text) for label in labels} | {label.text.lower()
                                                                 for label in labels})
        entries.append({"href": href + "/", "label": ctx.labels.name(iri), "keys": keys,
                        "kind": href.split("/")[2]})  # fmt: skip
    return json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
