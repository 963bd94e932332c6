"""Hooks: how one package shows what another knows without importing it.

The asking package declares a :class:`Hook` with the answer it uses while nobody
answers (``default``); the answering package registers its function with
:meth:`Hook.answer` in its ``init_app``. So the dependency runs one way only: the
package that answers imports the one that asks, never the other way round.
"""
from __future__ import annotations

from typing import Any, Callable


class Hook:
    """One extension point with at most one answering function."""

    def __init__(self, name: str, default: Any = None):
        self.name = name
        self.default = default
        self._answer: Callable | None = None

    def answer(self, func: Callable) -> Callable:
        """Register ``func`` as the answer (again on every ``init_app``: the last one counts)."""
        self._answer = func
        return func

    @property
    def answered(self) -> bool:
        return self._answer is not None

    def __call__(self, *args, **kwargs):
        return self.default if self._answer is None else self._answer(*args, **kwargs)

    def __repr__(self) -> str:
        return f"Hook({self.name!r}, answered={self.answered})"
