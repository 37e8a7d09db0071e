"""asof: the state of affairs on a date, according to the sources."""

from __future__ import annotations

import click

from bilateral.cli.options import json_option
from bilateral.cli.output import emit_json, out, table


@click.command("asof")
@click.argument("date")
@json_option
@click.pass_obj
def asof_command(app, date: str, as_json: bool) -> None:
    """The state of affairs on DATE, each answer with its sources.

    Accords and measures with their status, attested officeholders, the
    latest events and positions per issue, pending proposals.

    DATE is YYYY-MM-DD (YYYY-MM or YYYY mean the last day of that month or year).
    Exit 1 with an empty answer when the sources record nothing by then.
    """
    from bilateral.graph.dates import parse_user_date
    from bilateral.graph.time.asof import NothingOnRecord, asof

    parse_user_date(date)  # a bad date fails before the store is opened
    try:
        result = asof(app.store(), date)
    except NothingOnRecord as exc:
        _print(exc.answer, as_json)
        raise
    _print(result, as_json)


def _print(result: dict, as_json: bool) -> None:
    if as_json:
        emit_json(result)
        return
    out(f"as of {result['date']}, according to the sources")
    for kind in ("accords", "measures"):
        rows = [
            [
                item["label"],
                item["status"]["label"] + ("" if item["certain"] else " (perhaps not yet)"),
                _when(item),
                "; ".join(e["label"] for e in item["set_by"]),
                "; ".join(f"{s['source']} ({s['date']})" for s in item["sources"]),
            ]
            for item in result[kind]
        ]
        out()
        table(kind, [kind[:-1], "status", "since", "set by", "sources"], rows)
    out()
    table(
        "officeholders as the documents attest them (first and last dates a document places them in office)",
        ["office", "person", "first attested", "last attested", "sources"],
        [
            [
                o["office"]["label"],
                o["person"]["label"],
                o["first_attested"],
                o["last_attested"],
                "; ".join(o["sources"]),
            ]
            for o in result["officeholders"]
        ],
    )
    out()
    table(
        "issues: the latest event and the positions on record",
        ["issue", "latest event", "date", "events", "positions"],
        [
            [
                i["label"],
                i["latest_events"][0]["label"] if i["latest_events"] else "",
                i["latest_events"][0]["date"] if i["latest_events"] else "",
                i["events_on_record"],
                len(i["positions"]),
            ]
            for i in result["issues"]
        ],
    )
    out()
    table(
        "proposals made and not yet acted on",
        ["proposal", "proposed by", "date", "sources"],
        [
            [p["label"], ", ".join(x["label"] for x in p["proposed_by"]), p["date"], "; ".join(p["sources"])]
            for p in result["proposals"]
        ],
    )


def _when(item: dict) -> str:
    """A period with its days, "2019-08 (between 2019-08-01 and 2019-08-31)"; a day alone."""
    date, span = item["date"] or "?", item["span"]
    return date if not span or span == f"on {date}" else f"{date} ({span})"
