"""Turn :class:`~geokit.Document` objects into files analysts use, and back.

JSON (the ``geokit extract`` shape, and its exact inverse so an analyst can
correct a file and re-map it), RFC 7946 GeoJSON, GeoDataFrames, ACLED-style CSV
rows and PLOVER-style JSONL records, plus atomic file writers.

Everything here is a pure function of the documents except the ``write_*``
functions, which write to a temporary file in the target directory and then
``os.replace`` it, so a reader never sees half a file.
"""

from __future__ import annotations

import csv
import json
import math
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from geokit.errors import DependencyError, ExtractFormatError, InputError
from geokit.io._acled import acled_date, acled_event_type, acled_geo_precision, fatalities
from geokit.models import (
    Actor,
    ActorMention,
    Document,
    Event,
    Evidence,
    Mention,
    Place,
    Relation,
    Toponym,
    is_iso_date,
)
from geokit.paths import atomic_path, atomic_write

__all__ = [
    "ACLED_COLUMNS",
    "EXTRACT_FORMAT_VERSION",
    "document_from_dict",
    "document_to_dict",
    "documents_from_json",
    "documents_to_json",
    "event_to_dict",
    "events_to_rows",
    "place_from_dict",
    "place_to_dict",
    "read_extract",
    "to_geodataframe",
    "to_geojson",
    "to_plover",
    "write_csv",
    "write_geojson",
    "write_geoparquet",
    "write_json",
    "write_jsonl",
]

#: Version of the ``geokit extract`` JSON layout, written in every file.
EXTRACT_FORMAT_VERSION = 1

#: Columns of :func:`events_to_rows`: ACLED's names, order and codes where a column
#: means what ACLED's does (``event_date`` a full date with ``time_precision``,
#: ``geo_precision`` 1 the town itself .. 3 a region or larger, ``fatalities``),
#: then geokit's own (the PLOVER category and subtype, status, confidence).
ACLED_COLUMNS = (
    "event_id", "event_date", "year", "time_precision", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "actor2", "assoc_actor_2",
    "country", "admin1", "location", "latitude", "longitude", "geo_precision",
    "source", "notes", "fatalities",
    "plover_category", "plover_subtype", "status", "actor1_country", "actor2_country",
    "date_text", "confidence",
)

# --------------------------------------------------------------------------- to dict


def place_to_dict(place: Place) -> dict[str, Any]:
    """Return a place as JSON, with the index key so it can be looked up again.

    Parameters
    ----------
    place : Place
        A resolved place.

    Returns
    -------
    dict
        :meth:`Place.to_dict` plus ``key`` when the place has one.
    """
    d = place.to_dict()
    if place.key:
        d["key"] = place.key
    return d


def _toponym_to_dict(t: Toponym) -> dict[str, Any]:
    # The flat row of the geoparse schema, plus what is needed to rebuild the
    # Toponym exactly (mention source/label, the place's own fields).
    d = t.to_dict(explain=True)
    d["source"] = t.mention.source
    d["label"] = t.mention.label
    p = t.place
    if p is not None:
        d["population"] = p.population
        d["place_source"] = p.source
        d["place_score"] = round(p.score, 4)
        d["place_why"] = p.why
        d["key"] = p.key
        d["refers_to"] = p.refers_to
    return d


def _actor_to_dict(a: Actor) -> dict[str, Any]:
    return {
        "id": a.id, "name": a.name, "type": a.type, "country": a.country, "source": a.source,
        "mentions": [{"start": m.start, "end": m.end, "text": m.text} for m in a.mentions],
    }


def event_to_dict(e: Event) -> dict[str, Any]:
    """Return one event as JSON (the ``events`` rows of :func:`document_to_dict`)."""
    return {
        "id": e.id, "category": e.category, "subtype": e.subtype,
        "source": list(e.source), "target": list(e.target),
        "place": place_to_dict(e.place) if e.place else None,
        "origin": place_to_dict(e.origin) if e.origin else None,
        "geo_precision": e.geo_precision, "date": e.date, "date_text": e.date_text,
        "status": e.status,
        "evidence": {"text": e.evidence.text, "start": e.evidence.start, "end": e.evidence.end},
        "confidence": round(e.confidence, 4),
        "place_mention": None if (m := e.place_mention) is None else {
            "start": m.start, "end": m.end, "text": m.name, "source": m.source,
            "label": m.label},
    }


def _relation_to_dict(r: Relation) -> dict[str, Any]:
    return {
        "source": r.source, "target": r.target, "type": r.type, "count": r.count,
        "events": list(r.events), "evidence": list(r.evidence),
    }


def document_to_dict(doc: Document, *, include_text: bool = False) -> dict[str, Any]:
    """Return the JSON record of one document (``geokit extract --format json``).

    Parameters
    ----------
    doc : Document
        An extracted (or geoparsed) document.
    include_text : bool, default False
        Also write the article text. Off by default: extract files are shared
        and the evidence sentences already quote what matters.

    Returns
    -------
    dict
        ``{"id", "date", ["text"], "places", "actors", "events", "relations", "meta"}``.
        ``places`` lists every toponym in text order, unresolved ones with
        ``lat``/``lon`` null, so an analyst can fill them in and re-map.
    """
    d: dict[str, Any] = {"id": doc.id, "date": doc.date}
    if include_text:
        d["text"] = doc.text
    d["places"] = [_toponym_to_dict(t) for t in doc.toponyms]
    d["actors"] = [_actor_to_dict(a) for a in doc.actors]
    d["events"] = [event_to_dict(e) for e in doc.events]
    d["relations"] = [_relation_to_dict(r) for r in doc.relations]
    d["meta"] = _jsonable(doc.meta)
    return d


def documents_to_json(docs: Iterable[Document], *, include_text: bool = False) -> dict[str, Any]:
    """Return the whole ``geokit extract`` JSON file for several documents."""
    return {
        "geokit": "extract", "version": EXTRACT_FORMAT_VERSION,
        "documents": [document_to_dict(d, include_text=include_text) for d in docs],
    }


def _jsonable(meta: Mapping[str, Any]) -> dict[str, Any]:
    # Input records may carry anything; keep what JSON can hold, stringify the rest.
    return json.loads(json.dumps(dict(meta), default=str))


# --------------------------------------------------------------------------- from dict


class _Reader:
    """Typed field access that names the file and the JSON path of a bad field."""

    __slots__ = ("origin",)

    def __init__(self, origin: str) -> None:
        self.origin = origin

    def fail(self, path: str, message: str) -> ExtractFormatError:
        return ExtractFormatError(f"{path}: {message}" if path else message, source=self.origin)

    def field(self, obj: Mapping[str, Any], key: str, path: str, kind: str, *,
              required: bool = True, default: Any = None) -> Any:
        where = f"{path}.{key}" if path else key
        if key not in obj:
            if required:
                raise self.fail(where, f"missing required field ({_KIND_NAMES[kind]})")
            return default
        value = obj[key]
        if value is None:
            if kind.endswith("?"):
                return default
            raise self.fail(where, f"expected {_KIND_NAMES[kind]}, got null")
        return self.check(value, where, kind)

    def check(self, value: Any, where: str, kind: str) -> Any:
        base = kind.rstrip("?")
        ok = {
            "str": isinstance(value, str),
            "int": isinstance(value, int) and not isinstance(value, bool),
            "number": isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value),
            "list": isinstance(value, list),
            "object": isinstance(value, Mapping),
        }[base]
        if not ok:
            got = json.dumps(value, ensure_ascii=False, default=str)
            if len(got) > 60:
                got = got[:57] + "..."
            raise self.fail(where, f"expected {_KIND_NAMES[kind]}, got {got}")
        return value


_KIND_NAMES = {
    "str": "a string", "int": "an integer", "number": "a number", "list": "a list",
    "object": "an object",
}
_KIND_NAMES.update({f"{k}?": f"{v} or null" for k, v in list(_KIND_NAMES.items())})


def place_from_dict(d: Mapping[str, Any], *, origin: str = "<input>", path: str = "") -> Place:
    """Rebuild a :class:`Place` from :func:`place_to_dict` output.

    Raises
    ------
    ExtractFormatError
        When a field is missing or has the wrong type; the message names
        ``origin`` and the JSON path.
    """
    r = _Reader(origin)
    r.check(d, path or "place", "object")
    lat = r.field(d, "lat", path, "number")
    lon = r.field(d, "lon", path, "number")
    if not -90 <= lat <= 90:
        raise r.fail(f"{path}.lat", f"latitude out of range: {lat}")
    if not -180 <= lon <= 180:
        raise r.fail(f"{path}.lon", f"longitude out of range: {lon}")
    return Place(
        name=r.field(d, "name", path, "str"),
        lat=float(lat), lon=float(lon),
        country=r.field(d, "country", path, "str?", required=False),
        admin1=r.field(d, "admin1", path, "str?", required=False),
        feature=r.field(d, "feature", path, "str?", required=False) or "city",
        population=r.field(d, "population", path, "int?", required=False) or 0,
        geonameid=r.field(d, "geonameid", path, "int?", required=False),
        source=r.field(d, "source", path, "str?", required=False) or "",
        score=float(r.field(d, "score", path, "number?", required=False) or 0.0),
        why=r.field(d, "why", path, "str?", required=False) or "",
        key=r.field(d, "key", path, "str?", required=False) or "",
        refers_to=r.field(d, "refers_to", path, "str?", required=False),
    )


def _toponym_from_dict(r: _Reader, d: Any, path: str) -> Toponym:
    r.check(d, path, "object")
    start = r.field(d, "start", path, "int")
    end = r.field(d, "end", path, "int")
    if end < start:
        raise r.fail(f"{path}.end", f"end {end} before start {start}")
    mention = Mention(
        start=start, end=end, name=r.field(d, "name", path, "str"),
        kind=r.field(d, "kind", path, "str?", required=False) or "place",
        source=r.field(d, "source", path, "str?", required=False) or "gazetteer",
        label=r.field(d, "label", path, "str?", required=False) or "",
    )
    lat = r.field(d, "lat", path, "number?", required=False)
    lon = r.field(d, "lon", path, "number?", required=False)
    if (lat is None) != (lon is None):
        missing = "lon" if lon is None else "lat"
        raise r.fail(f"{path}.{missing}", "lat and lon must both be numbers or both be null")
    score = float(r.field(d, "score", path, "number?", required=False) or 0.0)
    why = r.field(d, "why", path, "str?", required=False) or ""
    place = None
    if lat is not None:
        place_score = r.field(d, "place_score", path, "number?", required=False)
        place = place_from_dict({
            "name": r.field(d, "place_name", path, "str?", required=False) or mention.name,
            "lat": lat, "lon": lon,
            "country": d.get("country"), "admin1": d.get("admin1"),
            "feature": d.get("feature"), "population": d.get("population"),
            "geonameid": d.get("geonameid"), "source": d.get("place_source"),
            "score": score if place_score is None else place_score,
            "why": d.get("place_why"), "key": d.get("key"), "refers_to": d.get("refers_to"),
        }, origin=r.origin, path=path)
    return Toponym(mention=mention, place=place, score=score, why=why)


def _actor_from_dict(r: _Reader, d: Any, path: str) -> Actor:
    r.check(d, path, "object")
    mentions = []
    for i, m in enumerate(r.field(d, "mentions", path, "list", required=False, default=[])):
        mp = f"{path}.mentions[{i}]"
        r.check(m, mp, "object")
        mentions.append(ActorMention(
            start=r.field(m, "start", mp, "int"), end=r.field(m, "end", mp, "int"),
            text=r.field(m, "text", mp, "str"),
        ))
    return Actor(
        id=r.field(d, "id", path, "str"), name=r.field(d, "name", path, "str"),
        type=r.field(d, "type", path, "str"),
        country=r.field(d, "country", path, "str?", required=False),
        mentions=tuple(mentions),
        source=r.field(d, "source", path, "str?", required=False) or "curated",
    )


def _str_list(r: _Reader, d: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
    items = r.field(d, key, path, "list", required=False, default=[])
    return tuple(r.check(v, f"{path}.{key}[{i}]", "str") for i, v in enumerate(items))


def _date_field(r: _Reader, d: Mapping[str, Any], path: str) -> str | None:
    # A hand-edited file is the usual source of "2024-13-01": it would map as
    # undated and drop out of --since/--until without a word.
    date = r.field(d, "date", path, "str?", required=False)
    if date is not None and not is_iso_date(date):
        raise r.fail(f"{path}.date" if path else "date",
                     f"expected an ISO date (2024, 2024-03 or 2024-03-04), got {date!r}")
    return date


def _event_from_dict(r: _Reader, d: Any, path: str) -> Event:
    r.check(d, path, "object")
    ev = r.field(d, "evidence", path, "object")
    ep = f"{path}.evidence"
    place = d.get("place")
    origin = d.get("origin")
    precision = r.field(d, "geo_precision", path, "int?", required=False)
    if precision is not None and precision not in (1, 2, 3):
        raise r.fail(f"{path}.geo_precision", f"expected 1, 2, 3 or null, got {precision}")
    return Event(
        id=r.field(d, "id", path, "str"),
        category=r.field(d, "category", path, "str"),
        subtype=r.field(d, "subtype", path, "str?", required=False),
        source=_str_list(r, d, "source", path),
        target=_str_list(r, d, "target", path),
        place=None if place is None else place_from_dict(place, origin=r.origin,
                                                         path=f"{path}.place"),
        origin=None if origin is None else place_from_dict(origin, origin=r.origin,
                                                           path=f"{path}.origin"),
        geo_precision=precision,
        date=_date_field(r, d, path),
        date_text=r.field(d, "date_text", path, "str?", required=False),
        status=r.field(d, "status", path, "str?", required=False) or "happened",
        evidence=Evidence(
            text=r.field(ev, "text", ep, "str"), start=r.field(ev, "start", ep, "int"),
            end=r.field(ev, "end", ep, "int"),
        ),
        confidence=float(r.field(d, "confidence", path, "number?", required=False) or 0.0),
        place_mention=_place_mention(r, d, path),
    )


def _place_mention(r: _Reader, d: Mapping[str, Any], path: str) -> Mention | None:
    m = r.field(d, "place_mention", path, "object?", required=False)
    if m is None:
        return None
    mp = f"{path}.place_mention"
    return Mention(start=r.field(m, "start", mp, "int"), end=r.field(m, "end", mp, "int"),
                   name=r.field(m, "text", mp, "str"), kind="place",
                   source=r.field(m, "source", mp, "str?", required=False) or "",
                   label=r.field(m, "label", mp, "str?", required=False) or "")


def _relation_from_dict(r: _Reader, d: Any, path: str) -> Relation:
    r.check(d, path, "object")
    return Relation(
        source=r.field(d, "source", path, "str"), target=r.field(d, "target", path, "str"),
        type=r.field(d, "type", path, "str"), count=r.field(d, "count", path, "int"),
        events=_str_list(r, d, "events", path), evidence=_str_list(r, d, "evidence", path),
    )


def document_from_dict(d: Any, *, origin: str = "<input>", path: str = "") -> Document:
    """Rebuild a :class:`Document` from :func:`document_to_dict` output.

    The exact inverse of :func:`document_to_dict` (scores are rounded to four
    decimals on the way out; the text is empty unless it was included), so an
    analyst can correct an extract file by hand and map it again.

    Parameters
    ----------
    d : mapping
        One document record.
    origin : str
        Name of the file (or stream) it came from, used in error messages.
    path : str
        JSON path of the record inside that file (``"documents[3]"``).

    Returns
    -------
    Document

    Raises
    ------
    ExtractFormatError
        A field is missing or has the wrong type, e.g.
        ``extract.json: documents[0].events[2].place.lat: expected a number, got "abc"``.
    """
    r = _Reader(origin)
    r.check(d, path or "document", "object")

    def rows(key: str, build: Callable[[_Reader, Any, str], Any]) -> tuple[Any, ...]:
        items = r.field(d, key, path, "list", required=False, default=[])
        return tuple(build(r, item, f"{path}.{key}[{i}]" if path else f"{key}[{i}]")
                     for i, item in enumerate(items))

    doc_id = r.field(d, "id", path, "str")
    return Document(
        id=doc_id,
        text=r.field(d, "text", path, "str?", required=False) or "",
        toponyms=rows("places", _toponym_from_dict),
        actors=rows("actors", _actor_from_dict),
        events=rows("events", _event_from_dict),
        relations=rows("relations", _relation_from_dict),
        date=r.field(d, "date", path, "str?", required=False),
        meta=dict(r.field(d, "meta", path, "object?", required=False) or {}),
    )


def documents_from_json(obj: Any, *, origin: str = "<input>") -> list[Document]:
    """Rebuild documents from a parsed extract file.

    Accepts the ``{"documents": [...]}`` file :func:`documents_to_json` writes,
    a bare list of document records, or a single record.
    """
    r = _Reader(origin)
    if isinstance(obj, Mapping) and "documents" in obj:
        docs = r.check(obj["documents"], "documents", "list")
        return [document_from_dict(d, origin=origin, path=f"documents[{i}]")
                for i, d in enumerate(docs)]
    if isinstance(obj, list):
        return [document_from_dict(d, origin=origin, path=f"[{i}]") for i, d in enumerate(obj)]
    if isinstance(obj, Mapping) and ("id" in obj or "text" in obj):
        return [document_from_dict(obj, origin=origin)]
    if isinstance(obj, Mapping):
        keys = ", ".join(sorted(map(str, obj))[:5]) or "none"
        raise r.fail("", "not a geokit extract file: expected an object with 'documents', a "
                         f"list of documents or one document with 'id' (keys found: {keys})")
    raise r.fail("", f"expected a JSON object or list of documents, got {type(obj).__name__}")


def read_extract(path: str | os.PathLike[str]) -> list[Document]:
    """Read a ``geokit extract`` JSON (or JSONL, one document per line) file.

    Raises
    ------
    ExtractFormatError
        Not JSON, or a document with a missing or ill-typed field; the message
        names the file, the line or JSON path, and the field.
    """
    p = Path(path)
    origin = p.name
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ExtractFormatError(f"not UTF-8 text ({exc.reason} at byte {exc.start})",
                                 source=origin) from exc
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", source=str(p)) from exc
    try:
        return documents_from_json(json.loads(text), origin=origin)
    except json.JSONDecodeError as whole:
        # Not one JSON value: try JSON Lines before giving up.
        lines = [(n, ln) for n, ln in enumerate(text.splitlines(), 1) if ln.strip()]
        if len(lines) < 2:
            raise ExtractFormatError(f"not valid JSON: {whole.msg} at line {whole.lineno} "
                                     f"column {whole.colno}", source=origin) from whole
        out = []
        for n, line in lines:
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ExtractFormatError(f"line {n}: not valid JSON: {exc.msg}",
                                         source=origin) from exc
            out.append(document_from_dict(obj, origin=origin, path=f"line {n}"))
        return out


# --------------------------------------------------------------------------- GeoJSON


def _point(lat: float, lon: float) -> dict[str, Any]:
    # RFC 7946 orders positions [longitude, latitude]: the one place geokit flips
    # its lat/lon convention (everything upstream carries explicit lat and lon).
    return {"type": "Point", "coordinates": [lon, lat]}


def _actor_names(doc: Document, ids: Sequence[str]) -> list[str]:
    names = {a.id: a.name for a in doc.actors}
    return [names.get(i, i) for i in ids]


def _place_props(doc: Document, t: Toponym) -> dict[str, Any]:
    p = t.place
    assert p is not None
    return {
        "layer": "place", "doc_id": doc.id, "name": t.mention.name, "kind": t.mention.kind,
        "start": t.mention.start, "end": t.mention.end, "place_name": p.name,
        "country": p.country, "admin1": p.admin1, "feature": p.feature,
        "geonameid": p.geonameid, "score": round(t.score, 4),
    }


def _event_props(doc: Document, e: Event) -> dict[str, Any]:
    p, o = e.place, e.origin
    return {
        "layer": "event", "doc_id": doc.id, "id": e.id, "category": e.category,
        "subtype": e.subtype, "source": list(e.source), "target": list(e.target),
        "source_names": _actor_names(doc, e.source), "target_names": _actor_names(doc, e.target),
        "status": e.status, "date": e.date, "date_text": e.date_text,
        "place_name": p.name if p else None, "country": p.country if p else None,
        "admin1": p.admin1 if p else None, "geo_precision": e.geo_precision,
        "origin_name": o.name if o else None, "origin_lat": o.lat if o else None,
        "origin_lon": o.lon if o else None,
        "evidence": e.evidence.text, "confidence": round(e.confidence, 4),
        # the words naming the place, also one the gazetteer does not know (no coordinates)
        "place_text": e.place_mention.name if e.place_mention else None,
    }


_GEOJSON_KINDS = ("places", "events", "movements")


def to_geojson(docs: Iterable[Document] | Document, *,
               kinds: Sequence[str] = ("places", "events")) -> dict[str, Any]:
    """Return an RFC 7946 FeatureCollection of the documents' places and events.

    Parameters
    ----------
    docs : Document or iterable of Document
    kinds : sequence of {"places", "events", "movements"}
        ``places``: a Point per resolved toponym mention; ``events``: a Point per
        event that has a place; ``movements``: a LineString origin -> place per
        event that has both. Each feature's ``properties.layer`` says which.

    Returns
    -------
    dict
        The FeatureCollection (coordinates in [lon, lat] order).
    """
    bad = [k for k in kinds if k not in _GEOJSON_KINDS]
    if bad:
        from geokit.errors import ConfigurationError  # noqa: PLC0415

        raise ConfigurationError(f"unknown GeoJSON kind {bad[0]!r}; valid: "
                                 f"{', '.join(_GEOJSON_KINDS)}")
    if isinstance(docs, Document):
        docs = [docs]
    features: list[dict[str, Any]] = []
    for doc in docs:
        if "places" in kinds:
            for t in doc.places:
                features.append({"type": "Feature", "geometry": _point(t.place.lat, t.place.lon),
                                 "properties": _place_props(doc, t)})
        for e in doc.events:
            if e.place is None:
                continue
            if "events" in kinds:
                features.append({"type": "Feature", "geometry": _point(e.place.lat, e.place.lon),
                                 "properties": _event_props(doc, e)})
            if "movements" in kinds and e.origin is not None:
                props = _event_props(doc, e) | {"layer": "movement"}
                features.append({"type": "Feature", "geometry": {
                    "type": "LineString",
                    # [lon, lat] per RFC 7946, as in _point.
                    "coordinates": [[e.origin.lon, e.origin.lat], [e.place.lon, e.place.lat]],
                }, "properties": props})
    return {"type": "FeatureCollection", "features": features}


# --------------------------------------------------------------------------- tables


def _place_rows(docs: Iterable[Document]) -> list[dict[str, Any]]:
    rows = []
    for doc in docs:
        for t in doc.places:
            p = t.place
            rows.append({
                "doc_id": doc.id, "start": t.mention.start, "end": t.mention.end,
                "name": t.mention.name, "kind": t.mention.kind, "place_name": p.name,
                "country": p.country, "admin1": p.admin1, "feature": p.feature,
                "geonameid": p.geonameid, "score": round(t.score, 4), "lat": p.lat, "lon": p.lon,
            })
    return rows


def _event_rows(docs: Iterable[Document]) -> list[dict[str, Any]]:
    rows = []
    for doc in docs:
        for e in doc.events:
            if e.place is None:
                continue
            props = _event_props(doc, e)
            del props["layer"]
            for key in ("source", "target", "source_names", "target_names"):
                # Flat columns: GeoPackage/Shapefile/CSV have no list type.
                props[key] = "; ".join(props[key])
            props["lat"], props["lon"] = e.place.lat, e.place.lon
            rows.append(props)
    return rows


def to_geodataframe(docs: Iterable[Document] | Document, *, kind: str = "places") -> Any:
    """Return a GeoDataFrame (EPSG:4326) of the documents' places or events.

    Parameters
    ----------
    docs : Document or iterable of Document
    kind : {"places", "events"}
        ``places``: one row per resolved toponym mention; ``events``: one row per
        event with a place (actor lists joined with ``"; "``).

    Returns
    -------
    geopandas.GeoDataFrame
    """
    if kind not in ("places", "events"):
        from geokit.errors import ConfigurationError  # noqa: PLC0415

        raise ConfigurationError(f"unknown kind {kind!r}; valid: places, events")
    try:
        import geopandas as gpd  # noqa: PLC0415 - heavy, only when asked
    except ImportError as exc:  # pragma: no cover - geopandas is a dependency
        raise DependencyError("to_geodataframe needs geopandas: pip install geopandas") from exc
    if isinstance(docs, Document):
        docs = [docs]
    rows = _place_rows(docs) if kind == "places" else _event_rows(docs)
    lons = [r["lon"] for r in rows]
    lats = [r["lat"] for r in rows]
    columns = list(rows[0]) if rows else (
        ["doc_id", "name", "place_name", "country", "lat", "lon"] if kind == "places"
        else ["doc_id", "id", "category", "subtype", "status", "lat", "lon"])
    import pandas as pd  # noqa: PLC0415

    frame = pd.DataFrame(rows, columns=columns)
    # points_from_xy takes x=lon, y=lat (the shapely boundary flips the order).
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lons, lats), crs="EPSG:4326")


def _country_name(code: str | None) -> str | None:
    if not code:
        return None
    try:
        import pycountry  # noqa: PLC0415

        c = pycountry.countries.get(alpha_3=code)
    except (ImportError, LookupError, KeyError):
        c = None
    return getattr(c, "common_name", None) or getattr(c, "name", None) or code


def _acled_row(doc: Document, e: Event, actors: Mapping[str, Actor]) -> dict[str, Any]:
    def name(i: str) -> str:
        return actors[i].name if i in actors else i

    def countries(ids: Sequence[str]) -> str:
        codes = [actors[i].country for i in ids if i in actors and actors[i].country]
        return "; ".join(dict.fromkeys(codes))

    p = e.place
    event_date, time_precision = acled_date(e.date, e.date_text)
    event_type, sub_event_type = acled_event_type(e.category, e.subtype)
    return {
        "event_id": e.id, "event_date": event_date,
        "year": int(event_date[:4]) if event_date else None, "time_precision": time_precision,
        "event_type": event_type, "sub_event_type": sub_event_type,
        # ACLED: the first actor of each side, the others as associated actors.
        "actor1": name(e.source[0]) if e.source else None,
        "assoc_actor_1": "; ".join(name(i) for i in e.source[1:]),
        "actor2": name(e.target[0]) if e.target else None,
        "assoc_actor_2": "; ".join(name(i) for i in e.target[1:]),
        "country": _country_name(p.country) if p else None,
        "admin1": p.admin1 if p else None,
        # a village the index lacks: its name, without coordinates it does not have
        "location": p.name if p else (e.place_mention.name if e.place_mention else None),
        "latitude": p.lat if p else None, "longitude": p.lon if p else None,
        "geo_precision": acled_geo_precision(p),
        "source": doc.meta.get("url") or doc.id, "notes": e.evidence.text,
        "fatalities": fatalities(e.evidence.text) if event_type in _VIOLENT else None,
        "plover_category": e.category, "plover_subtype": e.subtype, "status": e.status,
        "actor1_country": countries(e.source), "actor2_country": countries(e.target),
        "date_text": e.date_text, "confidence": round(e.confidence, 4),
    }


# ACLED counts fatalities of political violence and demonstrations; a toll in the
# sentence of a withdrawal or a statement belongs to another event.
_VIOLENT = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians",
                      "Riots", "Protests"})


def events_to_rows(docs: Iterable[Document] | Document) -> list[dict[str, Any]]:
    """Return one ACLED-compatible row per event (see :data:`ACLED_COLUMNS`).

    ``event_type``/``sub_event_type`` come from the PLOVER category and subtype
    through ``geokit/io/data/acled_event_types.csv`` (empty for events ACLED does
    not code, such as statements); ``event_date`` is a full date and
    ``time_precision`` says how precise it is; ``geo_precision`` is 1 for the
    town itself, 2 for part of a region, 3 for a region or larger;
    ``fatalities`` is the number the evidence sentence states (empty when it
    states none); ``actor1``/``actor2`` are the first source and target, the
    others go to ``assoc_actor_1``/``assoc_actor_2`` joined with ``"; "``;
    ``country`` is the place's country name as ACLED writes it; ``source`` is
    the document's ``url`` meta field, else its id; ``notes`` is the evidence
    sentence.

    Parameters
    ----------
    docs : Document or iterable of Document

    Returns
    -------
    list of dict
        Rows keyed by :data:`ACLED_COLUMNS`.
    """
    if isinstance(docs, Document):
        docs = [docs]
    rows = []
    for doc in docs:
        actors = {a.id: a for a in doc.actors}
        rows.extend(_acled_row(doc, e, actors) for e in doc.events)
    return rows


# PLOVER's contexts are coarse tags; these are the ones geokit's subtypes imply.
_PLOVER_CONTEXT = {
    "deploy_troops": ["military"], "arms_transfer": ["military"],
    "military_training": ["military"], "defence_pact": ["military", "diplomatic"],
    "agreement": ["diplomatic"], "state_visit": ["diplomatic"], "summit": ["diplomatic"],
    "payment": ["economic"], "sanctions": ["economic"], "statement": ["diplomatic"],
}


def to_plover(doc: Document) -> Iterator[dict[str, Any]]:
    """Yield PLOVER/POLECAT-style JSONL records, one per event.

    Fields: ``id, date, date_text, actor, recipient, event, mode, context,
    status, event_loc {name, lat, lon, country, admin1, geo_precision}, source,
    text, confidence``. ``actor``/``recipient`` are lists of
    ``{id, name, country, type}``.
    """
    actors = {a.id: a for a in doc.actors}

    def block(ids: Sequence[str]) -> list[dict[str, Any]]:
        out = []
        for i in ids:
            a = actors.get(i)
            out.append({"id": i, "name": a.name if a else i,
                        "country": a.country if a else None, "type": a.type if a else None})
        return out

    for e in doc.events:
        p = e.place
        yield {
            "id": e.id, "date": e.date, "date_text": e.date_text,
            "actor": block(e.source), "recipient": block(e.target),
            "event": e.category, "mode": e.subtype,
            "context": _PLOVER_CONTEXT.get(e.subtype or "", []), "status": e.status,
            "event_loc": None if p is None else {
                "name": p.name, "lat": p.lat, "lon": p.lon, "country": p.country,
                "admin1": p.admin1, "geo_precision": e.geo_precision,
            },
            "source": doc.meta.get("url") or doc.id, "text": e.evidence.text,
            "confidence": round(e.confidence, 4),
        }


# --------------------------------------------------------------------------- writers


def write_json(path: str | os.PathLike[str], obj: Any, *, indent: int | None = 2) -> None:
    """Write ``obj`` as UTF-8 JSON, atomically."""
    with atomic_write(path) as f:
        json.dump(obj, f, ensure_ascii=False, indent=indent)
        f.write("\n")


def write_jsonl(path: str | os.PathLike[str], rows: Iterable[Mapping[str, Any]]) -> int:
    """Write one JSON object per line, atomically; return the number of rows."""
    n = 0
    with atomic_write(path) as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    return n


def write_csv(path: str | os.PathLike[str], rows: Iterable[Mapping[str, Any]],
              columns: Sequence[str]) -> int:
    """Write rows as CSV with the given columns, atomically; return the number of rows."""
    n = 0
    with atomic_write(path, newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(columns), extrasaction="ignore")
        w.writeheader()
        for row in rows:
            w.writerow({c: "" if row.get(c) is None else row.get(c) for c in columns})
            n += 1
    return n


def write_geojson(path: str | os.PathLike[str], collection: Mapping[str, Any]) -> None:
    """Write a FeatureCollection atomically (compact: maps load it, people don't read it)."""
    write_json(path, collection, indent=None)


def write_geoparquet(path: str | os.PathLike[str], gdf: Any) -> None:
    """Write a GeoDataFrame as GeoParquet, atomically."""
    with atomic_path(path) as tmp:
        gdf.to_parquet(tmp)
