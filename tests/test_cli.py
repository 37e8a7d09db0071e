"""The command group itself: help, lazy imports, usage errors, untrusted text in output."""

from __future__ import annotations

import subprocess
import sys


def _modules_after(*args: str) -> set[str]:
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom bilateral.cli.main import cli\n"
        f"r = CliRunner().invoke(cli, {list(args)!r})\nassert r.exit_code == 0, r.output\n"
        "print(' '.join(sorted(m.split('.')[0] for m in sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_help_lists_every_command_without_importing_them():
    loaded = _modules_after("--help")
    assert not {"rdflib", "networkx", "pyvis", "pyshacl", "pyoxigraph", "rich"} & loaded


def test_show_imports_neither_networkx_nor_pyvis(store):
    loaded = _modules_after("show", "GSOMIA", "--json")
    assert "pyoxigraph" in loaded
    assert not {"networkx", "pyvis", "rdflib", "pyshacl"} & loaded


def test_unknown_command_and_option_exit_2(run):
    assert run("frobnicate").exit_code == 2
    assert run("stats", "--bogus").exit_code == 2


def test_console_script_runs(tmp_path):
    from pathlib import Path

    exe = Path(sys.executable).parent / "bilateral"
    result = subprocess.run([str(exe), "search", "Dokdo", "--json"], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0 and "issue-dokdo-takeshima" in result.stdout


def test_control_characters_in_data_are_not_printed(run, mini_dir):
    (mini_dir / "entities" / "evil.ttl").write_text(
        "@prefix bl: <https://w3id.org/bilateral/ontology#> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<https://w3id.org/bilateral/id/evil> a bl:State ; rdfs:label "Evil\\u001b[2J state"@en .\n',
        encoding="utf-8",
    )
    result = run("--data", mini_dir, "show", "id:evil")
    assert result.exit_code == 0 and "\x1b" not in result.stdout and "Evil[2J state" in result.stdout


def test_piped_tables_are_plain_aligned_columns(run):
    """Not a terminal: one line per row, no box drawing, columns aligned by display width (Hangul counts two)."""
    from bilateral.cli.output import display_width

    result = run("search", "독도")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split()[:2] == ["score", "label"] and set(lines[1]) <= {"-", " "}
    assert not set("│┃━─┏") & set(result.stdout)
    rows = [line for line in lines[2:] if line.strip()]
    assert any("독도" in line for line in rows)
    # the 'type' column starts at the same display column on every line (header, rule and rows)
    header_at = lines[0].index("type")
    type_column = [r for r in lines[2:] if "Issue" in r]
    assert type_column
    for row in type_column:
        assert display_width(row[: row.index("Issue")]) == header_at


def test_tables_on_a_terminal_are_rich(monkeypatch, capsys):
    """On a terminal the same call draws a rich table fitted to the width."""
    from bilateral.cli import output

    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    output.table("classes", ["class", "count"], [["Event", 3], ["회의", 1]])
    printed = capsys.readouterr().out
    assert "┃" in printed or "│" in printed
    assert "회의" in printed and "classes" in printed


def test_a_query_result_with_hundreds_of_rows_prints_every_row(run):
    result = run("query", "SELECT ?s ?label WHERE { ?s rdfs:label ?label } LIMIT 300")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[-1] == "300 row(s)" and len(lines) == 2 + 300 + 1
