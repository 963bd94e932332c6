"""The programmes a role can be scoped to, as the package that owns programmes lists them.

``app`` imports no domain package: the programmes package registers its list here from its
``init_app`` and the Users and roles page asks for it.
"""
from __future__ import annotations

from typing import Callable, NamedTuple

from flask import Flask, current_app
from sqlalchemy.orm import Session

SCOPES_KEY = "aidledger.scopes"


class ScopeOption(NamedTuple):
    id: int
    label: str


def register_scope_source(app: Flask, source: Callable[[Session], list[ScopeOption]]) -> None:
    app.extensions[SCOPES_KEY] = source


def scope_options(session: Session) -> list[ScopeOption]:
    source = current_app.extensions.get(SCOPES_KEY)
    return source(session) if source is not None else []
