"""Where queries run: the embedded pyoxigraph store, or a remote SPARQL 1.1 endpoint.

Both engines take the same QueryRequest and return the same Payload, so the server,
the pages and `ctld query` never care which one answers. Every request is inspected
first (`ctld.query.querytext`): an update, LOAD or SERVICE never reaches either engine.

The default graph is the union of the dataset's named graphs (stored as such, see
ctld.query.store), as on most public endpoints; FROM / FROM NAMED in the query, or
default-graph-uri / named-graph-uri in the request, choose among the graphs the store
holds and never fetch anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol, cast

import pyoxigraph as ox

from ctld.core.errors import QueryRefusedError, StoreError
from ctld.core.namespaces import PREFIXES
from ctld.query.planner import JoinPlanner
from ctld.query.querytext import QueryShape, inspect_query
from ctld.query.results import GRAPH_TYPES, SOLUTION_TYPES, Payload, boolean, select, triples

_POSITION = re.compile(r"error at (\d+):(\d+)")


@dataclass(frozen=True)
class QueryRequest:
    text: str
    media_type: str = ""  # "" means the form's default: SPARQL JSON or Turtle
    limit: int = 10_000
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    prefixes: dict[str, str] = field(default_factory=lambda: dict(PREFIXES))
    # what relative IRIs in the query resolve against, unless it declares a BASE: the
    # W3C protocol suite sends `CONSTRUCT { <s> <p> 1 } WHERE {}` and expects an answer
    base: str = ""

    def resolved(self, shape: QueryShape) -> str:
        """The media type to answer with; QueryRefusedError(406) if it cannot be."""
        graph = shape.form in ("CONSTRUCT", "DESCRIBE")
        if not self.media_type:
            return "text/turtle" if graph else "application/sparql-results+json"
        allowed = GRAPH_TYPES if graph else SOLUTION_TYPES
        if self.media_type not in allowed:
            kinds = ", ".join(allowed)
            raise QueryRefusedError(
                f"a {shape.form} query cannot answer in {self.media_type}; use one of: {kinds}",
                status=406,
            )
        return self.media_type


class Engine(Protocol):
    def run(self, request: QueryRequest) -> Payload: ...

    def close(self) -> None: ...


def evaluate(store: ox.Store, request: QueryRequest, union: ox.Store | None = None,
             planner: JoinPlanner | None = None) -> Payload:  # fmt: skip
    """Runs one request on a pyoxigraph store; the only place user queries meet it.

    `union`, when given, holds the store's default graph alone (ctld.query.store.union_store)
    and answers every query that cannot read a named graph: pyoxigraph's in-memory store
    finds a subject's triples by walking all of its quads, in every graph, so a store
    without the named graphs' copies joins about 1.6x as fast, with the same answers.
    `planner` may answer a large join over the default graph by hashing (ctld.query.planner).
    """
    shape = inspect_query(request.text)
    media_type = request.resolved(shape)
    options: dict = {"base_iri": request.base or None}
    if request.default_graphs or request.named_graphs:
        options["default_graph"] = [_graph(g) for g in request.default_graphs]
        options["named_graphs"] = [_graph(g) for g in request.named_graphs]
    elif union is not None and not shape.graphs:
        store = union
    text = request.text
    # only a flat SELECT over the default graph can be planned: the others (every
    # packaged query, with its VALUES) are not read a second time
    if planner is not None and shape.form == "SELECT" and shape.flat and not shape.graphs \
            and "default_graph" not in options:  # fmt: skip
        text = planner.plan(store, text, options["base_iri"])
    try:
        result = store.query(text, **options)
        if isinstance(result, ox.QueryBoolean):
            return boolean(bool(result), media_type)
        if isinstance(result, ox.QuerySolutions):
            # the same SELECT query, run again, gives QuerySolutions again
            return select(result, media_type, request.limit,
                          lambda: cast(ox.QuerySolutions,
                                       store.query(text, **options)))  # fmt: skip
        return triples(result, media_type, request.limit, request.prefixes)
    except SyntaxError as exc:
        raise QueryRefusedError(f"syntax error: {_where(str(exc))}") from None
    except OSError as exc:
        raise StoreError(f"the store failed: {exc}") from None
    except RuntimeError as exc:
        raise QueryRefusedError(f"the query failed: {exc}") from None


def _where(message: str) -> str:
    return _POSITION.sub(lambda m: f"error at line {m[1]}, column {m[2]}", message)


def _graph(iri: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise QueryRefusedError(f"graph IRI {iri!r} is not valid: {exc}") from None


class StoreEngine:
    """Runs requests in this process: for the command line and tests, where the
    caller's own interrupt is the time limit. The server uses a WorkerPool."""

    def __init__(self, store: ox.Store, union: ox.Store | None = None,
                 planner: JoinPlanner | None = None) -> None:  # fmt: skip
        self.store = store
        self.union = union
        self.planner = planner

    def run(self, request: QueryRequest) -> Payload:
        return evaluate(self.store, request, self.union, self.planner)

    def close(self) -> None:
        pass


class RemoteEngine:
    """A remote SPARQL 1.1 endpoint through SPARQLWrapper.

    The remote answers in SPARQL JSON or N-Triples, which pyoxigraph parses; the answer
    is then written in the requested format and cut at the limit here, so a remote
    store gives the same bytes as the embedded one for the same results.
    """

    def __init__(self, endpoint: str, timeout: float = 30.0) -> None:
        self.endpoint = endpoint
        self.timeout = timeout

    def run(self, request: QueryRequest) -> Payload:
        from SPARQLWrapper import JSON, N3, POST, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        shape = inspect_query(request.text)
        media_type = request.resolved(shape)
        client = SPARQLWrapper(self.endpoint)
        client.setMethod(POST)
        client.setTimeout(max(1, round(self.timeout)))
        # the same base for the remote: a BASE the query declares comes later and wins
        base = f"BASE {ox.NamedNode(request.base)} " if request.base else ""
        client.setQuery(base + request.text)
        # SPARQLWrapper guesses the form with a regular expression that words in comments
        # can mislead into sending an update; ctld's inspector has read the tokens.
        client.queryType = shape.form
        for iri in request.default_graphs:
            client.addDefaultGraph(iri)
        for iri in request.named_graphs:
            client.addNamedGraph(iri)
        graph = shape.form in ("CONSTRUCT", "DESCRIBE")
        if graph:
            client.setReturnFormat(N3)
            client.addCustomHttpHeader("Accept", "application/n-triples, text/turtle;q=0.9")
        else:
            client.setReturnFormat(JSON)
        try:
            answer_http = client.query().response
            content_type = answer_http.headers.get("Content-Type", "")
            response = answer_http.read()
        except SPARQLWrapperException as exc:
            raise QueryRefusedError(f"the endpoint {self.endpoint} refused the query: {exc}") \
                from None  # fmt: skip
        except OSError as exc:
            raise StoreError(f"cannot reach the endpoint {self.endpoint}: {exc}") from None
        if graph:
            # N-Triples is a subset of Turtle: one parser reads either answer.
            fmt = ox.RdfFormat.RDF_XML if "rdf+xml" in content_type else ox.RdfFormat.TURTLE
            try:
                parsed = list(ox.parse(response, format=fmt))
            except SyntaxError as exc:
                raise StoreError(f"the endpoint {self.endpoint} sent unreadable RDF "
                                 f"({content_type}): {exc}") from None  # fmt: skip
            return triples(parsed, media_type, request.limit, request.prefixes)
        answer = ox.parse_query_results(response, format=ox.QueryResultsFormat.JSON)
        if isinstance(answer, ox.QueryBoolean):
            return boolean(bool(answer), media_type)
        # the same answer, parsed again, is not a boolean either
        return select(answer, media_type, request.limit, lambda: cast(ox.QuerySolutions,
            ox.parse_query_results(response, format=ox.QueryResultsFormat.JSON)))  # fmt: skip

    def close(self) -> None:
        pass
