"""Coded event data (issue 15): import, link, temperature, events, bad input.

Each test works on a private copy of the shipped data directory, so its
imports never reach the other tests' stores.
"""

from __future__ import annotations

import csv
import gzip
import io
import signal
import subprocess
import sys
import time
import zipfile
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
ICEWS = SHARED / "icews"
_shared = pytest.mark.skipif(
    not (ICEWS / "icews05-15-test.tsv").is_file(), reason="../shared/data (the ICEWS files) is absent"
)


def needs_shared(test):
    """Skipped without ../shared/data; marked slow (the shared files take seconds to import)."""
    return pytest.mark.slow(_shared(test))


@pytest.fixture
def data(shipped_home) -> Path:
    """The shipped curated data with a private home for its imports (its store copied, not rebuilt)."""
    return shipped_home


def _tsv(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


GOOD = "Japan\tConsult\tSouth Korea\t2015-12-28\nGovernment (Japan)\tMake statement\tMoon Jae-in\t2019-11-05\n"


def test_small_import_links_actors_and_lists(run, run_json, data, tmp_path):
    path = _tsv(tmp_path, "small.tsv", GOOD)
    result = run("--data", data, "import", "icews", path, "--name", "small")
    assert result.exit_code == 0, result.output + result.stderr
    assert "imported 2 coded events" in result.stdout
    assert "2 of 2 events have both actors reaching a curated entity" in result.stdout
    listed = run_json("--data", data, "imports", "--json")
    assert [(i["name"], i["events"], i["refused"]) for i in listed] == [("small", 2, 0)]
    events = run_json("--data", data, "events", "--json")
    assert events["total"] == 2
    first, second = events["events"]
    assert first["agent"]["iri"].endswith("/id/japan") and first["type"]["code"] == "040"
    assert first["provenance"] == {"import": "small", "file": "small.tsv", "line": 1}
    assert second["agent"]["label"] == "Government (Japan)" and second["target"]["iri"].endswith("/moon-jae-in")


def test_sparql_sees_coded_events_with_the_vocabulary(run, data, tmp_path):
    path = _tsv(tmp_path, "small.tsv", GOOD)
    assert run("--data", data, "import", "icews", path).exit_code == 0
    sparql = """SELECT ?code ?g ?state WHERE { ?e a bl:Event ; bl:cameoType ?t ; bl:agent ?a ; bl:startDate "2019-11-05"^^xsd:date .
      ?t skos:notation ?code ; bl:goldstein ?g . ?a bl:belongsToState ?state }"""
    result = run("--data", data, "query", sparql, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1] == "010,0,https://w3id.org/bilateral/id/japan"
    # one query joins a curated event to the coded events of its week
    week = """SELECT (COUNT(?c) AS ?n) WHERE { ?m a bl:Meeting ; bl:startDate ?d .
      ?c a bl:CodedEvent ; bl:startDate ?cd . FILTER(?cd >= ?d && ?cd <= ?d + "P7D"^^xsd:dayTimeDuration) }"""
    result = run("--data", data, "query", week, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert int(result.stdout.splitlines()[1]) >= 1


def test_linker_resolves_names_in_either_order(data):
    from bilateral.graph.events.linking import Linker
    from bilateral.graph.explore.resolution import resolve
    from bilateral.graph.storage.store import open_store

    store = open_store(data)
    linker = Linker(store)
    assert linker.actor("Shinzo Abe").iri == resolve(store, "Abe Shinzo")
    assert linker.actor("Moon Jae-in").iri == resolve(store, "Moon Jae-in")
    sector = linker.actor("Foreign Affairs (South Korea)")
    assert not sector.curated and sector.state == resolve(store, "South Korea")
    other = linker.actor("Mahmoud Abbas", "Occupied Palestinian Territory")
    assert not other.curated and other.state and "coded-actor" in other.state


def _independent(paths: list[Path]) -> dict[str, tuple[int, float]]:
    """Yearly (count, mean Goldstein) between Japan and South Korea, computed from the TSV directly."""
    from bilateral.graph.locations import shipped_data_dir

    text = (ROOT / "graph" / "events" / "cameo-codes.csv").read_bytes().decode("cp1252")
    score: dict[str, tuple[str, float]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        key = row["name"].strip().lower()
        if key not in score or len(row["code"]) > len(score[key][0]):
            score[key] = (row["code"], float(row["goldstein"]))
    people = _people(shipped_data_dir())

    def state(actor: str) -> str | None:
        for country in ("Japan", "South Korea"):
            if actor == country or actor.endswith(f"({country})") or people.get(actor) == country:
                return country
        return None

    years: dict[str, list[float]] = defaultdict(list)
    for path in paths:
        for line in path.read_text("utf-8").splitlines():
            agent, kind, target, date = line.split("\t")
            if {state(agent), state(target)} == {"Japan", "South Korea"} and "2005" <= date[:4] <= "2015":
                years[date[:4]].append(score[kind.lower()][1])
    return {y: (len(v), round(sum(v) / len(v), 3)) for y, v in years.items()}


def _people(data_dir: Path) -> dict[str, str]:
    """Names (both orders) of curated holders of an office of Japan or South Korea and of bodies that belong to them."""
    import rdflib

    g = rdflib.Dataset()
    for path in data_dir.glob("*/*.ttl"):
        g.parse(path, format="turtle")
    q = """PREFIX bl: <https://w3id.org/bilateral/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
      PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
      SELECT ?name ?state WHERE { { ?p bl:holdsOffice ?o . ?o bl:officeOf ?s } UNION { ?p bl:belongsToState ?s }
        ?s rdfs:label ?state . { ?p rdfs:label ?name } UNION { ?p skos:altLabel ?name } FILTER(lang(?state) = "en") }"""
    names: dict[str, str] = {}
    for name, state in g.query(q):
        words = str(name).split()
        for variant in (str(name), " ".join(words[1:] + words[:1])):
            names.setdefault(variant, str(state))
    return {n: s for n, s in names.items() if s in ("Japan", "South Korea")}


@pytest.mark.slow  # imports 2005-15 for real; test_temperature_csv_and_chart_and_errors covers temperature fast
@needs_shared
def test_icews0515_temperature_matches_an_independent_count(run, run_json, data):
    files = [ICEWS / "icews05-15-test.tsv", ICEWS / "icews05-15-valid.tsv"]
    result = run("--data", data, "import", "icews", *files, "--name", "icews0515")
    assert result.exit_code == 0, result.stderr
    got = run_json("--data", data, "temperature", "--by", "year", "--from", "2005", "--to", "2015", "--json")
    assert [x["label"] for x in got["between"]] == ["Japan", "South Korea"]
    measured = {p["period"]: (p["events"], p["goldstein_mean"]) for p in got["periods"] if p["events"]}
    expected = _independent(files)
    assert measured == expected
    assert sum(n for n, _ in measured.values()) > 1000
    # the same import again changes nothing
    again = run("--data", data, "import", "icews", *files, "--name", "icews0515")
    assert again.exit_code == 0 and "unchanged" in again.stdout
    assert run_json("--data", data, "temperature", "--by", "year", "--from", "2005", "--to", "2015", "--json") == got
    # a second import, then its removal, restores the counts
    assert run("--data", data, "import", "icews", ICEWS / "icews14-test.tsv", "--name", "y2014").exit_code == 0
    grown = run_json("--data", data, "temperature", "--by", "year", "--from", "2005", "--to", "2015", "--json")
    assert grown != got
    removed = run("--data", data, "imports", "remove", "y2014")
    assert removed.exit_code == 0, removed.stderr
    assert run_json("--data", data, "temperature", "--by", "year", "--from", "2005", "--to", "2015", "--json") == got
    assert run("--data", data, "imports", "remove", "y2014").exit_code == 2


@needs_shared
def test_dataverse_sample_keeps_cameo_codes_as_strings(run, run_json, data):
    result = run("--data", data, "import", "icews", ICEWS / "events-2018-sample.tab", "--name", "dv")
    assert result.exit_code == 0, result.stderr
    assert run_json("--data", data, "imports", "--json")[0]["events"] == 3705
    sparql = 'SELECT ?code WHERE { ?e bl:icewsEventId "32889836" ; bl:cameoType/skos:notation ?code }'
    out = run("--data", data, "query", sparql, "--format", "csv")
    assert out.stdout.splitlines()[1] == "040"
    typed = run_json("--data", data, "events", "--type", "040", "--json")
    assert typed["total"] > 0 and all(e["type"]["code"] == "040" for e in typed["events"])
    assert run("--data", data, "events", "--type", "40").exit_code == 2


def test_bad_rows_are_counted_listed_and_the_good_ones_imported(run, run_json, data, tmp_path):
    bad = GOOD + "Japan\tConsult\tSouth Korea\n"  # line 3: 3 columns
    bad += "Japan\tConsult\tSouth Korea\t2019-13-45\n"  # line 4: bad date
    bad += "Japan\tDance wildly\tSouth Korea\t2019-01-01\n"  # line 5: unknown type
    data_bytes = bad.encode() + "Japan\tConsult\tS\xe9oul\t2019-01-01\n".encode("cp1252")  # line 6: not UTF-8
    data_bytes += ("Japan\tConsult\n" * 12).encode()  # lines 7-18
    path = _tsv(tmp_path, "bad.tsv", data_bytes)
    result = run("--data", data, "import", "icews", path)
    assert result.exit_code == 1
    assert "bad.tsv:3: 3 columns, expected 4" in result.stderr
    assert "bad.tsv:4: bad date '2019-13-45'" in result.stderr
    assert "bad.tsv:5: unknown CAMEO event type 'Dance wildly'" in result.stderr
    assert "bad.tsv:6: bytes that are not UTF-8" in result.stderr
    assert "... and 6 more refused row(s)" in result.stderr and "16 row(s) refused" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert run_json("--data", data, "imports", "--json")[0]["events"] == 2


def test_strict_imports_nothing(run, run_json, data, tmp_path):
    path = _tsv(tmp_path, "bad.tsv", GOOD + "Japan\tConsult\tSouth Korea\t2019-02-30\n")
    result = run("--data", data, "import", "icews", path, "--strict")
    assert result.exit_code == 1 and "bad.tsv:3: bad date" in result.stderr and "nothing imported" in result.stderr
    assert run_json("--data", data, "imports", "--json") == []


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("empty.tsv", b"", "empty file"),
        ("other.csv", b"a,b,c\n1,2,3\n", "unknown format"),
        ("binary.tsv", b"\xff\xfe\x00garbage\n", "unknown format"),
    ],
)
def test_unreadable_or_unknown_files_exit_2(run, run_json, data, tmp_path, name, content, message):
    path = _tsv(tmp_path, name, content)
    result = run("--data", data, "import", "icews", path)
    assert result.exit_code == 2 and message in result.stderr and "Traceback" not in result.stderr
    assert run_json("--data", data, "imports", "--json") == []


def test_missing_file_exits_2(run, data, tmp_path):
    result = run("--data", data, "import", "icews", tmp_path / "nowhere.tsv")
    assert result.exit_code == 2 and "cannot read" in result.stderr


def test_gz_and_zip_are_read(run, run_json, data, tmp_path):
    gz = tmp_path / "small.tsv.gz"
    gz.write_bytes(gzip.compress(GOOD.encode()))
    zipped = tmp_path / "small.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("inner.tsv", GOOD)
    assert run("--data", data, "import", "icews", gz, "--name", "gz").exit_code == 0
    assert run("--data", data, "import", "icews", zipped, "--name", "zipped").exit_code == 0
    counts = {i["name"]: (i["events"], i["files"]) for i in run_json("--data", data, "imports", "--json")}
    assert counts == {"gz": (2, ["small.tsv.gz"]), "zipped": (2, ["small.zip:inner.tsv"])}


def test_temperature_csv_and_chart_and_errors(run, data, tmp_path):
    path = _tsv(tmp_path, "small.tsv", GOOD)
    assert run("--data", data, "import", "icews", path).exit_code == 0
    result = run("--data", data, "temperature", "--by", "year", "--from", "2015", "--to", "2015", "--csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["period"] == "2015" and rows[0]["events"] == "1" and rows[0]["goldstein_mean"] == "1.0"
    chart = run("--data", data, "temperature", "--by", "year")
    assert chart.exit_code == 0 and all(len(line) <= 80 for line in chart.stdout.splitlines()[1:])
    assert "*" in chart.stdout  # curated events marked
    assert run("--data", data, "temperature", "--from", "2019", "--to", "2018").exit_code == 2
    assert run("--data", data, "temperature", "--between", "Japan", "Atlantis").exit_code == 2


@needs_shared
def test_a_killed_import_leaves_the_store_as_it_was(run, run_json, data, tmp_path):
    from bilateral.graph.events.imports import events_home

    small = _tsv(tmp_path, "small.tsv", GOOD)
    assert run("--data", data, "import", "icews", small, "--name", "small").exit_code == 0
    before = run_json("--data", data, "temperature", "--by", "year", "--json")
    home = events_home(data)
    catalogue = (home / "catalogue.json").read_bytes()
    child = subprocess.Popen(
        [sys.executable, "-c", "from bilateral.cli.main import main; main()", "--data", str(data), "import", "icews",
         str(ICEWS / "icews05-15-test.tsv"), "--name", "big"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and child.poll() is None:
        if any(
            p.name.startswith((".writing-", ".combining-")) for p in [*home.iterdir(), *(home / "imports").iterdir()]
        ):
            break
        time.sleep(0.01)
    assert child.poll() is None, "the import finished before it could be killed"
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert (home / "catalogue.json").read_bytes() == catalogue
    assert run_json("--data", data, "temperature", "--by", "year", "--json") == before
    assert [i["name"] for i in run_json("--data", data, "imports", "--json")] == ["small"]
