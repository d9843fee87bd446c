"""``geokit locate-event``: the event word's place, through the command line."""

from __future__ import annotations

import csv
import io
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


def _records(tmp_path, lines):
    path = tmp_path / "events.jsonl"
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines),
                    encoding="utf-8")
    return path


GOOD = {"id": "a", "text": TEXT, "verb": {"start": 35, "end": 41, "text": "killed"}}
NONE = {"id": "b", "text": "Gunmen killed six farmers on Sunday.", "verb": {"start": 7, "end": 13}}


def test_input_answers_every_record_in_order_with_error_rows(tmp_path):
    path = _records(tmp_path, [
        GOOD,
        {"id": "c", "text": "Troops entered Kherson.", "verb": [40, 45]},  # offsets past the text
        {"id": "d", "text": "Troops entered Kherson."},  # no offsets
        "{not json",
        NONE,
        {"id": "e", "text": "Troops entered Kherson on Friday.", "verb": "7:14"},
        {"id": "f", "text": "Troops entered Kherson.", "verb": {"start": "7"}},
    ])
    out = tmp_path / "located.jsonl"
    res = _run("--input", str(path), "--trigger-field", "verb", "-o", str(out))
    assert res.exit_code == 2
    assert "4 record(s) could not be located" in res.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["a", "c", "d", None, "b", "e", "f"]
    a, c, d, broken, b, e, f = rows
    assert (a["place_text"], a["country"], a["error"]) == ("Mandera", "KEN", None)
    assert b["place_text"] is None and b["error"] is None  # no place is an answer
    assert e["trigger"] == "entered" and e["place_text"] == "Kherson"
    assert (c["error"], d["error"], broken["error"], f["error"]) == (
        "bad_trigger", "missing_trigger", "invalid_json", "bad_trigger")
    assert c["message"].startswith(f"{path}:2: trigger 40..45 is no word")
    assert f"{path}:3" in d["message"] and "'verb'" in d["message"]
    assert "wrote" in res.output and "7 records: 2 placed" in res.output


def test_input_csv_and_geojson_keep_every_record(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("id,text,trigger\nx,\"Gunmen killed six farmers in Mandera.\",7:13\n"
                    "y,\"Gunmen killed six farmers.\",oops\n", encoding="utf-8")
    res = _run("--input", str(path), "--format", "csv")
    assert res.exit_code == 2
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert [(r["id"], r["place_text"], r["error"]) for r in rows] == [
        ("x", "Mandera", ""), ("y", "", "bad_trigger")]
    out = tmp_path / "located.geojson"
    res = _run("--input", str(path), "-o", str(out), "-q")
    assert res.exit_code == 2 and "wrote" not in res.output
    feats = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert [f["properties"]["id"] for f in feats] == ["x", "y"]
    lon, lat = feats[0]["geometry"]["coordinates"]
    assert abs(lat - 3.9) < 0.5 and abs(lon - 41.9) < 0.5
    assert feats[1]["geometry"] is None


def test_input_output_is_atomic_and_all_good_exits_0(tmp_path, monkeypatch):
    path = _records(tmp_path, [GOOD, NONE])
    out = tmp_path / "located.jsonl"
    out.write_text("old\n", encoding="utf-8")
    from geokit.events import _extract

    def boom(*args, **kwargs):
        raise RuntimeError("model crashed")

    monkeypatch.setattr(_extract, "link", boom)
    res = _run("--input", str(path), "--trigger-field", "verb", "-o", str(out))
    assert res.exit_code != 0
    assert out.read_text(encoding="utf-8") == "old\n"  # a failed run leaves the old file whole
    monkeypatch.undo()
    res = _run("--input", str(path), "--trigger-field", "verb", "-o", str(out))
    assert res.exit_code == 0, res.output
    assert [json.loads(x)["id"] for x in out.read_text(encoding="utf-8").splitlines()] == [
        "a", "b"]
    assert "(2 records: 1 placed, 0 named but not in the index, 1 no place, 0 errors)" in (
        res.output)
    res = _run("--input", str(_records(tmp_path, [GOOD])), "--trigger-field", "verb", "-o",
               str(out))
    assert "(1 record: 1 placed," in res.output


@pytest.mark.parametrize(("args", "message"), [
    (["--input", "x.jsonl", "--word", "killed"], "no TEXT, --word, --nth or --span"),
    (["--input", "x.jsonl", "--nth", "2"], "no TEXT, --word, --nth or --span"),
    ([TEXT, "--input", "x.jsonl"], "no TEXT, --word, --nth or --span"),
    ([TEXT, "--word", "killed", "-o", "out.jsonl"], "go with --input"),
    ([TEXT, "--word", "killed", "--trigger-field", "verb"], "go with --input"),
    ([], "give a TEXT"),
])
def test_input_and_text_do_not_mix(args, message):
    res = _run(*args)
    assert res.exit_code == 2 and message in res.output
