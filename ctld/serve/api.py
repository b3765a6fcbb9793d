"""`/api/queries`: every packaged query as a REST endpoint, described in OpenAPI 3.

The OpenAPI document is generated from the `#+` metadata of the .rq files, so adding a
query file adds an endpoint, its parameters and its documentation at once.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ctld.core.errors import ParameterError, QueryRefusedError, QueryTimeoutError, StoreError
from ctld.core.version import VERSION
from ctld.query.engine import QueryRequest
from ctld.query.packaged import PackagedQuery
from ctld.serve.endpoint import (
    GRAPH_OFFERS,
    SOLUTION_OFFERS,
    choose_media_type,
    error,
    failure,
    payload_response,
    run,
)
from ctld.serve.forms import url_parameters
from ctld.serve.state import app_state

SCHEMAS: dict[str, dict[str, str]] = {
    "iri": {"type": "string", "format": "iri"},
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "date": {"type": "string", "format": "date"},
    "year": {"type": "string", "pattern": "^-?[0-9]{4}$"},
}
RESERVED = {"format"}


def describe(query: PackagedQuery) -> dict[str, Any]:
    return {
        "name": query.name,
        "summary": query.summary,
        "description": query.description,
        "form": query.form,
        "url": f"/api/queries/{query.name}",
        "parameters": [
            {"name": p.name, "type": p.type, "description": p.description,
             "required": p.required, "default": p.default, "example": p.example}
            for p in query.parameters
        ],
        "example": query.example,
        "query": query.file.text,
    }


async def catalogue(request: Request) -> Response:
    ctx = app_state(request)
    return JSONResponse({"queries": [describe(q) for q in ctx.queries.values()]})


async def packaged(request: Request) -> Response:
    ctx = app_state(request)
    name = request.path_params["name"]
    query = ctx.queries.get(name)
    if query is None:
        return error(404, f"no packaged query '{name}'; see /api/queries")
    try:
        params = url_parameters(request)
    except ValueError as exc:
        return error(400, f"query '{name}': {exc}")
    values = {k: v for k, v in params.items() if k not in RESERVED}
    for key in params:
        if len(params.getlist(key)) > 1:
            return error(400, f"query '{name}', parameter '{key}': give it once")
    try:
        text = query.bind(values, ctx.base_iri)
        media_type = choose_media_type(request, params, query.form)
        query_request = QueryRequest(text, media_type, ctx.settings.row_limit, base=ctx.base_iri)
        payload = await run(request, query_request)
    except ParameterError as exc:
        return error(400, str(exc))
    except (QueryRefusedError, QueryTimeoutError, StoreError) as exc:
        return failure(exc)
    return payload_response(payload, ctx.settings.row_limit)


def _typed(key: str, kind: str, value: str | None) -> dict[str, Any]:
    """A default or example as its schema's JSON type: validators reject "3" for 3."""
    if value is None:
        return {}
    if kind == "integer":
        try:
            return {key: int(value)}
        except ValueError:
            return {}
    return {key: value}


def openapi_document(queries: dict[str, PackagedQuery], server_url: str) -> dict[str, Any]:
    paths: dict[str, Any] = {
        "/api/queries": {
            "get": {
                "operationId": "listQueries",
                "summary": "The packaged queries, their parameters and SPARQL text",
                "responses": {"200": {"description": "The catalogue",
                                      "content": {"application/json": {}}}},
            }
        }
    }  # fmt: skip
    for query in queries.values():
        offers = GRAPH_OFFERS if query.form in ("CONSTRUCT", "DESCRIBE") else SOLUTION_OFFERS
        parameters = [
            {
                "name": p.name,
                "in": "query",
                "required": p.required and p.default is None,
                "description": p.description or p.name,
                "schema": {**SCHEMAS[p.type], **_typed("default", p.type, p.default)},
                **_typed("example", p.type, p.example),
            }
            for p in query.parameters
        ]
        parameters.append({
            "name": "format", "in": "query", "required": False,
            "description": "Result format, instead of the Accept header",
            "schema": {"type": "string", "enum": ["json", "xml", "csv", "tsv", "turtle",
                                                  "ntriples", "jsonld", "rdfxml", "trig"]},
        })  # fmt: skip
        paths[f"/api/queries/{query.name}"] = {
            "get": {
                "operationId": query.name.replace("-", "_"),
                "summary": query.summary,
                "description": query.description,
                "tags": [str(t) for t in query.file.metadata.get("tags", [])] or ["queries"],
                "parameters": parameters,
                "responses": {
                    "200": {"description": f"{query.form} results",
                            "content": {t: {} for t in offers}},
                    "400": {"description": "A parameter is missing or not of its type",
                            "content": {"text/plain": {}}},
                    "503": {"description": "The query ran past the time limit",
                            "content": {"text/plain": {}}},
                },
            }
        }  # fmt: skip
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "ctld packaged queries",
            "version": VERSION,
            "description": "Competency questions over the Counter-Terrorism Linked Data "
            "graph, each a SPARQL query file with typed parameters. Values are bound as RDF "
            "terms, never spliced into the query text.",
            "license": {"name": "Apache-2.0"},
        },
        "servers": [{"url": server_url}],
        "paths": paths,
    }


async def openapi(request: Request) -> Response:
    ctx = app_state(request)
    server = str(request.base_url).rstrip("/")
    return JSONResponse(openapi_document(ctx.queries, server))


async def docs(request: Request) -> Response:
    ctx = app_state(request)
    queries = [describe(q) for q in ctx.queries.values()]
    return ctx.templates.TemplateResponse(request, "api.html", {"queries": queries})


def routes() -> list[Route]:
    return [
        Route("/api/queries", catalogue, name="queries"),
        Route("/api/queries/{name}", packaged, name="packaged"),
        Route("/openapi.json", openapi, name="openapi"),
        Route("/api/docs", docs, name="docs"),
    ]
