"""geokit: turn news text into maps, offline.

Find the places a text mentions and resolve them with an offline gazetteer,
extract actors and events, and draw maps of deployments and alliances.
"""

from __future__ import annotations

from ._batch import BatchSummary, run_batch
from ._extract import extract
from ._gazetteer import Gazetteer, resolve
from ._geoparse import Geoparser, geoparse
from ._models import (
    Actor,
    ActorMention,
    Document,
    Event,
    Evidence,
    Mention,
    Place,
    Relation,
    Toponym,
)
from .errors import (
    ConfigurationError,
    DependencyError,
    ExtractFormatError,
    GazetteerError,
    GeocoderError,
    GeokitError,
    InputError,
    PlaceNotFound,
)

__version__ = "0.1.0"

__all__ = [
    "Actor",
    "ActorMention",
    "BatchSummary",
    "ConfigurationError",
    "DependencyError",
    "Document",
    "Event",
    "Evidence",
    "Geoparser",
    "ExtractFormatError",
    "Gazetteer",
    "GazetteerError",
    "GeocoderError",
    "GeokitError",
    "InputError",
    "Mention",
    "Place",
    "PlaceNotFound",
    "Relation",
    "Toponym",
    "__version__",
    "extract",
    "geoparse",
    "resolve",
    "run_batch",
]
