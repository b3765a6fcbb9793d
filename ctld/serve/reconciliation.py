"""`/reconcile`: a Reconciliation Service (W3C Entity Reconciliation CG, API v0.2).

OpenRefine and other clients match a column of names against our resources through it,
so a spreadsheet of organizations, people or places gets our IRIs. What v0.2 asks
(and what the 1.0 draft keeps) is served: the manifest on a bare GET, query batches by
GET or form POST, suggest services for entities, types and properties under
`/reconcile/suggest/…` (the 1.0 layout), an HTML preview, CORS (app-wide) and JSONP.

Identifiers are `kind/slug` in the identifier space `{base}id/` (so `organization/unodc`
is https://w3id.org/ctld/id/organization/unodc), which makes the view and preview
templates plain paths; a full IRI is accepted wherever an id is. Types are class IRIs of
the ontology. The index is built from the page queries at first use and kept on the
server's context; scoring lives in ctld.link.matching and ctld.link.ranking.
"""

from __future__ import annotations

import html
import json
import re
import threading
from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from ctld.core.errors import QueryRefusedError, QueryTimeoutError, StoreError
from ctld.core.version import VERSION
from ctld.link.labels import LabelIndex
from ctld.link.ranking import (
    CTLD,
    PROPERTIES,
    Candidate,
    Condition,
    Graph,
    Query,
    Reconciler,
)  # fmt: skip
from ctld.query.engine import Engine, QueryRequest
from ctld.query.packaged import PackagedQuery
from ctld.query.results import table
from ctld.serve.endpoint import BodyTooLarge, read_body
from ctld.serve.forms import content_type, form_pairs, url_parameters
from ctld.serve.state import AppState

VERSIONS = ["0.2"]
BATCH_SIZE = 100
MAX_LIMIT = 100
MAX_VALUES = 50
MAX_TEXT = 1000  # a name, not a document: longer texts would only cost time
LANGUAGES = ("en", "fr", "es", "pt", "ru", "ar")
DEFAULT_TYPES = ("Organization", "IntergovernmentalOrganization", "UnitedNationsEntity",
                 "GovernmentAgency", "State", "Person", "Post", "Place", "City", "Resolution",
                 "Instrument", "Topic", "Event")  # fmt: skip
_CALLBACK = re.compile(r"[A-Za-z_$][\w$.]*")
_STRICT = ("any", "all", "should")


class BatchError(ValueError):
    """A query batch that breaks the protocol: a 400 naming the faulty query."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def load(engine: Engine, pages: Mapping[str, PackagedQuery], labels: LabelIndex,
         base_iri: str) -> Reconciler:  # fmt: skip
    """The reconciliation index from the page queries (labels come from the server's
    LabelIndex, which already holds every name in every language)."""

    def rows(name: str, values: dict[str, str]) -> list[list[Any]]:
        text = pages[name].bind(values, base_iri)
        return table(engine.run(QueryRequest(text, limit=10**9)).body)[1]

    base = {"base": f"{base_iri}id/"}
    types = [(r.value, t.value) for r, t in rows("reconcile-types", base) if r and t]
    classes = [
        (c.value, label.value if label else "", getattr(label, "language", None) or "",
         up.value if up else None, d.value if d else None)
        for c, label, up, d in rows("reconcile-classes", {}) if c
    ]  # fmt: skip
    relations = [
        (r.value, p.value, v.value, isinstance(v, ox.NamedNode))
        for r, p, v in rows("reconcile-relations", base) if r and p and v
    ]  # fmt: skip
    return Reconciler(labels, Graph(types, classes, relations), base_iri)


def reconciler(ctx: AppState) -> Reconciler:
    """Built at first use and kept on the context: starting the server costs nothing
    more, and a swapped release comes with a new context, hence a new index."""
    cache = vars(ctx)
    found = cache.get("reconciler")
    if found is None:
        with cache.setdefault("reconciler_lock", threading.Lock()):
            found = cache.get("reconciler")
            if found is None:
                found = load(ctx.engine, ctx.pages, ctx.labels, ctx.base_iri)
                cache["reconciler"] = found
    return found


# --- the query batch ----------------------------------------------------------------------


def class_iri(rec: Reconciler, key: str, value: object) -> str:
    """A type id as a known class IRI: the IRI itself, `ctld:Name` or `Name`."""
    if not isinstance(value, str) or not value.strip():
        raise BatchError(f"query {key!r}: 'type' must be a class IRI or a list of them")
    text = value.strip()
    for candidate in (text, CTLD + text.removeprefix("ctld:")):
        if candidate in rec.graph.known_classes:
            return candidate
    raise BatchError(f"query {key!r}: unknown type {text!r} (use a class of {CTLD})")


def property_id(key: str, pid: object) -> str:
    for prop in PROPERTIES:
        if pid == prop.id or pid in prop.aliases:
            return prop.id
    known = ", ".join(p.id for p in PROPERTIES)
    raise BatchError(f"query {key!r}: unknown property {pid!r} (known: {known})")


def _value(key: str, value: object) -> object:
    if isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return value
    raise BatchError(f"query {key!r}: a property value must be a string, number, boolean "
                     "or an object with an 'id'")  # fmt: skip


def parse_query(rec: Reconciler, key: str, raw: object) -> Query:
    """One query of a batch, checked against the v0.2 query schema."""
    if not isinstance(raw, dict):
        raise BatchError(f"query {key!r}: must be a JSON object")
    text = raw.get("query", "")
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        raise BatchError(f"query {key!r}: 'query' must be a string of at most {MAX_TEXT} "
                         "characters")  # fmt: skip
    types = raw.get("type", [])
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list):
        raise BatchError(f"query {key!r}: 'type' must be a string or a list of strings")
    limit = raw.get("limit", 10)
    if isinstance(limit, float) and limit.is_integer():  # 5.0 (is_integer: never inf, NaN)
        limit = int(limit)
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise BatchError(f"query {key!r}: 'limit' must be a positive integer")
    strict = raw.get("type_strict", "any")
    if strict not in _STRICT:
        raise BatchError(f"query {key!r}: 'type_strict' must be one of {', '.join(_STRICT)}")
    properties = raw.get("properties", [])
    if not isinstance(properties, list):
        raise BatchError(f"query {key!r}: 'properties' must be a list of {{pid, v}} objects")
    conditions = []
    for item in properties:
        if not isinstance(item, dict) or "pid" not in item or "v" not in item:
            raise BatchError(f"query {key!r}: each property must be an object with 'pid' and 'v'")
        values = item["v"] if isinstance(item["v"], list) else [item["v"]]
        if len(values) > MAX_VALUES:
            raise BatchError(f"query {key!r}: at most {MAX_VALUES} values for a property")
        checked = tuple(_value(key, v) for v in values)
        conditions.append(Condition(property_id(key, item["pid"]), checked))
    if not text.strip() and not conditions:
        raise BatchError(f"query {key!r}: give a non-empty 'query' or some 'properties'")
    return Query(text, tuple(class_iri(rec, key, t) for t in types), strict,
                 min(int(limit), MAX_LIMIT), tuple(conditions))  # fmt: skip


def parse_batch(rec: Reconciler, text: str) -> dict[str, Query]:
    """The `queries` parameter: a JSON object of queries by key."""
    try:
        batch = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise BatchError(f"'queries' is not JSON: {exc}") from None
    if not isinstance(batch, dict):
        raise BatchError("'queries' must be a JSON object mapping keys to queries")
    if len(batch) > BATCH_SIZE:
        raise BatchError(f"at most {BATCH_SIZE} queries in one batch (got {len(batch)})", 413)
    return {str(key): parse_query(rec, str(key), raw) for key, raw in batch.items()}


# --- answers ------------------------------------------------------------------------------


def language(request: Request) -> str:
    """The first of our languages the client accepts (1.0: Accept-Language), else English."""
    for part in request.headers.get("accept-language", "").split(","):
        tag = part.split(";")[0].strip().lower().split("-")[0]
        if tag in LANGUAGES:
            return tag
    return "en"


def local_id(rec: Reconciler, iri: str) -> str:
    return iri.removeprefix(rec.ids)


def type_json(rec: Reconciler, cls: str, lang: str) -> dict[str, str]:
    return {"id": cls, "name": rec.graph.class_name(cls, lang)}


def candidate_json(rec: Reconciler, c: Candidate, lang: str) -> dict:
    features: list[dict[str, Any]] = [{"id": "name_similarity", "value": c.name_similarity},
                                      {"id": "type_match", "value": c.type_match}]  # fmt: skip
    features += [{"id": f"property:{pid}", "value": v == "match"} for pid, v in c.agreement.items()]
    return {
        "id": local_id(rec, c.iri),
        "name": rec.name(c.iri, lang),
        "type": [type_json(rec, t, lang) for t in rec.graph.specific_types(c.iri)],
        "score": c.score,
        "match": c.match,
        "description": rec.describe(c.iri, lang),
        "features": features,
    }


def manifest(rec: Reconciler, root: str, base_iri: str) -> dict[str, Any]:
    """The service manifest (v0.2), with URLs on this server."""
    suggest = {kind: {"service_url": f"{root}reconcile", "service_path": f"/suggest/{kind}"}
               for kind in ("entity", "type", "property")}  # fmt: skip
    defaults = [CTLD + name for name in DEFAULT_TYPES if CTLD + name in rec.graph.class_labels]
    return {
        "versions": VERSIONS,
        "name": "Counter-Terrorism Linked Data (ctld)",
        "identifierSpace": f"{base_iri}id/",
        "schemaSpace": CTLD,
        "documentation": f"{root}",
        "serviceVersion": VERSION,
        "defaultTypes": [type_json(rec, cls, "en") for cls in defaults],
        "view": {"url": f"{root}doc/{{{{id}}}}"},
        "preview": {"url": f"{root}reconcile/preview?id={{{{id}}}}", "width": 420, "height": 180},
        "suggest": suggest,
        "batchSize": BATCH_SIZE,
    }


def reply(request: Request, params: Mapping[str, str], body: object,
          lang: str | None = None) -> Response:  # fmt: skip
    """JSON, or JSONP when a `callback` is given (a name, never script)."""
    callback = params.get("callback")
    headers = {"Content-Language": lang} if lang else {}
    if callback is None:
        return JSONResponse(body, headers=headers)
    if len(callback) > 128 or not _CALLBACK.fullmatch(callback):
        return problem(400, "'callback' must be a JavaScript name ([A-Za-z_$][A-Za-z0-9_$.]*)")
    text = json.dumps(body, ensure_ascii=False)
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    script = f"/**/{callback}({text});"
    headers |= {"X-Content-Type-Options": "nosniff"}
    return Response(script, media_type="application/javascript; charset=utf-8", headers=headers)


def problem(status: int, message: str) -> JSONResponse:
    return JSONResponse({"status": status, "error": message}, status_code=status)


async def _parameters(request: Request) -> dict[str, str] | Response:
    try:
        params = dict(url_parameters(request))
    except ValueError as exc:
        return problem(400, str(exc))
    if request.method == "POST":
        kind, _ = content_type(request.headers.get("content-type", ""))
        if kind != "application/x-www-form-urlencoded":
            return problem(415, "POST a form (application/x-www-form-urlencoded) with 'queries'")
        limit = request.app.state.ctld.settings.max_request_bytes
        try:
            body = await read_body(request, limit)
        except BodyTooLarge:
            return problem(413, f"the request is larger than {limit} bytes")
        try:
            params.update(form_pairs(body, "the form"))
        except ValueError as exc:
            return problem(400, str(exc))
    return params


async def _index(request: Request) -> Reconciler | Response:
    try:
        return await run_in_threadpool(reconciler, request.app.state.ctld)
    except (QueryRefusedError, QueryTimeoutError, StoreError) as exc:
        return problem(503, f"the reconciliation index could not be built: {exc}")


# --- routes -------------------------------------------------------------------------------


async def service(request: Request) -> Response:
    """GET without `queries`: the manifest; GET or POST with `queries`: the results."""
    params = await _parameters(request)
    if isinstance(params, Response):
        return params
    rec = await _index(request)
    if isinstance(rec, Response):
        return rec
    ctx = request.app.state.ctld
    if "queries" not in params:
        return reply(request, params, manifest(rec, str(request.base_url), ctx.base_iri))
    try:
        batch = parse_batch(rec, params["queries"])
    except BatchError as exc:
        return problem(exc.status, str(exc))
    lang = language(request)

    def answer() -> dict[str, Any]:
        return {key: {"result": [candidate_json(rec, c, lang)
                                 for c in rec.reconcile(query)]}
                for key, query in batch.items()}  # fmt: skip

    return reply(request, params, await run_in_threadpool(answer), lang)


def _paging(params: Mapping[str, str]) -> tuple[int, int]:
    try:
        cursor = max(0, int(params.get("cursor") or 0))
        limit = min(MAX_LIMIT, max(1, int(params.get("limit") or 10)))
    except ValueError:
        raise BatchError("'cursor' and 'limit' must be integers") from None
    return cursor, limit


async def suggest(request: Request) -> Response:
    """Auto-completion (prefix search) of entities, types or properties."""
    kind = request.path_params["kind"]
    if kind not in ("entity", "type", "property"):
        return problem(404, "suggest services: /reconcile/suggest/entity, type or property")
    try:
        params = dict(url_parameters(request))
    except ValueError as exc:
        return problem(400, str(exc))
    rec = await _index(request)
    if isinstance(rec, Response):
        return rec
    lang = language(request)
    try:
        cursor, limit = _paging(params)
        cls = class_iri(rec, "type", params["type"]) if params.get("type") else None
    except BatchError as exc:
        return problem(400, str(exc))
    prefix = params.get("prefix", "")[:MAX_TEXT]
    if kind == "entity":
        found = await run_in_threadpool(rec.suggest, prefix, cls)
        result = [{"id": local_id(rec, iri), "name": rec.name(iri, lang),
                   "description": rec.describe(iri, lang),
                   "notable": [type_json(rec, t, lang) for t in rec.graph.specific_types(iri)]}
                  for iri in found[cursor : cursor + limit]]  # fmt: skip
    elif kind == "type":
        result = suggest_types(rec, prefix, lang)[cursor : cursor + limit]
    else:
        result = [{"id": p.id, "name": p.name, "description": p.description}
                  for p in PROPERTIES if _starts(prefix, p.name, p.id, *p.aliases)]  # fmt: skip
        result = result[cursor : cursor + limit]
    return reply(request, params, {"result": result}, lang)


def _starts(prefix: str, *names: str) -> bool:
    wanted = prefix.strip().lower()
    return any(n.lower().startswith(wanted) or f" {wanted}" in n.lower() for n in names)


def suggest_types(rec: Reconciler, prefix: str, lang: str) -> list[dict[str, Any]]:
    graph = rec.graph
    result = []
    for cls in sorted(graph.class_labels, key=lambda c: graph.class_name(c, lang)):
        names = [*graph.class_labels[cls].values(), cls.rsplit("#", 1)[-1], cls]
        if _starts(prefix, *names):
            broader = [type_json(rec, b, lang) for b in sorted(graph.broader.get(cls, ()))
                       if b.startswith(CTLD)]  # fmt: skip
            item = {**type_json(rec, cls, lang), "broader": broader}
            if cls in graph.class_definitions:
                item["description"] = graph.class_definitions[cls]
            result.append(item)
    return result


async def preview(request: Request) -> Response:
    """A small HTML card for an entity, to show in the client's iframe."""
    rec = await _index(request)
    if isinstance(rec, Response):
        return rec
    ctx = request.app.state.ctld
    iri = rec.iri(request.query_params.get("id", ""))
    if iri is None:
        return HTMLResponse("<!DOCTYPE html><p>No such entity.</p>", status_code=404)
    lang = language(request)
    name = rec.name(iri, lang)
    others = sorted({label.text for label in rec.labels.labels.get(iri, [])} - {name})
    kinds = ", ".join(rec.graph.class_name(t, lang) for t in rec.graph.specific_types(iri))
    esc = html.escape
    body = (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{esc(name)}</title><style>body{{font:14px/1.4 sans-serif;margin:8px}}"
        f"p{{margin:2px 0}}.k{{color:#555}}.a{{color:#333;font-size:90%}}</style></head><body>"
        f'<p><a href="{esc(ctx.local_path(iri) or iri)}" target="_blank" rel="noopener">'
        f'<strong>{esc(name)}</strong></a> <span class="k">{esc(kinds)}</span></p>'
        f"<p>{esc(rec.describe(iri, lang))}</p>"
        f'<p class="a">{esc(" · ".join(others[:12]))}</p>'
        f"<p><code>{esc(iri)}</code></p></body></html>"
    )
    policy = "default-src 'none'; style-src 'unsafe-inline'"
    headers = {"Content-Language": lang, "Content-Security-Policy": policy}
    return HTMLResponse(body, headers=headers)


def routes() -> list[Route]:
    return [
        Route("/reconcile", service, methods=["GET", "POST"], name="reconcile"),
        Route("/reconcile/preview", preview, name="reconcile-preview"),
        Route("/reconcile/suggest/{kind:str}", suggest, name="reconcile-suggest"),
    ]
