"""Ranking candidates: priors, name match, qualifier and context, on hand-made rows."""

from __future__ import annotations

import json
import math

import pytest

from geokit.gazetteer._rank import (
    Context,
    MatchRow,
    prior_shortlist,
    rank_candidates,
    rank_scored,
)


def _row(key, name, lat, lon, feature, country, admin1, admin1_code, population, prior, *,
         kind="name", similarity=1.0, matched=""):
    return MatchRow(key=key, name=name, lat=lat, lon=lon, feature=feature, country=country,
                    admin1=admin1, admin1_code=admin1_code, population=population,
                    geonameid=int(key.split(":")[1]), source="test", refers_to=None,
                    prior=prior, raw=json.dumps({"id": key}), kind=kind, similarity=similarity,
                    matched=matched)


# The two Donetsks: the Ukrainian city, 18 times larger, and the Russian town on the
# border near Rostov-on-Don (priors as the index has them, log10 population).
DONETSK_UA = _row("gn:709717", "Donetsk", 48.023, 37.80224, "city", "UKR", "Donetska",
                  "UA.05", 901645, 5.955)
DONETSK_RU = _row("gn:565348", "Donetsk", 48.33711, 39.95229, "city", "RUS", "Rostov",
                  "RU.61", 50850, 4.706)
DONETSK = (DONETSK_RU, DONETSK_UA)  # input order does not matter

ROSTOV = ("Rostov-on-Don", 47.23135, 39.72328)
KRAMATORSK = ("Kramatorsk", 48.72305, 37.55629)
KAMENSK = ("Kamensk-Shakhtinsky", 48.41667, 40.26667)
PORTLAND = ("Portland", 43.66147, -70.25533)

BANGOR_GB = _row("gn:2656396", "Bangor", 54.66079, -5.66802, "city", "GBR",
                 "Northern Ireland", "GB.NIR", 61011, 4.785)
BANGOR_ME = _row("gn:4957280", "Bangor", 44.79884, -68.77265, "city", "USA", "Maine",
                 "US.ME", 32391, 4.510)
BANGOR_WLS = _row("gn:2656397", "Bangor", 53.22752, -4.12936, "city", "GBR", "Wales",
                  "GB.WLS", 18322, 4.263)
MAINE = _row("gn:4971068", "Maine", 45.709097, -68.8590201, "admin1", "USA", "Maine",
             "US.ME", 1101704, 5.604)


def _softmax(*evidence):
    top = max(evidence)
    w = [math.exp(e - top) for e in evidence]
    return [x / sum(w) for x in w]


def _summary(places):
    return [(p.key, p.country) for p in places]


def test_no_context_the_population_prior_wins():
    out = rank_candidates(DONETSK)
    assert _summary(out) == [("gn:709717", "UKR"), ("gn:565348", "RUS")]
    # evidence = prior + 1.0 for a name match on both: the softmax of the priors
    ua, ru = _softmax(5.955 + 1.0, 4.706 + 1.0)
    assert [p.score for p in out] == pytest.approx([ua, ru])
    assert out[0].score == pytest.approx(0.7772, abs=1e-4)
    assert [p.why for p in out] == ["city pop 901,645", "city pop 50,850"]


def test_a_context_point_near_the_smaller_namesake_flips_the_choice():
    # Portland, Maine is 173 km from Bangor, Maine and an ocean away from Northern Ireland.
    out = rank_candidates((BANGOR_GB, BANGOR_ME), context=Context(points=(PORTLAND,)))
    assert [p.key for p in out] == ["gn:4957280", "gn:2656396"]
    assert [p.why for p in out] == ["city pop 32,391; 173 km from Portland",
                                    "city pop 61,011"]
    me = 4.510 + 1.0 + 2.5 * (1 - 173.06 / 800)
    assert [p.score for p in out] == pytest.approx(_softmax(me, 4.785 + 1.0), abs=1e-4)


def test_russian_context_picks_the_russian_donetsk():
    # "Floods hit Rostov-on-Don, Kamensk-Shakhtinsky and Donetsk": both Donetsks are
    # within 400 km of the Russian towns, the Russian one nearer and in their country.
    ctx = Context(points=(ROSTOV, KAMENSK), countries=frozenset({"RUS"}))
    out = rank_candidates(DONETSK, context=ctx)
    assert _summary(out) == [("gn:565348", "RUS"), ("gn:709717", "UKR")]
    assert out[0].why == "city pop 50,850; RUS like the context; 25 km from Kamensk-Shakhtinsky"
    assert out[1].why == "city pop 901,645; 169 km from Rostov-on-Don"
    ru = 4.706 + 1.0 + 2.0 + 2.5 * (1 - 24.85 / 800)
    ua = 5.955 + 1.0 + 2.5 * (1 - 168.74 / 800)
    assert [p.score for p in out] == pytest.approx(_softmax(ru, ua), abs=1e-4)
    # nearness alone is not enough: the big city is near Rostov too
    out = rank_candidates(DONETSK, context=Context(points=(ROSTOV,)))
    assert _summary(out) == [("gn:709717", "UKR"), ("gn:565348", "RUS")]
    assert [p.why for p in out] == ["city pop 901,645; 169 km from Rostov-on-Don",
                                    "city pop 50,850; 124 km from Rostov-on-Don"]
    # and a Ukrainian context keeps it on top by more
    ctx = Context(points=(KRAMATORSK,), countries=frozenset({"UKR"}))
    out = rank_candidates(DONETSK, context=ctx)
    assert _summary(out) == [("gn:709717", "UKR"), ("gn:565348", "RUS")]
    assert out[0].why == "city pop 901,645; UKR like the context; 80 km from Kramatorsk"
    assert out[0].score > 0.95


def test_a_point_with_the_candidates_own_name_is_not_its_context():
    out = rank_candidates(DONETSK, context=Context(points=(("Donetsk", 48.33711, 39.95229),)))
    assert _summary(out) == [("gn:709717", "UKR"), ("gn:565348", "RUS")]
    assert [p.score for p in out] == pytest.approx(_softmax(6.955, 5.706))


def test_a_far_point_adds_nothing():
    moscow = ("Moscow", 55.75222, 37.61556)  # 860 km and more from both
    out = rank_candidates(DONETSK, context=Context(points=(moscow,)))
    assert [p.score for p in out] == pytest.approx(_softmax(6.955, 5.706))
    assert [p.why for p in out] == ["city pop 901,645", "city pop 50,850"]


def test_same_country_evidence():
    out = rank_candidates(DONETSK, context=Context(countries=frozenset({"RUS"})))
    assert _summary(out) == [("gn:565348", "RUS"), ("gn:709717", "UKR")]
    assert [p.score for p in out] == pytest.approx(_softmax(5.706 + 2.0, 6.955))
    assert out[0].why == "city pop 50,850; RUS like the context"
    assert out[1].why == "city pop 901,645"


def test_same_admin1_evidence():
    # Both Bangors of Britain share the country; only the Welsh one shares the admin1.
    ctx = Context(countries=frozenset({"GBR"}), admin1_codes=frozenset({"GB.WLS"}))
    out = rank_candidates((BANGOR_GB, BANGOR_ME, BANGOR_WLS), context=ctx)
    assert [p.key for p in out] == ["gn:2656397", "gn:2656396", "gn:4957280"]
    assert out[0].why == "city pop 18,322; GBR like the context; same Wales as the context"
    assert [p.score for p in out] == pytest.approx(
        _softmax(4.263 + 1 + 2 + 2, 4.785 + 1 + 2, 4.510 + 1))


def test_an_explicit_country_pushes_the_others_down():
    out = rank_candidates(DONETSK, context=Context(country="RUS"))
    assert _summary(out) == [("gn:565348", "RUS"), ("gn:709717", "UKR")]
    assert out[0].why == "city pop 50,850; in RUS (requested)"
    assert [p.score for p in out] == pytest.approx(_softmax(5.706, 6.955 - 8.0))
    assert out[1].score < 0.002


def test_qualifier_bangor_maine():
    ctx = Context(qualifier=(MAINE,), qualifier_text="Maine")
    out = rank_candidates((BANGOR_GB, BANGOR_ME, BANGOR_WLS), context=ctx)
    assert [p.key for p in out] == ["gn:4957280", "gn:2656396", "gn:2656397"]
    assert out[0].why == "city pop 32,391; in Maine (qualifier)"
    assert [p.score for p in out] == pytest.approx(
        _softmax(4.510 + 1 + 5.0, 4.785 + 1 - 1.5, 4.263 + 1 - 1.5))
    # a qualifier text whose candidates qualify none: everyone loses the same
    ctx = Context(qualifier=(), qualifier_text="Nowhere")
    assert [p.key for p in rank_candidates((BANGOR_GB, BANGOR_ME), context=ctx)] == [
        "gn:2656396", "gn:4957280"]


def test_the_name_kind_and_a_fuzzy_match_lower_the_score():
    official = DONETSK_UA._replace(key="gn:1", kind="official")
    code = DONETSK_UA._replace(key="gn:2", kind="code")
    fuzzy = DONETSK_UA._replace(key="gn:3", similarity=0.9, matched="Donetk")
    out = rank_candidates((code, fuzzy, official))
    assert [p.key for p in out] == ["gn:1", "gn:3", "gn:2"]
    ev = _softmax(5.955 + 0.8, 5.955 + 1.0 - 6.0 * 0.1, 5.955 - 2.5)
    assert [p.score for p in out] == pytest.approx([ev[0], ev[1] * 0.9 ** 3, ev[2]])
    assert [p.why for p in out] == [
        "city pop 901,645; official name",
        "city pop 901,645; fuzzy match 'Donetk' (90%)",
        "city pop 901,645; code name",
    ]


def test_a_list_of_states_makes_a_state_name_a_state():
    state = _row("gn:5332921", "California", 37.25, -119.75, "admin1", "USA", "California",
                 "US.CA", 39_000_000, 5.0)
    town = _row("gn:4381072", "California", 38.6275, -92.5666, "city", "USA", "Missouri",
                "US.MO", 4_300, 5.6)
    assert rank_candidates((state, town))[0].key == "gn:4381072"
    out = rank_candidates((state, town), context=Context(features=frozenset({"admin1"})))
    assert [p.key for p in out] == ["gn:5332921", "gn:4381072"]
    assert out[0].why == "admin1; admin1 like other places in the context"


def test_scores_are_in_zero_one_ordered_and_sum_to_at_most_one():
    rows = (BANGOR_WLS, DONETSK_RU, BANGOR_GB._replace(similarity=0.8), MAINE, DONETSK_UA)
    contexts = [None, Context(points=(ROSTOV,)), Context(countries=frozenset({"GBR"})),
                Context(country="USA"), Context(qualifier=(MAINE,), qualifier_text="Maine")]
    for ctx in contexts:
        out = rank_candidates(rows, context=ctx)
        scores = [p.score for p in out]
        assert len(out) == 5 and all(0.0 <= s <= 1.0 for s in scores)
        assert scores == sorted(scores, reverse=True)
        assert sum(scores) <= 1.0 + 1e-12
    exact = rank_candidates((BANGOR_WLS, DONETSK_RU, MAINE))
    assert sum(p.score for p in exact) == pytest.approx(1.0)


def test_limit_and_no_rows():
    assert rank_candidates(()) == []
    out = rank_candidates((BANGOR_GB, BANGOR_ME, BANGOR_WLS), limit=2)
    assert [p.key for p in out] == ["gn:2656396", "gn:4957280"]


def test_places_carry_the_row():
    [p] = rank_candidates((DONETSK_RU,))
    assert (p.name, p.lat, p.lon, p.country, p.admin1, p.feature, p.population, p.geonameid,
            p.source, p.score, p.key, p.refers_to) == (
        "Donetsk", 48.33711, 39.95229, "RUS", "Rostov", "city", 50850, 565348, "test", 1.0,
        "gn:565348", None)
    assert dict(p.raw) == {"id": "gn:565348"}


def test_rank_scored_breaks_ties_on_population_then_key_then_order():
    a = BANGOR_WLS._replace(key="gn:3")
    b = BANGOR_GB._replace(key="gn:9")
    c = BANGOR_GB._replace(key="gn:1")
    out = rank_scored((a, b, c), [0.3, 0.3, 0.3])
    assert [p.key for p in out] == ["gn:1", "gn:9", "gn:3"]
    assert [p.score for p in out] == [0.3, 0.3, 0.3]
    out = rank_scored((a, b, c), [0.5, 0.2, 0.3], limit=2)
    assert [(p.key, p.score) for p in out] == [("gn:3", 0.5), ("gn:1", 0.3)]
    # the why is written from the context given
    [p] = rank_scored((a,), [1.0], context=Context(countries=frozenset({"GBR"})))
    assert p.why == "city pop 18,322; GBR like the context"


def test_prior_shortlist_scores_like_rank_candidates_without_context():
    hits = [(10, "name", 4.706), (11, "name", 5.955), (12, "alt", 5.682)]
    full = _softmax(5.706, 6.955, 5.682)  # an alternate name gets no bonus
    out = prior_shortlist(hits, limit=5)
    assert [k for k, _ in out] == [0, 1, 2]  # all fit: in input order
    assert [s for _, s in out] == pytest.approx(full)
    out = prior_shortlist(hits, limit=2)
    assert [k for k, _ in out] == [1, 0]
    assert [s for _, s in out] == pytest.approx([full[1], full[0]])
    # the same scores as the full ranking on the same rows
    ranked = rank_candidates((DONETSK_RU, DONETSK_UA))
    short = prior_shortlist([(0, "name", 4.706), (1, "name", 5.955)], limit=2)
    assert sorted(s for _, s in short) == pytest.approx(sorted(p.score for p in ranked))


def test_prior_shortlist_keeps_everything_tied_with_the_last():
    hits = [(1, "name", 5.0), (2, "name", 4.0), (3, "name", 4.0), (4, "name", 4.0),
            (5, "name", 3.0)]
    out = prior_shortlist(hits, limit=2)
    assert [k for k, _ in out] == [0, 1, 2, 3]
    assert out[1][1] == out[2][1] == out[3][1]


def test_empty_context():
    assert Context().empty
    assert not Context(points=(ROSTOV,)).empty
    assert not Context(country="UKR").empty
    assert not Context(countries=frozenset({"UKR"})).empty
    # admin1 codes and feature types alone do not make a context
    assert Context(admin1_codes=frozenset({"US.ME"}), features=frozenset({"admin1"})).empty


def test_a_nationality_word_is_weaker_than_a_named_country():
    # "North Korea sent troops to Donetsk, Russian officials said" (issue 12)
    [best] = rank_candidates(DONETSK, context=Context(nationalities=frozenset({"RUS"})), limit=1)
    assert best.country == "UKR"
    [best] = rank_candidates(DONETSK, context=Context(countries=frozenset({"RUS"})), limit=1)
    assert best.country == "RUS"


def test_the_head_noun_picks_the_subdivision_or_the_city():
    oblast = DONETSK_UA._replace(key="a1:UA.05", feature="admin1", population=4_100_000,
                                 prior=6.613)
    rows = (DONETSK_UA, oblast)
    [best] = rank_candidates(rows, context=Context(head="region", in_text=True), limit=1)
    assert best.feature == "admin1"
    [best] = rank_candidates(rows, context=Context(in_text=True), limit=1)
    assert best.feature == "city"  # a bare name in text is the city
    [best] = rank_candidates(rows, limit=1)
    assert best.feature == "admin1"  # a lookup alone keeps the population prior
