"""geokit: turn news text into maps, offline.

Find the places a text mentions and resolve them with an offline gazetteer,
extract actors and events, and draw maps of deployments and alliances.

The package is laid out as its pipeline (``docs/ARCHITECTURE.md``)::

    text -> geokit.geoparse (mentions, then places; geokit.gazetteer answers names)
         -> geokit.events (actors, events, relations)
         -> geokit.io (files) / geokit.maps (layers) / geokit.batch (corpora)
    geokit.eval scores the stages; geokit.cli is the command line.

``geokit.models`` holds the data classes every stage passes on,
``geokit.errors`` the exceptions, ``geokit.geo`` the one distance and
``geokit.paths`` the cache folder and atomic writes.
"""

from __future__ import annotations

from geokit._version import __version__
from geokit.batch import BatchSummary, run_batch
from geokit.errors import (
    ConfigurationError,
    DependencyError,
    ExtractFormatError,
    GazetteerError,
    GeocoderError,
    GeokitError,
    InputError,
    OutputError,
    PlaceNotFound,
)
from geokit.events import extract, extract_many, locate_event, locate_events
from geokit.gazetteer import Gazetteer, resolve
from geokit.geoparse import Geoparser, geoparse
from geokit.io import document_to_dict, read_extract, to_geodataframe, to_geojson
from geokit.models import (
    Actor,
    ActorMention,
    Document,
    Event,
    Evidence,
    Mention,
    NerReading,
    Place,
    Relation,
    Toponym,
)

__all__ = [
    "Actor",
    "ActorMention",
    "BatchSummary",
    "ConfigurationError",
    "DependencyError",
    "Document",
    "Event",
    "Evidence",
    "ExtractFormatError",
    "Gazetteer",
    "GazetteerError",
    "GeocoderError",
    "GeokitError",
    "Geoparser",
    "InputError",
    "Mention",
    "NerReading",
    "OutputError",
    "Place",
    "PlaceNotFound",
    "Relation",
    "Toponym",
    "__version__",
    "document_to_dict",
    "extract",
    "extract_many",
    "geoparse",
    "locate_event",
    "locate_events",
    "read_extract",
    "resolve",
    "run_batch",
    "to_geodataframe",
    "to_geojson",
]
