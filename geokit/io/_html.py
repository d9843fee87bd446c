"""Saved web pages as input: the article's text and metadata, never its scripts or menus.

A news page saved from a browser is mostly navigation, scripts, cookie banners
and footers; geoparsing those finds places in the site's menu. trafilatura (a
maintained boilerplate remover, pinned in pyproject.toml) keeps the article
body and reads the title, publication date and canonical URL from the page's
metadata.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from geokit.errors import DependencyError

__all__ = ["HTML_SUFFIXES", "article_from_html", "html_record_fields"]

#: File suffixes read as saved web pages.
HTML_SUFFIXES = (".html", ".htm")


def article_from_html(html: str, *, url: str | None = None) -> dict[str, str]:
    """Return the article of an HTML page: ``{"text", "title", "date", "url"}``.

    Parameters
    ----------
    html : str
        The page source (untrusted).
    url : str, optional
        Where the page came from, when the page itself does not say.

    Returns
    -------
    dict
        ``text`` (paragraphs separated by newlines; empty when the page has no
        article) and those of ``title``, ``date`` (``YYYY-MM-DD``) and ``url``
        the page gives.
    """
    try:
        import trafilatura  # noqa: PLC0415 - lxml-heavy, only for HTML input
    except ImportError as exc:  # pragma: no cover - a dependency
        raise DependencyError("reading HTML needs trafilatura: pip install trafilatura") from exc
    # fast=True: no fallback extractors, which return a menu ("Home") for a
    # page without an article rather than nothing.
    page = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False,
        favor_precision=True, fast=True)
    if not page:
        return {"text": ""}
    doc = page.as_dict()
    out = {"text": (doc.get("text") or "").strip()}
    for key in ("title", "date", "url"):
        value = doc.get(key)
        if isinstance(value, str) and value.strip():
            out[key] = value.strip()
    return out


def html_record_fields(obj: Mapping[str, Any], *, text_field: str = "text"
                       ) -> Mapping[str, Any]:
    """Turn a record that carries an ``html`` field and no text into one with its article text.

    The record's own ``title``, ``date`` and ``url`` win over the page's. A
    record with a text, or without a string ``html``, is returned unchanged
    (the reader then reports what is missing).
    """
    html = obj.get("html")
    if text_field in obj or not isinstance(html, str):
        return obj
    url = obj.get("url") if isinstance(obj.get("url"), str) else None
    article = article_from_html(html, url=url)
    out = {k: v for k, v in obj.items() if k != "html"}
    out[text_field] = article.pop("text")
    for key, value in article.items():
        if out.get(key) in (None, ""):
            out[key] = value
    return out
