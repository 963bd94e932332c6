"""Security headers on every answer, pages and API alike.

The Content-Security-Policy allows scripts, styles, images and fonts from this site
only, and nothing inline: templates keep scripts in static files, data in
``<script type="application/json">`` blocks (never executed) and sizes in SVG
attributes, never in ``style=``. ``frame-ancestors 'none'`` and ``X-Frame-Options:
DENY`` keep every page (the decision buttons included) out of other sites' frames.
HSTS is sent in production only, where TLS is guaranteed (docs/deployment.md).
"""
from __future__ import annotations

from flask import Flask, current_app

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
#: one year, subdomains included: production answers over HTTPS only
HSTS = "max-age=31536000; includeSubDomains"


def add_security_headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config.get("AIDLEDGER_ENV") == "production":
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
