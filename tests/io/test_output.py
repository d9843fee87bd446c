"""Output format from the file suffix, ``--format`` to override, ``-`` for stdout."""

from __future__ import annotations

import io
import json
import sys

import geopandas as gpd
import pyogrio
import pytest
from click.testing import CliRunner

from geokit.cli import main
from geokit.errors import ConfigurationError
from geokit.io._output import format_for_output, output_stream, write_geodata
from geokit.io._writers import read_extract

TEXT = ("North Korea sent troops to Kursk in October 2024, Ukrainian officials said. "
        "Russian forces shelled Kharkiv on 3 November 2024, killing 12.")


@pytest.fixture(scope="module")
def article(tmp_path_factory):
    p = tmp_path_factory.mktemp("in") / "a.txt"
    p.write_text(TEXT, encoding="utf-8")
    return p


@pytest.mark.parametrize(("path", "fmt", "expected"), [
    ("out.geojson", None, "geojson"), ("out.GPKG", None, "gpkg"), ("out.fgb", None, "fgb"),
    ("out.parquet", None, "parquet"), ("out.csv", None, "csv"), ("out.jsonl", None, "jsonl"),
    ("out.json", None, "json"), ("out.gpkg", "csv", "csv"), ("-", None, "json"),
    (None, None, "json"), ("out.data", None, "json"),
])
def test_format_for_output(path, fmt, expected):
    choices = ["json", "jsonl", "geojson", "gpkg", "fgb", "parquet", "csv"]
    assert format_for_output(path, fmt, choices=choices, default="json") == expected


def test_a_suffix_the_command_cannot_write_names_the_file():
    with pytest.raises(ConfigurationError, match=r"out\.gpkg: this command cannot write gpkg"):
        format_for_output("out.gpkg", None, choices=["json", "csv"], default="json")


def test_output_stream_dash_is_stdout(monkeypatch, tmp_path):
    buf = io.StringIO()
    monkeypatch.setattr(sys, "stdout", buf)
    monkeypatch.chdir(tmp_path)
    with output_stream("-") as f:
        f.write("hello\n")
    assert buf.getvalue() == "hello\n"
    assert not (tmp_path / "-").exists()


def test_extract_gpkg_has_places_and_events_layers(article, tmp_path):
    out = tmp_path / "out.gpkg"
    r = CliRunner().invoke(main, ["extract", str(article), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert out.read_bytes()[:16] == b"SQLite format 3\x00"  # a GeoPackage, not GeoJSON text
    assert {name for name, _ in pyogrio.list_layers(out)} == {"places", "events"}
    places = gpd.read_file(out, layer="places")
    assert {"Kursk", "Kharkiv"} <= set(places["name"])
    assert places.crs.to_epsg() == 4326
    events = gpd.read_file(out, layer="events")
    kharkiv = events[events["place_name"] == "Kharkiv"]
    assert len(kharkiv) == 1
    assert kharkiv.geometry.iloc[0].y == pytest.approx(50.0, abs=0.2)  # lat, not lon
    assert [p.name for p in tmp_path.iterdir()] == ["out.gpkg"]  # no temp file left


@pytest.mark.parametrize("suffix", [".fgb", ".parquet"])
def test_extract_single_table_formats_stack_layers(article, tmp_path, suffix):
    out = tmp_path / f"out{suffix}"
    r = CliRunner().invoke(main, ["extract", str(article), "-o", str(out)])
    assert r.exit_code == 0, r.output
    frame = gpd.read_parquet(out) if suffix == ".parquet" else gpd.read_file(out)
    assert set(frame["layer"]) == {"places", "events"}
    assert "Kharkiv" in set(frame["place_name"])


def test_extract_geojson_and_jsonl_by_suffix(article, tmp_path):
    gj, jl = tmp_path / "o.geojson", tmp_path / "o.jsonl"
    for out in (gj, jl):
        assert CliRunner().invoke(main, ["extract", str(article), "-o", str(out)]).exit_code == 0
    assert json.loads(gj.read_text())["type"] == "FeatureCollection"
    (doc,) = read_extract(jl)
    assert doc.id == "a" and any(e.place and e.place.name == "Kharkiv" for e in doc.events)


def test_format_overrides_the_suffix(article, tmp_path):
    out = tmp_path / "o.gpkg"
    r = CliRunner().invoke(main, ["extract", str(article), "-o", str(out), "--format", "csv"])
    assert r.exit_code == 0, r.output
    assert out.read_text().startswith("event_id,event_date,")


def test_extract_dash_writes_stdout_not_a_file(article, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, ["extract", str(article), "-o", "-", "--format", "geojson"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["type"] == "FeatureCollection"
    assert not (tmp_path / "-").exists()


def test_extract_gpkg_to_stdout_is_the_file_bytes(article, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, ["extract", str(article), "-o", "-", "--format", "gpkg"])
    assert r.exit_code == 0, r.output
    assert r.stdout_bytes[:16] == b"SQLite format 3\x00"
    out = tmp_path / "copy.gpkg"
    out.write_bytes(r.stdout_bytes)
    assert {name for name, _ in pyogrio.list_layers(out)} == {"places", "events"}
    assert not (tmp_path / "-").exists()


def test_geoparse_outputs(article, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "p.gpkg"
    r = CliRunner().invoke(main, ["geoparse", str(article), "-o", str(out)])
    assert r.exit_code == 0, r.output
    places = gpd.read_file(out, layer="places")
    assert {"Kursk", "Kharkiv"} <= set(places["name"])
    r = CliRunner().invoke(main, ["geoparse", str(article), "-o", "-", "--format", "csv"])
    assert r.exit_code == 0 and r.stdout.startswith("id,start,end,name")
    assert not (tmp_path / "-").exists()


def test_write_geodata_rejects_unknown_format(tmp_path):
    with pytest.raises(ConfigurationError, match="unknown geodata format 'shp'"):
        write_geodata(tmp_path / "x.shp", {}, fmt="shp")
