"""The serving commands behind `ctld serve`, `ctld query` and `ctld publish`.

They turn command-line options into explicit settings and report; the work itself
is in ctld.serve.app, ctld.query.engine and ctld.query.graphstore.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ctld.core.errors import CtldError, MissingPathError, ParameterError
from ctld.core.settings import DEFAULT_BASE_IRI, Settings
from ctld.query.engine import Engine, QueryRequest, RemoteEngine, StoreEngine
from ctld.query.graphstore import upload
from ctld.query.packaged import read_catalog
from ctld.query.results import table
from ctld.query.store import Release, memory_store
from ctld.serve.app import ServerSettings, create_app
from ctld.serve.site import write_site

FORMATS = {
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "turtle": "text/turtle",
}


def serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn


    release = Release(args.dist.resolve())
    release.fingerprint  # noqa: B018 - fails early, with the path, when there is no release
    options = {"workers": args.workers} if args.workers else {}
    server = ServerSettings(
        project=settings,
        release_dir=release.directory,
        base_iri=args.base_iri or DEFAULT_BASE_IRI,
        store_path=args.store.resolve() if args.store else None,
        endpoint=args.endpoint,
        timeout=args.timeout,
        row_limit=args.row_limit,
        hash_joins=args.hash_joins,
        **options,
    )
    print(f"ctld: serving {release.directory} at http://{args.host}:{args.port}/ "
          f"(SPARQL: /sparql, queries: /api/docs); Ctrl-C stops", file=sys.stderr)  # fmt: skip
    uvicorn.run(create_app(server), host=args.host, port=args.port, log_level="warning")
    return 0


def _engine(args: argparse.Namespace) -> Engine:
    if args.endpoint:
        return RemoteEngine(args.endpoint)
    return StoreEngine(memory_store(Release(Path(args.dist))))


def _values(name: str, pairs: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ParameterError(name, pair, "write --param NAME=VALUE")
        if key in values:
            raise ParameterError(name, key, "given twice")
        values[key] = value
    return values


def query(settings: Settings, args: argparse.Namespace) -> int:
    catalog = read_catalog(settings.queries_dir)
    if not args.name:
        for entry in catalog.values():
            params = " ".join(f"{p.name}:{p.type}" for p in entry.parameters)
            print(f"{entry.name:<28} {entry.summary}" + (f"  [{params}]" if params else ""))
        return 0
    packaged = catalog.get(args.name)
    if packaged is None:
        raise MissingPathError(settings.queries_dir / f"{args.name}.rq", "packaged query")
    text = packaged.bind(_values(args.name, args.param), DEFAULT_BASE_IRI)
    graph = packaged.form in ("CONSTRUCT", "DESCRIBE")
    if args.format == "table":
        media_type = "text/turtle" if graph else "application/sparql-results+json"
    elif (args.format == "turtle") != graph:
        raise CtldError(f"--format {args.format} does not fit a {packaged.form} query")
    else:
        media_type = FORMATS[args.format]
    engine = _engine(args)
    try:
        payload = engine.run(QueryRequest(text, media_type, limit=10**9))
    finally:
        engine.close()
    if args.format != "table" or graph:
        sys.stdout.buffer.write(payload.body)
        return 0
    names, rows = table(payload.body)
    cells = [[_cell(term) for term in row] for row in rows]
    widths = [max([len(n), *(len(r[i]) for r in cells)]) for i, n in enumerate(names)]
    print("  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip())
    for row in cells:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    print(f"({len(rows)} row(s))", file=sys.stderr)
    return 0


def _cell(term: object) -> str:
    if term is None:
        return ""
    value = getattr(term, "value", str(term))
    return value.replace("\n", " ")


def publish(settings: Settings, args: argparse.Namespace) -> int:
    if args.site is not None:

        site = write_site(settings, Path(args.dist).resolve(), args.site.resolve(),
                          args.base_iri or DEFAULT_BASE_IRI)  # fmt: skip
        print(f"ctld publish: {site.resources} resource page(s), {site.files} file(s) in "
              f"{args.site}", file=sys.stderr)  # fmt: skip
        return 0

    result = upload(Path(args.dist), args.to, timeout=args.timeout)
    print(f"ctld publish: {result.graphs} graph(s), {result.triples} triple(s) to {args.to}",
          file=sys.stderr)  # fmt: skip
    return 0
