"""`/api/queries`, `/openapi.json`, `/api/docs` and `ctld query`: the packaged queries as a
REST API and on the command line, against real servers and real processes."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from conftest import ROOT, ctld_server, run_ctld
from openapi_spec_validator import validate

from ctld.build.run import BuildResult
from ctld.core.settings import DEFAULT_BASE_IRI
from ctld.query.engine import QueryRequest, StoreEngine
from ctld.query.packaged import PackagedQuery, read_catalog
from ctld.query.store import Release, memory_store

QUERY_NAMES = sorted(p.stem for p in (ROOT / "sparql" / "queries").glob("*.rq"))
UNOCT = "https://w3id.org/ctld/id/organization/unoct"
ROSFINMONITORING = "https://w3id.org/ctld/id/organization/rosfinmonitoring"

# A query with one parameter of every type, which echoes the values it was given: what
# comes back is exactly how each value was bound.
TYPED_QUERY = """\
#+ summary: Echoes its typed parameters (a test fixture)
#+ params:
#+   - name: text
#+     type: string
#+     description: Any text; the query counts the labels that contain it
#+     required: true
#+     example: Voronkov
#+   - name: n
#+     type: integer
#+     default: 3
#+   - name: day
#+     type: date
#+     example: 2019-05-16
#+   - name: year
#+     type: year
#+     example: "2019"
#+   - name: thing
#+     type: iri
#+     example: person/vladimir-voronkov
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?text ?n ?day ?year ?thing (COUNT(?label) AS ?matches)
WHERE {
  OPTIONAL {
    ?resource skos:prefLabel ?label
    FILTER((!BOUND(?thing) || ?resource = ?thing) && CONTAINS(STR(?label), ?text))
  }
}
GROUP BY ?text ?n ?day ?year ?thing
"""


@pytest.fixture(scope="module")
def catalogue(release: tuple[Path, BuildResult]) -> dict[str, PackagedQuery]:
    root, _ = release
    queries = read_catalog(root / "sparql" / "queries")
    assert sorted(queries) == QUERY_NAMES
    return queries


@pytest.fixture(scope="module")
def engine(release: tuple[Path, BuildResult]) -> StoreEngine:
    root, _ = release
    return StoreEngine(memory_store(Release(root / "dist")))


@pytest.fixture(scope="module")
def typed_project(
    release: tuple[Path, BuildResult], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The release's project with one more packaged query, typed-echo."""
    root, _ = release
    copy = tmp_path_factory.mktemp("typed") / "project"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".ctld-cache"))
    (copy / "sparql" / "queries" / "typed-echo.rq").write_text(TYPED_QUERY, encoding="utf-8")
    return copy


@pytest.fixture(scope="module")
def typed(typed_project: Path) -> Iterator[httpx.Client]:
    with ctld_server(typed_project) as url, httpx.Client(base_url=url, timeout=30) as session:
        yield session


# --- the catalogue -------------------------------------------------------------------


def test_the_catalogue_lists_every_packaged_query(
    client: httpx.Client, catalogue: dict[str, PackagedQuery]
) -> None:
    response = client.get("/api/queries")
    assert response.status_code == 200
    listed = {q["name"]: q for q in response.json()["queries"]}
    assert sorted(listed) == QUERY_NAMES
    for name, query in catalogue.items():
        entry = listed[name]
        assert entry["url"] == f"/api/queries/{name}"
        assert entry["form"] == query.form
        assert entry["query"] == query.file.text
        assert [p["name"] for p in entry["parameters"]] == [p.name for p in query.parameters]
        assert entry["example"] == query.example


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_a_query_with_its_example_answers_json(
    client: httpx.Client, catalogue: dict[str, PackagedQuery], engine: StoreEngine, name: str
) -> None:
    query = catalogue[name]
    response = client.get(f"/api/queries/{name}", params=query.example)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    document = response.json()
    assert document["head"]["vars"]
    assert document["results"]["bindings"], "the example finds something"
    text = query.bind(query.example, DEFAULT_BASE_IRI)
    expected = engine.run(QueryRequest(text, "application/sparql-results+json", limit=1000))
    assert response.content == expected.body


def test_unoct_partners_include_rosfinmonitoring(client: httpx.Client) -> None:
    response = client.get("/api/queries/organization-partners", params={"org": UNOCT})
    partners = {b["partner"]["value"] for b in response.json()["results"]["bindings"]}
    assert ROSFINMONITORING in partners
    assert UNOCT not in partners
    short = client.get("/api/queries/organization-partners", params={"org": "organization/unoct"})
    assert short.content == response.content


@pytest.mark.parametrize("name", QUERY_NAMES)
@pytest.mark.parametrize("how", ["format", "accept"])
def test_csv_by_format_or_accept(
    client: httpx.Client, catalogue: dict[str, PackagedQuery], name: str, how: str
) -> None:
    query = catalogue[name]
    as_json = client.get(f"/api/queries/{name}", params=query.example).json()
    if how == "format":
        response = client.get(f"/api/queries/{name}", params={**query.example, "format": "csv"})
    else:
        response = client.get(
            f"/api/queries/{name}", params=query.example, headers={"Accept": "text/csv"}
        )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == as_json["head"]["vars"]
    assert len(rows) - 1 == len(as_json["results"]["bindings"])


def test_an_unknown_query_is_404(client: httpx.Client) -> None:
    response = client.get("/api/queries/no-such-query")
    assert response.status_code == 404
    assert "no-such-query" in response.text


# --- parameters ----------------------------------------------------------------------


def required_parameters() -> list[tuple[str, str]]:
    found = []
    for name, query in read_catalog(ROOT / "sparql" / "queries").items():
        found += [(name, p.name) for p in query.parameters if p.required and p.default is None]
    return found


def iri_parameters() -> list[tuple[str, str]]:
    found = []
    for name, query in read_catalog(ROOT / "sparql" / "queries").items():
        found += [(name, p.name) for p in query.parameters if p.type == "iri"]
    return found


@pytest.mark.parametrize(("name", "parameter"), required_parameters())
def test_a_missing_required_parameter_is_400(
    client: httpx.Client, catalogue: dict[str, PackagedQuery], name: str, parameter: str
) -> None:
    values = {k: v for k, v in catalogue[name].example.items() if k != parameter}
    response = client.get(f"/api/queries/{name}", params=values)
    assert response.status_code == 400
    assert f"'{parameter}'" in response.text
    assert "required" in response.text


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_an_unknown_parameter_is_400(
    client: httpx.Client, catalogue: dict[str, PackagedQuery], name: str
) -> None:
    values = {**catalogue[name].example, "colour": "blue"}
    response = client.get(f"/api/queries/{name}", params=values)
    assert response.status_code == 400
    assert "'colour'" in response.text


def test_a_parameter_given_twice_is_400(client: httpx.Client) -> None:
    response = client.get(
        "/api/queries/organization-partners", params=[("org", UNOCT), ("org", UNOCT)]
    )
    assert response.status_code == 400
    assert "'org'" in response.text


@pytest.mark.parametrize(("name", "parameter"), iri_parameters())
@pytest.mark.parametrize(
    "value",
    [
        "https://example.org/a b",
        "https://example.org/a>b",
        "https://example.org/a> } DROP ALL #",
        "no-slash-no-scheme",
        "<https://example.org/x>",
    ],
    ids=["space", "greater-than", "closing-and-drop", "relative", "bracketed"],
)
def test_a_bad_iri_parameter_is_400(
    client: httpx.Client,
    catalogue: dict[str, PackagedQuery],
    name: str,
    parameter: str,
    value: str,
) -> None:
    values = {**catalogue[name].example, parameter: value}
    response = client.get(f"/api/queries/{name}", params=values)
    assert response.status_code == 400, response.text
    assert f"'{parameter}'" in response.text


INJECTIONS = [
    "it's",
    'a "quoted" word',
    "} } SELECT * WHERE { ?s ?p ?o }",
    "line one\nline two\r\nline three",
    "# not a comment",
    '"} } ; DROP ALL #',
    "\\u0022) } DROP ALL #",
    "'''\"\"\"",
    "Воронков",
]


def test_a_parameter_not_in_utf8_is_400(typed: httpx.Client) -> None:
    """Latin-1 `é` (%E9) would reach the query as U+FFFD and match nothing, silently."""
    response = typed.get("/api/queries/typed-echo?text=caf%E9")
    assert response.status_code == 400
    assert "typed-echo" in response.text and "not valid utf-8" in response.text
    good = typed.get("/api/queries/typed-echo?text=caf%C3%A9")
    assert good.json()["results"]["bindings"][0]["text"]["value"] == "café"


@pytest.mark.parametrize("value", INJECTIONS, ids=range(len(INJECTIONS)))
def test_a_string_parameter_is_bound_as_a_literal(typed: httpx.Client, value: str) -> None:
    response = typed.get("/api/queries/typed-echo", params={"text": value})
    assert response.status_code == 200, response.text
    rows = response.json()["results"]["bindings"]
    assert len(rows) == 1
    assert rows[0]["text"] == {"type": "literal", "value": value}
    assert rows[0]["n"]["value"] == "3"  # the default, bound too


def test_a_string_parameter_does_its_job(typed: httpx.Client) -> None:
    found = typed.get(
        "/api/queries/typed-echo", params={"text": "Воронков", "thing": "person/vladimir-voronkov"}
    )
    assert found.json()["results"]["bindings"][0]["matches"]["value"] == "1"
    missing = typed.get(
        "/api/queries/typed-echo", params={"text": "Nobody", "thing": "person/vladimir-voronkov"}
    )
    assert missing.json()["results"]["bindings"][0]["matches"]["value"] == "0"


def test_typed_parameters_are_bound_with_their_datatypes(typed: httpx.Client) -> None:
    response = typed.get(
        "/api/queries/typed-echo",
        params={
            "text": "x",
            "n": "42",
            "day": "2019-05-16",
            "year": "2019",
            "thing": "organization/unoct",
        },
    )
    assert response.status_code == 200, response.text
    row = response.json()["results"]["bindings"][0]
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert row["n"] == {"type": "literal", "value": "42", "datatype": xsd + "integer"}
    assert row["day"] == {"type": "literal", "value": "2019-05-16", "datatype": xsd + "date"}
    assert row["year"] == {"type": "literal", "value": "2019", "datatype": xsd + "gYear"}
    assert row["thing"] == {"type": "uri", "value": UNOCT}


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("n", "abc"),
        ("n", "4.5"),
        ("n", "1 } DROP ALL"),
        ("day", "2019-13-45"),
        ("day", "yesterday"),
        ("year", "19"),
        ("year", "2019-05"),
        ("thing", "a b"),
    ],
)
def test_a_badly_typed_parameter_is_400(typed: httpx.Client, parameter: str, value: str) -> None:
    response = typed.get("/api/queries/typed-echo", params={"text": "x", parameter: value})
    assert response.status_code == 400
    assert f"'{parameter}'" in response.text
    assert repr(value) in response.text


def test_the_string_parameter_is_required(typed: httpx.Client) -> None:
    response = typed.get("/api/queries/typed-echo")
    assert response.status_code == 400
    assert "'text'" in response.text


# --- OpenAPI and the docs page ----------------------------------------------------------

SCHEMA_TYPES = {
    "iri": "string",
    "string": "string",
    "integer": "integer",
    "date": "string",
    "year": "string",
}


def check_openapi(document: dict, queries: dict[str, PackagedQuery]) -> None:
    """The document's structure, by hand; then by openapi-spec-validator where installed."""
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] and document["info"]["version"]
    assert document["servers"][0]["url"].startswith("http://127.0.0.1:")
    paths = document["paths"]
    assert "/api/queries" in paths
    assert set(paths) == {"/api/queries", *(f"/api/queries/{n}" for n in queries)}
    operation_ids = [op["operationId"] for item in paths.values() for op in item.values()]
    assert len(set(operation_ids)) == len(operation_ids)
    for name, query in queries.items():
        operation = paths[f"/api/queries/{name}"]["get"]
        assert operation["summary"] == query.summary
        assert "200" in operation["responses"] and "400" in operation["responses"]
        declared = {p["name"]: p for p in operation["parameters"]}
        assert set(declared) == {p.name for p in query.parameters} | {"format"}
        for parameter in query.parameters:
            described = declared[parameter.name]
            assert described["in"] == "query"
            assert described["required"] == (parameter.required and parameter.default is None)
            schema = described["schema"]
            assert schema["type"] == SCHEMA_TYPES[parameter.type]
            if "default" in schema:  # a default is a value of the schema's own type
                kind = {"integer": int, "string": str}[schema["type"]]
                assert isinstance(schema["default"], kind), (parameter.name, schema)
            if parameter.example is not None:
                assert str(described["example"]) == parameter.example
    validate(document)  # the OpenAPI 3 schema itself, by openapi-spec-validator


def test_openapi_describes_every_query(client: httpx.Client, catalogue: dict) -> None:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    check_openapi(response.json(), catalogue)


def test_openapi_describes_every_parameter_type(typed: httpx.Client, typed_project: Path) -> None:
    document = typed.get("/openapi.json").json()
    check_openapi(document, read_catalog(typed_project / "sparql" / "queries"))
    parameters = {
        p["name"]: p for p in document["paths"]["/api/queries/typed-echo"]["get"]["parameters"]
    }
    assert parameters["day"]["schema"] == {"type": "string", "format": "date"}
    assert parameters["n"]["schema"]["type"] == "integer"
    assert parameters["n"]["required"] is False
    assert parameters["text"]["required"] is True
    assert parameters["year"]["schema"]["pattern"] == "^-?[0-9]{4}$"


class Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.sections: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and values.get("src"):
            self.urls.append(values["src"] or "")
        if tag == "link" and values.get("rel") == "stylesheet":
            self.urls.append(values.get("href") or "")
        if tag == "section" and "api-query" in (values.get("class") or ""):
            self.sections.append(values.get("id") or "")


def test_the_docs_page_lists_every_query_and_works_offline(client: httpx.Client) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = Scripts()
    page.feed(response.text)
    assert sorted(page.sections) == QUERY_NAMES
    assert page.urls
    for url in page.urls:
        assert url.startswith("/static/"), url
        assert client.get(url).status_code == 200
    assert "/openapi.json" in response.text


# --- the command line ---------------------------------------------------------------------


def ctld_query(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_ctld(root, "query", *args, "--dist", str(root / "dist"))


def test_cli_lists_the_queries(release: tuple[Path, BuildResult]) -> None:
    root, _ = release
    done = ctld_query(root)
    assert done.returncode == 0, done.stderr
    listed = sorted(line.split()[0] for line in done.stdout.splitlines() if line.strip())
    assert listed == QUERY_NAMES
    assert "org:iri" in done.stdout


def test_cli_csv(release: tuple[Path, BuildResult]) -> None:
    root, _ = release
    done = ctld_query(
        root, "organization-partners", "--param", "org=organization/unoct", "--format", "csv"
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert ROSFINMONITORING in {row["partner"] for row in rows}


def test_cli_json_is_what_the_api_answers(
    release: tuple[Path, BuildResult], client: httpx.Client
) -> None:
    root, _ = release
    done = ctld_query(root, "organization-partners", "--param", f"org={UNOCT}", "--format", "json")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    api = client.get("/api/queries/organization-partners", params={"org": UNOCT}).json()
    assert document == api


def test_cli_table(release: tuple[Path, BuildResult]) -> None:
    root, _ = release
    done = ctld_query(
        root, "organization-partners", "--param", "org=organization/unoct", "--format", "table"
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split()[:3] == ["partner", "partnerLabel", "relation"]
    assert any(ROSFINMONITORING in line for line in lines[1:])
    assert f"({len(lines) - 1} row(s))" in done.stderr


@pytest.mark.parametrize(
    ("param", "named"),
    [("org=not an iri", "org"), ("colour=blue", "colour"), ("org", "org")],
    ids=["bad-iri", "unknown", "no-equals"],
)
def test_cli_bad_parameter_exits_2(
    release: tuple[Path, BuildResult], param: str, named: str
) -> None:
    root, _ = release
    done = ctld_query(root, "organization-partners", "--param", param, "--format", "csv")
    assert done.returncode == 2
    assert f"'{named}'" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_cli_missing_parameter_exits_2(release: tuple[Path, BuildResult]) -> None:
    root, _ = release
    done = ctld_query(root, "organization-partners")
    assert done.returncode == 2
    assert "'org'" in done.stderr and "required" in done.stderr


def test_cli_unknown_query_exits_2(release: tuple[Path, BuildResult]) -> None:
    root, _ = release
    done = ctld_query(root, "no-such-query")
    assert done.returncode == 2
    assert "no-such-query" in done.stderr
