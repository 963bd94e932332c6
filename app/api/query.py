"""Unknown query parameters are refused on every API operation, like unknown fields of a JSON body.

A typo such as ``?page_sise=10`` or ``?programe=MWI-CSP3`` would otherwise be ignored silently and
the client would get the default (every programme, 50 a page) without knowing. The operation's own
documentation says which names it takes (its query schema, the pagination parameters); any other
name answers 422 naming it, and every operation documents that 422 (:class:`UnknownParametersAnswer422`).
"""
from __future__ import annotations

from functools import cache

from apispec import BasePlugin
from apispec.ext.marshmallow.common import resolve_schema_instance
from flask import current_app, g, request
from flask_smorest import abort

PAGINATION_NAMES = frozenset({"page", "page_size"})


def refuse_unknown_query_parameters() -> None:
    """before_request: 422 for a query parameter the operation does not document. Only once the
    client is known (a missing or bad token answers 401 first, in the view)."""
    if not request.args or g.get("auth_method") != "token" or request.endpoint is None:
        return
    known = documented_query_names(request.endpoint, request.method)
    if known is None:
        return
    unknown = sorted(set(request.args) - known)
    if unknown:
        takes = ", ".join(sorted(known)) or "none"
        message = f"Unknown query parameter {unknown[0][:40]!r}; this operation takes: {takes}."
        abort(422, message=message, messages={"query": {name[:40]: ["Unknown parameter."] for name in unknown[:20]}})


def documented_query_names(endpoint: str, method: str) -> frozenset[str] | None:
    """The query names the operation documents, or None for a route outside the API's document."""
    return _documented_query_names(current_app.view_functions[endpoint], "get" if method == "HEAD" else method.lower())


@cache
def _documented_query_names(view, method: str) -> frozenset[str] | None:
    view_class = getattr(view, "view_class", None)
    handler = getattr(view_class, method, None) if view_class is not None else view
    apidoc = getattr(handler, "_apidoc", None)
    if apidoc is None:
        return None
    names = set(PAGINATION_NAMES) if "pagination" in apidoc else set()
    for parameter in apidoc.get("arguments", {}).get("parameters", []):
        if parameter.get("in") == "query":
            schema = resolve_schema_instance(parameter["schema"])
            names.update(f.data_key or name for name, f in schema.fields.items() if not f.dump_only)
    return frozenset(names)


class UnknownParametersAnswer422(BasePlugin):
    """apispec plugin: every operation documents the 422 an unknown query parameter gets."""

    def operation_helper(self, path=None, operations=None, **kwargs):
        for operation in (operations or {}).values():
            responses = operation.setdefault("responses", {})
            if not {422, "422"} & set(responses):
                responses[422] = "UNPROCESSABLE_ENTITY"
