"""The spaCy pipeline component: ``nlp.add_pipe("geokit")``."""

from __future__ import annotations

import pytest
import spacy

import geokit  # noqa: F401  (registers the factory for this process too)
from geokit.geo import haversine_km
from geokit.geoparse import _nlp
from geokit.geoparse._nlp import MODEL

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

    monkeypatch.setattr(_nlp, "serve", no_second_ner)
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


def test_places_are_spans_with_plain_attributes(nlp):
    doc = nlp(TEXT)
    spans = doc.spans["places"]
    by_text = {s.text: s for s in spans}
    assert {"Donetsk", "Kyiv", "Luhansk", "Pyongyang"} <= set(by_text)
    donetsk = by_text["Donetsk"]
    assert donetsk.label_ == "city"
    assert donetsk._.country == "UKR" and isinstance(donetsk._.geonameid, int)
    assert haversine_km(donetsk._.lat, donetsk._.lon, 48.02, 37.80) < 20
    assert 0 < donetsk._.score <= 1
    # doc._.places is rebuilt from the spans: the same toponyms
    assert [(t.mention.start, t.mention.end) for t in doc._.places] == [
        (s.start_char, s.end_char) for s in spans]


def test_displacy_renders_the_places(nlp):
    from spacy import displacy

    # displaCy takes the key as an option (render has no spans_key argument).
    html = displacy.render(nlp(TEXT), style="span", options={"spans_key": "places"})
    assert "Donetsk" in html and "city" in html and "Pyongyang" in html


def test_places_survive_docbin(nlp):
    from spacy.tokens import DocBin

    doc = nlp(TEXT)
    data = DocBin(docs=[doc], store_user_data=True).to_bytes()
    (back,) = DocBin().from_bytes(data).get_docs(nlp.vocab)
    assert [(s.text, s.label_, s._.lat, s._.lon, s._.geonameid, s._.country, s._.score)
            for s in back.spans["places"]] == [
        (s.text, s.label_, s._.lat, s._.lon, s._.geonameid, s._.country, s._.score)
        for s in doc.spans["places"]]
    assert back._.places == doc._.places


def test_places_survive_two_processes(nlp):
    texts = [TEXT, "Missiles hit Odesa and Kharkiv.", "Troops left Bamako."]
    one = [[(s.text, s._.lat, s._.country) for s in d.spans["places"]] for d in nlp.pipe(texts)]
    two = [[(s.text, s._.lat, s._.country) for s in d.spans["places"]]
           for d in nlp.pipe(texts, n_process=2, batch_size=1)]
    assert two == one
    assert any(name == "Odesa" for name, _, _ in two[1])
