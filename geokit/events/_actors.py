"""Find and normalise the actors of a text: states, leaders, officials, forces, organisations.

Known actors come from a curated, sourced table (``geokit/events/data/actors.csv``)
plus the gazetteer's country aliases, demonyms and seat-of-power metonyms, all
matched at once with an Aho-Corasick automaton (pyahocorasick). A user file
with the same columns extends the table. Persons and organisations the table
does not know are taken from spaCy's NER, run only on sentences that hold an
unexplained run of capitalised words, with their country read from the title
or affiliation next to them ("Ukrainian MP Yegor Chernev").

Variants are one actor: "Kim Jong-un", "Kim Jong Un" and (once he is named)
"Kim"; "DPRK", "North Korea", "North Korean" and "Pyongyang" used as an actor;
"Vladimir Putin", "Putin" and "the Russian president" (by term of office and the
article date). A state's armed forces ("North Korean soldiers", "troops from
the DPRK", "China's military") are the actor ``mil:ISO3``.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import os
import re
import threading
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from geokit.errors import InputError
from geokit.events._lexicon import (
    CALENDAR_WORDS,
    COUNT,
    COUNT_QUALIFIER,
    aboard,
    agent_id,
    agent_nouns,
    casualty_words,
    conflict_trigger_rows,
    force_nouns,
    force_sites,
    home_bodies,
    nationals,
    not_agents,
    org_types,
    peoples,
    place_noun_forms,
    place_nouns,
    plural,
    protest_noun_phrase,
    protest_nouns,
    slugify,
    un_missions,
)
from geokit.gazetteer._normalize import fold
from geokit.geoparse._nlp import Steps
from geokit.geoparse._recognize import sentence_bounds
from geokit.models import Actor, ActorMention, NerReading, Toponym

__all__ = [
    "ACTOR_TYPES",
    "TABLE_ONLY_TYPES",
    "ActorEntry",
    "ActorMatch",
    "ActorTable",
    "common_word",
    "find_actors",
    "match_actors",
    "with_agents",
    "slugify",
]

#: Values of :attr:`Actor.type`.
ACTOR_TYPES = (
    "state", "government", "leader", "official", "military", "armed_group",
    "international_org", "ngo_or_think_tank", "media", "person",
)
#: Types a table row may have besides :data:`ACTOR_TYPES`: a news agency's name
#: is matched so that nothing else reads it (NER would make "Reuters" an
#: organisation), but the agency filed the story and is never an actor.
TABLE_ONLY_TYPES = ("news_agency",)
#: Types that act for a state: events between them are coded to the state.
STATE_AFFILIATED = frozenset({"state", "government", "leader", "official", "military"})

_COLUMNS = ("id", "name", "type", "country", "aliases", "demonyms", "roles", "term", "lat",
            "lon", "source")
_TABLE = Path(__file__).with_name("data") / "actors.csv"
#: Environment variable naming extra actor files (os.pathsep-separated).
ENV_ACTORS = "GEOKIT_ACTORS"

# Words that make a demonym or state name into that state's armed forces.
_MILITARY_NOUNS = force_nouns("actor")
_MIL_AFTER = re.compile(
    r"(?:'s|’s)?((?:[ -](?:[a-z][a-z-]+)){0,2}?)[ -](" + "|".join(
        sorted((re.escape(n) for n in _MILITARY_NOUNS), key=len, reverse=True)) + r")\b")
_MIL_BEFORE = re.compile(
    r"\b(?:" + "|".join(re.escape(n) for n in _MILITARY_NOUNS) + r")\s+from\s+(?:the\s+)?$")
# A mention after one of these (and nothing else) is a place, not an actor:
# "troops in Afghanistan and Iraq", "a summit held in Switzerland".
_LOCATIVE = frozenset({
    "in", "into", "to", "from", "at", "across", "near", "throughout", "within", "inside",
    "via", "toward", "towards", "around", "outside", "onto", "through", "off", "over",
    "along", "entered", "reach", "reached", "reaches",
})
_WORD_BEFORE = re.compile(r"([A-Za-z’']+)\W*$")
_PART_WORDS = frozenset({
    "northern", "southern", "eastern", "western", "central", "northeastern",
    "northwestern", "southeastern", "southwestern", "north", "south", "east", "west",
    "northeast", "northwest", "southeast", "southwest", "occupied", "neighbouring",
    "neighboring", "mainland", "rural"})
# "near the border with Mali", "along Congo's eastern border with Rwanda" is where;
# "closed its border crossing with Russia" is to whom
_BORDER_WITH = re.compile(r"\b(?:near|on|along|across|at|to|from|by|over)\s+(?:the|its|their|"
                          r"(?:[A-Z][\w.-]*\s+){0,2}[A-Z][\w.-]*(?:'s|’s))\s+"
                          r"(?:[a-z]+\s+)?(?:border|frontier|boundary)\s+with\s*$")
# Capitalised words NER should look at when the table explains none of them.
_CAPS_RUN = re.compile(r"\b[A-Z][a-z]+(?:[- ](?:[A-Z][a-z]+|al|bin|de|van|von)){1,3}\b")


@dataclass(frozen=True, slots=True)
class ActorEntry:
    """One row of the actor table.

    Attributes
    ----------
    id, name, type, country : str
        As in :class:`~geokit.Actor` (``country`` may be empty).
    aliases : tuple of str
        Other names; a leading ``~`` marks a weak alias ("~Kim") that counts only
        once the actor is named in full in the same text.
    demonyms : tuple of str
        Adjectival forms (states only).
    roles : tuple of str
        Descriptions that name the holder during ``terms`` ("Russian president").
    terms : tuple of (int, int or None)
        Years in office, for roles.
    source : str
        Where the row comes from (a Wikipedia article, a standard).
    """

    id: str
    name: str
    type: str
    country: str | None
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    terms: tuple[tuple[int, int | None], ...] = ()
    source: str = ""
    origin: str = "curated"

    def in_office(self, year: int | None) -> bool:
        """Say whether the entry held its role in ``year`` (any term when unknown)."""
        if year is None or not self.terms:
            return True
        return any(a <= year <= (b if b is not None else 9999) for a, b in self.terms)

    def last_term(self) -> int:
        """Return the start year of the latest term (0 without terms)."""
        return max((a for a, _ in self.terms), default=0)


@dataclass(frozen=True, slots=True)
class ActorMatch:
    """One actor mention found in a text.

    ``kind`` says how it was found: name, alias, weak, demonym, capital, role,
    metonym, military or ner. ``locative`` marks a state named only as a
    place ("troops in Iraq").
    """

    start: int
    end: int
    text: str
    actor_id: str
    kind: str
    locative: bool = False
    country: str | None = None  # of a generic agent ("Nigerian police"): kind "agent"


def _split(cell: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in (cell or "").split("|") if x.strip())


def _terms(cell: str, origin: str) -> tuple[tuple[int, int | None], ...]:
    out = []
    for part in _split(cell.replace(";", "|")):
        m = re.fullmatch(r"(\d{4})\s*-\s*(\d{4})?", part)
        if not m:
            raise InputError(f"bad term {part!r}: expected YYYY-YYYY or YYYY-", source=origin)
        out.append((int(m[1]), int(m[2]) if m[2] else None))
    return tuple(out)


def read_actor_file(path: str | os.PathLike[str], *, origin: str | None = None
                    ) -> list[ActorEntry]:
    """Read an actor CSV (the columns of ``actors.csv``; ``id``, ``name``, ``type`` required).

    Raises
    ------
    InputError
        Unreadable file, missing columns, an unknown type or a bad term; the
        message names the file and line.
    """
    p = Path(path)
    origin = origin or p.name
    try:
        with p.open(newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            missing = {"id", "name", "type"} - set(reader.fieldnames or ())
            if missing:
                raise InputError(f"missing column(s) {', '.join(sorted(missing))}", source=origin)
            rows = list(reader)
    except OSError as exc:
        raise InputError(f"cannot read actor file: {exc.strerror}", source=str(p)) from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", source=origin) from exc
    out = []
    for n, r in enumerate(rows, 2):
        where = f"{origin}:{n}"
        if not (r.get("id") or "").strip() or not (r.get("name") or "").strip():
            raise InputError("empty id or name", source=where)
        typ = (r.get("type") or "").strip()
        if typ not in ACTOR_TYPES + TABLE_ONLY_TYPES:
            raise InputError(f"unknown type {typ!r}; valid: "
                             f"{', '.join(ACTOR_TYPES + TABLE_ONLY_TYPES)}", source=where)
        out.append(ActorEntry(
            id=r["id"].strip(), name=r["name"].strip(), type=typ,
            country=(r.get("country") or "").strip().upper() or None,
            aliases=_split(r.get("aliases", "")), demonyms=_split(r.get("demonyms", "")),
            roles=_split(r.get("roles", "")), terms=_terms(r.get("term", "") or "", where),
            source=(r.get("source") or "").strip(),
            origin="curated" if p == _TABLE else "user",
        ))
    return out


def _gazetteer_rows() -> tuple[dict[str, set[str]], dict[str, set[str]], list[tuple[str, str]]]:
    """Country aliases, demonyms (with plurals) and metonyms from the gazetteer tables."""
    from geokit.gazetteer._build import data_dir  # noqa: PLC0415

    folder = data_dir()
    aliases: dict[str, set[str]] = {}
    demonyms: dict[str, set[str]] = {}
    metonyms: list[tuple[str, str]] = []
    with (folder / "country_aliases.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            aliases.setdefault(r["iso3"], set()).add(r["alias"])
    with (folder / "demonyms.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            code = r["refers_to"]
            if len(code) == 3 and code.isupper():
                demonyms.setdefault(code, set()).update([r["demonym"], *_split(r["aliases"])])
    with (folder / "metonyms.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if r.get("country"):
                for n in (r["name"], *_split(r["aliases"])):
                    metonyms.append((n, r["country"]))
    return aliases, demonyms, metonyms


class ActorTable:
    """The known actors and an automaton that finds them in text.

    Parameters
    ----------
    entries : iterable of ActorEntry
        Later entries with an id already present replace the earlier one.
    gazetteer_forms : bool, default True
        Add the gazetteer's country aliases, demonyms and metonyms to the states.
    """

    _default: ActorTable | None = None
    _lock = threading.Lock()

    def __init__(self, entries: Iterable[ActorEntry], *, gazetteer_forms: bool = True) -> None:
        import ahocorasick  # noqa: PLC0415

        self.entries: dict[str, ActorEntry] = {}
        for e in entries:
            self.entries[e.id] = e
        self._states = {e.country: e for e in self.entries.values()
                        if e.type == "state" and e.country}
        forms: dict[str, dict[str, str]] = {}  # surface -> {actor id: kind}

        def add(surface: str, actor_id: str, kind: str) -> None:
            if len(surface) < 2:
                return
            slot = forms.setdefault(surface, {})
            # The strongest kind wins when one surface form names an actor twice.
            if actor_id not in slot or _KIND_RANK[kind] < _KIND_RANK[slot[actor_id]]:
                slot[actor_id] = kind

        g_aliases, g_demonyms, g_metonyms = _gazetteer_rows() if gazetteer_forms else ({}, {},
                                                                                     [])
        for e in self.entries.values():
            add(e.name, e.id, "name")
            if e.name.startswith("the "):
                add("The " + e.name[4:], e.id, "name")
            for a in e.aliases:
                if a.startswith("~"):
                    add(a[1:], e.id, "weak")
                elif e.type == "state":
                    add(a, e.id, "capital")
                else:
                    add(a, e.id, "alias")
            for d in e.demonyms:
                add(d, e.id, "demonym")
            if e.type == "state" and e.country:
                for a in g_aliases.get(e.country, ()):
                    add(a, e.id, "alias")
                    if a.startswith("the "):
                        add("The " + a[4:], e.id, "alias")
                for d in g_demonyms.get(e.country, ()):
                    add(d, e.id, "demonym")
        for name, code in g_metonyms:
            st = self._states.get(code)
            if st is not None:
                add(name, st.id, "metonym")
        self._roles: dict[str, list[str]] = {}
        for e in self.entries.values():
            for r in e.roles:
                self._roles.setdefault(r.lower(), []).append(e.id)
        for surface in list(forms):
            # News writes the Arabic article both ways ("Jabhat al-Nusra", "Jabhat
            # Al-Nusra"); the automaton is case-sensitive, so both are its forms.
            for variant in _article_variants(surface):
                for actor_id, kind in forms[surface].items():
                    if variant not in forms or actor_id not in forms[variant]:
                        add(variant, actor_id, kind)
        self._auto = ahocorasick.Automaton()
        for surface, ids in forms.items():
            self._auto.add_word(surface, (surface, tuple(ids.items())))
        self._auto.make_automaton()
        # Role phrases are matched case-insensitively on a lower-cased copy.
        self._roles_auto = ahocorasick.Automaton()
        for role in self._roles:
            self._roles_auto.add_word(role, role)
        self._roles_auto.make_automaton()

    # ------------------------------------------------------------------ loading

    @classmethod
    def default(cls) -> ActorTable:
        """Return the packaged table plus files named in ``$GEOKIT_ACTORS`` (built once)."""
        with cls._lock:
            if cls._default is None:
                extra = [p for p in os.environ.get(ENV_ACTORS, "").split(os.pathsep) if p]
                cls._default = cls.from_files(*extra)
            return cls._default

    @classmethod
    def from_files(cls, *paths: str | os.PathLike[str]) -> ActorTable:
        """Return the packaged table extended (or overridden, by id) with user files."""
        entries = list(_packaged_entries())
        for p in paths:
            entries.extend(read_actor_file(p))
        return cls(entries)

    def get(self, actor_id: str) -> ActorEntry | None:
        """Return the entry with this id, or None."""
        return self.entries.get(actor_id)

    def state(self, iso3: str | None) -> ActorEntry | None:
        """Return the state entry of a country code, or None."""
        return self._states.get(iso3) if iso3 else None

    def military_of(self, iso3: str) -> ActorEntry:
        """Return the armed forces of a state (curated row, else one named from the state)."""
        e = self.entries.get(f"mil:{iso3}")
        if e is not None:
            return e
        st = self._states.get(iso3)
        name = f"armed forces of {st.name}" if st else f"armed forces ({iso3})"
        return ActorEntry(id=f"mil:{iso3}", name=name, type="military", country=iso3,
                          source=f"derived from state:{iso3}")

    # ------------------------------------------------------------------ matching

    def raw_matches(self, text: str) -> list[tuple[int, int, str, tuple[tuple[str, str], ...]]]:
        """Return ``(start, end, surface, ((actor id, kind), ...))``, longest first, bounded."""
        hits = []
        for end_idx, (surface, ids) in self._auto.iter(text):
            if not ids:
                continue
            start = end_idx - len(surface) + 1
            if _bounded(text, start, end_idx + 1):
                hits.append((start, end_idx + 1, surface, ids))
        lower = text.lower()
        for end_idx, role in self._roles_auto.iter(lower):
            start = end_idx - len(role) + 1
            if _bounded(text, start, end_idx + 1):
                hits.append((start, end_idx + 1, text[start:end_idx + 1],
                             tuple((i, "role") for i in self._roles[role])))
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        # Roles first: "the US president" is the president, not "the US".
        roles, last = [], -1
        for h in hits:
            if h[3] and h[3][0][1] == "role" and h[0] >= last:
                roles.append(h)
                last = h[1]
        out = list(roles)
        taken: list[tuple[int, int]] = []
        # Longest first among the rest: "The US Treasury" is the Treasury, not
        # "The US" (an alias with its article) followed by a stray word.
        for h in sorted(hits, key=lambda h: (-(h[1] - h[0]), h[0])):
            if h[3] and h[3][0][1] == "role":
                continue
            inside = any(r[0] <= h[0] and h[1] <= r[1] for r in roles)
            crossing = any(r[0] < h[1] and h[0] < r[1] for r in roles)
            if inside:
                # "Pentagon spokesperson" names the spokesperson and the Pentagon
                # (but "the US president" is not a mention of the US as an actor).
                if not any(self.entries[i].type == "state" for i, _ in h[3]):
                    out.append(h)
            elif not crossing and not any(a < h[1] and h[0] < b for a, b in taken):
                out.append(h)
                taken.append((h[0], h[1]))
        out.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        return out


_KIND_RANK = {"name": 0, "alias": 1, "capital": 2, "demonym": 3, "metonym": 4, "weak": 5,
              "role": 6}


@functools.cache
def _packaged_entries() -> tuple[ActorEntry, ...]:
    curated = tuple(read_actor_file(_TABLE, origin="actors.csv"))
    return curated + armed_group_entries(curated)


_GROUPS = Path(__file__).with_name("data") / "armed_groups.csv"
_SMALL = frozenset({"of", "the", "for", "and", "in", "on", "to", "de", "del", "la", "el"})
_PAREN = re.compile(r"\s*\(([^)]*)\)")


def _title(name: str) -> str:
    # PETRARCH2 writes names in lower case; news capitalises all but the small words.
    words = name.split()
    return " ".join(w if (i and w in _SMALL) else "-".join(p[:1].upper() + p[1:]
                                                          for p in w.split("-"))
                    for i, w in enumerate(words))


def _group_surfaces(cell: str) -> list[str]:
    out = []
    for raw in filter(None, (x.strip() for x in cell.split("|"))):
        for inner in _PAREN.findall(raw):
            # "(inla)": an acronym the news writes in capitals; "(colombia)": a qualifier
            if inner.isalpha() and len(inner) <= 6:
                out.append(inner.upper())
        name = _PAREN.sub("", raw).strip()
        name = name[4:] if name.startswith("the ") else name
        if " " not in name and name.isalpha() and len(name) <= 5:
            if not common_word(name):
                out.append(name.upper())  # "ezln"; not "youth"
        elif " " in name or "-" in name:
            out.append(_title(name))
    return out


def armed_group_entries(known: Sequence[ActorEntry]) -> tuple[ActorEntry, ...]:
    """Return the PETRARCH2 armed non-state groups (``data/armed_groups.csv``) as actor entries.

    Only groups coded as rebels of a state (``XXXREB``, the state's ISO code
    first): the dictionary's other rows mix individual militants with groups.
    Names become the capitalised forms the news writes ("Boko Haram", "INLA");
    one-word names only as acronyms, so that no common word becomes an actor;
    a name a curated row already uses stays the curated actor's.

    Examples
    --------
    >>> e = {x.id: x for x in armed_group_entries(())}["org:boko-haram"]
    >>> e.name, e.type, e.country
    ('Boko Haram', 'armed_group', 'NGA')
    """
    taken = {fold(f) for e in known for f in (e.name, *e.aliases)}
    states = {e.country for e in known if e.type == "state"} or None
    out = []
    with _GROUPS.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(line for line in f if not line.startswith("#")):
            code = r["code"]
            if len(code) != 6 or not code.endswith("REB"):
                continue
            names = [x for x in _group_surfaces(r["name"] + "|" + r["aliases"])
                     if fold(x) not in taken]
            if not names:
                continue
            country = code[:3] if states is None or code[:3] in states else None
            taken.update(fold(x) for x in names)
            out.append(ActorEntry(f"org:{slugify(names[0])}", names[0], "armed_group", country,
                                  tuple(names[1:]), source="PETRARCH2 (MIT): armed_groups.csv",
                                  origin="armed_groups.csv"))
    return tuple(out)


def _bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before in "-_") and not (after.isalnum() or after in "_")


def _year(date: str | None, text: str) -> int | None:
    if date and re.match(r"\d{4}", date):
        return int(date[:4])
    years = [int(y) for y in re.findall(r"\b(19[5-9]\d|20[0-4]\d)\b", text)]
    return max(years) if years else None


def _locative(text: str, start: int, prev_locative: tuple[int, bool] | None) -> bool:
    m = _WORD_BEFORE.search(text, max(0, start - 30), start)
    # "in northeastern Syria", "in the occupied West Bank": the preposition is
    # before the words that only say which part (not before "the" alone: "to
    # the United States" is a recipient as often as a destination)
    skipped = 0
    while m and skipped < 3 and (m.group(1).lower() in _PART_WORDS or (
            skipped and m.group(1).lower() == "the")):
        skipped += 1
        m = _WORD_BEFORE.search(text, max(0, m.start() - 30), m.start())
    if not m:
        return False
    word = m.group(1).lower()
    if word in _LOCATIVE:
        return True
    if word == "with" and _BORDER_WITH.search(text, max(0, start - 60), start):
        return True  # "near the border with Mali": a place, not a partner
    if word in place_nouns("before") and _in_the_place_noun().search(
            text, max(0, start - 60), start):
        return True  # "in the capital, Islamabad", "in the Kenyan capital Nairobi": where
    # "in Afghanistan and Iraq": a conjunct inherits its neighbour's role.
    if word in ("and", "or") and prev_locative is not None:
        end, loc = prev_locative
        return loc and start - end < 12
    return False


@functools.cache
def _place_noun_pattern() -> re.Pattern[str]:
    return re.compile(rf" (?:{'|'.join(place_nouns('before'))})s?\b(?! (?:official|council|"
                      rf"authorit|governor|administration|leader|chief|police|resident))")


@functools.cache
def _in_the_place_noun() -> re.Pattern[str]:
    # "in the capital, Kabul": the name after a place noun (data/place_nouns.csv)
    # that follows a locative preposition is that place, as "in Kabul" is
    return re.compile(r"\b(?:in|into|at|near|outside|inside|across|throughout|to|from)\s+"
                      r"the\s+(?:[A-Za-z’'-]+\s+){0,3}?(?:" + "|".join(place_nouns("before"))
                      + r")\s*,?\s*$")


def _place_noun_after(text: str, end: int) -> bool:
    return _place_noun_pattern().match(text, end) is not None


def match_actors(text: str, *, table: ActorTable | None = None, date: str | None = None
                 ) -> list[ActorMatch]:
    """Find the table's actors in ``text``, in text order.

    Parameters
    ----------
    text : str
    table : ActorTable, optional
        Default :meth:`ActorTable.default`.
    date : str, optional
        Article date (ISO); picks the holder of a role ("the US president").
        Without it, the latest year the text mentions is used.

    Returns
    -------
    list of ActorMatch
        Includes locative state mentions (``locative=True``) so callers can
        tell "Iraq" the place from "Iraq" the actor.
    """
    table = table or ActorTable.default()
    year = _year(date, text)
    raw = table.raw_matches(text)
    strong = {i for *_, ids in raw for i, k in ids if k not in ("weak", "role")}
    out: list[ActorMatch] = []
    prev: tuple[int, bool] | None = None
    for start, end, _surface, ids in raw:
        span = text[start:end]
        if _NAME_PARTICLE.search(text, max(0, start - 20), start):
            continue  # "Mocimboa da Praia", "Rio de Janeiro": part of a longer name
        chosen: tuple[str, str] | None = None
        if ids[0][1] == "role":
            holders = [table.entries[i] for i, _ in ids]
            named = [h for h in holders if h.id in strong]
            cands = [h for h in (named or holders) if h.in_office(year)] or named or holders
            chosen = (max(cands, key=ActorEntry.last_term).id, "role")
        else:
            usable = [(i, k) for i, k in ids if k != "weak" or i in strong]
            if usable:
                chosen = min(usable, key=lambda ik: _KIND_RANK[ik[1]])
        if chosen is None:
            continue
        actor_id, kind = chosen
        entry = table.entries[actor_id]
        if entry.type == "state" and entry.country:
            # "Russian military engineers", "Russia's armed forces"; but not
            # "Russia deployed troops"
            mil = _military_span(text, start, end, modifiers=kind == "demonym")
            if mil is None and text[end:end + 2] in ("'s", "’s"):
                mil = _possessed_force(text, start, end)
            if mil is not None:
                a, b = mil
                out.append(ActorMatch(a, b, text[a:b], table.military_of(entry.country).id,
                                      "military"))
                prev = (b, False)
                continue
            # "the central Haitian town of Mirebalais": the demonym says where
            # the town is; the state is no party there
            loc = _place_noun_after(text, end) if kind == "demonym" else _locative(
                text, start, prev)
            out.append(ActorMatch(start, end, span, actor_id, kind, loc))
            prev = (end, loc)
        else:
            out.append(ActorMatch(start, end, span, actor_id, kind))
            prev = (end, False)
    return _shared_force_noun(text, out, table)


def _shared_force_noun(text: str, out: list[ActorMatch], table: ActorTable
                       ) -> list[ActorMatch]:
    # "US and Canadian fighter jets", "British, French and US troops": the
    # force noun after the last conjunct belongs to each of them.
    for k in range(len(out) - 2, -1, -1):
        m, nxt = out[k], out[k + 1]
        entry = table.entries.get(m.actor_id)
        attributive = m.kind == "demonym" or m.text.isupper()  # "Canadian", "US", "UK"
        if (nxt.actor_id.startswith("mil:") and attributive and entry is not None
                and entry.type == "state" and entry.country and not m.locative
                and re.fullmatch(r",? (?:and |or )?|, ", text[m.end:nxt.start])):
            out[k] = ActorMatch(m.start, m.end, m.text, table.military_of(entry.country).id,
                                "military")
    return out


_NAME_PARTICLE = re.compile(r"\b[A-Z][a-z]+ (?:da|de|do|dos|das|del|di|du|la|le)\s$")
# Words between a demonym and a force noun that show it is not one phrase.
_NOT_MODIFIER = frozenset({
    "and", "or", "of", "the", "to", "is", "was", "are", "were", "be", "will", "would", "has",
    "have", "had", "can", "could", "may", "might", "also", "not", "did", "does", "do", "its",
    "their", "with", "which", "that", "said", "says", "send", "sent", "sends", "deploy",
    "deployed", "against", "for", "by", "from", "in", "on", "at", "as", "than", "more", "many",
})


def outside_place_names(matches: Sequence[ActorMatch], toponyms: Sequence[Toponym]
                        ) -> list[ActorMatch]:
    """Drop matches inside a longer place name ("the South China Sea", "Kyiv Oblast").

    There the state's name names the place, not the state.
    """
    spans = [(t.mention.start, t.mention.end) for t in toponyms]
    return [m for m in matches if not any(
        a <= m.start and m.end <= b and b - a > m.end - m.start for a, b in spans)]


# The capitalised words (and Arabic articles) of a name around a match: "Dahiyat [Al-Assad]"
_NAME_WORDS_BEFORE = re.compile(r"(?:(?:[A-Z][\w'’-]*|[ae]l-\w+)\s)+$")
_NAME_WORDS_AFTER = re.compile(r"(?:\s(?:[A-Z][\w'’-]*|[ae]l-\w+))+")


def inside_named_places(text: str, matches: Sequence[ActorMatch]) -> list[ActorMatch]:
    """Drop matches inside a longer name that a place noun says is a place's.

    "shelled the Dahiyat Al-Assad district", "the Kim Il Sung Square": the
    district and the square are named after the actor, who is no party to
    what happens there (data/place_nouns.csv, as for NER's persons; the
    geoparser's known places are :func:`outside_place_names`'s). A match that
    is the whole name stays ("Assad's forces entered the district").

    Examples
    --------
    >>> text = "Shells hit the Dahiyat Al-Assad district."
    >>> m = ActorMatch(23, 31, "Al-Assad", "person:bashar-al-assad", "table")
    >>> inside_named_places(text, [m])
    []
    """
    out = []
    for m in matches:
        pre = _NAME_WORDS_BEFORE.search(text, max(0, m.start - 60), m.start)
        post = _NAME_WORDS_AFTER.match(text, m.end)
        start = pre.start() if pre else m.start
        end = post.end() if post else m.end
        if (start, end) != (m.start, m.end) and _named_place(text, start, end):
            continue
        out.append(m)
    return out


_FLAG = re.compile(r"-(?:flagged|registered|owned|operated|bound)\b")


def _trie_regex(words: Iterable[str]) -> str:
    r"""Return a regex that matches any of ``words``, longest first, as a trie (no top-level ``|``).

    An alternation of ~1,500 nouns makes the regex engine try every noun at
    every position; branching on one character at a time tries only the nouns
    that share the text's prefix. A word that ends inside a longer one becomes
    an optional (greedy) tail, so the longer word is tried first, as in an
    alternation sorted longest first.

    Examples
    --------
    >>> _trie_regex(["ab", "abc", "b"])
    '(?:ab(?:c)?|b)'
    """
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


@functools.cache
def _agent_pattern() -> re.Pattern[str]:
    # the phrases that are things ("passenger train") match too, and are then skipped
    return re.compile(rf"\b{_trie_regex([*agent_nouns(), *not_agents()])}\b", re.I)


def with_agents(text: str, matches: Sequence[ActorMatch], table: ActorTable
                ) -> list[ActorMatch]:
    """Add the generic agents of ``data/agents.csv`` ("gunmen", "police", "civilians").

    Each is the actor ``agent:<noun>`` (kind ``agent``). A state's demonym or
    name just before gives it that country ("Nigerian police"); the name of a
    group or person just before makes the noun part of that actor's phrase
    ("Boko Haram fighters"), so no agent is added. A capitalised noun inside a
    sentence is part of a name ("Nigeria Police Force").
    """
    # "a Liberian-flagged carrier", "a British-owned ship": a flag, not a party
    out = [m for m in matches if not _FLAG.match(text, m.end)]
    by_end = {m.end: k for k, m in enumerate(out)}
    skip = not_agents()
    for r in _agent_pattern().finditer(text):
        a, b = r.span()
        if r[0].lower() in skip:
            continue  # "a passenger train", "the hostage deal": a thing
        if r[0][0].isupper() and not re.search(r"(?:^|[.!?\"“]\s*|\)?\s*[-–—]\s*)$",
                                                text[max(0, a - 6):a]):
            continue
        if any(m.start < b and a < m.end for m in out):
            continue
        k = by_end.get(a - 1) if text[a - 1:a] == " " else None
        country = None
        before = re.search(r"([A-Z][\w'’-]*) $", text[max(0, a - 30):a])
        # The first word of a sentence is capitalised anyway, also after a
        # dateline ("DAMASCUS, June 23 (Reuters) - A suicide bomber opened fire")
        if k is None and before and before[1].lower() not in peoples() and not \
                _SENTENCE_FIRST.search(text[max(0, a - 30):a]) and (
                before[1].lower().rstrip(".") not in CALENDAR_WORDS) and not (
                _SPONSORED.search(before[1])):
            # "Boko Haram fighters": a name the table does not know ("Kurdish": no
            # name; "On Sunday demonstrators": a day)
            continue
        if k is not None and out[k].kind == "agent" and " " not in out[k].text and (
                plural(out[k].text.lower()) != out[k].text.lower()) and (
                plural(out[k].text.lower()) in agent_nouns()):
            # "rebel fighters", "cartel gunmen": one kind of people, as event coders
            # name them: by the first noun before a word for any armed member
            # (rebels, jihadists), else by the head (gunmen)
            prev = out[k]
            first = r[0].lower() in _MEMBER_NOUNS
            out[k] = ActorMatch(prev.start, b, text[prev.start:b], agent_id(
                plural(prev.text.lower()) if first else r[0]), "agent", country=prev.country)
            by_end[b] = k
            continue
        if k is not None:
            prev = out[k]
            entry = table.get(prev.actor_id)
            if entry is None or entry.type != "state" or prev.kind not in ("demonym", "name",
                                                                           "alias"):
                continue
            country = entry.country  # the demonym stays the state's mention too
        noun = r[0]
        if _THEIR_THING.match(text, b) and plural(noun.lower()) in agent_nouns():
            noun = plural(noun.lower())  # "a jihadist attack", "rebel positions": jihadists'
        out.append(ActorMatch(a, b, text[a:b], agent_id(noun), "agent",
                              country=country))
        by_end[b] = len(out) - 1
    return sorted(out, key=lambda m: m.start)


def national_people(text: str, matches: Sequence[ActorMatch], table: ActorTable
                    ) -> list[ActorMatch]:
    """Make a state's demonym before a people noun those people ("six Colombian men").

    The nouns are those of ``data/nationals.csv``: "police arrested six Colombian
    men" arrests men, not Colombia, so the phrase is the actor
    ``agent:colombian-men`` (type civilians, country COL) and the demonym no
    mention of the state. A word written capitalised ("Colombian Men") is part
    of a name and left alone.

    Examples
    --------
    >>> from geokit.events._actors import ActorTable
    >>> t = ActorTable.default()
    >>> [(m.actor_id, m.country) for m in national_people(
    ...     "Police arrested six Colombian men.", [ActorMatch(20, 29, "Colombian",
    ...     "state:COL", "demonym")], t)]
    [('agent:colombian-men', 'COL')]
    """
    out = []
    for m in matches:
        entry = table.get(m.actor_id)
        r = _national_after().match(text, m.end) if m.kind == "demonym" and (
            entry is not None and entry.type == "state") else None
        if r is None or any(x.start < r.end() and r.start() < x.end
                            for x in matches if x is not m):
            out.append(m)
            continue
        out.append(ActorMatch(m.start, r.end(), text[m.start:r.end()],
                              "agent:" + slugify(f"{m.text} {r[1]}"), "agent",
                              country=entry.country))
    return out


@functools.cache
def _national_after() -> re.Pattern[str]:
    nouns = "|".join(sorted(map(re.escape, nationals()), key=len, reverse=True))
    return re.compile(rf"\s+({nouns})\b")


# The one word before an agent noun is a sentence's first ("A suicide bomber"), also
# after a quote or a dateline's dash: capitalised as any first word, it names no group.
_SENTENCE_FIRST = re.compile(r"(?:^|[.!?\"\u201c]\s*|\)\s*[-\u2013\u2014]\s*|"
                             r"\s[-\u2013\u2014]\s+)\S+ $")
# A deed or a place of theirs after a singular agent noun: the noun names the kind of
# people, as event coders write it ("a jihadist attack": jihadists).
_THEIR_THING = re.compile(r"(?:\s+(?:attacks?|assaults?|offensives?|raids?|ambush(?:es)?|"
                          r"bombings?|incursions?|positions?|bases?|strongholds?|hideouts?|"
                          r"camps?|violence)|"
                          # "the rebel-held town", "jihadist-controlled areas": theirs
                          r"-(?:held|controlled|occupied|run))\b")
# "Islamic State-linked insurgents", "Iran-backed militias": a sponsor's name before
# the noun, not the name of the people it denotes (they are an agent of their own)
_SPONSORED = re.compile(r"-(?:linked|backed|affiliated|aligned|allied|inspired|supported|"
                        r"sponsored|funded)$", re.I)
# Heads that say only "members": the noun before them names the kind ("rebel fighters").
_MEMBER_NOUNS = frozenset({"fighters", "fighter", "members", "member", "elements"})

_CROWD_SIZE = (r"(?:(?:more than|over|about|around|some|nearly|almost|at least|up to) )?"
               r"(?:(?:tens|hundreds) of thousands|thousands|hundreds|dozens|scores|"
               r"(?:a|one|two|three|half a|\d[\d,.]*) (?:million|thousand|hundred)|\d[\d,]{2,})")
_CROWD_OF = (r"people|supporters|citizens|residents|opponents|demonstrators|protesters|"
             r"(?-i:[A-Z][a-z]+s)")  # "tens of thousands of Israelis": a demonym's plural


@functools.cache
def _crowd_pattern() -> re.Pattern[str]:
    # every PROTEST row, each sense of a lemma ("took to the streets"); a row with
    # a context needs it right after the verb, where a crowd's protest puts it
    verbs = set()
    for rows in conflict_trigger_rows().values():
        for t in rows:
            if t.category != "PROTEST":
                continue
            stem = t.lemma[:-1] if t.lemma.endswith(("e", "y")) else t.lemma
            forms = "|".join(sorted({rf"{stem}\w*", *map(re.escape, t.forms)}))
            after = rf" (?:{t.context.pattern})" if t.context is not None else r"\b"
            verbs.add(rf"(?:{forms}){after}")
    return re.compile(rf"\b{_CROWD_SIZE}(?:(?: of)? (?:{_CROWD_OF}))?"
                      rf"(?=(?: (?:had|have|were|also))? (?:{'|'.join(sorted(verbs))}))", re.I)


def crowd_agents(text: str, matches: Sequence[ActorMatch]) -> list[ActorMatch]:
    """Add a crowd that marches or rallies as the actor ``agent:protesters``.

    "Thousands of people marched in Istanbul", "Tens of thousands had rallied":
    the crowd is the protest's party though no protester noun names it (the
    verbs are the PROTEST rows of ``data/conflict_triggers.csv``). A crowd doing
    anything else ("thousands of people fled") is no actor here.

    Examples
    --------
    >>> [m.actor_id for m in crowd_agents("Thousands of people marched in Rome.", [])]
    ['agent:protesters']
    """
    out = list(matches)
    for r in _crowd_pattern().finditer(text):
        a, b = r.span()
        inside = [m for m in matches if m.start < b and a < m.end]
        # the crowd's demonym ("thousands of Israelis") gives it a country; any other
        # actor there is the crowd's own name
        if any(m.kind != "demonym" for m in inside):
            continue
        out = [m for m in out if m not in inside]
        states = [m.actor_id.removeprefix("state:") for m in inside
                  if m.actor_id.startswith("state:")]
        out.append(ActorMatch(a, b, text[a:b], "agent:protesters", "agent",
                              country=states[0] if states else None))
    return sorted(out, key=lambda m: m.start)


@functools.cache
def _protest_noun_pattern() -> re.Pattern[str]:
    forms = sorted(protest_nouns(), key=len, reverse=True)
    return re.compile(rf"(?<![\w-])(?:{'|'.join(map(re.escape, forms))})(?![\w-])", re.I)


def protest_crowds(text: str, matches: Sequence[ActorMatch]) -> list[ActorMatch]:
    """Add a protest, strike or riot noun as the crowd that holds it.

    "Three days of demonstrations against President Faure Gnassingbe": no
    protester is named, yet the demonstrations have a party, which event
    coders give as the story's protesters; the noun stands for them (the
    nouns, their crowds and the senses that need a context are the rows of
    ``data/protest_nouns.csv``). A noun inside another actor's name is left to it.

    Examples
    --------
    >>> [m.actor_id for m in protest_crowds("Riots broke out in Leicester.", [])]
    ['agent:rioters']
    >>> protest_crowds("An air strike hit Gaza in March.", [])
    []
    """
    out = list(matches)
    rows = protest_nouns()
    for r in _protest_noun_pattern().finditer(text):
        a, b = r.span()
        row = rows[r[0].lower()]
        if r[0] == "March" or not row.fits(protest_noun_phrase(text, a, b)):
            continue  # the month; "an air strike"
        if any(m.start < b and a < m.end for m in matches):
            continue
        out.append(ActorMatch(a, b, r[0], row.crowd, "agent"))
    return sorted(out, key=lambda m: m.start)


def place_agents(text: str, matches: Sequence[ActorMatch], toponyms: Sequence[Toponym]
                 ) -> list[ActorMatch]:
    """Add a generic agent named after a place ("Hong Kong police", "Gaza residents").

    :func:`with_agents` leaves a noun after a capitalised word to the name it
    may end ("Nigeria Police Force"); after a place the geoparser resolved it
    is that place's agent, with the place's country.

    Examples
    --------
    >>> from geokit.models import Mention, Place, Toponym
    >>> hk = Toponym(Mention(0, 9, "Hong Kong"), Place("Hong Kong", 22.3, 114.2, country="HKG"))
    >>> [(m.actor_id, m.country) for m in place_agents("Hong Kong police fired.", [], [hk])]
    [('agent:police', 'HKG')]
    """
    ends = {t.mention.end: t for t in toponyms if t.place is not None and t.mention.kind == "place"}
    out = list(matches)
    skip = not_agents()
    for r in _agent_pattern().finditer(text):
        a, b = r.span()
        if r[0].lower() in skip:
            continue  # "a passenger train", "the hostage deal": a thing
        top = ends.get(a - 1) if text[a - 1:a] == " " and r[0].islower() else None
        if top is None or any(m.start < b and a < m.end for m in out):
            continue
        out.append(ActorMatch(a, b, text[a:b], agent_id(r[0]), "agent",
                              country=top.place.country))
    return sorted(out, key=lambda m: m.start)


_HOME_FORCE = re.compile(r"\b(?:(?:[Ss]ecurity|[Gg]overnment|[Aa]rmy) forces|[Gg]overnment troops|"
                         r"(?:[Aa]rmy|[Mm]ilitary) officers|"
                         r"[Ss]oldiers|[Tt]roops|(?<=[Tt]he )(?:army|military|armed forces))\b")


# What before a force noun gives it an owner or a count: a name ("Wagner
# soldiers", not "The army"), a number, a possessive.
_OWNED_BEFORE = re.compile(r"(?:(?<![A-Za-z])(?!The\b)[A-Z][\w'’-]*|\d[\d,]*|'s|’s|"
                           r"\b(?:its|his|her|their|our|more|additional|extra|of|foreign|"
                           r"peacekeeping))\s*$")


# A count right before a force noun: "20", "at least 54", "Fifty-four", "dozens of".
_COUNT_BEFORE = re.compile(rf"(?:\b{COUNT_QUALIFIER}\s+)?{COUNT}\s+$", re.I)


@functools.cache
def _casualty_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    after, before = casualty_words()
    alt = "|".join(map(re.escape, after))
    return (re.compile(rf"\b(?:{'|'.join(map(re.escape, before))})\s+$", re.I),
            re.compile(rf"(?:\s*,[^,.;]{{1,60}},)?\s+(?:(?:were|was|are|is|had|have|has)\s+)?"
                       rf"(?:been\s+)?(?:[a-z]+ly\s+)?(?:{alt})\b", re.I))


def _victims(text: str, start: int, end: int) -> bool:
    """Whether counted forces at ``start:end`` are a deed's victims (``casualty_words.csv``).

    "killing 20 soldiers", "Fifty-four soldiers were killed", "Eleven soldiers
    died": those are the story's forces, as event coders code a deed's victims.
    """
    before, after = _casualty_patterns()
    return bool(before.search(text, max(0, start - 20), start) or after.match(text, end))


def without_titles(text: str, matches: Sequence[ActorMatch]) -> list[ActorMatch]:
    """Drop a generic agent that is the title of the person named right after it.

    "opposition leader Ousmane Sonko", "rebel commander Sultani Makenga": the
    person is the actor; the agent noun only says who they are.

    Examples
    --------
    >>> ms = [ActorMatch(0, 17, "opposition leader", "agent:opposition-leader", "agent"),
    ...       ActorMatch(18, 31, "Ousmane Sonko", "person:ousmane-sonko", "ner")]
    >>> [m.actor_id for m in without_titles("opposition leader Ousmane Sonko", ms)]
    ['person:ousmane-sonko']
    """
    persons = {m.start for m in matches if m.actor_id.startswith("person:")}
    return [m for m in matches if not (m.kind == "agent" and text[m.end:m.end + 1] == " "
                                       and m.end + 1 in persons)]


# "the Syrian Arab Army (SAA)": a short form defined in brackets right after a name.
_DEFINED_SHORT = re.compile(r"\s?\(([A-Z][A-Za-z&-]{1,9})\)")


def _abbreviates(short: str, long: str) -> bool:
    """Whether ``short`` is an abbreviation of ``long`` (Schwartz and Hearst, PSB 2003).

    Each character of the short form, right to left, is found in the long form
    in that order, the first at the start of a word; here the long form is the
    whole name, so the short form's first letter is the name's. The algorithm
    scispaCy's AbbreviationDetector runs too; scispaCy itself would bring its
    own models and pins for these few lines.
    """
    s, lf = short.lower(), long.lower()
    if not s or not lf or s[0] != lf[0]:
        return False
    i, j = len(s) - 1, len(lf) - 1
    while i >= 0:
        c = s[i]
        if not c.isalnum():
            i -= 1
            continue
        while j >= 0 and (lf[j] != c or (i == 0 and j > 0 and lf[j - 1].isalnum())):
            j -= 1
        if j < 0:
            return False
        i, j = i - 1, j - 1
    return True


def defined_short_forms(text: str, matches: Sequence[ActorMatch]) -> list[ActorMatch]:
    """Read a short form defined in brackets after an actor's name as that actor, everywhere after.

    "The Syrian Arab Army (SAA) captured Palmyra. The SAA then shelled Raqqa":
    both "SAA" are the army; NER, when it reads them at all, makes a second
    organisation of them, and the later bare "SAA" it never reads. The text's
    own definition wins over any other reading of the short form.

    Examples
    --------
    >>> text = "The Allied Force (AF) shelled Beni. Later the AF left."
    >>> ms = [ActorMatch(4, 16, "Allied Force", "org:allied-force", "ner")]
    >>> [(m.text, m.actor_id) for m in defined_short_forms(text, ms)]
    [('Allied Force', 'org:allied-force'), ('AF', 'org:allied-force'), ('AF', 'org:allied-force')]
    """
    spans: list[ActorMatch] = []
    for m in matches:
        d = _DEFINED_SHORT.match(text, m.end)
        if d is None or m.kind in ("agent", "coref") or m.locative or " " not in m.text:
            continue
        short = d[1]
        if short.lower() == m.text.lower() or not _abbreviates(short, m.text.removeprefix(
                "the ")):
            continue
        kind = "ner" if m.kind == "ner" else "alias"
        spans += [ActorMatch(x.start(), x.end(), short, m.actor_id, kind)
                  for x in re.compile(rf"(?<![\w-]){re.escape(short)}(?![\w-])").finditer(
                      text, d.start(1))]
    if not spans:
        return list(matches)
    kept = [m for m in matches if not any(x.start < m.end and m.start < x.end for x in spans)]
    return sorted(kept + spans, key=lambda m: m.start)


def home_country(toponyms: Sequence[Toponym]) -> str | None:
    """Return the story's country: that of over half its resolved places, else None.

    One place is its own country's story ("Soldiers detained him in Culiacan").
    """
    countries = [t.place.country for t in toponyms if t.place is not None and t.place.country]
    if not countries:
        return None
    [(home, n)] = Counter(countries).most_common(1)
    return home if 2 * n > len(countries) else None


def with_home_country(actors: Sequence[Actor], toponyms: Sequence[Toponym]) -> tuple[Actor, ...]:
    """Give generic agents with no country the story's ("protesters" in a Nairobi story).

    Event coders file a report's protesters, gunmen and police under the
    country it happens in. Applied to the finished actor list only: while
    events are read, an agent's own country (a demonym: "Russian
    mercenaries") may make it stand for its state, which the story's must not.

    Examples
    --------
    >>> from geokit.models import Mention, Place, Toponym
    >>> lome = Toponym(Mention(0, 4, "Lome"), Place("Lomé", 6.13, 1.22, country="TGO"))
    >>> [a.country for a in with_home_country([Actor("agent:protesters", "protesters",
    ...     "protesters")], [lome])]
    ['TGO']
    """
    home = home_country(toponyms)
    if home is None:
        return tuple(actors)
    return tuple(dataclasses.replace(a, country=home)
                 if a.id.startswith("agent:") and not a.country else a for a in actors)


def home_forces(text: str, matches: Sequence[ActorMatch], toponyms: Sequence[Toponym],
                table: ActorTable) -> list[ActorMatch]:
    """Add bare "soldiers", "security forces", "the army" as the forces of the story's country.

    A conflict report names the state once and then its forces bare ("Security
    forces ended the siege"); when most of the text's places lie in one
    country (over half of them; one place is its own country: "Soldiers
    detained him in Culiacan"), those are its forces (``mil:ISO3``),
    as event coders assign them. A force noun with its own owner ("Israeli
    troops", "Wagner soldiers", "its troops") or a count ("sent 5,000 troops":
    cargo) is left alone. A bare state body of ``data/home_bodies.csv`` ("the
    government", "authorities") is a state too: the one the story first names
    as a party, else the story's.
    """
    home = home_country(toponyms)
    if home is None or f"state:{home}" not in table.entries:
        return list(matches)
    out = list(matches)
    for r in _HOME_FORCE.finditer(text):
        a, b = r.span()
        if any(m.start < b and a < m.end for m in matches):
            continue
        before = text[max(0, a - 25):a]
        counted = _COUNT_BEFORE.search(before)
        if counted is not None:
            if not _victims(text, a - len(counted[0]), b):
                continue  # "sent 5,000 troops": cargo
        elif _OWNED_BEFORE.search(before) or (re.search(r"\b[Tt]he\s*$", before) and r[0] not in (
                "army", "military", "armed forces")):
            # "the troops", "the soldiers": forces named before (see _coref)
            continue
        if text.startswith(" of ", b):
            continue  # "troops of the African Union"
        out.append(ActorMatch(a, b, text[a:b], table.military_of(home).id, "military"))
    # "attacked an army base", "ambushed a military convoy": what the forces hold or
    # move in stands for them (force_sites.csv), as "the army" does
    for r in _force_site_pattern().finditer(text):
        a, b = r.span(1)
        if any(m.start < b and a < m.end for m in out) or _OWNED_BEFORE.search(
                text[max(0, a - 25):a]):
            continue  # "a Russian army base", "Israel's military posts": their owner's
        out.append(ActorMatch(a, b, text[a:b], table.military_of(home).id, "military"))
    # "U.N. peacekeepers", "the UN mission" in Lebanon: UNIFIL (un_missions.csv)
    mission = un_missions().get(home)
    if mission is not None and mission in table.entries:
        out = [ActorMatch(m.start, m.end, m.text, mission, m.kind, m.locative, m.country)
               if m.actor_id == "org:un" and _MISSION_AFTER.match(text, m.end) else m
               for m in out]
    # "The government banned the rallies", "Authorities arrested 30 people": the
    # state the story first names as a party ("Finland will close ... The government
    # had shut"), else the story's country
    for r in _home_body_pattern().finditer(text):
        a, b = r.span(1)
        if any(m.start < b and a < m.end for m in out) or text.startswith((" of ", " in "), b):
            continue
        before = text[max(0, a - 25):a]
        if not (re.search(r"\b(?:[Tt]he|[Aa]n?)\s+(?:[a-z][a-z-]*\s+)?$", before) or (
                home_bodies().get(r[1].lower()) and not _OWNED_BEFORE.search(before))):
            continue  # "its government", "Kenya's government": an owner of its own
        party = next((m.actor_id for m in matches if m.end <= a and not m.locative and (
            e := table.get(m.actor_id)) is not None and e.type == "state"), f"state:{home}")
        out.append(ActorMatch(a, b, text[a:b], party, "metonym"))
    return sorted(out, key=lambda m: m.start)


# What after "U.N." names its mission in a country, not the organisation
_MISSION_AFTER = re.compile(r"\s+(?:peacekeep\w*|mission\b|peacekeeping (?:force|mission)\b|"
                            r"troops\b|blue helmets\b|forces?\b)")


@functools.cache
def _force_site_pattern() -> re.Pattern[str]:
    sites = "|".join(map(re.escape, force_sites()))
    return re.compile(rf"\b(?:an?|two|three|four|several|some) ([Aa]rmy|[Mm]ilitary) "
                      rf"(?:{sites})(?:s|es)?\b")


@functools.cache
def _home_body_pattern() -> re.Pattern[str]:
    return re.compile(rf"\b((?:{'|'.join(home_bodies())}))\b", re.I)


def agent_type(actor_id: str) -> str:
    """Return the actor type of a generic agent id (``agent:riot-police`` -> ``police``)."""
    noun = actor_id.removeprefix("agent:").replace("-", " ")
    if noun.rpartition(" ")[2] in nationals() and noun not in agent_nouns():
        return "civilians"  # "Colombian men" (national_people)
    if noun in peoples() or (noun.endswith("s") and noun[:-1] in peoples()):
        return "civilians"  # "killed 20 Rohingya", "dozens of Masalit" (_coref.counted_people)
    return agent_nouns().get(noun, "person")


_POSSESSED_FORCE = re.compile(r"(?:'s|’s)(?: [a-z][a-z-]+){0,2}? (?:armed forces|forces|troops|"
                              r"soldiers|navy|air force|warplanes|warships)\b")


def _possessed_force(text: str, start: int, end: int) -> tuple[int, int] | None:
    # "Russia's armed forces", "Iran's ground forces"; not "Russia's military ally"
    m = _POSSESSED_FORCE.match(text, end)
    if m and not any(w in _NOT_MODIFIER for w in m.group(0).split()[1:-1]):
        return start, m.end()
    return None


# A state's forces by their proper name, as wires capitalise them: "the Nigerian
# Army", "the Sudanese Armed Forces", "the Syrian Arab Army", "the Russian Navy".
# Only these heads and modifiers: "the Lebanese Forces" is a party, "the Libyan
# National Army" and "the Irish Republican Army" are armed groups.
_FORCE_NAME_AFTER = re.compile(
    r"(?:'s|’s)? (?:Arab )?(?:Army|Navy|Air Force|Marines|Marine Corps|National Guard|"
    r"Republican Guard|Presidential Guard|Aerospace Forces|(?:Armed|Ground|Land|Naval|Special|"
    r"Security|Defen[cs]e|Self-Defen[cs]e|Air Defen[cs]e) Forces)\b")


def _military_span(text: str, start: int, end: int, *, modifiers: bool = True
                   ) -> tuple[int, int] | None:
    named = _FORCE_NAME_AFTER.match(text, end)
    if named:
        return start, named.end()
    m = _MIL_AFTER.match(text, end)
    if m and "\n" not in m.group(0):
        mods = m.group(1).split()
        if not mods or (modifiers and not any(w.lower() in _NOT_MODIFIER for w in mods)):
            return start, m.end()
    b = _MIL_BEFORE.search(text, max(0, start - 40), start)
    if b:
        return b.start(), end
    return None


# --------------------------------------------------------------------------- NER


def unexplained_runs(text: str, sents: Sequence[tuple[int, int]],
                     matches: Sequence[ActorMatch], toponyms: Sequence[Toponym] = ()
                     ) -> list[tuple[int, int, int]]:
    """Return ``(sentence index, start, end)`` of capitalised runs no actor or place explains."""
    covered = [(m.start, m.end) for m in matches]
    covered += [(t.mention.start, t.mention.end) for t in toponyms]
    out = []
    for i, (a, b) in enumerate(sents):
        for m in _CAPS_RUN.finditer(text, a, b):
            s, e = m.start(), m.end()
            if m.start() == a and " " not in m.group(0):
                continue
            if not any(cs <= s and e <= ce for cs, ce in covered):
                out.append((i, s, e))
    return out


class _Run(NamedTuple):
    start: int
    end: int


def ner_matches(text: str, sents: Sequence[tuple[int, int]], matches: Sequence[ActorMatch],
                toponyms: Sequence[Toponym] = (), reading: NerReading | None = None
                ) -> list[ActorMatch]:
    """Persons and organisations NER finds in the capitalised runs nothing else explains.

    The geoparser has usually run NER around most of these runs already (an
    unknown name is often also an ambiguous place name): its ``reading`` (the
    Document's :class:`~geokit.models.NerReading`) is reused when the same model
    made it, and the model reads only around the runs it has not seen.
    """
    from geokit.geoparse import _nlp  # noqa: PLC0415

    return _nlp.run_steps(ner_matches_steps(text, sents, matches, toponyms, reading))


def ner_matches_steps(text: str, sents: Sequence[tuple[int, int]],
                      matches: Sequence[ActorMatch], toponyms: Sequence[Toponym] = (),
                      reading: NerReading | None = None) -> Steps[list[ActorMatch]]:
    """Return :func:`ner_matches` as steps, its NER an ``_nlp.Request``.

    A generator of ``geokit.geoparse._nlp`` steps, so that ``extract_many``
    reads the windows of many documents in one NER call.
    """
    from geokit.geoparse import _nlp  # noqa: PLC0415
    from geokit.geoparse._recognize import ner_windows  # noqa: PLC0415

    runs = unexplained_runs(text, sents, matches, toponyms)
    if not runs:
        return []
    if reading is not None and reading.model == _nlp.MODEL:
        windows, seen_ents = reading.windows, reading.entities
    else:
        windows, seen_ents = (), ()
    todo = [(i, s, e) for i, s, e in runs
            if not any(wa <= s and e <= wb for wa, wb in windows)]
    ents: list[tuple[int, int, str]] = []
    # Everything the geoparser's NER saw in these sentences, as a sentence-wide
    # NER pass would have.
    ner_sents = [sents[i] for i in sorted({i for i, _, _ in runs})]
    ents += [x for x in seen_ents if any(a <= x[0] and x[1] <= b for a, b in ner_sents)]
    # The rest: a window of about a dozen words each side of each run, as the
    # geoparser reads (the model decides PERSON/ORG from the nearby words),
    # which costs a fraction of whole sentences.
    spans = ner_windows(text, sents, [_Run(s, e) for _, s, e in todo])
    if spans:
        docs = yield _nlp.Request("ner", tuple(text[a:b] for a, b in spans))
        for (a, _), doc in zip(spans, docs, strict=True):
            ents += [(a + x.start_char, a + x.end_char, x.label_) for x in doc.ents]
    found = _ner_matches(ents, text, matches, toponyms)
    return found + _surname_mentions(text, found, [*matches, *found], toponyms)


def _surname_mentions(text: str, persons: Sequence[ActorMatch], taken: Sequence[ActorMatch],
                      toponyms: Sequence[Toponym]) -> list[ActorMatch]:
    """Later mentions of an NER person by surname alone ("Gustavo Petro ... Petro said").

    NER reads only around names nothing explains, and a lone capitalised word
    opening a sentence is not such a name; the full name found once says it is.
    """
    spans = [(m.start, m.end) for m in taken] + [(t.mention.start, t.mention.end)
                                                  for t in toponyms]
    out = []
    for p in persons:
        if not p.actor_id.startswith("person:") or " " not in p.text:
            continue
        last = p.text.split()[-1]
        if common_word(last):
            continue  # "Brown", "King": too often the word itself
        for m in re.finditer(rf"\b{re.escape(last)}\b", text):
            s, e = m.start(), m.end()
            if any(a < e and s < b for a, b in spans):
                continue
            out.append(ActorMatch(s, e, last, p.actor_id, "ner"))
            spans.append((s, e))
    return out


# Labels and a few forms NER gets wrong often enough to drop.
_NER_LABELS = {"PERSON": "person", "ORG": "org"}
_NOT_ACTOR = re.compile(
    r"^(?:the\s+)?(?:[A-Z]{1,2}-?\d+\w*|[A-Z][a-z]+-\d+\w*|Press|Posts?)$"
    # Meetings and documents are things that happen or are signed, not actors.
    r"|.*\b(?:Summit|Conference|Charter|Forum|Declaration|Agreement|Treaty|Accords?|War|Games"
    r"|Olympics|Act)$")


_WEAPON_AFTER = re.compile(
    r"[ -](?:[a-z]+ ){0,2}(?:systems?|missiles?|batter(?:y|ies)|launchers?|drones?|tanks?|"
    r"jets?|rockets?|howitzers?|interceptors?|frigates?|warships?|submarines?|corvettes?|"
    r"helicopters?|bombers?|fighters?|class|"
    # "men aboard Toyota Landcruisers": a vehicle's make, not a party
    r"(?i:land ?cruisers?|pick-?ups?|trucks?|jeeps?|vehicles?|motorcycles?|technicals?))\b")


@functools.cache
def _place_noun_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    before = "|".join(map(re.escape, place_nouns("before")))
    after = "|".join(map(re.escape, place_nouns("after")))
    # NER may start the name one word late ("Oe [Htein Kwin]"): allow one capitalised word.
    return (re.compile(rf"\b(?:{before})s? of (?:[A-Z][\w'-]* )?$"),
            # "the X cosmodrome", "the Sambisa Forest"
            re.compile(rf"(?: [A-Z][\w'-]*)? (?i:{after})s?\b"),
            # "in Umm Qasrawi, a Shiite neighbourhood": the appositive says what it is
            re.compile(rf", (?:a|an) (?:[A-Z]?[a-z'-]+ ){{0,3}}?(?:{before}|{after})\b"
                       r"(?! (?:official|council|authorit|governor|administration|leader|"
                       r"chief|police|resident|elder|commander|mayor))"))


def _named_place(text: str, start: int, end: int) -> bool:
    """Whether a place noun beside the name makes it a place, not an actor."""
    before, after, appositive = _place_noun_patterns()
    return bool(before.search(text, max(0, start - 40), start)) or bool(
        after.match(text, end)) or bool(appositive.match(text, end)) or (
        # "the Sambisa Forest", "the W National Park": the name ends in the noun
        " " in text[start:end].strip() and text[start:end].split()[-1][:1].isupper()
        and text[start:end].split()[-1].lower() in place_noun_forms("after"))


_ARTICLE = re.compile(r"\b([AaEe])l-(?=\w)")


def _article_variants(surface: str) -> tuple[str, ...]:
    """Return the name with its Arabic articles all capitalised, and all in lower case.

    >>> _article_variants("Jabhat al-Nusra")
    ('Jabhat Al-Nusra',)
    """
    if not _ARTICLE.search(surface):
        return ()
    up = _ARTICLE.sub(lambda m: m[1].upper() + "l-", surface)
    low = _ARTICLE.sub(lambda m: m[1].lower() + "l-", surface)
    return tuple(v for v in dict.fromkeys((up, low)) if v != surface)


@functools.cache
def common_word(word: str) -> bool:
    """Tell whether a word is common English (wordfreq Zipf >= 4), case aside."""
    from wordfreq import zipf_frequency  # noqa: PLC0415 - a geokit dependency

    # Zipf 4: once in every ~100k words of English, as common as "defence"
    return zipf_frequency(word.lower(), "en") >= 4.0


@functools.cache
def _type_word_after() -> re.Pattern[str]:
    # "the Dan Na Ambassagou militia": a common noun after a name that says what it is
    words = "|".join(sorted(map(re.escape, org_types("after")), key=len, reverse=True))
    return re.compile(rf"\s+({words})s?\b")


def _org_words(name: str) -> list[str]:
    return re.sub(r"(?:'s|’s)\b", "", name).lower().split()


def _org_head(words: Sequence[str]) -> str:
    # "Ministry of Defence": the word before "of"; "Defence Ministry": the last
    return words[words.index("of", 1) - 1] if "of" in words[1:] else words[-1]


def org_type(text: str, start: int, end: int, country: str | None = None) -> str | None:
    """Return the type of the organisation NER reads at ``text[start:end]``, or None if it is none.

    From its words (data/org_types.csv): an aid group's word anywhere in it
    ("the Norwegian Refugee Council"), else its head word ("Defence Ministry"
    is a government body, "Presidential Guard" a state's forces, an armed group
    when the text gives it no country), else a group noun right after it ("the
    Dan Na Ambassagou militia"); any other name stays an ngo_or_think_tank.
    ``None``: the name is no actor ("Operation Sindoor").

    Examples
    --------
    >>> org_type("The Defence Ministry said", 4, 20), org_type("Operation Sindoor", 0, 17)
    ('government', None)
    """
    name = text[start:end]
    if org_types("first").get(name.split(None, 1)[0].lower()) == "none":
        return None
    words = _org_words(name)
    typ = next((t for w in words if (t := org_types("any").get(w))), None) or org_types(
        "head").get(_org_head(words))
    if typ is None and (after := _type_word_after().match(text, end)):
        typ = org_types("after")[after[1]]
    if typ == "military" and not country:
        typ = "armed_group"
    return None if typ == "none" else (typ or "ngo_or_think_tank")


def _ner_matches(ents: Iterable[tuple[int, int, str]], text: str,
                 known: Sequence[ActorMatch], toponyms: Sequence[Toponym]) -> list[ActorMatch]:
    """Turn NER entities ``(start, end, label)`` (text offsets) into actor matches."""
    taken = [(m.start, m.end) for m in known] + [
        (t.mention.start, t.mention.end) for t in toponyms]
    out = []
    for s, e, label in sorted(set(ents)):
        kind = _NER_LABELS.get(label)
        if kind is None:
            continue
        overlaps = [(a, b) for a, b in taken if a < e and s < b]
        if overlaps:
            # "the Ukrainian Armed Forces Petry Chernik": keep the unexplained tail.
            tail = max(b for _, b in overlaps)
            if tail >= e:
                continue
            rest = text[tail:e].strip()
            if not re.fullmatch(r"[A-Z][a-z]+(?: [A-Z][a-z]+)+", rest) or (
                    rest.rsplit(" ", 1)[-1].lower() in _MILITARY_NOUNS):
                continue  # "Syrian [Armed Forces]", "Syrian [Arab Army]": the state's, no person
            s = e - len(rest)
            kind = "person"
        if kind == "person":
            e = _rest_of_name(text, e, taken)
        span = text[s:e]
        if span.lower().startswith("the "):
            s, span = s + 4, span[4:]
        if kind == "person" and _SITE_HEAD.search(span):
            continue  # "at Manchester Arena": NER's person is a building
        group = _GROUP_HEAD.search(span)
        if group is not None and " " in span[:group.start()]:
            # "the Dan Na Ambassagou militia": a group named by its name, whatever
            # NER took it for; the common noun is no part of the name
            kind, span = "org", span[:group.start()]
            e = s + len(span)
        # "the National Guard of [Ukraine]": NER stops before a name already read,
        # leaving the "of" that ties the body to its country (_ner_country reads it)
        span = re.sub(r"(?:(?:'s|’s)|\s+of(?:\s+the)?)$", "", span)
        e = s + len(span)
        if len(span) < 3 or _NOT_ACTOR.match(span) or not span[0].isupper():
            continue
        if org_type(text, s, e) is None:
            continue  # "Operation Sindoor": a campaign's name, not who waged it
        if kind == "person" and " " in span and (org_types("head").get(
                _org_head(_org_words(span))) in (
                "government", "military", "armed_group", "international_org")
                or _type_word_after().match(text, e)):
            # "the Defence Ministry", "Dan Na Ambassagou militia": a body ("Emily Post"
            # stays a person: a paper's word is a surname too)
            kind = "org"
        if " " not in span and _WEAPON_AFTER.match(text, e):
            continue  # "Patriot systems", "Shahed drones": a weapon's name
        if _named_place(text, s, e):
            continue  # "the town of Adan Yabaal", "the Vostochny cosmodrome"
        if _vessel_before().search(text, max(0, s - 40), s):
            continue  # "the bulk carrier Eternity C", "a cargo ship, the Galaxy Leader": a name
        if kind == "person" and any(m.actor_id.startswith("person:") and m.end < s
                                    and text[m.end:s] == " " and m.text.split()[-1][:1].isupper()
                                    for m in known):
            continue  # "leader Kim [Jong Un]": the rest of a person's name already found
        if kind == "org" and " " not in span and not span.isupper() and common_word(span):
            continue  # "Defence Minister X": NER takes the title word for a body
        if any(m.start == s and m.end == e for m in out):
            continue  # the same name seen in two overlapping NER windows
        person = next((m for m in (*known, *out) if kind == "org" and " " not in span
                       and m.actor_id.startswith("person:") and m.end <= s
                       and m.text.split()[-1] == span), None)
        if person is not None:
            # "President Mohamed Bazoum ... called for Bazoum's release": NER's
            # organisation is the surname of the person named before
            out.append(ActorMatch(s, e, span, person.actor_id, person.kind))
            continue
        out.append(ActorMatch(s, e, span, f"{kind}:{slugify(span)}", "ner"))
    return out


# The last word of a building's or a site's name, never a person's.
_SITE_HEAD = re.compile(r"\s(?:Arena|Stadium|Hotel|Mosque|Church|Cathedral|Shrine|Temple|"
                        r"Synagogue|Hospital|Airport|Square|Market|Mall|Palace|Bridge|Station|"
                        r"Tower|Prison|University|School|College|Camp|Base)$")
# A lower-case word for a group after a name: "the Dan Na Ambassagou militia".
_GROUP_HEAD = re.compile(r"\s+(?:militias?|group|gang|rebels|movement|faction)$")
_NAME_WORD = re.compile(r"\s([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b")


def _rest_of_name(text: str, end: int, taken: Sequence[tuple[int, int]]) -> int:
    """Return the end of a person's name past the words the NER span left out.

    The small model cuts long names short ("Myanmar leader [Aung San] Suu Kyi"):
    capitalised words right after the span that are no common word, no day or
    month and nothing else already read are the rest of the name.
    """
    while (m := _NAME_WORD.match(text, end)) and not common_word(m[1]) and (
            m[1].lower() not in CALENDAR_WORDS) and not any(
            a < m.end() and m.start(1) < b for a, b in taken):
        end = m.end()
    return end


@functools.cache
def _vessel_before() -> re.Pattern[str]:
    # a ship, a bus or a train (data/aboard.csv) right before a name: the name is the
    # thing's; a carrier only a ship's ("national carrier Aeroflot" is an airline, a party)
    things = "|".join(sorted(map(re.escape, set(aboard()) - {"carrier"}), key=len, reverse=True))
    return re.compile(rf"\b(?:{things}|(?:bulk|car|cargo|container|aircraft|gas|oil) carrier),?"
                      rf"\s+(?:the\s+)?$", re.I)


_OF_STATE = re.compile(r"\s+of\s+(?:the\s+)?")
_TITLE_COMMA = re.compile(r"(?:'s|’s)?(?: [a-z][a-z-]+){1,3}, (?:[A-Z][a-z]+\.? )?")
_APPOSITION = re.compile(r"\s*,\s*(?:a|an|the|who|its|his|her|head|chief|leader|member)\b")


def _ner_country(text: str, m: ActorMatch, affiliated: Sequence[tuple[ActorMatch, str]],
                 sent: tuple[int, int] | None) -> str | None:
    # The country the text gives the name: a title just before it ("Ukrainian MP
    # Yegor Chernev") or an apposition just after it (", a member of the US ...").
    # A comma may close the title ("Mali's junta leader, Colonel Assimi Goita").
    # "the Supreme Court of Pakistan", "the National Guard of Ukraine"
    of = _OF_STATE.match(text, m.end)
    if of is not None:
        at = next((code for a, code in affiliated if a.start == of.end()), None)
        if at is not None:
            return at
    before = [(m.start - a.end, code) for a, code in affiliated
              if a.end <= m.start and m.start - a.end <= 40
              and (not sent or sent[0] <= a.start) and (
                  "," not in text[a.end:m.start] or _TITLE_COMMA.fullmatch(text[a.end:m.start]))]
    if before:
        return min(before)[1]
    # The apposition must start like one (", a member of", ", who heads"): a
    # comma then a verb ("Goita, signed the charter with Niger") starts no title.
    after = [(a.start - m.end, code) for a, code in affiliated
             if a.start >= m.end and a.start - m.end <= 60 and (not sent or a.end <= sent[1])
             and _APPOSITION.match(text, m.end)]
    return min(after)[1] if after else None


# --------------------------------------------------------------------------- assembly


@dataclass(slots=True)
class _Group:
    id: str
    name: str
    type: str
    country: str | None
    source: str
    mentions: list[ActorMention] = field(default_factory=list)
    actor_role: bool = False


def build_actors(text: str, matches: Sequence[ActorMatch], *, table: ActorTable,
                 sents: Sequence[tuple[int, int]] = (),
                 keep: Iterable[str] | bool = (), home: str | None = None) -> tuple[Actor, ...]:
    """Group matches into :class:`Actor` objects in order of first mention.

    News agencies ("told Reuters") are never actors. States mentioned only as
    places are left out, except the ids in ``keep``
    (``True`` keeps them all): a state named only after "to" can still be the
    one an event is done to ("send tanks to Ukraine"). NER persons named by
    surname alone join the full name ("Chernik" -> "Petry Chernik"). A
    government body or a state's force NER reads with no country in the text
    is the ``home`` country's (the story's, :func:`home_country`).
    """
    keep_ids = set(keep) if not isinstance(keep, bool) else set()
    groups: dict[str, _Group] = {}
    affiliated = []
    for m in matches:
        e = table.get(m.actor_id) or (table.military_of(m.actor_id[4:])
                                      if m.actor_id.startswith("mil:") else None)
        if e is not None and e.country:
            affiliated.append((m, e.country))
    persons_full = {}
    for m in matches:
        if m.kind == "ner" and m.actor_id.startswith("person:") and " " in m.text:
            persons_full.setdefault(m.text.split()[-1], m.actor_id)
    for m in matches:
        actor_id = m.actor_id
        if m.kind == "ner":
            if actor_id.startswith("person:") and " " not in m.text:
                actor_id = persons_full.get(m.text, actor_id)
            g = groups.get(actor_id)
            if g is None:
                sent = next(((a, b) for a, b in sents if a <= m.start < b), None)
                country = _ner_country(text, m, affiliated, sent)
                name = m.text
                typ = "person"
                if not actor_id.startswith("person:"):
                    typ = org_type(text, m.start, m.end, country or home) or "ngo_or_think_tank"
                    if country is None and typ in ("government", "military"):
                        country = home
                g = groups[actor_id] = _Group(actor_id, name, typ, country, "ner")
            g.mentions.append(ActorMention(m.start, m.end, m.text))
            g.actor_role = True
            continue
        if m.kind == "coref":
            # "it", "the group": the actor named before, not another one; only a
            # possessed force ("its troops") may be an actor not named as such,
            # kept when an event names it (actor_role stays False).
            e = table.get(actor_id) or (table.military_of(actor_id[4:])
                                        if actor_id.startswith("mil:") else None)
            if actor_id not in groups and e is not None:
                groups[actor_id] = _Group(e.id, e.name, e.type, e.country, e.origin,
                                          [ActorMention(m.start, m.end, m.text)])
            continue
        if m.kind == "agent":
            # kept only when an event names it (actor_role stays False)
            g = groups.get(actor_id) or groups.setdefault(actor_id, _Group(
                actor_id, actor_id.removeprefix("agent:").replace("-", " "),
                agent_type(actor_id), m.country, "agents.csv"))
            g.mentions.append(ActorMention(m.start, m.end, m.text))
            continue
        e = table.get(actor_id)
        if e is None and actor_id.startswith("mil:"):
            e = table.military_of(actor_id[4:])
        if e is None or e.type in TABLE_ONLY_TYPES:
            continue
        g = groups.get(actor_id)
        if g is None:
            g = groups[actor_id] = _Group(e.id, e.name, e.type, e.country, e.origin)
        g.mentions.append(ActorMention(m.start, m.end, m.text))
        if not m.locative:
            g.actor_role = True
    return tuple(
        Actor(id=g.id, name=g.name, type=g.type, country=g.country,
              mentions=tuple(sorted(g.mentions, key=lambda x: x.start)), source=g.source)
        for g in groups.values() if g.actor_role or keep is True or (
            keep is not False and g.id in keep_ids)
    )


def find_actors(text: str, *, toponyms: Sequence[Toponym] = (), date: str | None = None,
                table: ActorTable | None = None, ner: bool = True) -> tuple[Actor, ...]:
    """Find and normalise the actors of a text.

    Parameters
    ----------
    text : str
    toponyms : sequence of Toponym, optional
        The geoparser's toponyms: NER spans on them are places, not actors.
    date : str, optional
        Article date (ISO 8601), for roles ("the Russian president").
    table : ActorTable, optional
        Default :meth:`ActorTable.default` (packaged table + ``$GEOKIT_ACTORS``).
    ner : bool, default True
        Also keep persons and organisations spaCy's NER finds.

    Returns
    -------
    tuple of Actor
        In order of first mention, each with all its mentions.

    Examples
    --------
    >>> [a.id for a in find_actors("Pyongyang said Kim Jong-un met Putin.", ner=False)]
    ['state:PRK', 'person:kim-jong-un', 'person:vladimir-putin']
    """
    table = table or ActorTable.default()
    matches = outside_place_names(match_actors(text, table=table, date=date), toponyms)
    sents = sentence_bounds(text, split_acronyms=False)
    if ner:
        matches = sorted(matches + ner_matches(text, sents, matches, toponyms),
                         key=lambda m: m.start)
    return build_actors(text, defined_short_forms(text, matches), table=table, sents=sents,
                        home=home_country(toponyms))


def actor_index(actors: Sequence[Actor]) -> Mapping[str, Actor]:
    """Return actors by id."""
    return {a.id: a for a in actors}
