"""Help is written once, in the commands' docstrings: `bilateral --help` and the README are checked against it."""

from __future__ import annotations

import importlib.util
import re
import shlex

import click
import pytest
from conftest import ROOT

from bilateral.cli.main import cli

_SPEC = importlib.util.spec_from_file_location("command_reference", ROOT / "scripts" / "command_reference.py")
assert _SPEC and _SPEC.loader
reference = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(reference)

README = (ROOT / "README.md").read_text("utf-8")
CTX = click.Context(cli)
COMMANDS = {name: cli.get_command(CTX, name) for name in cli.list_commands(CTX)}


def test_the_readme_command_reference_is_generated_from_the_commands():
    block = reference.current(README)
    assert block is not None, f"README.md lacks the line {reference.BEGIN!r}"
    wanted = reference.reference()
    drifted = sorted(set(wanted.splitlines()) ^ set(block.splitlines()))
    assert block == wanted, (
        "README.md's command reference is stale; run `make readme`. Lines that differ:\n" + "\n".join(drifted)
    )


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_bilateral_help_lists_each_command_with_its_docstring(run, name):
    listed = " ".join(run("--help").stdout.split())
    first_sentence = reference.summary(COMMANDS[name]).split(". ")[0].rstrip(".")
    assert f"{name} {first_sentence}" in listed


def _tour_lines() -> list[list[str]]:
    """The `bilateral …` lines of the README's tour, as words (comments dropped)."""
    tour = README.split("## A tour of the commands", 1)[1].split("```")[1]
    lines = []
    for line in tour.splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("bilateral "):
            lines.append(shlex.split(line.replace("'", "")))
    return lines


def _option_strings(command: click.Command) -> set[str]:
    return {opt for param in command.get_params(click.Context(command)) for opt in (*param.opts, *param.secondary_opts)}


def test_every_option_the_tour_shows_exists():
    global_options = _option_strings(cli)
    checked = 0
    for words in _tour_lines():
        rest = words[1:]
        while rest and rest[0] in global_options:  # `--endpoint URL` before the command
            rest = rest[2:]
        command = COMMANDS.get(rest[0])
        assert command is not None, f"README tour names an unknown command: {' '.join(words)}"
        known = _option_strings(command)
        for word in rest[1:]:
            for option in re.findall(r"(?<![\w-])(--?[a-z][\w-]*)", word):
                assert option in known, f"README tour: `{rest[0]}` has no option {option}"
                checked += 1
    assert checked > 20  # the tour shows options at all
