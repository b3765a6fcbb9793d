"""Per-language extraction cues, read from data/lexicon/{language}.yaml.

Phrases are keyed with the same stemmer as the text, so "signed"/"signing" and
"подписали"/"подписание" need one entry each at most. A language without a file uses
the English cues; content words (event and instrument triggers, role and organization
nouns) of English are added to every language, since news in any language borrows them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ctld.core.datafiles import read_yaml
from ctld.core.errors import DataFileError, MissingPathError
from ctld.extract.tokens import Keyer, Token, fold, tokenize

PHRASE_KEYS = (
    "org_heads",
    "roles",
    "organized_by",
    "attended_by",
    "signed",
    "today",
    "held",
    "resolution",
    "not_triggers",
    "future",
    "said",
)
WORD_KEYS = (
    "honorifics",
    "locatives",
    "name_connectors",
    "new_event",
    "same_event",
    "adjective_endings",
    "name_particles",
)
GROUP_KEYS = ("events", "instruments")
SHARED = ("org_heads", "roles", "events", "instruments")


@dataclass
class PhraseSet:
    """Phrases keyed by stems; finds the longest phrase starting at each token."""

    by_first: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict)
    # shortest written form of each one-word phrase: a word much shorter than any form
    # of the phrase shares its stem by accident ("réuni" for "réunion")
    shortest: dict[str, int] = field(default_factory=dict)

    @classmethod
    def build(cls, phrases: dict[str, list[str]], keys: Keyer) -> PhraseSet:
        index: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        shortest: dict[str, int] = {}
        for label, items in phrases.items():
            for phrase in items:
                tokens = tokenize(str(phrase), keys)
                seq = tuple(t.key for t in tokens)
                if len(tokens) == 1:
                    size = len(fold(tokens[0].text))
                    shortest[seq[0]] = min(size, shortest.get(seq[0], size))
                if seq and (seq, label) not in index[seq[0]]:
                    index[seq[0]].append((seq, label))
        for entries in index.values():
            entries.sort(key=lambda e: (-len(e[0]), e[1]))
        return cls(dict(index), shortest)

    def at(self, tokens: list[Token], i: int) -> tuple[int, str] | None:
        """(length, label) of the longest phrase starting at token i."""
        token = tokens[i]
        for seq, label in self.by_first.get(token.key, ()):
            n = len(seq)
            if n == 1:  # its one word is the token's, found by its key
                if len(fold(token.text)) < self.shortest.get(seq[0], 0) - 1:
                    continue
                return n, label
            if i + n <= len(tokens) and all(
                tokens[i + k].key == seq[k] and tokens[i + k].soft_before for k in range(1, n)
            ):
                return n, label
        return None

    def find(
        self, tokens: list[Token], low: int = 0, high: int | None = None
    ) -> list[tuple[int, int, str]]:
        high = len(tokens) if high is None else high
        found = []
        i = low
        first = self.by_first
        while i < high:
            if tokens[i].key not in first:
                i += 1
                continue
            hit = self.at(tokens, i)
            if hit is None:
                i += 1
                continue
            found.append((i, i + hit[0], hit[1]))
            i += hit[0]
        return found


@dataclass
class Lexicon:
    language: str
    words: dict[str, frozenset[str]]
    phrases: dict[str, PhraseSet]
    groups: dict[str, PhraseSet]
    surfaces: dict[str, frozenset[str]]  # group -> its phrases as written, folded
    first_keys: dict[str, list[tuple[str, PhraseSet]]] | None = None  # built on first scan
    # word as written -> the word kinds it belongs to, filled as words are asked about
    # (a tuple: most words have none, and the empty tuple is shared)
    word_kinds: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)

    def scan(self, tokens: list[Token]) -> dict[str, dict[int, tuple[int, str]]]:
        """Every cue of every kind in one pass: kind -> {first token: (end token, label)},
        each kind read greedily left to right, as PhraseSet.find reads it."""
        firsts = self._firsts()
        hits: dict[str, dict[int, tuple[int, str]]] = {kind: {} for kind in self._all_sets()}
        free = dict.fromkeys(hits, 0)
        for i, token in enumerate(tokens):
            for kind, phrases in firsts.get(token.key, ()):
                if i < free[kind]:
                    continue
                hit = phrases.at(tokens, i)
                if hit is not None:
                    hits[kind][i] = (i + hit[0], hit[1])
                    free[kind] = i + hit[0]
        return hits

    def _all_sets(self) -> dict[str, PhraseSet]:
        return {**self.phrases, **self.groups}

    def _firsts(self) -> dict[str, list[tuple[str, PhraseSet]]]:
        if self.first_keys is None:
            firsts: dict[str, list[tuple[str, PhraseSet]]] = defaultdict(list)
            for kind, phrases in self._all_sets().items():
                for key in phrases.by_first:
                    firsts[key].append((kind, phrases))
            self.first_keys = dict(firsts)
        return self.first_keys

    def has_word(self, kind: str, word: str) -> bool:
        """Whether `word` is one of the words of `kind`. Finders ask this of nearly every
        token, several times over: each word's kinds are found once and remembered (a
        language's vocabulary is bounded, as the Keyer's cache of stems is)."""
        kinds = self.word_kinds.get(word)
        if kinds is None:
            folded = fold(word).rstrip(".")
            kinds = tuple(k for k, words in self.words.items() if folded in words)
            self.word_kinds[word] = kinds
        return kind in kinds

    def adjectival(self, word: str) -> bool:
        """A word derived from a trigger noun by an adjective ending ("operational")."""
        folded = fold(word)
        return any(
            folded.endswith(e) and len(folded) > len(e) + 3 for e in self.words["adjective_endings"]
        )


def load_lexicon_data(directory: Path) -> dict[str, dict[str, Any]]:
    if not directory.is_dir():
        raise MissingPathError(directory, "lexicon directory")
    data = {}
    for path in sorted(directory.glob("*.yaml")):
        content = read_yaml(path, "lexicon")
        if not isinstance(content, dict):
            raise DataFileError(path, 1, "a lexicon is a mapping of cue lists")
        _check_strings(path, content)
        data[path.stem] = content
    if "en" not in data:
        raise MissingPathError(directory / "en.yaml", "English lexicon")
    return data


def _check_strings(path: Path, content: dict[str, Any]) -> None:
    """YAML reads a bare `on`, `no` or `yes` as a boolean: refuse it, naming the key,
    rather than silently losing the word (Portuguese "no", English "on")."""
    for key, value in content.items():
        groups = value.items() if isinstance(value, dict) else [(None, value)]
        for group, items in groups:
            if not isinstance(items, list):
                continue
            for item in items:
                if not isinstance(item, str):
                    where = f"{key}.{group}" if group else str(key)
                    raise DataFileError(path, None, f"{where}: {item!r} is not text: quote it")


def _merged(own: dict[str, Any], english: dict[str, Any], key: str) -> list[Any]:
    """A language's own words, plus English name particles (names travel across
    languages: "bin", "van" appear in any article)."""
    items = list(own.get(key, []) or [])
    if key == "name_particles" and own is not english:
        items += english.get(key, []) or []
    return items


def build_lexicon(data: dict[str, dict[str, Any]], language: str, keys: Keyer) -> Lexicon:
    own = data.get(language, data["en"])
    english = data["en"]
    words = {
        k: frozenset(fold(str(w)).rstrip(".") for w in _merged(own, english, k)) for k in WORD_KEYS
    }
    phrases = {}
    for k in PHRASE_KEYS:
        items = list(own.get(k, []) or [])
        if k in SHARED and own is not english:
            items += english.get(k, [])
        phrases[k] = PhraseSet.build({k: [str(i) for i in items]}, keys)
    groups = {}
    surfaces = {}
    for k in GROUP_KEYS:
        merged: dict[str, list[str]] = defaultdict(list)
        for source in (own, english) if own is not english else (own,):
            for label, items in (source.get(k) or {}).items():
                merged[str(label)] += [str(i) for i in items or []]
        groups[k] = PhraseSet.build(dict(merged), keys)
        surfaces[k] = frozenset(fold(p) for items in merged.values() for p in items)
    return Lexicon(language, words, phrases, groups, surfaces)
