"""``geokit extract``: places, actors, events and relations of every input record."""

from __future__ import annotations

import csv
import itertools
import json
from collections.abc import Iterator
from typing import Any

import click

from geokit.cli._common import EXIT_BAD_INPUT, echo_written, fail, handle_errors
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
    from geokit.events._extract import DEFAULT_BATCH_SIZE, _check_date
    from geokit.io._readers import iter_records

    _check_date(date, "--date")
    table = ActorTable.from_files(actors_file) if actors_file else None
    items = iter(iter_records(source))
    # A batch of records at a time, extracted together (extract_many), each
    # result put back in its record's place among the unreadable ones.
    while group := list(itertools.islice(items, DEFAULT_BATCH_SIZE)):
        yield from _extract_group(group, date=date, table=table)


def _extract_group(group: list[Any], *, date: str | None, table: Any) -> Iterator[Any]:
    from geokit.events import extract_many
    from geokit.io._readers import Record, RecordError

    records = [r for r in group if isinstance(r, Record)]
    results = extract_many(((r.text, {"id": r.id, "date": r.date or date, "meta": r.meta})
                            for r in records), actors=table, on_error="return",
                           batch_size=max(1, len(records)))
    for item in group:
        if not isinstance(item, Record):
            yield item
            continue
        result = next(results)
        if isinstance(result, GeokitError):
            yield RecordError(id=item.id, origin=item.origin, error=type(result).__name__,
                              message=str(result), kind="bad_field")
        elif isinstance(result, Exception):
            raise result
        else:
            yield result


EXTRACT_FORMATS = ("json", "jsonl", "geojson", "gpkg", "fgb", "parquet", "csv", "plover")


@click.command("extract")
@click.argument("source")
@click.option("-o", "--output", default=None,
              help="Write here (atomically); the suffix picks the format (.json, .jsonl, "
                   ".geojson, .gpkg, .fgb, .parquet, .csv). '-' or none: stdout.")
@click.option("--date", default=None, metavar="YYYY-MM-DD",
              help="Article date for records without one (anchors 'next month').")
@click.option("--actors", "actors_file", default=None, type=click.Path(dir_okay=False),
              help="CSV of extra known actors (columns of geokit/events/data/actors.csv).")
@click.option("--format", "fmt", type=click.Choice(EXTRACT_FORMATS), default=None,
              help="Output format, instead of the one the -o suffix names (default json).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@handle_errors
def extract_cmd(source: str, output: str | None, date: str | None, actors_file: str | None,
                fmt: str | None, quiet: bool) -> None:
    """Extract places, actors, events and relations from SOURCE.

    SOURCE is a text file, a saved HTML page, a folder of .txt/.html files,
    JSONL/CSV records or '-' (stdin). json: {"documents": [{"id", "places",
    "actors", "events", "relations"}], "errors": [...]}; jsonl: one document a
    line; csv: one ACLED-compatible row per event; geojson: a feature per event
    and per place; gpkg: layers places and events; fgb, parquet: places and
    events in one table with a 'layer' column; plover: PLOVER-style JSONL.
    A record that cannot be read or processed is reported (an error row in
    json, a message on stderr) and the others are still extracted; the exit
    code is then 2. Written to a file, a summary line goes to stderr (-q: none).
    """
    from geokit.io._output import format_for_output
    from geokit.io._readers import RecordError

    fmt = format_for_output(output, fmt, choices=EXTRACT_FORMATS, default="json")
    docs, errors = [], []
    for item in extract_records(source, date=date, actors_file=actors_file):
        (errors if isinstance(item, RecordError) else docs).append(item)
    for e in errors:
        click.echo(f"geokit: error: {e}", err=True)
    write_extract(output, docs, fmt=fmt, errors=[e.to_dict() for e in errors])
    # Like `geokit map`; standard output carries the data, so no summary there.
    if not quiet and output not in (None, "-"):
        echo_written(output, docs)
    if errors:
        fail(f"{len(errors)} record(s) could not be extracted", EXIT_BAD_INPUT)


def write_extract(output: str | None, docs: list[Any], *, fmt: str,
                  errors: list[dict[str, Any]]) -> None:
    """Write extracted documents to ``output`` (``-`` or None: stdout) in ``fmt``."""
    from geokit.io._output import output_stream, write_geodata
    from geokit.io._writers import (
        ACLED_COLUMNS,
        document_to_dict,
        documents_to_json,
        events_to_rows,
        to_geodataframe,
        to_geojson,
        to_plover,
    )

    if fmt in ("gpkg", "fgb", "parquet"):
        write_geodata(output, {"places": to_geodataframe(docs, kind="places"),
                               "events": to_geodataframe(docs, kind="events")}, fmt=fmt)
        return
    with output_stream(output, newline="" if fmt == "csv" else None) as f:
        if fmt == "json":
            payload = documents_to_json(docs)
            payload["errors"] = errors
            f.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        elif fmt == "geojson":
            f.write(json.dumps(to_geojson(docs), ensure_ascii=False) + "\n")
        elif fmt == "csv":
            w = csv.DictWriter(f, fieldnames=list(ACLED_COLUMNS), extrasaction="ignore",
                               lineterminator="\n")
            w.writeheader()
            for r in events_to_rows(docs):
                w.writerow({c: "" if r.get(c) is None else r[c] for c in ACLED_COLUMNS})
        else:
            rows = ((document_to_dict(d) for d in docs) if fmt == "jsonl"
                    else (r for d in docs for r in to_plover(d)))
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
