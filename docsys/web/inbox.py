"""The user's inbox ("Bandeja"): what awaits them first, then every document they may see,
searched, filtered and paged (docsys.inbox)."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user

from docsys import inbox
from docsys.states import STATUS_LABELS
from docsys.web.auth import roles_required
from docsys.web.session import db

bp = Blueprint("inbox", __name__)


@bp.route("/")
@roles_required()
def index():
    session = db()
    filters = inbox.InboxFilters.from_args(request.args)
    awaiting = inbox.awaiting_documents(session, current_user)
    return render_template(
        "inbox.html", awaiting=awaiting,
        awaiting_deadlines=inbox.deadlines_for(session, awaiting, current_app.config),
        counts=inbox.awaiting_counts(session, current_user),
        page=inbox.inbox_page(session, current_user, filters, current_app.config),
        filters=filters, choices=inbox.filter_choices(session, current_user),
        sorts=inbox.SORTS, deadline_filters=inbox.DEADLINE_FILTERS,
        status_labels=STATUS_LABELS)
