"""Fuzz every public entry point: the properties of tests/test_properties.py, many more cases.

CI runs those properties with a few hundred examples each; this runs them with
``--examples`` each (default 10,000) under Hypothesis' ``fuzz`` profile and
prints, per entry point, how many cases ran and whether any raised something
other than a documented error (a GeokitError from the library; exit 0-3 and
one-line messages from the CLI).

    python bench/fuzz.py                      # 10,000 cases per entry point
    python bench/fuzz.py --examples 500 -k cli_resolve

Hypothesis keeps its example database under .hypothesis/ (not committed), so a
failure found once is tried first the next run.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    """Run the property suite under the fuzz profile and print a table per entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", type=int, default=10_000, help="Cases per entry point.")
    ap.add_argument("-k", default=None, help="Only the properties whose name matches.")
    args = ap.parse_args(argv)
    env = {**os.environ, "GEOKIT_HYPOTHESIS_PROFILE": "fuzz",
           "GEOKIT_FUZZ_EXAMPLES": str(args.examples)}
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
           str(ROOT / "tests" / "test_properties.py"), "--hypothesis-show-statistics",
           *(["-k", args.k] if args.k else [])]
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    out = proc.stdout + proc.stderr
    print(f"{'entry point':<70} {'cases':>7} {'invalid':>7}")
    for block in re.split(r"\n(?=tests/test_properties\.py::)", out):
        name = re.match(r"tests/test_properties\.py::(\w+):", block)
        # One line per phase (reuse of the example database, generate, shrink): add them up.
        phases = re.findall(r"(\d+) passing, (\d+) failing, and (\d+) invalid", block)
        if name and phases:
            cases = sum(int(p) + int(f) for p, f, _ in phases)
            print(f"{name.group(1):<70} {cases:>7} {sum(int(i) for *_, i in phases):>7}")
    tail = [ln for ln in out.splitlines() if re.search(r"\d+ (passed|failed)", ln)]
    print(f"\n{tail[-1] if tail else 'no result line'} in {seconds:.0f} s, "
          f"{args.examples} examples asked per entry point")
    if proc.returncode != 0:
        print(out[-6000:])
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
