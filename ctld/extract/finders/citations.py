"""UN resolution citations, in any of the forms news text uses.

"S/RES/2462 (2019)", "resolution 2462 (2019)", "résolution 71/291", "resoluções ... em
particular 1624 e 2354", "резолюции 2178": each becomes the resolution's official
symbol, and so the IRI derived from it. A Security Council resolution cited without a
year gets it from its number (data/reference/security-council-resolution-years.csv).
"""

from __future__ import annotations

import bisect
import csv
import re
from dataclasses import dataclass
from pathlib import Path

from ctld.core.errors import MissingPathError, QueryFileError
from ctld.core.identifiers import general_assembly_symbol, security_council_symbol
from ctld.extract.lexicon import Lexicon
from ctld.extract.tokens import Token

_EXPLICIT = re.compile(
    r"(?<![\w/])(?:S/RES/(?P<sc>[1-9][0-9]{0,3})(?:\s*\((?P<scy>(?:19|20)[0-9]{2})\))?"
    r"|A/RES/(?P<gas>(?:ES-|S-)?[0-9]{1,2})/(?P<gan>[1-9][0-9]{0,3}))(?![\w/])"
)
_NUMBER = re.compile(
    r"(?P<a>[1-9][0-9]{0,3})(?:/(?P<b>[1-9][0-9]{0,3}))?(?:\s*\((?P<y>(?:19|20)[0-9]{2})\))?"
)
# Between a cue ("resolution") and its first number, at most this many words
# ("resolution of the Security Council of the UN, in particular 1624").
_MAX_GAP = 12
_LIST_WORDS = {"and", "or", "et", "ou", "e", "y", "o", "и", "или", "as", "well"}


@dataclass(frozen=True)
class Citation:
    symbol: str
    start: int
    end: int
    text: str
    year_inferred: bool


class ResolutionYears:
    """Security Council resolution number -> year of adoption."""

    def __init__(self, rows: list[tuple[int, int, int]]) -> None:
        self._rows = sorted(rows, key=lambda r: r[1])
        self._firsts = [r[1] for r in self._rows]

    @classmethod
    def from_csv(cls, path: Path) -> ResolutionYears:
        if not path.is_file():
            raise MissingPathError(path, "Security Council resolution years")
        rows = []
        lines = [
            ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")
        ]
        for number, row in enumerate(csv.DictReader(lines), start=1):
            try:
                rows.append((int(row["year"]), int(row["first"]), int(row["last"])))
            except (KeyError, TypeError, ValueError):
                raise QueryFileError(path, f"row {number}: expected year,first,last") from None
        return cls(rows)

    def year_of(self, number: int) -> int | None:
        i = bisect.bisect_right(self._firsts, number) - 1
        if i < 0:
            return None
        year, first, last = self._rows[i]
        return year if first <= number <= last else None


def find_citations(
    text: str,
    tokens: list[Token],
    lexicon: Lexicon,
    years: ResolutionYears,
    blocked: list[tuple[int, int]],
) -> list[Citation]:
    """Citations in `text`; `blocked` are character spans (dates) numbers must not come from."""
    found: dict[tuple[int, int], Citation] = {}
    for match in _EXPLICIT.finditer(text):
        citation = _explicit(match, years)
        if citation is not None:
            found[(citation.start, citation.end)] = citation
    cues = lexicon.phrases["resolution"]
    firsts = cues.by_first  # a cue can start only at a word some cue starts with
    for i, token in enumerate(tokens):
        if token.key not in firsts:
            continue
        hit = cues.at(tokens, i)
        if hit is None:
            continue
        for citation in _after_cue(text, tokens, i, i + hit[0], years, blocked):
            if not any(citation.start < e and s < citation.end for s, e in found):
                found[(citation.start, citation.end)] = citation
    return sorted(found.values(), key=lambda c: c.start)


def _explicit(match: re.Match[str], years: ResolutionYears) -> Citation | None:
    start, end = match.span()
    if match.group("sc"):
        number = int(match.group("sc"))
        stated = match.group("scy")
        year = int(stated) if stated else years.year_of(number)
        if year is None:
            return None
        return Citation(
            security_council_symbol(number, year), start, end, match.group(), not stated
        )
    session, number = match.group("gas"), int(match.group("gan"))
    return Citation(general_assembly_symbol(session, number), start, end, match.group(), False)


def _after_cue(
    text: str,
    tokens: list[Token],
    cue_start: int,
    cue_end: int,
    years: ResolutionYears,
    blocked: list[tuple[int, int]],
) -> list[Citation]:
    citations: list[Citation] = []
    i = cue_end
    gap = 0
    while i < len(tokens) and gap <= _MAX_GAP:
        token = tokens[i]
        if _sentence_break(text, tokens[i - 1].end, token.start):
            break
        if not token.text.isdigit():
            if citations and token.key not in _LIST_WORDS:
                break
            gap += 1
            i += 1
            continue
        if any(s <= token.start < e for s, e in blocked):
            break
        match = _NUMBER.match(text, token.start)
        if match is None:
            break
        citation = _numbered(
            match, years, text, cue_start_char=tokens[cue_start].start, first=not citations
        )
        if citation is None:
            break
        citations.append(citation)
        while i < len(tokens) and tokens[i].start < match.end():
            i += 1
        gap = 0
    return citations


def _numbered(
    match: re.Match[str], years: ResolutionYears, text: str, cue_start_char: int, first: bool
) -> Citation | None:
    a, b, stated = match.group("a"), match.group("b"), match.group("y")
    start = cue_start_char if first and match.start() - cue_start_char < 40 else match.start()
    end = match.end()
    if b is not None:  # session/number: a General Assembly resolution
        if int(a) > 99:
            return None
        return Citation(general_assembly_symbol(a, int(b)), start, end, text[start:end], False)
    number = int(a)
    year = int(stated) if stated else years.year_of(number)
    if year is None:
        return None
    return Citation(security_council_symbol(number, year), start, end, text[start:end], not stated)


def _sentence_break(text: str, left: int, right: int) -> bool:
    gap = text[left:right]
    return any(c in gap for c in ".;!?\n")
