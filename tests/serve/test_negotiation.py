from __future__ import annotations

import pytest

from ctld.serve.negotiation import negotiate, negotiate_rdf

OFFERS = ["text/html", "text/turtle", "application/ld+json"]


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, "text/html"),
        ("", "text/html"),
        ("*/*", "text/html"),
        ("text/turtle", "text/turtle"),
        ("application/ld+json;q=0.9, text/turtle;q=0.5", "application/ld+json"),
        ("text/*;q=0.5, application/ld+json;q=0.4", "text/html"),
        ("text/turtle;q=0.8, */*;q=0.9", "text/html"),
        ("image/png", None),
        ("text/turtle;q=0", None),
        ("TEXT/TURTLE", "text/turtle"),
        ("text/html;level=1;q=0.2, text/turtle", "text/turtle"),
        ("garbage, text/turtle;q=bad, application/ld+json", "application/ld+json"),
        # a browser's header: HTML first
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
    ],
)
def test_negotiate(accept: str | None, chosen: str | None) -> None:
    assert negotiate(accept, OFFERS) == chosen


def test_exact_beats_wildcard_at_equal_quality() -> None:
    assert negotiate("*/*, application/ld+json", OFFERS) == "application/ld+json"


RDF_OFFERS = ["text/html", "text/turtle", "application/ld+json", "application/rdf+xml"]


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        ("application/json", "application/ld+json"),
        ("text/n3", "text/turtle"),
        ("application/x-turtle;q=0.9, application/rdf+xml;q=0.5", "text/turtle"),
        ("application/json;q=0.5, text/turtle", "text/turtle"),
        ("*/*", "text/html"),
        ("application/*", "application/ld+json"),  # the canonical type before its alias
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
        ("image/png", None),
    ],
)
def test_negotiate_rdf_answers_aliases_in_their_canonical_type(
    accept: str, chosen: str | None
) -> None:
    assert negotiate_rdf(accept, RDF_OFFERS) == chosen


def test_an_alias_of_a_type_not_offered_is_not_chosen() -> None:
    assert negotiate_rdf("application/json", ["text/html", "text/turtle"]) is None
