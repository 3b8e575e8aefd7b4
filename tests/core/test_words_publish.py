"""Publishing with documents (issue 16): the documents linked to a gallery's assets go on the page
when chosen, each decided by its own rights, as a page of its text with its usage-rights note (the
file itself, which cannot carry the note, is not offered); axe-core finds no WCAG violation."""

from __future__ import annotations

import json

import pytest

from mediadesk.catalog.connection import Catalog
from mediadesk.cli.main import main

from tests.support.browser import axe_violations, chromium
from tests.support.document_fixtures import scanned_pdf, text_pdf
from tests.support.ui_fixtures import EDITORIAL_NOTE, make_photo

GALLERY = "Joint press conference"
HOSTILE = '<script>alert("x")</script> & <b>bold</b>'


def _run(capsys, *args):
    capsys.readouterr()
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def site_library(tmp_path, capsys):
    folder, documents = tmp_path / "event", tmp_path / "documents"
    documents.mkdir()
    make_photo(folder / "photo.jpg", "NATO Secretary General Mark Rutte at the press conference", "Press conference")
    text_pdf(documents / "release.pdf", ["Joint press conference\n\nSource: NATO\n\nOn Thursday (6 March 2025) the "
                                      f"leaders met. {HOSTILE}", "Second page: defence production."],
             title="Joint press conference on defence")
    scanned_pdf(documents / "scan.pdf", ["A scanned note"])
    text_pdf(documents / "internal.pdf", ["Internal note\n\nNot for publication."], title="Internal note")
    catalog = tmp_path / "c.mediadesk"
    c = ["--catalog", str(catalog)]
    assert _run(capsys, *c, "import", str(folder), "--gallery", GALLERY)[0] == 0
    assert _run(capsys, *c, "import", str(documents))[0] == 0     # linked, not in the gallery
    with Catalog(catalog) as cat:
        ids = {a.file_name: a.id for a in cat.assets.get_many(cat.assets.all_ids())}
        profile = next(p for p in cat.rights.list() if p.note == EDITORIAL_NOTE)
    for name in ("release.pdf", "scan.pdf"):
        assert _run(capsys, *c, "rights", "assign", str(profile.id), str(ids[name]))[0] == 0
    for name in ("release.pdf", "scan.pdf", "internal.pdf"):
        assert _run(capsys, *c, "link", str(ids[name]), str(ids["photo.jpg"]))[0] == 0
    return c, ids


def test_documents_go_online_as_pages_of_their_text(site_library, tmp_path, capsys):
    c, ids = site_library
    out = tmp_path / "site"
    code, text, err = _run(capsys, *c, "publish", "--gallery", GALLERY, "--out", str(out), "--with-documents",
                           "--json", "--base-url", "https://press.example.org/media/")
    result = json.loads(text)
    assert code == 3, err
    left = {x["id"]: x["reason"] for x in result["left_out"]}
    assert set(left) == {ids["scan.pdf"], ids["internal.pdf"]}
    assert "no text" in left[ids["scan.pdf"]] and "profile" in left[ids["internal.pdf"]].lower()
    published = {p["id"]: p for p in result["published"]}
    assert set(published) == {ids["photo.jpg"], ids["release.pdf"]}
    [page_rel] = published[ids["release.pdf"]]["files"]
    assert page_rel.endswith(".html") and published[ids["release.pdf"]]["download"] is False
    page = (out / page_rel).read_text(encoding="utf-8")
    assert "<h2>Page 2</h2>" in page and "Second page: defence production." in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    assert "<script>alert" not in page
    assert f'<meta name="dcterms.rights" content="{EDITORIAL_NOTE}">' in page
    assert not list(out.rglob("*.pdf"))                  # the file itself is not offered
    with open(result["page"], encoding="utf-8") as fh:
        gallery = fh.read()
    assert "Press releases and documents" in gallery and "Joint press conference on defence" in gallery
    ld = json.loads(gallery.split('<script type="application/ld+json">')[1].split("</script>")[0])
    documents = [x for x in ld["@graph"] if x.get("@type") == "DigitalDocument"]
    assert len(documents) == 1 and documents[0]["license"].startswith("https://press.example.org/media/")
    # publishing again without the option takes the document's page down (it is not in the gallery)
    code, text, _ = _run(capsys, *c, "publish", "--gallery", GALLERY, "--out", str(out), "--json")
    assert json.loads(text)["removed"] == [ids["release.pdf"]] and not (out / page_rel).exists()


def test_a_published_document_page_passes_axe(site_library, tmp_path, capsys):
    c, ids = site_library
    out = tmp_path / "site"
    code, text, _ = _run(capsys, *c, "publish", "--gallery", GALLERY, "--out", str(out), "--with-documents", "--json")
    result = json.loads(text)
    page = next(p for p in result["published"] if p["id"] == ids["release.pdf"])["files"][0]
    with chromium() as driver:
        for url in (f"file://{out / page}", f"file://{result['page']}"):
            driver.get(url)
            assert axe_violations(driver) == [], url
