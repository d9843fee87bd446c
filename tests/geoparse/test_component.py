"""The spaCy pipeline component: ``nlp.add_pipe("geokit")``."""

from __future__ import annotations

import pytest
import spacy

import geokit  # noqa: F401  (registers the factory for this process too)
from geokit.geo import haversine_km
from geokit.geoparse._nlp import MODEL
from geokit.geoparse._recognize import Recognizer

TEXT = ("Shelling hit Donetsk overnight, officials in Kyiv said, and shells also fell "
        "on Luhansk. Pyongyang announced new drills.")


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.load(MODEL)
    nlp.add_pipe("geokit")
    return nlp


def test_places_on_the_doc(nlp):
    doc = nlp(TEXT)
    by_name = {t.mention.name: t for t in doc._.places}
    assert {"Donetsk", "Kyiv", "Luhansk", "Pyongyang"} <= set(by_name)
    donetsk = by_name["Donetsk"].place
    assert donetsk.country == "UKR"
    assert haversine_km(donetsk.lat, donetsk.lon, 48.02, 37.80) < 20
    assert by_name["Pyongyang"].mention.kind == "metonym"
    for t in doc._.places:
        assert doc.text[t.mention.start:t.mention.end] == t.mention.name
    # the same places as geokit.geoparse, which runs its own NER
    plain = geokit.geoparse(TEXT).toponyms
    assert [(t.mention.start, t.place and t.place.key) for t in doc._.places] == [
        (t.mention.start, t.place and t.place.key) for t in plain]


def test_the_pipelines_entities_are_used_not_recomputed(nlp, monkeypatch):
    def no_second_ner(*args, **kwargs):
        raise AssertionError("geokit ran its own NER although the pipeline had")

    monkeypatch.setattr(Recognizer, "_entities", no_second_ner)
    doc = nlp(TEXT)
    assert any(t.mention.name == "Donetsk" for t in doc._.places)


def test_a_pipeline_without_ner_still_gets_places():
    nlp = spacy.load(MODEL, exclude=["ner"])
    nlp.add_pipe("geokit", config={"min_score": 0.0})
    doc = nlp(TEXT)
    assert {"Donetsk", "Kyiv"} <= {t.mention.name for t in doc._.places}


def test_min_score_abstains(nlp):
    strict = spacy.load(MODEL)
    strict.add_pipe("geokit", config={"min_score": 1.0})
    doc = strict(TEXT)
    assert doc._.places and all(t.place is None or t.score >= 1.0 for t in doc._.places)
