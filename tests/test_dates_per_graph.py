"""Documents may disagree on a date: each graph holds its own, the cardinality holds per graph."""

from __future__ import annotations

PREFIXES = """@prefix bl: <https://w3id.org/bilateral/ontology#> .
@prefix id: <https://w3id.org/bilateral/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
"""

MINI = "Ji-Young Lee, “Thaws and Tremors (excerpt)” (Press Club, January 2020)"  # display names (graph/sources.py)
OTHER = "Ji-Young Lee, “Other” (Press Club, 1 February 2020)"

OTHER_SOURCE = """GRAPH id:src-other {
  id:src-other a bl:Source ; rdfs:label "Other source"@en ; dcterms:title "Other" ;
      dcterms:creator id:lee-oba ; dcterms:publisher id:org-lib ; dcterms:issued "2020-02-01"^^xsd:date .
  %s
}
"""


def _add(mini_dir, name: str, body: str) -> None:
    (mini_dir / "sources" / name).write_text(PREFIXES + body, encoding="utf-8")


def test_two_documents_with_two_dates_validate(run, mini_dir):
    """The mini source dates the export controls 2019-07; another document says 2019-08-15: both stay."""
    _add(
        mini_dir,
        "other.trig",
        OTHER_SOURCE
        % 'id:ev-export-controls a bl:Measure ; bl:startDate "2019-08-15"^^xsd:date ; bl:datePrecision "day" .',
    )
    result = run("--data", mini_dir, "validate")
    assert result.exit_code == 0, result.output


def test_two_dates_in_one_graph_are_a_violation(run, mini_dir):
    _add(
        mini_dir,
        "twice.trig",
        'GRAPH id:src-mini { id:ev-export-controls bl:startDate "2019-08-15"^^xsd:date . }',
    )
    result = run("--data", mini_dir, "validate")
    assert result.exit_code == 1
    assert (
        "id:ev-export-controls (Export restrictions): bl:startDate: at most one bl:startDate in a graph"
        in result.stdout
    )
    assert "2019-07-01, 2019-08-15 (in id:src-mini)" in result.stdout


def test_start_after_end_in_one_graph_is_a_violation_but_not_across_graphs(run, mini_dir):
    # another document ends the export controls before the mini source starts them: a disagreement, valid
    _add(mini_dir, "other.trig", OTHER_SOURCE % 'id:ev-export-controls bl:endDate "2019-06-30"^^xsd:date .')
    assert run("--data", mini_dir, "validate").exit_code == 0
    _add(mini_dir, "same.trig", 'GRAPH id:src-mini { id:ev-gsomia-notice bl:endDate "2019-07-01"^^xsd:date . }')
    result = run("--data", mini_dir, "validate")
    assert result.exit_code == 1
    assert (
        "id:ev-gsomia-notice (GSOMIA termination notice): bl:startDate: bl:startDate is after bl:endDate"
        in result.stdout
    )


def test_show_gives_both_dates_with_their_sources(run, run_json, mini_dir):
    _add(
        mini_dir,
        "other.trig",
        OTHER_SOURCE
        % 'id:ev-export-controls a bl:Measure ; bl:startDate "2019-08-15"^^xsd:date ; bl:datePrecision "day" .',
    )
    card = run_json("--data", mini_dir, "show", "id:ev-export-controls", "--json")
    assert card["dates_disagree"] is True
    assert [(d["display"], d["sources"]) for d in card["dates"]] == [
        ("2019-07", [MINI]),
        ("2019-08-15", [OTHER]),
    ]
    assert card["date"]["display"] == "2019-07"  # the contract's single date: the earliest reading
    text = run("--data", mini_dir, "show", "id:ev-export-controls").stdout
    assert "dates (the documents disagree):" in text
    assert f"2019-07 (month)  [{MINI}]" in text and f"2019-08-15 (day)  [{OTHER}]" in text


def test_one_date_is_one_line(run, run_json, mini_dir):
    card = run_json("--data", mini_dir, "show", "id:ev-gsomia-stay", "--json")
    assert card["dates_disagree"] is False and len(card["dates"]) == 1
    assert "date: 2019-11-22 (day)" in run("--data", mini_dir, "show", "id:ev-gsomia-stay").stdout


def test_bounds_show_as_bounds(run, mini_dir):
    _add(
        mini_dir,
        "bounded.trig",
        'GRAPH id:src-mini { id:ev-bounded a bl:Event ; bl:notBefore "2019-06-01"^^xsd:date ; '
        'bl:notAfter "2019-08-31"^^xsd:date ; bl:agent id:japan ; bl:concerns id:issue-trade . }',
    )
    (mini_dir / "entities" / "bounded.ttl").write_text(
        PREFIXES + 'id:ev-bounded rdfs:label "Summer talks"@en .', encoding="utf-8"
    )
    text = run("--data", mini_dir, "show", "Summer talks").stdout
    assert f"between 2019-06 and 2019-08  [{MINI}]" in text  # bounds by the one rule (graph/dates.py)


def test_page_card_says_the_documents_disagree(mini_dir):
    from bilateral.graph.explore.cards import card
    from bilateral.graph.page.rendering import _compact_card
    from bilateral.graph.storage.store import open_store

    _add(
        mini_dir,
        "other.trig",
        OTHER_SOURCE
        % 'id:ev-export-controls a bl:Measure ; bl:startDate "2019-08-15"^^xsd:date ; bl:datePrecision "day" .',
    )
    store = open_store(mini_dir)
    ids: dict[str, int] = {}
    compact = _compact_card(card(store, "https://w3id.org/bilateral/id/ev-export-controls"), ids, set())
    first, second = ids[MINI] + 1, ids[OTHER] + 1
    assert compact["date"] == f"documents disagree: 2019-07 (month) [{first}]; 2019-08-15 (day) [{second}]"


def test_curator_notes_are_not_shown(run, run_json, mini_dir):
    _add(
        mini_dir,
        "note.trig",
        'GRAPH id:src-mini { id:ev-gsomia-stay rdfs:comment "the registry date is asserted"@en . }',
    )
    card = run_json("--data", mini_dir, "show", "id:ev-gsomia-stay", "--json")
    assert "comment" not in card["facts"]
    assert [n["value"] for n in card["curator_notes"]] == ["the registry date is asserted"]
    assert "registry" not in run("--data", mini_dir, "show", "id:ev-gsomia-stay").stdout
