"""Build benchmark: time and peak memory of each `ctld build` stage, for the seed
articles and for synthetic corpora (bench/corpus.py) of growing size, and the growth
exponent of each stage (how its time scales with the number of articles).

Why: a publisher's corpus grows to 10k-100k articles; the targets on a 2-core machine
are 10,000 articles in at most 120 s end to end and at most 2 GiB peak, with every stage
linear (exponent near 1). Each size runs in a fresh child process on a fresh copy of the
project (ontology, shapes, queries, authorities, lexicon), so no cache, no warm store
and no memory from an earlier size leaks into a figure. A benchmark prints figures and
asserts nothing.

    python bench/build.py [--sizes 100,1000] [--jobs 2] [--seed 7] [--no-seeds]
    python bench/build.py --sizes 100,1000,10000 --jobs 2 --shacl jena
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PROJECT_PARTS = ("ontology", "shapes", "sparql", "data/authorities", "data/lexicon",
                 "data/reference")  # fmt: skip
TARGET_SECONDS_10K = 120
TARGET_PEAK_MIB = 2048


def copy_project(target: Path) -> None:
    for part in PROJECT_PARTS:
        shutil.copytree(ROOT / part, target / part)
    (target / "data" / "articles").mkdir(parents=True)


def one(root: Path, out: Path, jobs: int, shacl: str) -> dict:
    """Run in the child: one build, its stage times and peak memory."""
    from ctld.build.pipeline import build
    from ctld.build.run import BuildOptions
    from ctld.core.settings import Settings

    began = time.perf_counter()
    result = build(Settings.discover(root), BuildOptions(dist=out, jobs=jobs, shacl=shacl))
    total = time.perf_counter() - began
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "articles": result.articles,
        "triples": result.triples,
        "seconds": result.seconds,
        "peak_mib": result.peak_mib,
        "children_peak_mib": round(children, 1),
        "total_seconds": round(total, 2),
        "inference": result.inference.skipped or "ran" if result.inference else "none",
    }


def run_size(
    label: str, articles: Path | None, count: int, jobs: int, seed: int, shacl: str
) -> dict:
    with tempfile.TemporaryDirectory(prefix="ctld-bench-build-") as tmp:
        root = Path(tmp) / "project"
        copy_project(root)
        began = time.perf_counter()
        if articles is not None:
            for path in sorted(articles.glob("*.txt")):
                shutil.copy(path, root / "data" / "articles" / path.name)
        else:
            subprocess.run(
                [sys.executable, str(ROOT / "bench" / "corpus.py"), "--count", str(count),
                 "--out", str(root / "data" / "articles"), "--seed", str(seed)],
                check=True, capture_output=True,
            )  # fmt: skip
        corpus_seconds = time.perf_counter() - began
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(root), "--jobs", str(jobs), "--shacl", shacl],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            sys.stderr.write(done.stderr[-3000:])
            raise SystemExit(f"build of {label} failed (exit {done.returncode})")
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        figures["corpus_seconds"] = round(corpus_seconds, 2)
        return figures


def exponent(small: dict, large: dict, stage: str) -> float | None:
    """log(t2/t1) / log(n2/n1): 1 is linear; below 1, fixed costs still dominate."""
    n1, n2 = small["articles"], large["articles"]
    t1, t2 = small["seconds"].get(stage, 0), large["seconds"].get(stage, 0)
    if n1 == n2 or t1 <= 0 or t2 <= 0:
        return None
    return math.log(t2 / t1) / math.log(n2 / n1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="ctld build: time and memory per stage.")
    parser.add_argument("--sizes", default="100,1000", help="synthetic corpus sizes")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-seeds", action="store_true", help="skip the 5 seed articles")
    parser.add_argument("--shacl", choices=["pyshacl", "jena"], default="pyshacl")
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one is not None:
        print(json.dumps(one(args.one, args.one / "dist", args.jobs, args.shacl)))
        return 0
    runs: list[tuple[str, dict]] = []
    if not args.no_seeds:
        seeds = ROOT / "data" / "articles"
        runs.append(("seeds", run_size("seeds", seeds, 0, args.jobs, 0, args.shacl)))
    for size in (int(s) for s in args.sizes.split(",") if s):
        figures = run_size(str(size), None, size, args.jobs, args.seed, args.shacl)
        runs.append((str(size), figures))
    stages = list(runs[-1][1]["seconds"])
    print(f"python: {sys.version.split()[0]}  jobs: {args.jobs}  shacl: {args.shacl}")
    print("| corpus | articles | triples | " + " | ".join(stages)
          + " | total s | peak MiB (self / workers) |")  # fmt: skip
    print("|---" * (len(stages) + 5) + "|")
    for label, f in runs:
        cells = " | ".join(f"{f['seconds'][s]:.2f} s, {f['peak_mib'][s]:.0f} MiB" for s in stages)
        peak = max(f["peak_mib"].values())
        print(f"| {label} | {f['articles']} | {f['triples']} | {cells} | {f['total_seconds']}"
              f" | {peak:.0f} / {f['children_peak_mib']:.0f} |")  # fmt: skip
    synthetic = [f for label, f in runs if label != "seeds"]
    if len(synthetic) >= 2:
        first, last = synthetic[0], synthetic[-1]
        for stage in stages:
            value = exponent(first, last, stage)
            shown = f"{value:.2f}" if value is not None else "n/a"
            print(f"growth_exponent_{stage}: {shown}")
        value = math.log(last["total_seconds"] / first["total_seconds"]) / math.log(
            last["articles"] / first["articles"]
        )
        print(f"growth_exponent_total: {value:.2f}")
    print(f"target: 10,000 articles <= {TARGET_SECONDS_10K} s, <= {TARGET_PEAK_MIB} MiB peak")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
