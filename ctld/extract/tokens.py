"""Word tokens with character offsets, and the keys the gazetteer matches on.

Matching tolerates case, accents and inflection: a token's `key` is its Snowball stem
(in the article's language) with accents removed, so "резолюции"/"резолюций",
"Nações"/"nacoes" and "résolutions"/"resolution" meet. Short all-capital tokens
(acronyms) keep their exact form as `exact`, so that "UN" never matches the French
article "un". French and Italian elision ("l’Office", "d'accord") splits at the
apostrophe, so the elided article is a token of its own and the name starts after it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

import Stemmer

# ISO 639-1 -> Snowball algorithm (PyStemmer); other languages are matched unstemmed.
STEMMERS = {
    "ar": "arabic", "ca": "catalan", "da": "danish", "de": "german", "el": "greek",
    "en": "english", "es": "spanish", "fi": "finnish", "fr": "french", "hu": "hungarian",
    "id": "indonesian", "it": "italian", "nl": "dutch", "no": "norwegian", "pt": "portuguese",
    "ro": "romanian", "ru": "russian", "sv": "swedish", "tr": "turkish",
}  # fmt: skip

ACRONYM_MAX = 5
_SPLIT = re.compile(r"(\w+)", re.UNICODE)  # words, kept between the gaps
# Between two tokens of one name only spaces, hyphens, apostrophes and inner dots
# ("U.N.") may stand; anything else (a comma, a bracket, a quote, a line break, a full
# stop before a space) ends the name.
_SOFT_GAP = re.compile(r"^(?:[ \t\u00a0\-\u2010\u2011\u2012\u2013'\u2019]|\.(?!\s))*$")


class Token(NamedTuple):
    text: str
    start: int
    end: int
    key: str  # stemmed, lower-case, accents removed
    soft_before: bool  # joined to the previous token by a soft gap only

    @property
    def exact(self) -> str:
        """The text as written (what acronyms and proper names are compared on)."""
        return self.text


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower case without accents: the comparison form of free text."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped).replace("ё", "е")


def is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return 1 < len(letters) <= ACRONYM_MAX and all(c.isupper() for c in letters)


class Keyer:
    """Stems words of one language, caching the results (news text repeats words)."""

    def __init__(self, language: str) -> None:
        algorithm = STEMMERS.get(language)
        self._stemmer = Stemmer.Stemmer(algorithm) if algorithm else None
        self._cache: dict[str, str] = {}

    def key(self, word: str) -> str:
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        lowered = word.casefold()
        stem = self._stemmer.stemWord(lowered) if self._stemmer and len(lowered) > 3 else lowered
        result = fold(stem)
        self._cache[word] = result
        return result


def tokenize(text: str, keys: Keyer) -> list[Token]:
    """The word tokens of `text`. Splitting once on words gives the words and the gaps
    between them in turn, so no per-token match object or slicing is needed; tokens are
    built with tuple.__new__, which skips NamedTuple's Python-level constructor (an
    article has hundreds of tokens, and this is the extractor's innermost loop)."""
    tokens: list[Token] = []
    append = tokens.append
    new = tuple.__new__
    key = keys.key
    cache = keys._cache
    soft_gap = _SOFT_GAP.fullmatch
    parts = _SPLIT.split(text)  # gap, word, gap, word, ..., gap
    start = len(parts[0])
    soft = False  # nothing joins the first token to a previous one
    pairs = iter(parts)
    next(pairs)
    for word, gap in zip(pairs, pairs, strict=True):
        end = start + len(word)
        append(new(Token, (word, start, end, cache.get(word) or key(word), soft)))
        soft = gap == " " or soft_gap(gap) is not None
        start = end + len(gap)
    return tokens


_BREAK = re.compile(r"(?:\n\s*\n|\n|(?<=[.!?…])[\"'”»)]*\s+(?=[\"'“«(]?[A-ZА-ЯЁÀ-ÖØ-Þ0-9]))")
_ABBREVIATION = re.compile(
    r"(?:\b(?:[A-ZА-Я]|Mr|Ms|Mrs|Dr|Prof|St|No|Nos|Sr|Sra|Dra|Mme|Gen|Col|Jr|vs|a\.i|H\.E|U\.N|e\.g|i\.e|etc|г|гг|т\.е))\.$"
)


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans: a line break, or end punctuation before a capital, ends one,
    except after an abbreviation or an initial ("Mr.", "H.E.", "V. Voronkov")."""
    spans = []
    start = 0
    for match in _BREAK.finditer(text):
        head = text[max(start, match.start() - 12) : match.start()]
        if "\n" not in match.group() and _ABBREVIATION.search(head):
            continue
        if text[start : match.start()].strip():
            spans.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans
