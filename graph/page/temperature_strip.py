"""The explorer page's temperature strip (issue 15): coded events between two states, per period.

Under the graph, the page draws the mean Goldstein score and the number of
coded events of each month, quarter or year, with the curated events of each
period marked.  The numbers are `bilateral temperature`'s: this module calls
`bilateral.graph.events.temperature.temperature` once per period size and
trims its rows to what the strip shows (static/temperature.js draws them).

The page's own data is cached with the curated store, which an import does not
change; the strip is therefore cached apart, under a key that names the
imports (their names, files and times), and joined to the page's JSON when the
page is written.  An import or a removal changes the key, so the next render
shows it; the layout and the cards are not computed again.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

from bilateral.graph.errors import BadInput

if TYPE_CHECKING:
    from bilateral.graph.storage.protocol import Store

__all__ = [
    "DEFAULT_BETWEEN",
    "IMPORT_HINT",
    "MAX_BARS",
    "add_to_page_json",
    "choose_by",
    "imports_key",
    "strip_data",
    "strip_json",
]

#: The two states the strip shows unless told otherwise (as `bilateral temperature`).
DEFAULT_BETWEEN = ("Japan", "South Korea")
#: How a page without coded events tells the reader to get some.
IMPORT_HINT = "bilateral import icews FILE"
#: The most bars the strip opens with: beyond this a month is a sliver, so it opens by quarter or year.
MAX_BARS = 120
_SIZES = ("month", "quarter", "year")
_STRIP_FORMAT = 1


def choose_by(months: int, quarters: int) -> str:
    """The period size the strip opens with: the finest one that fits MAX_BARS bars.

    >>> choose_by(96, 32), choose_by(255, 85), choose_by(600, 200)
    ('month', 'quarter', 'year')
    """
    if months <= MAX_BARS:
        return "month"
    return "quarter" if quarters <= MAX_BARS else "year"


class _Shared:
    """The CAMEO types and curated events the periods name, each listed once for the whole strip."""

    def __init__(self) -> None:
        from bilateral.graph.events.cameo import cameo

        self.goldstein = {t.code: t.goldstein for t in cameo().types}
        self.types: dict[str, dict] = {}
        self.curated: list[dict] = []
        self._curated_index: dict[str, int] = {}

    def type_code(self, entry: dict) -> str:
        self.types.setdefault(entry["code"], {"name": entry["name"], "goldstein": self.goldstein[entry["code"]]})
        return entry["code"]

    def curated_number(self, event: dict) -> int:
        if event["iri"] not in self._curated_index:
            self._curated_index[event["iri"]] = len(self.curated)
            self.curated.append(event)
        return self._curated_index[event["iri"]]

    def row(self, row: dict) -> dict:
        """One period of `temperature`'s JSON, its types and curated events as references to the shared lists."""
        from bilateral.graph.events.cameo import QUAD_CLASSES

        return {
            "period": row["period"],
            "start": row["start"],
            "end": row["end"],
            "events": row["events"],
            "goldstein_mean": row["goldstein_mean"],
            "quads": [row["quad_classes"][name] for name in QUAD_CLASSES],
            "top_types": [[self.type_code(t), t["count"]] for t in row["top_types"]],
            "curated": [self.curated_number(e) for e in row["curated_events"]],
        }


def strip_data(store: Store, *, between: tuple[str, str] | None = None, start=None, end=None) -> dict | None:
    """What the page's strip needs, or None when there can be none (no data directory, no Japan in the data).

    Without coded events between the two states the strip is a hint
    (``{"hint", "imports"}``); otherwise ``{"between": [{"iri", "label"}] * 2,
    "by", "events", "imports", "quad_classes", "types": {code: {"name",
    "goldstein"}}, "curated": [{"iri", "label", "date"}], "sizes":
    {"month"|"quarter"|"year": [period]}}`` where each period is a row of
    `bilateral temperature --json` with its types as [code, count] and its
    curated events as numbers into "curated" (see docs/explorer.md).  `between`
    names the states as `temperature --between` does (default Japan and South
    Korea); `start`/`end` bound the periods as the page's --from/--to do.  A
    server's store (--endpoint) has its aggregates computed there, as
    `temperature --endpoint` does; its imports are not listed.
    """
    from bilateral.graph.errors import NotFound
    from bilateral.graph.events.cameo import QUAD_CLASSES
    from bilateral.graph.events.imports import list_imports
    from bilateral.graph.events.temperature import actor_label, is_remote, resolve_actor, temperature

    remote = is_remote(store)
    if not remote and getattr(store, "data_dir", None) is None:
        return None
    imports = [] if remote else [entry["name"] for entry in list_imports(store.data_dir)]
    try:
        a, b = (resolve_actor(store, name) for name in (between or DEFAULT_BETWEEN))
    except NotFound:
        if between:
            raise
        return None  # a data set without the default states: no strip, no error
    if a == b:
        raise BadInput("the temperature strip needs two different states")
    if not remote and not imports:
        return {"hint": IMPORT_HINT, "imports": []}
    shared = _Shared()
    sizes = {
        by: [shared.row(row) for row in temperature(store, a, b, by=by, start=start, end=end)["periods"]]
        for by in _SIZES
    }
    events = sum(row["events"] for row in sizes["year"])
    if not events:
        return {"hint": IMPORT_HINT, "imports": imports}
    return {
        "between": [{"iri": iri, "label": actor_label(store, iri)} for iri in (a, b)],
        "by": choose_by(len(sizes["month"]), len(sizes["quarter"])),
        "events": events,
        "imports": imports,
        "quad_classes": list(QUAD_CLASSES),
        "types": shared.types,
        "curated": shared.curated,
        "sizes": sizes,
    }


def imports_key(store: Store) -> str:
    """Names the imports as they stand: any import or removal changes it."""
    from bilateral.graph.events.imports import list_imports

    return json.dumps(
        [(e["name"], e["files"], e["events"], e["imported"]) for e in list_imports(store.data_dir)], sort_keys=True
    )


def strip_json(store: Store, *, between=None, start=None, end=None, code: str = "") -> dict | None:
    """`strip_data`, cached with the store under a key naming the imports, the options and the code version.

    Without imports the hint is cached the same way (under an empty list of
    imports; the catalogue is read each time to tell); a server's store
    caches nothing.
    """
    from bilateral.graph.events.temperature import is_remote

    if is_remote(store) or getattr(store, "data_dir", None) is None:
        return strip_data(store, between=between, start=start, end=end)
    # Kept with the store without imports too (the hint, or None without the states: naming the two
    # states costs more than the rest of a prepared render); the key names the imports as they stand.
    key = json.dumps([_STRIP_FORMAT, imports_key(store), list(between or DEFAULT_BETWEEN), start, end, code])
    name = "temperature-" + hashlib.sha256(key.encode()).hexdigest()[:20]
    return store.cached(name, lambda: strip_data(store, between=between, start=start, end=end))


def add_to_page_json(data_json: str, key: str, value) -> str:
    """Add one member to the page's JSON object (as made by rendering.json_for_script) without parsing it again.

    The page's JSON can be megabytes; it always ends with its object's
    closing brace, so the new member goes just before it (escaped for <script> like the rest).
    """
    from bilateral.graph.page.rendering import json_for_script

    body = data_json.rstrip()
    if not body.endswith("}"):
        raise ValueError("the page's data is not a JSON object")
    member = f"{json.dumps(key)}: {json_for_script(value)}"
    inner = body[:-1].rstrip()
    return f"{inner}, {member}}}" if inner != "{" else f"{{{member}}}"
