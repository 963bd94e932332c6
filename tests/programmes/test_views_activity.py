"""The activity page: attributes with the names of their codes, transactions with their
ODA classification, markers, history, and the edit form (scope, validation, stale edits)."""
import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.auth.roles import Role
from app.events.models import Event
from programmes.models import Activity
from tests.builders import programmes as b
from tests.builders.web import csrf_token_from, seed_portfolio, web  # noqa: F401

URL = "/activities/MWI-2019-TLC"


@pytest.fixture
def portfolio(web):
    def build(session):
        from oda.reference.services import load_curated

        load_curated(session)
        return seed_portfolio(session)

    ids = web.seed(build)
    web.dispatch()
    return ids


def _activity(web, code="MWI-2019-TLC") -> Activity:
    return web.query(lambda s: s.scalar(select(Activity).where(Activity.code == code)))


def _form(web, **changes) -> dict:
    """The edit form as the page fills it, with ``changes`` typed over it."""
    a = _activity(web)
    data = {"title": a.title, "description": a.description or "", "status": a.status,
            "main_objective": a.main_objective, "start_date": a.start_date.isoformat(),
            "end_date": a.end_date.isoformat(), "recipient_code": a.recipient_code, "purpose_code": a.purpose_code,
            "aid_type": a.aid_type, "channel_code": a.channel_code, "flow_type": a.flow_type,
            "finance_type": a.finance_type, "bi_multi": a.bi_multi, "geography": a.geography or "",
            "commitment_date": a.commitment_date.isoformat(), "commitment_amount": str(a.commitment_amount),
            "marker_gender": "1", "marker_climate_adaptation": "1", "version": str(a.version)}
    data.update(changes)
    return data


def _error_of(html: str, field: str) -> str:
    match = re.search(rf'<p class="field-error" id="{field}-error">(.*?)</p>', html, re.S)
    return match.group(1) if match else ""


def _events(web, type_="ActivityChanged") -> int:
    return web.query(lambda s: s.scalar(select(func.count()).select_from(Event).where(Event.type == type_)))


def test_page_names_the_codes_and_lists_transactions_markers_and_history(web, portfolio):
    html = web.signed_in(Role.VIEWER).get(URL).get_data(as_text=True)
    assert "Market access for smallholder farmers in Kasungu and Mzimba" in html
    assert re.search(r'<span class="code">253</span> Malawi', html), "recipient with its name"
    assert re.search(r'<span class="code">31120</span> Agricultural development', html)
    assert re.search(r'<span class="code">C01</span> Project-type interventions', html)
    assert "Tradeline Corporation Limited" in html and "Malawi country programme 2019–2023" in html
    assert "Gender equality" in html and "significant objective" in html and "not screened" in html
    for document in ("C-2019-001", "B-2019-0101", "B-2020-0202", "R-2020-0001"):
        assert document in html
    assert "€400,000.10" in html and "Refund" in html
    assert "Activity created" in html, "the history lists the activity's events"


def test_transactions_show_their_oda_outcome_with_a_link_to_the_reasons(web, portfolio):
    from oda.services.classify import classify

    web.seed(lambda s: classify(s, everything=True))
    html = web.signed_in(Role.VIEWER).get(URL).get_data(as_text=True)
    links = re.findall(r'class="oda-status oda-(\w+)" href="/oda/transactions/(\d+)"', html)
    assert len(links) == 4 and {status for status, _id in links} <= {"eligible", "not_eligible", "needs_review"}
    assert "ODA classification" in html and "Main objective" in html, "the rules and their reasons"


def test_kind_filter_and_empty_state(web, portfolio):
    client = web.signed_in(Role.VIEWER)
    refunds = client.get(URL, query_string={"kind": "refund"}).get_data(as_text=True)
    assert "R-2020-0001" in refunds and "B-2019-0101" not in refunds
    assert client.get(URL, query_string={"kind": "<script>"}).status_code == 200

    def bare(session):
        b.cerf_core_contribution(session, b.multilateral_portfolio(session))

    web.seed(bare)
    html = client.get("/activities/CERF-CORE").get_data(as_text=True)
    assert "No transactions yet: import a ledger extract." in html


def test_unknown_activities_and_other_programmes_activities_are_404(web, portfolio):
    assert web.signed_in(Role.ADMIN).get("/activities/NOPE").status_code == 404
    assert web.signed_in(Role.ADMIN).get("/activities/" + "X" * 500).status_code == 404
    outsider = web.signed_in(Role.PROGRAMME_MANAGER, portfolio["mozambique"])
    assert outsider.get(URL).status_code == 404
    assert outsider.post(URL, data=_form(web, title="Hijacked")).status_code == 404
    assert _activity(web).title.startswith("Market access")


def test_only_editors_of_the_programme_see_and_use_the_form(web, portfolio):
    viewer = web.signed_in(Role.VIEWER)
    assert 'id="edit"' not in viewer.get(URL).get_data(as_text=True)
    assert viewer.post(URL, data=_form(web, title="Changed")).status_code == 403
    manager = web.signed_in(Role.PROGRAMME_MANAGER, portfolio["malawi"])
    assert 'id="edit"' in manager.get(URL).get_data(as_text=True)


def test_manager_edits_the_activity_and_the_change_is_an_event(web, portfolio):
    client = web.signed_in(Role.PROGRAMME_MANAGER, portfolio["malawi"])
    response = client.post(URL, data=_form(web, title="Market access in Kasungu, Mzimba and Mchinji",
                                            marker_gender="2", commitment_amount="1650000.00"))
    assert response.status_code == 302
    activity = _activity(web)
    assert activity.title == "Market access in Kasungu, Mzimba and Mchinji"
    assert activity.marker_gender == 2 and activity.commitment_amount == Decimal("1650000.00")
    event = web.query(lambda s: s.scalars(select(Event).where(Event.type == "ActivityChanged")
                                          .order_by(Event.id.desc())).first())
    assert event.payload["changes"]["marker_gender"] == {"before": 1, "after": 2}
    assert event.payload["changes"]["commitment_amount"] == {"before": "1600000.00", "after": "1650000.00"}
    assert event.actor == client.user_email
    page = client.get(URL).get_data(as_text=True)
    assert "The activity is saved: 3 field(s) changed." in page and "Activity changed" in page


@pytest.mark.parametrize("typed_date, typed_amount", [
    ("01/02/2019", "1.650.000,00"), ("01.02.2019", "€ 1.650.000"), ("2019-02-01", "1,650,000.00"),
])
def test_dates_and_amounts_are_read_as_people_type_them(web, portfolio, typed_date, typed_amount):
    client = web.signed_in(Role.PROGRAMME_MANAGER, portfolio["malawi"])
    response = client.post(URL, data=_form(web, commitment_date=typed_date, commitment_amount=typed_amount))
    assert response.status_code == 302
    activity = _activity(web)
    assert (activity.commitment_date, activity.commitment_amount) == (date(2019, 2, 1), Decimal("1650000.00"))


@pytest.mark.parametrize("changes, field, message", [
    ({"title": "  "}, "title", "Give the activity a title."),
    ({"title": "x" * 301}, "title", "At most 300 characters."),
    ({"purpose_code": "3112"}, "purpose_code", "A DAC purpose code has 5 digits"),
    ({"aid_type": "Z99"}, "aid_type", "A type of aid looks like C01"),
    ({"end_date": "2018-01-01"}, "end_date", "The end date is before the start date."),
    ({"start_date": "2019-02-30"}, "start_date", "no such day: &#39;2019-02-30&#39;"),
    ({"start_date": "02/30/2019"}, "start_date", "dates are read day first"),
    ({"start_date": "next monday"}, "start_date", "write 31/12/2024, 31.12.2024 or 2024-12-31"),
    ({"commitment_amount": "1.600.000,001"}, "commitment_amount", "more than 2 decimals"),
    ({"commitment_amount": "1600000.001"}, "commitment_amount", "more than 2 decimals"),
    ({"commitment_amount": "zestien"}, "commitment_amount", "not an amount: &#39;zestien&#39;"),
    ({"commitment_amount": "USD 1600000"}, "commitment_amount", "Give the amount in EUR, not in USD."),
    ({"marker_gender": "7"}, "marker_gender", "Not a valid choice"),
    ({"status": "deleted"}, "status", "Not a valid choice"),
    ({"flow_type": ""}, "flow_type", "Enter the type of flow (10 for ODA)."),
])
def test_bad_input_is_explained_next_to_the_field_and_changes_nothing(web, portfolio, changes, field, message):
    client = web.signed_in(Role.PROGRAMME_MANAGER, portfolio["malawi"])
    before = _events(web)
    response = client.post(URL, data=_form(web, **changes))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in _error_of(html, field)
    assert 'aria-invalid="true"' in html and "Some fields need your attention" in html
    assert _events(web) == before and _activity(web).title.startswith("Market access")


def test_hostile_text_is_stored_as_text_and_escaped(web, portfolio):
    client = web.signed_in(Role.PROGRAMME_MANAGER, portfolio["malawi"])
    title = "<script>alert('x')</script> =HYPERLINK(\"http://evil\")"
    assert client.post(URL, data=_form(web, title=title)).status_code == 302
    html = client.get(URL).get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert _activity(web).title == title


def test_a_stale_form_is_refused_and_keeps_the_users_values(web, portfolio):
    first = web.signed_in(Role.PROGRAMME_MANAGER, portfolio["malawi"])
    stale = _form(web, title="My title from an old form")
    assert first.post(URL, data=_form(web, geography="Kasungu")).status_code == 302
    second = web.signed_in(Role.ADMIN)
    response = second.post(URL, data=stale)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else changed this activity while you were editing it." in html
    assert 'value="My title from an old form"' in html
    current = _activity(web)
    assert current.geography == "Kasungu" and current.title.startswith("Market access")
    assert f'name="version" value="{current.version}"' in html, "saving again is possible on purpose"
    assert second.post(URL, data=dict(stale, version=str(current.version))).status_code == 302
    assert _activity(web).title == "My title from an old form"


def test_crs_flags_are_ticked_shown_and_cleared(web, portfolio):
    client = web.signed_in(Role.PROGRAMME_MANAGER, portfolio["malawi"])
    assert client.post(URL, data=_form(web, flag_pba="y", flag_investment_project="y")).status_code == 302
    activity = _activity(web)
    assert (activity.flag_ftc, activity.flag_pba, activity.flag_investment_project,
            activity.flag_associated_financing) == (False, True, True, False)
    html = client.get(URL).get_data(as_text=True)
    assert '>PBA</span>' in html and '>InvestmentProject</span>' in html and '>FTC</span>' not in html
    assert re.search(r'name="flag_pba" value="y" checked', html)
    assert client.post(URL, data=_form(web, flag_investment_project="y", flag_pba="0")).status_code == 302, \
        "PBA unticked (a script's 0 is no, too)"
    activity = _activity(web)
    assert (activity.flag_pba, activity.flag_investment_project) == (False, True)
    event = web.query(lambda s: s.scalars(select(Event).where(Event.type == "ActivityChanged")
                                          .order_by(Event.id.desc())).first())
    assert event.payload["changes"] == {"flag_pba": {"before": True, "after": False}}


def test_unchanged_form_saves_nothing(web, portfolio):
    client = web.signed_in(Role.ADMIN)
    before = _events(web)
    response = client.post(URL, data=_form(web), follow_redirects=True)
    assert "Nothing changed" in response.get_data(as_text=True)
    assert _events(web) == before


def test_the_form_needs_a_csrf_token(web, portfolio, app):
    client = web.signed_in(Role.ADMIN)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        refused = client.post(URL, data=_form(web, title="Without a token"))
        assert refused.status_code == 400
        token = csrf_token_from(client.get(URL).get_data(as_text=True))
        assert client.post(URL, data=_form(web, title="With a token", csrf_token=token)).status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert _activity(web).title == "With a token"


def test_transactions_without_exchange_rate_are_flagged(web, portfolio):
    def kwacha(session):
        b.disburse(session, session.get(Activity, portfolio["activity"]), date(2021, 2, 1), "500000.00",
                   "B-2021-MWK", currency="MWK")

    web.seed(kwacha)
    web.dispatch()
    html = web.signed_in(Role.VIEWER).get(URL).get_data(as_text=True)
    assert "no exchange rate" in html
    assert "1 transaction has no EUR value" in html


def test_a_commitment_that_differs_from_the_ledgers_is_shown_as_a_finding(web, portfolio):
    client = web.signed_in(Role.PROGRAMME_MANAGER, portfolio["malawi"])
    assert 'id="commitment-finding"' not in client.get(URL).get_data(as_text=True), "both say 1.6 M on 1 March"
    client.post(URL, data=_form(web, commitment_amount="1700000.00", commitment_date="2019-04-01"))
    page = client.get(URL).get_data(as_text=True)
    finding = re.search(r'<p class="notice" role="status" id="commitment-finding">(.*?)</p>', page, re.S).group(1)
    assert "€1,700,000.00" in finding and "€1,600,000.00" in finding
    assert "The CRS report uses the ledger" in finding


def test_an_activity_spending_without_any_commitment_says_so(web, portfolio):
    def spending_only(session):
        from programmes.services.activities import create_activity

        programme = session.scalar(select(Activity).where(Activity.code == "MWI-2019-TLC")).programme
        schools = create_activity(session, code="MWI-2024-FFS", programme_id=programme.id, title="Farmer field "
                                  "schools in Dowa", recipient_code="253", purpose_code="31166", aid_type="C01")
        b.disburse(session, schools, date(2024, 2, 1), "10000.00", "B-2024-0201")

    web.seed(spending_only)
    web.dispatch()
    page = web.signed_in(Role.VIEWER).get("/activities/MWI-2024-FFS").get_data(as_text=True)
    assert "No commitment is recorded for this activity" in page
    assert "No commitment is recorded" not in web.signed_in(Role.VIEWER).get(URL).get_data(as_text=True)


def test_code_fields_offer_the_codes_in_force_with_their_names(web, portfolio):
    html = web.signed_in(Role.PROGRAMME_MANAGER, portfolio["malawi"]).get(URL).get_data(as_text=True)
    assert 'id="purpose_code" name="purpose_code" type="text"' in html and 'list="purpose_code-options"' in html
    options = html[html.index('<datalist id="purpose_code-options">'):]
    options = options[:options.index("</datalist>")]
    assert '<option value="31120" label="Agricultural development">' in options
    assert '<datalist id="recipient_code-options">' in html and 'label="Malawi"' in html
    dutch = web.signed_in(Role.PROGRAMME_MANAGER, portfolio["malawi"], locale="nl").get(URL).get_data(as_text=True)
    assert 'label="Zuid-Afrika"' in dutch, "country names in the reader's language"
    viewer = web.signed_in(Role.VIEWER).get(URL).get_data(as_text=True)
    assert "<datalist" not in viewer, "only the form offers codes"


def test_a_withdrawn_code_is_offered_as_withdrawn(web, portfolio):
    from programmes.services.queries.codes import code_choices

    def withdrawn(session):
        from oda.models import PurposeCode

        code = session.get(PurposeCode, "31120") or session.query(PurposeCode).filter_by(code="31120").one()
        code.status, code.withdrawal_date = "withdrawn", date(2015, 1, 1)
        return [c for c in code_choices(session, "purpose_code", [2019, 2020]) if c.code == "31120"]

    choice, = web.seed(withdrawn)
    assert not choice.valid
