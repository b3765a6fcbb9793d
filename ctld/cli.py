"""The `ctld` command line: parses arguments, calls the library, reports.

Exit codes: 0 success / conforms, 1 the data does not conform (or is inconsistent),
2 bad input or usage (a message names the file, line or parameter), 3 an internal
error. No traceback is shown unless --debug is given.

Each command imports the stage it runs when it runs, so `ctld --help` and a mistyped
option load no engine (pyshacl, pyoxigraph, the server); the imports follow the layers
like any other (the import-layer test reads them too).
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ctld.core.errors import CtldError
from ctld.core.namespaces import shorten
from ctld.core.settings import Settings
from ctld.core.version import VERSION

if TYPE_CHECKING:  # the types only: the modules load when their command runs
    from ctld.check.violations import ValidationReport
    from ctld.extract.evaluation import Score
    from ctld.extract.extractor import Extractor

DIST_HELP = "release folder (dist)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ctld", description="Counter-Terrorism Linked Data: build, check and serve the graph."
    )
    parser.add_argument("--version", action="version", version=f"ctld {VERSION}")
    parser.add_argument("--root", type=Path, help="project directory (default: current one)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    val = sub.add_parser(
        "validate",
        help="check graphs against the SHACL shapes and the SPARQL quality checks",
        description="Validate PATHS (files or directories; default: the ontology, "
        "data/authorities and data/graphs) with shapes/ and sparql/checks/. Given paths are "
        "read together with the ontology; --authorities adds data/authorities, which "
        "article graphs point to. Exit 0 when the data conforms, 1 when it does not.",
    )
    val.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    val.add_argument(
        "--authorities", action="store_true", help="read data/authorities with the given paths"
    )
    val.add_argument("--format", choices=["text", "json"], default="text")
    val.add_argument("--no-checks", action="store_true", help="run the shapes only")
    val.add_argument("--no-shapes", action="store_true", help="run the checks only")

    rea = sub.add_parser(
        "reason",
        help="check OWL consistency with HermiT",
        description="Load the ontology with PATHS (default: the authorities and article "
        "graphs) and ask HermiT whether they are consistent. Needs Java.",
    )
    rea.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    rea.add_argument("--format", choices=["text", "json"], default="text")

    ext = sub.add_parser(
        "extract",
        help="extract facts from articles into per-article graphs",
        description="Read ARTICLES (files or directories of .txt with YAML front matter; "
        "default: data/articles) and write data/graphs/{id}.ttl, one named graph per "
        "article with provenance for every fact. A bad article is reported and skipped; "
        "the others are still written, and the exit code is 1 at the end.",
    )
    ext.add_argument("articles", nargs="*", type=Path, metavar="ARTICLE")
    ext.add_argument("--graphs", "--out", dest="graphs", type=Path,
                     help="graph directory (default: data/graphs; --out is an older spelling)")
    ext.add_argument("--report", choices=["json"], help="print the extraction report")
    ext.add_argument("--no-write", action="store_true", help="write no graphs")
    ext.add_argument("--jobs", type=_positive, default=1, help="worker processes (default 1)")

    bui = sub.add_parser(
        "build",
        help="extract, validate, reason and write the release files",
        description="Extract the articles that changed, assemble the dataset (ontology, "
        "authorities, one graph per article, inferred), validate it with SHACL and the "
        "quality checks, check it with HermiT and write the release files into --dist. "
        "Nothing is published from a failing build. Exit 0 published, 1 validation or "
        "consistency failure, 2 bad input.",
    )
    bui.add_argument("--dist", "--out", dest="dist", type=Path, default=Path("dist"),
                     help="release folder (dist; --out is an older spelling)")
    bui.add_argument("--jobs", type=_positive, default=1, help="worker processes (default 1)")
    bui.add_argument("--quiet", action="store_true", help="no progress bar")
    bui.add_argument(
        "--shacl", choices=["pyshacl", "jena"], default="pyshacl",
        help="SHACL engine: pyshacl per article graph (default) or Jena on the whole "
        "dataset in one run (needs Java and Jena; for corpora of thousands of articles)",
    )  # fmt: skip

    srv = sub.add_parser(
        "serve",
        help="serve the release: SPARQL endpoint, queries API, linked-data pages",
        description="Serve the release in --dist over HTTP: the SPARQL 1.1 Protocol at "
        "/sparql, the packaged queries at /api/queries, resource pages at /id and /doc, the "
        "dumps at /dumps/. Queries run on the embedded store (in memory, or persisted with "
        "--store) or on a remote endpoint (--endpoint).",
    )
    srv.add_argument("--dist", type=Path, default=Path("dist"), help=DIST_HELP)
    srv.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    srv.add_argument("--port", type=_port, default=8000, help="port (8000)")
    srv.add_argument("--store", type=Path, help="persist the store here and reuse it")
    srv.add_argument("--endpoint", help="answer from this remote SPARQL endpoint instead")
    srv.add_argument("--base-iri", default=None, help="the IRI prefix the server's paths map "
                     "onto (https://w3id.org/ctld/)")  # fmt: skip
    srv.add_argument("--timeout", type=_seconds, default=30.0, help="query time limit (30 s)")
    srv.add_argument("--row-limit", type=_positive, default=10_000, help="rows per answer")
    srv.add_argument("--workers", type=_positive, default=None,
                     help="query processes (cores + 1)")
    srv.add_argument("--no-hash-joins", dest="hash_joins", action="store_false",
                     help="run every query as sent, never rewriting a large join into "
                     "hash-joined sub-SELECTs")  # fmt: skip

    que = sub.add_parser(
        "query",
        help="run a packaged query",
        description="Run the packaged query NAME (sparql/queries/NAME.rq) on the release "
        "in --dist, or on --endpoint. Parameters are bound as RDF terms.",
    )
    que.add_argument("name", nargs="?", help="query name; none lists the queries")
    que.add_argument("--param", action="append", default=[], metavar="NAME=VALUE")
    que.add_argument("--format", choices=["table", "csv", "tsv", "json", "xml", "turtle"],
                     default="table")  # fmt: skip
    que.add_argument("--endpoint", help="a remote SPARQL endpoint")
    que.add_argument("--dist", type=Path, default=Path("dist"), help=DIST_HELP)

    pub = sub.add_parser(
        "publish",
        help="load the release into a remote store, or write it as a static website",
        description="--to URL: PUT every named graph of the release in --dist, and their "
        "union as the default graph, to a SPARQL 1.1 Graph Store HTTP Protocol endpoint "
        "(e.g. Oxigraph's http://host:7878/store, Fuseki's http://host:3030/ds/data). "
        "--site DIR: write the linked-data pages, RDF documents, dumps, VoID, ontology "
        "docs and a search index as files any static host serves.",
    )
    target = pub.add_mutually_exclusive_group(required=True)
    target.add_argument("--to", metavar="URL", help="Graph Store endpoint")
    target.add_argument("--site", type=Path, metavar="DIR", help="static website folder")
    pub.add_argument("--base-iri", default=None, help="base of the IRIs (https://w3id.org/ctld/)")
    pub.add_argument("--dist", type=Path, default=Path("dist"), help=DIST_HELP)
    pub.add_argument("--timeout", type=_seconds, default=60.0, help="per request (60 s)")

    lnk = sub.add_parser(
        "links",
        help="linked and unlinked entities per class, with links per target dataset",
        description="Count, per ctld class, the entities of the release in --dist that link "
        "to Wikidata, the UNBIS Thesaurus, undocs.org, GeoNames or carry an ISO 3166 code, "
        "and those that link nowhere (--unlinked lists them).",
    )
    lnk.add_argument("--dist", type=Path, default=Path("dist"), help=DIST_HELP)
    lnk.add_argument("--format", choices=["text", "json"], default="text")
    lnk.add_argument("--unlinked", action="store_true", help="list the unlinked entities")

    eva = sub.add_parser(
        "evaluate",
        help="score extraction against gold annotations",
        description="Extract every article that has a gold file in --gold and print "
        "precision, recall and F1 per category and overall.",
    )
    eva.add_argument("--gold", type=Path, required=True, help="directory of {id}.yaml files")
    eva.add_argument("--articles", type=Path, help="article directory (default: data/articles)")
    eva.add_argument("--format", choices=["text", "json"], default="text")

    jena = sub.add_parser(
        "jena",
        help="run an Apache Jena tool (riot, arq, shacl, rsparql) from Debian's jars",
        description="Runs Jena's command-line tools with the class path fixes Debian's "
        "libapache-jena-java needs, e.g. `ctld jena riot --validate FILE.ttl`.",
    )
    jena.add_argument("tool")
    jena.add_argument("args", nargs=argparse.REMAINDER)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return _dispatch(args)
    except CtldError as exc:
        print(f"ctld: error: {exc}", file=sys.stderr)
        if args.debug:
            traceback.print_exc()
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if args.debug:
            raise
        print(f"ctld: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        print("ctld: run again with --debug for the traceback", file=sys.stderr)
        return 3


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "jena":
        from ctld.check.jena import Jena

        result = Jena().run(args.tool, args.args, timeout=None)
        sys.stdout.write(result.stdout)
        sys.stderr.write(result.stderr)
        return result.returncode
    settings = Settings.discover(args.root)
    if args.command == "validate":
        from ctld.check.validation import validate

        report = validate(
            settings,
            args.paths or None,
            context=[settings.authorities_dir] if args.authorities else (),
            run_shapes=not args.no_shapes,
            run_checks=not args.no_checks,
        )
        if args.format == "json":
            json.dump(report.to_dict(), sys.stdout, indent=2, ensure_ascii=False)
            sys.stdout.write("\n")
        else:
            write_report(report, sys.stdout, settings.root)
        return 0 if report.conforms else 1
    if args.command == "reason":
        return _reason(settings, args.paths, args.format)
    if args.command == "extract":
        return _extract(settings, args)
    if args.command == "evaluate":
        return _evaluate(settings, args)
    if args.command == "links":
        from ctld.link.coverage import as_json, as_text, link_report

        links = link_report(settings, args.dist)
        if args.format == "json":
            print(json.dumps(as_json(links), indent=2, ensure_ascii=False))
        else:
            sys.stdout.write(as_text(links, args.unlinked))
        return 0
    if args.command == "serve":
        from ctld.serve.commands import serve

        return serve(settings, args)
    if args.command == "query":
        from ctld.serve.commands import query

        return query(settings, args)
    if args.command == "publish":
        from ctld.serve.commands import publish

        return publish(settings, args)
    if args.command == "build":
        from ctld.build.progress import run_build

        return run_build(settings, args.dist, args.jobs, quiet=args.quiet, shacl=args.shacl)
    raise AssertionError(args.command)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _port(text: str) -> int:
    value = _positive(text)
    if value > 65535:
        raise argparse.ArgumentTypeError("must be at most 65535")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value


def _extractor(settings: Settings) -> Extractor:
    from ctld.extract.extractor import Extractor
    from ctld.extract.language import LanguageGuesser

    return Extractor.from_settings(settings, detect=LanguageGuesser())


def _extract(settings: Settings, args: argparse.Namespace) -> int:
    from ctld.extract.corpus import extract_corpus

    out = None if args.no_write else (args.graphs or settings.graphs_dir)
    result = extract_corpus(
        _extractor(settings),
        args.articles or [settings.articles_dir],
        out,
        args.jobs,
        keep=args.report == "json",
    )
    if args.report == "json":
        json.dump(result.reports, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    for failed in result.errors:
        print(f"ctld: error: {failed.error}", file=sys.stderr)
    done = len(result.results) - len(result.errors)
    where = f" into {out}" if out is not None else ""
    print(f"ctld extract: {done} article(s) extracted{where}, {len(result.errors)} failed",
          file=sys.stderr)  # fmt: skip
    return 1 if result.errors else 0


def _evaluate(settings: Settings, args: argparse.Namespace) -> int:
    from ctld.extract.articles import read_article
    from ctld.extract.evaluation import CATEGORIES, evaluate_corpus
    from ctld.extract.report import article_report

    extractor = _extractor(settings)
    entities = extractor.authorities.gazetteer.entities

    def names(iri: str) -> list[str]:
        entity = entities.get(iri)
        return [label for label, _ in entity.names] if entity else []

    def report(path: Path) -> dict:
        return article_report(extractor.extract(read_article(path, detect=extractor.detect)))

    result = evaluate_corpus(args.gold, args.articles or settings.articles_dir, report, names)
    if args.format == "json":
        json.dump(result.to_dict(), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    print(f"{'category':<15}{'precision':>10}{'recall':>10}{'F1':>8}{'tp':>6}{'fp':>6}{'fn':>6}")
    totals = result.totals()
    for category in CATEGORIES:
        _score_line(category, totals[category])
    _score_line("overall", result.overall())
    print(f"({len(result.per_article)} articles)")
    return 0


def _score_line(name: str, score: Score) -> None:
    print(
        f"{name:<15}{score.precision:>10.3f}{score.recall:>10.3f}{score.f1:>8.3f}"
        f"{score.tp:>6}{score.fp:>6}{score.fn:>6}"
    )


def _reason(settings: Settings, paths: list[Path], fmt: str) -> int:
    from ctld.check.hermit import check_consistency
    from ctld.check.validation import default_paths
    from ctld.core.sources import load_sources

    chosen = [settings.ontology_path, *paths] if paths else default_paths(settings)
    sources = load_sources(chosen)
    report = check_consistency(sources.graph)
    if fmt == "json":
        payload = {
            "consistent": report.consistent,
            "unsatisfiable": list(report.unsatisfiable),
            "triples": report.triples,
            "files": [str(f) for f in sources.files],
        }
        print(json.dumps(payload, indent=2))
    elif not report.consistent:
        print(f"INCONSISTENT: HermiT finds no model of {report.triples} triples")
    elif report.unsatisfiable:
        names = ", ".join(shorten(c) for c in report.unsatisfiable)
        print(f"consistent, but these classes can have no instances: {names}")
    else:
        print(f"consistent: {report.triples} triples from {len(sources.files)} files (HermiT)")
    return 0 if report.ok else 1


def write_report(report: ValidationReport, out: TextIO, root: Path | None = None) -> None:
    """Human-readable report: one block per violation, where it is and what is wrong."""
    for v in report.violations:
        where = _relative(v.file, root) if v.file else "(no source file)"
        if v.line:
            where += f":{v.line}"
        out.write(f"{where}: {v.severity}: {shorten(v.focus)}\n")
        details = [f"path {v.path}"] if v.path else []
        if v.value:
            details.append(f"value {v.value}")
        details.append(v.component or v.source)
        if v.shape:
            details.append(f"shape {v.shape}")
        out.write(f"    {v.message}\n    ({'; '.join(details)})\n")
    errors = sum(1 for v in report.violations if v.severity == "Violation")
    others = len(report.violations) - errors
    verdict = "conforms" if report.conforms else "does not conform"
    out.write(
        f"{verdict}: {errors} violation(s), {others} warning(s); {len(report.files)} file(s), "
        f"{len(report.shapes)} shape file(s), {len(report.checks)} check(s)\n"
    )


def _relative(file: str, root: Path | None) -> str:
    path = Path(file)
    if root is not None:
        try:
            return str(path.resolve().relative_to(root))
        except ValueError:
            pass
    return str(path)
