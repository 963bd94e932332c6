"""/api/v1: classifications, one transaction's classification, overrides, reference lists."""
from __future__ import annotations

from flask import url_for
from flask.views import MethodView

from app.api import Blueprint, abort, paginate_select, unprocessable
from app.api.scope import programme_scope
from app.auth.guards import require
from app.auth.roles import Permission
from app.db import get_session, unit_of_work
from app.errors import ValidationError
from app.events.payload import jsonable
from oda.reference.lists import EXCHANGE_RATES, LISTS
from oda.reference.services import entry_as_dict, reference_select
from oda.schemas import (ClassificationQuerySchema, ClassificationSchema, ExplanationSchema, OverrideInputSchema,
                         YearStatusSchema)
from oda.services.overrides import MissingCrsItems, override_classification
from oda.services.queries import classifications, explain, programme_of_transaction
from oda.services.year_status import FIRST_YEAR, LAST_YEAR, checked_year, year_status
from oda.year_close import status_data

blp = Blueprint("oda_api", __name__, description="ODA classification, overrides and reference data")
TRANSACTION_ID = "<bigid:transaction_id>"
REFERENCE_LISTS = tuple(LISTS) + (EXCHANGE_RATES, "versions")


def _programme_of(transaction_id: int) -> int | None:
    return programme_of_transaction(get_session(), transaction_id)


@blp.route("/classifications", tags=["ODA classification"])
class Classifications(MethodView):
    decorators = [require(Permission.VIEW_PORTFOLIO)]

    @blp.arguments(ClassificationQuerySchema, location="query")
    @blp.response(200, ClassificationSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """Stored classification results by reporting year, status and programme code."""
        stmt = classifications(args.get("year"), args.get("status"), args.get("programme"),
                               programme_scope(Permission.VIEW_PORTFOLIO))
        return paginate_select(get_session(), stmt, pagination_parameters)


@blp.route(f"/transactions/{TRANSACTION_ID}/classification", tags=["ODA classification"])
class TransactionClassification(MethodView):
    decorators = [require(Permission.VIEW_PORTFOLIO, programme_from=_programme_of)]

    @blp.response(200, ExplanationSchema)
    @blp.errors(404)
    def get(self, transaction_id):
        """A transaction's classification: outcome, amounts, every rule's reason, versions, overrides."""
        explanation = explain(get_session(), transaction_id)
        if explanation.result is None:
            abort(404, message=f"Transaction {transaction_id} has not been classified yet; it is pending.")
        return _explanation_data(explanation)


@blp.route(f"/classifications/{TRANSACTION_ID}/override", tags=["ODA classification"])
class ClassificationOverride(MethodView):
    decorators = [require(Permission.REVIEW_ODA, programme_from=_programme_of)]

    @blp.arguments(OverrideInputSchema)
    @blp.response(201, ExplanationSchema)
    @blp.errors(403, 404, 409)
    def post(self, data, transaction_id):
        """Accept, reject or set the eligible share of a classification (the id is the transaction's), with a
        mandatory reason. Recorded as a ClassificationOverridden event. Making a line (partly) ODA while its
        activity lacks a CRS mandatory item answers 409, the missing items in ``details.missing_items``."""
        try:
            with unit_of_work() as session:
                override_classification(session, transaction_id, data["action"], data["reason"],
                                        data.get("share"))
        except MissingCrsItems as exc:
            abort(409, message=exc.message, messages=_missing_details(exc))
        except ValidationError as exc:
            if exc.field == "transaction_id":
                abort(404, message=exc.message)
            unprocessable(exc.message, exc.field)
        return _explanation_data(explain(get_session(), transaction_id))


def _missing_details(exc: MissingCrsItems) -> dict:
    return {"json": {exc.field: [exc.message]}, "activity_code": exc.activity_code,
            "activity_form": url_for("programmes.activity", code=exc.activity_code, _anchor="edit"),
            "missing_items": [{"item": item.key, "label": item.label, "crs_column": item.crs_column}
                              for item in exc.items]}


def _explanation_data(explanation) -> dict:
    result = explanation.result
    data = {column: getattr(result, column) for column in ClassificationSchema().fields}
    data.update(reasons=explanation.evaluation.reasons, override=explanation.override,
                overrides=explanation.history)
    return data


#: the route takes any short text, so that a non-year reaches the view and answers 422 naming it; the
#: document says what is valid (a schema-valid year is never refused)
REPORTING_YEAR_PARAMETER = {"in": "path", "name": "year", "description": "The reporting year",
                            "schema": {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR}}


@blp.route("/oda/years/<string(maxlength=12):year>/status", tags=["ODA classification"],
           parameters=[REPORTING_YEAR_PARAMETER])
class YearStatus(MethodView):
    decorators = [require(Permission.VIEW_ODA_STATUS)]

    @blp.response(200, YearStatusSchema)
    @blp.errors(422)
    def get(self, year):
        """What blocks the final CRS file of a reporting year (``ready`` false while anything does), each item
        with its count and the path that fixes it, and the year's totals (EUR) and progress. The same status as
        the Year close page and ``flask oda year-status --json``."""
        try:
            checked = checked_year(year)
        except ValidationError as exc:
            unprocessable(exc.message, "year", location="path")
        return status_data(year_status(get_session(), checked))


@blp.route("/reference/<string(maxlength=40):list_name>", tags=["Reference data"])
class ReferenceList(MethodView):
    decorators = [require(None)]

    @blp.response(200)
    @blp.paginate()
    @blp.errors(404)
    def get(self, list_name, pagination_parameters):
        """Entries of a reference list: recipients, recipient_eligibility, purpose_codes, sector_categories,
        aid_types, flow_types, finance_types, channels, bi_multi, policy_markers, policy_significance,
        annex2_coefficients, exchange_rates, or versions (the loads)."""
        stmt = reference_select(list_name)
        if stmt is None:
            abort(404, message=f"There is no reference list {list_name!r}; lists: {', '.join(REFERENCE_LISTS)}.")
        rows = paginate_select(get_session(), stmt, pagination_parameters)
        return [jsonable(entry_as_dict(row)) for row in rows]
