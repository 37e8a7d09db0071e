"""Issue 14: no output prints a month- or year-precision date as a full date.

Every command's output on the shipped graph is swept for the full ISO form
(2019-07-01) of any date the data holds only to the month or the year.
Allowed: spans that spell out the days of a period ("between 2019-08-01 and
2019-08-31", "on or before …"), and the machine fields that are days by
definition: the start and end of a period (`start`, `end`, `start_date`,
`not_before`, `not_after`; GEXF spells).
"""

from __future__ import annotations

import json
import re

import pytest

from bilateral.graph.namespaces import BL, DCTERMS

_SPAN = re.compile(
    r"(between \d{4}-\d\d-\d\d and \d{4}-\d\d-\d\d|on or (before|after) \d{4}-\d\d-\d\d|on \d{4}-\d\d-\d\d)"
)
_MACHINE = re.compile(r'"(start|end|start_date|not_before|not_after|span)": "\d{4}-\d\d-\d\d"')
_DAY = re.compile(r"\d{4}-\d\d-\d\d")


@pytest.fixture(scope="module")
def coarse(store) -> set[str]:
    """Full ISO forms of month- and year-precision dates that no day-precision claim also uses."""
    rows = store.ox.query(
        f"""SELECT ?d ?p WHERE {{ GRAPH ?g {{ ?x ?date ?d . OPTIONAL {{ ?x <{BL}datePrecision> ?p }} }}
        VALUES ?date {{ <{BL}startDate> <{DCTERMS}issued> }} }}""",
        use_default_graph_as_union=True,
    )
    found, days = set(), set()
    for r in rows:
        precision = r["p"].value if r["p"] is not None else "day"
        (days if precision == "day" else found).add(r["d"].value[:10])
    bounds = store.ox.query(
        f"SELECT ?d WHERE {{ ?x ?b ?d VALUES ?b {{ <{BL}notBefore> <{BL}notAfter> }} }}",
        use_default_graph_as_union=True,
    )
    days |= {r["d"].value[:10] for r in bounds}
    return found - days


def _leaks(text: str, coarse: set[str]) -> list[str]:
    text = _MACHINE.sub("", _SPAN.sub("", text))
    return sorted({d for d in _DAY.findall(text) if d in coarse})


def _commands(store) -> list[tuple[str, ...]]:
    from bilateral.graph.explore.named import list_queries
    from bilateral.graph.time.lifecycle import status_changes

    subjects = sorted({c.subject for c in status_changes(store)})
    commands: list[tuple[str, ...]] = [
        ("timeline",),
        ("timeline", "--json"),
        ("stats", "--json"),
        ("chain", "id:ev-2019-07-japan-export-restrictions"),
        ("chain", "id:ev-2019-07-japan-export-restrictions", "--json"),
        ("asof", "2019-09-15"),
        ("asof", "2019-12-31", "--json"),
        ("asof", "2023-04-15"),
        ("asof", "2023-04-15", "--json"),
        ("path", "id:issue-forced-labor", "id:issue-export-controls", "-k", "3"),
        ("path", "id:issue-forced-labor", "id:issue-export-controls", "-k", "3", "--json"),
    ]
    for query in list_queries():
        commands += [("query", "--named", query.name), ("query", "--named", query.name, "--format", "csv")]
    for iri in subjects + ["https://w3id.org/bilateral/id/src-000-shin-2020"]:
        commands += [("show", iri), ("show", iri, "--json")]
    return commands


@pytest.mark.slow  # a sweep over every command; tests/test_dates_per_graph.py and test_time.py cover precision fast
def test_no_command_prints_a_coarse_date_as_a_day(run, store, coarse):
    assert len(coarse) > 5  # the sweep looks for something real
    leaks = {}
    for args in _commands(store):
        result = run(*args)
        assert result.exit_code == 0, (args, result.stderr)
        found = _leaks(result.stdout, coarse)
        if found:
            leaks[" ".join(args)] = found
    assert not leaks


@pytest.mark.slow  # a sweep over every named query; test_query.py runs each named query unmarked
def test_named_query_cells_carry_no_language_tags(run):
    from bilateral.graph.explore.named import list_queries

    for query in list_queries():
        result = run("query", "--named", query.name)
        assert result.exit_code == 0
        assert not re.search(r"@(en|ko|ja)\b", result.stdout), query.name
        doc = json.loads(run("query", "--named", query.name, "--format", "json").stdout)
        tagged = [b for row in doc["results"]["bindings"] for b in row.values() if "xml:lang" in b]
        assert not tagged, query.name


@pytest.mark.slow  # a sweep over every export format; test_time.py's gexf and csv tests cover export dates fast
def test_exports_carry_dates_at_their_precision(run, tmp_path, coarse):
    import networkx as nx

    assert run("export", "--format", "csv", "-o", tmp_path / "csv").exit_code == 0
    for name in ("nodes.csv", "edges.csv"):
        assert not _leaks((tmp_path / "csv" / name).read_text(encoding="utf-8"), coarse), name
    for fmt, read in (("gexf", nx.read_gexf), ("graphml", nx.read_graphml)):
        assert run("export", "--format", fmt, "-o", tmp_path / f"g.{fmt}").exit_code == 0
        graph = read(tmp_path / f"g.{fmt}")
        for _, data in list(graph.nodes(data=True)) + [(None, d) for _, _, d in graph.edges(data=True)]:
            shown = {k: v for k, v in data.items() if k not in ("start", "end")}  # spells: days by definition
            assert not _leaks(json.dumps(shown), coarse), (fmt, shown)


@pytest.mark.slow  # renders the whole page; test_dates_per_graph.py checks the page card's dates fast
def test_the_page_shows_dates_at_their_precision(run, tmp_path, coarse):
    page = tmp_path / "page.html"
    assert run("render", "-o", page).exit_code == 0
    text = re.sub(r'\\?"(s|e|start|end)\\?"\s*:\s*\\?"\d{4}-\d\d-\d\d\\?"', "", page.read_text(encoding="utf-8"))
    text = re.sub(r'\["\d{4}-\d\d-\d\d", "[A-Za-z]+"', "", text)  # as-of steps: [first day, status, ...]
    assert not _leaks(text, coarse)


def test_the_sweep_finds_a_leak_and_spares_spans():
    assert _leaks("signed 1965-01-01", {"1965-01-01"}) == ["1965-01-01"]
    assert _leaks("between 1965-01-01 and 1965-12-31", {"1965-01-01"}) == []
    assert _leaks('{"start": "1965-01-01", "date": "1965"}', {"1965-01-01"}) == []
