"""Instruments an article reports: an authority instrument the gazetteer found, or a
trigger phrase ("memorandum of understanding", "protocole d'accord", "декларация").
Its parties are the organizations of the persons who signed it, else the organizations
named in its sentence; an instrument between parties the authorities already know an
instrument between is that one. A later mention of the same kind refers back, unless
it names other parties or is introduced as new ("a memorandum")."""

from __future__ import annotations

import bisect

from ctld.core.identifiers import article_slug, instance_iri
from ctld.core.namespaces import CTLD
from ctld.extract.context import ArticleContext
from ctld.extract.dates import PartialDate
from ctld.extract.finders.phrases import (
    ACTORS,
    covered_by,
    dates_in,
    determiner_of,
    headline_end,
    not_triggers,
    plural,
    sentence_initial,
    tokens_between,
)
from ctld.extract.hits import AgreementHit, PostHit
from ctld.extract.spans import Span

INSTRUMENT_CLASSES = {
    "mou": "MemorandumOfUnderstanding",
    "cooperation-arrangement": "CooperationArrangement",
    "agreement": "Agreement",
    "declaration": "Declaration",
    "strategy": "Strategy",
    "convention": "Convention",
}
# Instruments known by a proper name only count when written as one ("the Dushanbe
# Declaration", "Estrategia Nacional"), not as a common noun ("effective strategies").


NAMED_ONLY = {"declaration", "strategy", "convention"}


AGREEMENT_FAMILY = ("MemorandumOfUnderstanding", "CooperationArrangement", "Agreement")


def find_agreements(ctx: ArticleContext, posts: list[PostHit]) -> list[AgreementHit]:
    found: list[AgreementHit] = []
    by_iri: dict[str, AgreementHit] = {}
    for hit in ctx.entities.values():
        if hit.category == "instrument":
            kind = _most_specific(hit.types)
            record = ctx.authorities.instruments.get(hit.iri)
            agreement = AgreementHit(hit.iri, kind, hit.label, list(hit.mentions))
            if record is not None:
                agreement.parties = list(record.parties)
                agreement.date = _lexical_date(record.date)
            if kind not in AGREEMENT_FAMILY:
                for party in _actors_within(ctx, hit.mentions):
                    if party not in agreement.parties:
                        agreement.parties.append(party)
            by_iri[hit.iri] = agreement
            found.append(agreement)
    inside = covered_by(ctx, ("instrument",)) | not_triggers(ctx)
    headline = headline_end(ctx)
    triggers = ctx.cues("instruments")
    # the headline restates the lead: read it last, so it joins the body's instruments
    triggers = [t for t in triggers if ctx.tokens[t[0]].start >= headline] + [
        t for t in triggers if ctx.tokens[t[0]].start < headline
    ]
    counter = 0
    for start, end, label in triggers:
        if start in inside or not _named_enough(ctx, start, end, label):
            continue
        span = ctx.span(start, end)
        kind = INSTRUMENT_CLASSES[label]
        sentence = ctx.sentence_of(span.start)
        parties, signatories = _parties(ctx, sentence, posts)
        if kind not in AGREEMENT_FAMILY:
            parties, signatories = [], []
        in_headline = span.start < headline
        fresh = not in_headline and (
            determiner_of(ctx, start) == "new" or _title(ctx, start, end) != span.text
        )
        target = _same_parties(found, kind, parties) if fresh else _corefer(found, kind, parties)
        if target is None:
            known = ctx.authorities.instrument_between(str(CTLD[kind]), parties)
            if known is not None and known in by_iri:
                target = by_iri[known]
            elif known is not None:
                entity = ctx.authorities.gazetteer.entities[known]
                target = AgreementHit(known, kind, entity.label("en"))
                record = ctx.authorities.instruments[known]
                target.parties, target.date = list(record.parties), _lexical_date(record.date)
                by_iri[known] = target
                found.append(target)
            else:
                counter += 1
                slug = f"{article_slug(ctx.article.id).replace('_', '-')}-{counter}"
                target = AgreementHit(
                    instance_iri("instrument", slug), kind, _title(ctx, start, end), candidate=True
                )
                found.append(target)
        title = _title(ctx, start, end)
        named = ctx.text.find(title, max(0, span.start - len(title)))
        target.mentions.append(Span(named, named + len(title), title) if named >= 0 else span)
        target.evidence.append(ctx.sentence_span(sentence))
        for party in parties if target.candidate else ():  # the authorities know theirs
            if party not in target.parties:
                target.parties.append(party)
        for person in signatories:
            if person not in target.signatories:
                target.signatories.append(person)
        if target.date is None:
            dates = dates_in(ctx, sentence)
            if dates:
                target.date = dates[0].begin
    return found


def _lexical_date(lexical: str | None) -> PartialDate | None:
    """ctld:adoptionDate of an authority instrument, as a PartialDate."""
    if not lexical:
        return None
    parts = lexical.split("-")
    try:
        numbers = [int(p) for p in parts]
    except ValueError:
        return None
    return PartialDate(*(numbers + [None] * (3 - len(numbers)))[:3])


def _actors_within(ctx: ArticleContext, mentions: list[Span]) -> list[str]:
    """Organizations named inside an instrument's own name ("declaração conjunta dos
    Ministros ... da CSTO"): the bodies that made it."""
    found = []
    for hit in ctx.entities.values():
        if hit.category not in ACTORS:
            continue
        for mention in mentions:
            if any(mention.start <= m.start and m.end <= mention.end for m in hit.mentions):
                found.append(hit.iri)
                break
    return found


def _most_specific(types: tuple[str, ...]) -> str:
    local = [t.rsplit("#", 1)[-1] for t in types if t.startswith(str(CTLD))]
    order = ["MemorandumOfUnderstanding", "CooperationArrangement", "Declaration", "Strategy",
             "Convention", "Agreement", "Instrument"]  # fmt: skip
    for name in order:
        if name in local:
            return name
    return "Instrument"


def _named_enough(ctx: ArticleContext, start: int, end: int, label: str) -> bool:
    if label not in NAMED_ONLY:
        return not plural(ctx.tokens[start], ctx) or label == "mou"
    first = ctx.tokens[start]
    if first.text[:1].isupper() and not sentence_initial(ctx, start):
        return True
    if start > 0 and first.soft_before:
        previous = ctx.tokens[start - 1]
        if previous.text[:1].isupper() and not sentence_initial(ctx, start - 1):
            return True
    return False


def _title(ctx: ArticleContext, start: int, end: int) -> str:
    """The trigger with the proper name around it ("Declaración de Asunción")."""
    tokens = ctx.tokens
    first, last = start, end
    while first > 0 and _joined(ctx, first) and tokens[first - 1].text[:1].isupper():
        if sentence_initial(ctx, first - 1):
            break
        first -= 1
    k = last
    while k < len(tokens) and _joined(ctx, k) and k - last < 5:
        word = tokens[k].text
        if word[:1].isupper():
            last = k + 1
        elif not ctx.lexicon.has_word("name_connectors", word):
            break
        k += 1
    return ctx.span(first, last).text


def _joined(ctx: ArticleContext, k: int) -> bool:
    """Token k continues the phrase of token k-1: a soft gap that is not a full stop."""
    token = ctx.tokens[k]
    return token.soft_before and ". " not in ctx.text[ctx.tokens[k - 1].end : token.start] + " "


def _same_parties(found: list[AgreementHit], kind: str, parties: list[str]) -> AgreementHit | None:
    """An article rarely reports two instruments of one kind between the same parties."""
    if not parties:
        return None
    for agreement in found:
        if agreement.kind == kind and set(agreement.parties) == set(parties):
            return agreement
    return None


def _corefer(found: list[AgreementHit], kind: str, parties: list[str]) -> AgreementHit | None:
    """A later mention of an instrument of the same kind is the same one, unless it names
    different parties; a bare "agreement" refers to the latest agreement of any kind."""
    for agreement in reversed(found):
        same_kind = agreement.kind == kind or (
            kind == "Agreement"
            and agreement.kind
            in ("MemorandumOfUnderstanding", "CooperationArrangement", "Agreement")
        )
        if not same_kind:
            continue
        if parties and agreement.parties and not set(parties) & set(agreement.parties):
            continue
        return agreement
    return None


def _parties(
    ctx: ArticleContext, sentence: int, posts: list[PostHit]
) -> tuple[list[str], list[str]]:
    low, high = ctx.sentences[sentence]
    first = bisect.bisect_left(ctx.token_starts, low)
    signed = ctx.cues("signed", first, bisect.bisect_left(ctx.token_starts, high))
    if not signed and not _between(ctx, low, high):
        actors = _actors_in(ctx, low, high)
        return actors, []
    signatories = [
        hit.iri
        for hit in ctx.entities.values()
        if hit.category == "person" and any(low <= m.start < high for m in hit.mentions)
    ]
    parties = []
    for post in posts:
        post_signed = post.person in signatories and low <= post.evidence.start < high
        if post_signed and post.organization and post.organization not in parties:
            parties.append(post.organization)
    if not parties:
        parties = _actors_in(ctx, low, high)
    return parties, [s for s in signatories if any(p.person == s for p in posts)] or signatories


def _between(ctx: ArticleContext, low: int, high: int) -> bool:
    words = {"between", "entre", "между"}
    return any(t.text.lower() in words for t in tokens_between(ctx, low, high))


def _actors_in(ctx: ArticleContext, low: int, high: int) -> list[str]:
    """The actors named between characters low and high, in the order of their first
    mention in the article (found first, then sorted: a sentence names few of them)."""
    found = [
        hit
        for hit in ctx.entities.values()
        if hit.category in ACTORS
        and not (hit.category == "state" and "actor" not in hit.roles)
        and any(low <= m.start < high for m in hit.mentions)
    ]
    found.sort(key=lambda h: min(m.start for m in h.mentions))
    return [hit.iri for hit in found]
