"""Fit the geoparser's score calibration on dev gold spans and write it to geokit/geoparse/.

The resolver's raw score (the ranking's softmax share of the best candidate)
is mapped to P(within 161 km of the truth) by isotonic regression (monotone,
pool-adjacent-violators) on the gold spans of the fit sets, one map each for
places that stand for large areas (countries, regions), first-level
subdivisions and points (towns), and stored as the knots of piecewise-linear maps in
``geokit/geoparse/calibration.csv``. The
reliability table and ECE are printed per data set before (raw score) and
after (calibrated); data sets not in ``--fit`` are held out.

Rerun after a change to the gazetteer or the ranking (the raw scores move):

    python bench/fit_calibration.py [--fit geovirus,wotr_test] [--dry-run]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
from pathlib import Path

import numpy as np
from _common import ROOT, dev_file, read_jsonl

from geokit.eval._places import ACC_KM, _error_km, _gold_points, _reliability
from geokit.geoparse._geoparser import CALIBRATION_GROUPS, Geoparser, calibrate, calibration_group
from geokit.geoparse._recognize import spans_to_mentions

TABLE = ROOT / "geokit" / "geoparse" / "calibration.csv"
SETS = ("geovirus", "wotr_test", "wiktor")


def raw_pairs(name: str, gp: Geoparser) -> list[tuple[float, bool, str]]:
    """Return (raw score, within 161 km, group) for every gold span with coordinates.

    A span with no gazetteer entry scores 0 and counts as a miss, as in
    ``geokit eval --gold-spans``.
    """
    path = dev_file(f"{name}.jsonl")
    if path is None:
        return []
    pairs = []
    for doc in read_jsonl(path):
        gold = doc.get("toponyms") or []
        mentions = spans_to_mentions(doc["text"], [(t["start"], t["end"]) for t in gold])
        # as `geokit eval --gold-spans` does: the rest of the text as context (read
        # here without NER, see main: slightly fewer context mentions)
        context = gp.context_mentions(doc["text"], mentions)
        for t, top in zip(gold, gp.resolve_mentions(doc["text"], mentions, context=context),
                          strict=True):
            points = _gold_points(t)
            if not points:
                continue
            best = top.candidates[0] if top.candidates else None
            raw = best.score if best is not None else 0.0
            ok = best is not None and _error_km(points, (best.lat, best.lon)) <= ACC_KM
            pairs.append((raw, ok, calibration_group(best.feature) if best else "none"))
    return pairs


def isotonic(x: np.ndarray, y: np.ndarray) -> list[tuple[float, float]]:
    """Fit a non-decreasing step function by pool-adjacent-violators.

    Written out because neither scikit-learn nor SciPy is installed (and geokit
    needs neither at run time); the loop is the textbook one, O(n) amortised.

    Returns
    -------
    list of (x, y)
        Two knots per pooled block, at its lowest and highest x, both at the
        block's mean y: the step function, with linear ramps between blocks.
    """
    order = np.argsort(x, kind="stable")
    xs, ys = x[order], y[order].astype(float)
    sums: list[float] = []  # per block: sum of y, count, lowest and highest x
    counts: list[int] = []
    lo: list[float] = []
    hi: list[float] = []
    for xi, yi in zip(xs, ys, strict=True):
        sums.append(yi)
        counts.append(1)
        lo.append(xi)
        hi.append(xi)
        while len(sums) > 1 and sums[-2] / counts[-2] >= sums[-1] / counts[-1]:
            s, c, h = sums.pop(), counts.pop(), hi.pop()
            lo.pop()
            sums[-1] += s
            counts[-1] += c
            hi[-1] = h
    out = []
    for s, c, a, b in zip(sums, counts, lo, hi, strict=True):
        out += [(a, s / c), (b, s / c)] if b > a else [(a, s / c)]
    return out


def knots(blocks: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Turn PAV blocks into the table's knots, spanning [0, 1], monotone.

    The raw scores stay exact: many lie within 1e-6 of 1 (a country beside a
    few hamlets of its name), and rounding them would merge distinct blocks.
    """
    pts = [(float(x), round(float(y), 4)) for x, y in blocks]
    if pts[0][0] > 0.0:
        pts.insert(0, (0.0, pts[0][1]))
    if pts[-1][0] < 1.0:
        pts.append((1.0, pts[-1][1]))
    out: list[tuple[float, float]] = []
    for x, y in pts:
        if out and x <= out[-1][0]:
            out[-1] = (out[-1][0], max(out[-1][1], y))
        else:
            out.append((x, max(y, out[-1][1]) if out else y))
    return out


def calibrated(pairs, tables) -> list[tuple[float, bool]]:
    """Apply the maps; an unresolved span keeps 0, as the geoparser gives it.

    A group with no map (nothing to fit it on) keeps its raw score, as the
    geoparser's loader reads a table without it.
    """
    return [(0.0 if g == "none" else calibrate(s, tables[g]) if g in tables else s, ok)
            for s, ok, g in pairs]


def show(name: str, pairs, tables, fitted_on: bool) -> None:
    before, ece_before = _reliability([(s, ok) for s, ok, _ in pairs])
    after, ece_after = _reliability(calibrated(pairs, tables))
    tag = "fitted on" if fitted_on else "held out"
    print(f"\n== {name} gold spans ({len(pairs):,} with coordinates, {tag}): "
          f"ECE {ece_before:.3f} raw -> {ece_after:.3f} calibrated")
    print(f"{'bin':>9s} | {'n raw':>6s} {'mean':>5s} {'acc':>5s} | {'n cal':>6s} {'mean':>5s} "
          f"{'acc':>5s}")
    for b, a in zip(before, after, strict=True):
        def cell(r):
            if not r.count:
                return f"{0:6d} {'-':>5s} {'-':>5s}"
            return f"{r.count:6d} {r.mean_score:5.2f} {r.acc161:5.2f}"
        print(f"{b.lo:4.1f}-{b.hi:3.1f} | {cell(b)} | {cell(a)}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fit", default="geovirus,wotr_test",
                    help="comma-separated dev sets to fit on (others are held out)")
    ap.add_argument("--dry-run", action="store_true", help="print, do not write the table")
    args = ap.parse_args()
    fit = [s for s in args.fit.split(",") if s]
    # NER off for speed: the context mentions are those the gazetteer alone
    # finds, a few fewer than `geokit eval --gold-spans` (ner="auto") reads.
    gp = Geoparser(ner="off")
    pairs = {name: raw_pairs(name, gp) for name in dict.fromkeys([*fit, *SETS])}
    train = [p for name in fit for p in pairs[name]]
    if not train:
        raise SystemExit("no dev data to fit on (see ../shared/eval)")
    tables = {}
    for group in CALIBRATION_GROUPS:
        sub = [(s, ok) for s, ok, g in train if g == group]
        if not sub:
            print(f"{group}: no gold spans in {', '.join(fit)}; left uncalibrated (identity)")
            continue
        tables[group] = knots(isotonic(np.array([s for s, _ in sub]),
                                       np.array([ok for _, ok in sub])))
        print(f"{group}: fitted on {', '.join(fit)}, {len(sub):,} gold spans, "
              f"{len(tables[group])} knots")
    for name, p in pairs.items():
        if p:
            show(name, p, tables, name in fit)
    if args.dry_run:
        return
    stamp = dt.date.today().isoformat()
    source = (f"isotonic fit by bench/fit_calibration.py on {'+'.join(fit)} gold spans "
              f"({len(train)} toponyms, ../shared/eval), {stamp}")
    with Path(TABLE).open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["group", "raw", "calibrated", "source"])
        for group, table in tables.items():
            for xk, yk in table:
                w.writerow([group, repr(xk), f"{yk:.4f}", source])
    print(f"\nwrote {TABLE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
