"""Which place is the event's: geokit's event place beside two baselines, on event_location_dev.

Data: ``shared/eval/event_location_dev.jsonl`` (Halterman's event_location,
MIT; never copied into the repository): one sentence, one event verb, the gold
location span(s) of that event or none. A system's answer for a sentence is the
place it gives the verb's event, or none; it is right when that place's mention
overlaps a gold span, or when both are none (the data's README's metric).

* geokit: ``geokit.extract`` on the sentence; the event whose trigger is the
  verb, or whose trigger is a noun the verb carries out ("continued their
  offensive in Aleppo": the annotators mark the verb, geokit reads the noun)
  (the trigger offsets are read by wrapping the event stage's private
  ``_emit``, since :class:`geokit.Event` carries the sentence, not the word);
  its answer is the words that name its place (``Event.place_mention``), which
  may be a name the gazetteer does not know ("the village of Dogo Nahawa", "in
  Bapunagar": the event stage reads such names beside a place noun or where a
  place stands; the first two baselines below do not see them). No such
  event: none.
* first-place: the first place geokit's geoparser recognises in the sentence.
* nearest-place: the recognised place nearest the verb (characters).
* nearest+names: the same among the recognised places and the names the event
  stage reads beside a place noun or where a place stands (only in sentences
  it parses), so that
  geokit's reading of names the gazetteer lacks is measured against a
  baseline that has them too.

The baselines use geokit's own recognised places (the last also its
names the index lacks), so the comparison is about the choice, not recognition.
Prints accuracy overall / with a gold location / without, per system, and with
``--by-collection`` the same for each collection.

The event's place is learned from this very file (``_locate``, its candidates
the recognised places and the names the index lacks, fitted by
``geokit/events/data/train_place_linker.py``), so the packaged model has seen
every sentence here. ``--loco`` scores geokit honestly: each sentence is
extracted with a model fitted on the *other* collections only (leave one
collection out; parses are cached by the training script, so the folds are
quick). ``--gold-trigger`` asks the linker directly about the gold verb
(isolating linking from whether the event stage finds the event), leave one
collection out, beside the same baselines over the linker's candidates, and
prints the ceiling: the share of sentences with a location where any
recognised place overlaps it.

``--api`` (with ``--gold-trigger``) scores the public call on the gold verb
too, :func:`geokit.locate_events` (the batch form of ``locate_event``) with
the same left-out folds, and prints its sentences per second: it reads the
sentence itself (geoparse, sentence split, parse), where the linker row reads
the training script's cached parses of the whole record.

``--coverage`` says why geokit gives the verb no place when it emits no event
on it: the share of sentences where ``extract`` emits an event whose trigger
is the gold verb (with / without a gold location), and for the others the
first step that lost it: the verb's lemma is no trigger word; the sentence
filter (``event_sentences``) did not select the sentence (no actor mention
where the verb needs one, or no context word); the trigger check refused the
token (its part of speech, an adjective "wounded soldiers", the row's context
or object rule); or a stage dropped the candidate (no source, no target, a
threat of one's own, an appeal, an unreal deed: planned, conditional or
nowhere). The gold verbs most often missed are listed with their reasons.
The stages are observed by wrapping the private functions, as ``_emit`` is.

About 775 located sentences of the file (half of Atrocities, AP, Xinhua and
wiki) give spaCy token indices (end inclusive) instead of characters
("... province of Ingushetia": ``start 5, end 5, text ""``): no answer can
overlap them. Every table is printed twice: against the file's spans (the
README's metric as written) and with such spans read as tokens
(``train_place_linker.gold_spans``; the linker is trained on the latter).

    python bench/bench_event_location.py [--limit N] [--by-collection] [--data FILE]
                                         [--loco] [--gold-trigger [--api]] [--coverage]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from _common import dev_file, read_jsonl

import geokit
from geokit.events import _events as event_stage
from geokit.events import _extract as extract_stage
from geokit.events import _locate
from geokit.events.data import train_place_linker as trainer
from geokit.geoparse import _nlp
from geokit.geoparse._recognize import sentence_bounds

SYSTEMS = ("geokit", "first-place", "nearest-place", "nearest+names")


def _places(doc: geokit.Document) -> list[tuple[int, int, object]]:
    return [(t.mention.start, t.mention.end, t.place) for t in doc.toponyms
            if t.place is not None and t.mention.kind == "place"]


def _nearest(places: list, at: int) -> tuple[int, int] | None:
    return min(places, key=lambda p: min(abs(p[0] - at), abs(at - p[1])))[:2] if places else None


def answers(rec: dict, triggers: dict, names: list | None = None
            ) -> dict[str, tuple[int, int] | None]:
    """Return each system's answer span (None for no place) for one record.

    ``names`` collects the names the event stage reads for the record (see
    :func:`main`); the ``nearest+names`` baseline adds them to the places.
    """
    triggers.clear()
    names = [] if names is None else names
    names.clear()
    doc = geokit.extract(rec["text"], id=str(rec["id"]))
    places = _places(doc)
    v = rec["verb"]
    out: dict[str, tuple[int, int] | None] = {
        "first-place": places[0][:2] if places else None,
        "nearest-place": _nearest(places, v["start"]),
        "nearest+names": _nearest(places + [(t.mention.start, t.mention.end, None)
                                            for t in names], v["start"]),
    }
    hits = [e for at, e in triggers.items() if v["start"] <= at < v["end"]]
    geo = None
    if hits and hits[0].place_mention is not None:
        geo = (hits[0].place_mention.start, hits[0].place_mention.end)
    elif hits and hits[0].place is not None:
        spans = [p[:2] for p in places if p[2] == hits[0].place]
        geo = spans[0] if spans else (-1, -1)  # a place the text does not name: wrong
    out["geokit"] = geo
    return out


# The steps a trigger token passes after the trigger check, in the order
# events_from_parses runs them, each with the value by which it drops it.
_STEPS = (("_source_stage", False), ("_target_stage", False), ("_own_threat", True),
          ("_asked_for", True), ("_unreal", True))
_WHY = {"_source_stage": "dropped: no source (source stage)",
        "_target_stage": "dropped: no target (target stage)",
        "_own_threat": "dropped: its own side's threat", "_asked_for": "dropped: asked for",
        "_unreal": "dropped: unreal"}


def _token_of(args: tuple) -> object:
    return next(a.tok if isinstance(a, event_stage._Candidate) else a for a in args
                if isinstance(a, event_stage._Candidate) or hasattr(a, "lemma_"))


class _Probe:
    """What became of each token of one record: the event stage's steps, wrapped.

    ``seen[(id(sentence doc), token index)]`` is the last step the token
    reached: "refused: ..." (the trigger check), "dropped: ..." (a stage),
    "passed ..." or "emitted".
    """

    def __init__(self) -> None:
        self.sents: list[tuple[int, int]] = []
        self.docs: list[tuple[int, object]] = []
        self.seen: dict[tuple[int, int], str] = {}
        self._saved: list[tuple[object, str, object]] = []

    def clear(self) -> None:
        """Forget the last record."""
        self.sents, self.docs, self.seen = [], [], {}

    def _wrap(self, module: object, name: str, after: object) -> None:
        inner = getattr(module, name)

        def wrapped(*args, **kw):
            out = inner(*args, **kw)
            after(args, out)
            return out

        self._saved.append((module, name, inner))
        setattr(module, name, wrapped)

    def install(self) -> None:
        """Wrap the filter, the parse hand-over, the trigger check and each stage."""
        def selected(args, out):
            self.sents = [args[1][i] for i in out]

        def parses(args, out):
            self.docs = [(sa, sdoc) for (sa, _), sdoc in args[1]]

        def trigger(args, out):
            tok = args[0]
            why = "trigger" if out is not None else (
                "refused: adjective (amod)" if tok.dep_ == "amod" else
                f"refused: tagged {tok.pos_}" if tok.pos_ not in ("VERB", "ADJ") else
                "refused: context or object rule")
            self.seen[(id(tok.doc), tok.i)] = why

        def step(name, drops):
            def after(args, out):
                tok = _token_of(args)
                why = _WHY[name] if out == drops else f"passed {name}"
                if name == "_unreal" and out:
                    c = args[2]
                    why += (f" ({args[1]})" if args[1] in ("planned", "announced") else
                            " (no source, no place)" if c.place is None else
                            " (no source, a background or conditional clause)")
                self.seen[(id(tok.doc), tok.i)] = why
            return after

        self._wrap(extract_stage, "event_sentences", selected)
        self._wrap(extract_stage, "events_from_parses", parses)
        self._wrap(event_stage, "_trigger", trigger)
        for name, drops in _STEPS:
            self._wrap(event_stage, name, step(name, drops))
        def emitted(args, out):
            c = args[1]
            self.seen[(id(c.tok.doc), c.tok.i)] = "emitted"
            if c.light is not None and out:  # as ``recording`` counts it
                self.seen[(id(c.light.doc), c.light.i)] = "emitted"

        self._wrap(event_stage, "_emit", emitted)

    def uninstall(self) -> None:
        """Put the wrapped functions back."""
        for module, name, inner in reversed(self._saved):
            setattr(module, name, inner)
        self._saved = []

    def verdict(self, rec: dict, lemma: str) -> tuple[str, str]:
        """Return (the gold verb's lemma, what became of it) for the last record."""
        v = rec["verb"]
        order = ("emitted", "dropped", "passed", "refused", "trigger")
        found = []
        for sa, sdoc in self.docs:
            for t in sdoc:
                if v["start"] <= sa + t.idx < v["end"]:
                    why = self.seen.get((id(sdoc), t.i), "not a trigger word")
                    found.append((next((k for k, o in enumerate(order) if why.startswith(o)),
                                       len(order)), t.lemma_.lower(), why))
        if found:
            return min(found)[1:]
        if lemma not in event_stage._TRIGGER_WORDS:
            return lemma, "not a trigger word"
        if any(a <= v["start"] < b for a, b in self.sents):
            return lemma, "in the dateline"
        chunk = next((rec["text"][a:b] for a, b in sentence_bounds(rec["text"])
                      if a <= v["start"] < b), rec["text"])
        return lemma, ("filter: no actor mention (the verb needs one)"
                       if event_stage._worth_parsing(chunk) else
                       "filter: no context word or form")


def _gold_lemma(rec: dict, parsed: tuple[int, object, tuple]) -> str:
    base, sdoc, _ = parsed
    v = rec["verb"]
    span = sdoc.char_span(v["start"] - base, v["end"] - base, alignment_mode="expand")
    return span.root.lemma_.lower() if span is not None and len(span) else v["text"].lower()


def _coverage_table(rows: list[tuple[bool, str, str]], top: int = 40) -> None:
    """Print the coverage: emitted on the gold verb, why not, and the verbs most missed."""
    parts = {"all": rows, "with": [r for r in rows if r[0]],
             "without": [r for r in rows if not r[0]]}
    print("coverage: extract emits an event whose trigger is the gold verb")
    print("  " + "   ".join(f"{k} {sum(r[2] == 'emitted' for r in v) / max(len(v), 1):.3f}"
                           f" ({sum(r[2] == 'emitted' for r in v)}/{len(v)})"
                           for k, v in parts.items()))
    why = Counter(r[2] for r in rows)
    print(f"{'what became of the gold verb':<62}{'with':>8}{'without':>9}{'all':>7}")
    for w, n in why.most_common():
        print(f"{w:<62}{sum(r[2] == w for r in parts['with']):>8}"
              f"{sum(r[2] == w for r in parts['without']):>9}{n:>7}")
    missed = Counter(r[1] for r in rows if r[2] != "emitted")
    print("gold verbs most often missed (lemma: missed with/without a location; why)")
    for lemma, n in missed.most_common(top):
        mine = [r for r in rows if r[1] == lemma and r[2] != "emitted"]
        reasons = Counter(r[2] for r in mine).most_common(3)
        print(f"  {lemma:<14}{n:>4} ({sum(r[0] for r in mine)}/{sum(not r[0] for r in mine)})"
              f"  " + "; ".join(f"{w} {k}" for w, k in reasons))


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


def _api_answers(pairs: list[tuple[dict, dict]], folds: dict[str, _locate.PlaceLinker]
                 ) -> dict[int, tuple[int, int] | None]:
    """Ask :func:`geokit.locate_events` about every gold verb, each collection with its fold.

    Prints the call's throughput: the batch form an archive of coded events would use.
    """
    by_coll: dict[str, list[int]] = defaultdict(list)
    for k, (_, e) in enumerate(pairs):
        by_coll[e["collection"]].append(k)
    answers: dict[int, tuple[int, int] | None] = {}
    started = time.perf_counter()
    for coll, ks in by_coll.items():
        items = [(pairs[k][0]["text"], (pairs[k][0]["verb"]["start"], pairs[k][0]["verb"]["end"]))
                 for k in ks]
        for k, top in zip(ks, geokit.locate_events(items, linker=folds[coll]), strict=True):
            answers[k] = (top.mention.start, top.mention.end) if top is not None else None
    took = time.perf_counter() - started
    print(f"geokit.locate_events: {len(pairs)} sentences in {took:.1f} s "
          f"({len(pairs) / took:.0f} sentences/s, batches of 64, one process)")
    return answers


def _gold_trigger(recs: list[dict], exs: list[dict], folds: dict[str, _locate.PlaceLinker],
                  limit: int | None, colls_shown: bool, api: bool = False) -> None:
    """The linker asked about the gold verb, each collection scored by a model not fitted on it.

    ``api``: also ask :func:`geokit.locate_events` (the public call: it geoparses
    and parses the text itself, where the linker row reads the trainer's cache).
    """
    raw: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    tok: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    pairs = list(zip(recs, exs, strict=True))[:limit]
    answers = _api_answers(pairs, folds) if api else {}
    for k, (rec, e) in enumerate(pairs):
        coll = e["collection"]
        spans = e["spans"]
        v = rec["verb"]["start"]
        near = min(spans, key=lambda s: min(abs(s[0] - v), abs(v - s[1]))) if spans else None
        located = answers.get(k)
        for counts, gold in ((raw, _raw(rec)), (tok, e["gold"])):
            _count(counts, coll, "linker", gold, trainer.decide(folds[coll], e))
            if api:
                _count(counts, coll, "locate_event", gold, located)
            _count(counts, coll, "first-place", gold, spans[0] if spans else None)
            _count(counts, coll, "nearest-place", gold, near)
    shown = exs[:limit] if limit else exs
    withs = [e for e in shown if e["gold"]]
    colls = ["ALL"] + (sorted({e["collection"] for e in shown}) if colls_shown else [])
    systems = ("linker", *(("locate_event",) if api else ()), "first-place", "nearest-place")
    for counts, how in ((raw, "the file's spans"), (tok, "token-offset spans read as tokens")):
        _table(f"gold trigger (the linker asked about the gold verb; leave one collection out;"
               f" {how})", counts, systems, colls)
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
    ap.add_argument("--api", action="store_true",
                    help="With --gold-trigger: also score geokit.locate_events on the gold verb.")
    ap.add_argument("--coverage", action="store_true",
                    help="Also say how often extract emits an event on the gold verb, and why not.")
    args = ap.parse_args(argv)
    path = Path(args.data) if args.data else dev_file("event_location_dev.jsonl")
    if path is None:
        print("event_location_dev.jsonl not found", file=sys.stderr)
        return 2
    # The whole file when folds are fitted (every collection's sentences), once.
    every = read_jsonl(path) if args.loco or args.gold_trigger or args.coverage else []
    recs = every[:args.limit] if every else read_jsonl(path, args.limit)
    exs, all_folds = _folds(path, every) if args.loco or args.gold_trigger else ([], {})
    # the verb's lemma where extract parses no sentence: the training script's cached parses
    lemmas = [_gold_lemma(r, p) for r, p in zip(
        recs, trainer.parse_records(path, every)[:len(recs)], strict=True)] if args.coverage else []
    probe = _Probe()
    rows: list[tuple[bool, str, str]] = []
    folds = all_folds if args.loco else {}
    triggers: dict[int, object] = {}
    names: list = []
    emit, unknown = event_stage._emit, event_stage.unknown_places
    shipped = _locate.default_linker

    def naming(*args, **kw):
        found = unknown(*args, **kw)
        names.extend(found)
        return found

    def recording(ctx, c, sent):
        found = emit(ctx, c, sent)
        for at, e in found:
            triggers.setdefault(at, e)
            if c.light is not None:
                # "continued their offensive in Aleppo": the annotators mark the
                # light verb, geokit reads the event from its noun; same event
                triggers.setdefault(ctx.base + c.light.idx, e)
        return found

    event_stage._emit = recording
    event_stage.unknown_places = naming
    if args.coverage:
        probe.install()
    # counts[(collection, system, part)] = [right, total], against the file's spans
    # and against them with token offsets read as tokens (trainer.gold_spans)
    counts: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    fixed: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    tokenizer = _nlp.load_nlp(_nlp.MODEL).tokenizer
    try:
        for k, rec in enumerate(recs):
            coll = rec.get("collection") or "?"
            probe.clear()
            if folds:
                fold = folds[coll]
                _locate.default_linker = lambda fold=fold: fold
            for name, span in answers(rec, triggers, names).items():
                _count(counts, coll, name, _raw(rec), span)
                _count(fixed, coll, name, trainer.gold_spans(rec, tokenizer), span)
            if args.coverage:
                rows.append((bool(trainer.gold_spans(rec, tokenizer)),
                             *probe.verdict(rec, lemmas[k])))
    finally:
        probe.uninstall()
        event_stage._emit, event_stage.unknown_places = emit, unknown
        _locate.default_linker = shipped
    colls = ["ALL"] + (sorted({k[0] for k in counts} - {"ALL"}) if args.by_collection else [])
    print(f"event_location_dev: {len(recs)} sentences")
    how = (" (linker fitted without the sentence's collection)" if folds else
           " (the packaged linker, fitted on all of this file)")
    _table(f"geokit.extract's event on the verb{how}; the file's spans", counts, SYSTEMS, colls)
    _table("the same; token-offset spans read as tokens", fixed, SYSTEMS, colls)
    if args.gold_trigger:
        _gold_trigger(every, exs, all_folds, args.limit, args.by_collection, args.api)
    if args.coverage:
        _coverage_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
