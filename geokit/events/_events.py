"""PLOVER-aligned events and state-to-state relations, read from a geoparsed text.

How an event is found
---------------------
1. Sentences (spaCy's Sentencizer) that hold a trigger word from the lexicons
   below *and* an actor mention are parsed with spaCy's tagger and dependency
   parser, and so are those with a conflict verb of ``data/conflict_triggers.csv``
   whose event may have an unnamed perpetrator ("were killed in"); the others
   are never parsed (that keeps the stage cheap). A common
   word ("use", "call", "test") counts only beside its context ("against",
   "missile"): see ``_ONLY_WITH``.
2. A trigger is a verb lemma ("send", "supply", "sign", "criticize") or an
   event noun ("deployment", "treaty", "visit", "sanctions"), each mapped to a
   PLOVER category and a finer subtype; the lexicons are data, not seed text.
3. The source is the actor in the trigger's subject (climbing ``xcomp``/``aux``
   chains: "plans to dispatch", "is set to send"), or its possessor / ``by`` /
   ``from`` / ``between`` phrase for nouns; the target is the actor in the
   object or a ``to``/``with``/``against``/``on`` phrase. Without a syntactic
   subject the nearest actor before the trigger in the sentence is used, with
   lower confidence.
4. The place is the toponym in a locative phrase of the trigger ("to Donetsk",
   "in the North Korean capital"), else a place in the sentence that is not
   already an actor; ``from X`` of a movement is its origin.
5. Status from negation, denial, hedges, modals and reporting verbs; dates
   from the sentence (absolute, or relative anchored on the article date),
   else the article's month for what was done or said.
6. A statement with no target named takes one from what it refers to: a
   definite event noun ("condemned the exercises": whoever held the drills
   just reported), "it", "the alliance" (the body last named); "the leaders"
   as a subject are the parties of the last summit or pact.
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date as Date
from datetime import timedelta
from typing import Any

from geokit.events import _locate
from geokit.events._actors import STATE_AFFILIATED, ActorMatch, ActorTable, common_word
from geokit.events._lexicon import (
    CALENDAR_WORDS,
    AccusedDeed,
    Attribution,
    ConflictTrigger,
    ProtestNoun,
    aboard,
    accused_deeds,
    accusing_words,
    attributions,
    conflict_trigger_rows,
    conflict_triggers,
    event_nouns,
    force_pattern,
    org_heads,
    place_noun_forms,
    place_slots,
    protest_noun_phrase,
    protest_nouns,
    state_sites,
)
from geokit.events._locate import PLACE_NOUN_SOURCE, PLACE_SLOT_SOURCE, UNKNOWN_PLACE_SOURCES
from geokit.models import Actor, Event, Evidence, Mention, Place, Toponym

__all__ = [
    "CATEGORIES",
    "NOUN_TRIGGERS",
    "VERB_TRIGGERS",
    "event_sentences",
    "events_from_parses",
    "normalize_date",
]

#: PLOVER's 16 event categories.
CATEGORIES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)

_T = tuple[str, str | None]
#: Verb lemma -> (category, subtype). Subtypes refine by object below.
VERB_TRIGGERS: Mapping[str, _T] = {
    # movements of forces
    "send": ("MOBILIZE", "deploy_troops"), "deploy": ("MOBILIZE", "deploy_troops"),
    "dispatch": ("MOBILIZE", "deploy_troops"), "station": ("MOBILIZE", "deploy_troops"),
    "move": ("MOBILIZE", "deploy_troops"), "mobilize": ("MOBILIZE", "mobilization"),
    "mobilise": ("MOBILIZE", "mobilization"), "redeploy": ("MOBILIZE", "deploy_troops"),
    "reinforce": ("MOBILIZE", "deploy_troops"), "appear": ("MOBILIZE", "deploy_troops"),
    "arrive": ("MOBILIZE", "deploy_troops"),
    "pull": ("RETREAT", "withdraw_troops"),
    "retreat": ("RETREAT", "withdraw_troops"),
    # material aid
    "supply": ("AID", "arms_transfer"), "provide": ("AID", "arms_transfer"),
    "deliver": ("AID", "arms_transfer"), "transfer": ("AID", "arms_transfer"),
    "ship": ("AID", "arms_transfer"), "sell": ("AID", "arms_transfer"),
    "give": ("AID", None), "donate": ("AID", None), "pay": ("AID", "payment"),
    "fund": ("AID", "payment"), "finance": ("AID", "payment"),
    "train": ("AID", "military_training"),
    "assist": ("AID", "military_assistance"), "help": ("AID", "military_assistance"),
    "arm": ("AID", "arms_transfer"),
    # the recipient is the subject (see _RECEIVING_VERBS)
    "receive": ("AID", None), "acquire": ("AID", "arms_transfer"),
    "buy": ("AID", "arms_transfer"), "purchase": ("AID", "arms_transfer"),
    "obtain": ("AID", None),
    # agreements and meetings
    "sign": ("AGREE", "agreement"), "agree": ("AGREE", "agreement"),
    "ratify": ("AGREE", "ratification"), "conclude": ("AGREE", "agreement"),
    "join": ("COOPERATE", "alliance_accession"), "ally": ("COOPERATE", "alliance"),
    "cooperate": ("COOPERATE", None), "visit": ("CONSULT", "state_visit"),
    "meet": ("CONSULT", "summit"), "host": ("CONSULT", "summit"), "talk": ("CONSULT", None),
    "support": ("SUPPORT", "statement"), "back": ("SUPPORT", "statement"),
    "endorse": ("SUPPORT", "statement"), "reassure": ("SUPPORT", "statement"),
    "request": ("REQUEST", None), "ask": ("REQUEST", None), "urge": ("REQUEST", None),
    "seek": ("REQUEST", None), "appeal": ("REQUEST", None),
    "admit": ("CONCEDE", None), "apologize": ("CONCEDE", None),
    # hostility
    "criticize": ("ACCUSE", "statement"), "criticise": ("ACCUSE", "statement"),
    "condemn": ("ACCUSE", "statement"), "accuse": ("ACCUSE", "statement"),
    "blame": ("ACCUSE", "statement"), "denounce": ("ACCUSE", "statement"),
    "question": ("ACCUSE", "statement"),
    "reject": ("REJECT", None), "refuse": ("REJECT", None), "veto": ("REJECT", None),
    "cancel": ("REJECT", None), "threaten": ("THREATEN", None), "warn": ("THREATEN", None),
    "sanction": ("SANCTION", "sanctions"), "expel": ("SANCTION", "expulsion"),
    "recall": ("SANCTION", "recall_ambassador"), "suspend": ("SANCTION", None),
    "freeze": ("SANCTION", None), "end": ("SANCTION", None),
    "strike": ("ASSAULT", None), "fire": ("ASSAULT", "missile_strike"),
    "launch": ("ASSAULT", "missile_strike"), "fight": ("ASSAULT", "combat"),
    "participate": ("ASSAULT", None), "blockade": ("COERCE", "blockade"),
    "escalate": ("THREATEN", None), "drill": ("MOBILIZE", "military_exercise"),
    "hit": ("ASSAULT", None), "intercept": ("COERCE", "interception"),
    "board": ("COERCE", "seizure"), "bar": ("SANCTION", "ban"), "ban": ("SANCTION", "ban"),
    "demand": ("REQUEST", None), "press": ("REQUEST", None), "call": ("REQUEST", None),
    # only with an accusing complement ("branded the strike a terrorist act"): _checked_verb
    "describe": ("ACCUSE", "statement"), "brand": ("ACCUSE", "statement"),
    "label": ("ACCUSE", "statement"), "dub": ("ACCUSE", "statement"),
    "broker": ("CONSULT", "mediation"), "mediate": ("CONSULT", "mediation"),
    "fly": ("MOBILIZE", "deploy_aircraft"), "test": ("MOBILIZE", "weapons_test"),
    "use": ("ASSAULT", None), "become": ("COOPERATE", "alliance_accession"),
    "open": ("ASSAULT", "shooting"), "recapture": ("ASSAULT", "recapture"),
    "retake": ("ASSAULT", "recapture"), "dismiss": ("REJECT", None),
    "rotate": ("MOBILIZE", "deploy_troops"),
    "enter": ("MOBILIZE", "deploy_troops"), "land": ("MOBILIZE", "deploy_aircraft"),
    "contribute": ("MOBILIZE", "deploy_troops"), "summon": ("PROTEST", "summon_ambassador"),
    "close": ("SANCTION", "border_closure"), "shut": ("SANCTION", "border_closure"),
    "upgrade": ("COOPERATE", "partnership"),
    # killings, arrests, protests...: data/conflict_triggers.csv (a verb's first row)
    **{t.lemma: (t.category, t.subtype) for t in conflict_triggers().values()},
}
#: Event noun -> (category, subtype).
NOUN_TRIGGERS: Mapping[str, _T] = {
    "deployment": ("MOBILIZE", "deploy_troops"), "dispatch": ("MOBILIZE", "deploy_troops"),
    "mobilisation": ("MOBILIZE", "mobilization"), "mobilization": ("MOBILIZE", "mobilization"),
    "withdrawal": ("RETREAT", "withdraw_troops"), "pullout": ("RETREAT", "withdraw_troops"),
    "treaty": ("AGREE", "defence_pact"), "pact": ("AGREE", "defence_pact"),
    "agreement": ("AGREE", "agreement"), "deal": ("AGREE", "agreement"),
    "partnership": ("AGREE", "agreement"), "alliance": ("COOPERATE", "alliance"),
    "visit": ("CONSULT", "state_visit"), "meeting": ("CONSULT", "summit"),
    "summit": ("CONSULT", "summit"), "talks": ("CONSULT", None),
    "delivery": ("AID", "arms_transfer"), "supply": ("AID", "arms_transfer"),
    "supplies": ("AID", "arms_transfer"), "transfer": ("AID", "arms_transfer"),
    "aid": ("AID", None), "assistance": ("AID", "military_assistance"),
    "support": ("SUPPORT", None), "sanctions": ("SANCTION", "sanctions"),
    "criticism": ("ACCUSE", "statement"), "condemnation": ("ACCUSE", "statement"),
    "threats": ("THREATEN", None), "threat": ("THREATEN", None),
    "attack": ("ASSAULT", None), "attacks": ("ASSAULT", None), "strike": ("ASSAULT", None),
    "strikes": ("ASSAULT", "missile_strike"), "invasion": ("ASSAULT", "invasion"),
    "combat": ("ASSAULT", "combat"), "operations": ("ASSAULT", None),
    "drills": ("MOBILIZE", "military_exercise"), "exercises": ("MOBILIZE", "military_exercise"),
    "request": ("REQUEST", None), "protest": ("PROTEST", None),
    "ceasefire": ("AGREE", "ceasefire"), "truce": ("AGREE", "ceasefire"),
    "armistice": ("AGREE", "ceasefire"), "tariffs": ("SANCTION", "tariffs"),
    "tariff": ("SANCTION", "tariffs"), "embargo": ("SANCTION", "embargo"),
    "ban": ("SANCTION", "ban"), "bans": ("SANCTION", "ban"),
    "siege": ("ASSAULT", "siege"), "offensive": ("ASSAULT", "offensive"),
    "incursion": ("ASSAULT", "invasion"), "airstrikes": ("ASSAULT", "air_strike"),
    "airstrike": ("ASSAULT", "air_strike"), "concern": ("ACCUSE", "statement"),
    "concerns": ("ACCUSE", "statement"), "countermeasures": ("THREATEN", "retaliation"),
    "retaliation": ("THREATEN", "retaliation"), "reprisals": ("THREATEN", "retaliation"),
    # spaCy splits "counter-measures": the sentence filter sees the whole word,
    # the parse its last part (see _trigger)
    "counter-measures": ("THREATEN", "retaliation"), "war": ("ASSAULT", "combat"),
    "revenge": ("THREATEN", "retaliation"), "freezes": ("SANCTION", "asset_freeze"),
    "clash": ("ASSAULT", "combat"), "clashes": ("ASSAULT", "combat"),
    "assault": ("ASSAULT", None), "assaults": ("ASSAULT", None),
    "counteroffensive": ("ASSAULT", "offensive"), "counter-offensive": ("ASSAULT", "offensive"),
    "exercise": ("MOBILIZE", "military_exercise"),
}
# Nouns that are events only as the object of one of these verbs ("expressed
# concern"): alone they name a state of mind.
_NOUNS_WITH_VERB = {"concern": frozenset({"express", "voice", "raise", "reiterate"}),
                    "concerns": frozenset({"express", "voice", "raise", "reiterate"})}
# Objects that refine a subtype.
_ARMS = re.compile(r"\b(?:weapons?|arms|missiles?|rockets?|drones?|ammunition|rounds|shells|"
                   r"artillery|tanks?|launchers?|equipment|munitions|jets?|aircraft|systems?|"
                   r"himars|s-400|warheads)\b", re.I)
_TROOP_WORDS = force_pattern("troops")
_TROOPS = re.compile(rf"\b(?:{_TROOP_WORDS})\b", re.I)
_AIRCRAFT_WORDS = r"bombers?|aircraft|jets?|warplanes?|fighters?|drones?|planes?"
_AIRCRAFT = re.compile(rf"\b(?:{_AIRCRAFT_WORDS})\b", re.I)
# "its biggest military exercise"; not "an exercise in patience"
_EXERCISE_MODIFIERS = frozenset({"military", "naval", "joint", "war", "air", "nuclear",
                                 "strategic", "live-fire", "army"})
_INSTRUCTORS = re.compile(r"\b(?:instructors|advisers|advisors|trainers)\b", re.I)
_NUCLEAR = re.compile(r"\bnuclear\b", re.I)
_DEFENCE = re.compile(r"\b(?:defen[cs]e|military|security|strategic)\b", re.I)



_TRIGGER_WORDS = frozenset(VERB_TRIGGERS) | frozenset(NOUN_TRIGGERS) | frozenset(
    protest_nouns()) | frozenset(accused_deeds()) | {"measures"}


def _stem(word: str) -> str:
    # "supply" -> "suppl" (supplied, supplies), "provide" -> "provid": a prefix
    # that every inflection starts with.
    if len(word) >= 5 and word[-1] in "ey":
        return word[:-1]
    return word


# "questioned whether/why ...": a doubt, not an accusation.
_WH_DOUBT = frozenset({"why", "whether", "how", "if", "what"})
# What a sanction suspends or freezes ("suspended its membership", "froze military aid").
_SUSPENDED = (r"\b(?:membership|participation|cooperation|aid|talks|flights|trade|imports|"
              r"exports|visas?|relations|ties)\b")
# What one side signs alone: "signed a decree", "signed the bill into law".
# (An order "for" tanks or "worth" billions is a purchase, which is agreed.)
_DECREED = re.compile(r"\b(?:decrees?|(?:executive )?orders?(?!\s+(?:for|worth)\b)|laws?|"
                      r"bills?|legislation|ordinances?|warrants?)\b", re.I)
# The weapons of crowd control: with them a shooting is a coercion, not an assault.
_CROWD_CONTROL_WORDS = r"tear ?gas|teargas|water cannons?|rubber bullets|stun grenades"
_CROWD_CONTROL = re.compile(rf"\b(?:{_CROWD_CONTROL_WORDS})\b", re.I)
_LIVE_FIRE = re.compile(r"\blive (?:rounds|ammunition|bullets|fire)\b", re.I)
# What hits, destroys or is used when a weapon does ("a shell hit a pharmacy",
# "used a bomb to blow up the convoy").
_WEAPON_WORDS = (r"bombs?|missiles?|rockets?|shells?|mortars?|blasts?|explosions?|air ?strikes?|"
                 r"airstrikes?|strikes?|drones?|grenades?|ieds?|shelling|artillery|bullets?|"
                 r"munitions|chemical weapons|explosives?")
_WEAPONS = re.compile(rf"\b(?:{_WEAPON_WORDS})\b", re.I)

# The words beside which a common trigger word is an event. _checked_verb
# looks for them in the trigger's object or clause on the parse; _worth_parsing
# in the whole sentence before any parse, so the two cannot drift apart.
_CONTEXT: dict[str, re.Pattern[str]] = {k: re.compile(rf"\b(?:{v})\b", re.I) for k, v in {
    "test": r"missiles?|rockets?|warheads?|nuclear|weapons?|icbms?|ballistic",
    "hit": r"bases?|positions?|targets?|hideouts?|camps?|depots?|facilit\w+|infrastructure|"
           r"ships?|vessels?|tankers?|airfields?|headquarters|convoys?|militants?|fighters|"
           r"troops|strongholds?|sites?|installations?|plants?|refiner\w+|"
           # "the truck hit a landmine", "hitting the city with bombs and missiles",
           # "a missile hit a hospital", "a drone hit a building" (not "shell": the company)
           r"(?:land)?mines?|bombs?|ieds?|explosive devices?|missiles?|rockets?|shells|"
           r"drones?|mortars?|grenades?|projectiles?|air ?strikes?|airstrikes?",
    "board": r"ships?|vessels?|boats?|tankers?",
    "bar": r"envoys?|ambassadors?|diplomats?|officials?|ships?|aircraft|flights?|imports?|"
           r"exports?",
    "close": r"borders?|crossings?|airspace|embass\w+|consulates?|ports?|strait",
    "upgrade": r"relations|ties|partnership",
    "land": r"bombers?|warplanes?|fighter jets?|military aircraft",
    "enter": f"{_TROOP_WORDS}|militants|rebels|gunm[ae]n|jihadists|insurgents|attackers|militiamen",
    "fly": f"{_AIRCRAFT_WORDS}|{_TROOP_WORDS}",
    "exercise": "|".join(sorted(_EXERCISE_MODIFIERS)),
}.items()}
_CONTEXT.update(shut=_CONTEXT["close"], contribute=re.compile(rf"\b(?:{_TROOP_WORDS})\b", re.I))
_CONTEXT.update(rotate=_CONTEXT["contribute"])
# Those, and words the parse checks by structure ("opened fire", "called on"),
# with a cheap text test for the sentence: one alone is not worth parsing.
_ONLY_WITH: Mapping[str, re.Pattern[str]] = {**_CONTEXT, **{k: re.compile(v, re.I) for k, v in {
    "use": rf"\bagainst\b|\b(?:{_CROWD_CONTROL_WORDS}|{_WEAPON_WORDS})\b",
    "call": r"\bcall(?:s|ed|ing)? (?:on|for)\b|\bcall(?:s|ed|ing)? (?:the|it|this|that)\b",
    "become": r"\bmember",
    "describe": r"\bdescrib(?:e|es|ed|ing)\b[^.;]{0,80}\bas\b",
    "war": r"\bat war with\b",
    "open": r"\bopen(?:s|ed|ing)? fire\b",
    "press": r"\bpress(?:es|ed|ing)? for\b",
    "suspend": _SUSPENDED, "freeze": _SUSPENDED,
}.items()}}
_CONFLICT = conflict_trigger_rows()


def _any_context(rows: Iterable[ConflictTrigger]) -> re.Pattern[str] | None:
    """Return the context one of a verb's rows needs in the sentence (None: none needed).

    The filter passes what any row may read: a row with no context, or one a
    named object may stand for ("captured Qabasin"), needs none.
    """
    pats = [None if t.named_object else t.context for t in rows]
    if not pats or None in pats:
        return None
    return re.compile("|".join(p.pattern for p in pats if p is not None), re.I)


# A conflict verb with a common other sense counts only beside its context too;
# one a named object may stand for ("captured Qabasin") the parse alone decides.
# A word that is both (a sanction "suspended flights", a concession "suspended the
# fare increase") passes beside either's context.
_ONLY_WITH = {**_ONLY_WITH, **{k: c if k not in _ONLY_WITH else re.compile(
    f"{_ONLY_WITH[k].pattern}|{c.pattern}", re.I) for k, rows in _CONFLICT.items()
    if (c := _any_context(rows)) is not None}}


@dataclass(frozen=True, slots=True)
class _SentenceFilter:
    """Whether a sentence may hold a trigger, before any parse: a cheap text test.

    ``words`` maps a trigger word to the context one of whose words must be
    in the sentence too (None: the word alone is enough); ``irregular`` maps
    forms no prefix of the word's stem covers ("shot") to the word.
    """

    plain: re.Pattern[str]
    conditional: re.Pattern[str]
    context_of: Mapping[str, tuple[re.Pattern[str], ...]]

    @classmethod
    def build(cls, words: Mapping[str, re.Pattern[str] | None], irregular: Mapping[str, str]
              ) -> _SentenceFilter:
        plain = {_stem(w) for w, c in words.items() if c is None}
        plain |= {f for f, w in irregular.items() if words.get(w) is None}
        context_of: dict[str, list[re.Pattern[str]]] = {}
        for w, c in words.items():
            if c is not None:
                for form in (_stem(w), *(f for f, x in irregular.items() if x == w)):
                    context_of.setdefault(form, []).append(c)

        def alternation(forms: Iterable[str]) -> str:
            return "|".join(sorted(map(re.escape, forms), key=len, reverse=True)) or "(?!)"

        return cls(re.compile(rf"\b({alternation(plain)})[a-z]*\b", re.I),
                   re.compile(rf"\b({alternation(context_of)})[a-z]*\b", re.I),
                   {k: tuple(v) for k, v in context_of.items()})

    def __call__(self, chunk: str) -> bool:
        if self.plain.search(chunk):
            return True
        for m in self.conditional.finditer(chunk):
            word = m[0].lower()
            if any(c.search(chunk) for f, cs in self.context_of.items()
                   if word.startswith(f.lower()) for c in cs):
                return True
        return False


_IRREGULAR_OF = {
    "became": "become", "flew": "fly", "flown": "fly", "shut": "shut", "sent": "send",
    "paid": "pay", "gave": "give", "given": "give", "fought": "fight", "met": "meet",
    "sold": "sell", "froze": "freeze", "frozen": "freeze", "drew": "withdraw",
    "struck": "strike", "sought": "seek", "brought": "bring", "bought": "buy",
    **{f: t.lemma for rows in _CONFLICT.values() for t in rows for f in t.forms},
}
# A sentence with an actor: any trigger; one without: only a conflict verb
# whose event stands with an unnamed perpetrator ("were killed in").
_ATTRIBUTIONS: Mapping[str, tuple[Attribution, ...]] = {
    lemma: tuple(a for a in attributions() if a.lemma == lemma)
    for lemma in {a.lemma for a in attributions()}}
_WITH_ACTOR = _SentenceFilter.build(
    {**dict.fromkeys((*VERB_TRIGGERS, *NOUN_TRIGGERS, *protest_nouns())), **_ONLY_WITH,
     # "The Pakistani Taliban claimed responsibility": read beside its object only
     **{lemma: re.compile("|".join(a.object.pattern for a in rows), re.I)
        for lemma, rows in _ATTRIBUTIONS.items()}},
    {**_IRREGULAR_OF, "denied": "deny", "denies": "deny"})
# Attacks of the table above that, like the rows, stand with an unnamed
# perpetrator ("a roadside bomb hit a minibus", "the base was struck").
_UNNAMED_ASSAULTS = frozenset({"strike", "hit", "fire", "launch", "open"})
# Alone, "fire" is mostly a blaze ("firefighters", "a fire broke out"): without
# an actor a sentence is parsed for it only beside shots or a weapon.
_SHOTS = re.compile(rf"\bfir(?:e|ed|es|ing)\s+(?:on|at|into|upon)\b|"
                    rf"\b(?:{_WEAPON_WORDS}|shots?|guns?|rounds|volleys?)\b", re.I)
_WITHOUT_ACTOR = _SentenceFilter.build(
    {**{k: _any_context(t for t in rows if t.unknown_source) for k, rows in _CONFLICT.items()
        if any(t.unknown_source for t in rows)},
     **{w: _ONLY_WITH.get(w) for w in _UNNAMED_ASSAULTS}, "fire": _SHOTS},
    {**{f: t.lemma for rows in _CONFLICT.values() for t in rows if t.unknown_source
        for f in t.forms}, "struck": "strike"})


def _worth_parsing(chunk: str, *, actor: bool = True) -> bool:
    return (_WITH_ACTOR if actor else _WITHOUT_ACTOR)(chunk)


# Status cues.
_NEG = frozenset({"not", "n't", "never", "no"})
_DENY = frozenset({"deny", "unaware", "dismiss", "refute"})
_HEDGE = frozenset({"could", "might", "may", "likely", "possibly", "reportedly", "purportedly",
                    "allegedly", "suggest", "believe", "if", "whether", "would", "potential",
                    "doubt", "possible", "rumour", "rumor", "accuse", "speculate", "exaggerate"})
_PLAN = frozenset({"will", "shall", "plan", "intend", "set", "expect", "anticipate", "prepare",
                   "decision", "promise", "pledge", "aim", "want", "'ll", "going", "imminent",
                   "hope", "agree"})
_SAY = frozenset({"announce", "say", "declare", "state", "confirm", "pledge", "promise", "vow",
                  "tell"})
_LOC_PREPS = frozenset({"to", "in", "into", "at", "on", "near", "across", "inside", "toward",
                        "towards", "around", "throughout", "within", "over", "off", "along",
                        "through"})
_TARGET_PREPS = frozenset({"to", "with", "against", "on", "at", "for", "from", "beside",
                           "toward", "towards", "about"})


# --------------------------------------------------------------------------- dates

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTH_RE = "|".join(sorted((m for m in _MONTHS if len(m) > 3 or m == "may"), key=len,
                            reverse=True)) + "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
_DATE_PATTERNS = [
    ("dmy", re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)? ({_MONTH_RE})\.? (\d{{4}})\b", re.I)),
    ("mdy", re.compile(rf"\b({_MONTH_RE})\.? (\d{{1,2}})(?:st|nd|rd|th)?,? (\d{{4}})\b", re.I)),
    ("my", re.compile(rf"\b({_MONTH_RE}) (?:of )?(\d{{4}})\b", re.I)),
    ("md", re.compile(rf"\b({_MONTH_RE})\.? (\d{{1,2}})(?:st|nd|rd|th)?\b(?! ?\d)", re.I)),
    ("dm", re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)? ({_MONTH_RE})\b(?!\.? ?\d)", re.I)),
    ("iso", re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")),
    ("rel", re.compile(r"\b(next|last|this|previous|coming|past) (week|month|year|"
                       rf"{_MONTH_RE})\b|\b(earlier|later) this (week|month|year)\b"
                       r"|\bwithin (?:a|one) (week|month|year)\b|\b(yesterday|today|tomorrow)\b",
                       re.I)),
    ("year", re.compile(r"\b(?:in|since|by|until|of) ((?:19|20)\d\d)\b")),
    ("weekday", re.compile(r"\b(?:on|last|this|next) (monday|tuesday|wednesday|thursday|friday|"
                           r"saturday|sunday)\b", re.I)),
]


def _month(s: str) -> int:
    return _MONTHS.get(s.lower().rstrip("."), _MONTHS.get(s.lower()[:3], 0))


def _shift_month(d: Date, n: int) -> str:
    y, m = divmod(d.year * 12 + d.month - 1 + n, 12)
    return f"{y:04d}-{m + 1:02d}"


def _parse_iso(date: str | None) -> Date | None:
    if not date:
        return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", date)
    if not m:
        return None
    try:
        return Date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def normalize_date(text: str, *, anchor: str | None = None, year: int | None = None
                   ) -> tuple[str | None, str | None]:
    """Return ``(iso_date, date_text)`` for the first date expression in ``text``.

    Parameters
    ----------
    text : str
        A sentence.
    anchor : str, optional
        The article date (``YYYY-MM-DD``): relative dates ("next month", "last
        week", "on Monday": the last Monday up to that day) and dates without a
        year ("June 19") are resolved against it.
    year : int, optional
        A year the document mentions, used for yearless dates without an anchor.

    Returns
    -------
    tuple
        ``iso_date`` is ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (None when the
        date cannot be placed, e.g. "next month" without an article date);
        ``date_text`` is the expression as written (None when there is none).

    Examples
    --------
    >>> normalize_date("signed on June 19", year=2024)
    ('2024-06-19', 'June 19')
    >>> normalize_date("as early as next month", anchor="2024-06-27")
    ('2024-07', 'next month')
    >>> normalize_date("as early as next month")
    (None, 'next month')
    """
    try:
        value, written = _normalize_date(text, anchor=anchor, year=year)
    except OverflowError:  # a week or a day past 9999-12-31
        return None, None
    # Relative dates near the calendar's ends would give years like 10000.
    if value is not None and not re.fullmatch(r"(?!0000)\d{4}(-\d{2}(-\d{2})?)?", value):
        return None, written
    return value, written


def _normalize_date(text: str, *, anchor: str | None, year: int | None
                    ) -> tuple[str | None, str | None]:
    a = _parse_iso(anchor)
    base_year = a.year if a else year
    found = []
    for kind, rx in _DATE_PATTERNS:
        for m in rx.finditer(text):
            found.append((m.start(), -len(m.group(0)), kind, m))
    if not found:
        return None, None
    _, _, kind, m = min(found, key=lambda f: (f[0], f[1]))
    written = m.group(0)
    try:
        if kind == "dmy":
            return Date(int(m[3]), _month(m[2]), int(m[1])).isoformat(), written
        if kind == "mdy":
            return Date(int(m[3]), _month(m[1]), int(m[2])).isoformat(), written
        if kind == "my":
            return f"{int(m[2]):04d}-{_month(m[1]):02d}", written
        if kind == "iso":
            return Date(int(m[1]), int(m[2]), int(m[3])).isoformat(), written
        if kind in ("md", "dm"):
            mon, day = (_month(m[1]), int(m[2])) if kind == "md" else (_month(m[2]), int(m[1]))
            if base_year is None:
                return None, written
            y = base_year
            if a and (mon, day) > (a.month, a.day) and mon - a.month > 6:
                y -= 1  # "December 30" in a January article is last year's
            return Date(y, mon, day).isoformat(), written
        if kind == "year":
            return m[1], written
    except ValueError:
        return None, written
    # relative
    if a is None:
        return None, written
    w = written.lower()
    if kind == "weekday":
        # News tells of the past: "on Monday" is the last Monday up to the
        # article's day ("next Monday" the first one after it).
        back = (a.weekday() - list(calendar.day_name).index(m[1].capitalize())) % 7
        if w.startswith("next"):
            return (a + timedelta(days=(7 - back) % 7 or 7)).isoformat(), written
        if w.startswith("last") and back == 0:
            back = 7
        return (a - timedelta(days=back)).isoformat(), written
    if w in ("yesterday", "today", "tomorrow"):
        return (a + timedelta(days={"yesterday": -1, "today": 0, "tomorrow": 1}[w])).isoformat(), \
            written
    unit = next(u for u in ("week", "month", "year") if u in w) if any(
        u in w for u in ("week", "month", "year")) else None
    if unit is None:  # "last September"
        mon = _month(w.split()[-1])
        y = a.year - (1 if w.startswith(("last", "previous", "past")) and mon >= a.month else 0)
        y += 1 if w.startswith(("next", "coming")) and mon <= a.month else 0
        return f"{y:04d}-{mon:02d}", written
    step = -1 if w.startswith(("last", "previous", "past")) else (
        1 if w.startswith(("next", "coming", "within")) else 0)
    if unit == "week":
        return (a + timedelta(weeks=step)).strftime("%Y-%m"), written
    if unit == "month":
        return _shift_month(a, step), written
    return f"{a.year + step:04d}", written


# --------------------------------------------------------------------------- selection


def event_sentences(text: str, sents: Sequence[tuple[int, int]],
                    matches: Sequence[ActorMatch]) -> list[int]:
    """Return the indices of sentences worth parsing.

    A trigger word and an actor, or a conflict verb whose event may have an
    unnamed perpetrator ("At least nine civilians were killed").
    """
    out = []
    starts = sorted(m.start for m in matches if not m.locative)
    j = 0
    for i, (a, b) in enumerate(sents):
        while j < len(starts) and starts[j] < a:
            j += 1
        actor = j < len(starts) and starts[j] < b
        if _worth_parsing(text[a:b], actor=actor):
            out.append(i)
    return out


# --------------------------------------------------------------------------- extraction


@dataclass(slots=True)
class _Ctx:
    text: str
    base: int
    matches: list[ActorMatch]
    toponyms: list[Toponym]
    actor_of: Mapping[str, Actor]
    table: ActorTable
    places: Any = None  # capital_of(iso3), country(iso3), maybe name_reading(mention)
    before: Sequence[ActorMatch] = ()  # the document's actor mentions before the sentence
    places_before: Sequence[Toponym] = ()  # the document's places before the sentence
    after: Sequence[ActorMatch] = ()  # the document's actor mentions after the sentence


def _trigger(tok: Any) -> _T | None:
    lemma = tok.lemma_.lower()
    low = tok.text.lower()
    if tok.pos_ in ("VERB", "AUX") or (tok.pos_ == "ADJ" and tok.tag_ == "VBN"):
        if tok.pos_ == "AUX":
            return None
        if tok.dep_ == "amod":
            return None  # "allied fighters", "wounded soldiers": a description, not a deed
        if lemma == "pull" and not any(c.text.lower() in ("out", "back") for c in tok.children):
            return None
        if lemma in ("end", "move", "fire", "launch", "appear", "arrive", "question", "give",
                     "help", "back", "host", "talk", "freeze", "suspend",
                     "participate", "escalate", "provide", "strike", "drill", "hit", "board",
                     "press", "call", "fly", "test", "bar", "join", "use", "become", "open",
                     "describe", "brand", "label", "dub",
                     "enter", "land", "contribute", "close", "shut", "upgrade",
                     "rotate", "conclude", "sign"):
            found = _checked_verb(tok, lemma)
            if found is not None or lemma not in _CONFLICT:
                return found
            # "suspended the fare increase": not a sanction, a row's concession
        if lemma in _CONFLICT:
            return _conflict_verb(tok, _CONFLICT[lemma])
        return VERB_TRIGGERS.get(lemma)
    if tok.pos_ in ("NOUN", "PROPN"):
        if low == "measures" and [t.lower_ for t in tok.doc[max(0, tok.i - 2):tok.i]] == [
                "counter", "-"]:
            return NOUN_TRIGGERS["countermeasures"]
        if lemma == "exercise":
            mods = {c.lower_ for c in tok.children if c.dep_ in ("amod", "compound")}
            return NOUN_TRIGGERS["exercise"] if mods & _EXERCISE_MODIFIERS else None
        if low == "war":  # "has been at war with Sudan's army"; not "the war"
            at_war = tok.head.lower_ == "at" and any(
                c.dep_ == "prep" and c.lower_ == "with" for c in tok.children)
            return ("ASSAULT", "combat") if at_war else None
        row = _protest_noun(tok)
        if row is not None:
            # "condemned the protest as an organised riot": a description, not a second
            # event; "banned all protests": none held
            return None if (tok.dep_ == "pobj" and tok.head.lower_ == "as") or (
                tok.dep_ in ("dobj", "nsubjpass") and tok.head.lemma_.lower() in _BANNING) else (
                "PROTEST", row.subtype)
        deed = _accused_deed(tok)
        if deed is not None:
            return deed.category, deed.subtype
        verbs = _NOUNS_WITH_VERB.get(low)
        if verbs is not None and not (tok.dep_ == "dobj" and tok.head.lemma_.lower() in verbs):
            return None
        return NOUN_TRIGGERS.get(low) or NOUN_TRIGGERS.get(lemma)
    return None


# Verbs that forbid what their object names ("banned all protests").
_BANNING = frozenset({"ban", "prohibit", "outlaw", "forbid", "bar"})
# Verbs whose "of"/"for" phrase names the deed a party is accused of.
_ACCUSING_VERBS = frozenset({"accuse", "charge", "blame", "suspect", "indict", "convict"})


def _accusing_verb(tok: Any) -> Any:
    """Return the accusing verb whose "of"/"for" phrase holds the noun, if any."""
    while tok.dep_ == "conj":
        tok = tok.head  # "of war crimes and atrocities"
    if tok.dep_ != "pobj" or tok.head.lower_ not in ("of", "for"):
        return None
    verb = tok.head.head
    if verb.pos_ in ("NOUN", "PROPN", "PRON") and verb.dep_ in ("dobj", "nsubjpass"):
        verb = verb.head  # "accused [Russian troops of atrocities]": the parser's reading
    return verb if verb.pos_ == "VERB" and verb.lemma_.lower() in _ACCUSING_VERBS else None


def _accused_deed(tok: Any) -> AccusedDeed | None:
    """Return the row of data/accused_deeds.csv a noun is, in an accusation's phrase.

    "accused Azerbaijan of ethnic cleansing": the deed alleged, an event of its
    own. A definite noun ("blamed the group for the killings") refers to a deed
    already reported, whose blame is the accusation alone.
    """
    rows = accused_deeds().get(tok.lower_) or accused_deeds().get(tok.lemma_.lower())
    if not rows or _accusing_verb(tok) is None or any(
            c.dep_ in ("det", "poss") and c.lower_ in _DEFINITE for c in tok.children):
        return None
    before = [t.lower_ for t in tok.doc[max(0, tok.i - 3):tok.i]]
    return next((d for d in rows if len(d.words) == 1
                 or before[-(len(d.words) - 1):] == list(d.words[:-1])), None)


def _protest_holder(tok: Any) -> Any:
    """Return the verb whose subject holds a protest noun's protest, if any.

    "Unions called a new day of nationwide strikes and protests", "students
    staged protests": the noun (or the "day/wave of" it is counted in) is the
    object of "call" or a light verb.
    """
    if tok.dep_ == "conj":
        tok = tok.head
    for _ in range(2):
        if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.pos_ == "NOUN":
            tok = tok.head.head
    verb = tok.head
    if tok.dep_ == "dobj" and verb.pos_ == "VERB" and (
            verb.lemma_.lower() == "call" or verb.lemma_.lower() in _LIGHT):
        return verb
    return None


def _protest_noun(tok: Any) -> ProtestNoun | None:
    """Return the row of data/protest_nouns.csv a noun is, in this sense ("a general strike")."""
    row = protest_nouns().get(tok.lower_)
    if row is None or tok.pos_ not in ("NOUN", "PROPN") or tok.text == "March" or (
            tok.dep_ == "compound"):
        return None  # the month; "protest leaders", "strike action": a modifier
    return row if row.fits(protest_noun_phrase(tok.doc.text, tok.idx, tok.idx + len(tok))) \
        else None


def _conflict_row(tok: Any, rows: Sequence[ConflictTrigger]) -> ConflictTrigger | None:
    """Return the verb's row: the first whose context is in its phrase, else one with none.

    "took to the streets" (a protest), "took control of" (a capture); None:
    no row's context is there ("executed the plan", "released a statement").
    """
    # the verb's phrase, or the clause it hangs on ("launched an offensive, targeting")
    phrase = tok.head if tok.dep_ in ("acl", "advcl", "xcomp", "conj", "relcl") else tok
    text = _words(phrase.subtree)
    subject = None
    for row in rows:
        if row.context is not None and row.context_in_subject:
            if subject is None:
                subject = _words(t for s in _own_subjects(tok) for t in s.subtree)
            if row.context.search(subject):
                return row
        elif row.context is not None and (row.context.search(text) or (
                row.named_object and _named_object(tok))):
            return row
    return next((row for row in rows if row.context is None), None)


#: ``Doc.user_data`` key of the token indices inside a place name (set by events_from_parses).
_PLACE_TOKENS = "geokit_place_tokens"


def _words(toks: Iterable[Any]) -> str:
    """Return the tokens' text, a place name's words blanked.

    A row's context is a common noun: "blocked roads in Port-au-Prince" or "the
    road to Port Sudan" names no port (whose blockade would be the state's).
    """
    toks = list(toks)
    inside = toks[0].doc.user_data.get(_PLACE_TOKENS, frozenset()) if toks else ()
    return " ".join("_" if t.i in inside else t.text for t in toks)


def _own_subjects(tok: Any) -> list[Any]:
    """Return the verb's subjects, or those of the verb it is conjoined to."""
    subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subj and tok.dep_ == "conj":
        subj = [c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass")]
    return subj


def _conflict_verb(tok: Any, rows: Sequence[ConflictTrigger]) -> _T | None:
    """Return a conflict verb's (category, subtype) if its row's conditions hold.

    The row's context must be in the verb's phrase (:func:`_conflict_row`); an
    intransitive row's verb must have no direct object.
    """
    row = _conflict_row(tok, rows)
    if row is None:
        return None  # "executed the plan", "released a statement"
    if row.intransitive and any(c.dep_ == "dobj" for c in tok.children):
        return None  # "demonstrated its resolve"
    if row.lemma == "shoot" and any(c.dep_ == "prt" and c.lower_ == "down" for c in tok.children
                                    ) and not _MANNED.search(_dobj_text(tok) or " ".join(
                                        t.text for c in tok.children if c.dep_ == "nsubjpass"
                                        for t in c.subtree) + (
                                        # "the helicopter which has been shot down"
                                        f" {tok.head.text}" if tok.dep_ == "relcl" else "")):
        return None  # "shot down most of the drones": a defence; a jet shot down is an attack
    if _calamity(tok) and not (row.context is not None and row.context.search(" ".join(
            c.text for c in tok.children if c.dep_ == "nsubj"))):
        # "the war has killed thousands": a toll, not one act; but in "fighting
        # erupted" the subject is the row's context, the event itself
        return None
    return row.category, row.subtype


# Aircraft with a crew: shooting one down is an attack on its side, not an interception.
_MANNED = re.compile(r"\b(?:jets?|warplanes?|helicopters?|planes?|aircraft|bombers?|gunships?|"
                     r"mig-?\d*|f-\d+|su-\d+|airliners?|black hawks?|apaches?|chinooks?)\b",
                     re.I)


def _named_object(tok: Any) -> bool:
    """Whether the verb's object or passive subject is named: a proper noun, or a person.

    "captured Qabasin", "captured half of Darayya", "Guzman was captured",
    "he was executed" (a personal pronoun is someone); not "it was captured on camera".
    """
    objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
    heads = [o for c in objs for o in (c, *c.conjuncts)]
    heads += [p for o in heads for c in o.children if c.dep_ == "prep" and c.lower_ == "of"
              for p in c.children if p.dep_ == "pobj"]
    return any(o.pos_ == "PROPN" or (o.dep_ == "nsubjpass" and o.lower_ in _PERSONS)
               for o in heads)


_PERSONS = frozenset({"he", "she", "they", "we", "i"})


# Subjects that make a killing verb the toll of a whole conflict or calamity.
_TOLL_SUBJECTS = frozenset({"war", "conflict", "fighting", "violence", "crisis", "insurgency",
                            "unrest", "famine", "disease", "epidemic", "outbreak", "hunger",
                            "cholera", "pandemic", "drought", "flood", "flooding", "earthquake",
                            "quake", "storm", "cyclone", "hurricane", "typhoon", "tornado",
                            "tsunami", "lightning", "fire", "heat", "disaster", "recession"})


def _fired(tok: Any, lemma: str, sub: str) -> _T | None:
    """Return what "fired" or "launched" is: a shooting, tear gas, a strike, a test, or None."""
    if lemma == "fire" and _CROWD_CONTROL.search(sub):
        # "police fired tear gas at protesters"; but live fire is shooting
        # whatever else is fired with it ("fired live rounds and tear gas")
        return ("ASSAULT", "shooting") if _LIVE_FIRE.search(sub) else ("COERCE", "tear_gas")
    if not re.search(r"missile|drone|rocket|strike|attack|shell|icbm|ballistic|offensive|"
                     r"assault|raid|bombardment|\b(?:military|ground|air|aerial|"
                     r"counter-?terror\w*|anti-?terror\w*) (?:operations?|campaigns?)\b|"
                     r"\boperations? (?:to|against)\b", sub, re.I):
        # "police fired on demonstrators", "fired at his car", "fired mortar bombs":
        # shots; not "was fired" (dismissed) nor "fired up"
        shots = lemma == "fire" and not any(c.dep_ == "auxpass" for c in tok.children) and (
            any(c.dep_ == "prep" and c.lower_ in ("on", "at", "into", "upon")
                for c in tok.children) or _GUNS.search(_dobj_text(tok)))
        return ("ASSAULT", "shooting") if shots else None
    if re.search(r"\b(?:drills?|exercises?)\b", tok.sent.text, re.I):
        return None  # "began drills around Taiwan, firing missiles": part of the drill
    if _test_of(tok):
        return ("MOBILIZE", "weapons_test")  # "test-fired an ICBM": a show of force
    return VERB_TRIGGERS[lemma]


def _checked_verb(tok: Any, lemma: str) -> _T | None:
    # Common verbs that are events only with the right object.
    obj = " ".join(c.text for c in tok.children if c.dep_ in ("dobj", "prep", "prt", "attr"))
    sub = " ".join(t.text for t in tok.subtree)
    if lemma in ("fire", "launch"):
        return _fired(tok, lemma, sub)
    if lemma == "sign":  # "signed a decree suspending flights": one side's act, no agreement
        return None if _DECREED.search(_dobj_text(tok)) else VERB_TRIGGERS[lemma]
    if lemma in ("test", "close", "shut", "upgrade", "board", "bar"):
        # "tested an ICBM", "closed the border crossing", "boarded the vessels"
        return VERB_TRIGGERS[lemma] if _CONTEXT[lemma].search(_dobj_text(tok)) else None
    if lemma == "open":  # "opened fire on"
        return VERB_TRIGGERS[lemma] if any(c.dep_ == "dobj" and c.lower_ == "fire"
                                           for c in tok.children) else None
    if lemma in ("enter", "contribute", "rotate", "land"):
        # "soldiers entered Tigray", "bombers landed";
        # "the army can once again ... enter Al-Bab": the subject of the clause above
        if lemma == "enter":
            sub += " " + _subject_text(tok)
        return VERB_TRIGGERS[lemma] if _CONTEXT[lemma].search(sub) else None
    if lemma == "become":
        return VERB_TRIGGERS[lemma] if any(  # "became the 31st member of NATO"
            c.dep_ == "attr" and c.lemma_.lower() == "member" for c in tok.children) else None
    if lemma == "use":
        if _CROWD_CONTROL.search(_dobj_text(tok)):
            return ("COERCE", "tear_gas")  # "police used water cannon and tear gas"
        # "drones Azerbaijani forces used against Armenian positions"; "used
        # drones against ...", where the parser hangs "against" on the object
        heads = [tok, *(c for c in tok.children if c.dep_ == "dobj")]
        if any(c.dep_ == "prep" and c.lower_ == "against" for h in heads for c in h.children):
            return ("ASSAULT", None)
        # "used a bomb to blow up the convoy", "used cluster munitions in attacks on"
        return ("ASSAULT", None) if _WEAPONS.search(_dobj_text(tok)) and any(
            c.dep_ in ("xcomp", "advcl") or (c.dep_ == "prep" and c.lower_ in ("in", "on") and any(
                "ASSAULT" in _REFERENT_NOUNS.get(o.lemma_.lower(), ()) for o in c.children))
            for h in heads for c in h.children) else None
    if lemma == "join":
        objs = [c for c in tok.children if c.dep_ == "dobj"]
        if any(o.lower_ in NOUN_TRIGGERS or o.lemma_.lower() in NOUN_TRIGGERS for o in objs):
            return None  # "join sanctions against Russia": the noun is the event
        return VERB_TRIGGERS[lemma]
    if lemma == "question" and any(
            c.dep_ in ("ccomp", "advcl", "dobj") and c.doc[c.left_edge.i].lower_ in _WH_DOUBT
            for c in tok.children):
        return None  # "questions why Russia can't", "questioned whether": doubt, no accusation
    if lemma == "hit":  # "hit what it said were bases": the parse may miss the object
        right = " ".join(t.text for t in tok.subtree if t.i > tok.i)
        # "a roadside bomb hit a minibus": what hits is a weapon
        return ("ASSAULT", None) if not _calamity(tok) and (_CONTEXT["hit"].search(
            right) or _WEAPONS.search(_subject_text(tok))) else None
    if lemma == "press":
        return VERB_TRIGGERS[lemma] if any(
            c.dep_ == "prep" and c.lower_ == "for" for c in tok.children) else None
    if lemma in _NAMING_VERBS:
        if _accusing_complement(tok):
            return ("ACCUSE", "statement")
        if lemma != "call":
            return None
        if any(c.dep_ == "prep" and c.lower_ in ("on", "for") for c in tok.children):
            return ("REQUEST", None)  # "called on Russia to withdraw", "called for talks"
        return None
    if lemma == "fly":
        if _TROOPS.search(_dobj_text(tok)):
            return ("MOBILIZE", "deploy_troops")  # "began flying 1,000 soldiers into"
        return VERB_TRIGGERS[lemma] if _AIRCRAFT.search(sub) else None
    if lemma in ("move", "appear", "arrive"):
        return ("MOBILIZE", "deploy_troops") if _TROOPS.search(sub) or _INSTRUCTORS.search(
            sub) else None
    if lemma == "end":
        return ("SANCTION", "end_agreement") if re.search(r"agreement|treaty|pact|deal|cooperation",
                                                          obj, re.I) else None
    if lemma in ("freeze", "suspend"):
        if re.search(r"membership|participation", sub, re.I):
            return ("SANCTION", "suspend_membership")
        # "suspended passenger flights to Georgia", "froze military aid"
        return ("SANCTION", "suspension") if re.search(_SUSPENDED, sub, re.I) else None
    if lemma in ("give", "provide"):
        if tok.text.lower() == "given" and not any(
                c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass") for c in tok.children):
            return None  # "given the scepticism": a preposition, not a gift
        if re.search(r"\b(?:assurances?|guarantees?|pledges?)\b", _dobj_text(tok), re.I):
            return ("AGREE", "assurance")  # "had given assurances that the missiles ..."
        return ("AID", None)
    if lemma == "conclude":  # "concluded a treaty"; not "concluded proportionate measures"
        return VERB_TRIGGERS[lemma] if re.search(
            r"\b(?:agreements?|treat(?:y|ies)|pacts?|deals?|accords?|talks|negotiations)\b",
            _dobj_text(tok), re.I) else None
    if lemma == "strike":
        if re.search(r"\b(?:deals?|agreements?|accords?|pacts?|bargains?|balance|tone|chord|note|"
                     r"compromise|partnership)\b", _dobj_text(tok), re.I) or _calamity(tok):
            return None  # "struck a deal", "an earthquake struck": no attack
        return ("ASSAULT", "air_strike")
    if lemma == "escalate":
        return ("THREATEN", "nuclear_threat") if re.search(r"threat", obj, re.I) else None
    if lemma == "participate":
        return ("ASSAULT", "combat") if re.search(r"combat|fighting|war|hostilities", sub,
                                                  re.I) else None
    if lemma == "drill":
        return ("MOBILIZE", "military_exercise")
    if lemma == "host" and (_TROOPS.search(obj_np := " ".join(
            t.text for c in tok.children if c.dep_ == "dobj" for t in c.subtree)) or
            re.search(r"\bbases?\b", obj_np, re.I)):
        return None  # "hosted Russian troops" stations forces; no meeting
    return VERB_TRIGGERS.get(lemma)


# What is fired when shots are ("fired mortar bombs", "fired machine guns").
_GUNS = re.compile(r"\b(?:shots?|guns?|rifles?|bullets?|rounds|mortars?|bombs?|grenades?|"
                   r"shells?|volleys?|salvos?|weapons?|artillery)\b", re.I)


# Verbs that say what something is: an accusation when what they call it
# accuses (data/accusing_words.csv).
_NAMING_VERBS = frozenset({"call", "describe", "brand", "label", "dub"})


def _accusing_complement(tok: Any) -> bool:
    """Whether a naming verb's complement (or an adjective of it) is an accusing word.

    "called the deployment illegal", "described the disorder as racist thuggery",
    "branded the strike a terrorist act" (the parser's second object); the first
    object is what is named, not the name ("called the attack a success").
    """
    words = accusing_words()
    objects = [c for c in tok.children if c.dep_ == "dobj"]
    comps = [c for c in tok.children if c.dep_ in ("oprd", "attr", "xcomp", "ccomp", "acomp")
             or (c.dep_ == "advmod" and objects and c.i > objects[0].i)]  # "... cowardly"
    comps += objects[1:]
    # "called the decision blackmail": the parser makes the name the object's
    # head, with the thing named a compound before it
    comps += [o for o in objects[:1] if any(
        c.dep_ == "compound" and c.pos_ == "NOUN" and c.i < o.i for c in o.children)]
    # "described the bombing as terrorism", "... as unlawful" (as hangs on either)
    comps += [o for h in (tok, *objects) for c in h.children if c.dep_ == "prep"
              and c.lower_ == "as" for o in c.children]
    return any(t.lemma_.lower() in words or t.lower_ in words
               for c in comps for t in (c, *(m for m in c.children
                                             if m.dep_ in ("amod", "compound", "acomp"))))


def _subject_text(tok: Any) -> str:
    """Return the words of the subject of the verb or of the first verb above it that has one."""
    for g in _governors(tok):
        subj = [c for c in g.children if c.dep_ in ("nsubj", "nsubjpass", "agent")]
        if subj:
            return " ".join(t.text for c in subj for t in c.subtree)
    return ""


def _calamity(tok: Any) -> bool:
    """Whether the verb's subject is a war's toll or a calamity ("an earthquake struck")."""
    return any(c.dep_ == "nsubj" and c.lemma_.lower() in _TOLL_SUBJECTS for c in tok.children)


def _dobj_text(tok: Any) -> str:
    """Return the words of a verb's direct object."""
    return " ".join(t.text for c in tok.children if c.dep_ == "dobj" for t in c.subtree)


def _test_of(tok: Any) -> bool:
    # "test-fired", "test fired": spaCy splits the compound
    prev = [t.lower_ for t in tok.doc[max(0, tok.i - 2):tok.i]]
    return "test" in prev or any(c.lower_ == "test" for c in tok.children)


def _actors_in(ctx: _Ctx, a: int, b: int, *, allow_locative: bool = False
               ) -> list[ActorMatch]:
    # A name that begins in the phrase is its actor even where the parser cut it
    # short: "blamed [the Islamic State] in the Greater Sahara".
    return [m for m in ctx.matches if a <= m.start and (
        m.end <= b or (m.start < b and m.kind in _NAME_KINDS
                       and ctx.text.startswith((" in ", " of ", " for "), b)))
            and m.actor_id in ctx.actor_of and (allow_locative or not m.locative)]


_NAME_KINDS = frozenset({"name", "alias"})


def _inside_name(ctx: _Ctx, t: Toponym) -> bool:
    """Whether a toponym lies in a longer actor name ("Islamic State in the Greater Sahara")."""
    s, e = t.mention.start, t.mention.end
    return any(m.kind in _NAME_KINDS and not m.locative and m.start <= s and e <= m.end
               and m.end - m.start > e - s for m in ctx.matches)


def _span(ctx: _Ctx, tok: Any) -> tuple[int, int]:
    # The parser's trees are projective: a subtree runs from left to right edge.
    last = tok.right_edge
    return ctx.base + tok.left_edge.idx, ctx.base + last.idx + len(last.text)


def _tok_span(ctx: _Ctx, tok: Any) -> tuple[int, int]:
    return ctx.base + tok.idx, ctx.base + tok.idx + len(tok.text)


_GOVERNMENT_NOUNS = frozenset({"government", "junta", "authorities", "regime", "administration",
                               "leadership", "parliament"})


_PARTISANS = frozenset({"supporter", "follower", "loyalist", "sympathiser", "sympathizer",
                        "relative", "family"})


def _head_actors(ctx: _Ctx, tok: Any) -> list[str]:
    """Actor ids in a phrase: the head's own actor first, then conjuncts."""
    a, b = _span(ctx, tok)
    found = _actors_in(ctx, a, b)
    if not found and tok.lemma_.lower() in _GOVERNMENT_NOUNS:
        # "the military government in Niamey", "the authorities of Mali"
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "of"):
                ids = _pobj_actors(ctx, c, locative=True)
                if ids:
                    return ids[:1]
    if not found:
        return []
    # "Belgrade, which remains on friendly terms with Moscow,": an actor inside
    # a relative clause is not part of the phrase's referent.
    inner = [_span(ctx, t) for t in tok.subtree if t.dep_ == "relcl" or (
        t.dep_ == "prep" and t.head.i == tok.i and t.lower_ in ("in", "at", "near", "during",
                                                          "inside")) or (
        # "supporters of Imran Khan stormed", "Sonko's supporters clashed": the
        # supporters act, not whom they back
        t.dep_ in ("prep", "poss") and t.head.i == tok.i and (t.lower_ == "of" or t.dep_ == "poss")
        and tok.lemma_.lower() in _PARTISANS)]
    outside = [m for m in found if not any(x <= m.start < y for x, y in inner)]
    if not outside and tok.lemma_.lower() in _DEED_NOUNS:
        return []  # "an explosion in a Myanmar town": where it went off, not who set it
    outside = outside or found
    # "Nigerian police": the agent, whose country the demonym gives, not Nigeria too
    agents = {m.country for m in outside if m.kind == "agent" and m.country}
    outside = [m for m in outside if not (m.kind == "demonym" and (
        a := ctx.actor_of.get(m.actor_id)) is not None and a.country in agents)] or outside
    outside = [_owner_of_group(ctx, m) or m for m in outside]
    return list(dict.fromkeys(m.actor_id for m in outside))


# "Lebanon's Hezbollah", "Sudan's paramilitary Rapid Support Forces", "Lebanese
# Hezbollah": the state word says where the group is, it does not act with it
# (the actors table gives the group its country).
_GROUP_KINDS = frozenset({"armed_group", "media"})
# After a possessive, up to two adjectives; after a demonym, only a space or one adjective.
_OWNER_GAP = re.compile(r"(?:'s|’s)(?:\s+(?!(?:and|or|nor|with|but)\b)[a-z][a-z-]*){0,2}\s+")
_DEMONYM_GAP = re.compile(r"(?:\s+(?!(?:and|or|nor|with|but)\b)[a-z][a-z-]*)?\s+")


def _owner_of_group(ctx: _Ctx, m: ActorMatch) -> ActorMatch | None:
    """Return the group a state's name qualifies, which stands for it; None if none."""
    a = ctx.actor_of.get(m.actor_id)
    if a is None or a.type != "state":
        return None
    # All the sentence's mentions, not the phrase's: the parser may end the
    # subject at the possessive ("[Sudan's] paramilitary Rapid Support Forces").
    for o in ctx.matches:
        g = ctx.actor_of.get(o.actor_id)
        if g is not None and g.type in _GROUP_KINDS and o.start >= m.end and \
                (_DEMONYM_GAP if m.kind == "demonym" else _OWNER_GAP).fullmatch(
                    ctx.text, m.end, o.start):
            return o
    return None


def _governors(tok: Any) -> list[Any]:
    """Return the trigger and the verbs it hangs from through xcomp/ccomp-like links."""
    chain = [tok]
    cur = tok
    while cur.dep_ in ("xcomp", "ccomp", "advcl", "conj", "acl", "relcl", "pcomp", "pobj",
                       "prep", "dobj", "attr", "oprd", "acomp") and cur.head.i != cur.i:
        cur = cur.head
        chain.append(cur)
        if len(chain) > 6:
            break
    return chain


def _deed_noun_agent(ctx: _Ctx, tok: Any) -> list[str]:
    """Who did the deed a passive's "in" phrase names ("were killed in an attack by X").

    "in a clash with Chinese troops", "in an Israeli air strike", "during a raid
    by the RSF": the attack noun's own "by"/"with"/"from" phrase, or its
    owner or adjective. Nothing else: the passive's agent is otherwise unsaid.
    """
    for p in tok.children:
        if p.dep_ != "prep" or p.lower_ not in ("in", "during", "by"):
            continue
        for n in p.children:
            if n.dep_ != "pobj" or (NOUN_TRIGGERS.get(n.lower_, ("",))[0] != "ASSAULT"
                                    and n.lemma_.lower() not in _COMBAT_NOUNS):
                continue  # "killed in a shootout with security guards": a fight too
            for c in n.children:
                if c.dep_ == "prep" and c.lower_ in ("by", "with", "from"):
                    # "with Islamic State fighters": the group's men are the group
                    ids = _pobj_actors(ctx, c) or [
                        i for o in c.children if o.dep_ == "pobj" for i in _head_actors(ctx, o)]
                    if ids:
                        return ids
            for c in n.children:
                if c.dep_ in ("poss", "amod", "compound", "nmod") and c.i < n.i:
                    ids = _head_actors(ctx, c)
                    if ids:
                        return ids
    return []


def _shared_passive(tok: Any, g: Any) -> bool:
    """Whether ``tok`` is a participle sharing passive ``g``'s subject ("was arrested and charged").

    The tagger often calls the second participle a past tense ("was stripped of
    his powers and placed under house arrest"); such a conflict verb without
    an object of its own is passive, but not any past tense ("it was appalled
    ... and called for": active).
    """
    participle = tok.tag_ == "VBN" or (tok.tag_ == "VBD" and tok.lemma_.lower() in _CONFLICT
                                       and not any(c.dep_ == "dobj" for c in tok.children))
    return tok.dep_ == "conj" and tok.head.i == g.i and participle and any(
        c.dep_ == "auxpass" for c in g.children) and not any(
        c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)


def _ordered_done(tok: Any) -> bool:
    """Whether a past verb is what someone ordered done to its subject ("ordered him held").

    The parser reads "ordered the mayor detained" as a clause whose subject is
    the mayor; the form is the participle's, without an auxiliary.
    """
    return (tok.dep_ == "ccomp" and tok.head.lemma_.lower() == "order"
            and tok.tag_ in ("VBD", "VBN") and any(c.dep_ == "nsubj" for c in tok.children)
            and not any(c.dep_ in ("aux", "auxpass") for c in tok.children))


def _undergoes(tok: Any) -> bool:
    """Whether the verb's subject is who the event is done to (``undergoer`` of its rows)."""
    return tok.pos_ == "VERB" and any(
        t.subject_undergoes for t in _CONFLICT.get(tok.lemma_.lower(), ()))


def _subject(ctx: _Ctx, tok: Any) -> tuple[list[str], bool, bool]:
    """Return (source actor ids, found syntactically, no fallback allowed).

    The third value says the parse shows the agent is not in the sentence (a
    passive without ``by``, a plan or promise of someone unnamed), so the
    nearest actor before the trigger must not stand in for it.
    """
    # An event noun takes its source from its own modifiers only ("the DPRK's
    # deployment", "the deployment of North Korean troops"): the subject of the
    # verb governing it is someone else ("Ryder criticized the deployment").
    if _ordered_done(tok):
        # "A court ordered him held": who orders it does it; "him" undergoes it
        subj = [c for c in tok.head.children if c.dep_ == "nsubj"]
        ids = _head_actors(ctx, subj[0]) if subj else []
        return ids, bool(ids), True
    if tok.pos_ in ("NOUN", "PROPN") and _accused_deed(tok) is not None:
        # "accused Azerbaijan of ethnic cleansing", "Wagner was accused of abuses":
        # the accused did the deed alleged
        verb = _accusing_verb(tok)
        who = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
        if not who:
            return [], False, True
        # the accused's own words, before "of" ("the company of abuses in Ukraine, Syria")
        a, b = _span(ctx, who[0])
        b = min([ctx.base + c.idx for c in who[0].children if c.dep_ == "prep"
                 and c.lower_ in ("of", "for")] + [b])
        before = {m.actor_id for m in _actors_in(ctx, a, b)}
        ids = [i for i in _head_actors(ctx, who[0]) if i in before] or _head_actors(
            ctx, who[0])[:1]
        return ids, bool(ids), True
    if _undergoes(tok):
        # "Eleven soldiers died in an al Shabaab attack": as a passive's, the
        # subject undergoes it; who did it is the attack noun's, else unsaid
        by = _deed_noun_agent(ctx, tok)
        return (by, True, True) if by else ([], False, True)
    chain = [tok] if tok.pos_ in ("NOUN", "PROPN") else _governors(tok)
    passive = tok.pos_ == "VERB" and (any(c.dep_ == "auxpass" for c in tok.children) or (
        # "two policemen were slain": the parser may read the participle as be's complement
        tok.tag_ == "VBN" and tok.dep_ == "acomp" and tok.head.lemma_ == "be"))
    for k, g in enumerate(chain):
        if g is not tok and g.pos_ in ("NOUN", "PROPN"):
            below = chain[k - 1]
            infinitive = any(c.dep_ == "aux" and c.text.lower() == "to" for c in below.children)
            if below.dep_ in ("acl", "relcl") and not infinitive and below.tag_ != "VBN":
                ids = _clause_noun_agents(ctx, g, below)
                return ids, bool(ids), True
            # "France's promises to send legionnaires", "plans to send troops":
            # the noun's owner is the agent; past the noun is someone else's clause.
            for c in g.children:
                if c.dep_ in ("poss", "compound", "amod", "nmod"):
                    ids = _head_actors(ctx, c)
                    if ids:
                        return ids, True, True
            return [], False, True
        if k and ((chain[k - 1].dep_ in ("xcomp", "ccomp") and chain[k - 1].pos_ == "VERB")
                  or (chain[k - 1].dep_ == "prep" and k > 1 and chain[k - 2].dep_ == "pcomp")):
            # Object control: "compelling Putin to request", "lead North Korea to
            # send", "accused North Korea of sending".
            for c in g.children:
                if c.dep_ in ("dobj", "attr") and c.i < chain[k - 1].i:
                    ids = _head_actors(ctx, c)
                    if ids:
                        return ids, True, True
        agent = [x for x in g.children if x.dep_ == "agent"]
        if agent and (passive or g is not tok):
            ids = _head_actors(ctx, agent[0])
            if ids:
                return ids, True, True
        for c in g.children:
            if c.dep_ not in ("nsubj", "nsubjpass", "csubj"):
                continue
            ids = _head_actors(ctx, c)
            if not ids and g.dep_ == "relcl" and c.lower_ in ("which", "who", "that"):
                # "the Dan Na Ambassagou militia, which denied involvement": the
                # relative pronoun stands for the noun the clause describes
                ids = _head_actors(ctx, g.head)
                if not ids and g.head.dep_ == "appos":
                    ids = _head_actors(ctx, g.head.head)  # "the X militia, a hunters' group, which"
            # "North Korea is set to send", "troops are expected to join": the
            # raising verb's subject is the infinitive's; only the trigger's own
            # passive subject is the thing moved.
            if passive or (c.dep_ == "nsubjpass" and (g is tok or _shared_passive(tok, g))):
                # "troops were sent", "brigades are likely to be sent": the subject
                # is what moved, and forces move for their state; otherwise the
                # agent is unsaid.
                if _category_of(tok) == "MOBILIZE":
                    mil = [i for i in ids if _is_force(ctx, i)]
                    if mil:
                        return mil, True, True
                by = _deed_noun_agent(ctx, tok) if g is tok else []
                return (by, True, True) if by else ([], False, True)
            if ids:
                return ids, True, True
            if any(x.dep_ == "nsubj" and x.i > c.i for x in g.children):
                # "Members of the paramilitary Rapid Support Forces set": the parser
                # gave the verb two subjects, the name its second
                continue
            if c.pos_ != "PRON" or c.lower_ in _SPEAKERS:
                # The clause has its own subject and it is no actor ("Western
                # brigades"): the subject of an outer clause is someone else.
                return [], False, True
        if g.pos_ in ("NOUN", "PROPN"):
            for c in g.children:
                if c.dep_ in ("poss", "compound", "amod", "nmod"):
                    ids = _head_actors(ctx, c)
                    if ids:
                        return ids, True, True
                if c.dep_ == "prep" and c.text.lower() in ("by", "from", "between", "of"):
                    ids = _head_actors(ctx, c)
                    if ids:
                        return ids, True, True
    return [], False, passive


# "I would reconsider sending forces": a quoted speaker, whom the words around
# the quote name; the subject of the verb that reports it is not the agent.
_SPEAKERS = frozenset({"i", "we", "you"})


# Verbs whose object noun names the event and whose subject is its agent
# ("conduct strikes", "embark on a visit", "impose sanctions", "begin drills"),
# or its recipient (_RECEIVING: "take delivery of", "receive aid").
_LIGHT = frozenset({
    "embark", "conduct", "carry", "begin", "start", "complete", "finish", "continue",
    "resume", "facilitate", "impose", "hold", "stage", "make", "undertake", "order", "approve",
    "authorize", "authorise", "announce", "plan", "mount", "go", "expand", "intensify",
    "step", "launch", "unveil", "agree", "offer", "pledge", "promise", "express", "voice",
    "raise", "reiterate", "lay", "declare", "enforce", "tighten", "extend", "join",
    "slap", "vow", "threaten", "travel", "fly", "arrive", "lodge", "file", "organise",
    "organize", "lead", "wage", "renew",
})
# Light verbs that report the noun's deed done: "the army continued its offensive in
# Aleppo" is an attack there, whoever it hit; "announced an offensive" is not.
_CARRYING_OUT = frozenset({"conduct", "carry", "begin", "start", "continue", "resume", "mount",
                           "launch", "stage", "undertake", "intensify", "expand", "step",
                           "wage", "renew"})
_RECEIVING = frozenset({"take", "receive", "accept", "get", "obtain", "welcome"})
_RECEIVING_VERBS = frozenset({"receive", "acquire", "buy", "purchase", "obtain"})


def _light_verb(tok: Any) -> Any:
    if tok.pos_ not in ("NOUN", "PROPN"):
        return None
    head = tok.head
    if tok.dep_ == "conj":  # "drills and exercises"
        tok, head = head, head.head
    if tok.dep_ in ("dobj", "nsubjpass") and head.pos_ == "VERB":
        verb = head
    elif tok.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ == "VERB":
        verb = head.head  # "embarked on a visit", "engaged in talks"
    else:
        return None
    lemma = verb.lemma_.lower()
    at_war = tok.lower_ == "war" and head.lower_ == "at"  # "be/remain at war with"
    return verb if lemma in _LIGHT or lemma in _RECEIVING or at_war else None


def _carried_out(c: _Candidate) -> bool:
    """Whether an attack noun is reported done: "mounted an offensive", not "announced" one."""
    return (c.category == "ASSAULT" and bool(c.source) and c.light is not None
            and c.light.lemma_.lower() in _CARRYING_OUT)


def _between_actors(ctx: _Ctx, tok: Any) -> list[str]:
    for t in tok.subtree:
        if t.dep_ == "prep" and t.text.lower() == "between":
            a, b = _span(ctx, t)
            ids = list(dict.fromkeys(m.actor_id for m in _actors_in(ctx, a, b)))
            if len(ids) > 1:
                return ids
    return []


def _category_of(tok: Any) -> str | None:
    trig = VERB_TRIGGERS.get(tok.lemma_.lower())
    return trig[0] if trig else None


def _is_force(ctx: _Ctx, actor_id: str) -> bool:
    a = ctx.actor_of.get(actor_id)
    return a is not None and a.type in ("military", "armed_group")


def _objects(ctx: _Ctx, tok: Any, source: Sequence[str], category: str,
             subtype: str | None = None) -> tuple[list[str], list[Any]]:
    """Return (target actor ids, locative phrase tokens)."""
    targets: list[str] = []
    locs: list[Any] = []
    # A state named after "to"/"from" is where aid goes or a request is sent
    # ("drones to Moscow", "reinforcement from North Korea", "recalled its
    # ambassador from Tehran"); for a movement it is only the destination.
    recipient = category in ("AID", "REQUEST", "CONSULT") or subtype in (
        "recall_ambassador", "expulsion")
    # What a statement is about ("condemned the delivery of drones to Russia")
    # does not say where the statement was made.
    statement = category in _STATEMENTS
    heads = [tok] + [c for c in tok.children if c.dep_ in ("xcomp", "advcl") and c.pos_ == "VERB"]
    if _shared_passive(tok, tok.head):
        # "was flown to Mexico City and held": the shared subject undergoes both
        targets += [i for c in tok.head.children if c.dep_ == "nsubjpass"
                    for i in _head_actors(ctx, c) if i not in source]
    for h in heads:
        if recipient and h is not tok and _hostile(h):
            continue  # "sent F-16 jets to bomb Cambodian targets": bombed, not given anything
        for c in h.children:
            if c.dep_ == "dative" and c.pos_ == "ADP":
                c_dep = "prep"  # "sent soldiers to various countries" parsed as a dative
            else:
                c_dep = c.dep_
            if (c_dep in ("dobj", "dative", "iobj", "attr", "nsubjpass") or (
                    c_dep == "nsubj" and h is tok and (_ordered_done(tok) or _undergoes(tok)))
                    ) and c not in locs:
                if h.lemma_.lower() in _NAMING_VERBS and c.dep_ in ("dobj", "attr") and any(
                        o.dep_ == "dobj" for o in h.children if o.i < c.i):
                    continue  # "branded the strike a terrorist act": the name, no one named
                if category == "SUPPORT" and c.dep_ == "dobj":
                    # "supporting North Korea's precedent" backs a precedent, not a state.
                    ids = [i for i in _pobj_actors(ctx, c) if i not in source]
                else:
                    ids = [i for i in _head_actors(ctx, c) if i not in source]
                targets.extend(ids)
                for cc in c.children:
                    if cc.dep_ == "prep":
                        if not statement:
                            locs.append(cc)
                        if recipient and cc.text.lower() in ("to", "from"):
                            targets.extend(i for i in _pobj_actors(ctx, cc, locative=True)
                                           if i not in source)
            elif c_dep == "prep":
                locs.append(c)
                p = c.text.lower()
                if p == "of" and recipient and tok.pos_ in ("NOUN", "PROPN"):
                    # "Iran's delivery of drones to Russia": the parser hangs the
                    # recipient on the thing delivered.
                    for o in c.children:
                        for cc in o.children:
                            if cc.dep_ == "prep" and cc.text.lower() == "to":
                                targets.extend(i for i in _pobj_actors(ctx, cc, locative=True)
                                               if i not in source)
                if p in ("to", "from"):
                    # Only the state the phrase is about: "to Russian-controlled
                    # Donetsk" goes to Donetsk, not to Russia.
                    targets.extend(i for i in _pobj_actors(ctx, c, locative=recipient)
                                   if i not in source)
                elif p in _TARGET_PREPS or p == "between":
                    a, b = _span(ctx, c)
                    targets.extend(m.actor_id for m in _actors_in(ctx, a, b)
                                   if m.actor_id not in source)
            elif c.dep_ in ("xcomp", "acl") and c.pos_ == "VERB":
                for cc in c.children:
                    if cc.dep_ == "dobj":
                        targets.extend(i for i in _head_actors(ctx, cc) if i not in source)
            elif c.dep_ == "ccomp" and h is tok and category in ("REQUEST", "THREATEN"):
                targets.extend(_clause_targets(ctx, c, source, category))
            elif c.dep_ == "ccomp" and h is tok and tok.lemma_.lower() in _HELPING:
                # "would help North Korea build satellites": who is helped is the
                # subject of what they are helped to do
                targets.extend(i for s in c.children if s.dep_ == "nsubj"
                               for i in _head_actors(ctx, s) if i not in source)
    return list(dict.fromkeys(targets)), locs


def _foreign(ctx: _Ctx, source: Sequence[str], target: Sequence[str]) -> list[str]:
    """Return the targets of another country than the source's."""
    own = set(_countries(source, ctx.actor_of))
    return [i for i in target if (a := ctx.actor_of.get(i)) is not None and a.country
            and a.country not in own]


def _hostile(tok: Any) -> bool:
    """Whether a verb is an attack's or a coercion's trigger word."""
    return _category_of(tok) in ("ASSAULT", "COERCE") or any(
        r.category in ("ASSAULT", "COERCE") for r in _CONFLICT.get(tok.lemma_.lower(), ()))


def _clause_noun_agents(ctx: _Ctx, noun: Any, clause: Any) -> list[str]:
    """Who does what a clause on a noun says: the noun phrase before the clause.

    "soldiers participating in combat", "governments, including France,
    condemned", "countries that supported"; but "Putin signed a decree
    suspending flights": who signs a decree does what it says.
    """
    if clause.dep_ == "acl" and _DECREED.fullmatch(noun.lower_) and noun.dep_ == "dobj":
        subj = [c for c in noun.head.children if c.dep_ == "nsubj"]
        return _head_actors(ctx, subj[0]) if subj else []
    a, b = ctx.base + noun.left_edge.idx, ctx.base + clause.left_edge.idx
    return list(dict.fromkeys(m.actor_id for m in _actors_in(ctx, a, b)))


# Verbs whose bare-infinitive clause has the helped party as its subject ("help X build").
_HELPING = frozenset({"help", "assist"})


def _clause_targets(ctx: _Ctx, clause: Any, source: Sequence[str], category: str
                    ) -> list[str]:
    """Who a demand or a threat is aimed at, from the clause that states it.

    "demanded that the RSF end their siege": the clause's subject is asked.
    "warned that Israel would strike Hezbollah", "that any Patriots delivered to
    Ukraine would be a target": the other side named in the clause is
    threatened (the source's own state is not).
    """
    own = set(_countries(source, ctx.actor_of))
    if category == "REQUEST":
        subj = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")]
        return [i for c in subj for i in _head_actors(ctx, c) if i not in source]
    a, b = _span(ctx, clause)
    out = []
    for m in _actors_in(ctx, a, b, allow_locative=True):
        act = ctx.actor_of.get(m.actor_id)
        if m.actor_id in source or (act is not None and act.country in own):
            continue
        out.append(m.actor_id)
    return out


def _pobj_actors(ctx: _Ctx, tok: Any, *, locative: bool = False) -> list[str]:
    """Return the actors whose mention covers the head noun of a phrase (or a conjunct)."""
    heads = [tok] if tok.pos_ != "ADP" else [c for c in tok.children if c.dep_ == "pobj"]
    heads = heads + [c for h in heads for c in h.children if c.dep_ == "conj"]
    out = []
    for h in heads:
        at = ctx.base + h.idx
        for m in ctx.matches:
            if m.start <= at < m.end and m.actor_id in ctx.actor_of and (
                    locative or not m.locative):
                out.append(m.actor_id)
    return list(dict.fromkeys(out))


def _opens_party(ctx: _Ctx, t: Toponym) -> bool:
    """Whether a toponym is the first words of a longer actor mention ("U.S. troops")."""
    return any(m.start <= t.mention.start and t.mention.end < m.end for m in ctx.matches)


def _place_for(ctx: _Ctx, tok: Any, locs: Sequence[Any], sent: tuple[int, int],
               used_spans: set[tuple[int, int]], *, statement: bool = False
               ) -> tuple[Place | None, Place | None, Mention | None]:
    """Return the event's place, a movement's origin, and the words naming the place.

    A name the gazetteer does not know ("the village of Rasm al-Abed") is the
    most precise of all: it names the place, and the place is then the known
    one the same phrase puts it in ("the al-Malaah Farms of northern Aleppo":
    Aleppo), or none.
    """
    place = origin = None
    named: Toponym | None = None
    within = (0, 0)
    # "blamed the group for the bombings of churches in Colombo": where what a
    # statement is about happened is not where the statement was made
    about = {t.i for p in locs if statement and p.dep_ == "prep"
             and p.lower_ not in _LOC_PREPS for t in p.subtree}
    for p, role in _with_nested(locs):
        if statement and (role in ("to", "into", "toward", "towards") or p.i in about):
            continue  # a statement "to" someone or about a move "to" somewhere
        # "Iran-backed", "Gaza-based": a modifier, not where anything happened
        tops = [t for t in _phrase_tops(ctx, p, unknown=role != "from")
                if not re.match(r"-[a-z]", ctx.text[t.mention.end:t.mention.end + 2])]
        capital = _capital_phrase(ctx, p)
        if capital is not None:
            tops = [capital]
        # A metonym ("the Kremlin") is no place; the seat it names is. A name that
        # opens a party's phrase ("killed 13 U.S. troops") is its nationality.
        tops = [t for t in tops if (t.place is None or t.place.feature not in (
            "demonym", "metonym")) and not _opens_party(ctx, t)]
        if not tops and role in ("at", "in"):
            tops = _seat_phrase(ctx, p)
        if not tops:
            tops = _place_reference(ctx, p)
        if not tops:
            continue
        if role == "from" and origin is None:
            origin = tops[0].place
        elif (role in _LOC_PREPS or role == "dobj") and named is None:
            named = _most_precise(tops)
            # "in Umm Qasrawi, a Shiite neighbourhood in western Baghdad": Baghdad
            # gives the unknown name's coordinates
            known = [t for t in tops if t.place is not None]
            place = named.place or (_most_precise(known).place if known else None)
            within = _span(ctx, p)
        elif named is not None and role in (*_LOC_PREPS, "dobj"):
            best = _most_precise(tops)
            nested = within[0] <= _span(ctx, p)[0] < within[1]
            if _rank(best) > _rank(named) and (nested or _inside(best, named, role)):
                # "the Black Sea port of Odesa": Odesa; "shelled Kharkiv in northeastern
                # Ukraine", "captured the village of Robotyne in the Zaporizhzhia region"
                named = best
                place = best.place or place
            elif place is None and best.place is not None and (
                    nested or (_precision(best.place) or 0) <= 2):
                # the known place the unknown name lies in: "the village of Oe Htein
                # Kwin in the central Sagaing region", "the town of Huwara in the
                # occupied West Bank"
                place = best.place
    if place is None:
        # A place elsewhere in the trigger's own clause, not standing for an actor
        # ("the day after Putin and Kim signed ..., the summit held in
        # Switzerland" does not put the signing in Switzerland).
        clause = tok if tok.pos_ == "VERB" or tok.head.i == tok.i else tok.head
        ca, cb = _span(ctx, clause)
        tops = [t for t in ctx.toponyms if max(sent[0], ca) <= t.mention.start < min(sent[1], cb)
                and t.place is not None and t.mention.kind == "place"
                and (t.mention.start, t.mention.end) not in used_spans
                and not _inside_name(ctx, t)
                and (origin is None or t.place is not origin)
                and _locative_before(ctx.text, t.mention.start) in (
                    _LOC_PREPS - {"to", "into", "toward", "towards"} if statement else _LOC_PREPS)]
        if tops:
            named = _most_precise(tops)
            place = named.place
    return place, origin, None if named is None else named.mention


_STATEMENTS = frozenset({"ACCUSE", "REJECT", "SUPPORT", "PROTEST", "REQUEST", "THREATEN",
                         "CONCEDE"})
_MOVEMENTS = frozenset({"deploy_troops", "deploy_weapons", "arms_transfer", "military_training"})


def _home_of(ctx: _Ctx, source: Sequence[str], place: Place) -> Place | None:
    """Where a movement starts when the text says no "from": the sender's own ground.

    The place the sender is named by ("Tehran had sent drones", "Pyongyang
    sent soldiers"), else its state's country. None when that is the
    destination's country (a move inside one country needs a stated origin).
    """
    for i in source:
        a = ctx.actor_of.get(i)
        if a is None or not a.country or a.type not in STATE_AFFILIATED:
            continue
        home = None
        for t in ctx.toponyms:
            if t.place is not None and t.place.country == a.country and any(
                    m.actor_id == i and m.start <= t.mention.start < m.end for m in ctx.matches
            ) and t.mention.kind != "demonym" and t.place.feature != "demonym":
                home = t.place
                break
        if home is None and ctx.places is not None:
            home = ctx.places.country(a.country)
        if home is not None and home.country != place.country:
            return home
    return None


# Heads of an object that is a place named in its "of" phrase ("the town of Bakwa").
_PLACE_NOUNS = frozenset({
    "town", "city", "village", "port", "region", "district", "province", "area", "capital",
    "suburb", "suburbs", "outskirts", "camp", "neighbourhood", "neighborhood", "state", "county",
    "island", "enclave", "municipality", "hamlet", "settlement", "governorate", "centre",
    "center", "heart", "streets", "territory", "stronghold", "base"})


_PLACE_NOUN_OF = re.compile(
    r"\b(in|at|near|around|outside|inside|across|throughout|within|on)\s+(?:the\s+|a\s+)?"
    r"(?:[\w'’-]+\s+){0,4}?(?:" + "|".join(sorted(_PLACE_NOUNS)) + r")\s+of\s+(?:the\s+)?$",
    re.I)


def _with_nested(locs: Sequence[Any]) -> list[tuple[Any, str]]:
    """Return (phrase, role) for the phrases and those nested in their nouns.

    "sent soldiers from its corps to various countries, including the Middle
    East": the parser hangs the later phrases on the first one's noun. A nested
    "of" or "including" phrase says more about the phrase before it ("to the
    regions of Donetsk", "to various countries, including the Middle East")
    and takes its role; other nested phrases keep their own. A nested "of" or
    "including" phrase comes right after the phrase it completes, the others
    after the phrases of the list: "attacked a station in the town of Cinar in
    southeast Turkey" is Cinar's, "killed in an attack in the centre of the city
    of Diyarbakir while three died in a bombing in Kiziltepe" Diyarbakir's, and
    "According to a source in Damascus, jets attacked rebels at Binnish" Binnish's.
    """
    out: list[tuple[Any, str]] = []
    # The object (or passive subject) of a strike is where it struck.
    todo = [(p, "dobj" if p.dep_ in ("dobj", "nsubjpass") else p.text.lower()) for p in locs]
    while todo and len(out) < 12:
        p, role = todo.pop(0)
        if any(p is q for q, _ in out):
            continue
        out.append((p, role))
        prev = role
        completing: list[tuple[Any, str]] = []
        nested: list[tuple[Any, str]] = []
        for o in [p, *p.children]:
            if o is not p and o.dep_ != "pobj":
                continue
            for c in o.children:
                if c.dep_ != "prep":
                    continue
                low = c.text.lower()
                own = prev if low in ("of", "including") else low
                if own == "dobj" and o.lemma_.lower() not in _PLACE_NOUNS:
                    own = low  # "killed commanders of militias": whose, not where
                (completing if low in ("of", "including") or (
                    o is not p and _where_phrase(o, role)) else nested).append((c, own))
                prev = own
        todo[:0] = completing
        todo.extend(nested)
    return out


# Nouns of a locative phrase that say under what circumstances, not where: what
# is nested in them ("in response to the blockade of Damascus") is elsewhere.
_NOT_WHERE = frozenset({"response", "retaliation", "protest", "solidarity", "process",
                        "wake", "aftermath", "run-up", "name", "support", "bid", "order",
                        "effort", "light", "view", "case", "event", "addition", "line",
                        "violation", "breach", "defiance", "memory", "honour", "honor",
                        "charge", "favour", "favor", "front", "absence", "presence",
                        # "according to a source in Damascus": who reports it, not where
                        "source", "official", "report", "statement", "witness", "spokesman",
                        "spokeswoman", "correspondent", "resident", "medic"})


def _where_phrase(noun: Any, role: str) -> bool:
    """Whether a locative phrase's noun is a where ("at a junction", "in an attack")."""
    return (role in _LOC_PREPS or role == "dobj") and noun.tag_ in ("NN", "NNS") and (
        noun.lemma_.lower() not in _NOT_WHERE)


# Words a name of the region may have in lower case ("Rasm al-Abed", "Tal as-Sultan").
_NAME_PARTICLES = frozenset({"al", "el", "ad", "ar", "as", "ash", "at", "az", "-", "'", "’",
                             "‘", "de", "du", "la"})


def unknown_places(text: str, base: int, sdoc: Any, toponyms: Sequence[Toponym],
                   taken: Sequence[tuple[int, int]] = ()) -> list[Toponym]:
    """Return the sentence's place names the gazetteer does not know.

    "the village of Rasm al-Abed", "Kanambe village", "the Sheikh Maqsoud
    neighbourhood", "in Umm Qasrawi, a Shiite neighbourhood", "the Al-Hamdan
    Airbase": a place noun (data/place_nouns.csv) says the name is a place's
    (source ``place-noun``). "in Bapunagar", "stormed Tall Kurdi": the name
    stands where a place does (data/place_slots.csv; source ``place-slot``),
    unless it is surely no place's (a month, an acronym, one common word).
    The event stage can then say where an event happened although no map can
    show it (the villages and hills of conflict news are mostly not in the index).
    ``sdoc`` is the sentence parsed, at ``base`` in ``text``; ``toponyms`` the
    geoparser's (a name it resolved is no unknown one); ``taken`` other spans
    that are no place (actor names).
    """
    before, after = place_noun_forms("before"), place_noun_forms("after")
    # NER's reading of the same words as a place it could not resolve is no obstacle
    taken = [(t.mention.start, t.mention.end) for t in toponyms if t.place is not None] + [
        *taken]
    out: list[Toponym] = []
    for tok in sdoc:
        low = tok.lower_
        if low not in before and low not in after:
            continue  # the forms first: the cheapest test of every word
        if tok.pos_ == "PROPN" and low in after:
            span = _headed_name(sdoc, tok)
            if span is not None:
                _add_unknown(text, base, sdoc, span, low, tok, taken, out)
            continue
        if tok.pos_ != "NOUN":
            continue
        noun = tok.lemma_.lower()
        spans: list[tuple[int, int]] = []
        # the word as written: the lemma of "outskirts" is no noun of the file
        if low in before:
            # to the name's right edge: "Tal Rifa'at" hangs "Rifa'at" on "Tal"
            spans += [(n.left_edge.i, n.right_edge.i) for of in tok.children
                      if of.dep_ == "prep" and of.lower_ == "of"
                      for n in of.children if n.dep_ == "pobj" and n.pos_ == "PROPN"]
        if low in after:
            parts = [c for c in tok.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
            if parts and parts[-1].i == tok.i - 1:
                spans.append((min(c.left_edge.i for c in parts), tok.i - 1))
        if tok.dep_ == "appos" and tok.head.pos_ == "PROPN" and (low in before or low in after):
            # "in Umm Qasrawi, a Shiite neighbourhood in western Baghdad"
            spans.append((tok.head.left_edge.i, tok.head.i))
        for a, b in spans:
            while a <= b and sdoc[a].pos_ in ("DET", "ADJ", "NUM", "PUNCT") and (
                    sdoc[a].lower_ not in _NAME_PARTICLES):
                a += 1  # "the", "a key"
            last = a
            while last + 1 <= b and (sdoc[last + 1].pos_ == "PROPN" or (
                    sdoc[last + 1].lower_ in _NAME_PARTICLES)):
                last += 1  # the name ends where its words do ("of Tal Afar in Nineveh")
            words = sdoc[a:last + 1]
            if not words or not (words[0].text[:1].isupper() or words[0].lower_ in
                                 _NAME_PARTICLES) or any(
                    w.pos_ != "PROPN" and w.lower_ not in _NAME_PARTICLES for w in words):
                continue
            _add_unknown(text, base, sdoc, (a, last), noun, tok, taken, out)
    preps, verbs, not_heads = place_slots("prep"), place_slots("object"), place_slots("not_head")
    for tok in sdoc:
        if tok.pos_ != "PROPN" or not (
                tok.dep_ == "pobj" and tok.head.lower_ in preps
                # the word the preposition hangs on, or the word before it when
                # the parser hangs it elsewhere ("got through thanks to X")
                and tok.head.head.lower_ not in not_heads
                and (tok.head.i == 0 or sdoc[tok.head.i - 1].lower_ not in not_heads)
                or tok.dep_ == "dobj" and tok.head.pos_ == "VERB"
                and tok.head.lemma_.lower() in verbs):
            continue
        a = tok.left_edge.i
        while a < tok.i and (sdoc[a].pos_ != "PROPN" and sdoc[a].lower_ not in _NAME_PARTICLES
                             or not sdoc[a].text[:1].isalnum()):
            a += 1  # "the", "northern", a quote
        words = sdoc[a:tok.i + 1]
        if any(w.pos_ != "PROPN" and w.lower_ not in _NAME_PARTICLES for w in words) or (
                _no_place_name(words.text)):
            continue
        _add_unknown(text, base, sdoc, (a, tok.i), tok.head.lemma_.lower(), tok.head, taken,
                     out, source=PLACE_SLOT_SOURCE)
    return out



def _no_place_name(name: str) -> bool:
    """Whether a capitalised name in a place's slot is surely no place's.

    A month or a day ("in March", "on Feb."), an acronym (organisations
    mostly: "in LOC" is a rare exception), one common English word ("in
    Parliament", "to Congress"), or an organisation's name by its last word
    ("to the Legislative Council"; data/org_heads.csv).
    """
    bare = name.rstrip(".")
    if bare.lower() in CALENDAR_WORDS or bare.rsplit(None, 1)[-1].lower() in org_heads():
        return True
    letters = [c for c in bare if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) <= 6:
        return True
    return " " not in bare and "-" not in bare and common_word(bare)


def _headed_name(sdoc: Any, head: Any) -> tuple[int, int] | None:
    """Return the token span of a name ending in a capitalised place noun, or None.

    "the Al-Hamdan Airbase", "Deir Ezzor Military Airport", "the 3000 Apartment
    Complex": the noun is the name's own last word, the capitalised words (and
    particles, numbers) before it the rest. The noun must end the name ("Wajir
    District Hospital" ends at "Hospital") and have a word before it.
    """
    nxt = sdoc[head.i + 1] if head.i + 1 < len(sdoc) else None
    if not head.text[:1].isupper() or (nxt is not None and nxt.pos_ == "PROPN"
                                       and nxt.text[:1].isupper()):
        return None
    a = head.i
    while a > 0:
        w = sdoc[a - 1]
        if w.lower_ in _NAME_PARTICLES and a - 1 > 0 or (
                w.pos_ in ("PROPN", "NOUN", "ADJ", "NUM") and w.text[:1].isupper()
                or w.pos_ == "NUM" and w.text[:1].isdigit()):
            a -= 1
        else:
            break
    while a < head.i and sdoc[a].lower_ in _NAME_PARTICLES and not sdoc[a].text[:1].isupper():
        a += 1  # a name starts with a word of its own, not "- " or "de"
    if a == head.i or (a == 0 and sdoc[a].pos_ != "PROPN"):
        return None  # "The Airport", a sentence's first capital that is no name
    return a, head.i


def _add_unknown(text: str, base: int, sdoc: Any, span: tuple[int, int], noun: str, by: Any,
                 taken: list[tuple[int, int]], out: list[Toponym], *,
                 source: str = PLACE_NOUN_SOURCE) -> None:
    """Append the name at token ``span`` unless its words are taken (a known place, an actor)."""
    first, last = sdoc[span[0]], sdoc[span[1]]
    start, end = base + first.idx, base + last.idx + len(last)
    if any(x < end and start < y for x, y in taken):
        return
    taken.append((start, end))
    out.append(Toponym(Mention(start=start, end=end, name=text[start:end], kind="place",
                               source=source, label=noun),
                       None, why=f"{'after' if source == PLACE_SLOT_SOURCE else 'named by'} "
                                 f"'{by.text}'; not in the gazetteer"))


def _phrase_tops(ctx: _Ctx, p: Any, *, unknown: bool = False) -> list[Toponym]:
    """Return the resolved toponyms of a phrase, not those of phrases nested in it.

    With ``unknown``, also the names a place noun says are places' that the
    gazetteer does not know (:func:`unknown_places`).
    """
    a, b = _span(ctx, p)
    nested = [_span(ctx, c) for o in [p, *p.children] if o is p or o.dep_ == "pobj"
              for c in o.children if c.dep_ == "prep"]
    return [t for t in ctx.toponyms if a <= t.mention.start and t.mention.end <= b
            and (t.place is not None or (unknown and t.mention.source in UNKNOWN_PLACE_SOURCES))
            and t.mention.kind != "demonym"
            and not any(x <= t.mention.start < y for x, y in nested)
            and not _inside_name(ctx, t)]


def _capital_phrase(ctx: _Ctx, p: Any) -> Toponym | None:
    """"in the North Korean capital", "to the Russian capital": that state's capital city."""
    if ctx.places is None:
        return None
    for o in p.children:
        if o.dep_ != "pobj" or o.lemma_.lower() != "capital":
            continue
        a, b = _span(ctx, o)
        for m in ctx.matches:
            if a <= m.start and m.end <= ctx.base + o.idx:
                e = ctx.table.get(m.actor_id)
                if e is not None and e.type == "state" and e.country:
                    place = ctx.places.capital_of(e.country)
                    if place is not None:
                        return Toponym(Mention(m.start, ctx.base + o.idx + len(o.text),
                                               ctx.text[m.start:ctx.base + o.idx + len(o.text)],
                                               "place"), place, 1.0)
    return None


def _seat_phrase(ctx: _Ctx, p: Any) -> list[Toponym]:
    """"at the Kremlin", "at the White House": a government's seat, its capital."""
    if ctx.places is None:
        return []
    a, b = _span(ctx, p)
    for m in _actors_in(ctx, a, b, allow_locative=True):
        e = ctx.table.get(m.actor_id)
        if e is not None and e.type == "government" and e.country:
            place = ctx.places.capital_of(e.country)
            if place is not None:
                return [Toponym(Mention(m.start, m.end, m.text, "place"), place, 1.0)]
    return []


# "withdrew from the town": the nouns that name again a place just named, and
# the features of the place each may stand for.
_REFERRING_PLACE_NOUNS = {
    **dict.fromkeys(("town", "city", "village", "port", "camp", "settlement", "enclave"),
                    ("city", "capital")),
    **dict.fromkeys(("province", "region", "district", "state"), ("admin1", "admin2", "region")),
}
# Words that leave "the town" the same town ("the embattled town", "the northern city").
_PLACE_REFERENCE_ADJECTIVES = frozenset({
    "embattled", "besieged", "strategic", "northern", "southern", "eastern", "western",
    "central", "key", "frontline", "front-line", "whole", "entire", "same"})
# How far back ("characters") the place a noun names again may be: two or three sentences.
_PLACE_REFERENCE_REACH = 400


def _place_reference(ctx: _Ctx, p: Any) -> list[Toponym]:
    """"its fighters withdrew from the town": the town named last before, if one was.

    Only "the" + noun (+ nothing after that makes it another place: "the town
    of Baga" names its own, "the nearby town" is another), and only a place of
    the noun's kind named within a few sentences; "the capital" is the capital
    of the country whose place was named last. Anything else is no place
    rather than a borrowed one.
    """
    if p.pos_ == "ADP":  # the phrase "from the town": its noun
        p = next((c for c in p.children if c.dep_ == "pobj"), p)
    of = [c for c in p.children if c.dep_ == "prep" and c.lower_ == "of"]
    if p.lower_ not in _REFERRING_PLACE_NOUNS and p.lower_ != "capital" and len(of) == 1:
        # "the streets of the capital", "the outskirts of the town"
        p = next((c for c in of[0].children if c.dep_ == "pobj"), p)
    capital = p.lower_ == "capital" and ctx.places is not None
    features = _REFERRING_PLACE_NOUNS.get(p.lower_) if p.tag_ == "NN" else None
    if (features is None and not capital) or not any(
            c.dep_ == "det" and c.lower_ == "the" for c in p.children) or any(
            c.dep_ in ("prep", "compound", "poss", "appos", "relcl", "amod") and not (
                c.dep_ == "amod" and c.lower_ in _PLACE_REFERENCE_ADJECTIVES) for c in p.children):
        return []
    at = ctx.base + p.idx
    mention = Mention(at, at + len(p.text), p.text, "place")
    earlier = [t for t in (*ctx.places_before, *ctx.toponyms) if t.mention.end <= at]
    for t in reversed(earlier):
        if at - t.mention.end > _PLACE_REFERENCE_REACH:
            break
        if t.place is None or t.mention.kind != "place":
            continue
        if capital and t.place.country:
            # "patrolled the streets of the capital": the capital of the country
            # whose place was named last
            seat = ctx.places.capital_of(t.place.country)
            return [Toponym(mention, seat, t.score)] if seat is not None else []
        if not capital and t.place.feature in features:
            return [Toponym(mention, t.place, t.score)]
    return []


def _locative_before(text: str, start: int) -> str:
    """Return the preposition before a place, through "the West Bank town of" to its "in"."""
    prep = _prep_before(text, start)
    if prep == "of":
        m = _PLACE_NOUN_OF.search(text, max(0, start - 80), start)
        if m:
            return m[1].lower()
    return prep


def _prep_before(text: str, start: int) -> str:
    m = re.search(r"([A-Za-z]+)\W+(?:the\s+)?(?:[A-Z][\w-]*\s+)?$", text[max(0, start - 40):start])
    return m.group(1).lower() if m else ""


def _sibling_places(ctx: _Ctx, locs: Sequence[Any], place: Place | None,
                    used: set[tuple[int, int]]) -> list[Place]:
    """Other places joined to the event's own in its phrase, at its level ("Syria and Iraq").

    Not those naming one of the event's sources.
    """
    if place is None:
        return []
    for p, role in _with_nested(locs):
        if role not in _LOC_PREPS or role in ("to", "into", "toward", "towards"):
            continue
        tops = [t for t in _phrase_tops(ctx, p) if t.place.feature not in ("demonym",
                                                                             "metonym")]
        if not any(t.place is place for t in tops):
            continue
        level = _precision(place)
        own = next(t.mention.start for t in tops if t.place is place)
        seen = {place.key}
        out = []
        # "in Belarus, which borders Poland and Latvia": a relative clause's places
        # say where the event's place is, they are not the event's places too.
        inner = [_span(ctx, x) for x in p.subtree if x.dep_ == "relcl"]
        for t in tops:
            if any(a <= t.mention.start < b for a, b in inner):
                continue
            between = ctx.text[min(t.mention.start, own):max(t.mention.start, own)]
            if t.place.key not in seen and _precision(t.place) == level and (
                    t.mention.start, t.mention.end) not in used and re.search(
                    r"\band\b|,", between):
                seen.add(t.place.key)
                out.append(t.place)
        return out
    return []


def _most_precise(tops: Sequence[Toponym]) -> Toponym:
    return max(tops, key=_rank)


def _inside(t: Toponym, outer: Toponym, role: str) -> bool:
    """Whether a place named in another phrase of the event lies in the one it named first.

    A struck or captured place (the object) names no other place than the
    region, province or country (or, for a name the index lacks, the city) its
    verb's phrase puts the event in: an unknown name is taken to lie in it, a
    known one must be in its country or province.
    """
    big = outer.place
    if big is None:
        return False
    if t.place is None:
        return role == "dobj"  # "the village of Tal Rifa'at in northern Aleppo"
    return (_precision(big) or 0) <= 2 and t.place.country == big.country and (
        _precision(big) == 1 or (big.admin1 is not None and t.place.admin1 == big.admin1))


def _rank(t: Toponym) -> int:
    # A name the gazetteer does not know is a village, a hill, a neighbourhood:
    # finer than any town it does know.
    return 4 if t.place is None else _precision(t.place) or 0


def _precision(p: Place | None) -> int | None:
    if p is None:
        return None
    if p.feature in ("country", "continent", "region", "sea", "demonym"):
        return 1
    if p.feature in ("admin1", "admin2"):
        return 2
    return 3


def _above(tok: Any) -> list[Any]:
    """Return the words governing ``tok``, past conjuncts.

    "denied it had tried ..., but scrapped the agreements" does not deny the
    scrapping: its head "denied" is a sibling, not a governor.
    """
    out = []
    while tok.head.i != tok.i:  # (a Token is made anew on each access: compare indices)
        if tok.dep_ != "conj":
            out.append(tok.head)
        tok = tok.head
    return out


# Marks of a clause of time ("after", "before", "when", "since", "until").
_TIME_MARKS = frozenset({"after", "before", "when", "since", "until", "once", "as"})


def _status(tok: Any, sent_doc: Any) -> str:
    if tok.pos_ in ("NOUN", "PROPN") and _accused_deed(tok) is not None:
        return "speculated"  # "accused Azerbaijan of ethnic cleansing": alleged
    above = _above(tok)
    chain = _governors(tok)
    own = tok.head if tok.dep_ == "conj" else tok
    if tok.tag_ in ("VBD", "VBN") and any(c.dep_ == "mark" and c.lower_ in _TIME_MARKS
                                          for c in own.children):
        # "agreed to impose sanctions a day after a fighter jet intercepted a
        # flight": a past clause of time asserts its deed, whatever governs it
        above, chain = [], chain[:chain.index(own) + 1] if own in chain else [tok]
    # A clause on a noun ("the agreement signed during the meeting", "promises
    # to send") has its status from that noun at most, not from the clause the
    # noun sits in ("This decision ... results from the agreement signed ...").
    cut = next((k for k, g in enumerate(chain) if k and g.pos_ in ("NOUN", "PROPN")), None)
    if cut is not None:
        chain = chain[:cut + 1]
    words = set()
    governing = {a.i for a in above}
    for g in chain:
        if g is not tok and g.i in governing:
            # The trigger's own verb is what happened ("NATO agreed", "Seoul
            # accused"); only what governs it or modifies it qualifies it (not
            # a verb it is conjoined with).
            words.add(g.lemma_.lower())
        for c in g.children:
            if c.dep_ in ("neg",):
                return "negated"
            if c.dep_ in ("aux", "advmod", "auxpass", "mark", "prt", "acomp"):
                words.add(c.lemma_.lower())
                words.add(c.text.lower())
    if tok.dep_ in ("pobj", "dobj") and tok.head.lemma_.lower() in ("refrain", "avoid"):
        return "negated"
    if any(g.lemma_.lower() in ("refrain", "avoid", "refuse", "decline") for g in chain[1:]):
        return "negated"  # "Germany refused to send missiles"
    if words & _DENY or any(g.lemma_.lower() in _DENY for g in above):
        return "denied"
    hedges = words & _HEDGE | {t.lemma_.lower() for t in above} & _HEDGE
    if hedges == {"would"} and any(g.lemma_.lower() in _SAY for g in above):
        return "announced"  # "announced that it would send": the future in reported speech
    if hedges:
        return "speculated"
    if any(c.dep_ == "mark" and c.text.lower() == "for" for c in tok.children):
        # "there is no problem for the Chinese to assist": a case considered,
        # not a plan anyone has.
        return "speculated"
    if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in ("try", "attempt") and (
            tok.head.tag_ in ("VBD", "VBN")) and not words & _PLAN:
        return "happened"  # "protesters tried to storm parliament": an attempt made
    if words & _PLAN or tok.tag_ == "VB" and any(c.dep_ == "aux" and c.text == "to"
                                                 for c in tok.children):
        if any(g.lemma_.lower() in _SAY for g in above):
            return "announced"
        return "planned"
    if tok.pos_ in ("NOUN", "PROPN") and any(c.dep_ == "amod" and c.lemma_.lower() in (
            "imminent", "planned", "possible", "potential", "future") for c in tok.children):
        return "planned"
    return "happened"


def _noun_phrase_text(tok: Any) -> str:
    """Text of the trigger's objects without their clauses ("rounds ... to bolster forces")."""
    out = []
    for c in tok.children:
        if c.dep_ not in ("dobj", "dative"):
            continue
        skip = [t for x in c.children if x.dep_ in ("acl", "relcl") for t in x.subtree]
        out += [t.text for t in c.subtree if t not in skip]
    return " ".join(out)


def _refine(category: str, subtype: str | None, tok: Any, ctx: _Ctx) -> tuple[str, str | None]:
    sub = " ".join(t.text for t in tok.subtree) if tok.pos_ == "VERB" else " ".join(
        t.text for t in tok.head.subtree)
    obj = " ".join(t.text for c in tok.children if c.dep_ in ("dobj", "attr", "dative")
                   or (c.dep_ == "prep" and c.text.lower() == "with") for t in c.subtree)
    if category == "MOBILIZE" and subtype == "deploy_troops":
        if _INSTRUCTORS.search(obj) or re.search(r"\btrain", sub, re.I):
            return "AID", "military_training"
        if _ARMS.search(obj) and not _TROOPS.search(obj):
            if _NUCLEAR.search(obj):
                return "MOBILIZE", "deploy_weapons"
            return "AID", "arms_transfer"
        if obj and not _TROOPS.search(obj) and tok.lemma_.lower() in ("send", "dispatch"):
            return "AID", None
    if category == "AID" and subtype is None and _ARMS.search(_noun_phrase_text(tok)):
        return "AID", "arms_transfer"  # "provided two million rounds of ammunition"
    if category == "AID" and subtype == "arms_transfer" and obj and not _ARMS.search(
            obj) and tok.pos_ == "VERB":
        if _TROOPS.search(obj):
            return "MOBILIZE", "deploy_troops"
        return "AID", None
    if category == "AGREE" and subtype in ("agreement", "defence_pact"):
        words = sub + " " + " ".join(t.text for t in tok.children)
        if _DEFENCE.search(words) or re.search(r"\b(?:treaty|pact)\b", words, re.I):
            return "AGREE", "defence_pact"
        return "AGREE", "agreement"
    if category == "THREATEN" and _NUCLEAR.search(sub):
        return "THREATEN", "nuclear_threat"
    return category, subtype


@dataclass(slots=True)
class _Candidate:
    """One trigger on its way through the stages: roles -> place -> status and date.

    Each stage reads and sets fields; a stage that returns False drops the
    candidate (the trigger is no event here).
    """

    tok: Any
    category: str
    subtype: str | None
    source: list[str] = field(default_factory=list)
    syntactic: bool = False
    no_fallback: bool = False
    light: Any = None
    receiver: list[str] = field(default_factory=list)
    target: list[str] = field(default_factory=list)
    locs: list[Any] = field(default_factory=list)
    place: Place | None = None
    named: Mention | None = None  # the words naming where, known to the gazetteer or not
    origin: Place | None = None
    status: str = "happened"
    date: str | None = None
    date_text: str | None = None


def events_from_parses(
    text: str,
    parses: Sequence[tuple[tuple[int, int], Any]],
    *,
    matches: Sequence[ActorMatch],
    actors: Sequence[Actor],
    toponyms: Sequence[Toponym],
    table: ActorTable,
    doc_id: str = "doc",
    date: str | None = None,
    places: Any = None,
) -> tuple[Event, ...]:
    """Read events from parsed sentences.

    Parameters
    ----------
    text : str
        The document.
    parses : sequence of ((start, end), spacy Doc)
        Sentences (offsets in ``text``) and their parses.
    matches : sequence of ActorMatch
        Actor mentions (table and NER), in text order.
    actors : sequence of Actor
        The document's actors (mentions of other ids are ignored).
    toponyms : sequence of Toponym
        The geoparser's toponyms.
    table : ActorTable
    doc_id : str
        Prefix of event ids ("doc:e1").
    date : str, optional
        Article date for relative dates.
    places : Gazetteer, optional
        Anything with ``capital_of(iso3)`` and ``country(iso3)`` returning a
        :class:`Place`: names "the Russian capital" and the home country a
        movement starts from when the text gives no "from". With a
        ``name_reading(mention)`` returning a Toponym or None too, an event's
        place named by a name the index lacks under that spelling ("the town
        of Mahmudiyah") takes that reading's place.

    Returns
    -------
    tuple of Event
        In text order; the same action restated (same category, actors and
        place) is kept once, with the higher confidence.
    """
    actor_of = {a.id: a for a in actors}
    years = [(m.start(), int(m[1])) for m in re.finditer(r"\b((?:19|20)\d\d)\b", text)]
    found: list[tuple[int, Event]] = []
    for (sa, sb), sdoc in parses:
        # Everything below looks only inside the sentence.
        ctx = _Ctx(text, sa, [m for m in matches if sa <= m.start < sb],
                   [t for t in toponyms if sa <= t.mention.start < sb], actor_of, table,
                   places, [m for m in matches if m.end <= sa],
                   [t for t in toponyms if t.mention.end <= sa],
                   [m for m in matches if m.start >= sb])
        ctx.toponyms.extend(unknown_places(text, sa, sdoc, ctx.toponyms,
                                           [(m.start, m.end) for m in ctx.matches]))
        sdoc.user_data[_PLACE_TOKENS] = frozenset(
            t.i for top in ctx.toponyms if top.mention.kind == "place"
            for t in sdoc.char_span(top.mention.start - sa, top.mention.end - sa,
                                    alignment_mode="expand") or ())
        prior_years = [y for at, y in years if at < sb]
        doc_year = prior_years[-1] if prior_years else (years[0][1] if years else None)
        when: tuple[str | None, str | None] | None = None
        for tok in sdoc:
            lemma = tok.lemma_.lower()
            said = _attribution(tok, _ATTRIBUTIONS[lemma]) if lemma in _ATTRIBUTIONS else None
            if said is not None:
                found = _attribute(ctx, tok, said, found, (sa, sb))
                continue
            if lemma not in _TRIGGER_WORDS and tok.lower_ not in _TRIGGER_WORDS:
                continue
            trig = _trigger(tok)
            if trig is None:
                continue
            cand = _Candidate(tok, *trig)
            earlier = [e for _, e in found]
            if not _source_stage(ctx, cand, earlier, sa) or not _target_stage(ctx, cand):
                continue
            _place_stage(ctx, cand, (sa, sb))
            if _own_threat(ctx, tok, cand.source):
                continue  # "warned that Israel would strike": the threat, not a strike
            if _asked_for(tok):
                continue  # "called on the group to release them": the appeal is the event
            if not cand.target and cand.category in _STATEMENTS:
                cand.target = _referent_parties(ctx, tok, cand.source, earlier)
            if not cand.target and cand.subtype == "retaliation":
                cand.target = _attackers_of(cand.source, earlier, actor_of)
            cand.status = _status(tok, sdoc)
            if not cand.source and (_unreal(tok, cand.status, cand) or _restated(tok, cand,
                                                                                 earlier)):
                continue  # "authorised forces to shoot", "if either is attacked": no deed
            if when is None:
                when = normalize_date(text[sa:sb], anchor=date, year=doc_year)
            _date_stage(cand, when, date)
            if _to_no_one_nowhere(cand):
                continue  # "has been expanding its attacks": no one hit, nowhere
            found += _emit(ctx, cand, (sa, sb))
    return _dedupe(found, actor_of, doc_id)


_CONFLICT_CATEGORIES = frozenset({"ASSAULT", "COERCE", "PROTEST", "CONCEDE", "RETREAT"})


def _attribution(tok: Any, rows: Sequence[Attribution]) -> Attribution | None:
    """Return the one of the verb's rows (data/attributions.csv) whose object it has, if any."""
    if tok.pos_ != "VERB" or any(c.dep_ == "neg" for c in tok.children):
        return None  # "which has not claimed responsibility"
    after = " ".join(t.text for c in tok.children if c.i > tok.i and c.dep_ in (
        "dobj", "ccomp", "xcomp", "prep", "attr", "pcomp") for t in c.subtree)
    return next((a for a in rows if a.object.search(after)), None)


def _attribute(ctx: _Ctx, tok: Any, said: Attribution, found: list[tuple[int, Event]],
               sent: tuple[int, int]) -> list[tuple[int, Event]]:
    """Return the events with what a claim or a denial says of the last attack reported.

    "The Pakistani Taliban claimed responsibility": the group joins the
    attack's perpetrators; "... later denied involvement": the attack again,
    the group's, denied. An attribution with no attack before it says nothing.
    """
    parties = [i for i in _subject(ctx, tok)[0] if i in ctx.actor_of]
    # An armed group claims its own attacks, not the army's counter-attack
    # reported after them ("The army said it repelled the assault ... JNIM
    # claimed responsibility").
    state = any(ctx.actor_of[i].type in STATE_AFFILIATED for i in parties)
    attacks = [k for k, (_, e) in enumerate(found) if e.category == "ASSAULT"
               and e.status == "happened" and e.evidence.start <= sent[0] and (
                   state or not any(i in ctx.actor_of and ctx.actor_of[i].type in
                                    STATE_AFFILIATED for i in e.source))]
    if not parties or not attacks:
        return found
    # the last sentence's first deed: "killed 134 villagers ..., setting huts ablaze"
    # is denied as the killing, not as its last participle
    last = found[attacks[-1]][1].evidence.start
    at, attack = next(found[k] for k in attacks if found[k][1].evidence.start == last)
    out = list(found)
    if said.role == "claim":
        for k in attacks:  # every deed of that sentence ("attacked ..., killing 40")
            if found[k][1].evidence.start == attack.evidence.start:
                e = found[k][1]
                out[k] = (found[k][0], replace(e, source=tuple(dict.fromkeys((*e.source,
                                                                              *parties)))))
    else:
        sa, sb = sent
        out.append((ctx.base + tok.idx, replace(
            attack, source=tuple(parties), status="denied",
            evidence=Evidence(ctx.text[sa:sb], sa, sb),
            confidence=round(max(attack.confidence - 0.1, 0.5), 4))))
    return out


def _is_conflict(c: _Candidate) -> bool:
    """Whether the candidate is a conflict event: by its category, or a conflict row's verb.

    A row of another category ("patrolled": MOBILIZE) is read like the others:
    generic agents act in it and its object or the linker places it.
    """
    return c.category in _CONFLICT_CATEGORIES or (
        c.tok.pos_ != "NOUN" and c.tok.lemma_.lower() in _CONFLICT)


# Generic agents that are political parties of their own, in statements too:
# "protesters accused the government", "militants vowed revenge".
_PARTY_AGENTS = frozenset({"protesters", "armed_group", "ngo"})
# ... and those a statement is about: "Rights groups accused the police",
# "the government accused opponents", "condemned the militants".
_STATEMENT_PARTIES = _PARTY_AGENTS | {"police"}


def _without_agents(ctx: _Ctx, ids: Sequence[str], *,
                    parties: frozenset[str] = _PARTY_AGENTS) -> list[str]:
    """Drop generic agents, but those of the types ``parties``: parties of their own.

    Another with a country stands for its state ("Russian mercenaries").
    """
    out = []
    for i in ids:
        a = ctx.actor_of.get(i)
        if not i.startswith("agent:") or (a is not None and a.type in parties):
            out.append(i)
        elif a is not None and a.country and f"state:{a.country}" in ctx.actor_of:
            out.append(f"state:{a.country}")
    return list(dict.fromkeys(out))


# Verbs whose infinitive complement is what someone asks for: that deed did not
# happen; the appeal is the event ("called on the group to release them", "urged
# Moscow to withdraw"). A refusal stays the deed, negated ("refused to send").
_ASKING_VERBS = frozenset({"call", "urge", "ask", "demand", "press", "appeal", "implore",
                            "beg", "request"})


def _asked_for(tok: Any) -> bool:
    if tok.pos_ != "VERB" or tok.dep_ not in ("xcomp", "advcl", "ccomp"):
        return False
    to = any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)
    return to and tok.head.lemma_.lower() in _ASKING_VERBS


def _unreal(tok: Any, status: str, c: _Candidate) -> bool:
    """Whether an event with no named perpetrator is no report of a deed.

    Only planned, a condition ("if either is attacked", "unless"), or with no
    place: an unnamed deed nowhere is nothing a reader or a map could use, and
    most often the toll of an attack already reported ("Three of the attackers
    were killed"). An arrest of someone named is the exception: "Several
    suspects were detained" is a new event, not the attack's toll. A clause of
    time asserts its deed ("days after 25 schoolgirls were kidnapped in Kebbi
    state", "before", "until"): an event, as the annotation guidelines count
    every asserted action.
    """
    if status in ("planned", "announced") or (c.place is None and c.named is None and not (
            c.category == "COERCE" and c.target)):
        return True
    return any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether")
               for g in _governors(tok) for c in g.children)


# Deeds that are done to someone: an attack, an agreement, aid.
_DONE_TO = frozenset({"ASSAULT", "AGREE", "AID"})


def _to_no_one_nowhere(c: _Candidate) -> bool:
    """Whether a deed done to someone names no one it is done to and no place.

    "The Viv Ansanm gang coalition has been expanding its attacks", "agreed to
    the plan", "would send more air defence systems": as for a deed with no
    perpetrator (:func:`_unreal`), nothing a reader or a map could use; on the
    dev sets such events were right once in 19 (an attack, an agreement or aid
    with a source but no target and no place), those with a place one in two.
    A deed said not to have been done, denied or only alleged stays: the saying
    is the news ("analysts do not foresee North Korean soldiers in combat").
    """
    return c.category in _DONE_TO and not c.target and c.place is None and c.named is None and (
        c.status not in ("negated", "denied", "speculated"))


def _restated(tok: Any, c: _Candidate, earlier: Sequence[Event]) -> bool:
    """Whether a deed done by "the strikes", "the attack" is one already reported.

    "The United States launched air strikes ... The strikes hit the capital
    Sanaa": the definite event noun names the earlier event; the hit is no new one.
    """
    for s in tok.children:
        cats = _REFERENT_NOUNS.get(s.lemma_.lower()) if s.dep_ == "nsubj" else None
        if cats and c.category in cats and any(
                d.dep_ == "det" and d.lower_ in _DEFINITE for d in s.children):
            return any(e.category in cats for e in earlier)
    return False


def _source_stage(ctx: _Ctx, c: _Candidate, earlier: Sequence[Event], sent_start: int) -> bool:
    """Find who acts: the subject, a light verb's subject, or the parties just reported."""
    tok = c.tok
    c.source, c.syntactic, c.no_fallback = _subject(ctx, tok)
    if not _is_conflict(c) and c.source:
        # generic agents ("the fishermen demanded") are parties of conflict events only,
        # but those that speak for themselves ("Rights groups accused", "Police described")
        c.source = _without_agents(ctx, c.source, parties=_STATEMENT_PARTIES
                                   if c.category in _STATEMENTS else _PARTY_AGENTS)
        if not c.source:
            c.syntactic, c.no_fallback = False, True
    c.light = _light_verb(tok)
    if c.light is not None:
        # "Putin embarked on a state visit", "Beijing could facilitate the
        # transfer": the verb's subject does what the noun names; with
        # "take delivery of", "receive" it is the one at the receiving end.
        lsrc = [i for i in _subject(ctx, c.light)[0] if i not in c.source]
        if c.light.lemma_.lower() in _RECEIVING and c.category in ("AID", "SUPPORT"):
            c.receiver = lsrc
        elif not c.syntactic and lsrc:
            c.source, c.syntactic = lsrc, True
    if not c.syntactic and _protest_noun(tok) is not None:
        # "Unions called a general strike": who calls it holds it (a call for
        # a strike is no request); "three days of demonstrations": the noun
        # stands for its crowd (_actors.protest_crowds) when nobody is named
        holder = _protest_holder(tok)
        if holder is not None:
            c.source, c.syntactic = _subject(ctx, holder)[:2]
        if not c.syntactic:
            at = ctx.base + tok.idx
            c.source = [m.actor_id for m in ctx.matches if m.start <= at < m.end][:1]
            c.syntactic = bool(c.source)
    if tok.pos_ in ("NOUN", "PROPN") and not c.syntactic:
        return False
    if not c.source and c.category == "MOBILIZE":
        # "plans to send North Korean brigades": forces move for their state.
        c.source = [i for ch in tok.children if ch.dep_ == "dobj"
                    for i in _head_actors(ctx, ch) if _is_force(ctx, i)][:1]
        c.syntactic = bool(c.source)
    if not c.source and tok.pos_ == "VERB" and c.category in ("AGREE", "CONSULT"):
        # "the agreement signed during the meeting between A and B"
        c.source = _between_actors(ctx, tok)
        c.syntactic = bool(c.source)
    if not c.source:
        # "the leaders condemned", "both countries agreed": the parties
        # of the meeting or pact just reported.
        c.source = _collective_parties(tok, earlier)
        c.syntactic = c.syntactic or bool(c.source)
    # A killing, an arrest, a march stand without a named perpetrator ("were
    # killed in", "a bomb exploded"): the source stays unknown (empty).
    rows = _CONFLICT.get(tok.lemma_.lower()) if tok.pos_ != "NOUN" else None
    row = _conflict_row(tok, rows) if rows else None
    unknown = (row is not None and row.unknown_source) or (
        tok.pos_ == "VERB" and tok.lemma_.lower() in _UNNAMED_ASSAULTS and c.category == "ASSAULT")
    if not c.source and c.no_fallback:
        return unknown
    if not c.source:
        # A generic noun is a party only through the parse ("the hospital said").
        before = [m for m in _actors_in(ctx, sent_start, ctx.base + tok.idx)
                  if m.end <= ctx.base + tok.idx and m.kind != "agent"]
        if not before:
            return unknown
        c.source = [before[-1].actor_id]
    return True


def _target_stage(ctx: _Ctx, c: _Candidate) -> bool:
    """Find to whom it is done and the phrases that may place it; drop mere references."""
    tok = c.tok
    # What was sent decides whether "to Moscow" is a recipient (aid) or
    # only a destination (troops), so refine before reading the objects.
    c.category, c.subtype = _refine(c.category, c.subtype, tok, ctx)
    if c.subtype in ("raid", "capture") and c.source and all(
            (a := ctx.actor_of.get(i)) is not None and a.type == "police" for i in c.source):
        # "police raided polling stations and seized ballot boxes": law enforcement,
        # as event coders code it
        c.category, c.subtype = "COERCE", "raid" if c.subtype == "raid" else "seizure"
    c.target, c.locs = _objects(ctx, tok, c.source, c.category, c.subtype)
    # "Eritrea agreed to withdraw its troops": a state's own forces are what it
    # moves, not someone it acts on
    own = set(_countries(c.source, ctx.actor_of))
    c.target = [i for i in c.target if not (i.startswith("mil:") and i[4:] in own)]
    if not _is_conflict(c):
        # fighters sent or trained are cargo, not a party; "refused to release the
        # hostages": civilians a decision is about stay themselves
        c.target = [i for i in c.target if i.startswith("agent:") and (
            a := ctx.actor_of.get(i)) is not None and a.type == "civilians" and not a.country
            ] + _without_agents(ctx, c.target, parties=_STATEMENT_PARTIES
                                if c.category in _STATEMENTS else frozenset())
    c.target += [i for i in c.receiver if i not in c.target]
    if c.subtype == "capture" and c.target and all(_named_person(ctx, i) for i in c.target) \
            and not _thing_taken(ctx, tok, c.target):
        # "captured Ovidio Guzman": a person taken is arrested (PLOVER COERCE);
        # a town or a position taken is an assault, also from someone
        # ("seizing the governor's office from Kurdish Peshmerga fighters")
        c.category, c.subtype = "COERCE", "arrest"
    if c.category == "ASSAULT" and not c.source and len(c.target) > 1 and _mutual(
            tok, c.subtype) and _all_between(ctx, tok, c.target):
        # "fighting broke out between the army and the RSF": each side attacks
        # the other, as event coders give a clash (both in source and in target)
        c.source = list(c.target)
    if c.subtype == "patrol":
        c.target = []  # a patrol is done to no one ("patrolled ... since Pinochet's rule")
    if tok.pos_ == "VERB" and tok.lemma_.lower() in _RECEIVING_VERBS:
        # "India received S-400 systems from Russia": the giver is in the
        # object or the "from" phrase, the subject receives.
        if not c.target:
            return False
        c.source, c.target = c.target, c.source
    if _accused_deed(tok) is not None and tok.pos_ in ("NOUN", "PROPN"):
        # a deed alleged is done to whom its "against" phrase names ("genocide
        # against the Masalit"); "of abuses in Mali" names where, not whom
        c.target = [i for p in tok.children if p.dep_ == "prep" and p.lower_ in (
            "against", "on") for i in _pobj_actors(ctx, p) if i not in c.source]
    elif tok.pos_ in ("NOUN", "PROPN") and not c.target:
        c.target += _noun_targets(ctx, c)
    if not c.target and (c.category == "SUPPORT" or (
            tok.pos_ in ("NOUN", "PROPN") and c.category not in ("MOBILIZE", "RETREAT")
            and c.subtype != "retaliation" and len(c.source) < 2
            and _protest_noun(tok) is None and not _carried_out(c)
            and _accused_deed(tok) is None)):
        # "engineering support from the DPRK", "sanctions by the US": an
        # event noun (or backing) with nobody on the receiving end is a
        # reference to a kind of action, not a report of one.
        return False
    if not c.target and c.category in ("ASSAULT", "COERCE"):
        c.target = _counted_victims(ctx, tok, c.source) or _crowd_victims(
            ctx, tok, c.source) or _fired_at(ctx, tok, c.source) or _aboard_victims(ctx, tok)
    if not c.target and c.subtype == "tear_gas":
        # "riot police fired tear gas as thousands of protesters tried to storm
        # parliament": what disperses a crowd is used on the story's crowd
        c.target = _story_crowd(ctx, ctx.base + tok.idx, c.source)
    if not c.target and c.category == "CONCEDE" and c.subtype in _GIVING_IN:
        # "Oli resigned", "the ban was lifted", "suspended the fare increase": in a
        # protest story the concession is to the protesters, as event coders give it
        c.target = _story_crowd(ctx, ctx.base + tok.idx, c.source)
    if c.subtype == "exchange" and len(_parties(c.source, ctx.actor_of)) > 1:
        # "Russia and Ukraine exchanged prisoners": each side frees the other's
        c.target = [*c.source, *(i for i in c.target if i not in c.source)]
    if c.category == "ASSAULT" and not c.target and len(_parties(
            c.source, ctx.actor_of)) > 1 and _mutual(tok, c.subtype):
        # "clashes between security forces and protesters": each side attacks the
        # other, as event coders give a clash (both in source and in target)
        c.target = list(c.source)
    if c.category in ("AGREE", "CONSULT", "COOPERATE") and len(_parties(
            c.source, ctx.actor_of)) > 1 and not set(c.target) & set(c.source):
        # "Japan and the Philippines signed a pact", "A and B held talks":
        # each party is the other's counterpart (a state and its own
        # leader are one party).
        c.source, c.target = c.source[:1], [*c.source[1:], *c.target]
    if c.category == "SANCTION" and c.subtype == "ban" and not _foreign(ctx, c.source, c.target):
        # "banned the opposition party", "a ban on social media": a state's measure
        # against its own people is a coercion; a ban on another state's airlines,
        # officials or goods a sanction (the guidelines' and PLOVER's split)
        c.category = "COERCE"
    return True


def _thing_taken(ctx: _Ctx, tok: Any, target: Sequence[str]) -> bool:
    """Whether the verb's object names no one of the target: what was taken is a thing."""
    for o in tok.children:
        if o.dep_ == "dobj":
            # the object's head nouns, not what hangs on them ("the office ... from
            # the Peshmerga" takes no Peshmerga)
            heads = [_tok_span(ctx, h) for h in (o, *o.conjuncts)]
            return not any(m.actor_id in target and m.start < b and a < m.end
                           for m in ctx.matches for a, b in heads)
    return False


def _named_person(ctx: _Ctx, actor_id: str) -> bool:
    """Whether an actor is one named person (the table's or NER's), not a body or a group."""
    a = ctx.actor_of.get(actor_id)
    return a is not None and (a.type in ("person", "leader", "official") or (
        a.source == "ner" and not actor_id.startswith("agent:")))


# Words for the people a deed is done to that name no one in particular.
_ANYONE = frozenset({"people", "person", "them", "crowd", "crowds"})


def _crowd_victims(ctx: _Ctx, tok: Any, source: Sequence[str]) -> list[str]:
    """Return the story's protesters when "people" or "them" are shot, gassed or arrested.

    "Police shot dead 31 people during protests", "fired tear gas to clear
    them", "more than 1,200 people were arrested": in a story whose protesters
    (or rioters) are named, those are the people the deed is done to, as event
    coders file them. No crowd named, or the crowd is the one acting ("rioters
    attacked people"): no target.
    """
    heads = [tok, *(c for c in tok.children if c.dep_ in ("xcomp", "advcl") and c.pos_ == "VERB")]
    if not any(o.dep_ in ("dobj", "nsubjpass") and o.lower_ in _ANYONE
               for h in heads for o in h.children):
        return []
    return _story_crowd(ctx, ctx.base + tok.idx, source)


# "killed 40 people, most of them civilians", "..., including three children"
_WHO_AMONG = re.compile(r"(?:\s+(?:in|near|at|on|across|around)\s+[^,.;:]{1,40})?"
                        r"\s*,\s*(?:most|many|all|some|mostly|mainly|including|among them|"
                        r"the majority|nearly all|almost all)\b[^,.;:]{0,80}")


def _counted_victims(ctx: _Ctx, tok: Any, source: Sequence[str]) -> list[str]:
    """Return who the people a deed is done to are, when the text says it after a comma.

    "killed more than 1,000 people, most of them Alawite civilians": the
    civilians (the parser hangs the phrase anywhere, so the text after the
    object is read).
    """
    heads = [tok, *(c for c in tok.children if c.dep_ in ("xcomp", "advcl") and c.pos_ == "VERB")]
    for o in (o for h in heads for o in h.children if o.dep_ in ("dobj", "nsubjpass")
              and o.lower_ in _ANYONE):
        end = ctx.base + o.idx + len(o)
        m = _WHO_AMONG.match(ctx.text, end)
        if m is not None:
            ids = [a.actor_id for a in _actors_in(ctx, m.start(), m.end())
                   if a.actor_id not in source]
            if ids:
                return list(dict.fromkeys(ids))
    return []


def _fired_at(ctx: _Ctx, tok: Any, source: Sequence[str]) -> list[str]:
    """Return who a list of things was fired or thrown "at", wherever the parser hangs it.

    "fired tear gas, rubber bullets and bean bag rounds at protesters": the "at"
    phrase goes with the last thing of the list, which the parser may read as a
    conjunct of the verb; the things fired are objects and conjuncts down from it.
    """
    for t in tok.subtree:
        if t.dep_ != "prep" or t.lower_ != "at" or t.head.i == tok.i:
            continue
        h = t.head
        # ("rounds" may even be read as a verb: "... and bean bag rounds at")
        while h.i != tok.i and h.dep_ in ("dobj", "conj", "appos") and not any(
                c.dep_ in ("nsubj", "nsubjpass") for c in h.children):
            h = h.head
        if h.i == tok.i:
            ids = [i for i in _pobj_actors(ctx, t) if i not in source]
            if ids:
                return ids
    return []


def _things_hit(tok: Any, preps: Sequence[str]) -> list[Any]:
    """Return the deed's objects, and the objects of its ``preps`` phrases.

    The direct object, a passive's subject, or what a phrase names ("set fire
    to the parliament", "opened fire on a boat").
    """
    return [o for c in tok.children for o in (
        [c] if c.dep_ in ("dobj", "nsubjpass") else c.children if c.dep_ == "prep"
        and c.lower_ in preps else ()) if o.dep_ in ("dobj", "nsubjpass", "pobj")]


def _aboard_victims(ctx: _Ctx, tok: Any) -> list[str]:
    """Return the people aboard a ship, a bus or a train attacked, when the story names them.

    "seized a cargo ship ... and took its 25 crew members", "sank the bulk
    carrier Eternity C ... At least four crew members were killed": the crew,
    named anywhere in the story (data/aboard.csv); no one when it names none.
    """
    things = aboard()
    # the object, or what was fired on ("opened fire on a boat", "fired at a tanker")
    for o in _things_hit(tok, ("on", "at")):
        # the head or a compound before it ("the bulk carrier Eternity C")
        words = [o, *(c for c in o.children if c.dep_ == "compound")]
        # the word as written too: spaCy's lemma of "bus" is "bu"
        people = next((things[k] for w in words for k in (w.lower_, w.lemma_.lower())
                       if k in things), None)
        if people is None:
            continue
        named = [m.actor_id for m in (*ctx.before, *ctx.matches, *ctx.after)
                 if m.actor_id in people and m.actor_id in ctx.actor_of]
        return named[:1]
    return []


# Concessions (subtypes of data/conflict_triggers.csv) made to those who demanded them.
_GIVING_IN = frozenset({"resignation", "easing", "reversal"})


def _story_crowd(ctx: _Ctx, at: int, source: Sequence[str]) -> list[str]:
    """Return the story's protesters (or rioters): named last before ``at``, else first after."""
    crowd = [m for m in (*ctx.before, *ctx.matches) if (a := ctx.actor_of.get(m.actor_id))
             is not None and a.type == "protesters" and m.actor_id not in source]
    before = [m for m in crowd if m.start < at]
    pick = before[-1] if before else (crowd[0] if crowd else None)
    return [pick.actor_id] if pick is not None else []


# Fighting that has two sides and no attacker ("clashes between A and B", "A and B clashed").
_COMBAT_NOUNS = frozenset({"clash", "clashes", "fighting", "fight", "battle", "gunfight",
                           "firefight", "shootout", "skirmish", "hostilities", "combat"})


def _mutual(tok: Any, subtype: str | None) -> bool:
    """Whether the deed is a fight of both sides: a clash, or killing "in clashes between"."""
    if subtype == "combat" or tok.lemma_.lower() in _COMBAT_NOUNS:
        return True
    return any(t.lemma_.lower() in _COMBAT_NOUNS and t.pos_ == "NOUN" and any(
        c.dep_ == "prep" and c.lower_ == "between" for c in t.children)
        for p in tok.children if p.dep_ == "prep" for t in p.subtree)


def _all_between(ctx: _Ctx, tok: Any, ids: Sequence[str]) -> bool:
    """Whether every actor of ``ids`` is named in a "between" phrase of the deed or its subject."""
    heads = [tok, *(t for t in tok.children if t.dep_ in ("nsubj", "nsubjpass"))]
    spans = [_span(ctx, p) for h in heads for p in h.subtree
             if p.dep_ == "prep" and p.lower_ == "between"]
    named = [m for m in ctx.matches if m.actor_id in ids]
    return bool(spans) and all(any(a <= m.start < b for a, b in spans for m in named
                                   if m.actor_id == i) for i in ids)


def _noun_targets(ctx: _Ctx, c: _Candidate) -> list[str]:
    """Targets of an event noun: "the meeting between X and Y", "Russia's invasion of Ukraine"."""
    tok, target = c.tok, []
    # With an owner as the source, "of" names the target.
    owner = any(ch.dep_ == "poss" for ch in tok.children)
    for ch in tok.children:
        if ch.dep_ == "prep" and ch.text.lower() == "of" and owner:
            target += [i for i in _pobj_actors(ctx, ch, locative=True) if i not in c.source]
        if ch.dep_ == "prep" and ch.text.lower() in ("with", "between", "against", "to", "on"):
            a, b = _span(ctx, ch)
            target += [m.actor_id for m in _actors_in(ctx, a, b) if m.actor_id not in c.source]
    if not target and c.light is not None and c.light.lemma_.lower() not in _RECEIVING:
        # "imposed sanctions on 10 January on two of Russia's oil
        # producers": the parser hangs the phrase on the verb.
        for ch in c.light.children:
            if ch.dep_ == "prep" and ch.lower_ in ("with", "against", "on"):
                a, b = _span(ctx, ch)
                target += [m.actor_id for m in _actors_in(ctx, a, b)
                           if m.actor_id not in c.source]
    return target


def _place_stage(ctx: _Ctx, c: _Candidate, sent: tuple[int, int]) -> None:
    """Set the event's place and a movement's origin from the trigger's own phrases."""
    tok, actor_of = c.tok, ctx.actor_of
    used = {(m.start, m.end) for m in ctx.matches
            if m.actor_id in c.source or m.actor_id in c.target}
    if tok.pos_ == "VERB" and (c.subtype == "state_visit" or c.category in (
            "ASSAULT", "COERCE") or tok.lemma_.lower() in ("enter", "patrol")):
        # "visited China": the visited state is the target and the place;
        # "pounded the Gaza Strip", "entered Tigray", "patrolled the streets of Kabul":
        # the object is where.
        c.locs = c.locs + [ch for ch in tok.children if ch.dep_ == "dobj" or (
            ch.dep_ == "nsubjpass" and c.category != "MOBILIZE")]
    c.place, c.origin, c.named = _place_for(ctx, tok, c.locs, sent, used,
                                            statement=c.category in _STATEMENTS)
    head = tok.head
    if c.named is None and _is_conflict(c) and tok.pos_ == "VERB" and (
            tok.dep_ in ("advcl", "conj", "xcomp") and head.pos_ == "VERB"):
        # "invaded three villages in Maru, killing 20", "were killed and 38 wounded in":
        # the deed the participle or conjunct goes with says where.
        c.place, _, c.named = _place_for(ctx, head, [ch for ch in head.children if ch.dep_ in (
            "prep", "dobj", "nsubjpass")], sent, used)
    if c.place is None and _is_conflict(c) and tok.pos_ == "VERB":
        # "A blast in downtown Baghdad killed seven", "An explosion in a Myanmar
        # town killed five and injured 30": the deed named as the subject (of the
        # verb or of the clause a participle goes with) says where.
        for v in (tok, head) if tok.dep_ in ("advcl", "conj", "xcomp") else (tok,):
            for s in v.children:
                if c.named is None and s.dep_ in ("nsubj", "nsubjpass") and (
                        s.lemma_.lower() in _DEED_NOUNS):
                    c.place, _, c.named = _place_for(ctx, s, [
                        ch for ch in s.children if ch.dep_ in ("prep", "acl")], sent, used)
    if c.named is None and _is_conflict(c) and _accused_deed(tok) is None:
        # Where the phrases name no place, the learned linker (see _locate;
        # fitted on violence and protest reports) reads the rest of the
        # sentence's syntax, or says there is none; a deed alleged is placed by
        # its own phrase only ("of genocide against the Masalit" names no place).
        # "killed 13 U.S. troops": a name inside a party's phrase is the party's
        # nationality, not where (a name that is the whole mention, "struck Kyiv", is)
        inside = [(t.mention.start, t.mention.end) for t in ctx.toponyms for m in ctx.matches
                  if m.actor_id in c.target and m.start <= t.mention.start
                  and t.mention.end < m.end]
        linked = _locate.link(ctx.text, ctx.base, tok.doc, tok, ctx.toponyms, exclude=[
            *((m.start, m.end) for m in ctx.matches if m.actor_id in c.source), *inside])
        c.place = linked.place if linked is not None else None
        c.named = linked.mention if linked is not None else None
    if c.place is None and c.named is not None and c.named.source in UNKNOWN_PLACE_SOURCES and (
            getattr(ctx.places, "name_reading", None) is not None):
        # "the town of Mahmudiyah": a name read by syntax that the index spells
        # otherwise takes the geoparser's reading when the text agrees
        read = ctx.places.name_reading(c.named)
        c.place = read.place if read is not None else None
    if c.place is None and c.named is not None and c.named.source in UNKNOWN_PLACE_SOURCES:
        c.place = _near_place(ctx, c.named)
    if c.category not in ("MOBILIZE", "RETREAT", "AID"):
        c.origin = None  # "from" of a request or a visit is no starting point
    elif c.origin is None and c.place is not None and c.subtype in _MOVEMENTS:
        c.origin = _home_of(ctx, c.source, c.place)
    if c.category == "RETREAT" and c.named is None and c.origin is not None:
        c.place = c.origin  # a withdrawal happens where the forces leave
    place = c.place
    if c.subtype == "state_visit" and not c.target and place is not None and (
            f"state:{place.country}" in actor_of):
        c.target = [f"state:{place.country}"]  # "visited Baku": Azerbaijan is visited
    if c.category in ("ASSAULT", "PROTEST") and not c.target:
        # "attacked the presidential compound", "set fire to Nepal's parliament
        # building": the state that holds it is hit, whoever does it
        c.target = _site_state(ctx, tok, place)
    if (c.category == "ASSAULT" or c.subtype == "military_exercise") and not c.target and (
            place is not None) and not all(i.startswith("agent:") for i in c.source) and (
            f"state:{place.country}" in actor_of) and place.country not in _countries(
            c.source, actor_of) and place.country not in {
            a.country for i in c.source if (a := actor_of.get(i)) is not None} and (
            not _someone_taken(ctx, tok)):
        # "strike power stations across Ukraine": as event coders do, the
        # state whose ground is struck is the target when no one is named; not
        # when an armed group strikes at home ("Al Shabaab stormed a hotel in
        # Kismayo": the hotel's guests were hit, not Somalia).
        c.target = [f"state:{place.country}"]


# Nouns of people the lexicons leave out as parties: done to, they are someone.
_PEOPLE_NOUNS = frozenset({"people", "person", "persons", "man", "men", "woman", "women", "boy",
                           "boys", "girl", "girls", "child", "children", "teenager",
                           "teenagers", "youth", "youths", "others"})
_PERSONAL = _PERSONS | {"him", "her", "them", "us", "me"}


def _someone_taken(ctx: _Ctx, tok: Any) -> bool:
    """Whether a capture or an abduction is of someone: a name, a pronoun, "men".

    "Uighurs were captured by U.S. forces in Afghanistan", "They were captured
    in northern Iraq": the people taken are what the deed is done to; the
    country where it happens is not its target (a name that is a place,
    "captured Qabasin", is territory taken).
    """
    # arrests are coercions, which the rule that calls this never makes a state the target of
    if tok.lemma_.lower() not in ("capture", "seize", "kidnap", "abduct"):
        return False
    objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
    for o in (o for c in objs for o in (c, *c.conjuncts)):
        if o.lower_ in _PERSONAL or o.lemma_.lower() in _PEOPLE_NOUNS:
            return True
        at = ctx.base + o.idx
        if o.pos_ == "PROPN" and not any(t.mention.start <= at < t.mention.end and (
                t.mention.kind != "demonym") for t in ctx.toponyms):
            return True
    return False


def _site_state(ctx: _Ctx, tok: Any, place: Place | None) -> list[str]:
    """Return the state whose seat or building the deed's object is (data/state_sites.csv).

    The state the phrase names ("Nepal's parliament building", "the embassies of
    Rwanda", "the French embassy"), else the country of the event's place when
    the story names that state; an embassy or a consulate only by its phrase.
    """
    sites = state_sites()
    for o in _things_hit(tok, ("on", "at", "to", "into", "outside")):
        rows = sites.get(o.lemma_.lower()) or sites.get(o.lower_)
        mods = {c.lemma_.lower() for c in o.children if c.dep_ in ("amod", "compound", "poss")}
        rows = [named for mod, named in rows or () if not mod or mod in mods]
        if not rows:
            continue
        # its owner, its adjective or its "of" phrase; not where it stands ("in Niger")
        states = [m.actor_id for c in o.children if c.dep_ in ("poss", "amod", "compound") or (
                  c.dep_ == "prep" and c.lower_ == "of")
                  for m in _actors_in(ctx, *_span(ctx, c), allow_locative=True)
                  if (e := ctx.actor_of.get(m.actor_id)) is not None and e.type == "state"]
        if states:
            return list(dict.fromkeys(states))
        if rows[0] or place is None or f"state:{place.country}" not in ctx.actor_of:
            return []
        return [f"state:{place.country}"]
    return []


@functools.cache
def _near_words() -> re.Pattern[str]:
    # "the nearby village of Zaatara", "the nearby Kavumu airport" (data/place_slots.csv)
    words = "|".join(map(re.escape, sorted(place_slots("near"))))
    return re.compile(rf"\b(?:{words})\s+(?:[a-z]+\s+(?:of\s+)?)?$", re.IGNORECASE)


def _near_place(ctx: _Ctx, named: Mention) -> Place | None:
    """Return the place a name the index lacks is said to be near, or None.

    "seized the nearby Kavumu airport" after "took control of Bukavu": as
    event coders code an unfound village by the nearest place they can find
    (ACLED's geo-precision 2), the last place of a town's or a region's
    precision named before it stands in for it; not a country, which is no
    "nearby" anything.
    """
    if not _near_words().search(ctx.text, max(0, named.start - 40), named.start):
        return None
    before = [t for t in (*ctx.places_before, *ctx.toponyms)
              if t.mention.end <= named.start and t.place is not None
              and t.mention.kind == "place" and (_precision(t.place) or 0) >= 2]
    return max(before, key=lambda t: t.mention.start).place if before else None


def _date_stage(c: _Candidate, when: tuple[str | None, str | None], article: str | None
                ) -> None:
    """Date the event from its sentence, or from the article for a report of a deed."""
    iso, written = when
    if iso is None and written is None and article and c.status in (
            "happened", "announced", "denied"):
        # Nothing in the sentence dates it: a report of something done
        # or said dates from about the article, as event coders take it
        # (GDELT codes the article's day); the month says "about".
        iso = article[:7]
    c.date, c.date_text = iso, written


def _emit(ctx: _Ctx, c: _Candidate, sent: tuple[int, int]) -> list[tuple[int, Event]]:
    """Return the candidate's events (one for each of conjoined places), with confidence."""
    sa, sb = sent
    conf = 0.55 + (0.2 if c.syntactic else 0.0) + (0.1 if c.target else 0.0) + (
        0.05 if c.place else 0.0)
    if c.status in ("speculated", "negated", "denied"):
        conf -= 0.1
    place = c.place
    if place is not None and place.feature in ("demonym", "metonym"):
        place = None
    # "struck targets in northern Syria and northern Iraq": one event a place
    siblings = _sibling_places(ctx, c.locs, place, {
        (m.start, m.end) for m in ctx.matches if m.actor_id in c.source})
    out = []
    for i, at in enumerate([place, *siblings]):
        tgt = c.target
        if siblings and c.category == "ASSAULT":
            tgt = [i for i in c.target if not i.startswith("state:")
                   or i == f"state:{at.country}"] or (
                [f"state:{at.country}"] if f"state:{at.country}" in ctx.actor_of else [])
        out.append((ctx.base + c.tok.idx, Event(
            id="", category=c.category, subtype=c.subtype, source=tuple(c.source),
            target=tuple(tgt), place=at, origin=c.origin,
            geo_precision=_precision(at), date=c.date, date_text=c.date_text,
            status=c.status, evidence=Evidence(ctx.text[sa:sb], sa, sb),
            confidence=round(min(conf, 0.95), 4), place_mention=c.named if i == 0 else None,
        )))
    return out


def _dedupe(found: list[tuple[int, Event]], actor_of: Mapping[str, Actor], doc_id: str
            ) -> tuple[Event, ...]:
    """Keep each action once: the surest of a sentence, the first (or dated) of restatements."""
    found.sort(key=lambda x: x[0])
    kept: dict[tuple, Event] = {}
    for _, e in found:
        # Two verbs of one deed in one sentence ("killed himself by detonating
        # explosives") are one event: the subtype is not part of the key.
        key = (e.category, _countries(e.source, actor_of), _countries(e.target, actor_of),
               _where(e), e.evidence.start)
        old = kept.get(key)
        if old is None or (e.confidence, e.subtype is not None) > (
                old.confidence, old.subtype is not None):
            kept[key] = e
    kept = _one_deed_per_phrase(list(kept.values()), actor_of)
    # The same event restated in a later sentence: keep the first mention,
    # unless only a later one dates it (a headline, then "... in July 2024"):
    # then that one, whose evidence shows the date.
    first: dict[tuple, Event] = {}
    for e in kept:
        k2 = (e.category, e.subtype, _countries(e.source, actor_of),
              _countries(e.target, actor_of), _where(e), e.status)
        old = first.get(k2)
        if old is None or (old.date is None and e.date is not None):
            first[k2] = e
    out = sorted(first.values(), key=lambda e: e.evidence.start)
    out = [e for e in out if _where(e) is not None or not any(
        _restates(e, f, actor_of) for f in out if f is not e and (
            _where(f) is not None or f.evidence.start < e.evidence.start))]
    return tuple(_with_id(e, f"{doc_id}:e{i}") for i, e in enumerate(out, 1))


def _where(e: Event) -> str | None:
    """Return the event's place as a key: the gazetteer's, or a name it does not know.

    A name the index lacks is its own key even where a place stands in for it
    ("the nearby Kavumu airport" placed at Bukavu is not Bukavu's capture).
    """
    m = e.place_mention
    if m is not None and (m.source in UNKNOWN_PLACE_SOURCES or e.place is None):
        return m.name.lower()
    return e.place.key if e.place is not None else None


def _one_deed_per_phrase(events: list[Event], actor_of: Mapping[str, Actor]) -> list[Event]:
    """Merge a sentence's verb and the event noun that restates it in its phrase.

    "Five civilians were killed by Russian shelling in Kherson": the killing
    (no source, the civilians hit) and the shelling (Russia's, no target) are
    one deed: one event with the verb's target and the noun's source. Of two
    events of one category, sentence and place, one whose actors are all the
    other's is that one.
    """
    out: list[Event] = []
    for e in events:
        same = next((k for k, f in enumerate(out) if f.category == e.category and (
            f.evidence.start == e.evidence.start) and _where(f) == _where(e)), None)
        if same is None:
            out.append(e)
            continue
        f = out[same]
        src_e, src_f = set(_countries(e.source, actor_of)), set(_countries(f.source, actor_of))
        tgt_e, tgt_f = set(_countries(e.target, actor_of)), set(_countries(f.target, actor_of))
        if src_e <= src_f and tgt_e <= tgt_f:
            merged = f  # e says nothing f does not
        elif src_f <= src_e and tgt_f <= tgt_e:
            merged = e
        elif not f.source and not e.target:
            merged = replace(f, source=e.source)
        elif not e.source and not f.target:
            merged = replace(f, target=e.target)
        else:
            out.append(e)
            continue
        # the noun names the kind ("shelling"), the verb only its effect ("killed")
        out[same] = replace(merged, subtype=f.subtype or e.subtype)
    return out


# A definite event noun a statement is about ("condemned the launch", "called
# the sanctions a mistake") and the categories of the earlier event it names
# (data/event_nouns.csv; "the alliance" is a body: _REFERENT_BODIES).
_REFERENT_NOUNS: Mapping[str, frozenset[str]] = {
    noun: frozenset(CATEGORIES) - _STATEMENTS if cats == ("*",) else frozenset(cats)
    for noun, cats in event_nouns().items()}
_BODIES = frozenset({"international_org"})
_REFERENT_BODIES: Mapping[str, frozenset[str]] = {
    **dict.fromkeys(("alliance", "bloc", "organisation", "organization", "union"), _BODIES),
    **dict.fromkeys(("group", "militia", "movement", "rebels", "militants"),
                    frozenset({"armed_group"})),
}
_DEFINITE = frozenset({"the", "this", "that", "these", "those", "its", "their"})
# Nouns that name a violent or protest deed as a verb's subject ("a blast ...
# killed"): the event nouns of data/event_nouns.csv for those kinds, the fights
# of _COMBAT_NOUNS, and the words for explosions, which that file (nouns a later
# phrase refers back with) does not need.
_DEED_NOUNS = frozenset(
    {n for n, cats in _REFERENT_NOUNS.items() if cats & {"ASSAULT", "COERCE", "PROTEST"}
     and cats != frozenset(CATEGORIES) - _STATEMENTS}
    | _COMBAT_NOUNS | {"blast", "explosion", "bomb", "airstrike", "fire"})


def _referent_parties(ctx: _Ctx, tok: Any, source: Sequence[str],
                      earlier: Sequence[Event]) -> list[str]:
    """Return the parties of the earlier event a statement's definite object names.

    "Taiwan condemned the exercises" after "China began drills": China is the
    target. Agreements give both sides ("concern about the pact").
    """
    objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
    objs += [o for c in tok.children if c.dep_ == "prep" and c.lower_ in (
        "about", "over", "of", "to") for o in c.children if o.dep_ == "pobj"]
    # "condemned the cowardice of the attack", "the brutality of the crackdown": the
    # quality's "of" phrase names the deed
    objs += [o for d in objs if d.dep_ == "dobj" and d.lemma_.lower() not in _REFERENT_NOUNS
             for c in d.children if c.dep_ == "prep" and c.lower_ == "of"
             for o in c.children if o.dep_ == "pobj"]
    at = ctx.base + tok.idx
    for o in objs:
        definite = any(c.lower_ in _DEFINITE for c in o.children if c.dep_ in ("det", "poss"))
        if o.lower_ in ("it", "this") and o.dep_ == "dobj":
            # "called it a flagrant violation": the last thing done, not said
            for e in reversed(earlier):
                if e.category not in _STATEMENTS and e.evidence.start <= at:
                    return [i for i in e.source if i not in source]
            return []
        kinds = _REFERENT_BODIES.get(o.lemma_.lower())
        if kinds is not None and definite:
            # "accusing the alliance of failing": the body last named
            named = [m for m in (*ctx.before, *ctx.matches) if m.end <= at
                     and (a := ctx.actor_of.get(m.actor_id)) is not None and a.type in kinds]
            return [named[-1].actor_id] if named and named[-1].actor_id not in source else []
        cats = _REFERENT_NOUNS.get(o.lemma_.lower())
        if cats is None or not definite:
            continue
        a, b = _span(ctx, o)
        crowd = ctx.base + o.idx if _protest_noun(o) is not None else -1
        if any(m.start != crowd for m in _actors_in(ctx, a, b, allow_locative=True)):
            return []  # the phrase names its own parties (a protest noun's crowd aside)
        prior = [e for e in earlier if e.category in cats and e.evidence.start <= at]
        # "condemned the strike" after "An Israeli air strike ... killed" and "had
        # helped Hamas plan an attack": the deed of that kind that was done, before
        # the last of the category
        noun = o.lemma_.lower()
        done = [e for e in reversed(prior) if e.status == "happened"]
        for e in (*(e for e in done if noun in (e.subtype or "").split("_")), *done,
                  *reversed(prior)):
            both = e.category in ("AGREE", "COOPERATE", "CONSULT")
            ids = [*e.source, *(e.target if both else ())]
            return [i for i in dict.fromkeys(ids) if i not in source]
        return []
    return []


_COLLECTIVE = frozenset({"leader", "country", "nation", "side", "government", "minister",
                         "ally", "president", "state", "partner", "delegation"})


def _attackers_of(source: Sequence[str], earlier: Sequence[Event],
                  actor_of: Mapping[str, Actor]) -> list[str]:
    """Return who last attacked the source: whom a vow to retaliate is against.

    "India struck nine sites in Pakistan ... Pakistan's military vowed to
    retaliate": India. A state and its forces, leaders and bodies are one side.
    When no attack hit the source's side, the last attack done by another side
    ("Suicide bombers attacked Kabul airport ... Biden vowed to hunt down those
    responsible").
    """
    side = set(_countries(source, actor_of)) | set(source)
    others = []
    for e in reversed(earlier):
        if e.category != "ASSAULT" or not e.source or (
                set(_countries(e.source, actor_of)) | set(e.source)) & side:
            continue
        if (set(_countries(e.target, actor_of)) | set(e.target)) & side:
            return list(e.source)
        others.append(e)
    # "Militants killed 305 worshippers ... Sisi vowed to respond with brute force": the
    # victims are no party of his, but the vow answers the last attack by another side
    done = [e for e in others if e.status == "happened"]
    return list(done[0].source) if done else []


def _collective_parties(tok: Any, earlier: Sequence[Event]) -> list[str]:
    """Return the parties of the last multi-party event when the subject is "the leaders"."""
    subj = next((c for g in _governors(tok) for c in g.children if c.dep_ == "nsubj"), None)
    if subj is None or subj.lemma_.lower() not in _COLLECTIVE or not (
            subj.tag_ == "NNS" and any(c.lower_ in ("the", "both", "all") or c.like_num
                                       for c in subj.children)):
        return []
    for e in reversed(earlier):
        if e.category in ("AGREE", "CONSULT", "COOPERATE") and len(e.source) + len(e.target) > 1:
            return list(dict.fromkeys((*e.source, *e.target)))
    return []


def _own_threat(ctx: _Ctx, tok: Any, source: Sequence[str]) -> bool:
    """Whether ``tok`` is the action in a threat its own side makes ("warned that X would").

    Warnings about what someone else will do are predictions and stay events.
    """
    child = tok
    for anc in tok.ancestors:
        if child.dep_ == "ccomp" and anc.lemma_.lower() in ("warn", "threaten", "vow"):
            warner = _subject(ctx, anc)[0]
            own = set(_countries(warner, ctx.actor_of))
            return bool(warner) and (bool(set(source) & set(warner)) or bool(
                own & set(_countries(source, ctx.actor_of))))
        if child.dep_ not in ("conj", "xcomp", "advcl", "ccomp", "aux", "prep", "pcomp"):
            return False
        child = anc
    return False


def _restates(e: Event, f: Event, actor_of: Mapping[str, Actor]) -> bool:
    """Whether placeless ``e`` says again what ``f`` says (same action, same parties or fewer).

    "The DPRK troops are expected to be stationed ..." after "North Korea is set
    to send troops to Donetsk" adds no event; a placeless mention does not count
    twice next to a located one, nor a later placeless one next to an earlier one.
    """
    if e.category != f.category or (e.subtype and f.subtype and e.subtype != f.subtype):
        return False
    src_e, src_f = set(_countries(e.source, actor_of)), set(_countries(f.source, actor_of))
    tgt_e, tgt_f = set(_countries(e.target, actor_of)), set(_countries(f.target, actor_of))
    return bool(src_e) and src_e <= src_f and tgt_e <= tgt_f


def _parties(ids: Iterable[str], actor_of: Mapping[str, Actor]) -> set[str]:
    # Sides of an agreement: an actor with a country sides with it.
    return {a.country if (a := actor_of.get(i)) and a.country else i for i in ids}


def _countries(ids: Iterable[str], actor_of: Mapping[str, Actor]) -> tuple[str, ...]:
    out = set()
    for i in ids:
        a = actor_of.get(i)
        out.add(a.country if a and a.type in STATE_AFFILIATED and a.country else i)
    return tuple(sorted(out))


def _with_id(e: Event, eid: str) -> Event:
    from dataclasses import replace  # noqa: PLC0415

    return replace(e, id=eid)
