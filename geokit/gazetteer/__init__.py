"""The offline gazetteer: build the index, look names up, rank candidates.

Stage 0 of the flow (text -> mentions -> places -> actors and events ->
outputs): everything that knows about places by name. The index is one SQLite
file built from pinned registry packages and the curated tables in the
repository's top-level ``gazetteer/`` folder (:func:`data_dir`); users add
their own places (:func:`read_user_places`); an opt-in geopy geocoder answers
names nothing offline matches (:class:`OnlineGeocoder`).

Modules: ``_index`` (the :class:`Gazetteer` that holds the open index),
``_build`` (the recipe), ``_rank`` (candidate ranking), ``_normalize`` (how
names fold to keys), ``_user_places``, ``_online``.

May import: ``geokit.errors``, ``geokit.models``, ``geokit.geo``,
``geokit.paths``, ``geokit._version``. Nothing downstream.
"""

from geokit.gazetteer._build import SCHEMA_VERSION, build_index, data_dir, index_version
from geokit.gazetteer._index import Gazetteer, default_index_path, resolve, validate_name
from geokit.gazetteer._normalize import fold, normalize_name
from geokit.gazetteer._online import OnlineGeocoder
from geokit.gazetteer._rank import Context, MatchRow, rank_candidates
from geokit.gazetteer._user_places import read_user_places

__all__ = [
    "SCHEMA_VERSION",
    "Context",
    "Gazetteer",
    "MatchRow",
    "OnlineGeocoder",
    "build_index",
    "data_dir",
    "default_index_path",
    "fold",
    "index_version",
    "normalize_name",
    "rank_candidates",
    "read_user_places",
    "resolve",
    "validate_name",
]
