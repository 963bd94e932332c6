"""A final CRS export submits its year: the lock through every door, the reopen, the
revision (nature of submission 2 on changed rows only, sheet Changes) and ``crs-diff``."""
from datetime import date
from decimal import Decimal

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from app.auth.roles import Role
from app.events.models import Event
from app.rates.services import set_rate
from app.year_lock import YearLocked, locked_years
from exports.models import Submission
from exports.services import submission
from oda.services.classify import classify
from programmes.models import Transaction
from programmes.services.activities import get_activity_by_code, update_activity
from programmes.services.transactions import correct_transaction, record_transaction
from tests.builders.exports import classified_portfolio
from tests.builders.web import web  # noqa: F401
from tests.exports.conftest import read_sheets

CERF_2024 = "B-2024-0501"


@pytest.fixture
def world(web):
    web.seed(classified_portfolio)
    web.seed(resolve_review)
    web.dispatch()
    return web


def resolve_review(session):
    from oda.services.classify import classify

    update_activity(session, get_activity_by_code(session, "MWI-2024-NR"), recipient_code="253")
    classify(session, everything=True)


def invoke(app, *args):
    return app.test_cli_runner().invoke(args=["export", *args])


def final(world, app, tmp_path, name="final.xlsx"):
    out = tmp_path / name
    result = invoke(app, "crs", "--year", "2024", "--out", str(out), "--final")
    assert result.exit_code == 0, result.output
    return out


def officer(world) -> str:
    return world.user(Role.ODA_OFFICER)


def reopen(world, app, email, reason="CERF payment corrected by finance"):
    return app.test_cli_runner().invoke(args=["export", "reopen", "--year", "2024", "--reason", reason,
                                              "--by", email])


def cerf(session) -> Transaction:
    return session.scalar(select(Transaction).where(Transaction.document_number == CERF_2024))


def test_a_final_export_submits_the_year_with_its_event(world, app, tmp_path):
    final(world, app, tmp_path)
    found = world.query(lambda s: submission.submitted(s, 2024))
    generated = world.query(lambda s: s.scalars(select(Event).where(Event.type == "ExportGenerated")).one())
    submitted = world.query(lambda s: s.scalars(select(Event).where(Event.type == "YearSubmitted")).one())
    assert found is not None and found.revision == 0 and found.sha256 == generated.payload["sha256"]
    assert submitted.payload["export_id"] == found.run_id and submitted.correlation_id == generated.correlation_id
    assert world.query(lambda s: submission.submitted(s, 2023)) is None


def test_a_second_final_is_refused_while_the_year_is_submitted(world, app, tmp_path):
    final(world, app, tmp_path)
    again = invoke(app, "crs", "--year", "2024", "--out", str(tmp_path / "again.xlsx"), "--final")
    assert again.exit_code != 0 and "2024 is submitted: final CRS export" in again.output


def test_the_lock_refuses_each_kind_of_change_and_names_the_submission(world, app, tmp_path):
    final(world, app, tmp_path)
    run_id, sha = world.query(lambda s: (lambda x: (x.run_id, x.sha256))(submission.submitted(s, 2024)))
    changes = {
        "transaction": lambda s: correct_transaction(s, cerf(s), amount=Decimal("650000.00")),
        "new line": lambda s: record_transaction(s, get_activity_by_code(s, "CERF-CORE"), "disbursement",
                                                 date(2024, 12, 1), Decimal("1.00"), "B-2024-LATE"),
        "activity": lambda s: update_activity(s, get_activity_by_code(s, "CERF-CORE"), purpose_code="72040"),
        "rate": lambda s: set_rate(s, 2024, "EUR", Decimal("0.95"), "officer"),
    }
    for name, change in changes.items():
        with pytest.raises(YearLocked) as refused:
            world.seed(change)
        assert f"final CRS export {run_id}" in refused.value.message and sha[:12] in refused.value.message, name
    assert world.query(lambda s: cerf(s).amount) == Decimal("600000.00")


def test_changes_outside_the_crs_figures_or_year_stay_allowed(world, app, tmp_path):
    final(world, app, tmp_path)
    world.seed(lambda s: correct_transaction(s, cerf(s), description="CERF 2024 (annual)"))
    world.seed(lambda s: update_activity(s, get_activity_by_code(s, "CERF-CORE"), status="completed"))
    world.seed(lambda s: record_transaction(s, get_activity_by_code(s, "CERF-CORE"), "disbursement",
                                            date(2025, 1, 10), Decimal("5.00"), "B-2025-0001"))
    assert world.query(lambda s: cerf(s).description) == "CERF 2024 (annual)"
    assert world.query(lambda s: get_activity_by_code(s, "CERF-CORE").status) == "completed"


def test_the_refusal_is_in_dutch(world, app, tmp_path):
    final(world, app, tmp_path)
    with app.app_context(), force_locale("nl"):
        from app.db import get_session

        message = locked_years(get_session(), [2024])[2024]
    assert message.startswith("2024 is ingediend") and "heropent" in message


def test_reopen_needs_the_oda_officer_and_a_reason(world, app, tmp_path):
    final(world, app, tmp_path)
    finance = world.user(Role.FINANCE)
    refused = reopen(world, app, finance)
    assert refused.exit_code != 0 and "Only the ODA officer" in refused.output
    blank = reopen(world, app, officer(world), reason="  ")
    assert blank.exit_code != 0 and "reason" in blank.output
    assert world.query(lambda s: submission.submitted(s, 2024)) is not None
    done = reopen(world, app, officer(world))
    assert done.exit_code == 0, done.output
    event = world.query(lambda s: s.scalars(select(Event).where(Event.type == "YearReopened")).one())
    assert event.payload["reason"] == "CERF payment corrected by finance"
    world.seed(lambda s: correct_transaction(s, cerf(s), amount=Decimal("650000.00")))
    assert world.query(lambda s: cerf(s).amount) == Decimal("650000.00")
    again = reopen(world, app, officer(world))
    assert again.exit_code != 0 and "not submitted" in again.output


def crs_rows(path) -> dict:
    rows = read_sheets(path)["CRS"]
    header = rows[0]
    return {row[header.index("ProjectNumber")]: dict(zip(header, row)) for row in rows[1:]}


def test_the_revision_marks_changed_rows_2_and_lists_the_changes(world, app, tmp_path):
    first = crs_rows(final(world, app, tmp_path))
    assert reopen(world, app, officer(world)).exit_code == 0
    world.seed(lambda s: correct_transaction(s, cerf(s), amount=Decimal("650000.00")))
    world.dispatch()
    world.seed(lambda s: classify(s))
    path = final(world, app, tmp_path, "revision.xlsx")
    revised = crs_rows(path)
    assert revised["CERF-CORE"]["InitialReport"] == 2
    assert revised["CERF-CORE"]["Disbursement_National"] == 650000
    unchanged = {code for code in first if code != "CERF-CORE"}
    assert {code: revised[code]["InitialReport"] for code in unchanged} == \
        {code: first[code]["InitialReport"] for code in unchanged}
    changes = read_sheets(path)["Changes"]
    assert changes[0] == ("Change", "CRSid", "ProjectNumber", "Column", "Old", "New")
    cells = {row[3]: (row[4], row[5]) for row in changes[1:] if row[2] == "CERF-CORE"}
    assert cells["Disbursement_National"] == ("600000", "650000")
    assert cells["InitialReport"][1] == "2"
    assert {row[0] for row in changes[1:]} == {"changed"}
    assert world.query(lambda s: s.scalars(select(Submission).order_by(Submission.id)).all()[-1].revision) == 1


def test_crs_diff_compares_the_two_latest_finals(world, app, tmp_path):
    final(world, app, tmp_path)
    assert reopen(world, app, officer(world)).exit_code == 0
    world.seed(lambda s: correct_transaction(s, cerf(s), amount=Decimal("650000.00")))
    world.seed(lambda s: classify(s))
    final(world, app, tmp_path, "revision.xlsx")
    out = tmp_path / "diff.xlsx"
    result = invoke(app, "crs-diff", "--year", "2024", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "0 added, 0 removed, 1 changed" in result.output
    lines = read_sheets(out)["Changes"]
    assert ("changed", lines[1][1], "CERF-CORE", "Disbursement_National", "600000", "650000") in lines
    finals = world.query(lambda s: [x.run_id for x in s.scalars(select(Submission).order_by(Submission.id))])
    backwards = invoke(app, "crs-diff", "--year", "2024", "--from", str(finals[1]), "--to", str(finals[0]),
                       "--out", str(out))
    assert backwards.exit_code == 0 and "1 changed" in backwards.output


def test_a_dutch_officer_s_crs_diff_is_in_dutch(world, app, tmp_path):
    final(world, app, tmp_path)
    assert reopen(world, app, officer(world)).exit_code == 0
    world.seed(lambda s: correct_transaction(s, cerf(s), amount=Decimal("650000.00")))
    world.seed(lambda s: classify(s))
    final(world, app, tmp_path, "revision.xlsx")
    for lang, sheet, header, changed in (
            ("nl", "Wijzigingen", ("Wijziging", "CRS-id", "Projectnummer", "Kolom", "Oud", "Nieuw"), "gewijzigd"),
            ("en", "Changes", ("Change", "CRSid", "ProjectNumber", "Column", "Old", "New"), "changed")):
        out = tmp_path / f"diff-{lang}.xlsx"
        assert invoke(app, "crs-diff", "--year", "2024", "--lang", lang, "--out", str(out)).exit_code == 0
        book = read_sheets(out)
        assert list(book) == [sheet] and book[sheet][0] == header
        assert (changed, book[sheet][1][1], "CERF-CORE", "Disbursement_National", "600000", "650000") in book[sheet]


@pytest.mark.parametrize("args, message", [
    (["--from", "99999", "--to", "99998"], "is not a final CRS export"),
    (["--from", "1"], "Give both --from and --to"),
    ([], "a comparison needs two"),
])
def test_crs_diff_refuses_what_it_cannot_compare(world, app, tmp_path, args, message):
    final(world, app, tmp_path)
    out = tmp_path / "diff.xlsx"
    result = invoke(app, "crs-diff", "--year", "2024", *args, "--out", str(out))
    assert result.exit_code == 1 and message in result.output and not out.exists()


def test_crs_diff_refuses_a_final_of_another_year(world, app, tmp_path):
    final(world, app, tmp_path)
    run_id = world.query(lambda s: submission.submitted(s, 2024).run_id)
    result = invoke(app, "crs-diff", "--year", "2023", "--from", str(run_id), "--to", str(run_id),
                    "--out", str(tmp_path / "d.xlsx"))
    assert result.exit_code == 1 and "not of 2023" in result.output


def test_a_programme_s_policy_area_is_locked_with_its_lines(world, app, tmp_path):
    from programmes.services.programmes import get_programme_by_code, update_programme

    final(world, app, tmp_path)
    with pytest.raises(YearLocked):
        world.seed(lambda s: update_programme(s, get_programme_by_code(s, "MULTI"), policy_area="science_innovation"))
    world.seed(lambda s: update_programme(s, get_programme_by_code(s, "MULTI"), name="Multilateral core funding"))
