"""ctld.extract.dates: date expressions in five languages, their spans, XSD forms and the
completion of a missing year from the article's date. Each case is one table row."""

from __future__ import annotations

import datetime as dt

import pytest

from ctld.extract.dates import DateFinder, DateSpan, PartialDate

P = PartialDate

# (text, matched text, begin, finish or None, this_year)
FOUND = [
    ("16 and 17 May 2019", "16 and 17 May 2019", P(2019, 5, 16), P(2019, 5, 17), False),
    ("le 28 juillet 2025 à Paris", "28 juillet 2025", P(2025, 7, 28), None, False),
    ("em 16 de fevereiro", "16 de fevereiro", P(None, 2, 16), None, False),
    ("3 мая, 2018", "3 мая, 2018", P(2018, 5, 3), None, False),
    ("June 15, 2017", "June 15, 2017", P(2017, 6, 15), None, False),
    ("held in June 2018", "June 2018", P(2018, 6, None), None, False),
    ("founded in 2018", "in 2018", P(2018, None, None), None, False),
    (
        "с 21 по 25 октября 2024 года",
        "с 21 по 25 октября 2024 года",
        P(2024, 10, 21),
        P(2024, 10, 25),
        False,
    ),
    ("du 16 au 17 mai 2019", "du 16 au 17 mai 2019", P(2019, 5, 16), P(2019, 5, 17), False),
    # a "range" ending before it starts in one month is no range: the first day stays
    ("on 28 and 01 May 2023", "28 and 01 May 2023", P(2023, 5, 28), None, False),
    # a range across the new year with the year written once, at its end
    ("from 28 December to 2 January 2024", "from 28 December to 2 January 2024",
     P(2023, 12, 28), P(2024, 1, 2), False),
    ("el 12 de marzo de 2024", "12 de marzo de 2024", P(2024, 3, 12), None, False),
    ("12 марта 2024 года", "12 марта 2024 года", P(2024, 3, 12), None, False),
    ("16 мая 2019 г.", "16 мая 2019 г.", P(2019, 5, 16), None, False),
    (
        "from 30 June to 2 July 2019",
        "from 30 June to 2 July 2019",
        P(2019, 6, 30),
        P(2019, 7, 2),
        False,
    ),
    (
        "from 28 December to 3 January",
        "from 28 December to 3 January",
        P(None, 12, 28),
        P(None, 1, 3),
        False,
    ),
    ("2019-05-21T16:38:50+00:00", "2019-05-21T16:38:50+00:00", P(2019, 5, 21), None, False),
    ("May 16-17, 2019", "May 16-17, 2019", P(2019, 5, 16), P(2019, 5, 17), False),
    ("on the 3rd of June, 2019", "3rd of June, 2019", P(2019, 6, 3), None, False),
    ("1er juin 2019", "1er juin 2019", P(2019, 6, 1), None, False),
    ("Dec. 5, 2020", "Dec. 5, 2020", P(2020, 12, 5), None, False),
    ("16 MAY 2019", "16 MAY 2019", P(2019, 5, 16), None, False),
    ("29 February 2020", "29 February 2020", P(2020, 2, 29), None, False),
    ("в январе этого года", "в январе этого года", P(None, 1, None), None, True),
    ("в мае этого года", "в мае этого года", P(None, 5, None), None, True),
    ("в мае", "в мае", P(None, 5, None), None, False),
    ("in June this year", "in June this year", P(None, 6, None), None, True),
    ("em maio deste ano", "em maio deste ano", P(None, 5, None), None, True),
    ("en mayo de este año", "en mayo de este año", P(None, 5, None), None, True),
    (
        "au mois de mai de cette année",
        "au mois de mai de cette année",
        P(None, 5, None),
        None,
        True,
    ),
    ("in May", "in May", P(None, 5, None), None, False),
]

# texts in which no date may be found
NOTHING = [
    "30 February",
    "31 April",
    "2019-02-30",
    "resolution 2462 (2019)",
    "resolutions 1373 (2001) and 1624 (2005)",
    "more than 50 States",
    "a mayor met the maire",
    "",
]

# (partial date, lexical form, XSD datatype, usable)
LEXICAL = [
    (P(2019, 5, 16), "2019-05-16", "date", True),
    (P(2019, 1, 2), "2019-01-02", "date", True),
    (P(2019, 5, None), "2019-05", "gYearMonth", True),
    (P(None, 5, 16), "--05-16", "gMonthDay", True),
    (P(2019, None, None), "2019", "gYear", True),
    (P(987, None, None), "0987", "gYear", True),
]

REFERENCE = dt.date(2019, 5, 21)

# (text, article date, completed begin, completed finish, year_completed)
COMPLETE = [
    ("On 16 and 17 May, the", REFERENCE, P(2019, 5, 16), P(2019, 5, 17), True),
    # 144 days before the article: inside the window (180 days before to 90 after)
    ("28 December", REFERENCE, P(2018, 12, 28), None, True),
    # 2018-09-28 is 235 days before, 2019-09-28 130 days after: neither fits, stays partial
    ("28 September", REFERENCE, P(None, 9, 28), None, False),
    ("10 March", dt.date(2019, 12, 20), P(2020, 3, 10), None, True),
    # a range crossing the new year, from either side of it
    ("from 28 December to 3 January", dt.date(2020, 1, 10), P(2019, 12, 28), P(2020, 1, 3), True),
    ("from 28 December to 3 January", dt.date(2019, 12, 20), P(2019, 12, 28), P(2020, 1, 3), True),
    ("29 February", dt.date(2020, 3, 1), P(2020, 2, 29), None, True),
    ("29 February", dt.date(2019, 3, 1), P(None, 2, 29), None, False),  # no leap year fits
    # months: "this year" takes the article's year, whatever the window says
    ("in May this year", dt.date(2019, 3, 1), P(2019, 5, None), None, True),
    ("in January this year", dt.date(2019, 12, 1), P(2019, 1, None), None, True),
    ("в январе этого года", dt.date(2019, 12, 1), P(2019, 1, None), None, True),
    ("в мае этого года", dt.date(2019, 12, 1), P(2019, 5, None), None, True),
    ("en mayo de este año", dt.date(2019, 12, 1), P(2019, 5, None), None, True),
    ("au mois de mai de cette année", dt.date(2019, 12, 1), P(2019, 5, None), None, True),
    # without "this year", May is 214 days before a December article: stays partial
    ("au mois de mai", dt.date(2019, 12, 1), P(None, 5, None), None, False),
    ("in May", dt.date(2019, 6, 1), P(2019, 5, None), None, True),
    ("in December", dt.date(2019, 6, 1), P(None, 12, None), None, False),  # both out of window
    # a stated year is never changed
    ("16 May 2018", REFERENCE, P(2018, 5, 16), None, False),
    ("in 2018", REFERENCE, P(2018, None, None), None, False),
    # without an article date nothing is completed
    ("28 December", None, P(None, 12, 28), None, False),
]


@pytest.fixture(scope="module")
def finder() -> DateFinder:
    return DateFinder()


def _ids(rows: list[tuple]) -> list[str]:
    return [str(row[0]) for row in rows]


@pytest.mark.parametrize(
    ("text", "matched", "begin", "finish", "this_year"), FOUND, ids=_ids(FOUND)
)
def test_find(
    finder: DateFinder,
    text: str,
    matched: str,
    begin: PartialDate,
    finish: PartialDate | None,
    this_year: bool,
) -> None:
    spans = finder.find(text)
    assert [(s.text, s.begin, s.finish, s.this_year) for s in spans] == [
        (matched, begin, finish, this_year)
    ]
    span = spans[0]
    assert text[span.start : span.end] == span.text
    assert span.year_completed is False


@pytest.mark.parametrize("text", NOTHING)
def test_finds_nothing(finder: DateFinder, text: str) -> None:
    assert finder.find(text) == []


def test_several_dates_in_order_with_exact_spans(finder: DateFinder) -> None:
    text = (
        "Le 28 juillet 2025, à Douchanbé, après la réunion du 16 au 17 mai 2019 "
        "et la résolution 2462 (2019), puis in 2018 and on June 15, 2017."
    )
    spans = finder.find(text)
    assert [s.text for s in spans] == [
        "28 juillet 2025",
        "du 16 au 17 mai 2019",
        "in 2018",
        "June 15, 2017",
    ]
    for span in spans:
        assert text[span.start : span.end] == span.text


@pytest.mark.parametrize(("date", "lexical", "datatype", "usable"), LEXICAL)
def test_lexical(date: PartialDate, lexical: str, datatype: str, usable: bool) -> None:
    assert date.lexical() == (lexical, datatype)
    assert date.iso() == lexical
    assert date.usable is usable


def test_a_month_alone_has_no_lexical_form() -> None:
    date = P(None, 5, None)
    assert date.usable is False
    with pytest.raises(ValueError):
        date.lexical()


@pytest.mark.parametrize(
    ("text", "reference", "begin", "finish", "completed"), COMPLETE, ids=_ids(COMPLETE)
)
def test_complete_year(
    finder: DateFinder,
    text: str,
    reference: dt.date | None,
    begin: PartialDate,
    finish: PartialDate | None,
    completed: bool,
) -> None:
    [span] = finder.find(text)
    done = span.complete_year(reference)
    assert (done.begin, done.finish, done.year_completed) == (begin, finish, completed)
    assert (done.start, done.end, done.text) == (span.start, span.end, span.text)


def test_complete_year_keeps_an_unchanged_span_identical() -> None:
    span = DateSpan(0, 11, "28 December", P(None, 12, 28))
    assert span.complete_year(None) is span
