"""Event evaluation: the matching rules, scoring and ``geokit eval --events``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from geokit import Document
from geokit.cli import main
from geokit.eval._events import actor_matches, event_matches, load_gold, score_documents
from geokit.events import extract
from geokit.io import documents_to_json
from geokit.models import Actor, Event, Evidence, Place

DATA = Path(__file__).resolve().parents[1] / "data"
SEEDS_GOLD = DATA / "seeds_events_gold.json"


# --------------------------------------------------------------------------- hand-made


def _event(category, source, target=(), place=None, *, status="happened", confidence=0.5,
           eid="d:e1"):
    return Event(eid, category, None, tuple(source), tuple(target), place, None,
                 3 if place else None, None, None, status, Evidence("...", 0, 3), confidence)


def _gold(category, source, target=(), place=None, **kw):
    return {"id": "d:g1", "category": category, "source": list(source),
            "target": list(target), "place": place, **kw}


INFO = {
    "state:PRK": ("state", "PRK"), "mil:PRK": ("military", "PRK"),
    "person:kim-jong-un": ("leader", "PRK"), "state:RUS": ("state", "RUS"),
    "mil:RUS": ("military", "RUS"), "org:kcna": ("media", "PRK"),
    "org:wagner": ("armed_group", "RUS"), "state:UKR": ("state", "UKR"),
}

DONETSK = Place("Donetsk", 48.023, 37.802, "UKR", "Donetska", "city")
HORLIVKA = Place("Horlivka", 48.336, 38.052, "UKR", "Donetska", "city")  # 40 km away
LVIV = Place("Lviv", 49.84, 24.03, "UKR", "Lvivska", "city")  # 1,000 km away
ROSTOV = Place("Rostov-on-Don", 47.23, 39.72, "RUS", "Rostov", "city")  # 169 km away
GOLD_DONETSK = {"name": "Donetsk", "country": "UKR", "lat": 48.02, "lon": 37.80,
                "geo_precision": 3}
GOLD_UKRAINE = {"name": "Ukraine", "country": "UKR", "lat": 49.0, "lon": 32.0,
                "geo_precision": 1}


def _matches(pred, gold):
    ok, best = event_matches([pred], [gold], INFO)
    assert (best == [pred]) == ok[0]
    return ok[0]


@pytest.mark.parametrize(("category", "gold_category", "expected"), [
    ("AID", "AID", True),
    ("AID", ["AID", "COOPERATE"], True),  # gold may list several acceptable categories
    ("COOPERATE", ["AID", "COOPERATE"], True),
    ("SUPPORT", ["AID", "COOPERATE"], False),
    ("ASSAULT", "AID", False),
])
def test_event_category(category, gold_category, expected):
    pred = _event(category, ["state:PRK"], ["state:RUS"])
    assert _matches(pred, _gold(gold_category, ["state:PRK"], ["state:RUS"])) is expected


@pytest.mark.parametrize(("source", "expected"), [
    (["state:PRK"], True),
    # state-affiliated actors of one country are the same actor
    (["mil:PRK"], True),
    (["person:kim-jong-un"], True),
    (["state:RUS", "mil:PRK"], True),  # sets need only overlap
    # same country, but a news agency or an armed group is not the state
    (["org:kcna"], False),
    (["state:RUS"], False),
    ([], False),
    (["org:unknown"], False),  # an actor nobody knows the country of
])
def test_event_source(source, expected):
    pred = _event("MOBILIZE", source, [])
    assert _matches(pred, _gold("MOBILIZE", ["state:PRK"])) is expected


@pytest.mark.parametrize("source", [[], ["state:RUS"], ["org:unknown"], ["agent:gunmen"]])
def test_event_unknown_gold_source_takes_any_source(source):
    # gold [] = the text names no perpetrator ("were killed"): the source test is waived
    pred = _event("ASSAULT", source, [], DONETSK)
    assert _matches(pred, _gold("ASSAULT", [], [], GOLD_DONETSK))
    # ... but category and place still count
    assert not _matches(pred, _gold("COERCE", [], [], GOLD_DONETSK))
    assert not _matches(pred, _gold("ASSAULT", [], [], {**GOLD_DONETSK, "lat": 40.0}))


def test_event_target():
    gold = _gold("AID", ["state:PRK"], ["state:RUS"])
    assert _matches(_event("AID", ["state:PRK"], ["mil:RUS"]), gold)
    assert not _matches(_event("AID", ["state:PRK"], ["org:wagner"]), gold)
    assert not _matches(_event("AID", ["state:PRK"], []), gold)
    # a gold event without a target takes any
    untargeted = _gold("AID", ["state:PRK"], [])
    assert _matches(_event("AID", ["state:PRK"], ["state:UKR"]), untargeted)
    assert _matches(_event("AID", ["state:PRK"], []), untargeted)


@pytest.mark.parametrize(("place", "gold_place", "expected"), [
    (DONETSK, None, True),  # the gold has no place: anything goes
    (None, None, True),
    (None, GOLD_DONETSK, False),
    (DONETSK, GOLD_DONETSK, True),
    (HORLIVKA, GOLD_DONETSK, True),  # within 161 km
    (ROSTOV, GOLD_DONETSK, False),  # 169 km
    (LVIV, GOLD_DONETSK, False),  # same country, but the gold is a city
    (LVIV, GOLD_UKRAINE, True),  # same country and the gold is the country (precision 1)
    (ROSTOV, GOLD_UKRAINE, False),
    (LVIV, {**GOLD_UKRAINE, "geo_precision": 2}, False),
])
def test_event_place(place, gold_place, expected):
    pred = _event("MOBILIZE", ["state:PRK"], [], place)
    assert _matches(pred, _gold("MOBILIZE", ["state:PRK"], [], gold_place)) is expected


def test_event_matches_per_prediction_and_best_per_gold():
    planned = _event("MOBILIZE", ["state:PRK"], [], DONETSK, status="planned",
                     confidence=0.4, eid="d:e1")
    sure = _event("MOBILIZE", ["mil:PRK"], [], HORLIVKA, status="happened", confidence=0.9,
                  eid="d:e2")
    wrong = _event("ASSAULT", ["state:RUS"], ["state:UKR"], DONETSK, eid="d:e3")
    gold = [_gold("MOBILIZE", ["state:PRK"], [], GOLD_DONETSK, status="planned"),
            _gold("AID", ["state:RUS"], ["state:PRK"])]
    ok, best = event_matches([planned, sure, wrong], gold, INFO)
    assert ok == [True, True, False]
    # the best match agrees on status before it is more confident
    assert best == [planned, None]
    ok, best = event_matches([sure, planned], [{**gold[0], "status": "happened"}], INFO)
    assert (ok, best) == ([True, True], [sure])


@pytest.mark.parametrize(("pred", "gold", "expected"), [
    ([Actor("state:PRK", "North Korea", "state", "PRK")],
     [{"id": "state:PRK", "name": "DPRK", "type": "state"}], (1, 1)),
    # equal folded names, whatever the id
    ([Actor("org:isw", "The Institute for the Study of War", "ngo_or_think_tank")],
     [{"id": "org:isw-x", "name": "institute for the study of war", "type": "ngo"}], (1, 1)),
    # persons: one name's last word is the other's
    ([Actor("person:pat-ryder", "Pat Ryder", "official", "USA")],
     [{"id": "person:ryder", "name": "Ryder", "type": "person"}], (1, 1)),
    # ... but not for organisations
    ([Actor("org:army-of-x", "Army of Korea", "military")],
     [{"id": "org:korea", "name": "Korea", "type": "state"}], (0, 0)),
    ([Actor("person:a", "Kim Yo Jong", "person"), Actor("person:b", "Kim Jong Un", "leader")],
     [{"id": "person:kju", "name": "Jong Un", "type": "leader"},
      {"id": "person:x", "name": "Sergei Shoigu", "type": "official"}], (1, 1)),
    # two predictions may match one gold actor: each counts as correct
    ([Actor("state:RUS", "Russia", "state", "RUS"), Actor("x", "Russia", "state", "RUS")],
     [{"id": "state:RUS", "name": "Russia", "type": "state"}], (2, 1)),
    ([], [{"id": "state:RUS", "name": "Russia", "type": "state"}], (0, 0)),
    # a gold name's bracketed note is no part of the name
    ([Actor("org:arakan-rohingya-salvation-army", "Arakan Rohingya Salvation Army",
            "armed_group")],
     [{"id": "org:arsa", "name": "Arakan Rohingya Salvation Army (ARSA)",
       "type": "armed_group"}], (1, 1)),
    ([Actor("org:arsa", "ARSA", "armed_group")],
     [{"id": "org:x", "name": "Arakan Rohingya Salvation Army (ARSA)", "type": "armed_group"}],
     (0, 0)),
    # generic agents: ids are labels; the head noun and the country decide
    ([Actor("agent:civilians", "civilians", "civilians", "ISR")],
     [{"id": "agent:israeli-civilians", "name": "Israeli civilians", "type": "civilians",
       "country": "ISR"}], (1, 1)),
    ([Actor("agent:civilians", "civilians", "civilians", "PSE")],
     [{"id": "agent:israeli-civilians", "name": "Israeli civilians", "type": "civilians",
       "country": "ISR"}], (0, 0)),
    ([Actor("agent:gunman", "gunman", "armed_group")],
     [{"id": "agent:suicide-bombers", "name": "suicide bombers", "type": "armed_group"}],
     (0, 0)),
])
def test_actor_matches(pred, gold, expected):
    assert actor_matches(pred, gold) == expected


def test_score_documents_on_hand_made_documents():
    gold = [{"id": "d", "text": "...", "actors": [
        {"id": "state:PRK", "name": "North Korea", "type": "state", "country": "PRK"},
        {"id": "state:RUS", "name": "Russia", "type": "state", "country": "RUS"}],
        "events": [
            {**_gold("MOBILIZE", ["state:PRK"], [], GOLD_DONETSK), "id": "d:g1",
             "status": "planned", "date": "2024-07", "evidence": "North Korea will send",
             "origin": {"lat": 40.0, "lon": 127.0, "country": "PRK", "geo_precision": 1}},
            {**_gold("AID", ["state:RUS"], ["state:PRK"]), "id": "d:g2",
             "status": "happened", "evidence": "Russia gave North Korea oil"}]}]
    good = Event("d:e1", "MOBILIZE", "deploy_troops", ("mil:PRK",), (), HORLIVKA, None, 3,
                 "2024-07-15", None, "planned", Evidence("North Korea will send", 0, 20), 0.8)
    false = _event("ASSAULT", ["state:RUS"], ["state:UKR"], DONETSK, eid="d:e2")
    actors = (Actor("mil:PRK", "Korean People's Army", "military", "PRK"),
              Actor("state:RUS", "Russia", "state", "RUS"))
    doc = Document("d", "...", actors=actors, events=(good, false))
    s = score_documents([doc], gold)
    assert s.to_dict() == {
        "events": {"predicted": 2, "gold": 2, "precision": 0.5, "recall": 0.5, "f1": 0.5,
                   "status_accuracy": 1.0, "date_accuracy": 1.0, "origin_accuracy": 0.0,
                   "place_acc161": 1.0, "place_evaluated": 1},
        "actors": {"predicted": 2, "gold": 2, "precision": 0.5, "recall": 0.5},
    }
    assert s.misses == [{"doc": "d", "id": "d:g2", "category": "AID",
                         "evidence": "Russia gave North Korea oil"}]
    assert s.false_alarms == [{"doc": "d", "category": "ASSAULT", "source": ("state:RUS",),
                               "target": ("state:UKR",), "place": "Donetsk",
                               "evidence": "..."}]
    with pytest.raises(KeyError, match="'d'"):
        score_documents([], gold)


@pytest.mark.parametrize(("name", "expected"), [
    ("Baloch Liberation Army", 1.0),  # another id, the same actor by name
    ("Balochistan Liberation Front", 0.0),  # another actor
])
def test_score_documents_matches_event_actors_by_the_actor_rule(name, expected):
    gold = [{"id": "d", "text": "...", "actors": [
        {"id": "org:bla", "name": "Baloch Liberation Army", "type": "armed_group",
         "country": "PAK"}],
        "events": [{**_gold("ASSAULT", ["org:bla"]), "id": "d:g1", "evidence": "attacked"}]}]
    actor = Actor("org:" + name.lower().replace(" ", "-"), name, "armed_group", "PAK")
    doc = Document("d", "...", actors=(actor,),
                   events=(_event("ASSAULT", [actor.id], eid="d:e1"),))
    s = score_documents([doc], gold)
    assert (s.event_precision, s.event_recall) == (expected, expected)
    # the reports keep the extractor's own ids
    assert all(f["source"] == (actor.id,) for f in s.false_alarms)


def test_place_accuracy_over_events_matched_by_category_and_actors():
    gold = [{"id": "d", "text": "...", "actors": [], "events": [
        {**_gold("ASSAULT", ["state:RUS"], [], GOLD_DONETSK), "id": "d:g1", "evidence": "a"},
        {**_gold("ASSAULT", [], [], GOLD_DONETSK), "id": "d:g2", "evidence": "b"},
        {**_gold("AID", ["state:RUS"], [], GOLD_DONETSK), "id": "d:g3", "evidence": "c"},
        {**_gold("COERCE", ["state:RUS"], [], None), "id": "d:g4", "evidence": "d"}]}]
    right = _event("ASSAULT", ["state:RUS"], [], HORLIVKA, eid="d:e1")
    wrong = _event("ASSAULT", ["state:UKR"], [], LVIV, eid="d:e2")
    nowhere = _event("COERCE", ["state:RUS"], [], None, eid="d:e3")
    doc = Document("d", "...", events=(right, wrong, nowhere))
    s = score_documents([doc], gold)
    # g1 and g2 are found by roles (g2 by any source); g3 by nobody; g4 has no place
    assert (s.place_gold, s.place_agree) == (2, 2)
    s = score_documents([Document("d", "...", events=(wrong,))], gold)
    assert (s.place_gold, s.place_agree, s.place_accuracy) == (1, 0, 0.0)
    s = score_documents([Document("d", "...")], gold)
    assert (s.place_gold, s.place_accuracy) == (0, 1.0)


def test_scoring_is_not_trivially_high():
    gold = load_gold(DATA / "seeds_events_gold.json")
    empty = [Document(g["id"], g["text"]) for g in gold]
    s = score_documents(empty, gold)
    assert s.event_recall == 0 and s.actor_recall == 0


# --------------------------------------------------------------------------- the CLI


@pytest.fixture(scope="module")
def seeds_run():
    res = CliRunner().invoke(main, ["eval", "--events", str(SEEDS_GOLD), "--format", "json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


@pytest.fixture(scope="module")
def seeds_extracted():
    return [extract(g["text"], id=g["id"], date=g.get("date")) for g in load_gold(SEEDS_GOLD)]


def test_cli_eval_events_on_the_seeds(seeds_run):
    assert set(seeds_run) == {"gold", "pred", "events", "actors", "misses", "false_alarms"}
    assert (seeds_run["gold"], seeds_run["pred"]) == (str(SEEDS_GOLD), "geokit")
    events, actors = seeds_run["events"], seeds_run["actors"]
    assert set(events) == {"predicted", "gold", "precision", "recall", "f1", "status_accuracy",
                           "date_accuracy", "origin_accuracy", "place_acc161",
                           "place_evaluated"}
    assert set(actors) == {"predicted", "gold", "precision", "recall"}
    assert (events["gold"], actors["gold"]) == (25, 48)  # the gold file's counts
    assert events["precision"] >= 0.9 and events["recall"] >= 0.9
    assert actors["precision"] >= 0.9 and actors["recall"] >= 0.9
    # the lists of errors agree with the rates
    assert len(seeds_run["misses"]) == round(events["gold"] * (1 - events["recall"]))
    assert len(seeds_run["false_alarms"]) == round(
        events["predicted"] * (1 - events["precision"]))


def test_cli_eval_events_scores_a_pred_file_like_a_run(tmp_path, seeds_run, seeds_extracted):
    pred = tmp_path / "pred.json"
    pred.write_text(json.dumps(documents_to_json(seeds_extracted)), encoding="utf-8")
    res = CliRunner().invoke(main, ["eval", "--events", str(SEEDS_GOLD), "--pred", str(pred),
                                    "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["pred"] == str(pred)
    assert (out["events"], out["actors"]) == (seeds_run["events"], seeds_run["actors"])


def test_cli_eval_events_pred_missing_a_gold_document(tmp_path):
    gold = load_gold(SEEDS_GOLD)
    first, missing = gold[0]["id"], gold[1]["id"]
    pred = tmp_path / "pred.json"
    pred.write_text(json.dumps(documents_to_json([Document(first, gold[0]["text"])])),
                    encoding="utf-8")
    res = CliRunner().invoke(main, ["eval", "--events", str(SEEDS_GOLD), "--pred", str(pred),
                                    "--format", "json"])
    assert res.exit_code == 2
    assert res.stdout == ""
    assert res.stderr == (f"geokit: error: {pred}: no prediction for gold document "
                          f"'{missing}'\n")


def test_cli_eval_events_table(tmp_path):
    gold = load_gold(SEEDS_GOLD)
    pred = tmp_path / "pred.json"
    pred.write_text(json.dumps(documents_to_json([Document(g["id"], g["text"]) for g in gold])),
                    encoding="utf-8")
    res = CliRunner().invoke(main, ["eval", "--events", str(SEEDS_GOLD), "--pred", str(pred),
                                    "--format", "table"])
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[0].split() == ["metric", "value"]
    rows = dict(line.split() for line in lines[1:])
    assert rows["events_gold"] == "25" and rows["events_recall"] == "0"
    assert rows["actors_gold"] == "48" and rows["actors_predicted"] == "0"
    assert list(rows) == [f"{part}_{k}" for part, keys in (
        ("events", ("predicted", "gold", "precision", "recall", "f1", "status_accuracy",
                    "date_accuracy", "origin_accuracy", "place_acc161", "place_evaluated")),
        ("actors", ("predicted", "gold", "precision", "recall"))) for k in keys]


def _scores_of(per_doc):
    from geokit.eval import EventScores

    return EventScores(per_doc=per_doc)


def test_score_documents_keeps_each_documents_counts():
    gold = [{"id": d, "text": "...", "actors": [
        {"id": "state:RUS", "name": "Russia", "type": "state", "country": "RUS"}],
        "events": [{**_gold("ASSAULT", ["state:RUS"]), "id": f"{d}:g1", "evidence": "x"}]}
        for d in ("a", "b")]
    actors = (Actor("state:RUS", "Russia", "state", "RUS"),)
    docs = [Document("a", "...", actors=actors, events=(
                _event("ASSAULT", ["state:RUS"], eid="a:e1"),
                _event("AID", ["state:RUS"], eid="a:e2"))),
            Document("b", "...", actors=actors)]
    s = score_documents(docs, gold)
    assert s.per_doc == [(2, 1, 1, 1), (0, 0, 1, 0)]


def test_bootstrap_intervals_hold_the_point_figure_and_repeat():
    s = _scores_of([(3, 3, 3, 3), (4, 1, 5, 1), (2, 2, 2, 1), (5, 2, 4, 2), (1, 0, 2, 0)])
    ci = s.intervals(rounds=500)
    p = sum(d[1] for d in s.per_doc) / sum(d[0] for d in s.per_doc)
    r = sum(d[3] for d in s.per_doc) / sum(d[2] for d in s.per_doc)
    assert ci["precision"][0] < p < ci["precision"][1]
    assert ci["recall"][0] < r < ci["recall"][1]
    assert ci == s.intervals(rounds=500)  # seeded
    assert ci != s.intervals(rounds=500, seed=1)
    # a wider level gives a wider interval
    wide = s.intervals(rounds=500, level=0.99)["precision"]
    assert wide[0] <= ci["precision"][0] and ci["precision"][1] <= wide[1]


def test_bootstrap_of_identical_documents_has_no_spread():
    ci = _scores_of([(2, 1, 4, 2)] * 6).intervals(rounds=100)
    assert ci == {"precision": (0.5, 0.5), "recall": (0.5, 0.5), "f1": (0.5, 0.5)}


@pytest.mark.parametrize(("per_doc", "kw"), [
    ([], {}), ([(1, 1, 1, 1)], {"rounds": 0}), ([(1, 1, 1, 1)], {"level": 1.0})])
def test_bootstrap_refuses_nothing_to_draw_and_bad_settings(per_doc, kw):
    with pytest.raises(ValueError, match="rounds|no document"):
        _scores_of(per_doc).intervals(**kw)


def test_cli_eval_events_bootstrap(tmp_path):
    gold = load_gold(SEEDS_GOLD)
    pred = tmp_path / "pred.json"
    pred.write_text(json.dumps(documents_to_json([Document(g["id"], g["text"]) for g in gold])),
                    encoding="utf-8")
    args = ["eval", "--events", str(SEEDS_GOLD), "--pred", str(pred), "--bootstrap", "50"]
    res = CliRunner().invoke(main, [*args, "--format", "json"])
    assert res.exit_code == 0, res.output
    events = json.loads(res.stdout)["events"]
    assert events["ci95"] == {"precision": [1.0, 1.0], "recall": [0.0, 0.0], "f1": [0.0, 0.0]}
    assert events["ci_rounds"] == 50
    res = CliRunner().invoke(main, [*args, "--format", "table"])
    rows = dict(line.split(None, 1) for line in res.stdout.splitlines()[1:])
    assert rows["events_recall_ci95"] == "0.0000 - 0.0000"
    assert list(rows).index("events_recall_ci95") == list(rows).index("events_recall") + 1
    res = CliRunner().invoke(main, ["eval", str(SEEDS_GOLD), "--bootstrap", "5"])
    assert res.exit_code == 2 and "--bootstrap: only with --events" in res.stderr


def test_cli_eval_help_names_the_bootstrap_level():
    res = CliRunner().invoke(main, ["eval", "--help"])
    assert "95% intervals" in res.stdout and "%%" not in res.stdout
