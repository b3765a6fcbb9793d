"""Hand-edited YAML data files (lexicons, gold annotations): read safely, with errors
that name the file and the line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ctld.core.errors import DataFileError, MissingPathError

# libyaml's loader when PyYAML was built with it: the same safe loading, in C
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path, what: str) -> Any:
    if not path.is_file():
        raise MissingPathError(path, what)
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER)
    except UnicodeDecodeError:
        raise DataFileError(path, None, "not valid UTF-8") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DataFileError(path, mark.line + 1 if mark else None, f"bad YAML: {exc}") from None
