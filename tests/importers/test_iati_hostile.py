"""Hostile, broken or wrong XML files are refused with a clear message, and nothing is stored."""
import os

import pytest

from importers.limits import Limits
from tests.builders import iati_partner as build
from tests.importers.conftest import database_counts


def _refused(session, run_import, path, **options):
    before = database_counts(session)
    batch = run_import("iati", path, options={"programme": "MOZ-CSP4"}, **options)
    after = database_counts(session)
    assert batch.status == "refused", batch.message
    assert "Traceback" not in batch.message and "root:" not in batch.message
    assert {k: after[k] for k in ("transactions", "events", "rows")} == {
        k: before[k] for k in ("transactions", "events", "rows")}
    return batch


@pytest.mark.parametrize("make, code, words", [
    (lambda p: build.xxe_file(p / "xxe.xml"), "xml_entities", "document type declaration"),
    (lambda p: build.billion_laughs(p / "lol.xml"), "xml_entities", "document type declaration"),
    (lambda p: build.doctype_in_utf16(p / "utf16.xml"), "xml_entities", "document type declaration"),
    (lambda p: build.xlsx_named_xml(p / "activities.xml", p), "not_xml", "not an IATI XML file"),
    (lambda p: build.zip_named_xml(p / "activities.xml"), "not_xml", "not an IATI XML file"),
    (lambda p: build.organisation_file(p / "enabel-org.xml"), "iati_organisations", "IATI organisation file"),
])
def test_hostile_and_wrong_files_are_refused(session, files, run_import, make, code, words):
    batch = _refused(session, run_import, make(files))
    assert batch.error_code == code
    assert words in batch.message


def test_the_passwd_file_is_never_read(session, files, run_import):
    batch = _refused(session, run_import, build.xxe_file(files / "xxe.xml"))
    assert "root:" not in (batch.message or "")


@pytest.mark.parametrize("content, code, words", [
    (b"", "empty", "The file is empty."),
    (b"document_number;posting_date\n1;2024-01-01\n", "corrupt_xml", "not well-formed XML (line 1)"),
    (b"<iati-activities version='2.03'><iati-activity>", "corrupt_xml", "not well-formed XML"),
    (b"<html><body>Not found</body></html>", "not_iati", "root element is <html>"),
    (b"<iati-activities version='1.05'/>", "iati_version", "IATI version 1.05 is not read"),
    (b"<iati-activities version='2.03'/>", "empty", "holds no iati-activity"),
])
def test_broken_or_empty_files_are_refused(session, files, run_import, content, code, words):
    path = files / "partner.xml"
    path.write_bytes(content)
    batch = _refused(session, run_import, path)
    assert batch.error_code == code
    assert words in batch.message


def test_a_file_claiming_two_gigabytes_is_refused_before_it_is_read(session, files, run_import):
    path = files / "huge.xml"
    with open(path, "wb") as fh:
        fh.truncate(2 * 1024 ** 3)  # sparse: no disk is used
    try:
        batch = _refused(session, run_import, path)
    finally:
        os.unlink(path)
    assert batch.error_code == "too_large"
    assert "2,147,483,648 bytes" in batch.message


def test_more_activities_than_the_row_limit_are_refused(session, files, run_import):
    path = build.iati_file(files / "many.xml", *(build.enabel_activity(identifier=f"{build.ENABEL}-MOZ{n}")
                                                  for n in range(3)))
    batch = _refused(session, run_import, path, limits=Limits(max_rows=2))
    assert batch.error_code == "too_many_rows"
