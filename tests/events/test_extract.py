from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

import geokit
from geokit.cli import main
from geokit.errors import ConfigurationError, InputError
from geokit.events import PlaceLinker, extract, locate_event, locate_events
from geokit.events._locate import FEATURES, NONE_FEATURES
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


def test_cli_extracts_in_batches_and_keeps_each_records_place(tmp_path, monkeypatch):
    from geokit.events import _extract

    monkeypatch.setattr(_extract, "DEFAULT_BATCH_SIZE", 2)  # groups cut across the errors
    rows = [{"id": "a", "text": TEXT, "date": "2024-06-27"}, {"id": "b"},
            {"id": "c", "text": "Talks in Doha.", "date": "2024/06/27"},
            {"id": "d", "text": "Iran supplied Russia with drones."},
            {"id": "e", "text": "Troops left Kyiv."}]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out.json"
    r = CliRunner().invoke(main, ["extract", str(src), "-o", str(out)])
    assert r.exit_code == 2
    data = json.loads(out.read_text())
    assert [d["id"] for d in data["documents"]] == ["a", "d", "e"]
    assert [(e["id"], e["kind"]) for e in data["errors"]] == [("b", "missing_text"),
                                                              ("c", "bad_field")]
    assert "c: date must be YYYY-MM-DD" in data["errors"][1]["message"]
    def summary(docs):
        return [(d.id, [t.mention.name for t in d.toponyms], [a.id for a in d.actors],
                 [(e.id, e.category, e.date) for e in d.events]) for d in docs]

    alone = [geokit.extract(x["text"], id=x["id"], date=x.get("date"))
             for x in (rows[0], rows[3], rows[4])]
    assert summary(read_extract(out)) == summary(alone)
    assert any(d.events for d in alone)


def test_cli_help():
    r = CliRunner().invoke(main, ["extract", "--help"])
    assert r.exit_code == 0 and "ACLED" in r.output


# --------------------------------------------------------------------------- extract_many


def _varied(seed_texts):
    """(text, options) pairs: seeds, no places, empty, dated, no sentence stop."""
    seeds = [(t, {"id": stem}) for stem, t in seed_texts.items()]
    return [*seeds,
            ("The committee met on Tuesday and agreed nothing.", {"id": "none"}),
            ("", {"id": "empty"}),
            (TEXT, {"id": "dated", "date": "2024-06-27", "meta": {"url": "http://e/1"}}),
            ("Iran supplied Russia with drones", {"id": "nostop"})]


def test_extract_many_gives_extracts_documents_in_order(seed_texts):
    items = _varied(seed_texts)
    expected = [geokit.extract(t, **o) for t, o in items]
    assert [d.id for d in expected] == [o["id"] for _, o in items]
    # The cases differ: events in some, no places in others.
    assert any(d.events for d in expected) and not expected[-4].toponyms + expected[-3].toponyms
    # Batches of 2 cut across documents of every kind; one batch holds them all.
    for size in (2, len(items)):
        assert list(geokit.extract_many(items, batch_size=size)) == expected


def test_bare_texts_are_numbered_by_position():
    texts = ["Troops left Kyiv.", "Iran supplied Russia with drones."]
    docs = list(geokit.extract_many(texts))
    assert docs == [geokit.extract(t, id=str(i)) for i, t in enumerate(texts)]


def test_extract_many_reads_documents_together(monkeypatch, seed_texts):
    from geokit.geoparse import _nlp

    calls = []
    for name in ("entities", "parse"):
        real = getattr(_nlp, name)

        def spy(texts, *, _real=real, _name=name, **kwargs):
            calls.append(_name)
            return _real(texts, **kwargs)

        monkeypatch.setattr(_nlp, name, spy)
    items = _varied(seed_texts)
    for t, o in items:
        geokit.extract(t, **o)
    alone = len(calls)
    calls.clear()
    list(geokit.extract_many(items, batch_size=len(items)))
    # At most one call per pipeline and round (geoparse NER, actor NER, parse).
    assert alone > len(calls) and len(calls) <= 2 * 3


def test_extract_many_is_lazy():
    pulled = []

    def texts():
        for i in range(7):
            pulled.append(i)
            yield f"Troops left Kyiv on day {i}."

    docs = geokit.extract_many(texts(), batch_size=3)
    assert pulled == []  # nothing read before the first document is asked for
    assert next(docs).id == "0" and pulled == [0, 1, 2]
    assert [d.id for d in docs] == [str(i) for i in range(1, 7)] and len(pulled) == 7


def test_extract_many_raises_naming_the_item_after_the_documents_before_it():
    docs = geokit.extract_many(["Troops left Kyiv.", 42, "Talks in Doha."])
    assert next(docs).id == "0"
    with pytest.raises(InputError, match=r"item 1: expected a text .* got int"):
        next(docs)


@pytest.mark.parametrize(("item", "match"), [
    ((TEXT, {"id": "x", "date": "2024/06/27"}), r"^x: date must be YYYY-MM-DD"),
    ((b"bytes", {}), r"item 0: text must be a string, got bytes"),
    ((TEXT, {"id": "y", "url": "u"}), r"^y: unknown option\(s\) url"),
    ((TEXT, "2024-06-27"), r"item 0: expected a text or a \(text, options\) pair, got tuple"),
])
def test_extract_many_bad_items(item, match):
    with pytest.raises(InputError, match=match):
        list(geokit.extract_many([item]))


def test_extract_many_can_return_errors_in_place():
    items = [("Troops left Kyiv.", {"id": "a"}), (TEXT, {"id": "b", "date": "tomorrow"}),
             ("Talks in Doha.", {"id": "c"})]
    a, b, c = geokit.extract_many(items, on_error="return")
    assert isinstance(b, InputError) and str(b).startswith("b: date")
    assert (a, c) == (geokit.extract("Troops left Kyiv.", id="a"),
                      geokit.extract("Talks in Doha.", id="c"))


@pytest.mark.parametrize("options", [{"batch_size": 0}, {"batch_size": True},
                                     {"on_error": "skip"}])
def test_extract_many_bad_options_fail_at_the_call(options):
    with pytest.raises(ConfigurationError):
        geokit.extract_many(iter(()), **options)


def _at(text: str, word: str, nth: int = 0) -> tuple[int, int]:
    at = -1
    for _ in range(nth + 1):
        at = text.index(word, at + 1)
    return at, at + len(word)


def test_locate_event_is_exported():
    assert "locate_event" in geokit.__all__ and geokit.locate_event is locate_event


def test_locate_event_reads_the_events_phrase_not_the_dateline():
    text = "NAIROBI, June 2 (Reuters) - Gunmen killed six farmers in Mandera on Sunday."
    top = locate_event(text, _at(text, "killed"))
    assert top is not None and top.mention.name == "Mandera"
    assert top.place is not None and top.place.country == "KEN"
    text = "NAIROBI, June 2 (Reuters) - Gunmen killed six farmers on Sunday."
    assert locate_event(text, _at(text, "killed")) is None


def test_locate_event_reads_the_triggers_own_sentence():
    # the same verb in two sentences: each sentence's own place, or the other's origin none
    text = ("Police shot and killed one person in Bapunagar on Monday. Speaking by telephone "
            "from Kinshasa, the official said soldiers had looted shops.")
    top = locate_event(text, _at(text, "killed"))
    # a name the index lacks, read in a place's slot: the words, no coordinates
    assert top is not None and top.mention.name == "Bapunagar"
    assert top.place is None and top.mention.source == "place-slot"
    assert locate_event(text, _at(text, "looted")) is None


def test_locate_event_agrees_with_extracts_event():
    text = "Gunmen opened fire on a market, killing six traders in Maiduguri on Sunday."
    doc = extract(text)
    [ev] = [e for e in doc.events if e.category == "ASSAULT"]
    top = locate_event(text, _at(text, "killing"))
    assert top is not None and ev.place is not None
    assert (top.place.name, top.place.country) == (ev.place.name, ev.place.country) == (
        "Maiduguri", "NGA")


def test_locate_event_takes_another_linker():
    text = "Gunmen killed six farmers in Mandera on Sunday."
    never = PlaceLinker(FEATURES, tuple(0.0 for _ in FEATURES), NONE_FEATURES,
                        tuple(100.0 if n == "none_bias" else 0.0 for n in NONE_FEATURES))
    assert locate_event(text, _at(text, "killed"), linker=never) is None
    assert locate_event(text, _at(text, "killed")).mention.name == "Mandera"


@pytest.mark.parametrize(("trigger", "why"), [
    ((5, 5), "no word"), ((-1, 3), "no word"), ((0, 999), "no word"), ((6, 7), "no word"),
    ("killed", "offsets"), ((1.0, 3.0), "offsets"), ((True, 3), "offsets"), ((1, 2, 3), "offsets"),
    ((0, 7), "dateline"),
])
def test_locate_event_names_a_bad_trigger(trigger, why):
    text = "NAIROBI, June 2 (Reuters) - Gunmen killed six farmers in Mandera."
    with pytest.raises(InputError, match=why) as err:
        locate_event(text if trigger != (6, 7) else "Gunmen killed six.", trigger)
    assert err.value.source == "trigger" and isinstance(err.value, ValueError)


def test_locate_event_refuses_a_text_that_is_no_string():
    with pytest.raises(InputError, match="text must be a string"):
        locate_event(b"Gunmen killed six farmers.", (7, 13))


_LOCATE_ITEMS = [
    ("NAIROBI, June 2 (Reuters) - Gunmen killed six farmers in Mandera on Sunday.", "killed"),
    ("NAIROBI, June 2 (Reuters) - Gunmen killed six farmers on Sunday.", "killed"),
    ("Police shot and killed one person in Bapunagar on Monday. Speaking by telephone "
     "from Kinshasa, the official said soldiers had looted shops.", "looted"),
    ("Police shot and killed one person in Bapunagar on Monday.", "killed"),
    ("Gunmen opened fire on a market, killing six traders in Maiduguri on Sunday.", "killing"),
]


def _key(top):
    return None if top is None else (top.mention, top.place)


def test_locate_events_gives_what_locate_event_gives_in_order():
    items = [(t, _at(t, w)) for t, w in _LOCATE_ITEMS]
    many = list(locate_events(items, batch_size=2))
    assert [_key(t) for t in many] == [_key(locate_event(t, at)) for t, at in items]
    assert [t is None for t in many] == [False, True, True, False, False]
    assert "locate_events" in geokit.__all__ and geokit.locate_events is locate_events


def test_locate_events_reads_the_items_together(monkeypatch):
    from geokit.geoparse import _nlp

    calls = []
    real = _nlp.parse

    def spy(texts, **kwargs):
        calls.append(len(texts))
        return real(texts, **kwargs)

    monkeypatch.setattr(_nlp, "parse", spy)
    items = [(t, _at(t, w)) for t, w in _LOCATE_ITEMS]
    list(locate_events(items, batch_size=len(items)))
    # one parse call for the five sentences, not five calls of one
    assert calls == [len(items)]


def test_locate_events_keeps_every_item_with_return():
    text = "Gunmen killed six farmers in Mandera on Sunday."
    items = [(text, _at(text, "killed")), "no pair", (text, (5, 5)), (b"bytes", (0, 2)),
             ("NAIROBI, June 2 (Reuters) - Gunmen killed six.", (0, 7)), (text, (0, 6))]
    out = list(locate_events(items, on_error="return", batch_size=4))
    assert len(out) == len(items)
    assert out[0].mention.name == "Mandera"
    errors = out[1:5]
    assert all(isinstance(e, InputError) for e in errors)
    assert [str(e).split(":")[0] for e in errors] == ["item 1", "item 2", "item 3", "item 4"]
    assert "pair" in str(out[1]) and "no word" in str(out[2]) and "string" in str(out[3])
    assert "dateline" in str(out[4])
    assert out[5] is not None and out[5].mention.name == "Mandera"  # the batch goes on


def test_locate_events_raises_after_the_results_before_it():
    text = "Gunmen killed six farmers in Mandera on Sunday."
    results = locate_events([(text, _at(text, "killed")), (text, (5, 5))])
    assert next(results).mention.name == "Mandera"
    with pytest.raises(InputError, match="item 1: trigger 5..5"):
        next(results)


@pytest.mark.parametrize("options", [{"batch_size": 0}, {"batch_size": True},
                                     {"on_error": "skip"}])
def test_locate_events_bad_options_fail_at_the_call(options):
    with pytest.raises(ConfigurationError):
        locate_events([], **options)


MAHMUDIYAH = ("Five people died when a car bomb exploded in the town of Mahmudiyah, south "
              "of Baghdad, on March 29, police said.")


def test_a_name_the_index_spells_otherwise_takes_the_geoparsers_reading():
    # the recogniser proposes nothing for "Mahmudiyah" (the index has Al Maḩmūdīyah);
    # the event stage reads it after "the town of" and the geoparser resolves it
    # with Baghdad as context
    assert all(t.mention.name != "Mahmudiyah" for t in geokit.geoparse(MAHMUDIYAH).toponyms)
    top = locate_event(MAHMUDIYAH, _at(MAHMUDIYAH, "exploded"))
    assert top.mention.name == "Mahmudiyah" and top.mention.source == "place-noun"
    assert (top.place.country, top.place.feature) == ("IRQ", "city")
    assert abs(top.place.lat - 33.06) < 0.2 and abs(top.place.lon - 44.37) < 0.2
    assert "read as" in top.why and top.score >= 0.5
    [ev] = [e for e in extract(MAHMUDIYAH).events if e.category == "ASSAULT"]
    assert ev.place_mention.name == "Mahmudiyah" and ev.place == top.place


def test_a_name_read_by_syntax_keeps_no_place_without_the_texts_agreement():
    # no resolved place in the text to agree with: a spelling match could be a namesake
    alone = "Five people died when a car bomb exploded in the town of Mahmudiyah on Friday."
    top = locate_event(alone, _at(alone, "exploded"))
    assert top.mention.name == "Mahmudiyah" and top.place is None
    # the text's places are Nigerian: the Iraqi town is no reading of this village
    text = ("Gunmen attacked the village of Mahmudiyah in Nigeria's Zamfara state, "
            "killing ten people.")
    top = locate_event(text, _at(text, "attacked"))
    assert top is not None and top.mention.name == "Mahmudiyah" and top.place is None


def test_a_name_read_with_its_place_noun_is_the_place_the_index_knows_by_both():
    # "the Vostochny cosmodrome": the index has Vostochny Cosmodrome; the bare
    # "Vostochny" is also a town elsewhere in Russia, which is not the place meant
    text = ("North Korean leader Kim Jong Un met Russian President Vladimir Putin at the "
            "Vostochny cosmodrome on Wednesday.")
    [ev] = [e for e in extract(text).events if e.category == "CONSULT"]
    assert ev.place_mention.name == "Vostochny"
    assert ev.place is not None and ev.place.name == "Vostochny Cosmodrome"
    assert abs(ev.place.lat - 51.88) < 0.5 and abs(ev.place.lon - 128.33) < 0.5
