"""The extraction of one article: what the graph writer and the report read."""

from __future__ import annotations

from dataclasses import dataclass, field

from ctld.extract.articles import Article
from ctld.extract.dates import DateSpan
from ctld.extract.hits import AgreementHit, EntityHit, EventHit, PostHit


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
