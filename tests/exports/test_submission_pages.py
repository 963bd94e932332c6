"""The submission page and API: state, every final with its hash, reopen (ODA officer
only, with a reason, CSRF), and the changes between the two latest finals."""
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.auth.roles import Role
from app.events.models import Event
from exports.services import submission
from oda.services.classify import classify
from programmes.services.transactions import correct_transaction
from tests.builders.api import api, assert_error  # noqa: F401
from tests.builders.web import csrf_token_from, web  # noqa: F401
from tests.exports.test_submission import cerf
from tests.exports.test_year_lock_doors import submit_2024

URL = "/exports/years/2024"


def test_the_page_shows_the_submission_and_the_officer_reopens_it(web, app, tmp_path):
    submit_2024(web, app, tmp_path)
    officer = web.signed_in(Role.ODA_OFFICER)
    page = officer.get(URL).get_data(as_text=True)
    found = web.query(lambda s: submission.submitted(s, 2024))
    assert 'data-state="submitted"' in page and found.sha256 in page and 'id="reopen"' in page
    blank = officer.post(f"{URL}/reopen", data={"reason": " ", "csrf_token": csrf_token_from(page)},
                         follow_redirects=True)
    assert "Give the reason for reopening the year." in blank.get_data(as_text=True)
    done = officer.post(f"{URL}/reopen", data={"reason": "CERF amount corrected", "csrf_token": csrf_token_from(page)},
                        follow_redirects=True).get_data(as_text=True)
    assert 'data-state="reopened"' in done and "CERF amount corrected" in done
    assert web.query(lambda s: submission.submitted(s, 2024)) is None


def test_finance_cannot_reopen_and_sees_no_page(web, app, tmp_path):
    submit_2024(web, app, tmp_path)
    finance = web.signed_in(Role.FINANCE)
    assert finance.get(URL).status_code == 403
    assert finance.post(f"{URL}/reopen", data={"reason": "x"}).status_code == 403
    assert web.query(lambda s: submission.submitted(s, 2024)) is not None


def test_the_page_lists_the_changes_of_the_revision(web, app, tmp_path):
    submit_2024(web, app, tmp_path)
    officer_email = web.user(Role.ODA_OFFICER)
    web.seed(lambda s: submission.reopen_year(s, 2024, "CERF corrected", _user(s, officer_email)))
    web.seed(lambda s: correct_transaction(s, cerf(s), amount=Decimal("650000.00")))
    web.seed(lambda s: classify(s))
    result = app.test_cli_runner().invoke(args=["export", "crs", "--year", "2024", "--final", "--out",
                                                str(tmp_path / "revision.xlsx")])
    assert result.exit_code == 0, result.output
    page = web.signed_in(Role.ODA_OFFICER).get(URL).get_data(as_text=True)
    assert "0 added, 0 removed, 1 changed" in page
    assert "<td>Disbursement_National</td><td>600000</td><td>650000</td>" in page


def _user(session, email):
    from app.auth.services import get_user_by_email

    return get_user_by_email(session, email)


def test_api_reports_the_state_and_reopens_with_a_reason(api, app, tmp_path):
    submit_2024(api, app, tmp_path)
    officer = api.token(Role.ODA_OFFICER)
    body = api.get("/api/v1/exports/years/2024/submission", officer).get_json()
    assert body["submitted"] is True and body["finals"][0]["sha256"] == body["submissions"][0]["sha256"]
    assert_error(api.post("/api/v1/exports/years/2024/reopen", api.token(Role.FINANCE), {"reason": "x"}), 403)
    assert_error(api.post("/api/v1/exports/years/2024/reopen", officer, {"reason": ""}), 422)
    done = api.post("/api/v1/exports/years/2024/reopen", officer, {"reason": "CERF corrected"})
    assert done.status_code == 200 and done.get_json()["locked"] is False
    event = api.query(lambda s: s.scalars(select(Event).where(Event.type == "YearReopened")).one())
    assert event.payload["reason"] == "CERF corrected" and event.actor.startswith("oda_officer")
    error = assert_error(api.get("/api/v1/exports/years/2024/diff", officer), 422)
    assert "a comparison needs two" in error["message"]


@pytest.mark.parametrize("query", ["?from=1", "?from=99999&to=99998", "?from=x&to=y"])
def test_api_diff_refuses_bad_ids(api, app, tmp_path, query):
    submit_2024(api, app, tmp_path)
    assert_error(api.get(f"/api/v1/exports/years/2024/diff{query}", api.token(Role.ODA_OFFICER)), 422)
