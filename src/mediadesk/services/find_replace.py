"""Find and replace across chosen fields of a selection, with a preview of every change.

Plain text or a regular expression (Python syntax; the replacement may use \\1 or \\g<name>),
whole word and match case options. ``=code=`` replacements in the replacement text are expanded
first. Keywords, people and organisations are searched item by item; an item that becomes
empty is removed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from typing import Any

from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.history import read_fields
from mediadesk.domain.errors import InvalidInput
from mediadesk.domain.fields import FIELD_BY_NAME, LIST_FIELDS, TEXT_FIELDS
from mediadesk.services.codes import CodeTable
from mediadesk.services.edits import BatchResult, batch_scope, run_batch

SEARCHABLE_FIELDS: tuple[str, ...] = (*TEXT_FIELDS, *sorted(LIST_FIELDS))
DEFAULT_FIELDS: tuple[str, ...] = SEARCHABLE_FIELDS


def compile_pattern(find: str, *, regex: bool = False, whole_word: bool = False,
                    match_case: bool = True) -> re.Pattern[str]:
    if not find:
        raise InvalidInput("say what to find (--find TEXT cannot be empty)")
    body = find if regex else re.escape(find)
    if whole_word:
        body = rf"(?<!\w)(?:{body})(?!\w)"
    flags = 0 if match_case else re.IGNORECASE
    try:
        return re.compile(body, flags)
    except re.error as exc:
        where = f" at character {exc.pos + 1}" if exc.pos is not None else ""
        raise InvalidInput(f"the regular expression {find!r} is not valid{where}: {exc.msg}") from None


def _replacer(pattern: re.Pattern[str], replacement: str, regex: bool) -> Callable[[str], tuple[str, int]]:
    if not regex:
        return lambda text: pattern.subn(lambda m: replacement, text)
    try:  # the template is compiled on the first call: check group references up front
        pattern.sub(replacement, "")
    except (re.error, IndexError) as exc:
        msg = getattr(exc, "msg", str(exc))
        raise InvalidInput(f"the replacement {replacement!r} is not valid: {msg} "
                           f"(the expression has {pattern.groups} group(s))") from None
    return lambda text: pattern.subn(replacement, text)


def check_fields(fields: Sequence[str] | None) -> tuple[str, ...]:
    if not fields:
        return DEFAULT_FIELDS
    bad = [f for f in fields if f not in SEARCHABLE_FIELDS]
    if bad:
        raise InvalidInput(f"cannot search field(s) {', '.join(bad)}; fields: {', '.join(SEARCHABLE_FIELDS)}")
    return tuple(dict.fromkeys(fields))


def find_replace_edits(catalog: Catalog, asset_ids: Sequence[int], find: str, replace: str, *,
                       fields: Sequence[str] | None = None, regex: bool = False,
                       whole_word: bool = False, match_case: bool = True) -> tuple[dict[int, dict[str, Any]], int]:
    """{asset: {field: new value}} for the fields that change, and the number of matches."""
    names = check_fields(fields)
    pattern = compile_pattern(find, regex=regex, whole_word=whole_word, match_case=match_case)
    replacement = CodeTable.load(catalog).expand(replace or "") or ""
    sub = _replacer(pattern, replacement, regex)
    current = read_fields(catalog, list(asset_ids), names)
    edits: dict[int, dict[str, Any]] = {}
    matches = 0
    for asset_id in asset_ids:
        values = current.get(asset_id)
        if values is None:
            continue
        for name in names:
            value = values.get(name)
            if not value:
                continue
            if name in LIST_FIELDS:
                new_items, count = [], 0
                for item in value:
                    new_item, n = sub(item)
                    count += n
                    if new_item.strip():
                        new_items.append(new_item.strip())
                if count:
                    matches += count
                    edits.setdefault(asset_id, {})[name] = new_items
            else:
                new_text, count = sub(value)
                if count:
                    matches += count
                    edits.setdefault(asset_id, {})[name] = new_text
    return edits, matches


def find_replace(catalog: Catalog, asset_ids: Sequence[int], find: str, replace: str, *,
                 fields: Sequence[str] | None = None, regex: bool = False, whole_word: bool = False,
                 match_case: bool = True, dry_run: bool = False) -> BatchResult:
    """Replace in the chosen fields of the assets as one undoable operation (or preview it)."""
    labels = (", ".join(FIELD_BY_NAME[f].label.lower() for f in check_fields(fields)) if fields
              else "every text and list field")
    how = "regex " if regex else ""
    with batch_scope(catalog, dry_run=dry_run):
        edits, matches = find_replace_edits(catalog, asset_ids, find, replace, fields=fields,
                                            regex=regex, whole_word=whole_word, match_case=match_case)
        description = f'Replace {how}"{find}" with "{replace}" in {labels} ({matches} match(es))'
        return run_batch(catalog, edits, kind="replace", description=description, dry_run=dry_run)


_TOKENS = re.compile(r"\w+|\s+|[^\w\s]")
SIMILAR_ENOUGH = 0.5


def changed_segments(old: str, new: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """Old and new text split into (text, changed) runs, word by word, for a side-by-side preview.

    When the two texts have little in common (a template replaced the caption) nothing is
    marked: highlighting most of both would only hide what matters. New text where there was
    none is marked as a whole."""
    if not old:
        return [], ([(new, True)] if new else [])
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.ratio() < SIMILAR_ENOUGH:
        return [(old, False)], ([(new, False)] if new else [])
    left: list[tuple[str, bool]] = []
    right: list[tuple[str, bool]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        changed = tag != "equal"
        if i2 > i1:
            _add(left, "".join(a[i1:i2]), changed)
        if j2 > j1:
            _add(right, "".join(b[j1:j2]), changed)
    return left, right


def _add(runs: list[tuple[str, bool]], text: str, changed: bool) -> None:
    if runs and runs[-1][1] == changed:
        runs[-1] = (runs[-1][0] + text, changed)
    else:
        runs.append((text, changed))


def display_value(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)
