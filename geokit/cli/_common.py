"""What every ``geokit`` command shares: the ``--format`` option, output, errors.

Commands parse arguments, call the library, and print with :func:`emit`.
Library errors become messages on stderr with an exit code: 0 success,
1 nothing found, 2 bad usage or bad input (click's own usage errors are 2 too).
"""

from __future__ import annotations

import csv
import functools
import io
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import click

from geokit.errors import GeokitError, InputError, PlaceNotFound

__all__ = ["EXIT_BAD_INPUT", "EXIT_NOT_FOUND", "EXIT_OK", "emit", "fail", "format_option",
           "handle_errors"]

EXIT_OK, EXIT_NOT_FOUND, EXIT_BAD_INPUT = 0, 1, 2


def format_option(choices: Sequence[str], *, default: str | None = None) -> Callable:
    """Add the shared ``--format`` option to a command.

    Parameters
    ----------
    choices : sequence of str
        The formats this command can write.
    default : str, optional
        Default format; when None, ``table`` on a terminal if offered, else the first choice.
    """

    def decorator(func: Callable) -> Callable:
        @click.option(
            "--format", "fmt", type=click.Choice(list(choices)), default=None,
            help=f"Output format: {', '.join(choices)}.",
        )
        @functools.wraps(func)
        def wrapper(*args: Any, fmt: str | None, **kwargs: Any) -> Any:
            if fmt is None:
                if default is not None:
                    fmt = default
                elif "table" in choices and sys.stdout.isatty():
                    fmt = "table"
                else:
                    fmt = next(c for c in choices if c != "table")
            return func(*args, fmt=fmt, **kwargs)

        return wrapper

    return decorator


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return str(value)


def emit(
    rows: Iterable[Mapping[str, Any]] | Any,
    fmt: str,
    *,
    columns: Sequence[str] | None = None,
    out: io.TextIOBase | None = None,
) -> None:
    """Write records in one of the shared formats.

    Parameters
    ----------
    rows : iterable of mapping, or any JSON value for ``json``
        The records.
    fmt : {"json", "jsonl", "csv", "table", "geojson"}
        ``geojson`` expects a FeatureCollection mapping already built.
    columns : sequence of str, optional
        Columns for ``csv`` and ``table`` (default: keys of the first row).
    out : text stream, optional
        Default stdout.
    """
    out = out or sys.stdout
    if fmt in ("json", "geojson"):
        data = rows if isinstance(rows, Mapping) else list(rows)
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    rows = list(rows)
    cols = list(columns or (rows[0].keys() if rows else []))
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: _cell(row.get(c)) for c in cols})
        return
    if fmt == "table":
        cells = [[_cell(r.get(c)) for c in cols] for r in rows]
        widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(cols)]
        widths = [min(w, 48) for w in widths]
        line = "  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True))
        out.write(line.rstrip() + "\n")
        for r in cells:
            line = "  ".join(v[:w].ljust(w) for v, w in zip(r, widths, strict=True))
            out.write(line.rstrip() + "\n")
        return
    raise click.BadParameter(f"unknown format {fmt!r}")


def fail(message: str, code: int = EXIT_BAD_INPUT) -> None:
    """Print ``geokit: error: MESSAGE`` on stderr and exit with ``code``."""
    click.echo(f"geokit: error: {message}", err=True)
    sys.exit(code)


def handle_errors(func: Callable) -> Callable:
    """Turn library errors into messages and exit codes."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except PlaceNotFound as exc:
            fail(str(exc), EXIT_NOT_FOUND)
        except InputError as exc:
            fail(str(exc), EXIT_BAD_INPUT)
        except GeokitError as exc:
            fail(str(exc), EXIT_BAD_INPUT)
        except BrokenPipeError:  # `geokit ... | head`
            sys.stderr.close()

    return wrapper
