"""Maps opened in a real headless Chromium (Debian's) through Playwright.

The numbers the page shows are compared with the layers' own counts, which
come from the pure aggregation functions tested in test_maps_data.py.
Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from maps_fixtures import (
    XSS_IMG,
    XSS_SCRIPT,
    XSS_SVG,
    capitals,
    hostile_document,
    seeds_document,
)

import geokit.maps as gm
from geokit import Document, Mention, Place, Toponym

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def _packaged_assets() -> dict[str, Path]:
    from xstatic.pkg import leaflet, leaflet_markercluster

    leaflet_dir, cluster_dir = Path(leaflet.BASE_DIR), Path(leaflet_markercluster.BASE_DIR)
    return {"leaflet.js": leaflet_dir / "leaflet.js", "leaflet.css": leaflet_dir / "leaflet.css",
            "leaflet.markercluster.js": cluster_dir / "leaflet.markercluster.js",
            "MarkerCluster.css": cluster_dir / "MarkerCluster.css",
            "MarkerCluster.Default.css": cluster_dir / "MarkerCluster.Default.css"}


def _offline_route(route) -> None:
    # Tests never touch the network. An online map's CDN links to Leaflet and
    # markercluster are answered from the same packaged files the offline mode
    # inlines; every other request (tiles, jQuery, Bootstrap) fails here.
    url = route.request.url
    if url.startswith("file:"):
        route.continue_()
        return
    local = _packaged_assets().get(url.rsplit("/", 1)[-1])
    if local is not None:
        route.fulfill(path=str(local))
    else:
        route.abort()


class Opened:
    """A page with the map open, and what it did while opening."""

    def __init__(self, browser, path: Path, *, block_network: bool = True) -> None:
        self.page = browser.new_page(viewport={"width": 1200, "height": 800})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text)
                     if m.type == "error" and "Failed to load resource" not in m.text
                     else None)
        self.page.on("request", lambda r: self.requests.append(r.url))
        if block_network:
            self.page.route("**/*", _offline_route)
        self.page.goto(path.as_uri())
        self.page.wait_for_selector(".leaflet-container")
        self.page.wait_for_timeout(300)

    def count(self, selector: str) -> int:
        return self.page.locator(selector).count()

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / name))


@pytest.fixture(scope="module")
def seeds_map(tmp_path_factory):
    docs = [seeds_document("seed-1"), seeds_document("seed-2")]
    m = gm.build_map(docs, title="Seeds: deployments and alliances", capitals=capitals)
    path = gm.save_map(m, tmp_path_factory.mktemp("maps") / "seeds.html")
    counts = {
        "places": gm.places_layer(docs).count,
        "arrows": len(gm.deployment_arrows(docs)),
        "links": gm.alliances_layer(docs, capitals=capitals).count,
        "blocs": gm.blocs_layer(docs).count,
        "events": gm.timeline_layer(docs).count,
    }
    return path, counts, docs


def test_seeds_map_opens_and_counts_match(browser, seeds_map):
    path, counts, _ = seeds_map
    o = Opened(browser, path)
    o.shot("seeds.png")
    assert o.errors == []
    assert counts == {"places": 8, "arrows": 2, "links": 3, "blocs": 3, "events": 8}
    assert o.count("path.geokit-place") == counts["places"]
    assert o.count("path.geokit-arrow") == counts["arrows"]
    assert o.count(".geokit-arrowhead") == counts["arrows"]
    assert o.count("path.geokit-planned") == 1 and o.count("path.geokit-happened") == 1
    assert o.count("path.geokit-relation") == counts["links"]
    assert o.count("path.geokit-rel-alliance") == 1
    assert o.count("path.geokit-bloc") == counts["blocs"]
    assert o.count("path.geokit-event") == counts["events"]
    legend = o.page.locator(".geokit-legend")
    assert legend.is_visible()
    assert "Deployment, planned" in legend.inner_text()
    assert "Relation: arms supply" in legend.inner_text()
    assert "Bloc 1: Russia" in legend.inner_text()
    assert o.page.locator(".geokit-title").inner_text() == "Seeds: deployments and alliances"
    assert o.page.locator(".geokit-sources summary").inner_text() == "Sources (2)"
    links = o.page.locator(".geokit-sources a")
    assert links.count() == 2 and links.first.get_attribute("href") == "https://example.org/news/1"
    # Fit to the data: every place is inside the visible map.
    inside = o.page.evaluate("""() => {
        const box = document.querySelector('.leaflet-container').getBoundingClientRect();
        return [...document.querySelectorAll('path.geokit-place')].every(p => {
            const r = p.getBoundingClientRect();
            return r.left >= box.left && r.right <= box.right
                && r.top >= box.top && r.bottom <= box.bottom; });
    }""")
    assert inside
    o.page.close()


def test_page_decodes_every_column_form(browser, seeds_map):
    # Columns come plain, as differences, as runs or as runs of differences
    # (whichever is shortest); the page's decoder must give back the values.
    from geokit.maps import _layers

    cases = [[3, 1, 3], [21270, 21274, 21279], [1] * 9 + [2], list(range(40, 60)),
             [5, 10, 15, 20, 25, 30, 35, 40], [-3] * 12 + [4] * 12]
    coded = [_layers._col(v) for v in cases]
    assert {next(iter(c)) if isinstance(c, dict) else "" for c in coded} == {"", "d", "r", "dr"}
    o = Opened(browser, seeds_map[0])
    assert o.page.evaluate("cs => cs.map(c => window.geokit.col(c))", coded) == cases
    assert o.errors == []
    o.page.close()


def test_layer_control_toggles_a_layer(browser, seeds_map):
    o = Opened(browser, seeds_map[0])
    box = o.page.locator(".leaflet-control-layers-overlays label", has_text="Deployments")
    box.locator("input").uncheck()
    assert o.count("path.geokit-arrow") == 0 and o.count(".geokit-arrowhead") == 0
    assert o.count("path.geokit-place") == 8  # the others stay
    o.shot("seeds-no-deployments.png")
    box.locator("input").check()
    assert o.count("path.geokit-arrow") == 2
    assert o.errors == []
    o.page.close()


# Each overlay, what it draws, and how many of those the seeds map has.
OVERLAYS = [("Places", "path.geokit-place", 8), ("Deployments", ".geokit-arrowhead", 2),
            ("Alliances and relations", "path.geokit-relation", 3),
            ("Blocs", "path.geokit-bloc", 3), ("Events over time", "path.geokit-event", 8),
            ("Events over time", ".geokit-timeline", 1)]


@pytest.mark.parametrize(("label", "selector", "n"), OVERLAYS)
def test_every_overlay_hides_only_itself(browser, seeds_map, label, selector, n):
    o = Opened(browser, seeds_map[0])
    others = [(sel, k) for lab, sel, k in OVERLAYS if lab != label]
    assert o.count(selector) == n
    box = o.page.locator(".leaflet-control-layers-overlays label", has_text=label)
    box.locator("input").uncheck()
    assert o.count(selector) == 0
    assert [o.count(sel) for sel, _ in others] == [k for _, k in others]
    box.locator("input").check()
    assert o.count(selector) == n
    assert o.errors == []
    o.page.close()


def test_popup_quotes_the_evidence(browser, seeds_map):
    path, _, docs = seeds_map
    layer = gm.places_layer(docs)
    i = next(k for k, p in enumerate(layer.points) if p.name == "Donetsk")
    o = Opened(browser, path)
    o.page.locator("path.geokit-place").nth(i).dispatch_event("click")
    popup = o.page.locator(".leaflet-popup-content")
    popup.wait_for()
    o.page.wait_for_timeout(400)  # the popup fades in and pans the map: then the screenshot
    text = popup.inner_text()
    assert "Donetsk" in text and "2 mentions in 2 documents" in text
    assert "North Korea is set to send engineering troops to Donetsk in July 2024." in text
    o.shot("seeds-popup.png")
    o.page.close()


def test_arrow_tooltip_and_time_slider(browser, seeds_map):
    o = Opened(browser, seeds_map[0])
    o.page.locator("path.geokit-planned").dispatch_event("mouseover")
    tip = o.page.locator(".leaflet-tooltip").last
    tip.wait_for()
    assert "North Korea → Donetsk" in tip.inner_text()
    assert "Size: 10 engineering brigades" not in tip.inner_text()  # not this sentence
    assert "Date: 2024-07" in tip.inner_text()
    # Slide back to 2015: the 2015 deployment and the undated arms supply stay.
    o.page.evaluate("""() => {
        const s = document.querySelector('.geokit-timeline input');
        s.value = s.min; s.dispatchEvent(new Event('input'));
    }""")
    assert o.count("path.geokit-event") == 2 * 2
    assert o.page.locator(".geokit-timeline b").inner_text() == "2015-01-01"
    assert o.errors == []
    o.page.close()


def test_offline_map_makes_no_request(browser, tmp_path):
    m = gm.build_map([seeds_document()], offline=True, title="Offline", capitals=capitals,
                     cluster=True)
    path = gm.save_map(m, tmp_path / "offline.html")
    o = Opened(browser, path, block_network=False)
    o.shot("seeds-offline.png")
    assert o.requests == [path.as_uri()]
    assert o.errors == []
    assert o.count("path.geokit-basemap") > 150  # country outlines instead of tiles
    assert o.count(".leaflet-tile") == 0
    assert o.count("path.geokit-place") + o.count(".marker-cluster") >= 1
    assert o.count("path.geokit-arrow") == 2
    o.page.close()


def test_article_markup_is_shown_as_text_and_never_runs(browser, tmp_path):
    doc = hostile_document()
    m = gm.build_map([doc], offline=True, title=f"Title {XSS_SVG}", capitals=capitals)
    path = gm.save_map(m, tmp_path / "xss.html")
    o = Opened(browser, path, block_network=False)
    layer = gm.places_layer(doc)
    seen = []
    for i in range(layer.count):
        o.page.locator("path.geokit-place").nth(i).dispatch_event("click")
        o.page.wait_for_timeout(250)  # the previous popup fades out
        seen.append(o.page.locator(".leaflet-popup-content").last.inner_text())
        if i == 0:
            o.shot("xss-popup.png")  # the injected markup shown as text in a popup
    o.page.locator("path.geokit-arrow").dispatch_event("mouseover")
    seen.append(o.page.locator(".leaflet-tooltip").last.inner_text())
    o.page.locator("path.geokit-relation").dispatch_event("mouseover")
    seen.append(o.page.locator(".leaflet-tooltip").last.inner_text())
    o.page.locator(".geokit-sources summary").click()
    seen.append(o.page.locator(".geokit-sources").inner_text())
    seen.append(o.page.locator(".geokit-title").inner_text())
    o.page.wait_for_timeout(300)
    o.shot("xss.png")
    everything = "\n".join(seen)
    for raw in (XSS_SCRIPT, XSS_IMG, XSS_SVG):
        assert raw in everything  # visible, as text
    assert "Russia" + XSS_SCRIPT in everything  # actor names too
    assert "<b>evil</b>" in everything
    assert o.page.evaluate("window.__xss") is None
    assert o.page.locator(".geokit-sources a").count() == 0  # javascript: URL not linked
    assert o.count("img[src=x]") == 0 and o.count(".leaflet-container svg[onload]") == 0
    assert o.errors == []
    o.page.close()


@pytest.mark.parametrize("offline", [False, True])
def test_document_without_places_opens_as_an_empty_map_with_a_message(browser, tmp_path,
                                                                       offline):
    m = gm.build_map([Document("d1", "No place names here.")], offline=offline, title="Empty")
    path = gm.save_map(m, tmp_path / "empty.html")
    o = Opened(browser, path, block_network=not offline)
    o.shot(f"empty{'-offline' if offline else ''}.png")
    assert o.errors == []
    notice = o.page.locator(".geokit-empty")
    assert notice.is_visible()
    assert notice.inner_text() == "No places or events found in 1 document: nothing to draw."
    assert o.count("path.geokit-place") == 0 and o.count(".leaflet-control-layers") == 1
    if offline:
        assert o.requests == [path.as_uri()]
    o.page.close()


@pytest.fixture(scope="module")
def real_seeds(seed_texts, gazetteer, tmp_path_factory):
    # The seed articles through the real pipeline (geokit.extract), not the
    # hand-built fixture: the map the README shows.
    import geokit

    docs = [geokit.extract(text, id=stem) for stem, text in seed_texts.items()]
    m = gm.build_map(docs, offline=True, title="Seeds")
    path = gm.save_map(m, tmp_path_factory.mktemp("real") / "seeds-real.html")
    return path, docs


def test_real_seeds_map_counts_arrows_and_links(browser, real_seeds):
    path, docs = real_seeds
    deployments = gm.deployments_layer(docs)
    counts = {"places": gm.places_layer(docs).count, "arrows": deployments.count,
              "links": gm.alliances_layer(docs).count, "events": gm.timeline_layer(docs).count}
    assert counts["places"] > 20 and counts["links"] >= 3 and counts["events"] > 10
    # North Korea -> Donetsk, the articles' headline: the extractor starts the
    # movement on the sender's own ground (the text names no "from").
    nk = [a for a in deployments.arrows
          if a.origin.country == "PRK" and a.dest.name == "Donetsk"]
    assert nk and nk[0].origin.name in ("North Korea", "Pyongyang")
    o = Opened(browser, path, block_network=False)
    o.shot("seeds-real.png")
    assert o.errors == [] and o.requests == [path.as_uri()]
    # Clustering is automatic above 300 places; fewer here, so every place is a marker.
    assert o.count("path.geokit-place") == counts["places"]
    assert o.count("path.geokit-arrow") == counts["arrows"]
    assert o.count(".geokit-arrowhead") == counts["arrows"]
    assert o.count("path.geokit-relation") == counts["links"]
    assert o.count("path.geokit-event") == counts["events"]
    i = deployments.arrows.index(nk[0])
    o.page.locator("path.geokit-arrow").nth(i).dispatch_event("mouseover")
    tip = o.page.locator(".leaflet-tooltip").last
    tip.wait_for()
    text = tip.inner_text()
    assert f"{nk[0].origin.name} → Donetsk" in text
    assert nk[0].evidence[0][1] in text
    o.page.close()


@pytest.mark.slow
def test_hundred_thousand_places_cluster(browser, tmp_path):
    rng = random.Random(7)
    docs = []
    for d in range(1000):
        tops = []
        for k in range(100):
            lat, lon = rng.uniform(-55, 70), rng.uniform(-170, 170)
            place = Place(f"P{d}-{k}", lat, lon, key=f"k{d}-{k}")
            tops.append(Toponym(Mention(k, k + 1, "x"), place))
        docs.append(Document(f"d{d}", "x" * 100, tuple(tops)))
    layer = gm.places_layer(docs)
    assert layer.count == 100_000 and layer.data["cluster"] is True
    m = gm.build_map(docs, layers=["places"], tiles=None)
    path = gm.save_map(m, tmp_path / "big.html")
    o = Opened(browser, path)
    # chunkedLoading adds the markers in slices: wait until the clusters hold all.
    o.page.wait_for_function("""() => [...document.querySelectorAll('.marker-cluster span')]
        .reduce((a, s) => a + Number(s.textContent), 0)
        + document.querySelectorAll('path.geokit-place').length === 100000""",
                             timeout=90_000)
    o.shot("places-100k.png")
    assert o.count(".marker-cluster") > 10
    assert o.count("path.geokit-place") < 1000  # drawn as clusters, not 100k markers
    assert o.errors == []
    o.page.close()


def test_event_popup_speaks_words_and_names_its_source(browser, tmp_path):
    from dataclasses import replace

    doc = replace(seeds_document(), meta={"title": "Kim <b>sends</b> troops",
                                          "url": "https://example.org/k"})
    m = gm.build_map([doc], capitals=capitals, offline=True)
    o = Opened(browser, gm.save_map(m, tmp_path / "words.html"))
    events = gm.timeline_layer(doc)
    i = next(k for k, e in enumerate(gm.timed_events(doc)) if e.subtype == "defence_pact")
    marker = o.page.locator("path.geokit-event").nth(i)
    opacities = [float(o.page.locator("path.geokit-event").nth(k).get_attribute("fill-opacity"))
                 for k in range(events.count)]
    confidences = [e.confidence for e in gm.timed_events(doc)]
    # More sure, more opaque: the 0.7 event is the faintest.
    assert opacities.index(min(opacities)) == confidences.index(min(confidences))
    marker.dispatch_event("click")
    popup = o.page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert "Defence pact by Vladimir Putin with North Korea, Pyongyang, 19 Jun 2024" in text
    assert "Confidence 90%" in text and "Agreement, happened, 19 Jun 2024" in text
    assert "Kim <b>sends</b> troops" in text  # the title as text, not markup
    assert o.page.locator(".geokit-popup b b").count() == 0
    assert "defence_pact" not in text and "AGREE" not in text
    # The page joins every event's label as Python's event_label does.
    for k, e in enumerate(gm.timed_events(doc)):
        o.page.locator("path.geokit-event").nth(k).dispatch_event("click")
        o.page.wait_for_timeout(50)
        assert o.page.locator(".geokit-popup > b").last.inner_text() == e.label
    source = o.page.locator(".geokit-sources a")
    assert source.text_content() == "Kim <b>sends</b> troops"
    assert o.errors == []
    o.page.close()


def test_offline_basemap_names_countries_and_capitals(browser, tmp_path):
    m = gm.build_map([seeds_document()], capitals=capitals, offline=True)
    o = Opened(browser, gm.save_map(m, tmp_path / "labels.html"))
    names = o.page.locator(".geokit-country").all_text_contents()
    assert "Ukraine" in names and "Iran" in names and "China" in names
    o.page.evaluate("""() => { const map = Object.values(window)
        .find(v => v && v instanceof L.Map); map.setView([34, 40], 6, {animate: false}); }""")
    o.page.wait_for_timeout(300)
    names = o.page.locator(".geokit-country").all_text_contents()
    capitals_shown = o.page.locator(".geokit-capital").all_text_contents()
    assert {"Iraq", "Syria"} <= set(names)
    assert {"Baghdad", "Damascus"} <= set(capitals_shown)
    o.shot("offline-labels.png")
    assert o.errors == []
    o.page.close()
