"""Domain errors of the grants package; each knows the HTTP status that fits it."""
from __future__ import annotations

from programmes.services.errors import ValidationError


class GrantsError(ValidationError):
    status = 422


class WrongStatus(GrantsError):
    """The step does not follow from the application's current status."""

    status = 409


class GuardViolation(GrantsError):
    """A money guard refused the step (over the approved amount, over the call's budget, …)."""

    status = 409


class NotAllowed(GrantsError):
    """The user may not take this step (scope, four-eyes rule, admin-only override)."""

    status = 403


__all__ = ["GrantsError", "GuardViolation", "NotAllowed", "ValidationError", "WrongStatus"]
