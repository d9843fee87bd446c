"""``geokit eval``: score geokit (or any system's predictions) against gold data."""

from __future__ import annotations

import json
from typing import Any

import click

from geokit.cli._common import emit, fail, format_option, handle_errors
from geokit.cli._geoparse import _NER_CHOICE, geoparse_records
from geokit.errors import InputError, scrub_surrogates


def _lines(fh: Any, path: str) -> Any:
    try:
        yield from fh
    except OSError as exc:  # a directory, an unreadable file
        raise InputError(f"cannot read: {exc.strerror or exc}", source=path) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8: {exc.reason} at byte {exc.start} of a line",
                         source=path) from None


def _read_jsonl(path: str) -> list[dict[str, Any]]:
    out = []
    try:
        fh = open(path, encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", source=path) from None
    with fh:
        for n, line in enumerate(_lines(fh, path), 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"line {n} is not JSON: {exc}", source=path) from None
            except RecursionError:
                raise InputError(f"line {n} is nested too deeply", source=path) from None
            if not isinstance(obj, dict):
                raise InputError(f"line {n} is not a JSON object", source=path)
            obj = scrub_surrogates(obj, where=f"{path}:{n}")
            _check_doc(obj, f"{path}:{n}")
            out.append(obj)
    return out


def _check_doc(obj: dict[str, Any], where: str) -> None:
    """Refuse a gold or prediction line whose fields the scorer cannot read."""
    if not isinstance(obj.get("text", ""), str):
        raise InputError("'text' must be a string", source=where)
    tops = obj.get("toponyms")
    if tops is None:
        return
    if not isinstance(tops, list):
        raise InputError("'toponyms' must be a list", source=where)
    for i, t in enumerate(tops):
        if not isinstance(t, dict):
            raise InputError(f"toponyms[{i}] must be an object, got {json.dumps(t)[:60]}",
                             source=where)
        if "alt_coords" in t and not isinstance(t["alt_coords"], list | None):
            raise InputError(f"toponyms[{i}].alt_coords must be a list", source=where)


_TABLE_KEYS = ("strict_P", "strict_R", "strict_F1", "lenient_P", "lenient_R", "lenient_F1",
               "acc161", "mean_km", "median_km", "auc", "end_to_end_acc161", "ece", "docs",
               "gold_toponyms", "gold_with_coords", "predicted", "matched_lenient",
               "resolved_evaluated", "unresolved")


@click.command("eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--events", is_flag=True,
              help="GOLD is an events gold file (tests/data/*_gold.json): score actors and "
                   "events of geokit extract (or of --pred, an extract JSON file).")
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
@click.option("--bootstrap", default=0, show_default=True, type=click.IntRange(0),
              help="With --events: also give 95% intervals of event P/R/F1 from this many "
                   "bootstrap draws of the documents (0: none).")
@format_option(["table", "json"])
@handle_errors
def eval_cmd(gold: str, events: bool, pred: str | None, gold_spans: bool, min_score: float,
             kinds: str, ner: str, limit: int | None, save_pred: str | None, bootstrap: int,
             fmt: str) -> None:
    """Score geoparsing against a GOLD JSONL file with the field's metrics.

    Recognition: strict and lenient precision/recall/F1 of spans. Resolution
    (recognised gold toponyms with coordinates): acc@161 km, mean and median
    error km, AUC; end-to-end acc@161; a calibration table of the scores.

    With --events: event precision/recall (category, actors and place must
    agree), status, date and origin agreement over matched events, and actor
    precision/recall.
    """
    if events:
        _eval_events(gold, pred=pred, limit=limit, bootstrap=bootstrap, fmt=fmt)
        return
    if bootstrap:
        fail("--bootstrap: only with --events")
    from geokit.eval._places import score_documents
    from geokit.io._writers import write_jsonl

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


def _eval_events(gold: str, *, pred: str | None, limit: int | None, bootstrap: int,
                 fmt: str) -> None:
    from geokit.eval import load_gold, score_events
    from geokit.events import extract_many
    from geokit.io import read_extract

    golds = load_gold(gold)[:limit] if limit else load_gold(gold)
    if pred:
        docs = read_extract(pred)
    else:
        # the same documents as extract gives one by one, spaCy reading many at once
        docs = list(extract_many((g["text"], {"id": g["id"], "date": g.get("date")})
                                 for g in golds))
    try:
        scores = score_events(docs, golds)
    except KeyError as exc:
        raise InputError(f"no prediction for gold document {exc}", source=pred) from None
    data = {"gold": gold, "pred": pred or "geokit", **scores.to_dict()}
    if bootstrap and golds:
        data["events"]["ci95"] = {k: list(v) for k, v in scores.intervals(
            rounds=bootstrap).items()}
        data["events"]["ci_rounds"] = bootstrap
    if fmt == "json":
        emit({**data, "misses": scores.misses, "false_alarms": scores.false_alarms}, "json")
        return
    ci = data["events"].get("ci95", {})
    rows = []
    for part in ("events", "actors"):
        for k, v in data[part].items():
            if k != "ci95":
                rows.append({"metric": f"{part}_{k}", "value": v})
            if part == "events" and k in ci:
                rows.append({"metric": f"events_{k}_ci95",
                             "value": f"{ci[k][0]:.4f} - {ci[k][1]:.4f}"})
    emit(rows, "table", columns=("metric", "value"))
