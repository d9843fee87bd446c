"""Score extracted events and actors against a hand-annotated gold file.

Matching (lenient, as event-coding evaluations do it; pure functions):

* **Actors** (per document): a predicted actor matches a gold actor when the
  ids are equal, the folded names are equal, or both are persons and one
  name's last word is the other's ("Ryder" / "Pat Ryder").
* **Events**: a predicted event matches a gold event when all hold:

  - the category is the gold one (gold may list several acceptable ones);
  - the source sets overlap, unless the gold source is empty: gold ``[]``
    means the text names no perpetrator ("were killed"), so any predicted
    source passes (the annotators' guideline: an unknown, not an impossible
    overlap); the target sets overlap unless the gold has no target. Two
    actor ids are the same actor when equal, when the predicted actor matches
    the gold one by the actor rule above (ids are labels: the extractor's
    ``org:baloch-liberation-army`` is the gold's ``org:bla`` when both are
    named "Baloch Liberation Army"), or when both are
    state-affiliated (state, government, leader, official, military) and have
    the same country: event coding assigns them to the state, as GDELT's
    country codes do;
  - the place: when the gold has none, anything; otherwise the predicted place
    is within 161 km of the gold's, or (gold ``geo_precision`` 1) in the same
    country.

  Precision is the share of predicted events that match some gold event;
  recall the share of gold events matched by some prediction (a restatement
  of a gold event is therefore not an error). Status, date and origin
  agreement are reported over the best match of each matched gold event (an
  origin agrees by the same distance/country rule as the place).

* **Place acc@161**: over the gold events that have a place and that some
  prediction matches by category and actors alone, the share where one such
  prediction has a place agreeing with the gold's (the rule above). It scores
  the place stage apart from finding the event.

* **Intervals** (:meth:`EventScores.intervals`): a percentile bootstrap over
  documents (the unit the annotators wrote and the errors cluster in), for
  sets of 16 to 58 paragraphs whose point figures move by 0.1 with their topics.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from geokit.events._actors import STATE_AFFILIATED
from geokit.geo import haversine_km
from geokit.models import Actor, Document, Event

__all__ = ["EventScores", "actor_matches", "event_matches", "load_gold", "score_documents"]




@dataclass(slots=True)
class EventScores:
    """Counts and rates of one evaluation."""

    events_predicted: int = 0
    events_gold: int = 0
    events_correct_pred: int = 0
    events_found_gold: int = 0
    actors_predicted: int = 0
    actors_gold: int = 0
    actors_correct_pred: int = 0
    actors_found_gold: int = 0
    status_agree: int = 0
    date_agree: int = 0
    date_gold: int = 0
    origin_agree: int = 0
    origin_gold: int = 0
    place_agree: int = 0
    place_gold: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)
    false_alarms: list[dict[str, Any]] = field(default_factory=list)
    #: Per document: (events predicted, predictions matching, gold events, gold matched).
    per_doc: list[tuple[int, int, int, int]] = field(default_factory=list)

    @staticmethod
    def _rate(a: int, b: int) -> float:
        return a / b if b else 1.0

    @property
    def event_precision(self) -> float:
        """Share of predicted events that match a gold event."""
        return self._rate(self.events_correct_pred, self.events_predicted)

    @property
    def event_recall(self) -> float:
        """Share of gold events matched."""
        return self._rate(self.events_found_gold, self.events_gold)

    @property
    def event_f1(self) -> float:
        """Harmonic mean of event precision and recall."""
        p, r = self.event_precision, self.event_recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def actor_precision(self) -> float:
        """Share of predicted actors that match a gold actor."""
        return self._rate(self.actors_correct_pred, self.actors_predicted)

    @property
    def actor_recall(self) -> float:
        """Share of gold actors found."""
        return self._rate(self.actors_found_gold, self.actors_gold)

    @property
    def status_accuracy(self) -> float:
        """Status agreement over matched gold events."""
        return self._rate(self.status_agree, self.events_found_gold)

    @property
    def date_accuracy(self) -> float:
        """Date agreement over matched gold events that have a gold date."""
        return self._rate(self.date_agree, self.date_gold)

    @property
    def origin_accuracy(self) -> float:
        """Origin agreement over matched gold events that have a gold origin."""
        return self._rate(self.origin_agree, self.origin_gold)

    @property
    def place_accuracy(self) -> float:
        """Place acc@161 over gold events with a place matched by category and actors."""
        return self._rate(self.place_agree, self.place_gold)

    def intervals(self, *, rounds: int = 1000, level: float = 0.95, seed: int = 0
                  ) -> dict[str, tuple[float, float]]:
        """Return bootstrap intervals of event precision, recall and F1.

        Documents are drawn with replacement ``rounds`` times (seeded: the same
        call gives the same intervals) and the rates recomputed from their
        pooled counts; the bounds are the ``(1 - level) / 2`` percentiles.

        Parameters
        ----------
        rounds : int, default 1000
        level : float, default 0.95
        seed : int, default 0

        Raises
        ------
        ValueError
            When ``rounds`` is below 1, ``level`` outside (0, 1), or no
            document was scored.

        Examples
        --------
        >>> s = EventScores(per_doc=[(2, 2, 2, 2), (2, 0, 2, 0)])
        >>> lo, hi = s.intervals(rounds=200)["precision"]
        >>> 0.0 <= lo < 0.5 < hi <= 1.0
        True
        """
        import numpy as np  # noqa: PLC0415 - only for intervals

        if rounds < 1 or not 0 < level < 1:
            raise ValueError(f"rounds must be >= 1 and level in (0, 1), got {rounds}, {level}")
        if not self.per_doc:
            raise ValueError("no document was scored")
        counts = np.asarray(self.per_doc, dtype=float)
        draws = np.random.default_rng(seed).integers(0, len(counts), (rounds, len(counts)))
        pred, ok, gold, found = counts[draws].sum(axis=1).T
        p = np.divide(ok, pred, out=np.ones_like(ok), where=pred > 0)
        r = np.divide(found, gold, out=np.ones_like(found), where=gold > 0)
        f = np.divide(2 * p * r, p + r, out=np.zeros_like(p), where=p + r > 0)
        tail = 100 * (1 - level) / 2
        return {name: (round(float(np.percentile(v, tail)), 4),
                       round(float(np.percentile(v, 100 - tail)), 4))
                for name, v in (("precision", p), ("recall", r), ("f1", f))}

    def to_dict(self) -> dict[str, Any]:
        """Return counts and rates as JSON."""
        return {
            "events": {"predicted": self.events_predicted, "gold": self.events_gold,
                       "precision": round(self.event_precision, 4),
                       "recall": round(self.event_recall, 4), "f1": round(self.event_f1, 4),
                       "status_accuracy": round(self.status_accuracy, 4),
                       "date_accuracy": round(self.date_accuracy, 4),
                       "origin_accuracy": round(self.origin_accuracy, 4),
                       "place_acc161": round(self.place_accuracy, 4),
                       "place_evaluated": self.place_gold},
            "actors": {"predicted": self.actors_predicted, "gold": self.actors_gold,
                       "precision": round(self.actor_precision, 4),
                       "recall": round(self.actor_recall, 4)},
        }


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    """Read a gold file, loading the ``text`` of documents given by ``file``.

    Relative paths are taken from the repository root (the parent of ``tests/``).
    """
    p = Path(path)
    data = json.loads(p.read_text(encoding="utf-8"))
    root = p.resolve().parents[2]
    docs = []
    for d in data["documents"]:
        d = dict(d)
        if "text" not in d:
            d["text"] = (root / d["file"]).read_text(encoding="utf-8")
        docs.append(d)
    return docs


def _fold(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", s.lower()).strip().removeprefix("the ")


# "Arakan Rohingya Salvation Army (ARSA)", "police (posts)": the gold files' names
# carry the annotators' notes in brackets; the name is what is outside them.
_NOTE = re.compile(r"\s*\([^)]*\)")


def _actor_same(p: Actor, g: Mapping[str, Any]) -> bool:
    if p.id == g["id"] or _fold(p.name) in (_fold(g["name"]), _fold(_NOTE.sub("", g["name"]))):
        return True
    if p.type in ("person", "leader", "official") and g["type"] in ("person", "leader",
                                                                      "official"):
        a, b = _fold(p.name).split(), _fold(g["name"]).split()
        return bool(a and b) and a[-1] == b[-1]
    if p.id.startswith("agent:") and g["id"].startswith("agent:"):
        # ids are labels: "Israeli civilians" is agent:civilians of Israel here and
        # agent:israeli-civilians in a gold file; the head noun and the country decide
        head = p.id.removeprefix("agent:").rsplit("-", 1)[-1]
        return head == g["id"].removeprefix("agent:").rsplit("-", 1)[-1] and (
            p.country == g.get("country"))
    return False


def actor_matches(pred: Sequence[Actor], gold: Sequence[Mapping[str, Any]]
                  ) -> tuple[int, int]:
    """Return (predicted actors matching some gold actor, gold actors found)."""
    ok_pred = sum(any(_actor_same(p, g) for g in gold) for p in pred)
    found = sum(any(_actor_same(p, g) for p in pred) for g in gold)
    return ok_pred, found


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return haversine_km(*a, *b)


def _same_actor(a: str, b: str, info: Mapping[str, tuple[str, str | None]]) -> bool:
    if a == b:
        return True
    ta, ca = info.get(a, ("", None))
    tb, cb = info.get(b, ("", None))
    return bool(ca) and ca == cb and ta in STATE_AFFILIATED and tb in STATE_AFFILIATED


def _overlap(pred: Iterable[str], gold: Iterable[str],
             info: Mapping[str, tuple[str, str | None]]) -> bool:
    return any(_same_actor(p, g, info) for p in pred for g in gold)


def _roles_match(e: Event, g: Mapping[str, Any], info: Mapping[str, tuple[str, str | None]]
                 ) -> bool:
    """Category and actors agree (the place aside)."""
    cats = g["category"] if isinstance(g["category"], list) else [g["category"]]
    if e.category not in cats:
        return False
    if g["source"] and not _overlap(e.source, g["source"], info):
        return False
    return not g["target"] or _overlap(e.target, g["target"], info)


def _event_match(e: Event, g: Mapping[str, Any], info: Mapping[str, tuple[str, str | None]]
                 ) -> bool:
    if not _roles_match(e, g, info):
        return False
    gp = g.get("place")
    return not gp or _place_agrees(e.place, gp)


def _place_agrees(p: Any, gp: Mapping[str, Any]) -> bool:
    if p is None:
        return False
    near = _km((p.lat, p.lon), (gp["lat"], gp["lon"])) <= 161
    same_country = gp.get("geo_precision") == 1 and gp.get("country") and \
        p.country == gp["country"]
    return bool(near or same_country)


def event_matches(pred: Sequence[Event], gold: Sequence[Mapping[str, Any]],
                  info: Mapping[str, tuple[str, str | None]]
                  ) -> tuple[list[bool], list[Event | None]]:
    """Return (per prediction: matches some gold) and (per gold: its best matching prediction)."""
    ok = [any(_event_match(e, g, info) for g in gold) for e in pred]
    best: list[Event | None] = []
    for g in gold:
        hits = [e for e in pred if _event_match(e, g, info)]
        hits.sort(key=lambda e: (e.status != g.get("status"), -e.confidence))
        best.append(hits[0] if hits else None)
    return ok, best


def score_documents(docs: Sequence[Document], gold: Sequence[Mapping[str, Any]]
                    ) -> EventScores:
    """Score extracted documents against gold documents (matched by id).

    Raises
    ------
    KeyError
        When a gold document has no extracted document with its id.
    """
    by_id = {d.id: d for d in docs}
    s = EventScores()
    for g in gold:
        doc = by_id[g["id"]]
        info = {a["id"]: (a["type"], a.get("country")) for a in g["actors"]}
        info.update({a.id: (a.type, a.country) for a in doc.actors})
        ok_a, found_a = actor_matches(doc.actors, g["actors"])
        s.actors_predicted += len(doc.actors)
        s.actors_gold += len(g["actors"])
        s.actors_correct_pred += ok_a
        s.actors_found_gold += found_a
        events = _in_gold_ids(doc, g["actors"])
        ok, best = event_matches(events, g["events"], info)
        # report the extractor's own events and ids
        best = [None if b is None else doc.events[events.index(b)] for b in best]
        s.events_predicted += len(doc.events)
        s.events_gold += len(g["events"])
        s.events_correct_pred += sum(ok)
        s.per_doc.append((len(doc.events), sum(ok), len(g["events"]),
                          sum(b is not None for b in best)))
        for e, hit in zip(doc.events, ok, strict=True):
            if not hit:
                s.false_alarms.append({"doc": doc.id, "category": e.category,
                                       "source": e.source, "target": e.target,
                                       "place": e.place.name if e.place else None,
                                       "evidence": e.evidence.text[:120]})
        _score_places(s, events, g["events"], info)
        for ge, b in zip(g["events"], best, strict=True):
            if b is None:
                s.misses.append({"doc": doc.id, "id": ge["id"], "category": ge["category"],
                                 "evidence": ge["evidence"][:120]})
                continue
            s.events_found_gold += 1
            s.status_agree += b.status == ge.get("status")
            if ge.get("origin"):
                s.origin_gold += 1
                s.origin_agree += _place_agrees(b.origin, ge["origin"])
            if ge.get("date"):
                s.date_gold += 1
                s.date_agree += bool(b.date) and (b.date.startswith(ge["date"])
                                                  or ge["date"].startswith(b.date))
    return s


def _in_gold_ids(doc: Document, gold_actors: Sequence[Mapping[str, Any]]) -> list[Event]:
    """Return the document's events, each actor id replaced by a gold actor's it matches."""
    rename = {}
    for a in doc.actors:
        same = [g["id"] for g in gold_actors if _actor_same(a, g)]
        if same and a.id not in same:
            rename[a.id] = same[0]
    return [replace(e, source=tuple(rename.get(i, i) for i in e.source),
                    target=tuple(rename.get(i, i) for i in e.target)) if rename else e
            for e in doc.events]


def _score_places(s: EventScores, pred: Sequence[Event], gold: Sequence[Mapping[str, Any]],
                  info: Mapping[str, tuple[str, str | None]]) -> None:
    """Count place agreement over gold events found by category and actors alone."""
    for g in gold:
        if not g.get("place"):
            continue
        hits = [e for e in pred if _roles_match(e, g, info)]
        if not hits:
            continue
        s.place_gold += 1
        s.place_agree += any(_place_agrees(e.place, g["place"]) for e in hits)


def main(argv: Sequence[str] | None = None) -> None:
    """Score ``geokit.extract`` on gold files: ``python -m geokit.eval._events GOLD.json ...``."""
    import argparse  # noqa: PLC0415

    from geokit.events._extract import extract_many  # noqa: PLC0415

    ap = argparse.ArgumentParser(description="Score events and actors against gold files.")
    ap.add_argument("gold", nargs="+")
    ap.add_argument("-v", "--verbose", action="store_true", help="List misses and false alarms.")
    args = ap.parse_args(argv)
    for path in args.gold:
        gold = load_gold(path)
        docs = list(extract_many((g["text"], {"id": g["id"], "date": g.get("date")})
                                 for g in gold))
        s = score_documents(docs, gold)
        print(Path(path).name, json.dumps(s.to_dict()))
        if args.verbose:
            for m in s.misses:
                print("  miss", json.dumps(m, ensure_ascii=False))
            for m in s.false_alarms:
                print("  false", json.dumps(m, ensure_ascii=False))


if __name__ == "__main__":
    main()
