"""The event's own place (``_locate``): the learned linker on sentences written for these tests."""

from __future__ import annotations

import json
import math

import pytest

from geokit.errors import GeokitError, InputError
from geokit.events import _locate
from geokit.events._extract import _past_dateline, extract
from geokit.geoparse import _nlp
from geokit.geoparse._geoparser import geoparse


def _linked(text: str, verb: str) -> str | None:
    """The name of the place the packaged linker gives the event of ``verb``, or None."""
    base, end = _past_dateline(text, 0, len(text))
    [sdoc] = _nlp.parse([text[base:end]], ner=False)
    at = text.index(verb, base) - base
    trig = sdoc.char_span(at, at + len(verb)).root
    top = _locate.link(text, base, sdoc, trig, geoparse(text).toponyms)
    return top.mention.name if top is not None else None


def test_model_file_matches_the_feature_function():
    model = _locate.default_linker()
    assert model.features == _locate.FEATURES
    assert len(model.weights) == len(_locate.FEATURES)
    assert model.none_features == _locate.NONE_FEATURES
    assert len(model.none_weights) == len(_locate.NONE_FEATURES)
    data = json.loads(_locate._MODEL_FILE.read_text("utf-8"))
    assert "event_location" in data["trained_on"] and "MIT" in data["trained_on"]


def test_a_model_for_other_features_is_refused():
    data = {"features": ["prep_in"], "weights": [1.0], "none_features": ["none_bias"],
            "none_weights": [0.0]}
    with pytest.raises(InputError) as err:
        _locate.PlaceLinker.from_dict(data)
    assert isinstance(err.value, GeokitError) and isinstance(err.value, ValueError)


def test_a_model_without_its_no_place_weights_is_refused():
    # the threshold model's file (weights, bias, threshold) is no choice model
    data = json.loads(_locate._MODEL_FILE.read_text("utf-8"))
    data.pop("none_weights")
    with pytest.raises(InputError, match="retrain"):
        _locate.PlaceLinker.from_dict(data)


def _model(weights: dict[str, float], none: dict[str, float]) -> _locate.PlaceLinker:
    return _locate.PlaceLinker(
        _locate.FEATURES, tuple(weights.get(n, 0.0) for n in _locate.FEATURES),
        _locate.NONE_FEATURES, tuple(none.get(n, 0.0) for n in _locate.NONE_FEATURES))


def test_the_choice_is_the_highest_scoring_option():
    model = _model({"locative_on_trigger": 2.0, "own_amod": -3.0}, {"none_bias": 1.0})
    cands = [{"own_amod": 1.0}, {"locative_on_trigger": 1.0}, {}]
    k, p = model.choose(cands)
    assert k == 1
    # softmax over scores -3, 2, 0 and "no place"'s 1
    assert p == pytest.approx(math.exp(2) / (math.exp(-3) + math.exp(2) + 1 + math.exp(1)))
    # no candidate above "no place": None, with "no place"'s share
    k, p = model.choose([{"own_amod": 1.0}, {}])
    assert k is None and p == pytest.approx(math.exp(1) / (math.exp(-3) + 1 + math.exp(1)))
    assert model.choose([]) == (None, 1.0)


def test_no_place_reads_the_best_of_each_candidate_feature():
    cands = [{"on_trigger": 1.0, "path_len": 0.2}, {"path_len": 0.6}]
    f = _locate.none_features(cands)
    assert f["none_bias"] == 1.0 and f["none_candidates"] == pytest.approx(2 / 6)
    assert f["best_on_trigger"] == 1.0 and f["best_path_len"] == 0.6
    assert f["best_own_amod"] == 0.0
    assert set(f) == set(_locate.NONE_FEATURES)
    # a place hanging on the trigger anywhere in the sentence makes "no place" less likely
    model = _model({"on_trigger": 0.5}, {"none_bias": 1.0, "best_on_trigger": -2.0})
    assert model.choose([{"path_len": 0.2}])[0] is None
    assert model.choose([{"path_len": 0.2}, {"on_trigger": 1.0}])[0] == 1


def test_a_locative_phrase_not_the_dateline():
    text = "NAIROBI, June 2 (Reuters) - Gunmen killed six farmers in Mandera on Sunday."
    assert _linked(text, "killed") == "Mandera"


def test_the_dateline_alone_is_no_place():
    assert _linked("NAIROBI, June 2 (Reuters) - Gunmen killed six farmers on Sunday.",
                   "killed") is None


def test_an_origin_is_no_place():
    text = "Speaking by telephone from Kinshasa, the official said soldiers had looted shops."
    assert _linked(text, "looted") is None


def test_a_flag_is_no_place_but_the_sea_is():
    text = "Pirates hijacked a Panama-flagged tanker in the Gulf of Aden on Friday."
    assert _linked(text, "hijacked") == "Gulf of Aden"


def test_a_place_of_another_clause_is_not_this_event():
    text = "Police arrested two students who had studied in Germany."
    assert _linked(text, "arrested") is None


def test_extract_places_an_event_by_its_phrase_not_the_dateline():
    text = ("CAIRO, May 5 (Reuters) - Militants attacked an army checkpoint near Rafah "
            "on Tuesday, killing four soldiers, officials said.")
    doc = extract(text)
    [rafah] = [t.place for t in doc.toponyms if t.mention.name == "Rafah"]
    places = {e.place for e in doc.events if e.place is not None}
    assert places == {rafah}


def _features(text: str, verb: str) -> dict[str, dict[str, float]]:
    """Each candidate place's features for the event of ``verb``, by the place's name."""
    base, end = _past_dateline(text, 0, len(text))
    [sdoc] = _nlp.parse([text[base:end]], ner=False)
    at = text.index(verb, base) - base
    trig = sdoc.char_span(at, at + len(verb)).root
    cands = _locate.candidate_features(text, base, sdoc, trig, geoparse(text).toponyms)
    return {top.mention.name: feats for top, feats in cands}


def test_ancestors_walk_to_the_root_once():
    # spaCy makes a new Token at every access: the root is found by index, not identity.
    [sdoc] = _nlp.parse(["Gunmen who came from the north killed three people in the village "
                         "of Foo, officials said."], ner=False)
    for tok in sdoc:
        chain = [tok.i]
        while sdoc[chain[-1]].head.i != chain[-1]:
            chain.append(sdoc[chain[-1]].head.i)
        got = _locate._ancestors(tok)
        assert [t.i for t in got] == chain
        assert got[-1].i == tok.sent.root.i


def test_a_place_in_the_triggers_own_phrase_hangs_on_it_two_arcs_down():
    # killed -> in -> Mandera
    f = _features("Gunmen killed six farmers in Mandera on Sunday.", "killed")["Mandera"]
    assert f["on_trigger"] == 1.0 and f["locative_on_trigger"] == 1.0
    assert f["under_trigger"] == 1.0 and f["same_clause"] == 1.0
    assert f["path_up"] == 0.0
    assert f["path_down"] == 2 / 5 and f["path_len"] == 2 / 10
    assert f["under_subject"] == 0.0


def test_a_place_in_the_subject_is_under_the_subject():
    # killed -> Gunmen -> from -> Somalia
    f = _features("Gunmen from Somalia killed six farmers on Sunday.", "killed")["Somalia"]
    assert f["under_subject"] == 1.0 and f["under_trigger"] == 1.0
    assert f["on_trigger"] == 0.0 and f["from_on_trigger"] == 0.0
    assert f["path_up"] == 0.0 and f["path_len"] == 3 / 10


def test_a_place_of_a_clause_under_the_trigger_is_in_a_related_clause():
    # killed -> left (advcl) -> Mandera
    f = _features("Gunmen killed six farmers after they left Mandera.", "killed")["Mandera"]
    assert f["related_clause"] == 1.0 and f["same_clause"] == 0.0
    assert f["under_trigger"] == 1.0 and f["path_len"] == 2 / 10
    assert f["verbs_between"] == 1 / 3


def test_a_place_of_a_sibling_clause_is_reached_through_the_root():
    # killed -> said (up 1); said -> Speaking -> in -> Mombasa (down 3)
    f = _features("Speaking in Mombasa, the governor said gunmen had killed six farmers.",
                  "killed")["Mombasa"]
    assert f["path_up"] == 1 / 5 and f["path_down"] == 3 / 5 and f["path_len"] == 4 / 10
    assert f["under_trigger"] == 0.0 and f["same_clause"] == 0.0 and f["on_trigger"] == 0.0


def test_a_place_noun_name_the_index_lacks_is_a_candidate_an_ner_guess_is_not():
    from geokit import Mention, Toponym
    from geokit.events._events import unknown_places

    text = "Gunmen stormed the village of Dogo Nahawa and an area NER calls Qaraqosh Plain."
    [sdoc] = _nlp.parse([text], ner=False)
    trig = next(t for t in sdoc if t.text == "stormed")
    names = unknown_places(text, 0, sdoc, geoparse(text).toponyms)
    assert [t.mention.name for t in names] == ["Dogo Nahawa"]
    assert names[0].place is None and names[0].mention.source == _locate.PLACE_NOUN_SOURCE
    at = text.index("Qaraqosh Plain")
    guess = Toponym(Mention(at, at + 14, "Qaraqosh Plain", source="ner", label="LOC"), None)
    cands = _locate.candidate_features(text, 0, sdoc, trig, [*names, guess])
    assert [(t.mention.name, f["cls_unknown"]) for t, f in cands] == [("Dogo Nahawa", 1.0)]


@pytest.mark.parametrize(("text", "names"), [
    ("Rebels captured the Al-Hamdan Airbase near the city.", ["Al-Hamdan Airbase"]),
    ("ISIS attacked the Deir Ezzor Military Airport.", ["Deir Ezzor Military Airport"]),
    ("A doctor at the Wajir District Hospital said so.", ["Wajir District Hospital"]),
    ("Fighters entered the 3000 Apartment Complex at dawn.", ["3000 Apartment Complex"]),
    ("Boko Haram gunmen attacked Bama Town on Wednesday.", ["Bama Town"]),
    ("Shells fell on the outskirts of Kafr Sousah.", ["Kafr Sousah"]),
    # a capitalised place noun alone, or a sentence's first word, names nothing
    ("The Airport was closed after the attack.", []),
    ("Airport staff fled the attack.", []),
])
def test_a_name_ending_in_a_capitalised_place_noun_is_an_unknown_place(text, names):
    from geokit.events._events import unknown_places

    [sdoc] = _nlp.parse([text], ner=False)
    found = unknown_places(text, 0, sdoc, geoparse(text).toponyms)
    assert [t.mention.name for t in found] == names
    assert all(t.place is None and t.mention.source == _locate.PLACE_NOUN_SOURCE for t in found)


def test_a_capitalised_place_noun_name_is_no_unknown_place_where_an_actor_stands():
    from geokit.events._events import unknown_places

    text = "Fighters entered the Tadamon District on Monday."
    [sdoc] = _nlp.parse([text], ner=False)
    at = text.index("Tadamon District")
    assert [t.mention.name for t in unknown_places(text, 0, sdoc, [])] == ["Tadamon District"]
    assert unknown_places(text, 0, sdoc, [], [(at, at + 7)]) == []


def test_a_slot_name_is_a_candidate_of_its_own_class():
    from geokit.events._events import unknown_places

    text = "Police shot and killed one person in Bapunagar, near the village of Dogo Nahawa."
    [sdoc] = _nlp.parse([text], ner=False)
    trig = next(t for t in sdoc if t.text == "killed")
    names = unknown_places(text, 0, sdoc, geoparse(text).toponyms)
    cands = {t.mention.name: f for t, f in _locate.candidate_features(text, 0, sdoc, trig, names)}
    classes = {n: (f.get("cls_slot"), f.get("cls_unknown")) for n, f in cands.items()}
    assert classes == {"Bapunagar": (1.0, None), "Dogo Nahawa": (None, 1.0)}
    # the packaged model puts the killing where its own phrase says
    assert _locate.link(text, 0, sdoc, trig, names).mention.name == "Bapunagar"


def test_the_trainers_parse_cache_is_new_for_another_index(tmp_path, monkeypatch):
    # cached toponyms of an older geoparser or index would refit on stale readings
    from geokit.events.data import train_place_linker as trainer

    data = tmp_path / "dev.jsonl"
    data.write_text('{"id": 1, "text": "Gunmen attacked Kidal.", "verb": {}, "locations": []}\n')
    monkeypatch.setenv("GEOKIT_GAZETTEER", str(tmp_path / "a.sqlite"))
    first = trainer._cache_file(data)
    assert trainer._cache_file(data) == first
    monkeypatch.setenv("GEOKIT_GAZETTEER", str(tmp_path / "b.sqlite"))
    assert trainer._cache_file(data) != first
    data.write_text(data.read_text() * 2)
    assert trainer._cache_file(data) != first
