import copy
import csv
import json
import stat
from dataclasses import replace

import pytest

import geokit
import geokit.io
from geokit.errors import ExtractFormatError, InputError
from geokit.io._writers import (
    ACLED_COLUMNS,
    document_from_dict,
    document_to_dict,
    documents_from_json,
    documents_to_json,
    events_to_rows,
    read_extract,
    to_geodataframe,
    to_geojson,
    to_plover,
    write_csv,
    write_geojson,
    write_json,
    write_jsonl,
)
from geokit.models import (
    Actor,
    ActorMention,
    Document,
    Event,
    Evidence,
    Mention,
    Place,
    Relation,
    Toponym,
)
from geokit.paths import FILE_MODE

TEXT = "North Korea will send troops to Donetsk. Somewhere is unknown."
PRK = Place(name="North Korea", lat=40.0, lon=127.0, country="PRK", feature="country",
            population=25_000_000, geonameid=1873107, source="geonames", score=0.97,
            why="country", key="gn:1873107")
DONETSK = Place(name="Donetsk", lat=48.023, lon=37.8022, country="UKR",
                admin1="Donetsk Oblast", feature="city", population=929_063,
                geonameid=709717, source="geonames-cities500", score=0.91, why="coherent",
                key="gn:709717")


def make_doc() -> Document:
    toponyms = (
        Toponym(Mention(0, 11, "North Korea", "place", "gazetteer", "GPE"), PRK, 0.97, "country"),
        Toponym(Mention(32, 39, "Donetsk", "place", "ner", "GPE"), DONETSK, 0.91, "coherent"),
        Toponym(Mention(41, 50, "Somewhere", "place", "ner", "LOC"), None, 0.0, "abstained"),
    )
    actors = (
        Actor("state:PRK", "North Korea", "state", "PRK", (ActorMention(0, 11, "North Korea"),)),
        Actor("state:UKR", "Ukraine", "state", "UKR", (), "curated"),
    )
    ev = Event(
        id="d1:e1", category="MOBILIZE", subtype="deploy_troops", source=("state:PRK",),
        target=("state:UKR",), place=DONETSK, origin=PRK, geo_precision=3, date="2024-07",
        date_text="July 2024", status="planned", evidence=Evidence(TEXT[:40], 0, 40),
        confidence=0.8, place_mention=Mention(32, 39, "Donetsk", "place", "gazetteer", "city"),
    )
    rel = Relation("state:PRK", "state:UKR", "deployment", 1, ("d1:e1",), (TEXT[:40],))
    return Document(id="d1", text=TEXT, toponyms=toponyms, actors=actors, events=(ev,),
                    relations=(rel,), date="2024-06-28", meta={"url": "https://example.org/a"})


def test_round_trip_is_exact_with_text():
    doc = make_doc()
    d = document_to_dict(doc, include_text=True)
    back = document_from_dict(json.loads(json.dumps(d)))
    assert back == doc
    assert back.meta == doc.meta
    assert back.toponyms[2].place is None


def test_round_trip_without_text_keeps_everything_else():
    doc = make_doc()
    d = document_to_dict(doc)
    assert "text" not in d
    back = document_from_dict(d)
    assert back.text == ""
    assert back.events == doc.events and back.toponyms == doc.toponyms


def test_dict_shape():
    d = document_to_dict(make_doc())
    assert list(d) == ["id", "date", "places", "actors", "events", "relations", "meta"]
    e = d["events"][0]
    assert e["place"]["name"] == "Donetsk" and e["origin"]["country"] == "PRK"
    assert e["evidence"] == {"text": TEXT[:40], "start": 0, "end": 40}
    assert e["place_mention"] == {"start": 32, "end": 39, "text": "Donetsk",
                                  "source": "gazetteer", "label": "city"}
    assert d["actors"][0]["mentions"] == [{"start": 0, "end": 11, "text": "North Korea"}]
    assert d["places"][1]["lat"] == 48.023 and d["places"][2]["lat"] is None


def bad(mutate, origin="extract.json"):
    obj = documents_to_json([make_doc()])
    obj = copy.deepcopy(obj)
    mutate(obj)
    with pytest.raises(ExtractFormatError) as info:
        documents_from_json(obj, origin=origin)
    return str(info.value)


def test_error_names_file_and_json_path():
    msg = bad(lambda o: o["documents"][0]["events"][0]["place"].__setitem__("lat", "abc"))
    assert msg == 'extract.json: documents[0].events[0].place.lat: expected a number, got "abc"'


def test_error_missing_field():
    msg = bad(lambda o: o["documents"][0]["actors"][1].pop("type"))
    assert msg.startswith("extract.json: documents[0].actors[1].type: missing required field")


@pytest.mark.parametrize("date", ["99999-99", "2024-02-30", "2024-13", "June 2024", "24-06-19"])
def test_error_an_event_date_that_is_no_calendar_date(date):
    msg = bad(lambda o: o["documents"][0]["events"][0].__setitem__("date", date))
    assert msg == ("extract.json: documents[0].events[0].date: expected an ISO date "
                   f"(2024, 2024-03 or 2024-03-04), got {date!r}")


@pytest.mark.parametrize("date", ["2024-02-29", "2024-06", "2024"])
def test_event_dates_at_the_texts_precision_read_back(date):
    obj = documents_to_json([make_doc()])
    obj["documents"][0]["events"][0]["date"] = date
    assert documents_from_json(obj)[0].events[0].date == date


def test_error_not_an_extract_file_names_what_it_found():
    with pytest.raises(ExtractFormatError, match=r"x.json: not a geokit extract file.*foo"):
        documents_from_json({"foo": 1, "bar": []}, origin="x.json")


def test_error_wrong_list_item():
    msg = bad(lambda o: o["documents"][0]["events"][0]["source"].__setitem__(0, 7))
    assert msg == "extract.json: documents[0].events[0].source[0]: expected a string, got 7"


def test_error_bool_is_not_a_number_and_range_checked():
    msg = bad(lambda o: o["documents"][0]["places"][0].__setitem__("lon", True))
    assert "documents[0].places[0].lon: expected a number or null, got true" in msg
    msg = bad(lambda o: o["documents"][0]["events"][0]["origin"].__setitem__("lat", 95))
    assert "documents[0].events[0].origin.lat: latitude out of range" in msg


def test_error_half_coordinates():
    msg = bad(lambda o: o["documents"][0]["places"][0].__setitem__("lon", None))
    assert "documents[0].places[0].lon: lat and lon must both" in msg


def test_error_is_input_error_too():
    with pytest.raises(InputError):
        document_from_dict({"id": 3})


def test_read_extract_json_and_jsonl(tmp_path):
    doc = make_doc()
    p = tmp_path / "x.json"
    write_json(p, documents_to_json([doc, doc]))
    assert read_extract(p) == [doc.__class__(**{**_fields(doc), "text": ""})] * 2
    lines = tmp_path / "x.jsonl"
    write_jsonl(lines, [document_to_dict(doc, include_text=True)] * 2)
    assert read_extract(lines) == [doc, doc]
    broken = tmp_path / "broken.json"
    broken.write_text('{"documents": [', encoding="utf-8")
    with pytest.raises(ExtractFormatError, match=r"^broken\.json: not valid JSON"):
        read_extract(broken)
    jl = tmp_path / "b.jsonl"
    jl.write_text(json.dumps(document_to_dict(doc)) + "\n{oops\n", encoding="utf-8")
    with pytest.raises(ExtractFormatError, match=r"^b\.jsonl: line 2: not valid JSON"):
        read_extract(jl)


def _fields(doc):
    return {f: getattr(doc, f) for f in doc.__dataclass_fields__}


def test_geojson_is_lon_lat():
    fc = to_geojson([make_doc()], kinds=("places", "events", "movements"))
    assert fc["type"] == "FeatureCollection"
    layers = [f["properties"]["layer"] for f in fc["features"]]
    assert layers == ["place", "place", "event", "movement"]  # unresolved place omitted
    donetsk = fc["features"][1]
    assert donetsk["geometry"]["coordinates"] == [37.8022, 48.023]
    move = fc["features"][3]["geometry"]
    assert move == {"type": "LineString", "coordinates": [[127.0, 40.0], [37.8022, 48.023]]}
    ev = fc["features"][2]["properties"]
    assert ev["origin_name"] == "North Korea" and ev["source_names"] == ["North Korea"]


def test_geojson_rejects_unknown_kind():
    from geokit.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="valid: places, events, movements"):
        to_geojson([make_doc()], kinds=("arrows",))


def test_geodataframe():
    gdf = to_geodataframe([make_doc()], kind="events")
    assert str(gdf.crs) == "EPSG:4326"
    assert len(gdf) == 1
    assert gdf.geometry.iloc[0].x == pytest.approx(37.8022)
    assert gdf.loc[0, "source"] == "state:PRK"
    places = geokit.to_geodataframe(make_doc())
    assert list(places["place_name"]) == ["North Korea", "Donetsk"]
    empty = to_geodataframe([Document(id="e", text="")], kind="events")
    assert len(empty) == 0 and "category" in empty.columns


def test_acled_rows(tmp_path):
    rows = events_to_rows([make_doc()])
    assert list(rows[0]) == list(ACLED_COLUMNS)
    r = rows[0]
    assert (r["plover_category"], r["plover_subtype"], r["status"]) == (
        "MOBILIZE", "deploy_troops", "planned")
    assert (r["event_type"], r["sub_event_type"]) == ("Strategic developments", "Other")
    # "2024-07": ACLED's month middle, time_precision 3; Donetsk the city itself: 1
    assert (r["event_date"], r["year"], r["time_precision"]) == ("2024-07-15", 2024, 3)
    assert (r["actor1"], r["actor1_country"], r["actor2_country"]) == (
        "North Korea", "PRK", "UKR")
    assert (r["country"], r["location"], r["latitude"]) == ("Ukraine", "Donetsk", 48.023)
    assert r["source"] == "https://example.org/a" and r["notes"] == TEXT[:40]
    out = tmp_path / "e.csv"
    assert write_csv(out, rows, ACLED_COLUMNS) == 1
    with out.open(newline="", encoding="utf-8") as f:
        back = list(csv.DictReader(f))
    assert back[0]["location"] == "Donetsk" and back[0]["geo_precision"] == "1"
    # a place the index lacks is named, with no coordinates
    doc = make_doc()
    unknown = replace(doc.events[0], place=None, geo_precision=None,
                      place_mention=Mention(32, 39, "Donetsk", source="place-noun"))
    [r] = events_to_rows([replace(doc, events=(unknown,))])
    assert (r["location"], r["latitude"], r["geo_precision"]) == ("Donetsk", None, None)


def test_plover():
    (rec,) = list(to_plover(make_doc()))
    assert rec["event"] == "MOBILIZE" and rec["mode"] == "deploy_troops"
    assert rec["actor"][0]["country"] == "PRK" and rec["recipient"][0]["name"] == "Ukraine"
    assert rec["event_loc"]["geo_precision"] == 3 and rec["context"] == ["military"]


def test_atomic_writer_keeps_old_file_on_failure(tmp_path):
    p = tmp_path / "out.geojson"
    write_geojson(p, {"type": "FeatureCollection", "features": []})
    before = p.read_text(encoding="utf-8")

    def rows():
        yield {"a": 1}
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_jsonl(p, rows())
    assert p.read_text(encoding="utf-8") == before
    assert [x.name for x in tmp_path.iterdir()] == ["out.geojson"]  # no temp left behind
    assert stat.S_IMODE(p.stat().st_mode) == FILE_MODE  # not mkstemp's 0600


def test_geoparquet_round_trip(tmp_path):
    import geopandas as gpd

    from geokit.io._writers import write_geoparquet

    p = tmp_path / "places.parquet"
    write_geoparquet(p, to_geodataframe([make_doc()], kind="places"))
    back = gpd.read_parquet(p)
    assert list(back["place_name"]) == ["North Korea", "Donetsk"]
    assert back.geometry.iloc[1].y == pytest.approx(48.023)
