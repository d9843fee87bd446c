"""Where an output goes and in which format: file name, suffix, or ``-`` for stdout.

Every command that writes (``extract``, ``geoparse``, ``map``) takes ``-o PATH``:
the format follows the suffix unless ``--format`` says otherwise, and ``-`` (or
no ``-o``) is standard output. Files are written atomically; formats that only
a library can write to a file name (GeoPackage, FlatGeobuf, GeoParquet) go to a
temporary file first, and to stdout as bytes when asked for ``-``.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from geokit.errors import ConfigurationError
from geokit.paths import atomic_path, atomic_write

__all__ = ["OUTPUT_SUFFIXES", "STDOUT", "format_for_output", "is_stdout", "output_path",
           "output_stream", "write_geodata"]

#: The name that means standard output.
STDOUT = "-"

#: File suffix -> output format. ``.json`` is geokit's own JSON (``geokit extract``).
OUTPUT_SUFFIXES: Mapping[str, str] = {
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".geojson": "geojson",
    ".gpkg": "gpkg", ".fgb": "fgb", ".parquet": "parquet", ".geoparquet": "parquet",
    ".csv": "csv", ".html": "html", ".htm": "html",
}

# The vector formats geopandas writes through pyogrio (and pyarrow for GeoParquet).
_GEO_FORMATS = ("gpkg", "fgb", "parquet")
_DRIVERS = {"gpkg": "GPKG", "fgb": "FlatGeobuf"}


def is_stdout(path: str | os.PathLike[str] | None) -> bool:
    """Return True when ``path`` means standard output (None or ``-``)."""
    return path is None or os.fspath(path) == STDOUT


def format_for_output(path: str | os.PathLike[str] | None, fmt: str | None, *,
                      choices: Sequence[str], default: str) -> str:
    """Return the output format: ``fmt`` if given, else the suffix of ``path``, else ``default``.

    Parameters
    ----------
    path : path-like, "-" or None
        The ``-o`` value.
    fmt : str or None
        The ``--format`` value, which overrides the suffix.
    choices : sequence of str
        The formats the command writes.
    default : str
        The format for stdout and for a suffix that names no format.

    Raises
    ------
    ConfigurationError
        The suffix names a format this command does not write (``-o map.gpkg``
        for a command without GeoPackage); the message names the file and the
        valid formats.

    Examples
    --------
    >>> format_for_output("out.gpkg", None, choices=["json", "gpkg"], default="json")
    'gpkg'
    >>> format_for_output("out.gpkg", "json", choices=["json", "gpkg"], default="json")
    'json'
    >>> format_for_output("-", None, choices=["json", "gpkg"], default="json")
    'json'
    """
    if fmt is not None:
        return fmt
    if is_stdout(path):
        return default
    suffix = Path(os.fspath(path)).suffix.lower()
    found = OUTPUT_SUFFIXES.get(suffix)
    if found is None:
        return default
    if found not in choices:
        raise ConfigurationError(
            f"{os.fspath(path)}: this command cannot write {found} ({suffix}); formats: "
            f"{', '.join(choices)} (or pass --format)")
    return found


@contextmanager
def output_stream(path: str | os.PathLike[str] | None, *, newline: str | None = None
                  ) -> Iterator[IO[str]]:
    """Yield a text stream for ``path``: stdout for None or ``-``, else an atomic file.

    Parameters
    ----------
    path : path-like, "-" or None
    newline : str, optional
        As for :func:`open` (``""`` for the csv module).
    """
    if is_stdout(path):
        yield sys.stdout
        sys.stdout.flush()
        return
    with atomic_write(path, newline=newline) as f:
        yield f


@contextmanager
def output_path(path: str | os.PathLike[str] | None, *, suffix: str) -> Iterator[Path]:
    """Yield a file name to write to; it becomes ``path``, or goes to stdout as bytes.

    For writers that need a file name (SQLite-based GeoPackage, FlatGeobuf,
    Parquet). The yielded name does not exist yet.
    """
    if is_stdout(path):
        with tempfile.TemporaryDirectory(prefix="geokit-") as tmp:
            out = Path(tmp) / f"out{suffix}"
            yield out
            with out.open("rb") as f:
                sys.stdout.flush()
                shutil.copyfileobj(f, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        return
    with atomic_path(path, suffix=suffix) as tmp:
        # GDAL will not open the empty placeholder as a GeoPackage: let it create the file.
        tmp.unlink()
        yield tmp


def write_geodata(path: str | os.PathLike[str] | None, layers: Mapping[str, Any], *,
                  fmt: str) -> None:
    """Write GeoDataFrames as GeoPackage layers, FlatGeobuf or GeoParquet (``-`` = stdout).

    Parameters
    ----------
    path : path-like, "-" or None
    layers : mapping of str to GeoDataFrame
        ``{"places": gdf, "events": gdf}``. A GeoPackage keeps each as a layer
        of that name; FlatGeobuf and GeoParquet hold one table, so the layers
        are stacked with a ``layer`` column saying which.
    fmt : {"gpkg", "fgb", "parquet"}
    """
    if fmt not in _GEO_FORMATS:
        raise ConfigurationError(f"unknown geodata format {fmt!r}; valid: "
                                 f"{', '.join(_GEO_FORMATS)}")
    with output_path(path, suffix=f".{fmt}") as tmp:
        if fmt == "gpkg":
            for name, gdf in layers.items():
                gdf.to_file(tmp, layer=name, driver="GPKG", engine="pyogrio")
            return
        gdf = _stack(layers.items())
        if fmt == "parquet":
            gdf.to_parquet(tmp)
        else:
            gdf.to_file(tmp, driver=_DRIVERS[fmt], engine="pyogrio")


def _stack(layers: Iterable[tuple[str, Any]]) -> Any:
    import geopandas as gpd  # noqa: PLC0415 - heavy, only for these formats
    import pandas as pd  # noqa: PLC0415

    frames = [gdf.assign(layer=name) for name, gdf in layers]
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry",
                            crs="EPSG:4326")
