"""Why a whole file is refused (as opposed to a row that has an error)."""
from __future__ import annotations

from app.messages import Said


class ImportRefused(Exception):
    """The file cannot be read at all: hostile, broken, of the wrong type or layout.

    ``code`` is stable (API clients and tests use it); ``message`` is for people: a said message
    (``app.messages.said``), which the batch keeps so that each reader sees it in their language.
    """

    def __init__(self, code: str, message: Said):
        super().__init__(message)
        self.code = code
        self.message = message
