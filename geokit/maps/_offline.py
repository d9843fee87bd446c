"""Make a folium map self-contained: every JS and CSS asset inlined.

folium links its assets from CDNs (its open issue #1985 asks for an offline
mode). Here the assets come from maintained PyPI packages in the XStatic
format (``xstatic-leaflet``, ``xstatic-leaflet-markercluster``), so a plain
``pip install`` brings them and nothing is copied by hand into this
repository. Images that Leaflet's CSS references (the layer-control icon,
the default marker) become ``data:`` URIs, since a relative ``url(images/…)``
would be a request next to the HTML file.
"""

from __future__ import annotations

import base64
import functools
import re
from pathlib import Path
from typing import Any

from branca.element import Element, Figure

from geokit.errors import ConfigurationError, DependencyError

__all__ = ["DROPPED", "INLINED", "inline_assets"]

#: folium asset names this module inlines -> (xstatic package, file, kind).
INLINED: dict[str, tuple[str, str, str]] = {
    "leaflet": ("leaflet", "leaflet.js", "js"),
    "leaflet_css": ("leaflet", "leaflet.css", "css"),
    "markerclusterjs": ("leaflet_markercluster", "leaflet.markercluster.js", "js"),
    "markerclustercss": ("leaflet_markercluster", "MarkerCluster.css", "css"),
    "markerclusterdefaultcss": ("leaflet_markercluster", "MarkerCluster.Default.css", "css"),
}
#: Assets folium's Map declares that geokit's layers never use (jQuery and
#: Bootstrap serve Awesome Markers and its icon fonts; geokit draws circle
#: markers and SVG arrowheads instead), so an offline map leaves them out.
DROPPED = frozenset({
    "jquery", "bootstrap", "awesome_markers", "bootstrap_css", "glyphicons_css",
    "awesome_markers_font_css", "awesome_markers_css", "awesome_rotate_css",
})
_PACKAGES = {"leaflet": "xstatic-leaflet", "leaflet_markercluster": "xstatic-leaflet-markercluster"}


def _base_dir(package: str) -> Path:
    try:
        module = __import__(f"xstatic.pkg.{package}", fromlist=["BASE_DIR"])
    except ImportError as exc:
        raise DependencyError(
            f"offline maps need {_PACKAGES[package]}: pip install {_PACKAGES[package]}"
        ) from exc
    return Path(module.BASE_DIR)


def _data_uri(path: Path) -> str:
    mime = {"png": "image/png", "svg": "image/svg+xml", "gif": "image/gif"}.get(
        path.suffix.lstrip(".").lower(), "application/octet-stream")
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


@functools.cache
def _asset(name: str) -> str:
    package, file, kind = INLINED[name]
    base = _base_dir(package)
    text = (base / file).read_text(encoding="utf-8")
    # A source map comment makes devtools fetch the .map file: drop it.
    text = re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", text)
    if kind == "css":
        def inline(m: re.Match[str]) -> str:
            ref = m.group(1).strip("'\"")
            target = base / ref
            if ref.startswith(("#", "data:")) or not target.is_file():
                return m.group(0)
            return f'url("{_data_uri(target)}")'

        text = re.sub(r"url\(([^)]*)\)", inline, text)
        return f"<style>\n{text}\n</style>"
    # Inline script text must not contain "</script"; a JS string can spell it "<\/script".
    text = text.replace("</script", "<\\/script")
    return f"<script>\n{text}\n</script>"


def _walk(element: Any) -> Any:
    yield element
    for child in list(getattr(element, "_children", {}).values()):
        yield from _walk(child)


def inline_assets(m: Any) -> Any:
    """Replace the CDN links of ``m`` and its children by inline ``<script>``/``<style>``.

    Parameters
    ----------
    m : folium.Map
        A map built by :func:`geokit.maps.build_map` or by hand. Call this after
        the last element is added.

    Returns
    -------
    folium.Map
        The same map, whose rendered HTML makes no network request for assets.

    Raises
    ------
    ConfigurationError
        An element needs an asset that no packaged source provides (its name and
        URL are in the message): leave it out of offline maps.
    """
    import folium  # noqa: PLC0415

    figure = m.get_root()
    if not isinstance(figure, Figure):  # pragma: no cover - folium.Map always has one
        raise ConfigurationError("the map has no figure to inline assets into")
    needed: list[str] = []
    for el in _walk(m):
        links = list(getattr(el, "default_js", [])) + list(getattr(el, "default_css", []))
        if not links:
            continue
        for name, url in links:
            if name in INLINED:
                if name not in needed:
                    needed.append(name)
            elif not (name in DROPPED and isinstance(el, folium.Map)):
                raise ConfigurationError(
                    f"offline map: cannot inline asset {name!r} ({url}) of "
                    f"{type(el).__name__}; valid assets: {', '.join(sorted(INLINED))}")
        # Instance attributes shadow the class lists JSCSSMixin renders as links.
        el.default_js = []
        el.default_css = []
    # Leaflet first; plugins after it. The figure header keeps insertion order.
    order = list(INLINED)
    for name in sorted(needed, key=order.index):
        figure.header.add_child(Element(_asset(name)), name=f"inline_{name}")
    return m
