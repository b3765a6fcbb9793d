"""Date expressions in article text, full or partial, with their character spans.

Month names come from the Unicode CLDR through Babel (both the format forms, such as
Russian genitive "мая", and the stand-alone ones), so no month table is kept here.
The structure of day-month-year expressions, ranges ("16 and 17 May 2019", "du 16 au
17 mai", "с 21 по 25 октября") and years after a preposition ("in 2018") is a small
grammar over those names. A date without a year stays partial (--05-16) unless the
article's own date fixes the year without ambiguity.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from babel.dates import get_month_names

# Languages whose month names every article may contain (datelines are often in
# another language than the text, as "3 мая, 2018" above an English article).
MONTH_LANGUAGES = ("en", "fr", "es", "pt", "ru", "de", "it", "ar")
YEAR_PREPOSITIONS = (
    "in", "since", "during", "en", "depuis", "em", "desde", "durante", "в", "во", "с", "im",
)  # fmt: skip
YEAR_WORDS = r"(?:\s*(?:года|году|год|г\.))?"
_DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th|er|º|°)?"
_YEAR = r"(?:19|20)[0-9]{2}"
_SEP = r"\s*(?:-|–|—|/|and|to|et|au|e|a|y|al|und|bis|и|по|до)\s*"
_ANCHOR = re.compile(r"(?<!\w)(?:(?:19|20)[0-9]{2}|[^\W\d_]{3,})(?!\w)", re.UNICODE)
_REACH = 40
_FROM = r"(?:(?:from|du|de|del|desde|с|со|vom|dal)\s+)?"


@dataclass(frozen=True)
class PartialDate:
    year: int | None
    month: int | None
    day: int | None

    def lexical(self) -> tuple[str, str]:
        """(lexical form, XSD datatype local name)."""
        if self.year and self.month and self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}", "date"
        if self.year and self.month:
            return f"{self.year:04d}-{self.month:02d}", "gYearMonth"
        if self.month and self.day:
            return f"--{self.month:02d}-{self.day:02d}", "gMonthDay"
        if self.year:
            return f"{self.year:04d}", "gYear"
        raise ValueError("a month without a year has no XSD date type here")

    @property
    def usable(self) -> bool:
        """Has a year, or a month and a day: expressible as date, gYear(Month) or gMonthDay."""
        return bool(self.year or (self.month and self.day))

    def iso(self) -> str:
        return self.lexical()[0]


@dataclass(frozen=True)
class DateSpan:
    start: int
    end: int
    text: str
    begin: PartialDate
    finish: PartialDate | None = None  # the end of a range
    year_completed: bool = False
    this_year: bool = False  # "this year" stated with a month

    def complete_year(self, reference: dt.date | None) -> DateSpan:
        """Fill a missing year from the article's date when exactly one year puts the
        date within 180 days before to 90 days after it; otherwise stay partial."""
        if reference is None or self.begin.year or not self.begin.month:
            return self
        if self.begin.day is None:  # a month: "this year", or the one month that fits
            years = [reference.year] if self.this_year else [
                y for y in (reference.year - 1, reference.year)
                if _plausible(y, PartialDate(y, self.begin.month, 1), reference)
            ]  # fmt: skip
            if len(years) != 1:
                return self
            begin = PartialDate(years[0], self.begin.month, None)
            return DateSpan(self.start, self.end, self.text, begin, None, year_completed=True)
        years = [
            y
            for y in (reference.year - 1, reference.year, reference.year + 1)
            if _plausible(y, self.begin, reference)
        ]
        if len(years) != 1:
            return self
        year = years[0]
        begin = PartialDate(year, self.begin.month, self.begin.day)
        finish = self.finish
        if finish is not None and finish.year is None and finish.month and finish.day:
            rolls = (finish.month, finish.day) < (self.begin.month, self.begin.day)
            finish = PartialDate(year + rolls, finish.month, finish.day)
        return DateSpan(self.start, self.end, self.text, begin, finish, year_completed=True)


def _plausible(year: int, date: PartialDate, reference: dt.date) -> bool:
    try:
        candidate = dt.date(year, date.month or 1, date.day or 1)
    except ValueError:
        return False
    delta = (candidate - reference).days
    return -180 <= delta <= 90


class DateFinder:
    """Finds date expressions; built once per extractor (compiles one pattern)."""

    def __init__(self, languages: tuple[str, ...] = MONTH_LANGUAGES) -> None:
        months: dict[str, int] = {}
        for language in languages:
            for width in ("wide", "abbreviated"):
                for context in ("format", "stand-alone"):
                    for number, name in get_month_names(width, context, language).items():
                        key = _fold(name).rstrip(".")
                        if width == "abbreviated" and len(key) < 3:
                            continue
                        months.setdefault(key, number)
        for number, name in get_month_names("wide", "stand-alone", "ru").items():
            months.setdefault(_fold(_russian_prepositional(name.casefold())), number)  # "в мае"
        self._months = months
        self._table = _accent_table()
        names = sorted(months, key=len, reverse=True)
        month = r"(?P<m>" + "|".join(re.escape(n) for n in names) + r")\.?"
        month2 = r"(?P<m2>" + "|".join(re.escape(n) for n in names) + r")\.?"
        year = rf"(?P<y>{_YEAR}){YEAR_WORDS}"
        day_first = (
            rf"{_FROM}(?P<d1>{_DAY})(?:\s*(?:de\s+)?{month2})?(?:{_SEP}(?P<d2>{_DAY}))?"
            rf"\s*(?:de\s+|of\s+)?{month}(?:,?\s*(?:de\s+|of\s+)?{year})?"
        )
        month_first = rf"{month}\s+(?P<d1>{_DAY})(?:{_SEP}(?P<d2>{_DAY}))?(?:,?\s+{year})?"
        month_year = rf"{month}\s*(?:de\s+|of\s+|,\s*)?{year}"
        preps = "|".join(re.escape(p) for p in YEAR_PREPOSITIONS)
        # the grammar runs on case- and accent-folded text: written without accents here
        this_year = (
            r"(?P<this>\s+(?:этого|текущего|сего)\s+года|\s+(?:this|that)\s+year"
            r"|\s+de\s+(?:este|ese)\s+ano|\s+deste\s+ano|\s+de\s+cette\s+annee)?"
        )
        month_only = rf"(?:{preps}|au mois de|no mês de|en el mes de)\s+{month}{this_year}"
        iso = rf"(?P<iso>{_YEAR}-[01][0-9]-[0-3][0-9])(?:T[0-9:.]+(?:Z|[+-][0-9:]+)?)?"
        year_only = rf"(?:{preps})\s+(?P<y>{_YEAR}){YEAR_WORDS}"
        alternatives = [iso, day_first, month_first, month_year, year_only, month_only]
        self._patterns = [
            re.compile(rf"(?<!\w){p}(?!\w)", re.IGNORECASE | re.UNICODE) for p in alternatives
        ]

    def find(self, text: str) -> list[DateSpan]:
        folded = text.translate(self._table)
        taken: list[tuple[int, int]] = []
        found: list[DateSpan] = []
        windows = self._windows(folded)
        for pattern in self._patterns:
            for low, high in windows:
                for match in pattern.finditer(folded, low, high):
                    start, end = match.span()
                    if any(start < b and a < end for a, b in taken):
                        continue
                    span = self._build(match, text)
                    if span is not None:
                        taken.append((start, end))
                        found.append(span)
        found.sort(key=lambda s: s.start)
        return found

    def _windows(self, folded: str) -> list[tuple[int, int]]:
        """Stretches of text around month names and years: the full grammar runs only
        there, which keeps a long article's scan linear and cheap."""
        spans = []
        for match in _ANCHOR.finditer(folded):
            word = match.group()
            if word.isdigit() or word in self._months:
                spans.append((max(0, match.start() - _REACH), match.end() + _REACH))
        merged: list[tuple[int, int]] = []
        for low, high in spans:
            if merged and low <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], high))
            else:
                merged.append((low, high))
        return merged

    def _build(self, match: re.Match[str], text: str) -> DateSpan | None:
        groups = match.groupdict()
        start, end = match.span()
        if groups.get("iso"):
            try:
                value = dt.date.fromisoformat(groups["iso"])
            except ValueError:
                return None
            date = PartialDate(value.year, value.month, value.day)
            return DateSpan(start, end, text[start:end], date)
        year = int(groups["y"]) if groups.get("y") else None
        month = self._months.get(groups["m"].rstrip(".")) if groups.get("m") else None
        day = _day(groups.get("d1"))
        if groups.get("d1") is None and groups.get("m") is None:
            return DateSpan(start, end, text[start:end], PartialDate(year, None, None))
        if groups.get("d1") is None and year is None:  # "в мае этого года", "in May"
            return DateSpan(start, end, text[start:end], PartialDate(None, month, None),
                            this_year=bool(groups.get("this")))  # fmt: skip
        if day is not None and month is None:
            return None
        first_month = self._months.get(groups["m2"].rstrip(".")) if groups.get("m2") else month
        begin = PartialDate(year, first_month, day)
        finish = None
        if groups.get("d2"):
            finish = PartialDate(year, month, _day(groups["d2"]))
        if not _valid(begin) or (finish is not None and not _valid(finish)):
            return None
        return DateSpan(start, end, text[start:end], begin, finish)


def _russian_prepositional(nominative: str) -> str:
    """май -> мае, январь -> январе, март -> марте: the case after "в" ("in")."""
    if nominative.endswith(("ь", "й")):
        return nominative[:-1] + "е"
    return nominative + "е"


def _day(raw: str | None) -> int | None:
    if raw is None:
        return None
    digits = "".join(c for c in raw if c.isdigit())
    return int(digits) if digits else None


def _valid(date: PartialDate) -> bool:
    if date.month is None or date.day is None:
        return True
    try:
        dt.date(date.year or 2000, date.month, date.day)  # 2000: a leap year
    except ValueError:
        return False
    return True


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _accent_table() -> dict[int, str]:
    """One-to-one folds of the Latin and Cyrillic letters: str.translate applies them
    in C, and keeps the text's length so that offsets carry over."""
    table = {}
    for code in (*range(0x41, 0x5B), *range(0xC0, 0x250), *range(0x400, 0x530)):
        char = chr(code)
        folded = _fold(char)
        if len(folded) == 1 and folded != char:
            table[code] = folded
    return table
