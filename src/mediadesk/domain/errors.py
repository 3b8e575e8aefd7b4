"""Error types that carry a message a person can act on."""


class MediadeskError(Exception):
    """Base class: str(error) is a complete sentence for the user."""


class MediaError(MediadeskError):
    """A media file could not be read or written (what is wrong and what to do)."""


class CatalogError(MediadeskError):
    """The catalog cannot be opened, migrated or written."""


class NotFound(MediadeskError):
    """An asset, gallery, profile or template that was named does not exist."""


class InvalidInput(MediadeskError):
    """Arguments or user input that cannot be used as given."""


class CatalogUnreachable(CatalogError):
    """A team catalog's server cannot be reached (or the connection broke): nothing was saved
    by the failed call; the same work may be tried again when it is back."""


class PasswordNeeded(CatalogError):
    """The team catalog's server asks for a password that libpq did not find (or refused it)."""
