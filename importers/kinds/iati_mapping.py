"""From one IATI activity (as read by importers.readers.iati_xml) to the attributes an
Aidledger activity has, with a finding for whatever cannot be carried over.

Only what the file states is set: an element the activity leaves out leaves the
attribute as it is, as a column left out of an activities workbook does. Codes are
kept exactly as written; the activities importer's code checks warn about the odd ones.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from app.messages import said

from importers.kinds.base import RowResult
from importers.readers.iati_xml import Coded, IatiActivity

MAX_CODE, MAX_TITLE, MAX_DESCRIPTION = 40, 300, 10000
#: the narratives Aidledger keeps, in this order of preference
LANGUAGES = ("nl", "en")
#: the DAC vocabulary: the default when an element names none
DAC = (None, "1")
IMPLEMENTING = "4"
#: IATI PolicyMarker codes → the CRS marker of programmes.models.enums.POLICY_MARKERS
MARKERS = {"1": "gender", "2": "environment", "3": "pdgg", "4": "trade", "5": "biodiversity",
           "6": "climate_mitigation", "7": "climate_adaptation", "8": "desertification", "9": "rmnch",
           "10": "drr", "11": "disability", "12": "nutrition"}
#: IATI CRSAddOtherFlags codes → the activity's CRS flags
FLAGS = {"1": "flag_ftc", "2": "flag_pba", "3": "flag_investment_project", "4": "flag_associated_financing"}
#: IATI ActivityStatus → ours: finalisation and suspension still have money moving, so active
STATUSES = {"1": "pipeline", "2": "active", "3": "active", "4": "completed", "5": "cancelled", "6": "active"}
#: IATI activity-date types: an activity's start and end are the expected ones, so planned before actual
START_DATES, END_DATES = ("1", "2"), ("3", "4")
DEFAULT_CODES = {"aid_type": "aid_type", "flow_type": "flow_type", "finance_type": "finance_type",
                 "tied_status": "tied_status", "collaboration_type": "bi_multi"}


def activity_code(activity: IatiActivity, prefix: str, row: RowResult) -> str | None:
    """The iati-identifier without the reporting organisation's identifier (the activity code
    Aidledger itself publishes after its organisation identifier), after ``prefix``."""
    identifier = activity.identifier
    if not identifier:
        row.error("iati_identifier", said("the activity has no iati-identifier; it cannot be matched or created"))
        return None
    reporting = activity.reporting_org
    if reporting and identifier.startswith(reporting) and len(identifier) > len(reporting):
        code = identifier[len(reporting):].lstrip("-") or identifier
    else:
        code = identifier
        row.warn("iati_identifier", said("the iati-identifier %(identifier)s does not start with the reporting "
                                      "organisation's identifier %(org)s: the whole identifier is the code",
                                      identifier=identifier, org=reporting or "?"))
    code = f"{prefix}{code}"
    if len(code) > MAX_CODE:
        row.error("iati_identifier", said("the activity code %(code)s (from the iati-identifier) is longer than "
                                       "%(n)s characters", code=code, n=MAX_CODE))
        return None
    return code


def activity_values(activity: IatiActivity, row: RowResult) -> dict:
    """The attributes the file states, as the activity services take them; ``country`` and
    ``partner_names`` are resolved against the database later."""
    values: dict = {}
    _texts(activity, row, values)
    _recipient(activity, row, values)
    _sector(activity, row, values)
    _defaults(activity, row, values)
    _dates(activity, row, values)
    _implementing(activity, values)
    for marker in activity.markers:
        _marker(marker, row, values)
    if activity.flags:
        values.update({name: code in activity.flags for code, name in FLAGS.items()})
    if activity.status in STATUSES:
        values["status"] = STATUSES[activity.status]
    return values


def preferred_text(narratives: dict, language: str | None) -> str | None:
    """Dutch, else English, else the activity's own language, else the first narrative."""
    for wanted in (*LANGUAGES, (language or "").lower()):
        if narratives.get(wanted):
            return narratives[wanted]
    return next(iter(narratives.values()), None)


def _texts(activity: IatiActivity, row: RowResult, values: dict) -> None:
    for name, narratives, limit in (("title", activity.titles, MAX_TITLE),
                                    ("description", activity.descriptions, MAX_DESCRIPTION)):
        text = preferred_text(narratives, activity.language)
        if text is None or (name == "description" and text in activity.titles.values()):
            continue  # a publisher repeats the title where there is no description (IATI requires one)
        if len(text) > limit:
            row.warn(name, said("shortened to the first %(n)s characters", n=limit))
            text = text[:limit].rstrip()
        values[name] = text


def _largest(coded: list[Coded]) -> Coded:
    def share(item: Coded) -> Decimal:
        try:
            return Decimal(item.share or "0")
        except InvalidOperation:
            return Decimal("0")
    return max(coded, key=share)


def _one_of(coded: list[Coded], row: RowResult, field: str) -> Coded:
    """The element with the largest percentage; the others are named in a warning."""
    chosen = _largest(coded)
    if len(coded) > 1:
        listed = ", ".join(f"{c.code} ({c.share or '?'} %)" for c in coded)
        row.warn(field, said("the activity names %(n)s: %(listed)s; Aidledger keeps one, the largest: %(code)s",
                          n=len(coded), listed=listed, code=chosen.code))
    return chosen


def _recipient(activity: IatiActivity, row: RowResult, values: dict) -> None:
    if activity.countries:
        values["country"] = _one_of(activity.countries, row, "recipient_code").code.upper()
        return
    regions = [r for r in activity.regions if r.vocabulary in DAC]
    if regions:
        values["recipient_code"] = _one_of(regions, row, "recipient_code").code
    elif activity.regions:
        row.warn("recipient_code", said("recipient-region in vocabulary %(vocabulary)s is not a DAC region code; "
                                     "no recipient set", vocabulary=activity.regions[0].vocabulary))


def _sector(activity: IatiActivity, row: RowResult, values: dict) -> None:
    purposes = [s for s in activity.sectors if s.vocabulary in DAC]
    if purposes:
        values["purpose_code"] = _one_of(purposes, row, "purpose_code").code
    elif activity.sectors:
        row.warn("purpose_code", said("no sector in vocabulary 1 (DAC 5-digit purpose codes); no purpose code set"))


def _defaults(activity: IatiActivity, row: RowResult, values: dict) -> None:
    for element, field in DEFAULT_CODES.items():
        coded = activity.defaults.get(element)
        if coded is None:
            continue
        if element == "aid_type" and coded.vocabulary not in DAC:
            row.warn("aid_type", said("default-aid-type in vocabulary %(vocabulary)s is not a DAC type of aid; "
                                   "not set", vocabulary=coded.vocabulary))
            continue
        values[field] = coded.code


def _dates(activity: IatiActivity, row: RowResult, values: dict) -> None:
    for field, kinds in (("start_date", START_DATES), ("end_date", END_DATES)):
        text = next((activity.dates[k] for k in kinds if k in activity.dates), None)
        if text is None:
            continue
        try:
            values[field] = date.fromisoformat(text[:10])
        except ValueError:
            row.error(field, said("not a date: %(value)s (IATI dates are written 2026-12-31)", value=text[:20]))


def _implementing(activity: IatiActivity, values: dict) -> None:
    implementing = [o for o in activity.organisations if o.role == IMPLEMENTING]
    if not implementing:
        return
    partner = implementing[0]
    names = [preferred_text(partner.names, activity.language), *partner.names.values(), partner.ref]
    values["partner_names"] = list(dict.fromkeys(n for n in names if n))
    if partner.channel_code:
        values["channel_code"] = partner.channel_code


def _marker(marker: Coded, row: RowResult, values: dict) -> None:
    name = MARKERS.get(marker.code) if marker.vocabulary in DAC else None
    if name is None:
        return
    try:
        values[f"marker_{name}"] = int(marker.share) if marker.share is not None else None
    except ValueError:
        row.error(f"marker_{name}", said("policy-marker %(code)s has significance %(value)s, not a number",
                                      code=marker.code, value=str(marker.share)[:10]))
