"""Looking at an upload before any reader touches it.

The type is decided by the bytes, not the file name, so a macro workbook renamed
to .xlsx or a legacy .xls renamed to .csv is still recognised. For xlsx archives
every member is inflated once here, counting the bytes actually produced (a zip
can lie about its sizes), checking CRCs (damaged files) and refusing any DTD
(XML entity attacks). The scan also notes whether the data sheet has formulas.
"""
from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePath

from app.messages import numeral, said
from importers.errors import ImportRefused
from importers.limits import RATIO_CHECK_FLOOR, Limits
from importers.readers.xlsx_parts import first_sheet_member

CFB_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_SIGNATURE = b"PK\x03\x04"
CHUNK = 1 << 20
#: a DTD has no business in an OOXML part; refusing it stops entity expansion attacks
DTD_MARKERS = tuple(m for text in ("<!DOCTYPE", "<!ENTITY")
                    for m in (text.encode(), text.encode("utf-16-le"), text.encode("utf-16-be")))
FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")

#: why a file of this name is refused, said when it is
REFUSED_EXTENSIONS = {
    ".xls": lambda: said("Excel 97–2003 workbooks (.xls) are not accepted: open the file in Excel and save it as "
                         ".xlsx."),
    ".xlsm": lambda: said("Macro-enabled workbooks (.xlsm) are refused: save the sheet as a plain .xlsx workbook."),
    ".xltm": lambda: said("Macro-enabled templates are refused: save the sheet as a plain .xlsx workbook."),
    ".xlsb": lambda: said("Binary workbooks (.xlsb) are not accepted: save the file as .xlsx."),
    ".ods": lambda: said("OpenDocument spreadsheets (.ods) are not accepted: save the file as .xlsx or .csv."),
}
ACCEPTED_EXTENSIONS = (".xlsx", ".csv", ".txt")


@dataclass(frozen=True)
class Inspected:
    format: str  # "xlsx" or "csv"
    sheet_member: str | None = None
    has_formulas: bool = False
    encoding: str | None = None


def inspect_upload(path: str, filename: str, limits: Limits) -> Inspected:
    """Decide what the file is, or refuse it with a message a person can act on."""
    extension = PurePath(filename or "").suffix.lower()
    if extension in REFUSED_EXTENSIONS:
        raise ImportRefused("unsupported_format", REFUSED_EXTENSIONS[extension]())
    head = check_size(path, limits)
    if head.startswith(CFB_SIGNATURE):
        raise ImportRefused(*_describe_cfb(path))
    if head.startswith(ZIP_SIGNATURE):
        return _inspect_xlsx(path, limits)
    if extension == ".xlsx":
        raise ImportRefused("corrupt", said("The file is named .xlsx but is not an Excel workbook; it may be "
                                            "damaged."))
    if extension not in ACCEPTED_EXTENSIONS:
        raise ImportRefused("unsupported_format", said("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."))
    from importers.readers.csv_reader import detect_encoding

    return Inspected("csv", encoding=detect_encoding(path))


def check_size(path: str, limits: Limits) -> bytes:
    """Refuse an empty file or one above the upload limit (by its size, before reading it);
    its first bytes, which say what it is."""
    with open(path, "rb") as fh:
        head = fh.read(8)
        fh.seek(0, 2)
        size = fh.tell()
    if size > limits.max_upload_bytes:
        raise ImportRefused("too_large", said("The file is %(size)s bytes; at most %(limit)s are accepted.",
                                              size=numeral(size), limit=numeral(limits.max_upload_bytes)))
    if size == 0:
        raise ImportRefused("empty", said("The file is empty."))
    return head


def _describe_cfb(path: str) -> tuple[str, str]:
    """An OLE compound file is either a legacy .xls or an encrypted (password) workbook."""
    with open(path, "rb") as fh:
        content = fh.read(4 * CHUNK)
    if "EncryptedPackage".encode("utf-16-le") in content or "EncryptionInfo".encode("utf-16-le") in content:
        return ("encrypted", said("The workbook is password-protected. Remove the password in Excel "
                                  "(File › Info › Protect Workbook) and upload it again."))
    return ("unsupported_format", said("This is an Excel 97–2003 workbook (.xls) or another legacy Office file: "
                                       "open it in Excel and save it as .xlsx."))


def _inspect_xlsx(path: str, limits: Limits) -> Inspected:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _check_package(archive, members, limits)
            sheet = first_sheet_member(archive)
            has_formulas = _inflate_and_scan(archive, members, sheet, limits)
    except zipfile.BadZipFile as exc:
        raise ImportRefused("corrupt", said("The workbook is damaged and cannot be read (%(error)s).",
                                            error=str(exc))) from None
    except RuntimeError as exc:  # zipfile: "File ... is encrypted, password required"
        raise ImportRefused("encrypted", said("Part of the workbook is encrypted and cannot be read (%(error)s).",
                                              error=str(exc))) from None
    except (OSError, EOFError, ValueError, KeyError, NotImplementedError, zlib.error) as exc:
        raise ImportRefused("corrupt", said("The workbook is damaged and cannot be read (%(error)s).",
                                            error=type(exc).__name__)) from None
    return Inspected("xlsx", sheet_member=sheet, has_formulas=has_formulas)


def _check_package(archive: zipfile.ZipFile, members, limits: Limits) -> None:
    names = {m.filename for m in members}
    if len(members) > limits.max_zip_members:
        raise ImportRefused("zip_bomb", said("The workbook holds %(parts)s parts; at most %(limit)s are accepted.",
                                             parts=numeral(len(members)), limit=numeral(limits.max_zip_members)))
    if "mimetype" in names and archive.read("mimetype")[:80].startswith(b"application/vnd.oasis.opendocument"):
        raise ImportRefused("unsupported_format", REFUSED_EXTENSIONS[".ods"]())
    if any(n.lower().endswith("vbaproject.bin") or n.lower().startswith("xl/macrosheets/") for n in names):
        raise ImportRefused("macros", said("The workbook contains macros (VBA), even if it is named .xlsx. "
                                           "Save the sheet as a plain .xlsx workbook without macros."))
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise ImportRefused("unsupported_format", said("The archive is not an Excel workbook (.xlsx)."))
    declared = sum(m.file_size for m in members)
    if declared > limits.max_uncompressed_bytes:
        raise ImportRefused("zip_bomb", said("The workbook unpacks to %(size)s bytes; at most %(limit)s are "
                                             "accepted.", size=numeral(declared),
                                             limit=numeral(limits.max_uncompressed_bytes)))
    for m in members:
        _check_ratio(m.filename, m.file_size, m.compress_size, limits)


def _check_ratio(name: str, size: int, compressed: int, limits: Limits) -> None:
    if size > RATIO_CHECK_FLOOR and size > limits.max_compression_ratio * max(compressed, 1):
        raise ImportRefused("zip_bomb", said("The part %(name)s is compressed more than %(ratio)s:1, as zip bombs "
                                             "are; refused.", name=name, ratio=numeral(limits.max_compression_ratio)))


def check_no_dtd(window: bytes) -> None:
    """Refuse a part of the workbook holding an XML document type declaration (``window``:
    a chunk of it with the last 32 bytes of the chunk before)."""
    if any(marker in window for marker in DTD_MARKERS):
        raise ImportRefused("xml_entities", said("The workbook contains an XML document type declaration (a "
                                                 "known attack); refused."))


def _inflate_and_scan(archive: zipfile.ZipFile, members, sheet: str | None, limits: Limits) -> bool:
    """Inflate every part once; True when the data sheet contains formulas."""
    total = 0
    has_formulas = False
    for member in members:
        produced = 0
        tail = b""
        with archive.open(member) as stream:
            while chunk := stream.read(CHUNK):
                produced += len(chunk)
                total += len(chunk)
                if total > limits.max_uncompressed_bytes:
                    raise ImportRefused("zip_bomb", said("The workbook unpacks to more than %(limit)s bytes; "
                                                         "refused.", limit=numeral(limits.max_uncompressed_bytes)))
                window = tail + chunk
                check_no_dtd(window)
                if member.filename == sheet and not has_formulas:
                    has_formulas = FORMULA_TAG.search(window) is not None
                tail = chunk[-32:]
        _check_ratio(member.filename, produced, member.compress_size, limits)
    return has_formulas
