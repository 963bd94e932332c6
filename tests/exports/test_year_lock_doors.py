"""The lock of a submitted year through every door: the API, the activity form, the
imports (Dutch headers, from the command line), overrides; a reference reload leaves the
year's figures as submitted, and ``reference_drift`` says what the newer data would change."""
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.auth.roles import Role
from app.rates.models import ExchangeRate
from oda.models import Evaluation, Override
from oda.reference.loaders import curated
from oda.reference.services import load_parsed
from oda.services.classify import classify
from oda.services.drift import reference_drift
from oda.services.year_status import year_status
from programmes.models import Activity, Transaction
from tests.builders.api import api, assert_error  # noqa: F401
from tests.builders.exports import classified_portfolio
from tests.builders.importers import DUTCH_SPENDING_HEADERS, workbook
from tests.builders.web import WebWorld, web  # noqa: F401
from tests.exports.conftest import read_sheets
from tests.exports.test_submission import resolve_review
from tests.builders.reference import SHARED, needs_shared

ACTIVITY_HEADERS = ["Activiteitscode", "Titel", "Programmacode", "Ontvanger", "Sectorcode", "Hulptype",
                    "Kanaalcode"]
RATE_HEADERS = ["Jaar", "Munt", "Eenheden per USD", "Bron"]
SUBMITTED = "2024 is submitted: final CRS export"


def submit_2024(world, app, tmp_path) -> None:
    world.seed(classified_portfolio)
    world.seed(resolve_review)
    if isinstance(world, WebWorld):  # the API builder has no dispatch: its tests read no projection
        world.dispatch()
    result = app.test_cli_runner().invoke(args=["export", "crs", "--year", "2024", "--final", "--out",
                                                str(tmp_path / "final.xlsx")])
    assert result.exit_code == 0, result.output


def line(session, document: str) -> Transaction:
    return session.scalar(select(Transaction).where(Transaction.document_number == document))


@pytest.fixture
def submitted_api(api, app, tmp_path):
    submit_2024(api, app, tmp_path)
    return api


def test_api_refuses_a_correction_and_a_new_line_of_the_submitted_year(submitted_api):
    api = submitted_api
    token = api.token(Role.FINANCE)
    cerf = api.query(lambda s: (line(s, "B-2024-0501").id, line(s, "B-2024-0501").version))
    before = api.count(Transaction)
    error = assert_error(api.patch(f"/api/v1/transactions/{cerf[0]}", token,
                                   {"version": cerf[1], "amount": "650000.00"}), 422)
    assert SUBMITTED in error["message"]
    error = assert_error(api.post("/api/v1/transactions", token, {
        "activity_code": "CERF-CORE", "kind": "disbursement", "date": "2024-12-20", "amount": "1000.00",
        "document_number": "B-2024-LATE"}), 422)
    assert SUBMITTED in error["message"]
    assert api.count(Transaction) == before
    assert api.query(lambda s: line(s, "B-2024-0501").amount) == Decimal("600000.00")


def test_api_refuses_an_activity_change_and_an_override(submitted_api):
    api = submitted_api
    activity = api.query(lambda s: s.scalar(select(Activity).where(Activity.code == "CERF-CORE")))
    error = assert_error(api.patch(f"/api/v1/activities/{activity.id}", api.token(Role.ADMIN),
                                   {"version": activity.version, "purpose_code": "72040"}), 422)
    assert SUBMITTED in error["message"]
    chile = api.query(lambda s: line(s, "B-2024-0701").id)
    error = assert_error(api.post(f"/api/v1/classifications/{chile}/override", api.token(Role.ODA_OFFICER),
                                  {"action": "reject", "reason": "Chile is not on the DAC list"}), 422)
    assert SUBMITTED in error["message"] and api.count(Override) == 0


def test_the_activity_form_shows_the_refusal(web, app, tmp_path):
    submit_2024(web, app, tmp_path)
    a = web.query(lambda s: s.scalar(select(Activity).where(Activity.code == "CERF-CORE")))
    form = {"title": a.title, "description": a.description or "", "status": a.status,
            "main_objective": a.main_objective, "recipient_code": a.recipient_code, "purpose_code": "72040",
            "aid_type": a.aid_type, "channel_code": a.channel_code, "flow_type": a.flow_type,
            "finance_type": a.finance_type, "bi_multi": a.bi_multi, "geography": "", "version": str(a.version)}
    page = web.signed_in(Role.ADMIN).post("/activities/CERF-CORE", data=form)
    assert page.status_code == 422 and SUBMITTED in page.get_data(as_text=True)
    assert web.query(lambda s: s.scalar(select(Activity.purpose_code).where(Activity.code == "CERF-CORE"))) == "72010"


def _import(app, kind, path, *flags):
    return app.test_cli_runner().invoke(args=["import", kind, str(path), "--json", *flags])


def test_a_spending_import_with_dutch_headers_gets_the_refusal_as_row_error(web, app, tmp_path):
    submit_2024(web, app, tmp_path)
    rows = [["B-2024-0501", "28/05/2024", "CERF-CORE", "650.000,00", "EUR", "CERF 2024", "QB0-1QAD2ZZ", "betaling"],
            ["B-2024-0999", "20/12/2024", "CERF-CORE", "1.000,00", "EUR", "Laat geboekt", "QB0-1QAD2ZZ",
             "betaling"],
            ["B-2025-0001", "10/01/2025", "CERF-CORE", "600.000,00", "EUR", "CERF 2025", "QB0-1QAD2ZZ", "betaling"]]
    path = workbook(tmp_path / "boekingen.xlsx", DUTCH_SPENDING_HEADERS, rows)
    count = web.query(lambda s: s.scalar(select(func.count()).select_from(Transaction)))
    refused = _import(app, "spending", path)
    assert refused.exit_code != 0
    errors = [r for r in json.loads(refused.output)["rows"] if r.get("severity") == "error"]
    assert [r["row"] for r in errors] == [2, 3] and all(SUBMITTED in str(r) for r in errors)
    assert web.query(lambda s: s.scalar(select(func.count()).select_from(Transaction))) == count  # nothing half-done
    valid = _import(app, "spending", path, "--accept-valid-rows")
    assert web.query(lambda s: (line(s, "B-2025-0001") is not None, line(s, "B-2024-0501").amount)) == \
        (True, Decimal("600000.00")), valid.output


def test_activity_and_rate_imports_are_refused_for_the_submitted_year(web, app, tmp_path):
    submit_2024(web, app, tmp_path)
    activities = workbook(tmp_path / "activiteiten.xlsx", ACTIVITY_HEADERS, [
        ["CERF-CORE", "Kernbijdrage CERF", "MULTI", 998, 72040, "B02", 41147]])
    refused = _import(app, "activities", activities)
    assert refused.exit_code != 0 and SUBMITTED in refused.output
    rates = workbook(tmp_path / "koersen.xlsx", RATE_HEADERS, [[2024, "EUR", "0,9500", "Correctie"]])
    refused = _import(app, "rates", rates)
    assert refused.exit_code != 0 and SUBMITTED in refused.output
    assert web.query(lambda s: s.scalar(select(ExchangeRate.units_per_usd).where(
        ExchangeRate.year == 2024, ExchangeRate.currency == "EUR"))) == Decimal("0.923890")


REFERENCE = str(SHARED)


@needs_shared
def test_a_reference_reload_leaves_the_submitted_year_as_submitted(web, app, tmp_path):
    submit_2024(web, app, tmp_path)
    evaluations = lambda s: sorted((e.activity_id, e.currency, e.status, e.share, e.units_per_eur,  # noqa: E731
                                    e.reference_version) for e in s.scalars(select(Evaluation).where(
                                        Evaluation.year == 2024)))
    before = web.query(evaluations)
    loaded = app.test_cli_runner().invoke(args=["reference", "load", REFERENCE])
    assert loaded.exit_code == 0, loaded.output
    web.seed(lambda s: classify(s, everything=True))
    assert web.query(evaluations) == before
    draft = tmp_path / "draft.xlsx"
    assert app.test_cli_runner().invoke(args=["export", "crs", "--year", "2024", "--out", str(draft)]).exit_code == 0
    assert read_sheets(draft)["CRS"][1:] == read_sheets(tmp_path / "final.xlsx")["CRS"][1:]
    drift = web.query(lambda s: reference_drift(s, 2024))
    assert web.query(evaluations) == before  # computed, not written
    assert drift.year == 2024 and all(r.status != r.new_status or r.share != r.new_share for r in drift.rows)
    status = {item.kind: item for item in web.query(lambda s: year_status(s, 2024)).items}
    assert status["submitted"].count == 1 and not status["submitted"].blocking
    assert status["reference_drift"].count == len(drift.rows) and status["reference_drift"].lines == drift.lines


def _annex2_of_2024(folder: Path, unesco_percent: str) -> Path:
    """The curated reference data with the DAC's Annex 2 table for 2024 flows, UNESCO at ``unesco_percent``."""
    shutil.copytree(curated.DATA_DIR, folder)
    with (folder / "annex2_coefficients.csv").open("a", encoding="utf-8") as table:
        table.write(f"41304,2024,{unesco_percent},B02,UNESCO,United Nations Educational Scientific and Cultural "
                    "Organisation,DAC Annex 2 for 2024 flows (test),\n")
    return folder


def test_a_reopened_year_is_classified_again_with_the_reference_data_now_in_force(web, app, tmp_path):
    submit_2024(web, app, tmp_path)
    folder = _annex2_of_2024(tmp_path / "reference", "65")
    web.seed(lambda s: load_parsed(s, curated.parse_all(folder), "official"))
    web.dispatch()
    web.seed(classify)
    drift = web.query(lambda s: reference_drift(s, 2024))
    assert [(r.activity_code, r.share, r.new_share) for r in drift.rows] == [
        ("UNESCO-CORE", Decimal("0.6"), Decimal("0.65"))]
    officer = web.user(Role.ODA_OFFICER)
    reopened = app.test_cli_runner().invoke(args=["export", "reopen", "--year", "2024", "--reason",
                                                  "Revision with the 2024 DAC List", "--by", officer])
    assert reopened.exit_code == 0, reopened.output
    web.dispatch()  # the scheduler's handlers mark the year's activities, its classification job runs
    web.seed(classify)
    now = {(e.activity_id, e.currency): (e.status, e.share) for e in web.query(
        lambda s: s.scalars(select(Evaluation).where(Evaluation.year == 2024)).all())}
    assert all(now[(r.activity_id, r.currency)] == (r.new_status, r.new_share) for r in drift.rows)


def test_the_year_status_names_the_submission_and_no_drift_while_open(web, app, tmp_path):
    web.seed(classified_portfolio)
    open_year = {item.kind: item for item in web.query(lambda s: year_status(s, 2024)).items}
    assert open_year["submitted"].count == 0 and open_year["reference_drift"].count == 0
    web.seed(resolve_review)
    web.dispatch()
    assert app.test_cli_runner().invoke(args=["export", "crs", "--year", "2024", "--final", "--out",
                                              str(tmp_path / "final.xlsx")]).exit_code == 0
    submitted = {item.kind: item for item in web.query(lambda s: year_status(s, 2024)).items}["submitted"]
    assert submitted.count == 1 and "SHA-256" in submitted.examples[0].label


def test_a_group_decision_and_its_undo_are_refused_on_the_submitted_year(web, app, tmp_path):
    from app.year_lock import YearLocked
    from oda.models import GroupDecision
    from oda.services.group_decisions import decide_group

    submit_2024(web, app, tmp_path)
    chile = web.query(lambda s: s.scalar(select(Evaluation).join(Activity, Activity.id == Evaluation.activity_id)
                                         .where(Evaluation.year == 2024, Activity.code == "CHL-2024-HERITAGE")))

    def decide(session):
        decide_group(session, chile.activity_id, 2024, chile.explanation_id, "reject", "Chile left the DAC list")

    with pytest.raises(YearLocked, match=SUBMITTED):
        web.seed(decide)
    assert web.query(lambda s: s.scalar(select(func.count()).select_from(GroupDecision))) == 0
