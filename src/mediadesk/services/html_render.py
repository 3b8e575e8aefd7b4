"""A tiny escaping renderer for the published pages (string.Template, nothing else).

Everything that comes from the catalog is hostile input: a caption may hold ``</script>``,
quotes or ``]]>``. :func:`render` escapes every value for HTML text and attribute context
unless it is :class:`Markup` (a fragment this module already rendered), so a template cannot
forget to escape. :func:`json_script` makes JSON safe inside ``<script type="application/ld+json">``
(``<``, ``>`` and ``&`` as ``\\u`` escapes: no ``</script>``, ``<!--`` or ``]]>`` can appear).
Templates are files under ``resources/publish/``, read once.
"""

from __future__ import annotations

import functools
import html
import json
from collections.abc import Iterable
from string import Template
from typing import Any

from mediadesk.resources import resource_path

TEMPLATE_DIR = "publish"


class Markup(str):
    """Text that is already HTML (rendered here, with its values escaped)."""


def escape(value: Any) -> Markup:
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    return Markup(html.escape(str(value), quote=True))


def join(parts: Iterable[Markup], sep: str = "\n") -> Markup:
    return Markup(sep.join(escape(p) for p in parts))


def paragraphs(text: str | None, css: str | None = None) -> Markup:
    """Plain text as ``<p>`` elements: a blank line starts a paragraph, a newline is ``<br>``."""
    attr = f' class="{escape(css)}"' if css else ""
    blocks = [b.strip() for b in (text or "").replace("\r\n", "\n").split("\n\n")]
    return Markup("\n".join(f"<p{attr}>" + "<br>".join(escape(line) for line in b.split("\n")) + "</p>"
                            for b in blocks if b))


def attrs(**values: Any) -> Markup:
    """` name="value"` pairs; None and False are left out, True is a bare attribute."""
    out = []
    for name, value in values.items():
        if value is None or value is False:
            continue
        name = name.rstrip("_").replace("_", "-")
        out.append(f" {name}" if value is True else f' {name}="{escape(value)}"')
    return Markup("".join(out))


def json_script(data: Any) -> Markup:
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False)
    text = (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    return Markup(text)


@functools.cache
def template(name: str) -> Template:
    return Template(resource_path(f"{TEMPLATE_DIR}/{name}").read_text(encoding="utf-8"))


def static_bytes(name: str) -> bytes:
    return resource_path(f"{TEMPLATE_DIR}/{name}").read_bytes()


def render(name: str, **values: Any) -> Markup:
    """The template ``name`` with every value escaped (Markup values go in as they are)."""
    return Markup(template(name).substitute({k: escape(v) for k, v in values.items()}))
