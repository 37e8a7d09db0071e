"""Issue 14: the lifecycle of accords and measures, `bilateral asof`, dates at their precision, one order.

The done-when checks run through the CLI on the shipped graph, and through
--endpoint against the Oxigraph server (tests/test_remote.py's fixtures).
"""

from __future__ import annotations

import datetime as _dt
import json

import pytest
import test_remote

# The Oxigraph server and publish fixtures of tests/test_remote.py, shared.
oxigraph = test_remote.oxigraph
published = test_remote.published

GSOMIA = "https://w3id.org/bilateral/id/accord-gsomia"
RESTRICTIONS = "https://w3id.org/bilateral/id/ev-2019-07-japan-export-restrictions"
LEE_OBA = "https://w3id.org/bilateral/id/src-002-lee-oba-2020"
AUM_GALIC = "https://w3id.org/bilateral/id/src-001-aum-galic-2023"


def _item(answer: dict, kind: str, iri: str) -> dict:
    found = [a for a in answer[kind] if a["iri"] == iri]
    assert found, f"{iri} not in {kind}: {[a['iri'] for a in answer[kind]]}"
    return found[0]


# ------------------------------------------------------------------ done when


def check_2019_09_15(answer: dict) -> None:
    gsomia = _item(answer, "accords", GSOMIA)
    assert gsomia["status"]["label"] == "termination notified"
    assert gsomia["date"] == "2019-08"
    assert gsomia["span"] == "between 2019-08-01 and 2019-08-31"
    # the document that says "August" dates it; each source says how it dates it
    by_source = {s["source_iri"]: s for s in gsomia["sources"]}
    assert by_source[LEE_OBA]["date"] == "2019-08"
    assert [e["label"] for e in gsomia["set_by"]] and all(e["sources"] for e in gsomia["set_by"])
    restrictions = _item(answer, "measures", RESTRICTIONS)
    assert restrictions["status"]["label"] == "imposed" and restrictions["in_force"] is True
    assert restrictions["sources"]


def check_2019_12_01(answer: dict) -> None:
    gsomia = _item(answer, "accords", GSOMIA)
    assert gsomia["status"]["label"] == "termination suspended"
    assert gsomia["date"] == "2019-11-22" and gsomia["certain"] is True
    assert LEE_OBA in {s["source_iri"] for s in gsomia["sources"]}
    assert [h["status"]["label"] for h in gsomia["history"]][-2:] == ["termination notified", "termination suspended"]
    assert _item(answer, "measures", RESTRICTIONS)["in_force"] is True


def check_2023_04_15(answer: dict) -> None:
    gsomia = _item(answer, "accords", GSOMIA)
    assert gsomia["status"]["label"] == "normalisation agreed"  # 001: the leaders "agreed to … normalize" it
    assert AUM_GALIC in {s["source_iri"] for s in gsomia["sources"]}
    restrictions = _item(answer, "measures", RESTRICTIONS)
    assert restrictions["status"]["label"] == "lifted" and restrictions["in_force"] is False
    history = [h["status"]["label"] for h in restrictions["history"]]
    assert history[0] == "imposed" and history[-1] == "lifted"


CHECKS = {"2019-09-15": check_2019_09_15, "2019-12-01": check_2019_12_01, "2023-04-15": check_2023_04_15}


@pytest.mark.parametrize("day", list(CHECKS))
def test_asof_done_when(run_json, day):
    CHECKS[day](run_json("asof", day, "--json"))


def test_asof_table_names_status_span_and_source(run):
    result = run("asof", "2019-09-15")
    assert result.exit_code == 0, result.stderr
    line = next(ln for ln in result.stdout.splitlines() if ln.startswith("GSOMIA"))
    assert "termination notified" in line and "2019-08 (between 2019-08-01 and 2019-08-31)" in line
    assert "Mintaro Oba" in line


def test_the_2015_agreement_is_neutralised_by_the_documents_date(run_json):
    agreement = "https://w3id.org/bilateral/id/accord-2015-comfort-women-agreement"
    before = _item(run_json("asof", "2019-09-15", "--json"), "accords", agreement)
    assert before["status"]["label"] == "signed"
    after = _item(run_json("asof", "2021-01-01", "--json"), "accords", agreement)
    assert after["status"]["label"] == "neutralised"
    assert {s["dated_by"] for s in after["sources"]} == {"document"}  # neither document dates it
    assert after["date"].startswith("before ")


def test_asof_json_shape(run_json):
    answer = run_json("asof", "2019-12", "--json")
    assert answer["date"] == "2019-12-31"  # a month means its last day
    assert set(answer) == {"date", "accords", "measures", "officeholders", "issues", "proposals"}
    accord = answer["accords"][0]
    assert {"iri", "label", "status", "change", "date", "span", "certain", "set_by", "sources", "history"} <= set(
        accord
    )
    assert {"source", "source_iri", "date", "dated_by"} == set(accord["sources"][0])
    holder = answer["officeholders"][0]
    assert set(holder) == {"office", "person", "first_attested", "last_attested", "sources"}
    issue = answer["issues"][0]
    assert {"iri", "label", "latest_events", "events_on_record", "positions"} <= set(issue)
    assert len(issue["latest_events"]) <= 3
    assert all({"iri", "label", "proposed_by", "date", "sources"} <= set(p) for p in answer["proposals"])


def test_officeholders_are_attested_not_remembered(run_json):
    holders = run_json("asof", "2019-12-31", "--json")["officeholders"]
    pm = [h for h in holders if h["office"]["label"] == "Prime Minister of Japan"]
    assert [h["person"]["label"] for h in pm] == ["Abe Shinzo"]  # Kishida's 2015 role was another office
    moon = next(h for h in holders if h["person"]["label"] == "Moon Jae-in")
    assert moon["first_attested"] <= moon["last_attested"]


def test_positions_and_proposals_only_once_on_record(run_json):
    early = run_json("asof", "2019-09-15", "--json")
    late = run_json("asof", "2023-04-15", "--json")
    assert not early["proposals"] and late["proposals"]  # proposals date from their documents (2020 on)
    positions = {p["iri"] for i in late["issues"] for p in i["positions"]}
    early_positions = {p["iri"] for i in early["issues"] for p in i["positions"]}
    assert early_positions < positions


@pytest.mark.parametrize("bad", ["2019-13-45", "tomorrow", "2019-02-30", ""])
def test_asof_bad_dates_exit_2(run, bad):
    result = run("asof", bad)
    assert result.exit_code == 2
    assert "not a date" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize("as_json", [True, False])
def test_asof_before_any_record_is_an_empty_answer_exit_1(run, as_json):
    result = run("asof", "1900-01-01", *(["--json"] if as_json else []))
    assert result.exit_code == 1
    assert "nothing on record on or before 1900-01-01" in result.stderr
    if as_json:
        answer = json.loads(result.stdout)
        assert answer["accords"] == [] and answer["issues"] == []


# ------------------------------------------------------------ the vocabulary


def test_every_status_change_is_claimed_in_a_source_graph(store):
    from bilateral.graph.time.lifecycle import status_changes

    changes = status_changes(store)
    assert len(changes) >= 15
    for change in changes:
        assert change.claims and all(c.source.startswith("https://w3id.org/bilateral/id/src-") for c in change.claims)
        assert change.dating.known, change.iri


@pytest.mark.parametrize(
    "claim, message",
    [
        ("id:status-x bl:statusOf id:accord-a ; bl:status bl:Imposed .", "an accord takes an accord status"),
        ("id:status-x bl:status bl:Signed .", "exactly one accord or measure"),
        ("id:status-x bl:statusOf id:accord-a ; bl:status bl:Nonsense .", "exactly one status"),
        (
            "id:accord-a bl:setsStatus id:status-x . id:status-x bl:statusOf id:accord-a ; bl:status bl:Signed .",
            "only an event sets a status",
        ),
    ],
)
def test_shapes_refuse_a_malformed_status_change(run, mini_dir, claim, message):
    (mini_dir / "sources" / "lifecycle.trig").write_text(
        "@prefix bl: <https://w3id.org/bilateral/ontology#> .\n"
        "@prefix id: <https://w3id.org/bilateral/id/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        'id:status-x a bl:StatusChange ; rdfs:label "x"@en .\n'
        'id:accord-a a bl:Accord ; rdfs:label "Accord A"@en .\n'
        f"GRAPH id:src-mini {{ {claim} }}\n"
    )
    result = run("--data", mini_dir, "validate")
    assert result.exit_code == 1
    assert message in result.output + result.stderr


# ------------------------------------------------------------------ the rule


def test_dating_rule():
    from bilateral.graph.dates import Dating, intersect

    assert Dating.of("2019-11-22", "day").text() == "2019-11-22"
    assert Dating.of("2019-07-01", "month").text() == "2019-07"
    assert Dating.of("2019-01-01", "year").text() == "2019"
    assert Dating.of(not_before="2019-08-01").text() == "after 2019-08"
    assert Dating.of(not_after="2020-03-31").text() == "before 2020-03"
    assert Dating.of(not_before="2019-06-01", not_after="2019-08-31").text() == "between 2019-06 and 2019-08"
    assert Dating.of(not_before="2019-06-12", not_after="2019-12-31").text() == "between 2019-06-12 and 2019"
    assert Dating.of("2019-08-01", "month").span() == "between 2019-08-01 and 2019-08-31"
    # two documents: one bounds, one gives the month; together, the month
    both = intersect([Dating.of(not_before="2019-07-01", not_after="2020-10-31"), Dating.of("2019-08-01", "month")])
    assert both.text() == "2019-08"
    # they contradict each other: the more precise one
    assert intersect([Dating.of("2019-08-01", "month"), Dating.of("2019-10-02", "day")]).text() == "2019-10-02"


def test_ordering_rule():
    from bilateral.graph.ordering import in_order

    starts = {
        "decision": _dt.date(2019, 11, 22),
        "reaction": _dt.date(2019, 11, 1),  # a month-precision answer to the decision
        "visit": _dt.date(2019, 11, 15),
        "b-same-day": _dt.date(2019, 11, 15),
        "undated": None,
    }
    order = in_order(starts, starts.get, str, {"reaction": {"decision"}})
    assert order == ["b-same-day", "visit", "decision", "reaction", "undated"]


# ------------------------------------------------------------------- remote


@pytest.mark.remote  # starts an Oxigraph server
@pytest.mark.parametrize("day", list(CHECKS))
def test_asof_through_an_endpoint(published, day):
    server, _ = published("oxigraph")
    remote = test_remote._answer(server.endpoint, "asof", day, "--json")
    CHECKS[day](remote)
    assert remote == test_remote._answer(None, "asof", day, "--json")


# ------------------------------------------------------------------- Gephi


def test_gexf_spells_read_back(run, tmp_path):
    import networkx as nx

    assert run("export", "--format", "gexf", "-o", tmp_path / "g.gexf").exit_code == 0
    assert 'timeformat="date"' in (tmp_path / "g.gexf").read_text(encoding="utf-8")
    graph = nx.read_gexf(tmp_path / "g.gexf")
    assert graph.graph["mode"] == "dynamic"
    restrictions = graph.nodes[RESTRICTIONS]
    assert restrictions["date"] == "2019-07" and restrictions["start"] == "2019-07-01"
    assert restrictions["end"].startswith("2023-03")  # lifted
    assert "start" not in graph.nodes["https://w3id.org/bilateral/id/japan"]  # actors are there throughout
    timed = [(u, v, d) for u, v, d in graph.edges(data=True) if "start" in d]
    assert timed
    for u, v, d in timed:
        ends = [graph.nodes[n]["start"] for n in (u, v) if "start" in graph.nodes[n]]
        assert d["start"] == max(ends)
        assert "end" not in d or d["end"] >= d["start"]


def test_csv_headers_are_gephis(run, tmp_path):
    import csv

    assert run("export", "--format", "csv", "-o", tmp_path).exit_code == 0
    with open(tmp_path / "nodes.csv", encoding="utf-8") as fh:
        nodes = list(csv.DictReader(fh))
    assert list(nodes[0])[:3] == ["Id", "Label", "Type"]
    row = next(n for n in nodes if n["Id"] == RESTRICTIONS)
    assert row["date"] == "2019-07" and row["precision"] == "month"
