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

    python bench/bench_event_location.py [--limit N] [--by-collection] [--data FILE]
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

from _common import dev_file, read_jsonl

import geokit
from geokit.events import _events as event_stage

SYSTEMS = ("geokit", "first-place", "nearest-place")


def _overlaps(span: tuple[int, int], gold: list[dict]) -> bool:
    a, b = span
    return any(a < g["end"] and g["start"] < b for g in gold)


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


def main(argv: list[str] | None = None) -> int:
    """Run the comparison and print the table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="Only the first N sentences.")
    ap.add_argument("--data", default=None,
                    help="The jsonl file (default: ../shared/eval/event_location_dev.jsonl).")
    ap.add_argument("--by-collection", action="store_true",
                    help="Also report each collection on its own.")
    args = ap.parse_args(argv)
    path = Path(args.data) if args.data else dev_file("event_location_dev.jsonl")
    if path is None:
        print("event_location_dev.jsonl not found", file=sys.stderr)
        return 2
    recs = read_jsonl(path, args.limit)
    triggers: dict[int, object] = {}
    emit = event_stage._emit

    def recording(ctx, c, sent):
        found = emit(ctx, c, sent)
        for at, e in found:
            triggers.setdefault(at, e)
        return found

    event_stage._emit = recording
    # counts[(collection, system, part)] = [right, total]
    counts: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    try:
        for rec in recs:
            gold = rec["locations"]
            part = "with" if gold else "without"
            for name, span in answers(rec, triggers).items():
                ok = (span is None) if not gold else (span is not None and _overlaps(span, gold))
                for coll in ("ALL", rec.get("collection") or "?"):
                    for p in (part, "overall"):
                        c = counts[(coll, name, p)]
                        c[0] += ok
                        c[1] += 1
    finally:
        event_stage._emit = emit
    colls = ["ALL"] + (sorted({k[0] for k in counts} - {"ALL"}) if args.by_collection else [])
    print(f"event_location_dev: {len(recs)} sentences")
    print(f"{'collection':<22}{'system':<15}{'overall':>16}{'with location':>18}{'without':>16}")
    for coll in colls:
        for name in SYSTEMS:
            cells = []
            for p in ("overall", "with", "without"):
                r, n = counts[(coll, name, p)]
                cells.append(f"{r / n:.3f} ({n})" if n else "-")
            print(f"{coll:<22}{name:<15}{cells[0]:>16}{cells[1]:>18}{cells[2]:>16}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
