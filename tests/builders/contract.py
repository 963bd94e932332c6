"""The OpenAPI document as schemathesis reads it, for the contract tests and the fuzzing."""
from __future__ import annotations

import uuid

import schemathesis

from app import create_app

OPENAPI_URL = "/api/openapi.json"


def document_app():
    """The application only as far as its routes: enough to serve the document at import time."""
    return create_app({"DATABASE_URL": "sqlite://", "TESTING": True, "SECRET_KEY": "contract-" + uuid.uuid4().hex})


def load_schema(config: dict | None = None):
    """The document served by the app, with schemathesis settings (reading the literals of the
    app's source for test data is left off: it costs minutes on this code base)."""
    settings = {"analysis": {"constants": {"enabled": False}}, **(config or {})}
    return schemathesis.openapi.from_wsgi(OPENAPI_URL, document_app(),
                                          config=schemathesis.Config.from_dict(settings))
