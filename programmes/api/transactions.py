"""/transactions: the ledger of commitments, disbursements and refunds."""
from __future__ import annotations

from datetime import date

from flask.views import MethodView
from sqlalchemy import select

from app.api import abort, paginate_select
from app.api.writes import check_version, writing
from app.auth.guards import check, require
from app.auth.roles import Permission
from app.db import get_session
from programmes.api.common import API_FIELD_NAMES, activity_named_in_body, blp, only_visible
from programmes.models import Activity, Programme, Transaction
from programmes.schemas import (
    TransactionCorrectionSchema, TransactionCreateSchema, TransactionQuerySchema, TransactionSchema,
)
from programmes.services.transactions import correct_transaction, record_transaction

TAGS = ["Transactions"]
TRANSACTION_ID = "<bigid:transaction_id>"


def _filtered(args: dict):
    stmt = select(Transaction).join(Activity, Transaction.activity_id == Activity.id)
    if args.get("activity_id"):
        stmt = stmt.where(Transaction.activity_id == args["activity_id"])
    if args.get("activity"):
        stmt = stmt.where(Activity.code == args["activity"])
    if args.get("programme"):
        stmt = stmt.where(Activity.programme_id.in_(
            select(Programme.id).where(Programme.code == args["programme"]).scalar_subquery()))
    if args.get("kind"):
        stmt = stmt.where(Transaction.kind == args["kind"])
    if args.get("year"):
        year = args["year"]
        stmt = stmt.where(Transaction.date >= date(year, 1, 1), Transaction.date < date(year + 1, 1, 1))
    return only_visible(stmt, Activity.programme_id)


def _transaction_or_404(session, transaction_id: int, permission: Permission) -> Transaction:
    """The transaction, if the user holds ``permission`` in its programme; otherwise as missing."""
    missing = f"There is no transaction {transaction_id}."
    txn = session.get(Transaction, transaction_id)
    if txn is None:
        abort(404, message=missing)
    check(permission, txn.activity.programme_id, not_found=missing)
    return txn


@blp.route("/transactions", tags=TAGS)
class Transactions(MethodView):
    decorators = [require(Permission.VIEW_PORTFOLIO)]

    @blp.arguments(TransactionQuerySchema, location="query")
    @blp.response(200, TransactionSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """List transactions, newest first, by activity, programme, kind and year."""
        stmt = _filtered(args).order_by(Transaction.date.desc(), Transaction.id.desc())
        return paginate_select(get_session(), stmt, pagination_parameters)

    @require(Permission.RECORD_TRANSACTION)
    @blp.arguments(TransactionCreateSchema)
    @blp.response(201, TransactionSchema)
    @blp.errors(403, 409)
    def post(self, data):
        """Record a commitment, disbursement or refund on an activity.

        ``(source, document_number)`` is unique: booking a document twice is refused (422).
        """
        with writing(API_FIELD_NAMES) as session:
            activity = activity_named_in_body(session, data.pop("activity_code"), Permission.RECORD_TRANSACTION)
            txn = record_transaction(session, activity, data.pop("kind"), data.pop("date"), data.pop("amount"),
                                     data.pop("document_number"), **data)
        return txn


@blp.route(f"/transactions/{TRANSACTION_ID}", tags=TAGS)
class TransactionResource(MethodView):
    decorators = [require(Permission.VIEW_PORTFOLIO)]

    @blp.response(200, TransactionSchema)
    @blp.errors(403, 404)
    def get(self, transaction_id):
        """One transaction with its ``version``."""
        txn = _transaction_or_404(get_session(), transaction_id, Permission.VIEW_PORTFOLIO)
        return txn

    @require(Permission.RECORD_TRANSACTION)
    @blp.arguments(TransactionCorrectionSchema)
    @blp.response(200, TransactionSchema)
    @blp.errors(403, 404, 409)
    def patch(self, data, transaction_id):
        """Correct a booked transaction. Send the ``version`` you read: if it changed
        since, nothing is written and the answer is 409. The event keeps old and new values."""
        with writing(API_FIELD_NAMES) as session:
            txn = _transaction_or_404(session, transaction_id, Permission.RECORD_TRANSACTION)
            check_version(txn, data.pop("version"))
            if "activity_code" in data:
                activity = activity_named_in_body(session, data.pop("activity_code"), Permission.RECORD_TRANSACTION)
                data["activity_id"] = activity.id
            correct_transaction(session, txn, **data)
            session.expire(txn, ["activity"])
        return txn
