"""Domain errors of the grants package; each knows the HTTP status that fits it."""
from __future__ import annotations

from app.errors import CONFLICT, FORBIDDEN, ValidationError


class GrantsError(ValidationError):
    """A step of a grant refused for bad input (422)."""


class WrongStatus(GrantsError):
    """The step does not follow from the application's current status."""

    status = CONFLICT


class GuardViolation(GrantsError):
    """A money guard refused the step (over the approved amount, over the call's budget, …)."""

    status = CONFLICT


class NotAllowed(GrantsError):
    """The user may not take this step (scope, four-eyes rule, admin-only override)."""

    status = FORBIDDEN


__all__ = ["GrantsError", "GuardViolation", "NotAllowed", "ValidationError", "WrongStatus"]
