"""Scoring against gold data with the field's metrics.

Places (:func:`score_places`): strict and lenient span P/R/F1, acc@161, mean
and median error km, AUC, end-to-end acc@161, calibration. Events
(:func:`score_events`): event P/R under lenient matching (category, actors,
place within 161 km), status, date and origin agreement, actor P/R. Both are
behind one command, ``geokit eval`` (``--events`` for the second).

May import: every pipeline stage (it runs them) and ``geokit.io``.
"""

from geokit.eval._events import EventScores, load_gold
from geokit.eval._events import score_documents as score_events
from geokit.eval._places import ACC_KM, MAX_ERROR_KM, EvalReport, ReliabilityBin
from geokit.eval._places import score_documents as score_places

__all__ = [
    "ACC_KM",
    "MAX_ERROR_KM",
    "EvalReport",
    "EventScores",
    "ReliabilityBin",
    "load_gold",
    "score_events",
    "score_places",
]
