"""One ``iati-activity`` element from an activity's row and its published ODA lines.

Elements in the order the IATI 2.03 schema fixes; how each is derived is in docs/iati.md.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from lxml import etree

from exports.iati.elements import CURRENCY, XML_LANG, SubElement, clean, narrative, narratives, reporting_org, value
from exports.iati.identity import GOVERNMENT, REPORTING_ORG_NAMES, Narrative
from exports.iati.places import DAC_REGIONS, Place
from exports.iati.queries import Line
from oda.loans import is_loan
from programmes.models.enums import ActivityStatus, OrganisationKind

#: IATI PolicyMarker code of each CRS marker attribute (vocabulary 1, OECD DAC CRS)
POLICY_MARKERS = {
    "marker_gender": "1", "marker_environment": "2", "marker_pdgg": "3", "marker_trade": "4",
    "marker_biodiversity": "5", "marker_climate_mitigation": "6", "marker_climate_adaptation": "7",
    "marker_desertification": "8", "marker_rmnch": "9", "marker_drr": "10", "marker_disability": "11",
    "marker_nutrition": "12",
}
#: IATI CRSAddOtherFlags code of each CRS flag attribute
OTHER_FLAGS = {"flag_ftc": "1", "flag_pba": "2", "flag_investment_project": "3", "flag_associated_financing": "4"}
#: IATI OrganisationType of each kind of partner (none for a scheme of individuals)
ORGANISATION_TYPES = {
    OrganisationKind.GOVERNMENT: "10", OrganisationKind.NGO: "21", OrganisationKind.MULTILATERAL: "40",
    OrganisationKind.PRIVATE: "70", OrganisationKind.RESEARCH: "80",
}
#: IATI TransactionType: 2 (outgoing) commitment, 3 disbursement; a refund is a negative disbursement
COMMITMENT, DISBURSEMENT = "2", "3"
#: IATI OrganisationRole
FUNDING, EXTENDING, IMPLEMENTING = "1", "3", "4"
#: IATI ActivityDateType
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"
#: IATI ActivityStatus
PIPELINE, IMPLEMENTATION, FINALISATION, CLOSED, CANCELLED = "1", "2", "3", "4", "5"
#: IATI RelatedActivityType
PARENT, CHILD = "1", "2"
#: IATI OtherIdentifierType A2: CRS activity identifier
CRS_IDENTIFIER = "A2"
#: IATI LoanRepaymentPeriod codes are the repayments per year
REPAYMENT_PLANS = {1, 2, 4, 12}
#: an activity whose end lies more than this many days back is closed, not in finalisation
FINALISATION_DAYS = 365


class IatiContext(NamedTuple):
    """What every activity of one file shares."""

    organisation_id: str
    generated_at: datetime
    language: str
    default_tied_status: str
    places: dict[str, Place]

    @property
    def today(self) -> date:
        return self.generated_at.date()


class Texts(NamedTuple):
    titles: tuple[Narrative, ...]
    descriptions: tuple[Narrative, ...]


def activity_status(start: date | None, end: date | None, today: date, status: str | None = None) -> str:
    """From the dates: not started → pipeline, running → implementation, ended within a
    year → finalisation, ended earlier → closed; a cancelled activity is cancelled."""
    if status == ActivityStatus.CANCELLED:
        return CANCELLED
    if start is not None and start > today:
        return PIPELINE
    if end is not None and end < today:
        return CLOSED if (today - end).days > FINALISATION_DAYS else FINALISATION
    return IMPLEMENTATION


def activity_dates(start: date | None, end: date | None, lines: list[Line], today: date) -> list[tuple[str, date]]:
    """Planned start and end as entered; actual start: the planned start once passed, or
    the first published line if earlier; actual end once the planned end has passed (the
    last line if later), so the actual start never follows the actual end."""
    dates = []
    if start is not None:
        dates.append((PLANNED_START, start))
    if end is not None:
        dates.append((PLANNED_END, end))
    begun = [day for day in (start, lines[0].date if lines else None) if day is not None and day <= today]
    if begun:
        dates.append((ACTUAL_START, min(begun)))
    if end is not None and end < today:
        dates.append((ACTUAL_END, max([end] + [line.date for line in lines[-1:] if line.date <= today])))
    return dates


def participating_orgs(parent, ctx: IatiContext, row, with_partner: bool) -> None:
    for role in (FUNDING, EXTENDING):
        element = SubElement(parent, "participating-org", {"ref": ctx.organisation_id, "type": GOVERNMENT,
                                                           "role": role})
        narratives(element, REPORTING_ORG_NAMES)
    if with_partner and row.organisation_name:
        element = SubElement(parent, "participating-org", partner_attributes(row, IMPLEMENTING))
        narrative(element, row.organisation_name)


def partner_ref(row) -> str | None:
    """A multilateral's IATI identifier is ``XM-DAC-<its CRS channel code>``; other partners'
    identifiers are not in the ledger and are not invented."""
    channel = (row.channel or "").strip()
    if row.organisation_kind == OrganisationKind.MULTILATERAL and len(channel) == 5 and channel.startswith("4"):
        return f"XM-DAC-{channel}"
    return None


def partner_attributes(row, role: str | None = None) -> dict:
    attributes = {}
    ref = partner_ref(row)
    if ref:
        attributes["ref"] = ref
    kind = ORGANISATION_TYPES.get(row.organisation_kind)
    if kind:
        attributes["type"] = kind
    if role is not None:
        attributes["role"] = role
        if row.channel:
            attributes["crs-channel-code"] = row.channel
    return attributes


def recipient(parent, ctx: IatiContext, code: str | None) -> None:
    place = ctx.places.get(code or "")
    if place is None:
        return
    if place.element == "country":
        SubElement(parent, "recipient-country", {"code": place.code, "percentage": "100"})
    else:
        SubElement(parent, "recipient-region", {"code": place.code, "vocabulary": DAC_REGIONS, "percentage": "100"})


def classifications(parent, ctx: IatiContext, row) -> None:
    """Sector, policy markers, collaboration type and the default flow, finance, aid and tied-status types."""
    if row.purpose_code:
        SubElement(parent, "sector", {"vocabulary": "1", "code": row.purpose_code, "percentage": "100"})
    for field, code in POLICY_MARKERS.items():
        score = getattr(row, field)
        if score is not None:
            SubElement(parent, "policy-marker", {"vocabulary": "1", "code": code, "significance": str(score)})
    SubElement(parent, "collaboration-type", {"code": str(row.bi_multi_crs)})
    SubElement(parent, "default-flow-type", {"code": row.flow_type})
    SubElement(parent, "default-finance-type", {"code": row.finance_type})
    SubElement(parent, "default-aid-type", {"code": row.aid_type, "vocabulary": "1"})
    SubElement(parent, "default-tied-status", {"code": row.tied_status or ctx.default_tied_status})


def transactions(parent, ctx: IatiContext, row, lines: list[Line], with_receiver: bool) -> None:
    """Commitments as type 2, disbursements as 3 and refunds as negative disbursements; a
    humanitarian activity without commitment record also commits what it pays (as the CRS)."""
    receiver = partner_attributes(row) if with_receiver and row.organisation_name else None
    for line in lines:
        cents = -line.cents if line.kind == "refund" else line.cents
        if line.kind == "commitment":
            _transaction(parent, ctx, COMMITMENT, line.date, cents, row, receiver)
            continue
        if row.commitment_derived:
            _transaction(parent, ctx, COMMITMENT, line.date, cents, row, receiver)
        _transaction(parent, ctx, DISBURSEMENT, line.date, cents, row, receiver)


def _transaction(parent, ctx: IatiContext, kind: str, day: date, cents: int, row, receiver: dict | None) -> None:
    element = SubElement(parent, "transaction")
    SubElement(element, "transaction-type", {"code": kind})
    SubElement(element, "transaction-date", {"iso-date": day.isoformat()})
    value(element, cents, day)
    SubElement(element, "provider-org", {"ref": ctx.organisation_id, "type": GOVERNMENT})
    if receiver is not None:
        narrative(SubElement(element, "receiver-org", receiver), row.organisation_name)


def crs_add(parent, row, first_commitment: date | None) -> None:
    element = SubElement(parent, "crs-add")
    for field, code in OTHER_FLAGS.items():
        if getattr(row, field):
            SubElement(element, "other-flags", {"code": code, "significance": "1"})
    if is_loan(row.finance_type):
        loan_terms(element, row, first_commitment)
    if row.channel:
        SubElement(element, "channel-code").text = row.channel


def loan_terms(parent, row, first_commitment: date | None) -> None:
    """CRS items 44–49: the repayment type and plan, the commitment, first and final repayment dates, the rates."""
    rates = {name: _percent(rate) for name, rate in (("rate-1", row.loan_interest_rate_1),
                                                    ("rate-2", row.loan_interest_rate_2)) if rate is not None}
    element = SubElement(parent, "loan-terms", rates)
    if row.loan_repayment_type is not None:
        SubElement(element, "repayment-type", {"code": str(row.loan_repayment_type)})
    if row.loan_repayments_per_year in REPAYMENT_PLANS:
        SubElement(element, "repayment-plan", {"code": str(row.loan_repayments_per_year)})
    committed = row.commitment_date or first_commitment
    for name, day in (("commitment-date", committed), ("repayment-first-date", row.loan_first_repayment_date),
                      ("repayment-final-date", row.loan_final_repayment_date)):
        if day is not None:
            SubElement(element, name, {"iso-date": day.isoformat()})


def _percent(rate) -> str:
    return format(rate.normalize(), "f")


def activity_element(ctx: IatiContext, row, identifier: str, texts: Texts, lines: list[Line], *,
                     crs_id: str | None = None, parent_identifier: str | None = None, partner: bool = True):
    """The ``iati-activity`` of ``row`` (an activity row of ``queries``, or a stand-in of the
    same shape for an aggregate); ``partner`` False leaves out the partner (persons)."""
    attributes = {"last-updated-datetime": ctx.generated_at.isoformat(timespec="seconds"), XML_LANG: ctx.language,
                  "default-currency": CURRENCY, "hierarchy": "2"}
    if row.humanitarian:
        attributes["humanitarian"] = "1"
    activity = etree.Element("iati-activity", attributes)
    SubElement(activity, "iati-identifier").text = identifier
    reporting_org(activity, ctx.organisation_id, REPORTING_ORG_NAMES)
    narratives(SubElement(activity, "title"), texts.titles)
    narratives(SubElement(activity, "description", {"type": "1"}), texts.descriptions)
    participating_orgs(activity, ctx, row, partner)
    if crs_id:
        SubElement(activity, "other-identifier", {"ref": crs_id, "type": CRS_IDENTIFIER})
    SubElement(activity, "activity-status", {"code": activity_status(row.start_date, row.end_date, ctx.today,
                                                                     row.status)})
    for kind, day in activity_dates(row.start_date, row.end_date, lines, ctx.today):
        SubElement(activity, "activity-date", {"type": kind, "iso-date": day.isoformat()})
    recipient(activity, ctx, row.recipient_code)
    classifications(activity, ctx, row)
    transactions(activity, ctx, row, lines, partner)
    if parent_identifier:
        SubElement(activity, "related-activity", {"ref": parent_identifier, "type": PARENT})
    first_commitment = next((line.date for line in lines if line.kind == "commitment"), None)
    crs_add(activity, row, first_commitment)
    return activity


def own_texts(row) -> Texts:
    """An activity's title and description, in the language they were entered in (the file's
    default); an activity without a description is described by its title (IATI requires one)."""
    title = clean(row.title) or row.code
    return Texts((Narrative(None, title),), (Narrative(None, clean(row.description) or title),))
