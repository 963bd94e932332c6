from sqlalchemy import func, select

from grants import load_demo
from grants.models import Application, Call, Payment, Scheme


def _counts(session):
    return {model.__name__: session.scalar(select(func.count()).select_from(model))
            for model in (Scheme, Call, Application, Payment)}


def test_demo_has_the_four_schemes_in_every_state_and_loads_once(session):
    first = load_demo(session)
    assert first["schemes"] == 4 and first["applications"] >= 15
    codes = set(session.scalars(select(Scheme.code)))
    assert codes == {"UNP", "FTP", "HUM", "MLT"}
    statuses = set(session.scalars(select(Application.status)))
    assert statuses >= {"draft", "submitted", "in_assessment", "approved", "rejected", "committed",
                        "final_report_due", "closed", "withdrawn"}
    before = _counts(session)
    again = load_demo(session)
    assert again["schemes"] == 0 and again["applications"] == 0
    assert _counts(session) == before
