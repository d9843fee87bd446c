"""Every hand-annotated events file in tests/data is well formed (the scorer trusts it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from geokit.eval._events import load_gold

DATA = Path(__file__).resolve().parents[1] / "data"
FILES = sorted(DATA.glob("*.json"))
PLOVER = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
          "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}


def test_the_gold_files_are_found():
    assert {"conflict_events_dev2.json", "conflict_events_heldout2.json"} <= {
        p.name for p in FILES}


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_events_gold_is_well_formed(path):
    docs = load_gold(path)
    assert docs
    seen = set()
    for d in docs:
        assert d["id"] not in seen, d["id"]
        seen.add(d["id"])
        actors = {a["id"] for a in d["actors"]}
        for e in d["events"]:
            cats = e["category"] if isinstance(e["category"], list) else [e["category"]]
            assert cats and set(cats) <= PLOVER, (e["id"], cats)
            assert set(e["source"]) | set(e["target"]) <= actors, e["id"]
            assert e.get("evidence", "") in d["text"], e["id"]
            place = e.get("place")
            if place is not None and place.get("lat") is not None:
                assert -90 <= place["lat"] <= 90 and -180 <= place["lon"] <= 180, e["id"]
