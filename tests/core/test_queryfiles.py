from pathlib import Path

import pytest

from ctld.core.errors import MissingPathError, QueryFileError
from ctld.core.queryfiles import read_query_dir, read_query_file


def test_metadata_from_hash_plus_lines(tmp_path: Path) -> None:
    query = tmp_path / "people.rq"
    query.write_text(
        "#+ summary: People by name\n#+ description: >\n#+   Lists people.\n"
        "#+ tags: [people]\nSELECT ?s WHERE { ?s ?p ?o }\n",
        encoding="utf-8",
    )
    parsed = read_query_file(query)
    assert parsed.name == "people"
    assert parsed.summary == "People by name"
    assert parsed.description.strip() == "Lists people."
    assert parsed.metadata["tags"] == ["people"]
    assert "SELECT ?s" in parsed.text


def test_bad_metadata_names_the_file(tmp_path: Path) -> None:
    query = tmp_path / "bad.rq"
    query.write_text("#+ summary: [unclosed\nSELECT * {}\n", encoding="utf-8")
    with pytest.raises(QueryFileError) as err:
        read_query_file(query)
    assert "bad.rq" in str(err.value)


def test_metadata_must_be_a_mapping(tmp_path: Path) -> None:
    query = tmp_path / "list.rq"
    query.write_text("#+ - a\n#+ - b\nSELECT * {}\n", encoding="utf-8")
    with pytest.raises(QueryFileError, match="key: value"):
        read_query_file(query)


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(MissingPathError):
        read_query_dir(tmp_path / "nowhere")


def test_directory_is_sorted(tmp_path: Path) -> None:
    for name in ("b", "a", "c"):
        (tmp_path / f"{name}.rq").write_text("SELECT * {}\n", encoding="utf-8")
    assert [q.name for q in read_query_dir(tmp_path)] == ["a", "b", "c"]
