"""Phrases: what stands around a word in an article, as the event and instrument
finders need it (its sentence, its determiner, quotes, the dateline, the dates of its
sentence, whether it is plural or sentence-initial)."""

from __future__ import annotations

import bisect
import datetime as dt

from ctld.extract.context import ArticleContext
from ctld.extract.dates import DateSpan
from ctld.extract.tokens import Token

ACTORS = ("organization", "state")


def plural(token: Token, ctx: ArticleContext) -> bool:
    word = token.text.lower()
    if ctx.article.language in ("ru", "uk", "be"):
        return word.endswith(("ах", "ях", "ами", "ями"))
    return word.endswith("s") and not word.endswith(("ss", "us", "is"))


def sentence_initial(ctx: ArticleContext, i: int) -> bool:
    sentence = ctx.sentences[ctx.sentence_of(ctx.tokens[i].start)]
    before = ctx.text[sentence[0] : ctx.tokens[i].start]
    return not any(c.isalnum() for c in before)


def tokens_between(ctx: ArticleContext, low: int, high: int) -> list[Token]:
    starts = ctx.token_starts
    return ctx.tokens[bisect.bisect_left(starts, low) : bisect.bisect_left(starts, high)]


def dates_in(ctx: ArticleContext, sentence: int, after: int = 0) -> list[DateSpan]:
    low, high = ctx.sentences[sentence]
    low = max(low, after)
    found = [d for d in ctx.dates if low <= d.start < high]
    if not found:  # most sentences have no date: spare collecting the citations
        return []
    cited = [
        (m.start, m.end)
        for h in ctx.entities.values()
        if h.category == "resolution"
        for m in h.mentions
    ]
    reference = reference_day(ctx)
    found = [
        d for d in found
        if not any(a <= d.start < b for a, b in cited) and not is_dateline(ctx, d)
    ]  # fmt: skip
    completed = [d.complete_year(reference) for d in found]
    return [d for d in completed if d.begin.usable]


def reference_day(ctx: ArticleContext) -> dt.date | None:
    ref = ctx.reference
    if ref is None or not (ref.begin.year and ref.begin.month and ref.begin.day):
        return None
    return dt.date(ref.begin.year, ref.begin.month, ref.begin.day)


def is_dateline(ctx: ArticleContext, date: DateSpan) -> bool:
    """ "JAKARTA, Sept 12 —", "Madrid, 13 de marzo de 2024.-", "23 May - ": the article's
    own date at the head of the text, not the date of what it reports."""
    if date.start > 400:
        return False
    line_start = ctx.text.rfind("\n", 0, date.start) + 1
    before = ctx.text[line_start : date.start]
    after = ctx.text[date.end : date.end + 4]
    return (
        len(before) <= 40
        and not any(c.islower() for c in before.replace("de", ""))
        and (after[:1] in ("\n", "") or any(d in after for d in ("—", "–", "-", ".", ":")))
    )


def covered_by(ctx: ArticleContext, categories: tuple[str, ...]) -> set[int]:
    out: set[int] = set()
    for match, entity in ctx.matches:
        if entity.category in categories:
            out.update(range(match.start, match.end))
    return out


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans inside typographic quotes: titles and speech, where trigger words do not
    report events."""
    spans = []
    for opening, closing in (("“", "”"), ("«", "»"), ("„", "“")):
        position = 0
        while True:
            a = text.find(opening, position)
            if a < 0:
                break
            b = text.find(closing, a + 1)
            if b < 0:
                break
            spans.append((a, b))
            position = b + 1
    return spans


def headline_end(ctx: ArticleContext) -> int:
    """Where the body starts: after the leading lines that are not sentences (the
    headline, a dateline, a section name)."""
    end = 0
    for low, high in ctx.sentences:
        if low > 400:
            break
        line = ctx.text[low:high].strip()
        if line and line[-1] in '.!?"”»:':
            break
        end = high
    return end


def not_triggers(ctx: ArticleContext) -> set[int]:
    return ctx.cue_tokens("not_triggers")


def cue_before(ctx: ArticleContext, start: int, cue: str, reach: int = 8) -> bool:
    sentence = ctx.sentences[ctx.sentence_of(ctx.tokens[start].start)]
    first = max(bisect.bisect_left(ctx.token_starts, sentence[0]), start - reach)
    return any(end <= start for _, end, _ in ctx.cues(cue, first, start))


def cue_in_sentence(ctx: ArticleContext, sentence: int, cue: str) -> bool:
    low, high = ctx.sentences[sentence]
    starts = ctx.token_starts
    return bool(ctx.cues(cue, bisect.bisect_left(starts, low), bisect.bisect_left(starts, high)))


def determiner_of(ctx: ArticleContext, start: int) -> str | None:
    """'new' after an indefinite article, 'same' after a definite one, looking back
    over up to four modifier words in the same phrase."""
    for k in range(start - 1, max(-1, start - 5), -1):
        token = ctx.tokens[k]
        if not ctx.tokens[k + 1].soft_before:
            return None
        if ctx.lexicon.has_word("new_event", token.text):
            return "new"
        if ctx.lexicon.has_word("same_event", token.text):
            return "same"
    return None


def candidate_tokens(ctx: ArticleContext) -> set[int]:
    """Tokens inside candidate organization names ("Bureau du programme ... de formation")."""
    starts = ctx.token_starts
    found: set[int] = set()
    for hit in ctx.entities.values():
        if hit.candidate and hit.category == "organization":
            for m in hit.mentions:  # the tokens starting inside the mention
                low, high = bisect.bisect_left(starts, m.start), bisect.bisect_left(starts, m.end)
                found.update(range(low, high))
    return found
