"""The authority data as the extractor needs it: the gazetteer, and the few relations
(posts, their organizations and holders) that turn a matched name into a fact."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rdflib import RDF, Graph, URIRef
from rdflib.term import Node

from ctld.core.namespaces import CTLD, ORG
from ctld.core.settings import Settings
from ctld.core.sources import load_sources
from ctld.extract.gazetteer import Gazetteer, family_names


@dataclass
class Post:
    iri: str
    organization: str | None
    role: str | None


@dataclass
class Instrument:
    iri: str
    parties: list[str]
    date: str | None  # lexical form of ctld:adoptionDate


@dataclass
class Authorities:
    gazetteer: Gazetteer
    posts: dict[str, Post]
    posts_of: dict[str, list[str]]  # person -> posts held
    memberships: dict[tuple[str, str], str]  # (person, post) -> membership IRI
    iris: frozenset[str]
    instruments: dict[str, Instrument]
    ancestors: dict[str, frozenset[str]]  # organization -> all it is (transitively) part of
    kinds: dict[str, frozenset[str]]  # instrument -> its rdf:types
    family_names: dict[str, str]  # family name -> the one authority person with it

    @classmethod
    def load(cls, settings: Settings) -> Authorities:
        graph = load_sources([settings.ontology_path, settings.authorities_dir]).graph
        return cls.from_graph(graph)

    @classmethod
    def from_graph(cls, graph: Graph) -> Authorities:
        posts = {}
        post: Node | None  # a membership may name no post
        for post in graph.subjects(CTLD.postIn, None):
            org = graph.value(post, CTLD.postIn)
            role = graph.value(post, ORG.role)
            posts[str(post)] = Post(
                str(post), str(org) if org else None, str(role) if role else None
            )
        posts_of: dict[str, list[str]] = defaultdict(list)
        for person, post in graph.subject_objects(CTLD.holdsPost):
            posts_of[str(person)].append(str(post))
        memberships = {}
        for membership in graph.subjects(CTLD.post, None):
            member = graph.value(membership, ORG.member)
            post = graph.value(membership, CTLD.post)
            if member is not None and post is not None:
                memberships[(str(member), str(post))] = str(membership)
        iris = frozenset(str(s) for s in graph.subjects() if isinstance(s, URIRef))
        instruments = {}
        for instrument in set(graph.subjects(CTLD.party, None)) | set(
            graph.subjects(CTLD.adoptionDate, None)
        ):
            parties = sorted(str(p) for p in graph.objects(instrument, CTLD.party))
            date = graph.value(instrument, CTLD.adoptionDate)
            instruments[str(instrument)] = Instrument(
                str(instrument), parties, str(date) if date is not None else None
            )
        parents: dict[str, set[str]] = defaultdict(set)
        for child, parent in graph.subject_objects(CTLD.subOrganizationOf):
            parents[str(child)].add(str(parent))
        ancestors = {org: frozenset(_closure(org, parents)) for org in parents}
        kinds = {
            iri: frozenset(str(t) for t in graph.objects(URIRef(iri), RDF.type))
            for iri in instruments
        }
        gazetteer = Gazetteer.from_graph(graph)
        people = [e for e in gazetteer.entities.values() if e.category == "person"]
        return cls(
            gazetteer,
            posts,
            {k: sorted(v) for k, v in posts_of.items()},
            memberships,
            iris,
            instruments,
            ancestors,
            kinds,
            family_names(people),
        )

    def instrument_between(self, kind: str, parties: list[str]) -> str | None:
        """The authority instrument of this kind whose parties are these, or the
        organizations these are part of ("the UN" for UNOCT): an article's "memorandum
        between X and Y" is then that instrument, not a new one."""
        if len(parties) < 2:
            return None
        for iri, record in sorted(self.instruments.items()):
            if kind not in self.kinds.get(iri, ()) or len(record.parties) < 2:
                continue
            if all(
                any(p == q or p in self.ancestors.get(q, ()) for q in record.parties)
                for p in parties
            ):
                return iri
        return None

    def post_for(self, organization: str | None, role: str | None) -> str | None:
        for post in self.posts.values():
            if post.organization == organization and post.role == role and role is not None:
                return post.iri
        return None


def _closure(start: str, parents: dict[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    todo = list(parents.get(start, ()))
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(parents.get(node, ()))
    return seen
