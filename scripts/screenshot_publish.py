#!/usr/bin/env python3
"""Screenshots of the demo gallery published as a web page (docs/screenshots/publish-*.png).

    .venv/bin/python scripts/screenshot_publish.py [--out docs/screenshots]

Builds the demo library in a temporary folder, publishes "President of Poland visits NATO" with
``mediadesk publish`` and photographs the page in headless Debian chromium (selenium and the
distribution's chromedriver): the whole page 390 px and 1440 px wide, and the lightbox opened
with the keyboard.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))   # the checkout, for the tests' browser helpers (tests.support)

from mediadesk.catalog import Catalog  # noqa: E402
from mediadesk.demo import build_demo_library  # noqa: E402

from tests.support.browser import chromium  # noqa: E402

GALLERY = "President of Poland visits NATO"


def _full_page(driver, width: int, path: Path) -> None:
    driver.set_window_size(width, 900)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, height)
    for img in driver.find_elements("css selector", "img"):
        driver.execute_script("arguments[0].loading = 'eager'", img)
    driver.execute_script("return Promise.all([...document.images].map(i => i.decode().catch(() => 0)))")
    time.sleep(1.5)   # the players' controls fade their start-up spinner out (a picture, not a test)
    driver.save_screenshot(str(path))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="mediadesk-publish-shots-") as tmp:
        work = Path(tmp)
        catalog = Catalog(work / "demo.mediadesk")
        build_demo_library(catalog, media_dir=work / "media")
        catalog.close()
        subprocess.run([sys.executable, "-m", "mediadesk", "--catalog", str(work / "demo.mediadesk"),
                        "publish", "--gallery", GALLERY, "--out", str(work / "site"),
                        "--site-title", "NATO Media"], check=True, stdout=subprocess.DEVNULL)
        page = next((work / "site").glob("*/index.html")).as_uri()
        with chromium() as driver:
            driver.get(page)
            _full_page(driver, 1440, args.out / "publish-1440.png")
            _full_page(driver, 390, args.out / "publish-390.png")
            driver.set_window_size(1440, 900)
            link = driver.find_elements("css selector", ".photo-grid a.zoom")[3]
            driver.execute_script("arguments[0].focus()", link)
            link.send_keys("\n")
            driver.switch_to.active_element.send_keys("\ue014")   # ArrowRight: the next photo
            driver.execute_script("return document.querySelector('dialog.lightbox img').decode()")
            driver.save_screenshot(str(args.out / "publish-lightbox.png"))
    for name in ("publish-1440.png", "publish-390.png", "publish-lightbox.png"):
        print(args.out / name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
