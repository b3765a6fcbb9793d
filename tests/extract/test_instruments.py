"""ctld.extract.finders.instruments: instruments by type, with the parties that sign
them, and the signing as an event of its own."""

from __future__ import annotations

from conftest import extracted, labels

from ctld.extract.extractor import Extractor


def test_a_memorandum_of_understanding_and_its_parties(extractor: Extractor) -> None:
    text = "The Ministry of Interior of Kenya and INTERPOL signed a memorandum of understanding."
    (mou,) = extracted(extractor, text)["agreements"]
    assert mou["type"] == "mou"
    assert "INTERPOL" in labels(mou["parties"])
    assert "Ministry of Interior of Kenya" in labels(mou["parties"])


def test_a_signing_is_dated_from_its_clause(extractor: Extractor) -> None:
    text = ("The Ministry of Interior of Kenya and INTERPOL signed a memorandum of "
            "understanding on 3 March 2024.")  # fmt: skip
    events = extracted(extractor, text)["events"]
    assert [(e["type"], e["date"]) for e in events] == [("signing", "2024-03-03")]


def test_a_declaration_is_not_a_memorandum(extractor: Extractor) -> None:
    text = "The participants adopted the Dushanbe Declaration on 17 May 2019."
    kinds = [a["type"] for a in extracted(extractor, text)["agreements"]]
    assert kinds == ["declaration"]


def test_no_instrument_without_a_trigger(extractor: Extractor) -> None:
    text = "INTERPOL and the OSCE discussed border security."
    assert extracted(extractor, text)["agreements"] == []
