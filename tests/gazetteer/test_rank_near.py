"""NearIndex (geokit.gazetteer._rank): the grid gives the full scan's nearest point."""

from __future__ import annotations

import math
import random

from geokit.gazetteer._rank import _CELL, _NEAR_KM, NearIndex, _nearest
from geokit.geo import EARTH_RADIUS_KM


def test_the_grid_cell_holds_every_point_within_the_near_distance():
    # The chord of _NEAR_KM must fit in one cell, or a near point could be missed.
    assert 2 * math.sin(_NEAR_KM / (2 * EARTH_RADIUS_KM)) < 0.95 * _CELL


def test_grid_answers_equal_the_full_scan_within_the_near_distance():
    rng = random.Random(7)
    # Clusters (a country's towns), scattered points, the poles and the date line.
    centres = [(50.4, 30.5), (48.9, 2.35), (-33.9, 151.2), (89.9, 10.0), (0.0, 179.9)]
    points = []
    for k in range(600):
        lat0, lon0 = rng.choice(centres) if k % 3 else (rng.uniform(-90, 90), 0.0)
        lat = max(-90.0, min(90.0, lat0 + rng.gauss(0, 3)))
        lon = (lon0 + rng.gauss(0, 6) + 180) % 360 - 180 if k % 3 else rng.uniform(-180, 180)
        points.append((f"P{k % 150}", lat, lon, f"g{k % 40}"))
    index = NearIndex(points)
    assert len(index) == len(set(points)) > 32  # the grid, not the plain scan
    checked = 0
    for _ in range(400):
        lat0, lon0 = rng.choice(centres)
        lat = max(-90.0, min(90.0, lat0 + rng.gauss(0, 4)))
        lon = (lon0 + rng.gauss(0, 8) + 180) % 360 - 180
        name, skip = f"p{rng.randrange(150)}", f"g{rng.randrange(40)}"
        full = _nearest([(n, a, b) for n, a, b, g in points if g != skip], lat, lon, name)
        got = index.nearest(lat, lon, name, skip=skip)
        if full is not None and full[0] <= _NEAR_KM:
            assert got == full
            checked += 1
        else:
            assert got is None or got[0] > _NEAR_KM
    assert checked > 300


def test_repeats_are_one_point_and_own_names_are_skipped():
    index = NearIndex([("Kyiv", 50.45, 30.52, "kyiv")] * 250 + [("Lviv", 49.84, 24.03, "lviv")])
    assert len(index) == 2
    assert index.nearest(50.0, 30.0, "Bila Tserkva", skip="lviv")[1] == "Kyiv"
    assert index.nearest(50.0, 30.0, "Bila Tserkva", skip="kyiv")[1] == "Lviv"
    assert index.nearest(50.0, 30.0, "KYIV", skip="lviv") is None  # its own name, any case
