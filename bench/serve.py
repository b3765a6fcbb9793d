"""Serving benchmark: `ctld serve` on a synthetic release of about a million triples.

Why: a publisher serves the whole graph from one small machine, so what matters is how
soon a (re)started server answers, what the HTTP layer (uvicorn, Starlette, the worker
pool's pipe) adds on top of pyoxigraph's own evaluation, and how many requests per
second it sustains against the usual pure-Python alternative, rdflib-endpoint, serving
the same dump. A benchmark prints figures and asserts nothing.

    python bench/serve.py [--work DIR] [--articles 900] [--duration 10] [--clients 8,32]
                          [--skip-rdflib] [--serve-from memory|store] [--requests 50]

Phases, each printing `name: value` lines as it goes, then one Markdown table:

1. release: ~900 synthetic articles (bench/corpus.py) in a copy of the project, built
   with `ctld build --shacl jena`; cached in --work (keyed by articles and seed) so a
   re-run skips it;
2. ready time: `ctld serve --store` from process start to the first successful answer,
   once loading the store, then restarts with the store already loaded;
3. latency: every packaged query (sparql/queries, with its example parameters) over
   /api/queries/{name}, sequentially, against the same bound text run with
   ctld.query.engine.evaluate (the worker's own call: query, consume, serialise) in a child
   forked from this process, which holds its own copy of the store;
4. throughput: a point lookup and a three-way join (every row sent, rows counted, and
   LIMIT 100) over /sparql with 8 and 32 keep-alive http.client clients for --duration
   seconds each, against ctld and then rdflib-endpoint.
"""

from __future__ import annotations

import argparse
import gc
import http.client
import importlib.util
import json
import math
import multiprocessing as mp
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType, ModuleType
from urllib.parse import urlencode, urlsplit

import httpx
import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ctld.query.engine import QueryRequest, evaluate  # noqa: E402
from ctld.query.packaged import PackagedQuery, read_catalog  # noqa: E402
from ctld.query.planner import JoinPlanner  # noqa: E402
from ctld.query.store import Release, memory_store, union_store  # noqa: E402

BASE_IRI = "https://w3id.org/ctld/"
CTLD = "https://w3id.org/ctld/ontology#"
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
JSON_RESULTS = "application/sparql-results+json"
GRAPH_RESULTS = "application/n-triples"
HOST = "127.0.0.1"
ROW_LIMIT = 10_000  # the server's default --row-limit, passed explicitly to stay in step
READY_QUERY = "ASK { ?s ?p ?o }"

TARGET_RESTART_SECONDS = 3.0
TARGET_HTTP_OVER_RAW = 1.5
TARGET_JOIN_RATIO = 20.0
TARGET_POINT_RATIO = 1.5

POINT_RESOURCE = f"{BASE_IRI}id/organization/unoct"
JOINS = (
    # Events, their participants and the participants' labels first; the others only if
    # it finds no rows on this data.
    ("?e ?p ?l", f"?e a <{CTLD}Event> ; <{CTLD}participant> ?p . ?p <{SKOS_PREF}> ?l"),
    ("?e ?p ?l", f"?e a <{CTLD}Event> ; <{CTLD}organizer> ?p . ?p <{SKOS_PREF}> ?l"),
    ("?i ?p ?l", f"?i a <{CTLD}Instrument> ; <{CTLD}party> ?p . ?p <{SKOS_PREF}> ?l"),
)
WORKLOADS: dict[str, tuple[str, float | None]] = {
    # name: (label, target ratio ctld / rdflib-endpoint in requests per second)
    "point": ("point lookup", TARGET_POINT_RATIO),
    # The three-way join answered in full, every row sent: what the reference
    # figure for rdflib-endpoint (about 10 requests/s, p50 760 ms) describes.
    "join-rows": ("join, all rows", TARGET_JOIN_RATIO),
    # The same join with its rows counted: both engines do the whole join, and
    # little serialising.
    "join-count": ("join, all rows counted", TARGET_JOIN_RATIO),
    # LIMIT 100 lets a lazy engine (rdflib) stop after about a hundred index lookups,
    # so this compares the two HTTP stacks more than the engines: no target.
    "join": ("join, LIMIT 100", None),
}


# --------------------------------------------------------------------------- figures


@dataclass
class Table:
    """The closing table: one row per figure, so a run reads top to bottom."""

    rows: list[tuple[str, str, str, str]] = field(default_factory=list)

    def add(self, figure: str, value: str, target: str = "", met: bool | None = None) -> None:
        self.rows.append((figure, value, target, "" if met is None else ("yes" if met else "NO")))

    def markdown(self) -> str:
        lines = ["| figure | value | target | met |", "|---|---|---|---|"]
        lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in self.rows]
        return "\n".join(lines)


def say(name: str, value: object) -> None:
    """One `name: value` line, flushed: a long run shows where it is."""
    print(f"{name}: {value}", flush=True)


def percentile(values: list[float], p: float) -> float:
    """Nearest rank: with 50 samples p99 is the slowest, no interpolation to hide it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


# --------------------------------------------------------------------------- release


def _bench_build_module() -> ModuleType:
    """bench/build.py by path: `import build` could find PyPI's `build` package instead."""
    spec = importlib.util.spec_from_file_location("ctld_bench_build", ROOT / "bench" / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ensure_release(work: Path, articles: int, seed: int, jobs: int, rebuild: bool) -> Path:
    """The release folder, built once per (articles, seed) and reused from --work after.

    Building ~900 articles takes about a minute; the serving figures do not depend on
    how the release was made, only on what it holds, so a re-run reuses it.
    """
    project = work / "project"
    dist = project / "dist"
    stamp = work / "release.json"
    key = {"articles": articles, "seed": seed}
    if not rebuild and stamp.is_file() and (dist / "SHA256SUMS").is_file():
        saved = json.loads(stamp.read_text("utf-8"))
        if {k: saved.get(k) for k in key} == key and saved.get("fingerprint") == Release(
            dist
        ).fingerprint:
            say("release", f"reused {dist}")
            return dist
    shutil.rmtree(project, ignore_errors=True)
    _bench_build_module().copy_project(project)
    began = time.perf_counter()
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "corpus.py"), "--count", str(articles),
         "--out", str(project / "data" / "articles"), "--seed", str(seed)],
        check=True, capture_output=True,
    )  # fmt: skip
    say("corpus_seconds", f"{time.perf_counter() - began:.1f}")
    began = time.perf_counter()
    log = work / "logs" / "build.log"
    with log.open("w") as handle:
        done = subprocess.run(
            [sys.executable, "-m", "ctld", "--root", str(project), "build", "--dist", str(dist),
             "--jobs", str(jobs), "--shacl", "jena", "--quiet"],
            stdout=handle, stderr=subprocess.STDOUT, env=_env(), check=False,
        )  # fmt: skip
    if done.returncode != 0:
        sys.stderr.write(log.read_text("utf-8")[-3000:])
        raise SystemExit(f"ctld build failed (exit {done.returncode}); log: {log}")
    say("build_seconds", f"{time.perf_counter() - began:.1f}")
    stamp.write_text(json.dumps({**key, "fingerprint": Release(dist).fingerprint}), "utf-8")
    return dist


def _env() -> dict[str, str]:
    """This checkout's ctld first, whatever is installed."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


# --------------------------------------------------------------------------- servers


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    query_url: str  # where SPARQL queries go (GET ?query=)
    base_url: str
    log: Path
    started: float  # perf_counter just before Popen

    def rss_mib(self) -> float | None:
        """Resident memory of the server's main process (its forked workers share most
        of it copy-on-write, so they are not added)."""
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return None
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return None


class Servers:
    """Every subprocess this run starts, so that any exit (error, Ctrl-C, SIGTERM) ends
    them: each runs in its own session, and its process group is terminated, then killed."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.running: list[Server] = []

    def start(self, name: str, argv: list[str], path: str) -> Server:
        port = free_port()
        log = self.logs / f"{name}.log"
        handle = log.open("w")
        began = time.perf_counter()
        process = subprocess.Popen(
            [*argv, "--port", str(port)], stdout=handle, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, env=_env(), cwd=str(self.logs), start_new_session=True,
        )  # fmt: skip
        handle.close()
        base = f"http://{HOST}:{port}"
        server = Server(name, process, base + path, base, log, began)
        self.running.append(server)
        return server

    def stop(self, server: Server) -> None:
        if server in self.running:
            self.running.remove(server)
        process = server.process
        if process.poll() is None:
            _signal_group(process, signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait(15)
        # Stray workers of a server that died on its own: its group is still ours.
        _signal_group(process, signal.SIGKILL)

    def stop_all(self) -> None:
        for server in list(self.running):
            self.stop(server)


def _signal_group(process: subprocess.Popen, sig: signal.Signals) -> None:
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_ready(server: Server, limit: float) -> float:
    """Seconds from the server's process start to its first 200 answer to a query."""
    with httpx.Client(timeout=10) as client:
        while True:
            if server.process.poll() is not None:
                tail = server.log.read_text("utf-8", "replace")[-2000:]
                raise SystemExit(f"{server.name} exited ({server.process.returncode}):\n{tail}")
            try:
                answer = client.get(server.query_url, params={"query": READY_QUERY},
                                    headers={"Accept": JSON_RESULTS})  # fmt: skip
                if answer.status_code == 200:
                    return time.perf_counter() - server.started
            except httpx.TransportError:
                pass
            if time.perf_counter() - server.started > limit:
                raise SystemExit(f"{server.name} not ready after {limit:.0f} s; log {server.log}")
            time.sleep(0.02)


def ctld_argv(
    dist: Path, store: Path | None, workers: int | None, timeout: float, rows: int = ROW_LIMIT,
    hash_joins: bool = True,
) -> list[str]:  # fmt: skip
    """`ctld serve` with this checkout's queries (--root), so query files added since the
    release was built are served too."""
    argv = [sys.executable, "-m", "ctld", "--root", str(ROOT), "serve", "--dist", str(dist),
            "--host", HOST, "--row-limit", str(rows), "--timeout", f"{timeout:g}"]  # fmt: skip
    if not hash_joins:
        argv.append("--no-hash-joins")
    if store is not None:
        argv += ["--store", str(store)]
    if workers:
        argv += ["--workers", str(workers)]
    return argv


class PlainClient:
    """One keep-alive HTTP/1.1 connection from the standard library's http.client.

    On 2 cores the client shares the machine with the server it measures: httpx spent
    about 0.6 ms of CPU per request, which is time taken from the faster server under
    load and time added to every latency; http.client spends 0.14-0.2 ms.
    """

    def __init__(self, url: str, timeout: float, headers: dict[str, str]) -> None:
        parts = urlsplit(url)
        self.path = parts.path
        self.headers = headers
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        self.reconnects = 0

    def get(self, params: dict[str, str]) -> tuple[int, bytes]:
        """(status, body); a failed connection is closed, and reopened by the next call.

        A kept-alive connection the server closed while it was idle (uvicorn closes one
        after 5 s: a slow server's clients wait that long at the start barrier) is
        reopened and the request sent again, once, as HTTP client libraries do; the
        server never saw the first attempt, so it is not an error of the server's."""
        try:
            return self._get(params)
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            self.reconnects += 1
            return self._get(params)

    def _get(self, params: dict[str, str]) -> tuple[int, bytes]:
        try:
            self.connection.request("GET", f"{self.path}?{urlencode(params)}",
                                    headers=self.headers)  # fmt: skip
            answer = self.connection.getresponse()
            return answer.status, answer.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            raise

    def close(self) -> None:
        self.connection.close()


# --------------------------------------------------------------------------- latency


@dataclass
class QueryFigures:
    name: str
    requests: int
    rows: int
    http: list[float]
    raw: list[float]
    same_bytes: bool
    error: str = ""

    @property
    def ratio(self) -> float:
        return statistics.median(self.http) / statistics.median(self.raw)


def bench_values(store: ox.Store, query: PackagedQuery) -> tuple[dict[str, str], list[str]]:
    """The query's example values, or the nearest ones that answer on this release.

    The examples name what the seed articles hold (an event of article 000, the
    resolution they cite, a year), which the synthetic release may lack: timed with
    them, a query would answer nothing, fast. So when the example answers nothing, its
    optional values are dropped, and then each required IRI is replaced by the resource
    of the same kind that most triples point to (the first of 5 that answers). Returns
    the values and what was changed."""
    example = dict(query.example)
    required = {p.name for p in query.parameters if p.required}
    if _answers(store, query, example):
        return example, []
    values = {k: v for k, v in example.items() if k in required}
    changed = [f"{k} dropped" for k in example if k not in required]
    if _answers(store, query, values):
        return values, changed
    for parameter in query.parameters:
        if parameter.name not in values or parameter.type != "iri":
            continue
        iri = parameter.term(query.name, values[parameter.name], BASE_IRI).value
        prefix = ox.Literal(iri.rsplit("/", 1)[0] + "/")
        ranked = store.query(
            f"SELECT ?r WHERE {{ ?s ?p ?r FILTER(isIRI(?r) && STRSTARTS(STR(?r), {prefix})) }} "
            "GROUP BY ?r ORDER BY DESC(COUNT(*)) ?r LIMIT 5")  # fmt: skip
        for row in ranked:
            if _answers(store, query, {**values, parameter.name: row["r"].value}):
                values[parameter.name] = row["r"].value
                changed.append(f"{parameter.name}={row['r'].value}")
                break
    return values, changed


def _answers(store: ox.Store, query: PackagedQuery, values: dict[str, str]) -> bool:
    result = store.query(query.bind(values, BASE_IRI))
    return bool(result) if isinstance(result, ox.QueryBoolean) else any(True for _ in result)


def packaged_latency(
    server: Server,
    stores: tuple[ox.Store, ox.Store | None],
    planner: JoinPlanner | None,
    query: PackagedQuery,
    values: dict[str, str],
    requests: int,
    budget: float,
    timeout: float,
    rows: int,
) -> QueryFigures:
    """HTTP and raw times of one packaged query with its example parameters.

    The first request is a probe: a query the server cannot answer within its time limit
    (503) is reported and skipped, and never runs without one in the raw path. The count
    drops below --requests (to at least 5) when one answer is slow, so a heavy query
    cannot take the run far past --query-budget; the count is printed.
    """
    try:
        text = query.bind(values, BASE_IRI)
    except Exception as exc:  # a query without examples for its required parameters
        return QueryFigures(query.name, 0, 0, [], [], False, f"cannot bind: {exc}")
    graph = query.form in ("CONSTRUCT", "DESCRIBE")
    media_type = GRAPH_RESULTS if graph else JSON_RESULTS
    url = f"{server.base_url}/api/queries/{query.name}"
    request = QueryRequest(text, media_type, limit=rows)
    client = PlainClient(url, timeout + 60, {"Accept": media_type})
    try:
        began = time.perf_counter()
        for _ in range(3):  # the probe, then warm-up: connection, worker caches
            status, body = client.get(values)
            if status != 200:
                why = f"HTTP {status}: {body.decode('utf-8', 'replace').strip()[:160]}"
                return QueryFigures(query.name, 0, 0, [], [], False, why)
        each = (time.perf_counter() - began) / 3
        count = max(5, min(requests, int(budget / max(each, 1e-6))))
        http: list[float] = []
        for _ in range(count):
            t0 = time.perf_counter()
            status, body = client.get(values)
            http.append(time.perf_counter() - t0)
    finally:
        client.close()
    raw = raw_times(stores, planner, request, count, timeout)
    if isinstance(raw, str):
        return QueryFigures(query.name, count, 0, http, [], False, f"raw: {raw}")
    times, raw_body = raw
    return QueryFigures(query.name, count, _rows(raw_body, graph), http, times, body == raw_body)


def raw_times(
    stores: tuple[ox.Store, ox.Store | None], planner: JoinPlanner | None,
    request: QueryRequest, count: int, timeout: float,
) -> tuple[list[float], bytes] | str:  # fmt: skip
    """`count` timings of ctld.query.engine.evaluate (query, consume, serialise) after 3 warm-up
    runs, in a child forked from this process, which holds the store: as a query worker is
    forked from the server, but called directly, with no HTTP and no pipe per request,
    and planning joins as the server's workers do.

    Why a child: pyoxigraph cannot be interrupted from Python, so a query that runs away
    (time or memory) here would take the benchmark, and the machine, with it. The child
    has the server's time limit per run and at most 4 GiB more address space.
    """
    context = mp.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)

    def work() -> None:
        with suppress(OSError, ValueError):
            size = int(Path("/proc/self/statm").read_text().split()[0]) * os.sysconf("SC_PAGE_SIZE")
            limit = size + 4 * 1024**3
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        times: list[float] = []
        body = b""
        for i in range(count + 3):
            t0 = time.perf_counter()
            body = evaluate(stores[0], request, stores[1], planner).body
            if i >= 3:
                times.append(time.perf_counter() - t0)
        sender.send((times, body))

    process = context.Process(target=work, daemon=True, name="ctld-bench-raw")
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout * (count + 3)):
            return f"no answer within {timeout:g} s per run"
        return receiver.recv()
    except (EOFError, OSError):
        process.join(5)
        return f"the child failed (exit code {process.exitcode})"
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        receiver.close()


def _rows(body: bytes, graph: bool) -> int:
    if graph:
        return sum(1 for _ in ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
    answer = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    return 1 if isinstance(answer, ox.QueryBoolean) else sum(1 for _ in answer)


def summary(body: bytes) -> str:
    """What an answer holds, to compare two servers: its row count, or its one value."""
    answer = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    if isinstance(answer, ox.QueryBoolean):
        return str(bool(answer))
    names = [v.value for v in answer.variables]
    rows = list(answer)
    if len(rows) == 1 and len(names) == 1 and rows[0][0] is not None:
        return f"1 row, {names[0]} = {rows[0][0].value}"
    return f"{len(rows)} rows"


def count_rows(store: ox.Store, text: str) -> int:
    return sum(1 for _ in store.query(text))


def pick_workload(store: ox.Store) -> dict[str, str]:
    """The point lookup and the joins, checked to return rows on this release."""
    point = f"SELECT ?p ?o WHERE {{ <{POINT_RESOURCE}> ?p ?o }}"
    if count_rows(store, point) == 0:
        first = next(iter(store.query(f"SELECT ?s WHERE {{ ?s a <{CTLD}Organization> }} LIMIT 1")))
        point = f"SELECT ?p ?o WHERE {{ {first['s']} ?p ?o }}"
    for variables, pattern in JOINS:
        join = f"SELECT {variables} WHERE {{ {pattern} }} LIMIT 100"
        if count_rows(store, join):
            count = f"SELECT (COUNT(*) AS ?rows) WHERE {{ {pattern} }}"
            rows = f"SELECT {variables} WHERE {{ {pattern} }}"
            return {"point": point, "join": join, "join-count": count, "join-rows": rows}
    raise SystemExit("none of the join queries returns rows on this release")


# --------------------------------------------------------------------------- throughput


@dataclass
class Load:
    clients: int
    ok: int
    errors: int
    seconds: float
    latencies: list[float]
    client_cpu: float  # CPU seconds this (client) process used: it shares the 2 cores
    failures: dict[str, int] = field(default_factory=dict)  # errors by kind
    reconnects: int = 0  # kept-alive connections the server had closed while idle

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def describe(self) -> str:
        if not self.latencies:
            return f"0 req/s ({self.errors} errors)"
        kinds = ", ".join(f"{kind} x{n}" for kind, n in sorted(self.failures.items()))
        errors = f", {self.errors} errors ({kinds})" if self.errors else ""
        if self.reconnects:
            errors += f", {self.reconnects} idle connections reopened"
        return (f"{self.rate:.1f} req/s, p50 {ms(percentile(self.latencies, 50))}, "
                f"p99 {ms(percentile(self.latencies, 99))}{errors}")  # fmt: skip


def run_load(url: str, query: str, clients: int, duration: float) -> Load:
    """`clients` threads, each with its own keep-alive connection (PlainClient), sending
    the query back to back for `duration` seconds; requests started before the deadline
    finish. The client's CPU time is printed with each run.
    """
    params = {"query": query}
    latencies: list[float] = []
    counts = {"ok": 0, "errors": 0, "reconnects": 0}
    failures: Counter[str] = Counter()
    lock = threading.Lock()
    ends: list[float] = []
    state: dict[str, float] = {}

    def set_deadline() -> None:
        # A barrier's action runs once, after every connection is open and before any
        # thread is released, so all threads read the same deadline.
        state["began"] = time.perf_counter()
        state["deadline"] = state["began"] + duration

    barrier = threading.Barrier(clients + 1, action=set_deadline)

    def client_loop() -> None:
        mine: list[float] = []
        kinds: Counter[str] = Counter()
        client = PlainClient(url, 600, {"Accept": JSON_RESULTS})
        client.get(params)  # open the connection first
        barrier.wait()
        deadline = state["deadline"]
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            try:
                status = client.get(params)[0]
            except (OSError, http.client.HTTPException) as exc:
                kinds[type(exc).__name__] += 1
                continue
            if status == 200:
                mine.append(time.perf_counter() - t0)
            else:
                kinds[f"HTTP {status}"] += 1
        client.close()
        with lock:
            latencies.extend(mine)
            counts["ok"] += len(mine)
            counts["errors"] += sum(kinds.values())
            counts["reconnects"] += client.reconnects
            failures.update(kinds)
            ends.append(time.perf_counter())

    threads = [threading.Thread(target=client_loop, daemon=True) for _ in range(clients)]
    cpu = time.process_time()
    for thread in threads:
        thread.start()
    barrier.wait()
    for thread in threads:
        thread.join()
    seconds = (max(ends) if ends else time.perf_counter()) - state["began"]
    return Load(clients, counts["ok"], counts["errors"], seconds, latencies,
                time.process_time() - cpu, dict(failures), counts["reconnects"])  # fmt: skip


# --------------------------------------------------------------------------- main


@contextmanager
def terminated_on_sigterm() -> Iterator[None]:
    """SIGTERM becomes SystemExit, so the `finally` that ends the servers runs."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="ctld serve: ready time, latency, throughput.")
    parser.add_argument("--work", type=Path, help="work dir, kept and reused (default: a "
                        "temporary one, deleted at the end)")  # fmt: skip
    parser.add_argument("--articles", type=int, default=900, help="synthetic articles (900)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=2, help="ctld build --jobs (2)")
    parser.add_argument("--rebuild", action="store_true", help="build even if cached")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per load run")
    parser.add_argument("--clients", default="8,32", help="concurrent clients (8,32)")
    parser.add_argument("--requests", type=int, default=50, help="sequential requests per query")
    parser.add_argument(
        "--query-budget",
        type=float,
        default=30.0,
        help="at most about this many seconds per query and side (30)",
    )
    parser.add_argument(
        "--query-timeout",
        type=float,
        default=10.0,
        help="ctld serve --timeout; also the raw path's limit per run (10 s)",
    )
    parser.add_argument("--restarts", type=int, default=3, help="restarts with a loaded store")
    parser.add_argument("--serve-from", choices=["memory", "store"], default="memory",
                        help="the server for latency and throughput: in memory (the default "
                        "of ctld serve) or the persisted store")  # fmt: skip
    parser.add_argument("--workers", type=int, default=None, help="ctld serve --workers")
    whole = f"the full join's row count, at least {ROW_LIMIT:,}: both servers send every row"
    parser.add_argument("--row-limit", type=int, default=0,
                        help=f"ctld serve --row-limit (default: {whole})")  # fmt: skip
    parser.add_argument("--skip-rdflib", action="store_true", help="no rdflib-endpoint runs")
    parser.add_argument("--no-hash-joins", dest="hash_joins", action="store_false",
                        help="ctld serve --no-hash-joins: every query as sent")  # fmt: skip
    parser.add_argument("--workloads", default=",".join(WORKLOADS),
                        help=f"throughput queries, of {', '.join(WORKLOADS)} (all)")  # fmt: skip
    args = parser.parse_args(argv)
    clients = [int(c) for c in args.clients.split(",") if c]
    kinds = [k for k in args.workloads.split(",") if k]
    unknown = [k for k in kinds if k not in WORKLOADS]
    if unknown:
        parser.error(f"--workloads: unknown {', '.join(unknown)}; known: {', '.join(WORKLOADS)}")

    temporary = args.work is None
    work = Path(tempfile.mkdtemp(prefix="ctld-bench-serve-")) if temporary else args.work
    work = work.resolve()
    (work / "logs").mkdir(parents=True, exist_ok=True)
    servers = Servers(work / "logs")
    try:
        with terminated_on_sigterm():
            return run(args, work, servers, clients, kinds)
    finally:
        servers.stop_all()
        if temporary:
            shutil.rmtree(work, ignore_errors=True)


def run(
    args: argparse.Namespace, work: Path, servers: Servers, clients: list[int], kinds: list[str]
) -> int:
    table = Table()
    cores = os.cpu_count() or 0
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    say("python", sys.version.split()[0])
    say("cores", f"{cores} (usable {usable})")
    say("load_average_at_start", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    say("work", work)
    table.add("cores (os.cpu_count)", f"{cores}")
    table.add("load average at start (1/5/15 min)",
              " / ".join(f"{x:.2f}" for x in os.getloadavg()))  # fmt: skip

    # 1. the release
    dist = ensure_release(work, args.articles, args.seed, args.jobs, args.rebuild)
    report = json.loads((dist / "build-report.json").read_text("utf-8"))
    say("articles", report["articles"])
    say("release_triples", report["triples"])
    table.add("synthetic articles", f"{report['articles']:,}")
    table.add("release triples (build report; quads in ctld.nq)", f"{report['triples']:,}")

    # 2. ready time with a persisted store: first start loads it, restarts reuse it
    store_dir = work / "store"
    shutil.rmtree(store_dir, ignore_errors=True)
    shutil.rmtree(store_dir.with_name("store.loading"), ignore_errors=True)
    argv = ctld_argv(dist, store_dir, args.workers, args.query_timeout)
    server = servers.start("ctld-store-first", argv, "/sparql")
    first = wait_ready(server, 900)
    servers.stop(server)
    say("ready_first_start_seconds", f"{first:.2f}")
    table.add("ready: first start, --store (loads the store)", f"{first:.2f} s")
    restarts: list[float] = []
    for i in range(args.restarts):
        server = servers.start(f"ctld-store-restart-{i + 1}", argv, "/sparql")
        restarts.append(wait_ready(server, 300))
        servers.stop(server)
        say(f"ready_restart_{i + 1}_seconds", f"{restarts[-1]:.2f}")
    if restarts:
        worst = max(restarts)
        table.add(f"ready: restart, --store already loaded (median / max of {len(restarts)})",
                  f"{statistics.median(restarts):.2f} / {worst:.2f} s",
                  f"<= {TARGET_RESTART_SECONDS:g} s", worst <= TARGET_RESTART_SECONDS)  # fmt: skip

    # 3. latency of the packaged queries: HTTP against the same text in this process
    began = time.perf_counter()
    store = memory_store(Release(dist))
    # the union-only store, as a server in memory routes queries to it (ctld.query.engine)
    union = union_store(Release(dist)) if args.serve_from == "memory" else None
    say("in_process_load_seconds", f"{time.perf_counter() - began:.2f}")
    say("in_process_store_quads", len(store))
    queries = pick_workload(store)
    workload = {kind: queries[kind] for kind in kinds}
    # rdflib-endpoint has no row cap: ctld's is raised to send the whole join too, so
    # both servers do the same work (at 1M triples the join has about 52,000 rows)
    rows = args.row_limit or ROW_LIMIT
    if "join-rows" in workload and not args.row_limit:
        rows = max(ROW_LIMIT, count_rows(store, workload["join-rows"]))
    say("ctld_row_limit", rows)
    serving = ctld_argv(dist, None, args.workers, args.query_timeout, rows, args.hash_joins)
    if args.serve_from == "memory":
        server = servers.start("ctld-memory", serving, "/sparql")
        ready = wait_ready(server, 900)
        say("ready_in_memory_seconds", f"{ready:.2f}")
        table.add("ready: in-memory start (no --store; parses ctld.nq)", f"{ready:.2f} s")
        label = "in memory (no --store)"
    else:
        serving = ctld_argv(dist, store_dir, args.workers, args.query_timeout, rows,
                            args.hash_joins)  # fmt: skip
        server = servers.start("ctld-store", serving, "/sparql")
        wait_ready(server, 300)
        label = "persisted store (--store)"
    say("serving_for_latency_and_throughput", label)
    workers = args.workers or cores + 1
    table.add("ctld server for latency and throughput",
              f"{label}, {workers} query workers, --row-limit {rows:,}, "
              f"hash joins {'on' if args.hash_joins else 'off (--no-hash-joins)'}")  # fmt: skip
    catalog = read_catalog(ROOT / "sparql" / "queries")
    planner = JoinPlanner() if args.hash_joins else None
    say("packaged_queries", len(catalog))
    for query in catalog.values():
        values, changed = bench_values(store, query)
        for change in changed:
            say(f"query_{query.name}_parameter", change)
        figures = packaged_latency(
            server, (store, union), planner, query, values, args.requests, args.query_budget,
            args.query_timeout, rows,
        )  # fmt: skip
        name = f"`{query.name}`"
        if changed:
            table.add(f"{name}: example changed for this release", "; ".join(changed))
        if figures.error:
            say(f"query_{query.name}", f"skipped: {figures.error}")
            table.add(f"{name}: skipped", figures.error[:120])
            continue
        http50, http99 = percentile(figures.http, 50), percentile(figures.http, 99)
        raw50, raw99 = percentile(figures.raw, 50), percentile(figures.raw, 99)
        say(f"query_{query.name}",
            f"n={figures.requests} rows={figures.rows} http p50 {ms(http50)} p99 {ms(http99)}"
            f" raw p50 {ms(raw50)} p99 {ms(raw99)} ratio {figures.ratio:.2f}"
            f" same_bytes={figures.same_bytes}")  # fmt: skip
        table.add(f"{name}: HTTP p50 / p99 (n={figures.requests}, {figures.rows} rows)",
                  f"{ms(http50)} / {ms(http99)}")  # fmt: skip
        table.add(f"{name}: raw pyoxigraph p50 / p99 (evaluate: query + serialise)",
                  f"{ms(raw50)} / {ms(raw99)}")  # fmt: skip
        table.add(
            f"{name}: HTTP / raw (medians; HTTP adds {ms(http50 - raw50)})",
            f"{figures.ratio:.2f}x",
            f"<= {TARGET_HTTP_OVER_RAW:g}x",
            figures.ratio <= TARGET_HTTP_OVER_RAW,
        )

    answers: dict[str, str] = {}
    for kind, text in workload.items():
        request = QueryRequest(text, JSON_RESULTS, limit=rows)
        answers[kind] = summary(evaluate(store, request, planner=planner).body)
        say(f"query_{kind}", text)
        say(f"ctld_{kind}_answer", answers[kind])
    del store, union
    gc.collect()

    # 4. throughput against ctld
    ctld_loads: dict[tuple[str, int], Load] = {}
    for kind, text in workload.items():
        for n in clients:
            load = run_load(server.query_url, text, n, args.duration)
            ctld_loads[kind, n] = load
            say(f"ctld_{kind}_{n}_clients",
                f"{load.describe()} ({load.ok} in {load.seconds:.1f} s, "
                f"client CPU {load.client_cpu:.1f} s)")  # fmt: skip
    rss = server.rss_mib()
    servers.stop(server)

    # 5. the same against rdflib-endpoint on the same triples
    rdflib_loads: dict[tuple[str, int], Load] = {}
    rdflib_answers: dict[str, str] = {}
    rdflib_rss: float | None = None
    if not args.skip_rdflib:
        dump = dist / "ctld.nt"
        endpoint = servers.start(
            "rdflib-endpoint",
            [sys.executable, "-m", "rdflib_endpoint", "serve", str(dump), "--host", HOST],
            "/",
        )
        ready = wait_ready(endpoint, 1800)
        say("rdflib_endpoint_ready_seconds", f"{ready:.1f}")
        table.add("rdflib-endpoint: ready (parses ctld.nt into rdflib's memory store)",
                  f"{ready:.1f} s")  # fmt: skip
        for kind, text in workload.items():
            check = httpx.get(endpoint.query_url, params={"query": text},
                              headers={"Accept": JSON_RESULTS}, timeout=600)  # fmt: skip
            ok = check.status_code == 200
            rdflib_answers[kind] = summary(check.content) if ok else f"HTTP {check.status_code}"
            say(f"rdflib_{kind}_answer", rdflib_answers[kind])
            for n in clients:
                load = run_load(endpoint.query_url, text, n, args.duration)
                rdflib_loads[kind, n] = load
                say(f"rdflib_{kind}_{n}_clients",
                    f"{load.describe()} ({load.ok} in {load.seconds:.1f} s, "
                    f"client CPU {load.client_cpu:.1f} s)")  # fmt: skip
        rdflib_rss = endpoint.rss_mib()
        servers.stop(endpoint)

    for kind, text in workload.items():
        label, target = WORKLOADS[kind]
        answer = f"ctld: {answers[kind]}"
        if kind in rdflib_answers:
            answer += f"; rdflib-endpoint: {rdflib_answers[kind]}"
        table.add(f"{label}: query", f"`{text}` ({answer})")
        for n in clients:
            mine = ctld_loads[kind, n]
            table.add(f"{label}, {n} clients: ctld", mine.describe())
            other = rdflib_loads.get((kind, n))
            if other is None:
                continue
            table.add(f"{label}, {n} clients: rdflib-endpoint", other.describe())
            if other.rate > 0:
                ratio = mine.rate / other.rate
                table.add(f"{label}, {n} clients: ctld / rdflib-endpoint (req/s)", f"{ratio:.1f}x",
                          *((f">= {target:g}x", ratio >= target) if target else ()))  # fmt: skip
    if rss is not None:
        table.add("ctld server RSS after the runs (main process)", f"{rss:.0f} MiB")
    if rdflib_rss is not None:
        table.add("rdflib-endpoint RSS after the runs", f"{rdflib_rss:.0f} MiB")
    table.add("load average at end (1/5/15 min)",
              " / ".join(f"{x:.2f}" for x in os.getloadavg()))  # fmt: skip
    print()
    print(table.markdown(), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
