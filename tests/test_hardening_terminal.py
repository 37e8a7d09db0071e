"""Terminal and messages (issue 12): closed pipes, control characters, long arguments, the item-16 messages."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys

import pytest

EXE = os.path.join(os.path.dirname(sys.executable), "bilateral")


def _pipeline(command: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "-c", f"set -o pipefail; {command} | head -1"], capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(
    "args",
    [
        ["show", "GSOMIA"],  # the fast loop's case: one handler in cli/main.py serves every command
        pytest.param(["timeline"], marks=pytest.mark.slow),
        pytest.param(["query", "SELECT * WHERE { ?s ?p ?o }", "--format", "csv"], marks=pytest.mark.slow),
        pytest.param(["export", "--format", "nq", "-o", "-"], marks=pytest.mark.slow),
    ],
)
def test_a_closed_pipe_ends_quietly_with_exit_0(args):
    result = _pipeline(shlex.join([EXE, *args]))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() and result.stderr == ""


def test_control_characters_from_data_are_escaped_in_messages(run):
    result = run("show", "evil\x1b]0;pwned\x07name")
    assert result.exit_code == 2 and "\x1b" not in result.stderr and "\\x1b]0;pwned\\x07" in result.stderr


def test_csv_on_a_terminal_escapes_control_characters(monkeypatch, capsys):
    from bilateral.cli import output

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    output.echo_data('a,"\x1b]52;c;Y2xpcA==\x07"')
    printed = capsys.readouterr().out
    assert "\x1b" not in printed and "\\x1b]52" in printed


def test_csv_into_a_pipe_is_exact(run):
    q = 'SELECT ?x WHERE { BIND("a\\u001bb" AS ?x) }'
    result = run("query", q, "--format", "csv")
    assert result.exit_code == 0 and "a\x1bb" in result.stdout  # a file gets the data as it is


def test_a_long_argument_is_refused_early_with_a_short_echo(run):
    result = run("show", "x" * 130_000)
    assert result.exit_code == 2 and "130,000 characters" in result.stderr
    assert len(result.stderr) < 1000


@pytest.mark.parametrize(
    "args,expected",
    [
        (["query", "SELEC ?s WHERE { ?s ?p ?o }"], "starts with SELECT, CONSTRUCT, ASK or DESCRIBE"),
        (["query", "SELECT * WHERE { ?s nope:x ?o }"], "prefix nope: is not declared"),
        (["query", "--named", "nonexistent"], "no named query 'nonexistent'"),
        (["--endpoint", "http://[::1/sparql", "stats"], "not a valid URL"),
        (["--endpoint", "http://a b/sparql", "stats"], "spaces or control characters"),
        (["--endpoint", "ftp://host/sparql", "stats"], "not an http:// or https:// URL"),
    ],
)
def test_messages_say_what_is_wrong_with_exit_2(run, args, expected):
    result = run(*args)
    assert result.exit_code == 2 and expected in result.stderr, result.stderr
    assert "Unicode" not in result.stderr and "\\u{" not in result.stderr and len(result.stderr) < 400


def test_a_truncated_file_says_so(run, mini_dir):
    (mini_dir / "entities" / "cut.ttl").write_text('<http://a/x> <http://a/p> "unfinished')
    result = run("--data", mini_dir, "validate")
    assert result.exit_code == 1 and "cut.ttl:1:" in result.output and "cut short" in result.output


def test_a_byte_order_mark_is_read_past(run, mini_dir):
    path = mini_dir / "entities" / "bom.ttl"
    path.write_bytes(
        b"\xef\xbb\xbf@prefix bl: <https://w3id.org/bilateral/ontology#> .\n"
        b'<https://w3id.org/bilateral/id/china> a bl:State ; <http://www.w3.org/2000/01/rdf-schema#label> "China"@en .\n'
    )
    result = run("--data", mini_dir, "validate")
    assert result.exit_code == 0, result.stderr


def test_ctrl_c_at_the_password_prompt_is_interrupted_130(run, monkeypatch):
    import click

    def interrupted(*args, **kwargs):
        raise click.exceptions.Abort()

    monkeypatch.setattr(click, "prompt", interrupted)
    monkeypatch.delenv("BILATERAL_PASSWORD", raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    result = run("publish", "--endpoint", "http://127.0.0.1:9/query", "--user", "someone")
    assert result.exit_code in (2, 130)
    if result.exit_code == 130:
        assert result.stderr.strip() == "interrupted"
    assert "unexpected failure" not in result.stderr


@pytest.mark.parametrize(
    "lexical",
    [  # one shape pattern refuses them all: a time zone and the lower year bound stay in the fast loop
        "2019-07-01+14:00",
        pytest.param("0000-01-01", marks=pytest.mark.slow),
        pytest.param("-0044-03-15", marks=pytest.mark.slow),
        pytest.param("99999-01-01", marks=pytest.mark.slow),
        "0999-12-31",
    ],
)
def test_dates_python_cannot_hold_are_refused_by_the_shapes(run, mini_dir, lexical):
    """Dates xsd:date allows but the code cannot hold are violations, never dropped in silence."""
    path = mini_dir / "sources" / "mini.trig"
    text = path.read_text().replace('"2019-07-01"^^xsd:date', f'"{lexical}"^^xsd:date', 1)
    assert lexical in text
    path.write_text(text)
    result = run("--data", mini_dir, "validate")
    assert result.exit_code == 1 and "bl:startDate" in result.output, result.output
    assert run("--data", mini_dir, "build").exit_code == 1


def test_ordinary_dates_still_pass(run):
    assert run("validate").exit_code == 0
