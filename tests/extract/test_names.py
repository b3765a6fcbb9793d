"""ctld.extract.finders.names: persons and organizations the authorities do not know
become candidates, with the boundaries the text gives them."""

from __future__ import annotations

import pytest
from conftest import extracted

from ctld.extract.extractor import Extractor


def _people(report: dict) -> dict[str, tuple[bool, list[str]]]:
    return {p["label"]: (p["candidate"], p["mentions"]) for p in report["persons"]}


def test_an_unknown_person_is_a_candidate(extractor: Extractor) -> None:
    text = ("Vladimir Voronkov met Kazakh Foreign Minister Murat Nurtleu in Astana on "
            "2 May 2024.")  # fmt: skip
    people = _people(extracted(extractor, text))
    assert people["Vladimir Voronkov"][0] is False  # an authority
    assert people["Murat Nurtleu"] == (True, ["Murat Nurtleu"])


def test_an_honorific_is_part_of_the_mention_not_the_name(extractor: Extractor) -> None:
    text = "Mr. John Smith, Director of the Regional Office, spoke."
    people = _people(extracted(extractor, text))
    assert people == {"John Smith": (True, ["Mr. John Smith"])}


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("ru", "Директор Антитеррористического центра СНГ Андрей Новиков выступил.",
         "Андрей Новиков"),
        ("en", "Mr. John Smith, Director of the Regional Office, spoke.", "John Smith"),
    ],
)  # fmt: skip
def test_a_name_stops_at_its_last_word(
    extractor: Extractor, language: str, text: str, name: str
) -> None:
    assert name in _people(extracted(extractor, text, language))


def test_an_unknown_organization_is_a_candidate(extractor: Extractor) -> None:
    report = extracted(extractor, "Mr. John Smith, Director of the Regional Office, spoke.")
    organizations = {o["label"]: o["candidate"] for o in report["organizations"]}
    assert organizations == {"Regional Office": True}
