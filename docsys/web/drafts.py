"""Drafting in the browser: new from template, editor, save, preview, history, downloads."""
from __future__ import annotations

from io import BytesIO

from flask import (Blueprint, current_app, flash, jsonify, make_response, redirect,
                   render_template, request, send_file, url_for)
from flask_login import current_user

from docsys.models._common import iso_utc
from docsys import policy, services, versions, workflow
from docsys.drafting import service
from docsys.drafting.structure import normalize_content
from docsys.states import Origin
from docsys.errors import ValidationError
from docsys.exports import preview_html
from docsys.rendering.layout import section_name
from docsys.states import STATUS_LABELS
from docsys.web import rate_limited, records_audit
from docsys.policy import Action
from docsys.web.auth import roles_required
from docsys.web.session import db, render_settings

bp = Blueprint("drafts", __name__, url_prefix="/documentos")


def _json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationError("El cuerpo de la solicitud debe ser un objeto JSON válido.")
    return body


@bp.route("/nuevo")
@roles_required(Action.CREATE)
def choose_template():
    return render_template("drafts/choose_template.html", templates=service.list_templates(db()))


@bp.route("/nuevo/<key>", methods=["GET", "POST"])
@roles_required(Action.CREATE)
def create(key):
    session = db()
    template = service.get_template(session, key)
    definition = service.latest_template_version(session, template).definition
    values = {f["key"]: f.get("default", "") for f in definition["fields"]}
    if request.method == "POST":
        values = {f["key"]: request.form.get(f["key"], "") for f in definition["fields"]}
        try:
            document = services.create_document(session, current_user, key, values)
        except ValidationError as exc:
            return render_template("drafts/create.html", template=template, definition=definition,
                                   values=values, error=exc.message), 400
        flash("Documento creado como borrador (versión 1).", "success")
        return redirect(url_for("drafts.edit", document_id=document.id))
    return render_template("drafts/create.html", template=template, definition=definition,
                           values=values, error=None)


@bp.route("/<document_id>")
@roles_required()
def edit(document_id):
    session = db()
    document = versions.get_document(session, document_id, current_user)
    if document.origin == Origin.IMPORTED:  # an archived norm has no editor: its archive page
        return redirect(url_for("archive.norm", document_id=document.id))
    latest = versions.latest_version(session, document)
    editable = policy.allows(current_user, policy.Action.EDIT, document)
    copy = versions.working_copy(session, document, current_user) if editable else None
    content = copy.content if copy is not None else latest.content
    threads = [t for t in workflow.comment_threads(session, document)
               if t["comment"].resolved_at is None]
    response = make_response(render_template(
        "drafts/edit.html", document=document, version=latest, editable=editable,
        definition=document.template_version.definition if document.template_version else None,
        preview=preview_html(render_settings(), document, content), content=content,
        working_copy=copy, base_version=copy.base_version if copy is not None else latest.number,
        return_reason=workflow.return_reason(session, document),
        observations=workflow.thread_data(threads),
        can_address=policy.may_address(current_user, document),
        can_comment=workflow.may_comment(current_user, document),
        section_names={s.get("key"): section_name(s) for s in content.get("sections", [])},
        autosave_seconds=current_app.config["AUTOSAVE_SECONDS"], status_labels=STATUS_LABELS))
    # Back must fetch the page again, never show an editor of a version already replaced.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<document_id>/estado")
@roles_required()
def current_state(document_id):
    """What a page left open checks before it trusts itself: the latest version and state."""
    document = versions.get_document(db(), document_id, current_user)
    return jsonify({"version": document.latest_version, "status": document.status})


@bp.route("/<document_id>/guardar", methods=["POST"])
@roles_required()
def save(document_id):
    body = _json_body()
    if body.get("autosave"):  # a working copy, not a version
        copy = services.keep_working_copy(db(), current_user, document_id, body.get("content"),
                                          body.get("base_version"))
        return jsonify({"working_copy": True, "version": copy.base_version,
                        "saved_at": iso_utc(copy.updated_at)})
    version = services.save_version(db(), current_user, document_id, body.get("content"),
                                    body.get("base_version"), note=body.get("note", ""))
    return jsonify({"version": version.number, "created_at": iso_utc(version.created_at),
                    "note": version.note, "title": version.document.title,
                    "content": version.content})


@bp.route("/<document_id>/vista-previa", methods=["POST"])
@roles_required()
def preview(document_id):
    session = db()
    document = versions.get_document(session, document_id, current_user)
    content = normalize_content(_json_body().get("content"))
    return jsonify({"html": preview_html(render_settings(), document, content)})


@bp.route("/<document_id>/historial")
@roles_required()
def history(document_id):
    session = db()
    document = versions.get_document(session, document_id, current_user)
    return render_template("drafts/history.html", document=document,
                           versions=versions.list_versions(session, document),
                           editable=policy.allows(current_user, policy.Action.EDIT, document),
                           status_labels=STATUS_LABELS)


@bp.route("/<document_id>/versiones/<number>")
@roles_required()
def version(document_id, number):
    session = db()
    document = versions.get_document(session, document_id, current_user)
    if document.origin == Origin.IMPORTED:
        return redirect(url_for("archive.norm", document_id=document.id))
    version = versions.get_version(session, document, number)
    return render_template("drafts/version.html", document=document, version=version,
                           body=preview_html(render_settings(), document, version.content),
                           editable=policy.allows(current_user, policy.Action.EDIT, document),
                           status_labels=STATUS_LABELS)


@bp.route("/<document_id>/versiones/<number>/contenido")
@roles_required()
def version_content(document_id, number):
    """A version's structured content, for the editor's side-by-side conflict view."""
    session = db()
    document = versions.get_document(session, document_id, current_user)
    version = versions.get_version(session, document, number)
    return jsonify({"version": version.number, "author": version.author.full_name,
                    "created_at": iso_utc(version.created_at), "content": version.content,
                    "html": preview_html(render_settings(), document, version.content)})


@bp.route("/<document_id>/versiones/<number>/restaurar", methods=["POST"])
@roles_required()
def restore(document_id, number):
    new = services.restore_version(db(), current_user, document_id, number,
                                   request.form.get("base_version"))
    flash(f"Versión {number} restaurada como versión {new.number}.", "success")
    return redirect(url_for("drafts.history", document_id=new.document_id))


@bp.route("/<document_id>/versiones/<number>/descargar.<fmt>")
@records_audit
@roles_required()
@rate_limited("render")
def download(document_id, number, fmt):
    if fmt not in ("pdf", "docx"):
        raise ValidationError("Formato no admitido. Use pdf o docx.")
    rendered = services.download_version(db(), current_app.config, current_user, document_id,
                                         number, fmt)
    return send_file(BytesIO(rendered.data), mimetype=rendered.mimetype, as_attachment=True,
                     download_name=rendered.filename)
