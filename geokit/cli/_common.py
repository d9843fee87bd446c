"""What every ``geokit`` command shares: the ``--format`` option, output, errors.

Commands parse arguments, call the library, and print with :func:`emit`.
Library errors become one line on stderr with an exit code: 0 success,
1 nothing found, 2 bad usage or bad input (click's own usage errors are 2 too),
3 an output cannot be written, 70 an internal error (a bug: please report it;
``GEOKIT_DEBUG=1`` shows the traceback), 130 interrupted.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import sys
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import click

from geokit.errors import GeokitError, OutputError, PlaceNotFound

__all__ = ["EXIT_BAD_INPUT", "EXIT_INTERNAL", "EXIT_INTERRUPTED", "EXIT_NOT_FOUND", "EXIT_OK",
           "EXIT_OUTPUT", "echo_written", "emit", "fail", "format_option", "handle_errors"]

EXIT_OK, EXIT_NOT_FOUND, EXIT_BAD_INPUT, EXIT_OUTPUT = 0, 1, 2, 3
#: 70 is sysexits' EX_SOFTWARE; 130 is the shell's code for SIGINT.
EXIT_INTERNAL, EXIT_INTERRUPTED = 70, 130


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


def echo_written(output: Any, docs: Sequence[Any], *, note: str = "") -> None:
    """Print ``wrote OUTPUT (N documents, P place mentions, E events[, NOTE])`` on stderr.

    The one summary of the commands that write documents to a file (``-q``
    leaves it out).
    """
    n_places = sum(len(d.places) for d in docs)
    n_events = sum(len(d.events) for d in docs)
    click.echo(f"wrote {output} ({len(docs)} document{'s' if len(docs) != 1 else ''}, "
               f"{n_places} place mentions, {n_events} events{', ' + note if note else ''})",
               err=True)


def fail(message: str, code: int = EXIT_BAD_INPUT) -> None:
    """Print ``geokit: error: MESSAGE`` on stderr and exit with ``code``."""
    click.echo(f"geokit: error: {message}", err=True)
    sys.exit(code)


def _one_line(text: str) -> str:
    # Messages quote untrusted input: keep them on one line, and printable.
    return " ".join(str(text).split()).encode("utf-8", "backslashreplace").decode("utf-8")


def _os_message(exc: OSError) -> str:
    where = exc.filename if exc.filename is not None else ""
    what = exc.strerror or str(exc) or type(exc).__name__
    return f"{where}: {what}" if where else what


def _show_warning(message: Warning | str, category: type[Warning], *args: Any,
                  **kwargs: Any) -> None:
    click.echo(f"geokit: warning: {_one_line(str(message))}", err=True)


def _run_guarded(func: Callable, args: Any, kwargs: Any) -> Any:
    try:
        return func(*args, **kwargs)
    except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
        raise
    except PlaceNotFound as exc:
        fail(_one_line(str(exc)), EXIT_NOT_FOUND)
    except OutputError as exc:
        fail(_one_line(str(exc)), EXIT_OUTPUT)
    except GeokitError as exc:
        fail(_one_line(str(exc)), EXIT_BAD_INPUT)
    except BrokenPipeError:  # `geokit ... | head`
        sys.stderr.close()
    except OSError as exc:
        # Reads are turned into InputError where they happen; what is left is a
        # file geokit could not write (read-only, a directory, disk full).
        fail(f"cannot write output: {_one_line(_os_message(exc))}", EXIT_OUTPUT)
    except RecursionError:
        fail("input is nested too deeply to read", EXIT_BAD_INPUT)
    except KeyboardInterrupt:
        fail("interrupted", EXIT_INTERRUPTED)
    except Exception as exc:  # the boundary: a bug still ends in one line, not a traceback
        if os.environ.get("GEOKIT_DEBUG"):
            raise
        fail(f"internal error ({type(exc).__name__}: {_one_line(str(exc))[:300]}); "
             "please report it (GEOKIT_DEBUG=1 shows the traceback)", EXIT_INTERNAL)
    return None


def handle_errors(func: Callable) -> Callable:
    """Turn every failure into one line on stderr and a documented exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("default", UnicodeWarning)
            original = warnings.showwarning

            def show(message: Any, category: type[Warning], *rest: Any, **kw: Any) -> None:
                if issubclass(category, UnicodeWarning):
                    _show_warning(message, category)
                else:
                    original(message, category, *rest, **kw)

            warnings.showwarning = show
            return _run_guarded(func, args, kwargs)

    return wrapper
