"""Where each catalog field lives in XMP, in exiv2's key names (one table for reading,
writing and the tolerant recovery of damaged packets)."""

from __future__ import annotations

# catalog field -> (exiv2 key, kind) ; kind: "text" | "langalt" | "bag" | "seq" | "int" | "date"
XMP_KEYS: dict[str, tuple[str, str]] = {
    "title": ("Xmp.dc.title", "langalt"),
    "headline": ("Xmp.photoshop.Headline", "text"),
    "caption": ("Xmp.dc.description", "langalt"),
    "alt_text": ("Xmp.iptc.AltTextAccessibility", "langalt"),
    "keywords": ("Xmp.dc.subject", "bag"),
    "event": ("Xmp.iptcExt.Event", "langalt"),
    "date_created": ("Xmp.photoshop.DateCreated", "date"),
    "rating": ("Xmp.xmp.Rating", "int"),
    "label": ("Xmp.xmp.Label", "text"),
    "people": ("Xmp.iptcExt.PersonInImage", "bag"),
    "organisations": ("Xmp.iptcExt.OrganisationInImageName", "bag"),
    "sublocation": ("Xmp.iptc.Location", "text"),
    "city": ("Xmp.photoshop.City", "text"),
    "state": ("Xmp.photoshop.State", "text"),
    "country": ("Xmp.photoshop.Country", "text"),
    "country_code": ("Xmp.iptc.CountryCode", "text"),
    "creator": ("Xmp.dc.creator", "seq"),
    "credit": ("Xmp.photoshop.Credit", "text"),
    "source": ("Xmp.photoshop.Source", "text"),
    "copyright": ("Xmp.dc.rights", "langalt"),
    "usage_terms": ("Xmp.xmpRights.UsageTerms", "langalt"),
    "instructions": ("Xmp.photoshop.Instructions", "text"),
}
