"""Pronouns and definite descriptions that stand for an actor named before them.

"Hamas said it had freed two hostages": "it" is Hamas. "Russia said its forces
had advanced": "its forces" are Russia's (``mil:RUS``). "The United States
condemned the Islamist group": the armed group last named. The referring words,
the actor types each may stand for and the reporting verbs are data
(``data/references.csv``). Resolution reads the text and the actor mentions
only, before any parse, so that a sentence whose actor is a pronoun is parsed
for events too, and the event stage finds the resolved actor in a subject or an
object as it finds a named one: each resolved word is an :class:`ActorMatch` of
kind ``coref`` over the pronoun's own span, with the antecedent's id.

Rules, in this order:

1. A pronoun after a reporting verb ("X said on Monday that it ...") stands for
   the verb's subject X when X is an actor of a type it may stand for; when
   the subject is no actor ("witnesses said they"), for nobody.
2. A description ("the group", "the Islamist group", "the army") stands for
   the latest actor of a type it may stand for.
3. A perpetrator noun, counted or definite ("killed four attackers", "the
   assailants"), stands for the latest armed group or armed generic agent:
   those who did the attack just reported.
4. Otherwise a subject pronoun stands for the first such actor of its sentence
   (the subject), a possessive for the nearest one before it ("his", "her": the
   nearest person; before a deed the owner undergoes, "sought his extradition",
   not the sentence's first actor, who asks for it); an object pronoun
   ("him", "them") never for its own sentence's actors; then the first such
   actor of the previous sentence, then the latest of the two before.

5. A bare plural armed agent ("rebels", "fighters", "militants": the armed
   descriptions of the table) in a story that has named one armed group, and no
   other, is that group's men; a people or a name before it ("Kurdish
   militants") is someone else's.

"its forces", "his troops", "their fighters" are the antecedent's armed forces:
a state's, government's or leader's are ``mil:ISO3``; a group's, the group.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence

from geokit.events._actors import ActorEntry, ActorMatch, ActorTable
from geokit.events._events import NOUN_TRIGGERS
from geokit.events._lexicon import (
    COUNT,
    COUNT_QUALIFIER,
    agent_id,
    agent_nouns,
    force_nouns,
    peoples,
    references,
)

__all__ = ["counted_people", "resolve_references"]

# Descriptions that name armed men, not a group: a people before them names whose.
_MEN = frozenset({"fighters", "militants", "rebels", "insurgents", "jihadists"})
# Object pronouns: never the subject of their own clause (nor of the sentence).
_OBJECT = frozenset({"him", "them"})
# NER cannot tell what kind of organisation a name is: any kind will do.
_ORG_TYPES = frozenset({"armed_group", "international_org", "ngo_or_think_tank", "government"})
# Types that act through a state's armed forces ("its troops": the state's military).
_STATE_SIDE = frozenset({"state", "government", "leader", "official", "military"})
# Words allowed between a reporting verb and the pronoun: "said on Monday that it".
_GAP_WORDS = frozenset({
    "that", "on", "in", "at", "late", "early", "last", "this", "a", "an", "the", "its", "his",
    "their", "her", "statement", "interview", "post", "earlier", "later", "also", "reporters",
    "journalists", "night", "morning", "evening", "afternoon", "week", "month", "year",
    "previously", "separately", "again", "then", "x", "telegram", "television", "social",
    "media", "briefing", "conference", "news",
})
# Between a subject and its reporting verb: "Russia's defence ministry said",
# "the rebel CSP alliance said", "Hamas also said".
_SUBJECT_GAP = re.compile(
    r"(?:'s|’s)?(?:\s+(?!(?:and|or|but|that|which|who|when|after|as)\b)[a-z][a-z-]*){0,3}\s+")
# What follows a subject: an auxiliary, an adverb, a past tense (regular or one
# of the irregular ones the news uses most).
_AFTER_SUBJECT = (
    r"had|has|have|would|will|was|is|could|can|may|might|must|should|did|does|"
    r"also|then|later|still|now|already|never|not|\w+ed|struck|took|sent|shot|hit|"
    r"fought|made|began|won|lost|held|left|put|brought|drove|gave|kept|ran|saw|told|went|"
    r"came|led|withdrew|overran|blew|threw|broke|stole|built|said")
# "it" is a subject before a verb (a present tense too: "it says").
_IT_SUBJECT = re.compile(rf"\s+(?:{_AFTER_SUBJECT}|\w+s)\b")
# Words that are no adjective of a description's noun ("the aggressor any military").
_NOT_MODIFIERS = frozenset({"and", "or", "of", "said", "says", "any", "some", "all", "no",
                            "other", "every", "each", "such", "more", "most", "many", "few",
                            "same", "whole", "entire"})
# After a description's noun, what shows the noun is the phrase's head ("the
# military said", "the group's leader"; not "the military government").
_HEAD_END = re.compile(
    r"(?:'s|’s|\s*[.,;:!?)\"”]|\s*$|\s+(?:were|are|and|or|but|of|in|on|at|to|for|from|with|by|"
    r"that|which|who|after|before|as|over|into|against|since|during|while|when|"
    r"itself|themselves|north|south|east|west|back|out|home|across|along|inside|near|there|"
    r"away|off|up|down|around|through|toward|towards|under|within|until|amid|because|if|"
    rf"says|{_AFTER_SUBJECT})\b)")
# "accusing the group of war crimes": the one "of" after a description's noun
# that does not make it part of a longer name ("the group of 50 nations").
_ACCUSE_OF = re.compile(r"\b(?:accus|suspect|convict|blam|clear|warn)\w*\s+$")
_ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")
# A plural common noun between an antecedent and "they"/"them"/"their" is the
# nearer plural ("deploy half of them": the brigades just named).
_PLURAL_NOUN = re.compile(r"\b[a-z]{3,}[^s\W]s\b")
_NOT_PLURAL = frozenset({"was", "has", "its", "this", "thus", "does", "across", "perhaps",
                         "whereas", "towards", "afterwards", "always", "news", "series",
                         "says", "means", "status", "nevertheless", "unless", "besides"})
# "it was unclear whether", "it is time to": no actor at all.
_EXPLETIVE = re.compile(
    r"\s+(?:is|was|'s|’s|seems|seemed|appears|appeared|remains|remained|has been|had been|"
    r"will be|would be)\s+(?:not\s+)?(?:[\w-]+\s+){0,2}?(?:that|to|whether|if|how|who|what|"
    r"when|why|unclear|clear|likely|possible|time)\b", re.I)


@functools.cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    refs = references()

    def alt(words: object) -> str:
        return "|".join(sorted(map(re.escape, words), key=len, reverse=True))  # type: ignore[arg-type]

    pronouns = [w for w, r in refs.items() if r.kind in ("pronoun", "possessive")]
    nouns = [w for w, r in refs.items() if r.kind == "description"]
    verbs = [w for w, r in refs.items() if r.kind == "reporting"]
    states = [w for w, r in refs.items() if r.kind == "own_state"]
    doers = [w for w, r in refs.items() if r.kind == "perpetrator"]
    undergone = [w for w, r in refs.items() if r.kind == "undergone"]
    forces = {*force_nouns("actor"), *(n for n, t in agent_nouns().items() if t == "armed_group")}
    return (
        re.compile(rf"\b(?:{alt(pronouns)})\b", re.I),
        # "the group", "the Islamist group", "the private military company"
        re.compile(rf"\b[Tt]he((?:\s+(?!(?:{alt(_NOT_MODIFIERS)})\b)[A-Za-z][\w'’-]*){{0,2}}?)"
                   rf"\s+({alt(nouns)})\b(?![ -](?:{alt(nouns)})\b)"),
        re.compile(rf"\b(?:{alt(verbs)})\b"),
        # after a possessive: "its forces", "its own troops", "their fighter jets"
        re.compile(rf"\s+(?:own\s+)?(?:[a-z][a-z-]*\s+){{0,2}}?(?:{alt(forces)})\b"),
        re.compile(rf"\s+(?:[a-z][a-z-]*\s+){{0,2}}?(?:{alt(NOUN_TRIGGERS)})\b"),
        # "his country", "their own government"
        re.compile(rf"\s+(?:own\s+)?(?:{alt(states)})\b"),
        # "killed four attackers", "all 33 attackers", "the assailants"
        re.compile(rf"\b(?:[Tt]he|[Aa]ll(?: the| \d[\d,]*)?|(?:{COUNT_QUALIFIER} )?{COUNT})\s+"
                   rf"(?:(?:suspected|alleged|armed|surviving|remaining)\s+)?({alt(doers)})\b"),
        # what the owner undergoes: "his extradition", "her resignation"
        re.compile(rf"\s+(?:[a-z][a-z-]*\s+){{0,1}}?(?:{alt(undergone)})\b"),
    )


def _type_of(m: ActorMatch, table: ActorTable) -> str | None:
    """Return the type a referring word is checked against ("agent": a plural agent)."""
    if m.actor_id.startswith("agent:"):
        plural = m.kind != "agent" or m.text.lower().endswith(("s", "police", "men", "people"))
        return "agent" if plural else None
    if m.actor_id.startswith("mil:"):
        return "military"
    e = table.get(m.actor_id)
    if e is not None:
        return e.type
    if m.actor_id.startswith("person:"):
        return "person"
    return "org" if m.actor_id.startswith("org:") else None


def _fits(m: ActorMatch, types: frozenset[str], table: ActorTable, word: str = "") -> bool:
    t = _type_of(m, table)
    if word in ("it", "its") and m.actor_id.startswith(("mil:", "agent:")) and m.text.endswith(
            "s"):
        return False  # "Russian instructors were training its army": not "its"
    if t == "agent" and "armed_agent" in types and agent_nouns().get(
            m.actor_id.removeprefix("agent:").replace("-", " ")) == "armed_group":
        return True  # "Gunmen stormed a hotel ... killed four attackers"
    return t is not None and (t in types or (t == "org" and bool(types & _ORG_TYPES)))


def _role_of(m: ActorMatch, role: str | None, text: str, pool: Sequence[ActorMatch],
             table: ActorTable) -> str | None:
    """Return the id a phrase about ``m`` stands for (None: no such actor).

    ``role`` None: ``m`` itself. "forces" ("its troops"): the forces it acts
    through, a state side's ``mil:ISO3``, else itself. "state" ("his
    country"): the state it belongs to. A body NER found under a state's
    possessive ("Ukraine's General Staff") is that state's.
    """
    if role is None:
        return m.actor_id
    if m.actor_id.startswith("mil:"):
        return m.actor_id if role == "forces" else f"state:{m.actor_id[4:]}"
    if m.actor_id.startswith("agent:"):
        return m.actor_id if role == "forces" else None
    owner = _owner(m, text, pool, table) if table.get(m.actor_id) is None else None
    e = owner or table.get(m.actor_id)
    side = e is not None and e.country and (e.type in _STATE_SIDE or role == "state")
    if not side:
        return m.actor_id if role == "forces" else None
    if role == "state":
        st = table.state(e.country)
        return st.id if st is not None else None
    return table.military_of(e.country).id


def _owner(m: ActorMatch, text: str, pool: Sequence[ActorMatch], table: ActorTable
           ) -> ActorEntry | None:
    """Return the state whose possessive stands before ``m`` ("Yemen's Houthis"), or None."""
    for o in pool:
        e = table.get(o.actor_id)
        if e is not None and e.type == "state" and o.end < m.start and re.fullmatch(
                r"(?:'s|’s)\s+", text[o.end:m.start]):
            return e
    return None


def _reported_subject(text: str, sent: tuple[int, int], at: int, pool: Sequence[ActorMatch],
                      types: frozenset[str], table: ActorTable, word: str
                      ) -> ActorMatch | None | bool:
    """Return the subject of the reporting verb before ``at`` (False: no verb; None: no actor)."""
    verbs = [v for v in _patterns()[2].finditer(text, sent[0], at) if _gap_ok(text[v.end():at])]
    if not verbs:
        return False
    v = verbs[-1]
    subj = [m for m in pool if sent[0] <= m.start and m.end <= v.start()
            and _SUBJECT_GAP.fullmatch(text, m.end, v.start())]
    fit = [m for m in subj if _fits(m, types, table, word)]
    if fit:
        # "Baloch Liberation Army militants said": the named group, not the noun after it
        return max(fit, key=lambda m: (not m.actor_id.startswith("agent:"), m.end))
    # "witnesses said they", "the rebel CSP alliance said its": someone we cannot name
    return None


def _gap_ok(gap: str) -> bool:
    if re.search(r"[^\w\s,’'-]", gap):
        return False
    words = re.findall(r"[\w’'-]+", gap)
    return len(words) <= 8 and all(w.lower() in _GAP_WORDS or w[0].isupper() or w.isdigit()
                                   for w in words)


def _antecedent(text: str, sents: Sequence[tuple[int, int]], k: int, at: int, word: str,
                pool: Sequence[ActorMatch], table: ActorTable, *, undergoes: bool = False
                ) -> ActorMatch | None:
    """Rules 1 and 4 of the module's docstring for a pronoun or possessive at ``at``.

    ``undergoes``: the possessive owns a deed done to its owner ("sought his
    extradition"), which the sentence's first actor, who asks for it, is not.
    """
    ref = references()[word]
    sent = sents[k]
    if word not in _OBJECT:
        subj = _reported_subject(text, sent, at, pool, ref.types, table, word)
        if subj is not False:
            return subj or None
    # Past a reporting verb, a demonym is a modifier ("the central Somali town"),
    # not someone a pronoun stands for.
    pool = [m for m in pool if m.kind != "demonym"]
    if word not in _OBJECT:
        here = [m for m in pool if sent[0] <= m.start and m.end <= at
                and _fits(m, ref.types, table, word)]
        if ref.kind == "possessive":
            # the nearest actor before owns it, or the word is not for any
            # ("Putin and Kim signed their treaty": persons, not the body before)
            near = [m for m in pool if sent[0] <= m.start and m.end <= at]
            if undergoes:
                near = near[1:]
            if word in ("his", "her"):
                # a person's: "Protesters are demanding her resignation" names none
                # here, so she is the one named before
                near = [m for m in near if m in here]
            if near:
                ok = near[-1] in here and _no_nearer_plural(text, near[-1], at, word, pool)
                return near[-1] if ok else None
        elif here:
            # the referent of an earlier pronoun goes on ("they said ... the ship they
            # sank"); else the nearest subject ("after Iran hit what it said"), else the
            # first actor, not a state that owns it ("Yemen's Houthis")
            chain = [m for m in here if m.kind == "coref"]
            subjects = [m for m in here if _IT_SUBJECT.match(text, m.end)][-1:]
            own = [m for m in here if not any(_owner(x, text, (m,), table) for x in pool)]
            ante = (chain or subjects or own or here)[0]
            return ante if _no_nearer_plural(text, ante, at, word, pool) else None
    for back in (1, 2, 3):
        if k - back < 0:
            break
        a, b = sents[k - back]
        found = [m for m in pool if a <= m.start < b and _fits(m, ref.types, table, word)]
        if found:
            ante = found[0] if back == 1 else found[-1]
            return ante if _no_nearer_plural(text, ante, at, word, pool) else None
    return None


def _no_nearer_plural(text: str, ante: ActorMatch, at: int, word: str,
                      pool: Sequence[ActorMatch]) -> bool:
    """Whether no nearer referent stands between a pronoun and its antecedent.

    An unknown acronym ("talks with the ELN, accusing the group") may be what
    it refers to; a plural common noun ("deploy half of them") is what a
    plural pronoun refers to, unless it is the actor's own ("Hezbollah
    fighters launched their offensive").
    """
    for w in _ACRONYM.finditer(text, ante.end, at):
        if not any(m.start <= w.start() < m.end for m in pool):
            return False
    if word not in ("they", "them", "their"):
        return True
    actorish = _actor_nouns()
    for w in _PLURAL_NOUN.finditer(text, ante.end, at):
        if w[0] in _NOT_PLURAL or any(m.start <= w.start() < m.end for m in pool) or (
                w[0] in actorish and any(text[m.end:w.start()] == " " for m in pool)):
            continue
        return False
    return True


@functools.cache
def _actor_nouns() -> frozenset[str]:
    # "Hezbollah fighters launched their offensive": the group's own men
    return frozenset({*force_nouns("actor"), *agent_nouns()})


def resolve_references(text: str, sents: Sequence[tuple[int, int]],
                       matches: Sequence[ActorMatch], *, table: ActorTable) -> list[ActorMatch]:
    """Return ``matches`` with the pronouns and descriptions that stand for one of them.

    Parameters
    ----------
    text : str
    sents : sequence of (int, int)
        Sentence bounds.
    matches : sequence of ActorMatch
        The named actors (table, generic agents, NER), in text order.
    table : ActorTable

    Returns
    -------
    list of ActorMatch
        In text order; each resolved word a match of kind ``coref`` with its
        antecedent's id (a possessed force, "its troops", with the forces' id).
        A generic agent or a demonym inside a resolved phrase ("its fighters",
        "the Palestinian group") is dropped: the phrase is the antecedent's.

    Examples
    --------
    >>> from geokit.events._actors import match_actors
    >>> from geokit.geoparse._recognize import sentence_bounds
    >>> t = ActorTable.default()
    >>> s = "Hamas said it had freed two hostages."
    >>> [(m.text, m.actor_id) for m in resolve_references(
    ...     s, sentence_bounds(s), match_actors(s, table=t), table=t) if m.kind == "coref"]
    [('it', 'org:hamas')]
    """
    pronoun_re, description_re, _, force_re, event_re, state_re, doer_re, undergone_re = (
        _patterns())
    refs = references()
    out = sorted(matches, key=lambda m: m.start)
    out_starts = [m.start for m in out]
    longest = max((m.end - m.start for m in out), default=0)
    # the actors a word may stand for, in text order; each resolved word joins them
    here = [m for m in out if not m.locative]
    keys = [m.start for m in here]
    found = sorted([(r.start(), r.end(), r[0].lower(), False) for r in pronoun_re.finditer(text)]
                   + [(r.start(), r.end(), r[2], True) for r in description_re.finditer(text)]
                   # a counted perpetrator keeps its count outside the actor's span
                   + [(r.start(1), r.end(1), r[1].lower(), True) for r in doer_re.finditer(text)])
    resolved: list[ActorMatch] = []
    starts = [a for a, _ in sents]
    for start, end, word, description in found:
        names = [m for m in out[bisect.bisect_left(out_starts, start - longest):
                                bisect.bisect_left(out_starts, end)] if start < m.end]
        if any(m.kind not in ("agent", "demonym") or not description for m in names) or any(
                start < x.end for x in resolved[-3:]):
            continue  # part of a name ("the Wagner Group"), or already read
        k = bisect.bisect_right(starts, start) - 1
        if k < 0 or start >= sents[k][1]:
            continue
        ref = refs[word]
        # the actors of this sentence and the three before it
        window = here[bisect.bisect_left(keys, starts[max(0, k - 3)]):
                      bisect.bisect_left(keys, start)]
        span_end, role, undergoes = end, None, False
        if description:
            if not _HEAD_END.match(text, end) or (re.match(r"\s+of\b", text[end:]) and not
                                                  _ACCUSE_OF.search(text, max(0, start - 30),
                                                                    start)):
                continue  # "the military government", "the group of 50 nations"
            if re.search(r"\b[A-Z]{2,}\b", text[start:end]):
                continue  # "the rebel CSP alliance": a name we do not know
            if word in _MEN and any(w.lower() in peoples() for w in text[start:end].split()[1:-1]):
                continue  # "the Kurdish fighters" after Islamic State: a people's own men
            if word in force_nouns("actor") and " " in text[start:end].strip().split(" ", 1)[1]:
                continue  # "the Sudanese army" is a name the actor table reads, if it is one
            hi = bisect.bisect_left(keys, start)
            ante = next((m for m in reversed(here[:hi]) if m.end <= start
                         and m.kind != "demonym" and _fits(m, ref.types, table)), None)
            if ante is not None and not _no_nearer_plural(
                    text, ante, start, word, here[bisect.bisect_left(keys, ante.start):hi]):
                continue
            # "the army": the military named before, else the state's
            role = "forces" if word in force_nouns("actor") else None
        else:
            if word == "it" and (_EXPLETIVE.match(text, end) or not _IT_SUBJECT.match(text, end)):
                continue  # "it was unclear whether", "called it a betrayal"
            if ref.kind == "possessive":
                f = force_re.match(text, end) or state_re.match(text, end)
                if f is not None and not _HEAD_END.match(text, f.end()):
                    f = None  # "its military mission": an adjective
                if f is not None:
                    span_end, role = f.end(), "forces" if f.re is force_re else "state"
                elif undergone_re.match(text, end):
                    undergoes = True
                elif not event_re.match(text, end) and word != "her":
                    continue  # "its residents", "their homes": not an actor's
            ante = _antecedent(text, sents, k, start, word, window, table,
                               undergoes=undergoes)
        if ante is None:
            continue
        actor_id = _role_of(ante, role, text, window, table)
        if actor_id is None:
            continue
        new = ActorMatch(start, span_end, text[start:span_end], actor_id, "coref",
                         country=ante.country)
        resolved.append(new)
        at = bisect.bisect_right(keys, start)
        here.insert(at, new)
        keys.insert(at, start)
    # a generic noun or a demonym inside a resolved phrase is the antecedent's
    inside = set()
    for x in resolved:
        i = bisect.bisect_left(out_starts, x.start)
        while i < len(out) and out[i].start < x.end:
            if out[i].end <= x.end and out[i].kind in ("agent", "demonym"):
                inside.add(i)
            i += 1
    return _group_members(text, sorted([m for i, m in enumerate(out) if i not in inside]
                                       + resolved, key=lambda m: m.start), table)


@functools.cache
def _member_words() -> frozenset[str]:
    """Plural armed agents that may be a named group's men: the armed descriptions."""
    return frozenset(w for w, r in references().items() if r.kind == "description"
                     and r.types == {"armed_group"} and agent_nouns().get(w) == "armed_group")


def _owned(text: str, start: int) -> bool:
    """Whether a people or a name stands right before ``start`` ("Kurdish", "Wagner")."""
    before = re.search(r"([\w'’-]+)\s+$", text[max(0, start - 30):start])
    if before is None:
        return False
    word = before[1]
    at = start - len(before[0])  # where the word begins
    first = at == 0 or bool(re.search(r"[.!?\"“]\s*$", text[max(0, at - 5):at]))
    return word.lower() in peoples() or (word[0].isupper() and not first)


def _group_members(text: str, matches: list[ActorMatch], table: ActorTable) -> list[ActorMatch]:
    """Bare "rebels", "fighters", "militants" in a story that names one armed group: its men.

    "M23 rebels took Bukavu ... Rebel fighters patrolled the streets": with one
    armed group named before and none other, the bare plural is that group, as
    event coders code it. A people or a name before the noun ("Kurdish
    militants", "Wagner fighters") is someone's own; two groups named leave it
    generic.
    """
    words = _member_words()
    groups: list[ActorMatch] = []
    out = []
    for m in matches:
        e = table.get(m.actor_id)
        if e is not None and e.type == "armed_group" and not m.locative:
            groups.append(m)
        if m.kind == "agent" and not m.country and m.actor_id.removeprefix("agent:") in words:
            ids = {g.actor_id for g in groups}
            if len(ids) == 1 and not _owned(text, m.start):
                g = groups[-1]
                m = ActorMatch(m.start, m.end, m.text, g.actor_id, "coref", country=g.country)
        out.append(m)
    return out


def counted_people(text: str, matches: Sequence[ActorMatch], *, table: ActorTable
                   ) -> list[ActorMatch]:
    """Return ``matches`` with counted peoples ("400 Palestinians") as generic agents.

    A plural demonym names people, not their state: the victims of "killed 400
    Palestinians" are ``agent:palestinians`` (with the state's country), as
    event coders code them, not the state of Palestine. A people of no state of
    its own counted ("killed 20 Rohingya", ``data/peoples.csv``) is such an
    agent too, of no country.

    Examples
    --------
    >>> from geokit.events._actors import match_actors
    >>> t = ActorTable.default()
    >>> s = "Air strikes killed 400 Palestinians."
    >>> [(m.actor_id, m.country) for m in counted_people(s, match_actors(s, table=t), table=t)]
    [('agent:palestinians', 'PSE')]
    """
    out = []
    for m in matches:
        e = table.get(m.actor_id)
        if m.kind == "demonym" and e is not None and e.country and m.text.endswith("s") and any(
                h[0] == 0 and h[1] == len(m.text) - 1 and (m.actor_id, "demonym") in h[3]
                for h in table.raw_matches(m.text[:-1])):
            m = ActorMatch(m.start, m.end, m.text, agent_id(m.text), "agent",
                           country=e.country)
        out.append(m)
    # "killed 20 Rohingya", "dozens of Masalit", "12 Druze": a people of no state of its
    # own (data/peoples.csv), counted, is those people ("20 Kurdish fighters" is not)
    for r in _counted_peoples().finditer(text):
        a, b = r.span(1)
        after = re.match(r"\s+([a-z]+)", text[b:b + 30])
        if any(m.start < b and a < m.end for m in out) or (
                after is not None and after[1] in agent_nouns()):
            continue  # "20 Rohingya villagers": the villagers, of that people
        out.append(ActorMatch(a, b, text[a:b], agent_id(text[a:b]), "agent"))
    return sorted(out, key=lambda m: m.start)


@functools.cache
def _counted_peoples() -> re.Pattern[str]:
    words = "|".join(sorted((re.escape(w.capitalize()) for w in peoples()), key=len,
                            reverse=True))
    return re.compile(rf"\b{COUNT}\s+((?:{words})(?:s)?)\b")
