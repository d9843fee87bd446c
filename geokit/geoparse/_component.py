"""The spaCy pipeline component: ``nlp.add_pipe("geokit")`` puts places on ``doc.spans["places"]``.

Registered through the ``spacy_factories`` entry point, so spaCy finds it
without importing geokit first.
"""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from geokit.models import Mention, Place, Toponym

__all__ = ["SPANS_KEY", "SPAN_ATTRS", "GeokitComponent", "make_geokit_component"]


#: The ``doc.spans`` key the component writes (``displacy.render(doc, style="span",
#: spans_key=SPANS_KEY)``).
SPANS_KEY = "places"
#: Span extensions set from plain data, so DocBin and ``nlp.pipe(n_process=2)`` keep them.
SPAN_ATTRS = ("lat", "lon", "geonameid", "country", "score")
_UNRESOLVED = "unresolved"


def _register_extensions() -> None:
    for name in SPAN_ATTRS:
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)
    if not Span.has_extension("geokit"):
        # The whole toponym as plain data, from which doc._.places is rebuilt.
        Span.set_extension("geokit", default=None)
    if not Doc.has_extension("places"):
        # A getter, not a stored value: Toponym objects cannot be serialised
        # (spaCy's E871 under n_process), the spans and their plain data can.
        Doc.set_extension("places", getter=_places_of)


def _toponym_data(t: Toponym) -> dict[str, Any]:
    place = None
    if t.place is not None:
        place = {f.name: getattr(t.place, f.name) for f in fields(Place) if f.name != "raw"}
    return {"mention": asdict(t.mention), "place": place, "score": t.score, "why": t.why}


def _toponym_of(data: dict[str, Any]) -> Toponym:
    place = data["place"]
    return Toponym(mention=Mention(**data["mention"]),
                   place=None if place is None else Place(**place),
                   score=data["score"], why=data["why"])


def _places_of(doc: Doc) -> tuple[Toponym, ...]:
    spans = doc.spans[SPANS_KEY] if SPANS_KEY in doc.spans else ()
    return tuple(_toponym_of(s._.geokit) for s in spans if s._.geokit is not None)


def _span(doc: Doc, t: Toponym) -> Span | None:
    # "expand": a mention inside a token ("Kyiv-based") still gets the token.
    span = doc.char_span(t.mention.start, t.mention.end, alignment_mode="expand",
                         label=t.place.feature if t.place else _UNRESOLVED)
    if span is None:
        return None
    p = t.place
    span._.lat, span._.lon = (p.lat, p.lon) if p else (None, None)
    span._.geonameid = p.geonameid if p else None
    span._.country = p.country if p else None
    span._.score = t.score
    span._.geokit = _toponym_data(t)
    return span


class GeokitComponent:
    """Resolve the places of a parsed ``Doc`` with the geokit geoparser.

    When the pipeline has run NER, its entities are the recogniser's NER
    signal (geokit's own model is not run again); otherwise geokit runs its
    model on the ambiguous names, as :func:`geokit.geoparse` does. Each
    toponym becomes a span of ``doc.spans["places"]`` labelled with the
    place's feature (``city``, ``country``, ...; ``unresolved`` when no place
    was chosen), with the place in the span extensions ``lat``, ``lon``,
    ``geonameid``, ``country`` and ``score``. ``doc._.places`` gives the
    :class:`geokit.Toponym` objects, rebuilt from the spans, so all of it
    survives ``DocBin`` and ``nlp.pipe(texts, n_process=2)``.
    """

    def __init__(self, nlp: Language, name: str, *, min_score: float = 0.0) -> None:
        self.name = name
        self.min_score = min_score
        _register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        from geokit.geoparse._geoparser import Geoparser

        gp = Geoparser.default()
        ents = None
        if doc.has_annotation("ENT_IOB"):
            ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        mentions = gp.recognizer.recognize(doc.text, entities=ents)
        toponyms = gp.resolve_mentions(doc.text, mentions, min_score=self.min_score)
        spans = [s for s in (_span(doc, t) for t in toponyms) if s is not None]
        doc.spans[SPANS_KEY] = spans
        return doc


def make_geokit_component(nlp: Language, name: str, min_score: float = 0.0) -> Any:
    """Build the :class:`GeokitComponent` (the spaCy factory)."""
    return GeokitComponent(nlp, name, min_score=min_score)


# spaCy reads factories from the entry point for pipelines loaded from config;
# registering here covers ``nlp.add_pipe("geokit")`` after ``import geokit``.
if "geokit" not in Language.factories:
    Language.factory("geokit", default_config={"min_score": 0.0})(make_geokit_component)
