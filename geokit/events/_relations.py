"""State-to-state relations: events aggregated into who is allied, armed, hostile."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from geokit.events._actors import STATE_AFFILIATED
from geokit.events._plover import plover_table
from geokit.models import Actor, Event, Relation

__all__ = ["build_relations"]

_RELATION_OF = {
    ("AGREE", "defence_pact"): "alliance", ("COOPERATE", "alliance"): "alliance",
    ("COOPERATE", "alliance_accession"): "alliance",
    ("AID", "arms_transfer"): "arms_supply",
    ("MOBILIZE", "deploy_troops"): "deployment", ("MOBILIZE", "deploy_weapons"): "deployment",
}
_COUNTED = frozenset({"happened", "announced", "planned"})


def build_relations(events: Sequence[Event], actors: Sequence[Actor]) -> tuple[Relation, ...]:
    """Aggregate events into state-to-state relations.

    Each event with a state-affiliated source and target (a deployment's target
    may be the country of its place) adds to one relation: alliance (defence
    pacts, alliances), arms_supply, deployment, or the category's relation in
    ``data/plover.csv`` (partnership for cooperation, hostility for conflict;
    none for requests and other movements). Negated, denied and speculated events do not count.
    Relation ends are ``state:ISO3`` ids; undirected types use a sorted pair.
    """
    by_id = {a.id: a for a in actors}
    plover = plover_table()

    def states(ids: Iterable[str]) -> list[str]:
        out = []
        for i in ids:
            a = by_id.get(i)
            if a is not None and a.country and a.type in STATE_AFFILIATED:
                out.append(a.country)
        return list(dict.fromkeys(out))

    agg: dict[tuple[str, str, str], list[Event]] = defaultdict(list)
    for e in events:
        if e.status not in _COUNTED:
            continue
        rtype = _RELATION_OF.get((e.category, e.subtype))
        if rtype is None and (row := plover.get(e.category)) is not None:
            rtype = row.relation
        if rtype is None:
            continue
        src = states(e.source)
        tgt = states(e.target)
        if not tgt and rtype == "deployment" and e.place is not None and e.place.country:
            tgt = [e.place.country]
        for s in src:
            for t in tgt:
                if s == t:
                    continue
                a, b = (s, t) if rtype in ("arms_supply", "deployment") else tuple(sorted((s, t)))
                agg[(f"state:{a}", f"state:{b}", rtype)].append(e)
    out = []
    for (s, t, rtype), evs in sorted(agg.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        out.append(Relation(
            source=s, target=t, type=rtype, count=len(evs), events=tuple(e.id for e in evs),
            evidence=tuple(dict.fromkeys(e.evidence.text for e in evs)),
        ))
    return tuple(out)
