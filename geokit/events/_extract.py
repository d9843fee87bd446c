"""``geokit.extract``: places, actors, events and relations of one text.

The stages run one way: geoparse -> actor table matches -> one spaCy pass over
the few sentences that need it (NER for unexplained names, the parser for
sentences with an event trigger) -> actors -> events -> relations.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from typing import Any

from geokit.errors import InputError
from geokit.events._actors import (
    ActorTable,
    build_actors,
    crowd_agents,
    home_forces,
    match_actors,
    ner_matches,
    outside_place_names,
    place_agents,
    with_agents,
)
from geokit.events._coref import counted_people, resolve_references
from geokit.events._events import event_sentences, events_from_parses
from geokit.events._relations import build_relations
from geokit.geoparse import _nlp
from geokit.geoparse._recognize import sentence_bounds
from geokit.models import Document

__all__ = ["extract", "extract_from_document"]


def extract(
    text: str,
    *,
    id: str = "doc",
    date: str | None = None,
    meta: Mapping[str, Any] | None = None,
    gazetteer: Any = None,
    actors: ActorTable | None = None,
    ner: bool = True,
) -> Document:
    """Extract places, actors, events and relations from a news text.

    Parameters
    ----------
    text : str
        The article.
    id : str
        Document id; events are numbered ``"{id}:e1"``, ...
    date : str, optional
        Article date ``YYYY-MM-DD``: relative dates ("next month") are anchored
        on it; without it they keep their ``date_text`` and no ``date``.
    meta : mapping, optional
        Other fields of the input record (url, title, ...), kept on the result.
    gazetteer : Gazetteer, optional
        A gazetteer other than the default index.
    actors : ActorTable, optional
        Known actors (default: the packaged table plus ``$GEOKIT_ACTORS`` files).
    ner : bool, default True
        Keep persons and organisations that only spaCy's NER finds.

    Returns
    -------
    Document
        With ``toponyms``, ``actors``, ``events`` and ``relations``.

    Raises
    ------
    InputError
        ``text`` is not a string or ``date`` is not ``YYYY-MM-DD``.
    """
    if not isinstance(text, str):
        raise InputError(f"text must be a string, got {type(text).__name__}", source=id)
    date = _check_date(date, id)
    from geokit.geoparse._geoparser import Geoparser, geoparse  # noqa: PLC0415

    geoparser = Geoparser(gazetteer=gazetteer) if gazetteer is not None else None
    doc = geoparse(text, id=id, date=date, meta=meta, geoparser=geoparser)
    return extract_from_document(doc, actors=actors, ner=ner, gazetteer=gazetteer)


class _Places:
    """The gazetteer's capitals and countries, opening the default index only if asked."""

    def __init__(self, gazetteer: Any = None) -> None:
        self._gazetteer = gazetteer

    def _gaz(self) -> Any:
        if self._gazetteer is None:
            from geokit.gazetteer._index import Gazetteer  # noqa: PLC0415

            self._gazetteer = Gazetteer.default()
        return self._gazetteer

    def capital_of(self, iso3: str) -> Any:
        return self._gaz().capital_of(iso3)

    def country(self, iso3: str) -> Any:
        return self._gaz().country(iso3)


_MAX_PARSE_CHARS = 100_000
# "KYIV, June 28 (Reuters) - ": where and who filed the story, not who acted
# where; the event stage reads the sentence after it.
_DATELINE = re.compile(r"[A-Z][A-Za-z .'’-]{1,40}(?:, [A-Za-z .'’-]{1,30})?,? "
                       r"(?:[A-Z][a-z]{2,8}\.? \d{1,2},? )?\([A-Za-z .&-]{2,30}\)\s*[-–—]+\s*")


def _past_dateline(text: str, start: int, end: int) -> tuple[int, int]:
    """Return the sentence's span without a leading dateline."""
    m = _DATELINE.match(text, start, end)
    return (m.end(), end) if m and m.end() < end else (start, end)


def _check_date(date: str | None, source: str) -> str | None:
    import re  # noqa: PLC0415
    from datetime import date as Date  # noqa: PLC0415

    if date is None or date == "":
        return None
    if not isinstance(date, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        raise InputError(f"date must be YYYY-MM-DD, got {date!r}", source=source)
    try:
        Date.fromisoformat(date)
    except ValueError as exc:
        raise InputError(f"date {date!r} is not a calendar date: {exc}", source=source) from exc
    return date


def extract_from_document(doc: Document, *, actors: ActorTable | None = None,
                          ner: bool = True, gazetteer: Any = None) -> Document:
    """Add actors, events and relations to a geoparsed :class:`Document`.

    Useful when the toponyms come from elsewhere (gold spans, a corrected
    extract file, a test). ``gazetteer`` (default: the default index, opened
    only when needed) names the capital in phrases like "the Russian capital".
    """
    text = doc.text
    table = actors or ActorTable.default()
    if not text.strip():
        return doc
    matches = crowd_agents(text, with_agents(text, outside_place_names(
        match_actors(text, table=table, date=doc.date), doc.toponyms), table))
    matches = home_forces(text, place_agents(text, matches, doc.toponyms), doc.toponyms, table)
    sents = sentence_bounds(text)
    # The parser runs only on trigger sentences, and NER only near unexplained
    # names the geoparser's NER has not already read: the statistical passes
    # cost most of this stage.
    if ner:
        found = ner_matches(text, sents, matches, doc.toponyms, doc.ner)
        matches = sorted(matches + found, key=lambda m: m.start)
    # "it", "his troops", "the group": the actors named before; a sentence whose
    # actor is only such a word is parsed too.
    matches = resolve_references(text, sents, counted_people(text, matches, table=table),
                                 table=table)
    # A "sentence" this long is a text without stops (a table, a scrape): spaCy
    # refuses over 1,000,000 characters (E088) and its parser needs ~1 GB per
    # 100,000, so such spans get no event parse. The persons NER found count as
    # actors here ("President Gustavo Petro suspended talks").
    ev_idx = {i for i in event_sentences(text, sents, matches)
              if sents[i][1] - sents[i][0] <= _MAX_PARSE_CHARS}
    wanted = sorted(ev_idx)
    ev_sents = {i: _past_dateline(text, *sents[i]) for i in wanted}
    parsed = dict(zip(wanted, _nlp.parse([text[slice(*ev_sents[i])] for i in wanted],
                                         ner=False), strict=True))
    # States named only as places may still receive what an event sends
    # ("tanks to Ukraine"): the events see them, and those that end up in an
    # event are kept as actors.
    candidates = build_actors(text, matches, table=table, sents=sents, keep=True)
    ev_parses: Sequence = [(ev_sents[i], parsed[i]) for i in wanted]
    events = events_from_parses(text, ev_parses, matches=matches, actors=candidates,
                                toponyms=doc.toponyms, table=table, doc_id=doc.id,
                                date=doc.date, places=_Places(gazetteer))
    involved = {i for e in events for i in (*e.source, *e.target)}
    actor_list = build_actors(text, matches, table=table, sents=sents, keep=involved)
    relations = build_relations(events, actor_list)
    return dataclasses.replace(doc, actors=actor_list, events=events, relations=relations)
