"""Rights profiles and the purposes an asset may be used for."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class Purpose(enum.StrEnum):
    EDITORIAL_BROADCAST = "editorial-broadcast"
    EDITORIAL_PRINT = "editorial-print"
    EDITORIAL_ONLINE = "editorial-online"
    EDITORIAL_RADIO = "editorial-radio"
    COMMERCIAL = "commercial"
    ADVERTISING = "advertising"
    MARKETING = "marketing"
    INTERNAL = "internal"

    @property
    def is_editorial(self) -> bool:
        return self.value.startswith("editorial-")

    @property
    def label(self) -> str:
        return self.value.replace("-", " ").capitalize()


EDITORIAL_PURPOSES = frozenset(p for p in Purpose if p.is_editorial)


@dataclass(frozen=True)
class RightsProfile:
    id: int | None
    name: str
    note: str
    allowed_purposes: frozenset[Purpose]
    embargo_until: datetime | None = None   # not before (aware datetime)
    expires_at: datetime | None = None      # not after (aware datetime)
    credit_line: str | None = None
    credit_required: bool = False

    @property
    def editorial_only(self) -> bool:
        return bool(self.allowed_purposes) and self.allowed_purposes <= EDITORIAL_PURPOSES
