"""Request parameters as UTF-8 text, from a URL's query string or a form body.

Starlette reads invalid percent-encoded bytes as U+FFFD and raw bytes as Latin-1: a
query or a search term with them would silently match nothing, or reach the SPARQL
parser as a puzzling syntax error. Here they raise ValueError naming where they are,
which the routes answer with 400.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.datastructures import MultiDict
from starlette.requests import Request


def url_parameters(request: Request) -> MultiDict:
    """The URL's parameters, percent-encoded or (from clients that do not encode) raw."""
    what = "the URL's query string"
    return MultiDict(form_pairs(request.scope.get("query_string", b""), what))


def form_pairs(data: bytes, what: str) -> list[tuple[str, str]]:
    """The pairs of an application/x-www-form-urlencoded text, in order."""
    text = utf8(data, what)
    try:
        return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{what} holds a value that is not valid utf-8 "
                         f"(percent-encoded bytes at {exc.start})") from None  # fmt: skip


def utf8(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{what} is not valid utf-8: byte {exc.start}") from None


def content_type(header: str) -> tuple[str, str]:
    """A Content-Type's media type, lower-cased, and its charset (UTF-8 when none)."""
    kind, *parameters = header.split(";")
    charset = "utf-8"
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"'):
            charset = value.strip().strip('"')
    return kind.strip().lower(), charset


def is_utf8(charset: str) -> bool:
    """UTF-8 under any of its names, or ASCII, its subset."""
    return charset.lower() in ("utf-8", "utf8", "us-ascii", "ascii")
