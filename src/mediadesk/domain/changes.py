"""What an operation touched, so each view can decide what to redraw."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Changes:
    assets: frozenset[int] = frozenset()       # assets whose fields changed
    fields: frozenset[str] = frozenset()       # which fields changed
    added: bool = False                        # assets were added or removed (result sets change)
    galleries: bool = False                    # galleries or their membership changed
    rights: bool = False                       # rights profiles or assignments changed
    history: bool = False                      # the undo/redo stack changed
    extra: dict = field(default_factory=dict, compare=False)

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            assets=self.assets | other.assets, fields=self.fields | other.fields,
            added=self.added or other.added, galleries=self.galleries or other.galleries,
            rights=self.rights or other.rights, history=self.history or other.history,
        )

    @property
    def empty(self) -> bool:
        return not (self.assets or self.added or self.galleries or self.rights or self.history)
