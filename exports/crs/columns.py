"""The columns of the CRS workbook's sheets, in the order the issue fixes them.

The CRS sheet's specification is this one tuple: each column's header, cell type and
width. A row is a ``CrsRow`` whose fields are these headers, filled by name
(``rows.crs_row``), so a value is bound to its header wherever the column stands; the
marker and flag columns name the activity attribute they show (``MARKER_COLUMNS``,
``FLAG_COLUMNS``), from which the query selects them in the same order.
"""
from __future__ import annotations

from collections import namedtuple

from app.messages import N_
from exports.xlsx import DATE, INT, MONEY, RATE, TEXT, Column
from programmes.models.enums import CRS_FLAGS

C = Column
#: Sheet ``CRS``: one row per activity with ODA in the year (header row 1, exactly these names)
CRS_COLUMNS = (
    C("Year", INT, 6), C("DonorCode", INT, 10), C("AgencyCode", INT, 11), C("CRSid", TEXT, 12),
    C("ProjectNumber", TEXT, 16), C("InitialReport", INT, 12), C("RecipientCode", INT, 13),
    C("RecipientName", TEXT, 24), C("RegionCode", INT, 11), C("IncomegroupCode", TEXT, 15),
    C("ChannelCode", INT, 12), C("ChannelReportedName", TEXT, 30), C("ParentChannelCode", INT, 17),
    C("Bi_Multi", INT, 8), C("FlowCode", INT, 9), C("Finance_t", INT, 9), C("Aid_t", TEXT, 7),
    C("PurposeCode", INT, 12), C("ShortDescription", TEXT, 30), C("ProjectTitle", TEXT, 40),
    C("LongDescription", TEXT, 50), C("Geography", TEXT, 20), C("CommitmentDate", DATE, 14),
    C("ExpectedStartDate", DATE, 14), C("CompletionDate", DATE, 14), C("Currency", TEXT, 9),
    C("Commitment_National", MONEY, 18), C("Disbursement_National", MONEY, 18), C("Received_National", MONEY, 18),
    C("USD_Commitment", MONEY, 16), C("USD_Disbursement", MONEY, 16), C("USD_Received", MONEY, 16),
    C("GrantEquiv", MONEY, 16), C("USD_GrantEquiv", MONEY, 16), C("ExchangeRate", RATE, 12),
    C("Untied_National", MONEY, 16), C("PartiallyUntied_National", MONEY, 16), C("Tied_National", MONEY, 16),
    C("Repaytype", INT, 10), C("NumberRepayment", INT, 10), C("Interest1", RATE, 10), C("Interest2", RATE, 10),
    C("Repaydate1", DATE, 12), C("Repaydate2", DATE, 12), C("GrantElement", MONEY, 12),
    C("Gender", INT), C("Environment", INT), C("PDGG", INT), C("Trade", INT), C("Biodiversity", INT),
    C("ClimateMitigation", INT), C("ClimateAdaptation", INT), C("Desertification", INT), C("RMNCH", INT),
    C("DRR", INT), C("Nutrition", INT), C("Disability", INT), C("FTC", INT), C("PBA", INT),
    C("InvestmentProject", INT), C("AssocFinance", INT), C("SDGfocus", TEXT, 16), C("Keywords", TEXT, 30),
    C("PolicyArea", TEXT, 24),
)
CRS_HEADERS = tuple(c.header for c in CRS_COLUMNS)
#: one row of the CRS sheet, its fields named by the headers (in the sheet's order)
CrsRow = namedtuple("CrsRow", CRS_HEADERS)

#: CRS marker columns and the activity attribute each comes from (blank = not screened)
MARKER_COLUMNS = (
    ("Gender", "marker_gender"), ("Environment", "marker_environment"), ("PDGG", "marker_pdgg"),
    ("Trade", "marker_trade"), ("Biodiversity", "marker_biodiversity"),
    ("ClimateMitigation", "marker_climate_mitigation"), ("ClimateAdaptation", "marker_climate_adaptation"),
    ("Desertification", "marker_desertification"), ("RMNCH", "marker_rmnch"), ("DRR", "marker_drr"),
    ("Nutrition", "marker_nutrition"), ("Disability", "marker_disability"),
)
MARKER_HEADERS = tuple(header for header, _ in MARKER_COLUMNS)
MARKER_FIELDS = tuple(field for _, field in MARKER_COLUMNS)
#: CRS flag columns and the activity attribute each comes from (FTC, PBA, investment project, …)
FLAG_COLUMNS = tuple((header, f"flag_{flag}") for flag, header in CRS_FLAGS.items())
FLAG_HEADERS = tuple(header for header, _ in FLAG_COLUMNS)
FLAG_FIELDS = tuple(field for _, field in FLAG_COLUMNS)
#: items 36–38: the commitment in the column of its tied status (the attribute's value)
TIED_COLUMNS = (("Untied_National", "5"), ("PartiallyUntied_National", "3"), ("Tied_National", "4"))
#: items 44–49 and the grant element of a loan
LOAN_HEADERS = ("Repaytype", "NumberRepayment", "Interest1", "Interest2", "Repaydate1", "Repaydate2",
                "GrantElement")

#: Sheet ``Not ODA``: transactions of the year that are not ODA or only partly ODA (its headers, and those
#: of ``Needs review``, are msgids: the sheets for the officer are written in the run's language)
NOT_ODA_COLUMNS = (
    C(N_("TransactionId"), INT, 13), C(N_("Date"), DATE, 12), C(N_("Kind"), TEXT, 13),
    C(N_("DocumentNumber"), TEXT, 18), C(N_("ProjectNumber"), TEXT, 16), C(N_("ProjectTitle"), TEXT, 40),
    C(N_("Programme"), TEXT, 14), C(N_("PolicyArea"), TEXT, 24), C(N_("Currency"), TEXT, 9),
    C(N_("Amount"), MONEY, 16), C(N_("Amount_EUR"), MONEY, 16), C(N_("Status"), TEXT, 14),
    C(N_("ODAShare"), RATE, 10), C(N_("ODA_EUR"), MONEY, 16), C(N_("NonODA_Commitment_EUR"), MONEY, 18),
    C(N_("NonODA_Disbursement_EUR"), MONEY, 18), C(N_("Reasons"), TEXT, 80),
)

#: Sheet ``Needs review``: what is still open for the year
REVIEW_COLUMNS = (
    C(N_("TransactionId"), INT, 13), C(N_("Date"), DATE, 12), C(N_("Kind"), TEXT, 13),
    C(N_("DocumentNumber"), TEXT, 18), C(N_("ProjectNumber"), TEXT, 16), C(N_("ProjectTitle"), TEXT, 40),
    C(N_("Programme"), TEXT, 14), C(N_("Currency"), TEXT, 9), C(N_("Amount"), MONEY, 16),
    C(N_("Amount_EUR"), MONEY, 16), C(N_("Open"), TEXT, 30), C(N_("InReconciliationAs"), TEXT, 18),
    C(N_("Reasons"), TEXT, 80),
)
