"""Place nouns as data: a name beside "town of" / "cosmodrome" is a place, never an NER actor."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

import geokit
from geokit.events import _actors
from geokit.events._lexicon import PLACE_NOUN_POSITIONS, place_nouns

_FILE = Path(_actors.__file__).with_name("data") / "place_nouns.csv"
with _FILE.open(encoding="utf-8", newline="") as _f:
    ROWS = list(csv.DictReader(line for line in _f if not line.startswith("#")))
_NAME = r"[A-Z][\w'-]*(?: [A-Z][\w'-]*)*"


def _name_span(row: dict[str, str]) -> tuple[int, int]:
    """The capitalised name the row's noun qualifies in its example."""
    text, noun = row["example"], re.escape(row["noun"])
    # a noun after the name may be capitalised as part of it ("the Sambisa Forest")
    pat = rf"\b{noun}s? of ({_NAME})" if row["position"] == "before" else (
        rf"({_NAME}) (?i:{noun})s?\b")
    m = re.search(pat, text)
    assert m, row
    return m.span(1)


@pytest.mark.parametrize("row", ROWS, ids=[r["noun"] for r in ROWS])
def test_ner_person_or_org_beside_a_place_noun_is_dropped(row):
    text = row["example"]
    s, e = _name_span(row)
    for label in ("PERSON", "ORG"):
        assert _actors._ner_matches([(s, e, label)], text, [], []) == [], (row, label)
        # the same name in the same sentence without its noun: an actor
        bare = f"Officials said {text[s:e]} was right."
        at = bare.index(text[s:e])
        assert _actors._ner_matches([(at, at + e - s, label)], bare, [], []), (row, label)


@pytest.mark.parametrize("row", ROWS, ids=[r["noun"] for r in ROWS])
def test_each_example_gives_no_actor_of_its_place_name(row):
    s, e = _name_span(row)
    doc = geokit.extract(row["example"])
    spans = [(m.start, m.end) for a in doc.actors for m in a.mentions]
    assert not any(a < e and s < b for a, b in spans), (row, doc.actors)


def test_a_name_ending_in_a_capitalised_place_noun_is_no_ner_actor():
    text = "Soldiers raided camps in the Sambisa Forest on Monday."
    s = text.index("Sambisa")
    e = s + len("Sambisa Forest")
    for label in ("PERSON", "ORG"):
        assert _actors._ner_matches([(s, e, label)], text, [], []) == [], label
    # a name that only contains the noun is read as NER says
    other = "Officials said the Forest Guild Alliance was right."
    s = other.index("Forest")
    assert _actors._ner_matches([(s, s + len("Forest Guild Alliance"), "ORG")], other, [], [])


def test_positions_are_the_documented_ones():
    assert {r["position"] for r in ROWS} == set(PLACE_NOUN_POSITIONS)
    assert sum(len(place_nouns(p)) for p in PLACE_NOUN_POSITIONS) == len(ROWS)
    with pytest.raises(ValueError, match="position"):
        place_nouns("inside")


def test_a_person_name_continuing_a_known_person_is_not_a_second_actor():
    doc = geokit.extract("North Korean leader Kim Jong Un met Russian President Vladimir "
                         "Putin at the Vostochny cosmodrome on Wednesday.")
    ids = {a.id for a in doc.actors}
    assert "person:kim-jong-un" in ids
    assert not any(i.startswith("person:") and i.endswith("jong-un") and i != "person:kim-jong-un"
                   for i in ids), ids
    assert not any("vostochny" in i for i in ids), ids

