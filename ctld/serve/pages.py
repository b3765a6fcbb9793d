"""Linked data: `/id/…` answers 303 to `/doc/…`, which negotiates HTML or RDF.

Every page is made from the queries in sparql/pages, run on whichever engine serves
the dataset, so pages look the same over the embedded store and a remote one. Pages
carry an ETag and Last-Modified from the release, so caches and crawlers revalidate
instead of downloading again.
"""

from __future__ import annotations

import json
import re

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from ctld.core.errors import QueryRefusedError, QueryTimeoutError, StoreError
from ctld.query.engine import QueryRequest
from ctld.serve.caching import cached
from ctld.serve.forms import url_parameters
from ctld.serve.negotiation import negotiate, negotiate_rdf
from ctld.serve.pageview import article_text, resource_view
from ctld.serve.state import AppState, app_state

RDF_SUFFIXES = {
    ".ttl": "text/turtle",
    ".jsonld": "application/ld+json",
    ".nt": "application/n-triples",
    ".rdf": "application/rdf+xml",
    ".html": "text/html",
    ".txt": "text/plain",
}
DOC_OFFERS = ["text/html", "text/turtle", "application/ld+json", "application/n-triples",
              "application/rdf+xml"]  # fmt: skip
_PATH = re.compile(r"([a-z][a-z0-9-]*)/([A-Za-z0-9_~-][A-Za-z0-9._~-]*)")


async def identifier(request: Request) -> Response:
    """303 See Other to the document of a resource the dataset names; 404 otherwise, so a
    crawler or a link checker learns at once that an identifier names nothing."""
    ctx = app_state(request)
    path = request.path_params["path"]
    if not _PATH.fullmatch(path):
        return PlainTextResponse(f"no resource /id/{path}\n", status_code=404)
    text = ctx.pages["exists"].bind({"resource": f"{ctx.base_iri}id/{path}"}, ctx.base_iri)
    try:
        payload = await run_in_threadpool(ctx.engine.run, QueryRequest(text))
    except (QueryRefusedError, QueryTimeoutError, StoreError) as exc:
        return PlainTextResponse(f"{exc}\n", status_code=503)
    if not json.loads(payload.body)["boolean"]:
        return PlainTextResponse(f"no resource /id/{path}\n", status_code=404)
    return RedirectResponse(f"/doc/{path}", status_code=303)


async def graph(request: Request) -> Response:
    """A named graph's IRI: 303 to where the graph is served (ctld.serve.app local_path)."""
    ctx = app_state(request)
    name = request.path_params["path"]
    if not re.fullmatch(r"(article/[A-Za-z0-9_~-][A-Za-z0-9._~-]*|ontology|authorities|inferred)",
                        name):  # fmt: skip
        return PlainTextResponse(f"no graph /graph/{name}\n", status_code=404)
    return RedirectResponse(ctx.local_path(f"{ctx.base_iri}graph/{name}") or "/", status_code=303)


async def document(request: Request) -> Response:
    ctx = app_state(request)
    path = request.path_params["path"]
    wanted = None
    for suffix, media_type in RDF_SUFFIXES.items():
        if path.endswith(suffix):
            path, wanted = path[: -len(suffix)], media_type
            break
    match = _PATH.fullmatch(path)
    if not match and re.fullmatch(r"[a-z][a-z0-9-]*/?", path) and wanted is None:
        return await listing(request, path.rstrip("/"))
    if not match:
        return PlainTextResponse(f"no document /doc/{path}\n", status_code=404)
    kind, slug = match.groups()
    iri = f"{ctx.base_iri}id/{path}"
    if wanted == "text/plain":
        text = article_text(ctx, slug) if kind == "article" else None
        if text is None:
            return PlainTextResponse(f"no article text for /doc/{path}\n", status_code=404)
        return cached(request, f"{path}.txt", PlainTextResponse(text))
    if wanted is None:
        wanted = negotiate_rdf(request.headers.get("accept"), DOC_OFFERS)
        if wanted is None:
            offered = ", ".join(DOC_OFFERS)
            return PlainTextResponse(f"not acceptable; offered: {offered}\n", status_code=406)
    response: Response
    try:
        if wanted == "text/html":
            view = await run_in_threadpool(resource_view, ctx, iri, kind, slug)
            if view is None:
                return PlainTextResponse(f"no resource {iri}\n", status_code=404)
            response = ctx.templates.TemplateResponse(request, "resource.html", {"view": view})
        else:
            response = await _rdf(ctx, iri, kind, slug, wanted)
    except (QueryRefusedError, QueryTimeoutError, StoreError) as exc:
        return PlainTextResponse(f"{exc}\n", status_code=503)
    if response.status_code != 200:
        return response
    response.headers["Vary"] = "Accept"
    link = f'<{iri}>; rel="describes"'
    response.headers["Link"] = link
    return cached(request, f"{path}\n{wanted}", response)


async def _rdf(ctx: AppState, iri: str, kind: str, slug: str, media_type: str) -> Response:
    if kind == "article":
        graph = f"{ctx.base_iri}graph/article/{slug}"
        text = ctx.pages["article"].bind({"resource": iri, "graph": graph}, ctx.base_iri)
    else:
        text = ctx.pages["describe"].bind({"resource": iri}, ctx.base_iri)
    query = QueryRequest(text, media_type=media_type, limit=100_000)
    payload = await run_in_threadpool(ctx.engine.run, query)
    if payload.count == 0:
        return PlainTextResponse(f"no resource {iri}\n", status_code=404)
    kind_header = media_type + ("; charset=utf-8" if "json" in media_type or
                                media_type.startswith("text/") else "")  # fmt: skip
    return Response(payload.body, media_type=kind_header)


def kind_rows(ctx: AppState, kind: str) -> list[dict[str, str]]:
    rows = [
        {"iri": iri, "label": ctx.labels.name(iri) or iri.rsplit("/", 1)[-1],
         "href": ctx.local_path(iri) or iri} for iri in ctx.resources().get(kind, [])
    ]  # fmt: skip
    return sorted(rows, key=lambda r: (r["label"].casefold(), r["iri"]))


async def listing(request: Request, kind: str) -> Response:
    """`/doc/{kind}/`: every resource of a kind, so crawlers and readers reach them all."""
    ctx = app_state(request)
    resources = await run_in_threadpool(ctx.resources)
    if kind not in resources:
        return PlainTextResponse(f"no resources of kind {kind}\n", status_code=404)
    rows = kind_rows(ctx, kind)
    response = ctx.templates.TemplateResponse(request, "kind.html", {"kind": kind, "rows": rows})
    return cached(request, f"kind {kind}", response)


async def index(request: Request) -> Response:
    ctx = app_state(request)
    classes = await run_in_threadpool(ctx.classes)
    downloads = [f for f in ctx.report.get("files", []) if isinstance(f, dict)]
    kinds = {k: len(v) for k, v in sorted((await run_in_threadpool(ctx.resources)).items())}
    context_vars = {"classes": classes, "report": ctx.report, "downloads": downloads,
                    "kinds": kinds}  # fmt: skip
    response = ctx.templates.TemplateResponse(request, "index.html", context_vars)
    return cached(request, "index", response)


async def search(request: Request) -> Response:
    ctx = app_state(request)
    try:
        params = url_parameters(request)
    except ValueError as exc:
        return PlainTextResponse(f"{exc}\n", status_code=400)
    query = params.get("q", "")
    kind = params.get("kind") or None
    try:
        limit = min(100, max(1, int(params.get("limit", "20"))))
    except ValueError:
        return PlainTextResponse("parameter 'limit': not a number\n", status_code=400)
    hits = ctx.labels.search(query, limit=limit, kind=kind)
    results = [
        {"iri": h.iri, "label": h.label, "matched": h.matched, "href": ctx.local_path(h.iri)}
        for h in hits
    ]
    wants = params.get("format") or negotiate(
        request.headers.get("accept"), ["text/html", "application/json"]
    )
    if wants in ("json", "application/json"):
        return JSONResponse({"query": query, "results": results})
    return ctx.templates.TemplateResponse(
        request, "search.html", {"query": query, "results": results}
    )


def routes() -> list[Route]:
    return [
        Route("/", index, name="index"),
        Route("/search", search, name="search"),
        Route("/id/{path:path}", identifier, name="identifier"),
        Route("/doc/{path:path}", document, name="document"),
        Route("/graph/{path:path}", graph, name="graph"),
    ]

