"""Read user place files (CSV or GeoJSON) for ``geokit gazetteer add``."""

from __future__ import annotations

import csv
import json
import math
import re
from pathlib import Path
from typing import Any

from geokit.errors import InputError, scrub_surrogates
from geokit.models import FEATURES

__all__ = ["read_user_places"]

_REQUIRED = ("name", "lat", "lon")


def _slug(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", text.lower()).strip("-")


def _text_field(rec: dict[str, Any], key: str, where: str) -> str | None:
    value = rec.get(key)
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise InputError(f"{key} must be a string, got {value!r}", source=where)
    return value.strip() or None


def _aliases(rec: dict[str, Any], where: str) -> list[str]:
    aliases = rec.get("aliases") or []
    if isinstance(aliases, str):
        return [a.strip() for a in aliases.split("|") if a.strip()]
    # A dict or numbers would reach the index as keys or crash its build later:
    # refuse them here, before the file is copied into the cache.
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise InputError(f"aliases must be a |-separated string or a list of strings, "
                         f"got {aliases!r}", source=where)
    return [a.strip() for a in aliases if a.strip()]


def _population(rec: dict[str, Any], where: str) -> int:
    value = rec.get("population")
    if value in (None, ""):
        return 0
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(f"population must be a number, got {value!r}", source=where) from None
    if not math.isfinite(number) or number < 0:
        raise InputError(f"population must be a finite number >= 0, got {value!r}",
                         source=where)
    return int(number)


def _entry(rec: dict[str, Any], where: str, source: str) -> dict[str, Any]:
    # JSON lets lone surrogates through; SQLite cannot store them.
    rec = scrub_surrogates(rec, where=where)
    missing = [k for k in _REQUIRED if rec.get(k) in (None, "")]
    if missing:
        raise InputError(f"missing {', '.join(missing)}", source=where)
    try:
        lat, lon = float(rec["lat"]), float(rec["lon"])
    except (TypeError, ValueError):
        raise InputError(f"lat/lon must be numbers, got {rec['lat']!r}, {rec['lon']!r}",
                         source=where) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):  # NaN fails this too
        raise InputError(f"lat/lon out of range: {lat}, {lon}", source=where)
    feature = _text_field(rec, "feature", where) or "city"
    if feature not in FEATURES:
        raise InputError(f"feature {feature!r} is not one of {', '.join(FEATURES)}", source=where)
    name = rec["name"]
    if not isinstance(name, str | int | float) or not str(name).strip():
        raise InputError(f"name must be a non-empty string, got {name!r}", source=where)
    name = str(name).strip()
    ident = rec.get("id")
    if ident is not None and not isinstance(ident, str | int):
        raise InputError(f"id must be a string or an integer, got {ident!r}", source=where)
    return {
        "key": f"user:{source}:{ident or _slug(name)}",
        "name": name, "lat": lat, "lon": lon, "feature": feature,
        "country": _text_field(rec, "country", where),
        "admin1": _text_field(rec, "admin1", where),
        "population": _population(rec, where), "aliases": _aliases(rec, where),
        "raw": {k: v for k, v in rec.items() if k != "geometry"},
    }


def _feature(f: Any, where: str, source: str) -> dict[str, Any]:
    if not isinstance(f, dict):
        raise InputError("geometry must be a Point", source=where)
    geom = f.get("geometry") or {}
    if not isinstance(geom, dict) or geom.get("type") != "Point":
        raise InputError("geometry must be a Point", source=where)
    coords = geom.get("coordinates")
    if not isinstance(coords, list) or len(coords) < 2:
        raise InputError("Point coordinates must be [lon, lat]", source=where)
    props = f.get("properties") or {}
    if not isinstance(props, dict):
        raise InputError("properties must be an object", source=where)
    lon, lat = coords[:2]  # GeoJSON order is lon, lat
    return _entry({**props, "lat": lat, "lon": lon}, where, source)


def read_user_places(path: str | Path) -> list[dict[str, Any]]:
    """Read a user place file.

    Parameters
    ----------
    path : str or Path
        A CSV with columns ``name, lat, lon`` and optional ``feature, country,
        admin1, population, aliases`` (``|``-separated), or a GeoJSON
        FeatureCollection of Points whose properties carry the same fields.

    Returns
    -------
    list of dict
        One entry per place.

    Raises
    ------
    InputError
        Naming the file and line or feature that is wrong.
    """
    path = Path(path)
    source = path.stem
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read: {exc}", source=str(path)) from None
    if path.suffix.lower() in (".geojson", ".json"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"not JSON: {exc}", source=str(path)) from None
        except RecursionError:
            raise InputError("not JSON: nested too deeply", source=str(path)) from None
        feats = data.get("features") if isinstance(data, dict) else None
        if not isinstance(feats, list):
            raise InputError("expected a GeoJSON FeatureCollection", source=str(path))
        return [_feature(f, f"{path}: features[{i}]", source) for i, f in enumerate(feats)]
    rows = list(csv.DictReader(text.splitlines()))
    if rows and not set(_REQUIRED) <= set(rows[0]):
        raise InputError(f"CSV needs columns {', '.join(_REQUIRED)}", source=str(path))
    return [_entry(r, f"{path}:{i + 2}", source) for i, r in enumerate(rows)]
