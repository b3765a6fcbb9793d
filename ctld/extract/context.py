"""The article context: everything the finders share about one article.

The extractor builds it once per article (tokens, sentences, gazetteer matches, dates,
lexicon cues) and hands it to each finder in turn; the finders add their entity hits
to it. It lives below the finders and the extractor so neither imports the other.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass, field

from ctld.extract.articles import Article
from ctld.extract.authorities import Authorities
from ctld.extract.dates import DateSpan
from ctld.extract.gazetteer import Entity, Match
from ctld.extract.hits import EntityHit
from ctld.extract.lexicon import Lexicon
from ctld.extract.spans import Span
from ctld.extract.tokens import Keyer, Token


@dataclass
class ArticleContext:
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
