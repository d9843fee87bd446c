from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

import geokit
from geokit.cli import main
from geokit.errors import InputError
from geokit.io._writers import read_extract

TEXT = ("Pyongyang announced that it plans to dispatch a military engineering unit to "
        "the Donetsk region next month.")


def test_extract_is_exported():
    assert "extract" in geokit.__all__ and geokit.extract is not None


def test_extract_document_roundtrip(tmp_path):
    doc = geokit.extract(TEXT, id="x", date="2024-06-27", meta={"url": "http://e/1"})
    assert doc.id == "x" and doc.meta["url"] == "http://e/1"
    assert any(t.place and t.place.country == "UKR" for t in doc.toponyms)
    assert {a.id for a in doc.actors} >= {"state:PRK"}
    [e] = [e for e in doc.events if e.category == "MOBILIZE"]
    assert e.id == "x:e1" and e.date == "2024-07" and e.place.country == "UKR"
    gdf = geokit.to_geodataframe(doc, kind="events")
    assert len(gdf) == len([e for e in doc.events if e.place]) and gdf.crs.to_epsg() == 4326


@pytest.mark.parametrize("bad", ["2024/06/27", "2024-13-01", "tomorrow"])
def test_bad_date(bad):
    with pytest.raises(InputError, match="date"):
        geokit.extract(TEXT, date=bad)


def test_not_a_string():
    with pytest.raises(InputError, match="text must be a string"):
        geokit.extract(b"bytes")  # type: ignore[arg-type]


@pytest.fixture
def records(tmp_path):
    p = tmp_path / "in.jsonl"
    p.write_text(json.dumps({"id": "a", "text": TEXT, "date": "2024-06-27"}) + "\n"
                 + json.dumps({"id": "b"}) + "\n" + "{not json\n"
                 + json.dumps({"id": "c", "text": "Iran supplied Russia with drones."}) + "\n",
                 encoding="utf-8")
    return p


def test_cli_json_keeps_good_records_and_reports_bad(records, tmp_path):
    out = tmp_path / "out.json"
    r = CliRunner().invoke(main, ["extract", str(records), "-o", str(out)])
    assert r.exit_code == 2
    assert "in.jsonl:2 (id b): no 'text' field" in r.output
    assert "in.jsonl:3: not valid JSON" in r.output
    data = json.loads(out.read_text())
    assert [d["id"] for d in data["documents"]] == ["a", "c"]
    assert [(e["id"], e["kind"]) for e in data["errors"]] == [("b", "missing_text"),
                                                              (None, "invalid_json")]
    docs = read_extract(out)
    assert docs[1].events[0].category == "AID"


def test_cli_csv_has_acled_columns(records):
    r = CliRunner().invoke(main, ["extract", str(records), "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert rows and list(rows[0]) == list(geokit.io._writers.ACLED_COLUMNS)
    assert {row["plover_category"] for row in rows} >= {"MOBILIZE", "AID"}


def test_cli_geojson_and_plover(records, tmp_path):
    out = tmp_path / "o.geojson"
    CliRunner().invoke(main, ["extract", str(records), "--format", "geojson", "-o", str(out)])
    gj = json.loads(out.read_text())
    assert gj["type"] == "FeatureCollection"
    ev = [f for f in gj["features"] if f["properties"]["layer"] == "event"]
    lon, lat = ev[0]["geometry"]["coordinates"]
    assert 30 < lon < 40 and 45 < lat < 50  # Donetsk region, lon first
    r = CliRunner().invoke(main, ["extract", str(records), "--format", "plover"])
    lines = [json.loads(x) for x in r.stdout.splitlines() if x.startswith("{")]
    assert {x["event"] for x in lines} >= {"MOBILIZE", "AID"}


def test_cli_date_option_anchors_relative_dates(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("North Korea will send troops to Ukraine next month.", encoding="utf-8")
    r = CliRunner().invoke(main, ["extract", str(f), "--date", "2024-06-27"])
    assert r.exit_code == 0, r.output
    ev = json.loads(r.stdout)["documents"][0]["events"]
    assert ev[0]["date"] == "2024-07"
    r = CliRunner().invoke(main, ["extract", str(f), "--date", "June"])
    assert r.exit_code == 2 and "--date: date must be YYYY-MM-DD" in r.output


def test_cli_help():
    r = CliRunner().invoke(main, ["extract", "--help"])
    assert r.exit_code == 0 and "ACLED" in r.output
