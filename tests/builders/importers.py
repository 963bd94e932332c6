"""Spreadsheets as finance sends them, and hostile or broken files, for import tests.

Every file is generated in the test's temporary folder: nothing binary is checked in.
"""
from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

from openpyxl import Workbook

SPENDING_HEADERS = ["document_number", "posting_date", "activity_code", "amount", "currency", "description",
                    "budget_article", "kind"]
DUTCH_SPENDING_HEADERS = ["Boekstuknummer", "Boekingsdatum", "Projectcode", "Bedrag", "Munt", "Omschrijving",
                          "Begrotingsartikel", "Soort"]


def tradeline_ledger_rows() -> list[list]:
    """Three 2019 ledger lines of the Malawi market-access project (activity MWI-2019-TLC)."""
    return [
        ["B-2019-0101", date(2019, 5, 2), "MWI-2019-TLC", 400000.10, "EUR", "First tranche Tradeline", "QB0-1QAD2MZ",
         "disbursement"],
        ["B-2019-0202", date(2019, 9, 2), "MWI-2019-TLC", 350000.20, "EUR", "Second tranche Tradeline",
         "QB0-1QAD2MZ", "disbursement"],
        ["R-2019-0001", date(2019, 12, 2), "MWI-2019-TLC", 10000.05, "EUR", "Unspent balance returned",
         "QB0-1QAD2MZ", "refund"],
    ]


def workbook(path: Path, headers: list | None, rows: list[list], title_rows: list[list] | None = None,
             notes: bool = False) -> Path:
    """An xlsx with optional title rows above the header (openpyxl: formulas keep no cached value)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Data"
    for title in title_rows or []:
        sheet.append(title)
    if headers is not None:
        sheet.append(headers)
    for row in rows:
        sheet.append(row)
    if notes:
        book.create_sheet("Notes").append(["Exported from the accounting system"])
    book.save(path)
    return path


def spending_workbook(path: Path, rows: list[list] | None = None, headers: list | None = None, **kwargs) -> Path:
    return workbook(path, headers or SPENDING_HEADERS, tradeline_ledger_rows() if rows is None else rows, **kwargs)


def cached_formula_workbook(path: Path) -> Path:
    """A ledger line whose amount is a formula with the value Excel cached (2,000.50), written by
    xlsxwriter the way Excel saves it."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["document_number", "posting_date", "activity_code", "amount", "currency"])
    sheet.write_row(1, 0, ["B-2019-0101", "02/05/2019", "MWI-2019-TLC"])
    sheet.write_formula(1, 3, "=1000*2+0.5", None, 2000.5)
    sheet.write_string(1, 4, "EUR")
    book.close()
    return path


def csv_file(path: Path, rows: list[list], encoding: str = "utf-8", delimiter: str = ",") -> Path:
    """CSV text as Excel writes it: ``encoding`` may be utf-8-sig (BOM), utf-16, cp1252."""
    import csv

    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def rezip(source: Path, target: Path, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None,
           compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", compression) as new:
        for item in old.infolist():
            data = (replace or {}).get(item.filename, old.read(item.filename))
            new.writestr(item.filename, data)
        for name, data in (add or {}).items():
            new.writestr(name, data)
    return target


def macro_workbook_renamed(path: Path, tmp: Path) -> Path:
    """A macro-enabled workbook (.xlsm content: vbaProject.bin) saved under an .xlsx name."""
    plain = spending_workbook(tmp / "plain-for-macro.xlsx")
    types = zipfile.ZipFile(plain).read("[Content_Types].xml").replace(
        b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")
    return rezip(plain, path, replace={"[Content_Types].xml": types},
                  add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"Attribute VB_Name" * 64})


def zip_bomb(path: Path, tmp: Path, inflated_bytes: int = 8 * 1024 * 1024) -> Path:
    """A small xlsx whose shared strings part inflates about a thousand times."""
    plain = spending_workbook(tmp / "plain-for-bomb.xlsx")
    return rezip(plain, path, add={"xl/sharedStrings2.xml": b" " * inflated_bytes})


def xml_entity_workbook(path: Path, tmp: Path) -> Path:
    """A 'billion laughs' entity declaration inside the sheet XML."""
    plain = spending_workbook(tmp / "plain-for-entities.xlsx")
    sheet = zipfile.ZipFile(plain).read("xl/worksheets/sheet1.xml")
    declaration = (b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
                   b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                   b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')
    body = sheet.split(b"?>", 1)[1] if sheet.startswith(b"<?xml") else sheet
    body = body.replace(b"<v>", b"<v>&lol3;", 1) if b"<v>" in body else body
    return rezip(plain, path, replace={"xl/worksheets/sheet1.xml": declaration + body})


def encrypted_workbook(path: Path) -> Path:
    """What Excel writes for a password-protected workbook: an OLE compound file (CFB)
    holding EncryptionInfo and EncryptedPackage streams."""
    header = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00"
    directory = ("Root Entry".encode("utf-16-le") + b"\x00" * 8 + "EncryptionInfo".encode("utf-16-le")
                 + b"\x00" * 4 + "EncryptedPackage".encode("utf-16-le"))
    path.write_bytes(header.ljust(512, b"\x00") + directory.ljust(1536, b"\x00") + bytes(range(256)) * 8)
    return path


def legacy_xls(path: Path) -> Path:
    """An Excel 97–2003 file: the same CFB signature, with a Workbook stream."""
    header = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00"
    path.write_bytes(header.ljust(512, b"\x00") + "Workbook".encode("utf-16-le").ljust(1536, b"\x00"))
    return path


def corrupt_workbook(path: Path, tmp: Path) -> Path:
    """A real workbook cut in half, as an interrupted download leaves it."""
    data = spending_workbook(tmp / "plain-for-corrupt.xlsx").read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def damaged_crc_workbook(path: Path, tmp: Path) -> Path:
    """A workbook whose sheet bytes were altered after zipping (CRC no longer matches)."""
    plain = spending_workbook(tmp / "plain-for-crc.xlsx", )
    data = bytearray(plain.read_bytes())
    with zipfile.ZipFile(plain) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + 10] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


def ods_file(path: Path) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    path.write_bytes(buffer.getvalue())
    return path
