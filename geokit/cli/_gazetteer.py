"""``geokit resolve`` and ``geokit gazetteer build|info|add``."""

from __future__ import annotations

import sys
from typing import Any

import click

from geokit.cli._common import (
    EXIT_BAD_INPUT,
    EXIT_NOT_FOUND,
    emit,
    fail,
    format_option,
    handle_errors,
)
from geokit.errors import GeocoderError, GeokitError, InputError

_RESOLVE_COLUMNS = (
    "query", "rank", "name", "country", "admin1", "feature", "lat", "lon", "population",
    "geonameid", "score", "why",
)


def _stdin_names() -> list[tuple[str, str | InputError]]:
    """Names from standard input, one per line; undecodable lines become errors."""
    out: list[tuple[str, str | InputError]] = []
    for i, raw in enumerate(sys.stdin.buffer.read().splitlines(), start=1):
        where = f"<stdin>:{i}"
        try:
            out.append((where, raw.decode("utf-8")))
        except UnicodeDecodeError as exc:
            out.append((where, InputError(f"invalid UTF-8 at byte {exc.start}", source=where)))
    return out


def _candidates_geojson(results: list[dict[str, Any]]) -> dict[str, Any]:
    features = [
        {"type": "Feature",
         # RFC 7946 order is lon, lat; everywhere else geokit says lat, lon.
         "geometry": {"type": "Point", "coordinates": [c["lon"], c["lat"]]},
         "properties": {"query": r["query"], "rank": i, **c}}
        for r in results for i, c in enumerate(r["candidates"], start=1)
    ]
    return {"type": "FeatureCollection", "features": features}


@click.command("resolve")
@click.argument("names", nargs=-1)
@click.option("--context", "context", default="",
              help="Comma-separated names mentioned alongside (e.g. Luhansk,Kyiv).")
@click.option("--country", default=None, help="Prefer places in this country (UA, UKR, Ukraine).")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 100),
              help="Candidates per name.")
@click.option("--no-fuzzy", is_flag=True, help="Exact names only.")
@click.option("--online", default=None, is_flag=False, flag_value="nominatim",
              help="Ask an online geocoder (geopy service, default nominatim) when nothing "
                   "matches offline. Off unless given.")
@format_option(["table", "json", "csv", "geojson"])
@handle_errors
def resolve_cmd(names: tuple[str, ...], context: str, country: str | None, limit: int,
                no_fuzzy: bool, online: str | None, fmt: str) -> None:
    """Resolve place NAMES with the offline gazetteer (stdin, one per line, when none given).

    Each candidate has a score in [0, 1] and a short why. Exit status: 0 all
    found, 1 some name had no candidate, 2 bad input (the other names are
    still answered).
    """
    from geokit.gazetteer._index import Gazetteer

    items: list[tuple[str, str | InputError]] = (
        [(f"argument {i}", n) for i, n in enumerate(names, start=1)] if names else _stdin_names()
    )
    ctx = [c.strip() for c in context.split(",") if c.strip()]
    gaz = Gazetteer.default()
    results: list[dict[str, Any]] = []
    bad = missing = False
    for where, name in items:
        if isinstance(name, InputError):
            click.echo(f"geokit: error: {name}", err=True)
            bad = True
            continue
        try:
            places = gaz.resolve(name, context=ctx, country=country, limit=limit,
                                 fuzzy=not no_fuzzy, online=online)
        except InputError as exc:
            click.echo(f"geokit: error: {where}: {exc}", err=True)
            bad = True
            continue
        except GeocoderError as exc:
            # Keep the answers already found; without network every later name
            # would fail the same way after a timeout, so stop asking online.
            click.echo(f"geokit: error: {where}: {exc}; not asking online for the rest",
                       err=True)
            bad, online = True, None
            places = gaz.resolve(name, context=ctx, country=country, limit=limit,
                                 fuzzy=not no_fuzzy)
        if not places:
            click.echo(f"geokit: no place found for {name!r}", err=True)
            missing = True
        results.append({"query": name, "candidates": [p.to_dict() for p in places]})
    if fmt == "json":
        emit(results, "json")
    elif fmt == "geojson":
        emit(_candidates_geojson(results), "geojson")
    else:
        rows = [{"query": r["query"], "rank": i, **c}
                for r in results for i, c in enumerate(r["candidates"], start=1)]
        emit(rows, fmt, columns=_RESOLVE_COLUMNS)
    if bad:
        sys.exit(EXIT_BAD_INPUT)
    if missing:
        sys.exit(EXIT_NOT_FOUND)


@click.group("gazetteer")
def gazetteer_group() -> None:
    """Build, inspect and extend the offline gazetteer index."""


@gazetteer_group.command("build")
@click.option("--quiet", is_flag=True, help="No progress bar or summary.")
@click.option("--force", is_flag=True, help="Rebuild even when the index is current.")
@handle_errors
def build_cmd(quiet: bool, force: bool) -> None:
    """Build the index in the user cache directory (rebuilt when outdated)."""
    from geokit.gazetteer._index import Gazetteer, _tqdm_progress, default_index_path

    path = default_index_path()
    if path.exists() and not force:
        gaz = Gazetteer(path, auto_build=False)
        if not gaz._stale():
            if not quiet:
                click.echo(f"gazetteer index is current: {path}", err=True)
            return
    info = Gazetteer.build(progress=None if quiet else _tqdm_progress())
    if not quiet:
        click.echo(f"built {path} in {info['build_seconds']} s: {info['places']:,} places, "
                   f"{info['names']:,} names", err=True)


@gazetteer_group.command("info")
@format_option(["table", "json"])
@handle_errors
def info_cmd(fmt: str) -> None:
    """Print the index's version, sources (with licences) and counts."""
    from geokit.gazetteer._index import Gazetteer

    info = Gazetteer.default().info()
    if fmt == "json":
        emit(info, "json")
        return
    rows = [{"field": k, "value": info[k]} for k in
            ("path", "version", "built_at", "build_seconds", "places", "names")]
    rows += [{"field": f"feature {k}", "value": v} for k, v in info["by_feature"].items()]
    emit(rows, "table", columns=("field", "value"))
    click.echo("")
    emit([{"source": s["name"], "version": s.get("version") or s.get("table", ""),
           "licence": s["licence"]} for s in info["sources"]], "table",
         columns=("source", "version", "licence"))


@gazetteer_group.command("add")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@handle_errors
def add_cmd(file: str) -> None:
    """Add your own places from a CSV or GeoJSON FILE; they win ties.

    CSV columns: name, lat, lon, and optionally feature, country (ISO alpha-3),
    admin1, population, aliases (|-separated). GeoJSON: Point features whose
    properties carry the same fields.
    """
    from geokit.gazetteer._index import Gazetteer

    try:
        n = Gazetteer.add_user_file(file)
    except GeokitError:
        raise
    except OSError as exc:
        fail(f"{file}: {exc}")
    click.echo(f"added {n} places from {file}; index rebuilt", err=True)
