"""The Users and roles pages of the administrator, and the invitation link a new user opens."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.auth import admin
from app.auth.admin import Grant, UserAdminError
from app.auth.guards import public, require
from app.auth.models import User
from app.auth.roles import SCOPED_ROLES, Permission, Role
from app.auth.scopes import scope_options
from app.db import get_session, unit_of_work

bp = Blueprint("users", __name__, template_folder="templates")

ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.PROGRAMME_MANAGER: _l("Programme manager"),
    Role.FINANCE: _l("Finance"),
    Role.ODA_OFFICER: _l("ODA officer"),
    Role.VIEWER: _l("Viewer"),
}
ROLE_HINTS = {
    Role.ADMIN: _l("Everything, including users and roles."),
    Role.PROGRAMME_MANAGER: _l("Budgets, activities and grants of the chosen programmes only."),
    Role.FINANCE: _l("Imports, transactions, exchange rates, job runs."),
    Role.ODA_OFFICER: _l("ODA review, ODA reports, job runs."),
    Role.VIEWER: _l("Reads the portfolio."),
}
MAX_FIELD = 1024


def _form_grants() -> list[Grant]:
    """The roles ticked in the form; a programme manager once per chosen programme."""
    roles = set()
    for value in request.form.getlist("role"):
        try:
            roles.add(Role(value))
        except ValueError:
            raise UserAdminError(_("Unknown role."), "roles") from None
    programmes = []
    for value in request.form.getlist("programme"):
        if not value.isdigit() or len(value) > 12:
            raise UserAdminError(_("Choose programmes from the list."), "programmes")
        programmes.append(int(value))
    grants = [Grant(role) for role in roles if role not in SCOPED_ROLES]
    if Role.PROGRAMME_MANAGER in roles:
        grants += [Grant(Role.PROGRAMME_MANAGER, pid) for pid in programmes] or [Grant(Role.PROGRAMME_MANAGER)]
    return grants


def _context(**extra) -> dict:
    session = get_session()
    return {"role_labels": ROLE_LABELS, "role_hints": ROLE_HINTS, "roles": list(Role),
            "programmes": scope_options(session), **extra}


def _known_programmes() -> set[int]:
    return {option.id for option in scope_options(get_session())}


def _field(name: str) -> str:
    return (request.form.get(name) or "")[:MAX_FIELD]


@bp.route("/users")
@require(Permission.MANAGE_USERS)
def index():
    session = get_session()
    labels = {option.id: option.label for option in scope_options(session)}
    return render_template("users/index.html", **_context(users=admin.list_users(session), scope_labels=labels,
                                                          invited=admin.open_invitations(session)))


@bp.route("/users/new", methods=["GET", "POST"])
@require(Permission.MANAGE_USERS)
def new():
    if request.method == "GET":
        return render_template("users/new.html", **_context(form={"access": "invite", "locale": "nl"}, error=None))
    password = _field("password") if request.form.get("access") == "password" else None
    try:
        with unit_of_work() as session:
            created = admin.add_user(session, _field("email"), _field("name"), _field("locale"), _form_grants(),
                                     _known_programmes(), password=password)
            user_id, email = created.user.id, created.user.email
    except UserAdminError as exc:
        form = {key: request.form.get(key, "") for key in ("email", "name", "locale", "access")}
        form.update(role=request.form.getlist("role"), programme=request.form.getlist("programme"))
        return render_template("users/new.html", **_context(form=form, error=exc)), 422
    if created.invitation_secret is None:
        flash(_("%(email)s can sign in with the first password you gave.", email=email), "success")
        return redirect(url_for("users.detail", user_id=user_id))
    return _show_link(user_id, created.invitation_secret)


def _show_link(user_id: int, secret: str):
    """The link is shown once, on this page only (it is never stored, logged or in an event)."""
    user = get_session().get(User, user_id)
    link = url_for("users.invitation", secret=secret, _external=True)
    return render_template("users/invitation_link.html", user=user, link=link)


def _user_or_404(user_id: int) -> User:
    user = get_session().get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/users/<id:user_id>", methods=["GET", "POST"])
@require(Permission.MANAGE_USERS)
def detail(user_id):
    user = _user_or_404(user_id)
    if request.method == "GET":
        return render_template("users/detail.html", **_context(user=user, error=None, form=_roles_form(user)))
    try:
        with unit_of_work() as session:
            user = session.get(User, user_id)
            changed = admin.set_roles(session, user, _form_grants(), _known_programmes(), g.user)
    except UserAdminError as exc:
        form = {"role": request.form.getlist("role"), "programme": request.form.getlist("programme")}
        return render_template("users/detail.html", **_context(user=_user_or_404(user_id), error=exc,
                                                               form=form)), 422
    flash(_("The roles of %(name)s are saved; their open sessions have ended.", name=user.name) if changed
          else _("Nothing changed."), "success" if changed else "info")
    return redirect(url_for("users.detail", user_id=user_id))


def _roles_form(user: User) -> dict:
    return {"role": [r.role for r in user.roles],
            "programme": [str(r.programme_id) for r in user.roles if r.programme_id is not None]}


@bp.route("/users/<id:user_id>/active", methods=["POST"])
@require(Permission.MANAGE_USERS)
def set_active(user_id):
    _user_or_404(user_id)
    active = request.form.get("active") == "1"
    try:
        with unit_of_work() as session:
            user = session.get(User, user_id)
            admin.set_active(session, user, active, g.user)
            name = user.name
    except UserAdminError as exc:
        flash(exc.message, "error")
        return redirect(url_for("users.detail", user_id=user_id))
    flash(_("%(name)s is active again.", name=name) if active
          else _("%(name)s is deactivated and signed out everywhere.", name=name), "success")
    return redirect(url_for("users.detail", user_id=user_id))


@bp.route("/users/<id:user_id>/invitation", methods=["POST"])
@require(Permission.MANAGE_USERS)
def new_invitation(user_id):
    _user_or_404(user_id)
    with unit_of_work() as session:
        secret = admin.invite(session, session.get(User, user_id))
    return _show_link(user_id, secret)


@bp.route("/invitation/<secret>", methods=["GET", "POST"])
@public
def invitation(secret):
    """A new user chooses a password with the one-time link an administrator gave them."""
    secret = secret[:100]
    invited = admin.open_invitation(get_session(), secret)
    if invited is None:
        return render_template("users/invitation.html", valid=False, error=None), 404
    if request.method == "GET":
        return render_template("users/invitation.html", valid=True, error=None)
    password = _field("password")
    try:
        if password != _field("password_again"):
            raise UserAdminError(_("The two passwords differ."), "password_again")
        with unit_of_work() as session:
            admin.accept_invitation(session, secret, password)
    except UserAdminError as exc:
        return render_template("users/invitation.html", valid=True, error=exc), 422
    flash(_("Your password is set: sign in with your e-mail address and that password."), "success")
    return redirect(url_for("auth.login"))
