"""ctld.build.release: the ontology's HTML documentation is English and the same bytes on
every run (pyLODE alone varies its term order, union order and label language)."""

from __future__ import annotations

from ctld.build.release import _ontology_html, _ordered_class_sets
from ctld.core.settings import Settings


def test_ontology_html_is_stable_and_english(settings: Settings) -> None:
    pages = {_ontology_html(settings.ontology_path) for _ in range(3)}
    assert len(pages) == 1
    page = pages.pop()
    assert ">Person</a>" in page and "Personne" not in page and "Организация" not in page
    assert "Memorandum of understanding" in page or "memorandum of understanding" in page


def test_class_set_members_are_sorted() -> None:
    member = '<span>\n  <a href="#{0}">{0}</a>\n  <sup class="sup-c" title="c">c</sup>\n</span>'
    joiner = '\n<span class="cardinality">or</span>\n'
    html = "<td>" + member.format("Person") + joiner + member.format("Organization") + "</td>"
    expected = "<td>" + member.format("Organization") + joiner + member.format("Person") + "</td>"
    assert _ordered_class_sets(html) == expected
