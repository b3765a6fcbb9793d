"""ctld.extract.language: guessing an article's language, a few sentences per language."""

from __future__ import annotations

import pytest

from ctld.extract.language import LANGUAGES, LanguageGuesser

# (expected ISO 639-1 code, text)
SENTENCES = [
    ("en", "The Security Council adopted a resolution on countering the financing of terrorism."),
    ("en", "The workshop was organized by the United Nations Office of Counter-Terrorism."),
    ("fr", "Le Bureau des Nations Unies a organisé un atelier sur la lutte contre le terrorisme."),
    ("fr", "Le protocole d'accord a été signé aujourd'hui par le directeur du service."),
    (
        "es",
        "La Oficina de las Naciones Unidas organizó un taller sobre la lucha contra el terrorismo.",
    ),
    ("es", "El acuerdo fue firmado ayer por los representantes de ambos países."),
    ("pt", "O Escritório das Nações Unidas organizou uma oficina sobre o combate ao terrorismo."),
    ("pt", "O acordo foi assinado ontem pelos representantes dos dois países."),
    ("ru", "Управление ООН по борьбе с терроризмом провело семинар в Душанбе."),
    ("ru", "Соглашение было подписано вчера представителями двух стран."),
    ("de", "Die Vereinten Nationen haben eine Konferenz in Wien organisiert."),
]

# texts that give no answer
NONE = ["", "   ", "\n\t\n", "12345 678"]


@pytest.fixture(scope="module")
def guess() -> LanguageGuesser:
    return LanguageGuesser()


@pytest.mark.parametrize(("language", "text"), SENTENCES)
def test_guess(guess: LanguageGuesser, language: str, text: str) -> None:
    assert guess(text) == language


@pytest.mark.parametrize("text", NONE)
def test_no_guess(guess: LanguageGuesser, text: str) -> None:
    assert guess(text) is None


def test_answers_stay_within_the_languages_given() -> None:
    guess = LanguageGuesser(("en", "fr"))
    assert guess("Le Bureau des Nations Unies a organisé un atelier sur le terrorisme.") == "fr"
    assert guess("Управление ООН по борьбе с терроризмом провело семинар.") is None


def test_default_languages_include_every_lexicon_language() -> None:
    assert {"en", "fr", "es", "pt", "ru"} <= set(LANGUAGES)
