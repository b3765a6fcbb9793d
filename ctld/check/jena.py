"""Apache Jena's command-line tools, run from Debian's libapache-jena-java jars.

Jena is ctld's independent second engine (Turtle parsing, SHACL, SPARQL) in tests and
for users who want a second opinion. Debian's jars do not start as packaged:
`java -cp '/usr/share/java/*'` puts two SLF4J bindings on the class path, and jena-core
relocates its shaded Xerces classes to `xerces.*` while leaving their message bundles
under `org/apache/jena/ext/xerces/`, so start-up dies in XSSimpleTypeDecl. This module
builds a class path with one binding (slf4j-simple) and copies the bundles to where the
classes look for them, in a cache directory keyed by the jar it came from.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ctld.core.errors import ToolMissingError

TOOLS = {
    "riot": "riotcmd.riot",
    "arq": "arq.sparql",
    "sparql": "arq.sparql",
    "rsparql": "arq.rsparql",
    "shacl": "shacl.shacl",
    "tdb2.tdbloader": "tdb2.tdbloader",
    "tdb2.tdbquery": "tdb2.tdbquery",
}

# Jena 4.5's runtime dependencies as Debian installs them (unversioned symlinks).
_DEPENDENCIES = [
    "commons-cli",
    "commons-codec",
    "commons-compress",
    "commons-csv",
    "commons-io",
    "commons-lang3",
    "dexx.collection",
    "gson",
    "guava",
    "httpclient",
    "httpcore",
    "jackson-core",
    "jackson-databind",
    "jackson-annotations",
    "jsonld-java",
    "jakarta.json-api",
    "titanium-json-ld",
    "protobuf",
    "thrift",
    "slf4j-api",
    "slf4j-simple",
]
_BUNDLE_PREFIX = "org/apache/jena/ext/xerces/"


def _default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ctld"


@dataclass(frozen=True)
class Jena:
    jar_dir: Path = Path("/usr/share/java")
    java: str = "java"
    cache_dir: Path = field(default_factory=_default_cache)

    def available(self) -> bool:
        return (self.jar_dir / "jena-core.jar").is_file() and shutil.which(self.java) is not None

    def command(self, tool: str, args: Sequence[str] = ()) -> list[str]:
        """The java command line that runs `tool` (riot, arq, shacl, ...) with `args`."""
        if not (self.jar_dir / "jena-core.jar").is_file():
            raise ToolMissingError(
                f"Jena's jars are not in {self.jar_dir}: install Debian's libapache-jena-java"
            )
        if shutil.which(self.java) is None:
            raise ToolMissingError(f"no Java runtime ({self.java!r}) on PATH: install Java 17")
        main_class = TOOLS.get(tool, tool)
        return [
            self.java,
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-cp",
            self.classpath(),
            main_class,
            *args,
        ]

    def run(
        self, tool: str, args: Sequence[str] = (), timeout: float | None = 600
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(tool, args), capture_output=True, text=True, timeout=timeout, check=False
        )

    def classpath(self) -> str:
        jars = sorted(
            p for p in self.jar_dir.glob("jena-*.jar") if not _is_versioned(p.name) and p.is_file()
        )
        jars += [self.jar_dir / f"{name}.jar" for name in _DEPENDENCIES]
        missing = [str(j) for j in jars if not j.is_file()]
        if missing:
            raise ToolMissingError("Jena dependencies missing: " + ", ".join(missing))
        return os.pathsep.join([*map(str, jars), str(self._bundle_dir())])

    def _bundle_dir(self) -> Path:
        core = self.jar_dir / "jena-core.jar"
        stat = core.resolve().stat()
        key = hashlib.sha256(f"{core.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode())
        target = self.cache_dir / f"jena-xerces-{key.hexdigest()[:16]}"
        if (target / "xerces" / "impl" / "xpath" / "regex" / "message.properties").is_file():
            return target
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=self.cache_dir, prefix=".jena-xerces-"))
        with zipfile.ZipFile(core) as jar:
            for name in jar.namelist():
                if name.startswith(_BUNDLE_PREFIX) and name.endswith(".properties"):
                    out = staging / "xerces" / name[len(_BUNDLE_PREFIX) :]
                    out.parent.mkdir(parents=True, exist_ok=True)
                    out.write_bytes(jar.read(name))
        try:
            staging.rename(target)
        except OSError:  # another process won the race; its copy is identical
            shutil.rmtree(staging, ignore_errors=True)
        return target


def _is_versioned(name: str) -> bool:
    stem = name.removesuffix(".jar")
    last = stem.rsplit("-", 1)[-1]
    return bool(last) and last[0].isdigit() and all(c.isdigit() or c == "." for c in last)
