"""Claims and denials as data: what a party says of the attack reported before it."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from geokit.events import _lexicon
from geokit.events._extract import extract

_FILE = Path(_lexicon.__file__).with_name("data") / "attributions.csv"
with _FILE.open(encoding="utf-8", newline="") as _f:
    ROWS = list(csv.DictReader(line for line in _f if not line.startswith("#")))


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['lemma']}-{r['object'][:20]}" for r in ROWS])
def test_each_example_attributes_the_attack_before_it(row):
    doc = extract(row["example"])
    attacks = [e for e in doc.events if e.category == "ASSAULT"]
    first = row["example"].split(". ")[0]
    if row["role"] == "claim":
        # one attack, its perpetrators joined by the claimant
        [e] = attacks
        assert e.status == "happened" and first in e.evidence.text
        assert any(a.id in e.source for a in doc.actors if a.id.startswith("org:"))
    else:
        # the attack, and again with the denying party, denied
        [done, denied] = attacks
        assert done.status == "happened" and denied.status == "denied"
        assert denied.place == done.place and denied.target == done.target
        assert set(denied.source).isdisjoint(done.source) and denied.source
        assert row["example"].split(". ")[1] in denied.evidence.text


def test_the_rows_are_read_as_written():
    assert len(_lexicon.attributions()) == len(ROWS)
    assert {a.role for a in _lexicon.attributions()} == set(_lexicon.ATTRIBUTION_ROLES)


def test_a_claim_not_made_attributes_nothing():
    doc = extract("A truck bomb exploded at a junction in Mogadishu on Saturday, killing 276 "
                  "people. The president blamed al Shabaab, which has not claimed responsibility.")
    [e] = [e for e in doc.events if e.category == "ASSAULT"]
    assert e.source == ()


def test_a_group_claims_its_attack_not_the_armys_reply():
    doc = extract("Hundreds of jihadist fighters attacked a camp in Djibo on Sunday, killing 40 "
                  "civilians. The army said it repelled the assault and killed 400 attackers. "
                  "The al Qaeda-linked JNIM claimed responsibility.")
    by_army = [e for e in doc.events if "mil:BFA" in e.source]
    assert by_army and not any("org:jnim" in e.source for e in by_army)
    assert any("org:jnim" in e.source and "agent:jihadists" in e.source for e in doc.events)


def test_an_attribution_with_no_attack_before_it_is_no_event():
    doc = extract("The Pakistani Taliban denied involvement on Monday.")
    assert [e for e in doc.events if e.category == "ASSAULT"] == []


def test_a_denial_in_a_relative_clause_is_the_groups_and_of_the_main_deed():
    # "which" stands for the group (past an apposition); the denied deed is the
    # killing, not the participle ("setting huts ablaze") that ends its sentence
    doc = extract("Gunmen killed at least 134 villagers in Ogossagou on Saturday, shooting "
                  "residents and setting huts ablaze. Community leaders blamed the Dan Na "
                  "Ambassagou militia, a Dogon hunters' group, which denied involvement.")
    [e] = [e for e in doc.events if e.status == "denied"]
    assert (e.category, e.source) == ("ASSAULT", ("org:dan-na-ambassagou",))
    assert "agent:villagers" in e.target and e.subtype != "arson"
    # NER's PERSON "Dan Na Ambassagou militia" is a group, named without the noun
    a = next(a for a in doc.actors if a.id == "org:dan-na-ambassagou")
    assert a.name == "Dan Na Ambassagou"
