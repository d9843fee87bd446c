"""The recogniser on its own: gazetteer proposals, sentence bounds, case rules, NER."""

from __future__ import annotations

import pytest

from geokit.errors import ConfigurationError
from geokit.geoparse._nlp import MODEL
from geokit.geoparse._recognize import Recognizer, sentence_bounds
from geokit.models import Mention, NerReading


@pytest.fixture(scope="module")
def off(gazetteer):
    return Recognizer(gazetteer, ner="off")


@pytest.fixture(scope="module")
def auto(gazetteer):
    return Recognizer(gazetteer, ner="auto")


def _proposals(rec, text):
    return [(p.mention.start, p.mention.end, p.mention.name, p.key, p.sure, p.reason)
            for p in rec.propose(text)]


def _spans(mentions):
    return [(m.start, m.end, m.name) for m in mentions]


# --------------------------------------------------------------------------- sentences


@pytest.mark.parametrize(("text", "bounds"), [
    ("Kyiv is big. Lviv is not.", [(0, 12), (13, 25)]),
    ("It is 3.5 km. 10 people died.", [(0, 13), (14, 29)]),  # a decimal point is no end
    ('He said: "Go home." Then he left!  Why? (Nobody knows.)\n\nNew para',
     [(0, 19), (20, 33), (35, 39), (40, 55), (57, 65)]),  # closing quotes stay
    ("a line\n\nanother one", [(0, 6), (8, 19)]),  # a blank line ends a sentence
    ("one line\nstill the same", [(0, 8), (9, 23)]),  # a line break ends one (headlines)
    ("troops left. then more came", [(0, 27)]),  # lower case does not start one
    ("No end", [(0, 6)]),
    ("", [(0, 0)]),
    ("   ", [(0, 3)]),
])
def test_sentence_bounds(text, bounds):
    assert sentence_bounds(text) == bounds


@pytest.mark.parametrize(("text", "pieces"), [
    ("Gunmen seized Baga on Jan. 3 and killed dozens. Amnesty said so.",
     ["Gunmen seized Baga on Jan. 3 and killed dozens.", "Amnesty said so."]),
    ("Pupils were taken from St. Mary's school. Gen. Smith said it.",
     ["Pupils were taken from St. Mary's school.", "Gen. Smith said it."]),
    ("Then J. R. Smith stayed. He left.", ["Then J. R. Smith stayed.", "He left."]),
    ("He was born in Jan. He left in Sept. 2020.", ["He was born in Jan.",
                                                    "He left in Sept. 2020."]),
    ("They met Dr. Ali. Then they left.", ["They met Dr. Ali.", "Then they left."]),
])
def test_a_stop_after_an_abbreviation_ends_no_sentence(text, pieces):
    assert [text[a:b] for a, b in sentence_bounds(text)] == pieces


@pytest.mark.parametrize(("text", "recognised", "parsed"), [
    # the recogniser's NER reads the country apart from the body; the parser reads it whole
    ("Cambodia asked the U.N. Security Council to meet.",
     ["Cambodia asked the U.N.", "Security Council to meet."],
     ["Cambodia asked the U.N. Security Council to meet."]),
    ("K.P. Sharma Oli resigned.", ["K.P.", "Sharma Oli resigned."], ["K.P. Sharma Oli resigned."]),
    # a word that often starts a sentence still starts one after the acronym
    ("He flew to the U.S. The talks failed.", ["He flew to the U.S.", "The talks failed."],
     ["He flew to the U.S.", "The talks failed."]),
])
def test_a_dotted_acronym_ends_a_sentence_for_ner_not_for_the_parser(text, recognised, parsed):
    assert [text[a:b] for a, b in sentence_bounds(text)] == recognised
    assert [text[a:b] for a, b in sentence_bounds(text, split_acronyms=False)] == parsed


# --------------------------------------------------------------------------- proposals


def test_multi_word_names_are_proposed_longest_first(off):
    text = "Protests spread from New York City to Los Angeles on Monday."
    assert _proposals(off, text) == [
        (21, 34, "New York City", "new york city", True, ""),
        (38, 49, "Los Angeles", "los angeles", True, ""),
    ]
    # capitals and hyphens do not change the span
    assert _proposals(off, "NEW YORK CITY is loud.") == [
        (0, 13, "NEW YORK CITY", "new york city", True, "")]
    assert _proposals(off, "Rostov-on-Don and Winston-Salem are cities.") == [
        (0, 13, "Rostov-on-Don", "rostov on don", True, ""),
        (18, 31, "Winston-Salem", "winston salem", True, ""),
    ]


def test_possessive_and_full_stop_stay_out_of_the_span(off):
    assert _proposals(off, "France's envoy flew to Iraq.") == [
        (0, 6, "France", "france", True, ""),
        (23, 27, "Iraq", "iraq", True, ""),
    ]


def test_mention_kind_and_label_come_from_the_best_reading(off):
    props = off.propose("North Korean troops arrived in the Middle East.")
    assert [p.mention for p in props] == [
        Mention(0, 12, "North Korean", "demonym", "gazetteer", "demonym"),
        Mention(35, 46, "Middle East", "place", "gazetteer", "region"),
    ]


@pytest.mark.parametrize(("text", "expected"), [
    # mid-sentence, after a locative, and first in the sentence: a common word each time
    ("Reading the report, she said Nice weather came to Reading.", [
        (0, 7, "Reading", "reading", False, "common word"),
        (29, 33, "Nice", "nice", False, "common word"),
        (50, 57, "Reading", "reading", False, "common word"),
    ]),
    ("We moved from Reading to Nice last year.", [
        (14, 21, "Reading", "reading", False, "common word"),
        (25, 29, "Nice", "nice", False, "common word"),
    ]),
])
def test_a_name_that_is_also_a_common_word_is_not_sure(off, text, expected):
    assert _proposals(off, text) == expected
    assert off.recognize(text) == []


def test_names_inside_a_longer_name_and_after_a_title(off):
    assert _proposals(off, "Paris Hilton stayed in Paris.") == [
        (0, 5, "Paris", "paris", False, "inside a longer name; common word"),
        (6, 12, "Hilton", "hilton", False, "inside a longer name; city 5,921"),
        (23, 28, "Paris", "paris", False, "common word"),
    ]
    # "President Lincoln" is a person: the town is not even proposed
    assert _proposals(off, "President Lincoln visited Washington.") == [
        (26, 36, "Washington", "washington", False, "common word")]


def test_a_small_town_is_sure_only_after_a_preposition(off):
    assert _proposals(off, "Officials from Bentiu met.") == [
        (15, 21, "Bentiu", "bentiu", True, "")]
    assert _proposals(off, "Bentiu residents fled.") == [
        (0, 6, "Bentiu", "bentiu", False, "city 7,653")]


@pytest.mark.parametrize(("text", "name"), [
    ("Police arrested a man in south Manchester on Tuesday.", "Manchester"),
    ("Raids went on across northern Reading.", "Reading"),
])
def test_a_compass_word_after_a_preposition_vouches_for_a_common_word_name(off, text, name):
    # NER reads neither "south Manchester" nor "Manchester" there
    assert [m.name for m in off.recognize(text)] == [name]
    # the compass word alone does not: without the preposition the name stays a word
    assert off.recognize(f"The south {name} club won.") == []


def test_a_name_ending_a_sentence_is_not_part_of_the_next_one(off):
    assert _proposals(off, "He flew to Kyiv. Officials met there.") == [
        (11, 15, "Kyiv", "kyiv", True, "")]


# --------------------------------------------------------------------------- recognize


@pytest.mark.parametrize(("text", "expected"), [
    ("Protests spread from New York City to Los Angeles on Monday.",
     [(21, 34, "New York City"), (38, 49, "Los Angeles")]),
    ("Officials in Kyiv said Russian-controlled Donetsk was shelled.",
     [(13, 17, "Kyiv"), (42, 49, "Donetsk")]),
    ("France's envoy flew to Iraq.", [(0, 6, "France"), (23, 27, "Iraq")]),
    ("North Korean troops arrived in the Middle East.",
     [(0, 12, "North Korean"), (35, 46, "Middle East")]),
    ("Rostov-on-Don and Winston-Salem are cities.",
     [(0, 13, "Rostov-on-Don"), (18, 31, "Winston-Salem")]),
    ("Reading the report, she said Nice weather came to Reading.", []),
    ("", []),
])
@pytest.mark.parametrize("mode", ["off", "auto"])
def test_recognize_exact_spans(off, auto, mode, text, expected):
    rec = {"off": off, "auto": auto}[mode]
    assert _spans(rec.recognize(text)) == expected


def test_bangor_maine_comma_rule(off):
    # a town alone is not sure; a state right after a comma vouches for it
    assert _proposals(off, "The storm spared Bangor on Monday.") == [
        (17, 23, "Bangor", "bangor", False, "city 61,011")]
    assert off.recognize("The storm spared Bangor on Monday.") == []
    text = "The storm spared Bangor, Maine, on Monday."
    assert [p.sure for p in off.propose(text)] == [False, True]
    assert _spans(off.recognize(text)) == [(17, 23, "Bangor"), (25, 30, "Maine")]
    # only ", " directly between them counts
    assert _spans(off.recognize("The storm spared Bangor in Maine, on Monday.")) == [
        (27, 32, "Maine")]


def test_ner_confirms_and_vetoes_ambiguous_names(auto):
    mentions = auto.recognize("President Lincoln visited Washington.")
    assert mentions == [Mention(26, 36, "Washington", "place", "gazetteer+ner", "capital")]
    # the model calls "Paris Hilton" an ORG and the second Paris a GPE it finds itself
    assert [(m.start, m.end, m.name, m.source, m.label) for m in
            auto.recognize("Paris Hilton stayed in Paris.")] == [
        (23, 28, "Paris", "ner", "GPE")]


# --------------------------------------------------------------------------- read


def test_read_without_ner_has_no_reading(off):
    text = "The storm spared Bangor, Maine, on Monday."
    mentions, reading = off.read(text)
    assert reading is None
    assert _spans(mentions) == [(17, 23, "Bangor"), (25, 30, "Maine")]
    assert off.read("") == ([], None)
    assert off.read("  \n ") == ([], None)


def test_read_with_ner_gives_the_model_windows_and_entities(auto):
    text = "He left New York. New York is big."
    mentions, reading = auto.read(text)
    # one sense per discourse: only the first ambiguous "New York" is read by the model
    assert reading == NerReading(MODEL, ((0, 17),), ((8, 16, "GPE"),))
    assert [(m.start, m.end, m.name, m.source) for m in mentions] == [
        (8, 16, "New York", "gazetteer+ner"), (18, 26, "New York", "gazetteer+ner")]


def test_read_with_nothing_ambiguous_runs_no_model(auto):
    mentions, reading = auto.read("Officials in Kyiv said Russian-controlled Donetsk was shelled.")
    assert reading == NerReading(MODEL, (), ())
    assert _spans(mentions) == [(13, 17, "Kyiv"), (42, 49, "Donetsk")]
    assert auto.read("") == ([], None)


def test_read_all_reads_every_sentence(gazetteer):
    rec = Recognizer(gazetteer, ner="all")
    mentions, reading = rec.read("Kyiv is big. Lviv is not.")
    assert reading == NerReading(MODEL, ((0, 12), (13, 25)), ((13, 17, "GPE"),))
    assert _spans(mentions) == [(0, 4, "Kyiv"), (13, 17, "Lviv")]


def test_entities_given_replace_the_model(off):
    text = "He left New York. New York is big."
    mentions, reading = off.read(text, entities=[(8, 16, "GPE")])
    assert reading == NerReading(MODEL, ((0, len(text)),), ((8, 16, "GPE"),))
    assert [(m.start, m.end, m.source) for m in mentions] == [(8, 16, "gazetteer+ner")]
    # a longer PERSON over a sure country vetoes nothing: countries are never vetoed
    text = "Michael Jordan visited Jordan."
    assert _spans(off.recognize(text, entities=[(0, 14, "PERSON"), (23, 29, "GPE")])) == [
        (23, 29, "Jordan")]
    # a GPE/LOC entity the gazetteer did not propose is added as an NER mention
    mentions = off.recognize("Flooding hit the Sahel and Timbuktu.",
                             entities=[(13, 22, "LOC")])
    # (Timbuktu, a rare name listed with a sure place, needs no NER either)
    assert [(m.start, m.end, m.name, m.source, m.label) for m in mentions] == [
        (17, 22, "Sahel", "gazetteer", "region"), (27, 35, "Timbuktu", "gazetteer", "city")]


def test_unknown_ner_mode_is_a_configuration_error(gazetteer):
    with pytest.raises(ConfigurationError, match="ner must be one of auto, all, off, got 'some'"):
        Recognizer(gazetteer, ner="some")


# --------------------------------------------------------------------------- place cues (issue 12)


def _cue_examples():
    import csv

    from geokit.geoparse._recognize import _CUES_FILE

    with _CUES_FILE.open(encoding="utf-8", newline="") as fh:
        return [(r["cue"], r["example"]) for r in csv.DictReader(fh)]


@pytest.mark.parametrize(("cue", "example"), _cue_examples())
def test_place_cue_example_is_recognised_without_ner(off, cue, example):
    # Each cue's example: the bracketed name is a toponym with NER off.
    name = example[example.index("[") + 1:example.index("]")]
    text = example.replace("[", "").replace("]", "")
    assert cue in text.lower().split() or cue in text.lower()
    assert name in [m.name for m in off.recognize(text)]


def test_place_cues_need_the_cue_and_a_rare_name(off):
    assert off.recognize("Avdiivka was quiet.") == []  # no cue: left to NER
    assert off.recognize("The army of Jackson marched.") == []  # a common surname


def test_bad_place_cues_file_names_it(tmp_path):
    from geokit.geoparse._recognize import load_place_cues

    bad = tmp_path / "cues.csv"
    bad.write_text("cue,side,example\nof,middle,x\n", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="cues.csv, line 2"):
        load_place_cues(bad)
    with pytest.raises(ConfigurationError, match="cannot read place cues"):
        load_place_cues(tmp_path / "missing.csv")


@pytest.mark.parametrize(("text", "names"), [
    ("Turkish drones hit Zakho and Duhok.", ["Turkish", "Zakho", "Duhok"]),  # listed with a place
    ("U.S. forces struck Iran-backed militias near Deir ez-Zor.",
     ["U.S.", "Iran", "Deir ez-Zor"]),  # compound head; Arabic article
    ("A Saudi-led coalition struck.", []),  # a demonym before "-led"
    ("A suicide car bomb exploded near a U.N. camp in Gao.", ["Gao"]),  # three rare letters
    ("North Korea sent troops to Russia's Kursk region.", ["North Korea", "Russia", "Kursk"]),
    ("The U.S.-backed Syrian Democratic Forces captured Raqqa.", ["U.S.", "Raqqa"]),
])
def test_conflict_names_without_ner(off, text, names):
    assert [m.name for m in off.recognize(text) if m.kind != "demonym" or m.name == "Turkish"
            ] == names


def test_a_two_word_cue_needs_both_words(off):
    # "strike on" vouches for a mid-sized city NER might read as a person; "on" alone not
    assert "Khan Younis" in [m.name for m in off.recognize(
        "An Israeli air strike on Khan Younis killed ten.")]
    assert "Khan Younis" not in [m.name for m in off.recognize(
        "A report on Khan Younis was published.")]


@pytest.mark.parametrize(("text", "name"), [
    # a saint's house names a building, not the saint's town or county
    ("Gunmen abducted 303 pupils from St. Mary's Catholic school in Papiri on Friday.", "St. Mary"),
    ("A bomb hit St. Peter's Church in Cairo.", "St. Peter"),
    ("Gunmen attacked St Joseph's Hospital in Kaduna.", "St Joseph"),
])
def test_a_saints_school_church_or_hospital_is_no_place(auto, text, name):
    names = {m.name for m in auto.recognize(text)}
    assert not any(n.startswith(name) for n in names), names


@pytest.mark.parametrize(("text", "name"), [
    ("Protesters gathered in St. Petersburg on Sunday.", "St. Petersburg"),
    ("Fighting spread to St. Louis, Senegal.", "St. Louis"),
])
def test_a_saints_town_stays_a_place(auto, text, name):
    assert name in {m.name for m in auto.recognize(text)}


@pytest.mark.parametrize(("text", "name"), [
    # no possessive: the town's own institution; a big city keeps its possessive
    ("Patients were moved to a St. Louis hospital on Monday.", "St. Louis"),
    ("Doctors at St. Petersburg's Mariinsky Hospital treated the wounded.", "St. Petersburg"),
])
def test_a_saints_city_before_a_hospital_stays_a_place(auto, text, name):
    assert name in {m.name for m in auto.recognize(text)}
