"""ctld.extract.finders.events: an event is found by its trigger, typed, dated from its
own clause and placed where the text puts it; a date alone is not an event."""

from __future__ import annotations

import pytest
from conftest import extracted, labels

from ctld.extract.extractor import Extractor

CASES = [  # language, text, type, date, place
    ("en", "UNOCT and the OSCE held a regional workshop on countering terrorist financing "
           "in Dushanbe on 14 May 2024.", "workshop", "2024-05-14", "Dushanbe"),
    ("en", "The conference was held on 5 June 2023 in Nairobi.", "conference", "2023-06-05",
     "Nairobi"),
    ("fr", "Le Bureau de lutte contre le terrorisme et l'OSCE ont organisé un atelier à "
           "Vienne le 12 mars 2024.", "workshop", "2024-03-12", "Vienna"),
    ("ru", "Директор Антитеррористического центра СНГ Андрей Новиков провел совещание в "
           "Москве 15 апреля 2024 года.", "meeting", "2024-04-15", "Moscow"),
]


@pytest.mark.parametrize(("language", "text", "kind", "date", "place"), CASES,
                         ids=[c[0] + "-" + c[2] for c in CASES])  # fmt: skip
def test_an_event_has_its_type_date_and_place(
    extractor: Extractor, language: str, text: str, kind: str, date: str, place: str
) -> None:
    events = extracted(extractor, text, language)["events"]
    assert [(e["type"], e["date"], e["place"]["label"]) for e in events] == [(kind, date, place)]


def test_its_evidence_is_the_sentence_that_states_it(extractor: Extractor) -> None:
    text = "Talks were held in Geneva on 3 May 2024. The weather was fine."
    (event,) = extracted(extractor, text)["events"]
    assert event["type"] == "talks"
    assert event["evidence"].startswith("Talks") and "weather" not in event["evidence"]


def test_a_sentence_without_a_trigger_is_no_event(extractor: Extractor) -> None:
    report = extracted(extractor, "On 14 May 2024 the OSCE published its annual report.")
    assert report["events"] == []


def test_participants_are_the_actors_of_the_clause(extractor: Extractor) -> None:
    text = ("UNOCT and the OSCE held a regional workshop on countering terrorist financing "
            "in Dushanbe on 14 May 2024.")  # fmt: skip
    (event,) = extracted(extractor, text)["events"]
    named = labels(event["participants"]) + labels(event["organizers"])
    assert "United Nations Office of Counter-Terrorism" in named
    assert "Organization for Security and Co-operation in Europe" in named
