"""Dates and amounts as finance writes them; anything ambiguous is an error, never a guess."""
import random
from datetime import date, datetime
from decimal import Decimal

import pytest

from app.values import (FORMULA_WITHOUT_VALUE, CellError, clean_text, format_number, parse_amount, parse_code,
                             parse_date, parse_flag)


@pytest.mark.parametrize("cell, expected", [
    (date(2024, 3, 31), date(2024, 3, 31)),
    (datetime(2024, 3, 31, 0, 0), date(2024, 3, 31)),
    ("2024-03-31", date(2024, 3, 31)),
    ("31/03/2024", date(2024, 3, 31)),
    ("31.03.2024", date(2024, 3, 31)),
    ("03/04/2024", date(2024, 4, 3)),  # Belgian order: 3 April, never March 4th
    (" 1-2-2024\u00a0", date(2024, 2, 1)),
    ("", None), (None, None),
])
def test_dates(cell, expected):
    assert parse_date(cell) == expected


@pytest.mark.parametrize("cell, message", [
    ("03/31/2024", "no such day"),  # month first does not exist in Belgium
    ("31/03/24", "not a date"),     # two-digit years are ambiguous
    ("March 31, 2024", "not a date"),
    (45382, "is a number, not a date"),
    ("2024-02-30", "no such day"),
])
def test_dates_that_are_errors(cell, message):
    with pytest.raises(CellError, match=message):
        parse_date(cell)


@pytest.mark.parametrize("cell, amount, currency", [
    (1234.56, "1234.56", None),
    (1500000, "1500000.00", None),
    (0.1 + 0.2, "0.30", None),               # Excel shows 15 significant digits
    ("1.234,56", "1234.56", None),
    ("1,234.56", "1234.56", None),
    ("1234,5", "1234.50", None),
    ("1.234.567", "1234567.00", None),
    ("€ 1.234,56", "1234.56", "EUR"),
    ("1.234,56 €", "1234.56", "EUR"),
    ("EUR 1,234.56", "1234.56", "EUR"),
    ("USD -25", "-25.00", "USD"),
    ("-1.234,56", "-1234.56", None),
    ("1.234,56-", "-1234.56", None),
    ("(1.234,56)", "-1234.56", None),
    ("(€ 50)", "-50.00", "EUR"),
    ("€ (250,00)", "-250.00", "EUR"),       # Excel's accounting format: the sign outside the brackets
    ("(250,00) EUR", "-250.00", "EUR"),
    ("\u2212 12,50", "-12.50", None),
    (" 12\u00a0345,00 ", "12345.00", None),
    ("1234", "1234.00", None),
    ("", None, None),
])
def test_amounts(cell, amount, currency):
    value, named = parse_amount(cell)
    assert (value, named) == ((Decimal(amount) if amount else None), currency)


@pytest.mark.parametrize("cell, message", [
    ("1.000", "ambiguous"),                 # one, or a thousand?
    ("1,234", "ambiguous"),
    ("12.345,678", "more than 2 decimals"),
    (1.005, "more than 2 decimals"),
    ("12,34,56", "not an amount"),
    ("ten", "not an amount"),
    ("€ 5 $", "not an amount"),
    ("-(5)", "not an amount"),
    ("€ -(5)", "not an amount"),
    ("((5))", "not an amount"),
    (float("nan"), "not an amount"),
    (True, "not an amount"),
    (FORMULA_WITHOUT_VALUE, "formula without a computed value"),
])
def test_amounts_that_are_errors(cell, message):
    with pytest.raises(CellError, match=message):
        parse_amount(cell)


def _as_excel_shows(cell: float) -> str:
    """The amount of the text Excel shows for a number cell, or the error it is."""
    shown = Decimal(format_number(cell))
    return str(shown.quantize(Decimal("0.01"))) if shown == shown.quantize(Decimal("0.01")) else "error"


def _as_read(cell: float) -> str:
    try:
        return str(parse_amount(cell)[0])
    except CellError:
        return "error"


def test_a_number_cell_reads_as_the_number_excel_shows():
    rng = random.Random(2019)
    cells = [rng.randint(-10**14, 10**14) / 100 for _ in range(3000)]
    cells += [rng.randint(-10**9, 10**9) / 1000 for _ in range(3000)]  # most have a third decimal
    cells += [0.1 + 0.2, 1.005, -0.0, 99999999999.99, 9999999999999.99, 1e13, 123456789012345.6, 5e-324]
    for cell in cells:
        assert _as_read(cell) == _as_excel_shows(cell), cell


def test_rates_take_ten_decimals():
    assert parse_amount("0,8932761234", places=10)[0] == Decimal("0.8932761234")


def test_text_is_trimmed_of_ordinary_and_non_breaking_spaces_and_invisible_marks():
    assert clean_text("\u00a0 Omschrijving \u200b ") == "Omschrijving"
    assert clean_text("   ") is None


def test_codes_typed_as_numbers_keep_their_digits():
    assert parse_code(31120.0, 5) == "31120"
    with pytest.raises(CellError):
        parse_code(311.5, 5)


@pytest.mark.parametrize("cell, expected", [
    (1, True), (1.0, True), ("1", True), ("ja", True), (" Yes\u00a0", True), ("TRUE", True), (True, True),
    (0, False), ("0", False), ("nee", False), ("no", False), (False, False), ("", False), (None, False),
])
def test_crs_flags_as_the_crs_and_finance_write_them(cell, expected):
    assert parse_flag(cell) is expected


@pytest.mark.parametrize("cell", [2, -1, 0.5, "2", "maybe", "y/n", "=1", FORMULA_WITHOUT_VALUE])
def test_anything_else_is_not_a_flag(cell):
    with pytest.raises(CellError):
        parse_flag(cell)
