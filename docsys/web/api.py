"""JSON API under /api/v1, authenticated by bearer token (no cookies, so no CSRF).

Every route calls the same domain functions as the web pages; errors come back as
``{"error": {"status": ..., "message": "<Spanish>"}}``.
"""
from __future__ import annotations

from functools import wraps
from io import BytesIO
from pathlib import Path

import orjson
import yaml
from flask import Blueprint, current_app, g, jsonify, request, send_file, url_for

from docsys.models import User
from docsys.models._common import iso_utc
from docsys import accounts, issuing, policy, portal, services, verification, versions, workflow
from docsys.drafting import service
from docsys.errors import NotFound, ValidationError
from docsys.ids import parse_id
from docsys.inbox import inbox_documents
from docsys.models._common import as_utc
from docsys.indexing import results_json
from docsys.archive.review import archived_norm_of
from docsys.policy import Action
from docsys.review import service as redlines
from docsys.review.redline import summary_lines
from docsys.states import Origin, Status, label
from docsys.web import (error_response, policy_allowing_inline_styles, queues_for_writing,
                        rate_limited, records_audit)
from docsys.web.session import db, later

bp = Blueprint("api", __name__, url_prefix="/api/v1")
OPENAPI_FILE = Path(__file__).with_name("openapi.yaml")


def token_cache(app=None) -> accounts.TokenCache:
    """This process's bearer checks (see accounts.TokenCache)."""
    extensions = (app or current_app).extensions
    cache = extensions.get("docsys.token_cache")
    if cache is None:
        cache = extensions.setdefault("docsys.token_cache", accounts.TokenCache())
    return cache


def bearer_token(header: str) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header (None: another scheme)."""
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def token_required(action: Action | None = None, *, user_row: bool = True):
    """A valid bearer token and, for an endpoint that is one action's, the policy's yes.

    ``g.api_user`` is the user loaded in the request's session, or, with
    ``user_row=False`` (an endpoint that needs only who it is and what they may see), the
    check's own ``accounts.TokenUser``, which costs no query."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            token = bearer_token(request.headers.get("Authorization", ""))
            checked = (token_cache().check(db(), token, touch=later)
                       if token is not None else None)
            user: accounts.TokenUser | User | None = checked
            if checked is not None and (user_row or action is not None):
                user = db().get(User, checked.id)
            if user is None:
                return error_response(401, "Token de acceso ausente, vencido, revocado o no "
                                           "válido. Envíe «Authorization: Bearer <token>».")
            if action is not None and not (isinstance(user, User)
                                           and policy.allows(user, action)):
                return error_response(403, "No tiene permiso para realizar esta acción.")
            g.api_user = user
            return view(*args, **kwargs)
        return wrapped
    return decorator


def _body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationError("El cuerpo de la solicitud debe ser un objeto JSON válido.")
    return body


def _document_json(document, include_content=False) -> dict:
    data = {
        "id": document.id, "doc_type": document.doc_type, "title": document.title,
        "status": document.status, "office": document.office.code,
        "created_by": document.created_by.username,
        "template_version_id": document.template_version_id,
        "latest_version": document.latest_version,
        "created_at": iso_utc(document.created_at),
        "updated_at": iso_utc(document.updated_at),
        "url": url_for("drafts.edit", document_id=document.id, _external=True),
        "origin": document.origin, "official_number": document.official_number,
        "issue_date": document.issue_date, "legal_status": document.legal_status,
    }
    if document.origin == Origin.IMPORTED:
        data["url"] = url_for("archive.norm", document_id=document.id, _external=True)
        data["archive"] = _archive_json(document)
    if include_content:
        data["content"] = versions.latest_version(db(), document).content
    return data


def _archive_json(document) -> dict | None:
    """An imported norm's original file and how its text and metadata were read."""
    norm = archived_norm_of(db(), document)
    if norm is None:
        return None
    return {"original_filename": norm.original_filename, "sha256": norm.original_sha256,
            "mimetype": norm.mimetype, "size": norm.size, "method": norm.method,
            "pages": norm.pages, "ocr": norm.ocr, "ocr_confidence": norm.ocr_confidence,
            "needs_review": norm.needs_review,
            "metadata_confidence": norm.metadata_confidence, "guessed": norm.guessed,
            "imported_at": iso_utc(norm.imported_at),
            "original": url_for("api.original", document_id=document.id, _external=True)}


def _version_json(document, version, include_content=False) -> dict:
    data = {
        "document_id": document.id, "number": version.number, "author": version.author.username,
        "note": version.note, "autosave": version.autosave,
        "restored_from": version.restored_from, "content_hash": version.content_hash,
        "created_at": iso_utc(version.created_at),
        "pdf": url_for("api.render", document_id=document.id, number=version.number,
                       format="pdf", _external=True),
        "docx": url_for("api.render", document_id=document.id, number=version.number,
                        format="docx", _external=True),
    }
    if include_content:
        data["content"] = version.content
    return data


@bp.route("/openapi.json")
def openapi():
    spec = yaml.safe_load(OPENAPI_FILE.read_text(encoding="utf-8"))
    spec["servers"] = [{"url": request.host_url.rstrip("/") + "/api/v1"}]
    return jsonify(spec)


@bp.route("/templates")
@token_required()
def list_templates():
    session = db()
    result = []
    for template in service.list_templates(session):
        definition = service.latest_template_version(session, template).definition
        result.append({"key": template.key, "name": template.name, "doc_type": template.doc_type,
                       "version": template.latest_version,
                       "fields": [{k: f.get(k) for k in ("key", "label", "required", "default")}
                                  for f in definition["fields"]]})
    return jsonify({"templates": result})


@bp.route("/documents", methods=["GET"])
@token_required()
def list_documents():
    documents = inbox_documents(db(), g.api_user, status=request.args.get("status"))
    return jsonify({"documents": [_document_json(d) for d in documents]})


@bp.route("/documents", methods=["POST"])
@token_required(Action.CREATE)
def create_document():
    body = _body()
    document = services.create_document(db(), g.api_user, body.get("template"),
                                        body.get("fields") or {})
    return jsonify(_document_json(document, include_content=True)), 201


@bp.route("/documents/<document_id>")
@token_required()
def get_document(document_id):
    document = versions.get_document(db(), document_id, g.api_user)
    return jsonify(_document_json(document, include_content=True))


@bp.route("/documents/<document_id>/versions", methods=["GET"])
@token_required()
def list_versions(document_id):
    session = db()
    document = versions.get_document(session, document_id, g.api_user)
    return jsonify({"versions": [_version_json(document, v)
                                 for v in versions.list_versions(session, document)]})


@bp.route("/documents/<document_id>/versions", methods=["POST"])
@token_required()
def save_version(document_id):
    body = _body()
    version = services.save_version(db(), g.api_user, document_id, body.get("content"),
                                    body.get("base_version"), note=body.get("note", ""))
    return jsonify(_version_json(version.document, version, include_content=True)), 201


@bp.route("/documents/<document_id>/versions/<number>")
@token_required()
def get_version(document_id, number):
    session = db()
    document = versions.get_document(session, document_id, g.api_user)
    return jsonify(_version_json(document, versions.get_version(session, document, number),
                                 include_content=True))


@bp.route("/documents/<document_id>/versions/<number>/restore", methods=["POST"])
@token_required()
def restore_version(document_id, number):
    version = services.restore_version(db(), g.api_user, document_id, number,
                                       _body().get("base_version"))
    return jsonify(_version_json(version.document, version, include_content=True)), 201


@bp.route("/documents/<document_id>/versions/<number>/render")
@records_audit
@token_required()
@rate_limited("render")
def render(document_id, number):
    fmt = request.args.get("format", "pdf")
    rendered = services.download_version(db(), current_app.config, g.api_user, document_id,
                                         number, fmt, via="api")
    response = send_file(BytesIO(rendered.data), mimetype=rendered.mimetype,
                         as_attachment=fmt != "html", download_name=rendered.filename)
    if fmt == "html":
        response.headers["Content-Security-Policy"] = policy_allowing_inline_styles(
            rendered.data.decode("utf-8"))
    return response


@bp.route("/documents/<document_id>/original")
@records_audit
@token_required()
def original(document_id):
    """The original file of a norm imported from the archive (PDF, DOCX, ...), as received."""
    norm, data, name = services.download_original(db(), current_app.config, g.api_user,
                                                  document_id, via="api")
    return send_file(BytesIO(data), mimetype=norm.mimetype, as_attachment=True,
                     download_name=name)


# ---- review workflow ------------------------------------------------------------------

def _user_ref(session, username):
    return None if username in (None, "") else services.user_named(session, username)


def _workflow_json(session, document) -> dict:
    return {
        "document_id": document.id, "status": document.status,
        "status_label": label(document.status),
        "latest_version": document.latest_version,
        "assignee": document.assignee.username if document.assignee else None,
        "available_actions": [{"action": a.key, "label": a.label, "needs_reason": a.needs_reason}
                              for a in workflow.available_actions(session, g.api_user, document)],
        "vistos_buenos": [{"kind": k, "user": v.user.username, "version": v.version_number,
                           "at": iso_utc(v.created_at)}
                          for k, v in workflow.current_vistos(session, document).items()],
        "transitions": [{"action": t.action, "from": t.from_status, "to": t.to_status,
                         "by": t.actor.username, "version": t.version_number, "reason": t.reason,
                         "at": iso_utc(t.created_at)}
                        for t in workflow.history(session, document)],
        "derivations": [{"from": d.from_user.username, "to": d.to_user.username, "note": d.note,
                         "at": iso_utc(d.created_at)}
                        for d in workflow.derivations(session, document)],
        "open_comments": workflow.open_comment_count(session, document),
    }


def _workflow_reply(session, document_id):
    """201 with the document's workflow as it now stands."""
    document = versions.get_document(session, document_id, g.api_user)
    return jsonify(_workflow_json(session, document)), 201


@bp.route("/documents/<document_id>/workflow")
@token_required()
def get_workflow(document_id):
    session = db()
    document = versions.get_document(session, document_id, g.api_user)
    return jsonify(_workflow_json(session, document))


@bp.route("/documents/<document_id>/transitions", methods=["POST"])
@token_required()
def post_transition(document_id):
    session = db()
    body = _body()
    services.transition(session, g.api_user, document_id, body.get("action"),
                        body.get("reason", ""), assignee=_user_ref(session, body.get("assignee")))
    return _workflow_reply(session, document_id)


def _signing_input() -> dict:
    """How the holder proves control, as a signing request sends it: JSON ``secret`` (their
    clave de firma), or multipart ``certificate`` + ``passphrase`` (a .p12 presented; a
    ``secret`` form field also works)."""
    if request.is_json:
        body = _body()
        return {"secret": body.get("secret")}
    upload = request.files.get("certificate")
    return {"secret": request.form.get("secret") or None,
            "p12": upload.read() if upload else None,
            "passphrase": request.form.get("passphrase")}


@bp.route("/documents/<document_id>/vistos-buenos", methods=["POST"])
@queues_for_writing
@token_required()
def post_visto_bueno(document_id):
    """Give the V°B° and sign it with the holder's certificate (see _signing_input)."""
    session = db()
    services.give_visto_bueno(session, current_app.config, g.api_user, document_id,
                              **_signing_input())
    return _workflow_reply(session, document_id)


def _comment_json(comment) -> dict:
    return {"id": comment.id, "thread_id": comment.thread_id, "version": comment.version_number,
            "section": comment.section_key, "item_id": comment.item_id, "quote": comment.quote,
            "body": comment.body, "author": comment.author.username,
            "created_at": iso_utc(comment.created_at),
            "resolved": comment.resolved_at is not None,
            "resolved_by": comment.resolved_by.username if comment.resolved_by else None}


@bp.route("/documents/<document_id>/comments", methods=["GET"])
@token_required()
def list_comments(document_id):
    session = db()
    document = versions.get_document(session, document_id, g.api_user)
    threads = []
    for thread in workflow.comment_threads(session, document):
        data = _comment_json(thread["comment"])
        data["replies"] = [_comment_json(r) for r in thread["replies"]]
        data["current_position"] = ({"section": thread["current_position"][0],
                                     "index": thread["current_position"][1]}
                                    if thread["current_position"] else None)
        threads.append(data)
    return jsonify({"threads": threads})


@bp.route("/documents/<document_id>/comments", methods=["POST"])
@token_required()
def post_comment(document_id):
    body = _body()
    comment = services.add_comment(db(), g.api_user, document_id, body.get("body"),
                                   body.get("version"), item_id=body.get("item_id") or "",
                                   quote=body.get("quote") or "", thread_id=body.get("thread_id"))
    return jsonify(_comment_json(comment)), 201


@bp.route("/documents/<document_id>/comments/<comment_id>/resolve", methods=["POST"])
@token_required()
def resolve_comment(document_id, comment_id):
    comment = services.resolve_comment(db(), g.api_user, document_id, comment_id)
    return jsonify(_comment_json(comment))


@bp.route("/documents/<document_id>/derivations", methods=["POST"])
@token_required()
def post_derivation(document_id):
    session = db()
    body = _body()
    to_user = _user_ref(session, body.get("to"))
    if to_user is None:
        raise ValidationError("Indique a quién derivar el documento («to»).")
    services.derive(session, g.api_user, document_id, to_user, body.get("note", ""))
    return _workflow_reply(session, document_id)


def _redline_json(comparison) -> dict:
    from dataclasses import asdict

    redline = comparison.redline
    changed = [item for item in redline.items() if item.status != "unchanged"]
    return {
        "document_id": comparison.document.id, "from": comparison.old.number,
        "to": comparison.new.number, "summary": asdict(redline.summary),
        "summary_lines": summary_lines(redline.summary),
        "moves": [item.move_description for item in redline.moves()],
        "items": [{"status": item.status, "section": item.new_section or item.old_section,
                   "old_label": item.old_label, "new_label": item.new_label,
                   "old_text": item.old_text, "new_text": item.new_text,
                   "moved_from": item.move_label or None} for item in changed],
        "html": comparison.html(),
        "docx": url_for("api.redline_docx", document_id=comparison.document.id, _external=True,
                        **{"from": comparison.old.number, "to": comparison.new.number}),
    }


@bp.route("/documents/<document_id>/redline")
@token_required()
def redline(document_id):
    """The comparison of two versions (``from``, ``to``; by default the last two): JSON with
    the summary, the changed items and the HTML fragment, or (``format=html``) the bare
    HTML fragment."""
    session = db()
    document = versions.get_document(session, document_id, g.api_user)
    fmt = request.args.get("format", "json")
    if fmt not in ("json", "html"):
        raise ValidationError("Formato no admitido. Use json o html (o redline.docx para Word).")
    comparison = redlines.compare_versions(session, document, request.args.get("from"),
                                          request.args.get("to"))
    if fmt == "html":
        return comparison.html(), 200, {"Content-Type": "text/html; charset=utf-8"}
    return jsonify(_redline_json(comparison))


@bp.route("/documents/<document_id>/redline.docx")
@records_audit
@token_required()
@rate_limited("render")
def redline_docx(document_id):
    """The same comparison as a DOCX with Word tracked changes (an audited download)."""
    comparison, data = services.download_comparison(db(), g.api_user, document_id,
                                                    request.args.get("from"),
                                                    request.args.get("to"), via="api")
    return send_file(BytesIO(data), mimetype=redlines.DOCX_MIMETYPE, as_attachment=True,
                     download_name=comparison.docx_filename)


def version_url_builder(build=None):
    """``f(document_id, version)`` -> the absolute API URL of that version. The router
    builds one URL ("~" cannot occur in a host name) and the hits fill it in: a route
    lookup per hit costs more than the rest of the hit's JSON. ``build(endpoint, values)``:
    the router's absolute URL (default: ``url_for`` in this request)."""
    values = {"document_id": "~d~", "number": "~v~"}
    url = (build("api.get_version", values) if build is not None
           else url_for("api.get_version", _external=True, **values))
    head, _, rest = url.partition("~d~")
    middle, _, tail = rest.partition("~v~")
    return lambda document_id, version: f"{head}{document_id}{middle}{version}{tail}"


def _arg(args, name: str, default):
    """``args.get(name, default)`` without its miss path: werkzeug's MultiDict answers a
    missing key by building a BadRequestKeyError (an HTTP exception) and catching it, three
    times on a plain search."""
    return args.get(name, default) if name in args else default


def search_answer(app, session, user, args, version_url) -> bytes:
    """The JSON body of GET /api/v1/search for ``user`` (a checked bearer) with the query
    ``args``: the index first brought up to date with what was committed before (see
    SearchService.ensure_fresh), then searched within what the policy lets the user see.
    Raises ValidationError (bad input) and search.SearchUnavailable (no index).

    The one home of the endpoint's work: the Flask view and the lean path
    (docsys.web.lean) both answer through it."""
    from search import SearchError, SearchUnavailable

    sort = _arg(args, "sort", "relevance")
    if sort not in ("relevance", "date"):
        raise ValidationError("El orden debe ser «relevance» o «date».")
    service = app.extensions["docsys.search"]
    service.ensure_fresh(session, user.id)
    try:
        results = service.backend.search(
            _arg(args, "q", ""), visibility=policy.search_visibility(user), sort=sort,
            page=_arg(args, "page", 1), per_page=_arg(args, "per_page", 20))
    except SearchUnavailable:
        raise  # not the user's query: the caller answers 503
    except SearchError as exc:
        raise ValidationError(str(exc))
    # orjson: a page of 20 hits with snippets is tens of kilobytes, and the standard
    # encoder (keys sorted) took a good part of the request's time around the search.
    return orjson.dumps(results_json(results, version_url, native=True))


@bp.route("/search")
@token_required(user_row=False)
def search():
    from search import SearchUnavailable

    try:
        body = search_answer(current_app, db(), g.api_user, request.args,
                             version_url_builder())
    except SearchUnavailable as exc:
        return error_response(503, str(exc))
    return current_app.response_class(body, mimetype="application/json")


# ---- issuing, publication, verification -----------------------------------------------

def _issuance_json(issuance, document) -> dict:
    address = portal.address_of(document)
    return {
        "document_id": document.id, "status": document.status,
        "legal_status": document.legal_status, "number": issuance.official_number,
        "doc_type": issuance.doc_type, "office": issuance.office_code, "year": issuance.year,
        "sequence": issuance.sequence, "issue_date": issuance.issue_date,
        "verification_code": issuance.verification_code, "sha256": issuance.pdf_sha256,
        "signer": issuance.signer.username, "issued_at": iso_utc(issuance.issued_at),
        "version": issuance.version_number,
        "pdf": url_for("api.signed_pdf", document_id=document.id, _external=True),
        "verification_url": url_for("portal.verify_code", code=issuance.verification_code,
                                    _external=True),
        "portal_url": url_for("portal.norm", **address.as_args(), _external=True)
        if address and document.status == Status.PUBLISHED else None,
    }


@bp.route("/documents/<document_id>/issue", methods=["POST"])
@queues_for_writing
@token_required()
def issue_document(document_id):
    """Number, sign and store an approved document: the signer's stored certificate opened
    with JSON ``secret`` (their clave de firma), or a PKCS#12 sent as multipart
    ``certificate`` with ``passphrase``."""
    issuance = services.issue(db(), current_app.config, g.api_user, document_id,
                              **_signing_input())
    document = versions.get_document(db(), document_id, g.api_user)
    return jsonify(_issuance_json(issuance, document)), 201


@bp.route("/documents/<document_id>/corrections", methods=["POST"])
@token_required()
def start_correction(document_id):
    """Start the correction of an issued norm by another norm: ``{"kind": "rectificar" |
    "dejar_sin_efecto" | "modificar", "reason": "..."}``; the new draft is returned."""
    body = _body()
    correction = services.start_correction(db(), g.api_user, document_id, body.get("kind"),
                                           body.get("reason"))
    return jsonify({"id": correction.id, "kind": correction.kind, "reason": correction.reason,
                    "corrected": {"document_id": correction.corrected_document_id,
                                  "number": correction.corrected.official_number},
                    "document": _document_json(correction.document, include_content=True)}), 201


@bp.route("/documents/<document_id>/publish", methods=["POST"])
@token_required()
def publish_document(document_id):
    session = db()
    document = services.publish(session, g.api_user, document_id)
    return jsonify(_issuance_json(issuing.get_issuance(session, document), document))


@bp.route("/documents/<document_id>/issuance")
@token_required()
def get_issuance(document_id):
    session = db()
    document = versions.get_document(session, document_id, g.api_user)
    return jsonify(_issuance_json(issuing.get_issuance(session, document), document))


@bp.route("/documents/<document_id>/signed.pdf")
@records_audit
@token_required()
def signed_pdf(document_id):
    issuance, data = services.download_signed_pdf(db(), current_app.config, g.api_user,
                                                  document_id, via="api")
    return send_file(BytesIO(data), mimetype="application/pdf", as_attachment=True,
                     download_name=issuing.pdf_filename(issuance))


@bp.route("/verify", methods=["POST"])
def verify():
    """Public, like /verificar: the PDF as multipart ``file`` (or the raw body as
    application/pdf); the report as JSON, one entry per signature."""
    upload = request.files.get("file")
    if upload is not None:
        data = upload.read()
    elif request.mimetype == "application/pdf":
        data = request.get_data()
    else:
        raise ValidationError("Envíe el PDF como archivo multipart «file» o como cuerpo "
                              "application/pdf.")
    result = verification.verify_file(db(), current_app.config, data)
    return jsonify(verification.report_json(result))


@bp.route("/verify/<code>")
def verify_code(code):
    """Public: the issued PDF with this verification code, verified now."""
    result = verification.verify_code(db(), current_app.config, code)
    if result is None:
        raise NotFound("No existe ningún documento emitido con ese código de verificación.")
    return jsonify(verification.report_json(result))


def _token_json(row) -> dict:
    """An API token as its owner sees it (never the token itself: only its hash is kept)."""
    def moment(value):
        return as_utc(value).isoformat() if value is not None else None
    return {"id": row.id, "name": row.name, "user": row.user.username,
            "created_at": moment(row.created_at), "expires_at": moment(row.expires_at),
            "last_used_at": moment(row.last_used_at), "revoked_at": moment(row.revoked_at),
            "status": accounts.token_status(row)}


@bp.route("/tokens")
@token_required()
def list_tokens():
    """The caller's tokens (new ones are made on the «Mis tokens de API» page, after the
    whole login, second factor included)."""
    return jsonify({"tokens": [_token_json(row)
                               for row in accounts.list_tokens(db(), g.api_user)]})


@bp.route("/tokens/<token_id>/revoke", methods=["POST"])
@token_required()
def revoke_token(token_id):
    """Revoke one of the caller's tokens (an administrator: anyone's); the next request
    with it is refused."""
    session = db()
    services.revoke_token(session, g.api_user, token_id)
    return jsonify(_token_json(accounts.get_token(session, parse_id(token_id) or 0)))
