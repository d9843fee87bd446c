"""Which place is the event's: geokit's event place beside two baselines, on event_location_dev.

Data: ``shared/eval/event_location_dev.jsonl`` (Halterman's event_location,
MIT; never copied into the repository): one sentence, one event verb, the gold
location span(s) of that event or none. A system's answer for a sentence is the
place it gives the verb's event, or none; it is right when that place's mention
overlaps a gold span, or when both are none (the data's README's metric).

* geokit: ``geokit.extract`` on the sentence; the event whose trigger is the
  verb (the trigger offsets are read by wrapping the event stage's private
  ``_emit``, since :class:`geokit.Event` carries the sentence, not the word);
  its place is located by the geoparser's mention of it. No such event: none.
* first-place: the first place geokit's geoparser recognises in the sentence.
* nearest-place: the recognised place nearest the verb (characters).

Both baselines use the same recognised places, so the comparison is about the
choice, not recognition. Prints accuracy overall / with a gold location /
without, per system, and with ``--by-collection`` the same for each collection.

The event's place is learned from this very file (``_locate``, fitted by
``geokit/events/data/train_place_linker.py``), so the packaged model has seen
every sentence here. ``--loco`` scores geokit honestly: each sentence is
extracted with a model fitted on the *other* collections only (leave one
collection out; parses are cached by the training script, so the folds are
quick). ``--gold-trigger`` asks the linker directly about the gold verb
(isolating linking from whether the event stage finds the event), leave one
collection out, beside the same baselines over the linker's candidates, and
prints the ceiling: the share of sentences with a location where any
recognised place overlaps it.

About 775 located sentences of the file (half of Atrocities, AP, Xinhua and
wiki) give spaCy token indices (end inclusive) instead of characters
("... province of Ingushetia": ``start 5, end 5, text ""``): no answer can
overlap them. Every table is printed twice: against the file's spans (the
README's metric as written) and with such spans read as tokens
(``train_place_linker.gold_spans``; the linker is trained on the latter).

    python bench/bench_event_location.py [--limit N] [--by-collection] [--data FILE]
                                         [--loco] [--gold-trigger]
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

from _common import dev_file, read_jsonl

import geokit
from geokit.events import _events as event_stage
from geokit.events import _locate
from geokit.events.data import train_place_linker as trainer
from geokit.geoparse import _nlp

SYSTEMS = ("geokit", "first-place", "nearest-place")


def _places(doc: geokit.Document) -> list[tuple[int, int, object]]:
    return [(t.mention.start, t.mention.end, t.place) for t in doc.toponyms
            if t.place is not None and t.mention.kind == "place"]


def answers(rec: dict, triggers: dict) -> dict[str, tuple[int, int] | None]:
    """Return each system's answer span (None for no place) for one record."""
    triggers.clear()
    doc = geokit.extract(rec["text"], id=str(rec["id"]))
    places = _places(doc)
    v = rec["verb"]
    out: dict[str, tuple[int, int] | None] = {
        "first-place": places[0][:2] if places else None,
        "nearest-place": min(places, key=lambda p: min(abs(p[0] - v["start"]),
                                                       abs(v["start"] - p[1])))[:2]
        if places else None,
    }
    hits = [e for at, e in triggers.items() if v["start"] <= at < v["end"]]
    geo = None
    if hits and hits[0].place is not None:
        spans = [p[:2] for p in places if p[2] == hits[0].place]
        geo = spans[0] if spans else (-1, -1)  # a place the text does not name: wrong
    out["geokit"] = geo
    return out


def _raw(rec: dict) -> list[tuple[int, int]]:
    return [(g["start"], g["end"]) for g in rec["locations"]]


def _table(title: str, counts: dict, systems: tuple[str, ...], colls: list[str]) -> None:
    print(title)
    print(f"{'collection':<22}{'system':<15}{'overall':>16}{'with location':>18}{'without':>16}")
    for coll in colls:
        for name in systems:
            cells = []
            for p in ("overall", "with", "without"):
                r, n = counts[(coll, name, p)]
                cells.append(f"{r / n:.3f} ({n})" if n else "-")
            print(f"{coll:<22}{name:<15}{cells[0]:>16}{cells[1]:>18}{cells[2]:>16}")


def _count(counts: dict, coll: str, name: str, gold: list[tuple[int, int]],
           span: tuple[int, int] | None) -> None:
    ok = (span is None) if not gold else (span is not None and trainer.overlaps(span, gold))
    for c in ("ALL", coll):
        for p in ("with" if gold else "without", "overall"):
            cell = counts[(c, name, p)]
            cell[0] += ok
            cell[1] += 1


def _folds(path: Path, every: list[dict]) -> tuple[list[dict], dict[str, _locate.PlaceLinker]]:
    """Each record's linker example, and per collection a linker fitted without it."""
    exs = trainer.examples(every, trainer.parse_records(path, every))
    return exs, trainer.leave_one_out(exs)


def _gold_trigger(recs: list[dict], exs: list[dict], folds: dict[str, _locate.PlaceLinker],
                  limit: int | None, colls_shown: bool) -> None:
    """The linker asked about the gold verb, each collection scored by a model not fitted on it."""
    raw: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    tok: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for rec, e in list(zip(recs, exs, strict=True))[:limit]:
        coll = e["collection"]
        spans = e["spans"]
        v = rec["verb"]["start"]
        near = min(spans, key=lambda s: min(abs(s[0] - v), abs(v - s[1]))) if spans else None
        for counts, gold in ((raw, _raw(rec)), (tok, e["gold"])):
            _count(counts, coll, "linker", gold, trainer.decide(folds[coll], e))
            _count(counts, coll, "first-place", gold, spans[0] if spans else None)
            _count(counts, coll, "nearest-place", gold, near)
    shown = exs[:limit] if limit else exs
    withs = [e for e in shown if e["gold"]]
    colls = ["ALL"] + (sorted({e["collection"] for e in shown}) if colls_shown else [])
    for counts, how in ((raw, "the file's spans"), (tok, "token-offset spans read as tokens")):
        _table(f"gold trigger (the linker asked about the gold verb; leave one collection out;"
               f" {how})", counts, ("linker", "first-place", "nearest-place"), colls)
    print(f"ceiling: any recognised place overlaps gold in "
          f"{sum(e['any_place'] for e in withs) / len(withs):.3f} of {len(withs)} sentences "
          f"with a location; a linker candidate (past the dateline, no demonym) in "
          f"{sum(any(e['labels']) for e in withs) / len(withs):.3f}")


def main(argv: list[str] | None = None) -> int:
    """Run the comparison and print the table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="Only the first N sentences.")
    ap.add_argument("--data", default=None,
                    help="The jsonl file (default: ../shared/eval/event_location_dev.jsonl).")
    ap.add_argument("--by-collection", action="store_true",
                    help="Also report each collection on its own.")
    ap.add_argument("--loco", action="store_true",
                    help="Extract each collection with a linker fitted without it.")
    ap.add_argument("--gold-trigger", action="store_true",
                    help="Also ask the linker about the gold verb (leave one collection out).")
    args = ap.parse_args(argv)
    path = Path(args.data) if args.data else dev_file("event_location_dev.jsonl")
    if path is None:
        print("event_location_dev.jsonl not found", file=sys.stderr)
        return 2
    # The whole file when folds are fitted (every collection's sentences), once.
    every = read_jsonl(path) if args.loco or args.gold_trigger else []
    recs = every[:args.limit] if every else read_jsonl(path, args.limit)
    exs, all_folds = _folds(path, every) if every else ([], {})
    folds = all_folds if args.loco else {}
    triggers: dict[int, object] = {}
    emit = event_stage._emit
    shipped = _locate.default_linker

    def recording(ctx, c, sent):
        found = emit(ctx, c, sent)
        for at, e in found:
            triggers.setdefault(at, e)
        return found

    event_stage._emit = recording
    # counts[(collection, system, part)] = [right, total], against the file's spans
    # and against them with token offsets read as tokens (trainer.gold_spans)
    counts: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    fixed: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    tokenizer = _nlp.load_nlp(_nlp.MODEL).tokenizer
    try:
        for rec in recs:
            coll = rec.get("collection") or "?"
            if folds:
                fold = folds[coll]
                _locate.default_linker = lambda fold=fold: fold
            for name, span in answers(rec, triggers).items():
                _count(counts, coll, name, _raw(rec), span)
                _count(fixed, coll, name, trainer.gold_spans(rec, tokenizer), span)
    finally:
        event_stage._emit = emit
        _locate.default_linker = shipped
    colls = ["ALL"] + (sorted({k[0] for k in counts} - {"ALL"}) if args.by_collection else [])
    print(f"event_location_dev: {len(recs)} sentences")
    how = (" (linker fitted without the sentence's collection)" if folds else
           " (the packaged linker, fitted on all of this file)")
    _table(f"geokit.extract's event on the verb{how}; the file's spans", counts, SYSTEMS, colls)
    _table("the same; token-offset spans read as tokens", fixed, SYSTEMS, colls)
    if args.gold_trigger:
        _gold_trigger(every, exs, all_folds, args.limit, args.by_collection)
    return 0


if __name__ == "__main__":
    sys.exit(main())
