"""show, search, path, chain, timeline: exploring the graph by name, connection and time."""

from __future__ import annotations

from pathlib import Path

import click

from bilateral.cli.options import asserted_only_option, count_option, date_range_options, json_option
from bilateral.cli.output import emit_json, out, table


def resolve_entity(app, name: str, *, expect: str | None = None, prefer: str | None = None) -> str:
    """Resolve a name (of the kind the command expects or prefers); say on stderr which entity a choice took."""
    from bilateral.cli.output import safe_text
    from bilateral.graph.explore.resolution import resolve_as

    resolved = resolve_as(app.store(), name, expect=expect, prefer=prefer)
    if resolved.note:
        click.echo(f"note: {safe_text(resolved.note)}", err=True)
    return resolved.iri


@click.command("show")
@click.argument("entity")
@json_option
@click.pass_obj
def show_command(app, entity: str, as_json: bool) -> None:
    """An entity card: names in every language, dates, facts, relations with sources.

    ENTITY is an IRI, a CURIE (id:japan), or any label or alias in any language.
    """
    from bilateral.graph.events.activity import coded_activity
    from bilateral.graph.explore.cards import card

    store = app.store()
    result = card(store, resolve_entity(app, entity))
    coded = coded_activity(store, result["iri"])
    if coded:
        result["coded_events"] = coded
    if as_json:
        emit_json(result)
        return
    out(f"{result['label']}  [{', '.join(result['types'])}]  {result['curie']}")
    others = [f"{name} ({lang})" for lang, name in result["labels"].items() if lang != "en"]
    if others or result["aliases"]:
        out("also: " + "; ".join(others + result["aliases"]))
    _show_dates(result)
    _show_lifecycle(result)
    if result["description"]:
        out(result["description"])
    for name, values in result["facts"].items():
        for v in values:
            out(f"{name}: {v['value']}" + (f"  [{'; '.join(v['sources'])}]" if v["sources"] else ""))
    if result["relations"]:
        rows = []
        for r in result["relations"]:
            arrow = f"{r['predicate']} →" if r["direction"] == "out" else f"← {r['predicate']}"
            rows.append([arrow, r["other"]["label"], ", ".join(r["other"]["types"]), "; ".join(r["sources"])])
        table("relations", ["relation", "entity", "type", "sources"], rows)
    if "chain" in result:
        c = result["chain"]
        for key, title in (
            ("answers", "answers"),
            ("answered_by", "answered by"),
            ("reverses", "reverses"),
            ("reversed_by", "reversed by"),
        ):
            for e in c[key]:
                out(f"{title}: {e['label']} ({e['relation']}; {'; '.join(e['sources'])})")
    for r in result.get("interpreted_links", []):
        arrow = f"{r['relation']} →" if r["direction"] == "out" else f"← {r['relation']}"
        out(f"{r['according_to']}: {arrow} {r['other']['label']}")
    if result["sources"]:
        out("sources: " + "; ".join(s["label"] + (f" <{s['url']}>" if s.get("url") else "") for s in result["sources"]))
    if coded:
        _show_coded(coded)


def _show_coded(coded: dict) -> None:
    """The card's coded-event section: events by year, then the main counterparts (imports, issue 15)."""
    out(f"coded events (imports): {coded['total']} with a counterpart outside this actor")
    rows = [
        [y["year"], y["events"], y["as_agent"], y["as_target"], f"{y['goldstein_mean']:+.2f}"] for y in coded["by_year"]
    ]
    table("coded events by year", ["year", "events", "as agent", "as target", "mean Goldstein"], rows)
    rows = [[c["label"], c["events"], f"{c['goldstein_mean']:+.2f}"] for c in coded["counterparts"]]
    table("main counterparts", ["counterpart", "events", "mean Goldstein"], rows)


def _show_dates(result: dict) -> None:
    """One date line; when documents disagree (or only bound the date), each reading with its sources."""
    from bilateral.graph.explore.cards import describe_date

    dates = result.get("dates") or []
    if len(dates) > 1 or any("start" not in d for d in dates):
        title = "dates (the documents disagree)" if result.get("dates_disagree") else "dates"
        out(f"{title}:")
        for d in dates:
            out(f"  {describe_date(d)}" + (f"  [{'; '.join(d['sources'])}]" if d["sources"] else ""))
    elif "date" in result:
        d = result["date"]
        out(f"date: {d['display']}" + (f" – {d['end']}" if d.get("end") else "") + f" ({d['precision']})")


def _show_lifecycle(result: dict) -> None:
    """An accord's or measure's status and its history, each step with its date, event and sources."""
    life = result.get("lifecycle")
    if not life:
        return
    out(f"status: {life['current']}" + (f" since {life['since']}" if life["since"] else ""))
    for step in life["history"]:
        by = f" by {'; '.join(e['label'] for e in step['set_by'])}" if step["set_by"] else ""
        out(f"  {step['date'] or '?'}  {step['status']}{by}  [{'; '.join(step['sources'])}]")


@click.command("search")
@click.argument("text")
@click.option("--type", "type_name", metavar="CLASS", help="Only entities of this class (e.g. Person, Meeting).")
@count_option("--limit", low=1, high=500, default=20, help="How many matches at most, best first.")
@json_option
@click.pass_obj
def search_command(app, text: str, type_name: str | None, limit: int, as_json: bool) -> None:
    """Fuzzy find over labels and aliases in every language, ranked."""
    from bilateral.graph.errors import NothingFound
    from bilateral.graph.explore.searching import class_iri, search

    store = app.store()
    type_iri = class_iri(store, type_name) if type_name else None
    hits = search(store, text, type_iri=type_iri, limit=limit)
    if as_json:
        emit_json([{"iri": h["iri"], "label": h["label"], "types": h["types"], "score": h["score"]} for h in hits])
    if not hits:
        raise NothingFound(f"nothing matches {text!r}")
    if as_json:
        return
    table(
        None,
        ["score", "label", "type", "matched", "iri"],
        [[f"{h['score']:.2f}", h["label"], ", ".join(h["types"]), h["matched"], h["iri"]] for h in hits],
    )


@click.command("path")
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
@count_option("-k", "k", low=1, high=50, default=3, help="How many distinct paths.")
@click.option("--max-hops", type=click.IntRange(1, 50), help="Longest path allowed.")
@click.option("--via", multiple=True, metavar="X", help="Paths must pass through X (repeatable).")
@click.option("--avoid", multiple=True, metavar="X", help="Paths must not pass through X (repeatable).")
@click.option(
    "--relations",
    multiple=True,
    metavar="R[,R]",
    help="Only these relations (e.g. responses, respondsTo, concerns, mediator), and/or a profile of who may "
    "bridge: substance (default: no person, office or source between the ends), actors, all.",
)
@asserted_only_option
@json_option
@click.option("--html", "html", type=click.Path(path_type=Path), help="Also draw the paths in an explorer page.")
@click.pass_obj
def path_command(app, source, target, k, max_hops, via, avoid, relations, asserted_only, as_json, html) -> None:
    """The k most meaningful paths between two entities, each hop explained and cited.

    Hubs (states, very connected nodes) cost more, so paths go through
    specific events, positions and accords. Exit 1 when no path exists.
    """
    from bilateral.graph.explore.pathfinding import find_paths

    if html is not None:
        from bilateral.graph.files import check_output, is_stdout

        if is_stdout(html):
            raise click.UsageError("--html -: the page would mix with the paths on standard output; give a file")
        check_output(html)  # a missing directory fails before the search
    store = app.store()
    result = find_paths(
        store,
        resolve_entity(app, source, prefer="issue"),
        resolve_entity(app, target, prefer="issue"),
        k=k,
        max_hops=max_hops,
        via=[resolve_entity(app, v) for v in via],
        avoid=[resolve_entity(app, a) for a in avoid],
        relations=list(relations),
        asserted_only=asserted_only,
    )
    if html:
        from bilateral.graph.page.rendering import render_paths

        written = render_paths(store, result, html)
        click.echo(f"wrote {written}", err=as_json)
    if as_json:
        emit_json(result)
        return
    out(f"{result['from']['label']} → {result['to']['label']}: {len(result['paths'])} path(s)")
    for number, path in enumerate(result["paths"], start=1):
        out(f"\npath {number} ({path['length']} hop(s), cost {path['cost']}):")
        for hop in path["hops"]:
            arrow = f"—{hop['relation']}→" if hop["direction"] == "forward" else f"←{hop['relation']}—"
            when = f" [{hop['date']}]" if hop.get("date") else ""
            out(f"  {hop['from']['label']} {arrow} {hop['to']['label']}{when}")
            if hop.get("interpreted"):
                out(f"      {hop['according_to']}")
            if hop["sources"]:
                out(f"      sources: {'; '.join(hop['sources'])}")


@click.command("chain")
@click.argument("event")
@click.option("--forward", "direction", flag_value="forward", help="Only what answered it, and onwards.")
@click.option("--backward", "direction", flag_value="backward", help="Only what it answered, and back.")
@click.option(
    "--max-gap", type=int, metavar="DAYS", help="Follow a response only if the two events are at most DAYS apart."
)
@asserted_only_option
@json_option
@click.pass_obj
def chain_command(app, event, direction, max_gap, asserted_only, as_json) -> None:
    """The response chain through an event, in time order, with the actor of each step."""
    from bilateral.graph.explore.chains import chain

    result = chain(
        app.store(),
        resolve_entity(app, event, expect="event"),
        direction=direction or "both",
        max_gap=max_gap,
        asserted_only=asserted_only,
    )
    if as_json:
        emit_json(result)
        return
    rows = []
    for step in result["steps"]:
        marker = "▶" if step["position"] == "origin" else ""
        answers = "; ".join(
            f"{r['relation']} {r['label']}" + (f" ({r['according_to']})" if r.get("interpreted") else "")
            for r in step["responds_to"]
        )
        rows.append(
            [marker, step["date"] or "?", step["label"], ", ".join(a["label"] for a in step["actors"]), answers]
        )
    table(f"response chain through {result['event']['label']}", ["", "date", "event", "actor", "answers"], rows)


@click.command("timeline")
@date_range_options()
@click.option("--actor", metavar="X", help="Only events X, its bodies or its people took part in.")
@click.option("--exact", is_flag=True, help="With --actor: only events X itself took part in.")
@click.option("--issue", metavar="X", help="Only events concerning issue X.")
@click.option("--type", "type_name", metavar="CLASS", help="Only events of this class (Meeting, Measure …).")
@json_option
@click.pass_obj
def timeline_command(app, start, end, actor, exact, issue, type_name, as_json) -> None:
    """Dated events in order; a month-precision event shows as 2019-07."""
    from bilateral.graph.dates import parse_user_date
    from bilateral.graph.explore.searching import class_iri
    from bilateral.graph.explore.timelines import timeline

    if exact and not actor:
        raise click.UsageError("--exact goes with --actor")
    for value in (start, end):
        if value:
            parse_user_date(value)  # bad dates fail before the store is opened
    store = app.store()
    result = timeline(
        store,
        start=start,
        end=end,
        actor=resolve_entity(app, actor, expect="actor") if actor else None,
        issue=resolve_entity(app, issue, expect="issue") if issue else None,
        type_iri=class_iri(store, type_name) if type_name else None,
        exact_actor=exact,
    )
    if as_json:
        emit_json(result)
        return
    table(
        None,
        ["date", "event", "type", "participants", "sources"],
        [
            [
                e["date"],
                e["label"],
                ", ".join(e["types"]),
                ", ".join(p["label"] for p in e["participants"]),
                "; ".join(e["sources"]),
            ]
            for e in result
        ],
    )
    out(f"{len(result)} event(s)")
