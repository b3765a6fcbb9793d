"""The gazetteer: every label of every authority entity, matched against article tokens.

It is built from data/authorities (skos:prefLabel, altLabel, hiddenLabel), never from
lists in code, so adding a name to the authority data is how the extractor learns it.
Labels of all languages are keyed with the article language's stemmer, so a French
article still finds an English-only name. The longest match wins.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from ctld.core.namespaces import CTLD
from ctld.extract.tokens import Keyer, Token, fold, is_acronym, tokenize

# The first matching class decides the category; a State is both actor and place.
CATEGORIES = (
    (CTLD.State, "state"),
    (CTLD.Person, "person"),
    (CTLD.Organization, "organization"),
    (CTLD.Resolution, "resolution"),
    (CTLD.Instrument, "instrument"),
    (CTLD.Place, "place"),
    (CTLD.Topic, "topic"),
    (CTLD.Post, "post"),
    (CTLD.Role, "role"),
)
LABELS = (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)
# Names of these are proper nouns: their capitalised words must be capitalised in text.
PROPER = {"person", "organization", "state", "place", "instrument"}
# Languages that inflect names ("в Таджикистане", "с Таджикистаном"): their stems of a
# name's forms differ, so a capitalised name word matches any written form that keeps
# the name whole but its ending, up to this many letters longer.
INFLECTING = {"ru": 3, "uk": 3, "be": 3, "bg": 2, "pl": 3, "cs": 3, "sk": 3, "sr": 3, "hr": 3}

# (exact, key, proper): exact items compare the written form (acronyms); others compare
# stems, and a capitalised label word ("Canadá") also wants a capitalised text word
# that differs at most in its ending ("Москва"/"Москве"), never "canais".
LabelItem = tuple[bool, str, str | None]
PREFIX = 3


@dataclass(frozen=True)
class Entity:
    iri: str
    category: str
    types: tuple[str, ...]
    labels: dict[str, str]  # language -> prefLabel
    names: tuple[tuple[str, str], ...]  # every (label, language)

    def label(self, language: str = "en") -> str:
        """The prefLabel in `language`, else in English, else in the first language
        (in code order) that has one, else the IRI's last segment."""
        for lang in (language, "en"):
            if lang in self.labels:
                return self.labels[lang]
        if self.labels:
            return self.labels[min(self.labels)]
        return self.iri.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Match:
    start: int  # token index
    end: int  # token index, exclusive
    entities: tuple[Entity, ...]
    exact: bool  # matched through an acronym


class _Node:
    """A trie node: the labels that end here, and the edges to longer labels."""

    __slots__ = ("ends", "exact", "names", "stems")

    def __init__(self) -> None:
        self.ends: list[Entity] = []
        self.exact: dict[str, _Node] = {}  # acronym as written -> node
        self.stems: dict[str, list[tuple[str | None, _Node]]] = {}  # stem -> (proper, node)
        self.names: dict[str, list[tuple[str, _Node]]] = {}  # name prefix -> (proper, node)

    def child(self, item: LabelItem, inflecting: bool) -> _Node:
        exact, key, proper = item
        if exact:
            return self.exact.setdefault(key, _Node())
        if inflecting and proper is not None:
            # a name list's proper is never None: only this branch, with a proper, adds to it
            edges = cast(list[tuple[str | None, _Node]], self.names.setdefault(proper[:PREFIX], []))
        else:
            edges = self.stems.setdefault(key, [])
        for edge_proper, node in edges:
            if edge_proper == proper:
                return node
        node = _Node()
        edges.append((proper, node))
        return node


@dataclass
class Gazetteer:
    entities: dict[str, Entity]
    _tries: dict[str, _Node] = field(default_factory=dict, repr=False)

    @classmethod
    def from_graph(cls, graph: Graph) -> Gazetteer:
        """Entities of `graph` (authorities plus the ontology, for the class hierarchy)."""
        closure = _superclasses(graph)
        entities: dict[str, Entity] = {}
        for subject in sorted({s for s in graph.subjects(RDF.type, None)}, key=str):
            if not isinstance(subject, URIRef):
                continue
            types = {t for t in graph.objects(subject, RDF.type) if isinstance(t, URIRef)}
            ancestors = set().union(*(closure.get(t, {t}) for t in types)) if types else set()
            category = next((name for cls_, name in CATEGORIES if cls_ in ancestors), None)
            if category is None:
                continue
            names = sorted(
                {
                    (str(o), o.language or "")
                    for p in LABELS
                    for o in graph.objects(subject, p)
                    if isinstance(o, Literal)
                }
            )
            if not names:
                continue
            pref = {
                o.language or "": str(o)
                for o in graph.objects(subject, SKOS.prefLabel)
                if isinstance(o, Literal)
            }
            entities[str(subject)] = Entity(
                str(subject), category, tuple(sorted(str(t) for t in types)), pref, tuple(names)
            )
        return cls(entities)

    def index(self, keys: Keyer, language: str) -> _Node:
        """The trie of every label, keyed for `language` (built once per language)."""
        trie = self._tries.get(language)
        if trie is not None:
            return trie
        trie = _Node()
        inflecting = language in INFLECTING
        for entity in self.entities.values():
            proper = entity.category in PROPER
            for label, _lang in entity.names:
                items = label_items(label, keys, proper)
                if not items:
                    continue
                node = trie
                for item in items:
                    node = node.child(item, inflecting)
                if entity not in node.ends:
                    node.ends.append(entity)
        self._tries[language] = trie
        return trie

    def match(self, tokens: list[Token], keys: Keyer, language: str) -> list[Match]:
        """Non-overlapping matches, scanning left to right, the longest label first."""
        trie = self.index(keys, language)
        slack = INFLECTING.get(language, 0)
        found: list[Match] = []
        free = 0  # the first token not inside an earlier match
        for i in _label_starts(trie, tokens, slack):
            if i < free:
                continue
            best = _longest(trie, tokens, i, None, slack)
            if best is not None:
                found.append(best)
                free = best.end
        return found

    def match_within(
        self, tokens: list[Token], keys: Keyer, language: str, categories: Iterable[str]
    ) -> list[Match]:
        """Matches of the given categories anywhere, nested ones included (a country
        inside "UNODC Programme Office in Kyrgyzstan")."""
        wanted = set(categories)
        trie = self.index(keys, language)
        slack = INFLECTING.get(language, 0)
        found = []
        for i in _label_starts(trie, tokens, slack):
            best = _longest(trie, tokens, i, wanted, slack)
            if best is not None:
                found.append(best)
        return found


def family_names(people: Iterable[Entity]) -> dict[str, str]:
    """Family name (the last word of a two-or-more-word label) -> person; a family name
    two persons share is left out as ambiguous."""
    owners: dict[str, set[str]] = defaultdict(set)
    for person in people:
        for label, _ in person.names:
            words = label.split()
            if len(words) >= 2 and len(words[-1]) >= 3 and words[-1][:1].isupper():
                owners[words[-1]].add(person.iri)
    return {name: next(iter(iris)) for name, iris in owners.items() if len(iris) == 1}


def label_items(label: str, keys: Keyer, proper_names: bool = False) -> tuple[LabelItem, ...]:
    tokens = tokenize(label, keys)
    items: list[LabelItem] = []
    for t in tokens:
        if is_acronym(t.exact):
            items.append((True, t.exact, None))
        else:
            proper = fold(t.exact) if proper_names and t.exact[:1].isupper() else None
            items.append((False, t.key, proper))
    return tuple(items)


def _label_starts(trie: _Node, tokens: list[Token], slack: int) -> list[int]:
    """Indexes of the tokens a label may start at: those with an edge from the root
    (any token, in an inflecting language). Most words start no label, and
    sifting them out in one comprehension spares a _longest call each."""
    if slack:
        return list(range(len(tokens)))
    stems, exact = trie.stems, trie.exact  # exact: acronyms as written, a token's text
    return [i for i, t in enumerate(tokens) if t.key in stems or t.text in exact]


def _step(node: _Node, token: Token, slack: int) -> list[tuple[_Node, bool]]:
    """The nodes one token leads to from `node`, each with whether it took an acronym."""
    out = []
    written = token.text  # token.exact, read once
    found = node.exact.get(written)
    if found is not None:
        out.append((found, True))
    for proper, child in node.stems.get(token.key, ()):
        if proper is None or _same_name(written, proper):
            out.append((child, False))
    if slack and node.names and written[:1].isupper():
        for proper, child in node.names.get(fold(written)[:PREFIX], ()):
            if _same_name(written, proper, slack):
                out.append((child, False))
    return out


def _longest(
    trie: _Node, tokens: list[Token], i: int, categories: set[str] | None, slack: int
) -> Match | None:
    """The longest label starting at token i (all entities sharing it); the Match is
    built once, for the longest label only."""
    frontier = _step(trie, tokens[i], slack)
    longest: dict[str, tuple[Entity, bool]] = {}  # IRI -> (entity, took an acronym)
    end = i
    k = i
    while frontier:
        ends: dict[str, tuple[Entity, bool]] = {}
        for node, exact in frontier:
            for e in node.ends:
                if categories is None or e.category in categories:
                    ends[e.iri] = (e, exact)
        if ends:
            longest, end = ends, k + 1
        k += 1
        if k >= len(tokens) or not tokens[k].soft_before:
            break
        token = tokens[k]
        following = []
        for node, exact in frontier:
            for child, took in _step(node, token, slack):
                following.append((child, exact or took))
        frontier = following
    if not longest:
        return None
    entities = tuple(e for e, _ in longest.values())
    return Match(i, end, entities, any(exact for _, exact in longest.values()))


def _same_name(written: str, proper: str, longer: int = 1) -> bool:
    """A capitalised text word is the label's name word: capitalised, and the same but
    for its ending ("Москва"/"Москве", "Nations"/"Nation"), never "canais" for
    "Canadá"; a name of four letters or fewer only changes its last letter."""
    if not written[:1].isupper():
        return False
    folded = fold(written)
    if len(folded) > len(proper) + longer:
        return False
    if len(proper) <= 4:  # "Кито" (Quito) must not take "Китая" (of China); "Вене" is "Вена"
        return len(folded) == len(proper) and folded[:-1] == proper[:-1]
    if folded.startswith(proper):  # the usual case, the name itself: no letters to compare
        return True
    shared = 0
    for a, b in zip(folded, proper, strict=False):
        if a != b:
            break
        shared += 1
    slack = 2 if len(proper) >= 8 else 1
    return shared >= len(proper) - slack


def _superclasses(graph: Graph) -> dict[URIRef, set[URIRef]]:
    parents: dict[URIRef, set[URIRef]] = defaultdict(set)
    for child, parent in graph.subject_objects(RDFS.subClassOf):
        if isinstance(child, URIRef) and isinstance(parent, URIRef):
            parents[child].add(parent)
    closure: dict[URIRef, set[URIRef]] = {}

    def up(cls: URIRef) -> set[URIRef]:
        if cls in closure:
            return closure[cls]
        closure[cls] = {cls}
        result = {cls}
        for parent in parents.get(cls, ()):
            result |= up(parent)
        closure[cls] = result
        return result

    for cls in list(parents):
        up(cls)
    return closure
