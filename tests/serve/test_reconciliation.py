"""The Reconciliation Service at /reconcile (W3C Entity Reconciliation CG, API v0.2).

The protocol is tested over real HTTP against `ctld serve` (the session's `server`),
every answer checked against structure assertions written from the v0.2 specification
and its JSON schemas (manifest, result batch, suggest responses, preview). The ranking
is tested twice: a table of hard queries (tests/fixtures/reconcile/queries.yaml) sent
as one batch, and every label of every curated entity in data/authorities, which must
bring back its own entity first; the latter runs on an in-process reconciler, as
thousands of HTTP round trips would only test uvicorn.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote

import httpx
import pyoxigraph as ox
import pytest
import yaml

from ctld.build.run import BuildResult
from ctld.core.settings import DEFAULT_BASE_IRI
from ctld.link.labels import LabelIndex, ascii_fold
from ctld.link.ranking import Query, Reconciler
from ctld.query.engine import StoreEngine
from ctld.query.packaged import read_catalog
from ctld.query.store import Release, memory_store
from ctld.serve.reconciliation import load

ROOT = Path(__file__).resolve().parents[2]
ID = "https://w3id.org/ctld/id/"
CTLD = "https://w3id.org/ctld/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PARENT, PLACE, ALIAS = CTLD + "subOrganizationOf", CTLD + "location", SKOS + "altLabel"
TABLE = ROOT / "tests" / "fixtures" / "reconcile" / "queries.yaml"


# --- structure, as the v0.2 specification and schemas define it ----------------------------


def text(value: object) -> bool:
    return isinstance(value, str) and value != ""


def number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def template(value: object, marker: str = "{{id}}") -> bool:
    return isinstance(value, str) and marker in value


def check_type(item: object) -> None:
    """A type: id and name (non-empty strings), an optional description, and optional
    broader types, each a type again."""
    assert isinstance(item, dict), item
    assert text(item.get("id")) and text(item.get("name")), item
    assert isinstance(item.get("description", ""), str), item
    broader = item.get("broader", [])
    assert isinstance(broader, list), item
    for up in broader:
        check_type(up)


def check_type_ref(item: object) -> None:
    """A candidate's type, or a suggested entity's notable type: a string id, or an
    object with an id (and a name)."""
    if isinstance(item, str):
        assert item
        return
    assert isinstance(item, dict) and text(item.get("id")), item
    assert isinstance(item.get("name", ""), str), item


def check_manifest(manifest: object) -> None:
    assert isinstance(manifest, dict)
    for key in ("versions", "name", "identifierSpace", "schemaSpace"):
        assert key in manifest, f"the manifest lacks {key}"
    versions = manifest["versions"]
    assert isinstance(versions, list) and all(isinstance(v, str) for v in versions)
    assert "0.2" in versions
    for key in ("name", "identifierSpace", "schemaSpace"):
        assert text(manifest[key]), key
    for key in ("documentation", "serviceVersion", "logo"):
        assert isinstance(manifest.get(key, ""), str), key
    if "view" in manifest:
        assert template(manifest["view"].get("url")), "view.url needs {{id}}"
    if "defaultTypes" in manifest:
        types = manifest["defaultTypes"]
        assert isinstance(types, list)
        for item in types:
            check_type(item)
        ids = [t["id"] for t in types]
        assert len(ids) == len(set(ids)), "defaultTypes must be unique"
    if "preview" in manifest:
        preview = manifest["preview"]
        assert template(preview.get("url")), "preview.url needs {{id}}"
        assert isinstance(preview.get("width"), int) and isinstance(preview.get("height"), int)
    for kind, service in manifest.get("suggest", {}).items():
        assert kind in ("entity", "property", "type"), kind
        assert isinstance(service, dict)
        for key in ("service_url", "service_path", "flyout_service_url"):
            assert isinstance(service.get(key, ""), str), key
        if "flyout_service_path" in service:
            assert template(service["flyout_service_path"], "${id}")
    if "batchSize" in manifest:
        assert isinstance(manifest["batchSize"], int) and manifest["batchSize"] > 0


def check_candidate(candidate: object) -> None:
    assert isinstance(candidate, dict), candidate
    assert text(candidate.get("id")) and text(candidate.get("name")), candidate
    assert number(candidate.get("score")), candidate
    assert 0 <= candidate["score"] <= 100, "our scores are on 0–100"
    assert isinstance(candidate.get("match", False), bool)
    assert isinstance(candidate.get("description", ""), str)
    types = candidate.get("type", [])
    assert isinstance(types, list)
    for item in types:
        check_type_ref(item)
    for feature in candidate.get("features", []):
        assert isinstance(feature, dict) and text(feature.get("id")), feature
        assert isinstance(feature.get("value"), bool) or number(feature.get("value")), feature


def check_results(batch: object, keys: list[str]) -> None:
    """A result batch: an object with one {"result": [candidate…]} per query key, each
    list sorted by decreasing score (SHOULD), at most one match (ours)."""
    assert isinstance(batch, dict)
    assert sorted(batch) == sorted(keys)
    for key, value in batch.items():
        assert isinstance(value, dict) and isinstance(value.get("result"), list), key
        for candidate in value["result"]:
            check_candidate(candidate)
        scores = [c["score"] for c in value["result"]]
        assert scores == sorted(scores, reverse=True), key
        assert sum(c.get("match", False) for c in value["result"]) <= 1, key


def check_suggest(response: object, kind: str) -> list[dict]:
    assert isinstance(response, dict) and isinstance(response.get("result"), list)
    for item in response["result"]:
        if kind == "type":
            check_type(item)
            continue
        assert isinstance(item, dict) and text(item.get("id")) and text(item.get("name")), item
        assert isinstance(item.get("description", ""), str)
        if kind == "entity":
            assert isinstance(item.get("notable", []), list)
            for notable in item.get("notable", []):
                check_type_ref(notable)
        else:
            assert "notable" not in item
    return response["result"]


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def manifest(client: httpx.Client) -> dict:
    response = client.get("/reconcile")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def reconcile(client: httpx.Client, queries: dict, **headers: str) -> dict:
    response = client.post("/reconcile", data={"queries": json.dumps(queries)}, headers=headers)
    assert response.status_code == 200, response.text
    check_results(response.json(), list(queries))
    return response.json()


def top(client: httpx.Client, query: dict) -> dict:
    result = reconcile(client, {"q": query})["q"]["result"]
    assert result, f"no candidate for {query}"
    return result[0]


# --- the manifest --------------------------------------------------------------------------


def test_a_bare_get_returns_the_manifest(manifest: dict, server: str) -> None:
    check_manifest(manifest)
    assert manifest["versions"] == ["0.2"]
    assert manifest["identifierSpace"] == ID
    assert manifest["schemaSpace"] == CTLD
    assert manifest["view"]["url"] == f"{server}/doc/{{{{id}}}}"
    assert manifest["preview"]["url"].startswith(f"{server}/reconcile/preview?")
    defaults = {t["id"] for t in manifest["defaultTypes"]}
    assert {CTLD + "Organization", CTLD + "Person", CTLD + "State"} <= defaults
    assert all(t.startswith(CTLD) for t in defaults)
    for kind in ("entity", "type", "property"):
        service = manifest["suggest"][kind]
        assert service["service_url"] + service["service_path"] == (
            f"{server}/reconcile/suggest/{kind}"
        )


def test_the_templates_lead_to_the_entity(client: httpx.Client, manifest: dict) -> None:
    """Clients put the id, encoded as a URI component, into the view and preview
    templates; our ids (kind/slug) must resolve either way."""
    entity = top(client, {"query": "UNODC"})
    assert entity["id"] == "organization/unodc"
    for inserted in (entity["id"], quote(entity["id"], safe="")):
        view = client.get(manifest["view"]["url"].replace("{{id}}", inserted),
                          headers={"Accept": "text/html"})  # fmt: skip
        assert view.status_code == 200, inserted
        assert f"{ID}organization/unodc" in view.text
        preview = client.get(manifest["preview"]["url"].replace("{{id}}", inserted))
        assert preview.status_code == 200, inserted
        assert "United Nations Office on Drugs and Crime" in preview.text


def test_jsonp_wraps_the_manifest(client: httpx.Client, manifest: dict) -> None:
    response = client.get("/reconcile", params={"callback": "jQuery_1.cb$2"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/javascript")
    assert response.headers["x-content-type-options"] == "nosniff"
    match = re.fullmatch(r"/\*\*/jQuery_1\.cb\$2\((.*)\);", response.text, re.DOTALL)
    assert match, response.text[:80]
    assert json.loads(match.group(1)) == manifest


@pytest.mark.parametrize(
    ("method", "target", "body"),
    [("GET", "/reconcile?queries=%7B%22q0%22%3A%7B%22query%22%3A%22caf%E9%22%7D%7D", b""),
     ("POST", "/reconcile", b"queries=%7B%22q0%22%3A%7B%22query%22%3A%22caf%E9%22%7D%7D"),
     ("GET", "/reconcile/suggest/entity?prefix=caf%E9", b"")],
    ids=["get", "post", "suggest"],
)  # fmt: skip
def test_a_value_not_in_utf8_is_a_400(
    client: httpx.Client, method: str, target: str, body: bytes
) -> None:
    """Latin-1 `é` would become U+FFFD and match nothing, with no word of why."""
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    response = client.request(method, target, content=body, headers=headers)
    assert response.status_code == 400
    assert "not valid utf-8" in response.json()["error"]


@pytest.mark.parametrize("callback", ["alert(1)", "a b", "1abc", "x;y", "<script>", "a-b", ""])
def test_a_callback_that_is_not_a_name_is_refused(client: httpx.Client, callback: str) -> None:
    response = client.get("/reconcile", params={"callback": callback})
    assert response.status_code == 400
    assert "callback" in response.json()["error"]


def test_cors_is_open(client: httpx.Client) -> None:
    response = client.get("/reconcile", headers={"Origin": "https://example.org"})
    assert response.headers["access-control-allow-origin"] == "*"


# --- reconciliation queries ----------------------------------------------------------------


def test_get_and_post_give_the_same_results(client: httpx.Client) -> None:
    queries = {"a": {"query": "ОДКБ"}, "b": {"query": "Dushanbe", "limit": 3}}
    by_get = client.get("/reconcile", params={"queries": json.dumps(queries)})
    assert by_get.status_code == 200
    check_results(by_get.json(), ["a", "b"])
    assert by_get.json() == reconcile(client, queries)
    assert len(by_get.json()["b"]["result"]) <= 3


def test_a_candidate_has_everything_a_client_shows(client: httpx.Client) -> None:
    best = top(client, {"query": "ONUDC", "type": CTLD + "Organization"})
    assert best["id"] == "organization/unodc"
    assert best["name"] == "United Nations Office on Drugs and Crime"
    assert best["type"] == [{"id": CTLD + "UnitedNationsEntity", "name": "United Nations entity"}]
    assert best["score"] == 100 and best["match"] is True
    assert "United Nations Secretariat" in best["description"]  # its parent
    assert {f["id"] for f in best["features"]} >= {"name_similarity", "type_match"}


def test_match_only_when_unambiguous(client: httpx.Client) -> None:
    assert top(client, {"query": "Collective Security Treaty Organization"})["match"] is True
    # "Tunis" is the city's name and, in Russian and Spanish, the country's too
    tied = reconcile(client, {"q": {"query": "Тунис"}})["q"]["result"]
    assert {c["id"] for c in tied[:2]} == {"place/tunis", "state/tunisia"}
    assert tied[0]["score"] == tied[1]["score"] and not any(c["match"] for c in tied)
    # a typo is a good guess, never a certainty
    guess = top(client, {"query": "UNDOC"})
    assert guess["id"] == "organization/unodc" and guess["match"] is False


def test_an_identifier_as_query_finds_its_entity(client: httpx.Client) -> None:
    for query in ("organization/csto", f"{ID}organization/csto"):
        best = top(client, {"query": query})
        assert (best["id"], best["score"], best["match"]) == ("organization/csto", 100, True)


def test_names_follow_accept_language(client: httpx.Client) -> None:
    response = client.post("/reconcile", data={"queries": json.dumps({"q": {"query": "UNODC"}})},
                           headers={"Accept-Language": "fr-CH, fr;q=0.9, en;q=0.5"})  # fmt: skip
    assert response.headers["content-language"] == "fr"
    best = response.json()["q"]["result"][0]
    assert best["name"] == "Office des Nations Unies contre la drogue et le crime"


def test_type_strictness(client: httpx.Client) -> None:
    """`any` (the default) keeps only the types asked for, `all` every one of them,
    `should` keeps the rest lower."""
    place = {"query": "Tajikistan", "type": [CTLD + "Organization", CTLD + "Place"]}
    anything = reconcile(client, {"q": place})["q"]["result"]
    assert {c["id"] for c in anything} >= {"state/tajikistan", "organization/mfa-tajikistan"}
    both = reconcile(client, {"q": {**place, "type_strict": "all"}})["q"]["result"]
    assert [c["id"] for c in both] == ["state/tajikistan"]  # a state is both
    should = {"query": "Dushanbe", "type": CTLD + "Instrument", "type_strict": "should"}
    scores = {c["id"]: c["score"] for c in reconcile(client, {"q": should})["q"]["result"]}
    assert "instrument/dushanbe-declaration-2019" in scores
    assert scores["place/dushanbe"] < top(client, {"query": "Dushanbe"})["score"]


def test_properties_alone_can_reconcile(client: httpx.Client) -> None:
    query = {"properties": [{"pid": "parent", "v": "CSTO"}], "type": CTLD + "Organization"}
    result = reconcile(client, {"q": query})["q"]["result"]
    expected = {"organization/csto-secretariat", "organization/csto-council-of-foreign-ministers"}
    assert {c["id"] for c in result} == expected


BAD = {
    "not JSON": ("{'q0': ", "not JSON"),
    "a list": ('[{"query": "x"}]', "JSON object"),
    "query not an object": ('{"q7": "UNODC"}', "'q7'"),
    "query a number": ('{"q7": {"query": 3}}', "'q7'"),
    "type a number": ('{"q7": {"query": "x", "type": 3}}', "'q7'"),
    "unknown type": ('{"q7": {"query": "x", "type": "ctld:Nothing"}}', "'q7'"),
    "limit zero": ('{"q7": {"query": "x", "limit": 0}}', "'q7'"),
    "limit a string": ('{"q7": {"query": "x", "limit": "5"}}', "'q7'"),
    "limit a fraction": ('{"q7": {"query": "x", "limit": 2.5}}', "'q7'"),
    "limit infinite": ('{"q7": {"query": "x", "limit": 1e999}}', "'q7'"),
    "limit not a number": ('{"q7": {"query": "x", "limit": NaN}}', "'q7'"),
    "nested too deep": ("[" * 5_000 + "]" * 5_000, "not JSON"),
    "bad strictness": ('{"q7": {"query": "x", "type_strict": "maybe"}}', "'q7'"),
    "properties an object": ('{"q7": {"query": "x", "properties": {"pid": "country"}}}', "'q7'"),
    "property without v": ('{"q7": {"query": "x", "properties": [{"pid": "country"}]}}', "'q7'"),
    "unknown property": ('{"q7": {"query": "x", "properties": [{"pid": "P17", "v": "x"}]}}',
                         "'q7'"),
    "value a list of lists": ('{"q7": {"query": "x", "properties": [{"pid": "country", '
                              '"v": [["TJ"]]}]}}', "'q7'"),
    "nothing to look for": ('{"q0": {"query": "x"}, "q7": {"query": " "}}', "'q7'"),
}  # fmt: skip


@pytest.mark.parametrize("name", BAD)
def test_a_bad_batch_is_a_400_naming_the_query(client: httpx.Client, name: str) -> None:
    payload, expected = BAD[name]
    for response in (client.post("/reconcile", data={"queries": payload}),
                     client.get("/reconcile", params={"queries": payload})):  # fmt: skip
        assert response.status_code == 400, name
        assert expected in response.json()["error"], response.json()


def test_batches_larger_than_announced_are_refused(client: httpx.Client, manifest: dict) -> None:
    size = manifest["batchSize"]
    queries = {f"q{i}": {"query": "UN"} for i in range(size + 1)}
    response = client.post("/reconcile", data={"queries": json.dumps(queries)})
    assert response.status_code == 413
    queries.pop("q0")
    assert client.post("/reconcile", data={"queries": json.dumps(queries)}).status_code == 200


def test_only_forms_are_posted(client: httpx.Client) -> None:
    response = client.post("/reconcile", json={"q0": {"query": "UNODC"}})
    assert response.status_code == 415


# --- suggest services ----------------------------------------------------------------------


def suggest(client: httpx.Client, kind: str, **params: str) -> list[dict]:
    response = client.get(f"/reconcile/suggest/{kind}", params=params)
    assert response.status_code == 200, response.text
    return check_suggest(response.json(), kind)


def test_entity_suggestions_complete_a_prefix(client: httpx.Client) -> None:
    found = suggest(client, "entity", prefix="unod")
    assert {e["id"] for e in found[:2]} == {"organization/unodc", "organization/unoda"}
    found = suggest(client, "entity", prefix="UNODC")
    assert found[0]["id"] == "organization/unodc"
    assert found[0]["notable"] == [{"id": CTLD + "UnitedNationsEntity",
                                    "name": "United Nations entity"}]  # fmt: skip
    assert "organization/unodc-programme-office-kyrgyzstan" in [e["id"] for e in found]
    russian = [e["id"] for e in suggest(client, "entity", prefix="Контртеррор")]
    assert {"organization/counter-terrorism-committee", "organization/unoct"} <= set(russian)
    assert suggest(client, "entity", prefix="organization/sco")[0]["id"] == "organization/sco"
    posts = suggest(client, "entity", prefix="head", type=CTLD + "Post")
    assert posts and all(p["id"].startswith("post/") for p in posts)


def test_entity_suggestions_page_with_the_cursor(client: httpx.Client) -> None:
    first = suggest(client, "entity", prefix="united nations", limit="5")
    second = suggest(client, "entity", prefix="united nations", limit="5", cursor="5")
    assert len(first) == 5 and second
    assert not {e["id"] for e in first} & {e["id"] for e in second}


def test_type_suggestions_carry_broader_types(client: httpx.Client) -> None:
    found = suggest(client, "type", prefix="intergov")
    assert [t["id"] for t in found] == [CTLD + "IntergovernmentalOrganization"]
    assert found[0]["broader"] == [{"id": CTLD + "Organization", "name": "Organization"}]
    french = suggest(client, "type", prefix="Organisation intergouvernementale")
    assert french[0]["id"] == CTLD + "IntergovernmentalOrganization"
    assert len(suggest(client, "type", prefix="", limit="100")) > 20


def test_property_suggestions_are_the_pids_queries_take(client: httpx.Client) -> None:
    found = suggest(client, "property", prefix="")
    assert {p["id"] for p in found} == {PARENT, PLACE, ALIAS}
    assert [p["id"] for p in suggest(client, "property", prefix="coun")] == [PLACE]
    for prop in found:
        query = {"query": "Secretariat", "properties": [{"pid": prop["id"], "v": "CSTO"}]}
        reconcile(client, {"q": query})


def test_suggest_checks_its_parameters(client: httpx.Client) -> None:
    assert client.get("/reconcile/suggest/places").status_code == 404
    assert client.get("/reconcile/suggest/entity", params={"cursor": "x"}).status_code == 400
    unknown = {"prefix": "a", "type": "ctld:Nothing"}
    assert client.get("/reconcile/suggest/entity", params=unknown).status_code == 400
    wrapped = client.get("/reconcile/suggest/property", params={"callback": "cb"})
    assert wrapped.text.startswith("/**/cb(")


# --- preview -------------------------------------------------------------------------------


def test_preview_is_a_small_escaped_page(client: httpx.Client, manifest: dict) -> None:
    entity = "organization/isil-al-qaida-sanctions-committee"
    url = manifest["preview"]["url"].replace("{{id}}", entity)
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    page = response.text
    assert page.startswith("<!DOCTYPE html>") and len(page) < 20_000
    assert "ISIL (Da&#x27;esh) and Al-Qaida Sanctions Committee" in page
    assert "ISIL (Da&#x27;esh) &amp; Al-Qaida Sanctions Committee" in page
    assert "<script" not in page
    assert f'href="/doc/{entity}"' in page
    missing = client.get("/reconcile/preview", params={"id": "organization/<b>nothing</b>"})
    assert missing.status_code == 404 and "<b>" not in missing.text


# --- ranking: the table of hard queries ------------------------------------------------------


def hard_queries() -> list[dict]:
    return yaml.safe_load(TABLE.read_text(encoding="utf-8"))


def test_the_table_is_hard_and_well_formed() -> None:
    rows = hard_queries()
    assert len(rows) >= 30
    for row in rows:
        assert set(row) <= {"query", "type", "type_strict", "properties", "expect", "why"}, row
        assert row["expect"].startswith(ID) and row["why"], row
    kinds = {key for row in rows for key in ("type", "properties") if key in row}
    assert kinds == {"type", "properties"}


def test_hard_queries_rank_the_right_entity_first(client: httpx.Client) -> None:
    rows = hard_queries()
    batch = {f"q{i}": {k: row[k] for k in ("query", "type", "type_strict", "properties")
                       if k in row} for i, row in enumerate(rows)}  # fmt: skip
    results = reconcile(client, batch)
    misses = []
    for i, row in enumerate(rows):
        found = [c["id"] for c in results[f"q{i}"]["result"]]
        if not found or ID + found[0] != row["expect"]:
            misses.append(f"{row['query']!r} ({row['why']}): expected {row['expect']}, "
                          f"got {found[:3]}")  # fmt: skip
    print(f"\nhard queries ranked first: {len(rows) - len(misses)}/{len(rows)}")
    for miss in misses:
        print("  miss:", miss)
    assert len(rows) - len(misses) >= 0.9 * len(rows), "\n".join(misses)


# --- ranking: every curated name finds its entity ------------------------------------------


def authority_labels() -> dict[str, list[tuple[str, str]]]:
    """Every skos:prefLabel and skos:altLabel in data/authorities, by entity."""
    store = ox.Store()
    for path in sorted((ROOT / "data" / "authorities").glob("*.ttl")):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    labels: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in store.query(f"SELECT ?s ?l ?p WHERE {{ VALUES ?p {{ <{SKOS}prefLabel> "
                           f"<{SKOS}altLabel> }} ?s ?p ?l }}"):  # fmt: skip
        labels[row["s"].value].append((row["l"].value, row["p"].value.rsplit("#", 1)[1]))
    return {iri: sorted(items) for iri, items in sorted(labels.items())}


AUTHORITY_LABELS = authority_labels()


@pytest.fixture(scope="module")
def reconciler(release: tuple[Path, BuildResult]) -> Reconciler:
    """The server's reconciler, in this process (same queries, same index)."""
    root, _ = release
    engine = StoreEngine(memory_store(Release(root / "dist")))
    pages = read_catalog(root / "sparql" / "pages")
    labels = LabelIndex.load(engine, pages["labels"], DEFAULT_BASE_IRI)
    return load(engine, pages, labels, DEFAULT_BASE_IRI)


@pytest.fixture(scope="module")
def owners(reconciler: Reconciler) -> dict[str, set[str]]:
    """Folded name → the resources bearing it, over the whole release."""
    found: dict[str, set[str]] = defaultdict(set)
    for name in reconciler.names.names:
        found[ascii_fold(name.label.text)].add(name.iri)
    return found


@pytest.mark.parametrize("iri", list(AUTHORITY_LABELS), ids=lambda i: i.removeprefix(ID))
def test_every_curated_name_ranks_its_entity_first(
    reconciler: Reconciler, owners: dict[str, set[str]], iri: str
) -> None:
    """Each prefLabel and altLabel brings back its entity first. A tie is allowed only
    where entities share the name exactly (once folded): then the entity must be among
    the tied first candidates."""
    failures = []
    for label, prop in AUTHORITY_LABELS[iri]:
        result = reconciler.reconcile(Query(label, limit=10))
        if result and result[0].iri == iri:
            continue
        tied = [c.iri for c in result if result and c.score == result[0].score]
        if len(owners[ascii_fold(label)]) > 1 and iri in tied:
            continue
        failures.append(f"{prop} {label!r}: first {[(c.iri, c.score) for c in result[:3]]}")
    assert not failures, "\n".join(failures)


def test_shared_names_are_few_and_tie(reconciler: Reconciler, owners: dict[str, set[str]]) -> None:
    """Report the curated names that several resources bear; each gives a tie, and no
    `match`, since the service cannot choose."""
    shared = {}
    for items in AUTHORITY_LABELS.values():
        for label, _ in items:
            bearers = owners[ascii_fold(label)]
            if len(bearers) > 1:
                shared[ascii_fold(label)] = bearers
    total = sum(len(items) for items in AUTHORITY_LABELS.values())
    print(
        f"\ncurated names checked: {total} of {len(AUTHORITY_LABELS)} entities; "
        f"names borne by several resources: {len(shared)}"
    )
    for name, bearers in sorted(shared.items()):
        print(f"  {name!r}: {sorted(b.removeprefix(ID) for b in bearers)}")
        result = reconciler.reconcile(Query(name, limit=10))
        assert not result[0].match, name
    assert len(shared) < 20
