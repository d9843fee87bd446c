"""Geoparsing: find the place names in a text and resolve them to places.

Stages 1 and 2 of the flow: text -> mentions (:class:`Recognizer`: gazetteer
n-grams, case rules, NER on ambiguous names) -> places (:class:`Geoparser`:
ranks each mention's candidates with the other places of the text as context,
calibrates the score). :mod:`geokit.geoparse._nlp` is the one place spaCy is
loaded, for NER here and for the parser of the event stage; the spaCy
component (``nlp.add_pipe("geokit")``) wraps the geoparser.

May import: ``geokit.errors``, ``geokit.models``, ``geokit.geo``,
``geokit.paths``, ``geokit.gazetteer``. Nothing downstream.
"""

from geokit.geoparse._component import GeokitComponent, make_geokit_component
from geokit.geoparse._geoparser import Geoparser, calibrate, calibration_group, geoparse
from geokit.geoparse._nlp import MODEL, load_ner, load_nlp
from geokit.geoparse._recognize import NER_MODES, Recognizer, sentence_bounds

__all__ = [
    "MODEL",
    "NER_MODES",
    "GeokitComponent",
    "Geoparser",
    "Recognizer",
    "calibrate",
    "calibration_group",
    "geoparse",
    "load_ner",
    "load_nlp",
    "make_geokit_component",
    "sentence_bounds",
]
