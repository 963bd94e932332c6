"""IATI activity files (``iati-activities`` 2.0x, e.g. a partner organisation's published file, or
Aidledger's own): each ``iati-activity`` creates or updates one activity through the programme
services, with the rules and events of the activities workbook. Transactions are not read:
the ledger comes from the financial system."""
from __future__ import annotations

from typing import Callable

from flask import current_app, has_app_context
from flask_babel import ngettext

from app.messages import said
from sqlalchemy.orm import Session

from importers.errors import ImportRefused
from importers.headers import ColumnMap
from importers.kinds.activities import organisation_named, warn_about_codes
from importers.kinds.base import IMPORTED, UNCHANGED, UPDATED, ApplyContext, Kind, RowResult, apply_through_services
from importers.kinds.iati_mapping import activity_code, activity_values
from importers.limits import Limits
from importers.readers.iati_xml import check_xml_upload, read_activities
from importers.suggestions import closest_codes, did_you_mean
from oda.reference.countries import recipient_code_for_country
from programmes.models.enums import CRS_FLAG_FIELDS, POLICY_MARKERS
from programmes.services.activities import create_activity, get_activity_by_code, update_activity
from programmes.services.ledger import activities_by_code, activity_codes
from programmes.services.programmes import get_programme_by_code

PROGRESS_EVERY = 1000
#: what a finding's field is called in the file (the element the value came from)
LABELS = {
    "iati_identifier": "iati-identifier", "line": "line", "title": "title", "description": "description",
    "recipient_code": "recipient-country", "purpose_code": "sector", "aid_type": "default-aid-type",
    "flow_type": "default-flow-type", "finance_type": "default-finance-type", "tied_status": "default-tied-status",
    "bi_multi": "collaboration-type", "channel_code": "participating-org", "organisation_id": "participating-org",
    "status": "activity-status", "start_date": "activity-date", "end_date": "activity-date",
    "programme_id": "programme",
    **{f"marker_{m}": "policy-marker" for m in POLICY_MARKERS}, **{f: "crs-add" for f in CRS_FLAG_FIELDS},
}
#: the cells kept of an activity with errors (the error-rows workbook)
SHOWN = ("iati_identifier", "line", "title")


def _leave_default_tied_status_empty(fields: dict, activity) -> None:
    """An empty tied status means the installation's default (as the CRS and IATI writers read
    it), so the default read from a file leaves an empty one empty."""
    default = current_app.config.get("AIDLEDGER_DEFAULT_TIED_STATUS") if has_app_context() else None
    if fields.get("tied_status") == default and (activity is None or activity.tied_status is None):
        del fields["tied_status"]


def _notes(not_imported: dict) -> list[str]:
    """What the file held that is not imported, for the batch's summary."""
    notes = []
    parents, transactions = not_imported.get("parent_activities", 0), not_imported.get("transactions", 0)
    if parents:
        notes.append(ngettext("%(num)s parent activity not imported: in Aidledger the programme is the parent.",
                              "%(num)s parent activities not imported: in Aidledger the programme is the parent.",
                              parents))
    if transactions:
        notes.append(ngettext("%(num)s transaction not imported: the ledger comes from the financial system.",
                              "%(num)s transactions not imported: the ledger comes from the financial system.",
                              transactions))
    return notes


class IatiKind(Kind):
    name = "iati"
    title = "IATI activities (XML)"
    description = ("An IATI activity file (iati-activities 2.01–2.03): each activity is created in the chosen "
                   "programme or updated by its code (the iati-identifier without the reporting organisation's "
                   "identifier). Transactions are not imported: the ledger comes from the financial system.")
    reads_own_format = True
    option_names = ("programme", "code_prefix")
    service_fields = {"code": "iati_identifier"}

    def parse_upload(self, path: str, limits: Limits, options: dict,
                     progress: Callable[[int, int | None], None] | None = None):
        from importers.services.parse import ParsedFile

        check_xml_upload(path, limits)
        prefix = options.get("code_prefix", "")
        rows, seen, transactions, parents = [], {}, 0, set()
        for activity in read_activities(path, limits):
            parents.update(activity.parents)
            row = RowResult(activity.position)
            row.key = activity_code(activity, prefix, row)
            row.values = activity_values(activity, row)
            row.raw = [activity.identifier, activity.line, row.values.get("title")]
            if row.key is not None and seen.setdefault(row.key, activity.position) != activity.position:
                row.error("iati_identifier", said("activity %(code)s appears already as activity %(n)s of the file",
                                               code=row.key, n=seen[row.key]))
            transactions += activity.transactions
            rows.append(row)
            if progress is not None and len(rows) % PROGRESS_EVERY == 0:
                progress(len(rows), None)
        children = [row for row in rows if row.raw[0] not in parents]
        if not children:
            raise ImportRefused("empty", said("The IATI file holds no iati-activity; nothing to import."))
        not_imported = {"parent_activities": len(rows) - len(children), "transactions": transactions}
        columns = ColumnMap(0, {name: i for i, name in enumerate(SHOWN)}, dict(LABELS),
                            [LABELS[name] for name in SHOWN])
        return ParsedFile.of_rows("xml", columns, children,
                          not_imported={what: n for what, n in not_imported.items() if n})

    def not_imported_notes(self, not_imported: dict) -> list[str]:
        return _notes(not_imported)

    def apply(self, session: Session, rows: list[RowResult], ctx: ApplyContext) -> None:
        chosen = ctx.options.get("programme")
        programme = get_programme_by_code(session, chosen) if chosen else None
        known = activities_by_code(session, [r.key for r in rows if r.key is not None])
        unknown = {r.key for r in rows if r.key is not None and r.key not in known}
        ctx.cache.update(programme=programme, known=known, suggestions=(
            closest_codes(unknown, activity_codes(session)) if unknown and programme is None else {}))
        if chosen and programme is None:
            for row in rows:
                row.error("programme_id", said("no programme with code %(code)s", code=chosen))
            return
        apply_through_services(self, session, rows, ctx, self._apply_row)

    def _apply_row(self, session: Session, row: RowResult, ctx: ApplyContext) -> None:
        programme, known = ctx.cache["programme"], ctx.cache["known"].get(row.key)
        if not self._has_a_place(row, programme, known, ctx):
            return
        fields = dict(row.values)
        self._resolve_recipient(session, row, fields)
        self._resolve_partner(session, row, fields)
        activity = None if known is None else get_activity_by_code(session, row.key)
        _leave_default_tied_status_empty(fields, activity)
        if activity is None:
            activity = create_activity(session, code=row.key, programme_id=programme.id, **fields)
            row.outcome = IMPORTED
        else:
            row.outcome = UPDATED if update_activity(session, activity, **fields) else UNCHANGED
        row.entity_id = str(activity.id)
        row.values = fields
        warn_about_codes(session, row, activity)

    def _has_a_place(self, row: RowResult, programme, known, ctx: ApplyContext) -> bool:
        """A new activity needs the chosen programme and a title; a known one stays in its programme."""
        if known is None and programme is None:
            row.error("iati_identifier", said("activity %(code)s is not in Aidledger yet: choose the programme "
                                           "that receives new activities%(hint)s", code=row.key,
                                           hint=did_you_mean(row.key, ctx.cache["suggestions"])))
        elif known is None and not row.values.get("title"):
            row.error("title", said("the activity has no title; a new activity needs one"))
        elif known is not None and programme is not None and known.programme_id != programme.id:
            row.error("programme_id", said("activity %(code)s belongs to another programme than %(programme)s; "
                                        "import it without choosing a programme, or into its own",
                                        code=row.key, programme=programme.code))
        return not row.has_error

    def _resolve_recipient(self, session: Session, row: RowResult, fields: dict) -> None:
        country = fields.pop("country", None)
        if country is None:
            return
        code = recipient_code_for_country(session, country)
        if code is None:
            row.warn("recipient_code", said("recipient-country %(country)s has no DAC recipient code in the loaded "
                                         "reference data; no recipient set", country=country))
        else:
            fields["recipient_code"] = code

    def _resolve_partner(self, session: Session, row: RowResult, fields: dict) -> None:
        names = fields.pop("partner_names", None)
        if not names:
            return
        for name in names:
            partner = organisation_named(session, name)
            if partner is not None:
                fields["organisation_id"] = partner.id
                return
        row.warn("organisation_id", said("the implementing organisation %(name)s is not a known partner; the "
                                      "activity keeps its partner (add the partner, then import again)",
                                      name=names[0]))
