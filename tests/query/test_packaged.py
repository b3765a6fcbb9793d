"""The packaged queries of sparql/queries: their metadata, what they answer on the release
of the five seed articles (checked against what the articles say), and the binding of
parameter values, which must never become query syntax."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyoxigraph as ox
import pytest

from ctld.build.run import BuildResult
from ctld.core.errors import ParameterError
from ctld.extract.articles import read_article
from ctld.query.engine import QueryRequest, StoreEngine
from ctld.query.packaged import PackagedQuery, read_catalog
from ctld.query.querytext import tokens
from ctld.query.results import table
from ctld.query.store import Release, memory_store

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ROOT / "sparql" / "queries"
NAMES = sorted(p.stem for p in QUERIES.glob("*.rq"))
BASE = "https://w3id.org/ctld/"
ID = BASE + "id/"
CTLD = BASE + "ontology#"

UNOCT = ID + "organization/unoct"
UNODC = ID + "organization/unodc"
INTERPOL = ID + "organization/interpol"
CSTO = ID + "organization/csto"
UNSC = ID + "organization/un-security-council"
ROSFINMONITORING = ID + "organization/rosfinmonitoring"
FATF = ID + "organization/fatf"
TAJIKISTAN = ID + "state/tajikistan"
VORONKOV = ID + "person/vladimir-voronkov"
MOU_2025 = ID + "instrument/rosfinmonitoring-unoct-mou-2025"
UNODC_INTERPOL = ID + "instrument/unodc-interpol-cooperation-arrangement"
CSTO_MEMORANDA = ID + "instrument/002-dab0a07f79a0557f-1"  # "memorandos" (article 002)
DUSHANBE_CONFERENCE = ID + "event/001-e053d2e383822934-1"
SIGNING_2025 = ID + "event/000-6e37811b0b06130c-1"
TALKS_2018 = ID + "event/004-06ca5f3817816343-2"
ARTICLE = {key: ID + "article/" + key for key in (
    "000_6e37811b0b06130c", "001_e053d2e383822934", "002_dab0a07f79a0557f",
    "003_04716fd2df2bc222", "004_06ca5f3817816343",
)}  # fmt: skip

COMPETENCY_QUESTIONS = {
    "organization-partners",
    "instruments",
    "events-citing-resolution",
    "resolution-citations",
    "person-posts-and-events",
    "events-by-place-and-period",
    "organizations-by-topic",
    "fact-provenance",
    "cooperation-network",
    "dataset-statistics",
    "label-search",
}


@pytest.fixture(scope="module")
def engine(release: tuple[Path, BuildResult]) -> StoreEngine:
    root, _ = release
    return StoreEngine(memory_store(Release(root / "dist")))


@pytest.fixture(scope="module")
def catalog() -> dict[str, PackagedQuery]:
    return read_catalog(QUERIES)


def plain(term: object) -> object:
    """A result term as a Python value: an IRI or a literal's text; integers and booleans
    as such; None when unbound."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value.rsplit("#", 1)[-1]
        if datatype == "integer":
            return int(term.value)
        if datatype == "boolean":
            return term.value == "true"
        return term.value
    return term.value


def answer(
    engine: StoreEngine, query: PackagedQuery, values: dict[str, str] | None = None
) -> list[dict[str, object]]:
    """The rows of a packaged query, each a dict of column -> plain value."""
    text = query.bind(query.example if values is None else values, BASE)
    names, rows = table(engine.run(QueryRequest(text, limit=100_000)).body)
    return [{n: plain(v) for n, v in zip(names, row, strict=True)} for row in rows]


def terms(
    engine: StoreEngine, query: PackagedQuery, values: dict[str, str]
) -> list[dict[str, object]]:
    """The rows of a packaged query as pyoxigraph terms (to look at language tags)."""
    names, rows = table(engine.run(QueryRequest(query.bind(values, BASE))).body)
    return [dict(zip(names, row, strict=True)) for row in rows]


# --- the catalogue ----------------------------------------------------------------------


def test_every_competency_question_is_packaged(catalog: dict[str, PackagedQuery]) -> None:
    assert sorted(catalog) == NAMES
    assert set(catalog) >= COMPETENCY_QUESTIONS


@pytest.mark.parametrize("name", NAMES)
def test_metadata_is_complete(catalog: dict[str, PackagedQuery], name: str) -> None:
    query = catalog[name]
    metadata = query.file.metadata
    assert isinstance(metadata.get("summary"), str) and metadata["summary"].strip()
    assert len(query.description.split()) >= 30, "the description says what the rows mean"
    assert isinstance(metadata.get("tags"), list) and metadata["tags"]
    assert query.form == "SELECT"
    for parameter in query.parameters:
        assert parameter.description, f"{name}: parameter {parameter.name} has no description"
        assert parameter.example is not None, f"{name}: parameter {parameter.name}: example"
        if parameter.required:
            assert parameter.name in query.example
    words = [t.keyword for t in tokens(query.file.text)]
    assert "WHERE" in words
    assert "ORDER" in words, "a deterministic row order"


@pytest.mark.parametrize("name", NAMES)
def test_the_example_finds_something(
    engine: StoreEngine, catalog: dict[str, PackagedQuery], name: str
) -> None:
    assert answer(engine, catalog[name]), f"{name} with {catalog[name].example}"


@pytest.mark.parametrize("name", NAMES)
def test_optional_parameters_may_be_left_out(
    engine: StoreEngine, catalog: dict[str, PackagedQuery], name: str
) -> None:
    query = catalog[name]
    needed = {p.name: p.example for p in query.parameters if p.required and p.example}
    everything = answer(engine, query, needed)
    if len(needed) < len(query.parameters):
        assert len(everything) >= len(answer(engine, query)), "fewer filters, no fewer rows"


# --- 1. an organization's partners ------------------------------------------------------


def test_unoct_partners_and_the_instruments_linking_them(
    engine: StoreEngine, catalog: dict[str, PackagedQuery]
) -> None:
    rows = answer(engine, catalog["organization-partners"], {"org": "organization/unoct"})
    by_instrument = {
        (r["partner"], r["link"]) for r in rows if r["relation"] == "co-party to an instrument"
    }
    # 000: Rosfinmonitoring and UNOCT signed a memorandum of understanding on 28 July 2025.
    assert (ROSFINMONITORING, MOU_2025) in by_instrument
    mou = next(r for r in rows if r["link"] == MOU_2025)
    assert mou["date"] == "2025-07-28"
    assert mou["linkClass"] == CTLD + "MemorandumOfUnderstanding"
    assert mou["partnerLabel"] == "Federal Financial Monitoring Service"
    # 002: the CSTO cooperates with UNOCT "no âmbito dos memorandos atuais".
    assert (CSTO, CSTO_MEMORANDA) in by_instrument
    by_event = {(r["partner"], r["link"]) for r in rows} - by_instrument
    # 004: the Foreign Minister of Tajikistan held talks with the head of UNOCT.
    assert (TAJIKISTAN, TALKS_2018) in by_event
    # 000: the memorandum was signed by both (the signing event).
    assert (ROSFINMONITORING, SIGNING_2025) in by_event
    partners = {r["partner"] for r in rows}
    assert UNOCT not in partners
    assert INTERPOL not in partners  # UNODC's partner, never UNOCT's
    assert VORONKOV not in partners  # persons are not partners
    ranks = [r["relation"] == "co-party to an instrument" for r in rows]
    assert ranks == sorted(ranks, reverse=True), "instruments first"


def test_interpol_has_one_treaty_partner(
    engine: StoreEngine, catalog: dict[str, PackagedQuery]
) -> None:
    rows = answer(engine, catalog["organization-partners"], {"org": "organization/interpol"})
    treaty = {(r["partner"], r["link"]) for r in rows if r["relation"].startswith("co-party")}
    # 003: UNODC and INTERPOL signed a cooperation arrangement.
    assert (UNODC, UNODC_INTERPOL) in treaty
    assert {partner for partner, _ in treaty} == {UNODC}


def test_labels_prefer_english(engine: StoreEngine, catalog: dict[str, PackagedQuery]) -> None:
    rows = terms(engine, catalog["organization-partners"], {"org": "organization/unoct"})
    labels = {r["partner"].value: r["partnerLabel"] for r in rows}
    assert labels[TAJIKISTAN] == ox.Literal("Tajikistan", language="en")
    # A candidate named only in the Portuguese article keeps its Portuguese label.
    links = {r["link"].value: r["linkLabel"] for r in rows}
    assert links[CSTO_MEMORANDA] == ox.Literal("memorandos", language="pt")


# --- 2. instruments with their parties and dates ----------------------------------------


def test_memoranda_unoct_is_bound_to(
    engine: StoreEngine, catalog: dict[str, PackagedQuery]
) -> None:
    rows = answer(engine, catalog["instruments"])  # memoranda of understanding, party UNOCT
    assert {r["instrument"] for r in rows} == {MOU_2025, CSTO_MEMORANDA}
    mou = [r for r in rows if r["instrument"] == MOU_2025]
    assert {(r["agent"], r["role"]) for r in mou} == {
        (ROSFINMONITORING, "party"),
        (UNOCT, "party"),
        (ID + "person/yury-chikhanchin", "signatory"),
        (VORONKOV, "signatory"),
    }
    assert {r["date"] for r in mou} == {"2025-07-28"}
    assert {r["candidate"] for r in mou} == {False}
    assert {r["candidate"] for r in rows if r["instrument"] == CSTO_MEMORANDA} == {True}


def test_a_class_includes_its_subclasses(
    engine: StoreEngine, catalog: dict[str, PackagedQuery]
) -> None:
    rows = answer(engine, catalog["instruments"], {"type": CTLD + "Agreement"})
    classes = {r["instrument"]: r["class"] for r in rows}
    assert classes[UNODC_INTERPOL] == CTLD + "CooperationArrangement"
    assert classes[MOU_2025] == CTLD + "MemorandumOfUnderstanding"
    assert ID + "resolution/s-res-2462-2019" not in classes
    arrangement = {(r["agent"], r["role"]) for r in rows if r["instrument"] == UNODC_INTERPOL}
    assert arrangement == {
        (UNODC, "party"),
        (INTERPOL, "party"),
        (ID + "person/yury-fedotov", "signatory"),
        (ID + "person/jurgen-stock", "signatory"),
    }


def test_resolutions_are_instruments_adopted_by_a_body(
    engine: StoreEngine, catalog: dict[str, PackagedQuery]
) -> None:
    rows = answer(engine, catalog["instruments"], {"type": CTLD + "SecurityCouncilResolution"})
    by_symbol = {r["symbol"]: r for r in rows}
    assert set(by_symbol) == {"S/RES/1624 (2005)", "S/RES/2354 (2017)", "S/RES/2462 (2019)"}
    # 001: resolution 2462 (2019) "was adopted on 28 March 2019".
    assert by_symbol["S/RES/2462 (2019)"]["date"] == "2019-03-28"
    assert {(r["agent"], r["role"]) for r in rows} == {(UNSC, "adopted by")}
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)


def test_instruments_a_person_signed(
    engine: StoreEngine, catalog: dict[str, PackagedQuery]
) -> None:
    rows = answer(engine, catalog["instruments"], {"party": "person/vladimir-voronkov"})
    assert {r["instrument"] for r in rows} == {MOU_2025}


# --- 3. events linked to a resolution ---------------------------------------------------


def test_the_conference_opened_in_support_of_resolution_2462(
    engine: StoreEngine, catalog: dict[str, PackagedQuery]
) -> None:
    rows = answer(
        engine, catalog["events-citing-resolution"], {"resolution": "resolution/s-res-2462-2019"}
    )
    # 001: opening the Dushanbe conference, the President of Tajikistan expressed his support
    # for resolution 2462 (2019): the nearest event to the citation.
    first = rows[0]
    assert first["event"] == DUSHANBE_CONFERENCE
    assert first["date"] == "2019-05-16"
    assert first["place"] == ID + "place/dushanbe"
    assert first["link"] == "article"
    assert all(first["distance"] < r["distance"] for r in rows[1:] if r["distance"] is not None)
    assert {r["article"] for r in rows} == {ARTICLE["001_e053d2e383822934"]}
    assert SIGNING_2025 not in {r["event"] for r in rows}


def test_events_linked_to_resolution_1624(
    engine: StoreEngine, catalog: dict[str, PackagedQuery]
) -> None:
    rows = answer(
        engine, catalog["events-citing-resolution"], {"resolution": "resolution/s-res-1624-2005"}
    )
    assert rows
    assert {r["article"] for r in rows} == {ARTICLE["002_dab0a07f79a0557f"]}


def test_an_uncited_resolution_has_no_events(
    engine: StoreEngine, catalog: dict[str, PackagedQuery]
) -> None:
    # A/RES/60/288 adopted the Global Strategy; the articles cite the Strategy, not it.
    query = catalog["events-citing-resolution"]
    assert answer(engine, query, {"resolution": "resolution/a-res-60-288"}) == []


# --- 4. resolutions cited, with their citing articles -----------------------------------


def test_every_cited_resolution_and_its_articles(
    engine: StoreEngine, catalog: dict[str, PackagedQuery]
) -> None:
    rows = answer(engine, catalog["resolution-citations"], {})
    cited = {(r["symbol"], r["article"], r["citingArticles"]) for r in rows}
    assert cited == {
        ("S/RES/2462 (2019)", ARTICLE["001_e053d2e383822934"], 1),  # "resolution 2462 (2019)"
        ("S/RES/1624 (2005)", ARTICLE["002_dab0a07f79a0557f"], 1),  # "resoluções ... 1624 e 2354"
        ("S/RES/2354 (2017)", ARTICLE["002_dab0a07f79a0557f"], 1),
        ("A/RES/71/291", ARTICLE["004_06ca5f3817816343"], 1),  # "resolution 71/291"
    }
    first = rows[0]
    assert first["page"].startswith("https://undocs.org/")
    assert {r["adoptedBy"] for r in rows if r["symbol"].startswith("S/")} == {UNSC}


def test_cited_resolutions_of_one_body_and_year(
    engine: StoreEngine, catalog: dict[str, PackagedQuery]
) -> None:
    query = catalog["resolution-citations"]
    council = answer(engine, query, {"body": "organization/un-security-council"})
    assert {r["symbol"] for r in council} == {
        "S/RES/2462 (2019)", "S/RES/1624 (2005)", "S/RES/2354 (2017)",
    }  # fmt: skip
    of_2017 = answer(engine, query, {"year": "2017"})
    assert {r["symbol"] for r in of_2017} == {"S/RES/2354 (2017)", "A/RES/71/291"}


# --- 5. a person's posts and events -----------------------------------------------------


def test_voronkov_posts_events_and_signature(
    engine: StoreEngine, catalog: dict[str, PackagedQuery]
) -> None:
    query = catalog["person-posts-and-events"]
    rows = answer(engine, query, {"person": "person/vladimir-voronkov"})
    posts = {r["item"]: r for r in rows if r["kind"] == "post"}
    # 004: "appointed as Under-Secretary-General of the Office on 21 June 2017".
    usg = posts[ID + "post/unoct-under-secretary-general"]
    assert usg["organizationOrPlace"] == UNOCT
    assert usg["role"] == ID + "role/under-secretary-general"
    assert usg["date"] == "2017-06-21"
    # 001: "Head of the United Nations Office of Counter-Terrorism (UNOCT)".
    assert posts[ID + "post/unoct-head"]["organizationOrPlace"] == UNOCT
    events = {r["item"]: r["relation"] for r in rows if r["kind"] == "event"}
    assert events[DUSHANBE_CONFERENCE] == "participant"  # 001: attended by Voronkov
    assert events[TALKS_2018] == "participant"  # 004: talks with the Tajik Foreign Minister
    assert events[SIGNING_2025] == "participant"  # 000
    signed = {r["item"] for r in rows if r["kind"] == "instrument"}
    assert signed == {MOU_2025}
    kinds = [r["kind"] for r in rows]
    assert kinds == sorted(kinds, key=["post", "event", "instrument"].index)


# --- 6. events by place and period ------------------------------------------------------


def events(engine: StoreEngine, query: PackagedQuery, **values: str) -> dict[str, dict]:
    return {r["event"]: r for r in answer(engine, query, values)}


def test_a_country_finds_the_events_in_its_cities(
    engine: StoreEngine, catalog: dict[str, PackagedQuery]
) -> None:
    query = catalog["events-by-place-and-period"]
    # 001: the conference was "held in Dushanbe on 16 and 17 May 2019".
    in_tajikistan = events(engine, query, place="state/tajikistan")
    assert DUSHANBE_CONFERENCE in in_tajikistan
    assert in_tajikistan[DUSHANBE_CONFERENCE]["startDate"] == "2019-05-16"
    assert in_tajikistan[DUSHANBE_CONFERENCE]["endDate"] == "2019-05-17"
    assert in_tajikistan[DUSHANBE_CONFERENCE]["location"] == ID + "place/dushanbe"
    assert DUSHANBE_CONFERENCE in events(engine, query, place="place/central-asia")
    assert DUSHANBE_CONFERENCE in events(engine, query, place="place/dushanbe")
    # 001: "the joint special meeting ... held on 26 April 2019 in New York".
    in_usa = events(engine, query, place="state/united-states")
    assert in_usa
    assert {r["location"] for r in in_usa.values()} == {ID + "place/new-york-city"}
    assert {r["startDate"] for r in in_usa.values()} == {"2019-04-26"}
    assert not set(in_usa) & set(in_tajikistan)


def test_a_period_overlaps_event_spans_and_partial_dates(
    release: tuple[Path, BuildResult], engine: StoreEngine, catalog: dict[str, PackagedQuery]
) -> None:
    query = catalog["events-by-place-and-period"]
    # The conference's second day is inside a one-day period.
    last_day = events(engine, query, **{"from": "2019-05-17", "to": "2019-05-17"})
    assert DUSHANBE_CONFERENCE in last_day
    assert all(r["startDate"] <= "2019-05-17" for r in last_day.values())
    # 001: the UN conference "convened ... in June 2018" is dated 2018-06.
    of_2018 = events(engine, query, **{"from": "2018-06-15", "to": "2018-07-31"})
    assert ID + "event/001-e053d2e383822934-3" in of_2018
    assert all(str(r["startDate"]).startswith("2018") for r in of_2018.values())
    # Year-less dates (003: "23 May", no year) cannot be placed in a period.
    assert not any(str(r["startDate"]).startswith("--") for r in of_2018.values())
    everything = events(engine, query)
    assert ID + "event/003-04716fd2df2bc222-3" in everything
    assert len(everything) == release[1].entities[CTLD + "Event"]


# --- 7. organizations by topic ----------------------------------------------------------


def test_organizations_working_on_terrorism_financing(
    engine: StoreEngine, catalog: dict[str, PackagedQuery]
) -> None:
    rows = answer(engine, catalog["organizations-by-topic"], {"topic": "topic/terrorism-financing"})
    counts = {r["organization"]: (r["instruments"], r["articles"]) for r in rows}
    # 000: the MoU on countering the financing of terrorism; UNOCT is also in 001.
    assert counts[UNOCT] == (1, 2)
    assert counts[ROSFINMONITORING] == (1, 1)
    # S/RES/2462 (2019) on terrorism financing, adopted by the Council; named in 000 and 001.
    assert counts[UNSC] == (1, 2)
    assert counts[FATF] == (0, 1)  # 001
    assert INTERPOL not in counts
    assert {r["organization"] for r in rows[:3]} == {UNOCT, ROSFINMONITORING, UNSC}


def test_a_topic_includes_its_narrower_topics(
    engine: StoreEngine, catalog: dict[str, PackagedQuery]
) -> None:
    broad = answer(engine, catalog["organizations-by-topic"], {"topic": "topic/terrorism"})
    counts = {r["organization"]: r["instruments"] for r in broad}
    assert counts[ROSFINMONITORING] >= 1  # via terrorism financing, narrower than terrorism
    assert counts[INTERPOL] >= 1  # the UNODC-INTERPOL arrangement is about terrorism


# --- 8. provenance of a fact ------------------------------------------------------------


def test_the_quote_that_says_who_signed(
    engine: StoreEngine, catalog: dict[str, PackagedQuery]
) -> None:
    # The example: the signing of article 000, ctld:participant, Rosfinmonitoring.
    rows = answer(engine, catalog["fact-provenance"])
    assert {r["graph"] for r in rows} == {BASE + "graph/article/000_6e37811b0b06130c"}
    assert {r["article"] for r in rows} == {ARTICLE["000_6e37811b0b06130c"]}
    best = rows[0]
    assert best["namesObject"] is True
    assert best["exact"].startswith("Youri Tchikhantchine, directeur de Rosfinmonitoring")
    text = read_article(ROOT / "data" / "articles" / "000_6e37811b0b06130c.txt").text
    for row in rows:
        assert text[row["start"] : row["end"]] == row["exact"]
    flags = [r["namesObject"] for r in rows]
    assert flags == sorted(flags, reverse=True), "the best evidence first"


def test_a_post_is_evidenced_by_its_tenure(
    engine: StoreEngine, catalog: dict[str, PackagedQuery]
) -> None:
    values = {
        "subject": "person/vladimir-voronkov",
        "predicate": CTLD + "holdsPost",
        "object": "post/unoct-under-secretary-general",
    }
    rows = answer(engine, catalog["fact-provenance"], values)
    quoted = [r for r in rows if r["exact"]]
    assert {r["article"] for r in quoted} == {ARTICLE["004_06ca5f3817816343"]}
    assert {r["about"] for r in quoted} == {
        ID + "membership/vladimir-voronkov-unoct-under-secretary-general"
    }
    assert any("Under-Secretary-General of the United Nations Office" in r["exact"] for r in quoted)
    # The curated authority states it too, with no quote.
    curated = [r for r in rows if r["graph"] == BASE + "graph/authorities"]
    assert curated and all(r["exact"] is None and r["article"] is None for r in curated)


def test_an_article_citation_is_evidenced_by_the_mention(
    engine: StoreEngine, catalog: dict[str, PackagedQuery]
) -> None:
    values = {
        "subject": "article/001_e053d2e383822934",
        "predicate": CTLD + "references",
        "object": "resolution/s-res-2462-2019",
    }
    rows = answer(engine, catalog["fact-provenance"], values)
    assert [r["exact"] for r in rows] == ["resolution 2462 (2019)"]
    assert rows[0]["namesObject"] is True


# --- 9. the cooperation network ---------------------------------------------------------


def test_the_network_as_a_gephi_edge_list(
    engine: StoreEngine, catalog: dict[str, PackagedQuery]
) -> None:
    query = catalog["cooperation-network"]
    text = query.bind(query.example, BASE)
    body = engine.run(QueryRequest(text, "text/csv")).body.decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert list(rows[0]) == ["Source", "Target", "Weight", "Label", "Type"]
    edges = {(r["Source"], r["Target"]): r for r in rows}
    assert all(source < target for source, target in edges)
    # 000: one memorandum and the signing where both took part.
    pair = edges[(ROSFINMONITORING, UNOCT)]
    assert int(pair["Weight"]) == 2
    assert pair["Label"].endswith(": 1 instrument, 1 event")
    assert pair["Label"].startswith("Federal Financial Monitoring Service - ")
    # 003: UNODC and INTERPOL signed a cooperation arrangement at a side event.
    assert int(edges[(INTERPOL, UNODC)]["Weight"]) >= 2
    assert not any(VORONKOV in edge for edge in edges)
    weights = [int(r["Weight"]) for r in rows]
    assert weights == sorted(weights, reverse=True)
    heavy = answer(engine, query, {"minWeight": "3"})
    assert heavy and all(r["Weight"] >= 3 for r in heavy)
    assert len(heavy) < len(rows)


# --- 10. dataset statistics -------------------------------------------------------------


def test_statistics_agree_with_the_build(
    release: tuple[Path, BuildResult], engine: StoreEngine, catalog: dict[str, PackagedQuery]
) -> None:
    _, result = release
    rows = answer(engine, catalog["dataset-statistics"], {})
    triples = {r["item"]: r["count"] for r in rows if r["measure"] == "triples"}
    graphs = {r["item"]: r["count"] for r in rows if r["measure"] == "graphs"}
    instances = {r["item"]: r["count"] for r in rows if r["measure"] == "instances"}
    assert set(triples) == {"ontology", "authorities", "article", "inferred"}
    assert sum(triples.values()) == result.triples
    assert graphs == {"ontology": 1, "authorities": 1, "article": 5, "inferred": 1}
    for cls, count in result.entities.items():
        assert instances[cls] == count, cls
    assert instances[CTLD + "NewsArticle"] == 5
    assert instances["http://www.w3.org/ns/oa#Annotation"] > 0


# --- label search -----------------------------------------------------------------------


def test_search_by_acronym_variant_and_language(
    engine: StoreEngine, catalog: dict[str, PackagedQuery]
) -> None:
    query = catalog["label-search"]
    unoct = answer(engine, query, {"q": "unoct"})
    assert unoct[0]["entity"] == UNOCT
    assert unoct[0]["rank"] == 0
    assert unoct[0]["label"] == "United Nations Office of Counter-Terrorism"
    dushanbe = terms(engine, query, {"q": "Douchanbé", "lang": "fr"})
    assert dushanbe[0]["entity"].value == ID + "place/dushanbe"
    assert dushanbe[0]["label"] == ox.Literal("Douchanbé", language="fr")
    # An apostrophe is only a character of the text searched.
    found = {r["entity"] for r in answer(engine, query, {"q": "Protocole d'accord"})}
    assert MOU_2025 in found


# --- binding safety ---------------------------------------------------------------------

HOSTILE_STRINGS = [
    'a "quoted" word',
    "} } SELECT * WHERE { ?s ?p ?o }",
    "line one\nline two\r\nline three",
    "# not a comment",
    "it's",
    "back\\slash \\u0022",
    '"} } ; DROP ALL #',
    "\"\"\" ''' ",
]


@pytest.mark.parametrize("value", HOSTILE_STRINGS)
def test_a_string_value_stays_a_literal(
    engine: StoreEngine, catalog: dict[str, PackagedQuery], value: str
) -> None:
    query = catalog["label-search"]
    text = query.bind({"q": value}, BASE)
    assert str(ox.Literal(value)) in text
    assert text.count("VALUES") == 1
    before = len(engine.store)
    rows = answer(engine, query, {"q": value})
    assert all(value.lower() in r["matched"].lower() for r in rows)
    assert len(engine.store) == before


@pytest.mark.parametrize(
    "value",
    [
        "https://example.org/a b",
        "https://example.org/a>b",
        "organization/unoct> . ?s ?p ?o . <x",
        "https://example.org/a> } DROP ALL #",
        "organization/un oct",
        "<https://w3id.org/ctld/id/organization/unoct>",
        "no-slash-no-scheme",
    ],
)
@pytest.mark.parametrize(("name", "parameter"), [
    ("organization-partners", "org"),
    ("events-by-place-and-period", "place"),
    ("fact-provenance", "object"),
])  # fmt: skip
def test_a_bad_iri_is_refused(
    catalog: dict[str, PackagedQuery], name: str, parameter: str, value: str
) -> None:
    query = catalog[name]
    with pytest.raises(ParameterError) as error:
        query.bind({**query.example, parameter: value}, BASE)
    assert error.value.name == parameter
    assert f"'{parameter}'" in str(error.value)


def test_an_unknown_parameter_is_refused(catalog: dict[str, PackagedQuery]) -> None:
    query = catalog["organization-partners"]
    with pytest.raises(ParameterError) as error:
        query.bind({"org": "organization/unoct", "organisation": "x"}, BASE)
    assert error.value.name == "organisation"
    assert "unknown" in str(error.value)


@pytest.mark.parametrize(
    ("name", "parameter"),
    [(n, p.name) for n, q in read_catalog(QUERIES).items() for p in q.parameters if p.required],
)
def test_a_missing_required_parameter_is_refused(
    catalog: dict[str, PackagedQuery], name: str, parameter: str
) -> None:
    query = catalog[name]
    values = {k: v for k, v in query.example.items() if k != parameter}
    with pytest.raises(ParameterError) as error:
        query.bind(values, BASE)
    assert error.value.name == parameter
    assert "required" in str(error.value)


@pytest.mark.parametrize(
    ("name", "parameter", "value"),
    [
        ("events-by-place-and-period", "from", "2019-02-30"),
        ("events-by-place-and-period", "to", "May 2019"),
        ("events-by-place-and-period", "from", "2019-05-16T10:00"),
        ("resolution-citations", "year", "19"),
        ("resolution-citations", "year", "2019-03"),
        ("resolution-citations", "year", "twenty"),
        ("cooperation-network", "minWeight", "two"),
        ("cooperation-network", "minWeight", "1.5"),
        ("cooperation-network", "minWeight", "1) } #"),
    ],
)
def test_a_badly_typed_value_is_refused(
    catalog: dict[str, PackagedQuery], name: str, parameter: str, value: str
) -> None:
    query = catalog[name]
    with pytest.raises(ParameterError) as error:
        query.bind({**query.example, parameter: value}, BASE)
    assert error.value.name == parameter


def test_typed_values_become_typed_literals(catalog: dict[str, PackagedQuery]) -> None:
    text = catalog["events-by-place-and-period"].bind({"from": " 2019-01-01 "}, BASE)
    assert '"2019-01-01"^^<http://www.w3.org/2001/XMLSchema#date>' in text
    text = catalog["resolution-citations"].bind({"year": "2019"}, BASE)
    assert '"2019"^^<http://www.w3.org/2001/XMLSchema#gYear>' in text
    text = catalog["cooperation-network"].bind({}, BASE)  # the default
    assert '"1"^^<http://www.w3.org/2001/XMLSchema#integer>' in text


@pytest.mark.parametrize(
    ("kind", "value"),
    [("year", "٢٠١٩"), ("year", "２０１９"), ("integer", "٣"), ("date", "20190516"),
     ("date", "2019-W20-4"), ("iri", "organization/a b"), ("iri", "http://e/>")],
)  # fmt: skip
def test_values_outside_their_type_are_refused(kind: str, value: str) -> None:
    from ctld.query.packaged import Parameter

    with pytest.raises(ParameterError, match="'p'"):
        Parameter("p", kind).term("q", value, "https://w3id.org/ctld/")


def test_a_parameter_named_only_in_comments_is_unused(tmp_path: Path) -> None:
    from ctld.core.errors import QueryFileError

    path = tmp_path / "q.rq"
    path.write_text(
        "#+ summary: s\n#+ params:\n#+   - name: org\n#+     type: iri\n"
        "# ?org is mentioned here only\nSELECT ?s WHERE { ?s ?p ?o }\n",
        encoding="utf-8",
    )
    with pytest.raises(QueryFileError, match="'org' is not used"):
        read_catalog(tmp_path)
