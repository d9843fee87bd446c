"""The folium layers, the assembled map, offline inlining and the public face."""

from __future__ import annotations

import json
import re
from dataclasses import replace as _replace

import folium
import pytest
from maps_fixtures import (
    XSS_IMG,
    XSS_SCRIPT,
    capitals,
    hostile_document,
    places_only_document,
    seeds_document,
)

import geokit
import geokit.io
import geokit.maps as gm
from geokit import ConfigurationError, Document
from geokit.maps import _data, _geo, _layers


def _html(m: folium.Map) -> str:
    return m.get_root().render()


def _column(data: dict, key: str) -> list:
    # What geokit.col does in the page: a {"d": [...]} column holds
    # differences, a {"r": [...]} column runs of (value, length), a {"dr":
    # [...]} column runs of differences.
    c = data[key]
    if not isinstance(c, dict):
        return c
    if "r" in c:
        return _unrun(c["r"])
    out, v = [], 0
    for d in c["d"] if "d" in c else _unrun(c["dr"]):
        v += d
        out.append(v)
    return out


def _unrun(runs: list[int]) -> list[int]:
    return [v for v, n in zip(runs[::2], runs[1::2], strict=True) for _ in range(n)]


def _place_rows(layer) -> list[tuple]:
    d, s = layer.data, layer.data["s"]
    cols = {k: _column(d, k) for k in ("lat", "lon", "mentions", "name", "meta", "aliases",
                                       "docs", "nq", "qs", "qd")}
    rows, q = [], 0
    for i in range(d["n"]):
        quotes = [(s[cols["qd"][j]], s[cols["qs"][j]]) for j in range(q, q + cols["nq"][i])]
        q += cols["nq"][i]
        rows.append((cols["lat"][i] / 1e4, cols["lon"][i] / 1e4, s[cols["name"][i]],
                     cols["mentions"][i], cols["docs"][i], s[cols["meta"][i]], quotes))
    return rows


def test_public_names():
    assert set(gm.__all__) >= {
        "build_map", "save_map", "places_layer", "deployments_layer", "alliances_layer",
        "blocs_layer", "timeline_layer", "basemap_layer", "legend", "inline_assets", "LAYERS"}
    for name in gm.__all__:
        assert getattr(gm, name) is not None


@pytest.mark.parametrize("fn", [gm.places_layer, gm.deployments_layer, gm.timeline_layer,
                                gm.blocs_layer])
def test_each_layer_is_a_feature_group(fn):
    layer = fn([seeds_document()])
    assert isinstance(layer, folium.FeatureGroup)
    m = folium.Map(tiles=None)
    layer.add_to(m)
    html = _html(m)
    assert layer.get_name() in html


def test_layer_counts_match_the_data():
    doc = seeds_document()
    assert gm.places_layer(doc).count == 8
    assert gm.deployments_layer(doc).count == 2
    assert gm.alliances_layer(doc, capitals=capitals).count == 3
    assert gm.timeline_layer(doc).count == 4
    assert gm.timeline_layer(doc).dated == 3
    blocs = gm.blocs_layer(doc)
    # RUS, PRK, IRN polygons: the Russia-Syria partnership names no event, so
    # no confidence supports it; without the threshold Syria joins.
    assert blocs.count == 3
    assert [set(b.members) for b in blocs.blocs] == [{"RUS", "PRK", "IRN"}]
    assert [set(b.members) for b in gm.blocs_layer(doc, min_score=0).blocs] == [
        {"RUS", "PRK", "IRN", "SYR"}]


def test_arrow_from_the_actors_capital_says_so():
    doc = seeds_document()
    doc = type(doc)(doc.id, doc.text, doc.toponyms, doc.actors,
                    (_replace(doc.events[0], origin=None),), doc.relations)
    layer = gm.deployments_layer(doc, capitals=capitals)
    (row,) = layer.data["a"]
    s = layer.data["s"]
    assert (s[row[6]], s[row[7]]) == ("North Korea", "Donetsk")  # the actor's country
    assert s[row[13]] == "From Pyongyang, capital of North Korea: the text names no origin"
    assert gm.deployments_layer(doc, capitals=lambda iso3: None).count == 0
    assert s[gm.deployments_layer(seeds_document()).data["a"][0][13]] == ""  # stated origin


def test_alliance_without_capital_is_reported_not_drawn():
    layer = gm.alliances_layer(seeds_document(), capitals=lambda iso: capitals(iso)
                               if iso != "SYR" else None)
    assert layer.count == 2
    assert [x.target for x in layer.skipped] == ["SYR"]


def test_places_layer_from_geodataframe():
    gdf = geokit.to_geodataframe(places_only_document(), kind="places")
    layer = gm.places_layer(gdf)
    assert layer.count == 2
    assert sorted(_column(layer.data, "mentions")) == [1, 2]


def test_timeline_and_deployments_from_events_geodataframe():
    gdf = geokit.to_geodataframe(seeds_document(), kind="events")
    assert gm.deployments_layer(gdf).count == 2
    assert gm.timeline_layer(gdf).dated == 3


def test_clustering_is_automatic_above_threshold():
    assert gm.places_layer(seeds_document()).data["cluster"] is False
    layer = gm.places_layer(seeds_document(), cluster=True)
    assert layer.data["cluster"] is True
    assert any("markercluster" in url for _, url in layer.default_js)
    with pytest.raises(ConfigurationError, match="cluster must be"):
        gm.places_layer(seeds_document(), cluster="yes")


def test_evidence_stored_once_per_layer():
    doc = seeds_document()
    layer = gm.places_layer([doc])
    # Pyongyang's two mentions and North Korea's share sentences with others:
    # every sentence appears once in the table.
    assert len(layer.data["s"]) == len(set(layer.data["s"]))
    pyongyang = next(r for r in _place_rows(layer) if r[2] == "Pyongyang")
    assert pyongyang[6][0] == ("seed-1",
                               "Putin and Kim signed a defence pact in Pyongyang on June 19, 2024.")


def test_place_columns_decode_to_the_places():
    # The page rebuilds each marker from columns (some delta-coded) and a
    # string table shared with the other layers; decoding gives the records.
    docs = [seeds_document("a"), seeds_document("b"), places_only_document()]
    table = _layers.StringTable()
    _layers.timeline_layer(docs, strings=table)  # the table already holds other strings
    layer = gm.places_layer(docs, strings=table)
    layer.data["s"] = table.items
    points = _data.aggregate_places(docs)
    assert layer.points == points
    assert _place_rows(layer) == [
        (round(p.lat, 4), round(p.lon, 4), p.name, p.count, len(p.docs),
         " · ".join(x for x in (p.country, p.feature) if x), p.evidence) for p in points]


def test_timeline_columns_decode_to_the_events():
    docs = [seeds_document("a"), places_only_document(), seeds_document("b")]
    layer = gm.timeline_layer(docs)
    d, s = layer.data, layer.data["s"]
    cols = {k: _column(d, k) for k in ("lat", "lon", "date", "cat", "status", "what", "by",
                                       "word", "on", "place", "conf", "ev", "doc")}
    got = [(cols["lat"][i] / 1e4, cols["lon"][i] / 1e4, d["days"][cols["date"][i]],
            s[d["dates"][cols["date"][i]]], d["cats"][cols["cat"][i]], s[cols["status"][i]],
            _data.compose_label(s[cols["what"][i]], s[cols["by"][i]],
                                d["words"][cols["word"][i]], s[cols["on"][i]],
                                s[cols["place"][i]],
                                s[d["dates"][cols["date"][i]]] if cols["date"][i] else ""),
            cols["conf"][i], s[cols["ev"][i]], s[cols["doc"][i]]) for i in range(d["n"])]
    labels = {c: r.label for c, r in _layers.plover_table().items()}
    assert got == [(round(e.lat, 4), round(e.lon, 4), e.day, _data.human_date(e.date) or "undated",
                    labels[e.category], e.status, e.label, round(100 * e.confidence),
                    e.evidence, e.doc)
                   for e in _data.timed_events(docs)]
    names = [*_layers.CATEGORY_GROUPS, "other"]
    cats = list(dict.fromkeys(e.category for e in _data.timed_events(docs)))
    assert [names[g] for g in d["groups"]] == [_layers.category_group(c) for c in cats]


def test_col_codes_differences_only_when_shorter():
    assert _layers._col([10000, 10001, 10003]) == {"d": [10000, 1, 2]}
    assert _layers._col([5, 1, 5, 1]) == [5, 1, 5, 1]
    assert _layers._col([]) == []


@pytest.mark.parametrize("values", [
    [1] * 40 + [2, 2, 3] + [1] * 20, [7] * 9, [1] * 9 + [2], [0, 0, 0, 5, 5, 5, 5, 5, 5, 5, 5],
    [1, 1, 1, 1, 2],
    [30000 + i for i in range(50)], [-3] * 12 + [4] * 12, [9], [3, -2, 3, -2] * 5,
    list(range(7, 90)) + [3, 3, 3], [5, 10, 15, 20, 25, 30, 35, 40]])
def test_col_picks_the_shortest_form_that_decodes_back(values):
    import json

    got = _layers._col(values)
    assert _column({"c": got}, "c") == values
    deltas = [values[0]] + [b - a for a, b in zip(values, values[1:], strict=False)]
    forms = [values, {"d": deltas}, {"r": [x for v in _runs(values) for x in v]},
             {"dr": [x for v in _runs(deltas) for x in v]}]
    size = len(json.dumps(got, separators=(",", ":")))
    assert size <= min(len(json.dumps(f, separators=(",", ":"))) for f in forms)


def _runs(values: list[int]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for v in values:
        if out and out[-1][0] == v:
            out[-1][1] += 1
        else:
            out.append([v, 1])
    return [tuple(r) for r in out]


def test_script_safe_json_cannot_close_the_script():
    html = _html(gm.build_map([hostile_document()], capitals=capitals, tiles=None))
    for raw in (XSS_SCRIPT, XSS_IMG, "<svg onload", "</script><b>"):
        assert raw not in html
    assert "window.__xss = 1\\u003c/script\\u003e" in html  # kept as data, escaped
    assert "javascript:window" not in html.split("geokit-sources")[0] or \
        'href="javascript' not in html


def test_jinja_syntax_in_articles_is_not_evaluated():
    # branca runs rendered scripts through Jinja again: "{{ 7*7 }}" must stay text.
    doc = seeds_document()
    doc = type(doc)(doc.id, doc.text.replace("Moscow, Moscow", "{{ 7*7 }} {% if 1 %}, Moscow"),
                    doc.toponyms, doc.actors, doc.events, doc.relations)
    html = _html(gm.build_map([doc], tiles=None, capitals=capitals, title="{{ 6*7 }}"))
    assert "\\u007b{ 7*7 }} \\u007b% if 1 %}" in html
    assert "\\u007b{ 6*7 }}" in html  # the title too


def test_js_json_escapes():
    assert _layers.js_json("</script>&'\u2028") == '"\\u003c/script\\u003e\\u0026\\u0027\\u2028"'
    with pytest.raises(ValueError):
        _layers.js_json(float("nan"))


def test_legend_escapes_labels_and_checks_colours():
    lg = gm.legend([("<b>x</b>", "red;background:url(x)"), ("ok", "#c62828", "dash")])
    html = json.loads(lg.html_json)
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert "url(x)" not in html and "#777" in html
    assert "dashed #c62828" in html
    with pytest.raises(ConfigurationError, match="valid: topleft"):
        gm.legend({}, position="middle")


def test_title_links_only_web_urls():
    t = gm.MapTitle("T", [("a", "https://x.org/?a=1&b=2"), ("b", "javascript:alert(1)")])
    data = json.loads(t.data_json)
    assert data["sources"] == [["a", "https://x.org/?a=1&b=2"], ["b", None]]


def test_build_map_has_all_parts():
    m = gm.build_map([seeds_document()], title="Seeds <test>", capitals=capitals)
    html = _html(m)
    for cls in ("geokit-place", "geokit-arrow", "geokit-relation", "geokit-bloc",
                "geokit-event", "L.control.layers", "geokit-legend", "fitBounds"):
        assert cls in html, cls
    assert "<title>Seeds &lt;test&gt;</title>" in html
    assert "tile.openstreetmap.org" in html


def test_build_map_layer_choice_and_errors():
    html = _html(gm.build_map(seeds_document(), layers=["places"]))
    assert "'geokit-place'" in html and "'geokit-arrow " not in html
    with pytest.raises(ConfigurationError, match="valid layers: alliances, blocs"):
        gm.build_map(seeds_document(), layers=["places", "arrows"])
    with pytest.raises(ConfigurationError, match="unknown tiles"):
        gm.build_map(seeds_document(), tiles="No Such Tiles")


def test_empty_document_gives_a_map_with_a_message():
    html = _html(gm.build_map([Document("d1", "No place names here.")]))
    assert "No places or events found in 1 document: nothing to draw." in html
    assert "fitBounds" not in html


def test_offline_map_links_nothing_remote():
    html = _html(gm.build_map([seeds_document()], offline=True, capitals=capitals,
                              cluster=True))
    assert not re.search(r"<(script|link)[^>]+(src|href)=", html)
    assert "tile.openstreetmap" not in html
    assert "L.markerClusterGroup" in html and "L.MarkerClusterGroup=L.FeatureGroup" in html
    assert "geokit-basemap" in html
    # Leaflet's CSS images are data: URIs, not files beside the HTML.
    assert "url(images/" not in html


def test_offline_refuses_an_asset_it_cannot_inline():
    m = gm.build_map([seeds_document()], tiles=None)
    folium.plugins.Fullscreen().add_to(m)
    with pytest.raises(ConfigurationError, match="cannot inline asset"):
        gm.inline_assets(m)


def test_save_map_is_atomic(tmp_path):
    out = tmp_path / "m.html"
    out.write_text("old")
    gm.save_map(gm.build_map([seeds_document()], tiles=None), out)
    assert out.read_text().startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["m.html"]


def test_natural_earth_source_is_the_packaged_file():
    path = _geo.natural_earth_path()
    assert path.name == "ne_10m_admin_0_countries_deu.zip" and path.is_file()
    names = _geo.country_names()
    assert names["PRK"] == "North Korea" and names["FRA"] == "France"
    fc = gm.countries_geojson({"UKR"})
    (feature,) = fc["features"]
    from shapely.geometry import shape

    point = shape(feature["geometry"]).representative_point()
    assert 22 < point.x < 41 and 44 < point.y < 53  # GeoJSON order: x is the longitude


def test_mercator_angle():
    assert round(_geo.mercator_angle(0, 0, 0, 10)) == 0
    assert round(_geo.mercator_angle(0, 0, 10, 0)) == -90
    assert round(_geo.mercator_angle(10, 10, 0, 0)) == 135


def test_saved_maps_are_reproducible(tmp_path):
    a = gm.save_map(gm.build_map([seeds_document()], capitals=capitals), tmp_path / "a.html")
    b = gm.save_map(gm.build_map([seeds_document()], capitals=capitals), tmp_path / "b.html")
    page = a.read_text("utf-8")
    assert page == b.read_text("utf-8")  # branca's ids are random: renumbered in tree order
    assert re.search(r"map_[0-9a-f]{32}", page)  # the ids are still well-formed


def test_online_map_links_leaflet_but_no_jquery_bootstrap_or_awesome_markers():
    html = _html(gm.build_map([seeds_document()], capitals=capitals))
    assert re.search(r'<script src="[^"]*leaflet[^"]*\.js"', html)
    for asset in ("jquery", "bootstrap", "awesome-markers", "glyphicons"):
        assert asset not in html.lower(), asset
    # folium's class lists stay as they were for other maps in the process
    assert any(n == "jquery" for n, _ in folium.Map.default_js)


def _fitted(m: folium.Map) -> list[list[float]]:
    (fit,) = [c for c in m._children.values() if type(c).__name__ == "FitBounds"]
    return fit.bounds


def test_map_frames_events_not_incidental_mentions():
    doc = seeds_document()
    far = Document("far", "A Russian said so.", (
        geokit.Toponym(geokit.Mention(2, 9, "Russian"),
                       geokit.Place("Russia", 66.0, 160.0, "RUS", feature="country"), 0.9),))
    (lo_lat, lo_lon), (hi_lat, hi_lon) = _fitted(gm.build_map([doc, far], capitals=capitals))
    events = [(e.lat, e.lon) for e in _data.timed_events(doc)]
    arrows = [pt for a in _data.deployment_arrows(doc) for pt in
              ((a.origin.lat, a.origin.lon), (a.dest.lat, a.dest.lon))]
    assert (lo_lat, hi_lat) == (min(p[0] for p in events + arrows),
                                max(p[0] for p in events + arrows))
    assert hi_lon == max(p[1] for p in events + arrows) < 160.0  # Siberia stays out
    # With no events, the places frame the map.
    (_, (top, _)) = _fitted(gm.build_map([far, places_only_document()]))
    assert top == 66.0


def test_build_map_filters_events_by_score_and_date():
    m = gm.build_map(seeds_document(), capitals=capitals, min_score=0.85, since="2024")
    html = _html(m)
    assert '"n":2,' in html  # the two 2024 events of confidence 0.9
    with pytest.raises(ConfigurationError, match="since must be an ISO date"):
        gm.build_map(seeds_document(), since="yesterday")


def test_offline_basemap_names_countries_and_capitals():
    layer = gm.basemap_layer()
    rows = layer.data["lb"]
    by_name = {r[2]: r for r in rows}
    assert by_name["Iraq"][4] == 0 and by_name["Syria"][4] == 0
    assert by_name["Baghdad"][4] == 1 and by_name["Damascus"][4] == 1
    assert 30 < by_name["Iraq"][0] < 37 and 39 < by_name["Iraq"][1] < 48
    assert by_name["Russia"][3] < by_name["Syria"][3] <= by_name["Damascus"][3]
    assert layer.labels == len(rows) > 300
    assert gm.basemap_layer(labels=False).data["lb"] == []
