"""``geokit geoparse`` and ``geokit eval``."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Mapping
from typing import Any

import click

from ._cli import EXIT_BAD_INPUT, emit, fail, format_option, handle_errors, main
from .errors import InputError

_CSV_COLUMNS = ("id", "start", "end", "name", "kind", "lat", "lon", "geonameid", "country",
                "admin1", "feature", "place_name", "score", "why")
_NER_CHOICE = click.Choice(["auto", "all", "off"])


def _gold_spans(record: Any) -> list[tuple[int, int]]:
    tops = record.meta.get("toponyms")
    if not isinstance(tops, list):
        raise InputError("--gold-spans needs a 'toponyms' list on every record",
                         source=f"{record.origin} (id {record.id})")
    spans = []
    for n, t in enumerate(tops):
        try:
            spans.append((int(t["start"]), int(t["end"])))
        except (KeyError, TypeError, ValueError):
            raise InputError(f"toponyms[{n}] needs integer start and end",
                             source=f"{record.origin} (id {record.id})") from None
    return spans


def geoparse_records(source: Any, *, gold_spans: bool = False, min_score: float = 0.0,
                     ner: str = "auto", explain: bool = False) -> Iterator[dict[str, Any]]:
    """Yield one JSON row per input record: a result or an error row.

    Parameters
    ----------
    source : path, "-" or iterable
        Anything :func:`geokit._io.iter_records` reads.
    gold_spans : bool
        Resolve the records' own ``toponyms`` spans instead of recognising.
    min_score : float
        Abstention threshold.
    ner : {"auto", "all", "off"}
        NER mode.
    explain : bool
        Add each toponym's ``why``.
    """
    from ._geoparse import Geoparser
    from ._io import Record, iter_records

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


@main.command("geoparse")
@click.argument("source")
@click.option("-o", "--output", default=None, help="Write here (atomically) instead of stdout.")
@click.option("--gold-spans", is_flag=True,
              help="Resolve the spans in each record's 'toponyms' instead of recognising "
                   "(the rest of the text still serves as context).")
@click.option("--min-score", default=0.0, show_default=True, type=click.FloatRange(0, 1),
              help="Leave places scored lower unresolved.")
@click.option("--explain", is_flag=True, help="Add a 'why' to every toponym.")
@click.option("--ner", default="auto", show_default=True, type=_NER_CHOICE,
              help="Run NER on ambiguous sentences (auto), every sentence (all) or never (off).")
@format_option(["jsonl", "geojson", "csv"], default="jsonl")
@handle_errors
def geoparse_cmd(source: str, output: str | None, gold_spans: bool, min_score: float,
                 explain: bool, ner: str, fmt: str) -> None:
    """Find and resolve the places in SOURCE: a text file, a folder, JSONL or '-' (stdin).

    JSONL output: one line per document, {"id", "toponyms": [...]}; a record
    that cannot be read gives {"id", "error": {...}} and the rest go on
    (exit 2 at the end).
    """
    from ._export import write_csv, write_geojson, write_jsonl

    rows = list(geoparse_records(source, gold_spans=gold_spans, min_score=min_score, ner=ner,
                                 explain=explain))
    bad = [r for r in rows if "error" in r]
    for r in bad:
        e = r["error"]
        click.echo(f"geokit: error: {e['origin']}: {e['message']}", err=True)
    if fmt == "jsonl":
        if output:
            write_jsonl(output, rows)
        else:
            emit(rows, "jsonl")
    elif fmt == "geojson":
        if output:
            write_geojson(output, _geojson(rows))
        else:
            emit(_geojson(rows), "geojson")
    else:
        flat = [{"id": r["id"], **t} for r in rows for t in r.get("toponyms", ())]
        if output:
            write_csv(output, flat, columns=_CSV_COLUMNS)
        else:
            emit(flat, "csv", columns=_CSV_COLUMNS)
    if bad:
        sys.exit(EXIT_BAD_INPUT)


def _read_jsonl(path: str) -> list[dict[str, Any]]:
    out = []
    try:
        fh = open(path, encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise InputError(f"cannot read: {exc}", source=path) from None
    with fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"line {n} is not JSON: {exc}", source=path) from None
            if not isinstance(obj, dict):
                raise InputError(f"line {n} is not a JSON object", source=path)
            out.append(obj)
    return out


_TABLE_KEYS = ("strict_P", "strict_R", "strict_F1", "lenient_P", "lenient_R", "lenient_F1",
               "acc161", "mean_km", "median_km", "auc", "end_to_end_acc161", "ece", "docs",
               "gold_toponyms", "gold_with_coords", "predicted", "matched_lenient",
               "resolved_evaluated", "unresolved")


@main.command("eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--pred", default=None, type=click.Path(exists=True, dir_okay=False),
              help="Score this prediction JSONL (any system) instead of running geokit.")
@click.option("--gold-spans", is_flag=True,
              help="Resolve the gold spans (resolution only; the rest of the text still "
                   "serves as context).")
@click.option("--min-score", default=0.0, show_default=True, type=click.FloatRange(0, 1),
              help="Count places scored lower as unresolved.")
@click.option("--kinds", default="place,metonym", show_default=True,
              help="Mention kinds that count as toponyms (demonyms are adjectives, which "
                   "the field's corpora do not annotate).")
@click.option("--ner", default="auto", show_default=True, type=_NER_CHOICE,
              help="Run NER on ambiguous sentences (auto), every sentence (all) or never (off).")
@click.option("--limit", default=None, type=click.IntRange(1),
              help="Only the first N gold documents.")
@click.option("--save-pred", default=None, help="Also write geokit's predictions here.")
@format_option(["table", "json"])
@handle_errors
def eval_cmd(gold: str, pred: str | None, gold_spans: bool, min_score: float, kinds: str,
             ner: str, limit: int | None, save_pred: str | None, fmt: str) -> None:
    """Score geoparsing against a GOLD JSONL file with the field's metrics.

    Recognition: strict and lenient precision/recall/F1 of spans. Resolution
    (recognised gold toponyms with coordinates): acc@161 km, mean and median
    error km, AUC; end-to-end acc@161; a calibration table of the scores.
    """
    from ._eval import score_documents
    from ._export import write_jsonl

    wanted = {k.strip() for k in kinds.split(",") if k.strip()}
    bad_kinds = wanted - {"place", "demonym", "metonym"}
    if bad_kinds:
        fail(f"--kinds: unknown kind(s) {', '.join(sorted(bad_kinds))}; "
             "use place, demonym, metonym")
    golds = _read_jsonl(gold)[:limit] if limit else _read_jsonl(gold)
    if pred:
        preds = _read_jsonl(pred)
    else:
        records = [{"id": g.get("id"), "text": g.get("text", ""),
                    **({"toponyms": g.get("toponyms", [])} if gold_spans else {})}
                   for g in golds]
        preds = list(geoparse_records(records, gold_spans=gold_spans, min_score=0.0, ner=ner))
        errors = [p for p in preds if "error" in p]
        if errors:
            fail(f"{gold}: {len(errors)} document(s) could not be geoparsed, first: "
                 f"{errors[0]['error']['message']}")
        if save_pred:
            write_jsonl(save_pred, preds)
    if not gold_spans:
        preds = [{**p, "toponyms": [t for t in p.get("toponyms", ())
                                    if t.get("kind", "place") in wanted]} for p in preds]
    report = score_documents(golds, preds, gold_spans=gold_spans, min_score=min_score)
    data = {"gold": gold, "pred": pred or "geokit", **report.to_dict()}
    if fmt == "json":
        emit(data, "json")
        return
    emit([{"metric": k, "value": data[k]} for k in _TABLE_KEYS], "table",
         columns=("metric", "value"))
    click.echo("")
    emit([b.to_dict() for b in report.reliability], "table",
         columns=("bin", "count", "mean_score", "acc161"))
