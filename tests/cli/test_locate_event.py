"""``geokit locate-event``: the event word's place, through the command line."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from geokit.cli import main

TEXT = "NAIROBI, June 2 (Reuters) - Gunmen killed six farmers in Mandera on Sunday."


def _run(*args: str) -> object:
    return CliRunner().invoke(main, ["locate-event", *args])


def test_a_word_gets_its_place_with_coordinates():
    res = _run(TEXT, "--word", "killed", "--format", "json")
    assert res.exit_code == 0, res.output
    [row] = json.loads(res.output)
    assert (row["trigger"], row["start"], row["end"]) == ("killed", 35, 41)
    assert row["place_text"] == "Mandera" and row["country"] == "KEN"
    assert TEXT[row["place_start"]:row["place_end"]] == "Mandera"
    assert abs(row["lat"] - 3.9) < 0.5 and abs(row["lon"] - 41.9) < 0.5


def test_offsets_and_the_nth_word_say_which_event():
    text = "Gunmen killed two in Mandera. Later soldiers killed three, officials in Nairobi said."
    first = json.loads(_run(text, "--word", "killed", "--format", "json").output)[0]
    second = json.loads(_run(text, "--word", "killed", "--nth", "2", "--format", "json").output)[0]
    assert first["place_text"] == "Mandera"
    assert second["start"] == text.index("killed", 10)
    assert second["place_text"] != "Mandera"
    at = text.index("killed")
    by_span = json.loads(_run(text, "--span", f"{at}:{at + 6}", "--format", "json").output)[0]
    assert by_span == first


def test_no_place_is_an_answer_with_empty_place_columns():
    text = "NAIROBI, June 2 (Reuters) - Gunmen killed six farmers on Sunday."
    res = _run(text, "--word", "killed", "--format", "csv")
    assert res.exit_code == 0, res.output
    header, row = res.output.splitlines()
    assert header.startswith("trigger,start,end,place_text")
    assert row.startswith("killed,35,41,,,,")
    geo = json.loads(_run(text, "--word", "killed", "--format", "geojson").output)
    assert geo == {"type": "FeatureCollection", "features": []}


def test_geojson_is_lon_lat():
    geo = json.loads(_run(TEXT, "--word", "killed", "--format", "geojson").output)
    [feat] = geo["features"]
    lon, lat = feat["geometry"]["coordinates"]
    assert abs(lat - 3.9) < 0.5 and abs(lon - 41.9) < 0.5
    assert feat["properties"]["place_text"] == "Mandera"


@pytest.mark.parametrize(("args", "message"), [
    (["--word", "shot"], "0 occurrence(s)"),
    (["--word", "killed", "--nth", "2"], "asked for number 2"),
    (["--span", "35-41"], "expected START:END"),
    (["--span", "500:506"], "no word of the text"),
    (["--span", "0:7"], "dateline"),
    ([], "--word"),
    (["--word", "killed", "--span", "35:41"], "not both"),
])
def test_bad_input_is_one_line_and_exit_2(args, message):
    res = _run(TEXT, *args)
    assert res.exit_code == 2
    assert message in res.output and res.output.count("geokit: error:") == 1
