from __future__ import annotations

from ctld.link.labels import Label, LabelIndex, ascii_fold

ID = "https://w3id.org/ctld/id/"


def index() -> LabelIndex:
    return LabelIndex({
        ID + "organization/unoct": [
            Label("United Nations Office of Counter-Terrorism", "en", True),
            Label("UNOCT", "en", False),
            Label("Контртеррористическое управление ООН", "ru", True),
        ],
        ID + "organization/united-nations": [Label("United Nations", "en", True)],
        ID + "person/vladimir-voronkov": [
            Label("Vladimir Voronkov", "en", True),
            Label("Владимир Воронков", "ru", True),
            Label("Vladímir Vorónkov", "es", False),
        ],
        ID + "organization/osce": [Label("Organisation pour la sécurité et la coopération en "
                                         "Europe", "fr", True)],
    })  # fmt: skip


def test_fold() -> None:
    assert ascii_fold("Sécurité — Coopération") == "securite cooperation"
    assert ascii_fold("Владимир") == "vladimir"


def test_search_across_scripts_and_accents() -> None:
    labels = index()
    assert labels.search("voronkov")[0].iri.endswith("vladimir-voronkov")
    assert labels.search("Воронков")[0].iri.endswith("vladimir-voronkov")
    assert labels.search("vorónkov")[0].iri.endswith("vladimir-voronkov")
    assert labels.search("securite europe")[0].iri.endswith("osce")
    assert labels.search("nothing like it") == []
    assert labels.search("   ") == []


def test_exact_beats_prefix() -> None:
    hits = index().search("united nations")
    assert [h.iri.rsplit("/", 1)[1] for h in hits] == ["united-nations", "unoct"]
    assert index().search("unoct")[0].label == "United Nations Office of Counter-Terrorism"


def test_kind_filter_and_names() -> None:
    labels = index()
    assert labels.search("vladimir", kind="organization") == []
    assert labels.name(ID + "organization/unoct", "ru") == "Контртеррористическое управление ООН"
    assert labels.name(ID + "organization/unoct") == "United Nations Office of Counter-Terrorism"
    assert labels.name(ID + "nothing") is None
