"""Login (password, then a TOTP code for those who need one), logout, and the decorator
every route uses.

The browser's signed cookie carries only the key of a server-side session
(``docsys.user_sessions``); each request loads and checks it, so a session that ended
(logout, timeout, password change, an administrator) cannot be replayed. Between the
password and the code the cookie holds only "user N passed the password at time T" for a
few minutes; no session exists yet.
"""
from __future__ import annotations

import time
from functools import wraps
from urllib.parse import urlsplit

from flask import (Blueprint, Response, current_app, flash, g, redirect, render_template,
                   request, session, url_for)
from flask_login import LoginManager, current_user, login_required, login_user, logout_user

from docsys import policy, services, totp
from docsys.errors import DocsysError, TooManyAttempts
from docsys.models import User
from docsys.policy import Action
from docsys.web import error_response, wants_json
from docsys.web.session import db, later

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Inicie sesión para continuar."
login_manager.login_message_category = "info"
login_manager.session_protection = None   # the server-side session is the protection

PENDING_SECONDS = 300   # time to type the code after the password
# Pages a user who must change the password (or is between steps) may still open.
OPEN_WHILE_CHANGING = {"auth.logout", "account.password", "static"}


def client_ip() -> str:
    return (request.remote_addr or "")[:64]


def _user_agent() -> str:
    return (request.user_agent.string or "")[:300]


@login_manager.user_loader
def _load_user(user_id: str):
    try:
        uid = int(user_id)
    except (TypeError, ValueError):
        return None
    key = session.get("sid")
    row = services.current_session(db(), later, current_app.config, key, uid) if key else None
    if row is None or not row.user.active:
        return None
    g.session_key = key
    return row.user


@login_manager.unauthorized_handler
def _unauthorized():
    if wants_json():
        return error_response(401, "Su sesión expiró o no inició sesión. Ingrese de nuevo.")
    return redirect(url_for("auth.login", next=request.full_path))


def password_change_first():
    """After an administrator's reset, nothing but choosing a new password (or leaving)."""
    if request.endpoint in OPEN_WHILE_CHANGING or request.blueprint in ("api", "portal"):
        return None
    if current_user.is_authenticated and current_user.must_change_password:
        if wants_json():
            return error_response(403, "Debe cambiar su contraseña antes de continuar.")
        return redirect(url_for("account.password"))
    return None


def roles_required(action: Action | None = None):
    """Login required and, for a page that is one action's (importing, administering...),
    the policy's yes to that action (none given: any logged-in user; actions on one
    document are decided by the service the view calls)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if action is not None and not policy.allows(current_user, action):
                return error_response(403, "No tiene permiso para realizar esta acción.")
            return view(*args, **kwargs)
        return wrapped
    return decorator


def _safe_next(target: str | None) -> str:
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/"):
            return target
    return url_for("inbox.index")


def _throttled(template: str, exc: TooManyAttempts, **context):
    response = Response(render_template(template, error=exc.message, **context), status=429)
    response.headers["Retry-After"] = str(exc.retry_after)
    return response


def _begin(user: User | None, key: str, next_url: str | None):
    """The server-side session exists: a fresh cookie that names it."""
    if user is None:
        return redirect(url_for("auth.login"))
    session.clear()
    session["sid"] = key
    login_user(user)
    if user.must_change_password:
        flash("Un administrador restableció su contraseña: elija una nueva para continuar.",
              "info")
        return redirect(url_for("account.password"))
    return redirect(_safe_next(next_url))


def _pending() -> dict | None:
    pending = session.get("pending")
    if not isinstance(pending, dict) or time.time() - float(pending.get("at", 0)) > PENDING_SECONDS:
        return None
    return pending


@bp.route("/ingresar", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("inbox.index"))
    if request.method == "POST":
        username = request.form.get("username", "")
        try:
            step = services.login_password(db(), username, request.form.get("password", ""),
                                           client_ip(), _user_agent())
        except TooManyAttempts as exc:
            return _throttled("login.html", exc, username=username)
        if step is None:
            return render_template("login.html", username=username,
                                   error="Usuario o contraseña incorrectos."), 401
        next_url = request.args.get("next")
        if step.session_key is not None:
            return _begin(step.user, step.session_key, next_url)
        session.clear()
        session["pending"] = {"uid": step.user.id, "at": time.time(), "next": next_url or ""}
        return redirect(url_for("auth.enroll" if step.needs_enrollment else "auth.second_factor"))
    return render_template("login.html", username="", error=None)


@bp.route("/ingresar/codigo", methods=["GET", "POST"])
def second_factor():
    pending = _pending()
    if pending is None:
        return redirect(url_for("auth.login"))
    if request.method == "POST":
        try:
            key = services.login_code(db(), current_app.config, pending["uid"],
                                      request.form.get("code", ""), client_ip(), _user_agent())
        except TooManyAttempts as exc:
            return _throttled("auth/code.html", exc)
        except DocsysError as exc:
            return render_template("auth/code.html", error=exc.message), exc.status
        if key is None:
            return render_template("auth/code.html",
                                   error="Código incorrecto o ya usado. Espere el siguiente "
                                         "código de su aplicación."), 401
        return _begin(db().get(User, pending["uid"]), key, pending.get("next"))
    return render_template("auth/code.html", error=None)


def _enrolling_user() -> tuple[dict, User, str] | None:
    pending = _pending()
    if pending is None:
        return None
    user = db().get(User, pending["uid"])
    if user is None:
        return None
    secret = session.get("enroll_secret")
    if not secret:
        secret = session["enroll_secret"] = totp.new_secret()
    return pending, user, secret


@bp.route("/ingresar/segundo-factor", methods=["GET", "POST"])
def enroll():
    """First login of a signer or administrator: scan the QR code (or type the secret) in
    an authenticator app and confirm with a code."""
    found = _enrolling_user()
    if found is None:
        return redirect(url_for("auth.login"))
    pending, user, secret = found
    if totp.is_enrolled(user):
        return redirect(url_for("auth.second_factor"))
    error, status = None, 200
    if request.method == "POST":
        try:
            key = services.login_enroll(db(), current_app.config, user.id, secret,
                                        request.form.get("code", ""), client_ip(), _user_agent())
        except TooManyAttempts as exc:
            return _throttled("auth/enroll.html", exc, secret=secret)
        except DocsysError as exc:
            error, status = exc.message, exc.status
        else:
            if key is not None:
                return _begin(db().get(User, user.id), key, pending.get("next"))
            error, status = ("El código no coincide. Revise que la hora de su teléfono sea "
                             "correcta y escriba el código que muestra ahora."), 401
    return render_template("auth/enroll.html", secret=secret, error=error), status


@bp.route("/ingresar/segundo-factor/qr.svg")
def enroll_qr():
    found = _enrolling_user()
    if found is None:
        return error_response(404, "No hay una configuración de segundo factor en curso.")
    _pending_data, user, secret = found
    uri = totp.provisioning_uri(secret, user, current_app.config["MUNICIPALITY_CODE"] + " docsys")
    return Response(totp.qr_svg(uri), mimetype="image/svg+xml",
                    headers={"Cache-Control": "no-store"})


@bp.route("/salir", methods=["POST"])
@login_required
def logout():
    services.logout(db(), session.get("sid", ""))
    logout_user()
    session.clear()
    flash("Sesión cerrada.", "info")
    return redirect(url_for("auth.login"))
