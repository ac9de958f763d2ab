"""Administration: document templates (edit -> new version) and users."""
from __future__ import annotations

from flask import (Blueprint, Response, current_app, flash, redirect, render_template, request,
                   url_for)
from flask_login import current_user

from docsys import accounts, audit, deadlines, institution, logins, services, totp, user_sessions
from docsys.drafting import service
from docsys.errors import DocsysError, ValidationError
from docsys.ids import parse_id
from docsys.models import ROLES
from docsys.policy import Action
from docsys.web.auth import roles_required
from docsys.web.request_class import page_arg
from docsys.web.session import db

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/plantillas")
@roles_required(Action.ADMINISTER)
def templates():
    return render_template("admin/templates.html", templates=service.list_templates(db()))


@bp.route("/plantillas/<key>", methods=["GET", "POST"])
@roles_required(Action.ADMINISTER)
def edit_template(key):
    session = db()
    template = service.get_template(session, key)
    latest = service.latest_template_version(session, template)
    source, note, error = latest.source_text, "", None
    if request.method == "POST":
        source = request.form.get("source_text", "")
        note = request.form.get("note", "")
        try:
            version = services.update_template(session, current_user, key, source, note)
        except DocsysError as exc:
            error = exc.message
        else:
            flash(f"Plantilla guardada como versión {version.number}.", "success")
            return redirect(url_for("admin.edit_template", key=key))
    versions = service.template_versions(session, template)
    return render_template("admin/template_edit.html", template=template, source=source,
                           note=note, error=error, versions=versions), (400 if error else 200)


@bp.route("/plantillas/<key>/versiones/<int:number>")
@roles_required(Action.ADMINISTER)
def template_version(key, number):
    session = db()
    template = service.get_template(session, key)
    version = service.template_version(session, template, number)
    return render_template("admin/template_version.html", template=template, version=version)


@bp.route("/usuarios", methods=["GET", "POST"])
@roles_required(Action.ADMINISTER)
def users():
    session = db()
    error, form = None, {}
    if request.method == "POST":
        form = request.form.to_dict()
        try:
            services.create_user(session, current_user, form.get("username", ""),
                                 form.get("password", ""), form.get("full_name", ""),
                                 request.form.getlist("roles"), form.get("office") or None,
                                 position=form.get("position", ""), email=form.get("email", ""),
                                 dni=form.get("dni", ""))
        except DocsysError as exc:
            error = exc.message
        else:
            flash(f"Usuario «{form['username']}» creado.", "success")
            return redirect(url_for("admin.users"))
    return render_template(
        "admin/users.html", error=error, form=form, roles=ROLES,
        users=accounts.list_users(session), offices=accounts.list_offices(session)), \
        (400 if error else 200)


@bp.route("/usuarios/<username>", methods=["GET", "POST"])
@roles_required(Action.ADMINISTER)
def user(username):
    """One user: open sessions and API tokens (end or revoke any), password reset,
    deactivation, second factor reset."""
    session = db()
    target = services.user_named(session, username)
    error = None
    if request.method == "POST":
        action = request.form.get("action", "")
        try:
            if action == "reset_password":
                services.reset_password(session, current_user, username,
                                        request.form.get("temporary_password", ""))
                message = ("Contraseña temporal establecida: el usuario deberá cambiarla al "
                           "ingresar. Sus sesiones y tokens terminaron.")
            elif action in ("deactivate", "activate"):
                services.set_user_active(session, current_user, username, action == "activate")
                message = ("Usuario reactivado." if action == "activate" else
                           "Usuario desactivado: sus sesiones y tokens terminaron.")
            elif action == "reset_totp":
                services.reset_second_factor(session, current_user, username)
                message = ("Segundo factor restablecido: lo configurará de nuevo en su "
                           "próximo ingreso.")
            else:
                raise ValidationError("Acción desconocida.")
        except DocsysError as exc:
            error = exc.message
        else:
            flash(message, "success")
            return redirect(url_for("admin.user", username=target.username))
    limits = logins.Limits.of(current_app.config)
    return render_template(
        "admin/user.html", target=target, error=error,
        sessions=user_sessions.open_sessions(session, target, limits.idle, limits.maximum),
        tokens=accounts.list_tokens(session, target), status=accounts.token_status,
        enrolled=totp.is_enrolled(target)), (400 if error else 200)


@bp.route("/auditoria")
@roles_required(Action.ADMINISTER)
def audit_log():
    session = db()
    document_id = parse_id(request.args.get("documento"))
    page = page_arg("pagina")
    entries = audit.list_entries(session, document_id, limit=100, offset=(page - 1) * 100)
    # Verifying walks the whole chain (about 20 000 entries a second): on request only.
    report = services.verify_audit(session, current_app.config) \
        if request.args.get("verificar") else None
    return render_template("admin/audit.html", entries=entries, report=report,
                           document_id=document_id, page=page, labels=audit.ACTION_LABELS)


@bp.route("/auditoria.csv")
@roles_required(Action.ADMINISTER)
def audit_csv():
    data = audit.export_csv(db())
    return Response(data, mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": "attachment; filename=auditoria-docsys.csv"})


@bp.route("/feriados", methods=["GET", "POST"])
@roles_required(Action.ADMINISTER)
def holidays():
    """Local non-working days, which deadlines skip besides Peru's public holidays."""
    session = db()
    error, form = None, {}
    if request.method == "POST":
        form = request.form.to_dict()
        try:
            row = services.add_local_holiday(session, current_user, form.get("day", ""),
                                             form.get("name", ""))
        except DocsysError as exc:
            error = exc.message
        else:
            flash(f"Feriado local del {row.day:%d/%m/%Y} registrado.", "success")
            return redirect(url_for("admin.holidays"))
    calendar = deadlines.calendar(session)
    return render_template("admin/holidays.html", error=error, form=form,
                           local=deadlines.local_holidays(session),
                           national=sorted(calendar.holidays.items())), (400 if error else 200)


@bp.route("/anios", methods=["GET", "POST"])
@roles_required(Action.ADMINISTER)
def year_names():
    """The official name of each year, printed under the letterhead of its documents."""
    session = db()
    error, form = None, {}
    if request.method == "POST":
        form = request.form.to_dict()
        try:
            row = services.set_year_name(session, current_user, form.get("year", ""),
                                         form.get("name", ""))
        except DocsysError as exc:
            error = exc.message
        else:
            flash(f"Denominación del año {row.year} guardada.", "success")
            return redirect(url_for("admin.year_names"))
    return render_template("admin/year_names.html", error=error, form=form,
                           names=sorted(institution.year_names(session).items(), reverse=True)), \
        (400 if error else 200)


@bp.route("/institucion", methods=["GET", "POST"])
@roles_required(Action.ADMINISTER)
def institution_images():
    """The municipal shield and the letterhead logo printed on every document."""
    session = db()
    error = None
    if request.method == "POST":
        key = request.form.get("image", "")
        upload = request.files.get("file")
        data = upload.read() if upload and upload.filename else None
        try:
            services.set_institution_image(session, current_app.config, current_user, key, data)
        except DocsysError as exc:
            error = exc.message
        else:
            flash(f"Se guardó el {institution.IMAGES[key]}.", "success")
            return redirect(url_for("admin.institution_images"))
    return render_template("admin/institution_images.html", error=error,
                           images=institution.IMAGES,
                           stored=services.institution_image_keys(session)), \
        (400 if error else 200)
