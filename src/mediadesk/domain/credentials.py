"""C2PA content credentials as the catalog keeps them: one line in the asset's warnings.

The importer adds ``"Content credentials (C2PA): signed by …, valid — …"`` to an asset's
warnings when its file carries a C2PA manifest (media/c2pa.py). The inspector shows it as its
own line, and export and write-back use it to warn that embedding metadata breaks the
credentials. (No schema change: the warnings column already travels with every asset.)
"""

from __future__ import annotations

from collections.abc import Iterable

PREFIX = "Content credentials (C2PA): "
_CONSEQUENCE = " — embedding metadata into this file breaks them"


def credentials_warning(summary: str) -> str:
    """The warning stored for a file with a manifest; ``summary`` like "signed by X, valid"."""
    return PREFIX + summary + _CONSEQUENCE + " (export it untouched with an XMP sidecar)"


def credentials_summary(warnings: Iterable[str] | None) -> str | None:
    """"signed by X, valid" from an asset's warnings, or None when it has no credentials."""
    for warning in warnings or ():
        if isinstance(warning, str) and warning.startswith(PREFIX):
            return warning[len(PREFIX):].split(_CONSEQUENCE, 1)[0]
    return None


def has_credentials(warnings: Iterable[str] | None) -> bool:
    return credentials_summary(warnings) is not None
