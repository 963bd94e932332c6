"""The rules' reasons in the reader's language (issue 19): stored as a msgid and its
parameters, said in Dutch on the review queue, the group page, the activity page and a
line's classification; the digest of an explanation stays the one of its English sentences,
and reasons stored before (English only) get their message without changing a digest."""
import pytest
from sqlalchemy import select, update

from app.auth.roles import Role
from oda.models import Classification, Evaluation, Explanation
from oda.rules import evaluate
from oda.rules.messages import reason_text
from oda.services.reason_messages import convert_stored_reasons
from oda.rules.base import RuleContext
from oda.services.evaluations import donor_label
from tests.builders.oda import MALAWI_MARKET_ACCESS, curated_snapshot, facts, seed_classified
from tests.builders.web import web  # noqa: F401

#: the purpose code's name in Dutch too (oda/reference/names_nl.csv), not the English name of the loaded list
WITHDRAWN_NL = "Sectorcode 74010 (Rampenpreventie en -paraatheid) is ingetrokken op"
WITHDRAWN_EN = "was withdrawn on"
#: the digest of the reasons of Kasungu's market access with the withdrawn purpose code 74010 in 2023
DIGEST_BEFORE_MESSAGES = "12a0f93cc8f06cb453e00000f0bb4fe5fc578db32b2f2940b9bdfa38fbe153b6"


@pytest.fixture
def world(web):
    ids = web.seed(seed_classified)
    explanation = web.query(lambda s: s.scalar(select(Evaluation.explanation_id).join(
        Classification, Classification.evaluation_id == Evaluation.id)
        .where(Classification.transaction_id == ids["review"])))
    activity = web.query(lambda s: s.get(Classification, ids["review"]).activity_id)
    return {**ids, "explanation": explanation, "group": f"/oda/reviews/groups/{activity}/2023/{explanation}"}


def _dutch(web, role=Role.ODA_OFFICER):
    return web.signed_in(role, locale="nl")


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_the_review_queue_says_the_reasons_in_dutch(web, world):
    page = _page(_dutch(web), "/oda/reviews?year=2023")
    assert WITHDRAWN_NL in page and WITHDRAWN_EN not in page


def test_the_group_page_says_the_reasons_in_dutch(web, world):
    page = _page(_dutch(web), world["group"])
    assert WITHDRAWN_NL in page and WITHDRAWN_EN not in page


def test_the_activity_page_and_the_line_say_the_outcome_in_dutch(web, world):
    client = _dutch(web, Role.ADMIN)
    for url in ("/activities/MWI-2019-TLC", f"/oda/transactions/{world['review']}"):
        page = _page(client, url)
        assert WITHDRAWN_NL in page and WITHDRAWN_EN not in page, url
        assert "Officieel: betaald uit de overheidsbegroting van de rapporterende donor" in page, url


def test_the_queue_finds_a_reason_by_its_dutch_words(web, world):
    page = _page(_dutch(web), "/oda/reviews?year=2023&reason=ingetrokken")
    assert "MWI-2019-TLC" in page and WITHDRAWN_NL in page


def test_an_english_reader_still_reads_english(web, world):
    page = _page(web.signed_in(Role.ODA_OFFICER), world["group"])
    assert "Purpose code 74010 (Disaster prevention and preparedness) was withdrawn on 2017-12-31" in page


def test_a_stored_reason_is_a_msgid_with_its_parameters(web, world):
    reasons = web.query(lambda s: s.get(Explanation, world["explanation"]).reasons)
    codes = next(r for r in reasons if r["rule"] == "codes")
    assert codes["message"]["id"] == "%(problems)s." and codes["message"]["cap"] is True
    withdrawn = codes["message"]["params"]["problems"]["items"][0]
    assert withdrawn["id"] == "%(label)s %(code)s (%(name)s) was withdrawn on %(date)s"
    assert withdrawn["params"]["code"] == "74010" and withdrawn["params"]["date"] == "2017-12-31"
    assert withdrawn["params"]["name"] == {"named": "purpose_codes", "code": "74010",
                                           "name": "Disaster prevention and preparedness"}, "named when read"
    assert reason_text(codes) == codes["reason"]


def test_the_digest_is_the_one_of_the_english_sentences():
    """Equal explanations keep one digest: the one their reasons had before they were messages
    (computed with the previous code for this context), so the change flags no override."""
    ctx = RuleContext(facts(MALAWI_MARKET_ACCESS, purpose_code="74010"), 2023, "EUR", curated_snapshot(),
                      donor_label())
    assert evaluate(ctx).reasons_digest == DIGEST_BEFORE_MESSAGES


def test_reasons_stored_in_english_get_their_message_and_keep_their_digest(web, world):
    def to_english_only(session):
        for x in session.scalars(select(Explanation)):
            plain = [{k: v for k, v in r.items() if k != "message"} for r in x.reasons]
            session.execute(update(Explanation).where(Explanation.id == x.id).values(reasons=plain))

    web.seed(to_english_only)
    before = web.query(lambda s: dict(s.execute(select(Explanation.id, Explanation.digest)).all()))
    client = _dutch(web)
    assert "was withdrawn on 2017-12-31" in _page(client, world["group"])  # shown as stored
    converted = web.seed(convert_stored_reasons)
    assert converted.explanations == len(before) and converted.left_in_english == 0
    assert web.query(lambda s: dict(s.execute(select(Explanation.id, Explanation.digest)).all())) == before
    page = _page(client, world["group"])
    assert WITHDRAWN_NL in page and WITHDRAWN_EN not in page


def test_a_share_in_a_reason_is_written_in_the_readers_notation(app):
    from decimal import Decimal

    from flask_babel import force_locale, gettext

    from oda.rules.base import percent_param
    from oda.rules.messages import msg

    reason = {"reason": "", "message": msg("%(share)s of a core contribution to %(label)s is ODA",
                                           share=percent_param(Decimal("0.5833333333")), label="UNRWA").as_json()}
    assert reason_text(reason) == "58.33 % of a core contribution to UNRWA is ODA"  # English: the digest's text
    with app.test_request_context(), force_locale("nl"):
        assert reason_text(reason, gettext).startswith("58,33 %")


def _page_of_south_africa(web, world, client) -> str:
    from oda.services.classify import classify
    from programmes.services.activities import get_activity_by_code, update_activity

    def move_to_south_africa(session):
        update_activity(session, get_activity_by_code(session, "MWI-2019-TLC"), recipient_code="218")
        classify(session, everything=True)

    web.seed(move_to_south_africa)
    return _page(client, f"/oda/transactions/{world['review']}")


def test_a_dutch_reader_reads_the_country_of_a_reason_in_dutch(web, world):
    page = _page_of_south_africa(web, world, _dutch(web, Role.ADMIN))
    assert "Zuid-Afrika (218) staat op de DAC-lijst van ODA-ontvangers voor stromen van 2023" in page
    assert "South Africa (218)" not in page


def test_an_english_reader_reads_the_country_of_a_reason_in_english(web, world):
    page = _page_of_south_africa(web, world, web.signed_in(Role.ADMIN))
    assert "South Africa (218) is on the DAC List of ODA Recipients for 2023 flows" in page


def _names_as_stored_before(data):
    """A stored message as it was before names carried their code: the English name in its place."""
    if isinstance(data, dict) and "named" in data:
        return data["name"]
    if isinstance(data, dict):
        return {key: _names_as_stored_before(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_names_as_stored_before(value) for value in data]
    return data


def test_names_stored_in_english_are_named_when_read_and_keep_their_digest(web, world):
    def names_in_english(session):
        for x in session.scalars(select(Explanation)):
            session.execute(update(Explanation).where(Explanation.id == x.id)
                            .values(reasons=_names_as_stored_before(x.reasons)))

    web.seed(names_in_english)
    before = web.query(lambda s: dict(s.execute(select(Explanation.id, Explanation.digest)).all()))
    client = _dutch(web)
    assert "Sectorcode 74010 (Disaster prevention and preparedness)" in _page(client, world["group"])
    converted = web.seed(convert_stored_reasons)
    assert converted.explanations >= 1 and converted.left_in_english == 0
    assert web.query(lambda s: dict(s.execute(select(Explanation.id, Explanation.digest)).all())) == before
    page = _page(client, world["group"])
    assert WITHDRAWN_NL in page and "(Disaster prevention and preparedness) is ingetrokken" not in page
