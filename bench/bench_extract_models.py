"""How much of ``geokit.extract``'s time its spaCy calls take, beside the peer of bench_extract.

For each corpus of ``bench_extract.py`` (the seeds, GeoVirus articles, the
conflict paragraphs: texts only), ``geokit.extract`` runs once with the
``pipe`` of its two spaCy pipelines (NER-only, and the parsing one) recorded:
which texts each call reads. Then, taking turns each round, four runs are timed:

- ``extract``: ``geokit.extract`` on each text, as bench_extract times it;
- ``models``: the recorded spaCy calls alone, replayed text by text as extract
  makes them (the model work one document at a time costs, with none of
  geokit's own Python);
- ``batched``: the same texts in one call per pipeline for the whole corpus
  (what the models would cost if documents were read together);
- ``peer``: en_core_web_sm run in full with ``nlp.pipe``, as in bench_extract.

``chars read`` adds up the characters of every recorded call (a sentence both
NER and the parser read counts twice), beside the corpus' own. ``peer/models``
is the ceiling of bench_extract's ratio while extract reads
these texts one document at a time: below the target (1.5x), no speed-up of
geokit's Python reaches it; only reading fewer words, or reading documents
together, does.

    python bench/bench_extract_models.py [--rounds 3] [--geovirus 40]
"""

from __future__ import annotations

import argparse
import contextlib
import time
from collections.abc import Callable, Iterator
from typing import Any

from bench_extract import TARGET, _corpora, _ours, _peer

from geokit.geoparse._nlp import MODEL, load_ner, load_nlp, load_pipeline, one_blas_thread

# One recorded call: (pipeline, texts, keyword arguments of pipe).
Call = tuple[Any, list[str], dict[str, Any]]


@contextlib.contextmanager
def _recording(pipelines: list[Any]) -> Iterator[list[Call]]:
    """Append every ``pipe`` call of the pipelines to the yielded list while inside."""
    calls: list[Call] = []
    for nlp in pipelines:
        original = nlp.pipe

        def pipe(texts, *args, _pipe=original, _nlp=nlp, **kwargs):
            texts = list(texts)
            calls.append((_nlp, texts, kwargs))
            return _pipe(texts, *args, **kwargs)

        nlp.pipe = pipe
    try:
        yield calls
    finally:
        for nlp in pipelines:
            del nlp.pipe  # the class's method again


def _replay(per_doc: list[list[Call]]) -> None:
    with one_blas_thread():
        for calls in per_doc:
            for nlp, texts, kwargs in calls:
                list(nlp.pipe(texts, **kwargs))


def _batched(per_doc: list[list[Call]]) -> Callable[[], None]:
    groups: dict[tuple[int, str], tuple[Any, list[str], dict[str, Any]]] = {}
    for calls in per_doc:
        for nlp, texts, kwargs in calls:
            key = (id(nlp), repr(sorted(kwargs.items())))
            groups.setdefault(key, (nlp, [], kwargs))[1].extend(texts)

    def run() -> None:
        with one_blas_thread():
            for nlp, texts, kwargs in groups.values():
                list(nlp.pipe(texts, **kwargs))

    return run


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--geovirus", type=int, default=40, metavar="N")
    args = ap.parse_args()
    corpora, warm = _corpora(args.geovirus)
    peer = _peer(load_pipeline(MODEL))
    _ours(warm)
    peer(warm)
    recorded: dict[str, list[list[Call]]] = {c: [] for c in corpora}
    # The pipelines geokit's calls go through (the model passed as it passes it).
    with _recording([load_ner(MODEL), load_nlp(MODEL)]) as calls:
        for corpus, docs in corpora.items():
            for doc in docs:
                calls.clear()
                _ours([doc])
                recorded[corpus].append(list(calls))
    runs: dict[str, dict[str, Callable[[], None]]] = {
        c: {"extract": lambda d=docs: _ours(d), "models": lambda r=recorded[c]: _replay(r),
            "batched": _batched(recorded[c]), "peer": lambda d=docs: peer(d)}
        for c, docs in corpora.items()}
    totals = {c: dict.fromkeys(runs[c], 0.0) for c in corpora}
    for r in range(args.rounds):
        for corpus, fns in runs.items():
            for name in (list(fns) if r % 2 == 0 else list(reversed(fns))):
                t = time.process_time()
                fns[name]()
                totals[corpus][name] += time.process_time() - t
    print(f"{args.rounds} rounds, CPU seconds per round; ratios are peer time / ours")
    print(f"{'corpus':9} {'docs':>5} {'calls':>6} {'chars read':>11} {'extract':>8} {'models':>7}"
          f" {'batched':>8} {'peer':>6} {'peer/ext':>9} {'peer/mod':>9} {'peer/bat':>9}")
    for corpus, docs in corpora.items():
        t = {k: v / args.rounds for k, v in totals[corpus].items()}
        n_calls = sum(len(c) for c in recorded[corpus])
        chars = sum(len(x) for c in recorded[corpus] for _, texts, _ in c for x in texts)
        total = sum(len(text) for text, _ in docs)
        print(f"{corpus:9} {len(docs):5d} {n_calls:6d} {chars:6d}/{total:<6d}"
              f" {t['extract']:7.2f}s {t['models']:6.2f}s {t['batched']:7.2f}s"
              f" {t['peer']:5.2f}s {t['peer'] / t['extract']:9.2f} {t['peer'] / t['models']:9.2f}"
              f" {t['peer'] / t['batched']:9.2f}")
    print(f"target {TARGET}x: reachable one document at a time only where peer/mod is above it")


if __name__ == "__main__":
    main()
