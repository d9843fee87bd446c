"""Organisation types as data: what kind of body a name NER reads as an organisation is."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import geokit
from geokit.events import _actors
from geokit.events._actors import ACTOR_TYPES, find_actors, org_type
from geokit.events._lexicon import ORG_TYPE_POSITIONS

_FILE = Path(_actors.__file__).with_name("data") / "org_types.csv"
with _FILE.open(encoding="utf-8", newline="") as _f:
    ROWS = list(csv.DictReader(line for line in _f if not line.startswith("#")))


def test_rows_are_well_formed():
    assert ROWS
    seen = set()
    for r in ROWS:
        assert r["where"] in ORG_TYPE_POSITIONS, r
        assert r["type"] in (*ACTOR_TYPES, "none"), r
        assert r["word"] == r["word"].lower() and (r["where"], r["word"]) not in seen, r
        seen.add((r["where"], r["word"]))


def _named(row, actors):
    # the NER organisation whose name has the row's word where the row says
    word, text = row["word"], row["example"]
    if row["where"] == "after":
        return [a for a in actors if a.source == "ner" and any(
            text[m.end:].split(None, 1)[0].rstrip("s") == word for m in a.mentions)]
    return [a for a in actors if a.source == "ner" and (
        a.name.split()[0].lower() == word if row["where"] == "first"
        else word in a.name.lower().replace("'s", "").split())]


TYPED = [r for r in ROWS if r["type"] != "none"]


@pytest.mark.parametrize("row", TYPED, ids=[r["word"] for r in TYPED])
def test_each_example_types_its_organisation(row):
    found = _named(row, find_actors(row["example"]))
    assert len(found) == 1, (row, found)
    [actor] = found
    want = row["type"] if row["type"] != "military" or actor.country else "armed_group"
    assert actor.type == want, (row, actor)


NONE = [r for r in ROWS if r["type"] == "none"]


@pytest.mark.parametrize("row", NONE, ids=[r["word"] for r in NONE])
def test_each_none_example_is_no_actor(row):
    text = row["example"]
    name = next(w for w in text.split() if w.lower() == row["word"])
    assert all(not a.name.startswith(name) for a in find_actors(text)), row


def test_a_state_force_word_without_a_country_is_an_armed_group():
    assert org_type("the Border Guard", 4, 16, "SDN") == "military"
    assert org_type("the Border Guard", 4, 16) == "armed_group"


def test_a_body_with_no_country_in_the_text_is_the_storys_countrys():
    text = ("Protesters clashed with police in Los Angeles on Sunday. The National Guard "
            "fired tear gas at protesters in downtown Los Angeles.")
    [guard] = [a for a in geokit.extract(text).actors if a.source == "ner"]
    assert (guard.name, guard.type, guard.country) == ("National Guard", "military", "USA")
    # a named army is an armed group's, even in its country's story
    text = ("Fighters of the Arakan Rohingya Salvation Army attacked police posts in Rakhine "
            "and Sittwe on Friday.")
    [army] = [a for a in geokit.extract(text).actors if a.source == "ner"]
    assert (army.name, army.type) == ("Arakan Rohingya Salvation Army", "armed_group")


def test_a_group_noun_after_a_name_ner_calls_a_person_makes_it_a_group():
    text = "The Dan Na Ambassagou militia attacked the village."
    [actor] = find_actors(text)
    assert (actor.id, actor.type) == ("org:dan-na-ambassagou", "armed_group")


def test_an_organisation_no_row_explains_keeps_the_general_type():
    assert org_type("The Naval Group sold frigates", 4, 15) == "ngo_or_think_tank"


def test_a_campaigns_name_is_no_party_to_its_events():
    doc = geokit.extract("India said Operation Sindoor destroyed nine camps in Pakistan.")
    assert all("operation" not in a.id for a in doc.actors)
    assert all("operation" not in x for e in doc.events for x in (*e.source, *e.target))


@pytest.mark.parametrize(("text", "name", "country"), [
    ("The National Guard of Ukraine said it repelled an attack.", "National Guard", "UKR"),
    ("The Supreme Court of Pakistan ordered his release.", "Supreme Court", "PAK"),
])
def test_a_body_of_a_state_is_that_states(text, name, country):
    [body] = [a for a in geokit.extract(text).actors if a.source == "ner"]
    assert (body.name, body.country) == (name, country)


def test_an_aid_groups_word_outranks_a_government_head():
    # without the "any" rows these two would be government bodies of Norway and of no one
    assert org_type("The Norwegian Refugee Council said", 4, 29, "NOR") == "ngo_or_think_tank"
    assert org_type("The Catholic Relief Service said", 4, 27) == "ngo_or_think_tank"
    assert org_type("The Kenya Police Service said", 4, 24, "KEN") == "government"
