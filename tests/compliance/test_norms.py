"""Norms in the archive, on SQLite and PostgreSQL: stored citations, proposed relations, the
archivist's decisions, legal status, audit and the search outbox."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from docsys import audit
from docsys.compliance.norms import (analyze_norm, confirm_relation, norm_links,
                                     refresh_statuses, reject_relation, status_from)
from docsys.db import transaction
from docsys.errors import Conflict, PermissionDenied, ValidationError
from docsys.models import AuditEntry, NormCitation, NormRelation, SearchOutbox
from tests.compliance.support import CUIS, DELEGATION, MODIFIER, REPEALER, ROF, add_norm
from tests.conftest import get_user


def relations(session, **where):
    query = select(NormRelation)
    for key, value in where.items():
        query = query.where(getattr(NormRelation, key) == value)
    return list(session.scalars(query.order_by(NormRelation.id)))


def test_citations_are_stored_and_replaced(session_factory):
    with transaction(session_factory) as session:
        rof = add_norm(session, ROF)
        rows = list(session.scalars(select(NormCitation).where(NormCitation.document_id == rof.id)))
        assert [(r.canonical_id, r.articles, r.archive_key) for r in rows] == \
            [("LEY-27972", ["9"], "LEY-27972")]
        analyze_norm(session, rof, "Conforme a la Ley N° 27444 y al Decreto Supremo N° "
                                   "004-2019-JUS; ORDENANZA MUNICIPAL N° 012-2019-MDM.")
        rows = session.scalars(select(NormCitation.canonical_id)
                               .where(NormCitation.document_id == rof.id)).all()
        assert sorted(rows) == ["DS-4-2019-JUS", "LEY-27444"]      # its own number left out


def test_only_norms_are_analyzed(session_factory):
    from docsys.drafting import service

    with transaction(session_factory) as session:
        draft = service.create_document(session, "resolucion-alcaldia",
                                        {"sumilla": "Un borrador"}, get_user(session, "redactor"))
        with pytest.raises(ValidationError, match="emitidas o importadas"):
            analyze_norm(session, draft)


def test_repeal_is_proposed_confirmed_and_followed(session_factory):
    with transaction(session_factory) as session:
        cuis = add_norm(session, CUIS)
        repealer = add_norm(session, REPEALER)
        (relation,) = relations(session, source_document_id=repealer.id)
        assert (relation.kind, relation.status, relation.target_document_id) == \
            ("deroga", "propuesta", cuis.id)
        assert relation.effective_date == "2025-02-14" and relation.articles == []
        assert "DERÓGUESE la Ordenanza Municipal N° 008-2021-MDM" in relation.evidence
        assert cuis.legal_status == "vigente"                   # a proposal changes nothing
        assert analyze_norm(session, repealer).proposed == []    # idempotent
        outbox_before = session.scalar(select(func.count()).select_from(SearchOutbox)
                                       .where(SearchOutbox.document_id == cuis.id))

        with pytest.raises(PermissionDenied):
            confirm_relation(session, relation, get_user(session, "asesor"))
        confirm_relation(session, relation, get_user(session, "archivo"), note="Verificado")
        assert cuis.legal_status == "derogada" and relation.status == "confirmada"
        assert relation.decided_by.username == "archivo" and relation.decided_at is not None
        assert session.scalar(select(func.count()).select_from(SearchOutbox).where(
            SearchOutbox.document_id == cuis.id)) > outbox_before
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "relation_confirm"))
        assert entry.document_id == cuis.id and entry.details["legal_status_after"] == "derogada"
        assert audit.verify_chain(session).ok
        with pytest.raises(Conflict):
            confirm_relation(session, relation, get_user(session, "archivo"))

        with pytest.raises(ValidationError, match="motivo"):
            reject_relation(session, relation, get_user(session, "archivo"), "")
        reject_relation(session, relation, get_user(session, "archivo"), "Era otra ordenanza")
        assert cuis.legal_status == "vigente" and relation.status == "rechazada"


def test_partial_changes_make_a_norm_modified(session_factory):
    with transaction(session_factory) as session:
        rof = add_norm(session, ROF)
        modifier = add_norm(session, MODIFIER)
        (relation,) = relations(session, source_document_id=modifier.id)
        assert (relation.kind, relation.articles) == ("modifica", ["12"])
        confirm_relation(session, relation, get_user(session, "archivo"),
                         effective_date="2022-04-01")
        assert rof.legal_status == "modificada" and relation.effective_date == "2022-04-01"
        with pytest.raises(ValidationError, match="AAAA-MM-DD"):
            confirm_relation(session, relations(session, id=relation.id)[0],
                             get_user(session, "archivo"), effective_date="1/4/2022")


def test_a_relation_waits_for_its_target_to_be_archived(session_factory):
    with transaction(session_factory) as session:
        repealer = add_norm(session, REPEALER)
        (relation,) = relations(session, source_document_id=repealer.id)
        assert relation.target_document_id is None
        with pytest.raises(Conflict, match="no está en el archivo"):
            confirm_relation(session, relation, get_user(session, "archivo"))
        cuis = add_norm(session, CUIS)                       # imported later
        assert relation.target_document_id == cuis.id
        confirm_relation(session, relation, get_user(session, "archivo"))
        assert cuis.legal_status == "derogada"


def test_future_effective_dates_apply_when_they_come(session_factory):
    with transaction(session_factory) as session:
        cuis = add_norm(session, CUIS)
        repealer = add_norm(session, REPEALER)
        (relation,) = relations(session, source_document_id=repealer.id)
        confirm_relation(session, relation, get_user(session, "archivo"),
                         effective_date="2030-01-01", today=dt.date(2026, 1, 1))
        assert cuis.legal_status == "vigente"
        assert refresh_statuses(session, dt.date(2029, 12, 31)) == 0
        assert refresh_statuses(session, dt.date(2030, 1, 1)) == 1
        assert cuis.legal_status == "derogada"
        assert refresh_statuses(session, dt.date(2030, 1, 2)) == 0


def test_status_rules():
    def r(kind, articles=(), date="2020-01-01", status="confirmada"):
        return NormRelation(kind=kind, articles=list(articles), effective_date=date, status=status)
    today = dt.date(2024, 1, 1)
    assert status_from([], today) == "vigente"
    assert status_from([r("reglamenta")], today) == "vigente"
    assert status_from([r("deroga", ["5"])], today) == "modificada"
    assert status_from([r("modifica"), r("deroga")], today) == "derogada"
    assert status_from([r("deroga", status="propuesta")], today) == "vigente"
    assert status_from([r("deroga", date="2025-01-01")], today) == "vigente"


def test_norm_links(session_factory):
    with transaction(session_factory) as session:
        rof = add_norm(session, ROF)
        modifier = add_norm(session, MODIFIER)
        delegation = add_norm(session, DELEGATION, office="A")
        add_norm(session, ("RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0012-2026-GM-MDM", "2026-01-20",
                           "Plan anual", ["Conforme a la Resolución de Alcaldía N° 145-2023-A-MDM "
                                          "y a la Ordenanza Municipal N° 099-2020-MDM."]),
                 office="GM")
        confirm_relation(session, relations(session, source_document_id=modifier.id)[0],
                         get_user(session, "archivo"))
        links = norm_links(session, rof)
        assert links.norm.legal_status == "modificada"
        assert [n.number for n in links.cited_by] == [modifier.official_number]
        assert [(r.kind, r.source_document_id) for r in links.affected_by] == \
            [("modifica", modifier.id)]
        assert [(c.canonical_id, c.match.document_id if c.match else None)
                for c in links.cites] == [("LEY-27972", None)]
        plan_links = norm_links(session, session.get(type(rof), rof.id + 3))
        assert [(c.canonical_id, bool(c.match)) for c in plan_links.cites] == \
            [("RA-145-2023", True), ("OM-99-2020", False)]
        assert [n.document_id for n in norm_links(session, delegation).cited_by] == [rof.id + 3]
        assert norm_links(session, modifier).affects[0].target_document_id == rof.id


def test_a_gazette_page_proposes_only_the_clauses_under_the_norms_own_heading(session_factory):
    """The text of a norm imported from a gazette page also holds the next norm of the
    page: that norm's repeal is not proposed as this one's."""
    page = ("ORDENANZA MUNICIPAL N° 012-2019-MDM\nEL ALCALDE DE LA MUNICIPALIDAD DISTRITAL DE "
            "MEGANTONI\nPOR CUANTO:\nArtículo 1.- DERÓGUESE la Ordenanza Municipal N° "
            "008-2018-MDM.\n\nDECRETO SUPREMO N° 004-2019-JUS\nEL PRESIDENTE DE LA "
            "REPÚBLICA\nCONSIDERANDO:\nArtículo 1.- Derógase la Ley N° 27806.\n")
    with transaction(session_factory) as session:
        rof = add_norm(session, ROF, analyze=False)
        analysis = analyze_norm(session, rof, page)
        assert [(r.kind, r.target_canonical_id) for r in analysis.proposed] == [
            ("deroga", "OM-8-2018")]
