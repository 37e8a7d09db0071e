"""Files written where the user points (issue 12): `-`, symlinks, FIFOs, modes, missing directories."""

from __future__ import annotations

import os
import stat
import threading

import pytest


def test_dash_is_standard_output(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("export", "--format", "nq", "-o", "-")
    assert result.exit_code == 0 and "<https://w3id.org/bilateral/id/japan>" in result.stdout
    assert not (tmp_path / "-").exists() and "wrote -" not in result.stdout
    page = run(
        "render", "--around", "id:accord-gsomia", "--depth", "0", "-o", "-"
    )  # a small page: the test is about "-"
    assert page.exit_code == 0 and page.stdout.lstrip().lower().startswith("<!doctype html")
    assert not (tmp_path / "-").exists()


def test_a_symlink_is_written_through_and_stays_a_link(run, tmp_path):
    target = tmp_path / "real.ttl"
    target.write_text("old")
    target.chmod(0o644)
    link = tmp_path / "link.ttl"
    link.symlink_to(target)
    assert run("export", "--format", "ttl", "-o", link).exit_code == 0
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert "id:japan" in target.read_text() or "bilateral/id/japan" in target.read_text()
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_a_link_to_a_fifo_like_dev_stdout_is_written_not_replaced(run, tmp_path):
    """The /dev/stdout case, in a temporary directory: a symlink to a FIFO stays a symlink to a FIFO."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    stdout = tmp_path / "stdout"
    stdout.symlink_to(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = run("export", "--format", "nq", "-o", stdout)
    reader.join(timeout=60)
    assert result.exit_code == 0, result.stderr
    assert stdout.is_symlink() and stat.S_ISFIFO(fifo.stat().st_mode)
    assert b"bilateral/id/japan" in received[0]


@pytest.mark.parametrize("command", ["export", "render"])
def test_an_existing_file_keeps_its_mode(run, tmp_path, command):
    target = tmp_path / "out.html"
    target.write_text("old")
    target.chmod(0o640)
    args = ["export", "--format", "ttl", "-o", target] if command == "export" else ["render", "-o", target]
    assert run(*args).exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o640 and target.read_text() != "old"


def test_a_new_file_gets_the_umask_mode_not_0600(run, tmp_path):
    target = tmp_path / "new.ttl"
    mask = os.umask(0o022)
    try:
        assert run("export", "--format", "ttl", "-o", target).exit_code == 0
    finally:
        os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


@pytest.mark.parametrize(
    "args",
    [
        ["export", "--format", "ttl", "-o", "{missing}/x.ttl"],
        ["export", "--format", "csv", "-o", "{missing}/csv"],
        ["render", "-o", "{missing}/x.html"],
        ["path", "GSOMIA", "Japan", "--html", "{missing}/x.html"],
    ],
)
def test_a_missing_directory_is_an_error_for_every_command(run, tmp_path, args):
    missing = tmp_path / "no" / "such"
    result = run(*[a.format(missing=missing) for a in args])
    assert result.exit_code == 2 and "does not exist" in result.stderr, result.stderr
    assert not (tmp_path / "no").exists()


def test_directories_and_dash_where_a_file_is_needed(run, tmp_path):
    assert run("export", "--format", "ttl", "-o", tmp_path).exit_code == 2
    assert run("export", "--format", "csv", "-o", "-").exit_code == 2
    assert run("render", "-o", "-", "--open").exit_code == 2
    assert run("path", "GSOMIA", "Japan", "--html", "-").exit_code == 2
