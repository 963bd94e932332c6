"""One unit of work for every write endpoint: a refused change answers by its status,
whichever package refused it, and nothing it wrote stays."""
import pytest
from sqlalchemy import func, select
from werkzeug.exceptions import HTTPException

from app.api.writes import check_version, writing
from app.auth.models import User
from app.errors import ValidationError
from grants.services.errors import GuardViolation, NotAllowed, WrongStatus


def _answer(app_ctx, error: ValidationError, field_names=None) -> tuple[int, dict]:
    with pytest.raises(HTTPException) as raised:
        with writing(field_names):
            raise error
    return raised.value.code, raised.value.data["messages"]


@pytest.mark.parametrize("error, status", [
    (ValidationError("1.005 has more than two decimals", "amount"), 422),
    (WrongStatus("the application is not submitted", "status"), 409),
    (GuardViolation("over the approved amount", "amount"), 409),
    (NotAllowed("the assessor cannot approve", "approver"), 403),
])
def test_a_refused_change_answers_by_its_status_naming_the_field(app_ctx, error, status):
    code, messages = _answer(app_ctx, error)
    assert code == status
    assert messages == {"json": {error.field: [error.message]}}


def test_the_field_is_named_as_clients_send_it(app_ctx):
    code, messages = _answer(app_ctx, ValidationError("there is no such activity", "activity_id"),
                             {"activity_id": "activity_code"})
    assert code == 422 and messages == {"json": {"activity_code": ["there is no such activity"]}}


def test_nothing_written_in_a_refused_unit_of_work_stays(app_ctx, session):
    before = session.scalar(select(func.count()).select_from(User))
    with pytest.raises(HTTPException):
        with writing() as inner:
            inner.add(User(email="half-written@vlaanderen.test", name="Half", password_hash="x"))
            inner.flush()
            raise ValidationError("refused after a write", "email")
    assert session.scalar(select(func.count()).select_from(User)) == before


class Record:
    version = 3


def test_an_old_version_is_a_conflict_naming_the_version(app_ctx):
    check_version(Record(), 3)
    with pytest.raises(HTTPException) as raised:
        check_version(Record(), 2)
    assert raised.value.code == 409 and "version" in raised.value.data["messages"]["json"]
