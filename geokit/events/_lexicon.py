"""Word lists of the event stage that other stages read too, from ``data/``.

One home for each list: the actor matcher, the event rules and the map's size
phrases all read the force nouns from ``data/force_nouns.csv`` (one row a
noun, one column a use), so adding a noun is a data edit seen everywhere.
"""

from __future__ import annotations

import csv
import functools
import re
from pathlib import Path

__all__ = ["FORCE_USES", "force_nouns", "force_pattern"]

_FORCE_FILE = Path(__file__).with_name("data") / "force_nouns.csv"
#: The columns of ``force_nouns.csv``: what a force noun is used for.
FORCE_USES = ("actor", "troops", "size")


@functools.cache
def force_nouns(use: str) -> tuple[str, ...]:
    """Return the force nouns marked for ``use``, in file order.

    Examples
    --------
    >>> "soldiers" in force_nouns("actor"), "mercenaries" in force_nouns("actor")
    (True, False)
    """
    if use not in FORCE_USES:
        raise ValueError(f"use must be one of {', '.join(FORCE_USES)}, got {use!r}")
    with _FORCE_FILE.open(encoding="utf-8", newline="") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return tuple(r["noun"] for r in rows if r[use] == "yes")


def force_pattern(use: str) -> str:
    """Return the nouns for ``use`` as a regex alternation (escaped, longest first).

    Examples
    --------
    >>> bool(re.fullmatch(force_pattern("troops"), "task force"))
    True
    """
    return "|".join(sorted((re.escape(n) for n in force_nouns(use)), key=len, reverse=True))
