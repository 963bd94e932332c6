"""One story per scheme: applications taken through the workflow with the real services."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from grants.services.allowances import add_months
from grants.services.applications import create_application
from grants.services.assess import record_assessment, start_assessment
from grants.services.calls import close_call, open_call
from grants.services.changes import withdraw
from grants.services.close import close
from grants.services.commit import create_commitment
from grants.services.decide import approve, reject
from grants.services.organisations import organisation_named
from grants.services.payments import record_payment
from grants.services.reports import add_interim_report, receive_report, request_final_report
from grants.services.schedule import schedule_tranche
from grants.services.submit import submit
from programmes.services.activities import get_activity_by_code

D = Decimal


def _call(ctx, scheme, code, title, year, ceiling, opens, closes):
    ctx.counts["calls"] += 1
    return open_call(ctx.session, scheme, code, title, year, D(ceiling), opens, closes)


def _org(ctx, name, kind="ngo", short=None, channel=None, country="BEL"):
    return organisation_named(ctx.session, name, kind, short_name=short, country=country, channel_code=channel)


def _new(ctx, scheme, **fields):
    ctx.counts["applications"] += 1
    return create_application(ctx.session, scheme, **fields)


def _assess(ctx, application, recommendation="approve", amount=None, objective=None, comment=None, scores=None):
    scheme = application.scheme
    checklist = {item["code"]: True for item in scheme.checklist}
    points = scores or {c["code"]: c["max_score"] - 2 for c in scheme.criteria}
    record_assessment(ctx.session, application, ctx.assessor, checklist, points, recommendation,
                      recommended_amount=D(amount) if amount else None, main_objective=objective, comment=comment)


def _decided(ctx, application, submitted_on, amount=None, objective=None):
    """Submitted on a day, assessed (if the scheme wants it) and approved."""
    submit(ctx.session, application, today=submitted_on)
    if application.scheme.requires_assessment:
        start_assessment(ctx.session, application)
        _assess(ctx, application, amount=amount, objective=objective)
    approve(ctx.session, application, ctx.approver, D(amount) if amount else application.amount_requested,
            main_objective=objective)


def _pay(ctx, application, tranche, paid_on, document):
    ctx.counts["payments"] += 1
    record_payment(ctx.session, application, tranche, paid_on, tranche.amount, document, today=ctx.today)


def un_promoters(ctx, scheme):
    y = ctx.year
    previous = _call(ctx, scheme, f"UNP-{y - 1}", f"UN promoters {y - 1}", y - 1, "150000.00",
                     date(y - 1, 1, 15), date(y - 1, 3, 31))
    vvn = _org(ctx, "Vereniging voor de Verenigde Naties", short="VVN", channel="22000")
    past = _new(ctx, scheme, call=previous, organisation_id=vvn.id, amount_requested=D("30000.00"),
                title="UN in the classroom: teaching packs on the SDGs", start_date=date(y - 1, 4, 1),
                end_date=date(y - 1, 11, 30))
    _decided(ctx, past, date(y - 1, 2, 1))
    create_commitment(ctx.session, past, commitment_date=date(y - 1, 4, 1), today=ctx.today)
    first = schedule_tranche(ctx.session, past, date(y - 1, 4, 15), D("24000.00"))
    last = schedule_tranche(ctx.session, past, date(y - 1, 12, 15), D("6000.00"), "final_report_received")
    _pay(ctx, past, first, date(y - 1, 4, 20), f"BK{y - 1}-04117")
    report = request_final_report(ctx.session, past, date(y - 1, 12, 31), today=ctx.today)
    receive_report(ctx.session, past, report, date(y - 1, 12, 10), today=ctx.today)
    _pay(ctx, past, last, date(y - 1, 12, 20), f"BK{y - 1}-12093")
    close(ctx.session, past, when=date(y - 1, 12, 31), today=ctx.today)
    close_call(ctx.session, previous)

    opens = ctx.day(-120)
    current = _call(ctx, scheme, f"UNP-{opens.year}", f"UN promoters {opens.year}", opens.year, "150000.00",
                    opens, ctx.day(60))
    campaign = _new(ctx, scheme, call=current, organisation_id=vvn.id, amount_requested=D("40000.00"),
                    title="SDG school campaign in Flanders", start_date=ctx.day(-60), end_date=ctx.day(-5))
    _decided(ctx, campaign, ctx.day(-100))
    create_commitment(ctx.session, campaign, commitment_date=ctx.day(-60), today=ctx.today)
    advance = schedule_tranche(ctx.session, campaign, ctx.day(-50), D("32000.00"))
    schedule_tranche(ctx.session, campaign, ctx.day(40), D("8000.00"), "final_report_received")
    _pay(ctx, campaign, advance, ctx.day(-45), f"BK{ctx.day(-45).year}-{ctx.day(-45).strftime('%m')}211")
    request_final_report(ctx.session, campaign, ctx.day(10), today=ctx.today)

    youth = _org(ctx, "Jeugd voor de VN vzw")
    model_un = _new(ctx, scheme, call=current, organisation_id=youth.id, amount_requested=D("15000.00"),
                    title="Model United Nations Flanders")
    _decided(ctx, model_un, ctx.day(-90), amount="12000.00", objective="donor_interest")

    festival = _new(ctx, scheme, call=current, organisation_id=_org(ctx, "VN-dag Gent vzw").id,
                    amount_requested=D("18500.00"), title="UN Day festival in Ghent")
    submit(ctx.session, festival, today=ctx.day(-30))
    start_assessment(ctx.session, festival)
    _assess(ctx, festival, amount="15000.00", comment="Good reach; budget for catering too high.")

    podcast = _new(ctx, scheme, call=current, organisation_id=_org(ctx, "Multilateral Matters vzw").id,
                   amount_requested=D("9800.00"), title="Podcast series on multilateral cooperation")
    submit(ctx.session, podcast, today=ctx.day(-10))
    _new(ctx, scheme, call=current, organisation_id=_org(ctx, "Vredesmuseum vzw").id,
         amount_requested=D("25000.00"), title="Exhibition: 80 years of the United Nations")
    trip = _new(ctx, scheme, call=current, organisation_id=_org(ctx, "Studentenkring Internationale Politiek").id,
                amount_requested=D("7000.00"), title="Study trip to the UN headquarters in New York")
    submit(ctx.session, trip, today=ctx.day(-80))
    start_assessment(ctx.session, trip)
    _assess(ctx, trip, recommendation="reject")
    reject(ctx.session, trip, ctx.approver, "Travel of a small group: no reach of the public in Flanders.")


def _intern(ctx, scheme, call, name, email, host, destination, start, months):
    """An intern's application for whole months (fictional people)."""
    end = add_months(start, months) - timedelta(days=1)
    return _new(ctx, scheme, call=call, person={"full_name": name, "email": email}, host_organisation=host,
                destination=destination, start_date=start, end_date=end)


def trainees(ctx, scheme):
    opens = ctx.day(-200)
    call = _call(ctx, scheme, f"FTP-{opens.year}", f"Flanders Trainee Programme {opens.year}", opens.year,
                 "400000.00", opens, ctx.day(90))
    lotte = _intern(ctx, scheme, call, "Lotte Peeters", "lotte.peeters@example.be", "FAO", "Rome", ctx.day(-140), 4)
    _decided(ctx, lotte, ctx.day(-190))
    create_commitment(ctx.session, lotte, commitment_date=ctx.day(-150), today=ctx.today)
    first = schedule_tranche(ctx.session, lotte, ctx.day(-145), D("3500.00"))
    schedule_tranche(ctx.session, lotte, ctx.day(5), lotte.approved_amount - D("3500.00"), "final_report_received")
    _pay(ctx, lotte, first, ctx.day(-142), f"FTP{ctx.day(-142).year}-0017")
    request_final_report(ctx.session, lotte, ctx.day(-5), today=ctx.today)

    jonas = _intern(ctx, scheme, call, "Jonas Maes", "jonas.maes@example.be", "UNDP", "Maputo", ctx.day(30), 6)
    _decided(ctx, jonas, ctx.day(-20))
    sara = _intern(ctx, scheme, call, "Sara El Amrani", "sara.elamrani@example.be", "UNESCO", "Paris",
                   ctx.day(60), 3)
    submit(ctx.session, sara, today=ctx.day(-3))
    start_assessment(ctx.session, sara)
    _intern(ctx, scheme, call, "Pieter Janssens", "pieter.janssens@example.be", "UNICEF", "New York",
            ctx.day(90), 5)
    emma = _intern(ctx, scheme, call, "Emma Claes", "emma.claes@example.be", "WFP", "Rome", ctx.day(20), 2)
    _decided(ctx, emma, ctx.day(-40))
    withdraw(ctx.session, emma, "The applicant accepted a paid position.", today=ctx.today)


def _quick_grant(ctx, scheme, org, title, amount, recipient, day, report_due, received, closed_on):
    """A humanitarian grant: decided, committed and paid on the same day."""
    application = _new(ctx, scheme, organisation_id=org.id, amount_requested=D(amount), title=title,
                       recipient_code=recipient, start_date=day)
    _decided(ctx, application, day)
    create_commitment(ctx.session, application, commitment_date=day, today=ctx.today)
    tranche = schedule_tranche(ctx.session, application, day, D(amount))
    _pay(ctx, application, tranche, day, f"HUM{day.year}-{day.strftime('%m%d')}")
    report = request_final_report(ctx.session, application, report_due, today=ctx.today)
    if received:
        receive_report(ctx.session, application, report, received, today=ctx.today)
    if closed_on:
        close(ctx.session, application, when=closed_on, today=ctx.today)
    return application


def _booked(ctx, activity_code: str) -> bool:
    """The programme demo may have booked the same grant in the ledger already."""
    return get_activity_by_code(ctx.session, activity_code) is not None


def humanitarian(ctx, scheme):
    red_cross = _org(ctx, "Rode Kruis-Vlaanderen", short="Red Cross Flanders", channel="22000")
    pooled = _org(ctx, "UN pooled funds (Malawi HERF, One UN Mozambique)", "multilateral", "UN pooled funds",
                  "41503", None)
    _quick_grant(ctx, scheme, pooled, "Emergency aid after the 2015 floods in Malawi and Mozambique", "329000.00",
                 "1029", date(2015, 1, 27), date(2015, 7, 31), date(2015, 7, 20), date(2015, 8, 1))
    if not _booked(ctx, "HUM-2019-IDAI"):
        _quick_grant(ctx, scheme, red_cross, "Emergency aid after cyclone Idai (Mozambique and Malawi)",
                     "250000.00", "1029", date(2019, 3, 23), date(2019, 9, 30), date(2019, 9, 20), date(2019, 10, 1))
    if not _booked(ctx, "HUM-2023-FREDDY"):
        _quick_grant(ctx, scheme, red_cross, "Emergency aid after storm Freddy (Malawi)", "200000.00", "253",
                     date(2023, 3, 24), date(2023, 9, 30), date(2023, 10, 15), date(2023, 11, 1))
    prepared = _new(ctx, scheme, organisation_id=red_cross.id, amount_requested=D("150000.00"),
                    title="Flood preparedness in the Shire valley (Malawi)", recipient_code="253",
                    start_date=ctx.day(-30), end_date=ctx.day(335))
    _decided(ctx, prepared, ctx.day(-35))
    create_commitment(ctx.session, prepared, commitment_date=ctx.day(-30), today=ctx.today)
    first = schedule_tranche(ctx.session, prepared, ctx.day(-28), D("100000.00"))
    schedule_tranche(ctx.session, prepared, ctx.day(60), D("50000.00"), "interim_report_received")
    add_interim_report(ctx.session, prepared, ctx.day(30))
    _pay(ctx, prepared, first, ctx.day(-25), f"HUM{ctx.day(-25).year}-0042")


def multilateral(ctx, scheme):
    y = ctx.year
    cerf = _org(ctx, "UN Central Emergency Response Fund", "multilateral", "CERF", "41147", None)
    core = {"aid_type": "B02", "bi_multi": "2", "recipient_code": "998", "purpose_code": "72010",
            "main_objective": "humanitarian"}
    if not _booked(ctx, "MULTI-CERF"):  # the programme demo books CERF's earlier years itself
        last_year = _new(ctx, scheme, organisation_id=cerf.id, amount_requested=D("600000.00"),
                         title=f"Core contribution to CERF {y - 1}", crs_overrides=core,
                         start_date=date(y - 1, 1, 1), end_date=date(y - 1, 12, 31))
        _decided(ctx, last_year, date(y - 1, 2, 1))
        create_commitment(ctx.session, last_year, commitment_date=date(y - 1, 2, 1), today=ctx.today)
        tranche = schedule_tranche(ctx.session, last_year, date(y - 1, 5, 29), D("600000.00"))
        _pay(ctx, last_year, tranche, date(y - 1, 5, 29), f"CERF-{y - 1}")
        close(ctx.session, last_year, when=date(y - 1, 12, 31), today=ctx.today)

    this_year = _new(ctx, scheme, organisation_id=cerf.id, amount_requested=D("600000.00"),
                     title=f"Core contribution to CERF {ctx.day(-20).year}", crs_overrides=core,
                     start_date=ctx.day(-20))
    _decided(ctx, this_year, ctx.day(-20))
    create_commitment(ctx.session, this_year, commitment_date=ctx.day(-20), today=ctx.today)
    schedule_tranche(ctx.session, this_year, ctx.day(10), D("600000.00"),
                     document_number=f"CERF-{ctx.day(-20).year}")

    unesco = _org(ctx, "UNESCO", "multilateral", "UNESCO", "41304", None)
    fut = _new(ctx, scheme, organisation_id=unesco.id, amount_requested=D("900000.00"),
               title=f"Flanders UNESCO Trust Fund (FUT) {y - 1}–{y}: heritage in Africa",
               start_date=date(y - 1, 1, 1), end_date=date(y, 12, 31),
               crs_overrides={"aid_type": "B033", "bi_multi": "1", "recipient_code": "298", "purpose_code": "16061",
                              "main_objective": "development"})
    _decided(ctx, fut, date(y - 1, 2, 1))
    create_commitment(ctx.session, fut, commitment_date=date(y - 1, 2, 15), today=ctx.today)
    first = schedule_tranche(ctx.session, fut, date(y - 1, 3, 1), D("450000.00"))
    schedule_tranche(ctx.session, fut, date(y, 3, 1), D("450000.00"), "interim_report_received")
    _pay(ctx, fut, first, date(y - 1, 3, 10), f"FUT-{y - 1}-1")
    interim = add_interim_report(ctx.session, fut, date(y - 1, 12, 31))
    receive_report(ctx.session, fut, interim, min(ctx.today, date(y, 1, 31)), today=ctx.today)
