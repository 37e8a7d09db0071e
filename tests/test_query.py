"""Issue 4: SPARQL from an argument, a file or the named library; formats; safety."""

from __future__ import annotations

import csv
import io
import json

import pytest

from bilateral.graph.explore.named import list_queries


def test_select_over_the_union_with_predeclared_prefixes(run_json):
    result = run_json("query", "SELECT ?l WHERE { id:japan rdfs:label ?l FILTER(LANG(?l)='en') }", "--format", "json")
    assert result["head"]["vars"] == ["l"]
    assert result["results"]["bindings"] == [{"l": {"type": "literal", "value": "Japan", "xml:lang": "en"}}]


def test_graph_reaches_each_source(run_json):
    result = run_json("query", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s a bl:Event } }", "--format", "json")
    graphs = {b["g"]["value"] for b in result["results"]["bindings"]}
    assert len(graphs) == 5


def test_a_query_may_redeclare_a_prefix(run_json):
    q = "PREFIX id: <https://w3id.org/bilateral/id/>\nASK { id:japan a bl:State }"
    assert run_json("query", q, "--format", "json") == {"head": {}, "boolean": True}


def test_query_from_file_and_stdin(run, tmp_path):
    f = tmp_path / "q.rq"
    f.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s a bl:State }")
    result = run("query", "-f", f, "--format", "csv")
    assert result.exit_code == 0 and result.stdout.splitlines()[0] == "n"
    result = run("query", "-f", "-", "--format", "tsv", input=f.read_text())
    assert result.exit_code == 0 and result.stdout.splitlines()[0] == "?n"


def test_csv_and_table_formats(run):
    q = "SELECT ?s ?l WHERE { ?s a bl:State ; rdfs:label ?l FILTER(LANG(?l)='en') } ORDER BY ?l"
    rows = list(csv.DictReader(io.StringIO(run("query", q, "--format", "csv").stdout)))
    assert {"Japan", "South Korea", "United States"} <= {r["l"] for r in rows}
    table = run("query", q)
    assert table.exit_code == 0 and "id:japan" in table.stdout and "row(s)" in table.stdout


def test_construct_prints_turtle(run):
    result = run("query", "CONSTRUCT { id:japan rdfs:label ?l } WHERE { id:japan rdfs:label ?l }")
    assert result.exit_code == 0 and '"Japan"@en' in result.stdout


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { id:x rdfs:label 'x' }",
        "DELETE WHERE { ?s ?p ?o }",
        "prefix ex: <http://e/> CLEAR ALL",
        "DROP GRAPH <https://w3id.org/bilateral/id/src-002-lee-oba-2020>",
        "LOAD <http://example.org/x.ttl>",
    ],
)
def test_updates_are_refused_and_change_nothing(run, run_json, update):
    before = run_json("stats", "--json")["triples"]
    result = run("query", update)
    assert result.exit_code == 2 and "read-only" in result.stderr
    assert run_json("stats", "--json")["triples"] == before


def test_keywords_inside_strings_are_not_updates(run_json):
    q = 'SELECT ?x WHERE { BIND("INSERT DATA and SERVICE" AS ?x) }'
    assert run_json("query", q, "--format", "json")["results"]["bindings"][0]["x"]["value"].startswith("INSERT")


def test_service_is_refused_unless_allowed(run):
    q = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    result = run("query", q)
    assert result.exit_code == 2 and "--allow-service" in result.stderr


def test_syntax_error_gives_line_and_column(run):
    result = run("query", "SELECT ?s\nWHERE { ?s ?p }")
    assert result.exit_code == 2
    assert "query:2:" in result.stderr and "Traceback" not in result.output


def test_runaway_query_times_out(run):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?t ?h }"
    result = run("query", q, "--timeout", "0.2")
    assert result.exit_code == 1 and "0.2 s" in result.stderr


def test_usage_errors(run):
    assert run("query").exit_code == 2
    assert run("query", "ASK {}", "--named", "reversals").exit_code == 2
    missing = run("query", "--named", "reversal")
    assert missing.exit_code == 2 and "reversals" in missing.stderr
    assert run("query", "-f", "/nonexistent/q.rq").exit_code == 2


def test_named_query_list_has_at_least_twelve(run):
    result = run("query", "--list")
    assert result.exit_code == 0
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) >= 12
    assert all(len(line.split(None, 1)) == 2 for line in lines)


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_every_named_query_answers_on_the_shipped_graph(run, name):
    result = run("query", "--named", name, "--format", "json")
    assert result.exit_code == 0, result.stderr
    bindings = json.loads(result.stdout)["results"]["bindings"]
    assert bindings, f"{name} returned nothing"
    # a claim in several graphs (or a label repeated by the closure) must not repeat a row
    rows = [json.dumps(b, sort_keys=True) for b in bindings]
    assert len(rows) == len(set(rows)), f"{name} repeats {len(rows) - len(set(rows))} row(s)"
