"""Linked-data pages: `/id/…` → 303 → `/doc/…` in HTML or RDF, the index and search,
against a real `ctld serve`; RDF is read back with rdflib and with Jena's riot."""

from __future__ import annotations

import html
import json
import re
from datetime import timedelta
from email.utils import format_datetime, parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.namespace import SKOS

from ctld.build.run import BuildResult
from ctld.check.jena import Jena
from ctld.extract.articles import read_article

ID = "https://w3id.org/ctld/id/"
CTLD = "https://w3id.org/ctld/ontology#"
VORONKOV = f"{ID}person/vladimir-voronkov"
DOC = "/doc/person/vladimir-voronkov"
ARTICLE = "001_e053d2e383822934"
RDF_TYPES = {
    "text/turtle": ("turtle", ".ttl"),
    "application/ld+json": ("json-ld", ".jsonld"),
    "application/n-triples": ("nt", ".nt"),
    "application/rdf+xml": ("xml", ".rdf"),
}


@pytest.fixture(scope="module")
def turtle(client: httpx.Client) -> rdflib.Graph:
    response = client.get(DOC, headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    return rdflib.Graph().parse(data=response.text, format="turtle")


@pytest.fixture(scope="module")
def page(client: httpx.Client) -> str:
    response = client.get(DOC, headers={"Accept": "text/html"})
    assert response.status_code == 200
    return response.text


def section(page: str, name: str) -> str:
    """One <section id=…> of a resource page."""
    match = re.search(rf'<section id="{name}">(.*?)</section>', page, re.DOTALL)
    assert match, f"no section {name}"
    return match.group(1)


# --- identifiers and documents ------------------------------------------------------


def test_an_identifier_redirects_to_its_document(client: httpx.Client) -> None:
    response = client.get("/id/person/vladimir-voronkov", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == DOC


def test_an_identifier_the_dataset_does_not_name_is_404(client: httpx.Client) -> None:
    response = client.get("/id/person/nobody-of-that-name", follow_redirects=False)
    assert response.status_code == 404 and "nobody-of-that-name" in response.text
    assert client.get("/id/organization/unoct", follow_redirects=False).status_code == 303


def test_a_malformed_identifier_is_404(client: httpx.Client) -> None:
    assert client.get("/id/person", follow_redirects=False).status_code == 404
    assert client.get("/id/Person Name/x", follow_redirects=False).status_code == 404


@pytest.mark.parametrize("media_type", ["text/html", *RDF_TYPES])
def test_the_document_negotiates_by_accept(client: httpx.Client, media_type: str) -> None:
    response = client.get(DOC, headers={"Accept": media_type})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert "Accept" in response.headers["vary"]
    assert response.headers["link"] == f'<{VORONKOV}>; rel="describes"'
    if media_type == "text/html":
        assert "<h1>Vladimir Voronkov</h1>" in response.text
    else:
        graph = rdflib.Graph().parse(data=response.content, format=RDF_TYPES[media_type][0])
        assert (rdflib.URIRef(VORONKOV), rdflib.RDF.type, rdflib.URIRef(CTLD + "Person")) in graph


def test_a_browser_accept_header_gets_html(client: httpx.Client) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get(DOC, headers={"Accept": accept})
    assert response.headers["content-type"].startswith("text/html")
    rdf_client = client.get(DOC, headers={"Accept": "text/turtle;q=0.9, application/ld+json"})
    assert rdf_client.headers["content-type"].startswith("application/ld+json")


@pytest.mark.parametrize(
    ("suffix", "media_type"),
    [(".html", "text/html"), *((s, t) for t, (_, s) in RDF_TYPES.items())],
)
def test_the_document_by_suffix(
    client: httpx.Client, turtle: rdflib.Graph, suffix: str, media_type: str
) -> None:
    response = client.get(DOC + suffix, headers={"Accept": "image/png"})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    if media_type != "text/html":
        graph = rdflib.Graph().parse(data=response.content, format=RDF_TYPES[media_type][0])
        assert len(graph) == len(turtle)
        assert isomorphic(graph, turtle)


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [("application/json", "application/ld+json"), ("text/n3", "text/turtle"),
     ("application/x-turtle", "text/turtle")],
)  # fmt: skip
def test_older_names_get_the_canonical_type(
    client: httpx.Client, turtle: rdflib.Graph, accept: str, media_type: str
) -> None:
    response = client.get(DOC, headers={"Accept": accept})
    assert response.headers["content-type"].split(";")[0] == media_type
    graph = rdflib.Graph().parse(data=response.content, format=RDF_TYPES[media_type][0])
    assert isomorphic(graph, turtle)


def test_an_unacceptable_type_is_406(client: httpx.Client) -> None:
    response = client.get(DOC, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "text/turtle" in response.text


@pytest.mark.parametrize("accept", ["text/html", "text/turtle", "application/ld+json"])
def test_an_unknown_resource_is_404(client: httpx.Client, accept: str) -> None:
    response = client.get("/doc/person/nobody-of-that-name", headers={"Accept": accept})
    assert response.status_code == 404


def test_the_turtle_holds_every_preferred_label(turtle: rdflib.Graph, store: ox.Store) -> None:
    me = rdflib.URIRef(VORONKOV)
    labels = set(turtle.objects(me, SKOS.prefLabel))
    expected = {
        rdflib.Literal(q.object.value, lang=q.object.language)
        for q in store.quads_for_pattern(
            ox.NamedNode(VORONKOV), ox.NamedNode(str(SKOS.prefLabel)), None, None
        )
    }
    assert labels == expected
    assert rdflib.Literal("Владимир Воронков", lang="ru") in labels
    assert len({label.language for label in labels}) >= 4


def test_the_turtle_passes_riot(client: httpx.Client, jena: Jena, tmp_path: Path) -> None:
    for path in (DOC, f"/doc/article/{ARTICLE}"):
        response = client.get(path, headers={"Accept": "text/turtle"})
        assert response.status_code == 200
        target = tmp_path / (path.rsplit("/", 1)[-1] + ".ttl")
        target.write_bytes(response.content)
        result = jena.run("riot", ["--validate", str(target)], timeout=300)
        assert result.returncode == 0, result.stderr
        assert "ERROR" not in result.stderr and "WARN" not in result.stderr, result.stderr


def test_json_ld_holds_the_same_triples_as_turtle(
    client: httpx.Client, turtle: rdflib.Graph
) -> None:
    response = client.get(DOC, headers={"Accept": "application/ld+json"})
    json.loads(response.text)
    graph = rdflib.Graph().parse(data=response.text, format="json-ld")
    assert len(graph) == len(turtle)
    assert isomorphic(graph, turtle)


def test_the_document_holds_what_points_to_the_resource(
    turtle: rdflib.Graph, store: ox.Store
) -> None:
    me = ox.NamedNode(VORONKOV)
    outgoing = {(str(q.predicate), str(q.object)) for q in store.quads_for_pattern(me, None, None)}
    incoming = {(str(q.subject), str(q.predicate)) for q in store.quads_for_pattern(None, None, me)}
    subject = rdflib.URIRef(VORONKOV)
    assert len(set(turtle.predicate_objects(subject))) == len(outgoing)
    assert len(set(turtle.subject_predicates(subject))) == len(incoming)


# --- the HTML page ----------------------------------------------------------------


def test_the_page_shows_labels_in_several_languages(page: str) -> None:
    names = section(page, "labels")
    assert "Владимир Воронков" in names
    languages = set(re.findall(r'<td lang="([a-z-]+)">', names))
    assert {"en", "fr", "es", "pt", "ru"} <= languages


def test_the_page_shows_his_posts(page: str) -> None:
    posts = section(page, "posts")
    assert 'href="/doc/post/unoct-head"' in posts
    assert "Head of the United Nations Office of Counter-Terrorism" in posts
    assert 'href="/doc/organization/unoct"' in posts


def test_the_page_shows_his_events(page: str, store: ox.Store) -> None:
    events = section(page, "events")
    linked = set(re.findall(r'href="/doc/(event/[^"]+)"', events))
    query = (
        f"SELECT DISTINCT ?e WHERE {{ ?e a <{CTLD}Event> ; ?role <{VORONKOV}> "
        f"VALUES ?role {{ <{CTLD}participant> <{CTLD}organizer> }} }}"
    )
    expected = {
        r["e"].value.removeprefix(ID) for r in store.query(query)
    }
    assert expected and linked == expected
    assert "2019-05-16" in events


def test_the_evidence_links_land_on_the_quoted_words(page: str, client: httpx.Client) -> None:
    quotes = re.findall(
        r'<blockquote>(.*?)</blockquote>.*?<a href="(/doc/article/[^"#]+)#(t-(\d+)-(\d+))"',
        section(page, "evidence"),
    )
    assert len(quotes) >= 3
    texts: dict[str, str] = {}
    pages: dict[str, str] = {}
    for quote, article, anchor, start, end in quotes:
        if article not in texts:
            plain = client.get(article + ".txt")
            assert plain.status_code == 200
            texts[article] = plain.text
            pages[article] = client.get(article, headers={"Accept": "text/html"}).text
        assert texts[article][int(start) : int(end)] == html.unescape(quote)
        assert f'<span id="{anchor}"></span>' in pages[article]
    assert any("Voronkov" in html.unescape(q[0]) for q in quotes)


class JsonLdScripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and dict(attrs).get("type") == "application/ld+json":
            self._inside = True
            self.blocks.append("")

    def handle_endtag(self, tag: str) -> None:
        self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.blocks[-1] += data


def test_the_page_embeds_schema_org_json_ld(page: str) -> None:
    scripts = JsonLdScripts()
    scripts.feed(page)
    assert len(scripts.blocks) == 1
    data = json.loads(scripts.blocks[0])
    assert data["@type"] == "Person"
    assert data["@id"] == VORONKOV
    assert data["name"] == "Vladimir Voronkov"
    assert "Владимир Воронков" in data["alternateName"]


# --- articles -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def article_text(release: tuple[Path, BuildResult]) -> str:
    root, _ = release
    return read_article(root / "data" / "articles" / f"{ARTICLE}.txt").text


def test_the_article_text_is_served_as_plain_text(client: httpx.Client, article_text: str) -> None:
    response = client.get(f"/doc/article/{ARTICLE}.txt")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text == article_text
    assert client.get(f"{DOC}.txt").status_code == 404
    assert client.get("/doc/article/no_such_article.txt").status_code == 404


def test_the_article_page_shows_the_text_with_anchors(
    client: httpx.Client, store: ox.Store, article_text: str
) -> None:
    response = client.get(f"/doc/article/{ARTICLE}", headers={"Accept": "text/html"})
    assert response.status_code == 200
    match = re.search(r'<div class="article-text">(.*?)</div>', response.text, re.DOTALL)
    assert match
    marked = match.group(1)
    assert html.unescape(re.sub(r"<[^>]+>", "", marked)) == article_text
    anchors = set(re.findall(r'<span id="t-(\d+)-(\d+)"></span>', marked))
    query = (
        f"SELECT DISTINCT ?s ?e WHERE {{ ?t <http://www.w3.org/ns/oa#hasSource> "
        f"<{ID}article/{ARTICLE}> ; <http://www.w3.org/ns/oa#hasSelector> ?p . "
        "?p <http://www.w3.org/ns/oa#start> ?s ; <http://www.w3.org/ns/oa#end> ?e }"
    )
    spans = {
        (r["s"].value, r["e"].value) for r in store.query(query)
    }
    assert spans and anchors == spans


# --- caching -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", [DOC, f"/doc/article/{ARTICLE}.txt", "/"])
def test_validators_and_conditional_requests(client: httpx.Client, path: str) -> None:
    first = client.get(path)
    assert first.status_code == 200
    etag = first.headers["etag"]
    modified = first.headers["last-modified"]
    assert etag.startswith('"') and etag.endswith('"')
    when = parsedate_to_datetime(modified)
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200
    for later in (when, when + timedelta(days=1)):
        since = format_datetime(later, usegmt=True)
        assert client.get(path, headers={"If-Modified-Since": since}).status_code == 304
    before = format_datetime(when - timedelta(days=1), usegmt=True)
    assert client.get(path, headers={"If-Modified-Since": before}).status_code == 200


def test_each_representation_has_its_own_etag(client: httpx.Client) -> None:
    tags = {
        client.get(DOC, headers={"Accept": t}).headers["etag"] for t in ["text/html", *RDF_TYPES]
    }
    assert len(tags) == 1 + len(RDF_TYPES)


# --- the index and search --------------------------------------------------------------


@pytest.fixture(scope="module")
def index(client: httpx.Client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.text


def test_the_index_lists_classes_with_counts(index: str, store: ox.Store) -> None:
    rows = re.findall(
        r'<a href="/ontology#[^"]*" title="([^"]+)">[^<]*</a></td><td class="num">(\d+)</td>',
        index,
    )
    counts = {iri: int(n) for iri, n in rows}
    assert len(counts) > 5
    for name in ("Person", "Organization", "Event", "NewsArticle"):
        query = f"SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE {{ ?r a <{CTLD}{name}> }}"
        expected = int(next(iter(store.query(query)))["n"].value)
        assert counts[CTLD + name] == expected, name


def test_the_index_links_to_the_downloads(index: str, client: httpx.Client) -> None:
    assert 'href="/dumps/"' in index
    assert 'href="/sparql"' in index
    assert client.get("/dumps/").status_code == 200


def ontology_anchors(client: httpx.Client) -> dict[str, str]:
    """Element id → the IRI its entry in the ontology's HTML documents."""
    text = client.get("/ontology", headers={"Accept": "text/html"}).text
    found = re.findall(
        r'<div class="property entity" id="([^"]+)">.*?<code>([^<]+)</code>', text, re.DOTALL
    )
    assert len(found) > 20
    return dict(found)


def test_class_links_land_on_the_class_documentation(index: str, client: httpx.Client) -> None:
    """/ontology#X must be the documentation of the class the link names, not of
    another vocabulary's class with the same local name."""
    anchors = ontology_anchors(client)
    links = re.findall(r'<a href="/ontology#([^"]+)" title="([^"]+)">', index)
    assert links
    wrong = {
        f"#{fragment}": (iri, anchors.get(fragment))
        for fragment, iri in links
        if anchors.get(fragment) != iri
    }
    assert not wrong, wrong


def test_type_links_on_a_page_land_on_the_class_documentation(
    page: str, client: httpx.Client
) -> None:
    anchors = ontology_anchors(client)
    links = re.findall(r'<a href="/ontology#([^"]+)" title="([^"]+)">', page)
    assert ("Person", CTLD + "Person") in links
    wrong = {
        f"#{fragment}": (iri, anchors.get(fragment))
        for fragment, iri in links
        if anchors.get(fragment) != iri
    }
    assert not wrong, wrong


@pytest.mark.parametrize(
    ("query", "iri"),
    [
        ("voronkov", VORONKOV),
        ("Воронков", VORONKOV),
        ("Vladímir Vorónkov", VORONKOV),
        ("UNOCT", f"{ID}organization/unoct"),
        ("unoct", f"{ID}organization/unoct"),
    ],
)
def test_search_finds(client: httpx.Client, query: str, iri: str) -> None:
    response = client.get("/search", params={"q": query, "format": "json"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    document = response.json()
    assert document["query"] == query
    first = document["results"][0]
    assert first["iri"] == iri
    assert first["href"] == "/doc/" + iri.removeprefix(ID)


def test_search_unoct_names_the_office(client: httpx.Client) -> None:
    results = client.get("/search", params={"q": "UNOCT", "format": "json"}).json()["results"]
    assert results[0]["label"] == "United Nations Office of Counter-Terrorism"
    assert results[0]["matched"] == "UNOCT"


def test_a_search_not_in_utf8_is_a_400(client: httpx.Client) -> None:
    response = client.get("/search?q=caf%E9")
    assert response.status_code == 400 and "not valid utf-8" in response.text
    assert client.get("/search?q=caf%C3%A9").status_code == 200


def test_search_by_accept_and_as_html(client: httpx.Client) -> None:
    as_json = client.get(
        "/search", params={"q": "Воронков"}, headers={"Accept": "application/json"}
    )
    assert as_json.json()["results"][0]["iri"] == VORONKOV
    as_html = client.get("/search", params={"q": "Воронков"}, headers={"Accept": "text/html"})
    assert as_html.headers["content-type"].startswith("text/html")
    assert 'href="/doc/person/vladimir-voronkov"' in as_html.text


def test_search_for_nothing_known(client: httpx.Client) -> None:
    response = client.get("/search", params={"q": "zzqxj", "format": "json"})
    assert response.json()["results"] == []
    assert client.get("/search", params={"q": "x", "limit": "many"}).status_code == 400


def test_graph_iris_dereference(client: httpx.Client) -> None:
    article = client.get("/graph/article/001_e053d2e383822934", follow_redirects=False)
    assert article.status_code == 303
    assert article.headers["location"] == "/doc/article/001_e053d2e383822934"
    assert client.get("/graph/ontology", follow_redirects=False).headers["location"] == "/ontology"
    assert client.get("/graph/nothing", follow_redirects=False).status_code == 404


def test_kind_listing_reaches_every_resource(client: httpx.Client) -> None:
    page = client.get("/doc/person/")
    assert page.status_code == 200
    assert 'href="/doc/person/vladimir-voronkov"' in page.text
    assert client.get("/doc/nothing-like-it/").status_code == 404
    assert 'href="/doc/person/"' in client.get("/").text
