"""Toponym recognition: gazetteer n-gram matching, case rules and selective NER.

The recogniser proposes every capitalised token run whose normalised form is a
gazetteer name (longest first), then sorts the proposals into *sure* ones
(countries, regions, demonyms, capitals, big cities under their own names) and
*ambiguous* ones (names that are also common English words, that sit inside a
longer proper name such as "TV Chosun" or "Paris Hilton", or that name only a
small place). Only sentences holding an ambiguous proposal are given to the
spaCy NER model, which confirms (GPE, LOC, FAC, NORP) or rejects (PERSON, ORG,
...) them. Running NER on a few sentences instead of the whole text is what
keeps geoparsing several times faster than a plain spaCy pipeline, while the
model still vetoes person and organisation names.

Why not an Aho-Corasick automaton (pyahocorasick) over the 670,000 gazetteer
keys: it takes 1.4 GB and 2 s to load, where a set of the keys takes 0.18 GB
and 0.6 s; matches must start and end on token boundaries anyway, so looking
up the token n-grams in a set finds the same spans.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from geokit.errors import ConfigurationError
from geokit.gazetteer._normalize import normalize_name, translit_key
from geokit.gazetteer._rank import ADMIN_HEADS
from geokit.geoparse._nlp import MODEL, Request, Steps, run_steps
from geokit.models import Mention, NerReading

__all__ = ["NER_MODES", "Proposal", "Recognizer", "ner_windows", "sentence_bounds"]

#: Values of the ``ner`` option: ``auto`` runs the model on sentences with
#: ambiguous names only, ``all`` on every sentence, ``off`` never.
NER_MODES = ("auto", "all", "off")

_MAX_TOKENS = 8

# A token: letters/digits with inner dots or apostrophes ("U.S.", "W.Va.",
# "People's"), a trailing dot kept for abbreviations ("Calif.").
_TOKEN = re.compile(r"[^\W_]+(?:[.'\u2019\-][^\W_]+)*\.?", re.UNICODE)
_POSSESSIVE = re.compile(r"['\u2019]s$", re.IGNORECASE)
# Lower-case words allowed inside a multi-word name.
_CONNECTORS = frozenset(
    "of the and on upon de del della der des di du da do dos das la le les el al am an au "
    "sur y en im bin".split()
)
# Words before a name that make it a person's ("Mr. Jackson", "President Lincoln").
_TITLES = frozenset(
    "mr mrs ms miss dr prof president vice sen senator rep gov governor minister premier "
    "king queen prince princess lord lady sir gen general col colonel lt capt captain maj "
    "major sgt pope rev father sister brother saint st judge justice mayor chancellor "
    "ambassador secretary chairman spokesman spokeswoman spokesperson coach".split()
)
_LOCATIVE = frozenset(
    "in at near from to into across outside inside around toward towards throughout via "
    "between through within".split()
)
# Compass words alone are directions or "the West" (the Western world), not
# Cameroon's West Region or Sri Lanka's Western Province.
_COMPASS = frozenset(
    "north south east west northern southern eastern western central northeast northwest "
    "southeast southwest midwest".split()
)
# Features sure enough to be taken without NER when named by their own name.
_SURE_FEATURES = frozenset(("country", "continent", "region", "sea", "demonym", "metonym"))
_SURE_CITY_POPULATION = 100_000
# Zipf frequency (wordfreq) at or above which a name is also a common English
# word ("Reading", "Mobile", "Focus"): 4.3 is about once per 50,000 words.
_COMMON_WORD_ZIPF = 4.3
# A common word naming only a town smaller than this is taken for the word,
# without asking NER, unless a preposition introduces it ("in Police").
_SMALL_COMMON_TOWN = 50_000
# A capitalised word hyphenated to a lower-case one ("Russian-controlled",
# "US-led") is an adjective before a name, never the first word of one.
_LOWER_COMPOUND = re.compile(r"-[a-z][^\W_]*$")
# A name rarer than this as an English word (zipf; "Kiev" 3.5, "Sherman" 3.9,
# "Jackson" 4.6) is no common word nor a usual English surname: in a place
# cue's position ("control of Avdiivka", "the Kherson region") the gazetteer
# is trusted over NER, which the small model reads as PERSON or ORG for most
# transliterated names.
_RARE_WORD_ZIPF = 3.6
_TRUSTED_POPULATION = 20_000
# Words a name found by its transliteration key may have ("Deir Ezzor").
_TRANSLIT_TOKENS = 3
# Prepositions that take places, not people ("from Putin", "to Biden" do).
_SPATIAL = frozenset("in into near across outside inside around toward towards throughout "
                     "within".split())
_translit_key = functools.lru_cache(maxsize=1 << 16)(translit_key)
_LIST_GAP = re.compile(r"^(?:,? (?:and|or) |, )$")
_CUES_FILE = Path(__file__).with_name("place_cues.csv")


def load_place_cues(path: Path = _CUES_FILE) -> tuple[frozenset[str], frozenset[str]]:
    """Read the place cues: lower-case words (or two words) before and after a place name.

    Parameters
    ----------
    path : Path
        CSV with ``cue,side,example`` rows; ``side`` is ``before`` or ``after``.

    Returns
    -------
    (before, after) : tuple of frozenset of str
    """
    sides: dict[str, set[str]] = {"before": set(), "after": set()}
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            for n, r in enumerate(csv.DictReader(fh), start=2):
                if r.get("side") not in sides or not (r.get("cue") or "").strip():
                    raise ConfigurationError(f"{path}, line {n}: need a cue and a side "
                                             f"(before or after), got {r!r}")
                sides[r["side"]].add(r["cue"].strip().lower())
    except OSError as exc:
        raise ConfigurationError(f"cannot read place cues {path}: {exc}") from exc
    return frozenset(sides["before"]), frozenset(sides["after"])


_CUES_BEFORE, _CUES_AFTER = load_place_cues()
_NER_VETO_LABELS = frozenset(("PERSON", "ORG", "WORK_OF_ART", "PRODUCT", "EVENT", "LAW"))
_SENT_END = re.compile(r"(?<=[.!?])([\"'\u201d\u2019)]*)\s+(?=[\"'\u201c\u2018(]*[A-Z0-9])")
# A full stop after these ends no sentence: titles before a name ("Gen. Smith",
# "St. Mary's"), months before a day ("Jan. 3"), and initials ("J. Smith").
_NO_END_BEFORE_NAME = frozenset({
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "capt", "cpt", "sgt", "cpl", "adm",
    "brig", "gov", "sen", "rep", "rev", "prof", "pres", "st", "mt", "ft", "sr", "jr", "hon",
    "messrs", "gens", "lieut", "cmdr", "supt", "insp"})
_NO_END_BEFORE_DAY = frozenset({"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
                                "oct", "nov", "dec", "no", "nos", "art", "para", "vol", "p", "pp"})
_WORD_BEFORE_STOP = re.compile(r"(?:^|[\s(\"'\u201c])([A-Za-z]+)\.$")
# A dotted acronym ("the U.S. Food and Drug Administration") ends one for the
# recogniser: its NER then reads the country apart from the agency, as GeoVirus
# tags it (lenient recall 0.936 with the cut, 0.930 without). For the parser
# (split_acronyms=False) it ends none before a capitalised word that rarely starts
# a sentence: "the U.N. Security Council", "U.S. President Joe Biden" must be
# parsed whole; "in the U.S. The president said" still ends at "U.S.".
_DOTTED_BEFORE_STOP = re.compile(r"(?:^|[\s(\"'\u201c])(?:[A-Za-z]\.)+[A-Za-z]\.$")
_NEXT_WORD = re.compile(r"\s*[\"'\u201c(]?([A-Za-z]+)")
_SENTENCE_STARTERS = frozenset(
    "the a an he she it they we i you this that these those there his her its their our my "
    "but and or so yet in on at for as after before when while if although though however "
    "meanwhile since during with by from to of also some many most no not one two three "
    "what who why how where officials police".split())


def _no_end(line: str, stop: int, next_char: str, *, split_acronyms: bool = True) -> bool:
    """Whether the full stop ending ``line[:stop]`` belongs to an abbreviation."""
    m = _WORD_BEFORE_STOP.search(line, max(0, stop - 12), stop)
    if m is None:
        if not split_acronyms and next_char.isupper() and _DOTTED_BEFORE_STOP.search(
                line, max(0, stop - 12), stop):
            nxt = _NEXT_WORD.match(line, stop)
            return nxt is not None and nxt[1].lower() not in _SENTENCE_STARTERS
        return False
    word = m[1]
    if len(word) == 1 and word.isupper():
        return next_char.isupper()  # "J. Smith" (and, the price, "Plan B. Then")
    low = word.lower()
    return (low in _NO_END_BEFORE_NAME and next_char.isupper()) or (
        low in _NO_END_BEFORE_DAY and next_char.isdigit())


class _Token(NamedTuple):
    """One word of the text (a named tuple: one per word, built in the hot loop)."""

    start: int
    end: int
    norm: str  # normalised token ("peoples")
    norm_end: str  # as the last token of a name ("people" for "People's")
    end_short: int  # end offset without a possessive
    cap: bool  # starts with an upper-case letter or a digit
    upper: bool  # all letters upper-case


@dataclass(frozen=True, slots=True)
class Proposal:
    """A candidate toponym span before the NER check.

    Attributes
    ----------
    mention : Mention
        The span, its kind and where it came from.
    key : str
        Normalised name looked up in the gazetteer.
    sure : bool
        Taken without asking NER.
    reason : str
        Why it is ambiguous, when it is.
    """

    mention: Mention
    key: str
    sure: bool
    reason: str = ""


@functools.lru_cache(maxsize=1 << 16)
def _word(word: str) -> tuple[str, str, int, bool, bool] | None:
    """Return (norm, norm as a name's last word, length without a possessive, cap, upper).

    Cached: a news text is mostly the same few thousand words, and normalising
    each occurrence was a fifth of the recogniser's time.
    """
    norm = normalize_name(word, drop_article=False)
    if not norm:
        return None
    short = _POSSESSIVE.search(word)
    if short:
        norm_end = normalize_name(word[: short.start()], drop_article=False)
        length = short.start()
    else:
        norm_end, length = norm, len(word)
    first = word[0]
    letters = [c for c in word if c.isalpha()]
    # "ez-Zor", "al-Asad", "el-Mandeb": an Arabic article before a capital.
    cap = first.isupper() or first.isdigit() or bool(_ARTICLE_CAP.match(word))
    return (norm, norm_end, length, cap,
            bool(letters) and all(c.isupper() for c in letters))


_ARTICLE_CAP = re.compile(r"^[a-z]{1,3}-[A-Z]")
# "Iran-backed", "Moscow-led": the place before a hyphenated lower-case word.
_HEAD_OF_COMPOUND = re.compile(r"^([^\W_]+(?:\.[^\W_]+)*\.?)-[a-z]+$")


def _tokens(text: str) -> list[_Token]:
    out = []
    for m in _TOKEN.finditer(text):
        word = m.group()
        s, e = m.span()
        head = _HEAD_OF_COMPOUND.match(word) if "-" in word else None
        if head is not None and word[0].isupper():
            word, e = head.group(1), s + len(head.group(1))
        info = _word(word)
        if info is None:
            continue
        norm, norm_end, length, cap, upper = info
        out.append(_Token(s, e, norm, norm_end, s + length, cap, upper))
    return out


def _joinable(text: str, a: _Token, b: _Token) -> bool:
    """Whether two tokens can belong to one name: only a space or hyphen between."""
    gap = text[a.end:b.start]
    return len(gap) <= 2 and all(c in " -\u2010\u2011\u2013" for c in gap) and "\n" not in gap


def sentence_bounds(text: str, *, split_acronyms: bool = True) -> list[tuple[int, int]]:
    r"""Split text into sentences (fast, model-free): geokit's one sentence splitter.

    A line break ends a sentence (headlines and bylines carry no full stop);
    within a line a sentence ends after ``.``, ``!`` or ``?`` and any closing
    quotes, before a capital, a digit or an opening quote. Ranges are trimmed
    of surrounding blanks. The recogniser clamps its NER windows to them and
    the event stage parses them.

    Parameters
    ----------
    text : str
    split_acronyms : bool, default True
        End a sentence at a dotted acronym before any capital ("U.S. President"),
        as the recogniser's NER wants; False for parsing: only before a word that
        often starts a sentence ("U.S. The").

    Returns
    -------
    list of (start, end)
        Character ranges in text order; ``[(0, len(text))]`` for a blank text.

    Examples
    --------
    >>> sentence_bounds("Kyiv is big. Lviv is not.")
    [(0, 12), (13, 25)]
    >>> len(sentence_bounds("He met U.S. President Biden.", split_acronyms=False))
    1
    >>> text = 'Troops to Donetsk\n"They left." Then Kyiv.'
    >>> [text[a:b] for a, b in sentence_bounds(text)]
    ['Troops to Donetsk', '"They left."', 'Then Kyiv.']
    """
    cuts = []
    start = 0
    for line in text.splitlines(keepends=True):
        s = start
        for m in _SENT_END.finditer(line):
            if line[m.start() - 1] == "." and _no_end(line, m.start(), line[m.end():m.end() + 1],
                                                      split_acronyms=split_acronyms):
                continue
            cuts.append((s, start + m.end(1)))
            s = start + m.end()
        cuts.append((s, start + len(line)))
        start += len(line)
    out = []
    for a, b in cuts:
        span = text[a:b]
        lo, hi = a + len(span) - len(span.lstrip()), a + len(span.rstrip())
        if hi > lo:
            out.append((lo, hi))
    return out or [(0, len(text))]


def _wordfreq() -> Any:
    from wordfreq import zipf_frequency

    # wordfreq tokenizes and looks up on every call; the recogniser asks about
    # the same few thousand keys across a corpus, so remember the answers.
    return functools.lru_cache(maxsize=65536)(zipf_frequency)


class Recognizer:
    """Finds toponym spans with the gazetteer's names (holds the name set).

    Parameters
    ----------
    gazetteer : Gazetteer
        The open index; its keys are read once into a set.
    ner : {"auto", "all", "off"}
        When to run the NER model (see :data:`NER_MODES`).
    ner_model : str
        spaCy pipeline used for NER.
    """

    def __init__(self, gazetteer: Any, *, ner: str = "auto",
                 ner_model: str = MODEL) -> None:
        if ner not in NER_MODES:
            raise ConfigurationError(f"ner must be one of {', '.join(NER_MODES)}, got {ner!r}")
        self.gazetteer = gazetteer
        self.ner = ner
        self.ner_model = ner_model
        self._keys = gazetteer.name_keys()
        self._translit_keys = gazetteer.translit_keys()
        self._zipf = _wordfreq()

    # ---------------------------------------------------------------- proposals

    def _first_row(self, key: str) -> Any:
        rows = self.gazetteer.candidates_for_key(key)
        rows = [r for r in rows if r.kind != "code"]
        return max(rows, key=lambda r: r.prior) if rows else None

    def propose(self, text: str) -> list[Proposal]:
        """Return gazetteer proposals in text order (longest match at each position)."""
        toks = _tokens(text)
        out: list[Proposal] = []
        i, n = 0, len(toks)
        while i < n:
            t = toks[i]
            if not t.cap or (t.norm == "the"):
                i += 1
                continue
            found = None
            last = i
            while last + 1 < n and last + 1 - i < _MAX_TOKENS and _joinable(
                    text, toks[last], toks[last + 1]):
                last += 1
            for j in range(last, i - 1, -1):
                tail = toks[j]
                if not tail.cap:
                    continue
                if any(not toks[k].cap and toks[k].norm not in _CONNECTORS
                       for k in range(i + 1, j)):
                    continue
                head = " ".join(toks[k].norm for k in range(i, j))
                # A possessive is far more often "France's" than a name ending in
                # "'s", so the short form is tried first.
                for norm_last, end in ((tail.norm_end, tail.end_short), (tail.norm, tail.end)):
                    key = f"{head} {norm_last}" if head else norm_last
                    if key in self._keys:
                        found = (j, key, end)
                        break
                    if norm_last == tail.norm:
                        break
                if found:
                    break
            # A longer spelling known by its key wins over a shorter exact name
            # inside it ("Khan Younous", not "Khan"), when it is taken at all.
            prop = None
            longer = self._translit_match(toks, i, last, found[0] + 1 if found else i)
            if longer is not None:
                prop = self._judge(text, toks, i, *longer, via="transliteration")
                j = longer[0]
            if prop is None and found is not None:
                j, key, end = found
                prop = self._judge(text, toks, i, j, key, end)
            if prop is not None:
                out.append(prop)
                i = j + 1
            else:
                i += 1
        return out

    def _translit_match(self, toks: list[_Token], i: int, last: int, shortest: int
                        ) -> tuple[int, str, int] | None:
        """Find the longest name from ``toks[i]`` known by its transliteration key only.

        Tried only where no name matches exactly, on up to
        :data:`_TRANSLIT_TOKENS` capitalised words that are no English words
        ("Nusseirat", "Deir Ezzor"), ending at ``toks[shortest]`` or later;
        returns the index name it stands for.
        """
        for j in range(min(last, i + _TRANSLIT_TOKENS - 1), shortest - 1, -1):
            if not all(toks[k].cap for k in range(i, j + 1)):
                continue
            norm = " ".join(toks[k].norm for k in range(i, j)) + (" " if j > i else "")
            norm += toks[j].norm_end
            if _translit_key(norm) not in self._translit_keys:
                continue
            if self._zipf(toks[j].norm_end, "en") >= _RARE_WORD_ZIPF:
                continue  # "Sadly", "Monday": a word that happens to share a key
            rows = self.gazetteer.translit_candidates(norm)
            if rows:
                best = max(rows, key=lambda r: (r.similarity, r.prior))
                return j, normalize_name(best.matched), toks[j].end_short
        return None

    def _judge(self, text: str, toks: list[_Token], i: int, j: int, key: str,
               end: int, *, via: str = "") -> Proposal | None:
        if i == j and (len(key) == 1 or key.isdigit()):
            # A bare number or letter ("10", "A", "I") is an alternate name of
            # some town in GeoNames but never a place in news; NER only ever
            # rejected them, at a third of its work.
            return None
        row = self._first_row(key)
        if row is None or (i == j and key in _COMPASS):
            return None
        start = toks[i].start
        span = text[start:end]
        if span.endswith(".") and span.count(".") == 1 and row.kind != "abbr":
            end -= 1  # the full stop of the sentence, not part of the name ("Iraq.")
            span = span[:-1]
        letters = [c for c in span if c.isalpha()]
        compact = len(key.replace(" ", ""))
        # "Gao", "Goz": a three-letter name rare as a word is no "Mo" or "Us".
        short = compact <= 2 or (compact == 3 and self._zipf(key, "en") >= _RARE_WORD_ZIPF)
        if short and not (all(c.isupper() for c in letters) or (span.endswith(".") and
                                                                 row.kind == "abbr")):
            return None  # "us", "Us", "Mo" are words or names, not "U.S."/"Mo."
        if text.startswith("-", end) and any(
                r.feature == "demonym" for r in self.gazetteer.candidates_for_key(key)):
            return None  # "Saudi-led": the demonym, not Saudi Arabia
        if _saints_house(text, span, end, row):
            return None  # "St. Mary's Catholic school": a school, not St. Mary Parish
        kind = {"demonym": "demonym", "metonym": "metonym"}.get(row.feature, "place")
        mention = Mention(start=start, end=end, name=span, kind=kind, source="gazetteer",
                          label=row.feature)
        prev = toks[i - 1] if i > 0 else None
        nxt = toks[j + 1] if j + 1 < len(toks) else None
        # "Nad Ali District", "Aleppo Governorate": press style capitalises the
        # subdivision word, which says what kind of place the name is; it makes
        # no longer name and vouches for the place as its lower-case form does.
        headed = kind == "place" and end == toks[j].end and _admin_head(text, toks, j)
        if prev is not None and prev.norm.rstrip(".") in _TITLES and _joinable(text, prev,
                                                                               toks[i]):
            return None  # "President Lincoln", "Gen. Jackson"
        reasons = []
        sentence_start = prev is None or bool(re.search(r"[.!?:\"\u201c]\s*$",
                                                         text[max(0, start - 3):start]))
        inside_name = (
            (prev is not None and prev.cap and not prev.upper and not sentence_start
             and _joinable(text, prev, toks[i])
             # "Russian-controlled Donetsk", "Iran-backed Houthis": an adjective, not a name
             and not _LOWER_COMPOUND.search(text, prev.start, prev.end)
             and not _LOWER_COMPOUND.match(text[prev.end:prev.end + 2] + "x")
             # "Russia's Kursk region", "The U.S.-backed forces": no longer name
             and not self._owner(prev) and prev.norm != "the")
            or (nxt is not None and nxt.cap and _joinable(text, toks[j], nxt)
                and nxt.norm not in _CONNECTORS and not headed
                # "Kyiv. Officials", "Russia's Kursk"; but "Morton's Ford" is one name
                and (end == toks[j].end or (end == toks[j].end_short and not _strong(row))))
        )
        if inside_name:
            reasons.append("inside a longer name")
        # "Luhansk": the region's alias outranks the city, but the name is a big
        # city's own name, which is enough to be sure of it.
        strong = _strong(row) or (row.feature == "admin1" and row.kind == "alt" and any(
            r.feature == "city" and _strong(r) for r in self.gazetteer.candidates_for_key(key)))
        if not strong:
            reasons.append(f"{row.feature} {row.population:,}")
        if i == j and self._zipf(key, "en") >= _COMMON_WORD_ZIPF and row.feature not in (
                "country", "continent", "demonym"):
            reasons.append("common word")
        if row.feature in ("country", "continent") and not inside_name:
            reasons = []
        locative = prev is not None and prev.norm in _LOCATIVE and not prev.cap
        if ("common word" in reasons and not locative and row.feature in ("city", "admin2")
                and row.population < _SMALL_COMMON_TOWN):
            return None  # "Police", "Hospital", "University": towns, but far more often words
        if reasons and not inside_name and "common word" not in reasons and locative:
            reasons = []  # "in Malakal", "near Abu Shok": the preposition vouches for it
        own_head = i < j and key.rsplit(" ", 1)[-1] in CAPITAL_HEADS
        if (reasons and not inside_name and "common word" not in reasons
                and kind == "place" and (self._cued(text, prev, end) or headed or own_head)
                and self._trusted(key)):
            reasons = []  # "control of Avdiivka", "the Kherson region": see _RARE_WORD_ZIPF
        if (reasons and not inside_name and kind == "place" and i >= 2 and not prev.cap
                and prev.norm in _COMPASS and toks[i - 2].norm in _LOCATIVE
                and not toks[i - 2].cap):
            # "in south Manchester", "across northern Kaduna": a compass word between a
            # preposition and the name makes it a place; NER reads neither
            reasons = []
        if via:
            # Taken only after a spatial preposition ("into Khan Younous"), and
            # then without asking NER, which reads most such spellings as PERSON:
            # "Putin" shares a key with Putian and "Biden" with Vidin, so "from",
            # "to", a possessive ("in Biden's plan") or NER's vote would not do;
            # asking NER at all opened windows whose other entities ("Ebola",
            # "Malaria") cost GeoCorpora 0.007 of precision.
            spatial = (prev is not None and prev.norm in _SPATIAL and not prev.cap
                       and toks[j].end_short == toks[j].end)
            return (Proposal(mention=mention, key=key, sure=True)
                    if spatial and not inside_name else None)
        return Proposal(mention=mention, key=key, sure=not reasons, reason="; ".join(reasons))

    def _unknown_words(self, words: str) -> bool:
        """Tell whether the words before a name are a name's own, not a place or a direction.

        "Shebaa" before "Farms" is; "the", "Northern" or "Iraqi" before "Kurdistan" is not.
        """
        left = [w for w in re.findall(r"[^\W\d_][\w'-]*", words) if w.lower() != "the"]
        return bool(left) and any(
            w.lower() not in _COMPASS
            and self._first_row(normalize_name(w, drop_article=False)) is None for w in left)

    def _owner(self, tok: _Token) -> bool:
        """Tell whether a possessive word is a sure place owning the next name.

        "Russia's Kursk region" is two names; "Morton's Ford", "Fisher's Hill"
        (a farmer's ford, a hamlet's hill) are one each, and their first word
        alone names some small town elsewhere: 15 WoTR places went astray so.
        """
        if tok.end_short == tok.end or tok.norm_end not in self._keys:
            return False
        row = self._first_row(tok.norm_end)
        return row is not None and _strong(row)

    def _coordinated(self, text: str, props: list[Proposal]) -> list[Proposal]:
        """Make sure the rare names listed with a sure place ("Zakho and Duhok").

        A name coordinated with a place is a place of the same list; only names
        rare as English words follow (see :data:`_RARE_WORD_ZIPF`), so "Paris
        and Hilton" stays for NER to judge.
        """
        out = list(props)
        for _ in range(2):  # "Hama, Homs and Aleppo": each pass reaches one more
            for k, p in enumerate(out):
                if p.sure or p.mention.kind != "place" or "common word" in p.reason or (
                        "inside a longer name" in p.reason or not self._trusted(p.key)):
                    continue
                for q in (out[k - 1] if k else None, out[k + 1] if k + 1 < len(out) else None):
                    if q is None or not q.sure or q.mention.kind != "place":
                        continue
                    a, b = sorted((p.mention, q.mention), key=lambda m: m.start)
                    if _LIST_GAP.match(text[a.end:b.start]):
                        out[k] = Proposal(p.mention, p.key, True, "")
                        break
        return out

    def _trusted(self, key: str) -> bool:
        """Tell whether a name may be taken without NER when a cue vouches for it.

        It must be rare as an English word and name a town of at least
        :data:`_TRUSTED_POPULATION` or a subdivision: the hamlets of the Civil
        War reports (WoTR) were recognised but mostly resolved to namesakes.
        """
        if self._zipf(key, "en") >= _RARE_WORD_ZIPF:
            return False
        return any(r.kind != "code" and (r.feature in ("admin1", "admin2", "capital")
                                         or r.population >= _TRUSTED_POPULATION)
                   for r in self.gazetteer.candidates_for_key(key))

    @staticmethod
    def _cued(text: str, prev: _Token | None, end: int) -> bool:
        """Tell whether a place cue stands right before or after the name at ``end``."""
        if prev is not None and not prev.cap and prev.norm in _CUES_BEFORE:
            return True
        # two-word cues: "strike on", "attack on" ("on" alone also takes people)
        two = re.search(r"([a-z]+)\s+$", text[max(0, prev.start - 20):prev.start]) \
            if prev is not None and not prev.cap else None
        if two is not None and f"{two[1]} {prev.norm}" in _CUES_BEFORE:
            return True
        after = re.match(r"[ \t]+([a-z]+)\b", text[end:end + 20])
        return after is not None and after.group(1) in _CUES_AFTER

    # ---------------------------------------------------------------- NER

    def recognize(self, text: str, *,
                  entities: Sequence[tuple[int, int, str]] | None = None) -> list[Mention]:
        """Return the toponym mentions of a text, in order, without overlaps.

        Parameters
        ----------
        text : str
        entities : sequence of (start, end, label), optional
            Named entities of the whole text found already (a spaCy pipeline's
            ``doc.ents``); when given, the NER model is not run.

        Returns
        -------
        list of Mention
        """
        return self.read(text, entities=entities)[0]

    def read(self, text: str, *, entities: Sequence[tuple[int, int, str]] | None = None
             ) -> tuple[list[Mention], NerReading | None]:
        """Return the mentions of :meth:`recognize` and what NER read to find them.

        The reading (None when no model ran) travels on the Document, so the
        actor stage can reuse the entities instead of reading the text again.
        """
        return run_steps(self.read_steps(text, entities=entities))

    def read_steps(self, text: str, *, entities: Sequence[tuple[int, int, str]] | None = None
                   ) -> Steps[tuple[list[Mention], NerReading | None]]:
        """Return :meth:`read` as steps: the NER windows are a :class:`~._nlp.Request`.

        Driven by :func:`~geokit.geoparse._nlp.run_many_steps`, the windows of
        many documents go to the model in one call.
        """
        if not text.strip():
            return [], None
        props = self.propose(text)
        # "Bangor, Maine": a subdivision or country right after a comma vouches
        # for the name before it.
        for k in range(len(props) - 1):
            p, q = props[k], props[k + 1]
            if (not p.sure and "common word" not in p.reason
                    and q.mention.label in ("admin1", "country")
                    and text[p.mention.end:q.mention.start] == ", "):
                props[k] = Proposal(p.mention, p.key, True, "")
        props = self._coordinated(text, props)
        if self.ner == "off" and entities is None:
            return [p.mention for p in props if p.sure], None
        # One sense per discourse: NER judges the first ambiguous occurrence of
        # a name and later ones follow it (the first is usually the fullest,
        # "Paris, Texas" before "Paris"); a sixth less text for the model, and
        # on the dev sets as accurate or more.
        # A name the text uses surely somewhere ("from Bentiu") is the place
        # wherever else it stands alone, unless it sits inside a longer name.
        sure_keys = {p.key for p in props if p.sure}
        props = [Proposal(p.mention, p.key, True, "") if (
            not p.sure and p.key in sure_keys and "inside a longer name" not in p.reason)
            else p for p in props]
        first: dict[str, Proposal] = {}
        for p in props:
            if not p.sure:
                first.setdefault(p.key, p)
        if entities is not None:
            ents = sorted(entities)
            wanted = [(0, len(text))]  # the caller's model read the whole text
        else:
            sentences = sentence_bounds(text)
            if self.ner == "all":
                wanted = sentences
            else:
                wanted = ner_windows(text, sentences, [p.mention for p in first.values()])
            ents = []
            if wanted:
                docs = yield Request("ner", tuple(text[s:e] for s, e in wanted),
                                     model=self.ner_model)
                ents = [(offset + e.start_char, offset + e.end_char, e.label_)
                        for (offset, _), doc in zip(wanted, docs, strict=True) for e in doc.ents]
        reading = NerReading(self.ner_model, tuple(wanted), tuple(ents))
        out = []
        decided: dict[str, bool] = {}
        for p in props:
            m = p.mention
            if not p.sure and self.ner == "auto" and first[p.key] is not p:
                if decided.get(p.key):
                    out.append(Mention(start=m.start, end=m.end, name=m.name, kind=m.kind,
                                       source="gazetteer+ner", label=m.label))
                continue
            over = [(s, e, lab) for s, e, lab in ents if s < m.end and m.start < e]
            if p.sure:
                # NER may still show a sure name to be part of an organisation or
                # a person ("Jordan" in "Michael Jordan"): only when it is longer.
                veto = any(lab in _NER_VETO_LABELS and (s < m.start or e > m.end)
                           and m.label not in ("country", "continent", "demonym")
                           and not _own_head_only(text, m, s, e)
                           for s, e, lab in over)
                if not veto:
                    out.append(m)
                continue
            # NORP confirms a demonym only: "Western" tagged NORP is no Western Province.
            ok = {"GPE", "LOC", "FAC"} | ({"NORP"} if m.kind == "demonym" else set())
            decided[p.key] = any(lab in ok for _, _, lab in over) and not any(
                    lab in _NER_VETO_LABELS for _, _, lab in over) and not (
                    # "the Galwan Valley": NER's longer name is the place, not the
                    # common word at its end that names a town elsewhere (The Valley)
                    "common word" in p.reason and "inside a longer name" in p.reason
                    and any(s < m.start or e > m.end for s, e, _ in over)) and not (
                    # "the Shebaa Farms": the last word of a longer name NER reads
                    # whole is no small town elsewhere (Farms, Connecticut)
                    "inside a longer name" in p.reason and not _strong(self._first_row(p.key))
                    and any(s < m.start and self._unknown_words(text[s:m.start])
                            for s, _, _ in over))
            if decided[p.key]:
                out.append(Mention(start=m.start, end=m.end, name=m.name, kind=m.kind,
                                   source="gazetteer+ner", label=m.label))
        taken = [(m.start, m.end) for m in out]
        if self.ner != "off" or entities is not None:
            for s, e, lab in ents:
                if lab not in ("GPE", "LOC") or any(s < b and a < e for a, b in taken):
                    continue
                name = text[s:e]
                if name.lower().startswith("the "):
                    s += 4
                    name = name[4:]
                out.append(Mention(start=s, end=e, name=name, kind="place", source="ner",
                                   label=lab))
        out.sort(key=lambda m: m.start)
        return out, reading


#: The subdivision words taken capitalised after a name ("Helmand Province"). Not
#: "City" ("Kansas City" is no Kansas), "Department" or "Division" (offices, units),
#: nor "State" ("Fresno State" plays football; the index knows "Borno State" whole).
CAPITAL_HEADS = ADMIN_HEADS - {"department", "division", "state"}


# A saint's name with a possessive before a house of a church, a school or a
# hospital names that building ("St. Mary's Catholic school", "St Joseph's
# Hospital"), not the town or county of the saint.
# A city named after a saint keeps its possessive ("St. Petersburg's Mariinsky
# Hospital"): a town of this many people is the town.
_SAINT = re.compile(r"(?:St\.?|Saint|Ste\.?|San|Santa|Sao|São)\s")
_SAINTS_HOUSE = re.compile(
    r"(?:\s+[A-Z][\w'-]*){0,3}\s+(?i:schools?|church|churches|cathedral|basilica|chapel|"
    r"hospital|college|academy|seminary|convent|monastery|abbey|primary|secondary)\b")
_SAINTS_TOWN = 100_000


def _saints_house(text: str, span: str, end: int, row: Any) -> bool:
    """Whether a saint's name with a possessive names the school, church or hospital after it."""
    if not _SAINT.match(span) or (row.feature in ("city", "capital")
                                  and row.population >= _SAINTS_TOWN):
        return False
    if span.endswith(("'s", "’s")):
        after = end
    elif text.startswith(("'s", "’s"), end):
        after = end + 2
    else:
        return False
    return bool(_SAINTS_HOUSE.match(text, after))


def _admin_head(text: str, toks: Sequence[_Token], j: int) -> bool:
    """Tell whether the word after ``toks[j]`` is a capitalised subdivision word ending the name.

    "Nad Ali District", "Helmand Province"; not "Cook County Hospital", where a
    further capitalised word makes the whole an institution's name.
    """
    if j + 1 >= len(toks):
        return False
    nxt = toks[j + 1]
    if not (nxt.cap and not nxt.upper and nxt.norm in CAPITAL_HEADS
            and _joinable(text, toks[j], nxt)):
        return False
    after = toks[j + 2] if j + 2 < len(toks) else None
    return after is None or not (after.cap and _joinable(text, nxt, after))


_THE_BEFORE = re.compile(r"(?:[Tt]he\s+)?$")
_HEAD_AFTER = re.compile(r"\s+([A-Z][a-z]+)")


def _own_head_only(text: str, m: Mention, s: int, e: int) -> bool:
    """Tell whether NER's longer entity adds only "the" and a subdivision word to the name.

    "the Aleppo Governorate" tagged ORG is still Aleppo's province.
    """
    if not _THE_BEFORE.fullmatch(text, s, m.start) or e <= m.end:
        return False
    head = _HEAD_AFTER.fullmatch(text, m.end, e)
    return head is not None and head.group(1).lower() in CAPITAL_HEADS


def _strong(row: Any) -> bool:
    """Tell whether a reading is sure enough to skip NER (a country, a capital, a big city)."""
    return (
        row.feature in _SURE_FEATURES
        or row.feature in ("capital", "admin1") and row.kind in ("name", "official", "short",
                                                                  "abbr")
        or (row.feature == "city" and row.kind == "name"
            and row.population >= _SURE_CITY_POPULATION)
    )


_WINDOW_CHARS = 90


def ner_windows(text: str, sentences: Sequence[tuple[int, int]],
             mentions: Sequence[Mention]) -> list[tuple[int, int]]:
    """Return the stretches of text around ambiguous mentions that NER reads.

    Each is the mention and about a dozen words each side, cut at word
    boundaries and kept within its sentence. NER on a window instead of the
    whole sentence costs a fraction of the time; the model decides
    PERSON/ORG/GPE from the nearby words anyway.
    """
    out: list[tuple[int, int]] = []
    for m in mentions:
        lo, hi = next(((a, b) for a, b in sentences if a <= m.start < b), (0, len(text)))
        s = max(lo, m.start - _WINDOW_CHARS)
        e = min(hi, m.end + _WINDOW_CHARS)
        if s > lo:
            sp = text.find(" ", s, m.start)
            s = sp + 1 if sp != -1 else m.start
        if e < hi:
            sp = text.rfind(" ", m.end, e)
            e = sp if sp != -1 else m.end
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def spans_to_mentions(text: str, spans: Iterable[tuple[int, int]], *,
                      kinds: Sequence[str] | None = None) -> list[Mention]:
    """Turn given spans (gold spans) into mentions, checking the offsets."""
    out = []
    for n, (s, e) in enumerate(spans):
        if not (0 <= s < e <= len(text)):
            raise ConfigurationError(f"span {n} ({s}, {e}) is outside the text of "
                                     f"{len(text)} characters")
        kind = kinds[n] if kinds else "place"
        out.append(Mention(start=s, end=e, name=text[s:e], kind=kind, source="gold",
                           label="gold"))
    return out
