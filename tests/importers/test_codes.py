"""CRS code checks: ODA's official lists when loaded, the curated subset otherwise."""
from datetime import date

import importers.codes as codes
from tests.builders.importers import workbook
from tests.importers.conftest import rows_of


def test_without_reference_data_the_curated_subset_answers(session):
    lookup = codes.CodeLookup(session, 2024)
    if lookup.official:  # the ODA package has loaded its reference data in this database
        return
    assert lookup.status("purpose_code", "31120") == codes.ACTIVE
    assert lookup.status("purpose_code", "74010") == codes.WITHDRAWN
    assert lookup.status("aid_type", "Z99") == codes.UNKNOWN
    assert "curated CRS code list" in codes.code_warning("aid_type", "Z99", codes.UNKNOWN, False)


def test_the_official_lists_are_used_when_oda_has_loaded_them(session, tradeline, files, run_import, monkeypatch):
    asked = []

    def official(_session, list_name, code, year):
        asked.append((list_name, code, year))
        return {"C01": "valid", "99999": "withdrawn"}.get(code, "unknown")

    monkeypatch.setattr(codes, "_official_lookup", lambda session: official)
    headers = ["activity_code", "title", "programme_code", "aid_type", "purpose_code", "channel_code",
               "commitment_date"]
    row = ["MWI-2024-OFF", "Checked against the official lists", "MWI-CSP3", "C01", 99999, 12345,
           date(2022, 5, 1)]
    batch = run_import("activities", workbook(files / "a.xlsx", headers, [row]))

    assert batch.status == "imported"
    assert sorted(asked) == [("aid_type", "C01", 2022), ("channel", "12345", 2022),
                             ("purpose_code", "99999", 2022)]
    [result] = rows_of(session, batch)
    reasons = {f["column"]: f["reason"] for f in result.findings}
    assert reasons["purpose_code"].startswith("purpose_code 99999 is withdrawn")
    assert "not in the official CRS code list" in reasons["channel_code"]
