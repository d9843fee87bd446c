"""The spaCy pipelines geokit loads multiply with NumPy's BLAS and give spaCy's answers."""

import spacy

from geokit.geoparse import _nlp

TEXT = ("North Korea will send engineering troops to Russian-held Donetsk in July, "
        "Dmitry Peskov told reporters in Moscow on Tuesday.")


def _nodes(nlp):
    for _, pipe in nlp.pipeline:
        model = getattr(pipe, "model", None)
        if hasattr(model, "walk"):
            yield from model.walk()


def test_every_layer_of_the_shared_pipelines_skips_blis():
    for nlp in (_nlp.load_nlp(), _nlp.load_ner()):
        flags = {node.ops.use_blis for node in _nodes(nlp)}
        assert flags == {False}


def test_loading_leaves_the_process_ops_alone():
    from thinc.api import get_current_ops

    before = type(get_current_ops()), getattr(get_current_ops(), "use_blis", None)
    _nlp.load_pipeline(_nlp.MODEL)
    assert (type(get_current_ops()), getattr(get_current_ops(), "use_blis", None)) == before


def test_same_parse_and_entities_as_plain_spacy_load():
    ours = _nlp.load_pipeline(_nlp.MODEL)(TEXT)
    plain = spacy.load(_nlp.MODEL)(TEXT)
    assert [(t.tag_, t.dep_, t.head.i) for t in ours] == [(t.tag_, t.dep_, t.head.i) for t in plain]
    assert [(e.start_char, e.end_char, e.label_) for e in ours.ents] == [
        (e.start_char, e.end_char, e.label_) for e in plain.ents]
    assert any(e.label_ == "PERSON" for e in ours.ents)
