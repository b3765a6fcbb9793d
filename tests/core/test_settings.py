from pathlib import Path

import pytest

from ctld.core.errors import MissingPathError
from ctld.core.settings import Settings


def test_discover_explicit_root(settings: Settings) -> None:
    assert settings.ontology_path.is_file()
    assert settings.shapes_dir.is_dir()
    assert settings.base_iri == "https://w3id.org/ctld/"


def test_discover_from_current_directory(settings: Settings, monkeypatch) -> None:
    monkeypatch.chdir(settings.root / "ontology")
    # not a project directory itself: falls back to the checkout ctld was imported from
    assert Settings.discover().root == settings.root


def test_explicit_root_without_ontology_names_the_missing_file(tmp_path: Path) -> None:
    with pytest.raises(MissingPathError) as err:
        Settings.discover(tmp_path)
    assert str(tmp_path / "ontology" / "ctld.ttl") in str(err.value)
