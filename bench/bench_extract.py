"""How much time the actor/event stage adds on top of geoparsing, per document.

Runs ``geokit.geoparse`` and ``geokit.extract`` (which geoparses, then finds
actors, events and relations) over the same documents in the same process,
after one warm-up pass that loads the gazetteer and the spaCy models, and
prints the ratio extract/geoparse (target: <= 1.5) for the seeds, for the
generality paragraphs of tests/data/news_events_gold.json and for the first
GeoVirus articles of ../shared/eval when present: ``ratio`` from the
medians of whole-corpus runs, ``min-ratio`` from per-document minima of
alternating runs (steadier when other processes share the CPU).

    PYTHONPATH=. python bench/bench_extract.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from _common import ROOT, dev_file, read_jsonl

import geokit


def _corpora(geovirus: int) -> dict[str, list[tuple[str, str | None]]]:
    seeds = [(p.read_text("utf-8"), None) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    news = json.loads((ROOT / "tests/data/news_events_gold.json").read_text("utf-8"))
    out = {"seeds": seeds, "news": [(d["text"], d.get("date")) for d in news["documents"]]}
    path = dev_file("geovirus.jsonl") if geovirus else None
    if path is not None:
        # Real news articles (disease outbreaks: fewer event sentences than the
        # conflict texts above), read in place from the shared dev data.
        out["geovirus"] = [(d["text"], None) for d in read_jsonl(path, geovirus)]
    return out


def _time(fn, docs, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        for text, date in docs:
            fn(text, date=date)
        runs.append((time.perf_counter() - t) / len(docs))
    return statistics.median(runs)


def _best_per_doc(docs, repeat: int) -> tuple[float, float]:
    """Return (geoparse, extract) seconds per document, each the sum of per-document minima.

    Each document is run through both, alternating, ``repeat`` times: the
    minimum is the run least disturbed by other processes on a shared machine.
    """
    g_tot = e_tot = 0.0
    for text, date in docs:
        g_best = e_best = float("inf")
        for _ in range(repeat):
            t = time.perf_counter()
            geokit.geoparse(text, date=date)
            g_best = min(g_best, time.perf_counter() - t)
            t = time.perf_counter()
            geokit.extract(text, date=date)
            e_best = min(e_best, time.perf_counter() - t)
        g_tot += g_best
        e_tot += e_best
    return g_tot / len(docs), e_tot / len(docs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--geovirus", type=int, default=40, metavar="N",
                    help="Also time the first N GeoVirus articles of ../shared/eval (0: skip).")
    args = ap.parse_args()
    corpora = _corpora(args.geovirus)
    for docs in corpora.values():  # warm-up: models, gazetteer, caches
        for text, date in docs:
            geokit.extract(text, date=date)
    print(f"{'corpus':8} {'docs':>5} {'geoparse ms/doc':>16} {'extract ms/doc':>15} {'ratio':>6}"
          f" {'min-ratio':>9}")
    for name, docs in corpora.items():
        # Interleave the two so load from other processes hits both alike.
        g1 = _time(geokit.geoparse, docs, args.repeat)
        e1 = _time(geokit.extract, docs, args.repeat)
        g2 = _time(geokit.geoparse, docs, args.repeat)
        e2 = _time(geokit.extract, docs, args.repeat)
        g, e = (g1 + g2) / 2, (e1 + e2) / 2
        gm, em = _best_per_doc(docs, max(5, args.repeat * 2))
        print(f"{name:8} {len(docs):5d} {g * 1000:16.1f} {e * 1000:15.1f} {e / g:6.2f}"
              f" {em / gm:9.2f}")


if __name__ == "__main__":
    main()
