"""Activities with their CRS attributes. Missing CRS attributes are allowed (an
activity in preparation); an unknown or withdrawn code is a warning and is kept
exactly as written, so the ODA classification asks for a review."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from importers.codes import CodeLookup, code_warning
from importers.kinds.base import (N_, IMPORTED, UNCHANGED, UPDATED, ApplyContext, Column, Kind, RowResult,
                                  apply_through_services)
from importers.kinds.spending import parse_currency
from app.messages import said
from app.values import (CellError, choice_parser, parse_amount, parse_code, parse_date, parse_flag, parse_integer,
                             parse_text)
from programmes.models import Organisation
from programmes.models.enums import (CRS_FLAGS, LOAN_REPAYMENT_TYPES, MAX_KEYWORDS_CHARS, POLICY_MARKERS,
                                     TIED_STATUSES, ActivityStatus, MainObjective)
from programmes.services.activities import create_activity, get_activity_by_code, update_activity
from programmes.services.programmes import get_programme_by_code

CODE_COLUMNS = {"recipient_code": 5, "purpose_code": 5, "aid_type": 4, "channel_code": 5, "flow_type": 3,
                "finance_type": 4, "bi_multi": 1}
#: columns whose model field has a default: a blank cell leaves the value as it is
DEFAULTED = ("flow_type", "finance_type", "main_objective", "currency", "status")
parse_objective = choice_parser({m.value: m.value for m in MainObjective}, "main objective")
parse_status = choice_parser({s.value: s.value for s in ActivityStatus}, "status")
parse_tied_status = choice_parser({**{code: code for code in TIED_STATUSES},
                                   **{name: code for code, name in TIED_STATUSES.items()},
                                   "gedeeltelijk ongebonden": "3", "gebonden": "4", "ongebonden": "5"}, "tied status")
_parse_repayment_code = choice_parser({**{str(code): str(code) for code in LOAN_REPAYMENT_TYPES},
                                       **{name: str(code) for code, name in LOAN_REPAYMENT_TYPES.items()},
                                       "EPP": "1", "gelijke kapitaalaflossingen": "1", "annuiteit": "2",
                                       "eenmalige aflossing": "3", "bullet": "3", "andere": "5"}, "repayment type")



def parse_repayment_type(value) -> int | None:
    code = _parse_repayment_code(value)
    return None if code is None else int(code)


def parse_interest_rate(value) -> Decimal | None:
    """Percent a year, Belgian or English notation, with or without '%': "0,75 %" → 0.75."""
    if isinstance(value, str):
        value = value.strip().removesuffix("%")
    amount, currency = parse_amount(value, places=4)
    if currency is not None:
        raise CellError(said("not an interest rate: %(value)s (write the percentage, e.g. 0,75)",
                             value=repr(str(value)[:20])))
    return amount


def _crs_record_columns() -> tuple[Column, ...]:
    """Tied status (CRS 36–38), a loan's terms (44–49), SDG focus and keywords: Dutch, English and CRS names."""
    return (
        Column("tied_status", False, ("Gebonden status", "Binding", "Tied"),
               N_("3 partially untied, 4 tied, 5 untied (gedeeltelijk ongebonden, gebonden, ongebonden); "
               "empty = untied (the installation's default)."), "5"),
        Column("loan_repayment_type", False, ("Aflossingstype", "Type aflossing", "Repaytype"),
               N_("Loans: 1 equal principal payments, 2 annuity, 3 lump sum, 5 other."), None),
        Column("loan_repayments_per_year", False, ("Aflossingen per jaar", "Aantal aflossingen per jaar",
                                                   "NumberRepayment"), N_("Loans: 1 to 12."), None),
        Column("loan_interest_rate_1", False, ("Rente 1", "Rentevoet", "Rentevoet 1", "Interest1"),
               N_("Loans: percent a year, e.g. 0,75."), None),
        Column("loan_interest_rate_2", False, ("Rente 2", "Rentevoet 2", "Interest2"),
               N_("Loans: a second rate, from the date in the next column."), None),
        Column("loan_interest_rate_2_date", False, ("Datum rente 2", "Rente 2 vanaf"),
               N_("Loans: from when the second rate applies."), None),
        Column("loan_first_repayment_date", False, ("Eerste aflossing", "Datum eerste aflossing", "Repaydate1"),
               N_("Loans: date of the first repayment of principal."), None),
        Column("loan_final_repayment_date", False, ("Laatste aflossing", "Datum laatste aflossing", "Repaydate2"),
               N_("Loans: date of the final repayment."), None),
        Column("sdg_focus", False, ("SDG-focus", "SDG", "Duurzame ontwikkelingsdoelen"),
               N_("Up to 10 SDG goals or targets separated by ';', e.g. 3.7;5.6."), "3.7;5.6"),
        Column("keywords", False, ("Trefwoorden", "Sleutelwoorden"), N_("CRS keywords, one line."), None),
    )


def _marker_columns() -> tuple[Column, ...]:
    return tuple(Column(f"marker_{m}", False, (m, f"{m} marker", f"marker {m}"),
                        f"0–{top}, or empty when not screened.", 1 if m == "gender" else None)
                 for m, top in POLICY_MARKERS.items())


def _flag_columns() -> tuple[Column, ...]:
    """The CRS flags under their model name, their CRS column name (FTC, AssocFinance …) and a Dutch label."""
    dutch = {"ftc": "Technische samenwerking", "pba": "Programmabenadering",
             "investment_project": "Investeringsproject", "associated_financing": "Geassocieerde financiering"}
    return tuple(Column(f"flag_{f}", False, (crs, f, dutch[f]), N_("1 when it applies, else empty."),
                        1 if f == "pba" else None)
                 for f, crs in CRS_FLAGS.items())


class ActivitiesKind(Kind):
    name = "activities"
    title = "Activities (CRS attributes)"
    description = (N_("Activities by code: new codes are created in their programme, existing ones updated with an "
                   "event keeping the old values. A blank cell empties an optional attribute; a column left out "
                   "of the file is not touched."))
    service_fields = {"code": "activity_code", "programme_id": "programme_code",
                      "organisation_id": "implementing_organisation"}
    columns = (
        Column("activity_code", True, ("Activiteitscode", "Projectcode", "Code"), N_("Unique code."), "MOZ-2026-ICRH"),
        Column("title", True, ("Titel", "Projecttitel", "Naam"), N_("Up to 300 characters."),
               "Adolescent sexual and reproductive health in Tete"),
        Column("programme_code", False, ("Programmacode", "Programma"), N_("Required for a new activity."), "MOZ-CSP4"),
        Column("implementing_organisation", False, ("Uitvoerende organisatie", "Partner", "Organisation"),
               N_("Name or short name of a known partner."), "ICRH-Mozambique"),
        Column("description", False, ("Omschrijving",), N_("Long description."), None),
        Column("recipient_code", False, ("Ontvanger", "Ontvangercode", "Recipient"), N_("DAC recipient code."), "259"),
        Column("purpose_code", False, ("Sectorcode", "CRS-code", "Purpose"), N_("5-digit CRS purpose code."), "13020"),
        Column("aid_type", False, ("Hulptype", "Type hulp"), N_("A01 … H06."), "C01"),
        Column("channel_code", False, ("Kanaalcode", "Channel"), N_("5-digit channel code."), "22000"),
        Column("flow_type", False, ("Stroomtype",), N_("10 = ODA (default)."), "10"),
        Column("finance_type", False, ("Financieringstype",), N_("110 = grant (default)."), "110"),
        Column("bi_multi", False, ("Bi/multi",), N_("1 bilateral, 2 multilateral, 3, 4, 6, 7, 8."), "1"),
        Column("geography", False, ("Geografie", "Regio"), N_("Town or region."), "Tete"),
        Column("main_objective", False, ("Hoofddoel",), ", ".join(m.value for m in MainObjective), "development"),
        Column("commitment_date", False, ("Vastleggingsdatum",), N_("Date of the signed agreement."), date(2026, 2, 1)),
        Column("commitment_amount", False, ("Vastgelegd bedrag", "Commitment"), N_("Amount committed."),
               Decimal("1119810.00")),
        Column("currency", False, ("Munt", "Valuta"), N_("ISO code; EUR by default."), "EUR"),
        Column("start_date", False, ("Begindatum", "Startdatum"), N_("Expected start."), date(2026, 3, 1)),
        Column("end_date", False, ("Einddatum",), N_("Expected end."), date(2030, 12, 31)),
        Column("status", False, ("Toestand",), ", ".join(s.value for s in ActivityStatus), "active"),
    ) + _marker_columns() + _flag_columns() + _crs_record_columns()

    def new_state(self) -> dict:
        return {"codes": {}}

    def parse(self, row: RowResult, cells: dict, state: dict) -> None:
        code = self.read(row, cells, "activity_code", parse_code, 40, required=True)
        values = {}
        readers = {
            "title": (parse_text, 300), "programme_code": (parse_code, 30),
            "implementing_organisation": (parse_text, 200), "description": (parse_text, 10000),
            "geography": (parse_text, 120), "main_objective": (parse_objective,), "status": (parse_status,),
            "commitment_date": (parse_date,), "start_date": (parse_date,), "end_date": (parse_date,),
            "currency": (parse_currency,),
            **{name: (parse_code, size) for name, size in CODE_COLUMNS.items()},
            **{f"marker_{m}": (parse_integer, "a marker score") for m in POLICY_MARKERS},
            **{f"flag_{f}": (parse_flag,) for f in CRS_FLAGS},
            "tied_status": (parse_tied_status,), "loan_repayment_type": (parse_repayment_type,),
            "loan_repayments_per_year": (parse_integer, "a number of repayments"),
            "loan_interest_rate_1": (parse_interest_rate,), "loan_interest_rate_2": (parse_interest_rate,),
            "loan_interest_rate_2_date": (parse_date,), "loan_first_repayment_date": (parse_date,),
            "loan_final_repayment_date": (parse_date,), "sdg_focus": (parse_text, 120),
            "keywords": (parse_text, MAX_KEYWORDS_CHARS),
        }
        for name, (parser, *args) in readers.items():
            if name in cells:
                values[name] = self.read(row, cells, name, parser, *args)
        if "commitment_amount" in cells:
            self._read_commitment(row, cells, values)
        row.key, row.values = code, values
        if code is not None and state["codes"].setdefault(code, row.row_number) != row.row_number:
            row.error("activity_code", said("activity %(code)s appears already on row %(first)s", code=code,
                                            first=state["codes"][code]))

    def _read_commitment(self, row: RowResult, cells: dict, values: dict) -> None:
        try:
            amount, named = parse_amount(cells["commitment_amount"])
        except CellError as exc:
            row.error("commitment_amount", exc.args[0])
            return
        currency = values.get("currency")
        if named and currency and named != currency:
            row.error("commitment_amount", said("the amount is in %(named)s but the currency column says "
                                                    "%(currency)s", named=named, currency=currency))
        elif named:
            values["currency"] = named
        values["commitment_amount"] = amount

    def apply(self, session: Session, rows: list[RowResult], ctx: ApplyContext) -> None:
        apply_through_services(self, session, rows, ctx, self._apply_row)

    def _apply_row(self, session: Session, row: RowResult, ctx: ApplyContext) -> None:
        fields = dict(row.values)
        if not self._resolve_references(session, row, fields):
            return
        existing = get_activity_by_code(session, row.key)
        if existing is None:
            if not fields.get("title"):
                row.error("title", said("is empty; a new activity needs a title"))
                return
            if "programme_id" not in fields:
                row.error("programme_code", said("is empty; a new activity needs a programme"))
                return
            activity = create_activity(session, code=row.key, **{k: v for k, v in fields.items() if v is not None})
            row.outcome = IMPORTED
        else:
            updates = {k: v for k, v in fields.items() if not (v is None and k in DEFAULTED + ("title",))}
            activity = existing
            row.outcome = UPDATED if update_activity(session, existing, **updates) else UNCHANGED
        row.entity_id = str(activity.id)
        warn_about_codes(session, row, activity)

    def _resolve_references(self, session: Session, row: RowResult, fields: dict) -> bool:
        programme_code = fields.pop("programme_code", None)
        if programme_code:
            programme = get_programme_by_code(session, programme_code)
            if programme is None:
                row.error("programme_code", said("no programme with code %(code)s", code=programme_code))
                return False
            fields["programme_id"] = programme.id
        if "implementing_organisation" in fields:
            name = fields.pop("implementing_organisation")
            fields["organisation_id"] = None
            if name:
                organisation = organisation_named(session, name)
                if organisation is None:
                    row.error("implementing_organisation",
                              said("no partner organisation named %(name)s", name=repr(name)))
                    return False
                fields["organisation_id"] = organisation.id
        return True


def warn_about_codes(session: Session, row: RowResult, activity) -> None:
    """Codes are checked against the lists valid in the year of the commitment (or start)."""
    when = activity.commitment_date or activity.start_date
    lookup = CodeLookup(session, when.year if when else date.today().year)
    for name in CODE_COLUMNS:
        code = getattr(activity, name)
        if code and name in row.values:
            warning = code_warning(name, code, lookup.status(name, code), lookup.official)
            if warning:
                row.warn(name, warning)


def organisation_named(session: Session, name: str) -> Organisation | None:
    """The partner whose name or short name is ``name`` (any case)."""
    wanted = name.lower()
    return session.scalar(select(Organisation).where(or_(
        func.lower(Organisation.name) == wanted, func.lower(Organisation.short_name) == wanted)).limit(1))
