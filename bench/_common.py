"""Shared helpers for the benchmarks: where the dev data is, timing, memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"


def dev_file(name: str) -> Path | None:
    """Return a dev gold file from ../shared/eval, or None (and say so) when absent."""
    p = EVAL / name
    if not p.exists():
        print(f"skip: {p} not found (the dev data lives outside the repo, see README)")
        return None
    return p


def read_jsonl(path: Path, limit: int | None = None) -> list[dict]:
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                out.append(json.loads(line))
            if limit and len(out) >= limit:
                break
    return out


def run_process(argv: list[str], repeat: int = 5) -> tuple[float, float]:
    """Best wall time (s) and peak RSS (MB) of a whole process, over ``repeat`` runs.

    The RSS is that child's own (``wait4``), not the largest of all children so
    far. Linux keeps a forked child's peak across exec, so call this before the
    benchmark itself grows, or the parent's size shows up as the child's.
    """
    best = float("inf")
    rss = 0.0
    for _ in range(repeat):
        with tempfile.TemporaryFile() as err:
            t = time.perf_counter()
            proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err)
            _, status, usage = os.wait4(proc.pid, 0)
            best = min(best, time.perf_counter() - t)
            code = os.waitstatus_to_exitcode(status)
            proc.returncode = code
            if code:
                err.seek(0)
                raise subprocess.CalledProcessError(code, argv, stderr=err.read())
        rss = max(rss, usage.ru_maxrss / 1024)
    return best, rss


def python() -> str:
    return sys.executable
