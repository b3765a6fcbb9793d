"""Property-based robustness: whatever the text, extraction raises nothing and writes
Turtle that parses back, with valid IRIs and a SHACL-conformant graph."""

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef

from ctld.check.validation import validate
from ctld.core.settings import Settings
from ctld.extract.articles import parse_article
from ctld.extract.extractor import Extractor
from ctld.extract.graph import serialize

IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
NASTY = "<>\"{}|^\\`'\u0000\u0007\u200f\u202e\ufeff\u2028🙂🇺🇳مرحباשלום"
WORDS = [
    "UNODC", "INTERPOL", "signed", "memorandum of understanding", "resolution 2462 (2019)",
    "résolution 71/291", "резолюции 2178", "conference", "Dushanbe", "16 and 17 May 2019",
    "Mr.", "Director of", "CSTO", "ОДКБ", "«", "»", "“", "”", "(", ")", ",", ".", "\n",
]  # fmt: skip
texts = st.one_of(
    st.text(max_size=400),
    st.text(alphabet=st.sampled_from([*NASTY, " ", "a", "Z", "\n"]), max_size=300),
    st.lists(st.sampled_from([*WORDS, *NASTY]), max_size=80).map(" ".join),
)
languages = st.sampled_from(["en", "fr", "es", "pt", "ru", "ar", "zh", "xx"])


def _check(extractor: Extractor, text: str, language: str) -> bytes:
    article = parse_article(f"---\nid: prop\nlanguage: {language}\n---\n{text}")
    assert article.text == text
    data = serialize(extractor.extract(article))
    graph = Graph().parse(data=data, format="turtle")
    for triple in graph:
        for term in triple:
            assert not isinstance(term, BNode)
            if isinstance(term, URIRef):
                assert IRI.match(str(term)), term
        if isinstance(triple[2], Literal) and triple[2].language:
            assert re.fullmatch(r"[a-z]{2}", triple[2].language)
    return data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, language=languages)
def test_any_text_gives_turtle_that_parses_back(
    extractor: Extractor, text: str, language: str
) -> None:
    _check(extractor, text, language)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, language=languages)
def test_any_text_gives_a_conformant_graph(
    extractor: Extractor, settings_: Settings, tmp_path_factory, text: str, language: str
) -> None:
    path = tmp_path_factory.mktemp("prop") / "prop.ttl"
    path.write_bytes(_check(extractor, text, language))
    report = validate(settings_, [path], context=[settings_.authorities_dir], run_checks=False)
    assert report.conforms, [(v.focus, v.message) for v in report.violations[:3]]


def test_one_megabyte_article(extractor: Extractor) -> None:
    seed = Path(__file__).resolve().parents[2] / "data" / "articles" / "001_e053d2e383822934.txt"
    body = seed.read_text(encoding="utf-8").split("---\n", 2)[2]
    text = (body * (1_000_000 // len(body) + 1))[:1_000_000]
    data = _check(extractor, text, "en")
    assert data.count(b"oa:TextPositionSelector") > 1000


@pytest.fixture(scope="session")
def settings_(settings: Settings) -> Settings:
    return settings
