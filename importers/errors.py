"""Why a whole file is refused (as opposed to a row that has an error)."""
from __future__ import annotations


class ImportRefused(Exception):
    """The file cannot be read at all: hostile, broken, of the wrong type or layout.

    ``code`` is stable (API clients and tests use it); ``message`` is for people.
    """

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message
