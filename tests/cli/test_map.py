"""``geokit map`` through click's runner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from maps_fixtures import SEED_TEXT, places_only_document, seeds_document

import geokit
import geokit.events
from geokit.cli import main
from geokit.io._writers import documents_to_json


def _run(*args: str):
    return CliRunner().invoke(main, ["map", *args])


@pytest.fixture
def extract_json(tmp_path):
    path = tmp_path / "extract.json"
    path.write_text(json.dumps(documents_to_json([seeds_document()], include_text=True)))
    return path


def test_map_from_extract_json(tmp_path, extract_json):
    out = tmp_path / "out.html"
    r = _run(str(extract_json), "-o", str(out), "--title", "Seeds")
    assert r.exit_code == 0, r.output
    assert r.output == f"wrote {out} (1 document, 13 place mentions, 4 events)\n"
    html = out.read_text()
    assert "'geokit-arrow " in html and "geokit-relation" in html


def test_map_offline_and_layer_choice(tmp_path, extract_json):
    out = tmp_path / "o.html"
    r = _run(str(extract_json), "-o", str(out), "--offline", "--layers", "places,deployments",
             "-q")
    assert r.exit_code == 0 and r.output == ""
    html = out.read_text()
    assert "<script src=" not in html and "geokit-basemap" in html
    assert "geokit-relation " not in html


def test_unknown_layer_is_a_usage_error(tmp_path, extract_json):
    r = _run(str(extract_json), "-o", str(tmp_path / "x.html"), "--layers", "places,arrows")
    assert r.exit_code == 2
    assert r.output == ("geokit: error: unknown layer 'arrows'; valid layers: alliances, "
                        "blocs, deployments, places, timeline\n")
    assert not (tmp_path / "x.html").exists()


def test_malformed_extract_names_file_and_field(tmp_path):
    bad = geokit.io.document_to_dict(seeds_document())
    bad["events"][0]["place"]["lat"] = "north"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps({"documents": [bad]}))
    r = _run(str(path), "-o", str(tmp_path / "x.html"))
    assert r.exit_code == 2
    assert r.output == ("geokit: error: broken.json: documents[0].events[0].place.lat: "
                        "expected a number, got \"north\"\n")
    assert not (tmp_path / "x.html").exists()


def test_text_input_uses_extract_when_available(tmp_path, monkeypatch):
    calls = []

    def fake_extract(text, *, id, date=None):
        calls.append((id, date))
        return seeds_document(id, text)

    monkeypatch.setattr(geokit.events, "extract", fake_extract)
    (tmp_path / "a.txt").write_text(SEED_TEXT)
    (tmp_path / "b.txt").write_text(SEED_TEXT)
    out = tmp_path / "m.html"
    r = _run(str(tmp_path), "-o", str(out), "-q")
    assert r.exit_code == 0, r.output
    assert calls == [("a", None), ("b", None)]
    assert "geokit-relation" in out.read_text()


def test_a_bad_record_is_reported_and_the_others_mapped(tmp_path, monkeypatch):
    monkeypatch.setattr(geokit.events, "extract",
                        lambda text, *, id, date=None: places_only_document(id))
    src = tmp_path / "docs.jsonl"
    src.write_text('{"id": "x1", "text": "Talks in Tehran."}\n{"id": 5, "text": 3}\n'
                   '{"id": "x2", "text": "More."}\n')
    out = tmp_path / "m.html"
    r = _run(str(src), "-o", str(out))
    assert r.exit_code == 0, r.output
    # The bad record is reported and the others are still mapped.
    assert f"geokit: warning: skipped {src}:2 (id 5): " in r.output
    assert "(2 documents, 6 place mentions, 0 events)" in r.output
    html = out.read_text()
    assert "'geokit-place'" in html and "geokit-legend" in html


def test_document_without_places_gives_empty_map(tmp_path, monkeypatch):
    monkeypatch.setattr(geokit.events, "extract",
                        lambda text, *, id, date=None: geokit.Document(id, text))
    (tmp_path / "empty.txt").write_text("Nothing to see.")
    out = tmp_path / "m.html"
    r = _run(str(tmp_path / "empty.txt"), "-o", str(out), "-q")
    assert r.exit_code == 0
    assert "No places or events found in 1 document" in out.read_text()


def test_missing_input(tmp_path):
    r = _run(str(tmp_path / "nope.txt"), "-o", str(tmp_path / "x.html"))
    assert r.exit_code == 2
    assert "nope.txt" in r.output and "no such file" in r.output


def test_help_text():
    r = CliRunner().invoke(main, ["map", "--help"])
    assert r.exit_code == 0
    assert "--offline" in r.output and "geokit extract" in r.output


def test_min_score_and_period_leave_out_events(tmp_path, extract_json):
    out = tmp_path / "f.html"
    r = _run(str(extract_json), "-o", str(out), "--min-score", "0.85", "--since", "2024-06",
             "--until", "2024-12-31", "-q")
    assert r.exit_code == 0, r.output
    html = out.read_text()
    # e1 and e2 (0.9, 2024) stay; e3 is 0.7 and e4 dated 2015.
    assert '"n":2,' in html and "Defence pact" in html and "19 Jun 2024" in html
    assert "Arms transfer" not in html


@pytest.mark.parametrize(("args", "message"), [
    (["--since", "June"], "geokit: error: since must be an ISO date (2024, 2024-03 or "
                          "2024-03-04), not 'June'\n"),
    (["--min-score", "2"], "Invalid value for '--min-score': 2.0 is not in the range "
                              "0.0<=x<=1.0."),
])
def test_bad_filter_options_name_the_option(tmp_path, extract_json, args, message):
    r = _run(str(extract_json), "-o", str(tmp_path / "x.html"), *args)
    assert r.exit_code == 2
    assert message in r.output


def test_an_impossible_event_date_in_the_input_is_a_one_line_error(tmp_path, extract_json):
    obj = json.loads(extract_json.read_text())
    obj["documents"][0]["events"][0]["date"] = "99999-99"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(obj))
    r = _run(str(bad), "-o", str(tmp_path / "m.html"))
    assert r.exit_code == 2
    assert r.output.strip() == ("geokit: error: bad.json: documents[0].events[0].date: expected an "
                                "ISO date (2024, 2024-03 or 2024-03-04), got '99999-99'")
    assert not (tmp_path / "m.html").exists()
