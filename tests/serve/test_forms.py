"""ctld.serve.forms: URL and form parameters are UTF-8 text, or a ValueError saying where."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from ctld.serve.forms import content_type, form_pairs, is_utf8, url_parameters


@pytest.mark.parametrize(
    ("query_string", "expected"),
    [
        (b"query=ASK%7B%7D&x=%C3%A9", [("query", "ASK{}"), ("x", "é")]),
        ("query=ASK{}&x=é".encode(), [("query", "ASK{}"), ("x", "é")]),  # raw UTF-8
        (b"x=%E9", None),
        (b"x=\xe9", None),  # raw Latin-1
    ],
    ids=["encoded", "raw-utf-8", "encoded-latin-1", "raw-latin-1"],
)
def test_url_parameters_are_utf8_throughout(query_string: bytes, expected: list | None) -> None:
    """uvicorn refuses raw bytes in a request target; other ASGI servers pass them on,
    and then they are read as UTF-8 too (Starlette reads them as Latin-1)."""
    request = Request({"type": "http", "query_string": query_string, "headers": []})
    if expected is None:
        with pytest.raises(ValueError, match="not valid utf-8"):
            url_parameters(request)
    else:
        assert url_parameters(request).multi_items() == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"a=1&b=&a=%C3%A9+x", [("a", "1"), ("b", ""), ("a", "é x")]),
        ("q=Воронков".encode(), [("q", "Воронков")]),
    ],
)
def test_form_pairs_keep_order_blanks_and_repeats(body: bytes, expected: list) -> None:
    assert form_pairs(body, "the form") == expected


@pytest.mark.parametrize("body", [b"q=%FF", b"q=\xff", b"q=%C3"], ids=["encoded", "raw", "cut"])
def test_form_pairs_refuse_what_is_not_utf8(body: bytes) -> None:
    with pytest.raises(ValueError, match=r"the form .*not valid utf-8"):
        form_pairs(body, "the form")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", ("", "utf-8")),
        ("Application/SPARQL-Query", ("application/sparql-query", "utf-8")),
        ('application/x-www-form-urlencoded; charset="UTF-16"',
         ("application/x-www-form-urlencoded", "UTF-16")),
        ("text/plain;foo=bar;charset=ascii", ("text/plain", "ascii")),
    ],
)  # fmt: skip
def test_content_type(header: str, expected: tuple[str, str]) -> None:
    assert content_type(header) == expected


@pytest.mark.parametrize(("charset", "utf8"), [("UTF-8", True), ("utf8", True),
                                                ("US-ASCII", True), ("UTF-16", False),
                                                ("iso-8859-1", False)])  # fmt: skip
def test_is_utf8(charset: str, utf8: bool) -> None:
    assert is_utf8(charset) is utf8
