"""A synthetic article corpus for benchmarks: the seed articles' sentences recombined
under other names, dates and resolution numbers.

Why synthetic: the five seed articles in data/articles/ are far too few to measure
throughput or memory, and real news cannot be redistributed in bulk. Recombining the
seeds' own sentences keeps the language, sentence shapes and density of names of real
counter-terrorism news, while drawing the names from the authorities makes every
article different, so the gazetteer, the caches and the IRI minting see a corpus-like
spread of entities rather than the same five texts again and again.

How: each seed body is split into sentences (ctld.extract.tokens.sentences); in each sentence
the names of authority entities (persons, states, other organizations, cities), the
date expressions (ctld.extract.dates), bare years and Security Council resolution citations
(ctld.extract.finders.citations) become slots. An article takes 8-25 sentences of one language (the
seed's `language` field), and fills the slots: each seed entity is swapped, consistently
within the article, for another entity of the same family with a label in that language;
years move with the article's publication year and days shift; each cited resolution
becomes another real Security Council resolution (number and year from
data/reference/security-council-resolution-years.csv), adopted no later than the
article's publication year.

Deterministic and streamed: article i depends only on (seed, i), through its own
`random.Random`, never on global state or on the other articles. So the first 1,000
articles of a 100,000-article corpus are the 1,000-article corpus of the same seed, a
range can be generated on its own, and only one article is in memory at a time.

    python bench/corpus.py --count 10000 --out DIR --seed 7
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The benchmark measures this checkout's code, not some installed copy of ctld.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rdflib import RDF, RDFS, SKOS, Graph, Literal, Namespace  # noqa: E402

from ctld.extract.articles import read_article  # noqa: E402
from ctld.extract.dates import DateFinder  # noqa: E402
from ctld.extract.finders.citations import ResolutionYears, find_citations  # noqa: E402
from ctld.extract.lexicon import Lexicon, build_lexicon, load_lexicon_data  # noqa: E402
from ctld.extract.tokens import Keyer, is_acronym, sentences, tokenize  # noqa: E402

CTLD = Namespace("https://w3id.org/ctld/ontology#")
# Entity families whose names are swapped, in priority order when a label or an
# entity belongs to several (a state is also an organization: it stays a state).
FAMILIES = ("person", "state", "organization", "city")
SENTENCES_PER_ARTICLE = (8, 25)
SENTENCES_PER_PARAGRAPH = (1, 4)
# Shorter "sentences" are page furniture ("Dos", "Bbabo NET", a bare dateline).
MIN_SENTENCE_CHARS = 20
PUBLISHED_FIRST = dt.date(2008, 1, 1)
PUBLISHED_LAST = dt.date(2025, 12, 31)
# Resolutions are drawn from this year up to the article's publication year.
FIRST_RESOLUTION_YEAR = 1990
ID_PREFIX = "syn_"
DEFAULT_SEED = 7
FALLBACK_SEED_YEAR = 2020

_BARE_YEAR = re.compile(r"(?<![\w/.,:-])(?:19[5-9][0-9]|20[0-4][0-9])(?![\w/:-])")
# In a date expression: an ISO date (its month must not be taken for a day), else a
# number: a four-digit year or a day of the month. Numbers joined to a time stay.
_DATE_NUMBER = re.compile(
    r"(?P<iso>(?<!\d)\d{4}-\d{2}-\d{2}(?!\d))|(?<![\d:])(?P<num>\d{1,4})(?![\d:])"
)
# In a Security Council citation: a resolution number, with its year if stated.
_RESOLUTION_NUMBER = re.compile(
    r"(?<![\d/])(?P<n>[1-9][0-9]{0,3})(?:(?P<gap>\s*)\((?P<y>(?:19|20)[0-9]{2})\))?(?![\d/])"
)


@dataclass(frozen=True)
class Name:
    """A slot: the name of an authority entity, in the form the seed wrote it."""

    family: str
    iri: str
    form: str  # pref, alt, acronym, surname


@dataclass(frozen=True)
class Dated:
    """A slot: a date expression or a bare year; its years and days shift."""

    text: str


@dataclass(frozen=True)
class Cited:
    """A slot: a Security Council resolution citation; its numbers are drawn anew."""

    text: str


Part = str | Name | Dated | Cited


@dataclass(frozen=True)
class Template:
    """A seed sentence (or title) cut into literal text and slots."""

    parts: tuple[Part, ...]
    year: int  # the seed's own year: years in its dates move by (published year - this)


@dataclass(frozen=True)
class Labels:
    """One entity's names in one language."""

    pref: str
    alts: tuple[str, ...]
    acronyms: tuple[str, ...]

    @property
    def surname(self) -> str:
        return self.pref.split()[-1]


@dataclass(frozen=True)
class SyntheticArticle:
    id: str
    language: str
    published: dt.date
    title: str
    body: str

    def render(self, origin: str) -> str:
        """The article file: front matter as data/articles/ has it, then the body.
        Strings are written as JSON, which YAML reads as double-quoted scalars."""
        return (
            "---\n"
            f"id: {self.id}\n"
            f"title: {json.dumps(self.title, ensure_ascii=False)}\n"
            f"published: {self.published.isoformat()}\n"
            f"language: {self.language}\n"
            f"origin: {json.dumps(origin)}\n"
            "---\n"
            f"{self.body}"
        )


@dataclass
class CorpusStats:
    """What was written: the figures a benchmark divides by."""

    directory: Path
    articles: int = 0
    body_chars: int = 0
    body_bytes: int = 0
    file_bytes: int = 0
    languages: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0


class CorpusGenerator:
    """Reads the seeds and the authorities once (about half a second), then makes any
    number of articles; holds only the sentence templates and the label pools."""

    def __init__(self, root: Path = ROOT, seed: int = DEFAULT_SEED) -> None:
        self.root = root
        self.seed = seed
        self.origin = f"synthetic: bench/corpus.py --seed {seed}"
        self.labels = _load_labels(root)
        self.pools = {
            language: {family: sorted(entities) for family, entities in families.items()}
            for language, families in self.labels.items()
        }
        self.resolutions = _load_resolution_years(
            root / "data" / "reference" / "security-council-resolution-years.csv"
        )
        self.sentences: dict[str, list[Template]] = {}
        self.titles: dict[str, list[Template]] = {}
        seeds: Counter[str] = Counter()
        for language, template, is_title in _templates(root, self.labels):
            target = self.titles if is_title else self.sentences
            target.setdefault(language, []).append(template)
        for path in sorted((root / "data" / "articles").glob("*.txt")):
            seeds[read_article(path).language] += 1
        self.languages = sorted(lang for lang in seeds if self.sentences.get(lang))
        self.weights = [seeds[lang] for lang in self.languages]
        if not self.languages:
            raise ValueError(f"no seed sentences under {root / 'data' / 'articles'}")

    def article(self, index: int) -> SyntheticArticle:
        """Article number `index`; the same (seed, index) always gives the same article."""
        rng = random.Random(f"ctld-bench:{self.seed}:{index}")
        language = rng.choices(self.languages, self.weights)[0]
        span = (PUBLISHED_LAST - PUBLISHED_FIRST).days
        published = PUBLISHED_FIRST + dt.timedelta(days=rng.randrange(span + 1))
        filler = _Filler(rng, published, self.labels[language], self.pools[language],
                         self.resolutions)  # fmt: skip
        pool = self.sentences[language]
        count = rng.randint(*SENTENCES_PER_ARTICLE)
        picked = rng.sample(pool, min(count, len(pool)))
        picked += rng.choices(pool, k=count - len(picked))
        filled = [filler.fill(t) for t in picked]
        paragraphs = []
        while filled:
            size = rng.randint(*SENTENCES_PER_PARAGRAPH)
            paragraphs.append(" ".join(filled[:size]))
            filled = filled[size:]
        body = "\n\n".join(paragraphs) + "\n"
        titles = self.titles.get(language)
        title = filler.fill(rng.choice(titles)) if titles else _shorten(paragraphs[0])
        return SyntheticArticle(f"{ID_PREFIX}{index:06d}", language, published, title, body)

    def articles(self, count: int, start: int = 0) -> Iterator[SyntheticArticle]:
        for index in range(start, start + count):
            yield self.article(index)

    def write(self, out_dir: Path, count: int, start: int = 0) -> CorpusStats:
        """Write articles start..start+count-1 as `<id>.txt`, one at a time."""
        began = time.perf_counter()
        out_dir.mkdir(parents=True, exist_ok=True)
        stats = CorpusStats(out_dir)
        for article in self.articles(count, start):
            data = article.render(self.origin).encode("utf-8")
            (out_dir / f"{article.id}.txt").write_bytes(data)
            stats.articles += 1
            stats.body_chars += len(article.body)
            stats.body_bytes += len(article.body.encode("utf-8"))
            stats.file_bytes += len(data)
            stats.languages[article.language] += 1
        stats.seconds = time.perf_counter() - began
        return stats


def write_corpus(
    out_dir: Path, count: int, seed: int = DEFAULT_SEED, root: Path = ROOT
) -> CorpusStats:
    """The one call a benchmark needs: `count` articles of `seed` into `out_dir`."""
    return CorpusGenerator(root, seed).write(out_dir, count)


class _Filler:
    """Fills templates for one article: the same seed entity or resolution always gets
    the same replacement within it."""

    def __init__(
        self,
        rng: random.Random,
        published: dt.date,
        labels: dict[str, dict[str, Labels]],
        pools: dict[str, list[str]],
        resolutions: list[tuple[int, int, int]],
    ) -> None:
        self.rng = rng
        self.published = published
        self.labels = labels
        self.pools = pools
        self.resolutions = [r for r in resolutions if r[0] <= published.year] or resolutions
        self.day_shift = rng.randrange(28)
        self.names: dict[str, str] = {}
        self.used: set[str] = set()
        self.numbers: dict[str, tuple[int, int]] = {}

    def fill(self, template: Template) -> str:
        out = []
        for part in template.parts:
            if isinstance(part, str):
                out.append(part)
            elif isinstance(part, Name):
                out.append(self._name(part))
            elif isinstance(part, Dated):
                out.append(self._date(part.text, self.published.year - template.year))
            else:
                out.append(_RESOLUTION_NUMBER.sub(self._resolution, part.text))
        return "".join(out)

    def _name(self, slot: Name) -> str:
        iri = self.names.get(slot.iri)
        if iri is None:
            pool = self.pools[slot.family]
            iri = self.rng.choice(pool)
            for _ in range(4):  # two seed entities rarely become the same one
                if iri not in self.used:
                    break
                iri = self.rng.choice(pool)
            self.names[slot.iri] = iri
            self.used.add(iri)
        labels = self.labels[slot.family][iri]
        if slot.form == "surname":
            return labels.surname
        if slot.form == "acronym":
            return labels.acronyms[0] if labels.acronyms else labels.pref
        if slot.form == "alt" and labels.alts:
            return self.rng.choice(labels.alts)
        return labels.pref

    def _day(self, day: int) -> int:
        return (day - 1 + self.day_shift) % 28 + 1

    def _date(self, text: str, delta: int) -> str:
        def shift(match: re.Match[str]) -> str:
            if match.group("iso"):
                year, month, day = (int(x) for x in match.group("iso").split("-"))
                return f"{year + delta:04d}-{month:02d}-{self._day(day):02d}"
            raw = match.group("num")
            value = int(raw)
            if len(raw) == 4 and 1900 <= value <= 2099:
                return str(value + delta)
            if len(raw) <= 2 and 1 <= value <= 31:
                return f"{self._day(value):0{len(raw)}d}"
            return raw

        return _DATE_NUMBER.sub(shift, text)

    def _resolution(self, match: re.Match[str]) -> str:
        number = self.numbers.get(match.group("n"))
        if number is None:
            year, first, last = self.rng.choice(self.resolutions)
            number = (self.rng.randint(first, last), year)
            self.numbers[match.group("n")] = number
        if match.group("y") is None:
            return str(number[0])
        return f"{number[0]}{match.group('gap')}({number[1]})"


def _load_labels(root: Path) -> dict[str, dict[str, dict[str, Labels]]]:
    """language -> family -> entity IRI -> its labels in that language. An entity is in
    a language's pool only if it has a skos:prefLabel in that language."""
    graph = Graph()
    graph.parse(root / "ontology" / "ctld.ttl", format="turtle")
    for path in sorted((root / "data" / "authorities").glob("*.ttl")):
        graph.parse(path, format="turtle")
    organizations = set(graph.transitive_subjects(RDFS.subClassOf, CTLD.Organization))
    classes = {
        "person": {CTLD.Person},
        "state": {CTLD.State},
        "organization": organizations - {CTLD.State},
        "city": {CTLD.City},
    }
    out: dict[str, dict[str, dict[str, Labels]]] = {}
    for subject in sorted(set(graph.subjects(RDF.type, None))):
        types = set(graph.objects(subject, RDF.type))
        family = next((f for f in FAMILIES if types & classes[f]), None)
        if family is None:
            continue
        prefs = _by_language(graph.objects(subject, SKOS.prefLabel))
        alts = _by_language(graph.objects(subject, SKOS.altLabel))
        for language, names in prefs.items():
            pref = names[0]
            others = [a for a in alts.get(language, []) if a != pref]
            labels = Labels(
                pref,
                tuple(a for a in others if not is_acronym(a)),
                tuple(a for a in others if is_acronym(a)),
            )
            out.setdefault(language, {}).setdefault(family, {})[str(subject)] = labels
    return out


def _by_language(literals: Iterable[object]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for literal in literals:
        if isinstance(literal, Literal) and literal.language:
            found.setdefault(literal.language, []).append(str(literal))
    return {language: sorted(names) for language, names in found.items()}


def _load_resolution_years(path: Path) -> list[tuple[int, int, int]]:
    """(year, first number, last number) of Security Council resolutions per year."""
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    rows = [(int(r["year"]), int(r["first"]), int(r["last"])) for r in csv.DictReader(lines)]
    return [r for r in rows if r[0] >= FIRST_RESOLUTION_YEAR]


def _name_pattern(labels: dict[str, dict[str, Labels]]) -> tuple[re.Pattern[str], dict[str, Name]]:
    """One pattern for every name of a language, longest first, and what each names.
    Case-sensitive and whole-word, so "UN" never matches the French article "un"."""
    slots: dict[str, Name] = {}
    for form in ("pref", "alt", "acronym", "surname"):  # an earlier form wins a label
        for family in FAMILIES:
            for iri, entity in sorted(labels.get(family, {}).items()):
                if form == "pref":
                    names: tuple[str, ...] = (entity.pref,)
                elif form == "alt":
                    names = entity.alts
                elif form == "acronym":
                    names = entity.acronyms
                else:
                    names = (entity.surname,) if family == "person" else ()
                for name in names:
                    if len(name) >= 2 and any(c.isupper() for c in name):
                        slots.setdefault(name, Name(family, iri, form))
    alternatives = "|".join(re.escape(n) for n in sorted(slots, key=lambda n: (-len(n), n)))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)"), slots


def _templates(
    root: Path, labels: dict[str, dict[str, dict[str, Labels]]]
) -> Iterator[tuple[str, Template, bool]]:
    """(language, template, is it a title) for every usable seed sentence and title."""
    years = ResolutionYears.from_csv(
        root / "data" / "reference" / "security-council-resolution-years.csv"
    )
    lexicon_data = load_lexicon_data(root / "data" / "lexicon")
    dates = DateFinder()
    patterns: dict[str, tuple[re.Pattern[str], dict[str, Name]]] = {}
    for path in sorted((root / "data" / "articles").glob("*.txt")):
        article = read_article(path)
        language = article.language
        if language not in labels:
            continue
        if language not in patterns:
            patterns[language] = _name_pattern(labels[language])
        keys = Keyer(language)
        cutter = _Cutter(
            dates, years, keys, build_lexicon(lexicon_data, language, keys), *patterns[language],
            _seed_year(article.published, [d.begin.year for d in dates.find(article.text)]),
        )  # fmt: skip
        if article.title:
            yield language, cutter.template(article.title), True
        for start, end in sentences(article.text):
            text = " ".join(article.text[start:end].split())
            if len(text) >= MIN_SENTENCE_CHARS:
                yield language, cutter.template(text), False


@dataclass(frozen=True)
class _Cutter:
    """Finds the slots of one seed's sentences, with ctld's own date and citation
    finders, so the slots are what the extractor will look for."""

    dates: DateFinder
    years: ResolutionYears
    keys: Keyer
    lexicon: Lexicon
    pattern: re.Pattern[str]
    names: dict[str, Name]
    year: int

    def template(self, text: str) -> Template:
        found = self.dates.find(text)
        blocked = [(d.start, d.end) for d in found]
        slots: list[tuple[int, int, Part]] = [
            (c.start, c.end, Cited(c.text))
            for c in find_citations(text, tokenize(text, self.keys), self.lexicon, self.years,
                                    blocked)
            if c.symbol.startswith("S/")
        ]  # fmt: skip
        slots += [(d.start, d.end, Dated(d.text)) for d in found]
        slots += [(m.start(), m.end(), self.names[m.group()]) for m in self.pattern.finditer(text)]
        slots += [(m.start(), m.end(), Dated(m.group())) for m in _BARE_YEAR.finditer(text)]
        return Template(_cut(text, slots), self.year)


def _seed_year(published: dt.date | None, mentioned: list[int | None]) -> int:
    """The year a seed was written: its published date, else the latest year it names."""
    if published is not None:
        return published.year
    return max((y for y in mentioned if y), default=FALLBACK_SEED_YEAR)


def _cut(text: str, slots: list[tuple[int, int, Part]]) -> tuple[Part, ...]:
    """Text and slots in order; a slot overlapping an earlier-listed one is dropped
    (citations, then dates, then names, then bare years)."""
    taken: list[tuple[int, int, Part]] = []
    for start, end, part in slots:
        if all(end <= s or start >= e for s, e, _ in taken):
            taken.append((start, end, part))
    parts: list[Part] = []
    position = 0
    for start, end, part in sorted(taken, key=lambda t: t[0]):
        if start > position:
            parts.append(text[position:start])
        parts.append(part)
        position = end
    if position < len(text):
        parts.append(text[position:])
    return tuple(parts)


def _shorten(text: str, limit: int = 120) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write a deterministic synthetic article corpus (bench/README.md)."
    )
    parser.add_argument("--count", type=int, default=1000, help="articles to write")
    parser.add_argument("--out", type=Path, help="directory (default: a new temporary one)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--start", type=int, default=0, help="index of the first article")
    args = parser.parse_args(argv)
    if args.count < 0 or args.start < 0:
        parser.error("--count and --start must not be negative")
    out = args.out or Path(tempfile.mkdtemp(prefix="ctld-corpus-"))
    began = time.perf_counter()
    generator = CorpusGenerator(ROOT, args.seed)
    setup = time.perf_counter() - began
    stats = generator.write(out, args.count, args.start)
    languages = ",".join(f"{k}={v}" for k, v in sorted(stats.languages.items()))
    print(f"out: {stats.directory}")
    print(f"articles: {stats.articles}")
    print(f"languages: {languages}")
    print(f"body_chars: {stats.body_chars}")
    print(f"body_bytes: {stats.body_bytes}")
    print(f"file_bytes: {stats.file_bytes}")
    print(f"setup_seconds: {setup:.3f}")
    print(f"write_seconds: {stats.seconds:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
