"""Geoparsing: text -> toponym mentions -> places resolved with the whole document.

:func:`geoparse` recognises the toponyms of a text (:mod:`geokit.geoparse._recognize`)
and resolves each with the gazetteer in two passes. The first ranks every
name alone (population, feature and name-match priors). The second ranks
again with what the *other* mentions say: the countries and first-level
subdivisions of their confident readings, their points (distance), and an
admin qualifier written next to the name ("Bangor, Maine"). A text about
Luhansk and Kyiv thus puts "Donetsk" in Ukraine.

The ranking's softmax score is then calibrated (:data:`CALIBRATION`, one
isotonic map each for large areas, first-level subdivisions and points) so
that of places scored about 0.8, about 80 % lie within 161 km of the truth on
the dev data it was fitted on; places whose calibrated score is below
``min_score`` are left unresolved (abstention).
"""

from __future__ import annotations

import bisect
import csv
import re
import threading
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geokit.errors import ConfigurationError, InputError, scrub_surrogates
from geokit.gazetteer._index import admin1_key
from geokit.gazetteer._normalize import normalize_name
from geokit.gazetteer._rank import Context, MatchRow, NearIndex, rank_candidates
from geokit.geoparse._nlp import MODEL, Steps, run_steps
from geokit.geoparse._recognize import CAPITAL_HEADS, Recognizer, spans_to_mentions
from geokit.models import Document, Mention, Place, Toponym

__all__ = [
    "AREA_FEATURES", "CALIBRATION", "CALIBRATION_GROUPS", "Geoparser", "calibrate",
    "calibration_group", "geoparse",
]

_LIMIT = 10
# A first-pass reading at least this sure counts as context for the others.
_CONFIDENT = 0.5
# Two countries holding this much of a name's first reading between them.
_SPLIT_SHARE = 0.9
_QUALIFIER_FEATURES = frozenset(("country", "admin1", "admin2"))
# Points of these features measure nearness; a state's or country's centroid
# says little about where in it a town lies.
_POINT_FEATURES = frozenset(("city", "capital", "admin2", "metonym"))
# "Pyongyang announced": a capital or country as the speaker is a metonym.
_SPEECH = re.compile(
    r"^\s*(?:has |had |have |also |later |then )?(?:said|says|say|announced|announces|"
    r"warned|warns|denied|denies|claimed|claims|stated|states|accused|accuses|threatened|"
    r"condemned|condemns|rejected|rejects|insisted|insists|confirmed|confirms|agreed|"
    r"signed|responded|urged|urges|vowed|vows|demanded|demands|"
    # a capital that hopes or fears is its government ("Kyiv hopes that ...")
    r"hopes|hoped|fears|feared|believes|believed|wants|wanted|expects)\b"
)

_CALIBRATION_FILE = Path(__file__).with_name("calibration.csv")
#: Features whose point stands for a large area: a country's point is often
#: more than 161 km from where a gold annotator put it, so the same raw score
#: means less for it than for a town. These, first-level subdivisions and
#: points (towns, counties, metonyms) each get their own map.
AREA_FEATURES = frozenset(("country", "continent", "region", "sea", "demonym"))
CALIBRATION_GROUPS = ("area", "admin1", "point")
_IDENTITY = ((0.0, 0.0), (1.0, 1.0))
Table = tuple[tuple[float, float], ...]


def calibration_group(feature: str) -> str:
    """Return the calibration map a place of this feature uses (:data:`CALIBRATION_GROUPS`)."""
    if feature in AREA_FEATURES:
        return "area"
    return "admin1" if feature == "admin1" else "point"


def _load_calibration(path: Path = _CALIBRATION_FILE) -> dict[str, Table]:
    """Read the calibration knots per group; identity maps when the file is absent."""
    tables: dict[str, list[tuple[float, float]]] = {g: [] for g in CALIBRATION_GROUPS}
    if path.exists():
        try:
            with path.open(encoding="utf-8", newline="") as fh:
                for r in csv.DictReader(fh):
                    tables[r["group"]].append((float(r["raw"]), float(r["calibrated"])))
        except (KeyError, ValueError) as exc:
            raise ConfigurationError(f"bad calibration table {path}: {exc}") from exc
    out = {}
    for group, table in tables.items():
        xs, ys = [x for x, _ in table], [y for _, y in table]
        if table and (len(table) < 2 or xs != sorted(xs) or ys != sorted(ys)):
            raise ConfigurationError(f"calibration table {path}, group {group!r}: need at "
                                     "least two non-decreasing (raw, calibrated) knots")
        out[group] = tuple(table) or _IDENTITY
    return out


#: Piecewise-linear maps (one per :func:`calibration_group`) from the ranking's
#: raw score to a calibrated probability of being within 161 km: isotonic
#: regression on dev gold spans, made by ``bench/fit_calibration.py`` and
#: stored in ``geokit/geoparse/calibration.csv`` (each row names its fit data).
CALIBRATION: dict[str, Table] = _load_calibration()


def calibrate(raw: float, table: Sequence[tuple[float, float]] = _IDENTITY) -> float:
    """Map a raw ranking score to a calibrated probability (piecewise linear).

    Examples
    --------
    >>> calibrate(0.5, ((0.0, 0.0), (1.0, 0.8)))
    0.4
    """
    xs = [x for x, _ in table]
    k = bisect.bisect_right(xs, raw)
    if k <= 0:
        return table[0][1]
    if k >= len(table):
        return table[-1][1]
    (x0, y0), (x1, y1) = table[k - 1], table[k]
    return y0 + (y1 - y0) * (raw - x0) / (x1 - x0) if x1 > x0 else y1


@dataclass(frozen=True, slots=True)
class _Reading:
    """One mention during resolution: its candidates and first-pass best."""

    mention: Mention
    rows: tuple[MatchRow, ...]
    first: Place | None
    qualifier: tuple[MatchRow, ...] = ()
    qualifier_text: str = ""
    head: str = ""  # the lower-case word after the name ("region", "city")
    two_countries: bool = False  # the first two readings: countries sharing nearly all of it


# "the Kherson region", "Idlib city": the word after a name (same line).
_HEAD = re.compile(r"[ \t]+([a-z]+|[A-Z][a-z]+)\b")
# A name given with its subdivision word ("Nad Ali District") that the index
# lacks whole is looked up without it, before any fuzzy match ("Noakhali District").
_NAME_HEAD = re.compile(r"^(.+?)\s+([A-Z][a-z]+|[a-z]+)$")


class Geoparser:
    """Recognises and resolves toponyms (holds the gazetteer and the NER model).

    Parameters
    ----------
    gazetteer : Gazetteer, optional
        Default: the process-wide index (:meth:`Gazetteer.default`).
    ner : {"auto", "all", "off"}, default "auto"
        When to run the NER model: on sentences with ambiguous names only,
        on every sentence, or never.
    ner_model : str
        spaCy pipeline for NER (any installed English pipeline, e.g.
        ``"en_core_web_trf"``).
    """

    _default: dict[tuple[str, str], Geoparser] = {}
    _lock = threading.Lock()

    def __init__(self, gazetteer: Any = None, *, ner: str = "auto",
                 ner_model: str = MODEL) -> None:
        from geokit.gazetteer._index import Gazetteer

        self.gazetteer = gazetteer or Gazetteer.default()
        self.recognizer = Recognizer(self.gazetteer, ner=ner, ner_model=ner_model)

    @classmethod
    def default(cls, *, ner: str = "auto", ner_model: str = MODEL) -> Geoparser:
        """Return the process-wide geoparser for these options (built once)."""
        from geokit.gazetteer._index import Gazetteer

        with cls._lock:
            gp = cls._default.get((ner, ner_model))
            if gp is None or gp.gazetteer is not Gazetteer.default():
                gp = cls(ner=ner, ner_model=ner_model)
                cls._default[(ner, ner_model)] = gp
            return gp

    # ------------------------------------------------------------ resolution

    def _rows(self, name: str) -> tuple[MatchRow, ...]:
        return self._rows_head(name)[0]

    def _rows_head(self, name: str) -> tuple[tuple[MatchRow, ...], str]:
        """Return the name's index rows, and the subdivision word they were found without."""
        head = ""
        rows = self.gazetteer.candidates(name, fuzzy=False)
        split = _NAME_HEAD.match(name) if not rows else None
        if split is not None and split.group(2).lower() in CAPITAL_HEADS:
            rows = self.gazetteer.candidates(split.group(1), fuzzy=False)
            head = split.group(2).lower() if rows else ""
        if not rows:
            rows = self.gazetteer.candidates(name, fuzzy=True)
        return tuple(r for r in rows if r.kind != "code") or tuple(rows), head

    def _readings(self, text: str, mentions: Sequence[Mention]) -> list[_Reading]:
        readings = []
        for k, m in enumerate(mentions):
            rows, own = self._rows_head(m.name) if normalize_name(m.name) else ((), "")
            top = rank_candidates(rows, limit=2) if rows else []
            first = top[0] if top else None
            qual: tuple[MatchRow, ...] = ()
            qtext = ""
            # "Bangor, Maine": the next mention right after a comma qualifies this one.
            if k + 1 < len(mentions):
                nxt = mentions[k + 1]
                gap = text[m.end:nxt.start]
                if gap.strip() == "," and len(gap) <= 3:
                    qrows = tuple(r for r in self._rows(nxt.name)
                                  if r.feature in _QUALIFIER_FEATURES)
                    if qrows:
                        qual, qtext = qrows, nxt.name
            head = _HEAD.match(text, m.end)
            word = head.group(1) if head else ""
            # "Helmand Province": a capitalised word counts only as a subdivision word
            word = word.lower() if word.islower() or word.lower() in CAPITAL_HEADS else ""
            readings.append(_Reading(m, tuple(rows), first, qual, qtext, own or word,
                                     _two_countries(top)))
        return readings

    @staticmethod
    def _evidence(readings: Sequence[_Reading]) -> list[tuple[str, Place, str | None] | None]:
        """Return what each confident first-pass reading tells the others (once per text).

        A name split between two countries ("Congo": the Democratic Republic or
        the Republic, about half each) is no confident reading, but it still
        says where the text is: the likelier country counts ("Beni in Congo" is
        Congo's Beni, not Bolivia's department).
        """
        out: list[tuple[str, Place, str | None] | None] = []
        for r in readings:
            p = r.first
            if p is None or (p.score < _CONFIDENT and not r.two_countries):
                out.append(None)
            else:
                out.append((normalize_name(r.mention.name), p, admin1_key(p)))
        return out

    def resolve_mentions(self, text: str, mentions: Sequence[Mention], *,
                         min_score: float = 0.0,
                         context: Sequence[Mention] = ()) -> tuple[Toponym, ...]:
        """Resolve mentions of one text with the document as context.

        Parameters
        ----------
        text : str
            The document.
        mentions : sequence of Mention
            Spans of ``text`` (recognised or given).
        min_score : float
            Abstain (``place=None``) below this calibrated score.
        context : sequence of Mention
            Other mentions of the text that inform the resolution (countries,
            subdivisions, nearby places, "Name, Qualifier") without being
            resolved themselves: what the rest of a text says when only some
            spans are given.

        Returns
        -------
        tuple of Toponym
            One per mention, in the given order.
        """
        every = [*mentions, *context]
        # Readings in text order, so "Lima, Ohio" finds its qualifier even when
        # only "Lima" was given; then back in the caller's order.
        order = sorted(range(len(every)), key=lambda i: (every[i].start, i))
        in_text_order = self._readings(text, [every[i] for i in order])
        readings: list[_Reading] = [in_text_order[0]] * len(every) if every else []
        for pos, i in enumerate(order):
            readings[i] = in_text_order[pos]
        shared = _SharedContext(readings, self._evidence(readings))
        ranked_by_name: dict[tuple[str, str], list[Place]] = {}
        out = []
        for r in readings[:len(mentions)]:
            m = r.mention
            if not r.rows:
                out.append(Toponym(mention=m, place=None, score=0.0, why="no gazetteer entry"))
                continue
            # A name (with the same qualifier) has the same candidates and context
            # wherever it recurs: rank it once per text.
            key = (m.name, r.qualifier_text)
            ranked = ranked_by_name.get(key)
            if ranked is None:
                ranked = ranked_by_name[key] = rank_candidates(
                    r.rows, context=shared.context(r), limit=_LIMIT)
            best = ranked[0]
            score = calibrate(best.score, CALIBRATION[calibration_group(best.feature)])
            if m.kind == "place" and best.feature in ("capital", "country") and _SPEECH.match(
                    text[m.end:m.end + 40]):
                m = Mention(start=m.start, end=m.end, name=m.name, kind="metonym",
                            source=m.source, label=m.label)
            elif m.kind == "place" and best.feature in ("demonym", "metonym"):
                m = Mention(start=m.start, end=m.end, name=m.name, kind=best.feature,
                            source=m.source, label=m.label)
            place = best if score >= min_score else None
            why = best.why if place else f"abstained: score {score:.2f} < {min_score:.2f}"
            out.append(Toponym(mention=m, place=place, score=score, why=why,
                               candidates=tuple(ranked)))
        return tuple(out)

    def context_mentions(self, text: str, given: Sequence[Mention]) -> list[Mention]:
        """Return the places the recogniser finds in ``text`` outside the ``given`` spans.

        Given spans (gold-span mode, a user's own spans) are resolved with the
        whole document as context, as recognised mentions are: the other
        places of the text are evidence even when they are not asked about.
        """
        return _outside(self.recognizer.recognize(text), given)

    # ------------------------------------------------------------ entry point

    def geoparse(self, text: str, *, id: str = "doc", date: str | None = None,
                 meta: Mapping[str, Any] | None = None, min_score: float = 0.0,
                 spans: Iterable[tuple[int, int]] | None = None) -> Document:
        """Geoparse one text; see :func:`geoparse`."""
        return run_steps(self.geoparse_steps(text, id=id, date=date, meta=meta,
                                             min_score=min_score, spans=spans))

    def geoparse_steps(self, text: str, *, id: str = "doc", date: str | None = None,
                       meta: Mapping[str, Any] | None = None, min_score: float = 0.0,
                       spans: Iterable[tuple[int, int]] | None = None) -> Steps[Document]:
        """Return :meth:`geoparse` as steps, its NER a :class:`~._nlp.Request`.

        :func:`~geokit.geoparse._nlp.run_many_steps` drives many documents'
        steps together, so that their NER windows go to the model in one call.
        """
        if not isinstance(text, str):
            raise InputError(f"text must be a str, got {type(text).__name__}", source=id)
        # Lone surrogates crash spaCy and every writer; one-for-one, so offsets hold.
        text = scrub_surrogates(text, where=f"document {id}")
        if isinstance(min_score, bool) or not isinstance(min_score, int | float) \
                or not 0.0 <= min_score <= 1.0:
            raise ConfigurationError(f"min_score must be a number in [0, 1], got {min_score!r}")
        context: list[Mention] = []
        found, reading = yield from self.recognizer.read_steps(text)
        if spans is not None:
            mentions = spans_to_mentions(text, list(spans))
            context = _outside(found, mentions)
        else:
            mentions = found
        toponyms = self.resolve_mentions(text, mentions, min_score=min_score, context=context)
        return Document(id=str(id), text=text, toponyms=toponyms, date=date,
                        meta=dict(meta or {}), ner=reading)


class _SharedContext:
    """What the confident first-pass readings of a text tell each mention.

    A mention's context is what every other mention says except those of the
    same name (the same name elsewhere is no evidence for itself): the text's
    totals minus that name's share. Summed once per text and built once per
    distinct name, instead of a scan over all the others for each mention,
    which was quadratic in the mentions (a list of 1,500 place names: 106 s).
    """

    def __init__(self, readings: Sequence[_Reading],
                 evidence: Sequence[tuple[str, Place, str | None] | None]) -> None:
        # Per normalised name: counts of countries, admin1 codes, features,
        # countries named only by a demonym ("Russian": weaker evidence), points.
        self._by_name: dict[str, tuple[Counter[str], Counter[str], Counter[str],
                                       Counter[str], int]] = {}
        points = []
        for r, ev in zip(readings, evidence, strict=True):
            if ev is None:
                continue
            norm, p, code = ev
            countries, admin1, features, nationalities, n = self._by_name.get(
                norm, (Counter(), Counter(), Counter(), Counter(), 0))
            features[p.feature] += 1
            if p.country and p.feature == "demonym":
                nationalities[p.country] += 1
            elif p.country:
                countries[p.country] += 1
            if code:
                admin1[code] += 1
            if p.feature in _POINT_FEATURES:
                points.append((r.mention.name, p.lat, p.lon, norm))
                n += 1
            self._by_name[norm] = (countries, admin1, features, nationalities, n)
        self._totals: tuple[Counter[str], ...] = (Counter(), Counter(), Counter(), Counter())
        for group in self._by_name.values():
            for total, counts in zip(self._totals, group, strict=False):
                total.update(counts)
        self._keys = tuple(frozenset(t) for t in self._totals)
        self._points = len(points)
        self._near = NearIndex(points) if points else None
        self._cache: dict[str, tuple[frozenset[str], ...]] = {}

    def _without(self, own: str) -> tuple[Any, ...]:
        """Countries, admin1 codes, features, nationalities of the others; have they points."""
        group = self._by_name.get(own)
        if group is None:
            return (*self._keys, self._points > 0)
        out = []
        for total, keys, counts in zip(self._totals, self._keys, group, strict=False):
            # What only this name says drops out; the rest is the shared set.
            gone = [k for k, n in counts.items() if total[k] == n]
            out.append(keys.difference(gone) if gone else keys)
        return (*out, self._points > group[4])

    def context(self, reading: _Reading) -> Context:
        """Return the ranking context of one reading."""
        own = normalize_name(reading.mention.name)
        shared = self._cache.get(own)
        if shared is None:
            shared = self._cache[own] = self._without(own)
        countries, admin1, features, nationalities, has_points = shared
        return Context(
            qualifier=reading.qualifier, qualifier_text=reading.qualifier_text,
            countries=countries, admin1_codes=admin1, features=features,
            near=self._near if has_points else None, near_skip=own,
            nationalities=nationalities, head=reading.head, in_text=True,
        )


def _two_countries(top: Sequence[Place]) -> bool:
    """Whether a name's two likeliest readings are countries that share it (nearly all)."""
    return len(top) == 2 and all(p.feature == "country" for p in top) and (
        top[0].score + top[1].score >= _SPLIT_SHARE)


def _outside(found: Sequence[Mention], given: Sequence[Mention]) -> list[Mention]:
    """Return the ``found`` mentions that overlap none of the ``given`` spans."""
    return [m for m in found if not any(m.start < g.end and g.start < m.end for g in given)]


def geoparse(
    text: str,
    *,
    id: str = "doc",
    date: str | None = None,
    meta: Mapping[str, Any] | None = None,
    min_score: float = 0.0,
    spans: Iterable[tuple[int, int]] | None = None,
    ner: str = "auto",
    ner_model: str = MODEL,
    geoparser: Geoparser | None = None,
) -> Document:
    """Find and resolve the places a text mentions.

    Parameters
    ----------
    text : str
        The document; an empty text gives an empty result.
    id : str
        Document id carried to the outputs.
    date : str, optional
        Article date (ISO 8601), kept on the Document for later stages.
    meta : mapping, optional
        Other fields of the input record (url, title, ...).
    min_score : float, default 0.0
        Leave a mention unresolved when its calibrated score is lower.
    spans : iterable of (start, end), optional
        Resolve these spans only (gold-span mode), in this order; the places
        the recogniser finds in the rest of the text still serve as context.
    ner : {"auto", "all", "off"}, default "auto"
        When the NER model runs (see :class:`Geoparser`).
    ner_model : str
        spaCy pipeline for NER.
    geoparser : Geoparser, optional
        A prepared geoparser (for a custom gazetteer).

    Returns
    -------
    Document
        ``toponyms`` in text order, each with ``place`` (or None), a calibrated
        ``score`` and a ``why``.

    Examples
    --------
    >>> doc = geoparse("Shelling hit Donetsk and Luhansk.")  # doctest: +SKIP
    >>> [(t.mention.name, t.place.country) for t in doc.toponyms]  # doctest: +SKIP
    [('Donetsk', 'UKR'), ('Luhansk', 'UKR')]
    """
    gp = geoparser or Geoparser.default(ner=ner, ner_model=ner_model)
    return gp.geoparse(text, id=id, date=date, meta=meta, min_score=min_score, spans=spans)
