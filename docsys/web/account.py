"""The signed-in user's own account: open sessions, password, API tokens."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, logout_user

from docsys import accounts, logins, services, user_sessions
from docsys.errors import DocsysError
from docsys.web.auth import client_ip, roles_required
from docsys.web.session import db

bp = Blueprint("account", __name__, url_prefix="/cuenta")


def _current_key() -> str | None:
    return g.get("session_key")


@bp.route("/sesiones")
@roles_required()
def sessions():
    limits = logins.Limits.of(current_app.config)
    rows = user_sessions.open_sessions(db(), current_user, limits.idle, limits.maximum)
    return render_template("account/sessions.html", rows=rows, current_key=_current_key(),
                           is_current=user_sessions.is_current, limits=limits)


@bp.route("/sesiones/<int:session_id>/cerrar", methods=["POST"])
@roles_required()
def end_session(session_id):
    session = db()
    row = user_sessions.get_session(session, session_id)
    was_current = user_sessions.is_current(row, _current_key())
    back = request.form.get("back") or ""
    services.end_session(session, current_user, session_id)
    if was_current:
        logout_user()
        flash("Sesión cerrada.", "info")
        return redirect(url_for("auth.login"))
    flash("Sesión cerrada.", "success")
    if back.startswith("/admin/"):
        return redirect(back)
    return redirect(url_for("account.sessions"))


@bp.route("/contrasena", methods=["GET", "POST"])
@roles_required()
def password():
    error = None
    if request.method == "POST":
        new = request.form.get("new_password", "")
        if new != request.form.get("confirm_password", ""):
            error = "La nueva contraseña y su confirmación no coinciden."
        else:
            try:
                services.change_password(db(), current_user, request.form.get("password", ""),
                                         new, client_ip(), _current_key())
            except DocsysError as exc:
                error = exc.message
                if exc.status == 429:
                    return render_template("account/password.html", error=error), 429, \
                        {"Retry-After": str(exc.details.get("retry_after", 60))}
            else:
                flash("Contraseña cambiada. Se cerraron sus otras sesiones y se revocaron sus "
                      "tokens de API.", "success")
                return redirect(url_for("inbox.index"))
    return render_template("account/password.html", error=error), (400 if error else 200)


@bp.route("/tokens", methods=["GET", "POST"])
@roles_required()
def tokens():
    session = db()
    error, created = None, None
    limits = logins.Limits.of(current_app.config)
    if request.method == "POST":
        try:
            created = services.create_token(session, current_app.config, current_user,
                                            request.form.get("name", ""),
                                            request.form.get("days") or None)
        except DocsysError as exc:
            error = exc.message
    return render_template("account/tokens.html", rows=accounts.list_tokens(session, current_user),
                           created=created, error=error, limits=limits,
                           status=accounts.token_status), (400 if error else 200)


@bp.route("/tokens/<int:token_id>/revocar", methods=["POST"])
@roles_required()
def revoke_token(token_id):
    services.revoke_token(db(), current_user, token_id)
    flash("Token revocado: deja de funcionar desde la próxima solicitud.", "success")
    back = request.form.get("back") or ""
    return redirect(back if back.startswith("/admin/") else url_for("account.tokens"))
