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
    └── DependencyError (ImportError)      an optional extra is not installed
"""

from __future__ import annotations

__all__ = [
    "ConfigurationError",
    "DependencyError",
    "ExtractFormatError",
    "GazetteerError",
    "GeocoderError",
    "GeokitError",
    "InputError",
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
