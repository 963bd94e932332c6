"""Correlation ids: the server's own for every request, the client's X-Request-Id kept apart.

Every event a request publishes carries the server's correlation id, so the audit
trail groups a request's events and nobody can forge one (``import-13`` belongs to
an import job). A client may still label its request with ``X-Request-Id``: it is
checked (at most 64 safe characters), echoed in the answer and logged beside the
server's id, which the answer carries as ``X-Correlation-Id``.
"""
from __future__ import annotations

import logging
import re
import uuid

from flask import Flask, abort, g, request

log = logging.getLogger(__name__)

REQUEST_ID_HEADER = "X-Request-Id"
CORRELATION_ID_HEADER = "X-Correlation-Id"
MAX_REQUEST_ID = 64
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._:-]{1,%d}" % MAX_REQUEST_ID)
UNUSABLE_REQUEST_ID = (f"{REQUEST_ID_HEADER} must be 1 to {MAX_REQUEST_ID} characters: "
                       "letters, digits, '.', '_', ':' and '-'.")


def new_correlation_id() -> str:
    return uuid.uuid4().hex


def read_request_ids() -> None:
    """Before every request, before the user is known (a refused id writes nothing)."""
    g.correlation_id = new_correlation_id()
    g.client_request_id = None
    client_id = request.headers.get(REQUEST_ID_HEADER)
    if client_id is None:
        return
    if not REQUEST_ID_PATTERN.fullmatch(client_id):
        abort(400, description=UNUSABLE_REQUEST_ID)
    g.client_request_id = client_id
    log.info("request %s %s: client id %s, correlation id %s", request.method, request.path,
             client_id, g.correlation_id)


def add_request_id_headers(response):
    correlation_id = g.get("correlation_id")
    if correlation_id:
        response.headers[CORRELATION_ID_HEADER] = correlation_id
    if g.get("client_request_id"):
        response.headers[REQUEST_ID_HEADER] = g.client_request_id
    return response


def init_app(app: Flask) -> None:
    app.before_request(read_request_ids)
    app.after_request(add_request_id_headers)
