"""Fixtures for the event dispatcher: throw-away handlers and committed-data engines."""
from __future__ import annotations

import uuid

import pytest

from app.db import get_db
from app.events.bus import Handler, handlers


@pytest.fixture
def add_handler():
    """Register handlers under unique names for one test; they are removed afterwards.

    ``add_handler(func, max_attempts=5, batch=None) -> (handler, event_type)``: the handler listens
    to a fresh event type that nothing else publishes.
    """
    added: list[str] = []

    def add(func, max_attempts: int = 5, event_type: str | None = None, batch=None):
        suffix = uuid.uuid4().hex[:10]
        event_type = event_type or f"Probe{suffix}"
        handler = Handler(f"test_probe_{suffix}", frozenset({event_type}), func, None, max_attempts, batch=batch)
        handlers[handler.name] = handler
        added.append(handler.name)
        return handler, event_type

    yield add
    for name in added:
        handlers.pop(name, None)


@pytest.fixture
def factory(app, connection):
    """The application's session factory, bound to the test's rolled-back connection."""
    return get_db(app).Session
