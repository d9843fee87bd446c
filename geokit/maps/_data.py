"""Pure aggregation of documents into what each map layer draws.

Nothing here touches folium or HTML: each function turns documents into plain
records (dataclasses) that the layers then serialise, so the counting that the
browser tests compare against lives in one testable place.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from geokit.events._lexicon import force_pattern
from geokit.models import Document, Event, Evidence, Place

__all__ = [
    "DEPLOY_SUBTYPES",
    "RELATION_TYPES",
    "Arrow",
    "Bloc",
    "Link",
    "PlacePoint",
    "TimedEvent",
    "add_evidence",
    "aggregate_places",
    "day_number",
    "document_sources",
    "documents_from_events_frame",
    "is_deployment",
    "place_key",
    "size_phrase",
    "blocs",
    "deployment_arrows",
    "relation_links",
    "sentence_around",
    "sentence_finder",
    "timed_events",
]

#: Relation types and whether a link runs one way (source -> target).
RELATION_TYPES: Mapping[str, bool] = {
    "alliance": False, "partnership": False, "arms_supply": True, "deployment": True,
    "hostility": False,
}
#: Relations that put two states on the same side when shading blocs. Not
#: "deployment": its target is where the troops go, an ally's territory or the
#: front ("North Korea to send troops to Ukraine" does not ally it with Ukraine).
_ALIGNING = frozenset({"alliance", "partnership", "arms_supply"})
#: Event subtypes drawn as deployment arrows (besides every MOBILIZE event).
DEPLOY_SUBTYPES = frozenset({"deploy_troops", "deployment", "deploy", "troop_deployment"})
# A denied or negated deployment did not and will not happen: drawing an arrow
# would state the opposite of the text ("ISW does not foresee ... combat").
_NOT_DRAWN = frozenset({"denied", "negated"})
_MAX_EVIDENCE = 3
_MAX_SENTENCE = 400


@dataclass(slots=True)
class PlacePoint:
    """One resolved place with every mention of it across the documents."""

    key: str
    name: str
    lat: float
    lon: float
    country: str | None
    feature: str
    count: int = 0
    names: Counter = field(default_factory=Counter)
    docs: list[str] = field(default_factory=list)
    evidence: list[tuple[str, str]] = field(default_factory=list)  # (doc id, sentence)


@dataclass(slots=True)
class Arrow:
    """A deployment drawn from ``origin`` to ``dest`` (several events may share it)."""

    origin: Place
    dest: Place
    planned: bool
    statuses: Counter = field(default_factory=Counter)
    actors: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    sizes: list[str] = field(default_factory=list)
    evidence: list[tuple[str, str]] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    #: ISO alpha-3 of the actor's country whose capital stands in for an
    #: origin the text does not state; None when the event gives its origin.
    origin_of: str | None = None


@dataclass(slots=True)
class Link:
    """A relation between two states, drawn between their capitals."""

    type: str
    source: str  # ISO alpha-3
    target: str
    count: int = 0
    evidence: list[tuple[str, str]] = field(default_factory=list)
    directed: bool = False


@dataclass(frozen=True, slots=True)
class Bloc:
    """States on one side of the relation graph."""

    index: int
    members: tuple[str, ...]  # ISO alpha-3, most connected first


@dataclass(slots=True)
class TimedEvent:
    """An event with a place, for the timeline layer."""

    lat: float
    lon: float
    day: int | None  # days since 1970-01-01 of the period's first day; None if undated
    date: str | None
    category: str
    subtype: str | None
    status: str
    label: str
    evidence: str
    doc: str
    actors: str = ""
    targets: str = ""
    place: str = ""


def _docs(documents: Document | Iterable[Document]) -> list[Document]:
    return [documents] if isinstance(documents, Document) else list(documents)


def place_key(p: Place) -> str:
    """Return the identity of a place on the map: its index key, else name and point."""
    return p.key or f"{p.name}@{p.lat:.4f},{p.lon:.4f}"


# A sentence ends at . ! ? (optionally closed by a quote or bracket) followed by
# space, or at a line break. A full sentence splitter (spaCy) would mean loading
# a pipeline to draw a map; the popup only needs a readable quote.
_END = re.compile(r"""[.!?][)"'\u201d\u2019]*\s+|\n+""")


def sentence_around(text: str, start: int, end: int) -> str:
    """Return the sentence of ``text`` that contains ``text[start:end]``.

    Examples
    --------
    >>> sentence_around("Troops left. They reached Donetsk today. Then rain.", 26, 33)
    'They reached Donetsk today.'
    """
    left = 0
    for m in _END.finditer(text, 0, start):
        left = m.end()
    return _sentence_from(text, left, start, end)


def _sentence_from(text: str, left: int, start: int, end: int) -> str:
    m = _END.search(text, end)
    right = m.start() + 1 if m and text[m.start()] in ".!?" else (m.start() if m else len(text))
    s = text[left:right].strip()
    if len(s) > _MAX_SENTENCE:
        mid = (start + end) // 2 - left
        lo = max(0, mid - _MAX_SENTENCE // 2)
        s = ("…" if lo else "") + s[lo:lo + _MAX_SENTENCE].strip() + "…"
    return s


def sentence_finder(text: str) -> Callable[[int, int], str]:
    """Return ``sentence_around`` for one text, its sentence ends found once.

    :func:`sentence_around` scans the text from its start for every mention,
    quadratic in a long article with many mentions; this finds the sentence
    ends in one pass and bisects.

    Examples
    --------
    >>> around = sentence_finder("Troops left. They reached Donetsk today. Then rain.")
    >>> around(26, 33)
    'They reached Donetsk today.'
    """
    ends = list(_END.finditer(text))
    starts = [m.start() for m in ends]

    def around(start: int, end: int) -> str:
        i = bisect.bisect_left(starts, start) - 1  # the last sentence end before the mention
        if i >= 0 and ends[i].end() > start:  # an end run that overlaps the mention: rare
            return sentence_around(text, start, end)
        return _sentence_from(text, ends[i].end() if i >= 0 else 0, start, end)

    return around


def add_evidence(bucket: list[tuple[str, str]], doc_id: str, sentence: str) -> None:
    if not sentence or len(bucket) >= _MAX_EVIDENCE:
        return
    for _, s in bucket:
        if s == sentence:
            return
    bucket.append((doc_id, sentence))


def aggregate_places(documents: Document | Iterable[Document]) -> list[PlacePoint]:
    """Group every resolved toponym by place, counting mentions.

    The evidence for a mention is the sentence around it in the text; when the
    document carries no text (an extract JSON without ``text``), it is the
    evidence sentence of an event whose span contains the mention.

    Returns
    -------
    list of PlacePoint
        Most mentioned first; ties in the order of their first mention (which
        keeps a layer's references into its string table close together).
    """
    out: dict[str, PlacePoint] = {}
    for doc in _docs(documents):
        spans = [(e.evidence.start, e.evidence.end, e.evidence.text) for e in doc.events]
        around = None
        for t in doc.places:
            p = t.place
            k = place_key(p)
            pt = out.get(k)
            if pt is None:
                pt = out[k] = PlacePoint(k, p.name, p.lat, p.lon, p.country, p.feature)
            pt.count += 1
            pt.names[t.mention.name] += 1
            if not pt.docs or pt.docs[-1] != doc.id:
                pt.docs.append(doc.id)
            if len(pt.evidence) >= _MAX_EVIDENCE:
                continue
            if doc.text:
                if around is None:
                    around = sentence_finder(doc.text)
                sent = around(t.mention.start, t.mention.end)
            else:
                sent = next((s for a, b, s in spans
                             if a <= t.mention.start and t.mention.end <= b), "")
            add_evidence(pt.evidence, doc.id, sent)
    return sorted(out.values(), key=lambda p: -p.count)


def _actor_names(doc: Document, ids: Sequence[str],
                 names: Mapping[str, str] | None = None) -> list[str]:
    if names is None:
        names = {a.id: a.name for a in doc.actors}
    return [names.get(i, i) for i in ids]


_NUM = (r"\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|dozens|hundreds|"
        r"thousands|tens of thousands|half")
_SIZE = re.compile(
    rf"\b(?:up to |about |around |some |nearly |at least |more than )?(?:{_NUM})"
    r"(?: of them| of (?:its|their|the))?(?: [\w-]+){0,2}? "
    rf"(?:{force_pattern('size')})\b",
    re.IGNORECASE,
)


def size_phrase(sentence: str) -> str | None:
    """Return the force size a sentence states ("10 engineering brigades"), or None.

    The data model has no size field; the tooltip quotes the phrase as written
    rather than guessing a number.

    Examples
    --------
    >>> size_phrase("It plans to deploy up to 5,000 troops to Kursk.")
    'up to 5,000 troops'
    """
    m = _SIZE.search(sentence)
    return m.group(0) if m else None


def _moving(e: Event) -> bool:
    return ((e.category == "MOBILIZE" or (e.subtype or "") in DEPLOY_SUBTYPES)
            and e.place is not None and e.status not in _NOT_DRAWN)


def is_deployment(e: Event) -> bool:
    """Return True for the events drawn as arrows (movements with both ends)."""
    return (_moving(e) and e.origin is not None
            and (e.origin.lat, e.origin.lon) != (e.place.lat, e.place.lon))


def _home_origin(doc: Document, e: Event, capitals: Callable[[str], Place | None],
                 memo: dict[str, Place | None]) -> tuple[Place, str] | None:
    # "North Korea is set to send troops to Donetsk": the text names where the
    # troops go, and who sends them, not where they leave from.
    for actor in e.source:
        iso = _actor_country(doc, actor)
        if not iso or iso == e.place.country:
            continue  # a move inside the actor's own country has no inferable start
        if iso not in memo:
            memo[iso] = capitals(iso)
        home = memo[iso]
        if home is not None and (home.lat, home.lon) != (e.place.lat, e.place.lon):
            return home, iso
    return None


def deployment_arrows(documents: Document | Iterable[Document], *,
                      capitals: Callable[[str], Place | None] | None = None) -> list[Arrow]:
    """Return one arrow per (origin, destination, planned-or-happened).

    Several articles reporting the same planned move share one arrow whose
    tooltip lists them all; a move that has happened is drawn apart (solid).

    Parameters
    ----------
    documents : Document or iterable of Document
    capitals : callable, optional
        ``iso3 -> Place | None``. When given, a movement whose text names a
        destination but no origin starts at the capital of its first source
        actor's country (``Arrow.origin_of`` says so), unless the destination
        is in that country. Without it, such events draw no arrow.
    """
    out: dict[tuple[str, str, bool], Arrow] = {}
    memo: dict[str, Place | None] = {}
    for doc in _docs(documents):
        names = {a.id: a.name for a in doc.actors}
        for e in doc.events:
            origin, origin_of = e.origin, None
            if not is_deployment(e):
                home = _home_origin(doc, e, capitals, memo) \
                    if capitals is not None and _moving(e) and e.origin is None else None
                if home is None:
                    continue
                origin, origin_of = home
            planned = e.status != "happened"
            k = (place_key(origin), place_key(e.place), planned)
            a = out.get(k)
            if a is None:
                a = out[k] = Arrow(origin, e.place, planned, origin_of=origin_of)
            elif origin_of is None:
                a.origin_of = None  # one of its events states the origin
            a.statuses[e.status] += 1
            for name in _actor_names(doc, e.source, names):
                if name not in a.actors:
                    a.actors.append(name)
            if e.date and e.date not in a.dates:
                a.dates.append(e.date)
            size = size_phrase(e.evidence.text)
            if size and size not in a.sizes:
                a.sizes.append(size)
            a.events.append(f"{doc.id}:{e.id}" if not e.id.startswith(doc.id) else e.id)
            add_evidence(a.evidence, doc.id, e.evidence.text)
    return list(out.values())


_STATE_ID = re.compile(r"^state:([A-Z]{3})$")


def _actor_country(doc: Document, actor_id: str) -> str | None:
    for a in doc.actors:
        if a.id == actor_id:
            return a.country
    m = _STATE_ID.match(actor_id)
    return m.group(1) if m else None


def relation_links(documents: Document | Iterable[Document]) -> list[Link]:
    """Merge the documents' relations into one link per state pair and type.

    Relations whose actors have no country, or link a country to itself, are
    left out: there is no pair of capitals to draw between.

    Returns
    -------
    list of Link
        Counts summed across documents; undirected types keep a sorted pair.
    """
    out: dict[tuple[str, str, str], Link] = {}
    for doc in _docs(documents):
        for r in doc.relations:
            a, b = _actor_country(doc, r.source), _actor_country(doc, r.target)
            if not a or not b or a == b:
                continue
            directed = RELATION_TYPES.get(r.type, False)
            if not directed:
                a, b = sorted((a, b))
            k = (r.type, a, b)
            link = out.get(k)
            if link is None:
                link = out[k] = Link(r.type, a, b, directed=directed)
            link.count += max(r.count, 1)
            for s in r.evidence:
                add_evidence(link.evidence, doc.id, s)
    return sorted(out.values(), key=lambda x: (-x.count, x.type, x.source, x.target))


def blocs(links: Iterable[Link]) -> list[Bloc]:
    """Group states into sides: connected components of the aligning relations.

    States joined by alliance, partnership or arms supply fall in one bloc; a
    state that appears only in hostile relations or as the destination of a
    deployment forms its own side. A union-find over at most a few hundred
    states is all this needs, so no graph library is pulled in for it.

    Returns
    -------
    list of Bloc
        Largest first; members ordered by number of links, then code.
    """
    parent: dict[str, str] = {}
    degree: Counter = Counter()

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for link in links:
        degree[link.source] += link.count
        degree[link.target] += link.count
        ra, rb = find(link.source), find(link.target)
        if link.type in _ALIGNING and ra != rb:
            parent[rb] = ra
    groups: dict[str, list[str]] = {}
    for state in parent:
        groups.setdefault(find(state), []).append(state)
    ordered = sorted(
        (sorted(g, key=lambda s: (-degree[s], s)) for g in groups.values()),
        key=lambda g: (-len(g), -degree[g[0]], g[0]),
    )
    return [Bloc(i, tuple(g)) for i, g in enumerate(ordered)]


@functools.lru_cache(maxsize=4096)  # news repeats a few dates thousands of times
def day_number(date: str | None) -> int | None:
    """Return days since 1970-01-01 of an ISO date's first day ("2024-07" -> July 1).

    Examples
    --------
    >>> day_number("1970-01-02"), day_number("1970-02"), day_number("next month")
    (1, 31, None)
    """
    if not date:
        return None
    m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", date)
    if not m:
        return None
    try:
        d = dt.date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return None
    return (d - dt.date(1970, 1, 1)).days


def timed_events(documents: Document | Iterable[Document]) -> list[TimedEvent]:
    """Return every event that has a place, with its day number (None if undated)."""
    out = []
    for doc in _docs(documents):
        names = {a.id: a.name for a in doc.actors}
        for e in doc.events:
            if e.place is None or not (math.isfinite(e.place.lat) and math.isfinite(e.place.lon)):
                continue
            src = ", ".join(_actor_names(doc, e.source, names)) or "?"
            tgt = ", ".join(_actor_names(doc, e.target, names))
            what = e.subtype or e.category.lower()
            label = f"{src} — {what}" + (f" — {tgt}" if tgt else "") + f" @ {e.place.name}"
            out.append(TimedEvent(
                e.place.lat, e.place.lon, day_number(e.date), e.date, e.category, e.subtype,
                e.status, label, e.evidence.text, doc.id, src, tgt, e.place.name,
            ))
    return out


def document_sources(documents: Document | Iterable[Document]) -> list[tuple[str, str | None]]:
    """Return ``(document id, url or None)`` for the map's source list."""
    out = []
    for doc in _docs(documents):
        url = doc.meta.get("url") if isinstance(doc.meta, Mapping) else None
        out.append((doc.id, url if isinstance(url, str) else None))
    return out




def _cell(row: Any, name: str) -> Any:
    value = getattr(row, name, None)
    # pandas gives NaN for missing numbers and None/NaN for missing strings.
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _split(value: Any) -> tuple[str, ...]:
    return tuple(x.strip() for x in value.split(";") if x.strip()) if isinstance(value, str) \
        else ()


def documents_from_events_frame(gdf: Any) -> list[Document]:
    """Rebuild events from an events GeoDataFrame, one pseudo-document per ``doc_id``.

    The inverse of ``to_geodataframe(docs, kind="events")`` as far as the map
    layers need it: point geometry is the event place, ``origin_lat`` and
    ``origin_lon`` the start of a movement. Any point GeoDataFrame with a
    ``category`` column works; missing columns get neutral defaults.

    Returns
    -------
    list of Document
        Documents with events only (no text, places or relations).
    """
    cols = set(gdf.columns)
    by_doc: dict[str, list[Event]] = {}
    for i, row in enumerate(gdf.itertuples(index=False)):
        geom = getattr(row, gdf.geometry.name)
        if geom is None or geom.is_empty or geom.geom_type != "Point":
            continue
        doc = str(_cell(row, "doc_id") or "") if "doc_id" in cols else ""
        place = Place(name=str(_cell(row, "place_name") or f"#{i}"), lat=geom.y, lon=geom.x,
                      country=_cell(row, "country"))  # shapely points are (x=lon, y=lat)
        olat, olon = _cell(row, "origin_lat"), _cell(row, "origin_lon")
        origin = None if olat is None or olon is None else Place(
            name=str(_cell(row, "origin_name") or "origin"), lat=float(olat), lon=float(olon))
        evidence = _cell(row, "evidence")
        by_doc.setdefault(doc, []).append(Event(
            id=str(_cell(row, "id") or f"e{i}"),
            category=str(_cell(row, "category") or "OTHER"),
            subtype=_cell(row, "subtype"),
            # Names stand in for ids: the frame has no actor table to look them up in.
            source=_split(_cell(row, "source_names") or _cell(row, "source")),
            target=_split(_cell(row, "target_names") or _cell(row, "target")),
            place=place, origin=origin, geo_precision=None,
            date=_cell(row, "date"), date_text=_cell(row, "date_text"),
            status=str(_cell(row, "status") or "happened"),
            evidence=Evidence(evidence if isinstance(evidence, str) else "", 0, 0),
            confidence=float(_cell(row, "confidence") or 0.0),
        ))
    return [Document(id=d, text="", events=tuple(evs)) for d, evs in by_doc.items()]
