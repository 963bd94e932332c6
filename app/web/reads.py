"""Rendering after the reads: a page's data is loaded, then its transaction ends before the
template renders.

On SQLite every transaction starts with BEGIN IMMEDIATE (app/db.py), which takes the
database's write lock, so a request that kept its transaction open while rendering a
large table would hold every other worker back for that long. Sessions do not expire
objects on commit, so the template reads what was loaded; a lazy load in a template
simply starts a new short transaction.
"""
from __future__ import annotations

from flask import render_template

from app.db import get_session


def render_after_reads(template: str, **context) -> str:
    get_session().commit()  # nothing was written: this only ends the read transaction
    return render_template(template, **context)
