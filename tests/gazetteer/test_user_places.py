"""User place files (``geokit gazetteer add``): what is read, and what is refused where."""

from __future__ import annotations

import json

import pytest

from geokit.errors import InputError
from geokit.gazetteer._user_places import read_user_places


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _collection(*features):
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


def _point(lon, lat, **props):
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": props}


# --------------------------------------------------------------------------- good files


def test_csv_rows_are_read_to_their_fields(tmp_path):
    path = _write(tmp_path, "camps.csv",
                  "name,lat,lon,feature,country,admin1,population,aliases,id\n"
                  "Camp Alpha,48.5,37.9,city,UKR,Donetska,1200,Alpha Base|  CA ,\n"
                  " Hill 203 , -10, 20.5 ,,,,,,h203\n"
                  "Zone Nord,46,2.5,admin2,FRA,,3.0e3,,\n")
    assert read_user_places(path) == [
        {"key": "user:camps:camp-alpha", "name": "Camp Alpha", "lat": 48.5, "lon": 37.9,
         "feature": "city", "country": "UKR", "admin1": "Donetska", "population": 1200,
         "aliases": ["Alpha Base", "CA"],
         "raw": {"name": "Camp Alpha", "lat": "48.5", "lon": "37.9", "feature": "city",
                 "country": "UKR", "admin1": "Donetska", "population": "1200",
                 "aliases": "Alpha Base|  CA ", "id": ""}},
        # an id column gives the key; empty optional fields are defaults
        {"key": "user:camps:h203", "name": "Hill 203", "lat": -10.0, "lon": 20.5,
         "feature": "city", "country": None, "admin1": None, "population": 0, "aliases": [],
         "raw": {"name": " Hill 203 ", "lat": " -10", "lon": " 20.5 ", "feature": "",
                 "country": "", "admin1": "", "population": "", "aliases": "",
                 "id": "h203"}},
        {"key": "user:camps:zone-nord", "name": "Zone Nord", "lat": 46.0, "lon": 2.5,
         "feature": "admin2", "country": "FRA", "admin1": None, "population": 3000,
         "aliases": [],
         "raw": {"name": "Zone Nord", "lat": "46", "lon": "2.5", "feature": "admin2",
                 "country": "FRA", "admin1": "", "population": "3.0e3", "aliases": "",
                 "id": ""}},
    ]


def test_csv_with_only_the_required_columns(tmp_path):
    path = _write(tmp_path, "min.csv", "name,lat,lon\nBase X,-90,180\n")
    assert read_user_places(path) == [
        {"key": "user:min:base-x", "name": "Base X", "lat": -90.0, "lon": 180.0,
         "feature": "city", "country": None, "admin1": None, "population": 0, "aliases": [],
         "raw": {"name": "Base X", "lat": "-90", "lon": "180"}}]


@pytest.mark.parametrize("text", ["", "name,lat,lon\n"])
def test_csv_without_rows_is_no_places(tmp_path, text):
    assert read_user_places(_write(tmp_path, "none.csv", text)) == []


@pytest.mark.parametrize("suffix", [".geojson", ".json", ".GeoJSON"])
def test_geojson_features_are_read_to_their_fields(tmp_path, suffix):
    path = _write(tmp_path, f"sites{suffix}", _collection(
        _point(37.9, 48.5, name="Camp Alpha", aliases=["Alpha Base"], country="UKR",
               population=1200, id="ca"),
        _point(-3.7, 40.4, name="Depot", feature="capital", admin1="Madrid"),
    ))
    assert read_user_places(path) == [
        {"key": "user:sites:ca", "name": "Camp Alpha", "lat": 48.5, "lon": 37.9,
         "feature": "city", "country": "UKR", "admin1": None, "population": 1200,
         "aliases": ["Alpha Base"],
         "raw": {"name": "Camp Alpha", "aliases": ["Alpha Base"], "country": "UKR",
                 "population": 1200, "id": "ca", "lat": 48.5, "lon": 37.9}},
        # coordinates are lon, lat in GeoJSON
        {"key": "user:sites:depot", "name": "Depot", "lat": 40.4, "lon": -3.7,
         "feature": "capital", "country": None, "admin1": "Madrid", "population": 0,
         "aliases": [],
         "raw": {"name": "Depot", "feature": "capital", "admin1": "Madrid", "lat": 40.4,
                 "lon": -3.7}},
    ]


def test_geojson_aliases_may_be_a_pipe_separated_string(tmp_path):
    path = _write(tmp_path, "s.geojson", _collection(_point(1, 2, name="B", aliases="X| Y|")))
    assert read_user_places(path)[0]["aliases"] == ["X", "Y"]


def test_geojson_point_coordinates_beyond_two_are_ignored(tmp_path):
    path = _write(tmp_path, "s.geojson", _collection(
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [1.5, 2.5, 300]},
         "properties": {"name": "Peak"}}))
    [entry] = read_user_places(path)
    assert (entry["lat"], entry["lon"]) == (2.5, 1.5)


# --------------------------------------------------------------------------- bad CSV


def _csv_error(tmp_path, text):
    path = _write(tmp_path, "bad.csv", text)
    with pytest.raises(InputError) as info:
        read_user_places(path)
    return path, info.value


@pytest.mark.parametrize(("text", "line", "message"), [
    ("name,lat,lon\nA,1,2\nB,north,3\n", 3, "lat/lon must be numbers, got 'north', '3'"),
    ("name,lat,lon\nA,1,east\n", 2, "lat/lon must be numbers, got '1', 'east'"),
    ("name,lat,lon\nA,91,2\n", 2, "lat/lon out of range: 91.0, 2.0"),
    ("name,lat,lon\nA,-90.5,2\n", 2, "lat/lon out of range: -90.5, 2.0"),
    ("name,lat,lon\nA,9,-181\n", 2, "lat/lon out of range: 9.0, -181.0"),
    ("name,lat,lon\nA,nan,2\n", 2, "lat/lon out of range: nan, 2.0"),
    ("name,lat,lon\nA,1,2\n,1,2\n", 3, "missing name"),
    ("name,lat,lon\nA,,\n", 2, "missing lat, lon"),
    ("name,lat,lon\nA,1\n", 2, "missing lon"),  # a short row
    ("name,lat,lon,feature\nA,1,2,village\n", 2,
     "feature 'village' is not one of continent, region, sea, country, admin1, admin2, "
     "capital, city, demonym, metonym"),
])
def test_a_bad_csv_row_names_the_file_and_line(tmp_path, text, line, message):
    path, err = _csv_error(tmp_path, text)
    assert err.source == f"{path}:{line}"
    assert str(err) == f"{path}:{line}: {message}"


@pytest.mark.parametrize("header", ["name,lat\nA,1\n", "place,lat,lon\nA,1,2\n",
                                    "Name,Lat,Lon\nA,1,2\n"])
def test_a_csv_missing_a_required_column_names_the_file(tmp_path, header):
    path, err = _csv_error(tmp_path, header)
    assert err.source == str(path)
    assert str(err) == f"{path}: CSV needs columns name, lat, lon"


def test_a_non_numeric_population_names_the_file_and_line(tmp_path):
    path = _write(tmp_path, "pop.csv", "name,lat,lon,population\nA,1,2,100\nB,1,2,many\n")
    with pytest.raises(InputError) as info:
        read_user_places(path)
    assert info.value.source == f"{path}:3" and "population" in str(info.value)


def test_a_file_that_is_not_utf8_or_absent(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"name,lat,lon\nS\xe3o Paulo,1,2\n")
    with pytest.raises(InputError, match="cannot read: 'utf-8' codec can't decode") as info:
        read_user_places(path)
    assert info.value.source == str(path)
    with pytest.raises(InputError, match="cannot read") as info:
        read_user_places(tmp_path / "absent.csv")
    assert info.value.source == str(tmp_path / "absent.csv")


# --------------------------------------------------------------------------- bad GeoJSON


def _geojson_error(tmp_path, text):
    path = _write(tmp_path, "bad.geojson", text)
    with pytest.raises(InputError) as info:
        read_user_places(path)
    return path, info.value


@pytest.mark.parametrize(("feature", "message"), [
    ({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": []},
      "properties": {"name": "B"}}, "geometry must be a Point"),
    ({"type": "Feature", "geometry": None, "properties": {"name": "B"}},
     "geometry must be a Point"),
    ({"type": "Feature", "properties": {"name": "B"}}, "geometry must be a Point"),
    (None, "geometry must be a Point"),
    ({"type": "Feature", "geometry": {"type": "Point", "coordinates": ["x", "y"]},
      "properties": {"name": "B"}}, "lat/lon must be numbers, got 'y', 'x'"),
    (_point(1, 95, name="B"), "lat/lon out of range: 95.0, 1.0"),
    (_point(1, 2), "missing name"),
    (_point(1, 2, name="B", feature="town"),
     "feature 'town' is not one of continent, region, sea, country, admin1, admin2, "
     "capital, city, demonym, metonym"),
])
def test_a_bad_feature_names_the_file_and_feature(tmp_path, feature, message):
    path, err = _geojson_error(tmp_path, _collection(_point(5, 6, name="Good"), feature))
    assert err.source == f"{path}: features[1]"
    assert str(err) == f"{path}: features[1]: {message}"


@pytest.mark.parametrize(("text", "message"), [
    (json.dumps({"type": "Feature"}), "expected a GeoJSON FeatureCollection"),
    (json.dumps([1, 2]), "expected a GeoJSON FeatureCollection"),
    (json.dumps({"type": "FeatureCollection", "features": {}}),
     "expected a GeoJSON FeatureCollection"),
    ("{nope", "not JSON: Expecting property name enclosed in double quotes: line 1 column 2 "
              "(char 1)"),
])
def test_a_file_that_is_no_feature_collection_names_the_file(tmp_path, text, message):
    path, err = _geojson_error(tmp_path, text)
    assert err.source == str(path)
    assert str(err) == f"{path}: {message}"


@pytest.mark.parametrize("feature", [
    pytest.param({"type": "Feature", "geometry": {"type": "Point"}, "properties": {"name": "B"}},
                 id="point-without-coordinates"),
    pytest.param({"type": "Feature", "geometry": {"type": "Point", "coordinates": [1]},
                  "properties": {"name": "B"}}, id="one-coordinate"),
    pytest.param("a string", id="feature-not-an-object"),
    pytest.param({"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2]},
                  "properties": "name=B"}, id="properties-not-an-object"),
    pytest.param(_point(1, 2, name="B", population="lots"), id="non-numeric-population"),
    pytest.param(_point(1, 2, name="B", feature=3), id="feature-not-a-string"),
])
def test_a_malformed_feature_is_an_input_error_naming_it(tmp_path, feature):
    path = _write(tmp_path, "bad.geojson", _collection(_point(5, 6, name="Good"), feature))
    with pytest.raises(InputError) as info:
        read_user_places(path)
    assert info.value.source == f"{path}: features[1]"


@pytest.mark.parametrize("aliases", [
    pytest.param([1, 2], id="numbers"),
    pytest.param({"a": 1}, id="object"),
    pytest.param(["ok", None], id="null-item"),
])
def test_aliases_that_are_not_strings_are_refused(tmp_path, aliases):
    path = _write(tmp_path, "bad.geojson", _collection(_point(1, 2, name="B", aliases=aliases)))
    with pytest.raises(InputError) as info:
        read_user_places(path)
    assert info.value.source == f"{path}: features[0]"
