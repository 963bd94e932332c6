"""Review by cause: review groups read from the evaluations, one decision per group that the
activity-year's later lines inherit, undo, re-confirmation and the CRS export seeing it."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.events.models import Event
from importers.services import import_file
from oda.models import Classification, DecisionState, Evaluation, GroupDecision, Status
from oda.services.classify import classify
from oda.services.deadlines import open_reviews
from oda.services.group_decisions import decide_group, undo_group_decision
from oda.services.overrides import MissingCrsItems, override_classification
from oda.services.queries import lines_to_review
from oda.services.review_groups import GroupFilter, group_lines, group_page, group_totals
from oda.services.source_fix import fix_activity_codes, fixable_fields
from programmes.models import Activity, Programme, Transaction
from programmes.services.activities import update_activity
from app.errors import ValidationError
from programmes.services.programmes import create_programme
from tests.builders.importers import DUTCH_SPENDING_HEADERS, workbook
from tests.builders.oda import (LIAISON_OFFICE, MALAWI_MARKET_ACCESS, activity_from, facts, imported_liaison_office,
                                pay)


def _groups(session, **wanted) -> list:
    return group_page(session, GroupFilter(**wanted), 1, 100).items


def _live_open(session, year: int) -> int:
    c = Classification
    return session.scalar(select(func.count()).select_from(c).where(c.year == year, c.status == Status.NEEDS_REVIEW))


def _import_spending(session, folder, rows, name="uitgaven-later.xlsx"):
    path = workbook(folder / name, DUTCH_SPENDING_HEADERS, rows)
    batch = import_file(session, "spending", str(path), path.name, uploaded_by="finance@vlaanderen.test")
    assert batch.status == "imported", batch.status
    classify(session)


@pytest.fixture
def liaison(session, tmp_path):
    """The Lilongwe liaison office imported with Dutch headers and without codes (needs review),
    two more of its 2023 lines, and the Malawi market-access project (eligible)."""
    line = imported_liaison_office(session, tmp_path)
    _import_spending(session, tmp_path, [
        ["B-2023-0418", "15/06/2023", LIAISON_OFFICE, "21.000,00", "EUR", "Personeelskosten Q2", "QB0-1QAD2MZ",
         "uitbetaling"],
        ["B-2023-0419", "15/09/2023", LIAISON_OFFICE, "21.500,50", "EUR", "Personeelskosten Q3", "QB0-1QAD2MZ",
         "uitbetaling"]], "uitgaven-q2.xlsx")
    activity = session.scalar(select(Activity).where(Activity.code == LIAISON_OFFICE))
    return {"line": line, "activity": activity, "folder": tmp_path}


def test_open_lines_of_an_activity_year_with_the_same_reasons_are_one_group(session, liaison):
    groups = _groups(session, year=2023)
    assert len(groups) == 1
    group = groups[0]
    assert (group.activity.code, group.year, group.lines, group.amount_eur) == (
        LIAISON_OFFICE, 2023, 3, Decimal("126500.50"))
    assert {r["rule"] for r in group.reasons} >= {"recipient", "codes"}
    assert all(r["result"] != "pass" for r in group.reasons)
    assert group_totals(session, GroupFilter(year=2023)) == (1, 3) and _live_open(session, 2023) == 3
    lines = group_lines(session, group.activity_id, 2023, group.explanation_id, 1, 2)
    assert lines.total == 3 and [t.document_number for _c, t in lines.items] == ["B-2023-0417", "B-2023-0418"]


def test_a_groups_lines_page_past_overridden_lines_in_date_order(session, liaison):
    """The drill-down reads the group's lines a window at a time: 130 lines decided one by one at
    the start of the year (more than a window) do not shift or shorten the pages of the open ones."""
    rows = [[f"B-2023-{1000 + i}", (date(2023, 1, 2) + timedelta(days=i // 3)).strftime("%d/%m/%Y"), LIAISON_OFFICE,
             "100,00", "EUR", "Kantoorkosten", "QB0-1QAD2MZ", "uitbetaling"] for i in range(300)]
    _import_spending(session, liaison["folder"], rows, "uitgaven-dagelijks.xlsx")
    ordered = session.execute(select(Transaction.id).where(Transaction.activity_id == liaison["activity"].id)
                              .order_by(Transaction.date, Transaction.id)).scalars().all()
    for line_id in ordered[:130]:
        override_classification(session, line_id, "reject", "Office costs: not ODA")
    open_ids = ordered[130:]
    group = _groups(session, year=2023)[0]
    read = []
    for page in (1, 2, 3, 4):
        lines = group_lines(session, group.activity_id, 2023, group.explanation_id, page, 50)
        read += [t.id for _c, t in lines.items]
        assert lines.has_next == (page * 50 < len(open_ids)), page
    assert read == open_ids and lines.total == len(open_ids) == 173


@pytest.fixture
def programmes(session, liaison):
    """The liaison office's programme (imported) and the multilateral portfolio."""
    multi = create_programme(session, code="MULTI", name="Multilateral portfolio", kind="multilateral_portfolio",
                             start_year=2018, end_year=2025, policy_area="development_cooperation")
    return {"MWI": session.scalar(select(Programme).where(Programme.code == "MWI-CSP3")), "MULTI": multi}


def test_the_queue_filters_by_programme_rule_reason_year_and_amount(session, liaison, programmes):
    project = activity_from(session, programmes["MULTI"], facts(MALAWI_MARKET_ACCESS, code="MWI-NOPURPOSE",
                                                                 purpose_code=None))
    pay(session, project, date(2023, 4, 1), "500.00", "B-2023-0501")
    pay(session, project, date(2022, 4, 1), "900000.00", "B-2022-0501")
    classify(session)
    assert [(g.activity.code, g.year) for g in _groups(session)] == [
        ("MWI-NOPURPOSE", 2022), (LIAISON_OFFICE, 2023), ("MWI-NOPURPOSE", 2023)]  # by amount
    assert [g.activity.code for g in _groups(session, year=2023, rule="recipient")] == [LIAISON_OFFICE]
    assert [g.activity.code for g in _groups(session, year=2023, reason="PURPOSE CODE")] == [
        LIAISON_OFFICE, "MWI-NOPURPOSE"]
    assert _groups(session, year=2023, reason="no such words") == []
    assert [g.activity.code for g in _groups(session, year=2023, min_amount=Decimal("1000"))] == [LIAISON_OFFICE]
    assert [g.activity.code for g in _groups(session, year=2023, programme_ids=frozenset({programmes["MULTI"].id}))
            ] == ["MWI-NOPURPOSE"]
    assert _groups(session, programme_ids=frozenset()) == []


def test_one_decision_covers_the_group_as_one_event_naming_its_lines(session, liaison):
    group = _groups(session, year=2023)[0]
    decision = decide_group(session, group.activity_id, 2023, group.explanation_id, "reject",
                            "Staff costs of a liaison office: not ODA for Flanders")
    assert _groups(session, year=2023) == [] and _live_open(session, 2023) == 0
    assert lines_to_review(session, 2023) == {} and open_reviews(session, 2023) == 0
    events = session.scalars(select(Event).where(Event.type == "ReviewGroupDecided")).all()
    assert len(events) == 1
    payload = events[0].payload
    ids = sorted(session.scalars(select(Transaction.id).where(Transaction.activity_id == group.activity_id)))
    assert payload["lines"]["count"] == 3 and payload["decision_id"] == decision.id
    assert sum(last - first + 1 for first, last in payload["lines"]["id_ranges"]) == 3
    assert {i for first, last in payload["lines"]["id_ranges"] for i in range(first, last + 1)} == set(ids)
    assert [(b["status"], b["lines"], b["amount_eur"]) for b in payload["before"]] == [
        ("needs_review", 3, "126500.50")]
    assert payload["after"] == [{"status": "not_eligible", "lines": 3, "amount_eur": "126500.50",
                                 "oda_amount_eur": "0.00"}]
    assert payload["reason"].startswith("Staff costs")
    result = session.get(Classification, liaison["line"])
    assert (result.status, result.decision_id, result.oda_amount_eur) == (Status.NOT_ELIGIBLE, decision.id, 0)


def _totals_as_read(session, activity_id: int, year: int) -> list[dict]:
    c = Classification
    rows = session.execute(select(c.status, func.count(), func.sum(c.amount_eur), func.sum(c.oda_amount_eur))
                           .where(c.activity_id == activity_id, c.year == year).group_by(c.status)
                           .order_by(c.status))
    return [{"status": status, "lines": n, "amount_eur": f"{amount:.2f}", "oda_amount_eur": f"{oda:.2f}"}
            for status, n, amount, oda in rows]


def test_a_decision_names_only_the_lines_without_an_override_and_its_totals_are_what_readers_see(session, liaison):
    group = _groups(session, year=2023)[0]
    ids = sorted(session.scalars(select(Transaction.id).where(Transaction.activity_id == group.activity_id)))
    middle = session.scalar(select(Transaction.id).where(Transaction.document_number == "B-2023-0418"))
    override_classification(session, middle, "reject", "Q2 staff costs paid twice: refunded")
    before = _totals_as_read(session, group.activity_id, 2023)
    decide_group(session, group.activity_id, 2023, group.explanation_id, "reject",
                 "Staff costs of a liaison office: not ODA for Flanders")
    payload = session.scalars(select(Event.payload).where(Event.type == "ReviewGroupDecided")).one()
    covered = {i for first, last in payload["lines"]["id_ranges"] for i in range(first, last + 1)}
    assert covered == set(ids) - {middle} and payload["lines"]["count"] == 2
    assert payload["before"] == before
    assert payload["after"] == _totals_as_read(session, group.activity_id, 2023) == [
        {"status": "not_eligible", "lines": 3, "amount_eur": "126500.50", "oda_amount_eur": "0.00"}]


def test_a_line_booked_later_inherits_the_decision_and_undo_restores_the_rules(session, liaison):
    group = _groups(session, year=2023)[0]
    decision = decide_group(session, group.activity_id, 2023, group.explanation_id, "reject", "Not development")
    _import_spending(session, liaison["folder"], [
        ["B-2023-0420", "15/12/2023", LIAISON_OFFICE, "20.000,00", "EUR", "Personeelskosten Q4", "QB0-1QAD2MZ",
         "uitbetaling"]])
    later = session.scalar(select(Transaction).where(Transaction.document_number == "B-2023-0420"))
    session.expire_all()
    inherited = session.get(Classification, later.id)
    assert (inherited.status, inherited.decision_id) == (Status.NOT_ELIGIBLE, decision.id)
    assert _live_open(session, 2023) == 0 and lines_to_review(session, 2023) == {}

    undo_group_decision(session, decision.id, "Decided on the wrong activity")
    session.expire_all()
    assert session.get(GroupDecision, decision.id).state == DecisionState.UNDONE
    assert session.get(Classification, later.id).status == Status.NEEDS_REVIEW
    assert group_totals(session, GroupFilter(year=2023)) == (1, 4) == (1, _live_open(session, 2023))
    undone = session.scalars(select(Event).where(Event.type == "ReviewGroupDecisionUndone")).one()
    assert undone.payload["lines"]["count"] == 4 and undone.payload["undo_reason"] == "Decided on the wrong activity"
    with pytest.raises(ValidationError):
        undo_group_decision(session, decision.id, "again")


def test_a_line_override_still_wins_over_the_group_decision(session, liaison):
    group = _groups(session, year=2023)[0]
    override_classification(session, liaison["line"], "reject", "Consular work")
    decide_group(session, group.activity_id, 2023, group.explanation_id, "reject", "Not development")
    session.expire_all()
    assert session.get(Classification, liaison["line"]).decision_id is None
    payload = session.scalars(select(Event).where(Event.type == "ReviewGroupDecided")).one().payload
    assert payload["lines"]["count"] == 2  # the overridden line keeps its own decision


def test_bad_decisions_are_refused_and_change_nothing(session, liaison):
    group = _groups(session, year=2023)[0]
    with pytest.raises(MissingCrsItems):  # no recipient, purpose code …: the CRS row cannot be written
        decide_group(session, group.activity_id, 2023, group.explanation_id, "accept", "Looks fine")
    for action, reason, share, field in [("reject", "  ", None, "reason"), ("delete", "x", None, "action"),
                                         ("set_share", "x", "150 %", "share"), ("reject", "x" * 2001, None, "reason")]:
        with pytest.raises(ValidationError) as refused:
            decide_group(session, group.activity_id, 2023, group.explanation_id, action, reason, share)
        assert refused.value.field == field
    with pytest.raises(ValidationError):
        decide_group(session, group.activity_id, 2023, 999_999, "reject", "no such group")
    assert session.scalar(select(func.count()).select_from(GroupDecision)) == 0
    assert _live_open(session, 2023) == 3


def test_a_reclassification_that_changes_the_outcome_flags_the_decision(session, liaison):
    group = _groups(session, year=2023)[0]
    decision = decide_group(session, group.activity_id, 2023, group.explanation_id, "reject", "Not development")
    update_activity(session, liaison["activity"], title="Liaison office, renamed")  # same outcome: kept
    _mark_and_classify(session, liaison["activity"].id)
    assert session.get(GroupDecision, decision.id).state == DecisionState.ACTIVE
    update_activity(session, liaison["activity"], recipient_code="253", purpose_code="31120", aid_type="C01",
                    channel_code="61000", main_objective="development")
    counts = _mark_and_classify(session, liaison["activity"].id)
    session.expire_all()
    assert counts["group_decisions_flagged"] == 1
    assert session.get(GroupDecision, decision.id).state == DecisionState.NEEDS_RECONFIRMATION
    assert _live_open(session, 2023) == 3 == group_totals(session, GroupFilter(year=2023))[1]
    flagged = _groups(session, year=2023)[0]
    assert flagged.decision.id == decision.id
    again = decide_group(session, flagged.activity_id, 2023, flagged.explanation_id, "reject", "Still not ODA")
    assert session.get(GroupDecision, decision.id).state == DecisionState.SUPERSEDED
    assert again.state == DecisionState.ACTIVE and _live_open(session, 2023) == 0


def _mark_and_classify(session, activity_id: int) -> dict:
    from oda.services.source_fix import reclassify_activity

    return reclassify_activity(session, activity_id)


def test_fixing_the_codes_at_the_source_resolves_the_group(session, liaison):
    group = _groups(session, year=2023)[0]
    assert {f.field for f in fixable_fields(group.reasons)} >= {"recipient_code", "purpose_code"}
    with pytest.raises(ValidationError) as refused:
        fix_activity_codes(session, group.activity_id, 2023, {"recipient_code": "ZZZ"})
    assert refused.value.field == "recipient_code"
    assert session.get(Activity, group.activity_id).recipient_code is None
    fix_activity_codes(session, group.activity_id, 2023, {
        "recipient_code": "253", "purpose_code": "31120", "aid_type": "C01", "channel_code": "61000",
        "main_objective": "development"})
    session.expire_all()
    assert _groups(session, year=2023) == [] and _live_open(session, 2023) == 0
    assert session.scalars(select(Event).where(Event.type == "ActivityChanged")).all()


def test_group_counts_equal_the_lines_outcomes(session, liaison, programmes):
    project = activity_from(session, programmes["MWI"], facts(MALAWI_MARKET_ACCESS, code="MWI-X", recipient_code=None))
    lines = [pay(session, project, date(2023, m, 1), f"{m}00.00", f"B-2023-07{m:02d}") for m in (1, 2, 3)]
    classify(session)
    override_classification(session, lines[0].id, "reject", "Not development")
    group = next(g for g in _groups(session, year=2023) if g.activity.code == LIAISON_OFFICE)
    decide_group(session, group.activity_id, 2023, group.explanation_id, "reject", "Not development")
    session.expire_all()
    assert group_totals(session, GroupFilter(year=2023)) == (1, 2) and _live_open(session, 2023) == 2
    assert lines_to_review(session, 2023) == {programmes["MWI"].id: 2}
    evaluation_lines = session.scalar(select(func.sum(Evaluation.lines)).where(Evaluation.year == 2023))
    assert evaluation_lines == session.scalar(select(func.count()).select_from(Classification)
                                              .where(Classification.year == 2023))
