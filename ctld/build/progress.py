"""What `ctld build` shows while it works and when it ends: a progress bar per stage
(rich, on stderr, only on a terminal) and a closing summary."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ctld.build.pipeline import build
from ctld.build.run import BuildFailed, BuildOptions, BuildResult
from ctld.core.namespaces import shorten
from ctld.core.settings import Settings

SHOWN = 20  # violations printed before "... and N more"


def run_build(
    settings: Settings, dist: Path, jobs: int, quiet: bool = False, shacl: str = "pyshacl"
) -> int:
    """Exit 0 when published, 1 when validation or reasoning failed (BuildFailed);
    other CtldErrors (bad input) propagate to the CLI, which exits 2."""
    console = Console(stderr=True)
    show = not quiet and console.is_terminal
    with _progress(console, show) as advance:
        try:
            result = build(settings, BuildOptions(dist=dist, jobs=jobs, shacl=shacl), advance)
        except BuildFailed as failed:
            _failure(failed)
            return 1
    summary(result, sys.stdout)
    return 0


def summary(result: BuildResult, out: object) -> None:
    write = out.write  # type: ignore[attr-defined]
    write(f"ctld build: published {len(result.files)} files in {result.dist}\n")
    write(f"  articles: {result.articles} ({result.extracted} extracted this time)\n")
    write(f"  triples: {result.triples}\n")
    for cls, count in result.entities.items():
        write(f"  {shorten(cls)}: {count}\n")
    inference = result.inference
    if inference is not None and inference.skipped:
        write(f"  inference SKIPPED: {inference.skipped}\n")
    elif inference is not None:
        write(f"  inferred triples: {inference.inferred} (HermiT: consistent)\n")
    write(f"  warnings: {len(result.warnings)}\n")
    for warning in result.warnings[:SHOWN]:
        write(f"    {shorten(warning.focus)}: {warning.message}\n")
    stages = ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in result.seconds.items())
    write(f"  seconds: {stages}\n")


def _failure(failed: BuildFailed) -> None:
    print(f"ctld build: FAILED, nothing published: {failed}", file=sys.stderr)
    for v in failed.violations[:SHOWN]:
        where = f"{v.file}:{v.line}: " if v.file else ""
        path = f" ({v.path})" if v.path else ""
        value = f" value {v.value}" if v.value else ""
        print(f"  {where}{shorten(v.focus)}{path}{value}: {v.message} [{v.source}]",
              file=sys.stderr)  # fmt: skip
    if len(failed.violations) > SHOWN:
        print(f"  ... and {len(failed.violations) - SHOWN} more", file=sys.stderr)


@contextmanager
def _progress(
    console: Console, show: bool
) -> Iterator[Callable[[str, int], Callable[[int], None]] | None]:
    if not show:
        yield None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())  # fmt: skip
    with Progress(*columns, console=console, transient=True) as bar:

        def stage(name: str, total: int) -> Callable[[int], None]:
            task = bar.add_task(name, total=total)
            return lambda done: bar.advance(task, done)

        yield stage
