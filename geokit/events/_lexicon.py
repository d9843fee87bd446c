"""Word lists of the event stage that other stages read too, from ``data/``.

One home for each list: the actor matcher, the event rules and the map's size
phrases all read the force nouns from ``data/force_nouns.csv`` (one row a
noun, one column a use), so adding a noun is a data edit seen everywhere.
"""

from __future__ import annotations

import calendar
import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from geokit.errors import ConfigurationError
from geokit.gazetteer._normalize import fold

__all__ = ["AGENT_TYPES", "aboard", "state_sites", "CALENDAR_WORDS", "COUNT", "COUNT_QUALIFIER",
           "FORCE_USES", "place_noun_forms",
           "LEXICON_CATEGORIES",
           "REFERENCE_KINDS", "ConflictTrigger",
           "Reference", "agent_id", "agent_nouns", "conflict_trigger_rows", "conflict_triggers",
           "force_nouns", "force_pattern", "force_sites", "nationals", "un_missions",
           "lexicon_verb_forms",
           "lexicon_verbs", "not_agents", "PLACE_SLOTS", "place_slots", "org_heads",
           "ORG_TYPE_POSITIONS", "org_types",
           "plural",
           "event_nouns", "casualty_words", "home_bodies", "peoples", "ProtestNoun",
           "protest_noun_phrase", "protest_nouns", "references", "slugify", "accusing_words",
           "AccusedDeed", "accused_deeds"]

_FORCE_FILE = Path(__file__).with_name("data") / "force_nouns.csv"
#: The columns of ``force_nouns.csv``: what a force noun is used for.
FORCE_USES = ("actor", "troops", "size")


@functools.cache
def force_nouns(use: str) -> tuple[str, ...]:
    """Return the force nouns marked for ``use``, in file order.

    Examples
    --------
    >>> "soldiers" in force_nouns("actor"), "mercenaries" in force_nouns("actor")
    (True, False)
    """
    if use not in FORCE_USES:
        raise ValueError(f"use must be one of {', '.join(FORCE_USES)}, got {use!r}")
    return tuple(r["noun"] for r in _rows(_FORCE_FILE.name) if r[use] == "yes")


@functools.cache
def aboard() -> dict[str, frozenset[str]]:
    """Return ``data/aboard.csv``: a thing attacked -> the agent ids of who is aboard it.

    Examples
    --------
    >>> sorted(aboard()["ship"])[:2], sorted(aboard()["bus"])
    (['agent:crew', 'agent:crew-member'], ['agent:passenger', 'agent:passengers'])
    """
    out = {}
    for r in _rows("aboard.csv"):
        people = [p.strip() for p in r["people"].split("|") if p.strip()]
        unknown = [p for p in people if p not in agent_nouns()]
        if unknown:
            raise ConfigurationError(f"aboard.csv, {r['thing']!r}: {', '.join(unknown)} not in "
                                     "the agents lexicon (agents.csv, agents_extra.csv)")
        out[r["thing"]] = frozenset(agent_id(f) for p in people for f in _plurals(p))
    return out


@functools.cache
def state_sites() -> dict[str, tuple[tuple[str, bool], ...]]:
    """Return ``data/state_sites.csv``: head noun -> (modifier, owner must be named) pairs.

    Examples
    --------
    >>> state_sites()["compound"], state_sites()["embassy"]
    ((('presidential', False),), (('', True),))
    """
    out: dict[str, list[tuple[str, bool]]] = {}
    for r in _rows("state_sites.csv"):
        if r["owner"] not in ("named", "place"):
            raise ConfigurationError(f"state_sites.csv, {r['head']!r}: owner must be 'named' "
                                     f"or 'place', got {r['owner']!r}")
        out.setdefault(r["head"], []).append((r["modifier"], r["owner"] == "named"))
    return {k: tuple(v) for k, v in out.items()}


@functools.cache
def nationals() -> frozenset[str]:
    """Return the nouns of ``data/nationals.csv``: people a state's demonym names.

    A noun of the agents lexicon may not be one: it has its own rule (the noun
    the id, the demonym its country), and two rules for one word would disagree.

    Examples
    --------
    >>> "men" in nationals(), "police" in nationals()
    (True, False)
    """
    nouns = frozenset(r["noun"] for r in _rows("nationals.csv"))
    both = sorted(nouns & agent_nouns().keys())
    if both:
        raise ConfigurationError(f"nationals.csv: {', '.join(both)} already in the agents "
                                 "lexicon (agents.csv, agents_extra.csv)")
    return nouns


@functools.cache
def force_sites() -> tuple[str, ...]:
    """Return the nouns of ``data/force_sites.csv``: what forces hold or move in.

    Examples
    --------
    >>> "base" in force_sites(), "convoy" in force_sites()
    (True, True)
    """
    return tuple(r["noun"] for r in _rows("force_sites.csv"))


@functools.cache
def un_missions() -> dict[str, str]:
    """Return the U.N. missions of ``data/un_missions.csv``: host country -> actor id.

    Examples
    --------
    >>> un_missions()["LBN"], un_missions()["COD"]
    ('org:unifil', 'org:monusco')
    """
    return {r["country"]: r["actor"] for r in _rows("un_missions.csv")}


def force_pattern(use: str) -> str:
    """Return the nouns for ``use`` as a regex alternation (escaped, longest first).

    Examples
    --------
    >>> bool(re.fullmatch(force_pattern("troops"), "task force"))
    True
    """
    return "|".join(sorted((re.escape(n) for n in force_nouns(use)), key=len, reverse=True))


#: A count as news writes it, as a regex: "20", "1,200", "Fifty-four", "dozens of" (the
#: words in lower case: a pattern that reads capitals compiles it with re.I).
COUNT = (r"(?:\d[\d,]*|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
         r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|"
         r"fifty|sixty|seventy|eighty|ninety|hundred|several|dozens|scores|hundreds)"
         r"(?:-[a-z]+)?(?: of)?)")
#: Months and days, their abbreviations too, lower case: capitalised words that name no one
#: and no place ("On Sunday demonstrators", "in March").
CALENDAR_WORDS = frozenset(w.lower() for w in (*calendar.month_name[1:], *calendar.month_abbr[1:],
                                               *calendar.day_name, *calendar.day_abbr))
#: What may qualify a count: "at least 54", "more than 1,000".
COUNT_QUALIFIER = r"(?:at least|more than|nearly|almost|about|around|some|over|up to)"


# --------------------------------------------------------------------------- PETRARCH2 lexicon

_DATA = Path(__file__).with_name("data")
#: Actor types of the generic agents that take part in conflict events; the
#: other Phoenix sectors (business, education, health...) name people who are
#: rarely the actor of a clash and mostly noise ("rebel source", "police post").
#: Soldiers and troops are left to the force nouns (force_nouns.csv), which
#: give them their state ("Israeli troops" is mil:ISR); bare, they are cargo
#: ("send troops"), not a party.
AGENT_TYPES = ("police", "armed_group", "protesters", "civilians", "labour_union", "ngo")
#: PLOVER categories the converted CAMEO verbs add triggers for: the conflict
#: kinds the hand-made table lacks; diplomatic verbs stay with that table.
LEXICON_CATEGORIES = ("ASSAULT", "COERCE", "PROTEST")


def _rows(name: str) -> list[dict[str, str]]:
    with (_DATA / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def _plurals(noun: str) -> tuple[str, ...]:
    # PETRARCH generates regular plurals itself ("This version ... assumes the
    # automatic creation of regular noun forms"), so the file lists singulars.
    head, _, last = noun.rpartition(" ")
    pre = f"{head} " if head else ""
    if last.endswith("child") or last == "person":  # "schoolchild"
        return (noun, pre + (last + "ren" if last.endswith("child") else "people"))
    if last.endswith("man"):
        return (noun, f"{pre}{last[:-3]}men")
    if last.endswith("y") and last[-2:-1] not in tuple("aeiou"):
        return (noun, f"{pre}{last[:-1]}ies")
    if last.endswith(("s", "x", "ch", "sh")):
        return (noun, f"{pre}{last}es") if not last.endswith(("men", "ies", "ers")) else (noun,)
    return (noun, f"{pre}{last}s")


def plural(noun: str) -> str:
    """Return the regular plural of a noun, as PETRARCH2 makes it (a mass noun too).

    Examples
    --------
    >>> plural("rebel"), plural("militia"), plural("gunman"), plural("police")
    ('rebels', 'militias', 'gunmen', 'polices')
    """
    return _plurals(noun)[-1]


@functools.cache
def agent_nouns() -> dict[str, str]:
    """Return generic agent nouns and their plurals -> actor type (``data/agents.csv``).

    Only the types in :data:`AGENT_TYPES`, less the places and buildings of
    ``data/agents_exclude.csv``; from PETRARCH2's Phoenix.agents.txt.

    Examples
    --------
    >>> a = agent_nouns()
    >>> a["police"], a["gunmen"], a["protesters"], a["civilians"], "journalist" in a
    ('police', 'armed_group', 'protesters', 'civilians', False)
    """
    out: dict[str, str] = {}
    rows = _rows("agents.csv") + [r for r in _rows("agents_extra.csv") if r["type"]]
    # A noun Phoenix also files as military ("security force") is left to the
    # force nouns, which give it its state ("Syrian security forces": mil:SYR).
    excluded = set(not_agents()) | {
        r["noun"] for r in rows if r["type"] == "military"}
    for r in rows:
        if r["type"] in AGENT_TYPES and r["noun"] not in excluded:
            # nor a plural so filed: "armed forces" (a state's) is no plural of
            # the "armed force" of no one
            for form in _plurals(r["noun"]):
                if form not in excluded:
                    out.setdefault(form, r["type"])
    return out


@functools.cache
def not_agents() -> frozenset[str]:
    """Return the phrases of ``data/agents_exclude.csv``: things, not people.

    Single nouns ("hospital") are left out of :func:`agent_nouns`; a phrase
    that begins with an agent noun ("passenger train", "hostage deal") is read
    whole so that its first word is no actor.

    Examples
    --------
    >>> "passenger train" in not_agents(), "hospital" in not_agents()
    (True, True)
    """
    return frozenset(r["noun"] for r in _rows("agents_exclude.csv"))


@functools.cache
def event_nouns() -> dict[str, tuple[str, ...]]:
    """Return ``data/event_nouns.csv``: a noun -> the categories of the earlier event it names.

    ``("*",)`` is any deed ("the decision", "the move").

    Examples
    --------
    >>> event_nouns()["coup"], event_nouns()["move"]
    (('COERCE', 'ASSAULT'), ('*',))
    """
    out: dict[str, tuple[str, ...]] = {}
    for r in _rows("event_nouns.csv"):
        cats = tuple(r["categories"].split("|"))
        for noun in r["nouns"].split("|"):
            out[noun] = cats
    return out


@functools.cache
def home_bodies() -> dict[str, bool]:
    """Return the phrases of ``data/home_bodies.csv``: a state's bodies named bare.

    Each phrase maps to whether it stands with no article before it.

    Examples
    --------
    >>> home_bodies()["government"], home_bodies()["authorities"]
    (False, True)
    """
    return {r["phrase"]: r["bare"] == "yes" for r in _rows("home_bodies.csv")}


@functools.cache
def casualty_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return the words of ``data/casualty_words.csv``: (after the noun, before the count).

    Examples
    --------
    >>> after, before = casualty_words()
    >>> "killed" in after, "killing" in before, "died" in after
    (True, True, True)
    """
    rows = _rows("casualty_words.csv")
    return (tuple(r["word"] for r in rows),
            tuple(f for r in rows for f in r["before"].split("|") if f))


@functools.cache
def peoples() -> frozenset[str]:
    """Return the words of ``data/peoples.csv``, lower case: peoples, faiths and creeds.

    Before a generic agent noun they qualify it ("Kurdish militants", "Jewish
    settlers"); they are not the last word of an unknown name.

    Examples
    --------
    >>> "kurdish" in peoples(), "islamist" in peoples(), "boko" in peoples()
    (True, True, False)
    """
    return frozenset(r["word"].lower() for r in _rows("peoples.csv"))


@functools.cache
def accusing_words() -> frozenset[str]:
    """Return the words of ``data/accusing_words.csv``: what calling something accuses.

    Examples
    --------
    >>> "illegal" in accusing_words(), "success" in accusing_words()
    (True, False)
    """
    return frozenset(r["word"] for r in _rows("accusing_words.csv"))


@dataclass(frozen=True, slots=True)
class AccusedDeed:
    """One row of ``data/accused_deeds.csv``: a deed a party is accused of by a noun.

    Attributes
    ----------
    words : tuple of str
        The phrase's words, lower case; the last is the head noun.
    category, subtype : str, str or None
    example : str
    """

    words: tuple[str, ...]
    category: str
    subtype: str | None
    example: str


@functools.cache
def accused_deeds() -> dict[str, tuple[AccusedDeed, ...]]:
    """Return the rows of ``data/accused_deeds.csv`` by head noun, longest phrase first.

    Examples
    --------
    >>> [d.words for d in accused_deeds()["cleansing"]]
    [('ethnic', 'cleansing')]
    """
    by_head: dict[str, list[AccusedDeed]] = {}
    for r in _rows("accused_deeds.csv"):
        words = tuple(r["phrase"].lower().split())
        if not words or r["category"] not in ("ASSAULT", "COERCE"):
            raise ConfigurationError(f"accused_deeds.csv, {r['phrase']!r}: need a phrase and a "
                                     f"deed's category (ASSAULT or COERCE), got "
                                     f"{r['category']!r}")
        by_head.setdefault(words[-1], []).append(
            AccusedDeed(words, r["category"], r["subtype"] or None, r["example"]))
    return {h: tuple(sorted(rows, key=lambda d: -len(d.words))) for h, rows in by_head.items()}


@dataclass(frozen=True, slots=True)
class ProtestNoun:
    """One row of ``data/protest_nouns.csv``: a noun that names a protest, strike or riot.

    Attributes
    ----------
    forms : tuple of str
        The noun's forms, lower case.
    subtype : str
        The PROTEST event's subtype.
    crowd : str
        The actor id of the crowd the noun stands for when the text names none.
    context : re.Pattern or None
        For a noun with another sense ("air strikes"): must match its phrase.
    unless : re.Pattern or None
        Matching its phrase, the noun names no event ("in protest": a motive).
    example : str
        A sentence the extractor must read as a PROTEST by that crowd.
    """

    forms: tuple[str, ...]
    subtype: str
    crowd: str
    context: re.Pattern[str] | None
    unless: re.Pattern[str] | None
    example: str

    def fits(self, phrase: str) -> bool:
        """Whether ``phrase`` (the noun with a few words either side) is this sense."""
        return (self.context is None or bool(self.context.search(phrase))) and not (
            self.unless is not None and self.unless.search(phrase))


@functools.cache
def protest_nouns() -> dict[str, ProtestNoun]:
    """Return ``data/protest_nouns.csv`` by form ("protests", "strike", ...).

    Examples
    --------
    >>> n = protest_nouns()
    >>> n["demonstrations"].crowd, n["riots"].subtype, n["strike"].fits("an air strike on")
    ('agent:protesters', 'riot', False)
    """
    out = {}
    for r in _rows("protest_nouns.csv"):
        ctx, unless = r["context"].strip(), r["unless"].strip()
        row = ProtestNoun(tuple(r["forms"].split("|")), r["subtype"], agent_id(r["crowd"]),
                          re.compile(ctx, re.I) if ctx else None,
                          re.compile(unless, re.I) if unless else None, r["example"])
        out.update(dict.fromkeys(row.forms, row))
    return out


def protest_noun_phrase(text: str, start: int, end: int) -> str:
    """Return the noun at ``text[start:end]`` with three words before and four after.

    What a :class:`ProtestNoun`'s context is matched against, by the actor
    matcher (on the text) and the event stage (on the parsed sentence) alike.
    """
    before = text[max(0, start - 60):start].split()[-3:]
    after = text[end:end + 80].split()[:4]
    return " ".join([*before, text[start:end], *after])


def slugify(name: str) -> str:
    """Return a stable id part: ASCII, lower case, hyphens (``Kim Jong-un`` -> ``kim-jong-un``)."""
    s = fold(name).lower().replace("'", "").replace("’", "")
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


@functools.cache
def _agent_synonyms() -> dict[str, str]:
    out = {}
    for r in _rows("agents_extra.csv"):
        if r["same_as"]:
            out.update(zip(_plurals(r["noun"]), _plurals(r["same_as"]), strict=True))
    return out


@functools.cache
def agent_id(noun: str) -> str:
    """Return the actor id of a generic agent noun as the text writes it.

    The head noun names the kind of people, as event coders name them ("armed
    gangs", "riot police", "Jewish settlers" are gangs, police, settlers): a
    lexicon noun whose last word is itself an agent noun takes that word's id;
    a synonym of ``data/agents_extra.csv`` takes its noun's ("demonstrators").

    Examples
    --------
    >>> agent_id("Armed gangs"), agent_id("demonstrators"), agent_id("riot police")
    ('agent:gangs', 'agent:protesters', 'agent:police')
    >>> agent_id("suicide bomber")
    'agent:suicide-bomber'
    """
    low = " ".join(noun.lower().split())
    head = low.rpartition(" ")[2]
    if head != low and head in agent_nouns():
        low = head
    return "agent:" + slugify(_agent_synonyms().get(low, low))


@functools.cache
def lexicon_verbs() -> dict[str, tuple[str, str]]:
    """Return single-word CAMEO verbs of :data:`LEXICON_CATEGORIES` -> (category, subtype).

    The subtype is the verb's CAMEO synonym block ("kidnap", "kill"); a verb
    listed under several codes keeps the most frequent category, ties by file order.
    The verbs of ``data/lexicon_exclude.csv`` (common words, moods, policies) are left out.

    Examples
    --------
    >>> v = lexicon_verbs()
    >>> v["kidnap"], v["demonstrate"][0], v["detain"][0], "visit" in v
    (('ASSAULT', 'kidnap'), 'PROTEST', 'COERCE', False)
    """
    seen: dict[str, list[tuple[str, str]]] = {}
    excluded = {r["verb"] for r in _rows("lexicon_exclude.csv")}
    for r in _rows("cameo_verbs.csv"):
        if " " in r["verb"] or not r["plover"] or r["verb"] in excluded:
            continue
        seen.setdefault(r["verb"], []).append((r["plover"], r["block"]))
    out = {}
    for verb, codes in seen.items():
        cats = [c for c, _ in codes]
        best = max(cats, key=cats.count)
        if best in LEXICON_CATEGORIES:
            out[verb] = next(x for x in codes if x[0] == best)
    return out


@functools.cache
def lexicon_verb_forms() -> dict[str, str]:
    """Return irregular forms of the lexicon verbs -> lemma ("kidnapped" -> "kidnap").

    Examples
    --------
    >>> lexicon_verb_forms()["shot"]
    'shoot'
    """
    verbs = lexicon_verbs()
    return {f: r["verb"] for r in _rows("cameo_verbs.csv") if r["verb"] in verbs
            for f in r["forms"].split()}


# --------------------------------------------------------------------------- conflict triggers


@dataclass(frozen=True, slots=True)
class ConflictTrigger:
    """One row of ``data/conflict_triggers.csv``: a verb of violence, coercion or protest.

    Attributes
    ----------
    lemma : str
        spaCy's lemma of the verb.
    forms : tuple of str
        Irregular forms the sentence filter must see ("shot").
    category, subtype : str
        The PLOVER category and the subtype (None when the row leaves it empty).
    context : re.Pattern or None
        Words one of which must be in the sentence and in the trigger's phrase.
    context_in_subject : bool
        The parse looks for the context in the verb's subject only ("the
        explosion occurred"), not in its whole phrase.
    intransitive : bool
        The verb is this event only without a direct object ("marched in Rome").
    unknown_source : bool
        The event stands without a named perpetrator ("were killed in").
    named_object : bool
        A proper noun as the verb's object or passive subject stands for the
        context ("captured Qabasin", "Guzman was captured").
    subject_undergoes : bool
        The verb's subject is who the event is done to ("soldiers died in an
        attack"), as a passive's is.
    example : str
        A sentence the extractor must read as this event.
    """

    lemma: str
    forms: tuple[str, ...]
    category: str
    subtype: str | None
    context: re.Pattern[str] | None
    context_in_subject: bool
    intransitive: bool
    unknown_source: bool
    named_object: bool
    subject_undergoes: bool
    example: str


#: What an attribution says of the attack before it (``attributions.csv``).
ATTRIBUTION_ROLES = ("claim", "denial")


@dataclass(frozen=True, slots=True)
class Attribution:
    """A row of data/attributions.csv: a verb that claims or denies an earlier attack.

    Attributes
    ----------
    lemma : str
    object : re.Pattern
        Matched in the words after the verb ("claimed responsibility", "denied
        that it was involved").
    role : {"claim", "denial"}
    example : str
    """

    lemma: str
    object: re.Pattern[str]
    role: str
    example: str


@functools.cache
def attributions() -> tuple[Attribution, ...]:
    """Return the rows of data/attributions.csv.

    Examples
    --------
    >>> sorted({a.lemma for a in attributions()})
    ['claim', 'deny']
    """
    out = []
    for r in _rows("attributions.csv"):
        if r["role"] not in ATTRIBUTION_ROLES:
            raise ConfigurationError(f"attributions.csv: role {r['role']!r} of {r['lemma']!r} "
                                     f"is not one of {', '.join(ATTRIBUTION_ROLES)}")
        out.append(Attribution(r["lemma"], re.compile(rf"\b(?:{r['object']})\b", re.I),
                               r["role"], r["example"]))
    return tuple(out)


#: Which word a place slot is (``place_slots.csv``).
PLACE_SLOTS = ("prep", "object", "not_head", "near")


@functools.cache
def place_slots(slot: str) -> frozenset[str]:
    """Return the words whose object is a place: prepositions ("in") or verbs' lemmas ("capture").

    Slot ``not_head``: the words a preposition hangs on that make its object no
    place ("according" in "according to Al-Masdar"); slot ``near``: the words
    that put a name the gazetteer lacks near the place named before ("nearby").

    Examples
    --------
    >>> "near" in place_slots("prep"), "storm" in place_slots("object")
    (True, True)
    """
    if slot not in PLACE_SLOTS:
        raise ValueError(f"slot must be one of {', '.join(PLACE_SLOTS)}, got {slot!r}")
    return frozenset(r["word"] for r in _rows("place_slots.csv") if r["slot"] == slot)


@functools.cache
def org_heads() -> frozenset[str]:
    """Return the last words that make a capitalised name an organisation's ("Council").

    Examples
    --------
    >>> "ministry" in org_heads()
    True
    """
    return frozenset(r["word"] for r in _rows("org_heads.csv"))


#: Which word of an organisation's name says its type (``org_types.csv``).
ORG_TYPE_POSITIONS = ("head", "first", "after", "any")


@functools.cache
def org_types(where: str) -> dict[str, str]:
    """Return word -> actor type for the names NER reads as organisations ("Ministry": government).

    ``where`` is "head" (the last word, or the word before "of"), "first"
    (the name's first word), "after" (a common noun right after the name) or
    "any" (any word of the name, ahead of the head).
    The type ``"none"`` makes the name no actor ("Operation Sindoor").

    Examples
    --------
    >>> org_types("head")["ministry"], org_types("first")["operation"]
    ('government', 'none')
    """
    if where not in ORG_TYPE_POSITIONS:
        raise ValueError(f"where must be one of {', '.join(ORG_TYPE_POSITIONS)}, got {where!r}")
    return {r["word"]: r["type"] for r in _rows("org_types.csv") if r["where"] == where}


#: Where a place noun stands beside the name it makes a place (``place_nouns.csv``).
PLACE_NOUN_POSITIONS = ("before", "after")


@functools.cache
def place_nouns(position: str) -> tuple[str, ...]:
    """Return the nouns that make a name beside them a place ("the town of X", "X airport").

    Examples
    --------
    >>> "town" in place_nouns("before"), "cosmodrome" in place_nouns("after")
    (True, True)
    """
    if position not in PLACE_NOUN_POSITIONS:
        raise ValueError(f"position must be one of {', '.join(PLACE_NOUN_POSITIONS)}, "
                         f"got {position!r}")
    return tuple(r["noun"] for r in _rows("place_nouns.csv") if r["position"] == position)


@functools.cache
def place_noun_forms(position: str) -> frozenset[str]:
    """Return :func:`place_nouns` with their plurals ("villages", "districts").

    Examples
    --------
    >>> "villages" in place_noun_forms("before"), "forests" in place_noun_forms("after")
    (True, True)
    """
    return frozenset(w + s for w in place_nouns(position) for s in ("", "s"))


def _where(value: str, table: str, lemma: str, column: str = "context_in") -> bool:
    """Read a cell that is empty or "subject" (``context_in``, ``undergoer``)."""
    if value not in ("", "subject"):
        raise ConfigurationError(f"{table}: {column} {value!r} of {lemma!r} is not "
                                 f"empty or 'subject'")
    return value == "subject"


@functools.cache
def conflict_trigger_rows() -> dict[str, tuple[ConflictTrigger, ...]]:
    """Return every row of ``data/conflict_triggers.csv`` by lemma, in file order.

    A lemma may have several rows, told apart by their context ("took to the
    streets": a protest; "took control": a capture); the first row whose
    context is in the trigger's phrase wins, a row with no context is the fallback.

    Examples
    --------
    >>> [t.category for t in conflict_trigger_rows()["take"]][:2]
    ['ASSAULT', 'PROTEST']
    """
    out: dict[str, list[ConflictTrigger]] = {}
    for r in _rows("conflict_triggers.csv"):
        ctx = r["context"].strip()
        out.setdefault(r["lemma"], []).append(ConflictTrigger(
            lemma=r["lemma"], forms=tuple(f for f in r["forms"].split("|") if f),
            category=r["category"], subtype=r["subtype"] or None,
            context=re.compile(rf"\b(?:{ctx})\b", re.I) if ctx else None,
            context_in_subject=_where(r["context_in"], "conflict_triggers.csv", r["lemma"]),
            intransitive=r["intransitive"] == "yes", unknown_source=r["unknown_source"] == "yes",
            named_object=r["named_object"] == "yes",
            subject_undergoes=_where(r["undergoer"], "conflict_triggers.csv", r["lemma"],
                                     "undergoer"), example=r["example"]))
    return {k: tuple(v) for k, v in out.items()}


@functools.cache
def conflict_triggers() -> dict[str, ConflictTrigger]:
    """Return the first row of each lemma of ``data/conflict_triggers.csv``.

    The verb's entry in the trigger table; :func:`conflict_trigger_rows` gives
    a lemma's other senses too.

    Examples
    --------
    >>> t = conflict_triggers()
    >>> t["kill"].category, t["march"].intransitive, t["shoot"].forms
    ('ASSAULT', True, ('shot',))
    """
    return {k: rows[0] for k, rows in conflict_trigger_rows().items()}


# --------------------------------------------------------------------------- references

#: Kinds of the rows of ``references.csv``.
REFERENCE_KINDS = ("pronoun", "possessive", "description", "reporting", "own_state",
                   "perpetrator", "undergone")


@dataclass(frozen=True, slots=True)
class Reference:
    """One row of ``data/references.csv``: a word that refers back to a named actor.

    Attributes
    ----------
    word : str
        The pronoun, the head noun of a description ("group") or a reporting verb ("said").
    kind : str
        One of :data:`REFERENCE_KINDS`.
    types : frozenset of str
        Actor types the word may stand for ("agent": a plural generic agent;
        "armed_agent": one that is armed, "gunmen").
    example, expect : str
        A sentence and the actor id the word (a reporting verb: the pronoun after
        it) must be resolved to in it.
    """

    word: str
    kind: str
    types: frozenset[str]
    example: str
    expect: str


@functools.cache
def references() -> dict[str, Reference]:
    """Return the referring words of ``data/references.csv`` by word.

    Examples
    --------
    >>> r = references()
    >>> r["its"].kind, "armed_group" in r["group"].types, r["said"].kind
    ('possessive', True, 'reporting')
    """
    out = {}
    for r in _rows("references.csv"):
        if r["kind"] not in REFERENCE_KINDS:
            raise ConfigurationError(f"references.csv: kind {r['kind']!r} of {r['word']!r} is "
                                     f"not one of {', '.join(REFERENCE_KINDS)}")
        out[r["word"]] = Reference(r["word"], r["kind"], frozenset(filter(None, r["types"].split(
            "|"))), r["example"], r["expect"])
    return out
