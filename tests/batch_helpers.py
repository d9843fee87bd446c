"""Shared data for the batch tests: a light process function and a broken corpus.

Worker processes import this module by name (the pool and Dask pickle
functions by reference), so it lives at the top of ``tests/`` where pytest
puts it on ``sys.path``; subprocesses get that path through ``PYTHONPATH``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from geokit import Document, Mention, Toponym

ROOT = Path(__file__).resolve().parents[1]
# The dev texts live beside the repository, not in it (their licences forbid copying).
GEOVIRUS = ROOT.parent / "shared" / "eval" / "geovirus.jsonl"

FAIL_MARK = "GEOKIT-TEST-FAIL"
_WORD = re.compile(r"(?<![.!?]\s)\b[A-Z][a-z]{3,}\b")


def light_process(record):
    """Resolve capitalised words exactly with the real gazetteer: cheap, deterministic.

    For tests about bookkeeping, where the full pipeline would only add time.
    A text containing :data:`FAIL_MARK` raises, to exercise processing errors.
    """
    from geokit.gazetteer._index import Gazetteer

    if FAIL_MARK in record.text:
        raise RuntimeError(f"deliberate failure in {record.id}")
    gaz = Gazetteer.default()
    toponyms = []
    for m in _WORD.finditer(record.text):
        found = gaz.resolve(m.group(), limit=1, fuzzy=False)
        if found:
            toponyms.append(Toponym(Mention(m.start(), m.end(), m.group()), found[0],
                                    score=found[0].score))
    return Document(id=record.id, text=record.text, toponyms=tuple(toponyms),
                    date=record.date, meta=dict(record.meta))


def light_warmup():
    """Open the gazetteer once per worker, as the real pipeline's warm-up does."""
    from geokit.gazetteer._index import Gazetteer

    Gazetteer.default()


light_process.warmup = light_warmup


def dev_records(n: int | None = None) -> list[dict]:
    """The first ``n`` GeoVirus articles as ``{"id", "text", "title", "url"}`` dicts."""
    out = []
    with GEOVIRUS.open(encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            out.append({"id": d["id"], "text": d["text"], "date": "2009-12-01",
                        "title": d["text"][:40], "url": f"https://example.org/{d['id']}"})
            if n is not None and len(out) == n:
                break
    return out


def write_broken_corpus(path: Path, good: list[dict]) -> dict[str, list]:
    """Write ``good`` as JSONL with about 5% broken records mixed in.

    Returns
    -------
    dict
        ``good_ids`` (in order) and ``broken``: one ``(line, id or None, kind)``
        for each broken record, ``line`` 1-based.
    """
    n_broken = max(5, round(len(good) / 19))  # broken / total ~= 5%
    broken_lines = [
        (b'{"id": "bad-json", "text": "unterminated', None, "invalid_json"),
        (json.dumps({"id": "no-text", "title": "where is the text"}).encode(), "no-text",
         "missing_text"),
        # Raw PNG bytes (no 0x0A, so they stay one line).
        (b"\x89PNG\r\x1a\x00\x00\x00\rIHDR\x00\x00\x01\x00\xff\xfe", None, "binary"),
        (json.dumps({"id": "huge", "text": "Paris. " * 750_000}).encode(), "huge",
         "too_large"),  # 5.25 MB, over the 2M-character limit
        (json.dumps({"id": good[0]["id"], "text": "A second text with the same id."}
                    ).encode(), good[0]["id"], "duplicate_id"),
    ]
    extra = [(json.dumps({"id": f"binary-{i}", "text": "\x00\x01\x02 garbage"}).encode(),
              f"binary-{i}", "binary") for i in range(n_broken - len(broken_lines))]
    broken_lines += extra
    # Spread the broken records through the file, so they land in different chunks.
    lines: list[bytes] = []
    broken: list[tuple[int, str | None, str]] = []
    step = max(1, len(good) // len(broken_lines))
    queue = list(broken_lines)
    for i, rec in enumerate(good):
        lines.append(json.dumps(rec).encode())
        if queue and (i + 1) % step == 0:
            raw, rid, kind = queue.pop(0)
            lines.append(raw)
            broken.append((len(lines), rid, kind))
    for raw, rid, kind in queue:
        lines.append(raw)
        broken.append((len(lines), rid, kind))
    path.write_bytes(b"\n".join(lines) + b"\n")
    return {"good_ids": [r["id"] for r in good], "broken": broken}


def slow_process(record):
    """:func:`light_process` at about 20 documents per second per worker, to kill mid-run."""
    import time

    time.sleep(0.05)
    return light_process(record)


slow_process.warmup = light_warmup


def blas_threads_env():
    """Return the worker's BLAS thread settings (run inside a worker process)."""
    import os

    return {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS")}
