"""Scoring extraction against gold annotations (the format of docs/gold-format.md).

An extracted item matches a gold item when they share a mention (compared after Unicode
normalisation, case folding and quote normalisation) or the same canonical name (any
label of the linked entity counts); resolutions match by symbol; events by type and,
where the gold gives one, by date; agreements by type and parties (the gold's parties
empty, or at least half of the union of both sides shared) or a shared mention.
Matching is one-to-one (maximum bipartite matching), so a duplicate counts once.
A completed date matches a gold partial date it completes ("2019-05-16" ~ "--05-16").
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ctld.core.datafiles import read_yaml
from ctld.core.errors import DataFileError, MissingPathError

CATEGORIES = ("organizations", "persons", "places", "events", "agreements", "resolutions", "topics")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class Evaluation:
    per_article: dict[str, dict[str, Score]] = field(default_factory=dict)
    errors: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def totals(self) -> dict[str, Score]:
        totals = {c: Score() for c in CATEGORIES}
        for scores in self.per_article.values():
            for category, score in scores.items():
                totals[category].add(score)
        return totals

    def overall(self) -> Score:
        overall = Score()
        for score in self.totals().values():
            overall.add(score)
        return overall

    def to_dict(self) -> dict[str, Any]:
        return {
            "categories": {c: s.to_dict() for c, s in self.totals().items()},
            "overall": self.overall().to_dict(),
            "articles": {
                a: {c: s.to_dict() for c, s in scores.items()}
                for a, scores in sorted(self.per_article.items())
            },
            "misses": self.errors,
        }


Names = Callable[[str], list[str]]  # IRI -> every label of that entity


def load_gold(path: Path) -> dict[str, Any]:
    data = read_yaml(path, "gold file")
    if not isinstance(data, dict) or "id" not in data:
        raise DataFileError(path, 1, "a gold file is a mapping with an id")
    return data


def score_article(
    report: dict[str, Any], gold: dict[str, Any], names: Names
) -> tuple[dict[str, Score], list[dict[str, Any]]]:
    scores: dict[str, Score] = {}
    misses: list[dict[str, Any]] = []
    for category in CATEGORIES:
        extracted = report.get(category, [])
        expected = gold.get(category) or []
        edges = [
            [j for j, g in enumerate(expected) if _MATCHERS[category](x, g, names)]
            for x in extracted
        ]
        pairs = _maximum_matching(edges)
        matched_x = {i for i, _ in pairs}
        matched_g = {j for _, j in pairs}
        scores[category] = Score(
            len(pairs), len(extracted) - len(pairs), len(expected) - len(pairs)
        )
        for i, item in enumerate(extracted):
            if i not in matched_x:
                misses.append(
                    {"category": category, "kind": "false positive", "item": _brief(item)}
                )
        for j, item in enumerate(expected):
            if j not in matched_g:
                misses.append({"category": category, "kind": "missed", "item": _brief(item)})
    return scores, misses


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    for a, b in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("\u00a0", " ")):
        text = text.replace(a, b)
    return " ".join(text.split())


def _entity_match(x: dict[str, Any], g: dict[str, Any], names: Names) -> bool:
    mine = {normalize(m) for m in x.get("mentions", [])}
    theirs = {normalize(m) for m in g.get("mentions", []) or []}
    if mine & theirs:
        return True
    gold_name = normalize(g.get("name", ""))
    return bool(gold_name) and gold_name in {
        normalize(n) for n in [x.get("label", ""), *names(x.get("iri", ""))]
    }


def _resolution_match(x: dict[str, Any], g: dict[str, Any], names: Names) -> bool:
    return normalize(x.get("symbol", x.get("label", ""))) == normalize(g.get("symbol", ""))


def _topic_match(x: dict[str, Any], g: Any, names: Names) -> bool:
    gold_name = normalize(g if isinstance(g, str) else g.get("name", ""))
    return gold_name in {normalize(n) for n in [x.get("label", ""), *names(x.get("iri", ""))]}


def _dates_agree(mine: str | None, gold: Any) -> bool:
    if gold is None:
        return True
    gold = str(gold)
    if mine is None:
        return False
    if mine == gold:
        return True
    return gold.startswith("--") and len(mine) == 10 and mine[4:] == gold[1:]


def _event_match(x: dict[str, Any], g: dict[str, Any], names: Names) -> bool:
    return x.get("type") == g.get("type") and _dates_agree(x.get("date"), g.get("date"))


def _party_names(parties: list[Any], names: Names) -> list[set[str]]:
    out = []
    for party in parties:
        if isinstance(party, dict):
            out.append(
                {normalize(party.get("label", ""))}
                | {normalize(n) for n in names(party.get("iri", ""))}
            )
        else:
            out.append({normalize(party)})
    return out


def _agreement_match(x: dict[str, Any], g: dict[str, Any], names: Names) -> bool:
    if x.get("type") != g.get("type"):
        return False
    gold_parties = [normalize(p) for p in g.get("parties") or []]
    if not gold_parties:
        return True
    mine = _party_names(x.get("parties", []), names)
    shared = sum(1 for p in gold_parties if any(p in aliases for aliases in mine))
    union = len(gold_parties) + len(mine) - shared
    if union and shared / union >= 0.5:
        return True
    mine_mentions = {normalize(m) for m in x.get("mentions", [])}
    return bool(mine_mentions & {normalize(m) for m in g.get("mentions", []) or []})


_MATCHERS = {
    "organizations": _entity_match,
    "persons": _entity_match,
    "places": _entity_match,
    "events": _event_match,
    "agreements": _agreement_match,
    "resolutions": _resolution_match,
    "topics": _topic_match,
}


def _maximum_matching(edges: list[list[int]]) -> list[tuple[int, int]]:
    """Pairs (extracted, gold) of a maximum one-to-one matching (augmenting paths)."""
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(edges)):
        augment(i, set())
    return sorted((i, j) for j, i in owner.items())


def _brief(item: Any) -> Any:
    if not isinstance(item, dict):
        return item
    keys = ("label", "name", "symbol", "type", "date", "title", "mentions", "parties")
    return {k: item[k] for k in keys if k in item}


def evaluate_corpus(
    gold_dir: Path, articles_dir: Path, extract: Callable[[Path], dict[str, Any]], names: Names
) -> Evaluation:
    """Score every gold file in gold_dir against the report of its article."""
    if not gold_dir.is_dir():
        raise MissingPathError(gold_dir, "gold directory")
    result = Evaluation()
    for path in sorted(gold_dir.glob("*.yaml")):
        gold = load_gold(path)
        article = articles_dir / f"{gold['id']}.txt"
        if not article.is_file():
            raise MissingPathError(article, f"article for gold file {path.name}")
        report = extract(article)
        scores, misses = score_article(report, gold, names)
        result.per_article[str(gold["id"])] = scores
        result.errors[str(gold["id"])] = misses
    return result
