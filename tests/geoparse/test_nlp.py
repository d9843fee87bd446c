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


def _blas_threads():
    from threadpoolctl import threadpool_info

    return {lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"}


def test_one_blas_thread_inside_and_the_original_count_restored_after():
    from threadpoolctl import threadpool_limits

    _nlp.load_nlp()  # NumPy's BLAS is loaded
    with threadpool_limits(limits=2, user_api="blas"):
        assert _blas_threads() == {2}
        with _nlp.one_blas_thread():
            assert _blas_threads() == {1}
        assert _blas_threads() == {2}


def test_overlapping_callers_restore_once_the_last_one_leaves():
    from threadpoolctl import threadpool_limits

    _nlp.load_nlp()
    limiter = _nlp._OneBlasThread()
    with threadpool_limits(limits=2, user_api="blas"):
        limiter.enter()  # a first thread
        limiter.enter()  # a second one, while the first still runs
        limiter.leave()  # the first leaves first: the second still needs one thread
        assert _blas_threads() == {1}
        limiter.leave()
        assert _blas_threads() == {2}


def test_parse_and_entities_run_on_one_blas_thread(monkeypatch):
    seen = []
    real_pipe = type(_nlp.load_nlp()).pipe

    def spy(self, *args, **kwargs):
        seen.append(_blas_threads())
        return real_pipe(self, *args, **kwargs)

    from threadpoolctl import threadpool_limits

    monkeypatch.setattr(type(_nlp.load_nlp()), "pipe", spy)
    with threadpool_limits(limits=2, user_api="blas"):  # as on a 2-core machine
        _nlp.parse([TEXT], ner=False)
        _nlp.entities([TEXT])
    assert seen == [{1}, {1}]


def test_parse_gives_the_lemmatizers_lemmas_cold_and_cached():
    texts = [TEXT, "Gunmen killed three villagers; troops were killing the Gunmen."]
    _nlp._pos_lemma.cache_clear()
    cold = _nlp.parse(texts, ner=False)
    warm = _nlp.parse(texts, ner=False)
    lemmatizer = _nlp.load_nlp().get_pipe("lemmatizer")
    tag_pos = _nlp._tag_to_pos(_nlp.MODEL)
    for doc in cold + warm:
        for tok in doc:
            assert tok.pos_ == tag_pos.get(tok.tag_, "X")
            assert tok.lemma_ == lemmatizer.rule_lemmatize(tok)[0]
    assert [[(t.pos_, t.lemma_) for t in d] for d in cold] == [
        [(t.pos_, t.lemma_) for t in d] for d in warm]
    assert {"kill", "gunman", "send"} <= {t.lemma_ for d in warm for t in d}


# --------------------------------------------------------------------------- steps


def _asks(*rounds):
    """Steps that ask for each round's NER texts and return what the model sent back."""
    got = []
    for texts in rounds:
        docs = yield _nlp.Request("ner", tuple(texts))
        got.append([[(e.text, e.label_) for e in d.ents] for d in docs])
    return got


def _count_calls(monkeypatch):
    calls = []
    real = _nlp.entities

    def spy(texts, **kwargs):
        calls.append(list(texts))
        return real(texts, **kwargs)

    monkeypatch.setattr(_nlp, "entities", spy)
    return calls


def test_lockstep_reads_every_documents_request_in_one_call(monkeypatch):
    calls = _count_calls(monkeypatch)
    one = [_nlp.run_steps(_asks([TEXT], ["Talks in Paris."])), _nlp.run_steps(_asks([TEXT]))]
    calls.clear()
    many = _nlp.run_many_steps([_asks([TEXT], ["Talks in Paris."]), _asks([TEXT])])
    assert many == one
    # Round one: both documents' texts together; round two: the first document's alone.
    assert calls == [[TEXT, TEXT], ["Talks in Paris."]]
    assert any(label == "PERSON" for _, label in one[1][0][0])


def test_a_documents_error_is_its_result_and_the_others_go_on():
    def bad():
        yield _nlp.Request("ner", (TEXT,))
        raise ValueError("this document is broken")

    results = _nlp.run_many_steps([_asks([TEXT]), bad(), _asks(["Talks in Paris."])])
    assert isinstance(results[1], ValueError) and "broken" in str(results[1])
    assert results[0] == _nlp.run_steps(_asks([TEXT]))
    assert results[2] == _nlp.run_steps(_asks(["Talks in Paris."]))


def test_a_failed_shared_call_is_served_one_by_one(monkeypatch):
    expected = _nlp.run_steps(_asks([TEXT]))
    calls = _count_calls(monkeypatch)
    real = _nlp.entities

    def fragile(texts, **kwargs):
        if any("BOOM" in t for t in texts):
            raise RuntimeError("the model choked on BOOM")
        return real(texts, **kwargs)

    monkeypatch.setattr(_nlp, "entities", fragile)
    results = _nlp.run_many_steps([_asks([TEXT]), _asks(["BOOM in Paris."]), _asks([TEXT])])
    # The shared call failed (before reaching the spy); then one call per document.
    assert calls == [[TEXT], [TEXT]]
    assert isinstance(results[1], RuntimeError) and "BOOM" in str(results[1])
    assert results[0] == results[2] == expected


def test_a_request_names_a_known_kind():
    import pytest

    from geokit.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="ner, parse"):
        _nlp.Request("tag", ("x",))


def test_verbs_the_rule_lemmatizer_cuts_to_another_word_get_their_own_lemma():
    [doc] = _nlp.parse(["Gunmen staged attacks while fighting raged, and the group waged war."])
    lemmas = {t.lower_: t.lemma_ for t in doc if t.pos_ == "VERB"}
    assert (lemmas["staged"], lemmas["raged"], lemmas["waged"]) == ("stage", "rage", "wage")
    # other words keep the lemmatizer's answer ("paged" is no "-aged" noun's)
    [doc] = _nlp.parse(["The hospital paged the surgeon, who shelled peas."])
    assert {t.lower_: t.lemma_ for t in doc if t.pos_ == "VERB"}["shelled"] == "shell"
