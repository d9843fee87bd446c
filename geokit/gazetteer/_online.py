"""Optional online fallback through geopy: off unless asked for.

Used by :meth:`geokit.Gazetteer.resolve` (``online=``) when the offline index
has no candidate. geopy does the talking (any of its geocoders by service
name), its :class:`~geopy.extra.rate_limiter.RateLimiter` spaces the calls
(Nominatim's usage policy asks for one per second), and answers are kept in a
small SQLite cache so a name is asked once.

A self-hosted Nominatim is reached with ``GEOKIT_GEOCODER_DOMAIN`` (host:port)
and ``GEOKIT_GEOCODER_SCHEME`` (http or https); tests point these at a server
on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from geokit.errors import ConfigurationError, GeocoderError
from geokit.models import Place

__all__ = ["OnlineGeocoder"]

_SCORE = 0.5  # an online answer has no offline evidence to weigh; say so plainly


class OnlineGeocoder:
    """A geopy geocoder with rate limiting and an on-disk cache.

    Parameters
    ----------
    service : str, default "nominatim"
        A geopy service name (``geopy.geocoders.SERVICE_TO_GEOCODER``).
    min_delay_seconds : float, default 1.0
        Least time between two requests (geopy's RateLimiter).
    cache_path : path-like, optional
        SQLite cache file; default ``$GEOKIT_ONLINE_CACHE`` or
        ``<geokit cache>/online-cache.sqlite``.
        ``False`` disables the cache.
    geocoder : object, optional
        A ready geopy geocoder (overrides ``service`` options).
    sleep : callable, optional
        Passed to the RateLimiter (tests inject a fake clock).
    **options
        Passed to the geopy geocoder (``domain``, ``scheme``, ``timeout``, ...).
    """

    def __init__(self, *, service: str = "nominatim", min_delay_seconds: float = 1.0,
                 cache_path: str | os.PathLike[str] | bool | None = None,
                 geocoder: Any = None, sleep: Callable[[float], None] | None = None,
                 **options: Any) -> None:
        from geopy.extra.rate_limiter import RateLimiter
        from geopy.geocoders import get_geocoder_for_service

        from geokit._version import __version__

        self.service = service
        if geocoder is None:
            try:
                cls = get_geocoder_for_service(service)
            except Exception as exc:  # geopy's GeocoderNotFound lists nothing useful
                from geopy.geocoders import SERVICE_TO_GEOCODER

                raise ConfigurationError(
                    f"unknown geocoder service {service!r}; use one of "
                    f"{', '.join(sorted(SERVICE_TO_GEOCODER))}") from exc
            if "domain" not in options and os.environ.get("GEOKIT_GEOCODER_DOMAIN"):
                options["domain"] = os.environ["GEOKIT_GEOCODER_DOMAIN"]
            if "scheme" not in options and os.environ.get("GEOKIT_GEOCODER_SCHEME"):
                options["scheme"] = os.environ["GEOKIT_GEOCODER_SCHEME"]
            if service == "nominatim":
                options.setdefault("user_agent", f"geokit/{__version__}")
            geocoder = cls(**options)
        self._geocoder = geocoder
        # No retry: a retry logs geopy's traceback and waits, and without network
        # it only doubles the time to the same GeocoderError.
        limiter_opts: dict[str, Any] = {"min_delay_seconds": min_delay_seconds,
                                        "max_retries": 0, "swallow_exceptions": False}
        self._geocode = RateLimiter(geocoder.geocode, **limiter_opts)
        if sleep is not None:
            self._geocode._sleep = sleep  # geopy's own hook, which its tests patch too

        if cache_path is False:
            self._cache_path: Path | None = None
        else:
            from geokit.paths import cache_dir

            env = os.environ.get("GEOKIT_ONLINE_CACHE")
            self._cache_path = Path(cache_path or env or cache_dir() / "online-cache.sqlite")
        self._lock = threading.Lock()

    def _cache(self) -> sqlite3.Connection | None:
        if self._cache_path is None:
            return None
        self._cache_path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self._cache_path)
        con.execute("CREATE TABLE IF NOT EXISTS answer (key TEXT PRIMARY KEY, value TEXT)")
        return con

    def geocode(self, name: str, *, limit: int = 1, country: str | None = None
                ) -> tuple[Place, ...]:
        """Ask the online geocoder for a name.

        Parameters
        ----------
        name : str
        limit : int
            Most candidates wanted.
        country : str, optional
            ISO alpha-3 to prefer (passed as Nominatim ``country_codes`` when possible).

        Returns
        -------
        tuple of Place
            ``source`` is ``online:<service>``; ``raw`` is the service's answer.

        Raises
        ------
        GeocoderError
            When the service fails (network, quota, bad answer).
        """
        key = json.dumps([self.service, name, limit, country])
        with self._lock:
            con = self._cache()
            try:
                if con is not None:
                    row = con.execute("SELECT value FROM answer WHERE key = ?", [key]).fetchone()
                    if row:
                        return tuple(_place(r, self.service) for r in json.loads(row[0]))
                kwargs: dict[str, Any] = {"exactly_one": False}
                if self.service == "nominatim":
                    kwargs["limit"] = limit
                    if country:
                        iso2 = _iso2(country)
                        if iso2:
                            kwargs["country_codes"] = iso2
                try:
                    found = self._geocode(name, **kwargs) or []
                except Exception as exc:  # geopy raises many types; one to callers
                    raise GeocoderError(
                        f"online geocoder {self.service!r} failed for {name!r}: {exc}") from exc
                records = [{"address": loc.address, "lat": loc.latitude, "lon": loc.longitude,
                            "raw": loc.raw} for loc in list(found)[:limit]]
                if con is not None:
                    con.execute("INSERT OR REPLACE INTO answer VALUES (?, ?)",
                                [key, json.dumps(records)])
                    con.commit()
            finally:
                if con is not None:
                    con.close()
        return tuple(_place(r, self.service) for r in records)


def _iso2(iso3: str) -> str | None:
    import pycountry

    c = pycountry.countries.get(alpha_3=iso3.upper())
    return c.alpha_2.lower() if c else None


def _place(r: dict[str, Any], service: str) -> Place:
    raw = r.get("raw") or {}
    return Place(
        name=str(r["address"]).split(",")[0].strip() or str(r["address"]),
        lat=float(r["lat"]), lon=float(r["lon"]), feature="city",
        source=f"online:{service}", score=_SCORE,
        why=f"online {service}: {r['address']}", key=f"online:{service}:{raw.get('osm_id', '')}",
        raw=raw,
    )
