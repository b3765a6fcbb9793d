"""How sure we are that a name means a resource: the scoring behind `/reconcile`.

A spreadsheet column holds names as people write them: in another language or script
("ОДКБ" for the CSTO), transliterated in one of several ways ("Kontrterroristicheskii"),
without accents, with a typo, as an acronym, or naming a child body whose name starts
with its parent's ("UNODC Programme Office Kyrgyzstan"). The labels are a few thousand,
so an index kept in memory and plain Python (difflib, no search engine) are enough:

- every label is folded (anyascii, lower case), then reduced to a *loose* key that
  merges the usual transliteration variants (й as y/i/j, х as kh/h, ж as zh/j, doubled
  letters), so variant spellings meet exactly;
- names that are not equal are compared word by word, each word weighted by its rarity
  among the labels (IDF) and matched with a typo tolerance, in a Dice coefficient: the
  words a candidate lacks *and* the words it has in excess both cost, which is what ranks
  a child body above its parent for the child's name, and the parent first for its own;
- only equality (exact, without spaces, or loose) scores above 0.95, so an exact alias
  always outranks any fuzzy match.

Names are not all: ctld.link.ranking checks types, parents and places, and ranks.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cached_property

from ctld.link.labels import Label, ascii_fold

# Words that carry no identity in the five languages of the articles (and Russian in
# transliteration); "un" is missing on purpose: it is the United Nations.
_STOPWORDS = (
    "the of and for in on to at by with an a "
    "de des du la le les l d et pour sur en au aux dans "
    "da do das dos e em no na nos nas para pela pelo "
    "del el los las y por con contra al "
    "v vo i po pri dlya s so ob o k ot iz"
)
STOPWORDS = frozenset(_STOPWORDS.split())
_RULES = {
    "shch": "sh", "sch": "sh", "tch": "ch", "dzh": "j", "zh": "j", "dj": "j", "kh": "h",
    "ph": "f", "ck": "k", "qu": "k", "q": "k", "w": "v", "x": "ks", "ou": "u", "tz": "c",
    "ts": "c", "iy": "i", "yi": "i", "ii": "i", "ij": "i", "yy": "i", "y": "i",
}  # fmt: skip
_RULE = re.compile("|".join(sorted(map(re.escape, _RULES), key=len, reverse=True)))
_HARD_C = re.compile(r"c(?!h)")
_DOUBLE = re.compile(r"(.)\1+")
EXACT, SPACELESS, LOOSE, INITIALS, FUZZY_CAP = 1.0, 0.98, 0.96, 0.85, 0.95


def loose(word: str) -> str:
    """A folded word with transliteration variants merged ("kontrterroristicheskiy",
    "kontrterroristicheskii" → one key)."""
    word = _RULE.sub(lambda m: _RULES[m.group(0)], word)
    word = _HARD_C.sub("k", word).replace("z", "s")
    return _DOUBLE.sub(r"\1", word) if len(word) > 4 else word  # EEU is not EU


def transpositions(a: str, b: str) -> int:
    """Edits from one word to another, a swap of neighbours counting as one (optimal
    string alignment): "undoc" is one edit from "unodc", two from "unoct"."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        row = [i]
        for j, y in enumerate(b, 1):
            cost = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (x != y))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                cost = min(cost, previous2[j - 2] + 1)
            row.append(cost)
        previous2, previous = previous, row
    return previous[-1]


def word_similarity(a: str, b: str, floor: float = 0.0) -> float:
    """Two words' likeness (0–1): difflib's ratio, which rewards long common runs,
    averaged with the edit distance, which tells a typo from another word; 0 when it
    cannot reach `floor` (the edit distance is the costly half)."""
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if (matcher.quick_ratio() + 1) / 2 < floor:
        return 0.0
    ratio = matcher.ratio()
    if (ratio + 1) / 2 < floor:
        return 0.0
    return (ratio + 1 - transpositions(a, b) / max(len(a), len(b))) / 2


def _trigrams(word: str) -> set[str]:
    padded = f"^{word}$"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


@dataclass(frozen=True)
class Form:
    """A name analysed once: what every comparison needs."""

    folded: str
    spaceless: str
    compact: str  # the loose words, joined
    tokens: tuple[str, ...]  # the loose words that carry identity
    initials: str

    @classmethod
    def of(cls, text: str) -> Form:
        folded = ascii_fold(text)
        words = folded.split()
        content = [w for w in words if w not in STOPWORDS] or words
        tokens = tuple(loose(w) for w in content)
        initials = "".join(w[0] for w in content) if len(content) > 1 else ""
        return cls(folded, "".join(words), "".join(loose(w) for w in words), tokens, initials)

    @cached_property
    def grams(self) -> frozenset[str]:
        return frozenset(_trigrams(self.compact))


@dataclass(frozen=True)
class Name:
    iri: str
    label: Label
    form: Form


@dataclass(frozen=True)
class Hit:
    """The best label of one resource for one query, with its similarity (0–1)."""

    iri: str
    similarity: float
    matched: str
    exact: bool


class NameMatcher:
    """Every label of every resource, indexed for exact, loose and fuzzy look-up."""

    def __init__(self, labels: dict[str, list[Label]]) -> None:
        self.names = [
            Name(iri, label, Form.of(label.text))
            for iri, items in labels.items()
            for label in items
            if ascii_fold(label.text)
        ]
        self._equal: dict[str, list[int]] = defaultdict(list)
        self.of: dict[str, list[Name]] = defaultdict(list)  # the labels of each resource
        self._initials: dict[str, list[int]] = defaultdict(list)
        self._postings: dict[str, list[int]] = defaultdict(list)
        frequency: Counter[str] = Counter()
        for index, name in enumerate(self.names):
            self.of[name.iri].append(name)
            form = name.form
            for key in {f"f:{form.folded}", f"s:{form.spaceless}", f"l:{form.compact}"}:
                self._equal[key].append(index)
            if len(form.initials) > 1:
                self._initials[form.initials].append(index)
            for token in set(form.tokens):
                self._postings[token].append(index)
                frequency[token] += 1
        total = max(1, len(self.names))
        self._weight = {t: math.log(1 + total / n) for t, n in frequency.items()}
        self._unknown = math.log(1 + total)
        self._grams: dict[str, set[str]] = defaultdict(set)
        for token in self._postings:
            for gram in _trigrams(token):
                self._grams[gram].add(token)
        self._similar: dict[str, dict[str, float]] = {}

    def weight(self, token: str) -> float:
        return self._weight.get(token, self._unknown)

    def similar_words(self, token: str) -> dict[str, float]:
        """Known words close to a query word: itself, a typo away, or the word it
        abbreviates ("org" → "organization"); cached, as columns repeat words."""
        found = self._similar.get(token)
        if found is not None:
            return found
        found = {token: 1.0} if token in self._postings else {}
        if len(token) >= 4:
            seen: Counter[str] = Counter()
            for gram in _trigrams(token):
                seen.update(self._grams.get(gram, ()))
            floor, needed = (0.8, 1) if len(token) <= 5 else (0.75, 2)
            slack = 2 + len(token) // 4
            for word, shared in seen.items():
                if word == token or shared < needed or abs(len(word) - len(token)) > slack:
                    continue
                ratio = word_similarity(token, word, floor)
                if ratio >= floor:
                    found[word] = ratio
        if len(token) >= 3 and token not in self._postings:
            for word in self._grams.get(f"^{token[:2]}", ()):
                if word.startswith(token) and len(word) > len(token):
                    found.setdefault(word, 0.75)
        if len(self._similar) > 100_000:  # words from clients: keep the cache bounded
            self._similar.clear()
        self._similar[token] = found
        return found

    def _split(self, token: str) -> list[str]:
        """A word written joined ("counterterrorism") as two known words, for look-up."""
        for cut in range(3, len(token) - 2):
            head, tail = token[:cut], token[cut:]
            if head in self._postings and tail in self._postings:
                return [head, tail]
        return []

    def similarity(self, query: Form, name: Form) -> tuple[float, bool]:
        """How alike two names are (0–1), and whether they are equal once folded."""
        if query.folded == name.folded:
            return EXACT, True
        if query.spaceless == name.spaceless:
            return SPACELESS, True
        if query.compact == name.compact:
            return LOOSE, True
        score = self._words(query, name)
        if score < FUZZY_CAP and query.compact and name.compact:
            score = max(score, 0.95 * self._characters(query, name))
        if len(query.tokens) == 1 and query.compact == name.initials:
            score = max(score, INITIALS)
        return min(score, FUZZY_CAP), False

    @staticmethod
    def _characters(query: Form, name: Form) -> float:
        """Likeness of the whole names, spaces aside: difflib for short names, trigram
        Dice for long ones (as telling there, and cheap enough to score every label)."""
        if max(len(query.compact), len(name.compact)) <= 10:
            return word_similarity(query.compact, name.compact)
        shared = len(query.grams & name.grams)
        return 2 * shared / (len(query.grams) + len(name.grams))

    def _words(self, query: Form, name: Form) -> float:
        """IDF-weighted Dice over words, each query word paired with its best label word."""
        used: set[int] = set()
        matched = total = 0.0
        for token in query.tokens:
            close = self.similar_words(token)
            best, where = 0.0, -1
            for j, word in enumerate(name.tokens):
                value = close.get(word, 0.0)
                if value > best and j not in used:
                    best, where = value, j
            if where < 0:
                total += self.weight(token)
                continue
            used.add(where)
            weight = self.weight(name.tokens[where])
            matched += 2 * weight * best
            total += 2 * weight
        total += sum(self.weight(w) for j, w in enumerate(name.tokens) if j not in used)
        return matched / total if total else 0.0

    def candidates(self, query: Form) -> set[int]:
        """The labels worth scoring: those sharing a word (or a close word) with the
        query, or equal to it in some form, or whose initials it is."""
        found: set[int] = set()
        for key in (f"f:{query.folded}", f"s:{query.spaceless}", f"l:{query.compact}"):
            found.update(self._equal.get(key, ()))
        if len(query.tokens) == 1:
            found.update(self._initials.get(query.compact, ()))
        for token in query.tokens:
            words: Iterable[str] = self.similar_words(token) or self._split(token)
            for word in words:
                found.update(self._postings.get(word, ()))
        return found

    def match(self, text: str, allowed: set[str] | None = None) -> list[Hit]:
        """Every resource one of whose labels resembles `text`, best first."""
        query = Form.of(text)
        if not query.folded:
            return []
        best: dict[str, Hit] = {}
        for index in self.candidates(query):
            name = self.names[index]
            if allowed is not None and name.iri not in allowed:
                continue
            value, exact = self.similarity(query, name.form)
            if name.label.preferred:
                value += 1e-4  # the preferred label wins a tie between labels of one resource
            current = best.get(name.iri)
            if current is None or value > current.similarity:
                best[name.iri] = Hit(name.iri, value, name.label.text, exact)
        hits = [h for h in best.values() if h.similarity >= 0.3]
        return sorted(hits, key=lambda h: (-h.similarity, h.iri))

    def prefixed(self, prefix: str) -> list[tuple[str, float, str]]:
        """Resources one of whose labels starts with `prefix` (or each of whose words
        starts a label word), for auto-completion: (iri, rank, label), best first."""
        wanted = ascii_fold(prefix)
        words = wanted.split()
        best: dict[str, tuple[float, str]] = {}
        for name in self.names:
            folded = name.form.folded
            if folded == wanted:
                rank = 3.0
            elif folded.startswith(wanted):
                rank = 2.0
            elif words and all(any(w.startswith(p) for w in folded.split()) for p in words):
                rank = 1.0
            else:
                continue
            rank += (0.05 if name.label.preferred else 0.0) - len(folded) / 200
            if rank > best.get(name.iri, (-1.0, ""))[0]:
                best[name.iri] = (rank, name.label.text)
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))
        return [(iri, rank, label) for iri, (rank, label) in ranked]
