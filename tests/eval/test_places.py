"""Place evaluation: span matching, the field's metrics and ``geokit eval``."""

from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner

from geokit.cli import main
from geokit.errors import InputError
from geokit.eval._places import MAX_ERROR_KM, lenient_matches, score_documents, strict_matches
from geokit.geo import haversine_km


@pytest.mark.parametrize(("gold", "pred", "pairs"), [
    ([(0, 4), (9, 13)], [(9, 13), (0, 4)], [(0, 1), (1, 0)]),
    ([(0, 4), (9, 13)], [(0, 3), (9, 14)], []),
    # a duplicated prediction matches once; a duplicated gold span takes the next copy
    ([(0, 4), (9, 13), (9, 13)], [(9, 13), (0, 4), (0, 3), (9, 13), (9, 13)],
     [(0, 1), (1, 0), (2, 3)]),
    ([], [(0, 4)], []),
])
def test_strict_matches(gold, pred, pairs):
    assert strict_matches(gold, pred) == pairs


@pytest.mark.parametrize(("gold", "pred", "pairs"), [
    ([(0, 4), (9, 13)], [(0, 4), (9, 12), (20, 25)], [(0, 0), (1, 1)]),
    ([(0, 4)], [(4, 8)], []),  # touching is not overlapping
    # greedy by overlap, not a maximum matching (the docstring's example)
    ([(0, 10), (12, 20)], [(5, 15), (0, 3)], [(0, 0)]),
    # the larger overlap wins the prediction; pairs come back in gold order
    ([(0, 6), (5, 20)], [(3, 15)], [(1, 0)]),
    ([(10, 20), (0, 5)], [(0, 5), (10, 20)], [(0, 1), (1, 0)]),
])
def test_lenient_matches(gold, pred, pairs):
    assert lenient_matches(gold, pred) == pairs


GOLD = [
    {"id": "1", "toponyms": [
        {"start": 0, "end": 4, "name": "Kyiv", "lat": 50.45, "lon": 30.52},
        {"start": 9, "end": 13, "name": "Lviv", "lat": 49.84, "lon": 24.03},
        {"start": 20, "end": 26, "name": "Nowhere"}]},  # no coordinates: recognition only
    {"id": "2", "toponyms": [
        # Paris, Texas is an accepted alternative
        {"start": 0, "end": 5, "name": "Paris", "lat": 48.85, "lon": 2.35,
         "alt_coords": [[33.66, -95.56]]}]},
]
PRED = [
    {"id": "1", "toponyms": [
        {"start": 0, "end": 4, "lat": 50.45, "lon": 30.52, "score": 0.9},
        {"start": 9, "end": 12, "lat": 10.0, "lon": 10.0, "score": 0.2},
        {"start": 30, "end": 35, "lat": 1.0, "lon": 1.0}]},
    {"id": "2", "toponyms": [{"start": 0, "end": 5, "lat": 33.66, "lon": -95.56,
                              "score": 0.55}]},
    {"id": "not in gold", "toponyms": [{"start": 0, "end": 1}]},  # ignored
]
LVIV_KM = haversine_km(49.84, 24.03, 10.0, 10.0)


def test_score_documents_counts_and_rates():
    r = score_documents(GOLD, PRED)
    d = r.to_dict()
    assert {k: d[k] for k in ("strict_P", "strict_R", "strict_F1", "lenient_P", "lenient_R",
                              "lenient_F1", "docs", "gold_toponyms", "gold_with_coords",
                              "predicted", "matched_lenient", "matched_strict",
                              "resolved_evaluated", "unresolved", "gold_spans")} == {
        "strict_P": 0.5, "strict_R": 0.5, "strict_F1": 0.5,
        "lenient_P": 0.75, "lenient_R": 0.75, "lenient_F1": 0.75,
        "docs": 2, "gold_toponyms": 4, "gold_with_coords": 3, "predicted": 4,
        "matched_lenient": 3, "matched_strict": 2, "resolved_evaluated": 3, "unresolved": 0,
        "gold_spans": False}
    # errors: Kyiv 0, Lviv far, Paris 0 (its alternative point)
    assert r.acc161 == pytest.approx(2 / 3)
    assert r.end_to_end_acc161 == pytest.approx(2 / 3)
    assert r.mean_km == pytest.approx(LVIV_KM / 3)
    assert r.median_km == 0.0
    assert r.auc == pytest.approx(math.log1p(LVIV_KM) / math.log(MAX_ERROR_KM) / 3)
    rows = [(b.count, b.mean_score, b.acc161) for b in r.reliability if b.count]
    assert rows == [(1, 0.2, 0.0), (1, 0.55, 1.0), (1, 0.9, 1.0)]
    assert r.ece == pytest.approx((0.2 + 0.45 + 0.1) / 3)
    assert len(d["reliability"]) == 10 and d["reliability"][2]["bin"] == "0.2-0.3"


def test_min_score_makes_low_scores_unresolved():
    r = score_documents(GOLD, PRED, min_score=0.6)
    assert (r.unresolved, r.resolved_evaluated) == (2, 3)
    assert r.acc161 == pytest.approx(1 / 3)
    assert r.median_km == MAX_ERROR_KM
    assert r.mean_km == pytest.approx(2 * MAX_ERROR_KM / 3)
    # recognition and the calibration table are unchanged
    assert (r.lenient_F1, r.strict_F1) == (0.75, 0.5)
    assert r.ece == pytest.approx(score_documents(GOLD, PRED).ece)


def test_gold_span_mode_reports_no_recognition_and_counts_missing_predictions():
    r = score_documents(GOLD, PRED, gold_spans=True)
    assert (r.strict_P, r.strict_F1, r.lenient_P, r.lenient_R, r.lenient_F1) == (None,) * 5
    assert (r.resolved_evaluated, r.unresolved) == (3, 0)
    # a gold toponym without a prediction is evaluated as unresolved
    r = score_documents(GOLD, [], gold_spans=True)
    assert (r.resolved_evaluated, r.unresolved, r.acc161) == (3, 3, 0.0)
    assert r.median_km == MAX_ERROR_KM
    assert (r.ece, r.reliability[0].count) == (None, 0)


def test_nothing_predicted():
    r = score_documents(GOLD, [])
    assert (r.strict_P, r.lenient_R, r.lenient_F1, r.predicted) == (0.0, 0.0, 0.0, 0)
    assert (r.acc161, r.mean_km, r.auc, r.end_to_end_acc161) == (None, None, None, 0.0)
    empty = score_documents([], [])
    assert (empty.docs, empty.end_to_end_acc161, empty.ece) == (0, None, None)


@pytest.mark.parametrize(("gold", "pred", "message"), [
    ([{"toponyms": []}], [], "gold document 1: gold document without an id"),
    ([{"id": "1"}, {"id": "1"}], [], "duplicate gold document id '1'"),
    ([], [{"id": "1"}, {"id": "1"}], "duplicate predicted document id '1'"),
    ([{"id": "7", "toponyms": [{"start": "a", "end": 2}]}], [],
     "document 7: gold toponym without integer start/end: {'start': 'a', 'end': 2}"),
    ([{"id": "7", "toponyms": [{"start": 5, "end": 2}]}], [],
     "document 7: gold toponym with end < start: {'start': 5, 'end': 2}"),
    ([{"id": "7"}], [{"id": "7", "toponyms": [{"end": 2}]}],
     "document 7: predicted toponym without integer start/end: {'end': 2}"),
])
def test_bad_documents_are_input_errors(gold, pred, message):
    with pytest.raises(InputError) as info:
        score_documents(gold, pred)
    assert str(info.value) == message


def test_cli_eval_scores_a_prediction_file(tmp_path):
    text = "Kyiv and Lviv."
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "1", "text": text, "toponyms": [
        {"start": 0, "end": 4, "name": "Kyiv", "lat": 50.45, "lon": 30.52},
        {"start": 9, "end": 13, "name": "Lviv", "lat": 49.84, "lon": 24.03}]}) + "\n")
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps({"id": "1", "toponyms": [
        {"start": 0, "end": 4, "lat": 50.45, "lon": 30.52},
        {"start": 9, "end": 12, "lat": 10.0, "lon": 10.0}]}) + "\n")
    res = CliRunner().invoke(main, ["eval", str(gold), "--pred", str(pred), "--format", "json"])
    assert res.exit_code == 0, res.output
    r = json.loads(res.stdout)
    assert (r["strict_P"], r["lenient_F1"], r["acc161"]) == (0.5, 1.0, 0.5)
    res = CliRunner().invoke(main, ["eval", str(gold), "--format", "json"])
    r = json.loads(res.stdout)
    assert (r["lenient_F1"], r["acc161"]) == (1.0, 1.0)
