"""The generic-agent matcher: a trie regex that finds what a longest-first alternation finds."""

from __future__ import annotations

import re

import pytest

from geokit.events._actors import (
    ActorTable,
    _agent_pattern,
    _trie_regex,
    match_actors,
    with_agents,
)
from geokit.events._lexicon import agent_nouns, not_agents


def _alternation(words):
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


WORDS = ["ab", "abc", "abcd", "b", "ba", "x-y", "x", "a'b c", "c.d"]


@pytest.mark.parametrize("text", [
    "ab abc abcd abcde b ba bab x-y x-yz x- xy a'b c a'b cd c.d cxd",
    "AB Abc aBcD, (ba)b; x-Y: A'B C.",
    "abcab ab-c abc-d abcd.ab",
])
def test_trie_matches_like_longest_first_alternation(text):
    trie = re.compile(rf"\b(?:{_trie_regex(WORDS)})\b", re.I)
    plain = re.compile(rf"\b(?:{_alternation(WORDS)})\b", re.I)
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_agent_pattern_matches_every_noun_like_the_alternation():
    nouns = sorted(agent_nouns())
    # Each noun alone, capitalised, inside a longer word, and followed by
    # another noun: the trie must stop, extend and fail where the alternation does.
    text = " ".join(f"{n}. {n.title()} x{n} {n}s {n} {nouns[k - 1]}" for k, n in enumerate(nouns))
    # the pattern also holds the thing-phrases it reads whole ("passenger train")
    plain = re.compile(rf"\b(?:{_alternation([*nouns, *not_agents()])})\b", re.I)
    found = [m.span() for m in _agent_pattern().finditer(text)]
    assert found == [m.span() for m in plain.finditer(text)]
    assert len(found) >= 3 * len(nouns)


def test_with_agents_finds_generic_agents():
    text = "Gunmen attacked a village and Nigerian police arrested three protesters."
    table = ActorTable.default()
    found = {m.text: m for m in with_agents(text, match_actors(text, table=table), table)}
    assert {"Gunmen", "police", "protesters"} <= set(found)
    assert (found["police"].actor_id, found["police"].country) == ("agent:police", "NGA")


@pytest.mark.parametrize(("text", "ids"), [
    ("Militants hijacked a passenger train carrying 440 passengers.",
     ["agent:militants", "agent:passengers"]),
    ("The hostage deal freed 33 hostages.", ["agent:hostages"]),
])
def test_a_phrase_that_names_a_thing_gives_no_agent(text, ids):
    from geokit.events._actors import ActorTable, with_agents  # noqa: PLC0415

    assert [m.actor_id for m in with_agents(text, [], ActorTable.default())] == ids


@pytest.mark.parametrize(("text", "ids"), [
    # a day or a month before the noun is no name it belongs to
    ("On Sunday demonstrators blocked the freeway.", ["agent:protesters"]),
    ("In March gunmen attacked the village.", ["agent:gunmen"]),
    # a capitalised word the table does not know is: "Boko Haram fighters" are Boko Haram's
    ("On Sunday Zogo fighters attacked the village.", []),
])
def test_a_capitalised_word_before_an_agent_noun(text, ids):
    from geokit.events._actors import ActorTable, with_agents  # noqa: PLC0415

    assert [m.actor_id for m in with_agents(text, [], ActorTable.default())] == ids
