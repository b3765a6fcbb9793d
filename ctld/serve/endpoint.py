"""`/sparql`: the SPARQL 1.1 Protocol, read-only, with a time limit and a row cap.

GET and POST (form-encoded or `application/sparql-query`) with `default-graph-uri` and
`named-graph-uri`; results by Accept (or a `format` parameter, for links and browsers);
a Service Description on a GET without a query, or the HTML query page for browsers.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MultiDict
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from ctld.core.errors import QueryRefusedError, QueryTimeoutError, StoreError
from ctld.query.engine import QueryRequest
from ctld.query.pool import PoolEngine
from ctld.query.querytext import inspect_query
from ctld.query.results import GRAPH_TYPES, Payload
from ctld.serve.forms import content_type, form_pairs, is_utf8, url_parameters, utf8
from ctld.serve.negotiation import RDF_ALIASES, negotiate, negotiate_rdf

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
SOLUTION_OFFERS = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "application/json",
    "application/xml",
]
GRAPH_OFFERS = list(GRAPH_TYPES)
SHORT_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "ntriples": "application/n-triples",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "trig": "application/trig",
}
DESCRIPTION_TYPES = {
    "text/turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
}


class BodyTooLarge(Exception):
    pass


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing to buffer more than `limit` bytes."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    chunks = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def error(status: int, message: str) -> Response:
    return PlainTextResponse(message + "\n", status_code=status)


async def request_parameters(request: Request, limit: int) -> MultiDict | Response:
    """The protocol's parameters from the URL, a form body, or a query body.

    The protocol's text is UTF-8: a body declared in another charset is refused (415,
    as the W3C suite's bad_query_non_utf8 expects for UTF-16), and bytes that are not
    UTF-8 get 400. Replaced by U+FFFD, they would reach the parser as a puzzling syntax
    error or, inside a string, silently match nothing."""
    try:
        params = list(url_parameters(request).multi_items())
    except ValueError as exc:
        return error(400, str(exc))
    if request.method == "POST":
        kind, charset = content_type(request.headers.get("content-type", ""))
        try:
            body = await read_body(request, limit)
        except BodyTooLarge:
            return error(413, f"the request is larger than {limit} bytes")
        if kind == "application/sparql-update":
            return error(403, "this endpoint is read-only: SPARQL Update is not accepted")
        if not is_utf8(charset):
            return error(415, f"the request body is declared {charset}: SPARQL requests "
                              "are UTF-8")  # fmt: skip
        try:
            if kind == "application/x-www-form-urlencoded":
                params += form_pairs(body, "the form")
            elif kind == "application/sparql-query":
                params.append(("query", utf8(body, "the query")))
            else:
                return error(415, "POST a form (application/x-www-form-urlencoded) or a query "
                                  "(application/sparql-query)")  # fmt: skip
        except ValueError as exc:
            return error(400, str(exc))
    elif len(str(request.url)) > limit:
        return error(414, f"the request URL is longer than {limit} bytes")
    return MultiDict(params)


GRAPH_ALIASES = {
    "json-ld": "application/ld+json",
    "n3": "text/turtle",  # Turtle is N3 without its extensions: what N3 clients read
    "xml": "application/rdf+xml",
    "rdf": "application/rdf+xml",
    "rdf+xml": "application/rdf+xml",
    "json": "application/ld+json",
}  # and the media types of ctld.serve.negotiation.RDF_ALIASES


def _from_format(values: list[str], offers: list[str], graph: bool) -> str | None:
    """The first usable media type among `format`/`output` values, as clients send them:
    short names (json, xml, csv, n3, json-ld) or comma-separated media types."""
    for value in values:
        for item in value.split(","):
            name = item.split(";")[0].strip().lower()
            candidates = [GRAPH_ALIASES.get(name, ""), RDF_ALIASES.get(name, ""),
                          SHORT_FORMATS.get(name, ""), name]  # fmt: skip
            if not graph:
                candidates = [SHORT_FORMATS.get(name, ""), name]
            for candidate in candidates:
                if candidate in offers:
                    return candidate
    return None


def choose_media_type(request: Request, params: MultiDict, form: str) -> str:
    """From `format` (or `output`) when it names a usable format, else from Accept.

    Clients such as SPARQLWrapper send both, with `format` values of their own naming;
    a value that fits nothing falls back to the Accept header instead of failing.
    """
    graph = form in ("CONSTRUCT", "DESCRIBE")
    offers = GRAPH_OFFERS if graph else SOLUTION_OFFERS
    wanted = params.getlist("format") + params.getlist("output")
    chosen = _from_format(wanted, offers, graph) if wanted else None
    if chosen:
        return chosen
    accept = request.headers.get("accept")
    chosen = negotiate_rdf(accept, offers) if graph else negotiate(accept, offers)
    if chosen is None:
        asked = f"format={wanted[0]!r}" if wanted else repr(accept)
        raise QueryRefusedError(
            f"cannot answer a {form} query in {asked}; offered: {', '.join(offers)}", 406
        )
    return chosen


async def run(request: Request, query: QueryRequest) -> Payload:
    """Runs a request on the engine without blocking the event loop."""
    engine = request.app.state.ctld.engine
    if isinstance(engine, PoolEngine):
        return await engine.run_async(query)
    return await run_in_threadpool(engine.run, query)


def payload_response(payload: Payload, limit: int) -> Response:
    media_type = payload.media_type
    if media_type.startswith("text/") or media_type.endswith("json"):
        media_type += "; charset=utf-8"
    headers = {
        "X-Ctld-Result-Limit": str(limit),
        "X-Ctld-Result-Truncated": "true" if payload.truncated else "false",
        "Vary": "Accept",
    }
    return SlicedResponse(payload.body, media_type=media_type, headers=headers)


class SlicedResponse(Response):
    """Hands a large body to the server a slice at a time.

    asyncio's socket transport sends what the socket takes of a write and copies the
    rest, once to slice it and once into its buffer: for a 12.6 MB answer that was
    about 9 ms of the event loop's time per request, which every other request waits
    for. Slices of a memoryview are sent with flow control, and only the part of one
    slice the socket did not take is copied. Content-Length still frames the body.
    """

    SLICE = 256 * 1024

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if len(self.body) <= self.SLICE:
            await super().__call__(scope, receive, send)
            return
        await send({"type": "http.response.start", "status": self.status_code,
                    "headers": self.raw_headers})  # fmt: skip
        view = memoryview(self.body)
        for start in range(0, len(view), self.SLICE):
            end = start + self.SLICE
            await send({"type": "http.response.body", "body": view[start:end],
                        "more_body": end < len(view)})  # fmt: skip
        if self.background is not None:
            await self.background()


def failure(exc: Exception) -> Response:
    if isinstance(exc, QueryRefusedError):
        return error(exc.status, str(exc))
    if isinstance(exc, QueryTimeoutError):
        return error(503, str(exc))
    if isinstance(exc, StoreError):
        return error(502, str(exc))
    raise exc


async def sparql(request: Request) -> Response:
    ctx = request.app.state.ctld
    params = await request_parameters(request, ctx.settings.max_request_bytes)
    if isinstance(params, Response):
        return params
    if "update" in params:
        return error(403, "this endpoint is read-only: the 'update' parameter is not accepted")
    texts = params.getlist("query")
    if len(texts) > 1:
        return error(400, "give one 'query' parameter, not several")
    if not texts:
        return service_description(request)
    try:
        form = inspect_query(texts[0]).form
        media_type = choose_media_type(request, params, form)
        query = QueryRequest(
            texts[0],
            media_type=media_type,
            limit=ctx.settings.row_limit,
            default_graphs=tuple(params.getlist("default-graph-uri")),
            named_graphs=tuple(params.getlist("named-graph-uri")),
            base=ctx.base_iri,
        )
        payload = await run(request, query)
    except (QueryRefusedError, QueryTimeoutError, StoreError) as exc:
        return failure(exc)
    return payload_response(payload, ctx.settings.row_limit)


def service_description(request: Request) -> Response:
    """The SPARQL 1.1 Service Description, or the query page when a browser asks."""
    ctx = request.app.state.ctld
    offers = ["text/html", *DESCRIPTION_TYPES]
    chosen = negotiate(request.headers.get("accept"), offers) or "text/turtle"
    if chosen == "text/html":
        examples = [(q.name, q.summary, q.bind(q.example, ctx.base_iri)) for q in
                    ctx.queries.values()]  # fmt: skip
        return ctx.templates.TemplateResponse(
            request, "query.html", {"examples": examples, "limit": ctx.settings.row_limit}
        )
    endpoint = URIRef(str(request.url.replace(query="", fragment="")))
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("formats", FORMATS)
    service = URIRef(f"{endpoint}#service")
    dataset = URIRef(f"{endpoint}#dataset")
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, endpoint))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                 "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML", "TriG"):
        graph.add((service, SD.resultFormat, FORMATS[name]))  # fmt: skip
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    default = BNode("defaultGraph")
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    void = URIRef(str(request.url_for("void")))
    graph.add((dataset, URIRef("http://rdfs.org/ns/void#inDataset"), void))
    graph.add((service, URIRef("http://purl.org/dc/terms/description"), Literal(
        f"Read-only SPARQL 1.1 endpoint of ctld; queries stop after {ctx.settings.timeout:g} s "
        f"and answer at most {ctx.settings.row_limit} rows.", lang="en")))  # fmt: skip
    body = graph.serialize(format=DESCRIPTION_TYPES[chosen])
    return Response(body, media_type=f"{chosen}; charset=utf-8", headers={"Vary": "Accept"})


def routes() -> list[Route]:
    return [Route("/sparql", sparql, methods=["GET", "POST"], name="sparql")]

