"""Name normalisation shared by the gazetteer build, lookups and text matching.

Both sides of every comparison go through :func:`normalize_name`, so the index
and the queries agree on case, diacritics, punctuation and a leading article.
"""

from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

__all__ = ["bare_name", "fold", "normalize_name", "translit_key"]

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


# Transliteration: the spellings wire services, GeoNames and the locals give one
# Arabic, Kurdish, Persian or Slavic name differ mostly in vowels, a leading
# article and a silent final "h" (Hodeidah / Al Hudaydah, Khan Younis / Khan
# Yunis, Dohuk / Duhok, Deir ez-Zor / Dayr az Zawr). The key keeps the
# consonants and reduces each vowel run to one of three classes.
_TR_ARTICLES = frozenset("al el ad ar as ash at az an ed er es ez en et adh ath".split())
_TR_DIGRAPHS = (("dh", "d"), ("ph", "f"), ("ck", "k"), ("q", "k"))
_TR_VOWEL_RUN = re.compile(r"[aeiouy][aeiouyw]*")
_TR_DOUBLE = re.compile(r"([a-z])\1+")


def bare_name(norm: str) -> str:
    """Drop the Arabic articles of a normalised name but from its last word.

    Examples
    --------
    >>> bare_name("deir ez zor")
    'deir zor'
    >>> bare_name("al")
    'al'
    """
    words = norm.split()
    if len(words) < 2:
        return norm
    return " ".join([w for w in words[:-1] if w not in _TR_ARTICLES] + words[-1:])


def _vowel_class(run: str) -> str:
    # o/u/w (ou, oo, aw, o) -> "u"; e/i/y (ei, ay, ee, iya) -> "i"; a alone -> "a".
    if any(c in "ouw" for c in run):
        return "u"
    if any(c in "eiy" for c in run):
        return "i"
    return "a"


def translit_key(norm: str) -> str:
    """Return the transliteration key of a normalised name.

    Names whose keys are equal may be spellings of one name in different
    romanisations. The key is lossy on purpose: a hit on it is only a
    candidate, checked again by string similarity (see the gazetteer index).

    Parameters
    ----------
    norm : str
        A key of :func:`normalize_name`.

    Returns
    -------
    str
        The key; empty when nothing of the name is left.

    Examples
    --------
    >>> translit_key("hodeidah") == translit_key("al hudaydah")
    True
    >>> translit_key("khan younis") == translit_key("khan yunis")
    True
    >>> translit_key("deir ez zor") == translit_key("dayr az zawr")
    True
    >>> translit_key("dohuk") == translit_key("duhok")
    True
    """
    words = bare_name(unidecode(norm).lower()).split()
    out = []
    for w in words:
        w = _SEP.sub("", w)
        for a, b in _TR_DIGRAPHS:
            w = w.replace(a, b)
        w = _TR_DOUBLE.sub(r"\1", w)
        # A word-initial "y" is a consonant (Yunis); other vowel runs fold.
        head, rest = (w[0], w[1:]) if w[:1] == "y" else ("", w)
        w = head + _TR_VOWEL_RUN.sub(lambda m: _vowel_class(m.group()), rest)
        if len(w) > 2 and w.endswith("h") and w[-2] in "aiu":
            w = w[:-1]  # the silent final "h" of Hodeidah, Rafah
        if w:
            out.append(w)
    return " ".join(out)
