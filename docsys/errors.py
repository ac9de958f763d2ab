"""Domain exceptions. The web layer maps each one to an HTTP status and shows its Spanish message."""

import math


class DocsysError(Exception):
    """Base class: ``message`` is shown to the user as is, so it is always Spanish."""

    status = 400

    def __init__(self, message: str, **details):
        super().__init__(message)
        self.message = message
        self.details = details


class ValidationError(DocsysError):
    status = 400


class NotFound(DocsysError):
    status = 404


class PermissionDenied(DocsysError):
    status = 403


class Conflict(DocsysError):
    status = 409


class VersionConflict(Conflict):
    """Raised when a save is based on a version that is no longer the latest."""


class TooManyRequests(DocsysError):
    """A per-user limit on expensive work was reached; ``retry_after`` is in seconds."""

    status = 429

    def __init__(self, message: str, retry_after: int, **details):
        super().__init__(message, retry_after=retry_after, **details)
        self.retry_after = retry_after


class ImmutableError(Conflict):
    """Raised on any attempt to change something that is written once."""


class TooManyAttempts(DocsysError):
    """HTTP 429 (login throttling) with the wait in seconds (``retry_after``) and in words."""

    status = 429

    def __init__(self, seconds: int):
        minutes = max(1, math.ceil(seconds / 60))
        unit = "minuto" if minutes == 1 else "minutos"
        super().__init__(f"Demasiados intentos fallidos. Espere {minutes} {unit} y vuelva a "
                         "intentarlo.", retry_after=seconds)
        self.retry_after = seconds
