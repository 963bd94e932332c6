"""The Flemish demo portfolio: loads through the services, twice without duplicates, consistent totals.

The demo is loaded once for the module (it books a few thousand transactions)
on its own connection, inside a transaction rolled back at the end.
"""
from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from collections import defaultdict
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.db import get_db
from app.events.dispatcher import dispatch
from app.events.models import Event
from app.rates.models import ExchangeRate
from programmes.demo import ACTIVITIES, DEMO_PASSWORD, load
from programmes.demo.data_programmes import PROGRAMMES
from programmes.demo.loaders import planned_ledger
from programmes.models import Activity, BudgetLine, Organisation, Programme, ProgrammeYearTotal, Transaction
from programmes.services.programmes import get_programme_by_code, set_budget_line
from tests.builders.demo import acting, own_connection, session_on
from tests.builders.reference import SHARED

REFERENCE = SHARED
TABLES = (ExchangeRate, Organisation, Programme, BudgetLine, Activity, Transaction, User, Event)
DEMO_CODES = [p.code for p in PROGRAMMES]


def _row_counts(session) -> dict[str, int]:
    return {model.__tablename__: session.scalar(select(func.count()).select_from(model)) for model in TABLES}


@pytest.fixture(scope="module")
def demo(app, engine):
    """Load the demo twice and dispatch its events; everything is rolled back afterwards."""
    with own_connection(app, engine) as conn:
        with acting(app, "demo-tests"):
            db = get_db(app)
            session = db.Session()
            first = load(session)
            session.commit()
            after_first = _row_counts(session)
            second = load(session)
            session.commit()
            after_second = _row_counts(session)
            session.close()
            dispatch(db.Session)
        yield SimpleNamespace(conn=conn, first=first, second=second,
                              after_first=after_first, after_second=after_second)


@pytest.fixture
def demo_session(app, demo):
    with session_on(app, demo.conn, "demo-tests") as session:
        yield session


def test_first_load_fills_the_portfolio_and_the_second_adds_nothing(demo):
    assert demo.first["programmes"] == len(PROGRAMMES) == 11
    assert demo.first["activities"] == len(ACTIVITIES)
    assert 35 <= len(ACTIVITIES) <= 50
    assert 2000 <= demo.first["transactions"] <= 5000
    assert demo.first["users"] == 5
    assert demo.first["exchange rates"] >= 7
    assert set(demo.second.values()) == {0}
    assert demo.after_second == demo.after_first


def test_every_change_was_published_as_an_event(demo, demo_session):
    def events(*types):
        return demo_session.scalar(select(func.count()).select_from(Event).where(Event.type.in_(types)))

    assert events("ProgrammeCreated") == demo.first["programmes"]
    assert events("BudgetLineChanged") == demo.first["budget lines"]
    assert events("ActivityCreated") == demo.first["activities"]
    assert events("CommitmentRecorded", "DisbursementRecorded", "RefundRecorded") == demo.first["transactions"]
    assert events("ExchangeRateSet") == demo.first["exchange rates"]
    assert events("UserCreated") == demo.first["users"]


def test_projection_totals_equal_the_sums_over_the_ledger(demo, demo_session):
    expected = defaultdict(lambda: {"planned": Decimal("0"), "committed": Decimal("0"), "disbursed": Decimal("0")})
    for line in demo_session.scalars(select(BudgetLine)):
        expected[(line.programme_id, line.year)]["planned"] += line.planned_amount
    sign = {"commitment": ("committed", 1), "disbursement": ("disbursed", 1), "refund": ("disbursed", -1)}
    for txn in demo_session.scalars(select(Transaction)):
        column, factor = sign[txn.kind]
        expected[(txn.activity.programme_id, txn.date.year)][column] += txn.amount_eur * factor
    projected = {(t.programme_id, t.year): {"planned": t.planned, "committed": t.committed, "disbursed": t.disbursed}
                 for t in demo_session.scalars(select(ProgrammeYearTotal))}
    assert projected == dict(expected)
    malawi = get_programme_by_code(demo_session, "MWI-CSP3")
    assert sum(projected[(malawi.id, y)]["planned"] for y in malawi.years) == Decimal("25000000.00")


def test_every_transaction_has_a_eur_amount_inside_its_programme_period(demo_session):
    rows = demo_session.execute(
        select(Transaction.date, Transaction.amount, Transaction.amount_eur, Programme.start_year, Programme.end_year)
        .join(Activity, Activity.id == Transaction.activity_id).join(Programme)).all()
    assert rows
    for when, amount, amount_eur, start, end in rows:
        assert start <= when.year <= end
        assert 2019 <= when.year <= 2025
        assert amount_eur is not None and amount == amount.quantize(Decimal("0.01"))


def test_ledger_mixes_kinds_currencies_and_a_decreased_commitment(demo_session):
    kinds = dict(demo_session.execute(select(Transaction.kind, func.count()).group_by(Transaction.kind)).all())
    assert kinds["refund"] >= 3 and kinds["commitment"] > 100 and kinds["disbursement"] > 1000
    currencies = set(demo_session.scalars(select(Transaction.currency).distinct()))
    assert currencies == {"EUR", "MWK", "MZN", "ZAR"}
    assert demo_session.scalar(select(func.count()).select_from(Transaction).where(
        Transaction.kind == "commitment", Transaction.amount < 0)) == 1


def test_flagship_facts_of_the_portfolio(demo_session):
    idai = demo_session.scalar(select(Activity).where(Activity.code == "HUM-2019-IDAI"))
    assert (idai.commitment_amount, idai.organisation.name, idai.channel_code) == (
        Decimal("250000.00"), "Red Cross Flanders", "22000")
    cerf = demo_session.scalars(select(Transaction).join(Activity).where(
        Activity.code == "MULTI-CERF", Transaction.kind == "disbursement")).all()
    assert {t.date.year for t in cerf} == set(range(2019, 2026))
    assert {t.amount for t in cerf} == {Decimal("600000.00")}
    fust = get_programme_by_code(demo_session, "FUST")
    assert fust.policy_area == "science_innovation"
    countries = {p.code: (p.partner_country, p.start_year, p.end_year) for p in demo_session.scalars(
        select(Programme).where(Programme.kind == "country_programme"))}
    assert countries == {"MWI-CSP3": ("253", 2019, 2023), "MOZ-CSP4": ("259", 2021, 2025),
                         "ZAF-CSP3": ("218", 2017, 2021)}


def test_programme_manager_is_scoped_to_malawi_and_mozambique(demo_session):
    manager = demo_session.scalar(select(User).where(User.email == "programme.manager@aidledger.demo"))
    codes = {demo_session.get(Programme, r.programme_id).code for r in manager.roles}
    assert codes == {"MWI-CSP3", "MOZ-CSP4"}
    assert manager.check_password(DEMO_PASSWORD)
    roles = {u.email: {r.role for r in u.roles} for u in demo_session.scalars(
        select(User).where(User.email.like("%@aidledger.demo")))}
    assert sorted(r for rs in roles.values() for r in rs) == sorted(
        ["admin", "finance", "oda_officer", "programme_manager", "viewer"])


def test_a_reload_keeps_what_users_changed(demo, demo_session):
    savepoint = demo.conn.begin_nested()
    try:
        malawi = get_programme_by_code(demo_session, "MWI-CSP3")
        set_budget_line(demo_session, malawi, 2020, Decimal("4750000.00"))
        demo_session.commit()
        assert set(load(demo_session).values()) == {0}
        line = demo_session.scalar(select(BudgetLine).where(
            BudgetLine.programme_id == malawi.id, BudgetLine.year == 2020))
        assert line.planned_amount == Decimal("4750000.00")
    finally:
        demo_session.rollback()
        savepoint.rollback()


def test_cli_second_load_says_nothing_was_added_and_logins_lists_every_role(app, demo):
    get_db(app).bind_to(demo.conn)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "programmes: nothing added" in result.output
    logins = runner.invoke(args=["demo", "logins"])
    assert logins.exit_code == 0, logins.output
    for email in ("admin@", "programme.manager@", "finance@", "oda.officer@", "viewer@"):
        assert email + "aidledger.demo" in logins.output
    assert DEMO_PASSWORD in logins.output and "MWI-CSP3" in logins.output


def test_cli_refuses_to_load_the_demo_in_production(app, demo, demo_session):
    before = _row_counts(demo_session)
    app.config["AIDLEDGER_ENV"] = "production"
    try:
        result = app.test_cli_runner().invoke(args=["demo", "load"])
    finally:
        app.config["AIDLEDGER_ENV"] = "development"
    assert result.exit_code != 0
    assert "not loaded in production" in result.output
    assert _row_counts(demo_session) == before


def test_demo_ledger_is_deterministic_with_exact_amounts():
    specs = {p.code: p for p in PROGRAMMES}
    for spec in ACTIVITIES:
        first = planned_ledger(spec, specs[spec.programme])
        assert first == planned_ledger(spec, specs[spec.programme])
        documents = [number for number, _ in first]
        assert len(documents) == len(set(documents))
        for _, item in first:
            assert item.amount == item.amount.quantize(Decimal("0.01")) and item.amount != 0


def test_project_disbursements_never_exceed_their_commitment():
    specs = {p.code: p for p in PROGRAMMES}
    for spec in ACTIVITIES:
        if spec.fields["commitment_amount"] is None:
            continue
        ledger = [item for _, item in planned_ledger(spec, specs[spec.programme])]
        committed = sum(i.amount for i in ledger if i.kind == "commitment")
        paid = sum(i.amount for i in ledger if i.kind == "disbursement")
        assert paid <= committed, spec.code


# --- official code lists (skipped when the reference data is not on this machine) ---

def _iati(name: str) -> dict[str, dict]:
    root = ET.parse(REFERENCE / "iati-codelists" / f"{name}.xml").getroot()
    return {item.findtext("code"): item.attrib for item in root.iter("codelist-item")}


def _dac(name: str) -> dict[str, dict]:
    with open(REFERENCE / "dac-crs-codes" / f"{name}.csv", newline="", encoding="utf-8") as f:
        return {row["code"]: row for row in csv.DictReader(f)}


def _usable(attrib: dict | None, year: int) -> bool:
    """In the list and not withdrawn before ``year``."""
    if attrib is None:
        return False
    withdrawn = attrib.get("withdrawal-date")
    return attrib.get("status") != "withdrawn" or (withdrawn is not None and int(withdrawn[:4]) >= year)


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="official reference data not available")
def test_every_activity_has_valid_codes_per_the_official_lists():
    sectors, aid_types, channels = _iati("Sector"), _iati("AidType"), _iati("CRSChannelCode")
    flows, finance, bi_multi = _iati("FlowType"), _iati("FinanceType"), _iati("CollaborationType")
    significance = _iati("PolicySignificance")
    recipients, dac_channels = _dac("recipients"), _dac("channel_codes")
    for spec in ACTIVITIES:
        f = spec.fields
        year = (f["start_date"] or f["commitment_date"]).year
        where = spec.code
        if f["recipient_code"]:
            assert f["recipient_code"] in recipients, where
            assert recipients[f["recipient_code"]]["income_group"] != "MADCTs", where
        if f["purpose_code"]:
            assert _usable(sectors.get(f["purpose_code"]), year), where
        if f["aid_type"]:
            assert _usable(aid_types.get(f["aid_type"]), year), where
        if f["channel_code"]:
            assert _usable(channels.get(f["channel_code"]), year) or f["channel_code"] in dac_channels, where
        if f["bi_multi"]:
            assert f["bi_multi"] in bi_multi, where
        assert f.get("flow_type", "10") in flows and f.get("finance_type", "110") in finance, where
        for name, score in f.items():
            if name.startswith("marker_") and score is not None:
                assert str(score) in significance, where


def test_crs_conventions_of_the_portfolio():
    """In-donor costs go to recipient 998; core contributions are multilateral."""
    for spec in ACTIVITIES:
        f = spec.fields
        if f["aid_type"] == "G01":
            assert (f["purpose_code"], f["recipient_code"]) == ("91010", "998"), spec.code
        if f["aid_type"] == "H01":
            assert (f["purpose_code"], f["recipient_code"]) == ("99820", "998"), spec.code
        if f["aid_type"] and f["aid_type"].startswith("B02"):
            assert f["bi_multi"] == "2" and f["recipient_code"] == "998", spec.code
        elif f["bi_multi"]:
            assert f["bi_multi"] == "1", spec.code
