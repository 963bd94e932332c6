"""The activity_totals projection: what each activity committed and disbursed per year,
and how many of its transactions had no EUR value, kept from the events and rebuilt
exactly by a replay, corrections included."""
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from app.events.dispatcher import dispatch, replay
from app.rates.services import set_rate
from programmes.models import Activity, ActivityYearTotal, Transaction
from programmes.services.activities import create_activity
from programmes.services.transactions import correct_transaction
from tests.builders.programmes import disburse, malawi_agriculture_programme, tradeline_market_access


def _totals(session, activity_id: int) -> dict[int, tuple]:
    session.expire_all()
    rows = session.scalars(select(ActivityYearTotal).where(ActivityYearTotal.activity_id == activity_id))
    return {r.year: (r.committed, r.disbursed, r.unconverted) for r in rows}


def _ledger(session, activity_id: int) -> dict[int, tuple]:
    """The same figures summed from the ledger, to compare with the projection."""
    out: dict[int, list] = {}
    for txn in session.scalars(select(Transaction).where(Transaction.activity_id == activity_id)):
        entry = out.setdefault(txn.date.year, [Decimal("0.00"), Decimal("0.00"), 0])
        if txn.amount_eur is None:
            entry[2] += 1
        elif txn.kind == "commitment":
            entry[0] += txn.amount_eur
        else:
            entry[1] += txn.amount_eur if txn.kind == "disbursement" else -txn.amount_eur
    return {year: tuple(v) for year, v in out.items()}


def test_commitments_disbursements_refunds_and_missing_rates_per_year(app, session):
    programme = malawi_agriculture_programme(session)
    activity = tradeline_market_access(session, programme)
    disburse(session, activity, date(2019, 3, 1), "1600000.00", "C-2019-001", kind="commitment")
    disburse(session, activity, date(2019, 5, 2), "400000.10", "B-2019-0101")
    disburse(session, activity, date(2020, 9, 2), "350000.20", "B-2020-0202")
    disburse(session, activity, date(2020, 12, 2), "10000.05", "R-2020-0001", kind="refund")
    disburse(session, activity, date(2020, 12, 3), "700000.00", "B-2020-MWK", currency="MWK")
    session.commit()
    dispatch(app.extensions["aidledger.db"].Session)
    assert _totals(session, activity.id) == {
        2019: (Decimal("1600000.00"), Decimal("400000.10"), 0),
        2020: (Decimal("0.00"), Decimal("340000.15"), 1),
    }


def test_corrections_move_amounts_between_years_and_activities_and_fix_missing_rates(app, session):
    programme = malawi_agriculture_programme(session)
    first = tradeline_market_access(session, programme)
    second = create_activity(session, code="MWI-2020-ACE", title="Building Markets for Prosperity",
                             programme_id=programme.id, recipient_code="253", purpose_code="31120")
    moved = disburse(session, first, date(2019, 5, 2), "400000.10", "B-2019-0101")
    kwacha = disburse(session, first, date(2020, 6, 1), "700000.00", "B-2020-MWK", currency="MWK")
    session.commit()
    factory = app.extensions["aidledger.db"].Session
    dispatch(factory)

    correct_transaction(session, moved, date=date(2020, 1, 15), amount=Decimal("390000.00"))
    correct_transaction(session, moved, activity_id=second.id)
    correct_transaction(session, moved, description="Advance, corrected")
    set_rate(session, 2020, "EUR", "0.875506", "IMF")
    set_rate(session, 2020, "MWK", "1000.00", "IMF")
    correct_transaction(session, kwacha, amount=Decimal("700000.00"), description="now with a rate")
    session.commit()
    dispatch(factory)

    assert _totals(session, first.id) == _ledger(session, first.id) | {2019: (Decimal("0.00"), Decimal("0.00"), 0)}
    assert _totals(session, second.id) == _ledger(session, second.id) == {
        2020: (Decimal("0.00"), Decimal("390000.00"), 0)}
    assert _totals(session, first.id)[2020][2] == 0, "the corrected line has an EUR value now"

    replay(factory, "activity_totals")
    rebuilt = _totals(session, first.id)
    assert {y: v for y, v in rebuilt.items() if any(v)} == _ledger(session, first.id)
    assert _totals(session, second.id) == _ledger(session, second.id)


def test_the_projection_sums_to_the_programme_totals(app, session):
    """Two projections of the same events: the activity figures add up to the programme's."""
    from programmes.models import ProgrammeYearTotal

    programme = malawi_agriculture_programme(session)
    activity = tradeline_market_access(session, programme)
    for n, month in enumerate(range(1, 13)):
        disburse(session, activity, date(2021, month, 10), f"{1000 * (n + 1)}.{n:02d}", f"B-2021-{n:04d}")
    session.commit()
    dispatch(app.extensions["aidledger.db"].Session)
    session.expire_all()
    by_activity = session.scalar(select(func.sum(ActivityYearTotal.disbursed)).join(
        Activity, Activity.id == ActivityYearTotal.activity_id).where(
        Activity.programme_id == programme.id, ActivityYearTotal.year == 2021))
    assert by_activity == session.get(ProgrammeYearTotal, (programme.id, 2021)).disbursed == Decimal("78000.66")
