"""Loans' grant elements for readers outside the rules (the CRS export), measured exactly as
the concessional rule measures them: same terms, same group, same discount rate."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from oda import loans
from oda.rules.concessional import group_for
from oda.services.snapshot import eligibility_snapshot


class LoanGrantElements:
    """``grant_element(activity, year)``: the grant element (a fraction) of a loan with known,
    computable terms and a known group, else None. The DAC List is read once, on the first
    loan; each distinct (terms, recipient, multilateral, year) is computed once."""

    def __init__(self, session: Session):
        self._session = session
        self._snapshot = None
        self._known: dict[tuple, Decimal | None] = {}

    def grant_element(self, activity, year: int) -> Decimal | None:
        terms = loans.activity_terms(activity)
        if loans.missing_terms(terms) or loans.terms_problem(terms):
            return None
        key = (terms, activity.recipient_code, loans.is_multilateral(activity.bi_multi, activity.aid_type), year)
        if key not in self._known:
            if self._snapshot is None:
                self._snapshot = eligibility_snapshot(self._session)
            group, _ = group_for(self._snapshot, activity, terms, year)
            self._known[key] = None if group is None else loans.assess(terms, group).grant_element
        return self._known[key]
