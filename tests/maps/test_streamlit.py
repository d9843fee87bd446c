"""examples/streamlit_app.py served by Streamlit and opened in headless Chromium.

The map sits in streamlit-folium's component iframe; the test waits for it and
checks that Leaflet drew geokit's layers there (a blank iframe was reported).
Nothing leaves the machine: Streamlit listens on 127.0.0.1, Leaflet's CDN
files are answered from the packaged copies, every other request fails.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from maps_fixtures import seeds_document
from test_browser import ARTIFACTS, _packaged_assets

import geokit.maps as gm
from geokit.io._writers import documents_to_json

pytestmark = pytest.mark.browser
APP = Path(__file__).resolve().parents[2] / "examples" / "streamlit_app.py"
_START_TIMEOUT = 120  # s: a cold Streamlit start on a busy 2-core machine


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + _START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"streamlit exited ({proc.returncode}): {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:  # 127.0.0.1 only
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"streamlit did not answer {url} in {_START_TIMEOUT} s")


@pytest.fixture(scope="module")
def streamlit_app(tmp_path_factory):
    pytest.importorskip("streamlit")
    pytest.importorskip("streamlit_folium")
    tmp = tmp_path_factory.mktemp("streamlit")
    docs = [seeds_document("seed-1"), seeds_document("seed-2")]
    extract = tmp / "extract.json"
    extract.write_text(json.dumps(documents_to_json(docs, include_text=True)), "utf-8")
    port = _free_port()
    log = tmp / "streamlit.log"
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(APP), "--server.headless", "true",
             "--server.address", "127.0.0.1", "--server.port", str(port),
             "--browser.gatherUsageStats", "false", "--", str(extract)],
            stdout=out, stderr=subprocess.STDOUT, env=env, cwd=tmp)
    try:
        _wait_healthy(f"http://127.0.0.1:{port}/_stcore/health", proc, log)
        yield f"http://127.0.0.1:{port}/", docs
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _route(route) -> None:
    url = route.request.url
    if url.startswith(("http://127.0.0.1:", "ws://127.0.0.1:")):
        route.continue_()
        return
    local = _packaged_assets().get(url.rsplit("/", 1)[-1].split("?")[0])
    if local is not None:
        route.fulfill(path=str(local))
    else:
        route.abort()


def test_streamlit_example_draws_the_map_in_its_iframe(streamlit_app, browser):
    url, docs = streamlit_app
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.route("**/*", _route)
    page.goto(url)
    frame_el = page.locator("iframe[title*='st_folium']").first
    frame_el.wait_for(timeout=_START_TIMEOUT * 1000)
    frame = page.frame_locator("iframe[title*='st_folium']").first
    frame.locator(".leaflet-container").wait_for(timeout=60_000)
    frame.locator("path.geokit-event").first.wait_for(timeout=60_000)
    page.wait_for_timeout(500)
    # The map panes have content: geokit's overlays, drawn by Leaflet.
    assert frame.locator("path.geokit-event").count() == gm.timeline_layer(docs).count
    assert frame.locator("path.geokit-place").count() == gm.places_layer(docs).count
    assert frame.locator(".leaflet-overlay-pane svg path").count() > 10
    assert frame.locator(".geokit-legend").is_visible()
    box = frame_el.bounding_box()
    assert box is not None and box["height"] >= 400 and box["width"] >= 400
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "streamlit.png"), full_page=True)
    page.close()
