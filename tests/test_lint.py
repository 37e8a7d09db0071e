"""bilateral lint: each check fails on a fixture made to fail it; the mini seed passes; the shipped data passes."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
MINI_TEXTS = FIXTURES / "mini-texts"
LINT = FIXTURES / "lint"
SEEDS = ROOT.parent / "shared" / "seeds"


def _with(mini_dir: Path, *names: str) -> Path:
    """The mini seed plus the named lint fixtures (a .ttl goes to entities/, a .trig to sources/)."""
    for name in names:
        source = LINT / name
        shutil.copy(source, mini_dir / ("entities" if source.suffix == ".ttl" else "sources") / name)
    return mini_dir


def _findings(run, data_dir: Path, *extra: str) -> tuple[int, list[dict]]:
    result = run("--data", data_dir, "lint", "--json", *extra)
    return result.exit_code, json.loads(result.stdout)


def test_mini_passes_with_and_without_texts(run, mini_dir):
    result = run("--data", mini_dir, "lint", "--texts", MINI_TEXTS)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "0 finding(s)" in result.stderr
    assert run("--data", mini_dir, "lint").exit_code == 0


@pytest.mark.parametrize(
    ("fixtures", "check", "needs_texts", "expected"),
    [
        (["date-not-in-text.trig"], "date-not-in-text", True, ["the year 2017", "the month (March)"]),
        (["bound-not-in-text.trig"], "bound-not-in-text", True, ["bl:notBefore 2019-04-01"]),
        (["quote-not-in-text.trig"], "quote-not-in-text", True, ["we shall never yield"]),
        (["figure-not-in-text.trig"], "figure-not-in-text", True, ["bl:value 42 percent"]),
        (["no-text.trig"], "no-text", True, ["id:src-999-nobody-2020"]),
        (["body-without-state.ttl"], "body-without-state", False, ["id:org-lint-ministry"]),
        (["response-backwards.trig"], "response-backwards", False, ["id:ev-lint-early"]),
        (["shared-label.ttl", "shared-label.trig"], "shared-label", False, ["south korea stays in gsomia"]),
        (["event-without-state.trig"], "event-without-state", False, ["id:ev-lint-forum"]),
        (["curation-jargon.ttl"], "curation-jargon", False, ["says 'registry'"]),
    ],
)
def test_each_check_fails_its_fixture(run, mini_dir, fixtures, check, needs_texts, expected):
    data = _with(mini_dir, *fixtures)
    code, findings = _findings(run, data, *(["--texts", str(MINI_TEXTS)] if needs_texts else []))
    assert code == 1
    mine = [f for f in findings if f["check"] == check]
    assert {f["check"] for f in findings} == {check}, findings
    assert len(mine) == len(expected)
    for text in expected:
        assert any(text in f["message"] for f in mine), (text, mine)
    for f in mine:  # file:line points into the fixture that holds the claim
        assert Path(f["file"]).name in fixtures and f["line"] > 1


def test_plain_output_is_file_line_check_message(run, mini_dir):
    data = _with(mini_dir, "response-backwards.trig")
    result = run("--data", data, "lint")
    assert result.exit_code == 1
    assert result.stderr == "error: 1 finding(s) in the data (no texts given)\n"  # through the one error handler
    (line,) = result.stdout.splitlines()
    where, check, message = line.split(": ", 2)
    assert where.endswith("response-backwards.trig:11") and check == "response-backwards"
    assert "2019-07-01/2019-07-31 is before 2019-11-22" in message


def test_a_month_is_not_before_a_day_inside_it(run, mini_dir):
    """An event dated only to November 2019 may answer one of 22 November: not backwards."""
    path = mini_dir / "sources" / "same-month.trig"
    path.write_text(
        (LINT / "response-backwards.trig").read_text().replace("2019-07-01", "2019-11-01"), encoding="utf-8"
    )
    assert run("--data", mini_dir, "lint").exit_code == 0


def test_a_bound_rests_on_a_date_of_its_graph_or_a_season(run, mini_dir, tmp_path):
    text = (LINT / "bound-not-in-text.trig").read_text()
    (mini_dir / "sources" / "after-summit.trig").write_text(
        text.replace('bl:notBefore "2019-04-01"', 'bl:notBefore "2019-11-23"'), encoding="utf-8"
    )
    assert run("--data", mini_dir, "lint", "--texts", MINI_TEXTS).exit_code == 0  # the day after an event of 002
    texts = tmp_path / "texts"
    shutil.copytree(MINI_TEXTS, texts)
    (mini_dir / "sources" / "spring.trig").write_text(
        text.replace("ev-lint-bound", "ev-lint-spring").replace(
            'bl:notBefore "2019-04-01"', 'bl:notAfter "2019-05-31"'
        ),
        encoding="utf-8",
    )
    assert run("--data", mini_dir, "lint", "--texts", texts).exit_code == 1
    with open(texts / "mini.txt", "a", encoding="utf-8") as f:
        f.write("Talks stalled in the spring.\n")
    assert run("--data", mini_dir, "lint", "--texts", texts).exit_code == 0


def test_quotes_and_figures_tolerate_typography_and_written_forms(tmp_path):
    from bilateral.graph.lint.texts import Document, figure_appears, normalise_text, quote_appears

    doc = Document(
        Path("x"),
        "",
        normalise_text(
            "He said “the only ones who benefit — from this — are Pyongyang and Beijing.” Some 205,000 people; "
            "65 per cent; ¥2.5 trillion; three materials; 7.3 million"
        ),
    )
    assert quote_appears("The only ones who benefit … are Pyongyang and Beijing", doc)
    assert quote_appears("who benefit—from this", doc)
    assert not quote_appears("the only ones who lose", doc)
    assert figure_appears("205000", "persons", doc)
    assert figure_appears("65", "percent", doc)
    assert figure_appears("2500000000000", "JPY", doc)
    assert figure_appears("2.5", "JPY trillion", doc)
    assert figure_appears("3", "materials", doc)
    assert figure_appears("7.3", "USD million", doc)
    assert not figure_appears("205", "persons", doc)  # not a piece of 205,000
    assert not figure_appears("7", "persons", doc)  # not a piece of 7.3


def test_relative_dates_resolve_against_the_documents_date(run, mini_dir, tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "mini.txt").write_text(
        (MINI_TEXTS / "mini.txt").read_text() + "Earlier this month the talks resumed.\n", encoding="utf-8"
    )
    (mini_dir / "sources" / "this-month.trig").write_text(
        (LINT / "date-not-in-text.trig")
        .read_text()
        .replace("2017-07-01", "2020-01-01")  # the mini source is dated January 2020
        .replace("2019-03-01", "2019-12-01"),
        encoding="utf-8",
    )
    code, findings = _findings(run, mini_dir, "--texts", str(texts))
    assert code == 1
    assert [f["message"].split(": ", 1)[1] for f in findings] == [
        "bl:startDate 2019-12: the month (December) is not in mini.txt"
    ]


def test_bad_input_exits_2(run, mini_dir, tmp_path):
    missing = run("--data", mini_dir, "lint", "--texts", tmp_path / "nowhere")
    assert missing.exit_code == 2 and "does not exist" in missing.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run("--data", mini_dir, "lint", "--texts", empty).exit_code == 2
    binary = tmp_path / "binary"
    binary.mkdir()
    (binary / "002_x.txt").write_bytes(b"\xff\xfe\x00bad")
    unreadable = run("--data", mini_dir, "lint", "--texts", binary)
    assert unreadable.exit_code == 2 and "cannot read the text" in unreadable.stderr
    assert "Traceback" not in unreadable.output
    assert run("--data", tmp_path / "no-data", "lint").exit_code == 2


def test_data_that_does_not_parse_exits_1(run, mini_dir):
    (mini_dir / "sources" / "broken.trig").write_text("GRAPH id:x { oops", encoding="utf-8")
    result = run("--data", mini_dir, "lint")
    assert result.exit_code == 1 and "broken.trig:1" in result.stderr


def test_document_mapping_by_number():
    from bilateral.graph.lint.texts import document_number

    assert document_number("000_f05819d2eb4e7cf9") == "000"
    assert document_number("004-matsuo-2023") == "004"
    assert document_number("src-002-lee-oba-2020") == "002"
    assert document_number("mini") is None


@pytest.mark.skipif(not SEEDS.is_dir() and not os.environ.get("CI"), reason="the seed texts are not beside the repo")
def test_shipped_data_is_clean(run):
    result = run("lint", "--texts", SEEDS)
    assert result.exit_code == 0, result.stdout
