"""The IATI files of the Flemish demo: valid against the official 2.03 schemas, the same money as
the CRS export year by year, and no person in them."""
from __future__ import annotations

from collections import defaultdict

import pytest
from lxml import etree
from sqlalchemy import select

from exports.crs import queries as crs
from exports.iati.queries import personal
from exports.services.iati import build_iati_files
from grants.models import Application, Person
from oda.mandatory import missing_among
from programmes.models import Activity, Organisation, Programme, Transaction
from tests.builders.reference import needs_shared
from tests.builders.iati import SCHEMAS, codelist_folder
from tests.exports.iati.conftest import schema_errors

pytestmark = needs_shared
ORG = "XM-DAC-2-70-"


@pytest.fixture(scope="module")
def files(demo, app, tmp_path_factory):
    from app.db import get_db

    codelists = codelist_folder(tmp_path_factory.mktemp("codelists"))
    before = app.config.get("AIDLEDGER_IATI_CODELIST_DIR")
    app.config["AIDLEDGER_IATI_CODELIST_DIR"] = str(codelists)
    with app.app_context():
        session = get_db(app).Session()
        try:
            yield build_iati_files(session, tmp_path_factory.mktemp("iati"), schema_dir=SCHEMAS)
        finally:
            session.close()
            app.config["AIDLEDGER_IATI_CODELIST_DIR"] = before


def test_both_files_validate_against_the_official_schemas(files):
    assert files.activity_count > 10 and files.transaction_count > 500
    assert schema_errors(files.activities, "activities") == []
    assert schema_errors(files.organisation, "organisations") == []


def test_both_files_pass_the_ruleset_and_the_code_lists_with_zero_errors(files):
    assert files.report.checked == files.activity_count + 1  # the activities and the organisation
    assert files.report.errors == (), [f.as_dict() for f in files.report.errors[:5]]


def test_identifiers_are_unique_and_start_with_the_organisation(files):
    identifiers = etree.parse(str(files.activities)).xpath("//iati-identifier/text()")
    assert len(identifiers) == len(set(identifiers)) == files.activity_count
    assert all(i.startswith(ORG) for i in identifiers)


def _iati_sums(path) -> dict[tuple[str, int, str], int]:
    """{(iati-identifier, year, transaction type): EUR cents}."""
    sums = defaultdict(int)
    for activity in etree.parse(str(path)).iterfind("iati-activity"):
        identifier = activity.findtext("iati-identifier")
        for t in activity.iterfind("transaction"):
            year = int(t.find("transaction-date").get("iso-date")[:4])
            cents = round(float(t.findtext("value")) * 100)
            sums[(identifier, year, t.find("transaction-type").get("code"))] += cents
    return sums


def _personal_codes(session) -> set[str]:
    return set(session.scalars(select(Activity.code).join(Programme, Programme.id == Activity.programme_id)
                               .outerjoin(Organisation, Organisation.id == Activity.organisation_id)
                               .where(personal())))


def test_transactions_add_up_per_activity_and_year_to_the_crs_figures(files, demo_session):
    iati = _iati_sums(files.activities)
    years = sorted({year for (_, year, _) in iati})
    persons = _personal_codes(demo_session)
    compared = 0
    for year in range(min(years), max(years) + 1):
        for r in crs.activity_rows(demo_session, year):
            if r.code in persons or missing_among(crs.MANDATORY(r)):
                continue
            identifier = ORG + r.code
            assert iati.get((identifier, year, "2"), 0) == int(r.oda_c), (r.code, year, "commitments")
            assert iati.get((identifier, year, "3"), 0) == int(r.oda_d) - int(r.oda_r), (r.code, year, "net")
            compared += int(r.oda_c) != 0 or int(r.oda_d) != 0
    assert compared > 30


def test_no_grant_applicant_or_intern_appears_in_either_file(files, demo_session):
    people = demo_session.scalars(select(Person)).all()
    assert len(people) >= 5
    texts = {p.full_name for p in people} | {p.email for p in people if p.email}
    texts |= {a.title for a in demo_session.scalars(select(Application).where(Application.person_id.is_not(None)))
              if a.title}
    written = files.activities.read_bytes() + files.organisation.read_bytes()
    for text in texts:
        assert text.encode() not in written, text
    # nor any single trainee grant: their ledger lines are published only added up
    trainee_documents = demo_session.scalars(select(Transaction.document_number).join(Activity).where(
        Activity.code.like("FTP%"))).all()
    assert trainee_documents and not any(d.encode() in written for d in trainee_documents if len(d) > 6)


def test_the_organisation_file_holds_the_plans_and_the_oda_spent_per_year(files):
    organisation = etree.parse(str(files.organisation)).getroot()[0]
    budgets = {int(b.find("period-start").get("iso-date")[:4]): b.findtext("value")
               for b in organisation.iterfind("total-budget")}
    assert budgets and all(float(v) > 0 for v in budgets.values())
    spent = {int(b.find("period-start").get("iso-date")[:4]): round(float(b.findtext("value")) * 100)
             for b in organisation.iterfind("total-expenditure")}
    by_year = defaultdict(int)
    for (_, year, kind), cents in _iati_sums(files.activities).items():
        if kind == "3":
            by_year[year] += cents
    assert spent == dict(by_year)
    countries = {b.find("recipient-country").get("code") for b in organisation.iterfind("recipient-country-budget")}
    assert {"MW", "MZ", "ZA"} <= countries
