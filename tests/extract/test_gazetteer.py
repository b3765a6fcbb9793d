"""ctld.extract.gazetteer: authority labels matched against article tokens. The gazetteer is
built from the ontology plus a few entities written here, so each row of the tables
below says what a text in one language must (or must not) match."""

from __future__ import annotations

from itertools import pairwise

import pytest
from conftest import ROOT
from rdflib import Graph

from ctld.extract.gazetteer import Gazetteer, label_items
from ctld.extract.tokens import Keyer, tokenize

T = "https://w3id.org/ctld/id/test/"

ENTITIES = """
@prefix ctld: <https://w3id.org/ctld/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix t: <https://w3id.org/ctld/id/test/> .

t:unoct a ctld:UnitedNationsEntity ;
    skos:prefLabel "United Nations Office of Counter-Terrorism"@en ;
    skos:altLabel "UNOCT"@en , "ONUT"@fr ,
        "Office des Nations Unies pour la lutte contre le terrorisme"@fr .

t:un a ctld:IntergovernmentalOrganization ;
    skos:prefLabel "United Nations"@en , "Nations Unies"@fr ;
    skos:altLabel "UN"@en .

t:tajikistan a ctld:State ;
    skos:prefLabel "Tajikistan"@en , "Таджикистан"@ru .

t:canada a ctld:State ;
    skos:prefLabel "Canada"@en , "Canadá"@pt .

t:financing a ctld:Topic ;
    skos:prefLabel "terrorism financing"@en ;
    skos:hiddenLabel "financing of terrorism"@en .

t:office a ctld:OrganizationalUnit ;
    skos:prefLabel "UNODC Programme Office in Tajikistan"@en .

t:vienna a ctld:City ; skos:prefLabel "Vienna"@en , "Вена"@ru .
t:quito a ctld:City ; skos:prefLabel "Quito"@en , "Кито"@ru .

t:georgia a ctld:State ; skos:prefLabel "Georgia"@en .
t:georgia-us a ctld:Region ; skos:prefLabel "Georgia"@en .

t:unlabelled a ctld:State .
t:not-an-authority a ctld:Event ; skos:prefLabel "Workshop"@en .
t:unknown-class a t:Thing ; skos:prefLabel "Thing"@en .
"""

# (language, text, [(matched words, entity local names, exact)]) for Gazetteer.match
MATCHES = [
    # the longest label wins over the shorter one it starts with
    (
        "en",
        "The United Nations Office of Counter-Terrorism and the United Nations met.",
        [
            ("United Nations Office of Counter Terrorism", ["unoct"], False),
            ("United Nations", ["un"], False),
        ],
    ),
    # acronyms compare the written form: "UN" is not the French article "un"
    ("en", "UNOCT met UN staff", [("UNOCT", ["unoct"], True), ("UN", ["un"], True)]),
    ("fr", "un accord avec un pays", []),
    ("fr", "Un accord", []),
    ("en", "the un staff", []),
    ("fr", "l'ONUT et un pays", [("ONUT", ["unoct"], True)]),
    # French elision: the name starts after the apostrophe
    (
        "fr",
        "un accord avec l’Office des Nations Unies pour la lutte contre le terrorisme",
        [("Office des Nations Unies pour la lutte contre le terrorisme", ["unoct"], False)],
    ),
    ("fr", "les Nations Unies", [("Nations Unies", ["un"], False)]),
    # an English-only label is found in a French article too
    ("fr", "le Tajikistan", [("Tajikistan", ["tajikistan"], False)]),
    # Russian inflection
    ("ru", "Таджикистан", [("Таджикистан", ["tajikistan"], False)]),
    ("ru", "делегация Таджикистана", [("Таджикистана", ["tajikistan"], False)]),
    ("ru", "семинар в Таджикистане", [("Таджикистане", ["tajikistan"], False)]),
    ("ru", "сотрудничество с Таджикистаном", [("Таджикистаном", ["tajikistan"], False)]),
    # a short name differs from the text word at most in its last letter, of the same length
    ("ru", "конференция в Вене", [("Вене", ["vienna"], False)]),
    ("ru", "делегация Китая", []),  # not Кито (Quito)
    ("ru", "в Кито", [("Кито", ["quito"], False)]),
    # a capitalised proper name never matches a lower-case word with its stem
    ("pt", "os canais do Canadá", [("Canadá", ["canada"], False)]),
    ("pt", "Canais de televisão", []),
    ("pt", "o Canada", [("Canada", ["canada"], False)]),
    ("en", "tajikistan", []),
    # topics are common nouns: any case matches
    ("en", "Terrorism Financing", [("Terrorism Financing", ["financing"], False)]),
    ("en", "countering terrorism financing", [("terrorism financing", ["financing"], False)]),
    ("en", "the financing of terrorism", [("financing of terrorism", ["financing"], False)]),
    # a name does not run across a line break or a comma
    ("en", "United\nNations", []),
    ("en", "United Nations, Office", [("United Nations", ["un"], False)]),
    # one label of two entities: both are candidates
    ("en", "Georgia", [("Georgia", ["georgia", "georgia-us"], False)]),
    # a nested state is not a match of its own when scanning left to right
    (
        "en",
        "UNODC Programme Office in Tajikistan",
        [("UNODC Programme Office in Tajikistan", ["office"], True)],
    ),
    # entities without a label, without a known class or outside the categories
    ("en", "Workshop Thing", []),
]

# (text, categories, [(matched words, entity local names)]) for Gazetteer.match_within
WITHIN = [
    ("UNODC Programme Office in Tajikistan", ["state"], [("Tajikistan", ["tajikistan"])]),
    (
        "UNODC Programme Office in Tajikistan",
        ["organization"],
        [("UNODC Programme Office in Tajikistan", ["office"])],
    ),
    (
        "UNODC Programme Office in Tajikistan",
        ["organization", "state"],
        [("UNODC Programme Office in Tajikistan", ["office"]), ("Tajikistan", ["tajikistan"])],
    ),
    (
        "the United Nations Office of Counter-Terrorism",
        ["organization"],
        [("United Nations Office of Counter Terrorism", ["unoct"])],
    ),
    ("the United Nations Office of Counter-Terrorism", ["topic"], []),
    ("Georgia", ["place"], [("Georgia", ["georgia-us"])]),
]

# (iri local name, category)
CATEGORIES = [
    ("unoct", "organization"),
    ("un", "organization"),
    ("tajikistan", "state"),
    ("canada", "state"),
    ("financing", "topic"),
    ("office", "organization"),
    ("georgia", "state"),
    ("georgia-us", "place"),
    ("vienna", "place"),
    ("quito", "place"),
]

# (local name, language asked for, label given)
LABELS = [
    ("tajikistan", "ru", "Таджикистан"),
    ("tajikistan", "en", "Tajikistan"),
    ("tajikistan", "de", "Tajikistan"),
    ("unoct", "fr", "United Nations Office of Counter-Terrorism"),  # French altLabels only
    ("un", "fr", "Nations Unies"),
    ("canada", "pt", "Canadá"),
    ("canada", "es", "Canada"),
]


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    graph = Graph().parse(ROOT / "ontology" / "ctld.ttl")
    graph.parse(data=ENTITIES, format="turtle")
    return Gazetteer.from_graph(graph)


def _local(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _ids(rows: list[tuple]) -> list[str]:
    return [f"{row[0]}-{row[1]}" for row in rows]


@pytest.mark.parametrize(("language", "text", "expected"), MATCHES, ids=_ids(MATCHES))
def test_match(
    gazetteer: Gazetteer, language: str, text: str, expected: list[tuple[str, list[str], bool]]
) -> None:
    keys = Keyer(language)
    tokens = tokenize(text, keys)
    found = gazetteer.match(tokens, keys, language)
    assert [
        (
            " ".join(t.text for t in tokens[m.start : m.end]),
            [_local(e.iri) for e in m.entities],
            m.exact,
        )
        for m in found
    ] == expected
    for left, right in pairwise(found):
        assert left.end <= right.start


@pytest.mark.parametrize(("text", "categories", "expected"), WITHIN, ids=_ids(WITHIN))
def test_match_within(
    gazetteer: Gazetteer, text: str, categories: list[str], expected: list[tuple[str, list[str]]]
) -> None:
    keys = Keyer("en")
    tokens = tokenize(text, keys)
    found = gazetteer.match_within(tokens, keys, "en", categories)
    assert [
        (" ".join(t.text for t in tokens[m.start : m.end]), [_local(e.iri) for e in m.entities])
        for m in found
    ] == expected
    assert all(e.category in categories for m in found for e in m.entities)


def test_only_labelled_entities_of_known_categories(gazetteer: Gazetteer) -> None:
    mine = {_local(iri) for iri in gazetteer.entities if iri.startswith(T)}
    assert mine == {name for name, _ in CATEGORIES}


@pytest.mark.parametrize(("name", "category"), CATEGORIES)
def test_category_from_the_class_hierarchy(gazetteer: Gazetteer, name: str, category: str) -> None:
    assert gazetteer.entities[T + name].category == category


@pytest.mark.parametrize(("name", "language", "label"), LABELS)
def test_entity_label(gazetteer: Gazetteer, name: str, language: str, label: str) -> None:
    assert gazetteer.entities[T + name].label(language) == label


def test_entity_names_hold_every_label(gazetteer: Gazetteer) -> None:
    assert gazetteer.entities[T + "unoct"].names == (
        ("ONUT", "fr"),
        ("Office des Nations Unies pour la lutte contre le terrorisme", "fr"),
        ("UNOCT", "en"),
        ("United Nations Office of Counter-Terrorism", "en"),
    )
    assert gazetteer.entities[T + "financing"].names == (
        ("financing of terrorism", "en"),
        ("terrorism financing", "en"),
    )


def test_index_is_cached_per_language(gazetteer: Gazetteer) -> None:
    keys = Keyer("en")
    assert gazetteer.index(keys, "en") is gazetteer.index(keys, "en")


# (label, proper names?, items)
LABEL_ITEMS = [
    ("UNOCT", True, ((True, "UNOCT", None),)),
    ("Canada", True, ((False, "canada", "canada"),)),
    ("Canada", False, ((False, "canada", None),)),
    (
        "UNODC Office in Tajikistan",
        True,
        (
            (True, "UNODC", None),
            (False, "offic", "office"),
            (False, "in", None),
            (False, "tajikistan", "tajikistan"),
        ),
    ),
    ("terrorism financing", False, ((False, "terror", None), (False, "financ", None))),
]


@pytest.mark.parametrize(("label", "proper", "items"), LABEL_ITEMS)
def test_label_items(label: str, proper: bool, items: tuple) -> None:
    assert label_items(label, Keyer("en"), proper) == items
