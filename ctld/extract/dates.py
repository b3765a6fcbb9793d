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
from collections.abc import Iterable
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
# A window of the grammar opens at a year, or at a word of three or more letters (so
# \w but not \d) that is a month name or all digits (superscripts: "¹²³").
_ANCHOR_WORD = r"[^\W\d_]{3,}"
_REACH = 40
_FROM = r"(?:(?:from|du|de|del|desde|с|со|vom|dal)\s+)?"
# Code points whose case and accents the date grammar folds: Latin capitals, Latin-1 and
# Latin Extended, Cyrillic.
_FOLDED = frozenset((*range(0x41, 0x5B), *range(0xC0, 0x250), *range(0x400, 0x530)))


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
        # Most words are not month names: the anchor spells out the names that start with
        # an ASCII letter, so that such a word fails inside the pattern, and leaves only
        # those (and any word that starts with another character) to `_windows` to check.
        ascii_months = [m for m in months if m[0].isascii() and re.fullmatch(_ANCHOR_WORD, m)]
        self._anchor = re.compile(
            rf"(?<!\w)(?:(?:19|20)[0-9]{{2}}|{_alternation(ascii_months)}"
            rf"|(?=[^\x00-\x7f]){_ANCHOR_WORD})(?!\w)"
        )
        names = _alternation(months)
        month = rf"(?P<m>{names})\.?"
        month2 = rf"(?P<m2>{names})\.?"
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
        for match in self._anchor.finditer(folded):
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
            if (first_month, day) > (month, finish.day):
                if first_month == month:  # "28 and 1 May": not a range; keep the first day
                    finish = None
                elif year is not None:  # "28 December - 2 January 2024" began in 2023
                    begin = PartialDate(year - 1, first_month, day)
        if not _valid(begin) or (finish is not None and not _valid(finish)):
            return None
        return DateSpan(start, end, text[start:end], begin, finish)


_Trie = dict[str, "_Trie"]  # next letter -> the node after it


def _alternation(words: Iterable[str]) -> str:
    """A pattern for any of `words`, shaped as a trie ("jan(?:eiro|uary|vier)?"). The
    re module tries the branches of an alternation one by one, so a flat list of some
    150 month names is tried name by name wherever a date may start; a trie gives up at
    the first letter no name continues with. Where one name begins another, the longer
    is tried first, as in a list sorted longest first."""
    trie: _Trie = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here
    return _trie_pattern(trie)


def _trie_pattern(node: _Trie) -> str:
    """The pattern of the words below `node` ("" marks a word ending at the node)."""
    branches = [re.escape(char) + _trie_pattern(node[char]) for char in sorted(node) if char]
    if not branches:
        return ""
    group = "(?:" + "|".join(branches) + ")"
    if "" in node:  # a word may end here: what follows is optional
        return group + "?"
    return branches[0] if len(branches) == 1 else group


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
    in C, and keeps the text's length so that offsets carry over. Every other character
    of those blocks (and of ASCII) maps to itself: str.translate raises and clears a
    LookupError for each character its table lacks, which made the unchanged ones (most
    of a text) cost three times as much as the folded ones."""
    table = {}
    for code in range(0x530):
        char = chr(code)
        folded = _fold(char) if code in _FOLDED else char
        table[code] = folded if len(folded) == 1 else char
    return table
