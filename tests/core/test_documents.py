"""Document extraction (mediadesk.media.documents) on files the tests build: text, scanned,
encrypted and damaged PDFs, DOCX, ODT, HTML with scripts and hostile entities, Markdown, text."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from PIL import Image

from mediadesk.media.documents.press import date_in_text, from_pdf_date, source_in_text
from mediadesk.media.formats.document import read_document as extract_document, sniff_document

from tests.support.document_fixtures import corrupt_pdf, docx, docx_bomb, hostile_html, odt, scanned_pdf, text_pdf

RELEASE = ("NATO Secretary General meets the President of the Republic of Serbia\n\nSource: NATO\n\n"
           "On Wednesday, 19 March 2025, the NATO Secretary General, Mr Mark Rutte, will receive the "
           "President of the Republic of Serbia, Mr Aleksandar Vučić, at his official residence, in "
           "Brussels.\n\nThere will be no media opportunity.")


def _thumb(data: bytes | None) -> Image.Image:
    assert data
    im = Image.open(io.BytesIO(data))
    im.load()
    return im


def test_text_pdf_gives_metadata_pages_and_a_rendered_first_page(tmp_path):
    path = text_pdf(tmp_path / "release.pdf",
                    [RELEASE, "Page two holds the phrase kill the red tape.", "Page three."],
                    title="Rutte receives Vučić", author="NATO Press Office", lang="en-GB")
    info, thumb = extract_document(str(path), "PDF")
    assert info.title == "Rutte receives Vučić" and info.title_from == "metadata"
    assert info.author == "NATO Press Office"
    assert info.source == "NATO"
    assert info.language == "en-GB" and info.language_from == "metadata"
    assert info.page_count == 3 and len(info.pages) == 3
    assert "kill the red tape" in info.pages[1]
    assert "Vučić" in info.pages[0]
    assert info.date == "2025-03-19T14:30:00+00:00"
    assert info.text_found and not info.warnings
    im = _thumb(thumb)
    assert max(im.size) == 256 and im.size[1] > im.size[0]      # an A4 page, portrait
    # a drawn page: white paper with the text's grey pixels at the top, nothing at the bottom
    grey = im.convert("L")
    top = grey.crop((0, 0, grey.width, grey.height // 4))
    bottom = grey.crop((0, grey.height // 2, grey.width, grey.height))
    assert top.getextrema()[0] < 180 and bottom.getextrema()[0] > 240


def test_pdf_without_title_metadata_takes_its_first_line_and_detects_language(tmp_path):
    path = text_pdf(tmp_path / "pl.pdf", ["Sekretarz Generalny NATO odwiedza Warszawę\n\n"
                                          "Sekretarz Generalny NATO Mark Rutte odwiedził w środę Warszawę, "
                                          "gdzie spotkał się z prezydentem i premierem."])
    info, _ = extract_document(str(path), "PDF")
    assert info.title == "Sekretarz Generalny NATO odwiedza Warszawę" and info.title_from == "first line"
    assert info.language == "pl" and info.language_from == "detected"


def test_scanned_pdf_is_catalogued_with_a_warning_and_its_page_as_thumbnail(tmp_path):
    path = scanned_pdf(tmp_path / "scan.pdf", ["A scanned statement", "with no text layer"])
    info, thumb = extract_document(str(path), "PDF")
    assert not info.text_found and info.text == ""
    assert info.page_count == 2
    assert any("scanned" in w and "OCR" in w for w in info.warnings)
    assert max(_thumb(thumb).size) == 256


def test_encrypted_pdf_is_catalogued_by_name_with_a_warning(tmp_path):
    path = text_pdf(tmp_path / "secret.pdf", ["classified words"], user_password="s3cret")
    info, thumb = extract_document(str(path), "PDF")
    assert info.encrypted and not info.text_found
    assert "classified" not in info.text
    assert any("password" in w for w in info.warnings)
    assert _thumb(thumb).size[1] == 256     # the text card says so


def test_pdf_with_only_an_owner_password_is_read(tmp_path):
    from fpdf import FPDF
    pdf = FPDF()
    pdf.set_encryption(owner_password="owner")       # no user password: anyone may open it
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "Permissions only: printing is restricted")
    pdf.output(str(tmp_path / "owner.pdf"))
    info, _ = extract_document(str(tmp_path / "owner.pdf"), "PDF")
    assert "Permissions only" in info.text and not info.encrypted


@pytest.mark.parametrize("maker", [corrupt_pdf, lambda p: (p.write_bytes(b"%PDF-1.4\n"), p)[1],
                                   lambda p: (p.write_bytes(b"not a pdf at all"), p)[1]])
def test_damaged_pdf_is_catalogued_with_a_warning(tmp_path, maker):
    path = maker(tmp_path / "broken.pdf")
    info, thumb = extract_document(str(path), "PDF")
    assert not info.text_found
    assert any("damaged" in w for w in info.warnings)
    assert thumb


def test_docx_text_heading_metadata_and_tracked_deletion(tmp_path):
    path = docx(tmp_path / "chiefs.docx",
                ["Source: NATO", "Brussels, NATO HQ, 18 March 2025 – Led by Admiral Giuseppe Cavo Dragone, "
                 "the 32 NATO Chiefs of Defence met via VTC.", "Column\tsecond"],
                heading="NATO Chiefs of Defence’s (virtual) meeting", creator="NATO Press Office",
                deleted="words deleted in review")
    info, thumb = extract_document(str(path), "DOCX")
    assert info.title == "NATO Chiefs of Defence’s (virtual) meeting" and info.title_from == "heading"
    assert info.date == "2025-03-18" and info.date_from == "text"
    assert info.author == "NATO Press Office" and info.source == "NATO"
    assert "Cavo Dragone" in info.text and "Column second" in info.text
    assert "deleted in review" not in info.text
    assert info.page_count == 1 and info.language == "en"
    im = _thumb(thumb)
    assert im.size[1] == 256 and im.size[0] < 256


def test_docx_core_properties_win_over_the_text(tmp_path):
    path = docx(tmp_path / "core.docx", ["On 10 and 11 March 2025, NATO’s Secretary General visited Sarajevo."],
                title="Western Balkans visit", created="2025-03-12T09:00:00Z", language="en-US")
    info, _ = extract_document(str(path), "DOCX")
    assert info.title == "Western Balkans visit" and info.title_from == "metadata"
    assert info.date == "2025-03-12T09:00:00+00:00" and info.language == "en-US"


def test_docx_zip_bomb_stops_at_the_limit(tmp_path):
    path = docx_bomb(tmp_path / "bomb.docx", megabytes=80)
    started = time.process_time()
    info, _ = extract_document(str(path), "DOCX")
    assert not info.text_found and any("zip bomb" in w for w in info.warnings)
    assert time.process_time() - started < 5


def test_docx_bomb_with_a_lying_size_header_stops_while_unpacking(tmp_path):
    path = docx_bomb(tmp_path / "liar.docx", megabytes=80)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("word/document.xml")
    # zip64: the real sizes sit in the extra field of the central directory; claim 1 KB there
    central = data.rfind(b"PK\x01\x02")          # the last central-directory entry: document.xml
    assert central > 0 and info.file_size > 64 * 1024 * 1024
    extra_at = data.find(b"\x01\x00", central + 46 + len("word/document.xml"))
    data[extra_at + 4:extra_at + 12] = (1024).to_bytes(8, "little")
    path.write_bytes(bytes(data))
    doc, _ = extract_document(str(path), "DOCX")
    assert not doc.text_found
    assert any("zip bomb" in w or "cannot be unpacked" in w for w in doc.warnings)


def test_password_protected_docx_is_an_ole_file(tmp_path):
    path = tmp_path / "protected.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024))
    info, _ = extract_document(str(path), "DOCX")
    assert info.encrypted and any("password" in w for w in info.warnings)


def test_odt_text_spaces_heading_and_language(tmp_path):
    path = odt(tmp_path / "lt.odt", ["Source: NATO", "On Monday, 17 March 2025, the NATO Secretary General, "
                                     "Mr Mark Rutte, will meet Mr Kęstutis   Budrys."],
               heading="NATO Secretary General meets the Minister of Foreign Affairs of Lithuania",
               creator="NATO", language="en-GB")
    info, _ = extract_document(str(path), "ODT")
    assert info.title.startswith("NATO Secretary General meets") and info.title_from == "heading"
    assert "Kęstutis Budrys" in info.text         # text:s expanded, then spaces collapsed
    assert info.language == "en-GB" and info.date == "2025-03-17" and info.source == "NATO"


def test_encrypted_odt_is_catalogued_with_a_warning(tmp_path):
    info, _ = extract_document(str(odt(tmp_path / "enc.odt", ["x"], encrypted=True)), "ODT")
    assert info.encrypted and not info.text_found and any("password" in w for w in info.warnings)


def test_html_scripts_do_not_count_and_entities_do_not_expand(tmp_path):
    info, _ = extract_document(str(hostile_html(tmp_path / "thales.html")), "HTML")
    text = info.text
    assert info.title == "Secretary General visits Thales Herstal factory"
    assert info.date == "2025-03-27T12:00:00+01:00"
    assert info.author == "NATO Press Office" and info.source == "NATO"
    assert info.language == "en-GB"
    assert "defence production & R&D – in Herstal" in text
    assert "Vučić" in text                       # numeric character references decoded once
    assert "&lol3;" in text and "lollol" not in text
    assert "script words" not in text and "hacked" not in text and "noscript" not in text
    assert "ENTITY" not in text and "]>" not in text
    assert len(text) < 600


def test_markdown_front_matter_heading_and_markup(tmp_path):
    path = tmp_path / "release.md"
    path.write_text("---\ntitle: \"Military Committee visits Sweden\"\ndate: 2025-03-28\nlang: en\n---\n\n"
                    "# Heading that is not the title\n\nFrom **26 to 28 March**, the [Military Committee]"
                    "(https://example.invalid/mc) visited *Gotland* and Luleå.\n\n> A quote\n\n- a list item\n"
                    "![photo of Luleå](luleå.jpg)\n", encoding="utf-8")
    info, _ = extract_document(str(path), "MARKDOWN")
    assert info.title == "Military Committee visits Sweden" and info.date == "2025-03-28"
    assert "From 26 to 28 March, the Military Committee visited Gotland and Luleå." in info.text
    assert "https://" not in info.text and "**" not in info.text and "A quote" in info.text
    assert "photo of Luleå" in info.text and "luleå.jpg" not in info.text


def test_markdown_setext_heading_is_the_title(tmp_path):
    path = tmp_path / "r.md"
    path.write_text("Remarks\n-------\n\nFirst of all, thank you so much, Mr President.\n", encoding="utf-8")
    info, _ = extract_document(str(path), "MARKDOWN")
    assert info.title == "Remarks" and info.title_from == "heading"


def test_plain_text_windows_1250_and_utf16(tmp_path):
    polish = "Komunikat prasowy\n\nŹródło: NATO\n\nSekretarz Generalny spotkał się w Łodzi z ministrem obrony."
    (tmp_path / "a.txt").write_bytes(polish.encode("cp1250"))
    (tmp_path / "b.txt").write_bytes(polish.encode("utf-16"))
    for name in ("a.txt", "b.txt"):
        info, thumb = extract_document(str(tmp_path / name), "TEXT")
        assert "spotkał się w Łodzi" in info.text, name
        assert info.title == "Komunikat prasowy" and info.source == "NATO"
        assert thumb
    info, _ = extract_document(str(tmp_path / "a.txt"), "TEXT")
    assert any("Windows-1250" in w for w in info.warnings)


def test_empty_text_file_is_a_document_without_text(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    info, thumb = extract_document(str(tmp_path / "empty.txt"), "TEXT")
    assert not info.text_found and thumb


def test_sniffing(tmp_path):
    pdf = text_pdf(tmp_path / "x.pdf", ["x"]).read_bytes()[:512]
    assert sniff_document(pdf) == "PDF"
    assert sniff_document(odt(tmp_path / "x.odt", ["x"]).read_bytes()[:512]) == "ODT"
    assert sniff_document(docx(tmp_path / "x.docx", ["x"]).read_bytes()[:4096]) == "DOCX"
    assert sniff_document(b"\xef\xbb\xbf  <!DOCTYPE html><html>") == "HTML"
    assert sniff_document(b"PK\x03\x04" + bytes(100)) is None
    assert sniff_document(b"hello") is None


def test_press_conventions():
    assert date_in_text("On Thursday 13 and Friday 14 March [2025] NATO Secretary General") == "2025-03-13"
    assert date_in_text("Brussels, NATO HQ, 18 March 2025 – Led by") == "2025-03-18"
    assert date_in_text("Warszawa, 26 marca 2025 r.") == "2025-03-26"
    assert date_in_text("Released March 19, 2025") == "2025-03-19"
    assert date_in_text("31 February 2025") is None
    assert source_in_text("Title\n\nSource: NATO\n\nText") == "NATO"
    assert from_pdf_date("D:20250319143000+01'00'") == "2025-03-19T14:30:00+01:00"
    assert from_pdf_date("D:2025") == "2025" and from_pdf_date("yesterday") is None
