"""The archive pages: upload of old norms, the import's progress, the review queue, the
review form (extracted text beside it), an archived norm and its original file."""
from __future__ import annotations

from io import BytesIO

from flask import (Blueprint, current_app, flash, redirect, render_template, request,
                   send_file, url_for)
from flask_login import current_user
from flask_wtf.csrf import ValidationError as CSRFValidationError
from flask_wtf.csrf import validate_csrf
from werkzeug.exceptions import RequestEntityTooLarge

from docsys import accounts, services
from docsys.archive import review, uploads
from docsys.archive.extract import megabytes
from docsys.archive.markdown_text import is_markdown, markdown_html
from docsys.archive.provenance import text_source
from docsys.archive.norms import TYPE_LABELS, TYPE_NAMES, norm_text
from docsys.compliance import pending
from docsys.errors import DocsysError
from docsys.paging import Paging
from docsys.versions import latest_version
from docsys.web import csrf, error_response, rate_limited, records_audit
from docsys.policy import Action
from docsys.web.auth import roles_required
from docsys.web.request_class import page_arg
from docsys.web.session import db

bp = Blueprint("archive", __name__, url_prefix="/archivo")
FIELD_LABELS = {"doc_type": "Tipo", "number": "Número", "year": "Año", "office": "Oficina",
                "date": "Fecha", "sumilla": "Sumilla"}
METHOD_LABELS = {"pdf-text": "PDF con texto", "ocr": "PDF escaneado (OCR)", "docx": "Word (DOCX)",
                 "doc": "Word 97-2003 (DOC)", "txt": "Texto"}


@bp.record_once
def _start_worker(state):
    app = state.app
    app.extensions["docsys.archive"] = uploads.ImportWorker(app.config,
                                                            app.extensions["docsys.sessions"])


def _worker() -> uploads.ImportWorker:
    return current_app.extensions["docsys.archive"]


@bp.app_context_processor
def _type_labels():
    return {"ARCHIVE_TYPE_LABELS": TYPE_LABELS}


@bp.context_processor
def _labels():
    return {"field_labels": FIELD_LABELS, "method_labels": METHOD_LABELS}


# ---------------------------------------------------------------------------- upload


@bp.route("/importar")
@roles_required(Action.IMPORT)
def upload_form():
    batches = uploads.recent_batches(db())
    config = current_app.config
    return render_template("archive/upload.html", batches=batches, counts={
        b.id: uploads.batch_counts(db(), b.id) for b in batches},
        max_upload=megabytes(config["ARCHIVE_MAX_UPLOAD_BYTES"]),
        max_file=megabytes(config["ARCHIVE_MAX_FILE_BYTES"]),
        max_files=uploads.MAX_FILES_PER_UPLOAD)


@bp.route("/importar", methods=["POST"])
@roles_required(Action.IMPORT)
@rate_limited("import")
def upload():
    """Many files at once, up to ARCHIVE_MAX_UPLOAD_BYTES: this view lifts the site-wide
    request limit for itself, so it checks the CSRF token itself once the body is read
    under that limit (the global check would refuse the body before)."""
    limit = current_app.config["ARCHIVE_MAX_UPLOAD_BYTES"]
    request.max_content_length = limit
    try:
        files = request.files.getlist("archivos")
        token = request.form.get("csrf_token")
    except RequestEntityTooLarge:
        return error_response(413, f"La carga supera el máximo de {megabytes(limit)} por envío. "
                                   "Súbala en varias partes.")
    try:
        validate_csrf(token)
    except CSRFValidationError:
        return error_response(400, "El formulario expiró o no es válido (token CSRF). "
                                   "Recargue la página e intente de nuevo.")
    batch_id = services.stage_uploads(db(), current_app.config, current_user,
                                      [(f.filename or "", f.stream) for f in files]).id
    _worker().notify()  # after the commit: the worker uses sessions of its own
    return redirect(url_for("archive.batch", batch_id=batch_id))


csrf.exempt(upload)  # checked in the view, after lifting the size limit


@bp.route("/importaciones/<int:batch_id>")
@roles_required(Action.IMPORT)
def batch(batch_id):
    session = db()
    found = uploads.get_batch(session, batch_id)
    running = uploads.has_pending(session, batch_id)
    if running:
        session.rollback()  # end this read before the worker writes (and to see its work)
        _worker().notify()  # also resumes an upload left by a process that stopped
        running = uploads.has_pending(session, batch_id)
    files = uploads.batch_files(session, batch_id)
    return render_template("archive/batch.html", batch=found, files=files, running=running,
                           counts=uploads.batch_counts(session, batch_id),
                           status_labels=uploads.STATUS_LABELS)


# ---------------------------------------------------------------------------- review


@bp.route("/revision")
@roles_required(Action.REVIEW_METADATA)
def queue():
    page = page_arg("pagina")
    norms, total = review.review_queue(db(), page=page, per_page=50)
    return render_template("archive/queue.html", norms=norms, total=total, page=page,
                           pages=Paging(total, page, 50).pages)


@bp.route("/normas/<document_id>/revisar", methods=["GET", "POST"])
@roles_required(Action.REVIEW_METADATA)
def review_form(document_id):
    session = db()
    norm = review.get_archived(session, document_id, current_user)
    version = latest_version(session, norm.document)
    values, error = review.form_values(norm), None
    if request.method == "POST":
        values = {name: request.form.get(name, "") for name in review.FORM_FIELDS}
        try:
            services.confirm_metadata(session, current_user, document_id, values,
                                      request.form.get("version"),
                                      current_app.config["MUNICIPALITY_CODE"])
        except DocsysError as exc:
            error = exc
        else:
            flash(f"Datos confirmados: {norm.document.official_number}.", "success")
            following = review.next_to_review(session)
            if following is not None:
                return redirect(url_for("archive.review_form", document_id=following.document_id))
            flash("No quedan normas por revisar.", "info")
            return redirect(url_for("archive.queue"))
        norm = review.get_archived(session, document_id, current_user)
        version = latest_version(session, norm.document)
    offices = accounts.list_offices(session, order_by="code")
    status = error.status if error else 200
    return render_template("archive/review.html", norm=norm, version=version,
                           text=norm_text(version.content), values=values, error=error,
                           offices=offices, types=TYPE_NAMES), status


# ---------------------------------------------------------------------------- norms


@bp.route("/normas/<document_id>")
@roles_required()
def norm(document_id):
    session = db()
    document, found = review.get_norm_page(session, document_id, current_user)
    version = latest_version(session, document)
    text = norm_text(version.content)
    return render_template("archive/norm.html", norm=found, document=document, text=text,
                           source=text_source(found),
                           text_html=markdown_html(text) if found is not None
                           and is_markdown(found.original_filename) else None,
                           can_review=review.can_review(current_user),
                           analysis_pending=pending.is_pending(session, document.id))


@bp.route("/normas/<document_id>/original")
@records_audit
@roles_required()
def original(document_id):
    norm, data, name = services.download_original(db(), current_app.config, current_user,
                                                  document_id)
    return send_file(BytesIO(data), mimetype=norm.mimetype, as_attachment=True,
                     download_name=name)
