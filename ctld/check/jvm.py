"""Options for the JVMs the build starts (Jena's SHACL validator, HermiT), sized to
their input.

The build runs both at once, on a machine that may have two cores, so the defaults
(a heap of a quarter of the machine, a parallel collector, both compilers) cost memory
and CPU time for nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path


def jvm_options(data: Path, per_byte: int = 4) -> list[str]:
    """JVM options for a run over `data`: a heap in proportion to it (Jena holds it in
    memory in less than four times the N-Triples' size; HermiT asks for a little
    more) rather than the default of a quarter of the machine, which the JVM fills
    before it collects; the serial collector, as the build runs two JVMs side by side
    on two cores; and, for small inputs (under 64 MiB, a thousand articles), only the
    quick compiler: the optimising one costs more than it saves on a run of seconds."""
    size = data.stat().st_size
    options = [f"-Xmx{((256 << 20) + per_byte * size) >> 20}m", "-XX:+UseSerialGC"]
    if size < 64 << 20:
        options.append("-XX:TieredStopAtLevel=1")
    return options


def yielding(command: list[str]) -> list[str]:
    """`command` run at a lower CPU priority (nice 10), where `nice` exists: for a JVM
    whose answer is needed later than that of another one running beside it."""
    nice = shutil.which("nice")
    return [nice, "-n", "10", *command] if nice else command
