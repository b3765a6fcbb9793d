"""ctld: Counter-Terrorism Linked Data.

The public entry points are small, typed functions; the `ctld` command line only
parses arguments and reports what they return. They are loaded when first used
(PEP 562), so `import ctld` costs no engine: pyshacl, pyoxigraph and rdflib's SPARQL
engine load with the stage that needs them, and `ctld --help` answers at once.

    from ctld import Settings, validate
    report = validate(Settings.discover("."))
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ctld.core.version import VERSION

__version__ = VERSION

# name -> the module that defines it; each is documented in the README ("Python API")
_PUBLIC = {
    "CtldError": "ctld.core.errors",
    "Settings": "ctld.core.settings",
    "validate": "ctld.check.validation",
    "ValidationReport": "ctld.check.violations",
    "Violation": "ctld.check.violations",
    "read_article": "ctld.extract.articles",
    "Extractor": "ctld.extract.extractor",
    "Extraction": "ctld.extract.result",
    "BuildOptions": "ctld.build.run",
    "BuildResult": "ctld.build.run",
    "ServerSettings": "ctld.serve.state",
    "create_app": "ctld.serve.app",
}

__all__ = [
    "BuildOptions",
    "BuildResult",
    "CtldError",
    "Extraction",
    "Extractor",
    "ServerSettings",
    "Settings",
    "ValidationReport",
    "Violation",
    "__version__",
    "create_app",
    "read_article",
    "validate",
]

if TYPE_CHECKING:
    from ctld.build.run import BuildOptions, BuildResult
    from ctld.check.validation import validate
    from ctld.check.violations import ValidationReport, Violation
    from ctld.core.errors import CtldError
    from ctld.core.settings import Settings
    from ctld.extract.articles import read_article
    from ctld.extract.extractor import Extractor
    from ctld.extract.result import Extraction
    from ctld.serve.app import create_app
    from ctld.serve.state import ServerSettings


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'ctld' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *_PUBLIC])
