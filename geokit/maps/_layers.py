"""Folium layers for places, deployments, alliances, blocs and a timeline.

Each layer is a small :class:`folium.FeatureGroup` subclass in the style of a
folium plugin: a Jinja template, the JS/CSS it declares, and its data placed in
the page as ONE escaped JSON value that a few lines of JavaScript turn into
Leaflet objects. Building one folium element per marker costs about a
millisecond each in Python and ~400 bytes of HTML (10,000 ``folium.Marker``
take ~11 s); one JSON array costs neither.

Every string that comes from an article (names, evidence sentences, ids) is
passed through :func:`html.escape` before it becomes popup or tooltip HTML,
and the JSON is escaped like folium's ``_to_escaped_json`` so that no text can
close the ``<script>`` element it sits in.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from folium.elements import JSCSSMixin
from folium.plugins import MarkerCluster
from folium.template import Template

from .._models import Document
from ..errors import ConfigurationError
from . import _data
from ._geo import CapitalLookup, countries_geojson, country_names, default_capital_lookup
from ._geo import mercator_angle as _angle

__all__ = [
    "BLOC_COLORS",
    "CATEGORY_GROUPS",
    "RELATION_COLORS",
    "Legend",
    "alliances_layer",
    "basemap_layer",
    "blocs_layer",
    "deployments_layer",
    "legend",
    "places_layer",
    "timeline_layer",
]

#: Colours of relation links, by relation type.
RELATION_COLORS: Mapping[str, str] = {
    "alliance": "#c62828", "partnership": "#1565c0", "arms_supply": "#ef6c00",
    "deployment": "#6a1b9a", "hostility": "#212121",
}
_OTHER_RELATION = "#757575"
#: Fill colours of blocs, in bloc order (ColorBrewer Set2, colour-blind safe).
BLOC_COLORS = ("#fc8d62", "#66c2a5", "#8da0cb", "#e78ac3", "#a6d854", "#ffd92f",
               "#e5c494", "#b3b3b3")
_DEPLOY_COLOR = "#b71c1c"
_PLACE_COLOR = "#0d47a1"
#: PLOVER categories grouped the way conflict analysts read them (QuadClass-like).
CATEGORY_GROUPS: Mapping[str, tuple[str, str, frozenset[str]]] = {
    "cooperation": ("Cooperation", "#2e7d32", frozenset({
        "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"})),
    "verbal": ("Verbal conflict", "#f9a825", frozenset({
        "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST"})),
    "material": ("Material conflict", "#c62828", frozenset({
        "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"})),
}
_CLUSTER_AUTO = 300  # above this many places, cluster: SVG markers slow down past a few hundred

CSS = """
.geokit-arrowhead{background:none;border:none}
.geokit-arrowhead svg{display:block;overflow:visible}
.geokit-popup{max-height:260px;overflow-y:auto;font:13px/1.35 system-ui,sans-serif}
.geokit-popup blockquote{margin:6px 0;padding:2px 8px;border-left:3px solid #90a4ae;color:#263238}
.geokit-popup .geokit-src{color:#607d8b;font-size:11px}
.geokit-legend,.geokit-sources,.geokit-timeline{background:rgba(255,255,255,.92);padding:6px 9px;
 border-radius:5px;box-shadow:0 1px 4px rgba(0,0,0,.35);font:12px/1.4 system-ui,sans-serif}
.geokit-legend h4{margin:0 0 4px;font-size:13px}
.geokit-legend .geokit-key{display:inline-block;width:22px;height:10px;margin-right:6px;
 vertical-align:middle}
.geokit-legend .geokit-circle{width:10px;border-radius:50%;margin:0 12px 0 6px}
.geokit-title{position:absolute;z-index:1000;top:10px;left:50%;transform:translateX(-50%);
 background:rgba(255,255,255,.92);padding:5px 14px;border-radius:5px;
 font:600 16px/1.3 system-ui,sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.35);
 max-width:60%;text-align:center;pointer-events:none}
.geokit-empty{position:absolute;z-index:1000;top:45%;left:50%;transform:translate(-50%,-50%);
 background:#fff8e1;border:1px solid #ffb300;padding:12px 18px;border-radius:6px;
 font:15px/1.4 system-ui,sans-serif}
.geokit-sources{max-width:340px;max-height:160px;overflow-y:auto}
.geokit-timeline input{width:240px;vertical-align:middle}
"""


def js_json(obj: Any) -> str:
    r"""Return JSON that is safe inside a ``<script>`` element.

    The same idea as folium's ``template._to_escaped_json``: ``<``, ``>``, ``&``
    and ``'`` become ``\\uXXXX`` escapes, so ``</script>`` or ``<!--`` in article
    text cannot end the script; U+2028/9 are escaped because older JavaScript
    engines treat them as line ends inside strings.

    Examples
    --------
    >>> js_json({"t": "</script><b>"})
    '{"t": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    return (json.dumps(obj, ensure_ascii=False, allow_nan=False)
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("'", "\\u0027").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _r(x: float) -> float:
    return round(float(x), 5)


def _docs(documents: Document | Iterable[Document]) -> list[Document]:
    return [documents] if isinstance(documents, Document) else list(documents)


def _evidence_html(evidence: Sequence[tuple[str, str]]) -> str:
    return "".join(
        f'<blockquote>{_e(s)}</blockquote><div class="geokit-src">{_e(d)}</div>'
        for d, s in evidence
    )


def _add_css(element: MacroElement) -> None:
    figure = element.get_root()
    if isinstance(figure, Figure):
        figure.header.add_child(Element(f"<style>{CSS}</style>"), name="geokit_css")


class _DataLayer(JSCSSMixin, folium.FeatureGroup):
    """A feature group filled in the browser from one escaped JSON value.

    Subclasses set ``_js``: the body of ``function (map, data) {...}`` that
    returns the Leaflet layer (any ``L.FeatureGroup``) holding the features.
    """

    _js = "return L.featureGroup();"
    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = (function (map, data) {
                {{ this._js }}
            })({{ this._map_name() }}, {{ this.data_json }});
        {% endmacro %}
        """
    )

    def __init__(self, data: Any, *, name: str, show: bool = True, count: int = 0) -> None:
        super().__init__(name=name, show=show)
        self._name = type(self).__name__
        self.data = data
        #: How many drawn items (markers, arrows, links, countries) the layer holds.
        self.count = count

    @property
    def data_json(self) -> str:
        """The layer's data as script-safe JSON."""
        return js_json(self.data)

    def _map_name(self) -> str:
        parent = self._parent
        while parent is not None and not isinstance(parent, folium.Map):
            parent = getattr(parent, "_parent", None)
        return parent.get_name() if parent is not None else "null"

    def render(self, **kwargs: Any) -> None:
        """Render, adding geokit's shared CSS to the page once."""
        _add_css(self)
        super().render(**kwargs)


# ---------------------------------------------------------------------------- places


class PlacesLayer(_DataLayer):
    """Circle markers sized by mentions, clustered when there are many."""

    _js = """
        var g = data.cluster
            ? L.markerClusterGroup({chunkedLoading: true, showCoverageOnHover: false})
            : L.featureGroup();
        var ms = new Array(data.p.length);
        for (var i = 0; i < data.p.length; i++) {
            var p = data.p[i];
            var m = L.circleMarker([p[0], p[1]], {
                radius: p[2], color: data.color, weight: 1.5, fillColor: data.color,
                fillOpacity: 0.45, className: 'geokit-place', gk: i});
            m.bindTooltip(p[3]);
            ms[i] = m;
        }
        if (g.addLayers) { g.addLayers(ms); } else { ms.forEach(function (m) { g.addLayer(m); }); }
        // One popup built on click instead of one bound to each of up to 100k markers.
        g.on('click', function (e) {
            var i = e.layer.options.gk;
            if (i === undefined) { return; }
            L.popup({maxWidth: 380}).setLatLng(e.layer.getLatLng())
                .setContent(data.p[i][4]).openOn(map);
        });
        return g;
    """

    def __init__(self, data: Any, *, name: str, show: bool = True, count: int = 0,
                 cluster: bool = False) -> None:
        super().__init__(data, name=name, show=show, count=count)
        # Same asset names and URLs as folium's MarkerCluster plugin, so the two
        # share one copy in a page and the offline inliner knows them.
        self.default_js = list(MarkerCluster.default_js) if cluster else []
        self.default_css = list(MarkerCluster.default_css) if cluster else []


def _place_popup(p: _data.PlacePoint) -> str:
    meta = " · ".join(x for x in (p.country, p.feature) if x)
    names = ", ".join(f"“{_e(n)}” ×{c}" for n, c in p.names.most_common(6))
    ndocs = len(dict.fromkeys(p.docs))
    return (f'<div class="geokit-popup"><b>{_e(p.name)}</b> <small>{_e(meta)}</small><br>'
            f"{p.count} mention{'s' if p.count != 1 else ''} in {ndocs} "
            f"document{'s' if ndocs != 1 else ''}: {names}"
            f"{_evidence_html(p.evidence)}</div>")


def _points_from_gdf(gdf: Any) -> list[_data.PlacePoint]:
    # A GeoDataFrame from ``to_geodataframe(kind="places")`` has one row per
    # mention; any point GeoDataFrame works, one row counting as one mention.
    out: dict[str, _data.PlacePoint] = {}
    cols = set(gdf.columns)
    label = "place_name" if "place_name" in cols else ("name" if "name" in cols else None)
    for i, row in enumerate(gdf.itertuples(index=False)):
        geom = getattr(row, gdf.geometry.name)
        if geom is None or geom.is_empty:
            continue
        lat, lon = geom.y, geom.x  # shapely points are (x=lon, y=lat)
        name = str(getattr(row, label)) if label else f"#{i}"
        k = f"{name}@{lat:.4f},{lon:.4f}"
        pt = out.get(k)
        if pt is None:
            pt = out[k] = _data.PlacePoint(
                k, name, lat, lon, getattr(row, "country", None) if "country" in cols else None,
                str(getattr(row, "feature", "") or "") if "feature" in cols else "")
        pt.count += 1
        pt.names[str(getattr(row, "name", name)) if "name" in cols else name] += 1
        if "doc_id" in cols:
            pt.docs.append(str(row.doc_id))
        if "evidence" in cols and isinstance(row.evidence, str):
            _data._add_evidence(pt.evidence, str(getattr(row, "doc_id", "")), row.evidence)
    return sorted(out.values(), key=lambda p: (-p.count, p.name))


def places_layer(docs_or_gdf: Any, *, cluster: bool | str = "auto", name: str = "Places",
                 show: bool = True) -> PlacesLayer:
    """Return a layer with one marker per resolved place.

    Parameters
    ----------
    docs_or_gdf : Document, iterable of Document, or GeoDataFrame
        Documents, or a point GeoDataFrame such as
        ``to_geodataframe(docs, kind="places")`` (one row per mention).
    cluster : {"auto", True, False}
        Cluster markers (Leaflet.markercluster); ``"auto"`` clusters above
        300 places.
    name : str
        Name in the layer control.
    show : bool
        Visible on opening.

    Returns
    -------
    PlacesLayer
        A :class:`folium.FeatureGroup`; ``.count`` is the number of markers.
        Marker radius grows with the square root of the mention count; the
        popup lists the mentions and quotes up to three evidence sentences.
    """
    if cluster not in ("auto", True, False):
        raise ConfigurationError(f"cluster must be 'auto', True or False, not {cluster!r}")
    if hasattr(docs_or_gdf, "geometry") and hasattr(docs_or_gdf, "itertuples"):
        points = _points_from_gdf(docs_or_gdf)
    else:
        points = _data.aggregate_places(_docs(docs_or_gdf))
    use_cluster = len(points) > _CLUSTER_AUTO if cluster == "auto" else bool(cluster)
    rows = [
        [_r(p.lat), _r(p.lon), round(min(4 + 3 * math.sqrt(p.count), 22), 1),
         f"{_e(p.name)} ({p.count})", _place_popup(p)]
        for p in points
    ]
    return PlacesLayer({"p": rows, "cluster": use_cluster, "color": _PLACE_COLOR},
                       name=name, show=show, count=len(rows), cluster=use_cluster)


# ----------------------------------------------------------------------- deployments


class DeploymentsLayer(_DataLayer):
    """Arrows origin -> destination; planned dashed, happened solid.

    Leaflet and folium have no arrowheads, and the plugins that draw them
    (Leaflet.PolylineDecorator, Leaflet.TextPath) ship in no PyPI package, so
    the offline map could not inline them. The head is an SVG triangle in a
    ``divIcon`` at the destination, turned by the line's Web Mercator heading
    (computed in Python, the same at every zoom): constant size on screen and
    no assets.
    """

    _js = """
        var g = L.featureGroup();
        data.a.forEach(function (a) {
            var line = L.polyline([[a[0], a[1]], [a[2], a[3]]], {
                color: data.color, weight: 3, opacity: 0.9,
                dashArray: a[5] ? '8 7' : null, className: 'geokit-arrow'});
            line.bindTooltip(a[6], {sticky: true});
            var head = L.marker([a[2], a[3]], {keyboard: false, icon: L.divIcon({
                className: 'geokit-arrowhead', iconSize: [18, 14], iconAnchor: [18, 7],
                html: '<svg width="18" height="14" viewBox="0 0 18 14" '
                    + 'style="transform:rotate(' + Number(a[4]) + 'deg);transform-origin:18px 7px">'
                    + '<path d="M0,0 L18,7 L0,14 z" fill="' + data.color + '"/></svg>'})});
            head.bindTooltip(a[6]);
            g.addLayer(line);
            g.addLayer(head);
        });
        return g;
    """


def _arrow_tooltip(a: _data.Arrow) -> str:
    status = ", ".join(f"{s} ×{c}" if c > 1 else s for s, c in a.statuses.most_common())
    rows = [
        f"<b>{_e(a.origin.name)} → {_e(a.dest.name)}</b> ({_e(status)})",
        f"Actor: {_e(', '.join(a.actors) or 'unknown')}",
        f"Size: {_e('; '.join(a.sizes) or 'not stated')}",
        f"Date: {_e(', '.join(sorted(a.dates)) or 'undated')}",
    ]
    return ('<div class="geokit-popup">' + "<br>".join(rows)
            + _evidence_html(a.evidence) + "</div>")


def deployments_layer(docs: Document | Iterable[Document], *, name: str = "Deployments",
                      show: bool = True) -> DeploymentsLayer:
    """Return a layer of deployment arrows (MOBILIZE and deploy events).

    An event is drawn when it has both an origin and a place and its status is
    not ``denied`` or ``negated``. Events with the same ends and the same
    planned/happened state share one arrow; its tooltip gives the actors, the
    force size as the text states it, the dates and the evidence.

    Returns
    -------
    DeploymentsLayer
        ``.count`` is the number of arrows.
    """
    arrows = _data.deployment_arrows(_docs(docs))
    rows = [
        [_r(a.origin.lat), _r(a.origin.lon), _r(a.dest.lat), _r(a.dest.lon),
         round(_angle(a.origin.lat, a.origin.lon, a.dest.lat, a.dest.lon), 2),
         1 if a.planned else 0, _arrow_tooltip(a)]
        for a in arrows
    ]
    return DeploymentsLayer({"a": rows, "color": _DEPLOY_COLOR}, name=name, show=show,
                            count=len(rows))


# ------------------------------------------------------------------------- alliances


class AlliancesLayer(_DataLayer):
    """Lines between capitals, coloured by relation type, weighted by evidence."""

    _js = """
        var g = L.featureGroup();
        data.l.forEach(function (l) {
            L.polyline(l[0], {color: l[1], weight: l[2], opacity: 0.85,
                              className: 'geokit-relation geokit-rel-' + l[4]})
                .bindTooltip(l[3], {sticky: true}).addTo(g);
        });
        return g;
    """


def _bow(lat1: float, lon1: float, lat2: float, lon2: float, offset: float) -> list[list[float]]:
    # Two states can have several relation types; each gets its own bend so
    # the lines do not hide each other (a quadratic Bezier in lat/lon).
    if offset == 0:
        return [[_r(lat1), _r(lon1)], [_r(lat2), _r(lon2)]]
    mlat, mlon = (lat1 + lat2) / 2, (lon1 + lon2) / 2
    clat, clon = mlat - (lon2 - lon1) * offset, mlon + (lat2 - lat1) * offset
    pts = []
    for i in range(17):
        t = i / 16
        pts.append([_r((1 - t) ** 2 * lat1 + 2 * (1 - t) * t * clat + t * t * lat2),
                    _r((1 - t) ** 2 * lon1 + 2 * (1 - t) * t * clon + t * t * lon2)])
    return pts


def _css_token(s: str) -> str:
    return re.sub(r"[^a-z0-9_-]", "_", s.lower())


def alliances_layer(docs: Document | Iterable[Document], *, capitals: CapitalLookup | None = None,
                    name: str = "Alliances and relations", show: bool = True) -> AlliancesLayer:
    """Return a layer of relation links between the states' capitals.

    Parameters
    ----------
    docs : Document or iterable of Document
    capitals : callable, optional
        ``iso3 -> Place | None``; default :func:`default_capital_lookup`
        (the gazetteer's ``capital_of`` when an index is built).

    Returns
    -------
    AlliancesLayer
        ``.count`` is the number of links drawn; line width grows with the
        log of the evidence count; ``.links`` are the drawn
        :class:`~geokit.maps._data.Link` records.
    """
    capitals = capitals or default_capital_lookup()
    links = _data.relation_links(_docs(docs))
    names = _safe_country_names()
    drawn, rows = [], []
    per_pair: dict[tuple[str, str], int] = {}
    for link in links:
        a, b = capitals(link.source), capitals(link.target)
        if a is None or b is None:
            continue
        pair = tuple(sorted((link.source, link.target)))
        k = per_pair.get(pair, 0)
        per_pair[pair] = k + 1
        offset = 0.0 if k == 0 else 0.18 * ((k + 1) // 2) * (1 if k % 2 else -1)
        arrow = "→" if link.directed else "–"
        label = (f"<b>{_e(names.get(link.source, link.source))} {arrow} "
                 f"{_e(names.get(link.target, link.target))}</b><br>"
                 f"{_e(link.type.replace('_', ' '))}: {link.count} "
                 f"event{'s' if link.count != 1 else ''}<br>"
                 f"<small>{_e(a.name)} – {_e(b.name)}</small>")
        rows.append([
            _bow(a.lat, a.lon, b.lat, b.lon, offset),
            RELATION_COLORS.get(link.type, _OTHER_RELATION),
            round(min(2 + 2 * math.log2(1 + link.count), 10), 1),
            f'<div class="geokit-popup">{label}{_evidence_html(link.evidence)}</div>',
            _css_token(link.type),
        ])
        drawn.append(link)
    layer = AlliancesLayer({"l": rows}, name=name, show=show, count=len(rows))
    layer.links = drawn
    return layer


def _safe_country_names() -> dict[str, str]:
    try:
        return country_names()
    except Exception:  # noqa: BLE001 - names only decorate tooltips
        return {}


# ----------------------------------------------------------------------------- blocs


class BlocsLayer(_DataLayer):
    """Country polygons filled by the bloc they fall in."""

    _js = """
        return L.geoJSON(data.fc, {
            className: 'geokit-bloc',
            style: function (f) {
                return {color: '#455a64', weight: 1, fillColor: f.properties.color,
                        fillOpacity: 0.45};
            },
            onEachFeature: function (f, layer) {
                layer.bindTooltip(f.properties.tip, {sticky: true});
            }
        });
    """


def blocs_layer(docs: Document | Iterable[Document], *, name: str = "Blocs",
                show: bool = True) -> BlocsLayer:
    """Return a layer shading countries by side in the relation graph.

    States linked by alliance, partnership, arms supply or deployment form one
    bloc (a connected component); polygons are Natural Earth 1:110m admin-0,
    from the copy pyogrio ships. ``.blocs`` lists the
    :class:`~geokit.maps._data.Bloc` records and ``.count`` the number of
    countries shaded.
    """
    found = _data.blocs(_data.relation_links(_docs(docs)))
    colour = {}
    label = {}
    names = country_names()
    for b in found:
        c = BLOC_COLORS[b.index % len(BLOC_COLORS)]
        title = bloc_label(b, names)
        for iso in b.members:
            colour[iso] = c
            label[iso] = title
    fc = countries_geojson(set(colour))
    for f in fc["features"]:
        iso = f["properties"]["iso_a3"]
        f["properties"] = {
            "color": colour[iso],
            "tip": f"<b>{_e(f['properties']['name'])}</b><br>{_e(label[iso])}",
        }
    layer = BlocsLayer({"fc": fc}, name=name, show=show, count=len(fc["features"]))
    layer.blocs = found
    return layer


def bloc_label(b: _data.Bloc, names: Mapping[str, str] | None = None) -> str:
    """Return a bloc's legend label: "Bloc 1: Russia, North Korea, Iran"."""
    names = names if names is not None else _safe_country_names()
    members = [names.get(m, m) for m in b.members]
    shown = ", ".join(members[:4]) + (f" +{len(members) - 4}" if len(members) > 4 else "")
    return f"Bloc {b.index + 1}: {shown}"


# -------------------------------------------------------------------------- timeline


class TimelineLayer(_DataLayer):
    """Event markers with a date slider; undated events are always shown.

    folium's TimestampedGeoJson needs Leaflet.TimeDimension, jQuery UI and
    iso8601-js-period, which no PyPI package ships (an offline map could not
    inline them), and it has no notion of "always shown". A range input that
    shows the events up to the chosen day is a few lines and needs no asset.
    """

    _js = """
        var g = L.featureGroup(), dated = [];
        data.e.forEach(function (e) {
            var m = L.circleMarker([e[0], e[1]], {
                radius: 6, color: '#263238', weight: 1, fillColor: e[3], fillOpacity: 0.9,
                className: 'geokit-event'});
            m.bindTooltip(e[4]).bindPopup(e[5], {maxWidth: 380});
            g.addLayer(m);
            if (e[2] !== null) { dated.push([e[2], m]); }
        });
        if (!dated.length) { return g; }
        function show(day) {
            dated.forEach(function (d) {
                if (d[0] <= day) { g.addLayer(d[1]); } else { g.removeLayer(d[1]); }
            });
            label.textContent = new Date(day * 864e5).toISOString().slice(0, 10);
        }
        var label;
        var ctl = L.control({position: 'bottomleft'});
        ctl.onAdd = function () {
            var div = L.DomUtil.create('div', 'geokit-timeline');
            var input = L.DomUtil.create('input', '', div);
            input.type = 'range'; input.min = data.min; input.max = data.max;
            input.step = 1; input.value = data.max;
            input.setAttribute('aria-label', 'Show events up to this date');
            L.DomUtil.create('span', '', div).textContent = ' up to ';
            label = L.DomUtil.create('b', '', div);
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.on(input, 'input', function () { show(Number(input.value)); });
            label.textContent = new Date(data.max * 864e5).toISOString().slice(0, 10);
            return div;
        };
        g.on('add', function () { ctl.addTo(map); });
        g.on('remove', function () { ctl.remove(); });
        return g;
    """


def category_group(category: str) -> str:
    """Return the group ("cooperation", "verbal", "material") of a PLOVER category."""
    for key, (_, _, cats) in CATEGORY_GROUPS.items():
        if category.upper() in cats:
            return key
    return "cooperation"


def timeline_layer(docs: Document | Iterable[Document], *, name: str = "Events over time",
                   show: bool = True) -> TimelineLayer:
    """Return a layer of event markers with a time slider.

    Dated events (ISO dates; "2024-07" counts from July 1) appear when the
    slider reaches their day; undated events are always shown. Markers are
    coloured by category group (cooperation, verbal conflict, material conflict).

    Returns
    -------
    TimelineLayer
        ``.count`` is the number of event markers, ``.dated`` the dated ones.
    """
    events = _data.timed_events(_docs(docs))
    rows = []
    for e in events:
        colour = CATEGORY_GROUPS[category_group(e.category)][1]
        when = e.date or "undated"
        tip = f"{_e(e.category)}: {_e(e.label)} ({_e(when)}, {_e(e.status)})"
        pop = (f'<div class="geokit-popup"><b>{_e(e.category)}'
               f"{' / ' + _e(e.subtype) if e.subtype else ''}</b> — {_e(e.status)}, {_e(when)}"
               f"<br>{_e(e.label)}{_evidence_html([(e.doc, e.evidence)])}</div>")
        rows.append([_r(e.lat), _r(e.lon), e.day, colour, tip, pop])
    days = [e.day for e in events if e.day is not None]
    layer = TimelineLayer({"e": rows, "min": min(days, default=0), "max": max(days, default=0)},
                          name=name, show=show, count=len(rows))
    layer.dated = len(days)
    return layer


# --------------------------------------------------------------------------- basemap


class BasemapLayer(_DataLayer):
    """Country outlines drawn as vector data: the offline map's base layer."""

    _js = """
        return L.geoJSON(data, {
            className: 'geokit-basemap', interactive: false,
            style: {color: '#78909c', weight: 0.7, fillColor: '#f5f3ee', fillOpacity: 1}
        });
    """


def basemap_layer(*, name: str = "Country outlines (Natural Earth)") -> BasemapLayer:
    """Return the Natural Earth 1:110m country outlines as a base layer (no tiles)."""
    fc = countries_geojson()
    layer = BasemapLayer(fc, name=name, count=len(fc["features"]))
    layer.overlay = False
    return layer


# ---------------------------------------------------------------------------- legend


class Legend(MacroElement):
    """A categorical legend control (folium has none; its issue #528).

    Parameters
    ----------
    items : sequence of (label, colour, shape)
        ``shape`` is ``"line"``, ``"dash"``, ``"circle"`` or ``"square"``.
    title : str
    position : str
        A Leaflet control corner.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            (function (map) {
                var ctl = L.control({position: {{ this.position_json }}});
                ctl.onAdd = function () {
                    var div = L.DomUtil.create('div', 'geokit-legend');
                    div.innerHTML = {{ this.html_json }};
                    return div;
                };
                ctl.addTo(map);
            })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, items: Sequence[tuple[str, str, str]], *, title: str = "Legend",
                 position: str = "bottomright") -> None:
        super().__init__()
        self._name = "Legend"
        if position not in ("topleft", "topright", "bottomleft", "bottomright"):
            raise ConfigurationError(
                f"unknown legend position {position!r}; valid: topleft, topright, "
                "bottomleft, bottomright")
        self.items = list(items)
        self.title = title
        self.position = position

    @property
    def position_json(self) -> str:
        """The position as script-safe JSON."""
        return js_json(self.position)

    @property
    def html_json(self) -> str:
        """The legend's escaped HTML as script-safe JSON."""
        rows = [f"<h4>{_e(self.title)}</h4>"] if self.title else []
        for label, colour, shape in self.items:
            colour = colour if re.fullmatch(r"#[0-9a-fA-F]{3,8}", colour) else "#777"
            if shape == "circle":
                style, cls = f"background:{colour}", "geokit-key geokit-circle"
            elif shape in ("line", "dash"):
                border = "dashed" if shape == "dash" else "solid"
                style, cls = f"height:0;border-top:3px {border} {colour}", "geokit-key"
            else:
                style, cls = f"background:{colour};opacity:.7", "geokit-key"
            rows.append(f'<div><span class="{cls}" style="{style}"></span>{_e(label)}</div>')
        return js_json("".join(rows))

    def render(self, **kwargs: Any) -> None:
        """Render, adding geokit's shared CSS to the page once."""
        _add_css(self)
        super().render(**kwargs)


def legend(items: Mapping[str, str] | Sequence[tuple[str, str] | tuple[str, str, str]], *,
           title: str = "Legend", position: str = "bottomright") -> Legend:
    """Return a categorical legend to add to a folium map.

    Parameters
    ----------
    items : mapping of label to colour, or sequence of (label, colour[, shape])
        Labels are escaped; colours must be ``#rgb``/``#rrggbb`` hex.
    title : str
    position : {"bottomright", "bottomleft", "topright", "topleft"}

    Examples
    --------
    >>> lg = legend({"alliance": "#c62828"}, title="Relations")
    >>> lg.items
    [('alliance', '#c62828', 'square')]
    """
    pairs = items.items() if isinstance(items, Mapping) else items
    rows = []
    for item in pairs:
        label, colour, *rest = item
        rows.append((str(label), str(colour), rest[0] if rest else "square"))
    return Legend(rows, title=title, position=position)


# ----------------------------------------------------------------- title and notices


class MapTitle(MacroElement):
    """A title over the map, a list of sources, and an optional notice."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            (function (map) {
                var data = {{ this.data_json }};
                if (data.title) {
                    var t = L.DomUtil.create('div', 'geokit-title', map.getContainer());
                    t.textContent = data.title;
                }
                if (data.empty) {
                    var n = L.DomUtil.create('div', 'geokit-empty', map.getContainer());
                    n.textContent = data.empty;
                }
                if (data.sources.length) {
                    var ctl = L.control({position: 'bottomleft'});
                    ctl.onAdd = function () {
                        var div = L.DomUtil.create('div', 'geokit-sources');
                        div.innerHTML = data.sources_html;
                        L.DomEvent.disableScrollPropagation(div);
                        return div;
                    };
                    ctl.addTo(map);
                }
            })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, title: str | None, sources: Sequence[tuple[str, str | None]], *,
                 empty: str | None = None) -> None:
        super().__init__()
        self._name = "MapTitle"
        self.title = title
        self.sources = list(sources)
        self.empty = empty

    @property
    def data_json(self) -> str:
        """Title, notice and the escaped source list as script-safe JSON."""
        items = []
        for doc_id, url in self.sources:
            # Only web links become links: a javascript: URL in a record must not.
            if url and re.match(r"^https?://", url, re.IGNORECASE):
                items.append(f'<li><a href="{_e(url)}" target="_blank" rel="noopener noreferrer">'
                             f"{_e(doc_id)}</a></li>")
            else:
                items.append(f"<li>{_e(doc_id)}</li>")
        sources_html = (f"<details><summary>Sources ({len(items)})</summary>"
                        f"<ol>{''.join(items)}</ol></details>")
        return js_json({"title": self.title, "empty": self.empty, "sources": len(items) > 0
                        and [s[0] for s in self.sources] or [], "sources_html": sources_html})

    def render(self, **kwargs: Any) -> None:
        """Render, adding geokit's shared CSS to the page once."""
        _add_css(self)
        super().render(**kwargs)

