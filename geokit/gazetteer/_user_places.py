"""Read user place files (CSV or GeoJSON) for ``geokit gazetteer add``."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

from geokit.errors import InputError
from geokit.models import FEATURES

__all__ = ["read_user_places"]

_REQUIRED = ("name", "lat", "lon")


def _slug(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", text.lower()).strip("-")


def _entry(rec: dict[str, Any], where: str, source: str) -> dict[str, Any]:
    missing = [k for k in _REQUIRED if rec.get(k) in (None, "")]
    if missing:
        raise InputError(f"missing {', '.join(missing)}", source=where)
    try:
        lat, lon = float(rec["lat"]), float(rec["lon"])
    except (TypeError, ValueError):
        raise InputError(f"lat/lon must be numbers, got {rec['lat']!r}, {rec['lon']!r}",
                         source=where) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InputError(f"lat/lon out of range: {lat}, {lon}", source=where)
    feature = (rec.get("feature") or "city").strip()
    if feature not in FEATURES:
        raise InputError(f"feature {feature!r} is not one of {', '.join(FEATURES)}", source=where)
    aliases = rec.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [a.strip() for a in aliases.split("|") if a.strip()]
    name = str(rec["name"]).strip()
    return {
        "key": f"user:{source}:{rec.get('id') or _slug(name)}",
        "name": name, "lat": lat, "lon": lon, "feature": feature,
        "country": (rec.get("country") or None), "admin1": (rec.get("admin1") or None),
        "population": int(float(rec.get("population") or 0)), "aliases": list(aliases),
        "raw": {k: v for k, v in rec.items() if k != "geometry"},
    }


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
        feats = data.get("features") if isinstance(data, dict) else None
        if not isinstance(feats, list):
            raise InputError("expected a GeoJSON FeatureCollection", source=str(path))
        out = []
        for i, f in enumerate(feats):
            where = f"{path}: features[{i}]"
            geom = (f or {}).get("geometry") or {}
            if geom.get("type") != "Point":
                raise InputError("geometry must be a Point", source=where)
            lon, lat = geom["coordinates"][:2]  # GeoJSON order is lon, lat
            out.append(_entry({**(f.get("properties") or {}), "lat": lat, "lon": lon}, where,
                              source))
        return out
    rows = list(csv.DictReader(text.splitlines()))
    if rows and not set(_REQUIRED) <= set(rows[0]):
        raise InputError(f"CSV needs columns {', '.join(_REQUIRED)}", source=str(path))
    return [_entry(r, f"{path}:{i + 2}", source) for i, r in enumerate(rows)]
