"""Small errors every app shares. Their messages are shown to users: plain words."""


class UserFacingError(Exception):
    """A refusal with a message a filer or clerk can act on."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(UserFacingError):
    """The user may not do this (the message says why, without leaking other records)."""


class StorageUnavailable(Exception):
    """The file store could not be reached; transient, worth retrying."""
