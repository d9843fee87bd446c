"""ACLED-compatible CSV: event types, dates, place precision, fatalities, pandas."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import geokit
from geokit.cli import main
from geokit.io._acled import (
    _read_table,
    acled_date,
    acled_event_type,
    acled_geo_precision,
    fatalities,
    fatality_patterns,
)
from geokit.io._writers import ACLED_COLUMNS, events_to_rows
from geokit.models import Place

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
EVENT_TYPE_ROWS = _read_table("acled_event_types.csv")
ACLED_EVENT_TYPES = {  # ACLED Codebook: the six event types and their sub-event types
    "Battles": {"Armed clash", "Government regains territory",
                "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {"Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack",
                                   "Remote explosive/landmine/IED", "Grenade"},
    "Violence against civilians": {"Sexual violence", "Attack",
                                   "Abduction/forced disappearance"},
    "Protests": {"Peaceful protest", "Protest with intervention",
                 "Excessive force against protesters"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {"Agreement", "Arrests", "Change to group/activity",
                               "Disrupted weapons use", "Headquarters or base established",
                               "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"},
}


@pytest.mark.parametrize("row", EVENT_TYPE_ROWS,
                         ids=[f"{r['category']}-{r['subtype'] or 'any'}" for r in EVENT_TYPE_ROWS])
def test_event_type_table_examples(row):
    if row["event_type"]:
        assert row["sub_event_type"] in ACLED_EVENT_TYPES[row["event_type"]]
    doc = geokit.extract(row["example"], date="2024-06-01")
    wanted = [e for e in doc.events if e.category == row["category"]
              and (e.subtype == row["subtype"] if row["subtype"] else True)]
    assert wanted, [(e.category, e.subtype) for e in doc.events]
    got = [(r["event_type"] or "", r["sub_event_type"] or "") for r in events_to_rows(doc)
           if r["event_id"] == wanted[0].id]
    assert got == [(row["event_type"], row["sub_event_type"])]


def test_event_type_table_has_every_category_once_as_fallback():
    from geokit.events._events import CATEGORIES

    fallbacks = [r["category"] for r in EVENT_TYPE_ROWS if not r["subtype"]]
    assert sorted(fallbacks) == sorted(CATEGORIES)
    assert acled_event_type("ASSAULT", "no_such_subtype") == ("Battles", "Armed clash")
    assert acled_event_type("ACCUSE", None) == (None, None)


@pytest.mark.parametrize("pattern", fatality_patterns(), ids=lambda p: p[0])
def test_fatality_pattern_examples(pattern):
    name, regex, example, expected = pattern
    assert regex.search(example), name
    assert fatalities(example) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Israeli air strikes killed more than 400 Palestinians across the Gaza Strip.", 400),
    ("killing at least 1,000 people, most of them civilians", 1000),
    ("Clashes have killed twenty-five people.", 25),
    ("A blast killed a dozen soldiers.", 12),
    ("Hundreds were killed in the fighting.", None),
    ("The strike killed a Hezbollah official and three other people.", None),
    ("The army said it killed on 12 June a commander.", None),
    ("Two people were wounded.", None),
])
def test_fatalities(text, expected):
    assert fatalities(text) == expected


@pytest.mark.parametrize(("date", "date_text", "expected"), [
    ("2024-03-04", "on Monday", ("2024-03-04", 1)),
    ("2024-03-04", "last week", ("2024-03-04", 2)),
    ("2024-03", None, ("2024-03-15", 3)),
    ("2023", "in 2023", ("2023-07-01", 3)),
    (None, None, (None, None)),
    ("March 2024", None, (None, None)),
])
def test_acled_date(date, date_text, expected):
    assert acled_date(date, date_text) == expected


@pytest.mark.parametrize(("feature", "expected"), [
    ("city", 1), ("capital", 1), ("admin2", 2), ("admin1", 3), ("country", 3), ("region", 3),
])
def test_geo_precision_is_acleds(feature, expected):
    # ACLED: 1 the town itself, 2 part of a region, 3 a region or larger (issue 13: Duhok was 3).
    assert acled_geo_precision(Place(name="x", lat=0, lon=0, feature=feature)) == expected
    assert acled_geo_precision(None) is None


def _read_like_acled(path):
    # How ACLED's own exports are read.
    return pd.read_csv(path, parse_dates=["event_date"])


@pytest.mark.slow
def test_seeds_csv_reads_with_pandas_as_acled(tmp_path):
    out = tmp_path / "seeds.csv"
    r = CliRunner().invoke(main, ["extract", str(SEEDS), "-o", str(out)])
    assert r.exit_code == 0, r.output
    frame = _read_like_acled(out)
    assert list(frame.columns) == list(ACLED_COLUMNS)
    assert len(frame) > 5
    assert pd.api.types.is_datetime64_any_dtype(frame["event_date"])
    assert set(frame["time_precision"].dropna()) <= {1, 2, 3}
    assert set(frame["geo_precision"].dropna()) <= {1, 2, 3}
    assert frame["event_type"].dropna().isin(ACLED_EVENT_TYPES).all()


@pytest.mark.slow
def test_conflict_paragraphs_csv_reads_with_pandas_and_counts_the_dead(tmp_path):
    gold = json.loads((ROOT / "tests" / "data" / "conflict_events_dev.json").read_text("utf-8"))
    folder = tmp_path / "texts"
    folder.mkdir()
    for d in gold["documents"]:
        (folder / f"{d['id']}.txt").write_text(d["text"], encoding="utf-8")
    out = tmp_path / "conflict.csv"
    r = CliRunner().invoke(main, ["extract", str(folder), "--date", "2024-01-01", "-o", str(out)])
    assert r.exit_code == 0, r.output
    frame = _read_like_acled(out)
    assert pd.api.types.is_datetime64_any_dtype(frame["event_date"])
    assert frame["event_date"].notna().sum() > 20
    # the tolls the texts state reach the fatalities column, as whole numbers
    dead = frame["fatalities"].dropna()
    assert len(dead) >= 10 and (dead == dead.round()).all() and dead.min() >= 1
    assert {"Battles", "Explosions/Remote violence"} & set(frame["event_type"].dropna())
    kramatorsk = frame[frame["notes"].str.contains("Kramatorsk killed at least 11", na=False,
                                                   regex=False)]
    assert list(kramatorsk["fatalities"].dropna()) and kramatorsk["fatalities"].max() == 11


def test_data_files_have_no_duplicate_keys():
    keys = [(r["category"], r["subtype"]) for r in EVENT_TYPE_ROWS]
    assert len(keys) == len(set(keys))
    names = [p[0] for p in fatality_patterns()]
    assert len(names) == len(set(names)) and all(re.fullmatch(r"[a-z_]+", n) for n in names)
