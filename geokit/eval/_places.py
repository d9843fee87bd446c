"""The geoparsing field's evaluation metrics, as ``../shared/eval/README.md`` defines them.

Recognition
    Precision, recall and F1 of predicted spans against gold spans, *strict*
    (same start and end) and *lenient* (any character overlap; each gold and
    each predicted span matched at most once, greedily by largest overlap).
Resolution
    Over gold toponyms with coordinates that were recognised (lenient match):
    great-circle error in km (R = 6371.0088 km); a recognised toponym predicted
    without coordinates gets 20,039 km. ``acc161`` (share <= 161 km), mean and
    median km, and AUC = mean ln(1 + error) / ln(20039) (Gritta et al. 2018;
    lower is better).
End to end
    ``end_to_end_acc161``: share of *all* gold toponyms with coordinates that
    were recognised and resolved within 161 km.
Gold-span mode
    The predictions were made for the gold spans; every gold toponym with
    coordinates is evaluated for resolution (a gold span with no prediction
    counts as unresolved) and recognition figures are not reported (None).

Where a gold toponym has ``alt_coords`` (WoTR: ``[[lat, lon], ...]`` for places
with several geometries), its error is the smallest over the gold point and
those alternatives.

Everything here is pure: documents in, an :class:`EvalReport` out.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from geokit.errors import InputError
from geokit.geo import haversine_km

__all__ = [
    "ACC_KM",
    "MAX_ERROR_KM",
    "EvalReport",
    "ReliabilityBin",
    "lenient_matches",
    "score_documents",
    "strict_matches",
]

#: Error given to a recognised toponym predicted without coordinates, km
#: (half the Earth's circumference, rounded as in Gritta et al. 2018).
MAX_ERROR_KM = 20039.0
#: The acc@161 threshold: 100 miles, km.
ACC_KM = 161.0

_LOG_MAX = math.log(MAX_ERROR_KM)
_N_BINS = 10




# --------------------------------------------------------------------------- matching


def _span(t: Mapping[str, Any], doc_id: str, role: str) -> tuple[int, int]:
    try:
        start, end = int(t["start"]), int(t["end"])
    except (KeyError, TypeError, ValueError):
        raise InputError(f"{role} toponym without integer start/end: {dict(t)!r}",
                         source=f"document {doc_id}") from None
    if end < start:
        raise InputError(f"{role} toponym with end < start: {dict(t)!r}",
                         source=f"document {doc_id}")
    return start, end


def strict_matches(gold: Sequence[tuple[int, int]],
                   pred: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Pair gold and predicted spans with the same start and end.

    Each span is used at most once (duplicated predictions do not count twice).

    Returns
    -------
    list of (gold index, predicted index)
    """
    free: dict[tuple[int, int], list[int]] = {}
    for j, span in enumerate(pred):
        free.setdefault(span, []).append(j)
    pairs = []
    for i, span in enumerate(gold):
        if free.get(span):
            pairs.append((i, free[span].pop(0)))
    return pairs


def lenient_matches(gold: Sequence[tuple[int, int]],
                    pred: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Pair overlapping gold and predicted spans greedily by largest overlap.

    Every pair sharing at least one character is a candidate; candidates are
    taken largest overlap first (ties: earlier gold, then earlier prediction)
    and each span is used at most once.

    Returns
    -------
    list of (gold index, predicted index), in gold order.

    Examples
    --------
    Greedy is not a maximum matching: (5, 15) takes (0, 10) by its larger
    overlap, leaving (0, 3) and (12, 20) unmatched.

    >>> lenient_matches([(0, 10), (12, 20)], [(5, 15), (0, 3)])
    [(0, 0)]
    """
    candidates = []
    for i, (gs, ge) in enumerate(gold):
        for j, (ps, pe) in enumerate(pred):
            overlap = min(ge, pe) - max(gs, ps)
            if overlap > 0:
                candidates.append((-overlap, i, j))
    candidates.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return sorted(pairs)


# --------------------------------------------------------------------------- report


@dataclass(frozen=True, slots=True)
class ReliabilityBin:
    """One row of the calibration table.

    Attributes
    ----------
    lo, hi : float
        Score range ``[lo, hi)`` (the last bin includes 1.0).
    count : int
        Evaluated toponyms whose predicted score falls in the bin.
    mean_score : float or None
        Their mean predicted score.
    acc161 : float or None
        Share of them resolved within 161 km.
    """

    lo: float
    hi: float
    count: int
    mean_score: float | None
    acc161: float | None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready row."""
        return {"bin": f"{self.lo:.1f}-{self.hi:.1f}", "lo": self.lo, "hi": self.hi,
                "count": self.count, "mean_score": self.mean_score, "acc161": self.acc161}


@dataclass(frozen=True, slots=True)
class EvalReport:
    """The metrics of one data set; field names are the ``geokit eval`` JSON keys.

    Recognition figures are None in gold-span mode; resolution figures are
    None when no toponym could be evaluated. ``reliability`` bins every
    evaluated toponym by its predicted score (calibration table) and ``ece``
    is the count-weighted mean gap between bin score and bin acc@161.
    """

    strict_P: float | None  # noqa: N815 - the field's metric names
    strict_R: float | None  # noqa: N815
    strict_F1: float | None  # noqa: N815
    lenient_P: float | None  # noqa: N815
    lenient_R: float | None  # noqa: N815
    lenient_F1: float | None  # noqa: N815
    acc161: float | None
    mean_km: float | None
    median_km: float | None
    auc: float | None
    end_to_end_acc161: float | None
    docs: int
    gold_toponyms: int
    gold_with_coords: int
    predicted: int
    matched_lenient: int
    matched_strict: int
    resolved_evaluated: int
    unresolved: int
    gold_spans: bool = False
    ece: float | None = None
    reliability: tuple[ReliabilityBin, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready dict (``reliability`` as a list of rows)."""
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d["reliability"] = [b.to_dict() for b in self.reliability]
        return d


def _prf(matched: int, gold: int, predicted: int) -> tuple[float, float, float]:
    p = matched / predicted if predicted else 0.0
    r = matched / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _coords(t: Mapping[str, Any]) -> tuple[float, float] | None:
    lat, lon = t.get("lat"), t.get("lon")
    if lat is None or lon is None:
        return None
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        return None
    if math.isnan(lat) or math.isnan(lon):
        return None
    return lat, lon


def _gold_points(t: Mapping[str, Any]) -> list[tuple[float, float]]:
    points = []
    main = _coords(t)
    if main:
        points.append(main)
    for alt in t.get("alt_coords") or ():
        if isinstance(alt, Sequence) and len(alt) == 2 and None not in alt:
            points.append((float(alt[0]), float(alt[1])))
    return points


def _error_km(gold_points: list[tuple[float, float]], pred: tuple[float, float] | None) -> float:
    if pred is None:
        return MAX_ERROR_KM
    return min(haversine_km(g[0], g[1], pred[0], pred[1]) for g in gold_points)


def _score(t: Mapping[str, Any]) -> float | None:
    s = t.get("score")
    if s is None or isinstance(s, bool):
        return None
    try:
        s = float(s)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(s) else s


def _reliability(
    pairs: list[tuple[float, bool]],
) -> tuple[tuple[ReliabilityBin, ...], float | None]:
    bins: list[list[tuple[float, bool]]] = [[] for _ in range(_N_BINS)]
    for score, ok in pairs:
        clamped = min(max(score, 0.0), 1.0)
        bins[min(int(clamped * _N_BINS), _N_BINS - 1)].append((clamped, ok))
    rows = []
    gap = 0.0
    for k, members in enumerate(bins):
        n = len(members)
        mean = sum(s for s, _ in members) / n if n else None
        acc = sum(ok for _, ok in members) / n if n else None
        if n:
            gap += n * abs(mean - acc)
        rows.append(ReliabilityBin(lo=k / _N_BINS, hi=(k + 1) / _N_BINS, count=n,
                                   mean_score=mean, acc161=acc))
    return tuple(rows), (gap / len(pairs) if pairs else None)


def _doc_id(doc: Mapping[str, Any], role: str, n: int) -> str:
    if "id" not in doc or doc["id"] is None:
        raise InputError(f"{role} document without an id", source=f"{role} document {n}")
    return str(doc["id"])


def score_documents(
    gold_docs: Iterable[Mapping[str, Any]],
    pred_docs: Iterable[Mapping[str, Any]],
    *,
    gold_spans: bool = False,
    min_score: float = 0.0,
) -> EvalReport:
    """Score predicted toponyms against gold ones.

    Parameters
    ----------
    gold_docs : iterable of mapping
        Documents in the gold JSONL schema:
        ``{"id", "toponyms": [{"start", "end", "name", "lat", "lon", "alt_coords"?}]}``.
    pred_docs : iterable of mapping
        Documents in the ``geokit geoparse`` shape:
        ``{"id", "toponyms": [{"start", "end", "lat", "lon", "score"?, ...}]}``.
        Paired with gold by id; a gold document without a prediction predicts
        nothing; predictions for ids not in gold are ignored.
    gold_spans : bool
        Gold-span mode: predictions were made for the gold spans, so they are
        matched to gold spans as usual, every gold toponym with coordinates is
        evaluated for resolution, and recognition figures are None.
    min_score : float
        Predicted toponyms scored below this count as unresolved (predicted
        without coordinates), as if the resolver had abstained. The
        reliability table uses the raw predictions.

    Returns
    -------
    EvalReport

    Raises
    ------
    InputError
        A document without an id, a duplicated id, or a toponym without
        integer ``start``/``end``.
    """
    preds: dict[str, list[Mapping[str, Any]]] = {}
    for n, doc in enumerate(pred_docs, 1):
        pid = _doc_id(doc, "predicted", n)
        if pid in preds:
            raise InputError(f"duplicate predicted document id {pid!r}")
        preds[pid] = list(doc.get("toponyms") or ())

    seen: set[str] = set()
    docs = n_gold = n_coords = n_pred = m_strict = m_lenient = n_hit_e2e = unresolved = 0
    errors: list[float] = []
    calibration: list[tuple[float, bool]] = []
    for n, doc in enumerate(gold_docs, 1):
        gid = _doc_id(doc, "gold", n)
        if gid in seen:
            raise InputError(f"duplicate gold document id {gid!r}")
        seen.add(gid)
        docs += 1
        gold = list(doc.get("toponyms") or ())
        pred = preds.get(gid, [])
        g_spans = [_span(t, gid, "gold") for t in gold]
        p_spans = [_span(t, gid, "predicted") for t in pred]
        n_gold += len(gold)
        n_pred += len(pred)
        strict = strict_matches(g_spans, p_spans)
        lenient = lenient_matches(g_spans, p_spans)
        m_strict += len(strict)
        m_lenient += len(lenient)
        matched = dict(lenient)
        for i, t in enumerate(gold):
            points = _gold_points(t)
            if not points:
                continue
            n_coords += 1
            j = matched.get(i)
            if j is None and not gold_spans:
                continue  # a recognition miss: counts only end to end
            p = pred[j] if j is not None else {}
            raw = _coords(p)
            score = _score(p)
            kept = raw if (score is None or score >= min_score) else None
            err = _error_km(points, kept)
            errors.append(err)
            unresolved += kept is None
            n_hit_e2e += err <= ACC_KM
            if score is not None:
                calibration.append((score, _error_km(points, raw) <= ACC_KM))

    if gold_spans:
        sp = sr = sf = lp = lr = lf = None
    else:
        sp, sr, sf = _prf(m_strict, n_gold, n_pred)
        lp, lr, lf = _prf(m_lenient, n_gold, n_pred)
    reliability, ece = _reliability(calibration)
    return EvalReport(
        strict_P=sp, strict_R=sr, strict_F1=sf, lenient_P=lp, lenient_R=lr, lenient_F1=lf,
        acc161=sum(e <= ACC_KM for e in errors) / len(errors) if errors else None,
        mean_km=statistics.fmean(errors) if errors else None,
        median_km=statistics.median(errors) if errors else None,
        auc=statistics.fmean(math.log1p(e) / _LOG_MAX for e in errors) if errors else None,
        end_to_end_acc161=n_hit_e2e / n_coords if n_coords else None,
        docs=docs, gold_toponyms=n_gold, gold_with_coords=n_coords, predicted=n_pred,
        matched_lenient=m_lenient, matched_strict=m_strict, resolved_evaluated=len(errors),
        unresolved=unresolved, gold_spans=gold_spans, ece=ece, reliability=reliability,
    )
