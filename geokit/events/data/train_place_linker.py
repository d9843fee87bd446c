"""Fit the event-place linker (``place_linker.json``) on event_location_dev (run by hand).

Data: ``event_location_dev.jsonl`` (default ``/work/shared/eval/``, never
copied into the repository): English news sentences from Halterman's
"Geolocating Political Events in Text" (``ahalterman/event_location``, MIT
licence), each with one event verb and the location span(s) of its event, or
none. For each sentence the event stage's own reading is rebuilt: the
sentence past its dateline parsed as the stage parses it, the geoparser's
toponyms and the names it reads beside a place noun or in a place's slot
(``unknown_places``, never where the actor table reads an actor), the
verb's token; each is a candidate, labelled 1 when it overlaps a gold span.
A conditional logit chooses among a sentence's candidates and "no place"
(:class:`geokit.events._locate.PlaceLinker`: candidate features from
:func:`~geokit.events._locate.candidate_features`, those of "no place" from
:func:`~geokit.events._locate.none_features`).

The fit is Newton's method in numpy (some 170 weights, a few thousand
sentences: a few iterations, and no scikit-learn to install for it). Parses are cached
(``geokit.paths.cache_dir() / "place_linker"``, keyed on the data file, the
geoparser's and gazetteer's code and the index version) so refits and the
leave-one-collection-out figures of ``bench/bench_event_location.py`` are quick.

Usage: ``python -m geokit.events.data.train_place_linker [DATA.jsonl]`` writes
``place_linker.json`` beside this script and prints the leave-one-collection-out
accuracy (train on the other collections, score the left-out one).
"""

from __future__ import annotations

import hashlib
import json
import pickle
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from geokit.events._actors import ActorTable
from geokit.events._extract import _past_dateline, linker_places
from geokit.events._locate import (
    FEATURES,
    NONE_FEATURES,
    PlaceLinker,
    candidate_features,
    none_features,
)
from geokit.paths import atomic_write, cache_dir

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = Path("/work/shared/eval/event_location_dev.jsonl")
SOURCE = ("event_location_dev.jsonl: Halterman, 'Geolocating Political Events in Text' "
          "(ahalterman/event_location, MIT licence), 4,571 annotated sentences")
L2 = 1.0


def read_records(path: Path) -> list[dict]:
    """Return the data file's records."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _plausible(text: str, a: int, b: int) -> bool:
    """Whether characters a..b can be a place's name: a whole word, capital or digit first."""
    return (0 <= a and b - a >= 2 and b <= len(text) and (text[a].isupper() or text[a].isdigit())
            and (a == 0 or not text[a - 1].isalnum()) and (b == len(text)
                                                          or not text[b].isalnum()))


def gold_spans(rec: dict, tokenizer: Any = None) -> list[tuple[int, int]]:
    """Return the record's gold location spans, with token offsets read as tokens.

    About 775 of the file's located sentences (half of Atrocities, AP, Xinhua
    and wiki) give spaCy token indices, end inclusive, where the others give
    characters: "In the neighboring province of Ingushetia, ..." has
    ``start 5, end 5`` (token 5, Ingushetia) and ``text ""``. With a
    ``tokenizer`` (spaCy's), a span whose characters are no name and whose
    tokens are is read as tokens; without one the file's spans are kept.
    """
    text = rec["text"]
    out = []
    toks = None
    for g in rec["locations"]:
        a, b = g["start"], g["end"]
        if tokenizer is not None and not _plausible(text, a, b):
            toks = toks if toks is not None else tokenizer(text)
            if 0 <= a <= b < len(toks):
                ta, tb = toks[a].idx, toks[b].idx + len(toks[b])
                if _plausible(text, ta, tb):
                    a, b = ta, tb
        out.append((a, b))
    return out


def _cache_file(path: Path) -> Path:
    """Where the parses of ``path`` are cached: keyed on the file and on what reads it.

    The toponyms come from the geoparser and the index, so a change to either
    (their code, or an index of another version) is a new cache, not a stale one.
    """
    from geokit.gazetteer._index import default_index_path  # noqa: PLC0415

    st = path.stat()
    readers = hashlib.sha1()
    pkg = HERE.parent.parent
    for src in sorted((*pkg.glob("geoparse/*.py"), *pkg.glob("gazetteer/*.py"),
                       pkg / "events" / "_extract.py")):
        readers.update(src.read_bytes())
    key = hashlib.sha1(f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}|{readers.hexdigest()}|"
                       f"{default_index_path().name}".encode()).hexdigest()
    return cache_dir() / "place_linker" / f"parses-{key[:16]}.pkl"


def parse_records(path: Path, recs: Sequence[dict]) -> list[tuple[int, Any, tuple]]:
    """Return (base, parsed sentence, toponyms) per record, as the event stage reads it.

    Cached by the data file's path, size and time.
    """
    from spacy.tokens import DocBin  # noqa: PLC0415

    from geokit.geoparse import _nlp  # noqa: PLC0415
    from geokit.geoparse._geoparser import geoparse  # noqa: PLC0415

    cache = _cache_file(path)
    vocab = _nlp.load_nlp(_nlp.MODEL).vocab
    if cache.exists():
        with cache.open("rb") as fh:
            bases, blob, tops = pickle.load(fh)  # noqa: S301 - our own cache file
        docs = list(DocBin().from_bytes(blob).get_docs(vocab))
        if len(docs) == len(recs):
            return list(zip(bases, docs, tops, strict=True))
    bases, texts, tops = [], [], []
    for rec in recs:
        text = rec["text"]
        base, end = _past_dateline(text, 0, len(text))
        bases.append(base)
        texts.append(text[base:end])
        tops.append(tuple(geoparse(text, id=str(rec["id"])).toponyms))
    docs = []
    for k in range(0, len(texts), 256):
        docs += _nlp.parse(texts[k:k + 256], ner=False)
    bin_ = DocBin(attrs=["ORTH", "TAG", "POS", "DEP", "HEAD", "LEMMA", "SENT_START"])
    for d in docs:
        bin_.add(d)
    cache.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(cache, binary=True) as fh:
        pickle.dump((bases, bin_.to_bytes(), tops), fh)
    return list(zip(bases, docs, tops, strict=True))


def examples(recs: Sequence[dict], parsed: Sequence[tuple[int, Any, tuple]], *,
             token_spans: bool = True) -> list[dict]:
    """Return per sentence: its collection, gold, candidates' spans, labels and features.

    ``token_spans``: read the file's token-offset spans as tokens (:func:`gold_spans`).
    """
    from geokit.geoparse import _nlp  # noqa: PLC0415

    tokenizer = _nlp.load_nlp(_nlp.MODEL).tokenizer if token_spans else None
    table = ActorTable.default()
    out = []
    for rec, (base, sdoc, tops) in zip(recs, parsed, strict=True):
        gold = gold_spans(rec, tokenizer)
        v = rec["verb"]
        span = sdoc.char_span(v["start"] - base, v["end"] - base, alignment_mode="expand")
        cands = []
        if span is not None and len(span):
            # as geokit.locate_event reads them (NER persons are not read here)
            cands = candidate_features(rec["text"], base, sdoc, span.root, linker_places(
                rec["text"], base, sdoc, tops, table=table))
        spans = [(t.mention.start, t.mention.end) for t, _ in cands]
        out.append({
            "collection": rec.get("collection") or "?",
            "gold": gold,
            "spans": spans,
            "labels": [float(overlaps(s, gold)) for s in spans],
            "x": np.array([[f.get(n, 0.0) for n in FEATURES] for _, f in cands]).reshape(
                -1, len(FEATURES)),
            # any recognised place overlapping gold, dateline or not: the ceiling
            "any_place": any(overlaps((t.mention.start, t.mention.end), gold)
                             for t in tops if t.place is not None),
        })
    return out


def overlaps(span: tuple[int, int], gold: Sequence[tuple[int, int]]) -> bool:
    """Tell whether a span overlaps any gold span (the data's metric)."""
    return any(span[0] < b and a < span[1] for a, b in gold)


def _options(x: np.ndarray) -> np.ndarray:
    """Return a sentence's option rows: its candidates, then "no place" (see PlaceLinker)."""
    d, nd = len(FEATURES), len(NONE_FEATURES)
    rows = np.zeros((len(x) + 1, d + nd))
    rows[:-1, :d] = x
    nf = none_features([dict(zip(FEATURES, row, strict=True)) for row in x])
    rows[-1, d:] = [nf[n] for n in NONE_FEATURES]
    return rows


def fit(exs: Sequence[dict], *, l2: float = L2) -> PlaceLinker:
    """Fit the conditional logit over each sentence's candidates and "no place".

    A sentence with a location that no candidate overlaps teaches nothing
    (every option is wrong) and is left out; one whose location several
    candidates overlap shares its weight among them.
    """
    groups, targets = [], []
    for e in exs:
        labels = np.asarray(e["labels"], dtype=float)
        if not len(e["spans"]) or (e["gold"] and not labels.any()):
            continue
        groups.append(_options(e["x"]))
        targets.append(np.append(labels / labels.sum(), 0.0) if e["gold"]
                       else np.append(np.zeros(len(labels)), 1.0))
    rows, y = np.vstack(groups), np.concatenate(targets)
    starts = np.cumsum([0] + [len(g) for g in groups[:-1]])
    group_of = np.repeat(np.arange(len(groups)), [len(g) for g in groups])
    reg = np.full(rows.shape[1], l2)
    reg[len(FEATURES)] = 0.0  # "no place"'s constant is not shrunk
    w = np.zeros(rows.shape[1])
    for _ in range(50):
        z = rows @ w
        z -= np.maximum.reduceat(z, starts)[group_of]
        p = np.exp(z)
        p /= np.add.reduceat(p, starts)[group_of]
        grad = rows.T @ (p - y) + reg * w
        mean = np.add.reduceat(rows * p[:, None], starts)  # each group's expected row
        hess = (rows * p[:, None]).T @ rows - mean.T @ mean + np.diag(reg + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-7:
            break
    d = len(FEATURES)
    return PlaceLinker(FEATURES, tuple(float(v) for v in w[:d]), NONE_FEATURES,
                       tuple(float(v) for v in w[d:]))


def decide(model: PlaceLinker, e: dict) -> tuple[int, int] | None:
    """Return the model's answer for one sentence: the chosen span, or None."""
    if not len(e["spans"]):
        return None
    # the run-time choice itself, over the same rows as dicts: one definition of it
    k, _ = model.choose([dict(zip(FEATURES, row, strict=True)) for row in e["x"]])
    return e["spans"][k] if k is not None else None


def score(model: PlaceLinker, exs: Sequence[dict]) -> dict[str, tuple[int, int]]:
    """Return (right, total) overall / with / without for these sentences."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for e in exs:
        ans = decide(model, e)
        ok = (ans is None) if not e["gold"] else (ans is not None and overlaps(ans, e["gold"]))
        for part in ("overall", "with" if e["gold"] else "without"):
            counts[part][0] += ok
            counts[part][1] += 1
    return {k: (v[0], v[1]) for k, v in counts.items()}


def leave_one_out(exs: Sequence[dict]) -> dict[str, PlaceLinker]:
    """Return, for each collection, the model fitted on all the other collections."""
    colls = sorted({e["collection"] for e in exs})
    return {c: fit([e for e in exs if e["collection"] != c]) for c in colls}


def main(argv: Sequence[str] | None = None) -> int:
    """Fit on the whole file, write the model, print leave-one-collection-out accuracy."""
    args = list(sys.argv[1:] if argv is None else argv)
    path = Path(args[0]) if args else DEFAULT_DATA
    recs = read_records(path)
    exs = examples(recs, parse_records(path, recs))
    model = fit(exs)
    data = {
        "features": list(model.features), "weights": [round(w, 6) for w in model.weights],
        "none_features": list(model.none_features),
        "none_weights": [round(w, 6) for w in model.none_weights],
        "trained_on": f"{SOURCE}; all {len(recs)} sentences of every collection",
        "licence": "training data MIT (ahalterman/event_location); weights: geokit's licence",
        "fit": f"conditional logit over each sentence's candidates and 'no place', L2 {L2}, "
               "Newton's method (numpy); by geokit/events/data/train_place_linker.py",
    }
    with atomic_write(HERE / "place_linker.json") as fh:
        fh.write(json.dumps(data, indent=1) + "\n")
    folds = leave_one_out(exs)
    for c, m in folds.items():
        s = score(m, [e for e in exs if e["collection"] == c])
        print(c, {k: f"{r / n:.3f} ({n})" for k, (r, n) in sorted(s.items())})
    return 0


if __name__ == "__main__":
    sys.exit(main())
