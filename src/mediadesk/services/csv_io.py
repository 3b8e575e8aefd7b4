"""CSV round trip: export chosen fields of a selection, edit in a spreadsheet, import back.

The file is UTF-8 with a byte-order mark (so Excel shows "Łódź" correctly), comma-separated
(semicolon- and tab-separated files are recognised on import), one row per asset. The ``id``
column says which asset a row belongs to; ``file_name`` is there for people and, when present on
import, must still match the asset (a row is never matched by guessing). Lists (keywords, people,
organisations) are joined with "; ". An empty cell clears the field; a column that is absent
leaves the field alone.

Formula injection: a cell that starts with = + - @ (or a tab or carriage return) would run as a
formula in a spreadsheet, so export puts a ' in front of it (plain numbers excepted) and import
takes that ' away again; values that really start with ' survive the round trip.

Import validates every row first; rows with problems are reported with their line number and
skipped, the good rows are applied as one undoable operation (or only previewed).
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from mediadesk.catalog.connection import Catalog
from mediadesk.domain.errors import InvalidInput, NotFound
from mediadesk.domain.fields import FIELD_BY_NAME, METADATA_FIELDS, FieldType
from mediadesk.fsutil import atomic_write_bytes
from mediadesk.services.edits import BatchResult, run_batch

ID_COLUMN = "id"
NAME_COLUMN = "file_name"
READ_ONLY_COLUMNS = (ID_COLUMN, NAME_COLUMN)
DEFAULT_EXPORT_FIELDS: tuple[str, ...] = METADATA_FIELDS
LIST_JOIN = "; "
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
# ASCII digits only: Python's int() also takes "2_0" and Arabic-Indic digits, a person's id never does
_ISO = re.compile(
    r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2})(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]+)?)?"
    r"(Z|[+-][0-9]{2}:?[0-9]{2})?)?)?)?$")
_WHOLE = re.compile(r"^[+-]?[0-9]{1,19}$")
MAX_FIELD_CHARS = 16 << 20   # a cell; the csv module's default (131,072) is below a long caption
MAX_OFFSET_MINUTES = 14 * 60  # UTC-12:00 .. UTC+14:00 are the offsets in use


# -- cells ---------------------------------------------------------------------------------

def protect_cell(text: str) -> str:
    """Prefix a ' to a cell a spreadsheet would run as a formula."""
    if not text or _NUMBER.match(text):
        return text
    if text.lstrip("'")[:1] in FORMULA_START and text.lstrip("'") != "":
        return "'" + text
    return text


def unprotect_cell(text: str) -> str:
    if text.startswith("'") and text.lstrip("'")[:1] in FORMULA_START and text.lstrip("'") != "":
        return text[1:]
    return text


def cell_for(field: str, value: Any) -> str:
    if isinstance(value, (list, tuple)):
        text = LIST_JOIN.join(value)
    else:
        text = "" if value is None else str(value)
    return protect_cell(text)


# -- export --------------------------------------------------------------------------------

def check_export_fields(fields: Sequence[str] | None) -> tuple[str, ...]:
    if not fields:
        return DEFAULT_EXPORT_FIELDS
    bad = [f for f in fields if f not in METADATA_FIELDS]
    if bad:
        raise InvalidInput(f"unknown field(s) {', '.join(bad)}; fields: {', '.join(METADATA_FIELDS)}")
    return tuple(dict.fromkeys(fields))


def csv_text(catalog: Catalog, asset_ids: Sequence[int], fields: Sequence[str] | None = None) -> str:
    names = check_export_fields(fields)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([ID_COLUMN, NAME_COLUMN, *names])
    for asset in catalog.assets.get_many(list(asset_ids)):
        writer.writerow([asset.id, protect_cell(asset.file_name),
                         *(cell_for(n, asset.get(n)) for n in names)])
    return out.getvalue()


def export_csv(catalog: Catalog, asset_ids: Sequence[int], path: str | os.PathLike,
               fields: Sequence[str] | None = None) -> int:
    """Write the CSV atomically; returns the number of rows."""
    text = csv_text(catalog, asset_ids, fields)
    atomic_write_bytes(path, text.encode("utf-8-sig"))
    return text.count("\r\n") - 1 if text else 0


# -- import --------------------------------------------------------------------------------

def _read_text(path: str) -> str:
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except FileNotFoundError:
        raise NotFound(f"CSV file {path} does not exist") from None
    except OSError as exc:
        raise InvalidInput(f"CSV file {path} cannot be read: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise InvalidInput(
            f"{path} line {line} is not UTF-8 text; save it from the spreadsheet as "
            "\"CSV UTF-8\" and import it again (nothing was imported)") from None


def _dialect(text: str) -> str:
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def parse_value(field: str, raw: str) -> Any:
    """A cell as a catalog value; raises ValueError with a message for a bad value."""
    text = unprotect_cell(raw)
    spec = FIELD_BY_NAME[field]
    if spec.type is FieldType.LIST:
        return [item.strip() for item in text.split(";") if item.strip()]
    text = text.strip()
    if not text:
        return None
    if spec.type is FieldType.INT:
        if not _WHOLE.match(text):
            raise ValueError(f"{field} must be a whole number from -1 to 5, not {text!r}")
        number = int(text)
        if not -1 <= number <= 5:
            raise ValueError(f"{field} must be from -1 to 5, not {number}")
        return number
    if spec.type is FieldType.DATE:
        m = _ISO.match(text)
        if not m:
            raise ValueError(f"{field} {text!r} is not an ISO date such as 2024-05-07 or "
                             "2024-05-07T10:30:00+02:00 (format the column as text in the spreadsheet)")
        y, mo, d = m.group(1), m.group(2), m.group(3)
        try:
            if d:
                date(int(y), int(mo), int(d))
            elif mo and not 1 <= int(mo) <= 12:
                raise ValueError
        except ValueError:
            raise ValueError(f"{field} {text!r} is not a real calendar date") from None
        problem = _time_problem(m.group(4), m.group(5), m.group(6), m.group(7))
        if problem:
            raise ValueError(f"{field} {text!r}: {problem} (write e.g. 2024-05-07T10:30:00+02:00)")
        return text
    if spec.type is FieldType.TEXT and ("\n" in text or "\r" in text):
        raise ValueError(f"{field} holds one line; the cell has a line break")
    if field == "country_code" and len(text) > 3:
        raise ValueError(f"country_code {text!r} has more than 3 letters (ISO 3166 codes: POL, LT, RS)")
    return text


def _time_problem(hour: str | None, minute: str | None, second: str | None,
                  offset: str | None) -> str | None:
    """Why a time of day or UTC offset cannot exist (25:99, second 60, +25:00), or None."""
    if hour is not None and not 0 <= int(hour) <= 23:
        return f"hour {hour} does not exist (00-23)"
    if minute is not None and not 0 <= int(minute) <= 59:
        return f"minute {minute} does not exist (00-59)"
    if second is not None and not 0 <= int(second) <= 59:
        return f"second {second} does not exist (00-59)"
    if offset and offset != "Z":
        digits = offset[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:])
        if minutes > 59 or hours * 60 + minutes > MAX_OFFSET_MINUTES:
            return f"time zone offset {offset} does not exist (-12:00 to +14:00)"
    return None


@dataclass(frozen=True)
class _Row:
    line: int
    cells: list[str]


def _rows(text: str, path: str) -> tuple[list[str], list[_Row]]:
    if csv.field_size_limit() < MAX_FIELD_CHARS:
        csv.field_size_limit(MAX_FIELD_CHARS)   # what export writes, import must read back
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_dialect(text), strict=True)
    rows: list[_Row] = []
    header: list[str] | None = None
    start = 1
    try:
        for cells in reader:
            if header is None:
                header = [c.strip().lstrip("\ufeff") for c in cells]
            elif any(c.strip() for c in cells):
                rows.append(_Row(start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InvalidInput(f"{path} line {reader.line_num}: the CSV cannot be read ({exc}); "
                           "nothing was imported") from None
    if header is None:
        raise InvalidInput(f"{path} is empty; expected a header row with an id column")
    return header, rows


def _check_header(header: list[str], path: str) -> list[str]:
    name = os.path.basename(path)
    if ID_COLUMN not in header:
        raise InvalidInput(f"{name} line 1: no \"id\" column; export a CSV from mediadesk to get "
                           "the right header (id, file_name, then the fields)")
    dupes = sorted({c for c in header if header.count(c) > 1})
    if dupes:
        raise InvalidInput(f"{name} line 1: column(s) {', '.join(dupes)} appear more than once")
    unknown = [c for c in header if c not in READ_ONLY_COLUMNS and c not in METADATA_FIELDS]
    if unknown:
        raise InvalidInput(f"{name} line 1: unknown column(s) {', '.join(map(repr, unknown))}; "
                           f"columns may be id, file_name and {', '.join(METADATA_FIELDS)}")
    return [c for c in header if c in METADATA_FIELDS]


def _asset_id(text: str) -> int | None:
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    number = int(text)
    return number if 1 <= number < 2**63 else None


def csv_edits(catalog: Catalog, path: str | os.PathLike) -> tuple[dict[int, dict[str, Any]], list[str]]:
    """{asset: {field: value}} from the good rows, and one problem message per bad row."""
    path = os.fspath(path)
    name = os.path.basename(path)
    header, rows = _rows(_read_text(path), path)
    fields = _check_header(header, path)
    index = {c: i for i, c in enumerate(header)}
    ids: list[int] = []
    for row in rows:
        try:
            raw = row.cells[index[ID_COLUMN]].strip()
        except IndexError:
            continue
        found = _asset_id(raw)
        if found is not None:
            ids.append(found)
    names = {a.id: a.file_name for a in catalog.assets.get_many(list(dict.fromkeys(ids)))}
    edits: dict[int, dict[str, Any]] = {}
    seen: dict[int, int] = {}
    problems: list[str] = []
    for row in rows:
        where = f"{name} line {row.line}"
        if len(row.cells) != len(header):
            problems.append(f"{where}: {len(row.cells)} cells but the header has {len(header)} columns; "
                            "row skipped")
            continue
        raw_id = row.cells[index[ID_COLUMN]].strip()
        asset_id = _asset_id(raw_id)
        if asset_id is None:
            problems.append(f"{where}: id {raw_id[:40]!r} is not an asset id (a whole number, digits "
                            "0-9 only); row skipped")
            continue
        if asset_id not in names:
            problems.append(f"{where}: there is no asset with id {asset_id} in this catalog; row skipped")
            continue
        if NAME_COLUMN in index:
            given = unprotect_cell(row.cells[index[NAME_COLUMN]].strip())
            if given and given != names[asset_id]:
                problems.append(f"{where}: asset {asset_id} is {names[asset_id]!r} in the catalog but the "
                                f"row says {given!r}; fix the id or the file name (row skipped)")
                continue
        if asset_id in seen:
            problems.append(f"{where}: asset {asset_id} already has a row on line {seen[asset_id]}; "
                            "row skipped")
            continue
        values: dict[str, Any] = {}
        bad: list[str] = []
        for field in fields:
            try:
                values[field] = parse_value(field, row.cells[index[field]])
            except ValueError as exc:
                bad.append(str(exc))
        if bad:
            problems.append(f"{where} (asset {asset_id}): " + "; ".join(bad) + "; row skipped")
            continue
        seen[asset_id] = row.line
        edits[asset_id] = values
    return edits, problems


def import_csv(catalog: Catalog, path: str | os.PathLike, *, dry_run: bool = False) -> BatchResult:
    """Apply the CSV's good rows as one undoable operation (or preview them)."""
    edits, problems = csv_edits(catalog, path)
    description = f"CSV import from {os.path.basename(os.fspath(path))} ({len(edits)} row(s))"
    return run_batch(catalog, edits, kind="csv", description=description, dry_run=dry_run,
                     problems=problems)
