"""Caption templates: text with variables, applied per field as replace, append or prepend.

Variables come from the asset and its gallery::

    {event}            the asset's event, else the title of its gallery
    {date}             date created (else the gallery's date) as "7 May 2024"; {date:%d %B %Y}
                       takes any strftime format (month and day names are always English;
                       %-d and %-m give the day and month without a leading zero)
    {city} {country} {creator} {title} ... any catalog field by name ({caption}, {headline},
                       {keywords}, {sublocation}, {credit}, ...): the asset's current value
    {people}           "Mark Rutte (NATO Secretary General), Andrzej Duda (President of Poland)":
                       roles from the people directory where known; {people:names} without roles
    {seq}              1-based position in the selection; {seq:03} -> 001
    {filename}         the file name; {gallery} the gallery title

``{{`` and ``}}`` are literal braces. ``=code=`` replacements are expanded in the template text
and in the result. A variable with no value vanishes with the separator next to it, so
"{city}, {country}." renders "Brussels." rather than "Brussels, .", and
a lower-case linking word before it goes too ("on {date}" with no date: nothing).

Modes: replace (an empty result leaves the field alone), append and prepend (a space is put
between old and new text unless one side already has it; text that is already at that end is
not added twice). For keywords, people and organisations the result is split on ";" into items
and list variables give one item each.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date as Date, datetime
from typing import Any

from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.galleries import Gallery
from mediadesk.catalog.templates import MODES, TemplateLine
from mediadesk.domain.errors import InvalidInput, NotFound
from mediadesk.domain.fields import FIELD_BY_NAME, LIST_FIELDS, METADATA_FIELDS
from mediadesk.services.codes import CodeTable
from mediadesk.services.edits import BatchResult, batch_scope, run_batch
from mediadesk.services.people import people_text

SPECIAL_VARIABLES = ("event", "date", "people", "seq", "filename", "gallery")
KNOWN_VARIABLES: tuple[str, ...] = tuple(dict.fromkeys(
    (*SPECIAL_VARIABLES, "city", "country", "creator", "title", *METADATA_FIELDS, "file_name")))
TEMPLATE_FIELDS = tuple(n for n in METADATA_FIELDS if n not in ("rating", "label"))   # marks are not text
DEFAULT_DATE_FORMAT = "%-d %B %Y"

_TOKEN = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)(?::([^{}]*))?\}|[{}]")
_EMPTY = "\x00"
_SEP = r"[,;:|/\u2013\u2014-]"
# a linking word right before an empty variable goes with it ("in {city}" with no city)
_LINKING = "in|on|at|by|with|of|from|for|during|near|and"
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


# -- parsing -------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Var:
    name: str
    spec: str | None


def parse_template(text: str) -> list[str | _Var]:
    """Literal strings and variables; InvalidInput names an unknown variable or a stray brace."""
    parts: list[str | _Var] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        if m.start() > pos:
            parts.append(text[pos:m.start()])
        token = m.group(0)
        if token in ("{{", "}}"):
            parts.append(token[0])
        elif token in ("{", "}"):
            raise InvalidInput(
                f"template text {text!r}: unmatched '{token}' at character {m.start() + 1}; "
                "write {{ or }} for a literal brace")
        else:
            name, spec = m.group(1), m.group(2)
            if name not in KNOWN_VARIABLES:
                raise InvalidInput(
                    f"unknown template variable {{{name}}}; known variables: "
                    + ", ".join("{" + v + "}" for v in KNOWN_VARIABLES))
            _check_spec(name, spec)
            parts.append(_Var(name, spec))
        pos = m.end()
    if pos < len(text):
        parts.append(text[pos:])
    return parts


def _check_spec(name: str, spec: str | None) -> None:
    if spec is None:
        return
    if name == "seq":
        try:
            format(1, spec)
        except ValueError:
            raise InvalidInput(f"{{seq:{spec}}}: {spec!r} is not a number format; try {{seq:03}}") from None
    elif name in ("date", "date_created"):
        if "%" not in spec:
            raise InvalidInput(f"{{{name}:{spec}}}: give a date format such as {{date:%d %B %Y}}")
    elif name == "people":
        if spec not in ("names", "roles"):
            raise InvalidInput(f"{{people:{spec}}}: use {{people}}, {{people:roles}} or {{people:names}}")
    else:
        raise InvalidInput(f"{{{name}:{spec}}}: only {{date:…}}, {{seq:…}} and {{people:…}} take a format")


# -- values --------------------------------------------------------------------------------

def format_date(iso: str | None, fmt: str = DEFAULT_DATE_FORMAT) -> str:
    """An ISO 8601 (possibly partial) date formatted in English; partial dates drop the parts
    they do not have ("2024-05" -> "May 2024")."""
    if not iso:
        return ""
    m = _ISO_DATE.match(iso.strip())
    if not m:
        return iso.strip()
    year, month, day = m.group(1), m.group(2), m.group(3)
    try:
        if not month or month == "00":
            return year
        if not day or day == "00":
            return f"{_MONTHS[int(month) - 1]} {year}"
        value = Date(int(year), int(month), int(day))
    except (ValueError, IndexError):
        return iso.strip()
    text = iso.strip()
    moment = None
    if len(text) > 10 and text[10] in "T ":
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            moment = None
    subs = {"%B": _MONTHS[value.month - 1], "%b": _MONTHS[value.month - 1][:3],
            "%A": _DAYS[value.weekday()], "%a": _DAYS[value.weekday()][:3],
            "%-d": str(value.day), "%-m": str(value.month)}
    out = re.sub(r"%-?[BbAadm]|%%", lambda t: subs.get(t.group(0), t.group(0)), fmt)
    try:
        return (moment or datetime(value.year, value.month, value.day)).strftime(out)
    except ValueError:
        return iso.strip()


@dataclass
class _Context:
    asset: dict[str, Any]   # TemplateStore.asset_values row: id, file_name, fields, gallery_id
    seq: int
    gallery: Gallery | None
    roles: dict[str, str]


def _value(var: _Var, ctx: _Context, list_target: bool) -> str | list[str]:
    a = ctx.asset
    name = var.name
    if name == "seq":
        return format(ctx.seq, var.spec) if var.spec else str(ctx.seq)
    if name == "filename" or name == "file_name":
        return str(a["file_name"])
    if name == "gallery":
        return ctx.gallery.title if ctx.gallery else ""
    if name == "event":
        return a.get("event") or (ctx.gallery.title if ctx.gallery else "")
    if name in ("date", "date_created"):
        source = a.get("date_created") or (ctx.gallery.date if ctx.gallery and name == "date" else None)
        if name == "date_created" and not var.spec:
            return source or ""
        return format_date(source, var.spec or DEFAULT_DATE_FORMAT)
    if name == "people":
        if list_target:
            return list(a.get("people") or ())
        return people_text(a.get("people") or (), ctx.roles, with_roles=var.spec != "names")
    value = a.get(name)
    if name in LIST_FIELDS:
        return list(value or ())
    return "" if value is None else str(value)


def _collapse(text: str) -> str:
    """Remove empty-variable markers and the separator each leaves dangling."""
    if _EMPTY not in text:
        return text
    s = re.sub(rf"[(\[][ \t]*{_EMPTY}[ \t]*[)\]]", _EMPTY, text)
    ends = rf"(?={_EMPTY}*(?:[\s,.;:!?)\]]|$))"  # only where the empty value stood alone
    s = re.sub(rf"[ \t]*{_SEP}[ \t]*{_EMPTY}{ends}", _EMPTY, s)
    s = re.sub(rf"\b(?:{_LINKING})[ \t]+{_EMPTY}{ends}", _EMPTY, s)
    s = re.sub(rf"(^|\n)(?:[ \t]*{_EMPTY})+[ \t]*(?:{_SEP}[ \t]*)?", r"\1", s)

    def join(m: re.Match) -> str:
        spaced = bool(m.group(1) or m.group(2))
        prev = s[m.start() - 1] if m.start() > 0 else ""
        nxt = s[m.end()] if m.end() < len(s) else ""
        if not spaced or not prev or not nxt or prev in "(\n" or nxt in ".,;:!?)\n":
            return ""
        return " "

    s = re.sub(rf"([ \t]*)(?:{_EMPTY})+([ \t]*)", join, s)
    return s


def render(parts: Sequence[str | _Var], ctx: _Context, *, list_target: bool = False) -> str:
    joiner = "; " if list_target else ", "
    out: list[str] = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
            continue
        value = _value(part, ctx, list_target)
        if isinstance(value, list):
            value = joiner.join(v for v in value if v)
        value = value.replace(_EMPTY, "")
        out.append(value if value.strip() else _EMPTY)
    return _collapse("".join(out))


# -- combining with the current value -------------------------------------------------------

def _combine_text(current: str | None, new: str, mode: str) -> str | None:
    current = current or ""
    if mode == "replace":
        return new if new.strip() else current or None
    piece = new.strip()
    if not piece:
        return current or None
    if not current.strip():
        return piece
    if mode == "append":
        if current.rstrip().endswith(piece):
            return current
        lead = new[:len(new) - len(new.lstrip())]
        glue = lead if lead else ("" if piece[0] in ",.;:)" else " ")
        return current.rstrip() + glue + piece
    if current.lstrip().startswith(piece):
        return current
    trail = new[len(new.rstrip()):]
    return piece + (trail or " ") + current.lstrip()


def _combine_list(current: Iterable[str], new: str, mode: str) -> list[str]:
    items = [i.strip() for i in new.split(";") if i.strip()]
    current = list(current)
    if mode == "replace":
        return items if items else current
    if mode == "append":
        return current + [i for i in items if i not in current]
    return items + [i for i in current if i not in items]


# -- the service ---------------------------------------------------------------------------

def validate_line(field: str, text: str, mode: str) -> None:
    if field not in TEMPLATE_FIELDS:
        raise InvalidInput(f"a template cannot fill {field!r}; fields: {', '.join(TEMPLATE_FIELDS)}")
    if mode not in MODES:
        raise InvalidInput(f"mode must be replace, append or prepend, not {mode!r}")
    parse_template(text)


def add_template(catalog: Catalog, name: str, field: str, text: str, mode: str = "replace") -> TemplateLine:
    """Save one field of a template (a template with several fields: call once per field)."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput("a template needs a name")
    validate_line(field, text, mode)
    with catalog.transaction():
        catalog.templates.put(name, field, text, mode)
    return next(line for line in catalog.templates.lines(name) if line.field == field)


def save_template(catalog: Catalog, name: str, lines: Sequence[tuple[str, str, str]]) -> list[TemplateLine]:
    """Save a whole template (the stationery pad) under ``name``: exactly these (field, text,
    mode) lines, in this order, replacing what the name held, in one transaction."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput("a template needs a name")
    if not lines:
        raise InvalidInput("tick at least one field to save in the template")
    fields = [field for field, _text, _mode in lines]
    if len(set(fields)) != len(fields):
        raise InvalidInput("a template fills each field once")
    for field, text, mode in lines:
        validate_line(field, text, mode)
    with catalog.transaction():
        catalog.templates.delete(name)
        for field, text, mode in lines:
            catalog.templates.put(name, field, text, mode)
    return catalog.templates.lines(name)


def remove_template(catalog: Catalog, name: str, field: str | None = None) -> int:
    """Delete a template (or one of its fields); returns how many fields went."""
    with catalog.transaction():
        removed = catalog.templates.delete(name, field)
    if not removed:
        what = f'field {field} of template "{name}"' if field else f'template "{name}"'
        raise NotFound(f"there is no {what}")
    return removed


def template_lines(catalog: Catalog, name: str) -> list[TemplateLine]:
    lines = catalog.templates.lines(name)
    if not lines:
        names = catalog.templates.names()
        known = ", ".join(f'"{n}"' for n in names[:15]) if names else "none yet (add one with `template add`)"
        raise NotFound(f'no caption template called "{name}" (templates: {known})')
    return lines


def _needed_fields(parsed: Sequence[tuple[TemplateLine, list]]) -> set[str]:
    names = {line.field for line, _ in parsed}
    for _line, parts in parsed:
        for part in parts:
            if isinstance(part, _Var):
                names.add(part.name)
    if names & {"event", "date"}:
        names |= {"event", "date_created"}
    return names & set(METADATA_FIELDS)


def render_edits(catalog: Catalog, lines: Sequence[TemplateLine], asset_ids: Sequence[int], *,
                 gallery: str | None = None, warnings: list[str] | None = None) -> dict[int, dict[str, Any]]:
    """{asset id: {field: new value}} the template lines give for the assets (nothing written).
    ``{seq}`` follows the order of ``asset_ids``."""
    codes = CodeTable.load(catalog)
    parsed = []
    for line in lines:
        validate_line(line.field, line.text, line.mode)
        parsed.append((line, parse_template(codes.expand(line.text) or "")))
    galleries = catalog.galleries
    chosen = galleries.require(gallery) if gallery else None
    by_id = {g.id: g for g in galleries.list()}
    rows = catalog.templates.asset_values(asset_ids, _needed_fields(parsed))
    ordered = [rows[i] for i in dict.fromkeys(asset_ids) if i in rows]
    wants_people = any(isinstance(p, _Var) and p.name == "people" for _, ps in parsed for p in ps)
    roles = catalog.people.roles_for(
        n for a in ordered for n in a.get("people") or ()) if wants_people else {}
    edits: dict[int, dict[str, Any]] = {}
    for seq, asset in enumerate(ordered, start=1):
        ctx = _Context(asset, seq, chosen or by_id.get(asset["gallery_id"]), roles)
        values: dict[str, Any] = {}
        for line, parts in parsed:
            is_list = line.field in LIST_FIELDS
            text = codes.expand(render(parts, ctx, list_target=is_list)) or ""
            current = values.get(line.field, asset.get(line.field))
            if is_list:
                values[line.field] = _combine_list(current or (), text, line.mode)
            else:
                if line.mode == "replace" and not text.strip() and warnings is not None:
                    warnings.append(f"asset {asset['id']} ({asset['file_name']}): the template gives no "
                                    f"text for {FIELD_BY_NAME[line.field].label.lower()}; left unchanged")
                values[line.field] = _combine_text(current, text, line.mode)
        edits[asset["id"]] = values
    return edits


def apply_template_lines(catalog: Catalog, lines: Sequence[TemplateLine], asset_ids: Sequence[int], *,
                         dry_run: bool = False, gallery: str | None = None,
                         description: str | None = None) -> BatchResult:
    if not lines:
        raise InvalidInput("the template has no fields to fill")
    warnings: list[str] = []
    name = lines[0].name or "ad-hoc template"
    fields = ", ".join(dict.fromkeys(line.field for line in lines))
    with batch_scope(catalog, dry_run=dry_run):
        edits = render_edits(catalog, lines, asset_ids, gallery=gallery, warnings=warnings)
        text = description or f'Template "{name}" ({fields}) on {len(edits)} asset(s)'
        return run_batch(catalog, edits, kind="template", description=text, dry_run=dry_run,
                         warnings=warnings)


def apply_template(catalog: Catalog, name: str, asset_ids: Sequence[int], *, dry_run: bool = False,
                   gallery: str | None = None) -> BatchResult:
    """Apply every field of the saved template ``name`` to the assets as one undoable operation
    (or, with ``dry_run``, only return the preview)."""
    return apply_template_lines(catalog, template_lines(catalog, name), asset_ids,
                                dry_run=dry_run, gallery=gallery)


def apply_template_after_import(catalog: Catalog, name: str, asset_ids: Sequence[int], *,
                                gallery: str | None = None) -> BatchResult:
    """``import --template NAME``: the template on the imported assets, ``{seq}`` in file order
    (workers finish out of order, so ids alone do not follow the shoot)."""
    files = sorted(catalog.asset_files.files(list(dict.fromkeys(asset_ids))), key=lambda f: f.path)
    return apply_template(catalog, name, [f.id for f in files], gallery=gallery)
