"""The label index: every name of every resource, in every language, searchable.

Search must find "Контртеррористический" from "kontrterroristicheskiy", "Sécurité"
from "securite" and "UNOCT" from "unoct". SPARQL's string functions ascii_fold neither
accents nor scripts, so the labels are read once when the server starts and folded
here (anyascii, then lower case); a query is folded the same way.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import cast

from anyascii import anyascii

from ctld.core.settings import DEFAULT_BASE_IRI
from ctld.query.engine import Engine, QueryRequest
from ctld.query.packaged import PackagedQuery
from ctld.query.results import ValueTerm, table

_WORD = re.compile(r"[a-z0-9]+")
PREFERRED = "http://www.w3.org/2004/02/skos/core#prefLabel"


def ascii_fold(text: str) -> str:
    return " ".join(_WORD.findall(anyascii(text).lower()))


@dataclass(frozen=True)
class Label:
    text: str
    language: str
    preferred: bool


@dataclass(frozen=True)
class LabelHit:
    iri: str
    label: str
    matched: str
    score: float


class LabelIndex:
    def __init__(self, labels: dict[str, list[Label]]) -> None:
        self.labels = labels
        self._folded = [
            (iri, label, ascii_fold(label.text)) for iri, items in labels.items() for label in items
        ]

    @classmethod
    def load(cls, engine: Engine, query: PackagedQuery, base_iri: str = "") -> LabelIndex:

        text = query.bind({"base": f"{base_iri or DEFAULT_BASE_IRI}id/"}, base_iri)
        _, rows = table(engine.run(QueryRequest(text, limit=10**9)).body)
        labels: dict[str, list[Label]] = defaultdict(list)
        # the labels query binds terms with a value, or nothing
        for resource, label, prop in cast(list[list[ValueTerm | None]], rows):
            if resource is None or label is None:
                continue
            language = getattr(label, "language", None) or ""
            preferred = prop is not None and prop.value == PREFERRED
            labels[resource.value].append(Label(label.value, language, preferred))
        for items in labels.values():
            items.sort(key=lambda x: (not x.preferred, x.language != "en", x.language, x.text))
        return cls(dict(labels))

    def name(self, iri: str, language: str = "en") -> str | None:
        """The best single label of a resource for a reader of `language`."""
        items = self.labels.get(iri)
        if not items:
            return None
        for item in items:
            if item.preferred and item.language == language:
                return item.text
        return items[0].text

    def search(self, query: str, limit: int = 20, kind: str | None = None) -> list[LabelHit]:
        """Resources whose labels contain every word of the query, best first.

        Scores: the whole label equal to the query, then a label starting with it,
        then all words present; preferred labels before alternatives.
        """
        wanted = ascii_fold(query)
        if not wanted:
            return []
        words = wanted.split()
        best: dict[str, LabelHit] = {}
        for iri, label, folded in self._folded:
            if kind and f"/id/{kind}/" not in iri:
                continue
            if folded == wanted:
                score = 3.0
            elif folded.startswith(wanted):
                score = 2.0
            elif all(w in folded for w in words):
                score = 1.0
            else:
                continue
            score += 0.5 if label.preferred else 0.0
            score -= len(folded) / 10_000
            current = best.get(iri)
            if current is None or score > current.score:
                best[iri] = LabelHit(iri, self.name(iri) or label.text, label.text, score)
        return sorted(best.values(), key=lambda h: (-h.score, h.label, h.iri))[:limit]
