"""Code replacements: ``=rutte=`` in a caption becomes "NATO Secretary General Mark Rutte".

The list is kept in the catalog and travels as the tab-separated text file Photo Mechanic users
already keep: one ``code<TAB>expansion`` per line; blank lines and lines starting with ``#`` are
ignored. Photo Mechanic's extra columns are kept too (``code<TAB>first<TAB>second``): ``=code=``
gives the first column, ``=code#2=`` the second. Codes are written without the ``=`` delimiters
in the file (``=rutte=`` in a file is accepted and stored as ``rutte``).

Expansion: exact code first, then the same code in any case; unknown codes are left as typed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from mediadesk.catalog.connection import Catalog
from mediadesk.domain.changes import Changes
from mediadesk.domain.errors import InvalidInput, NotFound
from mediadesk.fsutil import atomic_write_bytes

DELIMITER = "="
CODE_PATTERN = re.compile(r"=([^\s=#]+)(?:#(\d+))?=")
_VALID_CODE = re.compile(r"^[^\s=#]+$")


# -- expansion -----------------------------------------------------------------------------

class CodeTable:
    """Codes loaded once for many expansions (a batch, or typing in a field)."""

    def __init__(self, codes: Mapping[str, str]) -> None:
        self.codes = dict(codes)
        self._folded: dict[str, str] = {}
        for code, expansion in self.codes.items():
            self._folded.setdefault(code.casefold(), expansion)

    @classmethod
    def load(cls, catalog: Catalog) -> CodeTable:
        return cls(catalog.codes.all())

    def lookup(self, code: str, column: int = 1) -> str | None:
        expansion = self.codes.get(code)
        if expansion is None:
            expansion = self._folded.get(code.casefold())
        if expansion is None:
            return None
        columns = expansion.split("\t")
        if not 1 <= column <= len(columns):
            return None
        return columns[column - 1]

    def expand(self, text: str | None) -> str | None:
        """``text`` with every known ``=code=`` (and ``=code#N=``) replaced."""
        if not text or DELIMITER not in text or not self.codes:
            return text

        def sub(m: re.Match) -> str:
            found = self.lookup(m.group(1), int(m.group(2) or 1))
            return m.group(0) if found is None else found

        return CODE_PATTERN.sub(sub, text)

    def unknown_in(self, text: str | None) -> list[str]:
        """The ``=code=`` tokens in ``text`` that this table cannot expand."""
        if not text:
            return []
        return [m.group(0) for m in CODE_PATTERN.finditer(text)
                if self.lookup(m.group(1), int(m.group(2) or 1)) is None]

    def __len__(self) -> int:
        return len(self.codes)


def expand_codes(catalog: Catalog, text: str) -> str:
    return CodeTable.load(catalog).expand(text) or ""


# -- editing the list ------------------------------------------------------------------------

def clean_code(code: str) -> str:
    """A code as stored: no surrounding ``=``; raises InvalidInput for unusable codes."""
    text = (code or "").strip()
    if len(text) > 2 and text.startswith(DELIMITER) and text.endswith(DELIMITER):
        text = text[1:-1]
    if not text:
        raise InvalidInput("a code cannot be empty")
    if not _VALID_CODE.match(text):
        raise InvalidInput(f"the code {code!r} cannot contain spaces, tabs, '=' or '#'; "
                           "use letters, digits or punctuation such as rutte or nato-sg")
    return text


def set_code(catalog: Catalog, code: str, expansion: str) -> Changes:
    code = clean_code(code)
    if not (expansion or "").strip():
        raise InvalidInput(f"the code {code!r} needs an expansion text")
    with catalog.transaction():
        catalog.codes.put(code, expansion.strip())
    return Changes(extra={"codes": True})


def remove_code(catalog: Catalog, code: str) -> Changes:
    code = clean_code(code)
    with catalog.transaction():
        if not catalog.codes.delete(code):
            raise NotFound(f"there is no code {code!r} in this catalog")
    return Changes(extra={"codes": True})


# -- the tab-separated file ------------------------------------------------------------------

@dataclass
class CodeFile:
    """A parsed code file: the good entries in file order, and one message per bad line."""

    path: str
    entries: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    encoding: str = "utf-8"


def _decode(raw: bytes, path: str) -> tuple[str, str]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        # Photo Mechanic on Windows saves "ANSI"; cp1252 decodes any byte the same way each time
        return raw.decode("cp1252", errors="replace"), "cp1252"


def parse_code_text(text: str, path: str = "<text>") -> CodeFile:
    result = CodeFile(path)
    seen_at: dict[str, int] = {}
    name = os.path.basename(path)
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        where = f"{name} line {number}"
        if "\t" not in line:
            shown = stripped if len(stripped) <= 40 else stripped[:40] + "…"
            result.errors.append(
                f"{where}: no tab between code and expansion in {shown!r}; each line must be "
                "code<TAB>expansion (spaces are not separators)")
            continue
        code, _, expansion = line.partition("\t")
        expansion = expansion.rstrip("\r\n")
        columns = [c.strip() for c in expansion.split("\t")]
        while columns and not columns[-1]:
            columns.pop()
        try:
            code = clean_code(code)
        except InvalidInput as exc:
            result.errors.append(f"{where}: {exc}")
            continue
        if not columns or not columns[0]:
            result.errors.append(f"{where}: the code {code!r} has no expansion after the tab")
            continue
        if code in seen_at:
            result.errors.append(
                f"{where}: the code {code!r} is already defined on line {seen_at[code]}; "
                "the later line was kept")
        seen_at[code] = number
        result.entries[code] = "\t".join(columns)
    return result


def read_code_file(path: str | os.PathLike) -> CodeFile:
    path = os.fspath(path)
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except FileNotFoundError:
        raise NotFound(f"code file {path} does not exist") from None
    except OSError as exc:
        raise InvalidInput(f"code file {path} cannot be read: {exc.strerror or exc}") from None
    if b"\x00" in raw and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InvalidInput(f"{path} is not a text file; expected code<TAB>expansion lines")
    text, encoding = _decode(raw, path)
    parsed = parse_code_text(text, path)
    parsed.encoding = encoding
    return parsed


def import_codes(catalog: Catalog, path: str | os.PathLike, *, replace_all: bool = False) -> CodeFile:
    """Add the file's codes to the catalog (same code: the file wins). With ``replace_all`` the
    catalog's list becomes exactly the file's good lines. Bad lines are reported in ``errors``
    and skipped; nothing is imported from a file without a single good line."""
    parsed = read_code_file(path)
    if not parsed.entries:
        detail = ("; ".join(parsed.errors[:5]) + (" …" if len(parsed.errors) > 5 else "")
                  if parsed.errors else "the file has no code lines")
        raise InvalidInput(f"no codes imported from {os.fspath(path)}: {detail}")
    with catalog.transaction():
        store = catalog.codes
        if replace_all:
            store.clear()
        store.put_many(parsed.entries.items())
    return parsed


def code_file_text(codes: Mapping[str, str]) -> str:
    # no comment header: Photo Mechanic reads this file too
    return "".join(f"{code}\t{expansion}\n" for code, expansion in codes.items())


def export_codes(catalog: Catalog, path: str | os.PathLike) -> int:
    codes = catalog.codes.all()
    atomic_write_bytes(path, code_file_text(codes).encode("utf-8"))
    return len(codes)
