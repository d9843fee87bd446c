"""The error boundary: the hardening probe's reproducers (issue 15, part A) as regression tests.

Each bad input ends in one ``geokit: error: ...`` line naming the input and a
documented exit code (2 bad input, 3 output cannot be written), never a
traceback; surrogates are replaced with a warning; the gazetteer cache is
never poisoned or silently replaced.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
import warnings

import pytest
from click.testing import CliRunner

from geokit.cli import main
from geokit.cli._common import EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OUTPUT, handle_errors
from geokit.errors import ConfigurationError, GazetteerError, InputError, OutputError

SEED = "seeds/000_3896d2b5254b85c7.txt"


def _run(args, **kwargs):
    result = CliRunner().invoke(main, args, **kwargs)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def _errors(result) -> list[str]:
    return [ln for ln in result.output.splitlines() if ln.startswith("geokit: error:")]


def test_eval_with_a_null_toponym_names_the_line(tmp_path):
    gold = tmp_path / "g.jsonl"
    gold.write_text('{"id":"g","text":"Kyiv.","toponyms":[null]}\n')
    result = _run(["eval", str(gold)])
    assert result.exit_code == EXIT_BAD_INPUT
    assert _errors(result) == [f"geokit: error: {gold}:1: toponyms[0] must be an object, got null"]


def test_gazetteer_add_with_a_word_for_population_names_file_and_line(tmp_path):
    places = tmp_path / "p.csv"
    places.write_text("name,lat,lon,population\nX,1,2,many\n")
    result = _run(["gazetteer", "add", str(places)])
    assert result.exit_code == EXIT_BAD_INPUT
    assert _errors(result) == [
        f"geokit: error: {places}:2: population must be a number, got 'many'"]


def test_map_of_a_deeply_nested_json_is_bad_input(tmp_path):
    deep = tmp_path / "d.json"
    deep.write_text("[" * 100000 + "]" * 100000)
    result = _run(["map", str(deep), "-o", str(tmp_path / "m.html")])
    assert result.exit_code == EXIT_BAD_INPUT
    assert _errors(result) == [f"geokit: error: {deep}: JSON nested too deeply to read"]
    assert not (tmp_path / "m.html").exists()


@pytest.mark.usefixtures("gazetteer")
def test_an_output_that_is_a_directory_is_exit_3_naming_it(tmp_path):
    result = _run(["geoparse", SEED, "-o", str(tmp_path), "--ner", "off"])
    assert result.exit_code == EXIT_OUTPUT
    assert _errors(result) == [f"geokit: error: cannot write output: {tmp_path}: Is a directory"]
    assert list(tmp_path.iterdir()) == []  # no temp file left behind


@pytest.mark.usefixtures("gazetteer")
def test_an_output_under_a_file_is_exit_3_naming_it(tmp_path):
    (tmp_path / "f").write_text("")
    out = tmp_path / "f" / "x.jsonl"
    result = _run(["geoparse", SEED, "-o", str(out), "--ner", "off"])
    assert result.exit_code == EXIT_OUTPUT
    assert _errors(result) == [
        f"geokit: error: cannot write output: {out}: a file is in the way of the output folder"]


@pytest.mark.usefixtures("gazetteer")
def test_one_bad_gold_span_is_one_error_row_with_its_id(tmp_path):
    gold = tmp_path / "g.jsonl"
    gold.write_text('{"id":"a","text":"Kyiv","toponyms":[]}\n'
                    '{"id":"b","text":"Kyiv","toponyms":[{"start":0,"end":99}]}\n')
    result = _run(["geoparse", str(gold), "--gold-spans", "--ner", "off"])
    assert result.exit_code == EXIT_BAD_INPUT
    assert _errors(result) == [f"geokit: error: {gold}:2 (id b): toponyms[0] span (0, 99) is "
                               "outside the text of 4 characters"]
    rows = [json.loads(ln) for ln in result.output.splitlines() if ln.startswith("{")]
    assert [r["id"] for r in rows] == ["a", "b"] and rows[0]["toponyms"] == []


@pytest.mark.usefixtures("gazetteer")
def test_a_lone_surrogate_in_an_id_is_replaced_with_a_warning(tmp_path):
    src = tmp_path / "s.jsonl"
    src.write_text('{"id":"a\\udcff","text":"Troops entered Paris.","title":"t\\udcff"}\n')
    result = _run(["geoparse", str(src), "-o", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 0
    assert f"geokit: warning: {src}:1: replaced 1 lone surrogate(s) with U+FFFD" in result.output
    row = json.loads((tmp_path / "o.jsonl").read_text("utf-8"))
    assert row["id"] == "a\ufffd"
    assert row["toponyms"][0]["name"] == "Paris"


def test_iter_records_replaces_surrogates_in_every_field():
    from geokit.io._readers import iter_records

    with pytest.warns(UnicodeWarning):
        (rec,) = iter_records([{"id": "a\udcff", "text": "x\ud800", "date": "2022\udcff",
                                "url": ["u\udcff"], "k\udcff": 1}])
    assert (rec.id, rec.text, rec.date) == ("a\ufffd", "x\ufffd", "2022\ufffd")
    assert rec.meta == {"url": ["u\ufffd"], "k\ufffd": 1}


def test_an_unexpected_error_is_one_line_and_exit_70(capsys):
    @handle_errors
    def broken():
        raise KeyError("boom")

    with pytest.raises(SystemExit) as info:
        broken()
    assert info.value.code == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert err.startswith("geokit: error: internal error (KeyError: 'boom')")
    assert err.count("\n") == 1


def test_an_os_error_while_writing_is_exit_3(capsys):
    @handle_errors
    def full():
        raise OSError(28, "No space left on device", "/data/out.jsonl")

    with pytest.raises(SystemExit) as info:
        full()
    assert info.value.code == EXIT_OUTPUT
    assert capsys.readouterr().err == (
        "geokit: error: cannot write output: /data/out.jsonl: No space left on device\n")
    assert issubclass(OutputError, OSError)


# --------------------------------------------------------------------------- gazetteer cache


def test_gazetteer_env_pointing_at_a_plain_file_is_refused_not_replaced(tmp_path, monkeypatch):
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes")
    monkeypatch.setenv("GEOKIT_GAZETTEER", str(notes))
    result = _run(["resolve", "Kyiv"])
    assert result.exit_code == EXIT_BAD_INPUT
    assert _errors(result) == [
        f"geokit: error: {notes} is not a gazetteer index (not an SQLite file); geokit will not "
        "replace it: move it or point GEOKIT_GAZETTEER elsewhere"]
    assert notes.read_text() == "my notes"


def test_an_sqlite_file_that_is_no_index_is_refused(tmp_path):
    from geokit.gazetteer._index import Gazetteer

    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    with pytest.raises(GazetteerError, match="an SQLite database but not a gazetteer index"):
        Gazetteer(other)
    assert other.stat().st_size > 0


def _small_index(path, rows=3000):
    con = sqlite3.connect(path)
    con.executescript("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                      "CREATE TABLE place (id INTEGER PRIMARY KEY, raw TEXT);"
                      "CREATE TABLE name (norm TEXT, place_id INTEGER);")
    con.executemany("INSERT INTO place VALUES (?, ?)", [(i, "x" * 200) for i in range(rows)])
    con.execute("CREATE INDEX place_raw ON place (raw, id)")
    con.execute("""INSERT INTO meta VALUES ('version', '"test"')""")
    con.commit()
    con.close()


def test_damage_in_the_middle_of_the_index_is_detected_at_open(tmp_path):
    from geokit.gazetteer._index import Gazetteer, _integrity_ok

    index = tmp_path / "idx.sqlite"
    _small_index(index)
    assert _integrity_ok(index)
    assert Gazetteer(index, auto_build=False).info()["version"] == "test"
    size = index.stat().st_size
    with index.open("r+b") as fh:
        fh.seek(size // 2)
        fh.write(b"\x07" * 8192)
    assert not _integrity_ok(index)
    with pytest.raises(GazetteerError, match="a damaged gazetteer index at .*build --force"):
        Gazetteer(index, auto_build=False)


def test_stale_temp_files_of_killed_builds_are_removed(tmp_path):
    from geokit.gazetteer._build import remove_stale_temps

    old = tmp_path / ".gazetteer-x.sqlite.abc123.sqlite"
    new = tmp_path / ".gazetteer-x.sqlite.def456.sqlite"
    old.write_bytes(b"\0" * 10)
    new.write_bytes(b"\0" * 10)
    hours_ago = time.time() - 2 * 3600
    os.utime(old, (hours_ago, hours_ago))
    assert remove_stale_temps(tmp_path, ".gazetteer-x.sqlite.*.sqlite") == 1
    assert not old.exists() and new.exists()  # a build running now keeps its file


def test_add_puts_back_the_cache_when_the_build_fails(tmp_path, monkeypatch):
    from geokit.gazetteer._index import Gazetteer, user_places_dir

    monkeypatch.setenv("GEOKIT_CACHE_DIR", str(tmp_path / "cache"))
    good = tmp_path / "mine.csv"
    good.write_text("name,lat,lon\nZorb,50,30\n")

    def failing_build(path=None, *, progress=None):
        raise GazetteerError("disk trouble")

    monkeypatch.setattr(Gazetteer, "build", staticmethod(failing_build))
    with pytest.raises(GazetteerError, match="disk trouble"):
        Gazetteer.add_user_file(good)
    assert list(user_places_dir().iterdir()) == []


def test_a_poisoned_user_file_is_named_by_the_build(tmp_path):
    from geokit.gazetteer._build import _load_user, _Sources

    (tmp_path / "a.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [30, 50]},
         "properties": {"name": "Zorb", "aliases": [5]}}]}))
    with pytest.raises(GazetteerError, match=r"user place file .*a\.geojson cannot be used"):
        list(_load_user(_Sources(), tmp_path))


def test_gazetteer_add_refuses_aliases_that_are_not_text(tmp_path):
    feature = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [30, 50]},
         "properties": {"name": "Zorb", "aliases": [5]}}]}
    path = tmp_path / "a.geojson"
    path.write_text(json.dumps(feature))
    result = _run(["gazetteer", "add", str(path)], env={"GEOKIT_CACHE_DIR": str(tmp_path / "c")})
    assert result.exit_code == EXIT_BAD_INPUT
    assert _errors(result) == [f"geokit: error: {path}: features[0]: aliases must be a "
                               "|-separated string or a list of strings, got [5]"]
    assert not (tmp_path / "c" / "user-places").exists()


def test_user_place_surrogates_are_replaced(tmp_path):
    from geokit.gazetteer._user_places import read_user_places

    path = tmp_path / "s.geojson"
    path.write_text('{"type":"FeatureCollection","features":[{"type":"Feature","geometry":'
                    '{"type":"Point","coordinates":[30,50]},"properties":{"name":"Zorb\\udcff",'
                    '"aliases":["Zo\\udcffrb"]}}]}')
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        (entry,) = read_user_places(path)
    assert entry["name"] == "Zorb\ufffd" and entry["aliases"] == ["Zo\ufffdrb"]
    assert any(issubclass(w.category, UnicodeWarning) for w in seen)
    with pytest.raises(InputError):
        read_user_places(tmp_path / "absent.csv")


@pytest.mark.usefixtures("gazetteer")
@pytest.mark.parametrize("lat", [999.0, float("nan")])
def test_build_map_refuses_a_latitude_out_of_range(lat):
    import dataclasses

    import geokit
    from geokit.maps import build_map

    doc = geokit.geoparse("Troops entered Kyiv.", id="d1", ner="off")
    top = doc.toponyms[0]
    bad = dataclasses.replace(top, place=dataclasses.replace(top.place, lat=lat))
    doc = dataclasses.replace(doc, toponyms=(bad,))
    with pytest.raises(InputError, match=r"^document d1: place 'Kyiv' has coordinates out of"):
        build_map([doc])


@pytest.mark.usefixtures("gazetteer")
def test_online_failure_keeps_the_answers_and_stops_asking(monkeypatch):
    from geokit.errors import GeocoderError
    from geokit.gazetteer._online import OnlineGeocoder

    asked = []

    def offline(self, name, **kwargs):
        asked.append(name)
        raise GeocoderError(f"online geocoder 'nominatim' failed for {name!r}: no network")

    monkeypatch.setattr(OnlineGeocoder, "geocode", offline)
    result = _run(["resolve", "Kyiv", "Qxzvbnmqwerty", "Plkjhgqwzx", "--online",
                   "--format", "json", "--limit", "1"])
    assert result.exit_code == EXIT_BAD_INPUT
    assert asked == ["Qxzvbnmqwerty"]
    assert _errors(result) == [
        "geokit: error: argument 2: online geocoder 'nominatim' failed for 'Qxzvbnmqwerty': "
        "no network; not asking online for the rest"]
    payload = result.output[result.output.index("["):result.output.rindex("]") + 1]
    answers = json.loads(payload)
    assert answers[0]["query"] == "Kyiv" and answers[0]["candidates"][0]["name"] == "Kyiv"


def test_an_unreadable_input_folder_is_an_error_not_empty(monkeypatch, tmp_path):
    import geokit.io._readers as readers

    (tmp_path / "a.txt").write_text("Kyiv")

    def denied(path):
        raise PermissionError(13, "Permission denied", str(path))

    # Root reads every folder, so the denial is simulated where the reader asks.
    monkeypatch.setattr(readers.os, "scandir", denied)
    with pytest.raises(InputError, match=r"cannot read the folder: Permission denied$"):
        list(readers.iter_records(tmp_path))


def test_a_tile_url_needs_and_takes_an_attribution(tmp_path):
    from geokit.maps import build_map
    from geokit.models import Document

    url = "https://tiles.example.org/{z}/{x}/{y}.png"
    with pytest.raises(ConfigurationError, match="is a URL template: give its provider's credit"):
        build_map([Document(id="d", text="")], tiles=url)
    page = build_map([Document(id="d", text="")], tiles=url, attribution="Example Tiles")
    assert "Example Tiles" in page.get_root().render()
