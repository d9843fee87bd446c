"""``geokit locate-event``: which place of a text is the place of one event word."""

from __future__ import annotations

import re
from typing import Any

import click

from geokit.cli._common import emit, fail, format_option, handle_errors

_COLUMNS = ("trigger", "start", "end", "place_text", "place_start", "place_end", "source",
            "name", "country", "feature", "lat", "lon", "why")


def _trigger(text: str, word: str | None, nth: int, span: str | None) -> tuple[int, int]:
    """Return the offsets of ``--word`` (its ``--nth`` whole-word occurrence) or ``--span``."""
    if (word is None) == (span is None):
        fail("give the event's word (--word) or its offsets (--span START:END), not both")
    if span is not None:
        m = re.fullmatch(r"\s*(\d+)\s*:\s*(\d+)\s*", span)
        if m is None:
            fail(f"--span {span!r}: expected START:END character offsets")
        return int(m[1]), int(m[2])
    found = [m.span() for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", text)]
    if len(found) < nth:
        fail(f"--word {word!r}: {len(found)} occurrence(s) in the text, asked for number {nth}")
    return found[nth - 1]


def _row(text: str, at: tuple[int, int], top: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"trigger": text[at[0]:at[1]], "start": at[0], "end": at[1]}
    if top is not None:
        row.update(place_text=top.mention.name, place_start=top.mention.start,
                   place_end=top.mention.end, source=top.mention.source, why=top.why)
        if top.place is not None:
            p = top.place
            row.update(name=p.name, country=p.country, feature=p.feature, lat=p.lat, lon=p.lon)
    return {c: row.get(c) for c in _COLUMNS}


@click.command("locate-event")
@click.argument("text")
@click.option("--word", default=None, help="The event's word in TEXT (killed, offensive...).")
@click.option("--nth", default=1, show_default=True, type=click.IntRange(1),
              help="Which whole-word occurrence of --word.")
@click.option("--span", default=None, metavar="START:END",
              help="The event word's character offsets instead of --word.")
@format_option(["table", "json", "csv", "geojson"])
@handle_errors
def locate_event_cmd(text: str, word: str | None, nth: int, span: str | None,
                     fmt: str) -> None:
    """Say which place of TEXT is the place of the event WORD names, or none.

    For events another system found: the learned linker geokit's own events
    use chooses among the sentence's places and the place names the index
    lacks, or says the sentence gives the event no place (a dateline, a
    speaker's "from", a flag are never it). The row's place columns are
    empty then; ``name``, ``lat`` and ``lon`` are empty for a name the index
    lacks. Exit status: 0 answered (a place or none), 2 bad input.
    """
    from geokit.events import locate_event

    at = _trigger(text, word, nth, span)
    row = _row(text, at, locate_event(text, at))
    if fmt == "geojson":
        feats = [] if row["lat"] is None else [{
            "type": "Feature",
            # RFC 7946 order is lon, lat
            "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
            "properties": row}]
        emit({"type": "FeatureCollection", "features": feats}, "geojson")
    else:
        emit([row], fmt, columns=_COLUMNS)
