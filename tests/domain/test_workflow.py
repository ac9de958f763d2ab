"""The workflow state machine on SQLite and PostgreSQL: every transition allowed and
refused per role, guards, concurrent transitions, vistos buenos voided by new versions,
comments anchored to parts that later move."""
from __future__ import annotations

import threading

import pytest

from docsys import versions, workflow
from docsys.db import transaction
from docsys.drafting import service
from docsys.errors import Conflict, PermissionDenied, ValidationError
from docsys.models import Document
from tests.conftest import get_user

RGM = "resolucion-gerencia-municipal"


def new_doc(factory, username="redactor"):
    with transaction(factory) as s:
        return service.create_document(s, RGM, {"sumilla": "Aprobar el PAC 2025"},
                                       get_user(s, username)).id


def act(factory, doc_id, action, username, reason=""):
    with transaction(factory) as s:
        doc = s.get(Document, doc_id)
        return workflow.transition(s, doc, action, get_user(s, username), reason).to_status


def vb(factory, doc_id, username):
    with transaction(factory) as s:
        return workflow.give_visto_bueno(s, s.get(Document, doc_id), get_user(s, username)).kind


def status(factory, doc_id):
    with transaction(factory) as s:
        return s.get(Document, doc_id).status


def test_full_happy_path(session_factory):
    doc = new_doc(session_factory)
    assert act(session_factory, doc, "enviar", "redactor") == "en_revision"
    assert vb(session_factory, doc, "asesor") == "legal"
    assert vb(session_factory, doc, "gerente") == "area"  # signer of GM heads the area
    assert act(session_factory, doc, "aprobar", "asesor") == "aprobado"
    with transaction(session_factory) as s:
        steps = [(t.action, t.from_status, t.to_status, t.actor.username)
                 for t in workflow.history(s, s.get(Document, doc))]
    assert steps == [("enviar", "borrador", "en_revision", "redactor"),
                     ("aprobar", "en_revision", "aprobado", "asesor")]


@pytest.mark.parametrize("action, username, state", [
    ("enviar", "redactor2", "borrador"),   # another office
    ("enviar", "asesor", "borrador"),      # legal does not submit
    ("enviar", "gerente", "borrador"),
    ("enviar", "archivo", "borrador"),
    ("enviar", "admin", "borrador"),
    ("observar", "redactor", "en_revision"),
    ("observar", "gerente", "en_revision"),
    ("aprobar", "redactor", "en_revision"),
    ("aprobar", "gerente", "en_revision"),
    ("aprobar", "archivo", "en_revision"),
])
def test_transitions_refused_for_the_wrong_role(session_factory, action, username, state):
    doc = new_doc(session_factory)
    if state == "en_revision":
        act(session_factory, doc, "enviar", "redactor")
    with pytest.raises(PermissionDenied):
        act(session_factory, doc, action, username, reason="motivo")
    assert status(session_factory, doc) == state


def test_transitions_refused_from_the_wrong_state(session_factory):
    doc = new_doc(session_factory)
    with pytest.raises(Conflict, match="Borrador"):
        act(session_factory, doc, "aprobar", "asesor")
    with pytest.raises(ValidationError, match="desconocida"):
        act(session_factory, doc, "firmar", "gerente")


def test_return_with_observations_and_resubmit(session_factory):
    doc = new_doc(session_factory)
    act(session_factory, doc, "enviar", "redactor")
    with pytest.raises(ValidationError, match="motivo"):
        act(session_factory, doc, "observar", "asesor", reason="  ")
    assert act(session_factory, doc, "observar", "asesor", "Falta base legal") == "observado"
    with transaction(session_factory) as s:
        d = s.get(Document, doc)
        assert d.assignee.username == "redactor"
        assert workflow.history(s, d)[-1].reason == "Falta base legal"
    assert act(session_factory, doc, "enviar", "redactor") == "en_revision"


def test_open_observations_and_missing_vistos_block_approval(session_factory):
    doc = new_doc(session_factory)
    act(session_factory, doc, "enviar", "redactor")
    with transaction(session_factory) as s:
        d = s.get(Document, doc)
        comment = workflow.add_comment(s, d, get_user(s, "asesor"), "Citar el artículo 39.", 1)
        comment_id = comment.id
    with pytest.raises(Conflict) as info:
        act(session_factory, doc, "aprobar", "asesor")
    assert "observación(es) abierta(s)" in info.value.message
    assert "visto bueno de Asesoría Jurídica" in info.value.message
    with transaction(session_factory) as s:
        workflow.resolve_comment(s, s.get(Document, doc), get_user(s, "asesor"), comment_id)
    vb(session_factory, doc, "asesor")
    with pytest.raises(Conflict, match="jefe del área"):
        act(session_factory, doc, "aprobar", "asesor")
    vb(session_factory, doc, "gerente")
    assert act(session_factory, doc, "aprobar", "asesor") == "aprobado"


def test_new_version_voids_vistos_buenos(session_factory):
    doc = new_doc(session_factory)
    act(session_factory, doc, "enviar", "redactor")
    vb(session_factory, doc, "asesor")
    vb(session_factory, doc, "gerente")
    with transaction(session_factory) as s:
        d = s.get(Document, doc)
        legal = get_user(s, "asesor")
        content = versions.latest_version(s, d).content
        content["closing"] = "REGÍSTRESE Y CÚMPLASE."
        versions.save_version(s, d, content, 1, legal, note="Corrección de Asesoría Jurídica")
        assert workflow.current_vistos(s, d) == {}
    with pytest.raises(Conflict, match="visto bueno"):
        act(session_factory, doc, "aprobar", "asesor")
    with pytest.raises(Conflict, match="Ya se dio"):
        vb(session_factory, doc, "asesor") and vb(session_factory, doc, "asesor")


def test_visto_bueno_only_by_legal_or_area_head(session_factory):
    doc = new_doc(session_factory)
    with pytest.raises(Conflict, match="en revisión"):
        vb(session_factory, doc, "asesor")
    act(session_factory, doc, "enviar", "redactor")
    for username in ("redactor", "archivo", "admin"):
        with pytest.raises(PermissionDenied):
            vb(session_factory, doc, username)


def test_concurrent_approve_and_return_have_one_winner(session_factory):
    doc = new_doc(session_factory)
    act(session_factory, doc, "enviar", "redactor")
    vb(session_factory, doc, "asesor")
    vb(session_factory, doc, "gerente")
    with transaction(session_factory) as s:
        from docsys import accounts
        accounts.create_user(s, "asesor2", "clave-segura-1", "Segundo Asesor", ["legal"],
                             office_code="GAJ")
    results, barrier = {}, threading.Barrier(2)

    def run(username, action, reason):
        barrier.wait()
        try:
            results[username] = act(session_factory, doc, action, username, reason)
        except Conflict as exc:
            results[username] = exc.message

    threads = [threading.Thread(target=run, args=("asesor", "aprobar", "")),
               threading.Thread(target=run, args=("asesor2", "observar", "Falta informe"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    outcomes = sorted(results.values())
    winners = [o for o in outcomes if o in ("aprobado", "observado")]
    losers = [o for o in outcomes if o not in ("aprobado", "observado")]
    assert len(winners) == 1 and len(losers) == 1, results
    assert "No se puede" in losers[0] or "Otra persona" in losers[0]
    assert status(session_factory, doc) == winners[0]
    with transaction(session_factory) as s:
        assert len(workflow.history(s, s.get(Document, doc))) == 2


def test_comment_anchors_follow_moved_articles(session_factory):
    doc = new_doc(session_factory)
    with transaction(session_factory) as s:
        d = s.get(Document, doc)
        author = get_user(s, "redactor")
        content = versions.latest_version(s, d).content
        articles = next(sec for sec in content["sections"] if sec["kind"] == "articles")
        articles["items"] = [{"text": "APROBAR."}, {"text": "ENCARGAR."}, {"text": "NOTIFICAR."}]
        v2 = versions.save_version(s, d, content, 1, author)
        third = next(sec for sec in v2.content["sections"] if sec["kind"] == "articles")["items"][2]
        act_user = get_user(s, "asesor")
        workflow.add_comment(s, d, act_user, "Precisar a quién se notifica.", 2,
                             item_id=third["id"], quote="NOTIFICAR")
        moved = v2.content
        arts = next(sec for sec in moved["sections"] if sec["kind"] == "articles")
        arts["items"].insert(0, arts["items"].pop(2))  # NOTIFICAR becomes the first article
        versions.save_version(s, d, moved, 2, author)
    with transaction(session_factory) as s:
        threads = workflow.comment_threads(s, s.get(Document, doc))
        assert len(threads) == 1
        assert threads[0]["current_position"][1] == 1
        assert threads[0]["comment"].quote == "NOTIFICAR"
        assert threads[0]["comment"].version_number == 2


def test_comment_validation_and_replies(session_factory):
    doc = new_doc(session_factory)
    with transaction(session_factory) as s:
        d = s.get(Document, doc)
        legal = get_user(s, "asesor")
        with pytest.raises(ValidationError, match="vacío"):
            workflow.add_comment(s, d, legal, "   ", 1)
        with pytest.raises(ValidationError, match="no existe"):
            workflow.add_comment(s, d, legal, "x", 1, item_id="zzzzzz")
        with pytest.raises(PermissionDenied):
            workflow.add_comment(s, d, get_user(s, "redactor2"), "x", 1)
        thread = workflow.add_comment(s, d, legal, "Revisar la sumilla.", 1)
        reply = workflow.add_comment(s, d, get_user(s, "redactor"), "Corregido.", None,
                                     thread_id=thread.id)
        assert reply.thread_id == thread.id
        with pytest.raises(PermissionDenied):
            workflow.resolve_comment(s, d, get_user(s, "gerente"), thread.id)
        workflow.resolve_comment(s, d, legal, thread.id)
        with pytest.raises(Conflict):
            workflow.resolve_comment(s, d, legal, thread.id)
        threads = workflow.comment_threads(s, d)
        assert len(threads) == 1 and len(threads[0]["replies"]) == 1


def test_derivations_are_kept(session_factory):
    doc = new_doc(session_factory)
    with transaction(session_factory) as s:
        d = s.get(Document, doc)
        workflow.transition(s, d, "enviar", get_user(s, "redactor"), "Para revisión",
                            assignee=get_user(s, "asesor"))
        workflow.derive(s, d, get_user(s, "asesor"), get_user(s, "gerente"), "Para su V°B°")
        rows = workflow.derivations(s, d)
        assert [(r.from_user.username, r.to_user.username) for r in rows] == [
            ("redactor", "asesor"), ("asesor", "gerente")]
        assert d.assignee.username == "gerente"
