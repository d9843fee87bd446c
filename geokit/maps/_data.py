"""Pure aggregation of documents into what each map layer draws.

Nothing here touches folium or HTML: each function turns documents into plain
records (dataclasses) that the layers then serialise, so the counting that the
browser tests compare against lives in one testable place.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import functools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from geokit.errors import ConfigurationError
from geokit.events._lexicon import force_pattern
from geokit.events._locate import UNKNOWN_PLACE_SOURCES
from geokit.events._plover import plover_table
from geokit.models import Document, Event, Evidence, Place, Toponym, is_iso_date

__all__ = [
    "DEPLOY_SUBTYPES",
    "BLOC_MIN_SCORE",
    "RELATION_TYPES",
    "Arrow",
    "Bloc",
    "EventColumns",
    "Link",
    "PlaceColumns",
    "PlacePoint",
    "TimedEvent",
    "add_evidence",
    "aggregate_places",
    "place_columns",
    "day_number",
    "document_sources",
    "documents_from_events_frame",
    "event_columns",
    "compose_label",
    "event_label",
    "label_parts",
    "filter_events",
    "human_date",
    "source_label",
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
#: Confidence an event needs before its relation may shade a bloc: a bloc
#: claims two states are on one side, which a doubtful reading must not do.
BLOC_MIN_SCORE = 0.5
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
    evidence: list[tuple[str, str]] = field(default_factory=list)  # (source, sentence)


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
    confidence: float = 0.0
    #: ``(what, by whom, joining word, on whom)``: see :func:`label_parts`.
    parts: tuple[str, str, str, str] = ("", "", "", "")


def _docs(documents: Document | Iterable[Document]) -> list[Document]:
    return [documents] if isinstance(documents, Document) else list(documents)


def place_key(p: Place) -> str:
    """Return the identity of a place on the map: its index key, else name and point."""
    return p.key or f"{p.name}@{p.lat:.4f},{p.lon:.4f}"


# A sentence ends at . ! ? (optionally closed by a quote or bracket) followed by
# space, or at a line break. A full sentence splitter (spaCy) would mean loading
# a pipeline to draw a map; the popup only needs a readable quote. Written as
# one character class first (the lookbehinds say which one it was), the same
# matches as ``[.!?][)"'”’]*\s+|\n+`` are found ~3x faster: re skips ahead
# to a candidate character instead of trying both branches everywhere.
_END = re.compile(r"""[.!?\n](?:(?<=[.!?])[)"'\u201d\u2019]*\s+|(?<=\n)\n*)""")


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
    return _sentence_to(text, left, start, end, _END.search(text, end))


def _sentence_to(text: str, left: int, start: int, end: int, m: re.Match[str] | None) -> str:
    # ``m`` is the first sentence end at or after ``end`` (None: the text's end).
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
    ends in one pass and bisects for both ends of the sentence.

    Examples
    --------
    >>> around = sentence_finder("Troops left. They reached Donetsk today. Then rain.")
    >>> around(26, 33)
    'They reached Donetsk today.'
    """
    ends = list(_END.finditer(text))
    starts = [m.start() for m in ends]
    stops = [m.end() for m in ends]

    def around(start: int, end: int) -> str:
        i = bisect.bisect_left(starts, start) - 1  # the last sentence end before the mention
        if i >= 0 and stops[i] > start:  # an end run that overlaps the mention: rare
            return sentence_around(text, start, end)
        left = stops[i] if i >= 0 else 0
        j = bisect.bisect_left(starts, end)  # the first end from the mention's end on
        if j and stops[j - 1] > end:  # a run across the mention's end: search from there
            return _sentence_from(text, left, start, end)
        return _sentence_to(text, left, start, end, ends[j] if j < len(ends) else None)

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
    return place_columns(documents).points()


@dataclass(frozen=True, slots=True)
class PlaceColumns:
    """What :func:`aggregate_places` finds, as columns: no object per place.

    Ten thousand :class:`PlacePoint` records are fifty thousand small objects
    (each with its name counter and two lists), enough to set off Python's
    full garbage collection in the middle of a map build; a layer reads these
    columns instead and makes the records only when asked (:meth:`points`).
    Places are in the same order, most mentioned first. The per-mention lists
    (``doc_ids``; ``ev_sources`` and ``ev_texts``) are grouped by place, place
    ``i`` holding ``ndocs[i]`` and ``nev[i]`` entries.
    """

    keys: list[str]
    names: list[str]
    lats: list[float]
    lons: list[float]
    countries: list[str | None]
    features: list[str]
    counts: list[int]
    #: The name each place was first mentioned by; ``other_names`` holds,
    #: for the few places mentioned by more than one name, every name counted.
    first_names: list[str]
    other_names: dict[int, Counter]
    ndocs: list[int]
    doc_ids: list[str]
    nev: list[int]
    ev_sources: list[str]
    ev_texts: list[str]

    def name_counts(self, i: int) -> Counter:
        """Return a new counter of the names place ``i`` was mentioned by."""
        other = self.other_names.get(i)
        return Counter(other) if other is not None else \
            Counter({self.first_names[i]: self.counts[i]})

    def points(self) -> list[PlacePoint]:
        """Return the places as :class:`PlacePoint` records."""
        out, d, e = [], 0, 0
        for i, (k, nd, ne) in enumerate(zip(self.keys, self.ndocs, self.nev, strict=True)):
            out.append(PlacePoint(
                k, self.names[i], self.lats[i], self.lons[i], self.countries[i],
                self.features[i], self.counts[i], self.name_counts(i), self.doc_ids[d:d + nd],
                list(zip(self.ev_sources[e:e + ne], self.ev_texts[e:e + ne], strict=True))))
            d, e = d + nd, e + ne
        return out

    @classmethod
    def from_points(cls, points: Sequence[PlacePoint]) -> PlaceColumns:
        """Return records (such as a GeoDataFrame's places) as columns, in their order."""
        first = [next(iter(p.names), p.name) for p in points]
        return cls(
            [p.key for p in points], [p.name for p in points], [p.lat for p in points],
            [p.lon for p in points], [p.country for p in points],
            [p.feature for p in points], [p.count for p in points], first,
            {i: Counter(p.names) for i, p in enumerate(points)
             if len(p.names) > 1 or p.names.get(first[i], 0) != p.count},
            [len(p.docs) for p in points], [d for p in points for d in p.docs],
            [len(p.evidence) for p in points], [s for p in points for s, _ in p.evidence],
            [t for p in points for _, t in p.evidence])


def place_columns(documents: Document | Iterable[Document]) -> PlaceColumns:
    """Return :func:`aggregate_places` as :class:`PlaceColumns` (what the layer reads)."""
    firsts: list[Toponym] = []  # the first mention of each place
    counts: list[int] = []
    ndocs: list[int] = []
    nev: list[int] = []
    last_doc: list[str | None] = []
    index: dict[str, int] = {}
    other: dict[int, Counter] = {}
    docs: list[tuple[int, str]] = []  # (place, doc id) per document a place is in
    quotes: list[tuple[int, str, str]] = []  # (place, source, sentence)
    seen: set[tuple[int, str]] = set()
    for doc in _docs(documents):
        source, doc_id = source_label(doc), doc.id
        around = None
        for t in doc.places:
            name = t.mention.name
            k = t.place.key or place_key(t.place)
            i = index.get(k)
            if i is None:
                i = index[k] = len(counts)
                firsts.append(t)
                counts.append(0)
                ndocs.append(0)
                nev.append(0)
                last_doc.append(None)
            counts[i] += 1
            if i in other:
                other[i][name] += 1
            elif name != firsts[i].mention.name:
                other[i] = Counter({firsts[i].mention.name: counts[i] - 1, name: 1})
            if last_doc[i] != doc_id:
                last_doc[i] = doc_id
                ndocs[i] += 1
                docs.append((i, doc_id))
            if nev[i] >= _MAX_EVIDENCE:
                continue
            if doc.text:
                if around is None:
                    around = sentence_finder(doc.text)
                sent = around(t.mention.start, t.mention.end)
            else:
                sent = next((e.evidence.text for e in doc.events if e.evidence.start
                             <= t.mention.start and t.mention.end <= e.evidence.end), "")
            if sent and (i, sent) not in seen:  # as add_evidence: each sentence once
                seen.add((i, sent))
                nev[i] += 1
                quotes.append((i, source, sent))
    return _sorted_columns(firsts, counts, ndocs, nev, other, docs, quotes)


def _sorted_columns(firsts: list[Toponym], counts: list[int], ndocs: list[int],
                    nev: list[int], other: dict[int, Counter], docs: list[tuple[int, str]],
                    quotes: list[tuple[int, str, str]]) -> PlaceColumns:
    # Most mentioned first, ties in first-mention order (sorted() is stable);
    # the per-mention lists follow their place, keeping their own order.
    order = sorted(range(len(counts)), key=counts.__getitem__, reverse=True)
    rank = [0] * len(order)
    for r, i in enumerate(order):
        rank[i] = r
    docs.sort(key=lambda x: rank[x[0]])
    quotes.sort(key=lambda x: rank[x[0]])
    places = [firsts[i].place for i in order]
    return PlaceColumns(
        [p.key or place_key(p) for p in places], [p.name for p in places],
        [p.lat for p in places], [p.lon for p in places], [p.country for p in places],
        [p.feature for p in places], [counts[i] for i in order],
        [firsts[i].mention.name for i in order], {rank[i]: c for i, c in other.items()},
        [ndocs[i] for i in order], [d for _, d in docs], [nev[i] for i in order],
        [s for _, s, _ in quotes], [t for _, _, t in quotes])


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
# The same pattern, case-sensitive, for lowercased ASCII text: IGNORECASE
# makes re try every alternative both ways at each word, ~3x slower.
_SIZE_LOWER = re.compile(_SIZE.pattern)


def size_phrase(sentence: str) -> str | None:
    """Return the force size a sentence states ("10 engineering brigades"), or None.

    The data model has no size field; the tooltip quotes the phrase as written
    rather than guessing a number.

    Examples
    --------
    >>> size_phrase("It plans to deploy up to 5,000 troops to Kursk.")
    'up to 5,000 troops'
    """
    if sentence.isascii():  # lower() keeps every offset and agrees with IGNORECASE
        m = _SIZE_LOWER.search(sentence.lower())
        return sentence[m.start():m.end()] if m else None
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
            add_evidence(a.evidence, source_label(doc), e.evidence.text)
    return list(out.values())


_STATE_ID = re.compile(r"^state:([A-Z]{3})$")


def _actor_country(doc: Document, actor_id: str) -> str | None:
    for a in doc.actors:
        if a.id == actor_id:
            return a.country
    m = _STATE_ID.match(actor_id)
    return m.group(1) if m else None


def relation_links(documents: Document | Iterable[Document], *,
                   min_score: float = 0.0) -> list[Link]:
    """Merge the documents' relations into one link per state pair and type.

    Relations whose actors have no country, or link a country to itself, are
    left out: there is no pair of capitals to draw between.

    Parameters
    ----------
    documents : Document or iterable of Document
    min_score : float, default 0.0
        Above 0, keep only relations that one of their events supports with at
        least this confidence (a relation listing no event is left out then).

    Returns
    -------
    list of Link
        Counts summed across documents; undirected types keep a sorted pair.
    """
    out: dict[tuple[str, str, str], Link] = {}
    for doc in _docs(documents):
        source = source_label(doc)
        scores = {e.id: e.confidence for e in doc.events} if min_score > 0 else {}
        for r in doc.relations:
            if min_score > 0 and not any(scores.get(i, 0.0) >= min_score for i in r.events):
                continue
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
                add_evidence(link.evidence, source, s)
    return sorted(out.values(), key=lambda x: (-x.count, x.type, x.source, x.target))


def blocs(links: Iterable[Link]) -> list[Bloc]:
    """Group states into sides: connected components of the aligning relations.

    States joined by alliance, partnership or arms supply fall in one bloc; a
    state that appears only in hostile relations or as the destination of a
    deployment is no bloc (a "bloc" of one state says nothing). A union-find
    over at most a few hundred states is all this needs, so no graph library
    is pulled in for it.

    Returns
    -------
    list of Bloc
        Blocs of two or more states, largest first; members ordered by number
        of links, then code.
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
        (sorted(g, key=lambda s: (-degree[s], s)) for g in groups.values() if len(g) > 1),
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
    return event_columns(documents).events()


@dataclass(frozen=True, slots=True)
class EventColumns:
    """What :func:`timed_events` finds, one column per :class:`TimedEvent` field.

    The timeline layer reads the columns; records (and their labels, which
    the page composes itself) are made only when asked (:meth:`events`).
    """

    lat: Sequence[float]
    lon: Sequence[float]
    day: Sequence[int | None]
    date: Sequence[str | None]
    category: Sequence[str]
    subtype: Sequence[str | None]
    status: Sequence[str]
    evidence: Sequence[str]
    doc: Sequence[str]
    actors: Sequence[str]
    targets: Sequence[str]
    place: Sequence[str]
    confidence: Sequence[float]
    parts: Sequence[tuple[str, str, str, str]]

    def __len__(self) -> int:
        return len(self.lat)

    def events(self) -> list[TimedEvent]:
        """Return the events as :class:`TimedEvent` records, labels composed."""
        return [TimedEvent(lat, lon, day, date, cat, sub, status,
                           compose_label(*parts, place, human_date(date) or ""),
                           ev, doc, src, tgt, place, conf, parts)
                for lat, lon, day, date, cat, sub, status, ev, doc, src, tgt, place, conf, parts
                in zip(self.lat, self.lon, self.day, self.date, self.category, self.subtype,
                       self.status, self.evidence, self.doc, self.actors, self.targets,
                       self.place, self.confidence, self.parts, strict=True)]


def event_columns(documents: Document | Iterable[Document]) -> EventColumns:
    """Return :func:`timed_events` as :class:`EventColumns` (what the layer reads)."""
    rows = []
    for doc in _docs(documents):
        names = {a.id: a.name for a in doc.actors}
        source = source_label(doc)
        # An article reports many events by the same actors: their names are
        # joined once per pair of sides, not once per event (as label_parts).
        who: dict[tuple[Sequence[str], Sequence[str]], tuple[str, str, str, str]] = {}
        for e in doc.events:
            if e.place is None or not (math.isfinite(e.place.lat) and math.isfinite(e.place.lon)):
                continue
            sides = (e.source, e.target)
            got = who.get(sides)
            if got is None:
                got = who[sides] = _actor_words(e.source, e.target, names)
            what, word = _what_word(e.category, e.subtype)
            rows.append((e.place.lat, e.place.lon, day_number(e.date), e.date, e.category,
                         e.subtype, e.status, e.evidence.text, source, got[0], got[1],
                         place_words(e), e.confidence, (what, got[2], word, got[3])))
    # One tuple per event in field order, turned into one tuple per field in C.
    return EventColumns(*(zip(*rows, strict=True) if rows else [()] * 14))


def source_label(doc: Document) -> str:
    """Return how the map names a document: its ``meta["title"]``, else its id.

    Examples
    --------
    >>> source_label(Document(id="a1", text="", meta={"title": " Houthis strike ship "}))
    'Houthis strike ship'
    >>> source_label(Document(id="a1", text=""))
    'a1'
    """
    title = doc.meta.get("title") if isinstance(doc.meta, Mapping) else None
    return title.strip() if isinstance(title, str) and title.strip() else doc.id


def document_sources(documents: Document | Iterable[Document]) -> list[tuple[str, str | None]]:
    """Return ``(title or id, url or None)`` per document, for the map's source list."""
    out = []
    for doc in _docs(documents):
        url = doc.meta.get("url") if isinstance(doc.meta, Mapping) else None
        out.append((source_label(doc), url if isinstance(url, str) else None))
    return out


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@functools.lru_cache(maxsize=4096)  # news repeats a few dates thousands of times
def human_date(date: str | None) -> str | None:
    """Return an ISO date as a reader writes it; other text unchanged.

    Examples
    --------
    >>> human_date("2024-03-04"), human_date("2024-03"), human_date("2024"), human_date(None)
    ('4 Mar 2024', 'Mar 2024', '2024', None)
    """
    if not date:
        return None
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", date)
    if not m or not 1 <= int(m.group(2) or 1) <= 12:
        return date
    year, month, day = m.groups()
    parts = ([str(int(day))] if day else []) + ([_MONTHS[int(month) - 1]] if month else [])
    return " ".join([*parts, year])


# How a target joins the label, by PLOVER group ("strike on", "talks with");
# a movement goes to its target.
_TARGET_WORD = {"cooperation": "with", "verbal_conflict": "against",
                "material_conflict": "on", "MOBILIZE": "to"}


def _join(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def event_label(e: Event, names: Mapping[str, str] | None = None) -> str:
    """Return an event in words: what, by whom, on whom, where, when.

    The words come from the subtype ("missile_strike" -> "Missile strike"),
    else from the category's label in ``geokit/events/data/plover.csv``.

    Examples
    --------
    >>> e = Event("e1", "ASSAULT", "missile_strike", ("houthis",), ("ship",),
    ...           Place("Red Sea", 20.0, 38.0), None, None, "2024-03-04", None,
    ...           "happened", Evidence("", 0, 0), 0.9)
    >>> event_label(e, {"houthis": "the Houthis", "ship": "a Liberian-flagged ship"})
    'Missile strike by the Houthis on a Liberian-flagged ship, Red Sea, 4 Mar 2024'
    """
    what, by, word, on = label_parts(e, names)
    return compose_label(what, by, word, on, place_words(e), human_date(e.date) or "")


def place_words(e: Event) -> str:
    """Return where an event is, in words: its place, after a finer name the index lacks.

    Examples
    --------
    >>> from geokit.models import Mention
    >>> e = Event("e1", "ASSAULT", None, (), (), Place("Sagaing", 22.0, 95.0), None, 2, None,
    ...           None, "happened", Evidence("", 0, 0), 0.9,
    ...           Mention(0, 13, "Oe Htein Kwin", source="place-noun"))
    >>> place_words(e)
    'Oe Htein Kwin, Sagaing'
    """
    m, p = e.place_mention, e.place
    named = m.name if m is not None and m.source in UNKNOWN_PLACE_SOURCES else ""
    return ", ".join(x for x in (named, p.name if p else "") if x)


def label_parts(e: Event, names: Mapping[str, str] | None = None) -> tuple[str, str, str, str]:
    """Return ``(what, by whom, joining word, on whom)`` of :func:`event_label`.

    The timeline stores these few repeated strings, not one sentence per
    event, and the page joins them as :func:`compose_label` does.
    """
    what, word = _what_word(e.category, e.subtype)
    _, _, by, on = _actor_words(e.source, e.target, names or {})
    return what, by, word, on


def _actor_words(source: Sequence[str], target: Sequence[str],
                 names: Mapping[str, str]) -> tuple[str, str, str, str]:
    # (actors, targets) as a list says them, then (by whom, on whom) as a label does.
    src = [names.get(i, i) for i in source]
    tgt = [names.get(i, i) for i in target]
    return (", ".join(src) or "?", ", ".join(tgt), _join(src) if src else "",
            _join(tgt) if tgt else "")


@functools.lru_cache(maxsize=1024)  # a few categories and subtypes, thousands of events
def _what_word(category: str, subtype: str | None) -> tuple[str, str]:
    row = plover_table().get(category.upper())
    what = subtype.replace("_", " ").strip().capitalize() if subtype else \
        (row.label if row else category.capitalize())
    word = _TARGET_WORD.get(category.upper()) or _TARGET_WORD.get(row.group if row else "", "on")
    return what, word


def compose_label(what: str, by: str, word: str, on: str, place: str, date: str) -> str:
    """Join the parts of an event label (the page's timeline script does the same).

    Examples
    --------
    >>> compose_label("Missile strike", "the Houthis", "on", "a ship", "Red Sea", "")
    'Missile strike by the Houthis on a ship, Red Sea'
    """
    text = what + (f" by {by}" if by else "") + (f" {word} {on}" if on else "")
    return ", ".join([text, *(x for x in (place, date) if x)])


def _day_bound(value: str | None, name: str) -> int | None:
    if value is None:
        return None
    day = day_number(value) if is_iso_date(value) else None
    if day is None:
        raise ConfigurationError(
            f"{name} must be an ISO date (2024, 2024-03 or 2024-03-04), not {value!r}")
    return day


def filter_events(documents: Document | Iterable[Document], *, min_score: float = 0.0,
                  since: str | None = None, until: str | None = None) -> list[Document]:
    """Keep the events that are confident enough and fall in a period.

    Parameters
    ----------
    documents : Document or iterable of Document
    min_score : float, default 0.0
        Lowest ``Event.confidence`` kept, from 0 to 1.
    since, until : str, optional
        ISO dates, both ends included ("2024-03" runs from 1 to 31 March as an
        ``until``). With either, undated events are left out: nothing says
        they fall in the period.

    Returns
    -------
    list of Document
        The documents with the other events, and the relations that only they
        supported, removed; places are kept.

    Raises
    ------
    ConfigurationError
        A score outside 0..1 or a date that is not ISO, naming the option.
    """
    if not 0.0 <= min_score <= 1.0:
        raise ConfigurationError(f"min_score must be between 0 and 1, not {min_score!r}")
    lo = _day_bound(since, "since")
    hi = _day_bound(until, "until")
    if hi is not None and until is not None:
        hi = _period_end(until, hi)
    out = []
    for doc in _docs(documents):
        keep = tuple(e for e in doc.events if e.confidence >= min_score
                     and _in_period(e.date, lo, hi))
        if len(keep) == len(doc.events):
            out.append(doc)
            continue
        ids = {e.id for e in keep}
        rels = tuple(r for r in doc.relations if not r.events or ids & set(r.events))
        out.append(dataclasses.replace(doc, events=keep, relations=rels))
    return out


def _period_end(value: str, first: int) -> int:
    # "2024-03" as an upper bound means the whole of March.
    if len(value) == 4:
        return day_number(f"{int(value) + 1}") - 1
    if len(value) == 7:
        y, m = int(value[:4]), int(value[5:])
        nxt = f"{y + 1}-01" if m == 12 else f"{y}-{m + 1:02d}"
        return day_number(nxt) - 1
    return first


def _in_period(date: str | None, lo: int | None, hi: int | None) -> bool:
    if lo is None and hi is None:
        return True
    day = day_number(date)
    if day is None:
        return False
    return (lo is None or day >= lo) and (hi is None or day <= hi)


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
