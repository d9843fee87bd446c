"""Exceptions raised by geokit.

Every error derives from :class:`GeokitError`; each subclass also derives from
the builtin it resembles, so callers may catch either::

    GeokitError
    ├── InputError (ValueError)            bad text, bad file, bad record
    │   └── ExtractFormatError             a malformed ``geokit extract`` JSON
    ├── ConfigurationError (ValueError)    a bad option or option value
    ├── PlaceNotFound (LookupError)        a name the gazetteer cannot resolve
    ├── GazetteerError (RuntimeError)      the index is missing, stale or broken
    ├── GeocoderError (RuntimeError)       the optional online fallback failed
    ├── DependencyError (ImportError)      an optional extra is not installed
    └── OutputError (OSError)              an output file or folder cannot be written

:func:`scrub_surrogates` (a helper of the boundary, not exported) is the one
place where lone surrogates, common in scraped text and JSON escapes, are
replaced as text enters geokit.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

__all__ = [
    "ConfigurationError",
    "DependencyError",
    "ExtractFormatError",
    "GazetteerError",
    "GeocoderError",
    "GeokitError",
    "InputError",
    "OutputError",
    "PlaceNotFound",
]


class GeokitError(Exception):
    """Root of every geokit error."""


class InputError(GeokitError, ValueError):
    """Input text, file or record that geokit cannot use.

    Parameters
    ----------
    message : str
        What is wrong.
    source : str, optional
        Which input: a file name, ``"<stdin>:3"``, a document id.
    """

    def __init__(self, message: str, *, source: str | None = None) -> None:
        self.source = source
        super().__init__(f"{source}: {message}" if source else message)


class ExtractFormatError(InputError):
    """A ``geokit extract`` JSON file that does not have the expected fields."""


class ConfigurationError(GeokitError, ValueError):
    """An option or option value that geokit does not accept."""


class PlaceNotFound(GeokitError, LookupError):
    """The gazetteer has no candidate for a name."""


class GazetteerError(GeokitError, RuntimeError):
    """The gazetteer index is missing, outdated or unreadable."""


class GeocoderError(GeokitError, RuntimeError):
    """The optional online geocoder failed (network, quota, bad answer)."""


class DependencyError(GeokitError, ImportError):
    """An optional dependency is missing; the message says what to install."""


class OutputError(GeokitError, OSError):
    """An output file or folder that cannot be written (read-only, a directory, disk full).

    Parameters
    ----------
    message : str
        What is wrong.
    path : str, optional
        The output path.
    """

    def __init__(self, message: str, *, path: str | None = None) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)

    def __str__(self) -> str:
        # OSError.__str__ formats (errno, strerror); this error carries one message.
        return str(self.args[0]) if self.args else ""


_SURROGATE = re.compile("[\ud800-\udfff]")


def scrub_surrogates(value: Any, *, where: str | None = None) -> Any:
    r"""Replace lone surrogates with U+FFFD, warning once per string that had any.

    Lone surrogates cannot be encoded as UTF-8, so they would crash SQLite,
    Parquet and every file writer downstream.

    Parameters
    ----------
    value : str, or a JSON value (dict, list, tuple) holding strings
        Untrusted text (article text, an id, a title, a name, a record's fields);
        dict keys and nested values are scrubbed too, other values pass through.
    where : str, optional
        Which input, for the warning.

    Returns
    -------
    str or the same shape
        ``value`` itself when a string has none (one regex scan).

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     scrub_surrogates({"id": "Kyiv\udcff", "n": [1, "a"]})
    {'id': 'Kyiv�', 'n': [1, 'a']}
    """
    if isinstance(value, dict):
        return {scrub_surrogates(k, where=where): scrub_surrogates(v, where=where)
                for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [scrub_surrogates(v, where=where) for v in value]
    if not isinstance(value, str) or _SURROGATE.search(value) is None:
        return value
    fixed, n = _SURROGATE.subn("\ufffd", value)
    warnings.warn(f"{where + ': ' if where else ''}replaced {n} lone surrogate(s) with U+FFFD",
                  UnicodeWarning, stacklevel=2)
    return fixed
