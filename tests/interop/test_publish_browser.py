"""The demo gallery published as a web page, checked in a real browser (headless Debian chromium).

The NATO demo library is built for real, one photo is put under an embargo (it must leave no
trace), one gets a hostile caption (``</script><script>``, quotes, ``]]>``), one a profile that
allows online use only (shown, no download); ``mediadesk publish`` writes the site; chromium
loads the page from a file:// URL and from ``python -m http.server`` on 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest

from mediadesk.catalog import Catalog
from mediadesk.catalog.galleries import GalleryStore
from mediadesk.catalog.rights_profiles import RightsProfileStore
from mediadesk.demo import build_demo_library, content as demo_content
from mediadesk.domain.rights import Purpose, RightsProfile
from mediadesk.services.edits import apply_edits

from tests.support.browser import axe_violations, chromium, http_server, requested_urls, require_browser
from tests.support.environment import require
from tests.support.export_fixtures import exiftool_available

GALLERY = demo_content.POLAND_VISIT.title
HOSTILE = 'Rutte says "hello" </script><script>window.pwned = 1</script> ]]> & \'quoted\' <b>bold</b>'
NOTE = demo_content.USAGE_TERMS


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    require_browser()
    tmp = tmp_path_factory.mktemp("publish-browser")
    catalog_path = tmp / "demo.mediadesk"
    catalog = Catalog(catalog_path)
    try:
        report = build_demo_library(catalog, media_dir=tmp / "media")
        assert not report.errors, report.errors
        gallery = GalleryStore(catalog).require(GALLERY)
        ids = GalleryStore(catalog).asset_ids(gallery.id)
        kinds = {r["id"]: r["kind"] for r in catalog.query("SELECT id, kind FROM assets")}
        photos = [i for i in ids if kinds[i] == "photo"]
        with catalog.transaction():
            embargo = RightsProfileStore(catalog).create_unrecorded(RightsProfile(
                id=None, name="Embargoed summit photo", note="Embargoed: not before the summit.",
                allowed_purposes=frozenset(Purpose), credit_line="NATO",
                embargo_until=datetime.now(UTC) + timedelta(days=30)))
            online_only = RightsProfileStore(catalog).create_unrecorded(RightsProfile(
                id=None, name="Web only", note="For online use only; no print or broadcast.",
                allowed_purposes=frozenset({Purpose.EDITORIAL_ONLINE}), credit_line="NATO"))
        blocked, hostile, no_download = photos[2], photos[0], photos[1]
        apply_edits(catalog, {blocked: {"rights_profile_id": embargo, "title": "EMBARGOED-SECRET-TITLE"},
                              hostile: {"caption": HOSTILE},
                              no_download: {"rights_profile_id": online_only}}, description="test")
    finally:
        catalog.close()
    out = tmp / "site"
    env = dict(os.environ, XDG_STATE_HOME=str(tmp / "state"), XDG_CONFIG_HOME=str(tmp / "config"),
               XDG_CACHE_HOME=str(tmp / "cache"), XDG_DATA_HOME=str(tmp / "data"))
    run = subprocess.run(
        [sys.executable, "-m", "mediadesk", "--catalog", str(catalog_path), "publish", "--gallery", GALLERY,
         "--out", str(out), "--base-url", "https://press.example.org/media/", "--json"],
        capture_output=True, text=True, timeout=600, env=env)
    assert run.returncode == 3, run.stderr          # the embargoed photo was left out
    result = json.loads(run.stdout)
    assert [x["id"] for x in result["left_out"]] == [blocked]
    return {"root": out, "page": Path(result["page"]), "result": result, "ids": ids, "photos": photos,
            "blocked": blocked, "hostile": hostile, "no_download": no_download,
            "videos": [i for i in ids if kinds[i] == "video"]}


def _scroll_through(driver) -> None:
    """Scroll to the end so every lazily loaded picture is fetched, then wait for them."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.execute_script("window.scrollTo(0, document.body.scrollHeight)")
    for img in driver.find_elements("css selector", ".photo-grid img"):
        driver.execute_script("arguments[0].scrollIntoView()", img)
    WebDriverWait(driver, 20).until(lambda d: d.execute_script(
        "return [...document.querySelectorAll('.photo-grid img')].every(i => i.complete && i.naturalWidth > 0)"))


def _check_page(driver, site, base: str) -> None:
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    assert driver.find_element("css selector", "h1").text == GALLERY
    cards = driver.find_elements("css selector", ".photo-grid > li")
    allowed = [p for p in site["photos"] if p != site["blocked"]]
    assert sorted(c.get_attribute("id") for c in cards) == sorted(f"photo-{p}" for p in allowed)
    moments = [c.find_element("css selector", ".item-meta time").get_attribute("datetime") for c in cards]
    assert moments == sorted(moments)              # in the order things happened
    for card in cards:
        assert card.find_element("css selector", ".caption").text.strip()
        assert card.find_element("css selector", ".item-meta time").text.startswith("6 March 2025")
        assert card.find_element("css selector", "img").get_attribute("alt").strip()
        assert "NATO" in card.find_element("css selector", ".credit").text
    hostile = driver.find_element("id", f"photo-{site['hostile']}")
    assert hostile.find_element("css selector", ".caption").text == HOSTILE
    assert driver.execute_script("return window.pwned") is None

    # the embargoed photo says nothing: no card, no title, no file, no JSON-LD node
    source = driver.page_source
    assert f"photo-{site['blocked']}" not in source and "EMBARGOED-SECRET-TITLE" not in source
    assert "Embargoed" not in source

    rows = driver.find_elements("css selector", ".video-list tbody tr")
    videos = {demo_content.OPENING_REMARKS: "4:12", demo_content.QA: "5:18"}
    assert len(rows) == 2
    for row in rows:
        title, date, duration = (td.text for td in row.find_elements("css selector", "td"))
        assert videos.pop(title) == duration and date == "6 March 2025"
    for card in driver.find_elements("css selector", ".video-card"):
        assert card.find_element("css selector", "video").get_attribute("poster")
        assert card.find_element("css selector", ".caption").text

    # a video plays
    driver.execute_script("const v = document.querySelector('video'); v.muted = true; v.play();")
    WebDriverWait(driver, 30).until(lambda d: d.execute_script(
        "return document.querySelector('video').currentTime") > 0.5)

    # JSON-LD parses and carries the licence fields
    data = json.loads(driver.execute_script(
        "return document.querySelector('script[type=\"application/ld+json\"]').textContent"))
    nodes = data["@graph"][1:]
    assert [n["@type"] for n in nodes].count("ImageObject") == len(allowed)
    assert [n["@type"] for n in nodes].count("VideoObject") == 2
    for node in nodes:
        for key in ("license", "creditText", "creator", "copyrightNotice", "caption", "contentUrl",
                    "thumbnailUrl"):
            assert node.get(key), (key, node)
        assert node["license"].startswith("https://press.example.org/media/")
    assert any(n["caption"] == HOSTILE for n in nodes)
    durations = sorted(n["duration"] for n in nodes if n["@type"] == "VideoObject")
    assert durations == ["PT4M12S", "PT5M18S"] and all(n.get("uploadDate") for n in nodes
                                                        if n["@type"] == "VideoObject")

    # the lightbox, with the keyboard only
    first = driver.find_element("css selector", ".photo-grid a.zoom")
    driver.execute_script("arguments[0].focus()", first)
    first.send_keys(Keys.ENTER)
    WebDriverWait(driver, 5).until(lambda d: d.execute_script(
        "return document.querySelector('dialog.lightbox').open"))
    counter = driver.find_element("css selector", ".lightbox-counter")
    assert counter.text == f"Photo 1 of {len(allowed)}"
    driver.switch_to.active_element.send_keys(Keys.ARROW_RIGHT)
    assert counter.text == f"Photo 2 of {len(allowed)}"
    driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    WebDriverWait(driver, 5).until(lambda d: not d.execute_script(
        "return document.querySelector('dialog.lightbox').open"))
    assert driver.switch_to.active_element == first

    _scroll_through(driver)
    violations = axe_violations(driver)
    assert violations == [], json.dumps(violations, indent=1)[:4000]
    requests = requested_urls(driver, base)
    assert any(u.endswith(".mp4") for u in requests) and any(u.endswith(".css") for u in requests)
    # data: URLs are inline (the browser's own video controls use them): nothing leaves for them
    assert [u for u in requests if not u.startswith((base, "data:"))] == []
    timing = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert all(u.startswith(base) for u in timing), timing
    assert timing or base.startswith("file:")    # Resource Timing does not list file:// loads


def _download_links(driver, page_url: str) -> list[str]:
    return [urljoin(page_url, a.get_attribute("href"))
            for a in driver.find_elements("css selector", "a[download]")]


def test_published_demo_gallery_from_a_file_url(site):
    page_url = site["page"].as_uri()
    with chromium() as driver:
        driver.get(page_url)
        _check_page(driver, site, site["root"].as_uri() + "/")
        links = _download_links(driver, page_url)
    # every allowed asset but the online-only one offers a download, each carrying the note
    assert len(links) == len(site["ids"]) - 2
    assert f"photo-{site['no_download']}" in site["page"].read_text()
    paths = [Path(unquote(urlparse(u).path)) for u in links]
    assert all(p.is_file() for p in paths)
    require(exiftool_available(), "exiftool is not installed: the downloads' notes were not read back")
    out = subprocess.run(["exiftool", "-j", "-XMP-xmpRights:UsageTerms", "-XMP-photoshop:Credit",
                          "-GPS:all", "-SerialNumber", *map(str, paths)],
                         capture_output=True, text=True, check=True)
    for found in json.loads(out.stdout):
        assert found.get("UsageTerms") == NOTE, found
        assert found.get("Credit") == "NATO", found
        assert not any(k.startswith("GPS") for k in found), found


def test_published_demo_gallery_from_a_web_server(site):
    with http_server(site["root"]) as base, chromium(390, 900) as driver:
        page_url = urljoin(base, site["page"].relative_to(site["root"]).as_posix())
        driver.get(page_url)
        _check_page(driver, site, base)
        links = _download_links(driver, page_url)
        assert links
        for url in links:
            with urllib.request.urlopen(url, timeout=30) as response:
                served = response.read()
            on_disk = site["root"] / unquote(urlparse(url).path).lstrip("/")
            assert hashlib.sha256(served).digest() == hashlib.sha256(on_disk.read_bytes()).digest()
        driver.get(base + "index.html")
        assert GALLERY in driver.find_element("css selector", ".gallery-list").text
        assert axe_violations(driver) == []
