"""importers: see the issue that builds it."""
from __future__ import annotations


def init_app(app, api) -> None:
    return None
