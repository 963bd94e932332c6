"""The one domain error type every door (form, API, import row, CLI) turns into a message."""
from __future__ import annotations


class ValidationError(ValueError):
    """A rule of the domain was broken; ``field`` names the input at fault."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
