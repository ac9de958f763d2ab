"""The user's inbox ("Bandeja"): what awaits them first, then every document they may see."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from docsys.states import STATUS_LABELS
from docsys.inbox import awaiting_counts, awaiting_documents, inbox_documents
from docsys.web.auth import roles_required
from docsys.web.session import db

bp = Blueprint("inbox", __name__)


@bp.route("/")
@roles_required()
def index():
    session = db()
    status = request.args.get("estado") or None
    return render_template(
        "inbox.html", awaiting=awaiting_documents(session, current_user),
        counts=awaiting_counts(session, current_user),
        documents=inbox_documents(session, current_user, status=status), status=status,
        status_labels=STATUS_LABELS)
