"""Extraction: one article in, its entities, events, agreements and posts out, each with
the exact spans of text that state it.

`Extractor.extract` is the entry point. It tokenizes once, matches the gazetteer once,
and hands a shared Context to the finders for names (names.py), posts (posts.py),
events and instruments (events.py).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ctld.articles import Article
from ctld.authorities import Authorities
from ctld.citations import ResolutionYears, find_citations
from ctld.dates import DateFinder, DateSpan, PartialDate
from ctld.gazetteer import Entity, Match
from ctld.identifiers import resolution_iri
from ctld.lexicon import Lexicon, build_lexicon, load_lexicon_data
from ctld.namespaces import CTLD
from ctld.settings import Settings
from ctld.tokens import Keyer, Token, sentences, tokenize

YEARS_FILE = Path("data") / "reference" / "security-council-resolution-years.csv"
LEXICON_DIR = Path("data") / "lexicon"


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


@dataclass
class EntityHit:
    iri: str
    category: str  # organization, state, person, place, resolution, instrument, topic
    label: str
    types: tuple[str, ...]
    mentions: list[Span] = field(default_factory=list)
    candidate: bool = False
    roles: set[str] = field(default_factory=set)  # a state as "actor" and/or "place"
    symbol: str | None = None
    year_inferred: bool = False

    def add(self, span: Span) -> None:
        if span not in self.mentions:
            self.mentions.append(span)


@dataclass
class EventHit:
    iri: str
    kind: str  # ctld class local name: Conference, Meeting, SideEvent, ...
    trigger: Span
    evidence: Span
    date: DateSpan | None = None
    date_from_article: bool = False
    place: str | None = None
    organizers: list[str] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    instruments: list[str] = field(default_factory=list)
    mentions: list[Span] = field(default_factory=list)
    name: str | None = None  # key of a proper name ("operation Mercenary"), if it has one


@dataclass
class AgreementHit:
    iri: str
    kind: str  # ctld class local name
    title: str
    mentions: list[Span] = field(default_factory=list)
    evidence: list[Span] = field(default_factory=list)
    parties: list[str] = field(default_factory=list)
    signatories: list[str] = field(default_factory=list)
    date: PartialDate | None = None
    candidate: bool = False


@dataclass
class PostHit:
    person: str
    organization: str | None
    role: str | None  # role IRI
    role_label: str
    post: str
    membership: str
    evidence: Span
    minted: bool = False  # the post is a candidate minted from the text
    role_minted: bool = False  # so is its role


@dataclass
class Extraction:
    article: Article
    entities: dict[str, EntityHit]
    events: list[EventHit]
    agreements: list[AgreementHit]
    posts: list[PostHit]
    reference: DateSpan | None
    labels: dict[str, str] = field(default_factory=dict)  # English labels of linked IRIs

    def label(self, iri: str) -> str:
        hit = self.entities.get(iri)
        if hit is not None:
            return hit.label
        return self.labels.get(iri, iri.rsplit("/", 1)[-1])


@dataclass
class Context:
    """Everything the finders share about one article."""

    article: Article
    text: str
    tokens: list[Token]
    sentences: list[tuple[int, int]]
    lexicon: Lexicon
    keys: Keyer
    dates: list[DateSpan]
    matches: list[tuple[Match, Entity]]
    authorities: Authorities
    entities: dict[str, EntityHit] = field(default_factory=dict)
    reference: DateSpan | None = None
    token_starts: list[int] = field(default_factory=list)
    _sentence_starts: list[int] = field(default_factory=list)
    _hits: dict[str, dict[int, tuple[int, str]]] = field(default_factory=dict)
    _cues: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)
    _cue_starts: dict[str, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.token_starts = [token.start for token in self.tokens]
        self._sentence_starts = [start for start, _ in self.sentences]

    def cue_hits(self, kind: str) -> Mapping[int, tuple[int, str]]:
        """First token -> (end token, label) of every lexicon phrase of `kind`; the whole
        article is scanned once, for every kind, and remembered."""
        if not self._hits:
            self._hits = self.lexicon.scan(self.tokens)
            # the scan reads left to right: each kind's phrases come in token order
            self._cues = {
                kind: [(start, end, label) for start, (end, label) in hits.items()]
                for kind, hits in self._hits.items()
            }
            self._cue_starts = {kind: list(hits) for kind, hits in self._hits.items()}
        return self._hits[kind]

    def cue_at(self, kind: str, i: int) -> tuple[int, str] | None:
        """(end token, label) of the lexicon phrase of `kind` starting at token i."""
        return self.cue_hits(kind).get(i)

    def cue_tokens(self, kind: str) -> set[int]:
        """Indexes of every token inside a lexicon phrase of `kind`."""
        return {k for start, end, _ in self.cues(kind) for k in range(start, end)}

    def cues(self, kind: str, low: int = 0, high: int | None = None) -> list[tuple[int, int, str]]:
        """Lexicon phrases of `kind` starting among tokens low..high-1, in token order
        (a slice of the article's list, found by bisection: finders ask this of every
        sentence and trigger)."""
        self.cue_hits(kind)
        starts = self._cue_starts[kind]
        first = bisect.bisect_left(starts, low)
        last = len(starts) if high is None else bisect.bisect_left(starts, high)
        return self._cues[kind][first:last]

    def span(self, first: int, last: int) -> Span:
        """The text of tokens first..last-1."""
        start, end = self.tokens[first].start, self.tokens[last - 1].end
        return Span(start, end, self.text[start:end])

    def sentence_of(self, char: int) -> int:
        return max(0, bisect.bisect_right(self._sentence_starts, char) - 1)

    def sentence_span(self, index: int) -> Span:
        start, end = self.sentences[index]
        raw = self.text[start:end]
        trimmed = raw.strip()
        start += len(raw) - len(raw.lstrip())
        return Span(start, start + len(trimmed), trimmed)

    def hit(self, entity: Entity, span: Span, candidate: bool = False) -> EntityHit:
        found = self.entities.get(entity.iri)
        if found is None:
            found = EntityHit(entity.iri, entity.category, entity.label("en"), entity.types,
                              candidate=candidate)  # fmt: skip
            self.entities[entity.iri] = found
        found.add(span)
        return found


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
        from ctld import events, instruments, names, posts  # finders use this module

        language = article.language
        keys = self.keys(language)
        text = article.text
        tokens = tokenize(text, keys)
        gazetteer = self.authorities.gazetteer
        matches = [(m, _choose(m, text, tokens)) for m in gazetteer.match(tokens, keys, language)]
        ctx = Context(
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


def _link_matches(ctx: Context) -> None:
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


def _in_quotes(ctx: Context, span: Span) -> bool:
    """Inside a quoted title or speech: an odd number of typographic quotes before it
    in its sentence."""
    low, _ = ctx.sentences[ctx.sentence_of(span.start)]
    before = ctx.text[low : span.start]
    return before.count("“") > before.count("”") or before.count("«") > before.count("»")


def _after_locative(ctx: Context, index: int, place_ends: set[int] | None = None) -> bool:
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


def _link_citations(ctx: Context, years: ResolutionYears) -> None:
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


def _reference_date(ctx: Context) -> DateSpan | None:
    """The article's own date: its published date, else a full date in its first lines
    (the dateline), else a partial one there ("16 de fevereiro, Moscou")."""
    article = ctx.article
    if article.published is not None:
        p = article.published
        return DateSpan(0, 0, p.isoformat(), PartialDate(p.year, p.month, p.day))
    head = [d for d in ctx.dates if d.start < 300 and d.begin.month and d.begin.day]
    full = [d for d in head if d.begin.year]
    return (full or head or [None])[0]
