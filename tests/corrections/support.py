"""Helpers for corrections: an issued norm, and a correcting draft taken to issue through
the shared helpers (tests.issuing.support), so that a change in how vistos buenos and the
authority's signature are given is adapted there once."""
from __future__ import annotations

import datetime as dt

from docsys import issuing, services
from docsys.models import Document
from docsys.versions import latest_version
from tests.conftest import get_user
from tests.issuing.support import SECRET, approved_document, take_to_approval

MARCH_12 = dt.date(2026, 3, 12)
REASON = "Se consignó mal el código del proyecto en el artículo primero"


def issued_norm(session, settings, date=MARCH_12, **kwargs) -> Document:
    """An RGM (by default) issued by the Gerente Municipal on ``date``."""
    document = approved_document(session, settings, today=date, **kwargs)
    issuing.issue(session, settings, document, get_user(session, "gerente"), date=date,
                  secret=SECRET)
    return document


def text_of(session, document) -> str:
    from docsys.compliance.text import document_text
    return document_text(document, latest_version(session, document).content)


def issue_correction(session_factory, settings, draft_id, drafter="redactor",
                     signer="gerente"):
    """The drafter completes the correcting draft; it is reviewed, approved and issued
    (services.issue: its own transaction, as the pages and the CLI do)."""
    from docsys.db import transaction
    with transaction(session_factory) as session:
        draft = session.get(Document, draft_id)
        take_to_approval(session, settings, draft, get_user(session, drafter))
    session = session_factory()
    try:
        return services.issue(session, settings, get_user(session, signer), draft_id,
                              secret=SECRET)
    finally:
        session.close()
