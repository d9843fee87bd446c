"""``geokit extract``: places, actors, events and relations of every input record."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import click

from geokit.cli._common import EXIT_BAD_INPUT, fail, format_option, handle_errors
from geokit.errors import GeokitError


def extract_records(source: Any, *, date: str | None = None, actors_file: str | None = None
                    ) -> Iterator[Any]:
    """Yield a :class:`~geokit.Document` or a :class:`~geokit.io._readers.RecordError` per record.

    Parameters
    ----------
    source : path, "-" or iterable
        Anything :func:`geokit.io._readers.iter_records` reads.
    date : str, optional
        Article date for records that carry none (``YYYY-MM-DD``).
    actors_file : str, optional
        A CSV of extra actors (the columns of ``actors.csv``).
    """
    from geokit.events._actors import ActorTable
    from geokit.events._extract import _check_date, extract
    from geokit.io._readers import Record, RecordError, iter_records

    _check_date(date, "--date")
    table = ActorTable.from_files(actors_file) if actors_file else None
    for item in iter_records(source):
        if not isinstance(item, Record):
            yield item
            continue
        try:
            doc = extract(item.text, id=item.id, date=item.date or date, meta=item.meta,
                          actors=table)
        except GeokitError as exc:
            yield RecordError(id=item.id, origin=item.origin, error=type(exc).__name__,
                              message=str(exc), kind="bad_field")
            continue
        yield doc


@click.command("extract")
@click.argument("source")
@click.option("-o", "--output", default=None, help="Write here (atomically) instead of stdout.")
@click.option("--date", default=None, metavar="YYYY-MM-DD",
              help="Article date for records without one (anchors 'next month').")
@click.option("--actors", "actors_file", default=None, type=click.Path(dir_okay=False),
              help="CSV of extra known actors (columns of geokit/events/data/actors.csv).")
@format_option(["json", "geojson", "csv", "plover"], default="json")
@handle_errors
def extract_cmd(source: str, output: str | None, date: str | None, actors_file: str | None,
                fmt: str) -> None:
    """Extract places, actors, events and relations from SOURCE.

    SOURCE is a text file, a folder of .txt files, JSONL/CSV records or '-'
    (stdin). json: {"documents": [{"id", "places", "actors", "events",
    "relations"}], "errors": [...]}; csv: one ACLED-style row per event;
    geojson: a feature per event and per place; plover: PLOVER-style JSONL.
    A record that cannot be read or processed is reported (an error row in
    json, a message on stderr) and the others are still extracted; the exit
    code is then 2.
    """
    from geokit.io._readers import RecordError
    from geokit.io._writers import (
        ACLED_COLUMNS,
        documents_to_json,
        events_to_rows,
        to_geojson,
        to_plover,
        write_csv,
        write_geojson,
        write_json,
        write_jsonl,
    )

    docs, errors = [], []
    for item in extract_records(source, date=date, actors_file=actors_file):
        (errors if isinstance(item, RecordError) else docs).append(item)
    for e in errors:
        click.echo(f"geokit: error: {e}", err=True)
    if fmt == "json":
        payload = documents_to_json(docs)
        payload["errors"] = [e.to_dict() for e in errors]
        if output:
            write_json(output, payload)
        else:
            click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    elif fmt == "geojson":
        gj = to_geojson(docs)
        if output:
            write_geojson(output, gj)
        else:
            click.echo(json.dumps(gj, ensure_ascii=False))
    elif fmt == "csv":
        rows = events_to_rows(docs)
        if output:
            write_csv(output, rows, ACLED_COLUMNS)
        else:
            import csv
            import sys

            w = csv.DictWriter(sys.stdout, fieldnames=list(ACLED_COLUMNS),
                               extrasaction="ignore", lineterminator="\n")
            w.writeheader()
            for r in rows:
                w.writerow({c: "" if r.get(c) is None else r[c] for c in ACLED_COLUMNS})
    else:
        rows = [r for d in docs for r in to_plover(d)]
        if output:
            write_jsonl(output, rows)
        else:
            for r in rows:
                click.echo(json.dumps(r, ensure_ascii=False))
    if errors:
        fail(f"{len(errors)} record(s) could not be extracted", EXIT_BAD_INPUT)
