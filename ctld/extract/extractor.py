"""The extractor: one article in, its entities, events, agreements and posts out, each
with the exact spans of text that state it.

`Extractor.extract` is the entry point. It tokenizes once, matches the gazetteer once,
and hands a shared ArticleContext to the finders (names, posts, instruments, events),
which report hits (ctld.extract.hits); the result is an Extraction.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from ctld.core.identifiers import resolution_iri
from ctld.core.namespaces import CTLD
from ctld.core.settings import Settings
from ctld.extract.articles import Article
from ctld.extract.authorities import Authorities
from ctld.extract.context import ArticleContext
from ctld.extract.dates import DateFinder, DateSpan, PartialDate
from ctld.extract.finders import events, instruments, names, posts
from ctld.extract.finders.citations import ResolutionYears, find_citations
from ctld.extract.gazetteer import Entity, Match
from ctld.extract.hits import EntityHit
from ctld.extract.lexicon import Lexicon, build_lexicon, load_lexicon_data
from ctld.extract.result import Extraction
from ctld.extract.spans import Span
from ctld.extract.tokens import Keyer, Token, sentences, tokenize

YEARS_FILE = Path("data") / "reference" / "security-council-resolution-years.csv"
LEXICON_DIR = Path("data") / "lexicon"


class Extractor:
    """Holds what is expensive to build (gazetteer indexes, date grammar, stemmers) and
    reuses it for every article."""

    def __init__(
        self,
        authorities: Authorities,
        lexicon_data: dict[str, dict[str, Any]],
        years: ResolutionYears,
        detect: Callable[[str], str | None] | None = None,
    ) -> None:
        self.authorities = authorities
        self._lexicon_data = lexicon_data
        self.years = years
        self.detect = detect
        self._dates = DateFinder()
        self._keys: dict[str, Keyer] = {}
        self._lexicons: dict[str, Lexicon] = {}

    @classmethod
    def from_settings(
        cls, settings: Settings, detect: Callable[[str], str | None] | None = None
    ) -> Extractor:
        return cls(
            Authorities.load(settings),
            load_lexicon_data(settings.root / LEXICON_DIR),
            ResolutionYears.from_csv(settings.root / YEARS_FILE),
            detect,
        )

    def warm(self, languages: tuple[str, ...]) -> None:
        """Build the per-language indexes now rather than on the first article in each
        language (a corpus run pays the cost up front, a one-article run not at all)."""
        for language in languages:
            self.authorities.gazetteer.index(self.keys(language), language)
            self.lexicon(language)

    def keys(self, language: str) -> Keyer:
        if language not in self._keys:
            self._keys[language] = Keyer(language)
        return self._keys[language]

    def lexicon(self, language: str) -> Lexicon:
        if language not in self._lexicons:
            self._lexicons[language] = build_lexicon(
                self._lexicon_data, language, self.keys(language)
            )
        return self._lexicons[language]

    def extract(self, article: Article) -> Extraction:
        language = article.language
        keys = self.keys(language)
        text = article.text
        tokens = tokenize(text, keys)
        gazetteer = self.authorities.gazetteer
        matches = [(m, _choose(m, text, tokens)) for m in gazetteer.match(tokens, keys, language)]
        ctx = ArticleContext(
            article, text, tokens, sentences(text), self.lexicon(language), keys,
            self._dates.find(text), matches, self.authorities,
        )  # fmt: skip
        ctx.reference = _reference_date(ctx)
        _link_matches(ctx)
        _link_citations(ctx, self.years)
        names.find_people(ctx)
        names.find_candidate_organizations(ctx)
        found_posts = posts.find_posts(ctx)
        found_agreements = instruments.find_agreements(ctx, found_posts)
        found_events = events.find_events(ctx, found_agreements)
        entities = self.authorities.gazetteer.entities
        linked = {p.organization for p in found_posts if p.organization}
        linked |= {i for a in found_agreements for i in (*a.parties, *a.signatories)}
        labels = {i: entities[i].label("en") for i in sorted(linked) if i in entities}
        return Extraction(
            article,
            ctx.entities,
            found_events,
            found_agreements,
            found_posts,
            ctx.reference,
            labels,
        )


def _choose(match: Match, text: str, tokens: list[Token]) -> Entity:
    """Several entities share the matched label: prefer one whose label is written
    exactly so, then the most specific category, then the IRI (stable)."""
    if len(match.entities) == 1:
        return match.entities[0]
    surface = text[tokens[match.start].start : tokens[match.end - 1].end]
    order = ("person", "organization", "state", "place", "instrument", "post", "role", "topic")

    def rank(entity: Entity) -> tuple[int, int, str]:
        written = any(label == surface for label, _ in entity.names)
        category = order.index(entity.category) if entity.category in order else len(order)
        return (0 if written else 1, category, entity.iri)

    return min(match.entities, key=rank)


NESTED_IN = {"post", "role", "instrument", "resolution"}
REGION = str(CTLD.Region)


def _link_matches(ctx: ArticleContext) -> None:
    gazetteer = ctx.authorities.gazetteer
    place_ends: set[int] = set()
    for match, entity in ctx.matches:
        span = ctx.span(match.start, match.end)
        if entity.category in ("organization", "person", "place", "state", "topic", "instrument"):
            hit = ctx.hit(entity, span)
            located = _after_locative(ctx, match.start, place_ends)
            if entity.category == "state":
                hit.roles.add("place" if located else "actor")
            if entity.category == "place":
                region = REGION in entity.types
                if not region or (located and not _in_quotes(ctx, span)):
                    hit.roles.add("place")
            if located or (entity.category == "place" and "place" in hit.roles):
                place_ends.add(match.end - 1)
        if match.end - match.start < 2:
            continue
        inner_tokens = ctx.tokens[match.start : match.end]
        if entity.category in NESTED_IN:
            wanted: tuple[str, ...] = ("organization", "state", "place")
        elif any(ctx.lexicon.has_word("locatives", t.text) for t in inner_tokens[:-1]):
            wanted = ("state", "place")  # "UNODC Programme Office in Kyrgyzstan"
        else:
            continue
        for inner in gazetteer.match_within(inner_tokens, ctx.keys, ctx.article.language, wanted):
            if inner.end - inner.start == match.end - match.start:
                continue
            first = match.start + inner.start
            if wanted == ("state", "place") and not _after_locative(ctx, first):
                continue
            nested = _choose(inner, ctx.text, inner_tokens)
            hit = ctx.hit(nested, ctx.span(first, match.start + inner.end))
            if nested.category == "state":
                hit.roles.add("place" if _after_locative(ctx, first) else "actor")


def _in_quotes(ctx: ArticleContext, span: Span) -> bool:
    """Inside a quoted title or speech: an odd number of typographic quotes before it
    in its sentence."""
    low, _ = ctx.sentences[ctx.sentence_of(span.start)]
    before = ctx.text[low : span.start]
    return before.count("“") > before.count("”") or before.count("«") > before.count("»")


def _after_locative(ctx: ArticleContext, index: int, place_ends: set[int] | None = None) -> bool:
    """After "in"/"à"/"в", or next in a list such a preposition opened ("in Jakarta,
    Surabaya and Mindanao"): the item before the comma or "and" is itself a place."""
    tokens = ctx.tokens
    if index == 0:
        return False
    previous = tokens[index - 1]
    if tokens[index].soft_before and ctx.lexicon.has_word("locatives", previous.text):
        return True
    article = ctx.lexicon.has_word("same_event", previous.text)  # "in the Horn of Africa"
    if (
        article
        and index >= 2
        and tokens[index - 1].soft_before
        and ctx.lexicon.has_word("locatives", tokens[index - 2].text)
    ):
        return True
    if not place_ends:
        return False
    gap = ctx.text[previous.end : tokens[index].start].strip()
    if gap == ",":
        return index - 1 in place_ends
    conjunction = previous.text.casefold() in {"and", "et", "e", "y", "и", "und"}
    return conjunction and index >= 2 and index - 2 in place_ends


def _link_citations(ctx: ArticleContext, years: ResolutionYears) -> None:
    blocked = [(d.start, d.end) for d in ctx.dates]
    for citation in find_citations(ctx.text, ctx.tokens, ctx.lexicon, years, blocked):
        iri = resolution_iri(citation.symbol)
        hit = ctx.entities.get(iri)
        if hit is None:
            kind = (
                "SecurityCouncilResolution"
                if citation.symbol.startswith("S/")
                else "GeneralAssemblyResolution"
            )
            hit = EntityHit(iri, "resolution", citation.symbol, (str(CTLD[kind]),),
                            symbol=citation.symbol, year_inferred=citation.year_inferred,
                            candidate=iri not in ctx.authorities.iris)  # fmt: skip
            ctx.entities[iri] = hit
        hit.add(Span(citation.start, citation.end, citation.text))


def _reference_date(ctx: ArticleContext) -> DateSpan | None:
    """The article's own date: its published date, else a full date in its first lines
    (the dateline), else a partial one there ("16 de fevereiro, Moscou")."""
    article = ctx.article
    if article.published is not None:
        p = article.published
        return DateSpan(0, 0, p.isoformat(), PartialDate(p.year, p.month, p.day))
    head = [d for d in ctx.dates if d.start < 300 and d.begin.month and d.begin.day]
    full = [d for d in head if d.begin.year]
    return (full or head or cast(list[DateSpan | None], [None]))[0]  # [None]: no date
