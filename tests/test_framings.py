"""`bilateral framings`: positions on an issue grouped by side, through the CLI."""

from __future__ import annotations

ID = "https://w3id.org/bilateral/id/"
GROUPS = ["Japan", "South Korea", "United States", "others", "interpretations"]


def test_forced_labour_has_both_sides_with_sources(run_json):
    result = run_json("framings", "forced labour", "--json")
    assert result["issue"]["iri"] == ID + "issue-forced-labor"
    groups = result["groups"]
    assert ID + "pos-japan-1965-agreement-settled-claims" in {p["iri"] for p in groups["Japan"]}
    assert ID + "pos-south-korea-respects-supreme-court-ruling" in {p["iri"] for p in groups["South Korea"]}
    for side in ("Japan", "South Korea"):
        assert groups[side] and all(p["sources"] for p in groups[side])


def test_json_shape(run_json):
    result = run_json("framings", "forced labour", "--json")
    assert set(result) == {"issue", "groups"}
    assert list(result["groups"]) == GROUPS
    for side, positions in result["groups"].items():
        for p in positions:
            assert set(p) == {
                "iri",
                "label",
                "holder",
                "holders",
                "stance",
                "quotes",
                "date",
                "interpretation",
                "sources",
            }
            assert p["interpretation"] == (side == "interpretations")
            assert isinstance(p["quotes"], list) and isinstance(p["sources"], list)
    dated = [p["date"] for ps in result["groups"].values() for p in ps if p["date"]]
    assert "2023-03" in dated  # month precision printed by the one date rule


def test_body_of_a_state_counts_for_its_side(run_json):
    groups = run_json("framings", "forced labour", "--json")["groups"]
    court = ID + "pos-supreme-court-of-korea-japanese-company-assets-seizable"
    assert court in {p["iri"] for p in groups["South Korea"]}


def test_plain_text_is_grouped_by_side(run):
    result = run("framings", "forced labour")
    assert result.exit_code == 0
    assert "Japan (" in result.stdout and "South Korea (" in result.stdout
    assert result.stdout.index("Japan (") < result.stdout.index("South Korea (")
    assert "sources:" in result.stdout


def test_gsomia_resolves_to_the_issue_with_a_note(run):
    result = run("framings", "GSOMIA", "--json")
    assert result.exit_code == 0
    assert '"' + ID + 'issue-gsomia"' in result.stdout
    assert "took the issue" in result.stderr


def test_a_non_issue_exits_2_naming_the_expected_kind(run):
    result = run("framings", "Japan")
    assert result.exit_code == 2
    assert "not an issue" in result.stderr


def test_unknown_name_exits_2(run):
    result = run("framings", "zzz-no-such-thing")
    assert result.exit_code == 2
    assert "no entity matches" in result.stderr


def test_an_issue_without_positions_exits_1(run):
    result = run("framings", "id:issue-military-logistics-acsa")
    assert result.exit_code == 1
    assert "no positions concern" in result.stderr
