"""Posts as stated: "X, Director of Y", "Y Executive Director X", "директор Y X".

A role (an authority ctld:Role, a post label, or a role noun from the lexicon) next to
an organization and a person becomes a tenure (ctld:Membership) of a post. The post is
the authorities' one when they have it, else one minted from organization and role.
"""

from __future__ import annotations

import bisect

from ctld.core.identifiers import instance_iri, slugify
from ctld.extract.context import ArticleContext
from ctld.extract.hits import PostHit
from ctld.extract.spans import Span

ACTORS = ("organization", "state")
REACH = 4  # tokens between a role and its organization or person
CONJUNCTIONS = {"and", "or", "et", "ou", "e", "y", "o", "и", "или", "und"}


def find_posts(ctx: ArticleContext) -> list[PostHit]:
    persons = _entity_tokens(ctx, ("person",))
    actors = _entity_tokens(ctx, ACTORS)
    ending_at = _ending_at(actors)
    anchors = _anchors(ctx)
    found: dict[str, PostHit] = {}
    claimed: set[str] = set()  # persons named before a role ("X, Director of Y")
    pending: list[tuple[PostHit, bool]] = []
    for start, end, role_iri, role_label, post_iri in anchors:
        found_org = _organization(ctx, start, end, actors, ending_at, post_iri)
        if found_org is None:
            continue
        organization, left = found_org
        person = _person(ctx, left, end, persons, actors)
        if person is None:
            continue
        person_iri, person_span, after_comma = person
        if post_iri is None:
            post_iri = ctx.authorities.post_for(organization, role_iri)
        minted = post_iri is None
        role_minted = role_iri is None
        if role_iri is None:  # a role noun from the lexicon, not an authority role
            role_iri = instance_iri("role", slugify(role_label.casefold()))
        if post_iri is None:
            org_slug = organization.rsplit("/", 1)[-1]
            post_iri = instance_iri("post", f"{org_slug}-{slugify(role_label)}")
        membership = ctx.authorities.memberships.get((person_iri, post_iri)) or instance_iri(
            "membership", f"{person_iri.rsplit('/', 1)[-1]}-{post_iri.rsplit('/', 1)[-1]}"
        )
        low = min(ctx.tokens[start].start, person_span.start)
        high = max(ctx.tokens[end - 1].end, person_span.end)
        evidence = Span(low, high, ctx.text[low:high])
        hit = PostHit(
            person_iri,
            organization,
            role_iri,
            role_label,
            post_iri,
            membership,
            evidence,
            minted,
            role_minted,
        )
        if person_span.start < ctx.tokens[start].start:
            claimed.add(person_iri)
        pending.append((hit, after_comma))
    # "the Minister of Y, Mr. X, Director of Z, said": X is the Director, not the Minister
    for hit, after_comma in pending:
        if after_comma and hit.person in claimed:
            continue
        found.setdefault(hit.membership, hit)
    return sorted(found.values(), key=lambda p: (p.evidence.start, p.membership))


def _entity_tokens(
    ctx: ArticleContext, categories: tuple[str, ...]
) -> dict[int, tuple[str, Span, int]]:
    """token index of a mention's first token -> (IRI, span, index after its last token),
    for the mentions that start and end on token boundaries."""
    tokens, starts = ctx.tokens, ctx.token_starts
    out: dict[int, tuple[str, Span, int]] = {}
    for hit in ctx.entities.values():
        if hit.category not in categories:
            continue
        for mention in hit.mentions:
            first = bisect.bisect_left(starts, mention.start)
            last = bisect.bisect_left(starts, mention.end) - 1  # the last token starting inside
            if (
                first < len(tokens)
                and starts[first] == mention.start
                and last >= 0
                and tokens[last].end == mention.end
            ):
                out[first] = (hit.iri, mention, last + 1)
    return out


def _ending_at(actors: dict[int, tuple[str, Span, int]]) -> dict[int, list[tuple[int, str]]]:
    """Index after a mention's last token -> (first token, IRI) of each mention ending
    there, in the order of `actors`: what stands right before a role, found without
    going through every mention for every role."""
    ending: dict[int, list[tuple[int, str]]] = {}
    for first, (iri, _, after) in actors.items():
        ending.setdefault(after, []).append((first, iri))
    return ending


def _anchors(ctx: ArticleContext) -> list[tuple[int, int, str | None, str, str | None]]:
    """(first token, end token, role IRI, role label, post IRI) of every role mention."""
    anchors: list[tuple[int, int, str | None, str, str | None]] = []
    covered: set[int] = set()
    for match, entity in ctx.matches:
        if entity.category == "post":
            post = ctx.authorities.posts.get(entity.iri)
            role = post.role if post else None
            label = _role_label(ctx, role) or entity.label("en")
            anchors.append((match.start, match.end, role, label, entity.iri))
            covered.update(range(match.start, match.end))
        elif entity.category == "role":
            anchors.append((match.start, match.end, entity.iri, entity.label("en"), None))
            covered.update(range(match.start, match.end))
    for start, end, _ in ctx.cues("roles"):
        if start not in covered:
            anchors.append((start, end, None, ctx.span(start, end).text, None))
    return sorted(anchors, key=lambda a: a[0])


def _role_label(ctx: ArticleContext, role: str | None) -> str | None:
    if role is None:
        return None
    entity = ctx.authorities.gazetteer.entities.get(role)
    return entity.label("en") if entity else None


def _organization(
    ctx: ArticleContext,
    start: int,
    end: int,
    actors: dict[int, tuple[str, Span, int]],
    ending_at: dict[int, list[tuple[int, str]]],
    post_iri: str | None,
) -> tuple[str, int] | None:
    """The post's organization, and where the whole "Y Director" phrase starts."""
    # organizations ending right before the role and joined to it ("Y Director")
    joined = ctx.tokens[start].soft_before
    before = [(f, iri) for f, iri in ending_at.get(start, ()) if f < start] if joined else []
    left = before[-1][0] if before else start
    if post_iri is not None:
        post = ctx.authorities.posts.get(post_iri)
        if post is not None and post.organization:
            return post.organization, left
    # "Director of [the] Y": the first organization within reach after the role
    for k in range(end, min(end + REACH, len(ctx.tokens))):
        if k > end and not ctx.tokens[k].soft_before:
            break
        if k in actors:
            return actors[k][0], left
        if not ctx.lexicon.has_word("name_connectors", ctx.tokens[k].text):
            break
    # "Y Director": an organization ending right before the role
    if before:
        first, iri = before[0]
        return iri, first
    # the organization a post label itself names ("Director of Rosfinmonitoring")
    for first, (iri, _, after) in actors.items():
        if start <= first and after <= end:
            return iri, left
    return None


def _person(
    ctx: ArticleContext,
    start: int,
    end: int,
    persons: dict[int, tuple[str, Span, int]],
    actors: dict[int, tuple[str, Span, int]],
) -> tuple[str, Span, bool] | None:
    """The person the role belongs to, and whether they follow it after a comma."""
    tokens = ctx.tokens
    # before: "X, Director of Y" or "X Director" (the usual apposition comes first)
    for iri, span, after in persons.values():
        if (after == start and tokens[start].soft_before) or (
            after <= start and _only_comma_between(ctx, span, after, start)
        ):
            return iri, span, False
    # after: skip the organization and connectors, then the person ("..., X" or "Y X");
    # a conjunction ("Y, et X") introduces someone else
    k = end
    steps = 0
    while k < len(tokens) and steps <= REACH + 6:
        word = tokens[k].text
        if k in persons:
            if _gap_ok(ctx, k):
                between = ctx.text[tokens[end - 1].end : persons[k][1].start]
                return persons[k][0], persons[k][1], "," in between
            break
        if k in actors:
            k = actors[k][2]
            steps += 1
            continue
        if word.casefold() in CONJUNCTIONS:
            break
        if ctx.lexicon.has_word("name_connectors", word) or ctx.lexicon.has_word(
            "honorifics", word
        ):
            k += 1
            steps += 1
            continue
        break
    return None


def _gap_ok(ctx: ArticleContext, k: int) -> bool:
    gap = ctx.text[ctx.tokens[k - 1].end : ctx.tokens[k].start]
    return all(c in " ,\u00a0.\t" for c in gap)


def _only_comma_between(ctx: ArticleContext, person: Span, after: int, start: int) -> bool:
    """ "X, Director": a comma, then at most a connector or an honorific, then the role."""
    if start - after > 2:
        return False
    gap = ctx.text[person.end : ctx.tokens[start].start]
    words = [t.text for t in ctx.tokens[after:start]]
    return gap.strip(" \u00a0").startswith(",") and all(
        ctx.lexicon.has_word("name_connectors", w) or ctx.lexicon.has_word("honorifics", w)
        for w in words
    )
