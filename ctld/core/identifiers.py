"""Minting IRIs: slugs and the IRIs derived from UN document symbols.

Every IRI ctld writes goes through here, so user text never reaches an IRI unescaped:
a slug keeps only [a-z0-9-] after transliteration (anyascii, for Cyrillic, Arabic,
accented Latin), whatever the input.
"""

from __future__ import annotations

import re

from anyascii import anyascii

from ctld.core.namespaces import ID

_NON_SLUG = re.compile(r"[^a-z0-9]+")
_KIND = re.compile(r"[a-z]+")
_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_ARTICLE_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
MAX_SLUG = 80


def slugify(text: str, fallback: str = "x") -> str:
    """Lower-case ASCII words joined by hyphens: "S/RES/2462 (2019)" -> s-res-2462-2019."""
    ascii_text = anyascii(text).lower()
    slug = _NON_SLUG.sub("-", ascii_text).strip("-")
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG].rstrip("-")
    return slug or fallback


def instance_iri(kind: str, slug: str) -> str:
    if not _KIND.fullmatch(kind):
        raise ValueError(f"bad IRI kind {kind!r}")
    if not _SLUG.fullmatch(slug):
        raise ValueError(f"bad slug {slug!r}")
    return f"{ID}{kind}/{slug}"


def article_iri(article_id: str) -> str:
    return f"{ID}article/{article_slug(article_id)}"


def article_slug(article_id: str) -> str:
    """Article ids are [a-z0-9_-]; their IRIs keep the id as is (underscores included),
    so a publisher's file name and the IRI read the same."""
    if not _ARTICLE_ID.fullmatch(article_id):
        raise ValueError(f"bad article id {article_id!r}")
    return article_id


def security_council_symbol(number: int, year: int) -> str:
    return f"S/RES/{number} ({year})"


def general_assembly_symbol(session: str, number: int) -> str:
    return f"A/RES/{session}/{number}"


def resolution_iri(symbol: str) -> str:
    return instance_iri("resolution", slugify(symbol))


def undocs_page(symbol: str) -> str:
    """The official document page: https://undocs.org/ + the symbol without spaces."""
    return "https://undocs.org/" + symbol.replace(" ", "")
