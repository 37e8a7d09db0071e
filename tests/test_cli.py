"""The command group itself: help, lazy imports, usage errors, untrusted text in output."""

from __future__ import annotations

import subprocess
import sys


def _modules_after(*args: str) -> set[str]:
    code = ("import sys\nfrom click.testing import CliRunner\nfrom cli.main import cli\n"
            f"r = CliRunner().invoke(cli, {list(args)!r})\nassert r.exit_code == 0, r.output\n"
            "print(' '.join(sorted(m.split('.')[0] for m in sys.modules)))")
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
        '<https://w3id.org/bilateral/id/evil> a bl:State ; rdfs:label "Evil\\u001b[2J state"@en .\n', encoding="utf-8")
    result = run("--data", mini_dir, "show", "id:evil")
    assert result.exit_code == 0 and "\x1b" not in result.stdout and "Evil[2J state" in result.stdout
