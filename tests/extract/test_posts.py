"""ctld.extract.finders.posts: a post goes to the person who holds it, in the
organization the text names."""

from __future__ import annotations

from conftest import extracted

from ctld.extract.extractor import Extractor


def _posts(report: dict) -> list[tuple[str, str | None, str]]:
    return [
        (p["person"]["label"], (p["organization"] or {}).get("label"), p["role"])
        for p in report["posts"]
    ]


def test_a_post_after_the_name(extractor: Extractor) -> None:
    text = ("Vladimir Voronkov, Under-Secretary-General of the United Nations Office of "
            "Counter-Terrorism, met the delegation.")  # fmt: skip
    assert _posts(extracted(extractor, text)) == [
        ("Vladimir Voronkov", "United Nations Office of Counter-Terrorism",
         "Under-Secretary-General")
    ]  # fmt: skip


def test_a_post_before_the_name_in_russian(extractor: Extractor) -> None:
    text = "Директор Антитеррористического центра СНГ Андрей Новиков выступил."
    assert _posts(extracted(extractor, text, "ru")) == [
        ("Андрей Новиков", "Anti-Terrorism Center of the Commonwealth of Independent States",
         "Director")
    ]  # fmt: skip


def test_the_evidence_holds_the_person_and_the_role(extractor: Extractor) -> None:
    text = "Mr. John Smith, Director of the Regional Office, spoke."
    (post,) = extracted(extractor, text)["posts"]
    assert "John Smith" in post["evidence"] and "Director" in post["evidence"]


def test_no_post_without_a_role(extractor: Extractor) -> None:
    assert extracted(extractor, "John Smith visited the Regional Office.")["posts"] == []
