"""Issue 6: large views fold into clusters, so a big graph still renders to a page that opens at once."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def big_data(tmp_path_factory) -> Path:
    """A synthetic graph of about 3,000 entities from the benchmark generator."""
    target = tmp_path_factory.mktemp("big") / "data"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), str(target), "--triples", "30000"],
        check=True,
        capture_output=True,
    )
    return target


def test_aggregate_folds_until_the_view_fits():
    import networkx as nx

    from bilateral.graph.page.aggregation import aggregate

    g = nx.MultiDiGraph()
    g.add_node("issue", type="Issue", types=["Issue"], label="Trade")
    g.add_node("japan", type="State", types=["State"], label="Japan")
    for i in range(300):
        node = f"ev{i}"
        g.add_node(node, type="Meeting", types=["Meeting"], label=f"Meeting {i}", date=f"{2000 + i % 3}-01-01")
        g.add_edge(node, "issue", key="concerns", label="concerns", sources=[f"s{i % 2}"])
        g.add_edge(node, "japan", key="participant", label="participant", sources=["s0"])
    folded, note = aggregate(g, 50)
    assert folded.number_of_nodes() == 2 + 3  # two kept entities, one cluster a year
    clusters = [d for _, d in folded.nodes(data=True) if d["type"] == "Cluster"]
    assert sum(c["size"] for c in clusters) == 300 and all(len(c["members"]) == 100 for c in clusters)
    edge = next(d for u, v, d in folded.edges(data=True) if v == "issue")
    assert edge["count"] == 100 and edge["sources"] == ["s0", "s1"] and "×100" in edge["label"]
    assert "clusters" in note
    same, none = aggregate(g, 1000)
    assert same is g and none is None


@pytest.mark.slow
def test_a_big_graph_renders_folded_with_a_warning(run, big_data, tmp_path):
    out = tmp_path / "big.html"
    result = run("--data", big_data, "render", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert "--around" in result.stderr
    html = out.read_text("utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', html, re.S).group(1))
    entities = data["entities"]
    assert len(entities) <= 2000
    clusters = [e for e in entities.values() if e["type"] == "Cluster"]
    assert clusters and all(e["card"]["facts"]["contains"] for e in clusters)
    assert "clusters" in data["description"]


@pytest.mark.slow
def test_an_ego_view_of_the_big_graph_is_not_folded(run, big_data, tmp_path):
    from bilateral.graph.storage.store import open_store

    store = open_store(big_data)
    hub = max(
        (
            n
            for n in store.ox.query(
                "SELECT ?s WHERE { ?s a bl:Issue }", prefixes={"bl": "https://w3id.org/bilateral/ontology#"}
            )
        ),
        key=lambda r: r["s"].value,
    )["s"].value
    out = tmp_path / "ego.html"
    result = run(
        "--data", big_data, "render", "-o", out, "--around", hub, "--depth", "1", "--types", "Issue,Person,State"
    )
    assert result.exit_code == 0, result.stderr
    assert '"Cluster"' not in out.read_text("utf-8")
