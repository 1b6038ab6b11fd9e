"""The one domain error every service raises when it refuses an operation."""


class DomainError(Exception):
    """A refused operation; ``str(error)`` is what the user is told.

    ``field`` names the form field the message belongs next to, when there is one.
    """

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field
