"""ctld.check.jvm: JVM options sized to the input, and the lower priority of a JVM that is
waited for last."""

from __future__ import annotations

import shutil
from pathlib import Path

from ctld.check.jvm import jvm_options, yielding


def test_heap_grows_with_the_input_and_small_inputs_skip_the_optimising_compiler(
    tmp_path: Path,
) -> None:
    small, large = tmp_path / "small.nt", tmp_path / "large.nt"
    small.write_bytes(b"x" * 1000)
    with large.open("wb") as handle:
        handle.truncate(100 << 20)
    small_options, large_options = jvm_options(small), jvm_options(large)
    assert small_options[0] == "-Xmx256m" and "-XX:TieredStopAtLevel=1" in small_options
    assert large_options[0] == f"-Xmx{256 + 400}m"
    assert "-XX:TieredStopAtLevel=1" not in large_options


def test_a_yielding_command_runs_under_nice_where_it_exists() -> None:
    command = ["java", "-version"]
    found = yielding(command)
    assert found[-2:] == command
    if shutil.which("nice"):
        assert found[:3] == [shutil.which("nice"), "-n", "10"]
