"""Compliance in the browser: check a pasted text or a file, the report of every draft
version, each norm's links in the archive, and the archivist's queue of proposed relations.
The API (``compliance_api``) serves the same reports as JSON."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from docsys import services, versions
from docsys.archive.extract import ExtractionError
from docsys.compliance import norms, pending
from docsys.compliance.archive import note_lines
from docsys.compliance.report import DOC_TYPE_LABELS, check_text, check_version
from docsys.compliance.text import text_from_file
from docsys.errors import ValidationError
from docsys.policy import search_visibility as visibility_for
from docsys.portal import LEGAL_STATUS_LABELS
from docsys.states import STATUS_LABELS
from docsys.web import rate_limited, reads_only
from docsys.policy import Action
from docsys.web.auth import roles_required
from docsys.ids import parse_id
from docsys.web.request_class import page_arg
from docsys.web.session import db

bp = Blueprint("compliance", __name__)



SHOWN_TEXT_CHARS = 200_000       # the annotated text on the page (the check covers it all)
WARNING_LABELS = {"repealed": "Derogada", "modified": "Modificada",
                  "relation_pending": "Relación pendiente", "not_found": "No está en el archivo",
                  "duplicate": "Posible duplicado", "missing_structure": "Estructura"}


def search_context(session, user) -> dict:
    """The search backend (caught up with recent saves) and what ``user`` may see."""
    service = current_app.extensions["docsys.search"]
    service.ensure_fresh(session, getattr(user, "id", None), everyone=True)
    return {"backend": service.backend, "visibility": visibility_for(user)}


def check_request(session, user) -> tuple:
    """Read the text (field ``text`` or an uploaded ``file``) and the optional
    ``doc_type`` of a form or JSON request, and check it. Returns (report, source)."""
    payload = request.get_json(silent=True) if request.is_json else None
    if request.is_json and not isinstance(payload, dict):
        raise ValidationError("El cuerpo de la solicitud debe ser un objeto JSON válido.")
    values = payload if payload is not None else request.form
    upload = request.files.get("file") if payload is None else None
    text: str | None
    source: str | None
    if upload is not None and upload.filename:
        text = text_from_file(upload.read(), upload.filename,
                              current_app.config["MAX_CONTENT_LENGTH"], current_app.config)
        source = upload.filename
    else:
        text = values.get("text")
        source = None
    report = check_text(session, text, doc_type=values.get("doc_type"),
                        **search_context(session, user))
    return report, source


def annotated(report) -> list[tuple[str, str | None, str]]:
    """The checked text cut into (text, css class or None, tooltip): citations marked by
    what the archive says of them."""
    status: dict[str, str] = {}
    for w in report.warnings:
        if w.canonical_id and w.kind in ("repealed", "modified", "not_found"):
            status.setdefault(w.canonical_id, w.kind)
    text = report.text[:SHOWN_TEXT_CHARS]
    out: list[tuple[str, str | None, str]] = []
    pos = 0
    for item in report.citations:
        c = item.citation
        if c.start < pos or c.end > len(text):
            continue
        out.append((text[pos:c.start], None, ""))
        kind = status.get(c.canonical_id) or ("found" if item.match else "external")
        tip = c.canonical_label + (f" · {item.match.legal_status}" if item.match else "")
        out.append((text[c.start:c.end], f"cite cite-{kind}", tip))
        pos = c.end
    out.append((text[pos:], None, ""))
    return out


def _report_context(report) -> dict:
    return {"report": report, "segments": annotated(report),
            "truncated": len(report.text) > SHOWN_TEXT_CHARS,
            "warning_labels": WARNING_LABELS, "legal_status_labels": LEGAL_STATUS_LABELS,
            "relation_labels": norms.RELATION_LABELS}


@bp.route("/cumplimiento", methods=["GET", "POST"])
@reads_only
@roles_required()
@rate_limited("compliance", methods=("POST",))
def check():
    form = {"text": "", "doc_type": ""}
    if request.method == "GET":
        return render_template("compliance/check.html", form=form, doc_types=DOC_TYPE_LABELS)
    form = {"text": request.form.get("text", "")[:SHOWN_TEXT_CHARS],
            "doc_type": request.form.get("doc_type", "")}
    try:
        report, source = check_request(db(), current_user)
    except (ValidationError, ExtractionError) as exc:
        return render_template("compliance/check.html", form=form, doc_types=DOC_TYPE_LABELS,
                               error=exc.message), exc.status
    return render_template("compliance/check.html", form=form, doc_types=DOC_TYPE_LABELS,
                           source=source, **_report_context(report))


@bp.route("/documentos/<document_id>/versiones/<number>/cumplimiento")
@roles_required()
def version_report(document_id, number):
    session = db()
    document = versions.get_document(session, document_id, current_user)
    version = versions.get_version(session, document, number)
    report = check_version(session, document, version,
                           **search_context(session, current_user))
    return render_template("compliance/version.html", document=document, version=version,
                           status_labels=STATUS_LABELS, **_report_context(report))


@bp.route("/normas/<document_id>/relaciones")
@roles_required()
def norm_page(document_id):
    session = db()
    document = norms.get_norm(session, document_id, current_user)
    return render_template("compliance/norm.html", document=document,
                           links=norms.norm_links(session, document,
                                                  visibility_for(current_user),
                                                  cited_by_page=page_arg("citada_por")),
                           analysis_pending=pending.is_pending(session, document.id),
                           note_lines=note_lines, legal_status_labels=LEGAL_STATUS_LABELS,
                           relation_labels=norms.RELATION_LABELS,
                           relation_status_labels=norms.RELATION_STATUS_LABELS)


@bp.route("/archivo/relaciones")
@roles_required(Action.CONFIRM_RELATION)
def relations():
    session = db()
    status = request.args.get("estado", "propuesta")
    if status not in norms.RELATION_STATUS_LABELS:
        status = "propuesta"
    relations, paging, waiting = norms.relation_queue(session, status, page_arg("pagina"))
    return render_template("compliance/relations.html", status=status,
                           relations=relations, paging=paging, waiting=waiting,
                           noted=norms.noted_by_source(session, relations),
                           noted_count=(norms.count_noted_proposals(session)
                                        if status == "propuesta" else 0),
                           counts={s: paging.total if s == status
                                   else norms.count_relations(session, s)
                                   for s in norms.RELATION_STATUS_LABELS},
                           relation_labels=norms.RELATION_LABELS,
                           relation_status_labels=norms.RELATION_STATUS_LABELS,
                           legal_status_labels=LEGAL_STATUS_LABELS)


@bp.route("/archivo/relaciones/confirmar-registradas", methods=["POST"])
@roles_required(Action.CONFIRM_RELATION)
def confirm_noted():
    done = services.confirm_noted_relations(db(), current_user)
    if done:
        flash(f"{done} {'relación confirmada' if done == 1 else 'relaciones confirmadas'}: "
              "las registran las notas del texto importado de la norma afectada.", "success")
    else:   # another archivist decided them meanwhile
        flash("No quedan propuestas que registren las notas de la fuente.", "info")
    return redirect(url_for("compliance.relations", estado="propuesta"))


@bp.route("/archivo/relaciones/<relation_id>/<decision>", methods=["POST"])
@roles_required()
def decide(relation_id, decision):
    relation = services.decide_relation(db(), current_user, relation_id, decision,
                                        request.form.get("effective_date"),
                                        request.form.get("note", ""))
    if decision == "confirmar":
        status = LEGAL_STATUS_LABELS.get(relation.target.legal_status, "")
        message = (f"Relación confirmada: {relation.source.official_number} "
                   f"{norms.RELATION_LABELS[relation.kind].lower()} "
                   f"{relation.target.official_number}; estado de la norma afectada: {status}.")
    else:
        message = "Relación rechazada."
    flash(message, "success")
    back = request.form.get("volver")
    page = parse_id(request.form.get("pagina"))   # the page it was decided on
    return redirect(url_for("compliance.relations",
                            estado=back if back in norms.RELATION_STATUS_LABELS else "propuesta",
                            pagina=page if page and page > 1 else None))
