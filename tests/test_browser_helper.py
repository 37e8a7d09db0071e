"""The shared browser helper (tests/browsing.py) itself: its condition wait holds under the page's CSP."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_wait_until_returns_the_condition_once_it_holds(visit, explorer_file):
    v = visit(explorer_file)
    v.js("() => setTimeout(() => { document.body.dataset.later = 'yes'; }, 200)")
    assert v.wait_until("() => document.body.dataset.later") == "yes"
    assert v.errors == []  # the page's CSP forbids eval: the wait must not need it


def test_wait_until_names_the_condition_that_never_held(visit, explorer_file):
    v = visit(explorer_file)
    with pytest.raises(TimeoutError, match="never"):
        v.wait_until("() => window.never", timeout_ms=300)
