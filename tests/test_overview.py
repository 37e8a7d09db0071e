"""Issue 16: one count of an entity's relations everywhere, the states pinned apart, the page prepared at build."""

from __future__ import annotations

ID = "https://w3id.org/bilateral/id/"


def test_stats_degree_is_the_number_of_entities_the_card_relates(store):
    from bilateral.graph.explore.cards import card
    from bilateral.graph.explore.counting import stats

    central = stats(store, top=40)["central"]
    assert len(central) == 40
    for entry in central:
        related = {r["other"]["iri"] for r in card(store, entry["iri"])["relations"]}
        assert entry["degree"] == len(related), entry["label"]


def test_page_counts_related_entities_as_stats_does_and_says_how_many_are_drawn(store):
    from bilateral.graph.explore.counting import stats
    from bilateral.graph.page.rendering import _page_data, layout, plan_view

    central = {c["iri"]: c["degree"] for c in stats(store, top=12)["central"]}
    view = plan_view(store, around=ID + "accord-gsomia", depth=1)
    entities = _page_data(store, view, layout(view.graph))["entities"]
    gsomia = entities[ID + "accord-gsomia"]
    assert gsomia["related"] == central[ID + "accord-gsomia"]
    assert gsomia["shown"] < gsomia["related"]  # sources (mentions) and its status are never drawn
    japan = entities[ID + "japan"]
    assert japan["related"] == central[ID + "japan"]
    assert japan["shown"] < 40 < japan["related"]  # narrowed to GSOMIA's neighbourhood: most are elsewhere


def test_the_two_best_connected_states_are_pinned_apart_in_the_overview(store):
    from bilateral.graph.page.rendering import layout, plan_view

    view = plan_view(store)
    assert set(view.fixed) == {ID + "japan", ID + "south-korea"}
    positions = layout(view.graph, fixed=view.fixed)
    (jx, jy), (kx, ky) = positions[ID + "japan"], positions[ID + "south-korea"]
    assert jy == ky == 0.0 and jx < -300 and kx > 300
    assert plan_view(store, around=ID + "accord-gsomia", depth=1).fixed == {}  # a small view is left free


def test_build_lays_out_the_whole_graph_so_the_first_render_only_fills_the_page(run, mini_dir, tmp_path, monkeypatch):
    import bilateral.graph.page.rendering as rendering

    assert run("--data", mini_dir, "build").exit_code == 0
    calls = []
    monkeypatch.setattr(rendering, "layout", lambda graph, **k: calls.append(graph) or dict.fromkeys(graph, (0.0, 0.0)))
    result = run("--data", mini_dir, "render", "-o", tmp_path / "page.html")
    assert result.exit_code == 0, result.output
    assert calls == []  # laid out at build time: the render found it in the store's cache
    assert (tmp_path / "page.html").stat().st_size > 100_000
    other = run("--data", mini_dir, "render", "--types", "State", "-o", tmp_path / "states.html")
    assert other.exit_code == 0, other.output
    assert len(calls) == 1  # another view is laid out when asked for (the stub is reached)


def test_the_page_draws_the_entities_stats_counts_but_the_documents(store):
    """Sources are the lines' footnotes, not nodes; vocabulary terms (CAMEO's quad classes) are neither."""
    from bilateral.graph.explore.counting import stats
    from bilateral.graph.explore.interpreted import linked_projection
    from bilateral.graph.namespaces import BL

    counted = stats(store)
    drawn = linked_projection(store)
    assert drawn.number_of_nodes() == counted["entities"] - counted["classes"]["Source"]
    assert not any(node.startswith(BL) for node in drawn)
