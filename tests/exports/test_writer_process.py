"""The workbook written by a second process: the same file as written in place, and a
writer that fails or dies is an error in the exporting process, never a hang or a
half file passed off as complete."""
import os
import signal
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from exports.crs.workbook import build_crs_workbook
from exports.services.crs import crs_context, prepare_crs
from exports.writer_process import WriterFailed, WriterProcess
from exports.xlsx import DATE, INT, MONEY, TEXT, Column, Workbook
from programmes.models import Activity
from tests.builders.exports import HOSTILE_TITLE
from tests.exports.conftest import read_sheets


COLUMNS = (Column("ProjectNumber", TEXT, 16), Column("Title", TEXT), Column("Amount", MONEY),
           Column("Recipient", INT), Column("Date", DATE))
ROWS = [("MWI-2023-TLC", "Market access for smallholder farmers", Decimal("340000.15"), 253, date(2024, 3, 1)),
        ("MOZ-2023-SRHR", HOSTILE_TITLE, 1250000.5, 259, None),
        ("CERF-CORE", "Core contribution\r\nto CERF\x00", -600000, None, date(2024, 1, 15))]


def _write(book) -> None:
    sheet = book.sheet("CRS", COLUMNS)
    for row in ROWS * 700:
        sheet.append(row)
    sheet.finish_table()
    summary = book.sheet("Summary", (), False)
    summary.append_label("Total disbursed", Decimal("990000.65"))
    summary.skip()
    summary.append_typed(("Malawi", 253, Decimal("340000.15")), (TEXT, INT, MONEY), header=True)
    summary.set_column(0, 0, 48)
    book.close()


def test_the_writer_process_writes_the_same_workbook_as_writing_in_place(tmp_path):
    _write(Workbook(str(tmp_path / "in-place.xlsx")))
    _write(WriterProcess(str(tmp_path / "process.xlsx")))
    in_place, by_process = read_sheets(tmp_path / "in-place.xlsx"), read_sheets(tmp_path / "process.xlsx")
    assert by_process == in_place
    assert len(by_process["CRS"]) == 1 + 3 * 700, "more rows than one batch of calls"
    assert by_process["CRS"][2][1] == HOSTILE_TITLE and by_process["Summary"][0][:2] == ("Total disbursed", 990000.65)


def test_an_error_in_the_writer_is_raised_with_its_reason(tmp_path):
    book = WriterProcess(str(tmp_path / "broken.xlsx"))
    sheet = book.sheet("Summary", (), False)
    sheet.append_typed(("Malawi",), ("no such kind",))
    with pytest.raises(WriterFailed, match="KeyError"):
        book.close()
    with pytest.raises(WriterFailed):
        sheet.append_label("after the failure")


def test_a_writer_killed_half_way_is_an_error_not_a_hang(tmp_path):
    book = WriterProcess(str(tmp_path / "killed.xlsx"))
    sheet = book.sheet("CRS", COLUMNS)
    sheet.append(ROWS[0])
    os.kill(book._process.pid, signal.SIGKILL)
    book._process.wait()
    with pytest.raises(WriterFailed, match="exit code -9"):
        for _ in range(100_000):  # fills the pipe: the send fails as soon as nobody reads
            sheet.append(ROWS[0])
        book.close()


def test_the_crs_workbook_is_the_same_written_in_place_or_by_the_writer_process(session, portfolio, tmp_path):
    ids = prepare_crs(session, 2024)
    ctx = crs_context(session, 2024, final=False, generated_by="oda.officer@vlaanderen.test", donor_code="2",
                      agency_code="70")
    sheets = {}
    for separate in (False, True):
        path = tmp_path / f"crs-{separate}.xlsx"
        build_crs_workbook(session, ctx, str(path), ids, writer_process=separate)
        sheets[separate] = read_sheets(path)
    assert sheets[True] == sheets[False]
    assert len(sheets[True]["CRS"]) > 1
    # the exporting process's database connection still works after the fork
    assert session.scalar(select(Activity.code).where(Activity.code == "CERF-CORE")) == "CERF-CORE"


def test_a_failure_of_the_export_keeps_its_own_error_and_leaves_no_file(session, portfolio, tmp_path):
    ids = prepare_crs(session, 2024)
    ctx = crs_context(session, 2024, final=False, generated_by="oda.officer@vlaanderen.test", donor_code="2",
                      agency_code="70")

    def progress(_fraction, stage):
        if stage == "CRS":
            raise RuntimeError("the database went away")

    path = tmp_path / "crs-2024.xlsx"
    with pytest.raises(RuntimeError, match="the database went away"):
        build_crs_workbook(session, ctx, str(path), ids, progress, writer_process=True)
    assert not path.exists(), "the writer was stopped, not asked to finish the file"


def test_the_writer_stops_when_the_exporting_process_dies(tmp_path):
    script = (f"import os, sys; sys.path.insert(0, {os.getcwd()!r}); "
              "from exports.writer_process import WriterProcess; "
              f"book = WriterProcess({str(tmp_path / 'orphan.xlsx')!r}); book.sheet('CRS', ()); book._flush(); "
              "print(book._process.pid, flush=True); os._exit(3)")  # no close(), no clean-up
    died = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert died.returncode == 3, died.stderr
    writer = int(died.stdout.split()[0])
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and _running(writer):
        time.sleep(0.05)
    assert not _running(writer), "an orphaned writer keeps waiting for rows"
    assert not (tmp_path / "orphan.xlsx").exists()


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[-1][0] != "Z"
    except FileNotFoundError:
        return False
