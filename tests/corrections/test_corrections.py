"""Correcting an issued norm only by another norm (issue 12, item 8), on SQLite and
PostgreSQL: the pre-filled draft, its issue recording the confirmed relation and the
corrected norm's legal status, the corrected norm untouched, and every refusal."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from docsys import accounts, issuing, services, workflow
from docsys.compliance.finished import unfinished
from docsys.compliance.report import check_text
from docsys.db import transaction
from docsys.drafting import service
from docsys.errors import Conflict, PermissionDenied, ValidationError
from docsys.models import (AuditEntry, Document, DocumentVersion, Issuance, NormCorrection,
                           NormRelation)
from docsys.versions import latest_version
from tests.conftest import PASSWORD, get_user
from tests.compliance.support import DELEGATION, add_norm
from tests.corrections.support import REASON, issue_correction, issued_norm, text_of
from tests.issuing.support import approved_document

NUMBER = "RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0001-2026-GM-MDM"
LABEL = "Resolución de Gerencia Municipal N° 0001-2026-GM-MDM"


def _start(factory, username, document_id, kind="rectificar", reason=REASON):
    session = factory()
    try:
        return services.start_correction(session, get_user(session, username), document_id,
                                         kind, reason).document_id
    finally:
        session.close()


def _norm(factory, settings, **kwargs) -> tuple[int, str, bytes]:
    with transaction(factory) as session:
        norm = issued_norm(session, settings, **kwargs)
        issuance = issuing.issuance_of(session, norm)
        return norm.id, issuance.pdf_sha256, issuing.signed_pdf(settings, issuance)


def test_a_rectification_is_a_new_norm_that_leaves_the_corrected_one_untouched(
        signing_ready, settings):
    norm_id, sha, pdf = _norm(signing_ready, settings)
    with transaction(signing_ready) as session:
        before_versions = session.scalar(select(func.count()).select_from(DocumentVersion)
                                         .where(DocumentVersion.document_id == norm_id))
    draft_id = _start(signing_ready, "gerente", norm_id)
    with transaction(signing_ready) as session:
        draft, norm = session.get(Document, draft_id), session.get(Document, norm_id)
        assert (draft.status, draft.doc_type, draft.office.code) == ("borrador", "RGM", "GM")
        assert draft.template_version_id == norm.template_version_id
        assert draft.title == f"Rectificar el error material incurrido en la {LABEL}"
        text = " ".join(text_of(session, draft).split())
        assert f"Que, mediante la {LABEL}, de fecha 12 de marzo de 2026, se dispuso: " \
               "«Aprobar el expediente técnico del camino vecinal»;" in text
        assert "numeral 212.1 del artículo 212 del Texto Único Ordenado de la Ley N° 27444" in text
        assert "RECTIFICAR el error material incurrido en [indique el artículo" in text
        assert "DICE: «[texto erróneo]»; DEBE DECIR: «[texto correcto]»" in text
        assert f"DEJAR SUBSISTENTE la {LABEL} en todo lo demás que contiene" in text
        assert "REGÍSTRESE, COMUNÍQUESE Y CÚMPLASE." in text
        # What the drafter must complete blocks approval and issuing ("nothing unfinished").
        left = unfinished(draft, latest_version(session, draft).content)
        assert any("indicaciones de la plantilla" in p for p in left)
        correction = session.scalar(select(NormCorrection).where(
            NormCorrection.document_id == draft_id))
        assert (correction.corrected_document_id, correction.kind, correction.reason) == (
            norm_id, "rectificar", REASON)
        # In the drafting office's Bandeja; the authority who started it cannot edit it.
        redactor, gerente = get_user(session, "redactor"), get_user(session, "gerente")
        assert workflow.policy.has_next_step(redactor, draft, draft.status)
        assert not workflow.policy.allows(gerente, workflow.policy.Action.EDIT, draft)
        workflow.transition(session, draft, "enviar", redactor)
        workflow.give_visto_bueno(session, draft, get_user(session, "asesor"))
        workflow.give_visto_bueno(session, draft, gerente)
        with pytest.raises(Conflict, match="indicaciones de la plantilla"):
            workflow.transition(session, draft, "aprobar", get_user(session, "asesor"))
    with transaction(signing_ready) as session:   # back to the drafter, as a reviewer would
        draft = session.get(Document, draft_id)
        workflow.transition(session, draft, "observar", get_user(session, "asesor"),
                            "Complete el texto erróneo y el correcto.")
    issuance = issue_correction(signing_ready, settings, draft_id)
    with transaction(signing_ready) as session:
        norm, draft = session.get(Document, norm_id), session.get(Document, draft_id)
        assert draft.official_number == issuance.official_number != norm.official_number
        relations = list(session.scalars(select(NormRelation).where(
            NormRelation.source_document_id == draft_id)))
        assert [(r.kind, r.status, r.target_document_id, r.effective_date, r.articles)
                for r in relations] == [("rectifica", "confirmada", norm_id, "2026-03-12", [])]
        assert relations[0].decided_by.username == "gerente"
        assert session.scalar(select(NormCorrection.relation_id).where(
            NormCorrection.document_id == draft_id)) == relations[0].id
        assert norm.legal_status == "rectificada" and draft.legal_status == "vigente"
        # The corrected norm: same text, same versions, same signed PDF, byte for byte.
        assert norm.status == "emitido" and norm.official_number == NUMBER
        assert session.scalar(select(func.count()).select_from(DocumentVersion).where(
            DocumentVersion.document_id == norm_id)) == before_versions
        stored = issuing.issuance_of(session, norm)
        assert stored.pdf_sha256 == sha
        assert issuing.signed_pdf(settings, stored) == pdf
        actions = list(session.scalars(select(AuditEntry.action).where(
            AuditEntry.document_id == norm_id).order_by(AuditEntry.seq)))
        assert "correction_start" in actions and actions[-1] == "relation_confirm"


def test_leaving_a_norm_without_effect_takes_over_the_analysis_proposal(signing_ready,
                                                                        settings):
    norm_id, sha, _ = _norm(signing_ready, settings)
    draft_id = _start(signing_ready, "gerente", norm_id, "dejar_sin_efecto",
                      "El acto se emitió sin el informe técnico obligatorio")
    with transaction(signing_ready) as session:
        draft = session.get(Document, draft_id)
        assert draft.title == f"Dejar sin efecto la {LABEL}"
        text = " ".join(text_of(session, draft).split())
        assert f"DEJAR SIN EFECTO la {LABEL}, de fecha 12 de marzo de 2026" in text
        assert "numeral 213.1 del artículo 213" in text and "214.1 del artículo 214" in text
    issue_correction(signing_ready, settings, draft_id)
    with transaction(signing_ready) as session:
        relations = list(session.scalars(select(NormRelation).where(
            NormRelation.source_document_id == draft_id)))
        # The analysis read "DEJAR SIN EFECTO la Resolución …" as a repeal: one relation
        # only, the correction's, confirmed.
        assert [(r.kind, r.status, r.target_document_id) for r in relations] == [
            ("deja_sin_efecto", "confirmada", norm_id)]
        norm = session.get(Document, norm_id)
        assert norm.legal_status == "sin_efecto"
        assert issuing.issuance_of(session, norm).pdf_sha256 == sha
        # A draft citing it now gets the "not in force" warning, naming the norm that did it.
        report = check_text(session, f"Que, mediante la {LABEL}, se aprobó el expediente;")
        repealed = report.warnings_of("repealed")
        assert len(repealed) == 1 and repealed[0].document_id == norm_id
        assert "fue dejada sin efecto y no está vigente" in repealed[0].message
        assert ": la Resolución de Gerencia Municipal N° 0002-2026-GM-MDM la dejó sin efecto, " \
               "desde el " in repealed[0].message
        assert repealed[0].by_document_id == draft_id
    # A norm already without effect cannot be corrected again.
    with pytest.raises(Conflict, match="fue dejada sin efecto por .*ya no está vigente"):
        _start(signing_ready, "gerente", norm_id, "rectificar")


def test_refusals_change_nothing_and_are_audited(signing_ready, settings):
    norm_id, _, _ = _norm(signing_ready, settings)
    with transaction(signing_ready) as session:
        accounts.create_user(session, "gerente_gdur", PASSWORD, "Raúl Apaza Quispe", ["signer"],
                             office_code="GDUR", position="Gerente de Desarrollo Urbano")
        draft_id = approved_document(session, settings, sumilla="Otro borrador").id
        discarded = service.create_document(session, "resolucion-gerencia-municipal",
                                            {"sumilla": "Descartado"}, get_user(session, "redactor"))
        workflow.transition(session, discarded, "descartar", get_user(session, "redactor"),
                            "No procede")
        discarded_id = discarded.id

    def count():
        with transaction(signing_ready) as session:
            return (session.scalar(select(func.count()).select_from(Document)),
                    session.scalar(select(func.count()).select_from(NormCorrection)),
                    session.get(Document, norm_id).legal_status)

    before = count()
    cases = [
        ("redactor", norm_id, "rectificar", REASON, PermissionDenied, "Solo la autoridad"),
        ("asesor", norm_id, "rectificar", REASON, PermissionDenied, "Solo la autoridad"),
        ("gerente_gdur", norm_id, "rectificar", REASON, PermissionDenied, r"\(GM\)"),
        ("gerente", draft_id, "rectificar", REASON, Conflict, "aún no se ha emitido"),
        ("gerente", discarded_id, "rectificar", REASON, Conflict, "descartado"),
        ("gerente", norm_id, "corregir", REASON, ValidationError, "tipo de corrección"),
        ("gerente", norm_id, "rectificar", "", ValidationError, "motivo"),
        ("gerente", norm_id, "rectificar", "x" * 501, ValidationError, "500 caracteres"),
    ]
    for username, document_id, kind, reason, error, message in cases:
        with pytest.raises(error, match=message):
            _start(signing_ready, username, document_id, kind, reason)
    assert count() == before
    with transaction(signing_ready) as session:
        refused = session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "correction_refused"))
        assert refused == len(cases)
    # One correction at a time: a second start (a double submit) is refused.
    first = _start(signing_ready, "gerente", norm_id)
    with pytest.raises(Conflict, match=f"corrección en curso .* documento {first}"):
        _start(signing_ready, "gerente", norm_id, "modificar")
    with transaction(signing_ready) as session:
        assert session.scalar(select(func.count()).select_from(NormCorrection)) == 1
        assert session.scalar(select(func.count()).select_from(Issuance).where(
            Issuance.document_id == first)) == 0


def test_a_modification_confirms_what_the_analysis_read_in_its_articles(signing_ready,
                                                                        settings):
    norm_id, sha, _ = _norm(signing_ready, settings)
    draft_id = _start(signing_ready, "gerente", norm_id, "modificar",
                      "Se amplía el plazo de ejecución del proyecto")
    with transaction(signing_ready) as session:
        draft = session.get(Document, draft_id)
        assert draft.title == f"Modificar la {LABEL}"
        text = " ".join(text_of(session, draft).split())
        assert f"MODIFICAR [indique el artículo o la parte] de la {LABEL}" in text
    issue_correction(signing_ready, settings, draft_id)
    with transaction(signing_ready) as session:
        relations = list(session.scalars(select(NormRelation).where(
            NormRelation.source_document_id == draft_id)))
        assert {(r.kind, r.status, r.target_document_id) for r in relations} == {
            ("modifica", "confirmada", norm_id)}
        assert all(r.decision_note.startswith("Corrección emitida (modificar)")
                   for r in relations)
        norm = session.get(Document, norm_id)
        assert norm.legal_status == "modificada"
        assert issuing.issuance_of(session, norm).pdf_sha256 == sha


def test_a_norm_imported_into_the_archive_is_corrected_by_its_types_authority(signing_ready):
    with transaction(signing_ready) as session:
        norm = add_norm(session, DELEGATION, office="A")
        norm_id = norm.id
    with pytest.raises(PermissionDenied, match=r"\(A\)"):
        _start(signing_ready, "gerente", norm_id)
    draft_id = _start(signing_ready, "alcalde", norm_id)
    with transaction(signing_ready) as session:
        draft = session.get(Document, draft_id)
        assert (draft.doc_type, draft.office.code, draft.template_version.template.key) == (
            "RA", "A", "resolucion-alcaldia")
        assert draft.title == ("Rectificar el error material incurrido en la Resolución de "
                               "Alcaldía N° 145-2023-A-MDM")
        text = " ".join(text_of(session, draft).split())
        assert ("Que, mediante la Resolución de Alcaldía N° 145-2023-A-MDM, de fecha 10 de "
                "agosto de 2023, se dispuso: «Delega atribuciones administrativas en el Gerente "
                "Municipal»;") in text
        assert session.get(Document, norm_id).legal_status == "vigente"
