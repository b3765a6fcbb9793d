"""What else is known of a resource, and the verdict: the ranking behind `/reconcile`.

`Graph` holds the types (closed over the class hierarchy, so a UN organ is an
Organization), parents and places of every resource, against which a query's type and
properties are checked; `Reconciler` puts them together with the name scores of
ctld.link.matching into scores from 0 to 100, and says `match` only for an equal name with
a clear lead.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from ctld.link.labels import LabelIndex
from ctld.link.matching import EXACT, FUZZY_CAP, Form, Hit, NameMatcher

# --- what else is known of a resource: types, parents, places ---------------------------

CTLD = "https://w3id.org/ctld/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PARENT, PLACE, ALIAS = CTLD + "subOrganizationOf", CTLD + "location", SKOS + "altLabel"
ORGANIZATION, PLACE_CLASS, CANDIDATE = CTLD + "Organization", CTLD + "Place", CTLD + "Candidate"
UP = (CTLD + "subOrganizationOf", CTLD + "postIn", CTLD + "holdsPost")  # towards the parent
WHERE = (*UP, CTLD + "location", CTLD + "locatedIn")  # towards the places
CODES = (CTLD + "iso3166Alpha2", CTLD + "iso3166Alpha3")
FACTORS = {"match": 1.0, "unknown": 0.85, "mismatch": 0.6}


@dataclass(frozen=True)
class Property:
    """A property a reconciliation query may constrain (its `pid` is `id` or an alias)."""

    id: str
    name: str
    description: str
    aliases: tuple[str, ...]


PROPERTIES = (
    Property(PARENT, "parent organization",
             "An organization the entity is part of, at any level (for a post, its organization; "
             "for a person, the organizations of their posts)",
             ("parent", "ctld:subOrganizationOf", "http://www.w3.org/ns/org#subOrganizationOf",
              "org:subOrganizationOf", "https://schema.org/parentOrganization")),
    Property(PLACE, "country or place",
             "A place the entity is in, seated in or belongs to: its country, city or region, "
             "or the state a government body is part of (names, ISO 3166 codes or ids)",
             ("country", "location", "ctld:location")),
    Property(ALIAS, "acronym or other name",
             "A name the entity also bears, in any language: an acronym, a short or old name",
             ("acronym", "alias", "skos:altLabel")),
)  # fmt: skip


class Graph:
    """The types and relations of every resource, with the closures reconciliation
    needs: the class hierarchy (a UN organ is an Organization), every ancestor body,
    every place something is in. Built once from the rows of the reconcile-* page
    queries, so it works the same over the embedded store and a remote one."""

    def __init__(self, types: Iterable[tuple[str, str]],
                 classes: Iterable[tuple[str, str, str, str | None, str | None]],
                 relations: Iterable[tuple[str, str, str, bool]]) -> None:  # fmt: skip
        self.class_labels: dict[str, dict[str, str]] = defaultdict(dict)
        self.class_definitions: dict[str, str] = {}
        self.broader: dict[str, set[str]] = defaultdict(set)
        for cls, text, language, broader, definition in classes:
            if text:
                self.class_labels[cls].setdefault(language, text)
            else:
                self.class_labels.setdefault(cls, {})
            if broader:
                self.broader[cls].add(broader)
            if definition:
                self.class_definitions[cls] = definition
        self._ancestors: dict[str, frozenset[str]] = {}
        self.types: dict[str, set[str]] = defaultdict(set)
        for resource, cls in types:
            self.types[resource].add(cls)
        self.known_classes = {*self.class_labels, *(c for u in self.broader.values() for c in u),
                              *(c for t in self.types.values() for c in t)}  # fmt: skip
        self.edges: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.definitions: dict[str, str] = {}
        self.codes: dict[str, str] = {}
        for resource, prop, value, is_iri in relations:
            if prop in CODES:
                self.codes[value.lower()] = resource
            elif not is_iri:
                self.definitions.setdefault(resource, value)
            else:
                self.edges[resource][prop].add(value)
        self._reach: dict[tuple[str, tuple[str, ...]], frozenset[str]] = {}
        self.children: dict[str, set[str]] = defaultdict(set)  # bodies and posts below
        for resource, edges in self.edges.items():
            for prop in UP[:2]:
                for parent in edges.get(prop, ()):
                    self.children[parent].add(resource)

    def superclasses(self, cls: str) -> frozenset[str]:
        """The class and every class above it."""
        found = self._ancestors.get(cls)
        if found is None:
            seen, todo = {cls}, [cls]
            while todo:
                for up in self.broader.get(todo.pop(), ()):
                    if up not in seen:
                        seen.add(up)
                        todo.append(up)
            found = self._ancestors[cls] = frozenset(seen)
        return found

    def classes_of(self, iri: str) -> set[str]:
        """Every class of a resource, stated, inferred or implied by the hierarchy."""
        return {up for cls in self.types.get(iri, ()) for up in self.superclasses(cls)}

    def is_a(self, iri: str, cls: str) -> bool:
        return cls in self.classes_of(iri)

    def specific_types(self, iri: str) -> list[str]:
        """The ontology's most specific classes of a resource (the ones to show)."""
        own = {c for c in self.types.get(iri, ()) if c.startswith(CTLD)}
        above = {up for c in own for up in self.superclasses(c) if up != c}
        return sorted(own - above)

    def reach(self, iri: str, properties: tuple[str, ...]) -> frozenset[str]:
        """Every resource reached from `iri` along `properties`, any number of steps."""
        key = (iri, properties)
        found = self._reach.get(key)
        if found is None:
            seen: set[str] = set()
            todo = [iri]
            while todo:
                edges = self.edges.get(todo.pop())
                for prop in properties if edges else ():
                    for value in edges.get(prop, set()) - seen:  # type: ignore[union-attr]
                        seen.add(value)
                        todo.append(value)
            seen.discard(iri)
            found = self._reach[key] = frozenset(seen)
        return found

    def parents(self, iri: str) -> frozenset[str]:
        """Every organization above a resource (for posts and persons: of their posts)."""
        return frozenset(x for x in self.reach(iri, UP) if self.is_a(x, ORGANIZATION))

    def places(self, iri: str) -> frozenset[str]:
        """Every place a resource is in, is seated in, or belongs to through its parents;
        a place is also in itself."""
        found = {x for x in self.reach(iri, WHERE) if self.is_a(x, PLACE_CLASS)}
        if self.is_a(iri, PLACE_CLASS):
            found.add(iri)
        return frozenset(found)

    def class_name(self, cls: str, language: str = "en") -> str:
        labels = self.class_labels.get(cls, {})
        return labels.get(language) or labels.get("en") or re.split(r"[#/]", cls)[-1] or cls


# --- one reconciliation query, scored --------------------------------------------------


@dataclass(frozen=True)
class Condition:
    pid: str  # a Property id
    values: tuple[object, ...]  # strings, numbers, booleans, or {"id", "name"} objects


@dataclass(frozen=True)
class Query:
    text: str = ""
    types: tuple[str, ...] = ()
    strict: str = "any"  # any | all | should
    limit: int = 10
    conditions: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class Candidate:
    iri: str
    score: float  # 0–100
    match: bool
    name_similarity: float
    exact: bool
    type_match: bool
    agreement: dict[str, str]  # pid → match | unknown | mismatch


class Reconciler:
    """Names, types and relations together: ranks the resources a query may mean."""

    def __init__(self, labels: LabelIndex, graph: Graph, base_iri: str) -> None:
        self.labels = labels
        self.names = names = NameMatcher(labels.labels)
        self.graph = graph
        self.ids = f"{base_iri}id/"
        self.known = {n.iri for n in names.names}
        self.spaceless: dict[str, set[str]] = defaultdict(set)
        for name in names.names:
            self.spaceless[name.iri].add(name.form.spaceless)
        self._members: dict[str, frozenset[str]] = {}

    def iri(self, value: str) -> str | None:
        """A known resource from an identifier: `kind/slug` or the full IRI."""
        value = value.strip()
        iri = value if value.startswith(self.ids) else self.ids + value
        return iri if iri in self.known else None

    def name(self, iri: str, language: str = "en") -> str:
        return self.labels.name(iri, language) or iri.removeprefix(self.ids)

    def describe(self, iri: str, language: str = "en") -> str:
        """One line telling namesakes apart: kinds, parent bodies, places, definition."""
        graph = self.graph
        kinds = [graph.class_name(c, language) for c in graph.specific_types(iri)
                 if c != CANDIDATE]  # fmt: skip
        parts = [", ".join(kinds)] if kinds else []
        edges = graph.edges.get(iri, {})

        def names(*props: str) -> str:
            found = sorted({v for p in props for v in edges.get(p, ())})
            return ", ".join(self.name(v, language) for v in found)

        if parent := names(PARENT, CTLD + "postIn"):
            parts.append(f"part of {parent}")
        if place := names(CTLD + "location", CTLD + "locatedIn"):
            parts.append(f"in {place}")
        if definition := graph.definitions.get(iri):
            parts.append(definition)
        return " · ".join(parts)

    def suggest(self, prefix: str, cls: str | None = None) -> list[str]:
        """Resources whose names start with `prefix` (an id puts its resource first);
        when none does, a typo falls back to matching."""
        allowed = self.members(cls) if cls else None
        found = [i for i, _, _ in self.names.prefixed(prefix) if allowed is None or i in allowed]
        if not found and prefix.strip():
            found = [h.iri for h in self.names.match(prefix, set(allowed) if allowed else None)]
        exact = self.iri(prefix) if prefix.strip() else None
        return [exact, *(i for i in found if i != exact)] if exact else found

    def members(self, cls: str) -> frozenset[str]:
        found = self._members.get(cls)
        if found is None:
            found = frozenset(i for i in self.known if self.graph.is_a(i, cls))
            self._members[cls] = found
        return found

    def allowed(self, query: Query) -> set[str] | None:
        """The resources the query's types let through; None lets everything through."""
        if not query.types or query.strict == "should":
            return None
        sets = [self.members(t) for t in query.types]
        if query.strict == "all":
            return set.intersection(*map(set, sets))
        return set().union(*sets)

    def resolve(self, value: object, within: frozenset[str]) -> set[str]:
        """The resources a property value names: an id, an ISO code, or a name."""
        if isinstance(value, dict):
            found = self.iri(str(value.get("id", "")))
            if found:
                return {found}
            value = value.get("name", "")
        text = str(value).strip()
        if not text:
            return set()
        code = self.graph.codes.get(text.lower())
        found = self.iri(text) or (code if code in within else None)
        if found:
            return {found}
        hits = self.names.match(text, set(within))
        exact = {h.iri for h in hits if h.exact}
        if exact or not hits:
            return exact
        return {hits[0].iri} if hits[0].similarity >= 0.85 else set()

    def agreement(self, iri: str, condition: Condition, targets: list[set[str]]) -> str:
        """match, unknown (the resource has no such property) or mismatch."""
        if condition.pid == ALIAS:
            forms = self.spaceless.get(iri, set())
            wanted = {Form.of(str(v.get("name", "") if isinstance(v, dict) else v)).spaceless
                      for v in condition.values}  # fmt: skip
            return "match" if forms & wanted else "mismatch"
        have = self.graph.parents(iri) if condition.pid == PARENT else self.graph.places(iri)
        if any(have & t for t in targets):
            return "match"
        return "mismatch" if have and any(targets) else "unknown"

    def reconcile(self, query: Query) -> list[Candidate]:
        """The candidates for one query, best first, at most `query.limit`."""
        allowed = self.allowed(query)
        text = query.text.strip()
        exact_id = self.iri(text) if text else None
        if exact_id:
            hits = [Hit(exact_id, EXACT, text, True)]
        elif text:
            hits = self._with_children(text, self.names.match(text))
            hits = [h for h in hits if allowed is None or h.iri in allowed]
        else:
            pool = allowed if allowed is not None else self.known
            hits = [Hit(i, EXACT, "", False) for i in sorted(pool)]
        targets = [self._targets(c) for c in query.conditions]
        scored = []
        for hit in hits[: max(200, query.limit * 4)]:
            factor, agree, similarity = 1.0, {}, min(1.0, hit.similarity)
            for condition, wanted in zip(query.conditions, targets, strict=True):
                agree[condition.pid] = self.agreement(hit.iri, condition, wanted)
                factor *= FACTORS[agree[condition.pid]]
                if agree[condition.pid] == "match":  # a property that agrees vouches for a name
                    similarity = 1 - (1 - similarity) * 0.6  # that is only partly alike
            if not text and any(a != "match" for a in agree.values()):
                continue
            typed = not query.types or any(self.graph.is_a(hit.iri, t) for t in query.types)
            if not typed:
                factor *= 0.8
            if self.graph.is_a(hit.iri, CANDIDATE):
                factor *= 0.98  # a resource minted from an article yields to a curated one
            score = round(100 * similarity * factor, 2)
            scored.append(Candidate(hit.iri, score, False, round(min(1.0, hit.similarity), 4),
                                    hit.exact, typed, agree))  # fmt: skip
        scored.sort(key=lambda c: (-c.score, c.iri))
        scored = scored[: query.limit]
        if scored:
            top = scored[0]
            clear = len(scored) == 1 or scored[1].score <= top.score - 10
            certain = (top.exact or not text) and top.score >= 95 and top.type_match
            if clear and certain and all(a == "match" for a in top.agreement.values()):
                scored[0] = replace(top, match=True)
        return scored

    def _with_children(self, text: str, hits: list[Hit]) -> list[Hit]:
        """Adds the children of the best hits, named as "parent + own name": "Shanghai
        Cooperation Organisation RATS" is the SCO's RATS, not the SCO. A child's label
        loses the words of its parent's names before the parent's matched label goes in
        front; such a composed name never reaches a real label's exact match."""
        query = Form.of(text)
        best = {h.iri: h for h in hits}
        for parent in [h for h in hits[:5] if h.similarity >= 0.5]:
            front = Form.of(parent.matched).tokens
            known = {t for n in self.names.of.get(parent.iri, ()) for t in n.form.tokens}
            for child in self.graph.children.get(parent.iri, ()):
                for name in self.names.of.get(child, ()):
                    rest = tuple(t for t in name.form.tokens if t not in known)
                    tokens = front + (rest or name.form.tokens)
                    joined = "".join(tokens)
                    composed = Form(" ".join(tokens), joined, joined, tokens, "")
                    value = 0.99 * min(FUZZY_CAP, self.names.similarity(query, composed)[0])
                    if value > getattr(best.get(child), "similarity", 0.0):
                        best[child] = Hit(child, value, name.label.text, False)
        return sorted(best.values(), key=lambda h: (-h.similarity, h.iri))

    def _targets(self, condition: Condition) -> list[set[str]]:
        if condition.pid == ALIAS:
            return []
        within = self.members(ORGANIZATION if condition.pid == PARENT else PLACE_CLASS)
        return [self.resolve(value, within) for value in condition.values]
