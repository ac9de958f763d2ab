"""The search page for signed-in users: one box over every document they may see."""
from __future__ import annotations

import re

from flask import Blueprint, current_app, render_template, request, url_for
from flask_login import current_user

from docsys.policy import search_visibility as visibility_for
from docsys.web.auth import roles_required
from docsys.web.session import db
from docsys.states import Status
from search import FACET_FIELDS, SearchError
from search.analysis import fold
from search.query import FIELD_NAMES

bp = Blueprint("search", __name__)

SORTS = {"relevancia": "relevance", "fecha": "date"}
FACET_LABELS = {"doc_type": "Tipo", "year": "Año", "office": "Oficina", "status": "Estado",
                "signer": "Firmante"}
# The query-syntax field each facet adds to the box when clicked.
FACET_FILTERS = {"doc_type": "tipo", "year": "año", "office": "oficina", "status": "estado",
                 "signer": "firmante"}
STATUS_LABELS = {"vigente": "Vigente", "modificada": "Modificada", "derogada": "Derogada",
                 Status.DRAFT.value: Status.DRAFT.label}


def run_search(visibility, per_page: int = 20):
    """Search with the request's ``q``, ``pagina`` and ``orden``; catches the index up first
    so that what was just saved is found. Returns (query, sort, results, error)."""
    service = current_app.extensions["docsys.search"]
    query = (request.args.get("q") or "").strip()
    requested = request.args.get("orden") or ""
    sort = requested if requested in SORTS else "relevancia"
    user_id = current_user.id if current_user.is_authenticated else None
    service.ensure_fresh(db(), user_id)
    try:
        results = service.backend.search(query, visibility=visibility, sort=SORTS[sort],
                                          page=request.args.get("pagina", 1),
                                          per_page=per_page)
    except SearchError as exc:
        return query, sort, None, str(exc)
    return query, sort, results, None


def with_filter(query: str, facet: str, value: str) -> str:
    """The query with one more facet filter (quoted when the value has spaces)."""
    value = value.replace('"', "")
    token = f'{FACET_FILTERS[facet]}:{value if " " not in value else chr(34) + value + chr(34)}'
    present = {fold(t) for t, _ in active_filters(query)}
    return query if fold(token) in present else f"{query} {token}".strip()


_FILTER_TOKEN = re.compile(r'(?<!\S)([^\W\d_]+):("[^"]*"?|\S*)')


def active_filters(query: str) -> list[tuple[str, str]]:
    """The filters typed in ``query`` (``estado:vigente``, ``firmante:"Pérez"``…), each with
    the query that remains without it: the links that take a filter away again."""
    out = []
    for m in _FILTER_TOKEN.finditer(query):
        if fold(m.group(1)) in FIELD_NAMES:
            rest = " ".join((query[:m.start()] + " " + query[m.end():]).split())
            out.append((m.group(0), rest))
    return out


@bp.route("/buscar")
@roles_required()
def index():
    query, sort, results, error = run_search(visibility_for(current_user))
    return render_template(
        "search/page.html", query=query, sort=sort, results=results, error=error,
        facet_fields=FACET_FIELDS, facet_labels=FACET_LABELS, status_labels=STATUS_LABELS,
        with_filter=with_filter, active_filters=active_filters, endpoint="search.index",
        hit_url=lambda hit: url_for("drafts.version", document_id=hit.document_id,
                                    number=hit.version_number))
