"""A name that fits several entities takes the one of the kind the command expects, and says so."""

from __future__ import annotations

import pytest

from bilateral.graph.errors import Ambiguous, WrongKind
from bilateral.graph.explore.resolution import resolve, resolve_as
from bilateral.graph.namespaces import ID


def test_issue_expected_takes_the_issue_and_says_which(run):
    result = run("timeline", "--issue", "GSOMIA", "--json")
    assert result.exit_code == 0, result.stderr
    assert "took the issue GSOMIA intelligence sharing" in result.stderr
    import json

    events = json.loads(result.stdout)
    assert events and all(any(i["iri"] == ID + "issue-gsomia" for i in e["issues"]) for e in events)


def test_chain_of_a_name_that_is_no_event_is_an_error(run):
    result = run("chain", "GSOMIA")
    assert result.exit_code == 2
    assert "names the accord GSOMIA" in result.stderr and "not an event" in result.stderr
    assert "did you mean" in result.stderr
    assert "▶" not in result.stdout


def test_explicit_iri_of_the_wrong_kind_is_an_error(run):
    result = run("chain", "id:accord-gsomia")
    assert result.exit_code == 2 and "not an event" in result.stderr
    assert run("timeline", "--actor", "id:issue-gsomia").exit_code == 2
    assert run("timeline", "--issue", "id:japan").exit_code == 2


def test_path_between_issues_prefers_issues(run_json, run):
    result = run("path", "forced labor", "export controls", "--json")
    assert result.exit_code == 0, result.stderr
    assert "took the issue" in result.stderr
    import json

    answer = json.loads(result.stdout)
    assert answer["to"]["iri"] == ID + "issue-export-controls" and answer["paths"]


def test_actor_expected_rejects_an_issue(run):
    result = run("timeline", "--actor", "forced labor")
    assert result.exit_code == 2
    assert "not an actor" in result.stderr


def test_library_resolution(store):
    assert resolve_as(store, "export controls", expect="event").iri == ID + "ev-2019-07-japan-export-restrictions"
    assert resolve_as(store, "export controls", prefer="issue").note
    assert resolve_as(store, "Japan", expect="actor") == resolve_as(store, "japan")  # no choice, no note
    with pytest.raises(Ambiguous):
        resolve(store, "export controls")  # show expects no kind: both are listed
    with pytest.raises(WrongKind) as caught:
        resolve_as(store, "GSOMIA", expect="event")
    assert caught.value.exit_code == 2 and caught.value.candidates


def test_actor_matches_its_bodies_and_people(run_json, run, mini_dir):
    import shutil
    from pathlib import Path

    shutil.copy(Path(__file__).parent / "fixtures" / "actor-circle.trig", mini_dir / "sources" / "actor-circle.trig")
    wide = [e["iri"][len(ID) :] for e in run_json("--data", mini_dir, "timeline", "--actor", "japan", "--json")]
    exact = [
        e["iri"][len(ID) :] for e in run_json("--data", mini_dir, "timeline", "--actor", "japan", "--exact", "--json")
    ]
    assert {"ev-bureau-notice", "ev-official-remark", "ev-minister-visit"} <= set(wide)
    assert not {"ev-bureau-notice", "ev-official-remark", "ev-minister-visit"} & set(exact)
    assert set(exact) < set(wide) and "ev-export-controls" in exact
    # South Korea's circle does not reach Japan's people; a body's circle holds its parts and people
    korea = {e["iri"][len(ID) :] for e in run_json("--data", mini_dir, "timeline", "--actor", "South Korea", "--json")}
    assert "ev-official-remark" not in korea and "ev-bureau-notice" in korea
    ministry = [
        e["iri"][len(ID) :] for e in run_json("--data", mini_dir, "timeline", "--actor", "id:org-meti", "--json")
    ]
    assert set(ministry) == {"ev-bureau-notice", "ev-official-remark", "ev-minister-visit"}


def test_exact_needs_actor(run, mini_dir):
    assert run("--data", mini_dir, "timeline", "--exact").exit_code == 2
