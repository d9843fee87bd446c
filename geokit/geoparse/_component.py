"""The spaCy pipeline component: ``nlp.add_pipe("geokit")`` puts places on ``doc._.places``.

Registered through the ``spacy_factories`` entry point, so spaCy finds it
without importing geokit first.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["GeokitComponent", "make_geokit_component"]


class GeokitComponent:
    """Resolve the places of a parsed ``Doc`` with the geokit geoparser.

    When the pipeline has run NER, its entities are the recogniser's NER
    signal (geokit's own model is not run again); otherwise geokit runs its
    model on the ambiguous names, as :func:`geokit.geoparse` does. The
    resolved :class:`geokit.Toponym` objects go on ``doc._.places``.
    """

    def __init__(self, nlp: Language, name: str, *, min_score: float = 0.0) -> None:
        self.name = name
        self.min_score = min_score
        if not Doc.has_extension("places"):
            Doc.set_extension("places", default=())

    def __call__(self, doc: Doc) -> Doc:
        from geokit.geoparse._geoparser import Geoparser

        gp = Geoparser.default()
        ents = None
        if doc.has_annotation("ENT_IOB"):
            ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        mentions = gp.recognizer.recognize(doc.text, entities=ents)
        doc._.places = gp.resolve_mentions(doc.text, mentions, min_score=self.min_score)
        return doc


def make_geokit_component(nlp: Language, name: str, min_score: float = 0.0) -> Any:
    """Build the :class:`GeokitComponent` (the spaCy factory)."""
    return GeokitComponent(nlp, name, min_score=min_score)


# spaCy reads factories from the entry point for pipelines loaded from config;
# registering here covers ``nlp.add_pipe("geokit")`` after ``import geokit``.
if "geokit" not in Language.factories:
    Language.factory("geokit", default_config={"min_score": 0.0})(make_geokit_component)
