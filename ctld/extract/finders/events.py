"""Events an article reports.

An event is a trigger ("conference", "reunião", "переговоры"): an indefinite
or dated or named mention opens a new event, a definite one ("the conference") refers
back to the last event of that type. Dates come from the event's sentence; an event in
the article's lead without a date of its own takes the article's date, and says so.
"""

from __future__ import annotations

import bisect

from ctld.core.identifiers import article_slug, instance_iri
from ctld.extract.context import ArticleContext
from ctld.extract.dates import DateSpan
from ctld.extract.finders.phrases import (
    ACTORS,
    candidate_tokens,
    covered_by,
    cue_before,
    cue_in_sentence,
    dates_in,
    determiner_of,
    headline_end,
    not_triggers,
    plural,
    quoted_spans,
    sentence_initial,
)
from ctld.extract.hits import AgreementHit, EventHit
from ctld.extract.spans import Span
from ctld.extract.tokens import fold

EVENT_CLASSES = {
    "signing": "Signing",
    "conference": "Conference",
    "meeting": "Meeting",
    "side-event": "SideEvent",
    "talks": "Talks",
    "session": "Session",
    "workshop": "Workshop",
    "operation": "Operation",
}


LEAD_SENTENCES = 3
# Categories of the entities an event's sentence may name as its place or its people
NAMED_AT_EVENTS = (*ACTORS, "person", "place")
# Characters between two words that end a phrase, or open a quoted name
_BREAKS = frozenset(".;:!?\n")
_QUOTES = frozenset('"“«„')


def find_events(ctx: ArticleContext, agreements: list[AgreementHit]) -> list[EventHit]:
    events: list[EventHit] = []
    blocked = covered_by(ctx, ("organization", "instrument", "post", "role", "person", "state"))
    blocked |= not_triggers(ctx) | candidate_tokens(ctx)
    quoted = quoted_spans(ctx.text)
    in_quotes = _tokens_in(ctx, quoted)
    headline = headline_end(ctx)
    triggers = [
        t for t in ctx.cues("events")
        if _usable(ctx, t[0], t[1], blocked, in_quotes)
    ]  # fmt: skip
    # triggers that may open an event: verbs ("signed") always, nouns unless definite
    openers = [
        t for t in triggers if t[2] == "signing" or determiner_of(ctx, t[0]) != "same"
    ] or triggers
    # The headline restates the lead: read it last, so it joins the events of the body.
    ordered = [t for t in triggers if ctx.tokens[t[0]].start >= headline]
    ordered += [t for t in triggers if ctx.tokens[t[0]].start < headline]
    for start, end, label in ordered:
        kind = EVENT_CLASSES[label]
        if cue_before(ctx, start, "future", reach=5):
            continue  # "la próxima reunión plenaria": not an event that happened
        span = ctx.span(start, end)
        sentence = ctx.sentence_of(span.start)
        near = _near_dates(ctx, start, end, sentence, in_quotes)
        determiner = determiner_of(ctx, start)
        named = _named_event(ctx, start, end)
        in_headline = span.start < headline
        same_kind = [e for e in events if e.kind == kind]
        # a back-reference means the most talked-about event of its kind, the earliest on a tie
        reuse = (
            max(same_kind, key=lambda e: (len(e.mentions), -events.index(e))) if same_kind else None
        )
        if in_headline:
            opens = reuse is None
        elif kind == "Signing":
            signed_here = _instruments_in(ctx, sentence, agreements)
            opens = (
                reuse is None
                or bool(near and not _same_date(reuse, near[0]))
                or bool(
                    signed_here
                    and reuse.instruments
                    and not set(signed_here) & set(reuse.instruments)
                )
            )
        elif named:
            name = _event_name(ctx, start, end)
            opens = not any(e.name == name for e in same_kind) or (
                bool(near) and reuse is not None and not _same_date(reuse, near[0])
            )
        elif (
            reuse is None
            and kind == "Meeting"
            and determiner == "same"
            and events
            and _bare(ctx, start, end)
        ):
            opens, reuse = False, events[-1]  # "à l'issue de la réunion": the occasion reported
        elif determiner == "new" or reuse is None:
            opens = True
        elif determiner is None and plural(ctx.tokens[end - 1], ctx):
            opens = True  # "CTED also held bilateral meetings"
        else:  # a back-reference opens a new event only with a date in its own clause
            attached = [d for d in near if _same_clause(ctx, span, d)]
            opens = bool(attached and not _same_date(reuse, attached[0]))
        if not opens and reuse is not None:
            reuse.mentions.append(span)
            _enrich(ctx, reuse, sentence, [] if reuse.date else near, quoted)
            continue
        iri = instance_iri(
            "event", f"{article_slug(ctx.article.id).replace('_', '-')}-{len(events) + 1}"
        )
        event = EventHit(iri, kind, span, ctx.sentence_span(sentence), mentions=[span])
        event.name = _event_name(ctx, start, end) if named else None
        in_sentence = dates_in(ctx, sentence)
        dates = near or (dates_in(ctx, sentence, after=span.start) if named else [])
        if (
            not dates
            and len(in_sentence) == 1
            and _nearest_trigger(ctx, in_sentence[0], openers) == start
        ):
            dates = in_sentence  # "El 5 de diciembre, en el marco del pleno, ... firmaron"
        _enrich(ctx, event, sentence, dates, quoted)
        today = cue_in_sentence(ctx, sentence, "today")
        lead = kind == "Signing" and _in_lead(ctx, sentence)
        if event.date is None and (today or lead) and ctx.reference is not None:
            event.date = ctx.reference
            event.date_from_article = True
        if kind == "Signing":
            event.instruments = _instruments_in(ctx, sentence, agreements)
        events.append(event)
    merged = _merge_occasions(_merge_named(events), ctx)
    _date_from_neighbours(merged, ctx)
    return merged


def _date_from_neighbours(events: list[EventHit], ctx: ArticleContext) -> None:
    """ "La firma tuvo lugar al término de la reunión bilateral": an undated event named
    in the same sentence as one dated event shares its date."""
    for event in events:
        if event.date is not None:
            continue
        sentence = ctx.sentence_of(event.trigger.start)
        dated = [
            other for other in events
            if other is not event and other.date is not None and not other.date_from_article
            and any(ctx.sentence_of(m.start) == sentence for m in other.mentions)
        ]  # fmt: skip
        if len(dated) == 1:
            event.date = dated[0].date


def _merge_named(events: list[EventHit]) -> list[EventHit]:
    """A lead often names an event generically ("a coordinated operation") before giving
    its name and dates ("Operation Sea Lantern, which ran from 14 to 27 August"): an
    undated unnamed event of the same kind, earlier, is that named one."""
    kept: list[EventHit] = []
    for event in events:
        if event.name is not None:
            earlier = [
                e for e in kept
                if e.kind == event.kind and e.name is None
                and (e.date is None or e.date_from_article)
            ]  # fmt: skip
            if len(earlier) == 1:
                target = earlier[0]
                target.name = event.name
                target.mentions.extend(event.mentions)
                target.date, target.date_from_article = event.date, event.date_from_article
                target.place = target.place or event.place
                for iri in event.participants:
                    if iri not in target.participants:
                        target.participants.append(iri)
                continue
        kept.append(event)
    return kept


def _merge_occasions(events: list[EventHit], ctx: ArticleContext) -> list[EventHit]:
    """ "At a side event today, X and Y signed ...": the meeting is the signing's occasion,
    one event, not two."""
    signings = {ctx.sentence_of(e.trigger.start): e for e in events if e.kind == "Signing"}
    kept = []
    for event in events:
        signing = signings.get(ctx.sentence_of(event.trigger.start))
        if signing is not None and event.kind in ("SideEvent", "Meeting") and event is not signing:
            signing.mentions.extend(event.mentions)
            for iri in event.participants:
                if iri not in signing.participants:
                    signing.participants.append(iri)
            signing.place = signing.place or event.place
            continue
        kept.append(event)
    return kept


def _tokens_in(ctx: ArticleContext, spans: list[tuple[int, int]]) -> set[int]:
    """Indexes of the tokens that start inside any of the character spans: found once
    per article, where asking each token about each span would repeat the work for every
    trigger."""
    starts = ctx.token_starts
    found: set[int] = set()
    for low, high in spans:
        found.update(range(bisect.bisect_left(starts, low), bisect.bisect_left(starts, high)))
    return found


def _usable(
    ctx: ArticleContext, start: int, end: int, blocked: set[int], in_quotes: set[int]
) -> bool:
    token = ctx.tokens[start]
    if start in blocked or start in in_quotes:
        return False
    if end - start == 1 and ctx.lexicon.adjectival(token.text):
        return False
    if start > 0 and token.soft_before and "-" in ctx.text[ctx.tokens[start - 1].end : token.start]:
        return False  # the second half of a compound ("Co-operation")
    return not plural(ctx.tokens[end - 1], ctx) or _listed_plural(ctx, start, end)


def _near_dates(
    ctx: ArticleContext, start: int, end: int, sentence: int, in_quotes: set[int]
) -> list[DateSpan]:
    """Dates in the trigger's own phrase: up to 12 words after it or 10 before it, not
    counting words inside quotes (an event's quoted title); the closest first, those
    after the trigger before those before it."""
    tokens = ctx.tokens
    low = tokens[max(0, start - 10)].start
    k, counted = end - 1, 0
    while k < len(tokens) - 1 and counted < 12:
        k += 1
        if k not in in_quotes:
            counted += 1
    high = tokens[k].end
    candidates = [d for d in dates_in(ctx, sentence) if low <= d.start < high]
    return sorted(
        candidates,
        key=lambda d: (d.start < tokens[start].start, abs(d.start - tokens[start].start)),
    )


def _instruments_in(
    ctx: ArticleContext, sentence: int, agreements: list[AgreementHit]
) -> list[str]:
    low, high = ctx.sentences[sentence]
    return [a.iri for a in agreements if any(low <= m.start < high for m in a.mentions)]


def _nearest_trigger(
    ctx: ArticleContext, date: DateSpan, triggers: list[tuple[int, int, str]]
) -> int:
    """The trigger of the date's sentence closest to it: the one the date belongs to."""
    sentence = ctx.sentence_of(date.start)
    mine = [t for t in triggers if ctx.sentence_of(ctx.tokens[t[0]].start) == sentence]
    return min(mine, key=lambda t: abs(ctx.tokens[t[0]].start - date.start))[0] if mine else -1


def _same_clause(ctx: ArticleContext, span: Span, date: DateSpan) -> bool:
    low, high = sorted((span.end, date.start))
    return not any(c in ctx.text[low:high] for c in ",;:()—–")


def _named_event(ctx: ArticleContext, start: int, end: int) -> bool:
    """A proper name ("the UN High-Level Conference of Heads ...", "25th Session of the
    Commission"), not a capitalised back-reference ("the Conference")."""
    tokens = ctx.tokens
    quoted_name = _quoted_name_after(ctx, end)
    if quoted_name:
        return True
    if not tokens[start].text[:1].isupper():
        return False
    if sentence_initial(ctx, start):  # "Operation Sea Lantern, which ran ..."
        following = tokens[end] if end < len(tokens) and tokens[end].soft_before else None
        return following is not None and following.text[:1].isupper()
    before = tokens[start - 1] if start > 0 and tokens[start].soft_before else None
    if before is not None and (before.text[:1].isupper() or before.text[:1].isdigit()):
        return not ctx.lexicon.has_word("same_event", before.text)
    after = tokens[end] if end < len(tokens) and tokens[end].soft_before else None
    return (
        after is not None
        and ctx.lexicon.has_word("name_connectors", after.text)
        and (end + 1 < len(tokens) and tokens[end + 1].text[:1].isupper())
    )


def _event_name(ctx: ArticleContext, start: int, end: int) -> str:
    """The trigger with the proper name that follows or precedes it, as a key."""
    tokens = ctx.tokens
    words = [t.key for t in tokens[start:end]]
    for k in range(end, min(end + 6, len(tokens))):
        if not _BREAKS.isdisjoint(ctx.text[tokens[k - 1].end : tokens[k].start]):
            break
        if tokens[k].text[:1].isupper() or tokens[k].text[:1].isdigit():
            words.append(tokens[k].key)
    k = start - 1
    while k >= 0 and tokens[k + 1].soft_before and tokens[k].text[:1].isupper():
        words.insert(0, tokens[k].key)
        k -= 1
    return " ".join(words)


def _quoted_name_after(ctx: ArticleContext, end: int) -> bool:
    """A quoted proper name right after the trigger: operação especial da CSTO "Mercenary"."""
    tokens = ctx.tokens
    for k in range(end, min(end + 4, len(tokens))):
        gap = ctx.text[tokens[k - 1].end : tokens[k].start]
        if not _QUOTES.isdisjoint(gap) and tokens[k].text[:1].isupper():
            return True
        if not _BREAKS.isdisjoint(gap):
            return False
    return False


def _bare(ctx: ArticleContext, start: int, end: int) -> bool:
    """The trigger right after its determiner and not followed by a complement."""
    if start == 0 or not ctx.lexicon.has_word("same_event", ctx.tokens[start - 1].text):
        return False
    if end < len(ctx.tokens) and ctx.tokens[end].soft_before:
        return not ctx.lexicon.has_word("name_connectors", ctx.tokens[end].text)
    return True


def _listed_plural(ctx: ArticleContext, start: int, end: int) -> bool:
    """A plural trigger counts only when the lexicon lists that very form ("talks",
    "bilateral meetings"), not when a singular's stem happens to match."""
    return fold(ctx.span(start, end).text) in ctx.lexicon.surfaces["events"]


def _same_date(event: EventHit, date: DateSpan) -> bool:
    return event.date is not None and event.date.begin == date.begin


def _in_lead(ctx: ArticleContext, sentence: int) -> bool:
    return sentence < LEAD_SENTENCES or ctx.sentences[sentence][0] < 400


def _enrich(
    ctx: ArticleContext,
    event: EventHit,
    sentence: int,
    dates: list[DateSpan],
    quoted: list[tuple[int, int]],
) -> None:
    """Date, place, organizers and participants from the event's sentence; mentions
    inside `quoted` (the article's quoted_spans) do not count."""
    low, high = ctx.sentences[sentence]
    if event.date is None and dates:
        trigger = event.trigger.start
        after = [d for d in dates if d.start >= trigger]
        event.date = (after or dates)[0]
    organizers_from = _cue_position(ctx, low, high, "organized_by")
    for hit in ctx.entities.values():
        if hit.category not in NAMED_AT_EVENTS:
            continue
        inside = [
            m for m in hit.mentions
            if low <= m.start < high and not any(a <= m.start < b for a, b in quoted)
        ]  # fmt: skip
        if not inside:
            continue
        if hit.category == "place" or (
            hit.category == "state" and "place" in hit.roles and "actor" not in hit.roles
        ):
            if event.place is None and any(_located(ctx, m) for m in inside):
                event.place = hit.iri
            continue
        organizing = organizers_from is not None and any(m.start >= organizers_from for m in inside)
        if organizing and hit.iri not in event.organizers and len(event.organizers) < 3:
            event.organizers.append(hit.iri)
            continue
        if hit.iri not in event.participants and hit.iri not in event.organizers:
            event.participants.append(hit.iri)


def _located(ctx: ArticleContext, mention: Span) -> bool:
    """A place mention after a locative preposition ("in Dushanbe", "à Moscou")."""
    before = ctx.text[max(0, mention.start - 12) : mention.start].split()
    return bool(before) and ctx.lexicon.has_word("locatives", before[-1])


def _cue_position(ctx: ArticleContext, low: int, high: int, cue: str) -> int | None:
    """Where the first `cue` phrase of the character range ends."""
    starts = ctx.token_starts
    found = ctx.cues(cue, bisect.bisect_left(starts, low), bisect.bisect_left(starts, high))
    return ctx.tokens[found[0][1] - 1].end if found else None
