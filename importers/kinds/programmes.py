"""Programmes: country programmes, multilateral portfolios, grant schemes and other envelopes."""
from __future__ import annotations

from sqlalchemy.orm import Session

from importers.codes import CodeLookup, code_warning
from importers.kinds.base import (N_, IMPORTED, UNCHANGED, UPDATED, ApplyContext, Column, Kind, RowResult,
                                  apply_through_services)
from app.messages import said
from app.values import choice_parser, parse_code, parse_integer, parse_text
from programmes.models.enums import PolicyArea, ProgrammeKind
from programmes.services.programmes import create_programme, get_programme_by_code, update_programme

PROGRAMME_KINDS = {**{k.value: k.value for k in ProgrammeKind}, "landenprogramma": ProgrammeKind.COUNTRY.value,
                   "country programme": ProgrammeKind.COUNTRY.value,
                   "multilateraal": ProgrammeKind.MULTILATERAL.value,
                   "subsidieregeling": ProgrammeKind.GRANT_SCHEME.value,
                   "humanitair": ProgrammeKind.HUMANITARIAN.value}
POLICY_AREAS = {**{a.value: a.value for a in PolicyArea},
                "ontwikkelingssamenwerking": PolicyArea.DEVELOPMENT.value,
                "development cooperation": PolicyArea.DEVELOPMENT.value,
                "wetenschap en innovatie": PolicyArea.SCIENCE.value, "omgeving": PolicyArea.ENVIRONMENT.value,
                "cultuur": PolicyArea.CULTURE.value, "asiel en opvang": PolicyArea.ASYLUM.value,
                "andere": PolicyArea.OTHER.value}
parse_programme_kind = choice_parser(PROGRAMME_KINDS, "programme kind")
parse_policy_area = choice_parser(POLICY_AREAS, "policy area")


class ProgrammesKind(Kind):
    name = "programmes"
    title = "Programmes"
    description = N_("Programmes by code: new codes are created, existing ones updated (an event keeps old values).")
    service_fields = {"code": "programme_code", "partner_country": "country_code"}
    columns = (
        Column("programme_code", True, ("Programmacode", "Code"), N_("Unique code, e.g. MWI-CSP3."), "MOZ-CSP5"),
        Column("name", True, ("Naam", "Programmanaam", "Programme name"), N_("Up to 200 characters."),
               "Mozambique country programme 2026–2030"),
        Column("kind", True, ("Soort", "Type", "Programme kind"), ", ".join(k.value for k in ProgrammeKind),
               "country_programme"),
        Column("country_code", False, ("Landcode", "Partnerland", "Country", "Recipient code"),
               N_("DAC recipient code of the partner country (country programmes)."), "259"),
        Column("start_year", True, ("Beginjaar", "Startjaar", "Start year"), N_("First year."), 2026),
        Column("end_year", True, ("Eindjaar", "End year"), N_("Last year (country programmes run five years)."), 2030),
        Column("policy_area", True, ("Beleidsdomein", "Beleidsveld", "Policy area"),
               ", ".join(a.value for a in PolicyArea), "development_cooperation"),
        Column("description", False, ("Omschrijving",), N_("Optional, up to 2000 characters."), "Health and SRHR"),
    )

    def new_state(self) -> dict:
        return {"codes": {}}

    def parse(self, row: RowResult, cells: dict, state: dict) -> None:
        code = self.read(row, cells, "programme_code", parse_code, 30, required=True)
        values = {
            "name": self.read(row, cells, "name", parse_text, 200, required=True),
            "kind": self.read(row, cells, "kind", parse_programme_kind, required=True),
            "partner_country": self.read(row, cells, "country_code", parse_code, 5),
            "start_year": self.read(row, cells, "start_year", parse_integer, "a year", required=True),
            "end_year": self.read(row, cells, "end_year", parse_integer, "a year", required=True),
            "policy_area": self.read(row, cells, "policy_area", parse_policy_area, required=True),
        }
        if "description" in cells:
            values["description"] = self.read(row, cells, "description", parse_text, 2000)
        row.key, row.values = code, values
        if code is not None and state["codes"].setdefault(code, row.row_number) != row.row_number:
            row.error("programme_code", said("programme %(code)s appears already on row %(first)s", code=code,
                                             first=state["codes"][code]))

    def apply(self, session: Session, rows: list[RowResult], ctx: ApplyContext) -> None:
        apply_through_services(self, session, rows, ctx, self._apply_row)

    def _apply_row(self, session: Session, row: RowResult, ctx: ApplyContext) -> None:
        existing = get_programme_by_code(session, row.key)
        if existing is None:
            programme = create_programme(session, code=row.key, **row.values)
            row.outcome = IMPORTED
        else:
            programme = existing
            row.outcome = UPDATED if update_programme(session, existing, **row.values) else UNCHANGED
        row.entity_id = str(programme.id)
        country = row.values.get("partner_country")
        if country:
            lookup = CodeLookup(session, programme.start_year)
            warning = code_warning("recipient_code", country, lookup.status("recipient_code", country),
                                   lookup.official)
            if warning:
                row.warn("country_code", warning)
