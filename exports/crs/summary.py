"""Totals gathered while the CRS rows stream by, and the Summary and Metadata sheets.

The reconciliation proves that every euro of the year landed in exactly one place:
ODA on the CRS sheet + the non-ODA amounts of the Not ODA sheet (+ what is still
open) = the year's total in the ledger, to the cent, for spending (disbursements
minus refunds) and for commitments alike.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from flask_babel import gettext

from app.messages import N_
from exports.crs.queries import cents
from exports.crs.rows import CrsAmounts, code as as_code, net_oda_disbursed
from exports.words import amount_text
from exports.xlsx import INT, MONEY, TEXT, Sheet
from oda.reference.dutch_names import reader_name

ZERO = Decimal("0.00")


class MissingCommitment(NamedTuple):
    """An activity with spending in the year and no commitment recorded anywhere."""

    code: str
    title: str
    programme_code: str
    spending_cents: int


@dataclass
class Figures:
    """Totals of CRS rows, in integer cents (exact and fast); read as Decimal amounts."""

    commitment_cents: int = 0
    disbursement_cents: int = 0
    received_cents: int = 0
    usd_commitment_cents: int = 0
    usd_disbursement_cents: int = 0
    usd_received_cents: int = 0
    rows: int = 0

    def add(self, amounts: CrsAmounts) -> None:
        self.commitment_cents += amounts.commitment
        self.disbursement_cents += amounts.disbursement
        self.received_cents += amounts.received
        self.usd_commitment_cents += amounts.usd_commitment or 0
        self.usd_disbursement_cents += amounts.usd_disbursement or 0
        self.usd_received_cents += amounts.usd_received or 0
        self.rows += 1

    def merge(self, other: "Figures") -> None:
        self.add(CrsAmounts(other.commitment_cents, other.disbursement_cents, other.received_cents,
                            other.usd_commitment_cents, other.usd_disbursement_cents, other.usd_received_cents))
        self.rows += other.rows - 1

    def amounts(self) -> tuple[Decimal, ...]:
        """In the order of FIGURE_HEADERS (after Rows)."""
        return tuple(cents(value) for value in (
            self.commitment_cents, self.disbursement_cents, self.received_cents, self.usd_commitment_cents,
            self.usd_disbursement_cents, self.usd_received_cents))


@dataclass
class Side:
    """One side of the reconciliation (commitments, or net disbursements), in EUR cents."""

    ledger_cents: int = 0
    oda_cents: int = 0
    non_oda_cents: int = 0
    open_cents: int = 0
    #: lines still open (their EUR value may be unknown: a missing rate never counts as 0)
    open_lines: int = 0

    @property
    def ledger(self) -> Decimal:
        return cents(self.ledger_cents)

    @property
    def oda(self) -> Decimal:
        return cents(self.oda_cents)

    @property
    def non_oda(self) -> Decimal:
        return cents(self.non_oda_cents)

    @property
    def still_open(self) -> Decimal:
        return cents(self.open_cents)

    @property
    def difference(self) -> Decimal:
        return cents(self.ledger_cents - self.oda_cents - self.non_oda_cents - self.open_cents)

    @property
    def reconciled(self) -> bool:
        """CRS + Not ODA = the ledger total, nothing left open."""
        return self.ledger_cents == self.oda_cents + self.non_oda_cents and self.open_cents == 0 \
            and self.open_lines == 0


@dataclass
class CrsTotals:
    commitments: Side = field(default_factory=Side)
    spending: Side = field(default_factory=Side)
    #: every CRS row together: extended and received, whose difference must be spending's ODA
    crs: Figures = field(default_factory=Figures)
    by_recipient: dict = field(default_factory=lambda: defaultdict(Figures))
    by_sector: dict = field(default_factory=lambda: defaultdict(Figures))
    by_channel: dict = field(default_factory=lambda: defaultdict(Figures))
    by_bi_multi: dict = field(default_factory=lambda: defaultdict(Figures))
    by_policy_area: dict = field(default_factory=lambda: defaultdict(Figures))
    crs_rows: int = 0
    crs_rows_without_id: int = 0
    transactions: int = 0
    activities: int = 0
    transactions_without_eur: int = 0
    needs_review: int = 0
    not_classified: int = 0
    #: activities with ODA whose CRS row is withheld: it lacks a CRS mandatory item
    incomplete_rows: int = 0
    #: activities with a line for the Not ODA sheet, and with a line still open
    not_oda_activities: set = field(default_factory=set)
    open_activities: set = field(default_factory=set)
    #: activities (other than humanitarian aid) with ODA or open lines and no commitment record
    missing_commitments: list = field(default_factory=list)

    def add_year_row(self, r) -> None:
        """Ledger and bucket totals of one activity (every activity with transactions in the year)."""
        self.activities += 1
        self.transactions += int(r.n_transactions)
        self.transactions_without_eur += int(r.n_without_eur)
        self.needs_review += int(r.n_review)
        self.not_classified += int(r.n_unclassified)
        if r.n_partial or r.n_not_eligible:
            self.not_oda_activities.add(r.activity_id)
        if r.n_review or r.n_unclassified:
            self.open_activities.add(r.activity_id)
        if r.commitment_missing and (r.n_eligible or r.n_review or r.n_unclassified):
            self.missing_commitments.append(MissingCommitment(r.code, r.title, r.programme_code, int(r.ledger_d)))
        c, d = self.commitments, self.spending
        open_lines, open_commitments = int(r.n_review) + int(r.n_unclassified), int(r.n_open_c)
        c.open_lines += open_lines if r.commitment_derived else open_commitments
        d.open_lines += open_lines - open_commitments
        c.ledger_cents += int(r.ledger_c)
        c.oda_cents += int(r.oda_c)
        c.non_oda_cents += int(r.non_oda_c)
        c.open_cents += int(r.open_c)
        d.ledger_cents += int(r.ledger_d)
        d.oda_cents += net_oda_disbursed(r)
        d.non_oda_cents += int(r.non_oda_d)
        d.open_cents += int(r.open_d)

    def withhold_crs_row(self, r) -> None:
        """The CRS row of ``r`` lacks a mandatory item and is not written: its ODA counts as
        still open (a finding on the Needs review sheet), not as ODA on the CRS sheet."""
        self.incomplete_rows += 1
        for side, oda in ((self.commitments, int(r.oda_c)), (self.spending, net_oda_disbursed(r))):
            side.oda_cents -= oda
            side.open_cents += oda

    def add_crs_row(self, keys: tuple, amounts: CrsAmounts) -> None:
        """``keys``: (recipient, sector, channel category, bi/multi, policy area) keys of the row."""
        self.crs_rows += 1
        self.crs.add(amounts)
        for table, key in zip((self.by_recipient, self.by_sector, self.by_channel, self.by_bi_multi,
                               self.by_policy_area), keys):
            table[key].add(amounts)

    @property
    def net_reconciled(self) -> bool:
        """Net ODA disbursements = extended − received on the CRS sheet, to the cent."""
        return self.crs.disbursement_cents - self.crs.received_cents == self.spending.oda_cents


BI_MULTI_LABELS = {"1": N_("Bilateral"), "2": N_("Multilateral"),
                   "3": N_("Bilateral, core contributions to NGOs and other bodies"),
                   "4": N_("Multilateral outflows"), "7": N_("Bilateral, ex-post reporting on NGO activities"),
                   "8": N_("Bilateral, triangular co-operation")}
#: (totals attribute, title, code header, name header, the reference list that names the codes;
#: None: the name is a msgid)
BREAKDOWNS = (
    ("by_recipient", N_("By recipient"), N_("RecipientCode"), N_("RecipientName"), "recipients"),
    ("by_sector", N_("By sector (3-digit purpose code category)"), N_("Sector"), N_("Name"), "sector_categories"),
    ("by_channel", N_("By channel category"), N_("ChannelCategory"), N_("Name"), "channels"),
    ("by_bi_multi", N_("Bilateral vs multilateral"), N_("Bi_Multi"), N_("Name"), None),
    ("by_policy_area", N_("By policy area"), N_("PolicyArea"), "", None),
)
SPENDING = N_("Spending (disbursements minus refunds)")
COMMITMENTS = N_("Commitments")
FIGURE_HEADERS = (N_("Rows"), N_("Commitment_National"), N_("Disbursement_National"), N_("Received_National"),
                  N_("USD_Commitment"), N_("USD_Disbursement"), N_("USD_Received"))
FIGURE_KINDS = (INT,) + (MONEY,) * 6
CODE_KINDS = (INT, TEXT)
#: the verdict of one side of the reconciliation; the amount is the difference or what is still open
RECONCILED, UNEXPLAINED, STILL_OPEN = (N_("OK"), N_("NOT RECONCILED: %(amount)s unexplained"),
                                       N_("OPEN: %(amount)s still in review"))


def _said(msgid: str) -> str:
    return gettext(msgid) if msgid else msgid


def _said_name(list_name: str | None, code, name: str | None) -> str | None:
    """A breakdown's name in the run's language: a country or sector as the reader says it."""
    if name is None:
        return None
    return reader_name(list_name, str(code), name) if list_name else gettext(name)


def write_summary(sheet: Sheet, totals: CrsTotals, year: int, currency: str, mismatches: list[str]) -> None:
    sheet.append_label(gettext("ODA reporting year %(year)s: summary (amounts in %(currency)s)", year=year,
                               currency=currency), kind=TEXT)
    sheet.skip()
    _write_reconciliation(sheet, gettext(SPENDING), totals.spending)
    _write_net_spending(sheet, totals)
    sheet.skip()
    _write_reconciliation(sheet, gettext(COMMITMENTS), totals.commitments)
    sheet.skip()
    sheet.append_label(gettext("Check: the Not ODA and Needs review sheets add up to the totals above"),
                       gettext(RECONCILED) if not mismatches else
                       gettext("DIFFERENT (data changed during the export?): %(mismatches)s",
                               mismatches="; ".join(mismatches)), kind=TEXT)
    figure_headers = tuple(gettext(h) for h in FIGURE_HEADERS)
    for attribute, title, code_header, name_header, list_name in BREAKDOWNS:
        sheet.skip()
        sheet.append_label(gettext(title), kind=TEXT)
        sheet.append_typed((gettext(code_header), _said(name_header)) + figure_headers,
                           (TEXT,) * (2 + len(FIGURE_HEADERS)), header=True)
        grand = Figures()
        for (code, name), figures in sorted(getattr(totals, attribute).items(), key=_sort_key):
            sheet.append_typed((as_code(code), _said_name(list_name, code, name), figures.rows, *figures.amounts()),
                               CODE_KINDS + FIGURE_KINDS)
            grand.merge(figures)
        sheet.append_typed((gettext("Total"), "", grand.rows, *grand.amounts()), (TEXT, TEXT) + FIGURE_KINDS,
                           header=True)


def _sort_key(item):
    """Codes in numeric order (218 before 1029), unknown ones last."""
    (code, _name), _figures = item
    text = str(code or "")
    numeric = text.isascii() and text.isdigit()
    return (code is None, not numeric, int(text) if numeric else 0, text)


def _write_reconciliation(sheet: Sheet, side_name: str, side: Side) -> None:
    sheet.append_label(gettext("Reconciliation: %(side)s", side=side_name))
    sheet.append_label(gettext("%(side)s: total in the ledger for the year", side=side_name), side.ledger)
    sheet.append_label(gettext("%(side)s: ODA on the CRS sheet", side=side_name), side.oda)
    sheet.append_label(gettext("%(side)s: not ODA (non-ODA amounts on the Not ODA sheet)", side=side_name),
                       side.non_oda)
    sheet.append_label(gettext("%(side)s: still open (Needs review sheet, in neither)", side=side_name),
                       side.still_open)
    sheet.append_label(gettext("%(side)s: difference (ledger − CRS − Not ODA − open)", side=side_name),
                       side.difference)
    sheet.append_label(gettext("%(side)s: check CRS + Not ODA = ledger total", side=side_name), said_verdict(side),
                       kind=TEXT)


def _write_net_spending(sheet: Sheet, totals: CrsTotals) -> None:
    """CRS items 34 and 35: what the CRS rows extended and received, and their net."""
    crs = totals.crs
    sheet.append_label(gettext("Spending: ODA extended on the CRS sheet (Disbursement_National)"),
                       cents(crs.disbursement_cents))
    sheet.append_label(gettext("Spending: ODA received on the CRS sheet (Received_National)"),
                       cents(crs.received_cents))
    sheet.append_label(gettext("Spending: net ODA (extended − received)"),
                       cents(crs.disbursement_cents - crs.received_cents))
    sheet.append_label(gettext("Spending: check net = extended − received = ODA on the CRS sheet"),
                       gettext(RECONCILED) if totals.net_reconciled else gettext("DIFFERENT"), kind=TEXT)


def _verdict(side: Side) -> tuple[str, Decimal | None]:
    if side.reconciled:
        return RECONCILED, None
    if side.difference != 0:
        return UNEXPLAINED, side.difference
    return STILL_OPEN, side.still_open


def reconciliation_verdict(side: Side) -> str:
    """The verdict in English, as the run's counts and a refused final say it."""
    said, amount = _verdict(side)
    return said % {"amount": amount}


def said_verdict(side: Side) -> str:
    """The verdict in the run's language, for the Summary sheet."""
    said, amount = _verdict(side)
    return gettext(said) if amount is None else gettext(said, amount=amount_text(amount))


def write_metadata(sheet: Sheet, items: list[tuple[str, object, str]]) -> None:
    """``items``: (label, value, cell kind), said in the run's language already."""
    sheet.append_typed((gettext("Item"), gettext("Value")), (TEXT, TEXT), header=True)
    for label, value, kind in items:
        sheet.append_typed((label, value), (TEXT, kind))
