"""ctld.extract.finders.phrases: what stands around a word, as the finders read it."""

from __future__ import annotations

import datetime as dt

import pytest

from ctld.extract.articles import Article
from ctld.extract.context import ArticleContext
from ctld.extract.extractor import Extractor
from ctld.extract.finders import phrases
from ctld.extract.tokens import sentences, tokenize


def _context(extractor: Extractor, text: str, language: str = "en") -> ArticleContext:
    keys = extractor.keys(language)
    tokens = tokenize(text, keys)
    article = Article("t", text, language, published=dt.date(2024, 5, 20))
    matches = [(m, m.entities[0]) for m in extractor.authorities.gazetteer.match(tokens, keys,
                                                                                 language)]
    ctx = ArticleContext(article, text, tokens, sentences(text), extractor.lexicon(language),
                         keys, extractor._dates.find(text), matches, extractor.authorities)
    return ctx  # fmt: skip


def _index(ctx: ArticleContext, word: str) -> int:
    return next(i for i, t in enumerate(ctx.tokens) if t.text == word)


@pytest.mark.parametrize(
    ("language", "word", "expected"),
    [("en", "workshops", True), ("en", "process", False), ("en", "Kenya", False),
     ("ru", "совещаниях", True), ("ru", "совещание", False)],
)  # fmt: skip
def test_plural(extractor: Extractor, language: str, word: str, expected: bool) -> None:
    ctx = _context(extractor, f"Two {word} here.", language)
    assert phrases.plural(ctx.tokens[_index(ctx, word)], ctx) is expected


def test_sentence_initial(extractor: Extractor) -> None:
    ctx = _context(extractor, "Talks began. Then the talks resumed. «Talks» ended.")
    found = [phrases.sentence_initial(ctx, i)
             for i, t in enumerate(ctx.tokens) if t.text.lower() == "talks"]  # fmt: skip
    assert found == [True, False, True]  # a quotation mark is not a word before it


def test_quoted_spans() -> None:
    text = 'He said “we agree” and «nous aussi».'
    # from the opening quote to the closing one, which ends the span
    assert [text[a:b] for a, b in phrases.quoted_spans(text)] == ["“we agree", "«nous aussi"]


def test_dates_in_a_sentence_leave_out_resolution_years(extractor: Extractor) -> None:
    ctx = _context(extractor, "Recalling resolution 2462 (2019), they met on 3 May 2024.")
    found = phrases.dates_in(ctx, 0)
    assert [d.text for d in found] == ["3 May 2024"]
