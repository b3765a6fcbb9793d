"""The command line as a user meets it: exit codes, readable reports, no tracebacks."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

NO_SYMBOL = FIXTURES / "shapes" / "resolution-without-symbol.bad.ttl"


def ctld(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ctld", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
        timeout=600,
    )


def test_validate_repository_exits_0() -> None:
    result = ctld("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("conforms: 0 violation(s)")


def test_validate_names_focus_node_and_problem() -> None:
    result = ctld("validate", str(NO_SYMBOL))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "resolution/" in result.stdout
    assert "symbol" in result.stdout.lower()
    assert "resolution-without-symbol.bad.ttl:" in result.stdout
    assert "does not conform" in result.stdout


def test_validate_json_is_machine_readable() -> None:
    result = ctld("validate", "--format", "json", str(NO_SYMBOL))
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["conforms"] is False
    first = report["violations"][0]
    assert {"focus", "message", "path", "component", "shape", "file", "line"} <= set(first)
    assert any(v["component"] == "sh:MinCountConstraintComponent" for v in report["violations"])


def test_syntax_error_names_file_and_line_without_traceback() -> None:
    broken = FIXTURES / "syntax" / "missing-object.ttl"
    result = ctld("validate", str(broken))
    assert result.returncode == 2
    assert "missing-object.ttl:4: syntax error" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_path_is_named() -> None:
    result = ctld("validate", "no/such/file.ttl")
    assert result.returncode == 2
    assert "not found: no/such/file.ttl" in result.stderr
    assert "Traceback" not in result.stderr


def test_debug_shows_the_traceback() -> None:
    result = ctld("--debug", "validate", "no/such/file.ttl")
    assert result.returncode == 2
    assert "Traceback" in result.stderr


def test_root_outside_a_project_is_an_error(tmp_path: Path) -> None:
    result = ctld("--root", str(tmp_path), "validate")
    assert result.returncode == 2
    assert "ontology" in result.stderr and "Traceback" not in result.stderr


def test_reason_reports_consistency() -> None:
    result = ctld("reason")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("consistent:")


def test_reason_finds_an_inconsistent_fixture() -> None:
    bad = FIXTURES / "reasoning" / "person-is-organization.inconsistent.ttl"
    result = ctld("reason", "--format", "json", str(bad))
    assert result.returncode == 1
    assert json.loads(result.stdout)["consistent"] is False


def test_jena_passthrough() -> None:
    result = ctld("jena", "riot", "--validate", str(ROOT / "ontology" / "ctld.ttl"))
    assert result.returncode == 0, result.stderr


def test_extract_report_json(tmp_path: Path) -> None:
    result = ctld(
        "extract", "--no-write", "--report", "json",
        str(ROOT / "data" / "articles" / "003_04716fd2df2bc222.txt"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    (report,) = json.loads(result.stdout)
    assert report["id"] == "003_04716fd2df2bc222"
    for key in ("organizations", "persons", "places", "events", "agreements", "resolutions",
                "topics", "posts"):  # fmt: skip
        assert isinstance(report[key], list)
    (agreement,) = [a for a in report["agreements"] if a["type"] == "cooperation-arrangement"]
    assert {p["label"] for p in agreement["parties"]} == {
        "INTERPOL",
        "United Nations Office on Drugs and Crime",
    }
    for item in report["organizations"]:
        assert {"iri", "label", "type", "mentions"} <= set(item)


def test_extract_writes_graphs_and_reports_bad_articles(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    good = ROOT / "data" / "articles" / "004_06ca5f3817816343.txt"
    (articles / good.name).write_bytes(good.read_bytes())
    (articles / "bad_1.txt").write_text("---\nid: bad_1\nlanguage: english\n---\nx\n", "utf-8")
    out = tmp_path / "graphs"
    result = ctld("extract", "--graphs", str(out), str(articles))
    assert result.returncode == 1
    assert "bad_1.txt:3: field 'language'" in result.stderr
    assert "Traceback" not in result.stderr
    assert (out / "004_06ca5f3817816343.ttl").is_file()
    assert not (out / "bad_1.ttl").exists()


def test_evaluate_prints_scores() -> None:
    result = ctld("evaluate", "--gold", str(ROOT / "tests" / "gold"), "--format", "json")
    assert result.returncode == 0, result.stderr
    scores = json.loads(result.stdout)
    assert scores["categories"]["resolutions"]["f1"] >= 0.95
    assert set(scores["articles"]) == {p.stem for p in (ROOT / "tests" / "gold").glob("*.yaml")}
    text = ctld("evaluate", "--gold", str(ROOT / "tests" / "gold"))
    assert text.stdout.splitlines()[0].split()[:4] == ["category", "precision", "recall", "F1"]


def test_evaluate_missing_gold_dir() -> None:
    result = ctld("evaluate", "--gold", "no/such/dir")
    assert result.returncode == 2 and "no/such/dir" in result.stderr


def test_jobs_must_be_positive() -> None:
    result = ctld("extract", "--jobs", "0")
    assert result.returncode == 2 and "--jobs" in result.stderr


@pytest.mark.parametrize("command", ["build", "serve", "query", "links", "publish"])
def test_the_release_folder_is_dist_on_every_command(command: str) -> None:
    from ctld.cli import build_parser

    extra = ["--site", "x"] if command == "publish" else []
    args = build_parser().parse_args([command, "--dist", "elsewhere", *extra])
    assert args.dist == Path("elsewhere")


@pytest.mark.parametrize(("argv", "dest"), [
    (["build", "--out", "old"], "dist"),
    (["extract", "--out", "old"], "graphs"),
])  # fmt: skip
def test_older_option_spellings_still_work(argv: list[str], dest: str) -> None:
    from ctld.cli import build_parser

    assert getattr(build_parser().parse_args(argv), dest) == Path("old")
