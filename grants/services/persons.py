"""Interns' identity, kept in one table and nowhere else."""
from __future__ import annotations

import re

from sqlalchemy.orm import Session

from grants.models import Person
from grants.services.common import clean_text
from grants.services.errors import GrantsError

PERSON_FIELDS = ("full_name", "email", "phone")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s]{2,}$")
_PHONE = re.compile(r"^\+?[0-9 ()./-]{6,40}$")


def clean_person(data: dict) -> dict:
    if not isinstance(data, dict):
        raise GrantsError("the applicant's details are missing", "full_name")
    unknown = set(data) - set(PERSON_FIELDS)
    if unknown:
        raise GrantsError(f"unknown fields: {', '.join(sorted(unknown))}", sorted(unknown)[0])
    clean = {
        "full_name": clean_text(data.get("full_name"), "full_name", 200, required=True),
        "email": clean_text(data.get("email"), "email", 254),
        "phone": clean_text(data.get("phone"), "phone", 40),
    }
    if clean["email"] and not _EMAIL.match(clean["email"]):
        raise GrantsError("not an e-mail address", "email")
    if clean["phone"] and not _PHONE.match(clean["phone"]):
        raise GrantsError("not a phone number", "phone")
    return clean


def register_person(session: Session, scheme, data: dict) -> Person:
    person = Person(scheme_id=scheme.id, **clean_person(data))
    session.add(person)
    session.flush()
    return person


def update_person(person: Person, data: dict) -> list[str]:
    """Apply changes; returns the names (never the values) of the fields that changed."""
    if person.erased:
        raise GrantsError("this person's data were erased", "full_name")
    merged = {field: getattr(person, field) for field in PERSON_FIELDS}
    merged.update(data)
    clean = clean_person(merged)
    changed = [f for f in PERSON_FIELDS if getattr(person, f) != clean[f]]
    for field in changed:
        setattr(person, field, clean[field])
    return changed
