"""A report names only the norms its reader may see, as search shows them (SQLite and
PostgreSQL): a resolution issued but not yet published belongs to its office and to those
who review, sign and archive; a drafter of another office learns nothing of it."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from docsys import policy
from docsys.compliance import archive
from docsys.compliance.norms import confirm_relation
from docsys.compliance.report import check_text
from docsys.db import transaction
from docsys.indexing import to_search_doc
from docsys.policy import search_visibility as visibility_for
from docsys.models import Document, NormRelation
from search import Visibility
from tests.compliance.support import CUIS, add_norm
from tests.conftest import TEST_USERS, get_user

# Issued by the Gerencia de Desarrollo Urbano, signed, not published yet.
HIDDEN = ("RESOLUCIÓN DE GERENCIA N° 021-2026-GDUR-MDM", "2026-03-02",
          "Aprueba la habilitación urbana reservada del sector Kepashiato",
          ["SE RESUELVE:", "ARTÍCULO PRIMERO.- APROBAR la habilitación urbana.",
           "REGÍSTRESE, COMUNÍQUESE Y CÚMPLASE."])
# Also unpublished, of the same office: it proposes to repeal the (published) CUIS.
HIDDEN_REPEALER = ("RESOLUCIÓN DE GERENCIA N° 022-2026-GDUR-MDM", "2026-03-03",
                   "Deja sin efecto el cuadro de sanciones reservado",
                   ["SE RESUELVE:", "ARTÍCULO PRIMERO.- DÉJESE SIN EFECTO la Ordenanza "
                    "Municipal N° 008-2021-MDM.", "REGÍSTRESE, COMUNÍQUESE Y CÚMPLASE."])

TEXT = """RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0050-2026-GM-MDM
CONSIDERANDO:
Que, la Resolución de Gerencia N° 021-2026-GDUR-MDM aprobó la habilitación urbana;
Que, la Resolución de Gerencia N° 021-2025-GDUR-MDM regula el sector;
Que, la Ordenanza Municipal N° 008-2021-MDM aprobó el cuadro de sanciones;
SE RESUELVE:
ARTÍCULO PRIMERO.- DÉJESE SIN EFECTO la Resolución de Gerencia N° 021-2026-GDUR-MDM."""


def unpublished(session, spec):
    document = add_norm(session, spec, office="GDUR", author="redactor2")
    document.status, document.published_at = "emitido", None
    session.flush()
    return document


@pytest.fixture
def archive_with_hidden_norms(session_factory):
    with transaction(session_factory) as session:
        cuis = add_norm(session, CUIS)
        hidden = unpublished(session, HIDDEN)
        repealer = unpublished(session, HIDDEN_REPEALER)
        ids = {"cuis": cuis.id, "hidden": hidden.id, "repealer": repealer.id}
    return session_factory, ids


def report_for(session, username):
    return check_text(session, TEXT, visibility=visibility_for(get_user(session, username)))


def test_a_drafter_of_another_office_is_told_nothing_of_an_unpublished_norm(
        archive_with_hidden_norms):
    factory, ids = archive_with_hidden_norms
    with transaction(factory) as session:
        report = report_for(session, "redactor")                      # GM
    by_id = {c.citation.canonical_id: c for c in report.citations}
    assert by_id["RG-21-2026-GDUR"].match is None
    assert by_id["OM-8-2021"].match.document_id == ids["cuis"]       # published: named
    warnings = {(w.kind, w.canonical_id): w for w in report.warnings}
    hidden = warnings[("not_found", "RG-21-2026-GDUR")]
    assert hidden.message == ("La Resolución de Gerencia N° 021-2026-GDUR-MDM no está en el "
                              "archivo normativo, al menos entre las normas que usted puede "
                              "consultar: verifique el número y el año.")
    wrong_year = warnings[("not_found", "RG-21-2025-GDUR")]
    assert "¿Quiso decir" not in wrong_year.message                   # not the hidden one
    # The CUIS's repeal is proposed by a norm the drafter may not see: not announced.
    assert ("relation_pending", "OM-8-2021") not in warnings
    assert [r.match for r in report.relations] == [None]
    # Nothing of the hidden norms anywhere in what the API would send.
    data = json.dumps(report.to_dict(), ensure_ascii=False)
    for secret in (HIDDEN[2], HIDDEN_REPEALER[2], HIDDEN[0], HIDDEN_REPEALER[0]):
        assert secret not in data
    assert f'"document_id": {ids["hidden"]}' not in data
    assert f'"document_id": {ids["repealer"]}' not in data
    assert report.limited_view


@pytest.mark.parametrize("username", ["redactor2", "asesor", "gerente", "archivo", "admin"])
def test_those_who_may_see_it_are_told_everything(archive_with_hidden_norms, username):
    factory, ids = archive_with_hidden_norms
    with transaction(factory) as session:
        report = report_for(session, username)
    by_id = {c.citation.canonical_id: c for c in report.citations}
    assert by_id["RG-21-2026-GDUR"].match.document_id == ids["hidden"]
    assert by_id["RG-21-2026-GDUR"].match.title == HIDDEN[2]
    pending = next(w for w in report.warnings if w.kind == "relation_pending")
    assert "podría estar derogada por la Resolución de Gerencia N° 022-2026-GDUR-MDM" in \
        pending.message
    assert pending.by_document_id == ids["repealer"]
    wrong_year = next(w for w in report.warnings if w.canonical_id == "RG-21-2025-GDUR")
    assert "¿Quiso decir la Resolución de Gerencia N° 021-2026-GDUR" in wrong_year.message
    assert report.relations[0].match.document_id == ids["hidden"]
    assert report.limited_view is (username == "redactor2")


def test_a_confirmed_repeal_by_a_hidden_norm_keeps_its_author_unnamed(archive_with_hidden_norms):
    factory, ids = archive_with_hidden_norms
    with transaction(factory) as session:
        relation = session.scalar(select(NormRelation).where(
            NormRelation.source_document_id == ids["repealer"]))
        confirm_relation(session, relation, get_user(session, "archivo"))
        drafter = report_for(session, "redactor")
        archivist = report_for(session, "archivo")
    (repealed,) = drafter.warnings_of("repealed")
    assert repealed.message.startswith("La Ordenanza Municipal N° 008-2021-MDM está derogada: "
                                       "otra norma la derogó, desde el 3 de marzo de 2026")
    assert repealed.by_document_id is None and repealed.document_id == ids["cuis"]
    (named,) = archivist.warnings_of("repealed")
    assert "022-2026-GDUR" in named.message and named.by_document_id == ids["repealer"]


def test_the_command_line_sees_the_whole_archive(archive_with_hidden_norms):
    factory, ids = archive_with_hidden_norms
    with transaction(factory) as session:
        report = check_text(session, TEXT)                   # no visibility: no restriction
    assert {c.match.document_id for c in report.citations if c.match} == \
        {ids["hidden"], ids["cuis"]}
    assert not report.limited_view


def test_the_archive_condition_agrees_with_search_and_permissions(archive_with_hidden_norms):
    """``archive.visible_to`` is the search layer's rule read on the documents table: for
    every user and document it says what ``Visibility.allows`` and ``can_view`` say."""
    factory, _ = archive_with_hidden_norms
    with transaction(factory) as session:
        from docsys.drafting import service

        service.create_document(session, "resolucion-alcaldia", {"sumilla": "Un borrador"},
                                get_user(session, "redactor"))
        documents = list(session.scalars(select(Document)))
        statuses = {d.status for d in documents}
        assert {"publicado", "emitido", "borrador"} <= statuses
        offices = {d.office.code for d in documents}
        assert {"GDUR", "SG", "GM"} <= offices
        every = {d.id for d in documents}
        for username in TEST_USERS:
            user = get_user(session, username)
            visibility = visibility_for(user)
            by_sql = set(session.scalars(select(Document.id).where(
                archive.visible_to(visibility))))
            by_search = {d.id for d in documents if visibility.allows(to_search_doc(d, None))}
            by_permission = {d.id for d in documents if policy.can_view(user, d)}
            assert by_sql == by_search == by_permission, username
            assert archive.visible_ids(session, every, visibility) == by_sql
        assert set(session.scalars(select(Document.id).where(
            archive.visible_to(Visibility.public())))) == \
            {d.id for d in documents if d.status == "publicado"}
        assert archive.visible_ids(session, every, None) == every


def test_the_check_page_and_the_api_hide_it_too(app, browser, api_token):
    with transaction(app.extensions["docsys.sessions"]) as session:
        add_norm(session, CUIS)
        hidden_id = unpublished(session, HIDDEN).id
    page = browser("redactor").post_form("/cumplimiento", {"text": TEXT})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert HIDDEN[2] not in html and HIDDEN[0] not in html
    assert f"/normas/{hidden_id}/" not in html
    assert "al menos entre las normas que usted puede consultar" in html
    assert "que usted puede consultar</span>" in html                # the citations table
    client = app.test_client()
    for username, sees in (("redactor", False), ("redactor2", True)):
        token = api_token(username)
        body = client.post("/api/v1/compliance/check", json={"text": TEXT},
                           headers={"Authorization": f"Bearer {token}"}).get_json()
        cited = next(c for c in body["citations"] if c["canonical_id"] == "RG-21-2026-GDUR")
        assert (cited["match"] is not None) is sees, username
    assert HIDDEN[2] in browser("redactor2").post_form("/cumplimiento", {"text": TEXT}) \
        .get_data(as_text=True)


def test_a_norms_links_leave_out_what_the_reader_may_not_see(app, browser, api_token):
    with transaction(app.extensions["docsys.sessions"]) as session:
        cuis = add_norm(session, CUIS).id
        repealer = unpublished(session, HIDDEN_REPEALER).id
    client = app.test_client()

    def api(path, username):
        return client.get("/api/v1/compliance" + path,
                          headers={"Authorization": f"Bearer {api_token(username)}"})

    hidden_page = browser("redactor").get(f"/normas/{cuis}/relaciones").get_data(as_text=True)
    assert HIDDEN_REPEALER[0] not in hidden_page and f"/normas/{repealer}/" not in hidden_page
    assert "Ninguna norma la modifica" in hidden_page and "← Buscar normas" in hidden_page
    shown_page = browser("redactor2").get(f"/normas/{cuis}/relaciones").get_data(as_text=True)
    assert HIDDEN_REPEALER[0] in shown_page
    assert browser("redactor").get(f"/normas/{repealer}/relaciones").status_code == 403

    drafter = api(f"/norms/{cuis}", "redactor").get_json()
    assert drafter["affected_by"] == [] and drafter["cited_by"] == []
    office = api(f"/norms/{cuis}", "redactor2").get_json()
    assert [r["source"]["document_id"] for r in office["affected_by"]] == [repealer]
    assert [n["document_id"] for n in office["cited_by"]] == [repealer]
    assert api("/relations", "redactor").get_json()["relations"] == []
    assert [r["source"]["document_id"] for r in api("/relations", "redactor2")
            .get_json()["relations"]] == [repealer]


def test_norm_links_with_and_without_a_visibility(archive_with_hidden_norms):
    from docsys.compliance.norms import norm_links

    factory, ids = archive_with_hidden_norms
    with transaction(factory) as session:
        citing = add_norm(session, ("RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0060-2026-GM-MDM",
                                    "2026-03-10", "Encarga la ejecución de la habilitación",
                                    ["Conforme a la Resolución de Gerencia N° 021-2026-GDUR-MDM."]),
                          office="GM")
        citing.status = "emitido"                 # GM's own, not published either
        session.flush()
        drafter = visibility_for(get_user(session, "redactor"))
        links = norm_links(session, citing, drafter)
        (cited,) = links.cites
        assert cited.match is None and cited.label == "Resolución de Gerencia N° 021-2026-GDUR-MDM"
        assert norm_links(session, citing).cites[0].match.document_id == ids["hidden"]
        cuis = session.get(Document, ids["cuis"])
        assert norm_links(session, cuis, drafter).affected_by == []
        assert [r.source_document_id for r in norm_links(session, cuis).affected_by] == \
            [ids["repealer"]]
        hidden = session.get(Document, ids["hidden"])
        assert [n.document_id for n in norm_links(session, hidden).cited_by] == [citing.id]
        office = visibility_for(get_user(session, "redactor2"))
        assert [n.document_id for n in norm_links(session, hidden, office).cited_by] == []
