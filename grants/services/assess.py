"""Assessment: a checklist and a score per criterion, configured by the scheme."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from grants import workflow
from grants.models import Assessment
from grants.services.common import clean_text, money, publish_step, shareable
from grants.services.errors import GrantsError, NotAllowed
from programmes.models.enums import MainObjective

RECOMMENDATIONS = ("approve", "reject")


def start_assessment(session: Session, application, user=None):
    """Submitted → in assessment (``AssessmentStarted``)."""
    workflow.ensure(application, "start_assessment", user)
    before, _ = workflow.move(application, "start_assessment")
    session.flush()
    publish_step(session, "AssessmentStarted", application, before=before)
    return application


def _checklist(scheme, answers) -> dict:
    if not isinstance(answers, dict):
        raise GrantsError("the checklist must map each item to yes or no", "checklist")
    codes = [item["code"] for item in scheme.checklist]
    extra = set(answers) - set(codes)
    if extra:
        raise GrantsError(f"not on the checklist: {', '.join(sorted(map(str, extra)))}", "checklist")
    missing = [code for code in codes if not isinstance(answers.get(code), bool)]
    if missing:
        raise GrantsError(f"answer yes or no for: {', '.join(missing)}", "checklist")
    return {code: answers[code] for code in codes}


def _scores(scheme, scores) -> dict:
    if not isinstance(scores, dict):
        raise GrantsError("scores must map each criterion to a number", "scores")
    extra = set(scores) - {c["code"] for c in scheme.criteria}
    if extra:
        raise GrantsError(f"not a criterion of this scheme: {', '.join(sorted(map(str, extra)))}", "scores")
    clean = {}
    for criterion in scheme.criteria:
        value = scores.get(criterion["code"])
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= criterion["max_score"]:
            raise GrantsError(f"score {criterion['label']} with a whole number 0–{criterion['max_score']}",
                              "scores")
        clean[criterion["code"]] = value
    return clean


def record_assessment(session: Session, application, user, checklist: dict, scores: dict,
                      recommendation: str, recommended_amount: Decimal | None = None,
                      main_objective: str | None = None, comment: str | None = None) -> Assessment:
    """Record one assessor's checklist and scores (``AssessmentRecorded``)."""
    workflow.ensure(application, "record_assessment", user)
    if user is None:
        raise NotAllowed("an assessment needs an assessor")
    scheme = application.scheme
    if recommendation not in RECOMMENDATIONS:
        raise GrantsError("recommend approve or reject", "recommendation")
    if recommended_amount is not None:
        recommended_amount = money(recommended_amount, "recommended_amount")
        if not Decimal("0") < recommended_amount <= application.amount_requested:
            raise GrantsError("the recommended amount must be positive and at most the amount asked",
                              "recommended_amount")
    if main_objective is not None and main_objective not in set(MainObjective):
        raise GrantsError(f"unknown main objective {main_objective!r}", "main_objective")
    answers, points = _checklist(scheme, checklist), _scores(scheme, scores)
    assessment = Assessment(
        application_id=application.id, assessor_id=user.id, checklist=answers, scores=points,
        total_score=sum(points.values()), max_score=sum(c["max_score"] for c in scheme.criteria),
        recommendation=recommendation, recommended_amount=recommended_amount, main_objective=main_objective,
        comment=clean_text(comment, "comment", 10000))
    session.add(assessment)
    session.flush()
    publish_step(session, "AssessmentRecorded", application, assessment_id=assessment.id,
                 assessor_id=user.id, checklist=answers, scores=points, total_score=assessment.total_score,
                 max_score=assessment.max_score, recommendation=recommendation,
                 recommended_amount=recommended_amount, main_objective=main_objective,
                 comment=shareable(application, assessment.comment))
    return assessment
