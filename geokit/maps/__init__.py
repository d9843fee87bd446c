"""Map layers of places, deployments, alliances, blocs and time for Folium.

Each ``*_layer`` function returns a :class:`folium.FeatureGroup` subclass that
drops into any folium map, Jupyter notebook or streamlit-folium app;
:func:`build_map` puts them together with a legend, a layer control, a title
and the list of sources. ``offline=True`` makes one self-contained HTML file.

Examples
--------
>>> import geokit.maps as gm
>>> sorted(gm.LAYERS)
['alliances', 'blocs', 'deployments', 'places', 'timeline']
"""

from __future__ import annotations

from geokit.maps._build import DEFAULT_TILES, LAYERS, build_map, save_map
from geokit.maps._data import (
    Arrow,
    Bloc,
    Link,
    PlacePoint,
    TimedEvent,
    aggregate_places,
    blocs,
    deployment_arrows,
    relation_links,
    timed_events,
)
from geokit.maps._geo import NATURAL_EARTH_PACKAGE, countries_geojson, default_capital_lookup
from geokit.maps._layers import (
    AlliancesLayer,
    BasemapLayer,
    BlocsLayer,
    DeploymentsLayer,
    Legend,
    MapTitle,
    PlacesLayer,
    TimelineLayer,
    alliances_layer,
    basemap_layer,
    blocs_layer,
    deployments_layer,
    legend,
    places_layer,
    timeline_layer,
)
from geokit.maps._offline import inline_assets

__all__ = [
    "DEFAULT_TILES",
    "LAYERS",
    "NATURAL_EARTH_PACKAGE",
    "AlliancesLayer",
    "Arrow",
    "BasemapLayer",
    "Bloc",
    "BlocsLayer",
    "DeploymentsLayer",
    "Legend",
    "Link",
    "MapTitle",
    "PlacePoint",
    "PlacesLayer",
    "TimedEvent",
    "TimelineLayer",
    "aggregate_places",
    "alliances_layer",
    "basemap_layer",
    "blocs",
    "blocs_layer",
    "build_map",
    "countries_geojson",
    "default_capital_lookup",
    "deployment_arrows",
    "deployments_layer",
    "inline_assets",
    "legend",
    "places_layer",
    "relation_links",
    "save_map",
    "timed_events",
    "timeline_layer",
]
