"""The PLOVER categories and how geokit groups them: one table, read once.

``data/plover.csv`` is the one home of the grouping (the map's colours, the
relations the extractor aggregates): each category's group (cooperation,
verbal conflict, material conflict: the QuadClass-like reading analysts use,
PLOVER's two cooperation classes merged), the state-to-state relation a
counted event of that category adds (partnership, hostility, or none: a
request says nothing of the pair by itself, a movement's relation comes from
its subtype), a label in words, and an example sentence.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = ["GROUPS", "PloverCategory", "plover_table"]

_TABLE = Path(__file__).with_name("data") / "plover.csv"

#: Group keys in display order, with their labels.
GROUPS: Mapping[str, str] = {
    "cooperation": "Cooperation",
    "verbal_conflict": "Verbal conflict",
    "material_conflict": "Material conflict",
}


@dataclass(frozen=True, slots=True)
class PloverCategory:
    """One PLOVER category as geokit reads it."""

    category: str
    group: str
    relation: str | None
    label: str
    example: str


@functools.cache
def plover_table() -> Mapping[str, PloverCategory]:
    """Return the categories by name, in the PLOVER manual's order.

    Examples
    --------
    >>> plover_table()["ASSAULT"].group
    'material_conflict'
    >>> plover_table()["REQUEST"].relation is None
    True
    """
    with _TABLE.open(encoding="utf-8", newline="") as f:
        rows = [PloverCategory(r["category"], r["group"], r["relation"] or None, r["label"],
                               r["example"]) for r in csv.DictReader(f)]
    for r in rows:
        if r.group not in GROUPS:
            raise ValueError(f"{_TABLE}: {r.category}: unknown group {r.group!r}")
    return {r.category: r for r in rows}
