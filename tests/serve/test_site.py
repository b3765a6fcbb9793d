"""`ctld publish --site`: a website that a plain static file server serves with no broken
internal link, where every resource has its page and its RDF documents."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import rdflib

ID = "https://w3id.org/ctld/id/"


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        for name in ("href", "src"):
            if values.get(name):
                self.links.append(values[name])


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, "", b""


def test_no_broken_internal_link(static_host: str) -> None:
    """Crawls every page reachable from the index; every internal link and every
    fragment (#t-… quotes, ontology terms) must exist."""
    seen: dict[str, set[str] | None] = {}
    fragments: list[tuple[str, str, str]] = []
    queue = [static_host + "/"]
    broken = []
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        status, kind, body = fetch(url)
        if status != 200:
            broken.append((url, status))
            seen[url] = None
            continue
        seen[url] = set()
        if "html" not in kind:
            continue
        parser = Links()
        parser.feed(body.decode("utf-8"))
        seen[url] = parser.ids
        for link in parser.links:
            target, fragment = urldefrag(urljoin(url, link))
            if urlsplit(target).netloc != urlsplit(static_host).netloc:
                continue
            if fragment:
                fragments.append((url, target, fragment))
            if target not in seen:
                queue.append(target)
    assert not broken, broken[:10]
    assert len(seen) > 800
    missing = []
    for page, target, fragment in fragments:
        ids = seen.get(target) or seen.get(target.rstrip("/") + "/")
        if ids is not None and ids and fragment not in ids:
            missing.append((page, target, fragment))
    assert not missing, missing[:10]


def test_every_resource_has_its_documents(site: Path, static_host: str) -> None:
    doc = site / "doc" / "person" / "vladimir-voronkov"
    page = (doc / "index.html").read_text(encoding="utf-8")
    assert "Владимир Воронков" in page and "Head of the United Nations Office" in page
    graph = rdflib.Graph().parse(doc.with_suffix(".ttl"))
    person = rdflib.URIRef(ID + "person/vladimir-voronkov")
    assert (person, rdflib.RDF.type, rdflib.URIRef("https://w3id.org/ctld/ontology#Person")) \
        in graph  # fmt: skip
    jsonld = rdflib.Graph().parse(doc.with_suffix(".jsonld"), format="json-ld")
    assert len(jsonld) == len(graph)
    status, _, body = fetch(static_host + "/doc/person/vladimir-voronkov")  # dir redirect
    assert status == 200 and "Vladimir Voronkov" in body.decode()


def test_search_index_folds_names(site: Path) -> None:
    entries = json.loads((site / "search-index.json").read_text(encoding="utf-8"))
    voronkov = [e for e in entries if e["href"] == "/doc/person/vladimir-voronkov/"]
    assert voronkov and "vladimir voronkov" in voronkov[0]["keys"]
    assert "владимир воронков" in voronkov[0]["keys"]


def test_htaccess_negotiates_identifiers(site: Path) -> None:
    rules = (site / ".htaccess").read_text(encoding="utf-8")
    assert "RewriteRule ^id/(.+)$ doc/$1.ttl [R=303,L]" in rules
    assert "RewriteRule ^id/(.+)$ doc/$1/ [R=303,L]" in rules


def test_static_pages_name_no_server_endpoints(site: Path) -> None:
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="/sparql"' not in index and "/api/docs" not in index
    assert "window.CTLD_STATIC = true" in index
