"""Screenshot a map HTML file in headless Chromium (Debian's) through Playwright.

Used by ``make maps`` for the gallery picture. Requests to anything but the
file itself are counted and printed, so an offline map can be checked too.

Run: python bench/screenshot.py maps/seeds-offline.html maps/seeds.png
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("html", type=Path)
    ap.add_argument("png", type=Path)
    ap.add_argument("--size", default="1280x800", help="viewport WIDTHxHEIGHT")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    width, height = (int(x) for x in args.size.split("x"))
    errors: list[str] = []
    remote: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu",
                                          "--disable-background-networking"])
        page = browser.new_page(viewport={"width": width, "height": height})
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: None if r.url.startswith("file:") else remote.append(r.url))
        page.goto(args.html.resolve().as_uri(), wait_until="networkidle")
        page.wait_for_timeout(500)
        page.screenshot(path=str(args.png))
        browser.close()
    print(f"{args.png}: {len(remote)} network requests, {len(errors)} script errors")
    for e in errors:
        print(f"  error: {e}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
