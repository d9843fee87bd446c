"""The event lexicon converted from PETRARCH2/Phoenix: the converter and the loaded lists."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

import geokit
from geokit.events._lexicon import (
    AGENT_TYPES,
    LEXICON_CATEGORIES,
    _plurals,
    agent_id,
    agent_nouns,
    lexicon_verb_forms,
    lexicon_verbs,
    peoples,
)
from geokit.events.data import build_lexicon as bl

DATA = Path(bl.__file__).parent


def _data_rows(name: str) -> list[dict[str, str]]:
    """The rows of a data file, its comment lines aside."""
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def _refuses(monkeypatch, reader: str, rows: list[dict[str, str]], match: str, *,
             agents: dict[str, str] | None = None) -> None:
    """Assert that the table reader ``_lexicon.<reader>`` refuses ``rows`` as a file's rows."""
    from geokit.errors import ConfigurationError
    from geokit.events import _lexicon

    monkeypatch.setattr(_lexicon, "_rows", lambda name: rows)
    if agents is not None:  # the agents lexicon the rows are checked against
        monkeypatch.setattr(_lexicon, "agent_nouns", lambda: agents)
    read = getattr(_lexicon, reader)
    read.cache_clear()
    try:
        with pytest.raises(ConfigurationError, match=match):
            read()
    finally:
        monkeypatch.undo()
        read.cache_clear()


def _has_event_with(text: str, actor: str, role: str, *, category: str | None = None,
                    date: str | None = None) -> None:
    """Assert that an event of ``text`` (of ``category``, if given) has ``actor`` as ``role``."""
    events = geokit.extract(text, date=date).events
    assert any(actor in getattr(e, role) and category in (None, e.category) for e in events), (
        actor, [(e.category, e.source, e.target) for e in events])


CAMEO_SNIPPET = """\
&DEFENSE
+DEFENSE

####### VERB PATTERNS #######

---  KILL   [190]  ---
+SHOOT_DOWN {+SHOOTS_DOWN +SHOT_DOWN } # a comment
KIDNAP {KIDNAPS KIDNAPPED KIDNAPPING }  # OY 10 Mar 2006
STRANGLE  [180]  # SHAN   8/10/93
- * (IN ACCIDENT)                                     [---]         # KILL
- &WEAPON *                                           [194]         # KILL

---  ALERT   [---]  ---
ALERT  # OY 08 Mar 2006
- * &SECURITY (OVER {&WEAPON ATTACK})                 [151]         # ALERT
"""


@pytest.mark.parametrize(("code", "category"), [
    ("190", "ASSAULT"), ("1823", "ASSAULT"), ("200", "ASSAULT"), ("173", "COERCE"),
    ("141", "PROTEST"), ("084", "RETREAT"), ("087", "RETREAT"), ("081", "CONCEDE"),
    ("080", "CONCEDE"), ("036", "AGREE"), ("112", "ACCUSE"), ("154", "MOBILIZE"),
    ("010", ""), ("020", ""), ("---", ""), ("042:043", "CONSULT"),
])
def test_cameo_to_plover_follows_the_readme_table(code, category):
    assert bl.cameo_to_plover(code) == category


def test_parse_verbs_reads_forms_and_own_or_block_codes():
    rows = list(bl.parse_verbs(CAMEO_SNIPPET))
    assert rows == [
        ("shoot down", "shoots down shot down", "190", "kill"),
        ("kidnap", "kidnaps kidnapped kidnapping", "190", "kill"),
        ("strangle", "", "180", "kill"),  # its own code beats the block's
        ("alert", "", "---", "alert"),  # coded only by a pattern
    ]


def test_parse_patterns():
    assert list(bl.parse_patterns(CAMEO_SNIPPET)) == [
        ("kill", "* (IN ACCIDENT)", "---"), ("kill", "&WEAPON *", "194"),
        ("alert", "* &SECURITY (OVER {&WEAPON ATTACK})", "151")]


def test_parse_agents_expands_person_sets_and_skips_comments():
    text = ("!PERSON! = MAN, MEN, WOMAN, WOMEN\n# POSSE [~COP]\nPOLICE {} [~COP]\n"
            "POLICE!PERSON!  [~COP]\nGUNMAN [~UAF]  # note\nBUDDHIST_MONK [~BUD]\n")
    assert list(bl.parse_agents(text)) == [
        ("police", "COP"), ("policeman", "COP"), ("policewoman", "COP"),
        ("gunman", "UAF"), ("buddhist monk", "BUD")]


def test_parse_groups_collects_aliases():
    text = ("ADEN_ABYAN_ISLAMIC_ARMY_(AAIA)_ [YEMREB] #  kkl 21 Mar 13\n+ADEN_ISLAMIC_ARMY_\n"
            "+JAYSH_ADAN_\n\nANGRY_BRIGADE_ [ITAREB]\n")
    assert list(bl.parse_groups(text)) == [
        ("aden abyan islamic army (aaia)", ["aden islamic army", "jaysh adan"], "YEMREB"),
        ("angry brigade", [], "ITAREB")]


@pytest.mark.parametrize(("code", "kind"), [
    ("COP", "police"), ("MIL", "military"), ("GOVMIL", "military"), ("REB", "armed_group"),
    ("REBMUS", "armed_group"), ("UAF", "armed_group"), ("OPP", "protesters"),
    ("CVL", "civilians"), ("GOV", "government"), ("BUS", "company"), ("XYZ", "person"),
])
def test_agent_type(code, kind):
    assert bl.agent_type(code) == kind


def test_build_writes_the_files_and_the_notice(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "CAMEO.2.0.txt").write_text(CAMEO_SNIPPET, encoding="utf-8")
    (src / "Phoenix.agents.txt").write_text("GUNMAN [~UAF]\n", encoding="utf-8")
    (src / "Phoenix.MilNonState.actors.txt").write_text("ANGRY_BRIGADE_ [ITAREB]\n",
                                                        encoding="utf-8")
    (src / "LICENSE").write_text("The MIT License (MIT)\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    assert bl.build(src, out) == {"verbs": 4, "patterns": 3, "agents": 1, "groups": 1}
    assert (out / "PETRARCH2_LICENSE").read_text(encoding="utf-8").startswith("The MIT")
    rows = list(csv.DictReader((out / "cameo_verbs.csv").open(encoding="utf-8")))
    assert {"verb": "kidnap", "forms": "kidnaps kidnapped kidnapping", "cameo": "190",
            "plover": "ASSAULT", "block": "kill"} in rows
    assert not list(out.glob(".*tmp*"))  # written atomically, nothing left behind


def test_packaged_lexicon_keeps_the_notice_and_its_size():
    assert "MIT License" in (DATA / "PETRARCH2_LICENSE").read_text(encoding="utf-8")
    verbs = list(csv.DictReader((DATA / "cameo_verbs.csv").open(encoding="utf-8")))
    assert len(verbs) > 1500 and {r["plover"] for r in verbs} >= {"ASSAULT", "AGREE", ""}
    groups = list(csv.DictReader((DATA / "armed_groups.csv").open(encoding="utf-8")))
    assert len(groups) > 900


@pytest.mark.parametrize(("noun", "kind"), [
    ("police", "police"), ("policemen", "police"), ("gunmen", "armed_group"),
    ("gunman", "armed_group"), ("militants", "armed_group"), ("rebels", "armed_group"),
    ("protesters", "protesters"), ("civilians", "civilians"),
])
def test_agent_nouns(noun, kind):
    assert agent_nouns()[noun] == kind


def test_agent_nouns_keep_only_conflict_types():
    assert set(agent_nouns().values()) <= set(AGENT_TYPES)
    # victims such as farmers are civilians; reporters and traders are no party to a clash
    assert agent_nouns()["farmers"] == "civilians"
    assert "journalist" not in agent_nouns() and "businessman" not in agent_nouns()
    assert "soldiers" not in agent_nouns() and "military" not in agent_nouns()


@pytest.mark.parametrize(("verb", "category"), [
    ("kidnap", "ASSAULT"), ("abduct", "ASSAULT"), ("behead", "ASSAULT"),
    ("ambush", "ASSAULT"), ("massacre", "ASSAULT"), ("detain", "COERCE"),
    ("arrest", "COERCE"), ("demonstrate", "PROTEST"), ("riot", "PROTEST"),
])
def test_lexicon_verbs(verb, category):
    assert lexicon_verbs()[verb][0] == category


def test_lexicon_verbs_only_conflict_categories_and_forms():
    assert {c for c, _ in lexicon_verbs().values()} <= set(LEXICON_CATEGORIES)
    assert "visit" not in lexicon_verbs() and "sign" not in lexicon_verbs()
    forms = lexicon_verb_forms()
    assert forms["kidnapped"] == "kidnap" and forms["shot"] == "shoot"


def test_excluded_verbs_are_no_triggers():
    rows = list(csv.DictReader(line for line in (DATA / "lexicon_exclude.csv").open(
        encoding="utf-8") if not line.startswith("#")))
    assert len(rows) > 100 and all(r["why"] for r in rows)
    raw = {r["verb"] for r in csv.DictReader((DATA / "cameo_verbs.csv").open(encoding="utf-8"))}
    for r in rows:
        assert r["verb"] in raw, r["verb"]  # each names a real lexicon verb
        assert r["verb"] not in lexicon_verbs(), r["verb"]


def test_agents_exclude_places_and_buildings():
    rows = list(csv.DictReader(line for line in (DATA / "agents_exclude.csv").open(
        encoding="utf-8") if not line.startswith("#")))
    assert {"prison", "village", "settlement"} <= {r["noun"] for r in rows}
    for r in rows:
        assert r["noun"] not in agent_nouns(), r["noun"]
    assert "settlers" in agent_nouns()  # the people stay


@pytest.mark.parametrize(("text", "agent"), [
    ("Israeli forces raided the Jenin refugee camp on Tuesday.", "agent:refugee"),
    ("Kenyan police shot dead at least 31 people during protests on Monday marking the "
     "anniversary of the 1990 Saba Saba pro-democracy uprising, the state-funded Kenya "
     "National Commission on Human Rights said.", "agent:uprising"),
])
def test_an_excluded_phrase_is_no_actor(text, agent):
    assert agent not in {a.id for a in geokit.extract(text).actors}
    assert agent not in {i for e in geokit.extract(text).events for i in (*e.source, *e.target)}


# --------------------------------------------------------------------------- curated agents

EXTRA = _data_rows("agents_extra.csv")


@pytest.mark.parametrize("row", EXTRA, ids=[r["noun"] for r in EXTRA])
def test_each_curated_agent_is_the_target_of_its_example(row):
    want = agent_id(_plurals(row["noun"])[-1])
    events = geokit.extract(row["example"]).events
    assert any(want in e.target for e in events), (want, [(e.category, e.target)
                                                          for e in events])


# --------------------------------------------------------------------------- peoples

PEOPLES = _data_rows("peoples.csv")


@pytest.mark.parametrize("row", PEOPLES, ids=[r["word"] for r in PEOPLES])
def test_each_people_word_lets_the_agent_after_it_act_or_be_acted_on(row):
    text, word = row["example"], row["word"]
    noun = text[text.index(word) + len(word) + 1:].split()[0].strip(".,")
    want = agent_id(noun)
    events = geokit.extract(text).events
    assert any(want in (*e.source, *e.target) for e in events), (
        want, [(e.category, e.source, e.target) for e in events])


def test_peoples_rows_are_well_formed():
    assert {r["kind"] for r in PEOPLES} <= {"people", "faith", "creed"}
    assert len(peoples()) == len(PEOPLES)
    for r in PEOPLES:
        assert r["word"][0].isupper() and r["word"] in r["example"], r["word"]


def test_an_unknown_name_before_an_agent_noun_still_hides_it():
    # "Kurdish" qualifies the militants; "Haram" ends a name the table may not know
    doc = geokit.extract("Kurdish militants and Zorgon Haram fighters attacked a base near Duhok.")
    ids = {a.id for a in doc.actors}
    assert "agent:militants" in ids and "agent:fighters" not in ids


def test_the_issue_example_targets_the_militants_not_the_state_around_them():
    doc = geokit.extract("Turkish warplanes struck Kurdish militant positions near Duhok "
                         "in northern Iraq.")
    [e] = [e for e in doc.events if e.category == "ASSAULT"]
    assert e.source == ("mil:TUR",) and e.target == ("agent:militants",)


# --------------------------------------------------------------------------- home bodies

HOME_BODIES = _data_rows("home_bodies.csv")


@pytest.mark.parametrize("row", HOME_BODIES, ids=[r["phrase"] for r in HOME_BODIES])
def test_each_bare_state_body_is_the_storys_state(row):
    _has_event_with(row["example"], row["expect"], "source")


def test_a_bare_state_body_is_a_plain_word_its_example_uses_without_article():
    bare = [r for r in HOME_BODIES if r["bare"] == "yes"]
    assert bare and all(r["bare"] in ("", "yes") for r in HOME_BODIES)
    for r in bare:
        assert re.fullmatch(r"[a-z]+", r["phrase"]), r["phrase"]
        assert re.search(rf"(?<!the )(?<!a )\b{r['phrase']}\b", r["example"], re.I), r
    # without the mark an article is needed
    events = geokit.extract("Police fired tear gas at protesters in Lome on Thursday. "
                            "Government banned all demonstrations on Friday.").events
    assert not any("state:TGO" in e.source for e in events)


# --------------------------------------------------------------------------- event nouns

EVENT_NOUNS = _data_rows("event_nouns.csv")


@pytest.mark.parametrize("row", EVENT_NOUNS, ids=[r["nouns"].split("|")[0] for r in EVENT_NOUNS])
def test_a_statement_about_the_event_noun_targets_that_events_doer(row):
    _has_event_with(row["example"], row["expect"], "target", date="2024-06-20")


def test_event_noun_rows_are_well_formed():
    from geokit.events._events import CATEGORIES  # noqa: PLC0415

    for r in EVENT_NOUNS:
        cats = r["categories"].split("|")
        assert cats == ["*"] or set(cats) <= set(CATEGORIES), r["nouns"]


def test_curated_agents_are_well_formed():
    nouns = agent_nouns()
    for r in EXTRA:
        assert r["type"] in AGENT_TYPES, r["noun"]
        assert r["noun"] in nouns, r["noun"]
        assert not r["same_as"] or r["same_as"] in nouns, r["noun"]


def test_the_head_noun_names_the_agent():
    # a lexicon noun whose last word is an agent noun: that word's id
    assert agent_id("Armed gangs") == "agent:gangs"
    assert agent_id("riot police") == "agent:police"
    # its last word is no agent noun: the whole noun
    assert agent_id("suicide bombers") == "agent:suicide-bombers"
    # a synonym, singular and plural
    assert (agent_id("demonstrator"), agent_id("Demonstrators")) == (
        "agent:protester", "agent:protesters")


def test_a_reference_row_of_an_unknown_kind_is_a_configuration_error(monkeypatch):
    from geokit.errors import ConfigurationError, GeokitError  # noqa: PLC0415
    from geokit.events import _lexicon  # noqa: PLC0415

    bad = [{"word": "it", "kind": "adverb", "types": "", "example": "", "expect": ""}]
    monkeypatch.setattr(_lexicon, "_rows", lambda name: bad)
    _lexicon.references.cache_clear()
    try:
        with pytest.raises(ConfigurationError, match="kind 'adverb' of 'it'") as err:
            _lexicon.references()
        assert isinstance(err.value, GeokitError)
    finally:
        monkeypatch.undo()
        _lexicon.references.cache_clear()


# --------------------------------------------------------------------------- protest nouns

PROTEST_NOUNS = _data_rows("protest_nouns.csv")


@pytest.mark.parametrize("row", PROTEST_NOUNS,
                         ids=[r["forms"].split("|")[0] for r in PROTEST_NOUNS])
def test_each_protest_noun_is_a_protest_by_its_crowd(row):
    # no one is named in the examples: the noun stands for its crowd
    events = geokit.extract(row["example"]).events
    protests = [e for e in events if e.category == "PROTEST" and e.subtype == row["subtype"]]
    assert protests, [(e.category, e.subtype, e.source) for e in events]
    assert all(e.place is not None for e in protests), row["example"]
    assert protests[0].source == (agent_id(row["crowd"]),), protests


def test_protest_noun_rows_are_well_formed():
    from geokit.events._lexicon import protest_nouns  # noqa: PLC0415

    nouns = agent_nouns()
    for r in PROTEST_NOUNS:
        assert r["crowd"] in nouns, r["forms"]
        assert all(f == f.lower() for f in r["forms"].split("|")), r["forms"]
        assert any(f in r["example"].lower() for f in r["forms"].split("|")), r["forms"]
    assert set(protest_nouns()) == {f for r in PROTEST_NOUNS for f in r["forms"].split("|")}


@pytest.mark.parametrize(("text", "source"), [
    ("Thousands joined three days of demonstrations against President Faure Gnassingbe "
     "in Lome.", "agent:protesters"),
    ("Unions called a new day of nationwide strikes and protests in Paris for next Tuesday.",
     "agent:unions"),
    ("A strike by taxi drivers paralysed Luanda on Monday.", "agent:workers"),
    ("China lodged a protest with Japan over the visit.", "state:CHN"),
])
def test_who_holds_a_protest_noun(text, source):
    [e] = [e for e in geokit.extract(text).events if e.category == "PROTEST"]
    assert e.source == (source,)


def test_the_noun_against_someone_targets_them():
    doc = geokit.extract("Thousands joined three days of demonstrations against President "
                         "Faure Gnassingbe in Lome.")
    [e] = [e for e in doc.events if e.category == "PROTEST"]
    assert e.target == ("person:faure-gnassingbe",) and e.place.name == "Lomé"


@pytest.mark.parametrize("text", [
    "An Israeli air strike hit Gaza in March.",
    "A drone strike by the army killed three nurses in Gaza.",
    "On 17 September France recalled its ambassador to Australia in protest.",
    "Chief Executive Carrie Lam condemned the march as an organised riot.",
    "Protesters marched in Dhaka in March.",
])
def test_protest_nouns_in_other_senses_are_no_protest(text):
    # a motive ("in protest"), a description ("as a riot"), the month and a
    # strike from the air are no protest of their own; the march itself is
    events = geokit.extract(text).events
    protests = [e for e in events if e.category == "PROTEST"]
    assert all(e.subtype == "demonstration" for e in protests), protests
    assert len(protests) == (1 if re.search(r"\bmarch", text) else 0), [
        (e.category, e.subtype, e.evidence.text) for e in events]


# --------------------------------------------------------------------------- accusing words

ACCUSING = _data_rows("accusing_words.csv")


@pytest.mark.parametrize("row", ACCUSING, ids=[r["word"] for r in ACCUSING])
def test_each_accusing_word_makes_naming_an_accusation(row):
    assert row["word"] in row["example"].lower(), row
    events = geokit.extract(row["example"]).events
    assert any(e.category == "ACCUSE" for e in events), [(e.category, e.source) for e in events]


# --------------------------------------------------------------------------- accused deeds

ACCUSED = _data_rows("accused_deeds.csv")


@pytest.mark.parametrize("row", ACCUSED, ids=[r["phrase"] for r in ACCUSED])
def test_each_deed_a_party_is_accused_of_is_an_alleged_event_of_the_accused(row):
    assert row["phrase"] in row["example"].lower(), row
    doc = geokit.extract(row["example"])
    [accused] = [e.target for e in doc.events if e.category == "ACCUSE"]
    deeds = [e for e in doc.events if e.category == row["category"]]
    assert deeds and all(e.status == "speculated" and e.source == accused[:1] and (
        e.subtype == (row["subtype"] or None)) for e in deeds), [
        (e.category, e.subtype, e.source, e.status) for e in doc.events]


def test_an_accused_deed_that_is_no_deed_is_refused(monkeypatch):
    _refuses(monkeypatch, "accused_deeds", [{"phrase": "lies", "category": "ACCUSE",
                                            "subtype": "", "example": ""}],
             r"accused_deeds\.csv, 'lies'.*ASSAULT or COERCE")


@pytest.mark.parametrize("text", [
    # a deed already reported, blamed on someone: the blame is the only event
    "Gunmen killed 20 villagers in Zamfara. Police blamed the bandits for the killings.",
    # not an accusation's phrase
    "The court heard evidence of torture.",
    "Rwanda denied that its troops had committed abuses.",
])
def test_a_deed_noun_outside_an_accusation_or_referring_back_is_no_alleged_deed(text):
    assert not [e for e in geokit.extract(text).events if e.status == "speculated"]


@pytest.mark.parametrize("text", [
    "Kyiv called the attack a success.",  # the object is no name: nothing accused
    "Moscow described the talks as useful.",
    "Israel called the ceasefire a breakthrough.",
])
def test_naming_without_an_accusing_word_is_no_accusation(text):
    assert not any(e.category == "ACCUSE" for e in geokit.extract(text).events)


def test_the_name_given_is_no_target():
    doc = geokit.extract("Rioters attacked police in Ballymena. Police described the disorder "
                         "as racist thuggery.")
    [e] = [e for e in doc.events if e.category == "ACCUSE"]
    assert (e.source, e.target) == (("agent:police",), ("agent:rioters",))


# --------------------------------------------------------------------------- casualty words

CASUALTY_WORDS = _data_rows("casualty_words.csv")


@pytest.mark.parametrize("row", CASUALTY_WORDS, ids=[r["word"] for r in CASUALTY_WORDS])
def test_counted_forces_beside_a_casualty_word_are_the_storys_forces(row):
    _has_event_with(row["example"], row["expect"], "target")


def test_casualty_rows_are_well_formed():
    assert CASUALTY_WORDS
    for r in CASUALTY_WORDS:
        assert re.fullmatch(r"[a-z]+", r["word"]) and r["word"] in r["example"] or any(
            f in r["example"] for f in r["before"].split("|") if f), r
        assert r["expect"].startswith("mil:"), r


@pytest.mark.parametrize("text", [
    "Nigeria sent 5,000 troops to Maiduguri in Borno state on Monday.",
    "The army deployed 300 soldiers to Maiduguri in Nigeria after the attack.",
])
def test_counted_forces_elsewhere_stay_cargo(text):
    events = geokit.extract(text).events
    assert events and not any("mil:NGA" in e.target for e in events), [
        (e.category, e.source, e.target) for e in events]


# --------------------------------------------------------------------------- force sites

FORCE_SITES = _data_rows("force_sites.csv")


@pytest.mark.parametrize("row", FORCE_SITES, ids=[r["noun"] for r in FORCE_SITES])
def test_a_bare_army_site_attacked_targets_the_storys_forces(row):
    assert re.search(rf"\b(?:army|military) {row['noun']}", row["example"]), row
    _has_event_with(row["example"], row["expect"], "target", category="ASSAULT")


@pytest.mark.parametrize(("text", "target"), [
    # an owner names whose forces they are
    ("Israeli jets struck a Syrian army base near Damascus.", "mil:SYR"),
    ("Drones struck a Russian military base near Latakia in Syria.", "mil:RUS"),
])
def test_an_owned_army_site_is_its_owners(text, target):
    events = [e for e in geokit.extract(text).events if e.category == "ASSAULT"]
    assert events and all(target in e.target for e in events), [
        (e.source, e.target) for e in events]
    assert not any("mil:SYR" in e.target and target != "mil:SYR" for e in events)


# --------------------------------------------------------------------------- U.N. missions

UN_MISSIONS = _data_rows("un_missions.csv")


@pytest.mark.parametrize("row", UN_MISSIONS, ids=[r["country"] for r in UN_MISSIONS])
def test_un_peacekeepers_in_a_host_country_are_its_mission(row):
    ids = {a.id for a in geokit.extract(row["example"]).actors}
    assert row["actor"] in ids and "org:un" not in ids, ids


def test_un_missions_are_actors_of_the_table():
    from geokit.events._actors import ActorTable  # noqa: PLC0415

    table = ActorTable.default()
    assert all(table.get(r["actor"]) is not None for r in UN_MISSIONS)


def test_the_un_itself_stays_the_un():
    ids = {a.id for a in geokit.extract(
        "The U.N. Security Council condemned the attack on Naqoura in southern Lebanon.").actors}
    assert "org:un" in ids and "org:unifil" not in ids


# --------------------------------------------------------------------------- nationals

NATIONALS = _data_rows("nationals.csv")


@pytest.mark.parametrize("row", NATIONALS, ids=[r["noun"] for r in NATIONALS])
def test_a_demonym_before_a_people_noun_names_those_people_not_the_state(row):
    assert re.search(rf"\b[A-Z][a-z]+ {row['noun']}\b", row["example"]), row
    _has_event_with(row["example"], row["expect"], "target")
    doc = geokit.extract(row["example"])
    people = next(a for a in doc.actors if a.id == row["expect"])
    assert people.type == "civilians" and people.country, people
    # the people's state is no party to what was done to them
    assert not any(f"state:{people.country}" in e.target for e in doc.events), doc.events


def test_a_nationals_noun_may_not_be_an_agent_noun_too(monkeypatch):
    _refuses(monkeypatch, "nationals", [{"noun": "police"}, {"noun": "men"}],
             "police already in the agents lexicon", agents={"police": "police"})


def test_a_capitalised_people_word_is_part_of_a_name():
    doc = geokit.extract("The Chinese Men's Team beat Japan in Tokyo on Sunday.")
    assert not any(a.id.startswith("agent:chinese") for a in doc.actors)


# --------------------------------------------------------------------------- aboard

ABOARD = _data_rows("aboard.csv")


@pytest.mark.parametrize("row", ABOARD, ids=[r["thing"] for r in ABOARD])
def test_an_attack_on_a_thing_with_people_aboard_targets_them_when_named(row):
    assert re.search(rf"\b{row['thing']}\b", row["example"]), row
    _has_event_with(row["example"], row["expect"], "target")  # an attack or a seizure


@pytest.mark.parametrize("text", [
    # nobody aboard named: the target stays unknown, no one is invented
    "The Houthis struck an oil tanker in the Red Sea on Friday.",
    "Gunmen attacked a bus near Quetta on Friday.",
])
def test_an_attack_on_a_thing_names_no_one_the_story_does_not(text):
    [e] = [e for e in geokit.extract(text).events if e.category == "ASSAULT"]
    assert e.target == (), e


def test_aboard_people_must_be_agent_nouns(monkeypatch):
    _refuses(monkeypatch, "aboard", [{"thing": "ship", "people": "crew|deckhand"}],
             "'ship': deckhand not in the agents", agents={"crew": "civilians"})


@pytest.mark.parametrize(("text", "name"), [
    ("The Houthis sank the bulk carrier Eternity C in the Red Sea.", "eternity"),
    ("The Houthis seized a cargo ship, the Galaxy Leader, in the Red Sea.", "galaxy"),
])
def test_a_ships_name_is_no_actor(text, name):
    ids = {a.id for a in geokit.extract(text).actors}
    assert not any(name in i for i in ids), ids


def test_an_airlines_name_after_carrier_is_still_an_actor():
    [e] = geokit.extract("The European Union sanctioned national carrier Aeroflot on "
                         "Monday.").events
    assert e.target == ("org:aeroflot",), e


def test_a_plural_phoenix_files_as_military_is_no_generic_agent():
    # "armed force" (UAF, no one's) makes "armed forces", which Phoenix files as MIL:
    # a state's forces, left to the force nouns
    assert "armed force" in agent_nouns() and "armed forces" not in agent_nouns()


# --------------------------------------------------------------------------- state sites

STATE_SITES = _data_rows("state_sites.csv")


@pytest.mark.parametrize("row", STATE_SITES, ids=[f"{r['modifier']} {r['head']}".strip()
                                                  for r in STATE_SITES])
def test_a_deed_at_a_seat_of_state_targets_that_state(row):
    assert re.search(rf"\b{row['modifier']}\s*{row['head']}", row["example"], re.I) or (
        row["modifier"] == "governor"), row
    _has_event_with(row["example"], row["expect"], "target")


@pytest.mark.parametrize("text", [
    # a hotel's or a market's people are hit, not the state (the ground rule's exception)
    "Al Shabaab fighters stormed a hotel in Kismayo in Somalia on Friday.",
    # an embassy is its owner's, and none is named: not the host's
    "Protesters attacked an embassy in Niamey in Niger on Sunday.",
    # a building with no qualifier is no seat of state
    "Protesters set fire to a building in Kathmandu in Nepal on Tuesday.",
])
def test_a_deed_elsewhere_targets_no_state_by_its_site(text):
    events = [e for e in geokit.extract(text).events if e.category in ("ASSAULT", "PROTEST")]
    assert events and not any(i.startswith("state:") for e in events for i in e.target), [
        (e.category, e.target) for e in events]


def test_state_sites_owner_must_be_named_or_place(monkeypatch):
    _refuses(monkeypatch, "state_sites", [{"head": "palace", "modifier": "", "owner": "host"}],
             "owner must be 'named' or 'place'")
