"""Hash joins for large basic graph patterns, where pyoxigraph would join by nested loops.

pyoxigraph joins the triple patterns of a basic graph pattern by nested loops: for each
solution so far it looks the next pattern up with the variables bound. That is right
when the solutions are few, and slow when they are many and the lookups land on hubs:
the in-memory store finds `?p skos:prefLabel ?l` for a bound ?p by walking every triple
of ?p, and an organisation taking part in a thousand events is the subject of hundreds
(three quarters of them materialised inverses). At 1M triples the join
`?e a ctld:Event ; ctld:participant ?p . ?p skos:prefLabel ?l` (52,370 rows) is counted
in 93 ms by loops and 22 ms by hashing.

pyoxigraph hashes where a side of a join is a sub-SELECT, so the planner writes such a
pattern as one `{ SELECT * WHERE { ... } }` per star (the triples that share a subject).
No answer changes: a basic graph pattern is the join of its parts, join is associative
and commutative, `SELECT *` keeps every variable in scope and FILTERs still apply to
the whole group; only the order of the rows may change, which SPARQL leaves open
without ORDER BY. The cost does change: a hash join reads each star whole, so it pays
only when every star is large. The planner counts each star's solutions on the store,
up to a cap, and rewrites only when the smallest has at least `threshold` rows and the
largest at most `spread` times as many; the decision is kept per query text, since the
store never changes while it is served.

What it rewrites is deliberately narrow, so that the answer is the same multiset of rows:
a SELECT reading the default graph, whose WHERE group holds only triple patterns of
IRIs, prefixed names, variables and literals, and FILTERs; with no LIMIT or OFFSET (which
rows they keep depends on the order) and no GROUP_CONCAT or SAMPLE (their values do).
Anything else, and any query pyoxigraph cannot parse, runs exactly as it was sent.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import pyoxigraph as ox

from ctld.query.querytext import FORMS, SparqlToken, tokens


@dataclass(frozen=True)
class Split:
    """A SELECT whose WHERE group can be written as a join of star sub-SELECTs."""

    prologue: str  # PREFIX and BASE declarations: the stars' probes need them
    head: str  # the text up to and including the '{' that opens the WHERE group
    tail: str  # the text from the '}' that closes it
    stars: tuple[tuple[str, ...], ...]  # each star's triple patterns, as written
    filters: tuple[str, ...]

    def rewritten(self) -> str:
        groups = " ".join(f"{{ SELECT * WHERE {{ {' . '.join(star)} }} }}" for star in self.stars)
        return f"{self.head} {groups} {' '.join(self.filters)} {self.tail}"

    def probe(self, index: int, cap: int) -> str:
        """A query counting star `index`'s solutions, at most `cap` of them."""
        star = " . ".join(self.stars[index])
        name = "ctld_rows"
        while f"?{name}" in star or f"${name}" in star:
            name += "_"
        return (f"{self.prologue} SELECT (COUNT(*) AS ?{name}) WHERE {{ "
                f"{{ SELECT * WHERE {{ {star} }} LIMIT {cap} }} }}")  # fmt: skip


def split(text: str) -> Split | None:
    """The query's stars, when its shape is one the planner may rewrite; else None.

    Reads tokens, so it may accept a query that is not valid SPARQL: the planner
    rewrites only what pyoxigraph has parsed first.
    """
    found = list(tokens(text))
    opening = _where_group(found)
    if opening is None:
        return None
    select, start = opening
    end = next((i for i in range(start + 1, len(found)) if found[i].text in ("{", "}")), None)
    if end is None or found[end].text != "}":
        return None  # a nested group: OPTIONAL, UNION, GRAPH, a sub-SELECT...
    if {t.keyword for t in found[end + 1 :]} & {"LIMIT", "OFFSET"}:
        # which rows a LIMIT keeps depends on their order (ties under ORDER BY too), and
        # pyoxigraph stops a loop early where a hash join would read everything first
        return None
    if {t.keyword for t in found} & {"GROUP_CONCAT", "SAMPLE"}:
        return None  # their values depend on the order of the rows
    parsed = _patterns(text, found[start + 1 : end])
    if parsed is None:
        return None
    patterns, filters = parsed
    stars: dict[str, list[tuple[str, frozenset[str]]]] = {}
    for subject, pattern, variables in patterns:
        stars.setdefault(subject, []).append((pattern, variables))
    joined = [frozenset().union(*(v for _, v in star)) for star in stars.values()]
    if len(stars) < 2 or not _connected(joined):
        return None
    return Split(
        prologue=text[: found[select].start],
        head=text[: found[start].start + 1],
        tail=text[found[end].start :],
        stars=tuple(tuple(p for p, _ in star) for star in stars.values()),
        filters=tuple(filters),
    )


def _where_group(found: list[SparqlToken]) -> tuple[int, int] | None:
    """Indexes of the SELECT keyword and of the '{' opening its WHERE group."""
    select = None
    parens = 0
    for i, token in enumerate(found):
        if select is None:
            if token.keyword in FORMS:
                if token.keyword != "SELECT":
                    return None
                select = i
            elif token.text in ("{", "}"):
                return None
        elif token.text == "(":
            parens += 1
        elif token.text == ")":
            parens -= 1
        elif token.text == "{":
            # a '{' inside the projection's parentheses is an EXISTS: not the WHERE group
            return (select, i) if parens == 0 else None
        elif token.keyword == "FROM":
            return None
    return None


Pattern = tuple[str, str, frozenset[str]]  # subject, "s p o" as written, its variables


def _patterns(text: str, inner: list[SparqlToken]) -> tuple[list[Pattern], list[str]] | None:
    """The group's triple patterns and FILTERs, or None for anything else in it."""
    return _Group(text, inner).read()


class _Group:
    """Reads the tokens of a WHERE group: subjects with verb-object lists (`;` between
    verbs, `,` between objects, `.` between subjects) and FILTERs."""

    def __init__(self, text: str, inner: list[SparqlToken]) -> None:
        self.text = text
        self.inner = inner
        self.patterns: list[Pattern] = []
        self.filters: list[str] = []

    def read(self) -> tuple[list[Pattern], list[str]] | None:
        i = 0
        while i < len(self.inner):
            after = self._filter(i) if self._at(i, "FILTER") else self._subject(i)
            if after is None:
                return None
            i = after + 1 if self._text(after) == "." else after
        return self.patterns, self.filters

    def _text(self, k: int) -> str:
        return self.inner[k].text if k < len(self.inner) else ""

    def _at(self, k: int, keyword: str) -> bool:
        return k < len(self.inner) and self.inner[k].keyword == keyword

    def _span(self, a: int, b: int) -> str:
        last = self.inner[b - 1]
        return self.text[self.inner[a].start : last.start + len(last.text)]

    def _term(self, k: int, verb: bool = False) -> int | None:
        """The index after a term starting at k, or None if none starts there."""
        if k >= len(self.inner):
            return None
        token = self.inner[k]
        if verb and token.kind == "word" and token.text == "a":
            return k + 1
        if token.kind in ("var", "iri") or (token.kind == "pname" and not token.text.endswith(".")):
            return k + 1
        if token.kind != "string" or verb:
            return None
        if k + 1 < len(self.inner) and self.inner[k + 1].kind == "lang":
            return k + 2
        if self._text(k + 1) == "^" and self._text(k + 2) == "^":
            datatype = k + 3 < len(self.inner) and self.inner[k + 3].kind in ("iri", "pname")
            return self._term(k + 3) if datatype else None
        return k + 1

    def _filter(self, i: int) -> int | None:
        """FILTER (...), FILTER fn(...): the index after its closing parenthesis."""
        j = i + 1
        if j < len(self.inner) and self.inner[j].kind in ("word", "pname", "iri") \
                and self._text(j + 1) == "(":  # fmt: skip
            j += 1
        if self._text(j) != "(":
            return None
        depth = 0
        for k in range(j, len(self.inner)):
            depth += {"(": 1, ")": -1}.get(self.inner[k].text, 0)
            if depth == 0:
                self.filters.append(self._span(i, k + 1))
                return k + 1
        return None

    def _subject(self, i: int) -> int | None:
        """A subject and its verb-object lists: the index after them, which must be the
        end of the group, a '.' or a FILTER."""
        after = self._term(i)
        if after is None:
            return None
        subject = self._span(i, after)
        name = _variable(subject)
        key = "?" + name if name else subject
        i = after
        while True:
            after = self._term(i, verb=True)
            if after is None:
                return None
            verb, i = self._span(i, after), after
            while True:
                after = self._term(i)
                if after is None:
                    return None
                obj, i = self._span(i, after), after
                variables = frozenset(v for v in map(_variable, (subject, verb, obj)) if v)
                self.patterns.append((key, f"{subject} {verb} {obj}", variables))
                if self._text(i) != ",":
                    break
                i += 1
            if self._text(i) != ";":
                break
            while self._text(i) == ";":
                i += 1
            if i >= len(self.inner) or self._text(i) == "." or self._at(i, "FILTER"):
                break
        if i < len(self.inner) and self._text(i) != "." and not self._at(i, "FILTER"):
            return None
        return i


def _variable(term: str) -> str:
    """A variable's name without its sigil (?x and $x are one variable), else ''."""
    return term[1:] if term[:1] in "?$" else ""


def _connected(groups: list[frozenset[str]]) -> bool:
    """Whether the stars' shared variables join them all (no cartesian product)."""
    reached = set(groups[0])
    left = list(groups[1:])
    while left:
        joined = [g for g in left if g & reached]
        if not joined:
            return False
        for group in joined:
            reached |= group
            left.remove(group)
    return True


class JoinPlanner:
    """Chooses, per query text, whether a store answers it as written or by hash joins.

    One planner per worker process and store contents: its decisions hold for as long
    as the store is unchanged.
    """

    def __init__(self, threshold: int = 1_000, spread: int = 16, cap: int = 100_000,
                 remembered: int = 512) -> None:  # fmt: skip
        self.threshold = threshold
        self.spread = spread
        self.cap = cap
        self.remembered = remembered
        self._plans: OrderedDict[tuple[str, str | None], str | None] = OrderedDict()
        self._empty = ox.Store()

    def plan(self, store: ox.Store, text: str, base: str | None = None) -> str:
        """The text to run on `store`: the rewritten query, or `text` itself."""
        key = (text, base)
        if key in self._plans:
            self._plans.move_to_end(key)
            found = self._plans[key]
        else:
            found = self._decide(store, text, base)
            if len(text) <= 20_000:  # the memory a decision keeps stays small
                self._plans[key] = found
                if len(self._plans) > self.remembered:
                    self._plans.popitem(last=False)
        return found if found is not None else text

    def _decide(self, store: ox.Store, text: str, base: str | None) -> str | None:
        shape = split(text)
        if shape is None:
            return None
        rewritten = shape.rewritten()
        try:
            # both parse, or the query runs as sent and fails with its own message
            self._empty.query(text, base_iri=base)
            self._empty.query(rewritten, base_iri=base)
            sizes = [self._count(store, shape.probe(i, self.cap), base)
                     for i in range(len(shape.stars))]  # fmt: skip
        except (SyntaxError, ValueError, RuntimeError, OSError):
            return None
        smallest = min(sizes)
        if smallest < self.threshold or max(sizes) > self.spread * smallest:
            return None
        return rewritten

    @staticmethod
    def _count(store: ox.Store, probe: str, base: str | None) -> int:
        solutions = store.query(probe, base_iri=base)
        assert isinstance(solutions, ox.QuerySolutions)
        row = next(iter(solutions))
        return int(row[0].value)
