"""Hand-built documents shaped like ``geokit.extract`` output, for the map tests.

They stand in for the extractor so that the map layers can be tested on
their own: the counts the browser tests compare with the page come from the
pure aggregation functions run on these same documents.
"""

from __future__ import annotations

from geokit import Actor, Document, Event, Evidence, Mention, Place, Relation, Toponym

PLACES = {
    "North Korea": Place("North Korea", 40.0, 127.0, "PRK", feature="country", key="gn:1873107"),
    "Donetsk": Place("Donetsk", 48.023, 37.8022, "UKR", "Donetsk Oblast", key="gn:709717"),
    "Moscow": Place("Moscow", 55.7522, 37.6156, "RUS", feature="capital", key="gn:524901"),
    "Pyongyang": Place("Pyongyang", 39.0339, 125.7543, "PRK", feature="capital",
                       key="gn:1871859"),
    "Tehran": Place("Tehran", 35.6944, 51.4215, "IRN", feature="capital", key="gn:112931"),
    "Damascus": Place("Damascus", 33.5102, 36.2913, "SYR", feature="capital", key="gn:170654"),
    "Ukraine": Place("Ukraine", 49.0, 32.0, "UKR", feature="country", key="gn:690791"),
    "Latakia": Place("Latakia", 35.5317, 35.7918, "SYR", key="gn:173576"),
}
CAPITALS = {"RUS": PLACES["Moscow"], "PRK": PLACES["Pyongyang"], "IRN": PLACES["Tehran"],
            "SYR": PLACES["Damascus"]}

SEED_TEXT = (
    "North Korea is set to send engineering troops to Donetsk in July 2024. "
    "Putin and Kim signed a defence pact in Pyongyang on June 19, 2024. "
    "Pyongyang will send up to half of its 10 engineering brigades to Ukraine. "
    "Iran has supplied drones to Russia, and Tehran denies it. "
    "Moscow and Damascus renewed their partnership. "
    "Russian troops deployed from Moscow to Latakia in 2015. "
    "Moscow, Moscow and Moscow again."
)


def _sentence(text: str, needle: str) -> Evidence:
    start = text.index(needle)
    left = text.rfind(". ", 0, start)
    left = 0 if left < 0 else left + 2
    right = text.index(".", start) + 1
    return Evidence(text[left:right], left, right)


def _toponyms(text: str, names: list[str]) -> tuple[Toponym, ...]:
    out, pos = [], {}
    for name in names:
        start = text.index(name, pos.get(name, 0))
        pos[name] = start + len(name)
        out.append(Toponym(Mention(start, start + len(name), name), PLACES[name], score=0.9))
    return tuple(sorted(out, key=lambda t: t.mention.start))


def _actors() -> tuple[Actor, ...]:
    return (Actor("state:PRK", "North Korea", "state", "PRK"),
            Actor("state:RUS", "Russia", "state", "RUS"),
            Actor("state:IRN", "Iran", "state", "IRN"),
            Actor("state:SYR", "Syria", "state", "SYR"),
            Actor("person:vladimir-putin", "Vladimir Putin", "leader", "RUS"))


def seeds_document(doc_id: str = "seed-1", text: str = SEED_TEXT) -> Document:
    """One article with every layer's material (places, 2 arrows, 3 links, dated/undated)."""
    ev = lambda needle: _sentence(text, needle)  # noqa: E731
    events = (
        Event(f"{doc_id}:e1", "MOBILIZE", "deploy_troops", ("state:PRK",), ("state:RUS",),
              PLACES["Donetsk"], PLACES["North Korea"], 3, "2024-07", "July 2024", "planned",
              ev("engineering troops to Donetsk"), 0.9),
        Event(f"{doc_id}:e2", "AGREE", "defence_pact", ("person:vladimir-putin",),
              ("state:PRK",), PLACES["Pyongyang"], None, 3, "2024-06-19", "June 19",
              "happened", ev("defence pact"), 0.9),
        Event(f"{doc_id}:e3", "AID", "arms_transfer", ("state:IRN",), ("state:RUS",),
              PLACES["Moscow"], None, 3, None, None, "happened", ev("supplied drones"), 0.7),
        Event(f"{doc_id}:e4", "MOBILIZE", "deploy_troops", ("state:RUS",), ("state:SYR",),
              PLACES["Latakia"], PLACES["Moscow"], 3, "2015", "2015", "happened",
              ev("deployed from Moscow"), 0.8),
    )
    relations = (
        Relation("state:RUS", "state:PRK", "alliance", 2, (f"{doc_id}:e2",),
                 (ev("defence pact").text,)),
        Relation("state:IRN", "state:RUS", "arms_supply", 1, (f"{doc_id}:e3",),
                 (ev("supplied drones").text,)),
        Relation("state:RUS", "state:SYR", "partnership", 1, (),
                 (ev("renewed their partnership").text,)),
    )
    names = ["North Korea", "Donetsk", "Pyongyang", "Pyongyang", "Ukraine", "Tehran", "Moscow",
             "Damascus", "Moscow", "Latakia", "Moscow", "Moscow", "Moscow"]
    return Document(doc_id, text, _toponyms(text, names), _actors(), events, relations,
                    date="2024-06-25", meta={"url": "https://example.org/news/1"})


def places_only_document(doc_id: str = "geo-1") -> Document:
    """What ``geoparse`` gives: places, no actors, events or relations."""
    text = "Talks in Tehran and Damascus; Tehran again."
    return Document(doc_id, text, _toponyms(text, ["Tehran", "Damascus", "Tehran"]))


XSS_SCRIPT = "<script>window.__xss = 1</script>"
XSS_IMG = "<img src=x onerror=\"window.__xss = 2\">"
XSS_SVG = "\"'><svg onload=\"window.__xss = 3\">"


def hostile_document(doc_id: str = "<b>evil</b>\"'") -> Document:
    """An article whose text tries to inject markup next to a real place name."""
    text = (f"Troops gathered near Donetsk {XSS_SCRIPT} today. "
            f"Officials in Moscow {XSS_IMG} said. "
            f"A statement from Tehran {XSS_SVG} followed.")
    places = _toponyms(text, ["Donetsk", "Moscow", "Tehran"])
    e1 = _sentence(text, "Donetsk")
    events = (Event("x:e1", "MOBILIZE", f"deploy_troops{XSS_IMG}", ("state:RUS",), (),
                    PLACES["Donetsk"], PLACES["Moscow"], 3, "2024-01-01", None, "planned",
                    e1, 0.5,
                    # article words naming a place the index lacks reach the labels too
                    Mention(0, 6, f"Troops{XSS_SVG}", source="place-noun")),)
    relations = (Relation("state:RUS", "state:IRN", "alliance", 1, (), (text,)),)
    actors = (Actor("state:RUS", f"Russia{XSS_SCRIPT}", "state", "RUS"),
              Actor("state:IRN", "Iran", "state", "IRN"))
    return Document(doc_id, text, places, actors, events, relations,
                    meta={"url": "javascript:window.__xss=4"})


def capitals(iso3: str) -> Place | None:
    """A capital lookup that needs no gazetteer."""
    return CAPITALS.get(iso3)
