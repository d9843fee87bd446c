"""ACLED's codes for geokit events: event types, dates, place precision, fatalities.

ACLED (Armed Conflict Location & Event Data) files are what conflict analysts
load: a full ``event_date`` with a ``time_precision``, ``event_type`` and
``sub_event_type`` from ACLED's own list, a ``geo_precision`` where 1 is the
town itself and 3 a region or larger, and ``fatalities``. The two tables this
module reads live in ``geokit/io/data/`` (one row an entry, each with an
example that a test runs); the code here only applies them.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Mapping
from pathlib import Path

from geokit.models import Place

__all__ = ["acled_date", "acled_event_type", "acled_geo_precision", "fatalities"]

_DATA = Path(__file__).parent / "data"


def _read_table(name: str) -> list[dict[str, str]]:
    with (_DATA / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


@functools.cache
def event_type_table() -> Mapping[tuple[str, str], tuple[str, str]]:
    """Return ``(category, subtype) -> (event_type, sub_event_type)`` from the data table."""
    return {(r["category"], r["subtype"]): (r["event_type"], r["sub_event_type"])
            for r in _read_table("acled_event_types.csv")}


def acled_event_type(category: str, subtype: str | None) -> tuple[str | None, str | None]:
    """Return ACLED's ``(event_type, sub_event_type)`` for a PLOVER category and subtype.

    Parameters
    ----------
    category : str
        PLOVER category (``ASSAULT``, ``PROTEST``, ...).
    subtype : str or None
        geokit's finer type (``air_strike``, ``arrest``, ...).

    Returns
    -------
    tuple
        ``(None, None)`` for events ACLED does not code (statements, visits).

    Examples
    --------
    >>> acled_event_type("ASSAULT", "air_strike")
    ('Explosions/Remote violence', 'Air/drone strike')
    >>> acled_event_type("ACCUSE", "statement")
    (None, None)
    """
    table = event_type_table()
    hit = table.get((category, subtype or "")) or table.get((category, ""))
    if not hit or not hit[0]:
        return None, None
    return hit


# ACLED codes a month-only date at the month's middle (the 15th) and says so with
# time_precision 3 (ACLED Codebook, "Time precision"); a year alone goes to its
# middle as well, with the same precision (ACLED's coarsest).
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_WEEK = re.compile(r"\bweek(?:end)?\b", re.I)


def acled_date(date: str | None, date_text: str | None = None) -> tuple[str | None, int | None]:
    """Return a full ``YYYY-MM-DD`` date and ACLED's ``time_precision`` for an event date.

    Parameters
    ----------
    date : str or None
        geokit's ISO date, as precise as the text: ``2024-03-04``, ``2024-03`` or ``2024``.
    date_text : str, optional
        The date as written; "last week" makes a day's precision 2 (a week or so).

    Returns
    -------
    tuple
        ``(event_date, time_precision)``: 1 a day, 2 a week or so, 3 a month or
        more; ``(None, None)`` for an undated event.

    Examples
    --------
    >>> acled_date("2024-03-04")
    ('2024-03-04', 1)
    >>> acled_date("2024-03")
    ('2024-03-15', 3)
    >>> acled_date("2023")
    ('2023-07-01', 3)
    """
    m = _DATE.match(date or "")
    if not m:
        return None, None
    year, month, day = m.groups()
    if day:
        return f"{year}-{month}-{day}", 2 if date_text and _WEEK.search(date_text) else 1
    if month:
        return f"{year}-{month}-15", 3
    return f"{year}-07-01", 3


def acled_geo_precision(place: Place | None) -> int | None:
    """Return ACLED's ``geo_precision`` of an event's place.

    1 the town or village itself; 2 part of a region (a district, a second-level
    subdivision); 3 a province, a region, a country or larger.

    Examples
    --------
    >>> from geokit.models import Place
    >>> acled_geo_precision(Place(name="Duhok", lat=36.87, lon=42.99, feature="city"))
    1
    >>> acled_geo_precision(Place(name="Iraq", lat=33.0, lon=44.0, feature="country"))
    3
    """
    if place is None:
        return None
    if place.feature == "admin2":
        return 2
    if place.feature in ("admin1", "country", "continent", "region", "sea", "demonym",
                         "metonym"):
        return 3
    return 1


# Number words up to the tens; larger tolls are written in digits in news text.
_UNITS = ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
          "fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_WORDS = {w: i for i, w in enumerate(_UNITS, 1)} | {w: 10 * i for i, w in enumerate(_TENS, 2)}
_WORDS["a dozen"] = 12
_NUM = (r"(?P<n>\d{1,3}(?:,\d{3})+|\d+|(?:" + "|".join(_TENS) + r")(?:-(?:"
        + "|".join(_UNITS[:9]) + r"))?|" + "|".join(sorted(_WORDS, key=len, reverse=True))
        + r")")
_QUAL = r"(?:(?:at\s+least|more\s+than|over|around|about|nearly|almost|some|up\s+to)\s+)"


def _number(word: str) -> int:
    word = word.lower().replace(",", "")
    if word.isdigit():
        return int(word)
    tens, _, unit = word.partition("-")
    return _WORDS[tens] + (_WORDS[unit] if unit else 0)


@functools.cache
def fatality_patterns() -> tuple[tuple[str, re.Pattern[str], str, int], ...]:
    """Return the fatality patterns of the data table: ``(name, regex, example, expected)``."""
    return tuple(
        (r["name"], re.compile(r["pattern"].replace("QUAL", _QUAL).replace("NUM", _NUM), re.I),
         r["example"], int(r["fatalities"]))
        for r in _read_table("fatalities.csv"))


def fatalities(text: str) -> int | None:
    """Return the number of people the sentence says were killed, or None.

    Examples
    --------
    >>> fatalities("A missile strike on Kramatorsk killed at least 11 people.")
    11
    >>> fatalities("At least nine civilians were killed.")
    9
    >>> fatalities("Hundreds were killed.") is None
    True
    """
    for _name, pattern, _example, _expected in fatality_patterns():
        m = pattern.search(text)
        if m:
            return _number(m.group("n"))
    return None
