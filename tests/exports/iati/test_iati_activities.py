"""What an activity becomes in the IATI file: codes, a loan's terms, an activity imported with Dutch
headers, hostile text, grants to persons added up, and the organisation identifier setting."""
from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from lxml import etree

from exports.iati.identity import IatiSetupError, file_language, organisation_identifier
from exports.services.iati import build_iati_files
from oda.services.classify import classify
from programmes.services.activities import create_activity
from programmes.services.programmes import create_programme
from tests.builders.exports import classified_portfolio, pay
from tests.builders.importers import workbook
from tests.builders.programmes import irrigation_soft_loan
from tests.builders.reference import needs_shared
from tests.exports.iati.conftest import schema_errors

pytestmark = needs_shared
ORG = "XM-DAC-2-70-"


def _activity(path, code: str):
    found = etree.parse(str(path)).xpath(f"//iati-activity[iati-identifier='{ORG}{code}']")
    return found[0] if found else None


def _build(session, tmp_path, **kwargs):
    files = build_iati_files(session, tmp_path, schema_dir=None, **kwargs)
    assert schema_errors(files.activities, "activities") == []
    assert schema_errors(files.organisation, "organisations") == []
    return files


def test_a_partly_oda_activity_publishes_its_oda_share_with_its_codes(session, tmp_path):
    classified_portfolio(session)
    files = _build(session, tmp_path)
    unesco = _activity(files.activities, "UNESCO-CORE")
    assert unesco.xpath("transaction/value/text()") == ["92000.00"]  # 60 % of 153,333.33 (coefficient)
    assert unesco.find("collaboration-type").get("code") == "2"
    assert unesco.find("recipient-region").attrib == {"code": "998", "vocabulary": "1", "percentage": "100"}
    implementing = unesco.find("participating-org[@role='4']")
    assert (implementing.get("ref"), implementing.get("type"), implementing.get("crs-channel-code")) == (
        "XM-DAC-41304", "40", "41304")
    tradeline = _activity(files.activities, "MWI-2023-TLC")
    assert tradeline.find("recipient-country").get("code") == "MW"
    assert tradeline.find("sector").attrib == {"vocabulary": "1", "code": "31120", "percentage": "100"}
    assert {(m.get("code"), m.get("significance")) for m in tradeline.iterfind("policy-marker")} == {
        ("1", "1"), ("7", "1")}
    assert tradeline.xpath("transaction[transaction-type/@code='3']/value/text()") == [
        "400000.10", "350000.20", "-10000.05"]  # the refund is a negative disbursement
    assert tradeline.find("related-activity").attrib == {"ref": ORG + "MWI-CSP3", "type": "1"}
    # not ODA (Chile left the DAC list; a trainee in the donor's interest) or still in review: not published
    for code in ("CHL-2024-HERITAGE", "FTP-2024-UNESCO", "MWI-2024-NR"):
        assert _activity(files.activities, code) is None, code


def test_a_loan_carries_its_terms_in_crs_add(session, tmp_path):
    portfolio = classified_portfolio(session, classify_now=False)
    loan = irrigation_soft_loan(session, portfolio["programmes"]["mwi"], channel_code="12000")
    pay(session, loan, date(2024, 4, 2), "500000.00", "B-2024-LOAN")
    classify(session, everything=True)
    files = _build(session, tmp_path)
    terms = _activity(files.activities, "MWI-2024-IRR-LOAN").find("crs-add/loan-terms")
    assert terms is not None
    assert (terms.get("rate-1"), terms.get("rate-2")) == ("0.75", None)
    assert terms.find("repayment-type").get("code") == "2"  # annuity
    assert terms.find("repayment-plan").get("code") == "2"  # semi-annual
    assert terms.find("commitment-date").get("iso-date") == "2024-03-01"
    assert terms.find("repayment-first-date").get("iso-date") == "2034-03-01"
    assert terms.find("repayment-final-date").get("iso-date") == "2054-03-01"
    assert loan.finance_type == "421"


HEADERS = ["Activiteitscode", "Titel", "Programmacode", "Uitvoerende organisatie", "Ontvanger", "Sectorcode",
           "Hulptype", "Kanaalcode", "Begindatum", "Einddatum", "Gender", "Vastleggingsdatum", "Vastgelegd bedrag"]


def test_an_activity_imported_with_dutch_headers_appears_with_its_codes(session, tmp_path):
    from importers.services import import_file

    classified_portfolio(session, classify_now=False)
    row = ["MOZ-2024-ICRH", "Seksuele en reproductieve gezondheid van adolescenten in Tete", "MOZ-CSP4",
           "ICRH-Mozambique", 259, 13030, "C01", 23000, "01/03/2024", "31/12/2027", 2, "15/02/2024", "250.000,00"]
    batch = import_file(session, "activities", str(workbook(tmp_path / "activiteiten.xlsx", HEADERS, [row])),
                        "activiteiten.xlsx", uploaded_by="finance@vlaanderen.test")
    assert batch.status == "imported"
    classify(session, everything=True)
    activity = _activity(_build(session, tmp_path).activities, "MOZ-2024-ICRH")
    assert activity.findtext("title/narrative") == "Seksuele en reproductieve gezondheid van adolescenten in Tete"
    assert activity.find("recipient-country").get("code") == "MZ"
    assert activity.find("sector").get("code") == "13030"
    assert activity.find("default-aid-type").get("code") == "C01"
    assert activity.find("participating-org[@role='4']").get("crs-channel-code") == "23000"
    assert activity.find("policy-marker[@code='1']").get("significance") == "2"
    assert [(d.get("type"), d.get("iso-date")) for d in activity.iterfind("activity-date")][:2] == [
        ("1", "2024-03-01"), ("3", "2027-12-31")]
    assert activity.xpath("transaction[transaction-type/@code='2']/value/text()") == ["250000.00"]


def test_hostile_text_is_written_as_plain_text(session, tmp_path):
    portfolio = classified_portfolio(session, classify_now=False)
    from programmes.services.activities import update_activity

    update_activity(session, portfolio["activities"]["tradeline"],
                    title='<script>alert("x")</script> =cmd|\' /C calc\'!A0 \x01\x0bbell\x07',
                    description="@SUM(A1:A9) & <b>bold</b> \ufffe end")
    classify(session, everything=True)
    files = _build(session, tmp_path)
    raw = files.activities.read_bytes()
    assert b"<script>" not in raw and b"&lt;script&gt;" in raw
    activity = _activity(files.activities, "MWI-2023-TLC")
    assert activity.findtext("title/narrative") == '<script>alert("x")</script> =cmd|\' /C calc\'!A0 bell'
    assert activity.findtext("description/narrative") == "@SUM(A1:A9) & <b>bold</b>  end"
    hostile = _activity(files.activities, "MOZ-2023-SRHR")
    assert hostile.findtext("title/narrative") == '=HYPERLINK("http://x","y")'


def test_grants_to_persons_are_published_added_up_without_the_person(session, tmp_path):
    classified_portfolio(session, classify_now=False)
    scheme = create_programme(session, code="UNP", name="UN promoters", kind="grant_scheme", start_year=2023,
                              end_year=2025, policy_area="development_cooperation")
    grants = []
    people = (("An De Smet", "4000.00", "22000"), ("Bram Wouters", "2500.00", "22000"),
              ("Chloë Peeters", "1200.00", "51000"))
    for number, (name, amount, channel) in enumerate(people, 1):
        grant = create_activity(session, code=f"UNP-2024-{number:03d}", title=f"Study grant of {name}",
                                description=f"{name}, Gent", programme_id=scheme.id, recipient_code="998",
                                purpose_code="99820", aid_type="H01", channel_code=channel, bi_multi="1",
                                main_objective="development_awareness", start_date=date(2024, 2, 1),
                                end_date=date(2024, 6, 30))
        pay(session, grant, date(2024, 2, 1), amount, f"C-UNP-{number}", "commitment")
        pay(session, grant, date(2024, 3, 1), amount, f"B-UNP-{number}")
        grants.append(grant)
    classify(session, everything=True)
    files = _build(session, tmp_path)
    raw = files.activities.read_bytes() + files.organisation.read_bytes()
    for text in ("An De Smet", "Bram Wouters", "Chloë Peeters", "UNP-2024-001", "UNP-2024-002", "UNP-2024-003",
                 "Gent"):
        assert text.encode() not in raw, text
    added_up = _activity(files.activities, "UNP-PERSONS-998-99820-H01")
    assert added_up is not None and added_up.find("participating-org[@role='4']") is None
    assert added_up.xpath("transaction[transaction-type/@code='3']/value/text()") == ["6500.00"]
    assert added_up.xpath("title/narrative/@xml:lang") == ["en", "nl"]
    other_channel = _activity(files.activities, "UNP-PERSONS-998-99820-H01-2")  # the same codes, another channel
    assert other_channel.xpath("transaction[transaction-type/@code='3']/value/text()") == ["1200.00"]


def test_the_programme_is_the_parent_with_its_plans_as_yearly_budgets(session, tmp_path):
    from programmes.services.programmes import set_budget_line

    portfolio = classified_portfolio(session)
    mwi = portfolio["programmes"]["mwi"]
    for year in (2022, 2023):
        set_budget_line(session, mwi, year, Decimal("5000000.00"))
    files = _build(session, tmp_path, programme_codes=["MWI-CSP3"])
    parent = _activity(files.activities, "MWI-CSP3")
    assert parent.get("hierarchy") == "1"
    assert parent.find("recipient-country").get("code") == "MW"
    budgets = [(b.find("period-start").get("iso-date"), b.find("period-end").get("iso-date"), b.findtext("value"),
                b.find("value").get("value-date")) for b in parent.iterfind("budget")]
    assert budgets == [("2022-01-01", "2022-12-31", "5000000.00", "2022-01-01"),
                       ("2023-01-01", "2023-12-31", "5000000.00", "2023-01-01")]
    identifiers = etree.parse(str(files.activities)).xpath("//iati-identifier/text()")
    assert identifiers == [ORG + "MWI-2023-TLC", ORG + "MWI-CSP3"]  # only the chosen programme
    organisation = etree.parse(str(files.organisation)).getroot()[0]
    assert organisation.xpath("total-budget/value/text()") == ["5000000.00", "5000000.00"]


@pytest.mark.parametrize("value", ["XM DAC 2 70", "XM-DAC-2/70", "xm-dac-2-70", "GB", "XM-DAC-2-70?"])
def test_a_wrong_organisation_identifier_is_refused_with_its_reason(value):
    with pytest.raises(IatiSetupError, match="AIDLEDGER_IATI_ORGANISATION_ID"):
        organisation_identifier({"AIDLEDGER_IATI_ORGANISATION_ID": value})


def test_the_organisation_identifier_defaults_to_the_dac_donor_and_agency():
    assert organisation_identifier({"AIDLEDGER_DONOR_CODE": "2", "AIDLEDGER_AGENCY_CODE": "70"}) == "XM-DAC-2-70"
    assert organisation_identifier({"AIDLEDGER_IATI_ORGANISATION_ID": "BE-BCE_KBO-0316381039"}) == (
        "BE-BCE_KBO-0316381039")


def test_lines_dated_after_the_file_wait_for_a_later_file(session, tmp_path):
    classified_portfolio(session)
    files = _build(session, tmp_path, now=datetime(2024, 6, 30, 12, tzinfo=timezone.utc))
    tradeline = _activity(files.activities, "MWI-2023-TLC")
    assert tradeline.xpath("transaction/transaction-date/@iso-date") == ["2023-03-01", "2023-05-02"]
    assert tradeline.find("activity-status").get("code") == "2"
    assert _activity(files.activities, "CERF-CORE") is not None


def test_a_programme_without_partner_country_lists_its_activities_places_and_sectors(session, tmp_path):
    portfolio = classified_portfolio(session)
    from programmes.services.programmes import update_programme

    update_programme(session, portfolio["programmes"]["moz"], focus_sectors=["121", "122", "13020"])
    files = _build(session, tmp_path)
    multi = _activity(files.activities, "MULTI")
    assert [(r.tag, r.get("code"), r.get("percentage")) for r in multi.xpath("recipient-country|recipient-region")
            ] == [("recipient-region", "998", "100")]
    moz = _activity(files.activities, "MOZ-CSP4")
    assert [(s.get("vocabulary"), s.get("code"), s.get("percentage")) for s in moz.iterfind("sector")] == [
        ("2", "121", "50.00"), ("2", "122", "50.00"), ("1", "13020", "100")]


def test_the_application_does_not_start_with_a_wrong_organisation_identifier(database_url):
    from app import create_app

    with pytest.raises(IatiSetupError, match="'XM-DAC 2-70' is not an IATI organisation identifier"):
        create_app({"DATABASE_URL": database_url, "TESTING": True, "AIDLEDGER_IATI_ORGANISATION_ID": "XM-DAC 2-70"})


def test_the_file_language_is_a_language_code():
    assert file_language({}) == "en" and file_language({"AIDLEDGER_IATI_LANGUAGE": "nl"}) == "nl"
    with pytest.raises(IatiSetupError, match="AIDLEDGER_IATI_LANGUAGE='Dutch' is not a language code"):
        file_language({"AIDLEDGER_IATI_LANGUAGE": "Dutch"})
