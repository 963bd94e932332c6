"""The audit page: newest first, filters, before → after, paging, access."""
import re
from datetime import datetime, timezone

import pytest

from app.auth.roles import Role
from app.events.models import Event
from tests.builders.programmes import mozambique_health_programme
from tests.builders.web import seed_portfolio, web  # noqa: F401


def _at(day: int, hour: int = 12) -> datetime:
    return datetime(2024, 3, day, hour, 0, tzinfo=timezone.utc)


@pytest.fixture
def trail(web):
    """Six events over a week of March 2024, by two people and the scheduler."""
    rows = [
        ("ProgrammeCreated", "Programme", "7", {"code": "MWI-CSP3", "name": "Malawi"}, "an@vlaanderen.test", _at(1)),
        ("BudgetLineChanged", "BudgetLine", "31", {"programme_id": 7, "year": 2021, "sector": "",
         "planned_amount": {"before": "5000000.00", "after": "4750000.50"}}, "an@vlaanderen.test", _at(2)),
        ("ActivityChanged", "Activity", "12", {"programme_id": 7, "changes": {
            "title": {"before": "Seed multiplication", "after": "Seed multiplication in Mzimba"},
            "marker_gender": {"before": None, "after": 1}}}, "bert@vlaanderen.test", _at(3)),
        ("ExchangeRateSet", "ExchangeRate", "2024-MWK", {"year": 2024, "currency": "MWK",
         "units_per_usd": {"before": None, "after": "1700.1234567890"}}, "scheduler", _at(4)),
        ("DisbursementRecorded", "Transaction", "99", {"programme_id": 7, "amount": "400000.10",
         "description": "<script>alert('x')</script>"}, "bert@vlaanderen.test", _at(5)),
        ("BudgetLineChanged", "BudgetLine", "32", {"programme_id": 7, "year": 2022, "sector": "",
         "planned_amount": {"before": "0", "after": "100.00"}}, "an@vlaanderen.test", _at(7, 23)),
    ]

    def build(session):
        events = [Event(type=type_, aggregate_type=agg_type, aggregate_id=agg_id, payload=payload,
                        actor=actor, occurred_at=when, correlation_id="audit-test")
                  for type_, agg_type, agg_id, payload, actor, when in rows]
        session.add_all(events)
        session.flush()
        return {e.id for e in events}

    web.trail_ids = web.seed(build)
    return web.signed_in(Role.ODA_OFFICER)


ROW = re.compile(r'<tr>\s*<td class="num">(\d+)</td>\s*<td class="nowrap">[^<]*</td>\s*<td><a href="[^"]*" '
                 r'title="(\w+)">[^<]+</a>')


def _ids(html: str) -> list[int]:
    return [int(i) for i, _type in ROW.findall(html)]


def _filtered(web, client, **params) -> list[str]:
    """Event types on the page, newest first, of the trail's own events."""
    html = client.get("/audit", query_string={"per_page": 200, **params}).get_data(as_text=True)
    return [type_ for i, type_ in ROW.findall(html) if int(i) in web.trail_ids]


def test_events_are_listed_newest_first(trail):
    ids = _ids(trail.get("/audit").get_data(as_text=True))
    assert ids == sorted(ids, reverse=True) and len(ids) >= 6


def test_changes_show_before_and_after(trail):
    html = trail.get("/audit", query_string={"aggregate_type": "Activity", "aggregate_id": "12"}).get_data(as_text=True)
    assert re.search(r'Title</span>: <span class="before">Seed multiplication</span> .*?→.*? '
                     r'<span class="after">Seed multiplication in Mzimba</span>', html)
    assert re.search(r'Marker gender</span>: <span class="before"><span class="none">–</span></span>', html)
    budget = trail.get("/audit", query_string={"aggregate_type": "BudgetLine", "aggregate_id": "31"})
    budget = budget.get_data(as_text=True)
    assert '<span class="before">5000000.00</span>' in budget and '<span class="after">4750000.50</span>' in budget


def test_payload_text_is_escaped(trail):
    html = trail.get("/audit", query_string={"type": "DisbursementRecorded"}).get_data(as_text=True)
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize("params, expected", [
    ({"type": "BudgetLineChanged"}, ["BudgetLineChanged", "BudgetLineChanged"]),
    ({"actor": "bert@vlaanderen.test"}, ["DisbursementRecorded", "ActivityChanged"]),
    ({"aggregate_type": "Programme", "aggregate_id": "7"}, ["ProgrammeCreated"]),
    ({"since": "2024-03-02", "until": "2024-03-04"}, ["ExchangeRateSet", "ActivityChanged", "BudgetLineChanged"]),
    ({"since": "2024-03-07", "until": "2024-03-07"}, []),  # 23:00 UTC on 7 March is 8 March in Brussels
    ({"since": "2024-03-08", "until": "2024-03-08"}, ["BudgetLineChanged"]),
    ({"until": "2024-03-01"}, ["ProgrammeCreated"]),
    ({"type": "BudgetLineChanged", "actor": "an@vlaanderen.test", "since": "2024-03-05"}, ["BudgetLineChanged"]),
    ({"type": "NoSuchEvent"}, []),
])
def test_filters(web, trail, params, expected):
    assert _filtered(web, trail, **params) == expected


def test_paging_keeps_the_filters_and_caps_per_page(trail):
    first = trail.get("/audit", query_string={"actor": "an@vlaanderen.test", "per_page": 2}).get_data(as_text=True)
    assert len(_ids(first)) == 2
    assert 'rel="next"' in first and "actor=an@vlaanderen.test" in first and "per_page=2" in first
    second = trail.get("/audit", query_string={"actor": "an@vlaanderen.test", "per_page": 2, "page": 2})
    second_html = second.get_data(as_text=True)
    assert len(_ids(second_html)) == 1 and 'rel="next"' not in second_html and 'rel="prev"' in second_html
    assert min(_ids(first)) > max(_ids(second_html))
    huge = trail.get("/audit", query_string={"per_page": 10**12, "page": 10**40})
    assert huge.status_code == 200


def test_per_page_is_capped(web, trail):
    def many(session):
        session.add_all([Event(type="UserChanged", aggregate_type="User", aggregate_id=str(n), payload={},
                               actor="bulk@vlaanderen.test") for n in range(230)])

    web.seed(many)
    html = trail.get("/audit", query_string={"per_page": 100000, "actor": "bulk@vlaanderen.test"})
    html = html.get_data(as_text=True)
    assert len(_ids(html)) == 200 and 'rel="next"' in html


@pytest.mark.parametrize("params, field, message", [
    ({"since": "2024-13-45"}, "since", "no such day"),
    ({"since": "yesterday"}, "since", "not a date"),
    ({"since": "2024-03-05", "until": "2024-03-01"}, "until", "The end date is before the start date."),
    ({"type": "X" * 5000}, "type", "longer than 80 characters"),
])
def test_bad_filters_are_explained_next_to_the_field(trail, params, field, message):
    response = trail.get("/audit", query_string=params)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    error = re.search(rf'id="{field}-error">(.*?)</p>', html, re.S)
    assert error and message in error.group(1)
    assert _ids(html) == []


def test_audit_needs_the_view_audit_permission(web, trail):
    assert web.signed_in(Role.VIEWER).get("/audit").status_code == 403
    for role in (Role.ADMIN, Role.FINANCE, Role.ODA_OFFICER):
        assert web.signed_in(role).get("/audit").status_code == 200


def test_programme_managers_see_only_their_programmes_events_and_their_own(web, trail):
    """Programme 7 of the trail is not theirs: its budget figures stay hidden."""
    programme_id = web.seed(lambda s: mozambique_health_programme(s).id)
    client = web.signed_in(Role.PROGRAMME_MANAGER, programme_id)
    html = client.get("/audit", query_string={"per_page": 200}).get_data(as_text=True)
    assert "ProgrammeCreated" in html and "MOZ-CSP4 · Mozambique country programme" in html
    assert "4750000.50" not in html and "ExchangeRateSet" not in html and "Seed multiplication" not in html
    assert "bert@vlaanderen.test" not in html, "no list of other users' addresses either"

    def own_change(session):
        from app.events import publish

        publish(session, "UserChanged", "User", "1", {"locale": {"before": "en", "after": "nl"}})

    web.seed(own_change, actor=client.user_email)
    assert "UserChanged" in client.get("/audit").get_data(as_text=True)


def test_events_of_one_programme_are_found_by_its_number(web, trail):
    html = trail.get("/audit", query_string={"programme": "7", "per_page": 200}).get_data(as_text=True)
    found = [type_ for i, type_ in ROW.findall(html) if int(i) in web.trail_ids]
    assert found == ["BudgetLineChanged", "DisbursementRecorded", "ActivityChanged", "BudgetLineChanged",
                     "ProgrammeCreated"]
    bad = trail.get("/audit", query_string={"programme": "7 OR 1=1"})
    assert bad.status_code == 400 and "No programme has the code 7 OR 1=1." in bad.get_data(as_text=True)


def test_audit_appears_in_the_navigation_only_for_those_who_may_see_it(web):
    assert 'href="/audit"' in web.signed_in(Role.FINANCE).get("/").get_data(as_text=True)
    assert 'href="/audit"' not in web.signed_in(Role.VIEWER).get("/").get_data(as_text=True)


def test_events_are_named_in_words_in_the_readers_language_at_brussels_time(web, trail):
    english = trail.get("/audit", query_string={"per_page": 200}).get_data(as_text=True)
    assert 'title="BudgetLineChanged">Budget line changed</a>' in english
    assert "When (UTC)" not in english
    trail.post("/language", data={"locale": "nl", "next": "/audit"})
    dutch = trail.get("/audit", query_string={"per_page": 200}).get_data(as_text=True)
    assert 'title="BudgetLineChanged">Begrotingslijn gewijzigd</a>' in dutch
    assert 'title="ExchangeRateSet">Wisselkoers vastgelegd</a>' in dutch
    assert "5 mrt 2024, 13:00:00" in dutch, "12:00 UTC is 13:00 in Brussels in winter"
    assert "8 mrt 2024, 00:00:00" in dutch, "23:00 UTC on 7 March is already 8 March in Brussels"
    assert _filtered(web, trail, since="08/03/2024") == ["BudgetLineChanged"], "days are Brussels days"


def test_every_published_event_type_has_words_in_dutch(app):
    from pathlib import Path

    from babel.messages.pofile import read_po

    from app.events.labels import event_words
    from app.web import i18n

    root = Path(__file__).resolve().parents[3]
    found, aggregates = set(), set()
    for package in ("app", "programmes", "grants", "oda", "importers", "exports"):
        for source in (root / package).rglob("*.py"):
            text = source.read_text(encoding="utf-8")
            constants = _string_constants(text)
            for line in text.splitlines():
                names = re.findall(r'"([A-Z][a-z]+(?:[A-Z][a-z]+)+)"', line)
                if "publish" in line:  # publish(session, "EventType", "AggregateType", …) or a constant
                    found |= set(re.findall(r'publish\w*\(\s*\w+,\s*"([A-Z]\w+)"', line))
                    found |= {constants[name] for name in re.findall(r'publish\w*\(\s*\w+,\s*([A-Z_]+)\b', line)
                              if name in constants}
                    aggregates |= set(re.findall(r'publish\w*\(\s*\w+,\s*[^,]+,\s*"([A-Z]\w+)"', line))
                elif source.name == "events.py":
                    found |= set(names)
    found -= aggregates
    with (i18n.SOURCE_DIR / "nl" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        translated = {m.id for m in read_po(f) if m.id and m.string}
    assert {"BudgetLineChanged", "PaymentRecorded", "ExchangeRateSet"} <= found
    missing = sorted(t for t in found if event_words(t) not in translated)
    assert not missing, "add these to app/translations/dynamic_messages.py and translate them: " + ", ".join(missing)


def _string_constants(text: str) -> dict[str, str]:
    """Module-level names bound to a CamelCase string (``DECIDED = "ReviewGroupDecided"``,
    ``A, B = "X", "Y"``): event types published through a constant."""
    found = {}
    for names, values in re.findall(r'^([A-Z_][A-Z_, ]*)=\s*("[A-Z]\w+"(?:\s*,\s*"[A-Z]\w+")*)\s*$', text, re.M):
        for name, value in zip([n.strip() for n in names.split(",") if n.strip()], re.findall(r'"(\w+)"', values)):
            found[name] = value
    return found


@pytest.fixture
def dutch_portfolio_trail(web):
    """The Malawi programme, Tradeline's activity and its ledger lines (their own events), read in Dutch."""
    ids = web.seed(seed_portfolio)
    return ids, web.signed_in(Role.ADMIN, locale="nl")


def test_records_are_named_by_code_and_title_in_dutch(dutch_portfolio_trail):
    ids, client = dutch_portfolio_trail
    html = client.get("/audit", query_string={"per_page": 200}).get_data(as_text=True)
    assert "MWI-2019-TLC · Market access for smallholder farmers in Kasungu and Mzimba" in html
    assert "MWI-CSP3 · Malawi country programme 2019–2023" in html
    assert f"Activity {ids['activity']}<" not in html and f"Activiteit {ids['activity']}<" not in html


def test_the_trail_is_filtered_by_programme_code_and_by_kind_of_event_in_dutch(dutch_portfolio_trail):
    ids, client = dutch_portfolio_trail
    page = client.get("/audit", query_string={"programme": "MWI-CSP3", "per_page": 200}).get_data(as_text=True)
    assert "MWI-2019-TLC ·" in page and "MOZ-CSP4 ·" not in page
    assert '<label for="programme">Programmacode' in page
    assert re.search(r'<select id="type" name="type"[^>]*>.*?<option value="ActivityCreated">Activiteit '
                     r'aangemaakt</option>', page, re.S), "the kinds of event are offered in words"
    created = client.get("/audit", query_string={"type": "ActivityCreated", "programme": "MWI-CSP3"})
    found = ROW.findall(created.get_data(as_text=True))
    assert found and {type_ for _id, type_ in found} == {"ActivityCreated"}
    unknown = client.get("/audit", query_string={"programme": "XYZ-9"})
    assert unknown.status_code == 400 and "Geen programma heeft de code XYZ-9." in unknown.get_data(as_text=True)
