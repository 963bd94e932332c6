"""Turning query rows into sheet rows: the CRS line of an activity, a Not ODA line, a review line."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from typing import Callable, NamedTuple

from flask_babel import gettext

from app.messages import N_

from exports.crs.columns import FLAG_HEADERS, LOAN_HEADERS, MARKER_HEADERS, TIED_COLUMNS, CrsRow
from exports.crs.lines import TransactionLine
from exports.crs.queries import FLAGS, MARKERS, RECORD, CrsNumber, cents
from exports.crs.words import ACTION_WORDS, OPEN, LineWords, rule_reason
from exports.words import amount_text, stored_code
from oda.loans import as_percent, grant_equivalent_cents, is_grant, is_loan
from oda.services.crs_reference import RecipientPlacing

SHORT_DESCRIPTION_CHARS = 150
NEW_ACTIVITY, PREVIOUSLY_REPORTED = 1, 3


@dataclass(frozen=True)
class CrsContext:
    """What every row of one export shares (from configuration and the rate table)."""

    year: int
    donor_code: str
    agency_code: str
    currency: str
    eur_per_usd: Decimal | None
    rate_source: str | None
    generated_by: str
    generated_at: datetime
    final: bool
    #: the tied status of a commitment whose activity states none (installation setting; 5 untied)
    default_tied_status: str = "5"

    @property
    def rate_e10(self) -> int | None:
        return None if self.eur_per_usd is None else int(self.eur_per_usd.scaleb(10))


def code(value):
    """CRS codes are numbers in the file (253, 41147, 110); anything else stays text."""
    if not value:
        return None
    return _text_code(value) if type(value) is str else _text_code(str(value))


@lru_cache(maxsize=65_536)  # a few thousand distinct codes are written a million times
def _text_code(value: str):
    text = value.strip()
    return int(text) if text.isascii() and text.isdigit() else (text or None)


def usd_cents(eur_cents: int, rate_e10: int | None) -> int | None:
    """USD = EUR ÷ (EUR per USD), in cents, rounded half to even, in exact integer
    arithmetic (``rate_e10`` = EUR per USD × 10^10); None when the year's rate is missing."""
    if rate_e10 is None:
        return None
    quotient, remainder = divmod(abs(eur_cents) * 10**10, rate_e10)
    if 2 * remainder > rate_e10 or (2 * remainder == rate_e10 and quotient % 2):
        quotient += 1
    return quotient if eur_cents >= 0 else -quotient


def money_cell(amount_cents: int | None) -> float | None:
    """Cents as the double an xlsx cell holds (int ÷ 100 is correctly rounded)."""
    return None if amount_cents is None else amount_cents / 100


def initial_report(commitment_year: int | None, year: int) -> int:
    """Nature of submission: 1 new activity (committed in the year), 3 previously reported."""
    return NEW_ACTIVITY if commitment_year == year else PREVIOUSLY_REPORTED


NOT_NUMBERED = CrsNumber(None, None, None)


class CrsAmounts(NamedTuple):
    """The amounts of one CRS row in cents: national currency, then USD (None: no rate)."""

    commitment: int
    disbursement: int
    received: int
    usd_commitment: int | None
    usd_disbursement: int | None
    usd_received: int | None


def net_oda_disbursed(r) -> int:
    """Net ODA disbursements of an activity row in cents: extended − received (items 34 − 35)."""
    return int(r.oda_d) - int(r.oda_r)


def crs_amounts(r, rate_e10: int | None) -> CrsAmounts:
    """ODA committed, extended (gross disbursements, CRS item 34) and received (refunds,
    item 35) in the year; net disbursements are extended − received."""
    commitment, disbursement, received = int(r.oda_c), int(r.oda_d), int(r.oda_r)
    return CrsAmounts(commitment, disbursement, received, usd_cents(commitment, rate_e10),
                      usd_cents(disbursement, rate_e10), usd_cents(received, rate_e10))


def crs_row(r, number: CrsNumber, ctx: CrsContext, rate_e10: int | None, placing: RecipientPlacing,
            grant_element: Callable[[object], Decimal | None] = lambda r: None) -> tuple[CrsRow, CrsAmounts]:
    """The CRS line of one activity (``r``: a row of ``queries.activity_rows``; ``number``:
    its CRS id, ``NOT_NUMBERED`` when it has none yet; ``placing``: its recipient's region
    and income group in the year; ``grant_element``: a loan row's grant element, see
    oda.services.loans) and its amounts. Bi_Multi is derived in the query
    (``oda.rules.bi_multi``), the parent channel is the channel list's parent code."""
    amounts = crs_amounts(r, rate_e10)
    record, finance = r[RECORD], r.finance_type  # record: tied status, a loan's seven terms, SDG focus, keywords
    loan = is_loan(finance)
    element = grant_element(r) if loan else None
    equivalent = grant_equivalent(finance, amounts.disbursement - amounts.received, element)
    title = r.title or ""
    row = CrsRow(
        Year=ctx.year, DonorCode=code(ctx.donor_code), AgencyCode=code(ctx.agency_code), CRSid=number.crs_id,
        ProjectNumber=r.code, InitialReport=initial_report(number.commitment_year, ctx.year),
        RecipientCode=code(r.recipient_code), RecipientName=r.recipient_name, RegionCode=code(placing.region_code),
        IncomegroupCode=placing.income_group, ChannelCode=code(r.channel), ChannelReportedName=r.organisation_name,
        ParentChannelCode=code(r.channel_category), Bi_Multi=code(r.bi_multi_crs), FlowCode=code(r.flow_type),
        Finance_t=code(finance), Aid_t=r.aid_type, PurposeCode=code(r.purpose_code),
        ShortDescription=title[:SHORT_DESCRIPTION_CHARS], ProjectTitle=title, LongDescription=r.description,
        Geography=r.geography, CommitmentDate=r.commitment_date or number.commitment_date,
        ExpectedStartDate=r.start_date, CompletionDate=r.end_date, Currency=ctx.currency,
        Commitment_National=money_cell(amounts.commitment), Disbursement_National=money_cell(amounts.disbursement),
        Received_National=money_cell(amounts.received), USD_Commitment=money_cell(amounts.usd_commitment),
        USD_Disbursement=money_cell(amounts.usd_disbursement), USD_Received=money_cell(amounts.usd_received),
        GrantEquiv=money_cell(equivalent),
        USD_GrantEquiv=money_cell(usd_cents(equivalent, rate_e10) if equivalent is not None else None),
        ExchangeRate=ctx.eur_per_usd,
        **tied_cells(amounts.commitment, record[0] or ctx.default_tied_status),
        **dict(zip(LOAN_HEADERS, loan_cells(record, element) if loan else NO_LOAN)),
        **dict(zip(MARKER_HEADERS, r[MARKERS])),
        **{header: 1 if flag else None for header, flag in zip(FLAG_HEADERS, r[FLAGS])},
        SDGfocus=record[8], Keywords=record[9], PolicyArea=r.policy_area,
    )
    return row, amounts


NO_LOAN = (None,) * len(LOAN_HEADERS)


def grant_equivalent(finance_type: str | None, net_disbursement: int, element: Decimal | None) -> int | None:
    """GrantEquiv in cents from the net ODA disbursement (extended − received): a grant's
    itself; a loan's × its grant element (the DAC's flows basis); blank for other
    instruments and loans without terms."""
    if is_grant(finance_type):
        return net_disbursement
    return None if element is None else grant_equivalent_cents(net_disbursement, element)


def tied_cells(commitment: int, status: str) -> dict:
    """Items 36–38 by header: the year's ODA commitment in the column of its tied status."""
    amount = money_cell(commitment) if commitment else None
    return {header: amount if status == value else None for header, value in TIED_COLUMNS}


def loan_cells(record: tuple, element: Decimal | None) -> tuple:
    """Items 44–49 and the grant element (percent) of a loan: Repaytype … Repaydate2, GrantElement."""
    kind, per_year, rate_1, rate_2, _rate_2_date, first, final = record[1:8]
    return (kind, per_year, rate_1, rate_2, first, final, None if element is None else as_percent(element))


def non_oda_amount(line: TransactionLine) -> Decimal:
    eur = line.amount_eur or Decimal("0.00")
    if line.status == "eligible":
        return eur - (line.oda_amount_eur or Decimal("0.00"))
    return eur


def signed(line: TransactionLine, amount: Decimal) -> Decimal:
    """A refund reduces the year's spending."""
    return -amount if line.kind == "refund" else amount


def not_oda_row(line: TransactionLine, reasons: str, words: LineWords) -> tuple:
    amount = signed(line, non_oda_amount(line))
    commitment = amount if line.commitment_effect else None
    disbursement = amount if line.kind != "commitment" else None
    remainder = remainder_text(line, words)
    if remainder:
        reasons = " | ".join(part for part in (remainder, reasons) if part)
    return (line.id, line.date, words.kind(line.kind), words.document(line.document_number), line.activity_code,
            line.activity_title, line.programme_code, line.policy_area, line.currency, line.amount, line.amount_eur,
            words.status(line.status), line.share, line.oda_amount_eur, commitment, disbursement, reasons)


def remainder_text(line: TransactionLine, words: LineWords) -> str | None:
    """What the Not ODA row of a partly ODA line is: the rest of a line whose ODA share is
    in the activity's CRS row (None for a line that is not ODA at all)."""
    if line.status != "eligible" or not _partial(line.share):
        return None
    return words.remainder(Decimal(str(line.share)), line.activity_code)


def _partial(share) -> bool:
    try:
        return share is not None and Decimal(str(share)) < 1
    except ArithmeticError:
        return False


def review_row(line: TransactionLine, what: str, counted_as: str, reasons: str, words: LineWords) -> tuple:
    return (line.id, line.date, words.kind(line.kind), words.document(line.document_number), line.activity_code,
            line.activity_title, line.programme_code, line.currency, line.amount, line.amount_eur, what, counted_as,
            reasons)


WITHHELD = N_("CRS row withheld")


def withheld_row(r, missing: tuple, currency: str) -> tuple:
    """The Needs review finding that stands for the CRS row of ``r`` (a row of
    ``queries.activity_rows``), withheld because it lacks the ``missing`` mandatory items."""
    columns = ", ".join(f"{item.crs_column} ({gettext(item.label)})" for item in missing)
    reasons = gettext("the CRS row of %(code)s is not written: it lacks %(columns)s; its ODA (commitments "
                      "%(commitments)s, disbursements %(disbursements)s %(currency)s) stays open until the activity "
                      "is completed", code=r.code, columns=columns, commitments=amount_text(cents(int(r.oda_c))),
                      disbursements=amount_text(cents(net_oda_disbursed(r))), currency=currency)
    return (None, None, None, None, r.code, r.title, r.programme_code, currency, None,
            money_cell(net_oda_disbursed(r)), gettext(WITHHELD), gettext(OPEN), reasons)


def reasons_text(reasons: list) -> str:
    """The rules' reasons that decided the outcome (in the run's language): the rules that did
    not pass or, when all passed, the rule that set a share below 100 % (a coefficient)."""
    decisive = ([r for r in reasons if r.get("result") != "pass"]
                or [r for r in reasons if _partial(r.get("share"))] or list(reasons))
    return " | ".join(rule_reason(r) for r in decisive)


def override_text(override) -> str:
    return gettext("override (%(action)s) by %(who)s on %(date)s: %(reason)s",
                   action=stored_code(override.action, ACTION_WORDS), who=override.decided_by,
                   date=override.decided_at.date().isoformat(), reason=override.reason)
