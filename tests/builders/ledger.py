"""A ledger of a few thousand lines for the pages' statement counts: the benchmark's
generator (programmes, budget lines, activities and lines with their events, in bulk),
classified, with the projections the pages read built as the pages benchmark builds them
(in bulk SQL, equal to the handlers' figures: tests/benchmarks/test_bench_pages.py). ``grow`` adds
activities to the same programmes and lines to all their activities, so the same page can
be read at two sizes."""
from __future__ import annotations

from random import Random

from sqlalchemy import insert, select, update

from app.events.bus import publish_many
from benchmarks.bench_pages import build_projections
from benchmarks.generate import (ACTIVITIES, ACTOR, TRANSACTIONS, Ledger, Target, _advance_sequences, _ensure_rates,
                                 generate, next_id, transaction_batches)
from benchmarks.sample import activity_rows
from oda.services.classify import classify
from programmes.models import Activity, Programme

#: one activity in this many has no recipient: its lines need an ODA officer's review
UNCLEAR_EVERY = 4


def classified_ledger(session, lines: int, activities: int = 40, programmes: int = 8) -> None:
    """``lines`` generated lines over new programmes and activities, then classified."""
    from oda.reference.services import load_curated

    load_curated(session)
    generate(session, lines, activities=activities, programmes=programmes, batch=500, commit_every=None)
    session.execute(update(Activity).where(Activity.id % UNCLEAR_EVERY == 0).values(recipient_code=None))
    classify(session)


def grow(session, lines: int, activities: int = 40, seed: int = 2) -> None:
    """``activities`` more activities in the generated programmes and ``lines`` more lines
    spread over all their activities, old and new, then classified."""
    rng = Random(seed)
    programmes = [{"id": p.id, "partner_country": p.partner_country} for p in session.scalars(
        select(Programme).where(Programme.code.like("GEN-P%")).order_by(Programme.id))]
    added, events = activity_rows(rng, next_id(session, "activities"), activities, programmes)
    session.execute(insert(ACTIVITIES), added)
    publish_many(session, [dict(e, actor=ACTOR) for e in events])
    rows = session.execute(select(Activity.id, Activity.programme_id, Programme.start_year, Programme.end_year)
                           .join(Programme, Programme.id == Activity.programme_id)
                           .where(Activity.code.like("GEN-A%"))).all()
    targets = [Target(a, p, start, min(end, 2025)) for a, p, start, end in rows]
    ledger = Ledger(rng, targets, _ensure_rates(session), next_id(session, "transactions"))
    for batch, batch_events in transaction_batches(ledger, lines, 500):
        session.execute(insert(TRANSACTIONS), batch)
        publish_many(session, batch_events)
    _advance_sequences(session)
    classify(session)


def statements_at_two_sizes(web, count_queries, path: str, role) -> tuple[int, int]:
    """(statements of one GET of ``path`` on a classified ledger of 1,200 lines over 40
    activities, the same after 40 more activities and 2,400 more lines over all 80).
    ``path`` may name ``{programme}``, ``{activity}`` (the first generated ones) and
    ``{line}`` (a line of that activity needing review)."""
    web.seed(lambda s: (classified_ledger(s, 1200), build_projections(s)))
    names = web.query(_names)
    client = web.signed_in(role)
    url = path.format(**names)
    assert client.get(url).status_code == 200  # the first request fills the per-process caches

    def count() -> int:
        with count_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        return statements()

    small = count()
    web.seed(lambda s: (grow(s, 2400), build_projections(s)))
    return small, count()


def _names(session) -> dict:
    from oda.models import Classification, Status

    programme = session.scalar(select(Programme.code).where(Programme.code.like("GEN-P%")).order_by(Programme.id))
    activity = session.scalar(select(Activity).where(Activity.code.like("GEN-A%"), Activity.recipient_code.is_(None))
                              .order_by(Activity.id))
    line = session.scalar(select(Classification.transaction_id).where(
        Classification.activity_id == activity.id, Classification.status == Status.NEEDS_REVIEW))
    return {"programme": programme, "activity": activity.code, "line": line}


def statement_test(pages: dict[str, str]):
    """A test, one case per page (``{name: path}``), that the page reads as many statements
    on the larger ledger as on the smaller one (``statements_at_two_sizes``)."""
    import pytest

    from app.auth.roles import Role

    @pytest.mark.parametrize("path", pages.values(), ids=pages.keys())
    def test(web, count_queries, path):
        small, large = statements_at_two_sizes(web, count_queries, path, Role.ADMIN)
        assert large == small

    return test
