"""The data geokit passes along its one-way flow.

text -> :class:`Mention` (a span) -> :class:`Place` (a resolved gazetteer entry)
-> :class:`Toponym` (a mention with its place) -> :class:`Actor`, :class:`Event`,
:class:`Relation` -> :class:`Document` (everything about one text).

All are frozen dataclasses with explicit ``lat`` and ``lon`` (never lon/lat:
the swap happens only at the GeoJSON/shapely boundary in ``_export``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date as _Date
from typing import Any, Literal

__all__ = [
    "FEATURES",
    "MENTION_KINDS",
    "Actor",
    "ActorMention",
    "Document",
    "Event",
    "Evidence",
    "Mention",
    "NerReading",
    "Place",
    "Relation",
    "Toponym",
    "is_iso_date",
]

#: Feature types a gazetteer entry can have, most specific last.
FEATURES = (
    "continent", "region", "sea", "country", "admin1", "admin2", "capital", "city",
    "demonym", "metonym",
)
#: Kinds of toponym mention.
MENTION_KINDS = ("place", "demonym", "metonym")

MentionKind = Literal["place", "demonym", "metonym"]


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry, optionally scored as a candidate for a query.

    Attributes
    ----------
    name : str
        Preferred name ("Donetsk").
    lat, lon : float
        WGS84 degrees.
    country : str or None
        ISO 3166-1 alpha-3 code ("UKR"); None for seas, continents and regions
        spanning several countries.
    admin1 : str or None
        First-level subdivision name ("Donetsk Oblast").
    feature : str
        One of :data:`FEATURES`.
    population : int
        Population, 0 when unknown.
    geonameid : int or None
        GeoNames id when the entry comes from GeoNames.
    source : str
        Name of the gazetteer source ("geonames-cities500", "curated-regions", "user:FILE").
    score : float
        Candidate score in [0, 1] for the query that produced it; 0.0 otherwise.
    why : str
        Short human explanation of the score.
    key : str
        Stable id of the entry in the index ("gn:709717", "cur:region:middle-east").
    refers_to : str or None
        For demonyms and metonyms: the name of the place they stand for
        ("North Korea" for "North Korean", "Moscow" for "the Kremlin").
    raw : Mapping
        The source record, kept for provenance; not compared.
    """

    name: str
    lat: float
    lon: float
    country: str | None = None
    admin1: str | None = None
    feature: str = "city"
    population: int = 0
    geonameid: int | None = None
    source: str = ""
    score: float = 0.0
    why: str = ""
    key: str = ""
    refers_to: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def to_dict(self, *, raw: bool = False) -> dict[str, Any]:
        """Return the JSON-ready fields (``raw`` only when asked)."""
        d = {
            "name": self.name, "lat": self.lat, "lon": self.lon, "country": self.country,
            "admin1": self.admin1, "feature": self.feature, "population": self.population,
            "geonameid": self.geonameid, "source": self.source,
            "score": round(self.score, 4), "why": self.why,
        }
        if self.refers_to:
            d["refers_to"] = self.refers_to
        if raw:
            d["raw"] = dict(self.raw)
        return d


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of text that names a place.

    Attributes
    ----------
    start, end : int
        Character offsets, ``text[start:end] == name``.
    name : str
        The span's text.
    kind : {"place", "demonym", "metonym"}
        How the span refers to a place.
    source : str
        Which recogniser found it ("gazetteer", "ner", "gold", "rule"). Names the
        gazetteer does not know, read by the event stage: "place-noun", which a
        place noun says is a place's ("the village of Dogo Nahawa", "the Al-Hamdan
        Airbase"); "place-slot", which stands where a place does ("in Bapunagar",
        "stormed Tall Kurdi").
    label : str
        The NER label or rule that proposed it ("GPE", "LOC", "NORP", ...).
    """

    start: int
    end: int
    name: str
    kind: MentionKind = "place"
    source: str = "gazetteer"
    label: str = ""


@dataclass(frozen=True, slots=True)
class Toponym:
    """A mention with the place it was resolved to (or None when abstaining)."""

    mention: Mention
    place: Place | None
    score: float = 0.0
    why: str = ""
    candidates: tuple[Place, ...] = field(default=(), compare=False, repr=False)

    @property
    def lat(self) -> float | None:
        """Latitude of the resolved place, None when unresolved."""
        return self.place.lat if self.place else None

    @property
    def lon(self) -> float | None:
        """Longitude of the resolved place, None when unresolved."""
        return self.place.lon if self.place else None

    def to_dict(self, *, explain: bool = False) -> dict[str, Any]:
        """Return the flat JSONL record of the issue's schema."""
        p = self.place
        d: dict[str, Any] = {
            "start": self.mention.start, "end": self.mention.end, "name": self.mention.name,
            "kind": self.mention.kind,
            "lat": p.lat if p else None, "lon": p.lon if p else None,
            "geonameid": p.geonameid if p else None, "country": p.country if p else None,
            "admin1": p.admin1 if p else None, "feature": p.feature if p else None,
            "place_name": p.name if p else None, "score": round(self.score, 4),
        }
        if explain:
            d["why"] = self.why
        return d


@dataclass(frozen=True, slots=True)
class ActorMention:
    """One occurrence of an actor in the text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Actor:
    """Someone who acts: a state, leader, official, force or organisation.

    Attributes
    ----------
    id : str
        Stable id ("state:PRK", "person:vladimir-putin", "org:isw").
    name : str
        Canonical name.
    type : str
        state, government, leader, official, military, armed_group,
        international_org, ngo_or_think_tank, media or person.
    country : str or None
        ISO alpha-3 of the actor's country, when it has one.
    mentions : tuple of ActorMention
        Every occurrence, in text order.
    source : str
        "curated" (from the actor table), "user" or "ner".
    """

    id: str
    name: str
    type: str
    country: str | None = None
    mentions: tuple[ActorMention, ...] = ()
    source: str = "curated"


@dataclass(frozen=True, slots=True)
class Evidence:
    """The sentence an event was read from."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Event:
    """A PLOVER-aligned event.

    Attributes
    ----------
    id : str
        Stable within the document ("doc-1:e3").
    category : str
        PLOVER category (AGREE, CONSULT, SUPPORT, ..., ASSAULT).
    subtype : str or None
        Finer type (deploy_troops, defence_pact, arms_transfer, state_visit, ...).
    source, target : tuple of str
        Actor ids.
    place : Place or None
        Where it happens (the destination for movements).
    origin : Place or None
        Where a movement starts.
    geo_precision : int or None
        1 country, 2 first-level subdivision, 3 city/town or finer.
    date : str or None
        ISO 8601 ("2024-06-19", "2024-07", "2024"). When the sentence gives
        no date, an event done or said takes the article's month (the
        article date must be known); plans and hypotheses stay undated.
    date_text : str or None
        The date as written ("19 June 2024", "next month"); None when the
        sentence gives none (``date`` then comes from the article, if at all).
    status : str
        happened, announced, planned, denied, speculated or negated.
    evidence : Evidence
    confidence : float
    place_mention : Mention or None
        The words of the text that name the event's place. Set also when the
        gazetteer does not know the name ("the village of Rasm al-Abed"):
        ``place`` is then the known place the sentence puts it in, or None.
    """

    id: str
    category: str
    subtype: str | None
    source: tuple[str, ...]
    target: tuple[str, ...]
    place: Place | None
    origin: Place | None
    geo_precision: int | None
    date: str | None
    date_text: str | None
    status: str
    evidence: Evidence
    confidence: float
    place_mention: Mention | None = None


@dataclass(frozen=True, slots=True)
class Relation:
    """An aggregated state-to-state relation drawn on alliance maps."""

    source: str
    target: str
    type: str  # alliance, arms_supply, deployment, partnership, hostility
    count: int
    events: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NerReading:
    """What the geoparser's NER model read in a text, for the later stages to reuse.

    The actor stage needs person and organisation names where the geoparser
    has often run NER already (an unknown name is often also an ambiguous place
    name); carrying the reading on the :class:`Document` lets it skip those
    stretches instead of running the model over the same words again.

    Attributes
    ----------
    model : str
        The spaCy pipeline that read them (a reading by another model is not reused).
    windows : tuple of (start, end)
        The stretches of text the model read.
    entities : tuple of (start, end, label)
        Its entities, in text offsets.
    """

    model: str
    windows: tuple[tuple[int, int], ...] = ()
    entities: tuple[tuple[int, int, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Document:
    """Everything geokit found in one text.

    Attributes
    ----------
    id : str
    text : str
    toponyms : tuple of Toponym
        In text order.
    actors, events, relations : tuples
        Filled by :func:`geokit.extract`; empty after :func:`geokit.geoparse`.
    date : str or None
        The article date used to anchor relative dates.
    meta : Mapping
        Other fields of the input record (url, title, ...).
    ner : NerReading or None
        What the geoparser's NER read (not serialised; reused by the actor stage).
    """

    id: str
    text: str
    toponyms: tuple[Toponym, ...] = ()
    actors: tuple[Actor, ...] = ()
    events: tuple[Event, ...] = ()
    relations: tuple[Relation, ...] = ()
    date: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)
    ner: NerReading | None = field(default=None, compare=False, hash=False, repr=False)

    @property
    def places(self) -> tuple[Toponym, ...]:
        """The toponyms that were resolved to a place."""
        return tuple(t for t in self.toponyms if t.place is not None)


_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def is_iso_date(value: object) -> bool:
    """Tell whether ``value`` is an ISO date as precise as news gives one: a day, a month or a year.

    Event and document dates are kept at the text's precision, so "2024-03"
    and "2024" are dates; "99999-99" and "2024-02-30" are not.

    Examples
    --------
    >>> [is_iso_date(v) for v in ("2024-02-29", "2024-03", "2024", "2023-02-29", "99999-99")]
    [True, True, True, False, False]
    """
    m = _ISO.fullmatch(value) if isinstance(value, str) else None
    if m is None:
        return False
    try:
        _Date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
    except ValueError:
        return False
    return True


def _asdict(obj: Any) -> dict[str, Any]:
    return asdict(obj)
