"""Shared fixtures: the real gazetteer index (built once), seeds and small texts."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SHARED_EVAL = ROOT.parent / "shared" / "eval"


@pytest.fixture(scope="session")
def gazetteer():
    """The default gazetteer index (``make test`` builds it before pytest runs)."""
    from geokit.gazetteer._index import Gazetteer

    return Gazetteer.default()


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    """The two seed articles by file stem."""
    return {p.stem: p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))}


#: Debian's Chromium, which `make browser` installs (Playwright's own browser
#: download needs hosts this network does not reach).
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium driven by Playwright, one per test module (closed with it)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser`")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                              args=["--no-sandbox", "--disable-gpu",
                                    "--disable-background-networking"])
        yield b
        b.close()
