"""ctld.extract.finders.citations: Security Council resolution years and resolution
citations in news text, each case one row: (language, text, expected (symbol, text,
year_inferred))."""

from __future__ import annotations

from functools import cache
from itertools import pairwise
from pathlib import Path

import pytest
from conftest import ROOT

from ctld.core.errors import MissingPathError, QueryFileError
from ctld.extract.dates import DateFinder
from ctld.extract.finders.citations import Citation, ResolutionYears, find_citations
from ctld.extract.lexicon import Lexicon, build_lexicon, load_lexicon_data
from ctld.extract.tokens import Keyer, tokenize

YEARS_CSV = ROOT / "data" / "reference" / "security-council-resolution-years.csv"

# (resolution number, year of adoption or None)
YEAR_OF = [
    (1, 1946),
    (15, 1946),
    (16, 1947),
    (1373, 2001),
    (1624, 2005),
    (2178, 2014),
    (2354, 2017),
    (2396, 2017),
    (2462, 2019),
    (2811, 2025),
    (0, None),
    (-5, None),
    (2812, None),
    (9999, None),
]

# (language, text, [(symbol, cited text, year_inferred)])
CITATIONS = [
    (
        "en",
        "Security Council resolution 2462 (2019)",
        [("S/RES/2462 (2019)", "resolution 2462 (2019)", False)],
    ),
    ("fr", "la résolution 71/291", [("A/RES/71/291", "résolution 71/291", False)]),
    (
        "pt",
        "resoluções existentes do Conselho de Segurança da ONU, em particular 1624 e 2354",
        [("S/RES/1624 (2005)", "1624", True), ("S/RES/2354 (2017)", "2354", True)],
    ),
    ("ru", "резолюции 2178", [("S/RES/2178 (2014)", "резолюции 2178", True)]),
    (
        "ru",
        "резолюций 1373 и 2178",
        [("S/RES/1373 (2001)", "резолюций 1373", True), ("S/RES/2178 (2014)", "2178", True)],
    ),
    ("es", "la resolución 1373 (2001)", [("S/RES/1373 (2001)", "resolución 1373 (2001)", False)]),
    (
        "en",
        "resolutions 1373 (2001), 1624 (2005) and 2178 (2014)",
        [
            ("S/RES/1373 (2001)", "resolutions 1373 (2001)", False),
            ("S/RES/1624 (2005)", "1624 (2005)", False),
            ("S/RES/2178 (2014)", "2178 (2014)", False),
        ],
    ),
    (
        "en",
        "S/RES/2396 (2017) and A/RES/60/288",
        [
            ("S/RES/2396 (2017)", "S/RES/2396 (2017)", False),
            ("A/RES/60/288", "A/RES/60/288", False),
        ],
    ),
    ("en", "S/RES/2396", [("S/RES/2396 (2017)", "S/RES/2396", True)]),
    ("en", "A/RES/ES-10/1", [("A/RES/ES-10/1", "A/RES/ES-10/1", False)]),
    # the same resolution cited twice is two citations (two mentions)
    (
        "en",
        "Resolution 2462 (2019) recalls S/RES/2462 (2019)",
        [
            ("S/RES/2462 (2019)", "Resolution 2462 (2019)", False),
            ("S/RES/2462 (2019)", "S/RES/2462 (2019)", False),
        ],
    ),
    # no cue, no citation: a bare number is not a resolution
    ("en", "In 2462 cases, 1373 people", []),
    # a number out of the Security Council's range, or an impossible session
    ("en", "S/RES/9999", []),
    ("en", "resolution 9999", []),
    ("en", "resolution 150/2", []),
    # a sentence break between the cue and a number ends the search
    ("en", "They adopted a resolution. More than 50 States joined.", []),
    ("en", "the resolution\nmore than 50 States", []),
    ("en", "the resolution; 50 States", []),
    # a symbol embedded in a longer token is not a citation
    ("en", "XS/RES/2396 (2017)", []),
]


@cache
def _lexicon_data() -> dict:
    return load_lexicon_data(ROOT / "data" / "lexicon")


@cache
def _lexicon(language: str) -> Lexicon:
    return build_lexicon(_lexicon_data(), language, Keyer(language))


@pytest.fixture(scope="module")
def years() -> ResolutionYears:
    return ResolutionYears.from_csv(YEARS_CSV)


def cite(
    text: str, language: str, years: ResolutionYears, blocked: list[tuple[int, int]] | None = None
) -> list[Citation]:
    tokens = tokenize(text, Keyer(language))
    return find_citations(text, tokens, _lexicon(language), years, blocked or [])


def test_csv_rows_are_contiguous() -> None:
    lines = [
        ln
        for ln in YEARS_CSV.read_text(encoding="utf-8").splitlines()
        if ln and not ln.startswith("#")
    ]
    assert lines[0] == "year,first,last"
    rows = [tuple(int(v) for v in ln.split(",")) for ln in lines[1:]]
    assert rows[0] == (1946, 1, 15)
    for (year, first, last), (next_year, next_first, _) in pairwise(rows):
        assert first <= last
        assert next_year == year + 1
        assert next_first == last + 1, (year, next_year)


@pytest.mark.parametrize(("number", "year"), YEAR_OF)
def test_year_of(years: ResolutionYears, number: int, year: int | None) -> None:
    assert years.year_of(number) == year


def test_year_of_in_a_gap_between_rows() -> None:
    years = ResolutionYears([(2001, 1, 10), (2003, 20, 30)])
    assert [years.year_of(n) for n in (1, 10, 11, 19, 20, 30, 31)] == [
        2001,
        2001,
        None,
        None,
        2003,
        2003,
        None,
    ]


def test_from_csv_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "years.csv"
    with pytest.raises(MissingPathError, match=r"years\.csv"):
        ResolutionYears.from_csv(missing)


@pytest.mark.parametrize(
    "content",
    ["year,first,last\n2001,1335,x\n", "year,first\n2001,1335\n", "number\n1\n"],
)
def test_from_csv_bad_rows_name_the_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad-years.csv"
    path.write_text("# a comment line\n" + content, encoding="utf-8")
    with pytest.raises(QueryFileError, match=r"bad-years\.csv: row 1: "):
        ResolutionYears.from_csv(path)


@pytest.mark.parametrize(("language", "text", "expected"), CITATIONS)
def test_find_citations(
    years: ResolutionYears, language: str, text: str, expected: list[tuple[str, str, bool]]
) -> None:
    citations = cite(text, language, years)
    assert [(c.symbol, c.text, c.year_inferred) for c in citations] == expected
    for citation in citations:
        assert text[citation.start : citation.end] == citation.text
    assert [c.start for c in citations] == sorted(c.start for c in citations)
    for left, right in pairwise(citations):
        assert left.end <= right.start, "citations must not overlap"


@pytest.mark.parametrize(
    "text",
    [
        "the resolution on terrorism adopted on 28 March 2019",
        "resolution on terrorism adopted on 28 March 2019",
        "a resolution adopted in 2019",
    ],
)
def test_a_number_inside_a_date_is_not_a_resolution(years: ResolutionYears, text: str) -> None:
    dates = DateFinder().find(text)
    assert dates, "the date must be found for this test to mean anything"
    assert cite(text, "en", years, [(d.start, d.end) for d in dates]) == []


def test_blocked_spans_only_stop_numbers_inside_them(years: ResolutionYears) -> None:
    text = "resolution 2462 (2019) adopted on 28 March 2019"
    dates = [(d.start, d.end) for d in DateFinder().find(text)]
    assert [c.symbol for c in cite(text, "en", years, dates)] == ["S/RES/2462 (2019)"]


# a cue followed by a written symbol: one mention, so one citation
CUE_AND_SYMBOL = [
    ("en", "resolution S/RES/2462 (2019)", "S/RES/2462 (2019)"),
    (
        "en",
        "The Council, in its resolution S/RES/2462 (2019), called on States",
        "S/RES/2462 (2019)",
    ),
    ("fr", "la résolution S/RES/2462 (2019)", "S/RES/2462 (2019)"),
    ("en", "General Assembly resolution A/RES/60/288", "A/RES/60/288"),
]


@pytest.mark.parametrize(("language", "text", "symbol"), CUE_AND_SYMBOL)
def test_a_symbol_after_a_cue_is_cited_once(
    years: ResolutionYears, language: str, text: str, symbol: str
) -> None:
    assert [c.symbol for c in cite(text, language, years)] == [symbol]
