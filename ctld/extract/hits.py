"""What the finders report: entities, events, agreements and posts, each with the spans
that state it.

These types sit below both the finders that make them and the extractor and graph
writer that read them, so no finder needs the extractor.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ctld.extract.dates import DateSpan, PartialDate
from ctld.extract.spans import Span


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
