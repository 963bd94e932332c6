"""Formatting per language, paging parameters, navigation entries."""
from decimal import Decimal

import pytest
from flask_babel import force_locale

from app.auth.roles import Role
from app.web import add_nav_item, visible_nav_items
from app.web.filters import money, percent
from app.web.pagination import Page, page_args
from tests.builders.web import web  # noqa: F401


@pytest.mark.parametrize("locale, value, expected", [
    ("en", Decimal("1234567.89"), "€1,234,567.89"),
    ("nl", Decimal("1234567.89"), "€\xa01.234.567,89"),
    ("en", Decimal("-10000.05"), "-€10,000.05"),
    ("nl", Decimal("0.00"), "€\xa00,00"),
    ("en", None, "–"),
])
def test_money_is_formatted_per_language(app, locale, value, expected):
    with app.test_request_context(), force_locale(locale):
        assert money(value) == expected


def test_percent_keeps_one_decimal_in_each_language(app):
    with app.test_request_context():
        with force_locale("en"):
            assert percent(Decimal("0.0684")) == "6.8%"
        with force_locale("nl"):
            assert percent(Decimal("0.0684")) == "6,8%"
        assert percent(None) == "–"


@pytest.mark.parametrize("args, expected", [
    ({}, (1, 25)),
    ({"page": "3", "per_page": "10"}, (3, 10)),
    ({"page": "0", "per_page": "-4"}, (1, 25)),
    ({"page": "abc", "per_page": "1e3"}, (1, 25)),
    ({"page": "9" * 40, "per_page": "9" * 40}, (1_000_000, 100)),
    ({"page": "2000000", "per_page": "100000"}, (1_000_000, 100)),
])
def test_page_arguments_are_read_leniently_and_capped(args, expected):
    assert page_args(args, default_per_page=25, max_per_page=100) == expected


def test_page_count_rounds_up():
    assert Page(number=1, per_page=20, total=41).page_count == 3
    assert Page(number=1, per_page=20, total=0).page_count == 1
    assert Page(number=2, per_page=20, total=None).page_count is None


def test_navigation_shows_entries_by_permission(web, app):
    items = app.extensions["aidledger.nav"]
    add_nav_item(app, "events.audit", "Exchange rates", "manage_rates", order=5)
    try:
        client = web.signed_in(Role.FINANCE)
        html = client.get("/").get_data(as_text=True)
        assert "Exchange rates" in html and "Audit trail" in html
        assert html.index("Exchange rates") < html.index("Audit trail"), "ordered by ``order``"
        viewer_html = web.signed_in(Role.VIEWER).get("/").get_data(as_text=True)
        assert "Exchange rates" not in viewer_html
    finally:
        items.pop()
    assert visible_nav_items(app, None) == []


@pytest.mark.parametrize("locale", ["en", "nl", "nl_BE", "fr_BE", "de_CH", "en_IN"])
@pytest.mark.parametrize("currency", ["EUR", "USD", "MWK", "JPY"])
def test_fast_money_matches_babel_exactly(app, locale, currency):
    from babel.numbers import format_currency

    values = [Decimal("0.00"), Decimal("0.05"), Decimal("-0.05"), Decimal("7.10"), Decimal("999.99"),
              Decimal("1000.00"), Decimal("-1000.01"), Decimal("123456789012.34"), Decimal("-5000000.00"),
              Decimal("12.5"), Decimal("3")]
    with app.test_request_context(), force_locale(locale):
        for value in values:
            assert money(value, currency) == format_currency(value, currency, locale=locale), (locale, value)


@pytest.mark.parametrize("locale", ["en", "nl_BE", "fr_BE", "de_CH", "en_IN", "ar"])
def test_fast_percent_matches_babel_exactly(app, locale):
    from babel.numbers import format_percent

    values = [Decimal("0"), Decimal("0.0684"), Decimal("-0.0001"), Decimal("0.00125"), Decimal("0.00135"),
              Decimal("1.017"), Decimal("12.3456"), Decimal("-2.5"), Decimal(1) / Decimal(3)]
    with app.test_request_context(), force_locale(locale):
        for value in values:
            assert percent(value) == format_percent(value, "#,##0.0%", locale=locale), (locale, value)
