"""Geoparsing: recognition, document-level resolution, gold spans, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import geokit
from geokit.cli import main
from geokit.geo import haversine_km


@pytest.fixture(scope="module")
def seeds_docs(seed_texts):
    return {k: geokit.geoparse(v, id=k) for k, v in seed_texts.items()}


def _places(doc, kind="place"):
    return {t.mention.name: t.place for t in doc.toponyms
            if t.mention.kind == kind and t.place is not None}


@pytest.mark.parametrize(("name", "lat", "lon", "iso3"), [
    ("Donetsk", 48.02, 37.80, "UKR"),
    ("Luhansk", 48.57, 39.31, "UKR"),
    ("Kyiv", 50.45, 30.52, "UKR"),
    ("Pyongyang", 39.03, 125.75, "PRK"),
    ("Tehran", 35.69, 51.42, "IRN"),
    ("Moscow", 55.75, 37.62, "RUS"),
    ("Beijing", 39.91, 116.40, "CHN"),
    ("Switzerland", 46.8, 8.2, "CHE"),
])
def test_seed_places_found_and_resolved(seeds_docs, name, lat, lon, iso3):
    found = {}
    for doc in seeds_docs.values():
        for t in doc.toponyms:
            if t.mention.name == name and t.place is not None:
                found[name] = t.place
    assert name in found, f"{name} not recognised in the seeds"
    p = found[name]
    assert p.country == iso3
    assert haversine_km(p.lat, p.lon, lat, lon) < 161


def test_seed_middle_east_is_a_region(seeds_docs):
    regions = [t.place for d in seeds_docs.values() for t in d.toponyms
               if t.mention.name == "Middle East" and t.place]
    assert regions and all(p.feature == "region" for p in regions)


def test_seed_demonyms_and_metonyms(seeds_docs):
    kinds = {(t.mention.name, t.mention.kind) for d in seeds_docs.values() for t in d.toponyms}
    assert ("North Korean", "demonym") in kinds
    assert ("Russian", "demonym") in kinds
    assert ("Kremlin", "metonym") in kinds
    assert ("Pentagon", "metonym") in kinds


@pytest.mark.parametrize(("text", "kind"), [
    ("Kyiv hopes that the soldiers will stay home.", "metonym"),
    ("Moscow fears a wider war.", "metonym"),
    ("Kyiv hopes to rebuild its bridges.", "metonym"),
    # the city itself, where something happens
    ("Kyiv was shelled overnight.", "place"),
])
def test_a_capital_that_hopes_or_fears_speaks_for_its_government(text, kind):
    [top] = geokit.geoparse(text).toponyms
    assert top.mention.kind == kind


def test_no_person_or_organisation_reported_as_place(seeds_docs):
    names = {t.mention.name for d in seeds_docs.values() for t in d.toponyms}
    for bad in ("Kim", "Kim Jong Un", "Kim Jong-un", "Focus", "Chosun", "TV Chosun", "Putin"):
        assert bad not in names


def test_offsets_point_into_the_text(seed_texts, seeds_docs):
    for key, doc in seeds_docs.items():
        for t in doc.toponyms:
            assert seed_texts[key][t.mention.start:t.mention.end] == t.mention.name
            assert 0.0 <= t.score <= 1.0


def test_iranian_is_a_demonym():
    doc = geokit.geoparse("Iranian drones were shipped to Russia.")
    t = doc.toponyms[0]
    assert (t.mention.name, t.mention.kind, t.place.country) == ("Iranian", "demonym", "IRN")


def test_possessive_and_full_stop_are_not_part_of_the_name():
    doc = geokit.geoparse("France's envoy flew to Iraq.")
    assert [(t.mention.name, t.place.country) for t in doc.toponyms] == [
        ("France", "FRA"), ("Iraq", "IRQ")]


def test_document_context_picks_the_russian_donetsk():
    doc = geokit.geoparse("Floods hit Rostov-on-Don, Kamensk-Shakhtinsky and Donetsk.")
    donetsk = next(t for t in doc.toponyms if t.mention.name == "Donetsk")
    assert donetsk.place.country == "RUS"
    doc = geokit.geoparse("Shelling hit Luhansk, Kramatorsk and Donetsk.")
    donetsk = next(t for t in doc.toponyms if t.mention.name == "Donetsk")
    assert donetsk.place.country == "UKR"


@pytest.mark.parametrize(("text", "iso3"), [
    # wire style: "Congo" is the Democratic Republic, "Republic of Congo" the other
    ("M23 rebels took control of Bukavu, the second-largest city in eastern Congo.", "COD"),
    ("Ebola has killed 30 people in Congo this year.", "COD"),
    ("Protesters marched in Brazzaville, the capital of Congo, on Monday.", "COG"),
])
def test_congo_is_the_one_the_text_is_about(text, iso3):
    congo = next(t for t in geokit.geoparse(text).toponyms if t.mention.name == "Congo")
    assert congo.place.country == iso3


def test_admin_qualifier_in_text():
    doc = geokit.geoparse("The storm reached Bangor, Maine, on Monday.")
    bangor = next(t for t in doc.toponyms if t.mention.name == "Bangor")
    assert (bangor.place.country, bangor.place.admin1) == ("USA", "Maine")


def test_common_words_are_not_places():
    doc = geokit.geoparse("Reading the report, March said Will and Focus were mobile.")
    assert doc.toponyms == ()


def test_empty_document_is_an_empty_result():
    assert geokit.geoparse("").toponyms == ()
    assert geokit.geoparse("   \n").toponyms == ()


def test_gold_spans_resolve_only_those_spans_in_order():
    text = "From Paris to Kyiv."
    doc = geokit.geoparse(text, spans=[(14, 18), (5, 10)])
    assert [t.mention.name for t in doc.toponyms] == ["Kyiv", "Paris"]
    assert doc.toponyms[0].place.country == "UKR"


def test_bad_span_is_a_clear_error():
    with pytest.raises(geokit.ConfigurationError, match="outside the text"):
        geokit.geoparse("Kyiv", spans=[(0, 40)])


def test_min_score_abstains():
    doc = geokit.geoparse("Shelling hit Donetsk.", min_score=1.0)
    assert doc.toponyms and all(t.place is None for t in doc.toponyms
                                if t.score < 1.0)
    assert any("abstained" in t.why for t in doc.toponyms if t.place is None)


def test_cli_geoparse_jsonl_keeps_going_after_a_bad_line(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "text": "Kyiv and Lviv."}\nnot json\n{"id": "c"}\n'
                   '{"id": "d", "text": ""}\n', encoding="utf-8")
    res = CliRunner().invoke(main, ["geoparse", str(src)])
    assert res.exit_code == 2
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert [r.get("id") for r in rows][0] == "a"
    assert len(rows) == 4
    assert {t["name"] for t in rows[0]["toponyms"]} == {"Kyiv", "Lviv"}
    errors = [r for r in rows if "error" in r]
    assert len(errors) == 2
    assert any(":2" in e["error"]["origin"] for e in errors)
    assert rows[3] == {"id": "d", "toponyms": []}
    assert "not JSON" in res.stderr or "JSON" in res.stderr


def test_cli_geoparse_schema_and_formats(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("North Korean troops arrived in Donetsk.", encoding="utf-8")
    res = CliRunner().invoke(main, ["geoparse", str(src), "--explain"])
    assert res.exit_code == 0, res.output
    row = json.loads(res.stdout)
    t = row["toponyms"][1]
    assert set(t) >= {"start", "end", "name", "kind", "lat", "lon", "geonameid", "country",
                      "admin1", "feature", "score", "why"}
    assert (t["name"], t["country"]) == ("Donetsk", "UKR")
    out = tmp_path / "out.geojson"
    res = CliRunner().invoke(main, ["geoparse", str(src), "--format", "geojson", "-o", str(out)])
    assert res.exit_code == 0
    gj = json.loads(out.read_text())
    lon, lat = gj["features"][-1]["geometry"]["coordinates"]
    assert (round(lat), round(lon)) == (48, 38)


# --- recognition shortcuts that spare the NER model -------------------------------------

def _recognizer():
    from geokit.geoparse._geoparser import Geoparser

    return Geoparser.default().recognizer


def test_bare_numbers_letters_and_small_common_word_towns_are_not_proposed():
    rec = _recognizer()
    # GeoNames has towns with alternate names "10", "A", "Police", "Hospital".
    assert rec.propose("In 10 days, 3 of the A teams left.") == []
    assert rec.propose("Police said the Hospital was closed.") == []
    # A preposition still makes the town a candidate for NER to judge.
    props = rec.propose("She moved to Police last year.")
    assert [(p.mention.name, p.sure) for p in props] == [("Police", False)]


def _spy_on_ner(monkeypatch, rec):
    """Record the texts the recogniser asks the NER model to read."""
    asked = []
    real = rec.read_steps

    def spy(text, **kwargs):
        steps = real(text, **kwargs)
        try:
            request = next(steps)
            while True:
                assert request.kind == "ner"
                asked.extend(request.texts)
                request = steps.send((yield request))
        except StopIteration as stop:
            return stop.value

    monkeypatch.setattr(rec, "read_steps", spy)
    return asked


def test_one_sense_per_discourse(monkeypatch):
    rec = _recognizer()
    text = ("Officials from Bentiu met on Monday. Later, Bentiu was quiet. "
            "Bentiu residents fled to the camps.")
    props = rec.propose(text)
    assert [p.sure for p in props] == [True, False, False]  # "from" vouches only once
    asked = _spy_on_ner(monkeypatch, rec)
    names = [(m.start, m.name) for m in rec.recognize(text)]
    assert [n for _, n in names] == ["Bentiu"] * 3
    assert asked == []  # the sure first mention vouched for the others: no NER at all


def test_later_ambiguous_mentions_follow_the_first(monkeypatch):
    rec = _recognizer()
    text = "Bentiu residents fled on Monday. By Friday, Bentiu officials said it was calm."
    asked = _spy_on_ner(monkeypatch, rec)
    found = [m for m in rec.recognize(text) if m.name == "Bentiu"]
    assert len(asked) == 1 and "Bentiu residents" in asked[0] and "Bentiu officials" not in asked[0]
    assert len(found) in (0, 2)  # both or neither: the second follows the first


# --- calibration ------------------------------------------------------------------------

def test_shipped_calibration_is_monotone_sourced_and_spans_zero_to_one():
    import csv

    from geokit.geoparse._geoparser import _CALIBRATION_FILE, CALIBRATION, CALIBRATION_GROUPS

    with _CALIBRATION_FILE.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and all(r["source"].strip() for r in rows)
    assert {r["group"] for r in rows} == set(CALIBRATION_GROUPS)
    for group in CALIBRATION_GROUPS:
        xs = [x for x, _ in CALIBRATION[group]]
        ys = [y for _, y in CALIBRATION[group]]
        assert xs == sorted(xs) and ys == sorted(ys)
        assert xs[0] == 0.0 and xs[-1] == 1.0 and 0.0 <= ys[0] and ys[-1] <= 1.0


def test_calibration_file_is_checked(tmp_path):
    from geokit.errors import ConfigurationError
    from geokit.geoparse._geoparser import _IDENTITY, _load_calibration

    assert _load_calibration(tmp_path / "absent.csv")["point"] == _IDENTITY
    good = tmp_path / "good.csv"
    good.write_text("group,raw,calibrated,source\npoint,0,0.1,x\npoint,1,0.9,x\n", "utf-8")
    loaded = _load_calibration(good)
    assert loaded["point"] == ((0.0, 0.1), (1.0, 0.9)) and loaded["area"] == _IDENTITY
    bad = tmp_path / "bad.csv"
    bad.write_text("group,raw,calibrated,source\npoint,0,0.9,x\npoint,1,0.1,x\n", "utf-8")
    with pytest.raises(ConfigurationError):
        _load_calibration(bad)


def test_scores_are_calibrated_and_min_score_uses_them(seed_texts):
    from geokit.geoparse._geoparser import CALIBRATION, calibrate, calibration_group

    text = next(iter(seed_texts.values()))
    doc = geokit.geoparse(text)
    resolved = [t for t in doc.toponyms if t.place is not None]
    assert resolved
    for t in resolved:
        raw = t.candidates[0].score
        assert t.score == calibrate(raw, CALIBRATION[calibration_group(t.place.feature)])
    # Abstain exactly where the calibrated score (not the raw one) is below the bar.
    bar = sorted(t.score for t in resolved)[len(resolved) // 2]
    kept = geokit.geoparse(text, min_score=bar)
    for t, k in zip(doc.toponyms, kept.toponyms, strict=True):
        assert (k.place is not None) == (t.place is not None and t.score >= bar)


def test_isotonic_fit_pools_violators():
    import sys

    import numpy as np

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from fit_calibration import isotonic, knots

    x = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
    y = np.array([0, 1, 0, 1, 1, 1])
    blocks = isotonic(x, y)
    # (0.2, 1) and (0.3, 0) violate the order and pool to 0.5; the rest are steps.
    assert blocks == [(0.1, 0.0), (0.2, 0.5), (0.3, 0.5), (0.4, 1.0), (0.6, 1.0)]
    table = knots(blocks)
    assert table[0] == (0.0, 0.0) and table[-1] == (1.0, 1.0)
    assert [b for _, b in table] == sorted(b for _, b in table)


def test_gold_spans_still_read_the_rest_of_the_text():
    ohio = "Lima is a city in Allen County, Ohio, United States. It lies on Interstate 75."
    peru = "Lima is where the government met on Monday to discuss the budget."
    (in_ohio,) = geokit.geoparse(ohio, spans=[(0, 4)]).toponyms
    (alone,) = geokit.geoparse(peru, spans=[(0, 4)]).toponyms
    assert (in_ohio.place.country, in_ohio.place.admin1) == ("USA", "Ohio")
    assert "same Ohio as the context" in in_ohio.place.why
    assert alone.place.country == "PER"
    # only the given span is returned; the context mentions are not
    assert [t.mention.name for t in geokit.geoparse(ohio, spans=[(0, 4)]).toponyms] == ["Lima"]


def test_a_big_citys_own_name_is_sure_even_when_its_region_has_the_name_too():
    # The oblast's alias "Luhansk" outranks the city; NER calls the speaker an
    # ORG. The city's own name (400k people) is reason enough to keep it.
    doc = geokit.geoparse("Officials in Kyiv said, while Luhansk reported power cuts.")
    assert "Luhansk" in [t.mention.name for t in doc.toponyms]


def test_hyphenated_adjective_is_not_part_of_the_next_name():
    doc = geokit.geoparse("North Korea to send engineering troops to Russian-controlled Donetsk")
    assert [t.mention.name for t in doc.toponyms] == ["North Korea", "Donetsk"]
    assert doc.toponyms[1].place.country == "UKR"
    # real hyphenated names stay whole
    doc = geokit.geoparse("They drove from Rostov-on-Don to Winston-Salem.")
    assert [t.mention.name for t in doc.toponyms] == ["Rostov-on-Don", "Winston-Salem"]


# ------------------------------------------------- names the news spells (issue 12)


def _curated_table(name):
    """Rows of one of gazetteer/'s curated tables."""
    import csv

    from geokit.gazetteer._build import data_dir

    with (data_dir() / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("row", _curated_table("news_places.csv"), ids=lambda r: r["key"])
def test_news_place_example_is_found_and_resolved(row):
    # Each row's example: the bracketed name is a toponym, even with NER off,
    # and resolves to the row's place (its GeoNames city, or its own point). A
    # town of no stated population is taken only with NER's vote (the recogniser's
    # floor for a rare name), so its example runs with NER as by default.
    ex = row["example"]
    name = ex[ex.index("[") + 1:ex.index("]")]
    small = row["feature"] == "city" and not row["geonameid"] and not row["population"]
    doc = geokit.geoparse(ex.replace("[", "").replace("]", ""), ner="auto" if small else "off")
    found = {t.mention.name: t.place for t in doc.toponyms}
    assert name in found
    place = found[name]
    assert (place.country or "") == row["country"]  # a disputed feature has none
    if row["geonameid"]:
        assert place.geonameid == int(row["geonameid"])
    else:
        assert haversine_km(place.lat, place.lon, float(row["lat"]), float(row["lon"])) < 1.0


def test_news_place_population_lifts_a_town_over_the_trusted_floor():
    # GeoNames gives Stepanakert (Khankendi) 2,100 people: under the recogniser's
    # 20,000 floor for a name taken after a cue without NER's vote.
    khankendi = geokit.resolve("Stepanakert", limit=1)[0]
    assert (khankendi.geonameid, khankendi.population) == (146970, 75000)


def test_news_place_row_for_a_missing_city_is_an_error(tmp_path):
    from geokit.errors import InputError
    from geokit.gazetteer._build import _load_news_places, _Sources

    (tmp_path / "news_places.csv").write_text(
        "key,name,aliases,geonameid,feature,type,lat,lon,country,population,example,source\n"
        "news:x,Xville,,1,city,,,,YEM,,In [Xville].,test\n", encoding="utf-8")
    with pytest.raises(InputError, match="news:x: no GeoNames city 1 in YEM"):
        list(_load_news_places(_Sources(), tmp_path, []))


# ------------------------------------- spellings found by transliteration (issue 12)


@pytest.mark.parametrize("row", _curated_table("transliterations.csv"),
                         ids=lambda r: r["variant"])
def test_transliterated_spelling_is_found_and_resolved(row):
    # Each row's example: a spelling the index lacks, after a spatial
    # preposition, is a toponym and resolves to the row's place.
    ex = row["example"]
    name = ex[ex.index("[") + 1:ex.index("]")]
    doc = geokit.geoparse(ex.replace("[", "").replace("]", ""))
    found = {t.mention.name: t.place for t in doc.toponyms}
    assert name in found
    want = geokit.Gazetteer.default().by_key(f"gn:{row['geonameid']}")
    assert found[name].country == row["country"]
    assert haversine_km(found[name].lat, found[name].lon, want.lat, want.lon) < 60


def test_transliterated_spelling_is_never_sure_by_itself():
    # A key-only hit is taken after a spatial preposition only: not after
    # "to" or "from", nor where a person shares a key ("Putin" ~ Putian,
    # "Biden" ~ Vidin), nor before a possessive.
    assert geokit.geoparse("Families returned to Mousul.").toponyms == ()
    assert geokit.geoparse("Families camped outside Mousul.").toponyms != ()
    assert geokit.geoparse("Nothing changed in Mousul's old town.").toponyms == ()
    gaz = geokit.Gazetteer.default()
    assert gaz.translit_candidates("putin") and gaz.translit_candidates("biden")
    for text in ("A letter from Putin arrived on Monday.",
                 "The delegation met Biden in the afternoon."):
        assert [t.mention.name for t in geokit.geoparse(text).toponyms] == []


@pytest.mark.parametrize(("text", "name"), [
    ("Twenty soldiers were killed in a clash in the Galwan Valley.", "Galwan Valley"),
    ("Troops advanced in the Kodori Valley on Monday.", "Kodori"),
])
def test_a_common_word_ending_a_longer_name_is_no_town_of_that_name(text, name):
    # "Valley" is also the name of Anguilla's capital, The Valley: inside a longer
    # name NER reads, it is that name's head, not the town
    doc = geokit.geoparse(text)
    assert not any(t.place is not None and t.place.country == "AIA" for t in doc.toponyms)
    assert any(t.mention.name.startswith(name) for t in doc.toponyms)


@pytest.mark.parametrize("text", [
    "Hezbollah fired guided missiles at Israeli positions in the Shebaa Farms on Sunday.",
    "Fighters attacked positions in the Shebaa Farms.",
])
def test_the_last_word_of_a_longer_unknown_name_is_no_small_town(text):
    # "Farms" is an alternate name of West Simsbury, Connecticut: as the last
    # word of a name NER reads whole, it names no town of its own
    doc = geokit.geoparse(text)
    assert not any(t.place is not None and t.place.country == "USA" for t in doc.toponyms)
    assert "Farms" not in [t.mention.name for t in doc.toponyms]


@pytest.mark.parametrize(("text", "name"), [
    # a direction, an article or a demonym before the name makes no longer name
    ("Clashes erupted in Iraqi Kurdistan.", "Kurdistan"),
    ("Jets struck the Aleppo Governorate on Monday.", "Aleppo"),
])
def test_a_demonym_or_article_before_a_name_keeps_it(text, name):
    assert name in [t.place.name for t in geokit.geoparse(text).toponyms if t.place is not None]


@pytest.mark.parametrize(("text", "name", "place", "feature"), [
    # NER reads "the Aleppo Governorate" as an organisation or a nationality
    ("Jets struck the Aleppo Governorate on Monday.", "Aleppo Governorate", "Aleppo",
     "admin1"),
    # the capitalised word picks the province over its city, as "province" does
    ("Jets struck Aleppo Province on Monday.", "Aleppo", "Aleppo", "admin1"),
    # the index lacks "Nad Ali District" whole: no fuzzy "Noakhali District"
    ("Taliban fighters overran Nad Ali District on Monday.", "Nad Ali", "Nād ‘Alī", "admin2"),
    ("Jets bombed the Hama Governorate.", "Hama Governorate", "Hama", "admin1"),
])
def test_a_capitalised_subdivision_word_vouches_for_the_name(text, name, place, feature):
    top = [(t.mention.name, t.place.name, t.place.feature) for t in geokit.geoparse(text).toponyms
           if t.place is not None]
    assert top == [(name, place, feature)]


def test_a_capitalised_subdivision_word_inside_an_institution_name_is_no_cue():
    # an institution named after a subdivision is no place (NER reads the whole name)
    assert geokit.geoparse("He studied at Helmand Province University.").toponyms == ()


@pytest.mark.parametrize(("text", "name", "country"), [
    # "Congo" is one of two countries: the likelier still says where the text is
    ("Rebels kidnapped seven soldiers near Beni in Congo on Monday.", "Beni", "COD"),
    # and the text still decides between the two
    ("Clashes erupted in Brazzaville, Congo.", "Congo", "COG"),
])
def test_a_name_two_countries_share_still_sets_the_context(text, name, country):
    found = {t.mention.name: t.place for t in geokit.geoparse(text).toponyms}
    assert found[name].country == country
