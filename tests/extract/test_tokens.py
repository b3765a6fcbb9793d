"""ctld.extract.tokens: stemmed keys, acronyms, word tokens with offsets, and sentence spans.
Every case is data: add a row to a table to cover a new language or punctuation."""

from __future__ import annotations

import pytest

from ctld.extract.tokens import Keyer, fold, is_acronym, sentences, tokenize

# (language, word, key): the comparison form the gazetteer and the lexicon match on
KEYS = [
    ("en", "resolutions", "resolut"),
    ("en", "resolution", "resolut"),
    ("en", "Running", "run"),
    ("en", "UN", "un"),  # three letters or fewer are never stemmed
    ("en", "was", "was"),
    ("fr", "résolutions", "resolu"),
    ("ru", "резолюции", "резолюц"),
    ("ru", "Ёлка", "елк"),  # ё folds to е
    ("pt", "Nações", "naco"),
    ("xx", "Running", "running"),  # a language without a stemmer: folded, not stemmed
]

# (language, a, b): two written forms that must share one key
SAME_KEY = [
    ("en", "resolution", "Resolutions"),
    ("en", "signed", "signing"),
    ("fr", "résolutions", "resolution"),
    ("ru", "резолюции", "резолюций"),
    ("pt", "Nações", "nacoes"),
    ("es", "Resolución", "resoluciones"),
]

# (language, a, b): forms that must stay apart
DIFFERENT_KEY = [
    ("en", "resolution", "revolution"),
    ("pt", "Canadá", "canais"),
    ("xx", "Running", "run"),
]

FOLDS = [
    ("Érable", "erable"),
    ("ÉTAT", "etat"),
    ("Nações", "nacoes"),
    ("Straße", "strasse"),
    ("Ёлка", "елка"),
    ("Таджикистан", "таджикистан"),
    ("already plain", "already plain"),
]

ACRONYMS = [
    ("UN", True),
    ("UNOCT", True),
    ("UNODC", True),
    ("U.N.", True),  # only the letters count
    ("CT-2", True),
    ("ОДКБ", True),
    ("ABCDEF", False),  # longer than ACRONYM_MAX letters
    ("UNITED", False),
    ("A", False),  # a single letter is an initial, not an acronym
    ("Un", False),
    ("un", False),
    ("2019", False),
]

# (text, the words tokenize() finds)
TOKENIZE = [
    (
        "Security Council resolution 2462 (2019)",
        ["Security", "Council", "resolution", "2462", "2019"],
    ),
    ("l’Office des Nations Unies", ["l", "Office", "des", "Nations", "Unies"]),
    ("d'accord", ["d", "accord"]),
    ("Counter-Terrorism", ["Counter", "Terrorism"]),
    ("Организация Объединённых Наций", ["Организация", "Объединённых", "Наций"]),
    ("  leading and trailing  ", ["leading", "and", "trailing"]),
    ("S/RES/2396 (2017)", ["S", "RES", "2396", "2017"]),
    ("", []),
    ("... , ;", []),
]

# (text, soft_before of the second token): only spaces, hyphens, apostrophes and inner
# dots join
SOFT = [
    ("United Nations", True),
    ("Counter-Terrorism", True),
    ("Counter\u2011Terrorism", True),  # non-breaking hyphen
    ("Nord\u2013Sud", True),  # en dash
    ("l’Office", True),
    ("l'Office", True),
    ("U.N", True),  # an inner dot joins
    ("www.un", True),
    ("one\u00a0two", True),  # no-break space
    ("one\ttwo", True),
    ("Tajikistan, Kazakhstan", False),
    ("United\nNations", False),
    ("United.\nNations", False),
    ("ended. Nations", False),  # a full stop before a space ends the name
    ("United (Nations", False),
    ('said "Nations', False),
    ("one; two", False),
    ("one/two", False),
]

# (text, the sentences' text)
SENTENCES = [
    ("Mr. Voronkov said so. Then he left.", ["Mr. Voronkov said so.", "Then he left."]),
    ("H.E. Mr. Smith met them. Next day", ["H.E. Mr. Smith met them.", "Next day"]),
    ("V. Voronkov spoke. He left.", ["V. Voronkov spoke.", "He left."]),
    ("Ms. A. B. Jones arrived.", ["Ms. A. B. Jones arrived."]),
    ("He met U.N. staff. They talked.", ["He met U.N. staff.", "They talked."]),
    ("Dr. X came", ["Dr. X came"]),
    ("First line\nSecond line", ["First line", "Second line"]),
    ("Title\n\nBody text.", ["Title", "Body text."]),
    ("Mr.\nSmith", ["Mr.", "Smith"]),  # a line break ends a sentence even after "Mr."
    ("It ended. «Next» began.", ["It ended.", "«Next» began."]),
    ("Done! Итак, всё.", ["Done!", "Итак, всё."]),
    ("It was held in 2019. 2020 followed.", ["It was held in 2019.", "2020 followed."]),
    ("a lower case. continuation", ["a lower case. continuation"]),  # no capital after it
    ("  \n\n  ", []),
    ("", []),
]


@pytest.mark.parametrize(("language", "word", "key"), KEYS)
def test_key(language: str, word: str, key: str) -> None:
    assert Keyer(language).key(word) == key


def test_key_is_cached_and_stable() -> None:
    keys = Keyer("en")
    assert keys.key("Resolutions") == keys.key("Resolutions") == "resolut"


@pytest.mark.parametrize(("language", "a", "b"), SAME_KEY)
def test_forms_share_a_key(language: str, a: str, b: str) -> None:
    keys = Keyer(language)
    assert keys.key(a) == keys.key(b)


@pytest.mark.parametrize(("language", "a", "b"), DIFFERENT_KEY)
def test_forms_keep_apart(language: str, a: str, b: str) -> None:
    keys = Keyer(language)
    assert keys.key(a) != keys.key(b)


@pytest.mark.parametrize(("text", "folded"), FOLDS)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(("word", "expected"), ACRONYMS)
def test_is_acronym(word: str, expected: bool) -> None:
    assert is_acronym(word) is expected


@pytest.mark.parametrize(("text", "words"), TOKENIZE)
def test_tokenize_words_and_offsets(text: str, words: list[str]) -> None:
    keys = Keyer("en")
    tokens = tokenize(text, keys)
    assert [t.text for t in tokens] == words
    for token in tokens:
        assert text[token.start : token.end] == token.text
        assert token.exact == token.text
        assert token.key == keys.key(token.text)
    assert [t.start for t in tokens] == sorted(t.start for t in tokens)


def test_first_token_is_never_soft() -> None:
    tokens = tokenize("United Nations", Keyer("en"))
    assert [t.soft_before for t in tokens] == [False, True]


@pytest.mark.parametrize(("text", "soft"), SOFT)
def test_soft_before(text: str, soft: bool) -> None:
    tokens = tokenize(text, Keyer("en"))
    assert len(tokens) == 2, tokens
    assert tokens[1].soft_before is soft


@pytest.mark.parametrize(("text", "expected"), SENTENCES)
def test_sentences(text: str, expected: list[str]) -> None:
    spans = sentences(text)
    assert [text[a:b].strip() for a, b in spans] == expected
    # spans are in order and do not overlap
    ends = [0]
    for a, b in spans:
        assert ends[-1] <= a < b <= len(text)
        ends.append(b)
