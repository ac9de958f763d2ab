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
from docsys.models import AuditEntry, NormCitation, NormRelation, SearchOutbox, SourceRelation
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


def _selects(session, run):
    """The SELECT statements ``run()`` sends, lowercased on one line each."""
    from sqlalchemy import event

    engine, statements = session.get_bind(), []

    def seen(_conn, _cursor, statement, *_args):
        if statement.lstrip().lower().startswith("select"):
            statements.append(" ".join(statement.split()).lower())

    event.listen(engine, "before_cursor_execute", seen)
    try:
        return run(), statements
    finally:
        event.remove(engine, "before_cursor_execute", seen)


def test_a_norm_stating_many_relations_reads_them_and_their_targets_at_once(session_factory):
    """The relations a norm already has, and the targets of all its clauses, are read in
    one query each, however many clauses it has (it was two queries and a lookup a
    clause): the same proposals, a clause stated twice proposed once, none made again."""
    text = ("Artículo 1.- DERÓGUESE la Ordenanza Municipal N° 008-2021-MDM.\n\n"
            "Artículo 2.- MODIFÍQUESE el artículo 12 de la Ordenanza Municipal N° "
            "012-2019-MDM.\n\n"
            "Artículo 3.- DÉJESE SIN EFECTO la Resolución de Alcaldía N° 145-2023-A-MDM.\n\n"
            "Artículo 4.- DERÓGUESE la Ordenanza Municipal N° 099-2020-MDM.\n\n"
            "Artículo 5.- DERÓGUESE la Ordenanza Municipal N° 008-2021-MDM.\n")
    with transaction(session_factory) as session:
        rof, cuis, delegation = (add_norm(session, spec) for spec in (ROF, CUIS, DELEGATION))
        source = add_norm(session, REPEALER, analyze=False)
        analysis, selects = _selects(session, lambda: analyze_norm(session, source, text))
        assert sorted((r.kind, r.target_canonical_id, r.articles, r.target_document_id)
                      for r in analysis.proposed) == sorted([
            ("deroga", "OM-8-2021", [], cuis.id),
            ("modifica", "OM-12-2019", ["12"], rof.id),
            ("deroga", "RA-145-2023", [], delegation.id),
            ("deroga", "OM-99-2020", [], None)])
        assert [r.target.official_number for r in analysis.proposed
                if r.target_document_id == cuis.id] == [cuis.official_number]
        targets = [s for s in selects if "documents.number_key in" in s]
        own = [s for s in selects if "from norm_relations" in s
               and "norm_relations.source_document_id =" in s]
        assert len(targets) == 1 and len(own) == 1, selects
        again, selects = _selects(session, lambda: analyze_norm(session, source, text))
        assert again.proposed == []                                   # never twice
        assert len(relations(session, source_document_id=source.id)) == 4


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


def test_a_norms_source_notes_look_up_the_norms_they_name_at_once(session_factory):
    """SPIJ's notes in an imported text are stored as the source's relations, the norms
    they name found in one query (it was one a note), a note repeated stored once."""
    from docsys.compliance.norms import record_source_notes
    from docsys.models import SourceRelation

    notes = ("(*) Artículo modificado por el [Artículo 1 de la Ordenanza Municipal N° "
             "008-2021-MDM](/spij-ext-web/detallenorma/H1), publicada el 15 junio 2021\n"
             "(*) Numeral modificado por el [Artículo 2 de la Ordenanza Municipal N° "
             "004-2022-MDM](/spij-ext-web/detallenorma/H2), publicada el 30 marzo 2022\n"
             "(*) Artículo derogado por la [Ley N° 27444](/spij-ext-web/detallenorma/H3)\n"
             "(*) Artículo modificado por el [Artículo 1 de la Ordenanza Municipal N° "
             "008-2021-MDM](/spij-ext-web/detallenorma/H1), publicada el 15 junio 2021\n")
    with transaction(session_factory) as session:
        cuis, modifier = add_norm(session, CUIS), add_norm(session, MODIFIER, analyze=False)
        rof = add_norm(session, ROF, analyze=False)
        noted, selects = _selects(session, lambda: record_source_notes(session, rof, notes))
        assert noted == 3
        rows = session.scalars(select(SourceRelation).where(SourceRelation.document_id == rof.id)
                               .order_by(SourceRelation.id)).all()
        assert [(r.kind, r.by_canonical_id, r.by_document_id, r.effective_date) for r in rows] == [
            ("modifica", "OM-8-2021", cuis.id, "2021-06-15"),
            ("modifica", "OM-4-2022", modifier.id, "2022-03-30"),
            ("deroga", "LEY-27444", None, None)]
        assert rof.legal_status == "modificada"
        assert len([s for s in selects if "documents.number_key in" in s]) == 1, selects
        assert record_source_notes(session, rof, notes) == 3       # stored once
        assert session.scalar(select(func.count()).select_from(SourceRelation).where(
            SourceRelation.document_id == rof.id)) == 3


@pytest.mark.parametrize("text, status", [
    # DS-001-2015-JUS.md, LEY-26574-1996.md, DS-061-2006-EM.md: under the heading, the norm
    ("# Aprueban el Reglamento de Organización y Funciones  \n\n## ORDENANZA MUNICIPAL N° "
     "005-2020-MDM (\\*)  \n\n(\\*) DEROGADO por la [Única Disposición Complementaria "
     "Derogatoria de la Ordenanza Municipal N° 008-2021-MDM](/x), publicada el 15 junio 2021"
     "\n\nArtículo 1.- Apruébese el reglamento.\n", "derogada"),
    ("**Aprueban el Reglamento**\n\n**ORDENANZA MUNICIPAL N° 005-2020-MDM(\\*)**\n\n"
     "**(\\*)** **DEROGADA** **por la [Ordenanza Municipal N° 008-2021-MDM](/x)**\n\n"
     "CONSIDERANDO:\n", "derogada"),
    # DS-157-90-EF-1990.md: a note naming no part, in the body, is about what it follows
    ("## ORDENANZA MUNICIPAL N° 005-2020-MDM\n\nArtículo 1.- Apruébese el reglamento.\n\n"
     "Artículo 2.- Los plazos se cuentan en días hábiles.\n(\\*) Derogado por la [Ordenanza "
     "Municipal N° 008-2021-MDM](/x)\n", "modificada"),
])
def test_a_repeal_note_under_the_heading_repeals_the_whole_norm(session_factory, text, status):
    from docsys.compliance.norms import record_source_notes
    with transaction(session_factory) as session:
        add_norm(session, MODIFIER, analyze=False)
        rof = add_norm(session, ROF, analyze=False)
        assert record_source_notes(session, rof, text) == 1
        assert rof.legal_status == status
        part = session.scalar(select(SourceRelation.part).where(
            SourceRelation.document_id == rof.id))
        assert (part == "norma completa") == (status == "derogada")
        assert record_source_notes(session, rof, text) == 1        # stored once


def test_withdrawing_a_confirmation_keeps_what_the_source_records(session_factory):
    """A status recomputed after a withdrawal still counts the source's notes: SPIJ says
    the norm was repealed, whatever the archivist decides on docsys's proposals."""
    from docsys.compliance.norms import record_source_notes
    repealer = ("ORDENANZA MUNICIPAL N° 003-2023-MDM", "2023-02-01", "Deroga el ROF",
                ["Artículo 1.- DERÓGUESE la Ordenanza Municipal N° 012-2019-MDM.",
                 "REGÍSTRESE, PUBLÍQUESE Y CÚMPLASE."])
    with transaction(session_factory) as session:
        rof = add_norm(session, ROF, analyze=False)
        record_source_notes(session, rof, "## ORDENANZA MUNICIPAL N° 012-2019-MDM (\\*)\n\n"
                            "(\\*) DEROGADA por la [Ordenanza Municipal N° 008-2021-MDM](/x)\n")
        assert rof.legal_status == "derogada"
        source = add_norm(session, repealer)
        (relation,) = relations(session, source_document_id=source.id)
        confirm_relation(session, relation, get_user(session, "archivo"), note="Verificado")
        reject_relation(session, relation, get_user(session, "archivo"), "Era otra ordenanza")
        assert rof.legal_status == "derogada"


CODE = ("ORDENANZA MUNICIPAL N° 010-2020-MDM", "2020-09-01",
        "Código Municipal de Protección del Ambiente de Megantoni",
        ["Artículo 1.- APROBAR el Código Municipal de Protección del Ambiente.",
         "REGÍSTRESE, PUBLÍQUESE Y CÚMPLASE."])
BY_TITLE = ("ORDENANZA MUNICIPAL N° 006-2023-MDM", "2023-05-02",
            "Modifica el Código ambiental",
            ["Artículo 1.- MODIFÍQUESE el artículo 5 del Código Municipal de Protección del "
             "Ambiente de Megantoni, conforme al anexo de la presente ordenanza.",
             "REGÍSTRESE, PUBLÍQUESE Y CÚMPLASE."])


def test_a_norm_named_by_its_title_only_is_proposed_with_the_archive_s_norm(session_factory):
    from docsys.compliance.archive import title_index

    with transaction(session_factory) as session:
        first = add_norm(session, BY_TITLE)      # analysed before the code was archived
        assert relations(session, source_document_id=first.id) == []
        code = add_norm(session, CODE)
        index = title_index(session)
        assert title_index(session) is index            # kept while the archive is the same
        later = add_norm(session, (BY_TITLE[0].replace("006", "007"), *BY_TITLE[1:]))
        assert title_index(session) is not index        # grown with the norms added since
        (relation,) = relations(session, source_document_id=later.id)
        assert (relation.kind, relation.articles, relation.target_document_id) == \
            ("modifica", ["5"], code.id)
        analyze_norm(session, first)                    # analysed again: found now
        assert len(relations(session, source_document_id=first.id)) == 1
        # a text given before the code's date does not name it (another norm of that name)
        older = add_norm(session, (BY_TITLE[0].replace("006-2023", "003-2019"), "2019-03-01",
                                   *BY_TITLE[2:]))
        assert relations(session, source_document_id=older.id) == []


def test_the_relation_queue_puts_the_decidable_first_on_both_databases(session_factory):
    """Proposed relations whose target is in the archive come before those waiting for
    theirs, however new those are; decided ones are newest first."""
    from docsys.compliance.norms import relation_queue
    with transaction(session_factory) as session:
        add_norm(session, CUIS)
        repealer = add_norm(session, REPEALER)
        decidable = session.scalar(select(NormRelation.id))
        later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=5)
        session.add_all(NormRelation(
            source_document_id=repealer.id, target_canonical_id=f"LEY-{9000 + n}",
            target_label=f"Ley N° {9000 + n}", kind="deroga", proposed_at=later
            + dt.timedelta(seconds=n)) for n in range(3))
    with transaction(session_factory) as session:
        rows, paging, waiting = relation_queue(session, "propuesta")
        assert [r.id for r in rows][0] == decidable and waiting == 3
        assert [r.target_label for r in rows[1:]] == ["Ley N° 9002", "Ley N° 9001", "Ley N° 9000"]
        assert (paging.total, paging.pages) == (4, 1)
        assert relation_queue(session, "confirmada", page=5)[0] == []


def test_a_proposal_the_target_s_notes_record_is_known_on_both_databases(session_factory):
    """The Ordenanza 008-2021's text notes its repeal by the Ordenanza 002-2025, which states
    it: that proposal is recorded by the source; a modification it does not note is not."""
    from docsys.compliance.norms import noted_by_source, record_source_notes
    with transaction(session_factory) as session:
        cuis = add_norm(session, CUIS)
        repealer = add_norm(session, REPEALER)
        record_source_notes(session, cuis, (
            "## ORDENANZA MUNICIPAL N° 008-2021-MDM (\\*)\n\n(\\*) DEROGADA por la [Ordenanza "
            "Municipal N° 002-2025-MDM](/spij-ext-web/detallenorma/H1), publicada el 14 "
            "febrero 2025\n"))
        (repeal,) = relations(session, source_document_id=repealer.id)
        other = NormRelation(source_document_id=repealer.id, target_document_id=cuis.id,
                             target_canonical_id="OM-8-2021", target_label="Ordenanza",
                             kind="modifica")
        session.add(other)
        session.flush()
        assert noted_by_source(session, [repeal, other]) == {repeal.id}
        assert noted_by_source(session, []) == set()
        from docsys.compliance.norms import confirm_noted_proposals, count_noted_proposals
        assert count_noted_proposals(session) == 1
        with pytest.raises(PermissionDenied):
            confirm_noted_proposals(session, get_user(session, "redactor"))
        assert confirm_noted_proposals(session, get_user(session, "archivo")) == 1
        assert (repeal.status, other.status, cuis.legal_status) == (
            "confirmada", "propuesta", "derogada")
        assert session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "relation_confirm")) == 1
        assert count_noted_proposals(session) == 0
