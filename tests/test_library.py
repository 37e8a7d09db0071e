"""`import bilateral.graph` does everything the CLI does, without click; nothing installs a bare `graph`."""

from __future__ import annotations

import subprocess
import sys

import pytest


def test_public_api_answers_in_process(store):
    """The fast loop's half: every public entry point answers (test_layers.py forbids click in graph/)."""
    import bilateral.graph as graph

    iri = graph.resolve(store, "Moon Jae-in")
    assert graph.card(store, iri)["label"] == "Moon Jae-in"
    assert graph.run_query(store, "ASK { ?s a bl:Event }").boolean
    assert graph.timeline(store, start="2019-11", end="2019-11")
    assert graph.chain(store, graph.resolve(store, "id:ev-2019-11-22-korea-stays-in-gsomia"))["steps"]
    gsomia, trade = graph.resolve(store, "id:issue-gsomia"), graph.resolve(store, "id:issue-trade")
    assert graph.find_paths(store, gsomia, trade)["paths"]
    assert graph.stats(store)["sources"]
    assert graph.search(store, "abe")


@pytest.mark.slow  # a fresh interpreter; test_public_api_answers_in_process and test_layers.py cover it fast
def test_public_api_is_reachable_without_click():
    code = (
        "import sys\nimport bilateral.graph as graph\n"
        "store = graph.open_store()\n"
        "iri = graph.resolve(store, 'Moon Jae-in')\n"
        "assert graph.card(store, iri)['label'] == 'Moon Jae-in'\n"
        "assert graph.run_query(store, 'ASK { ?s a bl:Event }').boolean\n"
        "assert graph.timeline(store, start='2019-11', end='2019-11')\n"
        "assert graph.chain(store, graph.resolve(store, 'id:ev-2019-11-22-korea-stays-in-gsomia'))['steps']\n"
        "assert graph.find_paths(store, graph.resolve(store, 'id:issue-gsomia'), graph.resolve(store, 'id:issue-trade'))['paths']\n"
        "assert graph.stats(store)['sources']\n"
        "assert graph.search(store, 'abe')\n"
        "assert 'click' not in sys.modules, 'graph imported click'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_unknown_attribute():
    import bilateral.graph as graph

    with pytest.raises(AttributeError):
        graph.no_such_thing  # noqa: B018


def test_doctests_of_the_small_helpers():
    import doctest

    from bilateral.graph import dates, labels, namespaces
    from bilateral.graph.explore import searching

    for module in (dates, labels, namespaces, searching):
        assert doctest.testmod(module).failed == 0, module.__name__
