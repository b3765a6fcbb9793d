"""The extraction report: what `ctld extract --report json` prints, per article.

Schema (one object per article):
  id, language, language_detected, title, published, reference_date
  organizations, persons, places, resolutions, topics: lists of
      {iri, label, type, mentions: [surface strings as found], candidate}
      (resolutions add symbol and year_inferred)
  events: {iri, type, class, date, end_date, date_text, date_completed_from_article,
           place, organizers, participants, instruments, mentions, evidence}
  agreements: {iri, label, type, class, date, parties, signatories, mentions, evidence,
               candidate}
  posts: {person, organization, role, post, membership, evidence}
Linked entities are {iri, label}; dates are ISO 8601, partial where the text is
("--05-23", "2018-06"). Types of events: signing, conference, meeting, talks, session,
workshop, operation, other; of agreements: mou, cooperation-arrangement, declaration,
strategy, convention, other.
"""

from __future__ import annotations

from typing import Any

from ctld.extract.hits import EntityHit
from ctld.extract.result import Extraction

EVENT_TYPES = {
    "Signing": "signing", "Conference": "conference", "Meeting": "meeting",
    "SideEvent": "meeting", "Talks": "talks", "Session": "session", "Workshop": "workshop",
    "Operation": "operation",
}  # fmt: skip
AGREEMENT_TYPES = {
    "MemorandumOfUnderstanding": "mou", "CooperationArrangement": "cooperation-arrangement",
    "Declaration": "declaration", "Strategy": "strategy", "Convention": "convention",
}  # fmt: skip


def article_report(extraction: Extraction) -> dict[str, Any]:
    article = extraction.article
    entities = extraction.entities
    ordered = sorted(entities.values(), key=lambda h: (min(m.start for m in h.mentions), h.iri))

    def ref(iri: str | None) -> dict[str, str] | None:
        if iri is None:
            return None
        return {"iri": iri, "label": extraction.label(iri)}

    def item(hit: EntityHit, kind: str) -> dict[str, Any]:
        out: dict[str, Any] = {
            "iri": hit.iri,
            "label": hit.label,
            "type": kind,
            "mentions": _surfaces(hit),
            "candidate": hit.candidate,
        }
        if hit.symbol:
            out["symbol"] = hit.symbol
            out["year_inferred"] = hit.year_inferred
        return out

    organizations = [
        item(h, "state" if h.category == "state" else "organization")
        for h in ordered
        if h.category == "organization" or (h.category == "state" and "actor" in h.roles)
    ]
    places = [
        item(h, _place_type(h))
        for h in ordered
        if h.category in ("place", "state") and "place" in h.roles
    ]
    events = []
    for event in extraction.events:
        date = event.date
        events.append(
            {
                "iri": event.iri,
                "type": EVENT_TYPES.get(event.kind, "other"),
                "class": f"ctld:{event.kind}",
                "date": date.begin.iso() if date else None,
                "end_date": date.finish.iso() if date and date.finish else None,
                "date_text": date.text if date and not event.date_from_article else None,
                "date_completed_from_article": bool(
                    date and (event.date_from_article or date.year_completed)
                ),
                "place": ref(event.place),
                "organizers": [ref(i) for i in event.organizers],
                "participants": [ref(i) for i in event.participants],
                "instruments": [ref(i) for i in event.instruments],
                "mentions": _unique(m.text for m in event.mentions) or [event.trigger.text],
                "evidence": event.evidence.text,
            }
        )
    agreements = [
        {
            "iri": a.iri,
            "label": a.title,
            "type": AGREEMENT_TYPES.get(a.kind, "other"),
            "class": f"ctld:{a.kind}",
            "date": a.date.iso() if a.date else None,
            "parties": [ref(i) for i in a.parties],
            "signatories": [ref(i) for i in a.signatories],
            "mentions": _unique(m.text for m in a.mentions),
            "evidence": _unique(e.text for e in a.evidence),
            "candidate": a.candidate,
        }
        for a in extraction.agreements
    ]
    reference = extraction.reference
    return {
        "id": article.id,
        "language": article.language,
        "language_detected": article.language_detected,
        "title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "reference_date": reference.begin.iso() if reference else None,
        "organizations": organizations,
        "persons": [item(h, "person") for h in ordered if h.category == "person"],
        "places": places,
        "events": events,
        "agreements": agreements,
        "resolutions": [item(h, "resolution") for h in ordered if h.category == "resolution"],
        "topics": [item(h, "topic") for h in ordered if h.category == "topic"],
        "posts": [
            {
                "person": ref(p.person),
                "organization": ref(p.organization),
                "role": p.role_label,
                "post": p.post,
                "membership": p.membership,
                "evidence": p.evidence.text,
            }
            for p in extraction.posts
        ],
    }


def _place_type(hit: EntityHit) -> str:
    local = {t.rsplit("#", 1)[-1] for t in hit.types}
    for name, kind in (
        ("City", "city"),
        ("Region", "region"),
        ("State", "country"),
        ("Country", "country"),
    ):
        if name in local:
            return kind
    return "place"


def _surfaces(hit: EntityHit) -> list[str]:
    return _unique(m.text for m in sorted(hit.mentions, key=lambda m: m.start))


def _unique(items: Any) -> list[str]:
    seen: dict[str, None] = {}
    for text in items:
        seen.setdefault(text, None)
    return list(seen)
