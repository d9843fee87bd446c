"""The optional geopy fallback, against a Nominatim stand-in on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from click.testing import CliRunner

import geokit
from geokit.cli import main
from geokit.gazetteer._online import OnlineGeocoder


class _Nominatim(BaseHTTPRequestHandler):
    requests: list[dict] = []

    def do_GET(self):  # noqa: N802 - http.server's name
        q = parse_qs(urlparse(self.path).query)
        type(self).requests.append(q)
        if q.get("q", [""])[0] == "Fail Town":
            self.send_response(500)
            self.end_headers()
            return
        body = json.dumps([{"place_id": 1, "osm_id": 42, "lat": "51.5", "lon": "-0.12",
                            "display_name": f"{q['q'][0]}, Somewhere, Nowhere"}]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture()
def server():
    _Nominatim.requests = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Nominatim)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_geocode_rate_limited_and_cached(server, tmp_path):
    slept = []
    geo = OnlineGeocoder(domain=server, scheme="http", cache_path=tmp_path / "c.sqlite",
                         sleep=slept.append, min_delay_seconds=1.0)
    a = geo.geocode("Xyzzyville", limit=1)
    b = geo.geocode("Plughtown", limit=1)
    again = geo.geocode("Xyzzyville", limit=1)
    assert (a[0].lat, a[0].lon, a[0].source) == (51.5, -0.12, "online:nominatim")
    assert a == again
    assert len(_Nominatim.requests) == 2  # the third answer came from the cache
    assert b[0].name == "Plughtown"
    assert slept and slept[0] > 0  # the second request waited for the rate limit


def test_geocode_failure_is_a_geocoder_error(server, tmp_path):
    geo = OnlineGeocoder(domain=server, scheme="http", cache_path=False, min_delay_seconds=0)
    with pytest.raises(geokit.GeocoderError, match="Fail Town"):
        geo.geocode("Fail Town")


def test_unknown_service_lists_the_valid_ones():
    with pytest.raises(geokit.ConfigurationError, match="nominatim"):
        OnlineGeocoder(service="no-such-geocoder")


def test_cli_online_only_when_offline_finds_nothing(server, tmp_path, monkeypatch):
    monkeypatch.setenv("GEOKIT_GEOCODER_DOMAIN", server)
    monkeypatch.setenv("GEOKIT_GEOCODER_SCHEME", "http")
    monkeypatch.setenv("GEOKIT_ONLINE_CACHE", str(tmp_path / "online.sqlite"))
    runner = CliRunner()
    res = runner.invoke(main, ["resolve", "Qqzxwvbnm Qqq", "--no-fuzzy", "--format", "json"])
    assert res.exit_code == 1 and _Nominatim.requests == []  # off by default
    res = runner.invoke(main, ["resolve", "Qqzxwvbnm Qqq", "--no-fuzzy", "--online",
                               "--format", "json"])
    assert res.exit_code == 0, res.output
    cand = json.loads(res.stdout)[0]["candidates"][0]
    assert cand["source"] == "online:nominatim" and cand["lat"] == 51.5
    res = runner.invoke(main, ["resolve", "Kyiv", "--online", "--format", "json"])
    assert json.loads(res.stdout)[0]["candidates"][0]["source"] != "online:nominatim"
