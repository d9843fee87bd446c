"""Score gazetteer candidates for a name: priors, match quality and context.

Pure functions: the gazetteer hands over candidate rows, these turn them into
scored :class:`~geokit.Place` objects with a short ``why``. The score is a
softmax over the candidates' evidence (so the scores of one query sum to at
most 1) times the name-match confidence; the geoparser recalibrates it
against dev data.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from geokit.geo import haversine_km
from geokit.models import Place

__all__ = [
    "Context", "MatchRow", "NearIndex", "prior_shortlist", "rank_candidates", "rank_scored",
]

# Evidence weights, in units of log10 population (see _gazetteer_build._prior).
# The context weights (same admin1, nearness) were chosen on the dev sets' gold
# spans with the rest of each text as context (bench/fit_calibration.py's data:
# GeoVirus, WoTR and the first 1,500 WikToR articles), where "Lima" in a text
# about Ohio must outweigh the Peruvian capital's population.
# An alternate name counts a whole unit less than a place's own name: today's
# Pokrovsk (Donetsk oblast, 60,000) over Engels, which was called Pokrovsk
# until 1931 (GeoNames does not say which alternate names are historical).
_NAME_BONUS = {"name": 1.0, "official": 0.8, "short": 0.8, "alt": 0.0, "abbr": 0.6, "code": -2.5}
_QUALIFIER_MATCH = 5.0
_QUALIFIER_MISS = -1.5
_EXPLICIT_COUNTRY_MISS = -8.0
_SAME_COUNTRY = 2.0
_SAME_ADMIN1 = 2.0
_NEAR_KM = 400.0
_NEAR = 2.5
_FUZZY_PENALTY = 6.0  # per unit of (1 - similarity)
# A list of states makes a state name a state, not a town named after one
# ("California" next to "Missouri" and "Ohio" is not California, Missouri).
_SAME_TYPE = 1.5
_TYPE_FEATURES = frozenset(("country", "admin1", "continent"))
# A nationality word ("Russian officials said") is weak evidence of where a
# place is: less than a namesake ten times larger ("Donetsk" in Ukraine, a
# million people, against the Rostov town of 50,000).
_NATIONALITY = 0.7
# The text's own head noun says which namesake it means: "the Donetsk region"
# is the oblast, "Idlib city" the city. A bare name means the city over the
# province named after it ("explosions in Belgorod"), and only that city: the
# rule once pushed every bare state below its namesake towns (California,
# Maryland; Texas, Hidalgo): 0.012 of WoTR's 0.027 acc@161 loss in issue 12.
_HEAD_MATCH = 4.0
_BARE_ADMIN = -1.0
#: Lower-case words after a name that make it a subdivision or a settlement.
ADMIN_HEADS = frozenset(("region", "oblast", "province", "governorate", "state", "district",
                         "prefecture", "county", "department", "krai", "division"))
CITY_HEADS = frozenset(("city", "town", "village"))



class LazyRaw(Mapping[str, Any]):
    """A source record parsed from JSON only when someone reads it."""

    __slots__ = ("_data", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._data: dict[str, Any] | None = None

    def _get(self) -> dict[str, Any]:
        if self._data is None:
            self._data = json.loads(self._text)
        return self._data

    def __getitem__(self, key: str) -> Any:
        return self._get()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())


# NearIndex's grid: cells this wide on the unit sphere hold every point within
# _NEAR_KM of a candidate in its cell or the 26 around it (the chord of 400 km
# is 0.0628; the rest is a margin for rounding).
_CELL = 0.07
# Fewer distinct points than this are simply all measured: cheaper than the grid.
_SCAN = 32


def _nearest(points: Iterable[tuple[str, float, float]], lat: float, lon: float, name: str
             ) -> tuple[float, str] | None:
    """Return (km, name) of the point nearest (lat, lon), ignoring points called ``name``."""
    own = name.lower()
    near = [(haversine_km(lat, lon, plat, plon), pname) for pname, plat, plon in points
            if pname.lower() != own]
    return min(near) if near else None


def _cell(lat: float, lon: float) -> tuple[int, int, int]:
    p, lam = math.radians(lat), math.radians(lon)
    x, y, z = math.cos(p) * math.cos(lam), math.cos(p) * math.sin(lam), math.sin(p)
    return math.floor(x / _CELL), math.floor(y / _CELL), math.floor(z / _CELL)


class NearIndex:
    """The co-mentioned points of a text, bucketed to find the nearest within ``_NEAR_KM``.

    Measuring every candidate against every other place of the text made
    resolution quadratic (a list of 1,500 place names took 106 s). A point
    within ``_NEAR_KM`` of a candidate lies in the candidate's cell of a 3-D
    grid on the unit sphere or in one of the 26 around it, so only those are
    measured. Nearer than ``_NEAR_KM`` the answer is the full scan's (the same
    distances, the same tie-break on the name); farther, the ranking ignores it.
    Written by hand: a dict of cells does it in a few lines, where a k-d tree
    would add scipy and still need the name exclusions below.

    Parameters
    ----------
    points : iterable of (name, lat, lon, group)
        ``group`` (the normalised mention name) lets a query skip the points
        of the mention being ranked.
    """

    __slots__ = ("_cells", "_points")

    def __init__(self, points: Iterable[tuple[str, float, float, str]]) -> None:
        # Repeats change no minimum: "Kyiv" 250 times is one point.
        self._points = tuple(dict.fromkeys(points))
        self._cells: dict[tuple[int, int, int], list[tuple[str, float, float, str]]] = {}
        if len(self._points) > _SCAN:
            for pt in self._points:
                self._cells.setdefault(_cell(pt[1], pt[2]), []).append(pt)

    def __len__(self) -> int:
        return len(self._points)

    def nearest(self, lat: float, lon: float, name: str, *, skip: str = ""
                ) -> tuple[float, str] | None:
        """Return (km, name) of the nearest point if within ``_NEAR_KM``, else maybe None.

        Points of group ``skip`` and points called ``name`` (any case) are ignored.
        """
        if not self._cells:
            found: Iterable[tuple[str, float, float, str]] = self._points
        else:
            i, j, k = _cell(lat, lon)
            cells = self._cells
            found = [pt for di in (-1, 0, 1) for dj in (-1, 0, 1) for dk in (-1, 0, 1)
                     for pt in cells.get((i + di, j + dj, k + dk), ())]
        return _nearest(((n, a, b) for n, a, b, g in found if g != skip), lat, lon, name)


class MatchRow(NamedTuple):
    """A candidate row from the index with how its name matched the query.

    A named tuple rather than a frozen dataclass: one is built per SQL row on
    the lookup hot path, and a tuple is built from the row eight times faster.
    The index query selects the columns in this order.
    """

    key: str
    name: str
    lat: float
    lon: float
    feature: str
    country: str | None
    admin1: str | None
    admin1_code: str | None
    population: int
    geonameid: int | None
    source: str
    refers_to: str | None
    prior: float
    raw: str
    kind: str  # how the name matched: name, official, short, alt, abbr, code
    similarity: float = 1.0  # 1.0 exact; fuzzy ratio in [0, 1] otherwise
    matched: str = ""
    place_id: int = 0  # the index's row id: one candidate per place
    via: str = ""  # "transliteration" when matched by the transliteration key only


@dataclass(frozen=True, slots=True)
class Context:
    """What else is known when ranking a name.

    Attributes
    ----------
    country : str or None
        Explicit ISO alpha-3 country (``--country``): others are pushed down.
    qualifier : tuple of MatchRow
        Candidates of the qualifier in "Bangor, Maine" (subdivisions or countries).
    countries : frozenset of str
        Countries of co-mentioned places and actors.
    admin1_codes : frozenset of str
        GeoNames admin1 codes of co-mentioned places.
    points : tuple of (name, lat, lon)
        Co-mentioned places precise enough for distances (cities, subdivisions).
    features : frozenset of str
        Features of co-mentioned places (a list of states makes a state).
    near : NearIndex, optional
        The same as ``points`` for a whole text, indexed; used instead of
        ``points`` when given.
    near_skip : str
        The group of ``near`` that is not context (the mention's own name).
    nationalities : frozenset of str
        Countries named only by a demonym ("Russian"): weaker than ``countries``.
    head : str
        Lower-case word right after the name ("region", "city"), if any.
    in_text : bool
        The name stands in running text (the geoparser's), where a bare name
        means the city rather than a same-named subdivision.
    """

    country: str | None = None
    qualifier: tuple[MatchRow, ...] = ()
    qualifier_text: str = ""
    countries: frozenset[str] = field(default_factory=frozenset)
    admin1_codes: frozenset[str] = field(default_factory=frozenset)
    points: tuple[tuple[str, float, float], ...] = ()
    features: frozenset[str] = field(default_factory=frozenset)
    near: NearIndex | None = None
    near_skip: str = ""
    nationalities: frozenset[str] = field(default_factory=frozenset)
    head: str = ""
    in_text: bool = False

    @property
    def empty(self) -> bool:
        """True when there is no context at all."""
        return not (self.country or self.qualifier or self.qualifier_text or self.countries
                    or self.points or self.near or self.nationalities or self.head
                    or self.in_text)


_NO_CONTEXT = Context()


def _qualifies(row: MatchRow, q: MatchRow) -> bool:
    if q.feature == "country":
        return row.country == q.country
    if q.feature == "admin1":
        return row.admin1_code == q.admin1_code and row.country == q.country
    if q.feature == "admin2":
        return row.country == q.country and haversine_km(row.lat, row.lon, q.lat, q.lon) < 60
    if q.feature in ("region", "continent", "sea"):
        return haversine_km(row.lat, row.lon, q.lat, q.lon) < 1500
    return False


def _seats(rows: Sequence[MatchRow], ctx: Context) -> frozenset[tuple[str | None, str | None]]:
    """Return the subdivisions (country, admin1 code) a same-named city lies in.

    Only for a bare name in running text: there an admin1 candidate listed here
    is the province named after its own city (Belgorod, Donetsk, Idlib).
    """
    if not ctx.in_text or ctx.head in ADMIN_HEADS or ctx.head in CITY_HEADS:
        return frozenset()
    return frozenset((r.country, r.admin1_code) for r in rows
                     if r.feature in ("city", "capital") and r.admin1_code)


def _evidence(row: MatchRow, ctx: Context, why: list[str] | None = None, *,
              seats: frozenset[tuple[str | None, str | None]] = frozenset()) -> float:
    """Return the candidate's evidence; explain it into ``why`` when given.

    The explanation is only written for the candidates a query returns, so the
    arithmetic here is the same with or without it. ``seats`` comes from
    :func:`_seats` over the same candidates.
    """
    if why is not None:
        if row.feature in ("city", "capital"):
            why.append(f"{row.feature} pop {row.population:,}")
        else:
            why.append(row.feature)
    raw = row.prior + _NAME_BONUS.get(row.kind, 0.0)
    if row.similarity < 1.0:
        raw -= _FUZZY_PENALTY * (1.0 - row.similarity)
        if why is not None:
            how = "transliteration of" if row.via == "transliteration" else "fuzzy match"
            why.append(f"{how} {row.matched!r} ({row.similarity:.0%})")
    elif why is not None and row.kind != "name":
        why.append(f"{row.kind} name")
    if ctx.country:
        if row.country == ctx.country:
            if why is not None:
                why.append(f"in {ctx.country} (requested)")
        else:
            raw += _EXPLICIT_COUNTRY_MISS
    if ctx.qualifier_text:
        hit = next((q for q in ctx.qualifier if _qualifies(row, q)), None)
        if hit is not None:
            raw += _QUALIFIER_MATCH
            if why is not None:
                why.append(f"in {hit.name} (qualifier)")
        else:
            raw += _QUALIFIER_MISS
    if row.country and row.country in ctx.countries:
        raw += _SAME_COUNTRY
        if row.feature == "country":
            raw += _NEAR  # a country contains the co-mentioned places: "near" by definition
        if why is not None:
            why.append(f"{row.country} like the context")
    elif row.country and row.country in ctx.nationalities:
        raw += _NATIONALITY
        if why is not None:
            why.append(f"{row.country} like a nationality in the context")
    if ctx.head in ADMIN_HEADS or ctx.head in CITY_HEADS:
        heads = ("admin1", "admin2") if ctx.head in ADMIN_HEADS else ("city", "capital")
        if row.feature in heads:
            raw += _HEAD_MATCH
            if why is not None:
                why.append(f"the text says {ctx.head!r}")
    elif row.feature == "admin1" and (row.country, row.admin1_code) in seats:
        raw += _BARE_ADMIN
        if why is not None:
            why.append("a bare name: its city first")
    if row.feature in _TYPE_FEATURES and row.feature in ctx.features:
        raw += _SAME_TYPE
        if why is not None:
            why.append(f"{row.feature} like other places in the context")
    if row.admin1_code and row.admin1_code in ctx.admin1_codes and row.feature != "admin1":
        raw += _SAME_ADMIN1
        if why is not None:
            why.append(f"same {row.admin1 or 'subdivision'} as the context")
    if ctx.points or ctx.near:
        hit = (ctx.near.nearest(row.lat, row.lon, row.name, skip=ctx.near_skip)
               if ctx.near is not None else _nearest(ctx.points, row.lat, row.lon, row.name))
        if hit is not None:
            d, name = hit
            if d <= _NEAR_KM:
                raw += _NEAR * (1.0 - d / (2 * _NEAR_KM))
                if why is not None:
                    why.append(f"{d:,.0f} km from {name}")
    return raw


def rank_candidates(
    rows: Sequence[MatchRow], *, context: Context | None = None, limit: int = 10
) -> list[Place]:
    """Score and order candidates for one query.

    Parameters
    ----------
    rows : sequence of MatchRow
        Candidates from the index (any order; one per place).
    context : Context, optional
        Qualifier, explicit country and co-mentioned places.
    limit : int, default 10
        How many to return.

    Returns
    -------
    list of Place
        Best first, ``score`` in [0, 1] and a short ``why``.
    """
    if not rows:
        return []
    ctx = context or _NO_CONTEXT
    seats = _seats(rows, ctx)
    scores = _softmax([_evidence(r, ctx, seats=seats) for r in rows],
                      [r.similarity for r in rows])
    return rank_scored(rows, scores, context=ctx, limit=limit)


def _softmax(evidence: Sequence[float], similarity: Sequence[float] | None = None
             ) -> list[float]:
    top = max(evidence)
    weights = [math.exp(s - top) for s in evidence]
    total = sum(weights)
    if similarity is None:
        return [w / total for w in weights]  # x * 1.0 ** 3 == x: exact matches
    return [(w / total) * (sim ** 3) for w, sim in zip(weights, similarity, strict=True)]


def rank_scored(rows: Sequence[MatchRow], scores: Sequence[float], *,
                context: Context | None = None, limit: int = 10) -> list[Place]:
    """Order scored candidates and turn the best ``limit`` into places.

    Places (and their ``why``) are built only for the candidates returned. Equal
    scores go to the larger population, then the key, then the input order.
    """
    ctx = context or _NO_CONTEXT
    order = sorted(range(len(rows)),
                   key=lambda k: (-scores[k], -rows[k].population, rows[k].key, k))[:limit]
    out = []
    seats = _seats(rows, ctx)
    for k in order:
        r = rows[k]
        why: list[str] = []
        _evidence(r, ctx, why, seats=seats)
        # Positional, in Place's field order: keyword parsing was a sixth of the
        # cost of building the candidates a lookup returns.
        out.append(Place(r.name, r.lat, r.lon, r.country, r.admin1, r.feature, r.population,
                         r.geonameid, r.source, scores[k], "; ".join(why), r.key, r.refers_to,
                         LazyRaw(r.raw)))
    return out


def prior_shortlist(hits: Sequence[tuple[int, str, float]], *, limit: int
                    ) -> list[tuple[int, float]]:
    """Score exact, context-free candidates from the name index alone.

    Without context and with an exact name match, a candidate's evidence is its
    prior plus the bonus of the name kind (see :func:`_evidence`), so the scores
    of every candidate need no place row; only the few that can be returned
    are then read in full.

    Parameters
    ----------
    hits : sequence of (place id, name kind, prior)
        One per place.
    limit : int
        How many the query returns.

    Returns
    -------
    list of (index into hits, score)
        The best ``limit`` by score, plus any tied with the last of them (the
        tie is broken later on population and key).
    """
    scores = _softmax([prior + _NAME_BONUS.get(kind, 0.0) for _, kind, prior in hits])
    if len(hits) <= limit:
        return list(enumerate(scores))
    order = sorted(range(len(hits)), key=lambda k: -scores[k])
    cut = limit
    while cut < len(order) and scores[order[cut]] == scores[order[cut - 1]]:
        cut += 1
    return [(k, scores[k]) for k in order[:cut]]
