"""When a re-read file says something new about its rights, decide the profile link again.

The rights-bearing fields of a file are its usage terms, copyright notice and instructions.
The importer keeps them as the file gave them (``file_rights``); when a changed file is read
again and any of them differs, the profile link is decided again, as at a first import: the
profile whose note equals the new usage terms, or none (blocked at export). One exception: a
profile a person assigned *after* the file last changed (its modification time) is kept, since
the person decided with the new file in front of them. Either way the asset is flagged for review
with what changed (``rights_review``, listed under "Rights problems") until a person assigns a
profile again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from mediadesk.catalog.rights_profiles import _normalise_note

RIGHTS_FIELDS = ("usage_terms", "copyright", "instructions")
_LABELS = {"usage_terms": "usage terms", "copyright": "copyright notice", "instructions": "instructions"}
SHOWN_CHARS = 80


def _text(value: Any) -> str:
    return " ".join(str(value or "").split())


def file_rights(record: dict[str, Any]) -> dict[str, str]:
    """The rights-bearing fields of a read file (whitespace folded, empty ones left out)."""
    return {name: _text(record.get(name)) for name in RIGHTS_FIELDS if _text(record.get(name))}


def file_rights_json(record: dict[str, Any]) -> str:
    return json.dumps(file_rights(record), ensure_ascii=False, sort_keys=True)


def previous_file_rights(state: dict[str, Any]) -> dict[str, str]:
    """What the file said at the last read. Catalogs from before schema 3 did not keep it: the
    catalog's own values stand in (a value a person typed counts too, so a file that differs from
    it is taken as changed: the careful side)."""
    stored = state.get("file_rights")
    if stored:
        try:
            found = json.loads(stored)
            if isinstance(found, dict):
                return {k: _text(v) for k, v in found.items() if k in RIGHTS_FIELDS and _text(v)}
        except ValueError:
            pass
    return {name: _text(state.get(name)) for name in RIGHTS_FIELDS if _text(state.get(name))}


def _shown(text: str) -> str:
    text = text or ""
    return "(none)" if not text else repr(text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…")


def _moment(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Redecision:
    profile_id: int | None
    review: str
    changed: tuple[tuple[str, str, str], ...]   # (field, before, now)


def redecide(*, state: dict[str, Any], new_rights: dict[str, str], matched_profile: int | None,
             explicit: tuple[str, Any] | None, file_mtime: float,
             profile_names: dict[int, str]) -> Redecision | None:
    """The new profile link and review note, or None when the file's rights did not change.

    ``state``: the asset's row (AssetStore.rights_state); ``matched_profile``: the profile whose
    note equals the new usage terms; ``explicit``: (when, profile id) of the newest assignment a
    person made (HistoryStore.latest_assignment); ``file_mtime``: the re-read file's time."""
    before = previous_file_rights(state)
    changed = tuple((name, before.get(name, ""), new_rights.get(name, ""))
                    for name in RIGHTS_FIELDS
                    if (_normalise_note(before.get(name)) if name == "usage_terms" else before.get(name, ""))
                    != (_normalise_note(new_rights.get(name)) if name == "usage_terms" else new_rights.get(name, "")))
    if not changed:
        return None
    current = state.get("rights_profile_id")
    changed_at = datetime.fromtimestamp(min(file_mtime, datetime.now(UTC).timestamp()), UTC)
    what = "; ".join(f"its {_LABELS[n]} changed from {_shown(old)} to {_shown(new)}" for n, old, new in changed)
    when = changed_at.strftime("%Y-%m-%d %H:%M UTC")

    def name(pid: int | None) -> str:
        return f"'{profile_names.get(pid, f'#{pid}') if pid is not None else 'none'}'"

    assigned_at = _moment(explicit[0]) if explicit else None
    person_kept = (explicit is not None and current is not None and explicit[1] == current
                   and assigned_at is not None and assigned_at > changed_at)
    if person_kept and assigned_at is not None:
        if matched_profile == current:
            note = f"its note matches {name(current)}, the profile a person assigned"
        elif matched_profile is None:
            note = "its note matches no rights profile"
        else:
            note = f"its note matches {name(matched_profile)}"
        review = (f"The file changed on {when}: {what}. The rights profile {name(current)} that a person "
                  f"assigned on {assigned_at.strftime('%Y-%m-%d %H:%M UTC')}, after that change, was "
                  f"kept, but {note}: check which is right and assign the profile again")
        return Redecision(current, review, changed)
    if matched_profile is None:
        was = f" (it had {name(current)})" if current is not None else ""
        review = (f"The file changed on {when}: {what}. No rights profile has this note, so the "
                  f"asset has no rights profile{was} and is blocked at export until one is assigned")
    elif matched_profile != current:
        was = f"from {name(current)} " if current is not None else ""
        review = (f"The file changed on {when}: {what}. Its rights profile changed {was}to "
                  f"{name(matched_profile)}, whose note the file now carries")
    else:
        review = (f"The file changed on {when}: {what}. The rights profile {name(current)} still "
                  "matches its usage terms: check that it still applies")
    return Redecision(matched_profile, review, changed)
