"""A relation on a part of a norm other than its articles ("Deróguese la Quinta Disposición
Final de la Ley Nº 28773", "el Título II de la Ley Nº 28175"): proposed on that part, not
on the whole norm, so that confirming it leaves the norm in force («modificada», never
«derogada»), and said in words on every page (docsys.compliance.archive.relation_scope)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from docsys.compliance.archive import relation_scope
from docsys.compliance.norms import confirm_relation
from docsys.compliance.relations import find_relations
from docsys.db import transaction
from docsys.models import Document, NormRelation
from tests.compliance.support import CUIS, add_norm
from tests.conftest import get_user


def found(text):
    return [(m.kind, m.target.canonical_id, m.articles) for m in find_relations(text)]


@pytest.mark.parametrize("text, expected", [
    ("Artículo 2.- Deróguese la Quinta Disposición Final de la Ley Nº 28773, Ley que autoriza "
     "un Crédito Suplementario.", [("deroga", "LEY-28773", ("la Quinta Disposición Final",))]),
    # a later item of the list, and a part named through SPIJ's link
    ("Única. Deróganse el artículo 25 de la Ley 26366, Ley de creación del Sistema; y la "
     "disposición complementaria transitoria única de la Ley 30065, Ley de Fortalecimiento.",
     [("deroga", "LEY-26366", ("25",)),
      ("deroga", "LEY-30065", ("la disposición complementaria transitoria única",))]),
    ("Artículo 2.- Deróguese la [Primera Disposición Complementaria Transitoria](/spij-ext-web/"
     "detallenorma/H1035931) de la Ley Nº 29763.",
     [("deroga", "LEY-29763", ("la Primera Disposición Complementaria Transitoria",))]),
    ("Única.- Deróguese el Título II de la Ley Nº 28175, Ley Marco del Empleo Público.",
     [("deroga", "LEY-28175", ("el Título II",))]),
    # a whole norm stays whole (and a part is never read across a sentence's end:
    # tests/compliance/test_relations_national_text.py, DLEG-1150)
    ("Artículo 2.- Deróganse la Ley N° 27444 y el Decreto Supremo N° 004-2019-JUS.",
     [("deroga", "LEY-27444", ()), ("deroga", "DS-4-2019-JUS", ())]),
])
def test_a_part_named_before_the_norm_is_the_relation_s_part(text, expected):
    assert found(text) == expected


def test_what_a_relation_changed_is_said_in_words():
    assert relation_scope(["5"]) == "el artículo 5"
    assert relation_scope(["5", "6", "7"]) == "los artículos 5, 6 y 7"
    assert relation_scope(["la Quinta Disposición Final"]) == "la Quinta Disposición Final"
    assert relation_scope(["12", "el Título II"]) == "el artículo 12 y el Título II"
    assert relation_scope([]) == ""


DISPOSITION = ("ORDENANZA MUNICIPAL N° 003-2025-MDM", "2025-03-10",
               "Modifica el régimen de sanciones",
               ["Artículo 1.- DERÓGUESE la Primera Disposición Complementaria Final de la "
                "Ordenanza Municipal N° 008-2021-MDM.",
                "REGÍSTRESE, PUBLÍQUESE Y CÚMPLASE."])


def test_confirming_the_repeal_of_a_disposition_leaves_the_norm_in_force(app, browser):
    factory = app.extensions["docsys.sessions"]
    with transaction(factory) as session:
        cuis = add_norm(session, CUIS)
        repealer = add_norm(session, DISPOSITION)
        relation = session.scalars(select(NormRelation).where(
            NormRelation.source_document_id == repealer.id)).one()
        assert (relation.kind, relation.articles) == (
            "deroga", ["la Primera Disposición Complementaria Final"])
        confirm_relation(session, relation, get_user(session, "archivo"),
                         effective_date="2025-03-11")
        assert session.get_one(Document, cuis.id).legal_status == "modificada"
        ids = cuis.id, repealer.id
    b = browser("asesor")
    # the norm's archive page (where a search hit opens it) leads to what changed it
    page = b.get(f"/archivo/normas/{ids[0]}").get_data(as_text=True)
    assert (f'Modificada · <a id="norm-links" href="/normas/{ids[0]}/relaciones">'
            "Modificaciones, derogaciones y citas</a>") in page
    assert "<dt>Oficina</dt>" in page and 'id="issuer"' not in page  # the municipality's own
    page = b.get(f"/normas/{ids[0]}/relaciones").get_data(as_text=True)
    assert "deroga la Primera Disposición Complementaria Final, desde el 11/03/2025" in page
    page = b.get(f"/normas/{ids[1]}/relaciones").get_data(as_text=True)
    assert "Deroga la Primera Disposición Complementaria Final de" in page
    portal = app.test_client().get("/normas/om/2021/8").get_data(as_text=True)
    assert "Derogada por" in portal and "la Primera Disposición Complementaria Final" in portal
    assert 'id="legal-status">Modificada' in portal


def test_analysed_again_an_undecided_proposal_the_text_no_longer_states_is_withdrawn(
        session_factory):
    """An archive analysed by older readers holds "deroga the whole Ordenanza" for a clause
    on its disposition: read again (an upgrade), the stale proposal is withdrawn, with an
    entry in the audit trail, and the disposition's is proposed; a decided relation stays
    (SQLite and PostgreSQL)."""
    from docsys import audit
    from docsys.compliance.norms import analyze_norm, reject_relation
    from docsys.models import AuditEntry

    with transaction(session_factory) as session:
        cuis = add_norm(session, CUIS)
        source = add_norm(session, DISPOSITION, analyze=False)
        old = {"source_document_id": source.id, "target_document_id": cuis.id,
               "target_canonical_id": "OM-8-2021", "target_archive_key": "OM-8-2021",
               "target_label": "Ordenanza Municipal N° 008-2021-MDM", "articles": [],
               "articles_key": "", "evidence": "DERÓGUESE …", "decision_note": ""}
        session.add(NormRelation(kind="deroga", status="propuesta", **old))
        decided = NormRelation(kind="modifica", status="propuesta", **old)
        session.add(decided)
        session.flush()
        reject_relation(session, decided, get_user(session, "archivo"), "Revisada a mano")
        analysis = analyze_norm(session, source)
        assert [(r.kind, r.articles) for r in analysis.proposed] == [
            ("deroga", ["la Primera Disposición Complementaria Final"])]
        left = sorted((r.kind, r.articles, r.status) for r in session.scalars(
            select(NormRelation).where(NormRelation.source_document_id == source.id)))
        assert left == [("deroga", ["la Primera Disposición Complementaria Final"], "propuesta"),
                        ("modifica", [], "rechazada")]
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "relation_withdraw"))
        assert entry.document_id == source.id
        assert [(w["kind"], w["articles"]) for w in entry.details["relations"]] == [("deroga", [])]
        assert audit.verify_chain(session).ok
        assert analyze_norm(session, source).proposed == []       # and nothing more after
        assert session.scalar(select(AuditEntry).where(
            AuditEntry.action == "relation_withdraw").order_by(AuditEntry.id.desc())).id == entry.id


def test_the_analysis_queue_withdraws_them_too(session_factory):
    """`flask docsys init` analyses again through the queue, which looks up for a whole
    group which norms have relations of their own: a stale proposal is withdrawn there,
    also from a norm whose text now states none at all (the ROF's)."""
    from docsys.compliance import pending
    from tests.compliance.support import ROF

    with transaction(session_factory) as session:
        cuis = add_norm(session, CUIS)
        rof = add_norm(session, ROF)
        source = add_norm(session, DISPOSITION, analyze=False)
        for stating in (source, rof):
            session.add(NormRelation(
                source_document_id=stating.id, target_document_id=cuis.id,
                target_canonical_id="OM-8-2021", target_archive_key="OM-8-2021",
                target_label="Ordenanza Municipal N° 008-2021-MDM", kind="deroga",
                articles=[], articles_key="", evidence="DERÓGUESE …", decision_note="",
                status="propuesta"))
            pending.enqueue(session, stating.id)
        pending.enqueue(session, cuis.id)
    assert pending.process(session_factory) == {"analizadas": 3, "fallidas": 0}
    with session_factory() as session:
        assert [(r.source_document_id, r.kind, r.articles)
                for r in session.scalars(select(NormRelation))] == [
            (source.id, "deroga", ["la Primera Disposición Complementaria Final"])]


MARKED = ("ORDENANZA MUNICIPAL N° 004-2025-MDM", "2025-04-02",
          "Ordenanza que deroga una disposición",
          ["**Artículo 1.-** DERÓGUESE la Primera Disposición Complementaria Final de la "
           "Ordenanza Municipal N° 008-2021-MDM.", "REGÍSTRESE, PUBLÍQUESE Y CÚMPLASE."])


def test_the_clause_is_quoted_without_an_imported_text_s_markup(session_factory):
    """A norm imported as Markdown: its proposal quotes «Artículo 1.- DERÓGUESE …», not
    «**Artículo 1.-** …»; one quoted so by older readers is quoted anew when the norm is
    analysed again (SQLite and PostgreSQL)."""
    from sqlalchemy import update

    from docsys.compliance.norms import analyze_norm
    with transaction(session_factory) as session:
        add_norm(session, CUIS)
        source = add_norm(session, MARKED)
        (relation,) = session.scalars(select(NormRelation).where(
            NormRelation.source_document_id == source.id))
        assert "*" not in relation.evidence
        analyze_norm(session, source)      # the version's text, as an upgrade reads it
        clean = session.scalar(select(NormRelation.evidence).where(
            NormRelation.id == relation.id))
        assert "Artículo 1.- DERÓGUESE la Primera Disposición" in clean and "*" not in clean
        session.execute(update(NormRelation).where(NormRelation.id == relation.id)
                        .values(evidence="**Artículo 1.-** DERÓGUESE …"))
        assert analyze_norm(session, source).proposed == []
        assert session.scalar(select(NormRelation.evidence).where(
            NormRelation.id == relation.id)) == clean
