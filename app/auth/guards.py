"""Access checks for every view and endpoint. Default deny: a route without a
guard is caught by ``tests/app/auth/test_every_route.py``."""
from __future__ import annotations

from functools import wraps
from typing import Callable

from flask import abort, g, redirect, request, url_for

from app.auth.roles import Permission

PUBLIC_ENDPOINT_ATTR = "_aidledger_public"
#: what a record outside the user's scope answers, unless the caller names the missing-record message
NOT_FOUND = "There is no such record."
GUARDED_ENDPOINT_ATTR = "_aidledger_permission"


def _is_api_request() -> bool:
    return request.path.startswith("/api/")


def _deny_anonymous():
    if _is_api_request():
        abort(401)
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def require(permission: Permission | None, programme_arg: str | None = None,
            programme_from: Callable[..., int | None] | None = None):
    """Allow the view only to users holding ``permission``.

    ``permission=None`` means "any logged-in user". For programme-scoped roles the
    programme is read from the view argument ``programme_arg`` or computed by
    ``programme_from(**view_args)`` (e.g. an activity's programme).

    403 when no role of the user grants ``permission`` anywhere; 404 for a record in a
    programme outside the user's scope, exactly as for a record that does not exist,
    so ids of other programmes cannot be told apart from unused ones.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            user = g.get("user")
            if user is None:
                return _deny_anonymous()
            if permission is not None:
                if not user.can(permission):
                    abort(403)
                programme_id = _programme_of(kwargs, programme_arg, programme_from)
                if not user.can(permission, programme_id=programme_id):
                    abort(404)
            return view(*args, **kwargs)

        setattr(wrapper, GUARDED_ENDPOINT_ATTR, permission or "authenticated")
        return wrapper

    return decorator


def _programme_of(kwargs, programme_arg, programme_from) -> int | None:
    if programme_arg is not None:
        return kwargs.get(programme_arg)
    if programme_from is not None:
        programme_id = programme_from(**kwargs)
        if programme_id is None:
            abort(404)
        return programme_id
    return None


def public(view):
    """Mark a view as open to anonymous users (login page, health check)."""
    setattr(view, PUBLIC_ENDPOINT_ATTR, True)
    return view


def check(permission: Permission, programme_id: int | None = None, not_found: str = NOT_FOUND) -> None:
    """Guard inside a view, once the scope is known: 403 without the permission anywhere,
    404 (with ``not_found``, the message a missing record gets) outside the user's scope."""
    user = g.get("user")
    if user is None:
        abort(401)
    if not user.can(permission):
        abort(403)
    if not user.can(permission, programme_id=programme_id):
        abort(404, not_found)


def visible_programme_ids() -> set[int] | None:
    """None means every programme; otherwise the programmes the user may see."""
    user = g.user
    if user.sees_all_programmes():
        return None
    return user.programme_scope()
