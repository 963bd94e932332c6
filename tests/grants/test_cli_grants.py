"""``flask grants open-call`` and ``flask grants export-applications``."""
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy import select

from grants.models import Call
from tests.builders.grants import intern_application, vvn_application


def run(app, *args):
    return app.test_cli_runner().invoke(args=["grants", *args])


def test_open_a_call_from_the_command_line(app, session, unp):
    session.commit()
    result = run(app, "open-call", "UNP", "--code", "UNP-2025", "--title", "UN promoters 2025", "--year", "2025",
                 "--budget", "175000.00", "--opens", "2025-01-15", "--closes", "2025-03-31")
    assert result.exit_code == 0, result.output
    assert "call UNP-2025 open from 2025-01-15 with a ceiling of EUR 175000.00" in result.output
    call = session.scalar(select(Call).where(Call.code == "UNP-2025"))
    assert (call.budget_ceiling, call.closes_on) == (Decimal("175000.00"), date(2025, 3, 31))


def test_bad_input_on_the_command_line_is_explained(app, session, unp):
    session.commit()
    base = ["open-call", "UNP", "--title", "t", "--year", "2025", "--opens", "2025-01-15"]
    cases = {
        ("--code", "X", "--budget", "12.345"): "budget_ceiling",
        ("--code", "X", "--budget", "1e999"): "too large",
        ("--code", "X", "--budget", "lots"): "is not an amount",
        ("--code", "UNP-2024", "--budget", "1.00"): "exists already",
    }
    for extra, message in cases.items():
        result = run(app, *base, *extra)
        assert result.exit_code != 0 and message in result.output, (extra, result.output)
    result = run(app, "open-call", "NOPE", "--code", "X", "--title", "t", "--year", "2025", "--budget", "1",
                 "--opens", "15/01/2025")
    assert result.exit_code != 0 and "is not a date" in result.output
    assert session.scalar(select(Call.id).where(Call.code == "X")) is None


def test_export_writes_user_text_as_text_never_as_formulas(app, session, unp, tmp_path):
    hostile = ['=HYPERLINK("http://evil.example","click")', "+32 2 553 11 11", "-5+3", "@SUM(A1:A9)"]
    for index, title in enumerate(hostile):
        application = vvn_application(session, unp.scheme, unp.call, name=f"Org {index}")
        application.title = title
    session.commit()
    out = tmp_path / "applications.xlsx"
    result = run(app, "export-applications", "UNP-2024", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "4 applications of UNP-2024" in result.output
    sheet = load_workbook(out)["Applications"]
    rows = list(sheet.iter_rows(min_row=2))
    titles = {row[4].value: row[4].data_type for row in rows}
    assert titles == {title: "s" for title in hostile}
    asked = rows[0][12]
    assert (asked.value, asked.data_type) == (40000, "n")


def test_export_leaves_interns_out_unless_asked(app, session, ftp, tmp_path):
    intern_application(session, ftp.scheme, full_name="Lotte Vandenbroucke", call=ftp.call)
    session.commit()
    plain, full = tmp_path / "plain.xlsx", tmp_path / "full.xlsx"
    assert run(app, "export-applications", "FTP-2024", "--out", str(plain)).exit_code == 0
    assert run(app, "export-applications", "FTP-2024", "--out", str(full), "--with-personal-data").exit_code == 0

    def cells(path):
        return [c for row in load_workbook(path)["Applications"].iter_rows(values_only=True) for c in row]

    assert "Lotte Vandenbroucke" not in cells(plain) and "FAO" not in cells(plain)
    assert "Lotte Vandenbroucke" in cells(full) and "lotte.v@example.be" in cells(full)
    assert run(app, "export-applications", "NOPE", "--out", str(plain)).exit_code != 0


def test_the_daily_jobs_run_from_the_command_line(app, session, unp):
    session.commit()
    assert '"tranche_reminders": 0' in run(app, "remind").output
    assert '"looked_at": 0' in run(app, "match-ledger").output
