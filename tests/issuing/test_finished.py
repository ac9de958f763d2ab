"""Nothing unfinished is signed: approval and issuing refuse a text with template prompts,
empty required fields or failing structure rules, saying what to fix, and take no
number; the signature block printed is the signer's user record, never free text."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from docsys import holder_signing, issuing, workflow
from docsys.db import transaction
from docsys.drafting import service
from docsys.errors import Conflict
from docsys.models import NumberSequence
from docsys.states import Status
from tests.conftest import get_user
from tests.issuing.support import SECRET, FIELDS, RGM, approved_document, pages_text


def _sent_with_prompts(session, settings):
    author = get_user(session, "redactor")
    document = service.create_document(session, RGM, {"sumilla": "Aprobar el expediente",
                                                      **FIELDS}, author)
    workflow.transition(session, document, "enviar", author)
    # No visto bueno is signed on an unfinished text.
    with pytest.raises(Conflict, match="texto sin terminar.*«\\[indique"):
        holder_signing.give_visto_bueno(session, settings, document,
                                        get_user(session, "asesor"), secret=SECRET)
    assert not workflow.current_vistos(session, document)
    return document


def test_a_text_with_prompts_is_neither_approved_nor_issued(signing_ready, settings):
    with transaction(signing_ready) as session:
        document = _sent_with_prompts(session, settings)
        with pytest.raises(Conflict, match="Quedan indicaciones de la plantilla sin completar"):
            workflow.transition(session, document, "aprobar", get_user(session, "asesor"))
        assert document.status == Status.IN_REVIEW
        # A document approved before this rule existed is still refused at issuing.
        document.status = Status.APPROVED
        session.flush()
        with pytest.raises(Conflict, match=r"No se emite un texto sin terminar.*«\[indique"):
            issuing.issue(session, settings, document, get_user(session, "gerente"), secret=SECRET)
        session.rollback()
    with transaction(signing_ready) as session:
        assert session.scalar(select(func.count()).select_from(NumberSequence)) == 0


def test_the_signature_block_is_the_signers_record(signing_ready, settings, tmp_path):
    with transaction(signing_ready) as session:
        document = approved_document(session, settings)
        version = document.latest_version
        # Free text in the draft's signature block does not reach the signed act.
        assert FIELDS["firmante_nombre"] == "Jorge Mendoza Salas"
        gerente = get_user(session, "gerente")
        gerente.full_name = "Abog. Jorge Luis Mendoza Salas"
        session.flush()
        issuance = issuing.issue(session, settings, document, gerente,
                                 date=dt.date(2026, 3, 12), secret=SECRET)
        assert issuance.version_number == version
        pdf = issuing.signed_pdf(settings, issuance)
    text = " ".join(" ".join(pages_text(pdf, tmp_path)).split())
    assert "Abog. Jorge Luis Mendoza Salas" in text
