"""Name normalisation shared by the gazetteer build, lookups and text matching.

Both sides of every comparison go through :func:`normalize_name`, so the index
and the queries agree on case, diacritics, punctuation and a leading article.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "normalize_name"]

# Characters that are not letters or digits but separate words ("Rostov-on-Don",
# "Hwaseong/Hwasong") become spaces; dots and apostrophes vanish so that
# "U.S." == "US" and "P'yongyang" == "Pyongyang".
_DROP = re.compile(r"[.'\u2019\u2018`\u02bc\u02bb]")
_SEP = re.compile(r"[^0-9a-z]+")
_ARTICLE = re.compile(r"^the (?=\S)")

# Letters NFKD does not decompose into ASCII.
_SPECIAL = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "ł": "l",
     "ı": "i", "ħ": "h"}
)


def fold(text: str) -> str:
    """Lower-case and strip diacritics, keeping every other character.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        The folded text, one character per input character where possible.

    Examples
    --------
    >>> fold("Ürümqi")
    'urumqi'
    """
    if text.isascii():
        return text.lower()  # nothing to translate or decompose; most names and words
    text = text.lower().translate(_SPECIAL)
    out = unicodedata.normalize("NFKD", text)
    return "".join(c for c in out if not unicodedata.combining(c))


def normalize_name(name: str, *, drop_article: bool = True) -> str:
    """Return the matching key of a place name.

    Case- and diacritic-insensitive, punctuation-tolerant, with a leading
    "the" dropped.

    Parameters
    ----------
    name : str
        A place name as written.
    drop_article : bool, default True
        Drop a leading "the" ("the Middle East" -> "middle east").

    Returns
    -------
    str
        The key; empty when the name has no letters or digits.

    Examples
    --------
    >>> normalize_name("the U.S.")
    'us'
    >>> normalize_name("Kyïv")
    'kyiv'
    >>> normalize_name("P'yŏngyang")
    'pyongyang'
    >>> normalize_name("Rostov-on-Don")
    'rostov on don'
    """
    key = _SEP.sub(" ", _DROP.sub("", fold(name))).strip()
    if drop_article:
        key = _ARTICLE.sub("", key)
    return key
