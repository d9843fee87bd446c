"""Where geokit keeps files, and how it writes them.

One home for the cache folder, the mode of the files geokit shares, and the
atomic write every output, index and cache file goes through (a temp file next
to the target, fsynced, then ``os.replace``: a reader sees the old file or the
new one, never half of one; a failure leaves no temp file behind).

May import: the standard library and platformdirs only.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import platformdirs

__all__ = ["FILE_MODE", "atomic_path", "atomic_write", "cache_dir"]


def _umask() -> int:
    # Read by setting and restoring: there is no other portable way.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: mkstemp creates files 0600; geokit's files (outputs, the gazetteer index a
#: cluster's workers share) are for sharing, so they get the mode a plain
#: open() would give (0666 minus the umask), read once at import.
FILE_MODE = 0o666 & ~_umask()


def cache_dir() -> Path:
    """Return geokit's cache folder (``$GEOKIT_CACHE_DIR`` or the platform's user cache)."""
    env = os.environ.get("GEOKIT_CACHE_DIR")
    return Path(env) if env else Path(platformdirs.user_cache_dir("geokit", appauthor=False))


def _naming(exc: OSError, target: Path) -> OSError:
    # Disk full, a read-only folder, a directory at the target: the error names
    # the output the caller asked for, not the temp file (geokit.cli turns it
    # into OutputError's exit code; paths sits below geokit.errors' rank).
    if exc.errno is None:
        return OSError(f"{target}: {exc}")
    return type(exc)(exc.errno, exc.strerror, str(target))


@contextmanager
def atomic_path(path: str | os.PathLike[str], *, suffix: str = ".tmp") -> Iterator[Path]:
    """Yield a temp path next to ``path``; on success move it over ``path``.

    For writers that want a file name (SQLite, ``GeoDataFrame.to_parquet``).
    The temp file exists (empty, mode :data:`FILE_MODE`) when the block starts;
    it is removed if the block raises.

    Parameters
    ----------
    path : path-like
        The final file; its folder is created when missing.
    suffix : str
        Suffix of the temp file (``.sqlite`` keeps tools that sniff names happy).

    Raises
    ------
    OSError
        When ``path`` is a directory or cannot be written (read-only folder,
        disk full); its ``filename`` is ``path``, never the temp file.
    """
    target = Path(path)
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file where the folder should be
        raise NotADirectoryError(errno.ENOTDIR, "a file is in the way of the output folder",
                                 str(target)) from None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=target.parent)
    except OSError as exc:
        raise _naming(exc, target) from None
    try:
        os.fchmod(fd, FILE_MODE)
        os.close(fd)
        yield Path(tmp)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        if exc.filename in (None, tmp, str(tmp)):
            raise _naming(exc, target) from exc
        raise
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def atomic_write(path: str | os.PathLike[str], *, binary: bool = False,
                 newline: str | None = None) -> Iterator[IO[Any]]:
    """Open a temp file next to ``path`` for writing; on success move it over ``path``.

    Parameters
    ----------
    path : path-like
        The final file; its folder is created when missing.
    binary : bool
        Open in ``"wb"`` instead of UTF-8 text.
    newline : str, optional
        Passed to :func:`open` for text (``""`` for the csv module).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_write(p) as f:
    ...     _ = f.write("done")
    >>> p.read_text()
    'done'
    """
    with atomic_path(path) as tmp:
        if binary:
            f = open(tmp, "wb")  # noqa: SIM115 - closed by the with below
        else:
            f = open(tmp, "w", encoding="utf-8", newline=newline)  # noqa: SIM115
        with f:
            yield f
            f.flush()
            os.fsync(f.fileno())
