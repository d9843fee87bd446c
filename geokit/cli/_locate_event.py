"""``geokit locate-event``: which place of a text is the place of one event word (or of many)."""

from __future__ import annotations

import csv
import itertools
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

import click

from geokit.cli._common import EXIT_BAD_INPUT, emit, fail, format_option, handle_errors
from geokit.errors import GeokitError

_COLUMNS = ("trigger", "start", "end", "place_text", "place_start", "place_end", "source",
            "name", "country", "feature", "lat", "lon", "why")
#: The columns of ``--input``: every record is a row, answered or an error.
_BATCH_COLUMNS = ("id", *_COLUMNS, "error", "message")
_FORMATS = ["table", "json", "jsonl", "csv", "geojson"]


def _trigger(text: str, word: str | None, nth: int, span: str | None) -> tuple[int, int]:
    """Return the offsets of ``--word`` (its ``--nth`` whole-word occurrence) or ``--span``."""
    if (word is None) == (span is None):
        fail("give the event's word (--word) or its offsets (--span START:END), not both")
    if span is not None:
        m = re.fullmatch(r"\s*(\d+)\s*:\s*(\d+)\s*", span)
        if m is None:
            fail(f"--span {span!r}: expected START:END character offsets")
        return int(m[1]), int(m[2])
    found = [m.span() for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", text)]
    if len(found) < nth:
        fail(f"--word {word!r}: {len(found)} occurrence(s) in the text, asked for number {nth}")
    return found[nth - 1]


def _row(text: str, at: tuple[int, int], top: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"trigger": text[at[0]:at[1]], "start": at[0], "end": at[1]}
    if top is not None:
        row.update(place_text=top.mention.name, place_start=top.mention.start,
                   place_end=top.mention.end, source=top.mention.source, why=top.why)
        if top.place is not None:
            p = top.place
            row.update(name=p.name, country=p.country, feature=p.feature, lat=p.lat, lon=p.lon)
    return {c: row.get(c) for c in _COLUMNS}


def _feature(row: Mapping[str, Any]) -> dict[str, Any]:
    # RFC 7946: lon, lat; a row without coordinates keeps its place in the
    # collection with a null geometry, so every record is in the file.
    geometry = (None if row.get("lat") is None
                else {"type": "Point", "coordinates": [row["lon"], row["lat"]]})
    return {"type": "Feature", "geometry": geometry, "properties": dict(row)}


def trigger_of(value: Any, field: str) -> tuple[int, int]:
    """Return the offsets a record's trigger field gives.

    Accepted: ``{"start": S, "end": E}`` (the event_location data's ``verb``),
    ``[S, E]``, or ``"S:E"`` (a CSV cell).

    Raises
    ------
    ValueError
        Anything else, with a message naming ``field``.
    """
    if isinstance(value, Mapping) and "start" in value and "end" in value:
        value = (value["start"], value["end"])
    elif isinstance(value, str):
        m = re.fullmatch(r"\s*(\d+)\s*:\s*(\d+)\s*", value)
        value = (int(m[1]), int(m[2])) if m else None
    if (isinstance(value, list | tuple) and len(value) == 2
            and all(isinstance(x, int) and not isinstance(x, bool) for x in value)):
        return value[0], value[1]
    raise ValueError(f"{field!r} must be {{\"start\": S, \"end\": E}}, [S, E] or \"S:E\" "
                     f"character offsets, got {value!r}")


def locate_records(source: Any, *, trigger_field: str = "trigger",
                   batch_size: int = 64) -> Iterator[dict[str, Any]]:
    """Yield one row per input record of ``source``: its event's place, or an error row.

    Records are read as :func:`geokit.io._readers.iter_records` reads them
    (JSONL, CSV, ``-``); each needs a text and, in ``trigger_field``, its
    event word's offsets. Rows come in input order, ``batch_size`` records
    located together (:func:`geokit.locate_events`).
    """
    from geokit.events import locate_events
    from geokit.io._readers import Record, iter_records

    items = iter(iter_records(source))
    while group := list(itertools.islice(items, batch_size)):
        asked: list[tuple[Record, tuple[int, int]]] = []
        bad: dict[int, dict[str, Any]] = {}
        for k, item in enumerate(group):
            if not isinstance(item, Record):
                bad[k] = {"id": item.id, "error": item.kind or item.error, "message": str(item)}
                continue
            if trigger_field not in item.meta:
                bad[k] = {"id": item.id, "error": "missing_trigger",
                          "message": f"{item.origin}: no {trigger_field!r} field"}
                continue
            try:
                asked.append((item, trigger_of(item.meta[trigger_field], trigger_field)))
            except ValueError as exc:
                bad[k] = {"id": item.id, "error": "bad_trigger",
                          "message": f"{item.origin}: {exc}"}
        results = locate_events(((r.text, at) for r, at in asked), on_error="return",
                                batch_size=max(1, len(asked)))
        answers = iter(zip(asked, results, strict=True))
        for k in range(len(group)):
            if k in bad:
                yield {c: bad[k].get(c) for c in _BATCH_COLUMNS}
                continue
            (record, at), top = next(answers)
            if isinstance(top, GeokitError):
                # the library names the item by its place in the batch; the row, by its origin
                said = str(top).removeprefix(f"{getattr(top, 'source', None)}: ")
                yield {**dict.fromkeys(_BATCH_COLUMNS), "id": record.id, "error": "bad_trigger",
                       "message": f"{record.origin}: {said}"}
            elif isinstance(top, Exception):
                raise top
            else:
                yield {"id": record.id, **_row(record.text, at, top), "error": None,
                       "message": None}


def _write_rows(rows: Iterator[dict[str, Any]], output: str | None, fmt: str) -> Counter:
    """Write the rows of ``--input`` (streamed for jsonl and csv); return what they were."""
    from geokit.io._output import output_stream

    seen: Counter = Counter()

    def counted() -> Iterator[dict[str, Any]]:
        for row in rows:
            seen["error" if row["error"] else "placed" if row["lat"] is not None
                 else "unindexed" if row["place_text"] is not None else "none"] += 1
            yield row

    with output_stream(output, newline="" if fmt == "csv" else None) as f:
        if fmt == "jsonl":
            for row in counted():
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        elif fmt == "csv":
            w = csv.DictWriter(f, fieldnames=list(_BATCH_COLUMNS), lineterminator="\n")
            w.writeheader()
            for row in counted():
                w.writerow({c: "" if row[c] is None else row[c] for c in _BATCH_COLUMNS})
        elif fmt == "geojson":
            emit({"type": "FeatureCollection", "features": [_feature(r) for r in counted()]},
                 "geojson", out=f)
        else:
            emit(list(counted()), fmt, columns=_BATCH_COLUMNS, out=f)
    return seen


@click.command("locate-event")
@click.argument("text", required=False)
@click.option("--word", default=None, help="The event's word in TEXT (killed, offensive...).")
@click.option("--nth", default=1, show_default=True, type=click.IntRange(1),
              help="Which whole-word occurrence of --word.")
@click.option("--span", default=None, metavar="START:END",
              help="The event word's character offsets instead of --word.")
@click.option("-i", "--input", "source", default=None, metavar="INPUT",
              help="Many events instead of TEXT: JSONL or CSV records (or - for stdin), "
                   "each with a text and its event word's offsets.")
@click.option("--trigger-field", default="trigger", show_default=True,
              help="With --input: the field of the offsets ({\"start\", \"end\"}, [S, E] or "
                   "\"S:E\").")
@click.option("-o", "--output", default=None,
              help="With --input: write here (atomically); the suffix picks the format. "
                   "'-' or none: stdout.")
@click.option("-q", "--quiet", is_flag=True, help="With --input: no summary on stderr.")
@format_option(_FORMATS, default="auto")
@handle_errors
def locate_event_cmd(text: str | None, word: str | None, nth: int, span: str | None,
                     source: str | None, trigger_field: str, output: str | None, quiet: bool,
                     fmt: str) -> None:
    """Say which place of TEXT is the place of the event WORD names, or none.

    For events another system found: the learned linker geokit's own events
    use chooses among the sentence's places and the place names the index
    lacks, or says the sentence gives the event no place (a dateline, a
    speaker's "from", a flag are never it). The row's place columns are
    empty then; ``name``, ``lat`` and ``lon`` are empty for a name the index
    lacks. Exit status: 0 answered (a place or none), 2 bad input.

    With --input, one row per record, in input order, with the record's id:
    its event's place, or ``error`` and ``message`` for a record that cannot
    be read or whose offsets are no word of its text (the others are still
    answered; the exit status is then 2). The event_location data's records
    are read with --trigger-field verb.
    """
    if source is None:
        if fmt == "auto":
            fmt = "table" if sys.stdout.isatty() else "json"
        if text is None:
            fail("give a TEXT, or many events with --input")
        if output is not None or trigger_field != "trigger":
            fail("-o/--output and --trigger-field go with --input; one event's row goes to "
                 "stdout")
        _one(text, _trigger(text, word, nth, span), fmt)
        return
    if text is not None or word is not None or span is not None or nth != 1:
        fail("--input reads the texts and offsets from its records: no TEXT, --word, --nth "
             "or --span")
    from geokit.io._output import format_for_output, is_stdout

    fmt = format_for_output(output, None if fmt == "auto" else fmt, choices=_FORMATS,
                            default="jsonl")
    seen = _write_rows(locate_records(source, trigger_field=trigger_field), output, fmt)
    if not quiet and not is_stdout(output):
        n = sum(seen.values())
        click.echo(f"wrote {output} ({n} record{'' if n == 1 else 's'}: {seen['placed']} placed, "
                   f"{seen['unindexed']} named but not in the index, {seen['none']} no place, "
                   f"{seen['error']} errors)", err=True)
    if seen["error"]:
        fail(f"{seen['error']} record(s) could not be located", EXIT_BAD_INPUT)


def _one(text: str, at: tuple[int, int], fmt: str) -> None:
    from geokit.events import locate_event

    row = _row(text, at, locate_event(text, at))
    if fmt == "geojson":
        feats = [] if row["lat"] is None else [_feature(row)]
        emit({"type": "FeatureCollection", "features": feats}, "geojson")
    else:
        emit([row], fmt, columns=_COLUMNS)
