"""Article files: front matter read strictly, body kept byte for byte."""

import datetime as dt
from pathlib import Path

import pytest
from conftest import ROOT

from ctld.core.errors import ArticleError, MissingPathError
from ctld.extract.articles import parse_article, read_article

SEEDS = ROOT.parent / "shared" / "seeds"


def _write(tmp_path: Path, text: str, name: str = "a1.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("path", sorted((ROOT / "data" / "articles").glob("*.txt")))
def test_bundled_articles_keep_the_seed_text(path: Path) -> None:
    article = read_article(path)
    assert article.id == path.stem
    assert article.language in {"en", "fr", "pt", "es", "ru"}
    seed = SEEDS / f"{article.id}.txt"
    if seed.is_file():  # the shared seeds sit beside the checkout in CI and development
        assert article.text == seed.read_text(encoding="utf-8")
    assert article.origin == f"shared/seeds/{article.id}.txt"


def test_fields_are_read(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        '---\nid: a1\ntitle: "Title: with colon"\nurl: https://example.org/x\n'
        "publisher: Someone\npublished: 2019-05-21\nlanguage: en\norigin: test\n---\nBody\n",
    )
    article = read_article(path)
    assert (article.id, article.title, article.url, article.publisher) == (
        "a1",
        "Title: with colon",
        "https://example.org/x",
        "Someone",
    )
    assert article.published == dt.date(2019, 5, 21)
    assert article.text == "Body\n"
    assert not article.language_detected


def test_body_is_kept_exactly(tmp_path: Path) -> None:
    body = "  leading spaces\r\n\ttabs « » 🙂\n\n---\nnot front matter\n"
    path = _write(tmp_path, "---\nid: a1\nlanguage: fr\n---\n" + body)
    assert read_article(path).text == body


def test_language_is_detected_when_absent(tmp_path: Path) -> None:
    path = _write(tmp_path, "---\nid: a1\n---\nTexto en español.\n")
    article = read_article(path, detect=lambda text: "es")
    assert article.language == "es" and article.language_detected


def test_no_front_matter_takes_the_file_name(tmp_path: Path) -> None:
    path = _write(tmp_path, "Just text.\n", name="plain_1.txt")
    article = read_article(path, detect=lambda text: "en")
    assert article.id == "plain_1" and article.text == "Just text.\n"


@pytest.mark.parametrize(
    ("text", "field", "line"),
    [
        ("---\nid: a1\nlanguage: english\n---\nx", "language", 3),
        ("---\nid: a1\npublished: 21/05/2019\n---\nx", "published", 3),
        ("---\nid: A B\n---\nx", "id", 2),
        ("---\nid: a1\nurl: not a url\n---\nx", "url", 3),
        ("---\nid: a1\npublsihed: 2019-05-21\n---\nx", "publsihed", 3),
        ("---\nid: a1\ntitle: [1, 2]\n---\nx", "title", 3),
    ],
)
def test_bad_field_names_file_field_and_line(
    tmp_path: Path, text: str, field: str, line: int
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ArticleError) as err:
        read_article(path, detect=lambda t: "en")
    assert err.value.field == field
    assert err.value.line == line
    assert str(path) in str(err.value) and f"'{field}'" in str(err.value)


@pytest.mark.parametrize(
    "text",
    ["---\nid: a1\n\nno closing fence\n", "---\nid: [unclosed\n---\nx", "---\n- a\n- b\n---\nx"],
)
def test_malformed_front_matter_names_the_file(tmp_path: Path, text: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ArticleError) as err:
        read_article(path, detect=lambda t: "en")
    assert str(path) in str(err.value)


def test_undetectable_language_is_an_error() -> None:
    with pytest.raises(ArticleError, match="language"):
        parse_article("---\nid: a1\n---\n", path=None, detect=lambda text: None)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(MissingPathError):
        read_article(tmp_path / "none.txt")


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(b"---\nid: a1\nlanguage: fr\n---\ncaf\xe9\n")
    with pytest.raises(ArticleError) as err:
        read_article(path)
    assert err.value.line == 5
