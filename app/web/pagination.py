"""Pages of a query for HTML lists: ``?page=`` and ``?per_page=`` (capped)."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.api.fields import MAX_BIGINT

MAX_PAGE = 1_000_000


@dataclass
class Page:
    items: list = field(default_factory=list)
    number: int = 1
    per_page: int = 25
    total: int | None = None
    has_next: bool = False

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def page_count(self) -> int | None:
        if self.total is None:
            return None
        return max(1, -(-self.total // self.per_page))


def _positive_int(raw, default: int) -> int:
    try:
        value = int(str(raw)[:12])
    except (TypeError, ValueError):
        return default
    return value if value >= 1 else default


def page_args(args, default_per_page: int = 25, max_per_page: int = 100) -> tuple[int, int]:
    """Read page and per_page leniently: nonsense falls back to the defaults, huge values are capped."""
    page = min(_positive_int(args.get("page"), 1), MAX_PAGE)
    per_page = min(_positive_int(args.get("per_page"), default_per_page), max_per_page)
    return page, per_page


def paginate(session: Session, stmt: Select, page: int, per_page: int, count: bool = True,
             scalars: bool = True) -> Page:
    """One page of ``stmt``. Without ``count`` one extra row tells whether a next page exists,
    which stays cheap on a table of millions (the audit trail)."""
    total = None
    if count:
        total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    offset = (page - 1) * per_page
    if offset > MAX_BIGINT:
        # an absurd page (?page=10^22) is past the end: no OFFSET the database cannot take (a 500 once)
        return Page(items=[], number=page, per_page=per_page, total=total, has_next=False)
    result = session.execute(stmt.offset(offset).limit(per_page + 1))
    rows = list(result.scalars() if scalars else result)
    return Page(items=rows[:per_page], number=page, per_page=per_page, total=total,
                has_next=len(rows) > per_page)
