"""``geokit geoparse``: places with offsets, scores and why."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from typing import Any

import click

from geokit.cli._common import EXIT_BAD_INPUT, emit, handle_errors
from geokit.errors import InputError

_CSV_COLUMNS = ("id", "start", "end", "name", "kind", "lat", "lon", "geonameid", "country",
                "admin1", "feature", "place_name", "score", "why")
_NER_CHOICE = click.Choice(["auto", "all", "off"])
GEOPARSE_FORMATS = ("jsonl", "geojson", "csv", "gpkg", "fgb", "parquet")


def _gold_spans(record: Any) -> list[tuple[int, int]]:
    tops = record.meta.get("toponyms")
    if not isinstance(tops, list):
        raise InputError("--gold-spans needs a 'toponyms' list on every record")
    spans = []
    for n, t in enumerate(tops):
        try:
            start, end = int(t["start"]), int(t["end"])
        except (KeyError, TypeError, ValueError, OverflowError):
            raise InputError(f"toponyms[{n}] needs integer start and end") from None
        # Checked here, per record, so one bad span is one error row, not the end of the run.
        if not 0 <= start < end <= len(record.text):
            raise InputError(f"toponyms[{n}] span ({start}, {end}) is outside the text of "
                             f"{len(record.text)} characters")
        spans.append((start, end))
    return spans


def geoparse_records(source: Any, *, gold_spans: bool = False, min_score: float = 0.0,
                     ner: str = "auto", explain: bool = False) -> Iterator[dict[str, Any]]:
    """Yield one JSON row per input record: a result or an error row.

    Parameters
    ----------
    source : path, "-" or iterable
        Anything :func:`geokit.io._readers.iter_records` reads.
    gold_spans : bool
        Resolve the records' own ``toponyms`` spans instead of recognising.
    min_score : float
        Abstention threshold.
    ner : {"auto", "all", "off"}
        NER mode.
    explain : bool
        Add each toponym's ``why``.
    """
    from geokit.geoparse._geoparser import Geoparser
    from geokit.io._readers import Record, iter_records

    gp = Geoparser.default(ner=ner)
    for item in iter_records(source):
        if not isinstance(item, Record):
            yield {"id": item.id, "error": item.to_dict()}
            continue
        try:
            spans = _gold_spans(item) if gold_spans else None
            doc = gp.geoparse(item.text, id=item.id, date=item.date, min_score=min_score,
                              spans=spans)
        except InputError as exc:
            yield {"id": item.id, "error": {"id": item.id, "origin": item.origin,
                                            "error": type(exc).__name__, "kind": "bad_field",
                                            "message": str(exc)}}
            continue
        yield {"id": doc.id, "toponyms": [t.to_dict(explain=explain) for t in doc.toponyms]}


def _geojson(rows: list[Mapping[str, Any]]) -> dict[str, Any]:
    feats = []
    for row in rows:
        for t in row.get("toponyms", ()):
            if t["lat"] is None:
                continue
            feats.append({"type": "Feature",
                          # RFC 7946 order is lon, lat.
                          "geometry": {"type": "Point", "coordinates": [t["lon"], t["lat"]]},
                          "properties": {"id": row["id"], **t}})
    return {"type": "FeatureCollection", "features": feats}


@click.command("geoparse")
@click.argument("source")
@click.option("-o", "--output", default=None,
              help="Write here (atomically); the suffix picks the format (.jsonl, .geojson, "
                   ".csv, .gpkg, .fgb, .parquet). '-' or none: stdout.")
@click.option("--gold-spans", is_flag=True,
              help="Resolve the spans in each record's 'toponyms' instead of recognising "
                   "(the rest of the text still serves as context).")
@click.option("--min-score", default=0.0, show_default=True, type=click.FloatRange(0, 1),
              help="Leave places scored lower unresolved.")
@click.option("--explain", is_flag=True, help="Add a 'why' to every toponym.")
@click.option("--ner", default="auto", show_default=True, type=_NER_CHOICE,
              help="Run NER on ambiguous sentences (auto), every sentence (all) or never (off).")
@click.option("--format", "fmt", type=click.Choice(GEOPARSE_FORMATS), default=None,
              help="Output format, instead of the one the -o suffix names (default jsonl).")
@handle_errors
def geoparse_cmd(source: str, output: str | None, gold_spans: bool, min_score: float,
                 explain: bool, ner: str, fmt: str | None) -> None:
    """Find and resolve the places in SOURCE: a text file, a folder, JSONL or '-' (stdin).

    JSONL output: one line per document, {"id", "toponyms": [...]}; a record
    that cannot be read gives {"id", "error": {...}} and the rest go on
    (exit 2 at the end).
    """
    from geokit.io._output import format_for_output

    fmt = format_for_output(output, fmt, choices=GEOPARSE_FORMATS, default="jsonl")
    rows = list(geoparse_records(source, gold_spans=gold_spans, min_score=min_score, ner=ner,
                                 explain=explain))
    bad = [r for r in rows if "error" in r]
    for r in bad:
        e = r["error"]
        who = f" (id {e['id']})" if e.get("id") is not None else ""
        click.echo(f"geokit: error: {e['origin']}{who}: {e['message']}", err=True)
    _write(output, rows, fmt)
    if bad:
        sys.exit(EXIT_BAD_INPUT)


def _write(output: str | None, rows: list[dict[str, Any]], fmt: str) -> None:
    from geokit.io._output import output_stream, write_geodata

    flat = [{"id": r["id"], **t} for r in rows for t in r.get("toponyms", ())]
    if fmt in ("gpkg", "fgb", "parquet"):
        write_geodata(output, {"places": _geodataframe(flat)}, fmt=fmt)
        return
    with output_stream(output, newline="" if fmt == "csv" else None) as f:
        if fmt == "jsonl":
            emit(rows, "jsonl", out=f)
        elif fmt == "geojson":
            emit(_geojson(rows), "geojson", out=f)
        else:
            emit(flat, "csv", columns=_CSV_COLUMNS, out=f)


def _geodataframe(flat: list[dict[str, Any]]) -> Any:
    import geopandas as gpd
    import pandas as pd

    placed = [r for r in flat if r["lat"] is not None]
    frame = pd.DataFrame(placed, columns=list(_CSV_COLUMNS))
    # points_from_xy takes x=lon, y=lat.
    return gpd.GeoDataFrame(frame, crs="EPSG:4326", geometry=gpd.points_from_xy(
        [r["lon"] for r in placed], [r["lat"] for r in placed]))
