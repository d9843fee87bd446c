"""Place slots as data: a capitalised name the index lacks where a place stands is a place's."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

import geokit
from geokit.events import _locate
from geokit.events._events import unknown_places
from geokit.events._lexicon import PLACE_SLOTS, place_slots
from geokit.geoparse import _nlp
from geokit.geoparse._geoparser import geoparse

_FILE = Path(_locate.__file__).with_name("data") / "place_slots.csv"
with _FILE.open(encoding="utf-8", newline="") as _f:
    ROWS = list(csv.DictReader(line for line in _f if not line.startswith("#")))


def _names(text: str, taken: list[tuple[int, int]] | None = None) -> list[tuple[str, str]]:
    [sdoc] = _nlp.parse([text], ner=False)
    return [(t.mention.name, t.mention.source)
            for t in unknown_places(text, 0, sdoc, geoparse(text).toponyms, taken or [])]


SLOT_ROWS = [r for r in ROWS if r["slot"] in ("prep", "object")]
NOT_HEAD_ROWS = [r for r in ROWS if r["slot"] == "not_head"]
NEAR_ROWS = [r for r in ROWS if r["slot"] == "near"]


@pytest.mark.parametrize("row", SLOT_ROWS, ids=[f"{r['slot']}-{r['word']}" for r in SLOT_ROWS])
def test_each_example_reads_the_name_in_the_slot_as_a_place(row):
    text = row["example"]
    # the capitalised words (and "al-" particles) right after the row's word, any form
    # of a verb ("retook", "overran")
    m = re.search(rf"\b{row['word'][:3]}\w* ([A-Z][\w'-]*(?: (?:[A-Z]|al-)[\w'-]*)*)", text)
    assert m, row
    assert (m[1], _locate.PLACE_SLOT_SOURCE) in _names(text), row


@pytest.mark.parametrize("row", NOT_HEAD_ROWS, ids=[r["word"] for r in NOT_HEAD_ROWS])
def test_each_not_head_example_reads_no_place_after_its_preposition(row):
    text = row["example"]
    m = re.search(rf"\b{row['word']}\w* (?:to|of) ([A-Z][\w'-]*(?: [A-Z][\w'-]*)*)", text,
                  re.IGNORECASE)
    assert m, row
    assert all(name != m[1] for name, _ in _names(text)), row
    # the same name after a plain "to" is read: the row's word is what keeps it out
    assert (m[1], _locate.PLACE_SLOT_SOURCE) in _names(f"Reinforcements were sent to {m[1]}.")


@pytest.mark.parametrize("row", NEAR_ROWS, ids=[r["word"] for r in NEAR_ROWS])
def test_each_near_example_places_its_event_at_the_place_named_before(row):
    text = row["example"]
    m = re.search(rf"\b{row['word']} (?:[a-z]+ (?:of )?)?([A-Z][\w'-]*)", text)
    assert m, row
    before = [t for t in geoparse(text).toponyms
              if t.place is not None and t.mention.end <= m.start(1)]
    [ev] = [e for e in geokit.extract(text).events
            if e.place_mention is not None and e.place_mention.start == m.start(1)]
    assert ev.place_mention.source in _locate.UNKNOWN_PLACE_SOURCES
    assert before and ev.place == before[-1].place
    # without the word the name the index lacks borrows nothing
    bare = text[:m.start()] + text[m.start() + len(row["word"]) + 1:]
    [ev] = [e for e in geokit.extract(bare).events
            if e.place_mention is not None and e.place_mention.name.startswith(m[1])]
    assert ev.place is None


def test_slots_are_the_documented_ones():
    assert {r["slot"] for r in ROWS} == set(PLACE_SLOTS)
    assert sum(len(place_slots(s)) for s in PLACE_SLOTS) == len(ROWS)
    with pytest.raises(ValueError, match="slot"):
        place_slots("subject")


@pytest.mark.parametrize("text", [
    "According to Al-Masdar, the troops withdrew.",   # a source, not a place
    "The talks will resume in March.",                 # a month
    "Troops fought in LOC sector.",                    # an acronym
    "He said so in Parliament.",                       # one common word
    "Rebels attacked Tall Kurdi.",                     # "attack" takes actors as objects too
])
def test_a_name_no_place_could_be_is_not_read_in_a_slot(text):
    assert _names(text) == []


def test_to_after_according_is_no_place_but_close_to_is():
    assert _names("According to Minakh, the troops withdrew.") == []
    assert _names("Clashes broke out close to Minakh.") == [("Minakh", _locate.PLACE_SLOT_SOURCE)]


def test_a_known_place_or_an_actor_in_the_slot_is_no_unknown_name():
    assert _names("Police shot a man in Baghdad.") == []
    text = "Police clashed with protesters in Bapunagar."
    at = text.index("Bapunagar")
    assert _names(text) == [("Bapunagar", _locate.PLACE_SLOT_SOURCE)]
    assert _names(text, [(at, at + 9)]) == []


def test_a_place_noun_reading_comes_first():
    # "in Kafr Sousah" is a slot and ", a Shiite neighbourhood" a place noun: the
    # noun says more, and the name is read once
    assert _names("Gunmen shot three men in Kafr Sousah, a Shiite neighbourhood.") == [
        ("Kafr Sousah", _locate.PLACE_NOUN_SOURCE)]


_ORG_FILE = _FILE.with_name("org_heads.csv")
with _ORG_FILE.open(encoding="utf-8", newline="") as _f:
    ORG_ROWS = list(csv.DictReader(line for line in _f if not line.startswith("#")))


@pytest.mark.parametrize("row", ORG_ROWS, ids=[r["word"] for r in ORG_ROWS])
def test_an_organisations_name_in_a_place_slot_is_no_place(row):
    text = row["example"]
    m = re.search(rf"((?:[A-Z0-9][\w'-]*\s)+){row['word'].capitalize()}\b", text)
    assert m, row  # the example has the capitalised name ending in the word
    assert _names(text) == [], row
    # the same name without its organisation word is a place: one the index
    # knows ("the Kano") or one read in the slot ("the Bapunagar")
    bare = text.replace(m[0], m[1].rstrip())
    at = bare.index(m[1].rstrip())
    assert _names(bare) or any(t.mention.start <= at < t.mention.end and t.place is not None
                               for t in geoparse(bare).toponyms), (row, bare)


@pytest.mark.parametrize("text", [
    # no "nearby": the unknown name keeps no place rather than borrow Bukavu's
    "M23 rebels took control of Bukavu on Sunday, days after the rebels seized the "
    "Kavumu airport.",
    # nearby a country is no place of a town's precision
    "M23 rebels advanced in Congo on Sunday, days after the rebels seized the nearby "
    "Kavumu airport.",
])
def test_a_name_the_index_lacks_borrows_no_place_without_nearby_and_a_town(text):
    [ev] = [e for e in geokit.extract(text).events
            if e.place_mention is not None and e.place_mention.name.startswith("Kavumu")]
    assert ev.place is None
