"""Assemble the layers into one map: :func:`build_map` and :func:`save_map`."""

from __future__ import annotations

import hashlib
import html
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import folium

from geokit.errors import ConfigurationError, InputError
from geokit.maps import _data
from geokit.maps._geo import CapitalLookup, default_capital_lookup
from geokit.maps._layers import (
    _DEPLOY_COLOR,
    _OTHER_EVENT,
    _OTHER_RELATION,
    _PLACE_COLOR,
    CATEGORY_GROUPS,
    RELATION_COLORS,
    Legend,
    MapTitle,
    StringTable,
    alliances_layer,
    basemap_layer,
    bloc_color,
    bloc_label,
    blocs_layer,
    deployments_layer,
    places_layer,
    timeline_layer,
)
from geokit.maps._offline import DROPPED, _walk, inline_assets
from geokit.models import Document
from geokit.paths import atomic_write

__all__ = ["DEFAULT_TILES", "LAYERS", "build_map", "save_map"]

#: Layer names accepted by :func:`build_map` (and ``geokit map --layers``), in drawing order.
LAYERS = ("blocs", "alliances", "deployments", "timeline", "places")
#: Order the layers are built in: the timeline's repeated strings take the
#: shared table's small indices. (Drawing order is :data:`LAYERS`.)
_BUILD_ORDER = ("timeline", "places", "deployments", "alliances", "blocs")
#: Tiles of an online map (CartoDB's lighter tiles now need an API key).
DEFAULT_TILES = "OpenStreetMap"
_EMPTY = "No places or events found in {n} document{s}: nothing to draw."


def _check_layers(layers: Iterable[str]) -> list[str]:
    if isinstance(layers, str) or not isinstance(layers, Iterable) \
            or not all(isinstance(x, str) for x in layers):
        raise ConfigurationError(f"layers must be a list of layer names, got {layers!r}"[:200])
    chosen = list(dict.fromkeys(layers))
    bad = [x for x in chosen if x not in LAYERS]
    if bad:
        raise ConfigurationError(
            f"unknown layer {bad[0]!r}; valid layers: {', '.join(sorted(LAYERS))}")
    return [x for x in LAYERS if x in chosen]


def _check_arguments(docs: list[Any], *, tiles: Any, title: Any, cluster: Any, width: Any,
                     height: Any, attribution: Any) -> None:
    """Refuse arguments folium would choke on later, or draw silently wrong."""
    for name, value in (("tiles", tiles), ("title", title), ("attribution", attribution)):
        if value is not None and not isinstance(value, str):
            raise ConfigurationError(f"{name} must be text or None, got {type(value).__name__}")
    if cluster not in ("auto", True, False) or isinstance(cluster, int | float) \
            and not isinstance(cluster, bool):
        raise ConfigurationError(f"cluster must be 'auto', True or False, got {cluster!r}"[:200])
    for name, value in (("width", width), ("height", height)):
        if not isinstance(value, str):
            raise ConfigurationError(f"{name} must be text such as '100%', got {value!r}")
    for doc in docs:
        if not isinstance(doc, Document):
            raise ConfigurationError(f"documents must be Document objects, got "
                                     f"{type(doc).__name__}")
        places = [t.place for t in doc.toponyms]
        places += [p for e in doc.events for p in (e.place, e.origin)]
        for p in places:
            # A latitude of 999 or NaN would put a marker nowhere and break the fit.
            if p is not None and not (-90 <= p.lat <= 90 and -180 <= p.lon <= 180):
                raise InputError(f"place {p.name!r} has coordinates out of range: "
                                 f"{p.lat}, {p.lon}", source=f"document {doc.id}")


def _legend_items(built: dict[str, Any]) -> list[tuple[str, str, str]]:
    items: list[tuple[str, str, str]] = []
    if "places" in built and built["places"].count:
        items.append(("Place (size: mentions)", _PLACE_COLOR, "circle"))
    if "deployments" in built:
        arrows = built["deployments"].arrows
        if any(a.planned for a in arrows):
            items.append(("Deployment, planned", _DEPLOY_COLOR, "dash"))
        if any(not a.planned for a in arrows):
            items.append(("Deployment, happened", _DEPLOY_COLOR, "line"))
    if "alliances" in built:
        for t in dict.fromkeys(link.type for link in built["alliances"].links):
            # "Relation: deployment" apart from the deployment arrows' own keys.
            items.append((f"Relation: {t.replace('_', ' ')}",
                          RELATION_COLORS.get(t, _OTHER_RELATION), "line"))
    if "blocs" in built:
        for b in built["blocs"].blocs:
            items.append((bloc_label(b), bloc_color(b), "square"))
    if "timeline" in built:
        for g in built["timeline"].groups:
            label, colour = (CATEGORY_GROUPS[g][0], CATEGORY_GROUPS[g][1]) \
                if g in CATEGORY_GROUPS else ("Other event", _OTHER_EVENT)
            items.append((f"Event: {label.lower()}", colour, "circle"))
    return items


def _base_map(*, width: str, height: str, offline: bool, tiles: str | None,
              attribution: str | None) -> folium.Map:
    """Return the empty map with its base layer (tiles, or the offline basemap)."""
    try:
        m = folium.Map(location=[20, 10], zoom_start=2, tiles=None, width=width,
                       height=height, control_scale=True)
        # On the map itself: markercluster needs a maxZoom, and a map without
        # tiles (offline) gets none from a tile layer.
        m.options["max_zoom"] = 18
        # jQuery, Bootstrap and Awesome Markers serve nothing geokit draws (see
        # _offline.DROPPED): an online map need not fetch them from a CDN either.
        m.default_js = [(n, u) for n, u in folium.Map.default_js if n not in DROPPED]
        m.default_css = [(n, u) for n, u in folium.Map.default_css if n not in DROPPED]
        if offline:
            basemap_layer().add_to(m)
        elif tiles:
            folium.TileLayer(tiles, name="Base map", attr=attribution).add_to(m)
    except ValueError as exc:  # folium's message for an unknown xyzservices name
        if "{" in tiles and not attribution:  # folium: "Custom tiles must have an attribution"
            raise ConfigurationError(
                f"tiles {tiles!r} is a URL template: give its provider's credit as "
                "attribution (geokit map --attribution)") from exc
        raise ConfigurationError(f"unknown tiles {tiles!r}: {exc}") from exc
    return m


def build_map(
    documents: Document | Iterable[Document],
    *,
    layers: Sequence[str] = LAYERS,
    tiles: str | None = DEFAULT_TILES,
    offline: bool = False,
    title: str | None = None,
    cluster: bool | str = "auto",
    capitals: CapitalLookup | None = None,
    width: str = "100%",
    height: str = "100%",
    min_score: float = 0.0,
    since: str | None = None,
    until: str | None = None,
    attribution: str | None = None,
) -> folium.Map:
    """Draw documents as one interactive map.

    Parameters
    ----------
    documents : Document or iterable of Document
        Output of :func:`geokit.extract` (every layer) or :func:`geokit.geoparse`
        (places only), or documents read back with ``read_extract``.
    layers : sequence of {"places", "deployments", "alliances", "blocs", "timeline"}
        Layers to draw; each appears in the layer control.
    tiles : str or None
        A folium/xyzservices tile name or URL template. Ignored when ``offline``.
    offline : bool
        Make a self-contained map: no tiles but Natural Earth country outlines,
        every JS/CSS asset inlined (see :func:`geokit.maps.inline_assets`).
    title : str, optional
        Shown over the map and as the page title.
    cluster : {"auto", True, False}
        Cluster place markers; ``"auto"`` above 300 places.
    capitals : callable, optional
        ``iso3 -> Place | None``: the ends of alliance links, and the start of
        a deployment whose text names no origin (the deploying actor's capital).
    width, height : str
        Size of the map element.
    min_score : float, default 0.0
        Leave out events less sure than this (``Event.confidence``, 0..1).
    since, until : str, optional
        Leave out events outside this period (ISO dates, ends included) and
        undated ones (see :func:`geokit.maps._data.filter_events`).
    attribution : str, optional
        Credit line of a ``tiles`` URL template (required for one; the named
        tile sets bring their own).

    Returns
    -------
    folium.Map
        Fitted to the events and deployments (to the places when there are
        none), so a country mentioned in passing does not widen the view; a
        map with nothing to draw shows the whole world and a message saying so.

    Raises
    ------
    ConfigurationError
        An unknown layer or tile name, an argument of the wrong type, a score
        outside 0..1 or a date that is not ISO.
    InputError
        A place with coordinates out of range (latitude 999, NaN).
    """
    if not isinstance(documents, Document | Iterable) or isinstance(documents, str | bytes):
        raise ConfigurationError(f"documents must be Documents, got {type(documents).__name__}")
    docs = [documents] if isinstance(documents, Document) else list(documents)
    if min_score or since or until:
        docs = _data.filter_events(docs, min_score=min_score, since=since, until=until)
    chosen = _check_layers(layers)
    _check_arguments(docs, tiles=tiles, title=title, cluster=cluster, width=width,
                     height=height, attribution=attribution)
    m = _base_map(width=width, height=height, offline=offline, tiles=tiles,
                  attribution=attribution)
    capitals = capitals or (default_capital_lookup() if {"alliances"} & set(chosen) else None)
    built: dict[str, Any] = {}
    # Places and events quote the same sentences and repeat names: one table.
    strings = StringTable().add_to(m)
    for name in sorted(chosen, key=_BUILD_ORDER.index):
        if name == "places":
            layer = places_layer(docs, cluster=cluster, strings=strings)
        elif name == "deployments":
            layer = deployments_layer(docs, capitals=capitals, strings=strings)
        elif name == "alliances":
            layer = alliances_layer(docs, capitals=capitals, strings=strings)
        elif name == "blocs":
            layer = blocs_layer(docs)
        else:
            layer = timeline_layer(docs, strings=strings)
        built[name] = layer
    for name in chosen:
        built[name].add_to(m)
    points = _frame_points(built)
    if points:
        lats = [p[0] for p in points]
        lons = [p[1] for p in points]
        m.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], padding=(30, 30),
                     max_zoom=7)
    n = len(docs)
    empty = None if points else _EMPTY.format(n=n, s="" if n == 1 else "s")
    MapTitle(title, _data.document_sources(docs), empty=empty).add_to(m)
    items = _legend_items({k: built[k] for k in ("places", "deployments", "alliances", "blocs",
                                                 "timeline") if k in built})
    if items:
        Legend(items, title="Legend").add_to(m)
    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    if title:
        m.get_root().title = html.escape(title)  # branca writes it into <title> as is
    if offline:
        inline_assets(m)
    return m


#: Layers whose points frame the map, in order of preference: what happened
#: first. Places come last: "Russian" in a Red Sea story is a mention of
#: Russia, not a reason to show Siberia.
_FRAME = (("timeline", "deployments"), ("alliances",), ("blocs",), ("places",))


def _frame_points(built: dict[str, Any]) -> list[tuple[float, float]]:
    for names in _FRAME:
        points = [pt for n in names if n in built for pt in built[n].bounds_points]
        if points:
            return points
    return []


def save_map(m: folium.Map, path: str | os.PathLike[str]) -> Path:
    """Write a map's standalone HTML atomically (a reader never sees half a file).

    Returns
    -------
    pathlib.Path
        The path written.
    """
    target = Path(path)
    root = m.get_root()
    page = _stable_ids(root, root.render())
    with atomic_write(target) as fh:
        fh.write(page)
    return target


def _stable_ids(root: Any, page: str) -> str:
    """Replace branca's random element ids by ones numbered in tree order.

    branca names every element from ``urandom`` (``map_3f9c...``), so the same
    map saved twice differed on every id and a regenerated gallery showed as
    changed in version control. The ids are 32 random hex digits, so replacing
    them in the rendered page touches nothing else.
    """
    new = {el._id: hashlib.sha256(f"geokit-element-{k}".encode()).hexdigest()[:32]
           for k, el in enumerate(_walk(root))}
    # One pass over the page, not one replace per element (quadratic on big maps).
    return _HEX32.sub(lambda m: new.get(m[0], m[0]), page)


_HEX32 = re.compile(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])")
