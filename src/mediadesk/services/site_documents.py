"""Documents on a published page (issue 16): a press release or a transcript linked to the
gallery's assets, published when chosen (``publish --with-documents``).

A document goes online as a web page of its own text (the text the import extracted, page by
page), with its usage-rights note on the page and in ``dcterms.rights``: the file itself (a PDF,
a Word file) is not offered, since mediadesk cannot put the rights note inside it and every file
a visitor can save must carry the note. The gallery page lists the documents with their date and
summary and links to their pages. Pure functions from plain values to bytes, as site_pages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mediadesk.services.html_render import Markup, join, json_script, paragraphs, render
from mediadesk.services.publish_media import MadeFile

if TYPE_CHECKING:
    from mediadesk.services.site_pages import GalleryPage, PageItem

PAGE_ROLE = "page"      # the role of a document's page among its published files


def page_file(item: PageItem) -> MadeFile | None:
    return item.file(PAGE_ROLE)


def _meta(item: PageItem, human_date: Callable[[str | None], str]) -> str:
    parts = [human_date(item.asset.date_created)]
    source = item.fields.get("source") or item.fields.get("credit")
    if source:
        parts.append(f"Source: {source}")
    if item.asset.page_count:
        parts.append(f"{item.asset.page_count} page{'s' if item.asset.page_count != 1 else ''}")
    return " · ".join(p for p in parts if p)


def documents_section(page: GalleryPage, documents: list[PageItem],
                      human_date: Callable[[str | None], str]) -> Markup:
    rows = []
    for item in documents:
        file = page_file(item)
        if file is None:
            continue
        summary = str(item.fields.get("caption") or "")
        rows.append(render("document_row.html", anchor=item.anchor, href="media/" + file.name,
                           title=item.asset.display_title, meta=_meta(item, human_date),
                           summary=paragraphs(summary[:400] + ("…" if len(summary) > 400 else ""), "caption")))
    if not rows:
        return Markup("")
    return render("documents.html", count=len(rows), rows=join(rows))


def document_object(page: GalleryPage, item: PageItem, license_url: str) -> dict[str, Any]:
    """schema.org ``DigitalDocument`` of a published document."""
    file = page_file(item)
    f = item.fields
    data = {
        "@type": "DigitalDocument", "@id": page.url("#" + item.anchor) if page.base_url else "#" + item.anchor,
        "name": item.asset.display_title, "description": f.get("caption") or item.asset.display_title,
        "url": page.url("media/" + file.name) if file else None, "inLanguage": item.asset.language,
        "license": license_url, "acquireLicensePage": page.licence_page, "creditText": f.get("credit"),
        "copyrightNotice": f.get("copyright"), "dateCreated": item.asset.date_created,
        "datePublished": item.first_published or page.published_at, "encodingFormat": "text/html",
    }
    return {k: v for k, v in data.items() if v not in (None, "", [])}


def document_html(page: GalleryPage, item: PageItem, pages: list[str], paged: bool,
                  human_date: Callable[[str | None], str], generator: str) -> bytes:
    """The web page of one document: its text (by page for a paged one), its rights note."""
    blocks = []
    for number, text in enumerate(pages, 1):
        body = paragraphs(text.replace("\n", "\n\n"))
        if paged and len(pages) > 1:
            blocks.append(Markup(f'<section aria-label="Page {number}"><h2>Page {number}</h2>\n{body}\n</section>'))
        else:
            blocks.append(body)
    note = item.note or ""
    ld = {"@context": "https://schema.org", **document_object(page, item, page.url("#usage-rights")
                                                               if page.base_url else "#usage-rights")}
    kind = "Document"
    html = render("document.html", lang=item.asset.language.split("-")[0] if item.asset.language else page.lang,
                  title=item.asset.display_title, site_title=page.site_title,
                  summary=" ".join(str(item.fields.get("caption") or item.asset.display_title).split())[:280],
                  generator=generator, note=note, json_ld=json_script(ld), gallery=page.title, kind=kind,
                  meta=_meta(item, human_date), text=join(blocks),
                  footer=f"Published {human_date(page.published_at)} with {generator}. {note}")
    return html.encode("utf-8")


__all__ = ["PAGE_ROLE", "document_html", "document_object", "documents_section", "page_file"]
