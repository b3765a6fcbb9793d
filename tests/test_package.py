"""The package as a user imports it: `import ctld` is cheap (no engine loads), and the
public API the README documents is there, each name from the module that defines it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import ctld

ENGINES = ("pyshacl", "pyoxigraph", "rdflib.plugins.sparql", "owlready2", "starlette")


def _loaded_after(code: str) -> list[str]:
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)  # fmt: skip
    modules = set(json.loads(done.stdout.splitlines()[-1]))
    return [engine for engine in ENGINES if engine in modules]


def test_import_ctld_loads_no_engine() -> None:
    assert _loaded_after("import ctld") == []


def test_the_command_line_parser_loads_no_engine() -> None:
    assert _loaded_after("from ctld.cli import build_parser; build_parser()") == []


def test_a_public_name_loads_its_stage() -> None:
    assert "pyshacl" in _loaded_after("from ctld import validate")


@pytest.mark.parametrize("name", sorted(set(ctld.__all__) - {"__version__"}))
def test_every_public_name_resolves(name: str) -> None:
    value = getattr(ctld, name)
    assert value.__module__ == ctld._PUBLIC[name]


def test_the_public_names_are_listed_once() -> None:
    assert sorted(ctld.__all__) == sorted(["__version__", *ctld._PUBLIC])
    assert set(ctld._PUBLIC) <= set(dir(ctld))


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        ctld.nothing  # noqa: B018


def test_the_version_is_the_package_metadata() -> None:
    from importlib.metadata import version

    assert ctld.__version__ == version("ctld")
