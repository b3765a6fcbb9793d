"""HTTP content negotiation (RFC 9110 §12.5.1): the best offered media type for an Accept.

Clients send anything from `*/*` to `text/turtle;q=0.9, application/ld+json`; the
server's offers are listed in its order of preference, which breaks ties.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Range:
    type: str
    subtype: str
    q: float
    order: int

    def matches(self, media_type: str) -> int:
        """How specifically this range matches: 2 exact, 1 type/*, 0 */*, -1 not at all."""
        main, _, sub = media_type.partition("/")
        if self.type == "*" and self.subtype == "*":
            return 0
        if self.type != main:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else -1


def parse_accept(header: str) -> list[Range]:
    ranges = []
    for order, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        kind = fields[0].lower()
        if "/" not in kind:
            continue
        main, _, sub = kind.partition("/")
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(1.0, max(0.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append(Range(main, sub, q, order))
    return ranges


def negotiate(accept: str | None, offers: Sequence[str]) -> str | None:
    """The offer the client prefers most, or None when it accepts none of them.

    No Accept header means anything is fine: the first offer wins.
    """
    if not accept or not accept.strip():
        return offers[0] if offers else None
    ranges = parse_accept(accept)
    best: tuple[float, int, int] | None = None
    chosen = None
    for index, offer in enumerate(offers):
        quality = None
        specificity = -1
        for r in ranges:
            level = r.matches(offer)
            if level > specificity:
                specificity, quality = level, r.q
        if quality is None or quality <= 0:
            continue
        key = (quality, specificity, -index)
        if best is None or key > best:
            best, chosen = key, offer
    return chosen


# Older or looser names for RDF syntaxes that clients still send: JSON-LD is JSON,
# Turtle is N3 without its extensions, and the rest are names from before the
# registrations. Each is answered in its canonical type. Not application/xml: browsers
# send it at q=0.9, and would get RDF/XML for a CONSTRUCT instead of Turtle.
RDF_ALIASES = {
    "application/json": "application/ld+json",
    "application/x-json+ld": "application/ld+json",
    "text/n3": "text/turtle",
    "text/rdf+n3": "text/turtle",
    "application/n3": "text/turtle",
    "application/x-turtle": "text/turtle",
    "application/turtle": "text/turtle",
}


def negotiate_rdf(accept: str | None, offers: Sequence[str]) -> str | None:
    """`negotiate` with RDF_ALIASES standing for the offers they name: an alias the
    client prefers gets its canonical type, and ranks after it in a tie."""
    aliases = [alias for alias, canonical in RDF_ALIASES.items() if canonical in offers]
    chosen = negotiate(accept, [*offers, *aliases])
    return RDF_ALIASES.get(chosen, chosen) if chosen else None
