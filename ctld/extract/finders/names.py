"""Persons and organizations named in an article beyond the gazetteer's exact labels.

- A known person named again by family name ("Mr. Voronkov", "Voronkov") is linked.
- A name after an honorific ("Ms. Svetlana Martynova") or next to a role ("Director of
  SEPRELAD, Juan Pérez"; "директор АТЦ СНГ Иван Петров") that the authorities do not know
  becomes a candidate person.
- "Long Name (ACRONYM)" and capitalised phrases headed by an organization noun
  ("Ministry of the Interior") that the authorities do not know become candidate
  organizations, with their later acronym mentions.
Candidates get IRIs from their names (stable across articles) and are marked as such.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from ctld.core.identifiers import instance_iri, slugify
from ctld.core.namespaces import CTLD
from ctld.extract.context import ArticleContext
from ctld.extract.gazetteer import Entity, family_names
from ctld.extract.hits import EntityHit
from ctld.extract.spans import Span
from ctld.extract.tokens import Token, is_acronym

MAX_NAME = 4
CONJUNCTIONS = {"and", "or", "et", "ou", "e", "y", "o", "и", "или", "und"}


def covered(ctx: ArticleContext) -> set[int]:
    taken: set[int] = set()
    for match, _ in ctx.matches:
        taken.update(range(match.start, match.end))
    return taken


def is_name_token(token: Token) -> bool:
    text = token.text
    return text[:1].isupper() and any(c.islower() for c in text) and not text.isdigit()


def find_people(ctx: ArticleContext) -> None:
    taken = covered(ctx)
    aliases = _family_names(
        ctx.authorities.gazetteer.entities.get(h.iri)
        for h in ctx.entities.values()
        if h.category == "person"
    )
    known = ctx.authorities.family_names
    tokens = ctx.tokens
    # A mention starts at a family name already found, or at an honorific ("Mr", or a
    # capital letter, the "H" of "H.E."): the only words _honorific_at counts from (and
    # only below eight letters). Visit those tokens only, in order, rather than every
    # word of the text.
    has_word = ctx.lexicon.has_word
    visits = [
        i
        for i, token in enumerate(tokens)
        if i not in taken
        and (
            token.text in aliases
            or (len(token.text) == 1 and token.text.isupper())
            or (len(token.text) < 8 and has_word("honorifics", token.text))
        )
    ]
    free = 0  # the first token after the last name found
    for i in visits:
        if i < free or i in taken:
            continue
        word = tokens[i].text
        honorific = _honorific_at(ctx, i) if len(word) < 8 else 0
        if not honorific:
            person = aliases.get(word)
            if person and is_name_token(tokens[i]):
                _mention(ctx, person, ctx.span(i, i + 1))
                taken.add(i)
            continue
        start = i + honorific
        run = _name_run(ctx, start, taken)
        if run:
            last = tokens[start + run - 1]
            person = aliases.get(last.text) or known.get(last.text)
            span = ctx.span(i, start + run)
            if person and run <= 2:
                _mention(ctx, person, span)
            else:
                _candidate_person(ctx, start, start + run, span)
            taken.update(range(i, start + run))
            free = start + run
    _names_next_to_roles(ctx, taken)
    _merge_surnames(ctx)
    _surname_mentions(ctx, taken)


def _merge_surnames(ctx: ArticleContext) -> None:
    """ "Mr. Njoroge" (a one-word candidate) is "Mr. Peter Kamau Njoroge" of the same
    article when exactly one longer name there ends with that word."""
    people = [h for h in ctx.entities.values() if h.category == "person"]
    for short in [h for h in people if h.candidate and len(h.label.split()) == 1]:
        longer = [h for h in people if h is not short and _ends_with(h, short.label)]
        if len(longer) == 1:
            for mention in short.mentions:
                longer[0].add(mention)
            del ctx.entities[short.iri]


def _ends_with(hit: EntityHit, word: str) -> bool:
    names = [hit.label, *(m.text for m in hit.mentions)]
    return any(len(n.split()) > 1 and n.split()[-1] == word for n in names)


def _surname_mentions(ctx: ArticleContext, taken: set[int]) -> None:
    """Later mentions by family name alone ("Rojas recordó", "По словам Петрова") of a
    candidate found with a full name: the last word, or in Spanish and Portuguese any
    word after the given name, compared by stem so that Russian cases match."""
    keys: dict[str, set[str]] = {}
    for hit in ctx.entities.values():
        if hit.category != "person" or not hit.candidate:
            continue
        words = hit.label.split()
        for word in words[1:] if len(words) > 1 else []:
            if len(word) >= 3 and word[:1].isupper():
                keys.setdefault(ctx.keys.key(word), set()).add(hit.iri)
    if not keys:
        return
    mentioned = _mentioned_tokens(ctx)
    for i, token in enumerate(ctx.tokens):
        owners = keys.get(token.key)
        if i in taken or i in mentioned or not owners or len(owners) != 1:
            continue
        if not is_name_token(token):
            continue
        ctx.entities[next(iter(owners))].add(ctx.span(i, i + 1))
        taken.add(i)


def _mentioned_tokens(ctx: ArticleContext) -> set[int]:
    """Indexes of the tokens inside any mention found so far."""
    starts = ctx.token_starts
    found: set[int] = set()
    for hit in ctx.entities.values():
        for mention in hit.mentions:
            low = bisect.bisect_left(starts, mention.start)
            found.update(range(low, bisect.bisect_left(starts, mention.end)))
    return found


def _family_names(people: Iterable[Entity | None]) -> dict[str, str]:
    """Family name -> person, of the persons already found in the article; a name
    shared by two of them is dropped as ambiguous."""
    return family_names(p for p in people if p is not None)


def _honorific_at(ctx: ArticleContext, i: int) -> int:
    """Number of honorific tokens at i ("Mr", "H.E. Mr" counts 3: H, E, Mr)."""
    n = 0
    tokens = ctx.tokens
    while i + n < len(tokens) and n < 4:
        token = tokens[i + n]
        word = token.text
        if ctx.lexicon.has_word("honorifics", word):
            n += 1
            continue
        if n < 3 and i + n + 1 < len(tokens) and len(word) == 1 and word.isupper():
            pair = word + "." + tokens[i + n + 1].text
            if ctx.lexicon.has_word("honorifics", pair):
                n += 2
                continue
        break
    return n


def _name_run(ctx: ArticleContext, i: int, taken: set[int]) -> int:
    tokens = ctx.tokens
    n = 0
    while i + n < len(tokens) and n < MAX_NAME and (i + n) not in taken:
        token = tokens[i + n]
        if n and not token.soft_before:
            break
        if not is_name_token(token):
            break
        n += 1
    return n


def _mention(ctx: ArticleContext, iri: str, span: Span) -> None:
    hit = ctx.entities.get(iri)
    if hit is None:
        entity = ctx.authorities.gazetteer.entities[iri]
        hit = ctx.hit(entity, span)
    else:
        hit.add(span)


def _candidate_person(ctx: ArticleContext, first: int, last: int, mention: Span) -> EntityHit:
    name = ctx.span(first, last).text
    iri = instance_iri("person", slugify(name))
    hit = ctx.entities.get(iri)
    if hit is None:
        known = iri in ctx.authorities.iris
        hit = EntityHit(iri, "person", name, (str(CTLD.Person),), candidate=not known)
        ctx.entities[iri] = hit
    hit.add(mention)
    return hit


def _names_next_to_roles(ctx: ArticleContext, taken: set[int]) -> None:
    """Runs of two to four capitalised words that read as a person's name by where they
    stand: right after a role ("Under-Secretary-General Vladimir Voronkov", "директор
    Иван Петров"), after a role and a comma ("the Minister of the Interior, Juan Pérez"),
    before a comma and a role ("Valérie Mercier, INTERPOL's Director"), or next to a
    verb of saying ("said Valérie Mercier"). A run inside a longer name ("Ministry of
    Internal Security") or heading one ("Border Security Unit") is not a person."""
    anchors = _role_anchors(ctx, taken)
    starts = {a for a, _ in anchors}
    ends = {b for _, b in anchors}
    said = ctx.cue_tokens("said")
    for first, last in _name_runs(ctx, taken):
        if _inside_longer_name(ctx, first, last):
            continue
        if (
            _role_before(ctx, first, ends, taken)
            or _role_after(ctx, last, starts, taken)
            or (said & {first - 1, last} and not _after_connector(ctx, first))
            or _russian_surname(ctx, last - 1)
        ):
            _candidate_person(ctx, first, last, ctx.span(first, last))
            taken.update(range(first, last))


def _after_connector(ctx: ArticleContext, first: int) -> bool:
    """ "the capacities of Member States": a name-like run after "of" is an object."""
    return first > 0 and _connector(ctx, ctx.tokens[first - 1])


def _role_anchors(ctx: ArticleContext, taken: set[int]) -> list[tuple[int, int]]:
    anchors = [(m.start, m.end) for m, e in ctx.matches if e.category in ("role", "post")]
    anchors += [(start, end) for start, end, _ in ctx.cues("roles")]
    return anchors


def _name_runs(ctx: ArticleContext, taken: set[int]) -> list[tuple[int, int]]:
    """Maximal runs of capitalised words (name particles such as "de" allowed inside)."""
    tokens = ctx.tokens
    runs = []
    free = 0  # the first token after the last run
    for i in [k for k, token in enumerate(tokens) if k not in taken and is_name_token(token)]:
        if i < free:
            continue
        j = i + 1
        last = i + 1
        while j < len(tokens) and j not in taken and tokens[j].soft_before and j - i < 6:
            if is_name_token(tokens[j]):
                last = j + 1
            elif not ctx.lexicon.has_word("name_particles", tokens[j].text):
                break
            j += 1
        if 2 <= last - i <= MAX_NAME + 1:
            runs.append((i, last))
        free = max(last, i + 1)
    return runs


def _inside_longer_name(ctx: ArticleContext, first: int, last: int) -> bool:
    tokens = ctx.tokens
    connected = first >= 2 and tokens[first].soft_before and _connector(ctx, tokens[first - 1])
    if connected and tokens[first - 2].text[:1].isupper():
        return True
    inner = any(ctx.cue_at("org_heads", k) for k in range(first, last))
    after = last < len(tokens) and tokens[last].soft_before and ctx.cue_at("org_heads", last)
    return bool(inner or after)


def _role_before(ctx: ArticleContext, first: int, ends: set[int], taken: set[int]) -> bool:
    """A role phrase earlier in the same clause: right before the name ("директор
    Иван Петров"), before the name's organization ("эксперт ОБСЕ Марта Ковальска",
    "заместителем директора ФСБ России Олегом Гавриловым"), or before a comma that
    opens the name ("el director de la UIAF de Colombia, Andrés Felipe Rojas Mejía")."""
    tokens = ctx.tokens
    lowercase = 0
    k = first - 1
    while k >= 0 and first - k <= 16:
        gap = ctx.text[tokens[k].end : tokens[k + 1].start]
        if any(c in gap for c in '.;:!?"“”«»\n') or ("," in gap and k + 1 != first):
            return False
        if k + 1 in ends:
            return True
        word = tokens[k].text
        if not (k in taken or word[:1].isupper() or _connector(ctx, tokens[k])):
            lowercase += 1
            if lowercase > 2:
                return False
        k -= 1
    return False


def _role_after(ctx: ArticleContext, last: int, starts: set[int], taken: set[int]) -> bool:
    tokens = ctx.tokens
    if last >= len(tokens) or "," not in ctx.text[tokens[last - 1].end : tokens[last].start]:
        return False
    for k in range(last, min(last + 5, len(tokens))):
        if k in starts:
            return True
        if not (k in taken or _connector(ctx, tokens[k]) or tokens[k].text in ("s",)):
            return False
    return False


def _russian_surname(ctx: ArticleContext, k: int) -> bool:
    """Russian family names carry their gender and case in a few endings (Петров,
    Петрова, Петровым, Сидоренко, Бортников): with a capitalised given name before
    them, that is a person."""
    word = ctx.tokens[k].text.lower()
    endings = (
        "ов", "ев", "ёв", "ин", "ын", "ова", "ева", "ина", "ына", "овым", "евым",
        "иным", "ову", "еву", "ину", "ского", "ский", "ская", "енко", "ук", "юк",
    )  # fmt: skip
    return ctx.article.language in ("ru", "uk", "be") and word.endswith(endings)


def _connector(ctx: ArticleContext, token: Token) -> bool:
    return ctx.lexicon.has_word("name_connectors", token.text) or token.text in {"the"}


def _is_sentence_start(ctx: ArticleContext, i: int) -> bool:
    index = ctx.sentence_of(ctx.tokens[i].start)
    return ctx.sentences[index][0] >= ctx.tokens[i].start - 2


def find_candidate_organizations(ctx: ArticleContext) -> None:
    taken = covered(ctx)
    taken |= _mentioned_tokens(ctx)
    tokens = ctx.tokens
    acronyms: dict[str, str] = {}
    iri: str | None  # a token looked up in `acronyms` at the end may name none
    free = 0  # the first token after the last name found
    # a name has an organization noun at its head: visit those, in token order
    for i, (end, _) in ctx.cue_hits("org_heads").items():
        if i < free or i in taken:
            continue
        if not tokens[i].text[:1].isupper() or _plural_word(ctx, tokens[end - 1].text):
            continue
        first = _extend_left(ctx, i, taken)
        last = _extend_right(ctx, end, taken)
        if last - first < 2:
            continue
        name = ctx.span(first, last)
        iri = instance_iri("organization", slugify(name.text))
        entity_hit = ctx.entities.get(iri)
        if entity_hit is None:
            entity_hit = EntityHit(iri, "organization", name.text, (str(CTLD.Organization),),
                                   candidate=iri not in ctx.authorities.iris)  # fmt: skip
            ctx.entities[iri] = entity_hit
        entity_hit.add(name)
        acronym = _acronym_after(ctx, last, taken)
        if acronym is not None:
            acronyms[acronym] = iri
        taken.update(range(first, last))
        free = last
    if acronyms:
        for j, token in enumerate(tokens):
            iri = acronyms.get(token.text)
            if iri is not None and j not in taken:
                ctx.entities[iri].add(ctx.span(j, j + 1))


def _plural_word(ctx: ArticleContext, word: str) -> bool:
    if ctx.article.language in ("ru", "uk", "be", "bg", "ar"):
        return False
    lowered = word.lower()
    return lowered.endswith("s") and not lowered.endswith(("ss", "us", "is", "os"))


def _extend_left(ctx: ArticleContext, i: int, taken: set[int]) -> int:
    tokens = ctx.tokens
    first = i
    while first > 0 and tokens[first].soft_before and (first - 1) not in taken:
        previous = tokens[first - 1]
        if not is_name_token(previous) or _is_sentence_start(ctx, first - 1):
            break
        if ctx.lexicon.has_word("same_event", previous.text) or ctx.lexicon.has_word(
            "new_event", previous.text
        ):
            break  # an article ("Le Bureau") is not part of the name
        first -= 1
    return first


def _extend_right(ctx: ArticleContext, j: int, taken: set[int]) -> int:
    """Capitalised words and connectors after the head noun; for languages that
    capitalise only a name's first word (Russian), lower-case words too, up to five."""
    tokens = ctx.tokens
    lower_case_names = ctx.article.language in ("ru", "uk", "be", "bg")
    last = j
    pending = 0
    while last + pending < len(tokens) and pending < 3:
        k = last + pending
        token = tokens[k]
        if not token.soft_before or (k in taken and not _inner_match(ctx, k)):
            break
        conjunction = token.text.casefold() in CONJUNCTIONS
        if conjunction and k + 1 < len(tokens) and _starts_new_phrase(ctx, k + 1, taken):
            break  # "Policía Nacional y la DGSN": two bodies, not one
        connector = _connector(ctx, token) or conjunction
        lower_word = lower_case_names and k - j < 5 and token.text.isalpha() and not connector
        if is_name_token(token) or is_acronym(token.text) or lower_word:
            last = k + 1
            pending = 0
        elif connector:
            pending += 1
        else:
            break
    return last


def _inner_match(ctx: ArticleContext, k: int) -> bool:
    """Known names that may stand inside an organization's name: a state ("Unidad de
    Información Financiera del Perú") or a topic ("... de Lavagem de Dinheiro ...")."""
    for match, entity in ctx.matches:
        if match.start <= k < match.end:
            return entity.category in ("state", "topic")
    return False


def _starts_new_phrase(ctx: ArticleContext, k: int, taken: set[int]) -> bool:
    word = ctx.tokens[k].text
    determiner = ctx.lexicon.has_word("same_event", word) or ctx.lexicon.has_word("new_event", word)
    return determiner or k in taken or is_acronym(word)


def _acronym_after(ctx: ArticleContext, last: int, taken: set[int]) -> str | None:
    tokens = ctx.tokens
    if last >= len(tokens) or last in taken:
        return None
    token = tokens[last]
    gap = ctx.text[tokens[last - 1].end : token.start]
    closing = ctx.text[token.end : token.end + 1]
    if (
        gap.strip() == "("
        and closing == ")"
        and token.text.isupper()
        and 2 <= len(token.text) <= 12
    ):
        return token.text
    return None
