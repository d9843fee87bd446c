"""The event's own place: which recognised place in the sentence is where the event happened.

A small linear model over the sentence's syntax. The candidates are the places
the geoparser recognised in the trigger's sentence (the event stage parses the
sentence past its dateline, so a dateline is never one) and the names of places
the index lacks that the event stage reads by a place noun or a place's slot
("the Al-Hamdan Airbase", "in Bapunagar"); "no place" is an option of its
own. Features say how
the place hangs on the trigger: the preposition that governs it ("in", "near",
"from"), whether it sits in the trigger's own clause or in its subject, the
length of the dependency path and the verbs on it, whether it only modifies a
noun ("Liberian-flagged", "Gaza-based", "Syria's"), its feature class, and
how many places the sentence has.

The model is a choice among the candidates and "no place" (a conditional
logit, as in discrete-choice models): each candidate's score is a dot product
of its features, and "no place" has a score of its own, read from the
sentence as a whole (how many candidates it has, the best value of each
candidate feature among them). The highest score wins. Scoring the options
against one another, rather than each candidate alone against a fixed
threshold, lets a weak place win where nothing better stands and lose where
another hangs on the trigger (leave-one-collection-out accuracy on
event_location, the gold verb given: 0.782 with a threshold, 0.803 as a choice).

The weights are data (``data/place_linker.json``), fitted by
``data/train_place_linker.py`` on ``event_location_dev.jsonl`` (Halterman's
event_location, MIT); at run time scoring is a dot product.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from geokit.errors import InputError
from geokit.models import Toponym

__all__ = ["FEATURES", "NONE_FEATURES", "PLACE_NOUN_SOURCE", "PLACE_SLOT_SOURCE",
           "UNKNOWN_PLACE_SOURCES", "PlaceLinker", "candidate_features", "default_linker",
           "link", "none_features"]

_MODEL_FILE = Path(__file__).resolve().parent / "data" / "place_linker.json"

#: Prepositions with a feature of their own; any other is ``prep_other``.
_PREPS = ("in", "at", "near", "outside", "inside", "from", "to", "into", "across", "on",
          "around", "throughout", "within", "toward", "towards", "of", "by", "for", "with",
          "against", "over", "between", "off", "along", "through", "north", "south", "east",
          "west", "like", "about")
# Where something happens, as opposed to where it comes from or goes.
_LOCATIVE = frozenset({"in", "at", "near", "outside", "inside", "across", "on", "around",
                       "throughout", "within", "along", "off", "over", "through", "north",
                       "south", "east", "west"})
_DIRECTIONAL = frozenset({"to", "into", "toward", "towards"})
# Heads of a phrase that is a place named in its "of" phrase ("the town of Bakwa").
_PLACE_NOUNS = frozenset({
    "town", "city", "village", "port", "region", "district", "province", "area", "capital",
    "suburb", "suburbs", "outskirts", "camp", "neighbourhood", "neighborhood", "state",
    "county", "island", "enclave", "municipality", "hamlet", "settlement", "governorate",
    "centre", "center", "heart", "streets", "territory", "stronghold", "base", "part",
    "parts", "north", "south", "east", "west", "border", "coast", "shores", "waters"})
#: Mention source of a place name the gazetteer lacks, known by the place noun beside it
#: ("the village of Dogo Nahawa"; geokit/events/_events.unknown_places): a candidate too.
PLACE_NOUN_SOURCE = "place-noun"
#: Mention source of a place name the gazetteer lacks, known by the slot it fills
#: ("in Bapunagar", "stormed Tall Kurdi"; data/place_slots.csv): a candidate too.
PLACE_SLOT_SOURCE = "place-slot"
#: The sources of names the event stage reads as places the index lacks.
UNKNOWN_PLACE_SOURCES = frozenset({PLACE_NOUN_SOURCE, PLACE_SLOT_SOURCE})
_CLASSES = {"country": "country", "admin1": "admin", "admin2": "admin", "capital": "city",
            "city": "city", "sea": "water", "continent": "region", "region": "region"}

#: The model's feature names, in the order of its weights.
FEATURES: tuple[str, ...] = (
    *(f"prep_{p}" for p in _PREPS), "prep_other", "prep_none",
    "att_dobj", "att_nsubj", "att_nsubjpass", "att_pobj", "att_other",
    "own_compound", "own_amod", "own_poss", "own_appos", "hyphen_mod",
    "cls_country", "cls_admin", "cls_city", "cls_water", "cls_region", "cls_unknown", "cls_slot",
    "on_trigger", "on_trigger_object", "under_trigger", "under_subject", "same_clause",
    "related_clause", "locative_on_trigger", "locative_same_clause", "directional_on_trigger",
    "from_on_trigger", "path_len", "path_up", "path_down", "verbs_between", "verb_between",
    "after_trigger", "token_distance", "nearest", "first", "several", "trigger_noun",
    "sentence_initial", "place_subclause", "trigger_subclause",
)


#: Features of the "no place" option: a constant, how many candidates the
#: sentence has, and the best value of each candidate feature among them
#: ("no place" is likelier where no candidate hangs on the trigger).
NONE_FEATURES: tuple[str, ...] = ("none_bias", "none_candidates",
                                  *(f"best_{n}" for n in FEATURES))


def none_features(cands: Sequence[Mapping[str, float]]) -> dict[str, float]:
    """Return the features of the "no place" option of a sentence with these candidates.

    Parameters
    ----------
    cands : sequence of dict
        The candidates' features (:func:`candidate_features`).

    Returns
    -------
    dict
        Keyed by :data:`NONE_FEATURES`.
    """
    out = {"none_bias": 1.0, "none_candidates": min(len(cands), 6) / 6}
    for n in FEATURES:
        out[f"best_{n}"] = max((f.get(n, 0.0) for f in cands), default=0.0)
    return out


@dataclass(frozen=True)
class PlaceLinker:
    """A choice among a sentence's candidate places and "no place".

    Attributes
    ----------
    features : tuple of str
        Candidate feature names, in the order of ``weights``.
    weights : tuple of float
    none_features : tuple of str
        Feature names of the "no place" option, in the order of ``none_weights``.
    none_weights : tuple of float
    """

    features: tuple[str, ...]
    weights: tuple[float, ...]
    none_features: tuple[str, ...]
    none_weights: tuple[float, ...]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PlaceLinker:
        """Read a model from its JSON form; feature names must be the feature functions'.

        Raises
        ------
        InputError
            The names or the number of weights do not match :data:`FEATURES`
            and :data:`NONE_FEATURES`.
        """
        names = tuple(data.get("features", ()))
        weights = tuple(float(w) for w in data.get("weights", ()))
        none_names = tuple(data.get("none_features", ()))
        none_weights = tuple(float(w) for w in data.get("none_weights", ()))
        if (names != FEATURES or len(weights) != len(names) or none_names != NONE_FEATURES
                or len(none_weights) != len(none_names)):
            raise InputError("model does not match the feature function (retrain with "
                             "geokit/events/data/train_place_linker.py)", source="place linker")
        return cls(names, weights, none_names, none_weights)

    def choose(self, cands: Sequence[Mapping[str, float]]) -> tuple[int | None, float]:
        """Return the chosen candidate's index (None for no place) and its probability.

        Parameters
        ----------
        cands : sequence of dict
            The sentence's candidates' features (:func:`candidate_features`).

        Returns
        -------
        (int or None, float)
            The option with the highest score, and the share of probability
            the model gives it among all the options.
        """
        if not cands:
            return None, 1.0
        scores = [sum(w * f.get(n, 0.0) for n, w in zip(self.features, self.weights,
                                                        strict=True)) for f in cands]
        nf = none_features(cands)
        scores.append(sum(w * nf[n] for n, w in zip(self.none_features, self.none_weights,
                                                    strict=True)))
        top = max(scores)
        exp = [math.exp(z - top) for z in scores]
        k = scores.index(top)
        return (k if k < len(cands) else None), exp[k] / sum(exp)


@lru_cache(maxsize=1)
def default_linker() -> PlaceLinker:
    """Return the packaged model (``data/place_linker.json``)."""
    try:
        data = json.loads(_MODEL_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the model: {exc}", source=str(_MODEL_FILE)) from exc
    return PlaceLinker.from_dict(data)


def _token_of(sdoc: Any, base: int, top: Toponym) -> Any:
    span = sdoc.char_span(top.mention.start - base, top.mention.end - base,
                          alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _attach(tok: Any) -> Any:
    """Climb from a place's word through names, lists and "the town of" to where it hangs."""
    t = tok
    for _ in range(8):
        if t.dep_ in ("compound", "appos", "conj", "nmod", "amod") and t.head.i != t.i:
            t = t.head
        elif (t.dep_ == "pobj" and t.head.lower_ == "of" and t.head.head.i != t.head.i
              and t.head.head.lemma_.lower() in _PLACE_NOUNS):
            t = t.head.head
        else:
            break
    return t


def _ancestors(tok: Any) -> list[Any]:
    """Return the word and its heads up to the sentence's root, each once."""
    # spaCy makes a new Token at every access: tokens are compared by index
    # (``.i``, one doc), never by identity, which is never true.
    out = [tok]
    while len(out) < 60:
        head = out[-1].head
        if head.i == out[-1].i:
            break
        out.append(head)
    return out


def _clause(tok: Any) -> Any:
    """Return the nearest verb above a word (itself when it is one)."""
    for t in _ancestors(tok):
        if t.pos_ in ("VERB", "AUX"):
            return t
    return tok.sent.root


def _is_under(tok: Any, top: Any) -> bool:
    return any(t.i == top.i for t in _ancestors(tok))


_CLAUSE_DEPS = frozenset({"relcl", "acl", "advcl", "ccomp", "csubj", "parataxis", "conj"})


def _path(trig: Any, tok: Any) -> tuple[int, int, int, bool, bool]:
    """Return the path between trigger and place.

    Steps up from the trigger and down to the place, the verbs between, and
    whether each side climbs out of a clause of its own ("students who had
    studied in Germany": the place's side does).
    """
    up = _ancestors(trig)
    down = _ancestors(tok)
    ids = {t.i: k for k, t in enumerate(up)}
    for j, t in enumerate(down):
        if t.i in ids:
            k = ids[t.i]
            between = [*up[1:k + 1], *down[1:j]]
            verbs = sum(1 for b in between if b.pos_ == "VERB" and b.i not in (trig.i, tok.i))
            return (k, j, verbs, any(x.dep_ in _CLAUSE_DEPS for x in down[:j]),
                    any(x.dep_ in _CLAUSE_DEPS for x in up[:k]))
    return len(up), len(down), 3, True, True


def _in_relative_clause(trig: Any, tok: Any) -> bool:
    """Whether the place sits in a relative clause the trigger is not in."""
    up = {t.i for t in _ancestors(trig)}
    for t in _ancestors(tok):
        if t.i in up:
            return False
        if t.dep_ == "relcl":
            return True
    return False


def _origin_elsewhere(trig: Any, tok: Any) -> bool:
    """Whether the place is where another clause's action comes "from" (the reporter's line).

    "Speaking by telephone from Kinshasa, the official said soldiers had
    looted shops": Kinshasa is the speaker's, not the looting's; but "people
    from Gaza were killed" keeps Gaza for the killing's own clause to judge.
    """
    att = _attach(tok)
    if att.dep_ != "pobj" or att.head.lower_ != "from":
        return False
    return att.head.head.i != trig.i and _clause(att.head).i != trig.i


def candidate_features(text: str, base: int, sdoc: Any, trig: Any,
                       tops: Sequence[Toponym]) -> list[tuple[Toponym, dict[str, float]]]:
    """Return each candidate place of a trigger with its features.

    Parameters
    ----------
    text : str
        The document.
    base : int
        Offset of the parsed sentence in ``text``.
    sdoc : spacy Doc
        The parsed sentence.
    trig : spacy Token
        The event's trigger in ``sdoc``.
    tops : sequence of Toponym
        The geoparser's toponyms, and the names the event stage reads beside a
        place noun or in a place's slot (sources :data:`UNKNOWN_PLACE_SOURCES`,
        no place); those outside
        the sentence, others unresolved, or naming a people or an institution
        ("Russian", "the Kremlin") are no candidates, nor places in a relative
        clause the trigger is not in, nor where another verb's action comes from.

    Returns
    -------
    list of (Toponym, dict)
        In text order.
    """
    end = base + len(sdoc.text)
    # text order: "first" and "nearest" are read from it, and the unknown names
    # come after the geoparser's toponyms
    cands = [(t, tok) for t in sorted(tops, key=lambda t: t.mention.start)
             if base <= t.mention.start and t.mention.end <= end
             and t.mention.kind == "place" and (
                 t.mention.source in UNKNOWN_PLACE_SOURCES if t.place is None
                 else t.place.feature not in ("demonym", "metonym"))
             and (tok := _token_of(sdoc, base, t)) is not None
             # "students who had studied in Germany": another clause's place;
             # "speaking by telephone from Kinshasa": another verb's origin
             and not _in_relative_clause(trig, tok) and not _origin_elsewhere(trig, tok)]
    if not cands:
        return []
    dists = [abs(tok.i - trig.i) for _, tok in cands]
    subjects = [c for c in trig.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
    objects = {c.i for c in trig.children if c.dep_ in ("dobj", "nsubjpass", "attr")}
    clause = _clause(trig)
    out = []
    for k, (top, tok) in enumerate(cands):
        f = _syntax(text, top, tok, trig, objects, clause)
        f["under_subject"] = float(any(_is_under(tok, s) for s in subjects))
        f["nearest"] = float(dists[k] == min(dists))
        f["first"] = float(k == 0)
        f["several"] = float(len(cands) > 1)
        f["token_distance"] = min(dists[k], 30) / 30
        f["cls_" + (_CLASSES.get(top.place.feature, "city") if top.place else "unknown"
                    if top.mention.source == PLACE_NOUN_SOURCE else "slot")] = 1.0
        out.append((top, f))
    return out


def _syntax(text: str, top: Toponym, tok: Any, trig: Any, objects: set[int],
            clause: Any) -> dict[str, float]:
    """Return the features of how one place's word hangs on the trigger."""
    f: dict[str, float] = {}
    att = _attach(tok)
    prep = att.head if att.dep_ == "pobj" else None
    word = prep.lower_ if prep is not None else None
    f["prep_none" if word is None else f"prep_{word}" if word in _PREPS else "prep_other"] = 1.0
    dep = att.dep_ if att.dep_ in ("dobj", "nsubj", "nsubjpass", "pobj") else "other"
    f[f"att_{dep}"] = 1.0
    f["own_compound"] = float(tok.dep_ == "compound")
    f["own_amod"] = float(tok.dep_ == "amod")
    f["own_poss"] = float(tok.dep_ == "poss" or text[top.mention.end:top.mention.end + 2]
                          in ("'s", "’s"))
    f["own_appos"] = float(tok.dep_ == "appos")
    f["hyphen_mod"] = float(bool(re.match(r"-[a-z]", text[top.mention.end:
                                                          top.mention.end + 2])))
    host = prep.head if prep is not None else att.head
    on_trigger = trig.i in (host.i, att.i)
    f["on_trigger"] = float(on_trigger)
    f["on_trigger_object"] = float(host.i in objects or att.i in objects)
    f["under_trigger"] = float(_is_under(tok, trig))
    tc = _clause(att)
    same = tc.i == clause.i
    f["same_clause"] = float(same)
    f["related_clause"] = float(not same and (tc.head.i == clause.i or clause.head.i == tc.i))
    f["locative_on_trigger"] = float(on_trigger and word in _LOCATIVE)
    f["locative_same_clause"] = float(same and word in _LOCATIVE)
    f["directional_on_trigger"] = float(on_trigger and word in _DIRECTIONAL)
    f["from_on_trigger"] = float(on_trigger and word == "from")
    up, down, verbs, place_sub, trig_sub = _path(trig, tok)
    f["place_subclause"] = float(place_sub)
    f["trigger_subclause"] = float(trig_sub)
    f["path_len"] = min(up + down, 10) / 10
    f["path_up"] = min(up, 5) / 5
    f["path_down"] = min(down, 5) / 5
    f["verbs_between"] = min(verbs, 3) / 3
    f["verb_between"] = float(verbs > 0)
    f["after_trigger"] = float(tok.i > trig.i)
    f["trigger_noun"] = float(trig.pos_ in ("NOUN", "PROPN"))
    # "In Baghdad, ...": a fronted place sets the scene of the whole sentence
    f["sentence_initial"] = float(word is not None and prep.i == 0)
    return f


def link(text: str, base: int, sdoc: Any, trig: Any, tops: Sequence[Toponym], *,
         model: PlaceLinker | None = None, exclude: Sequence[tuple[int, int]] = ()
         ) -> Toponym | None:
    """Return the event's own place among the sentence's toponyms, or None.

    Parameters
    ----------
    text, base, sdoc, trig, tops
        As for :func:`candidate_features`.
    model : PlaceLinker, optional
        Default: :func:`default_linker`.
    exclude : sequence of (start, end)
        Spans (an actor's mention) whose places are never the event's:
        "Yemen's Houthis" do not put the event in Yemen.

    Returns
    -------
    Toponym or None
        The model's choice among the candidates and "no place" (None: the
        sentence gives no place of the event).
    """
    model = model or default_linker()
    cands = [(top, feats) for top, feats in candidate_features(text, base, sdoc, trig, tops)
             if not any(a <= top.mention.start < b for a, b in exclude)]
    k, _ = model.choose([feats for _, feats in cands])
    return cands[k][0] if k is not None else None
