"""``geokit.extract``: places, actors, events and relations of one text.

The stages run one way: geoparse -> actor table matches -> one spaCy pass over
the few sentences that need it (NER for unexplained names, the parser for
sentences with an event trigger) -> actors -> events -> relations.
``locate_event`` asks the stage's place linker about one event word of a text,
``locate_events`` about many, batched as ``extract_many`` batches documents.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

from geokit.errors import ConfigurationError, InputError
from geokit.events._actors import (
    ActorMatch,
    ActorTable,
    build_actors,
    crowd_agents,
    defined_short_forms,
    home_country,
    home_forces,
    inside_named_places,
    match_actors,
    national_people,
    ner_matches_steps,
    outside_place_names,
    place_agents,
    protest_crowds,
    with_agents,
    with_home_country,
    without_titles,
)
from geokit.events._coref import counted_people, resolve_references
from geokit.events._events import event_sentences, events_from_parses, unknown_places
from geokit.events._lexicon import place_nouns
from geokit.events._locate import PlaceLinker, link
from geokit.events._relations import build_relations
from geokit.geoparse import _nlp
from geokit.geoparse._recognize import sentence_bounds
from geokit.models import Document, Mention, Toponym

__all__ = ["DEFAULT_BATCH_SIZE", "ON_ERROR", "extract", "extract_from_document", "extract_many",
           "linker_places", "locate_event", "locate_events", "table_matches"]

_R = TypeVar("_R")


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
    options = _Options(gazetteer=gazetteer, actors=actors, ner=ner)
    return _nlp.run_steps(_document_steps(text, id=id, date=date, meta=meta, options=options))


#: Documents advanced together by :func:`extract_many` when no ``batch_size`` is given.
DEFAULT_BATCH_SIZE = 64
#: Values of ``extract_many``'s ``on_error``.
ON_ERROR = ("raise", "return")
_ITEM_FIELDS = frozenset(("id", "date", "meta"))


def extract_many(
    items: Iterable[Any],
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_error: str = "raise",
    gazetteer: Any = None,
    actors: ActorTable | None = None,
    ner: bool = True,
) -> Iterator[Document | Exception]:
    """Extract many texts, reading each batch's sentences with spaCy together.

    The many-document form of :func:`extract`, as spaCy's ``nlp.pipe`` is of
    ``nlp``: each document is exactly what :func:`extract` gives for it, but
    the NER windows and trigger sentences of ``batch_size`` documents go to
    the models in one call per pipeline, which costs far less per sentence
    than the few short calls of one document.

    Parameters
    ----------
    items : iterable
        Texts, or ``(text, options)`` pairs whose options mapping may hold
        ``id``, ``date`` and ``meta`` as :func:`extract` takes them. Read
        lazily, ``batch_size`` items at a time: a stream of any length works.
        A bare text, or a pair without an ``id``, gets its position in
        ``items`` (from 0) as id.
    batch_size : int, default 64
        Documents read together; memory grows with it.
    on_error : {"raise", "return"}
        On a bad item (not a text, a bad date) or a document that fails:
        ``raise`` raises the error after yielding the documents before it;
        ``return`` yields the exception in the item's place and goes on, so
        every item has one result.
    gazetteer, actors, ner
        As :func:`extract`, shared by every document.

    Yields
    ------
    Document or Exception
        One per item, in the order of ``items`` (exceptions only with
        ``on_error="return"``).

    Raises
    ------
    ConfigurationError
        A bad ``batch_size`` or ``on_error`` (at the call, before any item).
    InputError
        With ``on_error="raise"``: an item that is not a text or a pair, or
        a bad ``date``; the message names the item by its id (as
        :func:`extract` does) or, without one, its position ("item 3").

    Examples
    --------
    >>> docs = extract_many(["Troops left Kyiv.", ("Talks in Doha.", {"id": "b"})])
    >>> [d.id for d in docs]  # doctest: +SKIP
    ['0', 'b']
    """
    _check_batch(batch_size, on_error)
    options = _Options(gazetteer=gazetteer, actors=actors, ner=ner)
    return _run_batches(iter(items), batch_size, on_error == "raise",
                        lambda item, index: _item_steps(item, index, options))


def _check_batch(batch_size: Any, on_error: Any) -> None:
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ConfigurationError(f"batch_size must be a positive integer, got {batch_size!r}")
    if on_error not in ON_ERROR:
        raise ConfigurationError(f"on_error must be one of {', '.join(ON_ERROR)}, "
                                 f"got {on_error!r}")


def _run_batches(items: Iterator[Any], size: int, raise_errors: bool,
                 steps_of: Callable[[Any, int], _nlp.Steps[_R]]) -> Iterator[_R | Exception]:
    """Drive ``size`` items' steps together at a time; yield each result in item order."""
    index = 0
    while batch := list(itertools.islice(items, size)):
        steps = [steps_of(item, index + k) for k, item in enumerate(batch)]
        index += len(batch)
        for result in _nlp.run_many_steps(steps):
            if raise_errors and isinstance(result, Exception):
                raise result
            yield result


def _item_steps(item: Any, index: int, options: _Options) -> _nlp.Steps[Document]:
    """Return the steps of one item of :func:`extract_many` (a bad item raises at the first)."""
    if isinstance(item, str):
        return _document_steps(item, id=str(index), date=None, meta=None, options=options,
                               source=f"item {index}")
    if isinstance(item, tuple | list) and len(item) == 2 and isinstance(item[1], Mapping):
        text, fields = item
        id = str(index) if fields.get("id") is None else str(fields["id"])
        # Named as extract names it: by its id; by its position when it has none.
        source = f"item {index}" if fields.get("id") is None else id
        unknown = sorted(set(map(str, fields)) - _ITEM_FIELDS)
        if unknown:
            return _bad_item(f"unknown option(s) {', '.join(unknown)}; expected id, date, meta",
                             source)
        return _document_steps(text, id=id, date=fields.get("date"), meta=fields.get("meta"),
                               options=options, source=source)
    return _bad_item("expected a text or a (text, options) pair, got "
                     f"{type(item).__name__}", f"item {index}")


def _bad_item(message: str, source: str) -> _nlp.Steps[Document]:
    raise InputError(message, source=source)
    yield  # a generator: the error is the item's own result, raised when it is run


def locate_event(
    text: str,
    trigger: tuple[int, int],
    *,
    gazetteer: Any = None,
    actors: ActorTable | None = None,
    linker: PlaceLinker | None = None,
) -> Toponym | None:
    """Return the place of the event a word of ``text`` names, or None.

    For events found by another system (an event coder's verb, an
    annotator's trigger): the learned linker of :mod:`geokit.events._locate`
    chooses among the sentence's recognised places and the names it reads
    beside a place noun or in a place's slot, or says the sentence gives no
    place of that event ("reached by telephone from Libreville" is the
    speaker's, "Liberian-flagged" a flag). :func:`extract` asks the same
    linker for its own conflict events whose phrases name no place.

    Parameters
    ----------
    text : str
        The text (one sentence or a whole article).
    trigger : (int, int)
        Character offsets ``(start, end)`` of the event's word ("killed",
        "offensive"), as in ``text[start:end]``.
    gazetteer : Gazetteer, optional
        A gazetteer other than the default index.
    actors : ActorTable, optional
        Known actors, whose names are never places (default: the packaged table).
    linker : PlaceLinker, optional
        Another fitted model (default: the packaged one).

    Returns
    -------
    Toponym or None
        The event's place as the text names it; its ``place`` is None for a
        name the index lacks (``mention.source`` "place-noun" or "place-slot").

    Raises
    ------
    InputError
        ``text`` is not a string, or ``trigger`` is not two offsets of a word
        of ``text`` past its sentence's dateline.

    Examples
    --------
    >>> text = "NAIROBI, June 2 (Reuters) - Gunmen killed six farmers in Mandera on Sunday."
    >>> at = text.index("killed")
    >>> locate_event(text, (at, at + 6)).mention.name
    'Mandera'
    """
    options = _Options(gazetteer=gazetteer, actors=actors, ner=False)
    return _nlp.run_steps(_locate_steps(text, trigger, options=options, linker=linker,
                                        names=("text", "trigger")))


def locate_events(
    items: Iterable[Any],
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_error: str = "raise",
    gazetteer: Any = None,
    actors: ActorTable | None = None,
    linker: PlaceLinker | None = None,
) -> Iterator[Toponym | None | Exception]:
    """Locate many events, reading each batch's texts with spaCy together.

    The many-item form of :func:`locate_event`, as :func:`extract_many` is of
    :func:`extract`: each result is exactly what :func:`locate_event` gives
    for its item, but the geoparser's NER and the sentence parses of
    ``batch_size`` items go to the models in one call per pipeline. For the
    archives of coded events (an event coder's verbs over millions of
    sentences).

    Parameters
    ----------
    items : iterable of (str, (int, int))
        ``(text, (start, end))`` pairs: a text and its event word's character
        offsets. Read lazily, ``batch_size`` items at a time.
    batch_size : int, default 64
        Items read together; memory grows with it.
    on_error : {"raise", "return"}
        On a bad item (not a pair, offsets that are no word of the text, a
        word in the dateline): ``raise`` raises the error after yielding the
        results before it; ``return`` yields the exception in the item's
        place and goes on, so every item has one result.
    gazetteer, actors, linker
        As :func:`locate_event`, shared by every item.

    Yields
    ------
    Toponym, None or Exception
        One per item, in the order of ``items``: the event's place, None
        where the sentence gives it none (exceptions only with
        ``on_error="return"``).

    Raises
    ------
    ConfigurationError
        A bad ``batch_size`` or ``on_error`` (at the call, before any item).
    InputError
        With ``on_error="raise"``: a bad item; the message names it by its
        position ("item 3").

    Examples
    --------
    >>> text = "Gunmen killed six farmers in Mandera on Sunday."
    >>> [t.mention.name for t in locate_events([(text, (7, 13))])]  # doctest: +SKIP
    ['Mandera']
    """
    _check_batch(batch_size, on_error)
    options = _Options(gazetteer=gazetteer, actors=actors, ner=False)

    def steps(item: Any, index: int) -> _nlp.Steps[Toponym | None]:
        source = f"item {index}"
        if not (isinstance(item, tuple | list) and len(item) == 2):
            raise InputError("expected a (text, (start, end)) pair, got "
                             f"{type(item).__name__}", source=source)
        return (yield from _locate_steps(item[0], item[1], options=options, linker=linker,
                                         names=(source, source)))

    return _run_batches(iter(items), batch_size, on_error == "raise", steps)


def _locate_steps(text: Any, trigger: Any, *, options: _Options, linker: PlaceLinker | None,
                  names: tuple[str, str]) -> _nlp.Steps[Toponym | None]:
    """Return :func:`locate_event` as steps; ``names`` name the text and the trigger in errors."""
    if not isinstance(text, str):
        raise InputError(f"text must be a string, got {type(text).__name__}", source=names[0])
    if (not isinstance(trigger, tuple | list) or len(trigger) != 2
            or not all(isinstance(x, int) and not isinstance(x, bool) for x in trigger)):
        raise InputError(f"trigger must be (start, end) character offsets, got {trigger!r}",
                         source=names[1])
    start, end = trigger
    if not 0 <= start < end <= len(text) or not text[start:end].strip():
        raise InputError(f"trigger {start}..{end} is no word of the text "
                         f"({len(text)} characters)", source=names[1])
    doc = yield from options.geoparser().geoparse_steps(text)
    text = doc.text  # surrogates scrubbed one for one: offsets hold
    a, b = next(((a, b) for a, b in sentence_bounds(text, split_acronyms=False)
                 if a <= start < b), (start, end))
    base, cut = _past_dateline(text, a, b)
    if start < base:
        raise InputError(f"trigger {start}..{end} ({text[start:end]!r}) is in the dateline",
                         source=names[1])
    [sdoc] = yield _nlp.Request("parse", (text[base:cut],))
    span = sdoc.char_span(start - base, min(end, cut) - base, alignment_mode="expand")
    if span is None or not len(span):
        raise InputError(f"trigger {start}..{end} is no word of the text", source=names[1])
    table = options.actors or ActorTable.default()
    places = linker_places(text, base, sdoc, doc.toponyms, table=table)
    top = link(text, base, sdoc, span.root, places, model=linker)
    if top is None or top.place is not None:
        return top
    read = _Places(options.gazetteer, text=text, toponyms=doc.toponyms,
                   geoparser=options.geoparser).name_reading(top.mention)
    if read is None:
        return top
    return dataclasses.replace(top, place=read.place, score=read.score,
                               why=f"{top.why.removesuffix('; not in the gazetteer')}; "
                                   f"read as {read.place.name}: {read.why}",
                               candidates=read.candidates)


def linker_places(text: str, base: int, sdoc: Any, toponyms: Sequence[Toponym], *,
                  table: ActorTable) -> tuple[Toponym, ...]:
    """Return the places the linker may choose from in a parsed sentence.

    The recognised places and the names of places the index lacks read in the
    sentence, never where the actor table reads an actor: shared by
    :func:`locate_event` and the linker's trainer, so that the model is fitted
    on what it is asked about.
    """
    actors = table_matches(text, toponyms, table=table)
    names = unknown_places(text, base, sdoc, toponyms, [(m.start, m.end) for m in actors])
    return (*toponyms, *names)


class _Options:
    """What every document of a call shares; the geoparser is built once, when first needed."""

    def __init__(self, *, gazetteer: Any, actors: ActorTable | None, ner: bool) -> None:
        self.gazetteer = gazetteer
        self.actors = actors
        self.ner = ner
        self._geoparser: Any = None

    def geoparser(self) -> Any:
        from geokit.geoparse._geoparser import Geoparser  # noqa: PLC0415

        if self._geoparser is None:
            self._geoparser = (Geoparser(gazetteer=self.gazetteer) if self.gazetteer is not None
                               else Geoparser.default())
        return self._geoparser


def _document_steps(text: Any, *, id: str, date: Any, meta: Mapping[str, Any] | None,
                    options: _Options, source: str | None = None) -> _nlp.Steps[Document]:
    """Return the steps of one text: checks, geoparse, then actors, events and relations.

    ``source`` names the text in an error (default: its id).
    """
    source = id if source is None else source
    if not isinstance(text, str):
        raise InputError(f"text must be a string, got {type(text).__name__}", source=source)
    date = _check_date(date, source)
    doc = yield from options.geoparser().geoparse_steps(text, id=id, date=date, meta=meta)
    return (yield from _stage_steps(doc, actors=options.actors, ner=options.ner,
                                    gazetteer=options.gazetteer, geoparser=options.geoparser))


#: The least calibrated score at which a name read by syntax takes the place the
#: geoparser reads for it: more likely right than wrong.
MIN_NAME_SCORE = 0.5


@functools.cache
def _noun_after() -> re.Pattern[str]:
    """Return the pattern of a place noun after a name ("cosmodrome", "Bridge")."""
    nouns = "|".join(sorted(map(re.escape, place_nouns("after")), key=len, reverse=True))
    return re.compile(rf" (?i:{nouns})s?\b")


class _Places:
    """What the event stage asks the gazetteer: capitals, countries, the places of names.

    The default index and the geoparser are opened only if asked.
    """

    def __init__(self, gazetteer: Any = None, *, text: str = "",
                 toponyms: Sequence[Toponym] = (), geoparser: Any = None) -> None:
        self._gazetteer = gazetteer
        self._text = text
        self._known = [t for t in toponyms if t.place is not None]
        self._geoparser = geoparser  # a Geoparser, or a callable returning one
        self._read: dict[tuple[int, int], Toponym | None] = {}

    def _gaz(self) -> Any:
        if self._gazetteer is None:
            from geokit.gazetteer._index import Gazetteer  # noqa: PLC0415

            self._gazetteer = Gazetteer.default()
        return self._gazetteer

    def _parser(self) -> Any:
        from geokit.geoparse._geoparser import Geoparser  # noqa: PLC0415

        if self._geoparser is None:
            self._geoparser = (Geoparser(gazetteer=self._gazetteer)
                               if self._gazetteer is not None else Geoparser.default())
        elif not isinstance(self._geoparser, Geoparser):
            self._geoparser = self._geoparser()
        return self._geoparser

    def name_reading(self, mention: Mention) -> Toponym | None:
        """Return the geoparser's reading of a name read by syntax, when the text agrees.

        "the town of Mahmudiyah", "the Syrian province of Al-Raqqa": the
        event stage reads these as places (a place noun, a place's slot) where
        the recogniser proposed nothing, as the index spells them otherwise
        (Al Maḩmūdīyah, Ar Raqqah). The geoparser resolves the name with the
        text's places as context, through its transliterations and fuzzy
        matches; the reading is kept only when it is a place, its calibrated
        score is at least :data:`MIN_NAME_SCORE` and it lies in a country a
        resolved place of the text is in (a demonym counts: "the Iraqi town
        of Hit"). Without that agreement a spelling match is too often a
        namesake abroad (Taji in Japan, Jobar in Iran).
        """
        key = (mention.start, mention.end)
        if key not in self._read:
            self._read[key] = self._reading(mention)
        return self._read[key]

    def _reading(self, mention: Mention) -> Toponym | None:
        countries = {t.place.country for t in self._known if t.place.country}
        if not countries:
            return None
        # "the Vostochny cosmodrome", "the Crimean bridge": the index may know the
        # name with its noun (Vostochny Cosmodrome), which is the place meant, not
        # the town of the bare name; it is asked first
        end = mention.end
        noun = _noun_after().match(self._text, end)
        for stop in ((noun.end(), end) if noun is not None else (end,)):
            name = Mention(start=mention.start, end=stop, name=self._text[mention.start:stop],
                           kind="place", source=mention.source, label=mention.label)
            [top] = self._parser().resolve_mentions(
                self._text, [name], context=[t.mention for t in self._known])
            p = top.place
            if p is None or top.score < MIN_NAME_SCORE or p.feature in (
                    "demonym", "metonym") or (p.country and p.country not in countries):
                continue
            if p.country or stop != end:
                return top  # a place of no country (a disputed shoal) only by its full name
        return None

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
    return _nlp.run_steps(_stage_steps(doc, actors=actors, ner=ner, gazetteer=gazetteer))


def table_matches(text: str, toponyms: Sequence[Toponym], *, table: ActorTable,
                  date: str | None = None) -> list[ActorMatch]:
    """Return the actor mentions the table and the agent lexicons find (no NER), in text order.

    The first step of the stage, shared with the place linker's trainer, which
    must read the same names as actors that the stage does.
    """
    matches = protest_crowds(text, crowd_agents(text, national_people(text, with_agents(
        text, inside_named_places(text, outside_place_names(
            match_actors(text, table=table, date=date), toponyms)), table), table)))
    return home_forces(text, place_agents(text, matches, toponyms), toponyms, table)


def _stage_steps(doc: Document, *, actors: ActorTable | None, ner: bool,
                 gazetteer: Any, geoparser: Any = None) -> _nlp.Steps[Document]:
    """Return :func:`extract_from_document` as steps: its spaCy passes are requests."""
    text = doc.text
    table = actors or ActorTable.default()
    if not text.strip():
        return doc
    matches = table_matches(text, doc.toponyms, table=table, date=doc.date)
    sents = sentence_bounds(text, split_acronyms=False)
    # The parser runs only on trigger sentences, and NER only near unexplained
    # names the geoparser's NER has not already read: the statistical passes
    # cost most of this stage.
    if ner:
        found = yield from ner_matches_steps(text, sents, matches, doc.toponyms, doc.ner)
        matches = without_titles(text, sorted(matches + found, key=lambda m: m.start))
    matches = defined_short_forms(text, matches)
    # "KANO, Nigeria (AP) -": where and who filed the story is never a party to it
    past = [_past_dateline(text, a, b) for a, b in sents]
    datelines = [(a, cut) for (a, _), (cut, _) in zip(sents, past, strict=True) if cut > a]
    matches = [m for m in matches if not any(a <= m.start < cut for a, cut in datelines)]
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
    ev_sents = {i: past[i] for i in wanted}
    docs = (yield _nlp.Request("parse", tuple(text[slice(*ev_sents[i])] for i in wanted))
            ) if wanted else []
    parsed = dict(zip(wanted, docs, strict=True))
    # States named only as places may still receive what an event sends
    # ("tanks to Ukraine"): the events see them, and those that end up in an
    # event are kept as actors.
    home = home_country(doc.toponyms)
    candidates = build_actors(text, matches, table=table, sents=sents, keep=True, home=home)
    ev_parses: Sequence = [(ev_sents[i], parsed[i]) for i in wanted]
    events = events_from_parses(text, ev_parses, matches=matches, actors=candidates,
                                toponyms=doc.toponyms, table=table, doc_id=doc.id,
                                date=doc.date, places=_Places(
                                    gazetteer, text=text, toponyms=doc.toponyms,
                                    geoparser=geoparser))
    involved = {i for e in events for i in (*e.source, *e.target)}
    actor_list = with_home_country(
        build_actors(text, matches, table=table, sents=sents, keep=involved, home=home),
        doc.toponyms)
    relations = build_relations(events, actor_list)
    return dataclasses.replace(doc, actors=actor_list, events=events, relations=relations)
