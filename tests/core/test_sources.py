from pathlib import Path

import pytest

from ctld.core.errors import MissingPathError, SourceSyntaxError
from ctld.core.sources import expand_paths, load_sources, parse_file

SYNTAX = Path(__file__).resolve().parents[1] / "fixtures" / "syntax"


@pytest.mark.parametrize(
    ("name", "line"), [("unterminated-literal.ttl", 4), ("missing-object.ttl", 4)]
)
def test_syntax_error_names_file_and_line(name: str, line: int) -> None:
    with pytest.raises(SourceSyntaxError) as err:
        parse_file(SYNTAX / name)
    assert err.value.line == line
    assert f"{name}:{line}:" in str(err.value)


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.ttl"
    bad.write_bytes(b'@prefix ex: <http://example.org/> .\nex:a ex:b "caf\xe9" .\n')
    with pytest.raises(SourceSyntaxError) as err:
        parse_file(bad)
    assert err.value.line == 2
    assert "UTF-8" in str(err.value)


def test_missing_path_is_named(tmp_path: Path) -> None:
    with pytest.raises(MissingPathError) as err:
        expand_paths([tmp_path / "absent.ttl"])
    assert "absent.ttl" in str(err.value)


def test_unknown_suffix_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "data.jsonld"
    other.write_text("{}", encoding="utf-8")
    with pytest.raises(SourceSyntaxError, match="unknown RDF file type"):
        parse_file(other)


def test_directories_expand_sorted_and_deduplicated(tmp_path: Path) -> None:
    for name in ("b.ttl", "a.nt", "notes.txt"):
        (tmp_path / name).write_text("", encoding="utf-8")
    files = expand_paths([tmp_path, tmp_path / "b.ttl"])
    assert [f.name for f in files] == ["a.nt", "b.ttl"]


def test_locate_finds_the_defining_file_and_line(tmp_path: Path) -> None:
    first = tmp_path / "one.ttl"
    first.write_text(
        "@prefix ex: <http://example.org/> .\n\nex:apple ex:p ex:pear .\nex:pear ex:p ex:apple .\n",
        encoding="utf-8",
    )
    second = tmp_path / "two.ttl"
    second.write_text(
        "# comment mentioning ex:plum\n<http://example.org/plum>\n    <http://example.org/p> 1 .\n",
        encoding="utf-8",
    )
    sources = load_sources([first, second])
    assert sources.locate("http://example.org/apple") == (first, 3)
    assert sources.locate("http://example.org/pear") == (first, 4)
    assert sources.locate("http://example.org/plum") == (second, 2)
    assert sources.locate("http://example.org/nowhere") is None
    assert len(sources.graph) == 3
