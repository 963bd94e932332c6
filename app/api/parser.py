"""Reading request bodies: JSON only, and anything unreadable is a 400, never a 500."""
from __future__ import annotations

from flask import Request
from webargs import core
from webargs.flaskparser import FlaskParser, abort, is_json_request
from werkzeug.datastructures import CombinedMultiDict

INVALID_JSON = {"json": ["Invalid JSON body."]}


class JsonBodyParser(FlaskParser):
    """webargs' Flask parser, stricter about bodies.

    - A body that is not ``application/json`` is refused (415) instead of being
      read as an empty object.
    - ``json.loads`` also fails with plain ``ValueError`` (integers past Python's
      4300-digit limit) and ``RecursionError`` (deeply nested arrays), which
      webargs does not catch; both answer 400 like any malformed JSON.
    - ``location="multipart"`` reads the fields and the files of one
      ``multipart/form-data`` body with one schema, so the OpenAPI document
      describes that body as one request body (OpenAPI 3 has no ``formData``).
    """

    __location_map__ = {**FlaskParser.__location_map__, "multipart": "load_multipart"}

    def load_multipart(self, req: Request, schema):
        return self._makeproxy(CombinedMultiDict([req.form, req.files]), schema)

    def _raw_load_json(self, req: Request):
        body = req.get_data(cache=True)
        if not body:
            return core.missing
        if not is_json_request(req):
            abort(415, message="Send the request body as JSON (Content-Type: application/json).")
        try:
            return core.parse_json(body)
        except (ValueError, RecursionError):
            abort(400, message="The request body is not valid JSON.", messages=INVALID_JSON)

    def _handle_invalid_json_error(self, error, req, *args, **kwargs):
        abort(400, exc=error, message="The request body is not valid JSON.", messages=INVALID_JSON)
