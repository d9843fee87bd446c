"""Actors and events: who did what to whom, where and when.

Stage 3 of the flow: a geoparsed :class:`~geokit.models.Document` -> actors
(the curated table in ``data/actors.csv`` plus NER persons and organisations,
reusing the geoparser's NER reading carried on the Document) -> PLOVER events
read from spaCy parses of the sentences that hold a trigger -> state-to-state
relations. :func:`extract` runs geoparsing and this stage in one call;
:func:`extract_many` does so for a stream of texts, reading the sentences of
many documents with spaCy together. :func:`locate_event` gives the place of an
event another system found (its word's offsets), by the same learned linker;
:func:`locate_events` of many, batched.

Modules: ``_actors`` (the actor table and matching), ``_coref`` (pronouns and
"the group" resolved to the actors named before), ``_events`` (triggers,
roles, place, status, dates), ``_locate`` (the learned linker that picks the
event's own place), ``_relations``, ``_extract`` (the stage's entry points).
Data beside them in ``data/``.

May import: ``geokit.errors``, ``geokit.models``, ``geokit.geo``,
``geokit.gazetteer``, ``geokit.geoparse``. Nothing downstream.
"""

from geokit.events._actors import ActorTable, find_actors, match_actors
from geokit.events._events import CATEGORIES, normalize_date
from geokit.events._extract import (
    extract,
    extract_from_document,
    extract_many,
    locate_event,
    locate_events,
)
from geokit.events._locate import PlaceLinker

__all__ = [
    "CATEGORIES",
    "ActorTable",
    "PlaceLinker",
    "extract",
    "extract_from_document",
    "extract_many",
    "find_actors",
    "locate_event",
    "locate_events",
    "match_actors",
    "normalize_date",
]
