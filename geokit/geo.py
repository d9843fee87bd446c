"""The one great-circle distance geokit measures with.

Every stage that compares two points (ranking candidates, scoring against gold,
placing events, checking origins) calls :func:`haversine_km`, on the sphere the
field's evaluations use (mean Earth radius 6371.0088 km, the IUGG value; the
GeoVirus/WoTR/WikToR metric definitions name it).

May import: the standard library only.
"""

from __future__ import annotations

import math

__all__ = ["EARTH_RADIUS_KM", "haversine_km"]

#: Mean Earth radius (IUGG), the field's standard for acc@161 and error km.
EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance in km between two points in degrees.

    Written out rather than taken from geopy because it runs in the ranking
    hot loop, where geopy's Point objects cost ten times more.

    Examples
    --------
    >>> round(haversine_km(50.45, 30.52, 48.0, 37.8))  # Kyiv to Donetsk
    594
    >>> haversine_km(10.0, 20.0, 10.0, 20.0)
    0.0
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
