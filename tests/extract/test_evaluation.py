"""ctld.extract.evaluation: matching extracted items to gold items, one category at a time.
Each row of SCORES is one category's extraction, its gold and the counts it must give."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from ctld.core.errors import DataFileError, MissingPathError
from ctld.extract.evaluation import (
    CATEGORIES,
    Evaluation,
    Score,
    evaluate_corpus,
    load_gold,
    normalize,
    score_article,
)

UNOCT = "https://w3id.org/ctld/id/organization/unoct"
ROSFIN = "https://w3id.org/ctld/id/organization/rosfinmonitoring"
TOPIC = "https://w3id.org/ctld/id/topic/terrorism-financing"

NAMES = {
    UNOCT: ["United Nations Office of Counter-Terrorism", "UNOCT", "ONUT"],
    ROSFIN: ["Federal Financial Monitoring Service", "Rosfinmonitoring"],
    TOPIC: ["terrorism financing", "financing of terrorism"],
}


def names(iri: str) -> list[str]:
    return NAMES.get(iri, [])


# (case id, category, extracted, gold, (tp, fp, fn))
SCORES: list[tuple[str, str, list[Any], list[Any] | None, tuple[int, int, int]]] = [
    (
        "shared mention after normalisation",
        "organizations",
        [{"label": "Office", "mentions": ["l’Office des Nations  Unies"]}],
        [{"name": "Something else", "mentions": ["L'OFFICE des Nations Unies"]}],
        (1, 0, 0),
    ),
    (
        "canonical name through names()",
        "organizations",
        [{"iri": UNOCT, "label": "UNOCT", "mentions": ["ONUT"]}],
        [{"name": "United Nations Office of Counter-Terrorism", "mentions": ["Bureau"]}],
        (1, 0, 0),
    ),
    (
        "canonical name as the label",
        "persons",
        [{"label": "Vladimir Voronkov", "mentions": ["M. Voronkov"]}],
        [{"name": "vladimir voronkov", "mentions": ["Voronkov"]}],
        (1, 0, 0),
    ),
    (
        "no shared mention nor name",
        "places",
        [{"iri": ROSFIN, "label": "Moscow", "mentions": ["Moscou"]}],
        [{"name": "Dushanbe", "mentions": ["Douchanbé"]}],
        (0, 1, 1),
    ),
    (
        "gold without name or mentions matches nothing",
        "places",
        [{"label": "", "mentions": ["Paris"]}],
        [{"mentions": None}],
        (0, 1, 1),
    ),
    (
        "duplicate extraction is a false positive",
        "organizations",
        [
            {"iri": UNOCT, "label": "UNOCT", "mentions": ["UNOCT"]},
            {
                "iri": UNOCT,
                "label": "UNOCT",
                "mentions": ["United Nations Office of Counter-Terrorism"],
            },
        ],
        [{"name": "United Nations Office of Counter-Terrorism", "mentions": ["UNOCT"]}],
        (1, 1, 0),
    ),
    (
        "maximum matching, not greedy",
        "organizations",
        [{"label": "x", "mentions": ["A", "B"]}, {"label": "y", "mentions": ["A"]}],
        [{"name": "g0", "mentions": ["A"]}, {"name": "g1", "mentions": ["B"]}],
        (2, 0, 0),
    ),
    ("empty gold list", "organizations", [{"label": "x", "mentions": ["x"]}], [], (0, 1, 0)),
    ("gold category null", "places", [], None, (0, 0, 0)),
    ("nothing extracted", "persons", [], [{"name": "A", "mentions": ["A"]}], (0, 0, 1)),
    (
        "resolution by symbol",
        "resolutions",
        [{"symbol": "S/RES/2462 (2019)", "label": "resolution 2462"}],
        [{"symbol": "S/RES/2462 (2019)"}],
        (1, 0, 0),
    ),
    (
        "resolution symbol from the label, case-insensitive",
        "resolutions",
        [{"label": "s/res/2462 (2019)"}],
        [{"symbol": "S/RES/2462 (2019)"}],
        (1, 0, 0),
    ),
    (
        "resolution with another year",
        "resolutions",
        [{"symbol": "S/RES/2462 (2018)"}],
        [{"symbol": "S/RES/2462 (2019)"}],
        (0, 1, 1),
    ),
    (
        "event: null gold date matches any date",
        "events",
        [{"type": "workshop", "date": "2019-05-16"}],
        [{"type": "workshop", "date": None}],
        (1, 0, 0),
    ),
    (
        "event: completed date matches the gold partial date",
        "events",
        [{"type": "workshop", "date": "2019-05-16"}],
        [{"type": "workshop", "date": "--05-16"}],
        (1, 0, 0),
    ),
    (
        "event: partial date does not match a full gold date",
        "events",
        [{"type": "workshop", "date": "--05-16"}],
        [{"type": "workshop", "date": "2019-05-16"}],
        (0, 1, 1),
    ),
    (
        "event: gold date read by YAML as a date",
        "events",
        [{"type": "signing", "date": "2025-07-28"}],
        [{"type": "signing", "date": dt.date(2025, 7, 28)}],
        (1, 0, 0),
    ),
    (
        "event: no date extracted, gold has one",
        "events",
        [{"type": "signing", "date": None}],
        [{"type": "signing", "date": "2025-07-28"}],
        (0, 1, 1),
    ),
    (
        "event: other day",
        "events",
        [{"type": "signing", "date": "2025-07-29"}],
        [{"type": "signing", "date": "--07-28"}],
        (0, 1, 1),
    ),
    (
        "event: other type",
        "events",
        [{"type": "meeting", "date": "2019-05-16"}],
        [{"type": "workshop", "date": "2019-05-16"}],
        (0, 1, 1),
    ),
    (
        "events: two of one type paired by date",
        "events",
        [{"type": "meeting", "date": "2019-05-17"}, {"type": "meeting", "date": "2019-05-16"}],
        [{"type": "meeting", "date": "--05-16"}, {"type": "meeting", "date": "2019-05-17"}],
        (2, 0, 0),
    ),
    (
        "agreement: gold without parties",
        "agreements",
        [{"type": "strategy", "parties": [{"label": "Anyone"}]}],
        [{"type": "strategy", "parties": []}],
        (1, 0, 0),
    ),
    (
        "agreement: parties through names()",
        "agreements",
        [
            {
                "type": "mou",
                "parties": [{"iri": UNOCT, "label": "UNOCT"}, {"iri": ROSFIN, "label": "R"}],
            }
        ],
        [
            {
                "type": "mou",
                "parties": [
                    "Federal Financial Monitoring Service",
                    "United Nations Office of Counter-Terrorism",
                ],
            }
        ],
        (1, 0, 0),
    ),
    (
        "agreement: half of the union shared",
        "agreements",
        [{"type": "mou", "parties": ["A"]}],
        [{"type": "mou", "parties": ["A", "B"]}],
        (1, 0, 0),
    ),
    (
        "agreement: less than half shared",
        "agreements",
        [{"type": "mou", "parties": ["A"]}],
        [{"type": "mou", "parties": ["A", "B", "C"]}],
        (0, 1, 1),
    ),
    (
        "agreement: few parties shared, but a shared mention",
        "agreements",
        [{"type": "mou", "parties": ["A"], "mentions": ["Protocole d’accord"]}],
        [{"type": "mou", "parties": ["A", "B", "C"], "mentions": ["protocole d'accord"]}],
        (1, 0, 0),
    ),
    (
        "agreement: other type",
        "agreements",
        [{"type": "convention", "parties": ["A", "B"]}],
        [{"type": "mou", "parties": ["A", "B"]}],
        (0, 1, 1),
    ),
    (
        "topic: gold as a string",
        "topics",
        [{"label": "Terrorism financing"}],
        ["terrorism financing"],
        (1, 0, 0),
    ),
    (
        "topic: gold as a mapping, matched through names()",
        "topics",
        [{"iri": TOPIC, "label": "CFT"}],
        [{"name": "Financing of terrorism"}],
        (1, 0, 0),
    ),
    (
        "topic: another topic",
        "topics",
        [{"label": "drug trafficking"}],
        ["terrorism financing"],
        (0, 1, 1),
    ),
]


@pytest.mark.parametrize(
    ("category", "extracted", "gold", "counts"),
    [row[1:] for row in SCORES],
    ids=[row[0] for row in SCORES],
)
def test_score_article(
    category: str, extracted: list[Any], gold: list[Any] | None, counts: tuple[int, int, int]
) -> None:
    scores, misses = score_article({category: extracted}, {"id": "a", category: gold}, names)
    assert set(scores) == set(CATEGORIES)
    score = scores[category]
    assert (score.tp, score.fp, score.fn) == counts
    for other in CATEGORIES:
        if other != category:
            assert (scores[other].tp, scores[other].fp, scores[other].fn) == (0, 0, 0)
    kinds = [m["kind"] for m in misses]
    assert kinds.count("false positive") == counts[1]
    assert kinds.count("missed") == counts[2]
    assert all(m["category"] == category for m in misses)


def test_misses_brief_the_items() -> None:
    report = {"events": [{"type": "meeting", "date": "2019-05-16", "iri": "x", "spans": [1, 2]}]}
    gold = {"id": "a", "events": [{"type": "workshop", "date": None, "title": "T", "notes": "n"}]}
    _, misses = score_article(report, gold, names)
    assert misses == [
        {
            "category": "events",
            "kind": "false positive",
            "item": {"type": "meeting", "date": "2019-05-16"},
        },
        {
            "category": "events",
            "kind": "missed",
            "item": {"type": "workshop", "date": None, "title": "T"},
        },
    ]


# (tp, fp, fn, precision, recall, f1)
ARITHMETIC = [
    (0, 0, 0, 1.0, 1.0, 1.0),  # nothing to find and nothing found
    (0, 1, 0, 0.0, 1.0, 0.0),
    (0, 0, 1, 1.0, 0.0, 0.0),
    (0, 1, 1, 0.0, 0.0, 0.0),
    (2, 1, 1, 2 / 3, 2 / 3, 2 / 3),
    (3, 1, 0, 0.75, 1.0, 6 / 7),
    (1, 0, 3, 1.0, 0.25, 0.4),
]


@pytest.mark.parametrize(("tp", "fp", "fn", "precision", "recall", "f1"), ARITHMETIC)
def test_score_arithmetic(
    tp: int, fp: int, fn: int, precision: float, recall: float, f1: float
) -> None:
    score = Score(tp, fp, fn)
    assert score.precision == pytest.approx(precision)
    assert score.recall == pytest.approx(recall)
    assert score.f1 == pytest.approx(f1)
    assert score.to_dict() == {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def test_score_add_and_evaluation_totals() -> None:
    evaluation = Evaluation()
    evaluation.per_article["a"] = {"persons": Score(1, 2, 3), "topics": Score(1, 0, 0)}
    evaluation.per_article["b"] = {"persons": Score(4, 0, 1)}
    totals = evaluation.totals()
    assert set(totals) == set(CATEGORIES)
    assert (totals["persons"].tp, totals["persons"].fp, totals["persons"].fn) == (5, 2, 4)
    overall = evaluation.overall()
    assert (overall.tp, overall.fp, overall.fn) == (6, 2, 4)
    data = evaluation.to_dict()
    assert list(data["articles"]) == ["a", "b"]
    assert data["overall"]["tp"] == 6
    assert data["categories"]["places"] == Score().to_dict()


NORMALIZE = [
    ("L’Office", "l'office"),
    ("“Quoted”", '"quoted"'),
    ("a\u00a0 b\n c", "a b c"),
    ("ﬁnancing", "financing"),  # NFKC
    ("  Straße ", "strasse"),
]


@pytest.mark.parametrize(("text", "normal"), NORMALIZE)
def test_normalize(text: str, normal: str) -> None:
    assert normalize(text) == normal


def test_load_gold(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text('id: a\nevents:\n  - type: meeting\n    date: "2019-05-16"\n', encoding="utf-8")
    assert load_gold(path) == {"id": "a", "events": [{"type": "meeting", "date": "2019-05-16"}]}


# (file content, error type, text the message must contain besides the file name)
BAD_GOLD = [
    (None, MissingPathError, "gold file not found"),
    ("id: a\nevents: [unclosed\n", DataFileError, "bad YAML"),
    ("- just\n- a list\n", DataFileError, "a gold file is a mapping with an id"),
    ("language: en\n", DataFileError, "with an id"),
    ("", DataFileError, "a gold file is a mapping with an id"),
]


@pytest.mark.parametrize(("content", "error", "message"), BAD_GOLD)
def test_load_gold_errors_name_the_file(
    tmp_path: Path, content: str | None, error: type[Exception], message: str
) -> None:
    path = tmp_path / "broken-gold.yaml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(error) as caught:
        load_gold(path)
    assert str(path) in str(caught.value)
    assert message in str(caught.value)


def test_bad_yaml_error_gives_the_line(tmp_path: Path) -> None:
    path = tmp_path / "g.yaml"
    path.write_text("id: a\nnotes: fine\nevents: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_gold(path)
    assert caught.value.line is not None and caught.value.line >= 3


def test_evaluate(tmp_path: Path) -> None:
    gold_dir, articles = tmp_path / "gold", tmp_path / "articles"
    gold_dir.mkdir()
    articles.mkdir()
    (gold_dir / "a.yaml").write_text("id: a\ntopics: [terrorism financing]\n", encoding="utf-8")
    (articles / "a.txt").write_text("text", encoding="utf-8")
    seen = []

    def extract(path: Path) -> dict[str, Any]:
        seen.append(path)
        return {"topics": [{"iri": TOPIC, "label": "x"}, {"label": "drugs"}]}

    result = evaluate_corpus(gold_dir, articles, extract, names)
    assert seen == [articles / "a.txt"]
    topics = result.per_article["a"]["topics"]
    assert (topics.tp, topics.fp, topics.fn) == (1, 1, 0)
    assert result.errors["a"] == [
        {"category": "topics", "kind": "false positive", "item": {"label": "drugs"}}
    ]


def test_evaluate_names_the_missing_article(tmp_path: Path) -> None:
    (tmp_path / "gold.yaml").write_text("id: nowhere\n", encoding="utf-8")
    with pytest.raises(MissingPathError) as caught:
        evaluate_corpus(tmp_path, tmp_path / "articles", lambda p: {}, names)
    assert "nowhere.txt" in str(caught.value)
    assert "gold.yaml" in str(caught.value)


def test_evaluate_missing_gold_directory(tmp_path: Path) -> None:
    with pytest.raises(MissingPathError, match="gold directory"):
        evaluate_corpus(tmp_path / "missing", tmp_path, lambda p: {}, names)
