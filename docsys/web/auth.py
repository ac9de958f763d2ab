"""Login, logout, and the role decorator every route uses."""
from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from docsys import policy
from docsys.policy import Action
from flask_login import LoginManager, current_user, login_required, login_user, logout_user

from docsys import accounts
from docsys.models import User
from docsys.web import error_response, wants_json
from docsys.web.session import db

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Inicie sesión para continuar."
login_manager.login_message_category = "info"


@login_manager.user_loader
def _load_user(user_id: str):
    try:
        return db().get(User, int(user_id))
    except (TypeError, ValueError):
        return None


@login_manager.unauthorized_handler
def _unauthorized():
    if wants_json():
        return error_response(401, "Su sesión expiró o no inició sesión. Ingrese de nuevo.")
    return redirect(url_for("auth.login", next=request.full_path))


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


@bp.route("/ingresar", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("inbox.index"))
    if request.method == "POST":
        username = request.form.get("username", "")
        user = accounts.authenticate(db(), username, request.form.get("password", ""))
        if user is None:
            return render_template("login.html", username=username,
                                   error="Usuario o contraseña incorrectos."), 401
        login_user(user)
        return redirect(_safe_next(request.args.get("next")))
    return render_template("login.html", username="", error=None)


@bp.route("/salir", methods=["POST"])
@login_required
def logout():
    logout_user()
    flash("Sesión cerrada.", "info")
    return redirect(url_for("auth.login"))
