"""The pure aggregation behind the map layers."""

from __future__ import annotations

from dataclasses import replace

import pytest
from maps_fixtures import (
    PLACES,
    capitals,
    hostile_document,
    places_only_document,
    seeds_document,
)

from geokit import Document, Mention, Relation
from geokit.errors import ConfigurationError
from geokit.maps import _data


def test_aggregate_places_counts_mentions_and_quotes_sentences():
    points = {p.name: p for p in _data.aggregate_places(seeds_document())}
    assert points["Moscow"].count == 5
    assert points["Pyongyang"].count == 2
    assert points["Donetsk"].count == 1
    assert len(points) == 8
    # Most mentioned first.
    assert _data.aggregate_places(seeds_document())[0].name == "Moscow"
    (doc, sentence), = points["Donetsk"].evidence
    assert doc == "seed-1"
    assert sentence == "North Korea is set to send engineering troops to Donetsk in July 2024."
    # Evidence is capped and never repeats a sentence.
    assert len(points["Moscow"].evidence) == 3
    assert len({s for _, s in points["Moscow"].evidence}) == 3


def test_aggregate_places_across_documents():
    points = {p.name: p for p in _data.aggregate_places(
        [seeds_document("a"), seeds_document("b"), places_only_document()])}
    assert points["Moscow"].count == 10
    assert points["Moscow"].docs == ["a", "b"]
    assert points["Tehran"].count == 2 + 2
    assert points["Tehran"].docs == ["a", "b", "geo-1"]


def test_places_without_text_take_event_evidence():
    doc = replace(seeds_document(), text="")
    points = {p.name: p for p in _data.aggregate_places(doc)}
    assert points["Donetsk"].evidence[0][1].startswith("North Korea is set to send")
    assert points["Damascus"].evidence == []  # no event sentence covers it


def test_deployment_arrows_by_status():
    arrows = _data.deployment_arrows(seeds_document())
    assert [(a.origin.name, a.dest.name, a.planned) for a in arrows] == [
        ("North Korea", "Donetsk", True), ("Moscow", "Latakia", False)]
    nk = arrows[0]
    assert nk.actors == ["North Korea"]
    assert nk.dates == ["2024-07"]
    assert nk.statuses == {"planned": 1}


def test_same_move_in_two_articles_is_one_arrow_denied_is_none():
    a, b = seeds_document("a"), seeds_document("b")
    arrows = _data.deployment_arrows([a, b])
    assert len(arrows) == 2
    assert arrows[0].events == ["a:e1", "b:e1"]
    denied = replace(a, events=tuple(replace(e, status="denied") for e in a.events))
    assert _data.deployment_arrows(denied) == []


def test_deployment_needs_two_distinct_ends():
    doc = seeds_document()
    e = doc.events[0]
    assert not _data.is_deployment(replace(e, origin=None))
    assert not _data.is_deployment(replace(e, origin=PLACES["Donetsk"]))
    assert _data.is_deployment(e)


def test_relation_links_merge_and_direction():
    links = _data.relation_links([seeds_document("a"), seeds_document("b")])
    got = {(x.type, x.source, x.target): x.count for x in links}
    assert got == {("alliance", "PRK", "RUS"): 4, ("arms_supply", "IRN", "RUS"): 2,
                   ("partnership", "RUS", "SYR"): 2}
    assert links[0].type == "alliance"  # most evidence first
    arms = next(x for x in links if x.type == "arms_supply")
    assert arms.directed and (arms.source, arms.target) == ("IRN", "RUS")


def test_relation_links_skip_stateless_and_self_links():
    doc = Document("d", "", relations=(
        Relation("org:isw", "state:RUS", "hostility", 1),
        Relation("state:RUS", "state:RUS", "alliance", 1),
        Relation("state:USA", "state:RUS", "hostility", 1),
    ))
    links = _data.relation_links(doc)
    assert [(x.source, x.target) for x in links] == [("RUS", "USA")]


def test_blocs_join_aligned_states_and_split_hostile_ones():
    doc = seeds_document()
    doc = replace(doc, relations=doc.relations + (
        Relation("state:USA", "state:RUS", "hostility", 3),
        Relation("state:USA", "state:UKR", "arms_supply", 2),
    ))
    found = _data.blocs(_data.relation_links(doc))
    assert [set(b.members) for b in found] == [{"RUS", "PRK", "IRN", "SYR"}, {"USA", "UKR"}]
    assert found[0].members[0] == "RUS"  # the most connected state leads


def test_deploying_troops_to_a_state_does_not_ally_with_it():
    # "North Korea to send troops to Ukraine": the seeds' own sentence, a
    # deployment to the front, must not shade Ukraine as Russia's side (nor
    # as a "bloc" of its own: a side of one state says nothing).
    doc = seeds_document()
    doc = replace(doc, relations=doc.relations + (
        Relation("state:PRK", "state:UKR", "deployment", 2),))
    found = _data.blocs(_data.relation_links(doc))
    assert [set(b.members) for b in found] == [{"RUS", "PRK", "IRN", "SYR"}]


@pytest.mark.parametrize(("date", "day"), [
    ("1970-01-01", 0), ("2024-07", 19905), ("2024", 19723), ("2024-02-30", None),
    ("next month", None), (None, None),
])
def test_day_number(date, day):
    assert _data.day_number(date) == day


def test_timed_events_dated_and_undated():
    events = _data.timed_events(seeds_document())
    assert len(events) == 4
    assert [e.day is None for e in events] == [False, False, True, False]
    assert events[1].label == (
        "Defence pact by Vladimir Putin with North Korea, Pyongyang, 19 Jun 2024")


def test_sentence_around_long_text_is_cut_around_the_span():
    text = "x" * 1000 + " Donetsk " + "y" * 1000 + "."
    s = _data.sentence_around(text, 1001, 1008)
    assert "Donetsk" in s and len(s) <= 402


def test_size_phrase():
    assert _data.size_phrase("deploy up to half of them to Ukraine") is None
    assert _data.size_phrase("has 10 engineering brigades and") == "10 engineering brigades"


def test_size_phrase_on_ascii_text_agrees_with_the_case_blind_pattern():
    # ASCII text is matched lowercased by a case-sensitive copy of the pattern;
    # it must find what the IGNORECASE pattern finds, whatever the case.
    import random

    from geokit.events._lexicon import force_nouns

    rng = random.Random(7)
    words = ["up to", "About", "some", "5,000", "TEN", "half", "of its", "thousands",
             "engineering", "elite", "to", "Kursk", "sent", "the", "x-ray", ".", ","]
    nouns = list(force_nouns("size"))
    for _ in range(400):
        text = " ".join(rng.choice(words + nouns) for _ in range(rng.randint(2, 9)))
        text = "".join(c.upper() if rng.random() < 0.3 else c for c in text)
        m = _data._SIZE.search(text)
        assert _data.size_phrase(text) == (m.group(0) if m else None), text
    assert _data.size_phrase("Près de 5 000 TROOPS à Koursk") == "5 000 TROOPS"


def test_sources_keep_only_string_urls():
    assert _data.document_sources([seeds_document(), hostile_document(),
                                   replace(places_only_document(), meta={"url": 3})]) == [
        ("seed-1", "https://example.org/news/1"),
        ("<b>evil</b>\"'", "javascript:window.__xss=4"),
        ("geo-1", None)]


def test_events_frame_round_trip():
    from geokit.io._writers import to_geodataframe

    gdf = to_geodataframe(seeds_document(), kind="events")
    docs = _data.documents_from_events_frame(gdf)
    arrows = _data.deployment_arrows(docs)
    assert [(a.origin.name, a.dest.name, a.planned) for a in arrows] == [
        ("North Korea", "Donetsk", True), ("Moscow", "Latakia", False)]
    assert [e.day is None for e in _data.timed_events(docs)] == [False, False, True, False]


def test_sentence_finder_agrees_with_sentence_around():
    # Random texts full of sentence ends, quotes, line breaks and runs of
    # spaces: the bisecting finder must quote what the scan quotes, everywhere.
    import random

    rng = random.Random(3)
    pieces = ["Donetsk", "troops", "U.S.", "said", ".", "!", "?", "\u201d", ")", " ", "  ",
              "\n", "\n\n", "x" * 450]
    for _ in range(60):
        text = "".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(30))
        around = _data.sentence_finder(text)
        for start in range(len(text)):
            end = min(len(text), start + rng.randint(1, 8))
            assert around(start, end) == _data.sentence_around(text, start, end), (text, start)


def test_sentence_end_pattern_matches_the_plain_two_branch_form():
    # _END is written with one leading character class for speed; it must find
    # exactly the ends of the readable form, on text full of both kinds.
    import random
    import re

    plain = re.compile(r"""[.!?][)"'\u201d\u2019]*\s+|\n+""")
    rng = random.Random(5)
    pieces = [".", "!", "?", "\u201d", "\u2019", ")", "'", '"', " ", "\t", "\n", "\n\n", "a",
              "U.S."]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(40))
        assert [m.span() for m in _data._END.finditer(text)] == \
            [m.span() for m in plain.finditer(text)], text
        pos = rng.randrange(len(text) + 1)
        found, want = _data._END.search(text, pos), plain.search(text, pos)
        assert (found and found.span()) == (want and want.span()), (text, pos)


def test_places_tied_on_mentions_keep_first_mention_order():
    names = [p.name for p in _data.aggregate_places(seeds_document())]
    assert names[0] == "Moscow" and names[1] == "Pyongyang"  # 5 and 2 mentions
    assert names[2:] == ["North Korea", "Donetsk", "Ukraine", "Tehran", "Damascus", "Latakia"]


def _unstated_origin_doc(status: str = "planned", place: str = "Donetsk") -> Document:
    # "North Korea is set to send troops to Donetsk": a destination, no origin.
    doc = seeds_document()
    e = replace(doc.events[0], origin=None, status=status, place=PLACES[place])
    return replace(doc, events=(e,))


def test_unstated_origin_starts_at_the_actors_capital():
    (a,) = _data.deployment_arrows(_unstated_origin_doc(), capitals=capitals)
    assert (a.origin.name, a.dest.name, a.planned, a.origin_of) == (
        "Pyongyang", "Donetsk", True, "PRK")
    assert a.actors == ["North Korea"]


@pytest.mark.parametrize(("status", "place", "lookup"), [
    ("planned", "Donetsk", None),          # no lookup given: stated origins only
    ("denied", "Donetsk", capitals),       # a denied move is never drawn
    ("planned", "North Korea", capitals),  # inside the actor's own country
])
def test_unstated_origin_not_inferred(status, place, lookup):
    assert _data.deployment_arrows(_unstated_origin_doc(status, place), capitals=lookup) == []


def test_stated_origin_wins_when_an_arrow_merges_both():
    stated = seeds_document("a")
    e = replace(stated.events[0], origin=PLACES["Pyongyang"])
    stated = replace(stated, events=(e,))
    arrows = _data.deployment_arrows([_unstated_origin_doc(), stated], capitals=capitals)
    assert [(a.origin.name, a.origin_of, len(a.events)) for a in arrows] == [
        ("Pyongyang", None, 2)]


# ------------------------------------------------------------- words, titles, filters


def _event(**kw):
    base = seeds_document().events[0]
    return replace(base, **kw)


@pytest.mark.parametrize(("kw", "label"), [
    ({}, "Deploy troops by North Korea to Russia, Donetsk, Jul 2024"),
    ({"subtype": None}, "Mobilisation or deployment by North Korea to Russia, Donetsk, Jul 2024"),
    ({"category": "ASSAULT", "subtype": "missile_strike", "date": "2024-03-04"},
     "Missile strike by North Korea on Russia, Donetsk, 4 Mar 2024"),
    ({"category": "CONSULT", "subtype": None, "target": ("state:RUS", "state:IRN"),
      "date": None}, "Consultation by North Korea with Russia and Iran, Donetsk"),
    ({"category": "ACCUSE", "subtype": None, "source": (), "place": None},
     "Accusation against Russia, Jul 2024"),
    # a village the index lacks is named before the known place the event is drawn at
    ({"place_mention": Mention(0, 8, "Krasnyi Lyman", source="place-noun")},
     "Deploy troops by North Korea to Russia, Krasnyi Lyman, Donetsk, Jul 2024"),
    # so is a name read in a place's slot ("to Kurakhove")
    ({"place_mention": Mention(0, 9, "Kurakhove", source="place-slot")},
     "Deploy troops by North Korea to Russia, Kurakhove, Donetsk, Jul 2024"),
    # the index's own place is named once, as the index spells it
    ({"place_mention": Mention(0, 7, "Donezk", source="gazetteer")},
     "Deploy troops by North Korea to Russia, Donetsk, Jul 2024"),
])
def test_event_label_in_words(kw, label):
    names = {"state:PRK": "North Korea", "state:RUS": "Russia", "state:IRN": "Iran"}
    assert _data.event_label(_event(**kw), names) == label


def test_event_labels_reach_the_timeline_without_codes():
    labels = [e.label for e in _data.timed_events(seeds_document())]
    assert labels[1] == "Defence pact by Vladimir Putin with North Korea, Pyongyang, 19 Jun 2024"
    assert not any("_" in x or "AGREE" in x for x in labels)


def test_sources_are_titles_when_records_have_them():
    doc = replace(seeds_document(), meta={"title": "Kim sends troops", "url": "https://x.org/1"})
    assert _data.document_sources([doc, seeds_document("b")]) == [
        ("Kim sends troops", "https://x.org/1"), ("b", "https://example.org/news/1")]
    places = {p.name: p for p in _data.aggregate_places(doc)}
    assert places["Donetsk"].evidence[0][0] == "Kim sends troops"
    assert places["Donetsk"].docs == ["seed-1"]  # counting stays by id
    assert {e.doc for e in _data.timed_events(doc)} == {"Kim sends troops"}
    assert _data.relation_links(doc)[0].evidence[0][0] == "Kim sends troops"


def test_filter_events_by_score_keeps_places_and_drops_unsupported_relations():
    doc = seeds_document()
    (kept,) = _data.filter_events(doc, min_score=0.75)
    assert [e.id for e in kept.events] == ["seed-1:e1", "seed-1:e2", "seed-1:e4"]
    assert kept.toponyms == doc.toponyms
    # The arms supply rested on e3 (0.7) only; a relation listing no event stays.
    assert [r.type for r in kept.relations] == ["alliance", "partnership"]
    assert _data.filter_events(doc)[0] is doc


@pytest.mark.parametrize(("since", "until", "ids"), [
    ("2024", None, ["e1", "e2"]),
    (None, "2024-06", ["e2", "e4"]),
    ("2024-06-20", "2024-07-31", ["e1"]),
    ("2015", "2015", ["e4"]),
])
def test_filter_events_by_period_leaves_out_undated(since, until, ids):
    (kept,) = _data.filter_events(seeds_document(), since=since, until=until)
    assert [e.id.split(":")[1] for e in kept.events] == ids


@pytest.mark.parametrize(("kw", "message"), [
    ({"min_score": 1.5}, "min_score must be between 0 and 1, not 1.5"),
    ({"since": "last week"}, "since must be an ISO date (2024, 2024-03 or 2024-03-04), "
                             "not 'last week'"),
    ({"until": "2024-13"}, "until must be an ISO date (2024, 2024-03 or 2024-03-04), "
                           "not '2024-13'"),
])
def test_filter_events_bad_options_name_themselves(kw, message):
    with pytest.raises(ConfigurationError) as err:
        _data.filter_events(seeds_document(), **kw)
    assert str(err.value) == message
    assert isinstance(err.value, ValueError)


def test_blocs_need_two_states_and_confident_events():
    links = _data.relation_links(seeds_document(), min_score=_data.BLOC_MIN_SCORE)
    assert [(x.type, x.source, x.target) for x in links] == [
        ("alliance", "PRK", "RUS"), ("arms_supply", "IRN", "RUS")]
    hostile = Relation("state:RUS", "state:UKR", "hostility", 1, ("seed-1:e1",))
    doc = replace(seeds_document(), relations=seeds_document().relations + (hostile,))
    found = _data.blocs(_data.relation_links(doc))
    assert [b.members for b in found] == [("RUS", "PRK", "IRN", "SYR")]  # no "Bloc 2: Ukraine"
    weak = replace(doc, events=tuple(replace(e, confidence=0.3) for e in doc.events))
    assert _data.relation_links(weak, min_score=_data.BLOC_MIN_SCORE) == []


@pytest.mark.parametrize(("date", "text"), [
    ("2024-03-04", "4 Mar 2024"), ("2024-12", "Dec 2024"), ("2015", "2015"),
    ("next month", "next month"), ("2024-13", "2024-13"),
])
def test_human_date(date, text):
    assert _data.human_date(date) == text
