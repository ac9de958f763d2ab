"""The user's inbox ("Bandeja"): the documents that concern them."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from docsys.inbox import inbox_documents
from docsys.web.auth import roles_required
from docsys.web.session import db

bp = Blueprint("inbox", __name__)


@bp.route("/")
@roles_required()
def index():
    status = request.args.get("estado") or None
    documents = inbox_documents(db(), current_user, status=status)
    return render_template("inbox.html", documents=documents, status=status)
