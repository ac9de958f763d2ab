"""The user's notices ("Avisos"): what awaits them, with the unread counter in the menu, and
their choice between an e-mail per notice and a daily digest."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from docsys import notifications, services
from docsys.web.auth import roles_required
from docsys.web.session import db

bp = Blueprint("notices", __name__, url_prefix="/avisos")


@bp.route("/")
@roles_required()
def index():
    session = db()
    return render_template("notices.html", notices=notifications.list_for(session, current_user))


@bp.route("/leidos", methods=["POST"])
@roles_required()
def mark_read():
    count = services.mark_notifications_read(db(), current_user)
    flash(f"{count} aviso(s) marcados como leídos.", "success")
    return redirect(url_for("notices.index"))


@bp.route("/correo", methods=["POST"])
@roles_required()
def email_preference():
    digest = request.form.get("frecuencia") == "diario"
    services.set_email_digest(db(), current_user, digest)
    flash("Recibirá un resumen diario por correo." if digest
          else "Recibirá un correo por cada aviso.", "success")
    return redirect(url_for("notices.index"))
