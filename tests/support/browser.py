"""Headless Debian chromium through selenium and the distribution's chromedriver (helpers).

Nothing downloads a browser: chromium and chromium-driver come from apt (scripts/dev.sh), axe-core
from npm into .cache/axe (scripts/dev.sh test). When either is missing the test fails under
CI=true and is skipped with the reason otherwise.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.environment import require
from tests.support.paths import REPO

CHROMIUM = os.environ.get("MEDIADESK_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("MEDIADESK_CHROMEDRIVER", "/usr/bin/chromedriver")
AXE = Path(os.environ.get("MEDIADESK_AXE", REPO / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"))
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-default-apps", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
                  "--autoplay-policy=no-user-gesture-required")


def unavailable(reason: str) -> None:
    """Fail under CI (the tools are part of the test set-up there), skip with the reason otherwise."""
    require(False, reason)


def require_browser() -> None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        unavailable("selenium is not installed (pip install -e '.[test]')")
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not os.access(path, os.X_OK):
            unavailable(f"{path} is missing: apt-get install {package} (scripts/dev.sh setup does it)")


@contextmanager
def chromium(width: int = 1440, height: int = 1000) -> Iterator:
    """A selenium driver on headless chromium with a fresh profile and performance logging."""
    require_browser()
    from selenium import webdriver
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="mediadesk-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS + (f"--user-data-dir={profile}", f"--window-size={width},{height}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    try:
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    except WebDriverException as exc:
        shutil.rmtree(profile, ignore_errors=True)
        unavailable(f"chromium could not be started: {exc.msg or exc}")
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def requested_urls(driver, documents: str) -> list[str]:
    """Every URL that documents under ``documents`` (their own loads included) asked for since
    the last call, from the Chrome DevTools performance log; the browser's own pages (its new
    tab page at start-up) are not the site's requests and are not listed."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            params = message["params"]
            if params.get("documentURL", "").startswith(documents):
                urls.append(params["request"]["url"])
    return urls


def axe_violations(driver) -> list[dict]:
    """axe-core's WCAG 2.0/2.1 A and AA violations on the loaded page."""
    if not AXE.is_file():
        unavailable(f"axe-core is missing at {AXE}: npm install --prefix .cache/axe axe-core@4 "
                    "(scripts/dev.sh test does it)")
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        ".then(r => done(r.violations.map(v => ({id: v.id, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)}))))"
        ".catch(e => done('axe failed: ' + e));")
    if isinstance(result, str):
        raise AssertionError(result)
    return result


@contextmanager
def http_server(folder: Path) -> Iterator[str]:
    """``python -m http.server`` on 127.0.0.1 (a free port) serving ``folder``; yields its URL."""
    proc = subprocess.Popen([sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1",
                             "--directory", str(folder)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    try:
        line = proc.stdout.readline()
        found = re.search(r"port (\d+)", line)
        if not found:
            raise AssertionError(f"http.server did not start: {line!r}")
        yield f"http://127.0.0.1:{found.group(1)}/"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
