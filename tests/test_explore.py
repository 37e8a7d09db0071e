"""Issue 4: entity resolution, show, search, path, chain and timeline, per the contract."""

from __future__ import annotations

import json

import pytest

from bilateral.graph.namespaces import ID

# ----------------------------------------------------------------- resolution


@pytest.mark.parametrize(
    "name",
    [
        "Kang Kyung-wha",
        "kang kyung wha",
        "KANG KYUNG-HWA",
        "강경화",
        "康京和",
        "id:kang-kyung-wha",
        f"{ID}kang-kyung-wha",
        f"<{ID}kang-kyung-wha>",
        "kang-kyung-wha",
    ],
)
def test_every_way_of_naming_resolves_to_one_entity(store, name):
    from bilateral.graph.explore.resolution import resolve

    assert resolve(store, name) == ID + "kang-kyung-wha"


def test_resolution_ignores_accents(store):
    from bilateral.graph.explore.resolution import resolve

    assert resolve(store, "Tokyo") == resolve(store, "Tōkyō") == ID + "japan"


def test_unknown_entity_exits_2_with_candidates(run):
    result = run("show", "Kang Kyungwah")
    assert result.exit_code == 2
    assert "closest" in result.stderr and "Kang Kyung-wha" in result.stderr


def test_ambiguous_entity_exits_2_listing_matches(run):
    result = run("show", "export controls")
    assert result.exit_code == 2 and "ambiguous" in result.stderr
    assert "id/issue-export-controls" in result.stderr


# ----------------------------------------------------------------------- show


def test_show_json_follows_the_contract(run_json):
    card = run_json("show", "GSOMIA", "--json")
    assert {"iri", "label", "types", "aliases", "description", "relations"} <= set(card)
    assert card["iri"] == ID + "accord-gsomia" and card["types"] == ["Accord"]
    for rel in card["relations"]:
        assert rel["direction"] in ("out", "in")
        assert {"predicate", "predicate_iri", "other", "sources"} <= set(rel)
        assert {"iri", "label", "types"} <= set(rel["other"])
    assert any(rel["sources"] for rel in card["relations"])


def test_show_gives_labels_in_every_language(run_json):
    card = run_json("show", "Moon Jae-in", "--json")
    assert card["labels"]["ko"] == "문재인" and card["labels"]["ja"] == "文在寅"


def test_show_an_event_places_it_in_its_response_chain(run_json):
    card = run_json("show", "id:ev-2019-08-korea-announces-gsomia-termination", "--json")
    assert card["date"]["display"] == "2019-08"
    chain = card["chain"]
    assert any(e["iri"] == ID + "ev-2019-07-japan-export-restrictions" for e in chain["answers"])
    assert any(e["iri"] == ID + "ev-2019-11-22-korea-stays-in-gsomia" for e in chain["reversed_by"])


def test_show_prints_a_card(run):
    result = run("show", "Moon Jae-in")
    assert result.exit_code == 0
    assert "Moon Jae-in" in result.stdout and "문재인" in result.stdout and "sources:" in result.stdout


# --------------------------------------------------------------------- search


def test_search_json_follows_the_contract(run_json):
    hits = run_json("search", "gsomia", "--json")
    assert hits and all(set(h) == {"iri", "label", "types", "score"} for h in hits)
    assert hits[0]["iri"] in (ID + "accord-gsomia", ID + "issue-gsomia")
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)


def test_search_finds_korean_and_japanese_names(run_json):
    assert run_json("search", "독도", "--json")[0]["iri"] == ID + "issue-dokdo-takeshima"
    assert run_json("search", "竹島", "--json")[0]["iri"] == ID + "issue-dokdo-takeshima"


def test_search_by_type(run_json, run):
    hits = run_json("search", "kishida", "--type", "Meeting", "--json")
    assert hits and all("Meeting" in h["types"] for h in hits)
    assert run("search", "kishida", "--type", "Spaceship").exit_code == 2


def test_search_with_no_hit_exits_1(run):
    plain = run("search", "zzzqqqxxx")
    assert plain.exit_code == 1 and plain.stderr == "error: nothing matches 'zzzqqqxxx'\n"
    as_json = run("search", "zzzqqqxxx", "--json")
    assert as_json.exit_code == 1, "an empty JSON answer is still 'found nothing'"
    assert json.loads(as_json.stdout) == [] and "nothing matches" in as_json.stderr


# ----------------------------------------------------------------------- path


def _no_state_inside(path: dict) -> bool:
    inner = [hop["to"] for hop in path["hops"][:-1]]
    return all("State" not in node["types"] for node in inner)


@pytest.mark.parametrize(
    "start,end",
    [
        ("id:issue-forced-labor", "id:issue-export-controls"),
        ("id:issue-north-korean-missiles", "id:issue-gsomia"),
        ("id:issue-cost-sharing", "id:issue-reconciliation"),
    ],
)
def test_paths_between_issues_are_explained_cited_and_avoid_states(run_json, start, end):
    result = run_json("path", start, end, "--json")
    assert set(result) == {"from", "to", "paths"}
    assert result["from"]["iri"] == ID + start[3:] and result["to"]["iri"] == ID + end[3:]
    for path in result["paths"]:
        assert path["length"] == len(path["hops"])
        assert _no_state_inside(path)
        for hop in path["hops"]:
            assert {"from", "relation", "relation_iri", "to", "direction", "sources"} <= set(hop)
            assert hop["direction"] in ("forward", "backward")
            assert hop["sources"], hop
        assert path["hops"][0]["from"]["iri"] == result["from"]["iri"]
        assert path["hops"][-1]["to"]["iri"] == result["to"]["iri"]


def test_path_k_via_avoid_and_max_hops(run_json, run):
    three = run_json("path", "id:issue-forced-labor", "id:issue-export-controls", "-k", "3", "--json")
    assert len(three["paths"]) == 3
    assert len({tuple(h["to"]["iri"] for h in p["hops"]) for p in three["paths"]}) == 3
    via = run_json(
        "path",
        "id:issue-forced-labor",
        "id:issue-export-controls",
        "--via",
        "id:ev-2018-supreme-court-forced-labor-rulings",
        "--json",
    )
    assert all(
        any(h["to"]["iri"] == ID + "ev-2018-supreme-court-forced-labor-rulings" for h in p["hops"])
        for p in via["paths"]
    )
    first_inner = three["paths"][0]["hops"][0]["to"]["iri"]
    avoided = run_json("path", "id:issue-forced-labor", "id:issue-export-controls", "--avoid", first_inner, "--json")
    assert all(h["to"]["iri"] != first_inner for p in avoided["paths"] for h in p["hops"])
    short = run_json("path", "id:issue-forced-labor", "id:issue-export-controls", "--max-hops", "2", "--json")
    assert all(p["length"] <= 2 for p in short["paths"])


def test_path_only_response_relations(run_json):
    result = run_json(
        "path",
        "id:ev-2018-supreme-court-forced-labor-rulings",
        "id:ev-2019-11-22-korea-stays-in-gsomia",
        "--relations",
        "responses",
        "--json",
    )
    for path in result["paths"]:
        assert all(
            h["relation_iri"].rsplit("#", 1)[1] in {"respondsTo", "retaliatesAgainst", "reverses"} for h in path["hops"]
        )


def test_path_errors(run, mini_dir):
    same = run("path", "GSOMIA", "id:accord-gsomia")
    assert same.exit_code == 2 and "two different" in same.stderr
    assert run("path", "GSOMIA", "nothing-like-this-exists").exit_code == 2
    assert run("path", "id:issue-gsomia", "id:issue-trade", "--relations", "bogus").exit_code == 2
    # the mini graph has an isolated person: no path, exit 1
    none = run("--data", mini_dir, "path", "Kang Kyung-wha", "GSOMIA termination notice", "--relations", "responses")
    assert none.exit_code == 1 and "no path" in none.stderr


def test_path_prints_hops(run):
    result = run("path", "id:issue-forced-labor", "id:issue-export-controls", "-k", "1")
    assert result.exit_code == 0 and "sources:" in result.stdout and "path 1" in result.stdout


# ---------------------------------------------------------------------- chain


def test_chain_on_the_export_controls_reads_as_the_ladder(run_json):
    result = run_json("chain", "id:ev-2019-07-japan-export-restrictions", "--json")
    order = [s["iri"][len(ID) :] for s in result["steps"]]
    ladder = [
        "ev-2018-supreme-court-forced-labor-rulings",
        "ev-2019-07-japan-export-restrictions",
        "ev-2019-08-korea-announces-gsomia-termination",
    ]
    positions = [order.index(x) for x in ladder]
    assert positions == sorted(positions)
    suspension = order.index("ev-2019-11-22-korea-stays-in-gsomia")
    pressure = [i for i, s in enumerate(result["steps"]) if "Mediation" in s["types"]]
    assert pressure and min(pressure) < suspension and positions[-1] < min(pressure)
    origin = [s for s in result["steps"] if s["position"] == "origin"]
    assert len(origin) == 1 and origin[0]["actors"][0]["label"] == "Japan"
    for step in result["steps"]:
        assert {"iri", "label", "date", "precision", "types", "actors", "position", "responds_to"} <= set(step)


def test_chain_directions_and_gap(run_json, run):
    back = run_json("chain", "id:ev-2019-07-japan-export-restrictions", "--backward", "--json")
    assert {s["position"] for s in back["steps"]} <= {"before", "origin"}
    fwd = run_json("chain", "id:ev-2019-07-japan-export-restrictions", "--forward", "--json")
    assert {s["position"] for s in fwd["steps"]} <= {"after", "origin"}
    tight = run_json("chain", "id:ev-2019-07-japan-export-restrictions", "--forward", "--max-gap", "60", "--json")
    assert len(tight["steps"]) < len(fwd["steps"])
    assert run("chain", "GSOMIA", "--max-gap", "-1").exit_code == 2


# ------------------------------------------------------------------- timeline


def test_timeline_follows_the_contract_and_shows_precision(run_json):
    events = run_json("timeline", "--from", "2019-07", "--to", "2019-08", "--json")
    assert events
    for e in events:
        assert {"iri", "label", "date", "precision", "types", "participants", "issues", "sources"} <= set(e)
    months = {e["iri"][len(ID) :]: e["date"] for e in events}
    assert months["ev-2019-07-japan-export-restrictions"] == "2019-07"
    dates = [e["start_date"] for e in events]
    assert dates == sorted(dates)


def test_timeline_filters(run_json):
    sept = run_json("timeline", "--from", "2019-09-01", "--to", "2019-09-30", "--json")
    assert sept and all(e["date"].startswith("2019-09") for e in sept)
    with_kang = run_json("timeline", "--actor", "Kang Kyung-wha", "--json")
    assert with_kang and all(any(p["iri"] == ID + "kang-kyung-wha" for p in e["participants"]) for e in with_kang)
    gsomia = run_json("timeline", "--issue", "id:issue-gsomia", "--type", "Mediation", "--json")
    assert gsomia and all("Mediation" in e["types"] for e in gsomia)


@pytest.mark.parametrize(
    "args,message",
    [
        (["--from", "2019-13-45"], "not a date"),
        (["--from", "yesterday"], "not a date"),
        (["--from", "2020", "--to", "2019"], "after"),
        (["--actor", "Nobody At All Here"], "no entity"),
    ],
)
def test_timeline_bad_input(run, args, message):
    result = run("timeline", *args)
    assert result.exit_code == 2 and message in result.stderr
    assert "Traceback" not in result.output


def test_unexpected_errors_never_print_a_traceback(run, monkeypatch):
    import bilateral.graph.explore.timelines

    def boom(*a, **k):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(bilateral.graph.explore.timelines, "timeline", boom)
    result = run("timeline")
    assert result.exit_code == 1 and "unexpected failure" in result.stderr and "Traceback" not in result.output


def test_path_weights_are_cached_and_filters_never_change_the_cache(store):
    """The weighted search graph is kept with the store; --avoid and --relations work on copies or views."""
    from bilateral.graph.storage.store import open_store
    from graph import find_paths

    start, end = ID + "issue-forced-labor", ID + "issue-export-controls"
    plain = find_paths(store, start, end, k=3)
    inner = plain["paths"][0]["hops"][0]["to"]["iri"]
    avoided = find_paths(store, start, end, k=3, avoid=[inner])
    assert all(h["to"]["iri"] != inner for p in avoided["paths"] for h in p["hops"])
    from bilateral.graph.errors import NoPath

    with pytest.raises(NoPath):  # only participation links: the two issues are not joined
        find_paths(store, start, end, k=2, relations=["participation"])
    assert find_paths(store, start, end, k=3) == plain  # the same answer after filtered searches
    weights = store.cached("path-weights", lambda: pytest.fail("not cached"))
    assert inner in weights  # the avoided node is still in the cached graph
    fresh = open_store()  # a new handle reads the cache from disk and answers alike
    assert find_paths(fresh, start, end, k=3) == plain


def test_a_floor_skips_only_names_that_cannot_reach_it():
    """name_score(floor=) gives the full score wherever it exceeds the floor, and 0.0 only where it cannot."""
    from bilateral.graph.explore.searching import name_score

    pairs = [("moon", "moon jae in"), ("abe", "shinzo abe"), ("gsomia", "gsomia"), ("kishda", "kishida fumio")]
    pairs += [("export", "expert panel"), ("yoon", "yun byung se"), ("abc", "xyz"), ("forced labor", "forced labour")]
    for query, name in pairs:
        full = name_score(query, name)
        for floor in (0.0, 0.2, 0.35, 0.5, 0.7):
            floored = name_score(query, name, floor=floor)
            assert floored == full if full > floor else floored in (0.0, full), (query, name, floor)
    assert name_score("abc", "xyz", floor=0.35) == 0.0  # nothing in common: skipped without a full comparison
