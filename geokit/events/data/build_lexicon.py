"""Convert the PETRARCH2/Phoenix dictionaries into geokit's event lexicon (run once, by hand).

Source: the open dictionaries of the PETRARCH2 event coder (Open Event Data
Alliance, MIT licence), ``openeventdata/petrarch2``, ``petrarch2/data/dictionaries/``,
commit 676801cd9cb2924bbbad09f86d15c9323e7097bf; a copy sits in
``/work/shared/vendor/petrarch2``. Their MIT notice is kept in
``PETRARCH2_LICENSE`` beside the files written here.

Writes, next to this script:

* ``cameo_verbs.csv``: ``verb, forms, cameo, plover, block``: every verb form of
  CAMEO.2.0.txt (multi-word verbs with spaces), its irregular forms, the CAMEO
  code it carries (its own, else its synonym block's; ``---`` when only a
  pattern codes it) and the PLOVER category of that code (the README's table;
  01 statements and 02 appeals map to nothing).
* ``cameo_patterns.csv``: ``block, pattern, cameo, plover``: the object/subject
  patterns of each block (``*`` the verb, ``+`` the target, ``$`` the source,
  ``&SET`` a noun class), the patterns that refine a verb's code.
* ``agents.csv``: ``noun, code, type``: the generic agent nouns (police,
  rebels, protesters, civilians...) with their Phoenix sector code and the
  geokit actor type it maps to (``SECTOR_TYPES``).
* ``armed_groups.csv``: ``name, aliases, code``: the armed non-state groups of
  Phoenix.MilNonState.actors.txt (aliases joined by ``|``).

Usage: ``python -m geokit.events.data.build_lexicon [DICTIONARY_FOLDER]``.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from geokit.paths import atomic_write

HERE = Path(__file__).resolve().parent
DEFAULT_SOURCE = Path("/work/shared/vendor/petrarch2")

#: PLOVER category of a CAMEO code, by the README's (the PLOVER specification's) table.
_ROOTS = {"03": "AGREE", "04": "CONSULT", "05": "SUPPORT", "06": "COOPERATE", "07": "AID",
          "10": "REQUEST", "11": "ACCUSE", "12": "REJECT", "13": "THREATEN",
          "14": "PROTEST", "15": "MOBILIZE", "16": "SANCTION", "17": "COERCE",
          "18": "ASSAULT", "19": "ASSAULT", "20": "ASSAULT"}

#: Phoenix sector code (first three letters after ``~``) -> geokit actor type.
SECTOR_TYPES = {"COP": "police", "MIL": "military", "SPY": "military", "REB": "armed_group",
                "UAF": "armed_group", "INS": "armed_group", "CRM": "armed_group",
                "OPP": "protesters", "CVL": "civilians", "REF": "civilians",
                "GOV": "government", "JUD": "government", "LEG": "government",
                "BUS": "company", "LAB": "labour_union", "MED": "media", "EDU": "civilians",
                "HLH": "civilians", "AGR": "civilians", "REL": "civilians", "NGO": "ngo",
                "HRI": "ngo",
                "IGO": "international_org", "ELI": "person", "PTY": "party"}


def cameo_to_plover(code: str) -> str:
    """Return the PLOVER category of a CAMEO code ("190" -> "ASSAULT"), "" when none.

    Examples
    --------
    >>> cameo_to_plover("173"), cameo_to_plover("084"), cameo_to_plover("082")
    ('COERCE', 'RETREAT', 'CONCEDE')
    """
    code = code.split(":")[0].strip()
    if not re.fullmatch(r"\d{3,4}", code):
        return ""
    if code[:2] == "08":
        return "RETREAT" if code[:3] in ("084", "085", "086", "087") else "CONCEDE"
    return _ROOTS.get(code[:2], "")


def _word(s: str) -> str:
    # PETRARCH writes multi-word phrases with "_" and marks stems with a trailing "_"
    return s.strip().lstrip("+").strip("_").replace("_", " ").lower()


def parse_verbs(text: str) -> Iterator[tuple[str, str, str, str]]:
    """Yield (verb, forms, code, block) from CAMEO.2.0.txt's verb section."""
    block, block_code = "", "---"
    started = False
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if "VERB PATTERNS" in raw:
            started = True
            continue
        if not started or not line.strip():
            continue
        head = re.match(r"^---\s+(\S+)\s+\[([^\]]*)\]\s+---", line)
        if head:
            block, block_code = _word(head[1]), head[2].strip()
            continue
        if line.startswith("-") or line.startswith("&") or line.startswith("~"):
            continue
        m = re.match(r"^(\+?[A-Z][A-Z_'\-]*)\s*(\{[^}]*\})?\s*(\[[^\]]*\])?", line.strip())
        if not m:
            continue
        forms = " ".join(_word(f) for f in (m[2] or "").strip("{}").split())
        code = m[3].strip("[]").strip() if m[3] else block_code
        yield _word(m[1]), forms, code, block


def parse_patterns(text: str) -> Iterator[tuple[str, str, str]]:
    """Yield (block, pattern, code) of each ``- pattern [code]`` line."""
    block = ""
    for raw in text.splitlines():
        head = re.match(r"^---\s+(\S+)\s+\[", raw)
        if head:
            block = _word(head[1])
            continue
        m = re.match(r"^-\s+(.*?)\s*\[([^\]]*)\]", raw)
        if m and block:
            yield block, " ".join(m[1].split()), m[2].strip()


def parse_agents(text: str) -> Iterator[tuple[str, str]]:
    """Yield (noun, code) of each ``NOUN [~CODE]`` line; ``!PERSON!`` names man/woman/person."""
    subs: dict[str, list[str]] = {}
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        sub = re.match(r"^(![A-Z]+!)\s*=\s*(.*)$", line)
        if sub:
            subs[sub[1]] = [w.strip().lower() for w in sub[2].split(",") if w.strip()]
            continue
        m = re.match(r"^([A-Z!][A-Z_!'\-]*)\s*(?:\{[^}]*\})?\s*\[~([A-Z]+)\]", line)
        if not m:
            continue
        nouns = [m[1]]
        for key, values in subs.items():
            if key in m[1]:
                nouns = [n.replace(key, v.upper()) for n in nouns for v in values[::2] or [""]]
        for n in nouns:
            yield _word(n), m[2]


def parse_groups(text: str) -> Iterator[tuple[str, list[str], str]]:
    """Yield (name, aliases, code) of each actor entry of a Phoenix actors file."""
    name, code, aliases = "", "", []
    for raw in [*text.splitlines(), ""]:
        line = raw.split("#", 1)[0].rstrip()
        if line.startswith("+") and name:
            aliases.append(_word(line.split("[")[0]))
            continue
        m = re.match(r"^([A-Z0-9][^\[]*?)\s*\[([A-Z0-9]+)[^\]]*\]", line)
        if m or not line.strip():
            if name:
                yield name, aliases, code
            name, code, aliases = (_word(m[1]), m[2], []) if m else ("", "", [])


def agent_type(code: str) -> str:
    """Return the geokit actor type of a Phoenix agent code ("GOVMIL" -> "military").

    The last sector of a compound code decides ("REBMUS": a Muslim rebel is a rebel
    first, so the first sector wins unless it is GOV, which marks state service).

    Examples
    --------
    >>> agent_type("COP"), agent_type("GOVMIL"), agent_type("REBMUS")
    ('police', 'military', 'armed_group')
    """
    parts = [code[i:i + 3] for i in range(0, len(code), 3)]
    if parts[0] == "GOV" and len(parts) > 1 and parts[1] in ("MIL", "SPY"):
        return "military"
    return SECTOR_TYPES.get(parts[0], "person")


def _csv(rows: list[list[str]], header: list[str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def build(source: Path = DEFAULT_SOURCE, out: Path = HERE) -> dict[str, int]:
    """Write the four lexicon files from the dictionaries in ``source``; return row counts."""
    cameo = (source / "CAMEO.2.0.txt").read_text(encoding="utf-8", errors="replace")
    verbs = sorted({(v, f, c, cameo_to_plover(c), b) for v, f, c, b in parse_verbs(cameo)})
    patterns = [[b, p, c, cameo_to_plover(c)] for b, p, c in parse_patterns(cameo)]
    agents_text = (source / "Phoenix.agents.txt").read_text(encoding="utf-8", errors="replace")
    agents = sorted({(n, c, agent_type(c)) for n, c in parse_agents(agents_text) if n})
    groups_text = (source / "Phoenix.MilNonState.actors.txt").read_text(
        encoding="utf-8", errors="replace")
    groups = [[n, "|".join(a), c] for n, a, c in parse_groups(groups_text)]
    files = {
        "cameo_verbs.csv": _csv([list(v) for v in verbs],
                                ["verb", "forms", "cameo", "plover", "block"]),
        "cameo_patterns.csv": _csv(patterns, ["block", "pattern", "cameo", "plover"]),
        "agents.csv": _csv([list(a) for a in agents], ["noun", "code", "type"]),
        "armed_groups.csv": _csv(groups, ["name", "aliases", "code"]),
    }
    files["PETRARCH2_LICENSE"] = (source / "LICENSE").read_text(encoding="utf-8")
    for name, body in files.items():
        with atomic_write(out / name) as fh:
            fh.write(body)
    return {"verbs": len(verbs), "patterns": len(patterns), "agents": len(agents),
            "groups": len(groups)}


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE))
