"""The codes a form may offer: each code of a list with its name, valid or withdrawn in given years.

The activity form shows them as a searchable list (a ``<datalist>``: type "311" or "agri…" and
choose); the field stays a plain text field, so it works without JavaScript and the server
checks what arrives.
"""
from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from oda.reference.dutch_names import local_name
from oda.reference.lists import resolve
from oda.rules.reference import VALID, WITHDRAWN, CodeInfo


class CodeChoice(NamedTuple):
    code: str
    name: str
    #: False for a code withdrawn in every one of the years (offered, marked as withdrawn)
    valid: bool


def code_choices(session: Session, list_name: str, years: list[int]) -> list[CodeChoice]:
    """Codes of ``list_name`` valid in at least one of ``years``, then those withdrawn by then;
    codes not yet active in any of the years are left out."""
    model = resolve(list_name).model
    if not hasattr(model, "code") or not years:
        return []
    choices = []
    for row in session.scalars(select(model).order_by(model.code)):
        info = CodeInfo(row.code, row.name_en, row.status, getattr(row, "activation_date", None),
                        getattr(row, "withdrawal_date", None))
        statuses = {info.status_in(year) for year in years}
        name = local_name(list_name, row.code, row.name_en)
        if VALID in statuses:
            choices.append(CodeChoice(row.code, name, True))
        elif WITHDRAWN in statuses:
            choices.append(CodeChoice(row.code, name, False))
    return sorted(choices, key=lambda c: (not c.valid, c.code))
