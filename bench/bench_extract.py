"""Documents per second of ``geokit.extract`` beside spaCy's small English pipeline run in full.

Peer: the pinned ``en_core_web_sm`` with every component it loads (tok2vec,
tagger, parser, attribute ruler, lemmatizer, NER), with the BLAS setup
geokit's own pipelines get (built by :func:`geokit.geoparse._nlp.load_pipeline`
to multiply with NumPy's BLAS, run inside
:func:`geokit.geoparse._nlp.one_blas_thread`), run with ``nlp.pipe`` over a
corpus' texts. geokit, two ways, each beside the same peer in the same run:
``geokit.extract`` on each text one by one (places, actors, events,
relations), with the text's date when it has one; and ``geokit.extract_many``
over the corpus' texts (the same documents, batches of
``--batch-size`` read by spaCy together, as ``nlp.pipe`` reads its batches).

Corpora: the seeds, the first ``--geovirus`` GeoVirus articles of
../shared/eval, and the conflict paragraphs (the texts of
tests/data/conflict_events_dev.json and conflict_events_heldout.json; only the
texts are read). Both are warmed up first on GeoVirus articles outside the
timed ones (models, gazetteer). Each corpus then runs ``--rounds`` times, the
three taking turns corpus by corpus and the order alternating, so a change in
the load of a shared machine hits all alike; geokit's name caches are warm after
the first round, so ``first`` gives the ratio of the first round alone, where
both see the texts for the first time. ``ratio``, ``CPU`` and ``first`` are
``extract``'s; ``many/s``, ``m.ratio``, ``m.CPU`` and ``m.first`` are
``extract_many``'s. Target: geokit >= 1.5x the peer's documents per second on
every corpus and over all.

    python bench/bench_extract.py [--rounds 3] [--geovirus 40] [--batch-size 64]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable

from _common import ROOT, dev_file, read_jsonl

import geokit
from geokit.events._extract import DEFAULT_BATCH_SIZE
from geokit.geoparse._nlp import MODEL, load_pipeline, one_blas_thread

TARGET = 1.5

Docs = list[tuple[str, str | None]]


def _corpora(geovirus: int) -> tuple[dict[str, Docs], Docs]:
    """Return the timed corpora and the warm-up texts (GeoVirus articles outside them)."""
    seeds = [(p.read_text("utf-8"), None) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    out: dict[str, Docs] = {"seeds": seeds}
    warm: Docs = seeds[:1]
    path = dev_file("geovirus.jsonl") if geovirus else None
    if path is not None:
        articles = [(d["text"], None) for d in read_jsonl(path, geovirus + 3)]
        out["geovirus"], warm = articles[:geovirus], articles[geovirus:] or warm
    conflict: Docs = []
    for name in ("conflict_events_dev.json", "conflict_events_heldout.json"):
        gold = json.loads((ROOT / "tests/data" / name).read_text("utf-8"))
        conflict += [(d["text"], d.get("date")) for d in gold["documents"]]
    out["conflict"] = conflict
    return out, warm


def _ours(docs: Docs) -> None:
    for text, date in docs:
        geokit.extract(text, date=date)


def _many(batch_size: int) -> Callable[[Docs], None]:
    def run(docs: Docs) -> None:
        for _ in geokit.extract_many(((text, {"date": date}) for text, date in docs),
                                     batch_size=batch_size):
            pass

    return run


def _peer(nlp) -> Callable[[Docs], None]:
    def run(docs: Docs) -> None:
        with one_blas_thread():
            for _ in nlp.pipe([text for text, _ in docs]):
                pass

    return run


def _timed(fn: Callable[[Docs], None], docs: Docs) -> tuple[float, float]:
    t, c = time.perf_counter(), time.process_time()
    fn(docs)
    return time.perf_counter() - t, time.process_time() - c


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--geovirus", type=int, default=40, metavar="N",
                    help="Time the first N GeoVirus articles of ../shared/eval (0: skip).")
    ap.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE,
                    help="Documents extract_many reads together.")
    args = ap.parse_args()
    corpora, warm = _corpora(args.geovirus)
    nlp = load_pipeline(MODEL)
    fns = {"geokit": _ours, "many": _many(args.batch_size), "peer": _peer(nlp)}
    print(f"peer: {MODEL} with {', '.join(nlp.pipe_names)}, nlp.pipe, "
          "NumPy BLAS on one thread as geokit's pipelines")
    for fn in fns.values():  # warm-up: models, gazetteer
        fn(warm)
    # totals[name][corpus] = [wall, cpu, first-round wall]
    totals = {k: {c: [0.0, 0.0, 0.0] for c in corpora} for k in fns}
    for r in range(args.rounds):
        for corpus, docs in corpora.items():
            names = list(fns) if r % 2 == 0 else list(reversed(fns))
            for name in names:
                wall, cpu = _timed(fns[name], docs)
                tot = totals[name][corpus]
                tot[0] += wall
                tot[1] += cpu
                if r == 0:
                    tot[2] = wall
    print(f"{args.rounds} rounds, taking turns; docs/s of wall time; ratio = geokit/peer docs/s"
          f" (extract one by one; m.: extract_many, batches of {args.batch_size})")
    print(f"{'corpus':9} {'docs':>5} {'geokit/s':>9} {'peer/s':>8} {'ratio':>6} {'CPU':>6}"
          f" {'first':>6} {'many/s':>7} {'m.ratio':>7} {'m.CPU':>6} {'m.first':>7}")
    for corpus in [*corpora, "all"]:
        keys = list(corpora) if corpus == "all" else [corpus]
        n = sum(len(corpora[k]) for k in keys)
        g, m, p = ([sum(totals[name][k][i] for k in keys) for i in range(3)] for name in fns)
        print(f"{corpus:9} {n:5d} {n * args.rounds / g[0]:9.1f} {n * args.rounds / p[0]:8.1f}"
              f" {p[0] / g[0]:6.2f} {p[1] / g[1]:6.2f} {p[2] / g[2]:6.2f}"
              f" {n * args.rounds / m[0]:7.1f} {p[0] / m[0]:7.2f} {p[1] / m[1]:6.2f}"
              f" {p[2] / m[2]:7.2f}")
    for name, label in (("geokit", "extract"), ("many", "extract_many")):
        worst = min(totals["peer"][c][0] / totals[name][c][0] for c in corpora)
        print(f"target: >= {TARGET}x on every corpus; {label}: lowest {worst:.2f}x:"
              f" {'met' if worst >= TARGET else 'not met'}")


if __name__ == "__main__":
    main()
