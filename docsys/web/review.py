"""Legal review in the browser: workflow actions, vistos buenos, comments, derivations,
and the comparison (redline) of two versions."""
from __future__ import annotations

from io import BytesIO

from flask import (Blueprint, current_app, flash, jsonify, redirect, render_template, request,
                   send_file, url_for)
from flask_login import current_user

from docsys import audit, corrections, issuing, policy, services, versions, workflow
from docsys.exports import preview_html
from docsys.rendering.layout import part_names, section_name
from docsys.states import STATUS_LABELS, Status, label
from docsys.models import User
from docsys.portal import address_of
from docsys.review import service
from docsys.signing.credentials import needs_reentry, stored_credential
from docsys.web import queues_for_writing, rate_limited, records_audit, wants_json
from docsys.web.auth import roles_required
from docsys.web.issuing import signing_secret, uploaded_certificate
from docsys.web.session import db, render_settings

bp = Blueprint("review", __name__, url_prefix="/documentos")


def _user_by_id(session, raw) -> User | None:
    return services.user_by_id(session, raw) if raw else None


def _back(document_id):
    return redirect(url_for("review.page", document_id=document_id))


@bp.route("/<document_id>/revision")
@roles_required()
def page(document_id):
    session = db()
    document = versions.get_document(session, document_id, current_user)
    latest = versions.latest_version(session, document)
    names = part_names(latest.content)
    parts = [(section_name(section), [(item["id"], names[item["id"]])
                                      for item in section.get("items", []) if item.get("id") in names])
             for section in latest.content.get("sections", [])]
    return render_template(
        "review/page.html", document=document, version=latest,
        options=workflow.action_blockers(session, current_user, document),
        return_reason=workflow.return_reason(session, document),
        body=preview_html(render_settings(), document, latest.content), parts=parts,
        vistos=workflow.current_vistos(session, document),
        transitions=workflow.history(session, document),
        derivations=workflow.derivations(session, document),
        threads=workflow.comment_threads(session, document),
        all_versions=versions.list_versions(session, document),
        candidates=workflow.derivation_candidates(session, document),
        send_candidates=[u for u in workflow.derivation_candidates(session, document,
                                                                   Status.IN_REVIEW)
                         if u.has_role("legal")],
        states=STATUS_LABELS,
        can_vb=workflow.may_give_visto_bueno(session, current_user, document),
        can_comment=workflow.may_comment(current_user, document),
        can_derive=policy.allows(current_user, policy.Action.DERIVE, document),
        may_resolve=policy.may_resolve,
        editable=policy.allows(current_user, policy.Action.EDIT, document),
        audit_entries=audit.list_entries(session, document.id, limit=200)
        if current_user.has_role("admin") else [],
        **issuing_context(session, document), **correction_context(session, document))


def correction_context(session, document) -> dict:
    """What the corrections panel needs: whether the user may start one on this norm, the
    corrections already started on it, and what this document corrects (if it does)."""
    return {"can_correct": bool(document.official_number)
            and corrections.may_start(current_user, document),
            "correction_kinds": list(corrections.KINDS.values()),
            "corrections_started": corrections.corrections_of(session, document)
            if document.official_number else [],
            "corrects": corrections.correction_of(session, document)}


def issuing_context(session, document) -> dict:
    """What the issuing panel of the review page needs."""
    issuance = issuing.issuance_of(session, document)
    address = address_of(document)
    can_issue = issuing.can_issue(current_user, document)
    next_number = (issuing.next_number(session, current_app.config, document)
                   if can_issue and issuance is None and document.status == Status.APPROVED
                   else None)
    credential = stored_credential(session, current_user)
    return {"issuance": issuance, "can_issue": can_issue, "next_number": next_number,
            "can_publish": issuing.can_publish(current_user, document),
            "has_credential": credential is not None,
            "credential_needs_reentry": credential is not None and needs_reentry(credential),
            "norm_url_args": address.as_args() if address else {}}


@bp.route("/<document_id>/acciones/<action>", methods=["POST"])
@roles_required()
def act(document_id, action):
    session = db()
    assignee = _user_by_id(session, request.form.get("assignee"))
    moved = services.transition(session, current_user, document_id, action,
                                request.form.get("reason", ""), assignee=assignee)
    flash(f"Documento en estado «{label(moved.to_status)}».", "success")
    return _back(moved.document_id)


@bp.route("/<document_id>/corregir", methods=["POST"])
@roles_required()
def correct(document_id):
    """«Corregir esta norma»: a new draft that rectifies, leaves without effect or modifies
    the issued norm (the norm itself never changes)."""
    correction = services.start_correction(db(), current_user, document_id,
                                           request.form.get("tipo"), request.form.get("motivo"))
    flash(f"Se creó el borrador {correction.document_id} «{correction.document.title}» en "
          f"{correction.document.office.name}: complete las indicaciones entre corchetes, "
          "envíelo a revisión y, con los vistos buenos, emítalo.", "success")
    return _back(correction.document_id)


@bp.route("/<document_id>/visto-bueno", methods=["POST"])
@queues_for_writing
@roles_required()
def visto_bueno(document_id):
    """Give the V°B° and sign it with one's own certificate (clave de firma, or the .p12
    presented with its passphrase). A second submit is a harmless 409."""
    p12, passphrase = uploaded_certificate()
    row = services.give_visto_bueno(db(), current_app.config, current_user, document_id,
                                    secret=signing_secret(), p12=p12, passphrase=passphrase)
    flash(f"Visto bueno registrado y firmado con su certificado sobre la versión "
          f"{row.version_number}.", "success")
    return _back(row.document_id)


@bp.route("/<document_id>/derivar", methods=["POST"])
@roles_required()
def derive(document_id):
    session = db()
    document = versions.get_document(session, document_id, current_user)
    to_user = _user_by_id(session, request.form.get("to_user"))
    if to_user is None:
        flash("Elija a quién derivar el documento.", "error")
        return _back(document.id)
    services.derive(session, current_user, document.id, to_user, request.form.get("note", ""))
    flash(f"Documento derivado a {to_user.full_name}.", "success")
    return _back(document.id)


@bp.route("/<document_id>/comentarios", methods=["POST"])
@roles_required()
def comment(document_id):
    body = request.get_json(silent=True) if request.is_json else None
    form = body if isinstance(body, dict) else ({} if request.is_json else request.form)
    comment = services.add_comment(db(), current_user, document_id, form.get("body"),
                                   form.get("version"),
                                   item_id=form.get("item_id", ""),
                                   quote=form.get("quote", ""),
                                   thread_id=form.get("thread_id") or None)
    if wants_json():  # the editor answers an observation without leaving the page
        return jsonify({"id": comment.id, "author": comment.author.full_name,
                        "body": comment.body})
    flash("Comentario registrado.", "success")
    return _back(comment.document_id)


@bp.route("/<document_id>/comentarios/<comment_id>/resolver", methods=["POST"])
@roles_required()
def resolve(document_id, comment_id):
    comment = services.resolve_comment(db(), current_user, document_id, comment_id)
    if wants_json():
        return jsonify({"id": comment.id, "resolved": True})
    flash("Observación resuelta.", "success")
    return _back(comment.document_id)


@bp.route("/<document_id>/comentarios/<comment_id>/atendida", methods=["POST"])
@roles_required()
def address(document_id, comment_id):
    comment = services.address_comment(db(), current_user, document_id, comment_id)
    if wants_json():
        return jsonify({"id": comment.id, "addressed": True})
    flash("Observación marcada como atendida.", "success")
    return redirect(url_for("drafts.edit", document_id=comment.document_id))


@bp.route("/<document_id>/comparar")
@roles_required()
def compare(document_id):
    session = db()
    document = versions.get_document(session, document_id, current_user)
    comparison = service.compare_versions(session, document, request.args.get("de"),
                                          request.args.get("a"))
    return render_template("review/compare.html", document=document, old=comparison.old,
                           new=comparison.new, redline=comparison.redline,
                           body=comparison.html())


@bp.route("/<document_id>/comparar.docx")
@records_audit
@roles_required()
@rate_limited("render")
def compare_docx(document_id):
    comparison, data = services.download_comparison(db(), current_user, document_id,
                                                    request.args.get("de"), request.args.get("a"))
    return send_file(BytesIO(data), as_attachment=True, mimetype=service.DOCX_MIMETYPE,
                     download_name=comparison.docx_filename)
