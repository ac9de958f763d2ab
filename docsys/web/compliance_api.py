"""Compliance in the JSON API (bearer tokens, like the rest of /api/v1):

- ``POST /api/v1/compliance/check``: JSON ``{"text": ..., "doc_type"?: ...}`` or a
  multipart ``file`` (TXT, PDF, DOCX; type read from the content, size-limited);
- ``GET /api/v1/compliance/documents/<id>/versions/<n>``: the report of a saved version;
- ``GET /api/v1/compliance/norms/<id>``: what a norm cites, what cites it, what changed it;
- ``GET /api/v1/compliance/relations?status=propuesta`` and
  ``POST /api/v1/compliance/relations/<id>/confirm|reject`` (archivists).
"""
from __future__ import annotations

from flask import Blueprint, g, jsonify, request, url_for

from docsys.models._common import iso_utc
from docsys import services, versions
from docsys.compliance import norms
from docsys.compliance.archive import whole_norm
from docsys.compliance.report import check_version
from docsys.errors import ValidationError
from docsys.policy import search_visibility as visibility_for
from docsys.web import rate_limited, reads_only
from docsys.web.api import token_required
from docsys.web.compliance import check_request, search_context
from docsys.web.request_class import page_arg
from docsys.web.session import db

bp = Blueprint("compliance_api", __name__, url_prefix="/api/v1/compliance")


def _with_links(report) -> dict:
    data = report.to_dict()
    for item in data["citations"] + data["relations"] + data["similar"]:
        match = item.get("match") if "match" in item else item
        if match and match.get("document_id"):
            match["url"] = url_for("compliance_api.norm", document_id=match["document_id"],
                                   _external=True)
    return data


@bp.route("/check", methods=["POST"])
@reads_only
@token_required()
@rate_limited("compliance")
def check():
    report, source = check_request(db(), g.api_user)
    data = _with_links(report)
    if source:
        data["file"] = source
    return jsonify(data)


@bp.route("/documents/<document_id>/versions/<number>")
@token_required()
def version_report(document_id, number):
    session = db()
    document = versions.get_document(session, document_id, g.api_user)
    version = versions.get_version(session, document, number)
    data = _with_links(check_version(session, document, version,
                                     **search_context(session, g.api_user)))
    data.update(document_id=document.id, version=version.number)
    return jsonify(data)


def relation_json(relation) -> dict:
    return {
        "id": relation.id, "kind": relation.kind, "status": relation.status,
        "source": {"document_id": relation.source_document_id,
                   "number": relation.source.official_number if relation.source else None},
        "target": {"document_id": relation.target_document_id,
                   "canonical_id": relation.target_canonical_id,
                   "label": relation.target_label,
                   "number": relation.target.official_number if relation.target else None,
                   "legal_status": relation.target.legal_status if relation.target else None},
        "articles": list(relation.articles or []), "whole_norm": not relation.articles,
        "evidence": relation.evidence, "effective_date": relation.effective_date,
        "proposed_at": iso_utc(relation.proposed_at),
        "decided_by": relation.decided_by.username if relation.decided_by else None,
        "decided_at": iso_utc(relation.decided_at),
        "decision_note": relation.decision_note,
    }


@bp.route("/norms/<document_id>")
@token_required()
def norm(document_id):
    session = db()
    document = norms.get_norm(session, document_id, g.api_user)
    links = norms.norm_links(session, document, visibility_for(g.api_user),
                             cited_by_page=page_arg("cited_by_page"))
    return jsonify({
        "norm": links.norm.to_dict(),
        "cites": [{"canonical_id": c.canonical_id, "label": c.label, "articles": c.articles,
                   "mentions": c.mentions, "match": c.match.to_dict() if c.match else None}
                  for c in links.cites],
        # a page of them, newest first (the Constitution is cited by nearly every norm)
        "cited_by": [n.to_dict() for n in links.cited_by],
        "cited_by_page": {"page": links.cited_by.paging.page,
                          "pages": links.cited_by.paging.pages,
                          "total": links.cited_by.paging.total},
        "affected_by": [relation_json(r) for r in links.affected_by],
        "affects": [relation_json(r) for r in links.affects],
        # where its imported text was taken from, and what that source's notes record
        # (SPIJ's, LP's), apart
        "source": ({"name": links.source.name, "full_name": links.source.full_name,
                    "url": links.source.url, "identifier": links.source.identifier}
                   if links.source is not None else None),
        "noted_by": [{"kind": n.kind, "part": n.part, "whole_norm": whole_norm(n.part),
                      "by": {"canonical_id": n.by_canonical_id, "label": n.by_label,
                             "document_id": n.by_document_id
                             if n.by_document_id in links.noted_visible else None},
                      "effective_date": n.effective_date}
                     for n in links.noted_by],
    })


@bp.route("/relations")
@token_required()
def relations():
    status = request.args.get("status", "propuesta") or None
    if status == "todas":
        status = None
    items = norms.list_relations(db(), status, limit=request.args.get("limit", 200),
                                 offset=request.args.get("offset", 0),
                                 visibility=visibility_for(g.api_user))
    return jsonify({"relations": [relation_json(r) for r in items]})


def _decision_body() -> dict:
    body = request.get_json(silent=True)
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise ValidationError("El cuerpo de la solicitud debe ser un objeto JSON.")
    return body


@bp.route("/relations/<relation_id>/confirm", methods=["POST"])
@token_required()
def confirm(relation_id):
    body = _decision_body()
    relation = services.decide_relation(db(), g.api_user, relation_id, "confirmar",
                                        body.get("effective_date"), body.get("note", ""))
    return jsonify(relation_json(relation))


@bp.route("/relations/<relation_id>/reject", methods=["POST"])
@token_required()
def reject(relation_id):
    body = _decision_body()
    relation = services.decide_relation(db(), g.api_user, relation_id, "rechazar",
                                        note=body.get("note", ""))
    return jsonify(relation_json(relation))
