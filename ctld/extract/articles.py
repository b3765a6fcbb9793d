"""Source articles: UTF-8 text with a YAML front matter header between `---` lines.

The body below the header is kept byte for byte; every character offset ctld records
as evidence is an offset into that body, so nothing here normalises it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ctld.core.datafiles import LOADER
from ctld.core.errors import ArticleError, MissingPathError

FIELDS = ("id", "title", "url", "publisher", "published", "language", "licence", "origin")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,127}$")
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2}$")
URL_PATTERN = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
_FENCE = "---"


@dataclass(frozen=True)
class Article:
    id: str
    text: str
    language: str
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    published: dt.date | None = None
    licence: str | None = None  # the source's reuse terms, as its front matter gives them
    origin: str | None = None
    path: Path | None = None
    language_detected: bool = False


DetectLanguage = Callable[[str], str | None]


def read_article(path: Path | str, detect: DetectLanguage | None = None) -> Article:
    """Read one article file; `detect` guesses the language when the header has none."""
    path = Path(path)
    if not path.is_file():
        raise MissingPathError(path, "article")
    try:
        raw = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise ArticleError(path, None, line, "not valid UTF-8") from None
    return parse_article(raw, path=path, detect=detect)


def parse_article(
    raw: str, *, path: Path | None = None, detect: DetectLanguage | None = None
) -> Article:
    where = path or Path("<article>")
    header, text = split_front_matter(raw, where)
    fields = _check_fields(header, where, raw)
    article_id = fields.get("id") or (path.stem if path else None)
    if article_id is None:
        raise ArticleError(where, "id", 1, "missing: give an id in the front matter")
    if not ID_PATTERN.match(article_id):
        raise ArticleError(
            where, "id", _line_of(raw, "id"), f"{article_id!r} is not lower-case [a-z0-9_-]"
        )
    language = fields.get("language")
    detected = False
    if language is None:
        guess = detect(text) if detect else None
        if guess is None:
            raise ArticleError(where, "language", 1, "missing, and not detectable from the text")
        language, detected = guess, True
    return Article(
        id=article_id,
        text=text,
        language=language,
        title=fields.get("title"),
        url=fields.get("url"),
        publisher=fields.get("publisher"),
        published=fields.get("published"),
        licence=fields.get("licence"),
        origin=fields.get("origin"),
        path=path,
        language_detected=detected,
    )


def split_front_matter(raw: str, where: Path) -> tuple[dict[str, Any], str]:
    """The parsed header and the untouched body. A file without a header is all body."""
    if raw.startswith("\ufeff"):
        raw = raw[1:]
    first, _, rest = raw.partition("\n")
    if first.rstrip("\r") != _FENCE:
        return {}, raw
    end = re.search(r"^---\r?$", rest, re.MULTILINE)
    if end is None:
        raise ArticleError(where, None, 1, "front matter opened with '---' is never closed")
    block = rest[: end.start()]
    body = rest[end.end() :]
    body = body[1:] if body.startswith("\n") else body
    try:
        header = yaml.load(block, Loader=LOADER) if block.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else None
        raise ArticleError(where, None, line, f"front matter is not valid YAML: {exc}") from None
    if not isinstance(header, dict):
        raise ArticleError(where, None, 2, "front matter must be 'key: value' lines")
    return header, body


def _check_fields(header: dict[str, Any], where: Path, raw_text: str) -> dict[str, Any]:
    """The known fields, checked; `raw_text` (the file as read) gives line numbers."""
    out: dict[str, Any] = {}
    for key, value in header.items():
        line = _line_of(raw_text, str(key))
        if key not in FIELDS:
            raise ArticleError(where, str(key), line, f"unknown field (known: {', '.join(FIELDS)})")
        if value is None:
            continue
        if key == "published":
            out[key] = _date(value, where, line)
            continue
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise ArticleError(where, key, line, f"must be text, not {type(value).__name__}")
        text = str(value).strip()
        if key == "language" and not LANGUAGE_PATTERN.match(text):
            raise ArticleError(where, key, line, f"{text!r} is not an ISO 639-1 code like 'en'")
        if key == "url" and not URL_PATTERN.match(text):
            raise ArticleError(where, key, line, f"{text!r} is not an http(s) URL")
        out[key] = text
    return out


def _date(value: Any, where: Path, line: int | None) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ArticleError(
            where, "published", line, f"{value!r} is not an ISO date like 2019-05-21"
        ) from None


def _line_of(raw: str, key: str) -> int | None:
    for number, line in enumerate(raw.splitlines()[:200], start=1):
        if line.startswith(f"{key}:"):
            return number
    return None
