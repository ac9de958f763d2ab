"""The workflow state machine on SQLite and PostgreSQL: every transition allowed and
refused per role, guards, concurrent transitions, vistos buenos voided by new versions,
comments anchored to parts that later move."""
from __future__ import annotations

import threading

import pytest

from docsys import versions, workflow
from docsys.db import transaction
from docsys.drafting import service
from docsys.errors import Conflict, DocsysError, NotFound, PermissionDenied, ValidationError
from docsys.models import Document
from tests.conftest import get_user
from tests.finishing import finish

RGM = "resolucion-gerencia-municipal"


def new_doc(factory, username="redactor", finished=False):
    """A draft; ``finished``: its template prompts filled (a second version)."""
    with transaction(factory) as s:
        author = get_user(s, username)
        document = service.create_document(s, RGM, {"sumilla": "Aprobar el PAC 2025"}, author)
        return (finish(s, document, author) if finished else document).id


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
    doc = new_doc(session_factory, finished=True)
    assert act(session_factory, doc, "enviar", "redactor") == "en_revision"
    assert vb(session_factory, doc, "asesor") == "legal"
    assert vb(session_factory, doc, "gerente") == "area"  # signer of GM heads the area
    assert act(session_factory, doc, "aprobar", "asesor") == "aprobado"
    with transaction(session_factory) as s:
        steps = [(t.action, t.from_status, t.to_status, t.actor.username)
                 for t in workflow.history(s, s.get(Document, doc))]
    assert steps == [("enviar", "borrador", "en_revision", "redactor"),
                     ("aprobar", "en_revision", "aprobado", "asesor")]


def test_transitions_refused_from_the_wrong_state(session_factory):
    doc = new_doc(session_factory, finished=True)
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
    doc = new_doc(session_factory, finished=True)
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
    doc = new_doc(session_factory, finished=True)
    act(session_factory, doc, "enviar", "redactor")
    vb(session_factory, doc, "asesor")
    vb(session_factory, doc, "gerente")
    with transaction(session_factory) as s:
        d = s.get(Document, doc)
        legal = get_user(s, "asesor")
        content = versions.latest_version(s, d).content
        content["closing"] = "REGÍSTRESE Y CÚMPLASE."
        versions.save_version(s, d, content, d.latest_version, legal,
                              note="Corrección de Asesoría Jurídica")
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


def test_the_visto_bueno_is_offered_once_per_version_to_whom_gives_it(session_factory):
    from docsys import versions as versions_
    doc = new_doc(session_factory)

    def offered():
        with transaction(session_factory) as s:
            d = s.get(Document, doc)
            return {u for u in ("redactor", "asesor", "gerente", "archivo", "admin")
                    if workflow.may_give_visto_bueno(s, get_user(s, u), d)}
    assert offered() == set()                      # not in review yet
    act(session_factory, doc, "enviar", "redactor")
    assert offered() == {"asesor", "gerente"}
    vb(session_factory, doc, "asesor")
    assert offered() == {"gerente"}
    with transaction(session_factory) as s:        # a new version: both may give it again
        d = s.get(Document, doc)
        content = versions_.latest_version(s, d).content
        content["closing"] = "REGÍSTRESE Y CÚMPLASE."
        versions_.save_version(s, d, content, 1, get_user(s, "asesor"))
    assert offered() == {"asesor", "gerente"}


def test_concurrent_approve_and_return_have_one_winner(session_factory):
    doc = new_doc(session_factory, finished=True)
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


# ---- every action, every role ------------------------------------------------------------

def _add_user(factory, username, roles, office, full_name=None):
    from docsys import accounts
    with transaction(factory) as s:
        accounts.create_user(s, username, "clave-segura-1", full_name or username.title(), roles,
                             office_code=office)


def _bring_to(factory, doc, state):
    """Take a fresh draft to ``state`` through the real transitions."""
    if state == "borrador":
        return
    act(factory, doc, "enviar", "redactor")
    if state == "observado":
        act(factory, doc, "observar", "asesor", "Completar el informe.")
    elif state in ("en_revision_ready", "aprobado"):
        vb(factory, doc, "asesor")
        vb(factory, doc, "gerente")
        if state == "aprobado":
            act(factory, doc, "aprobar", "asesor")


# action -> (state it starts from, users allowed); every other user is refused.
MATRIX = {
    "enviar": ("borrador", {"redactor", "redactor_gm"}),
    "enviar_again": ("observado", {"redactor", "redactor_gm"}),
    "observar": ("en_revision", {"asesor"}),
    "aprobar": ("en_revision_ready", {"asesor"}),
    "devolver": ("aprobado", {"asesor", "gerente"}),
}
EVERYONE = ("redactor", "redactor_gm", "redactor2", "asesor", "gerente", "archivo", "admin")


def test_every_action_allowed_and_refused_per_role_and_office(session_factory):
    """The whole matrix: the drafting office's drafters send, only Asesoría Jurídica
    returns and approves, legal or the signer sends an approved draft back; a drafter of
    another office, the archive and the administrator take no step. What the page offers
    (available_actions) is exactly what the state machine allows."""
    _add_user(session_factory, "redactor_gm", ["drafter"], "GM")
    for key, (state, allowed) in MATRIX.items():
        action = key.removesuffix("_again")
        target = workflow.ACTIONS[action].target
        for username in EVERYONE:
            doc = new_doc(session_factory, finished=True)
            _bring_to(session_factory, doc, state)
            before = status(session_factory, doc)
            with transaction(session_factory) as s:
                d = s.get(Document, doc)
                offered = {a.key for a in workflow.available_actions(s, get_user(s, username), d)}
            assert (action in offered) == (username in allowed), (key, username, offered)
            if username in allowed:
                assert act(session_factory, doc, action, username, "Motivo") == target
                with transaction(session_factory) as s:
                    last = workflow.history(s, s.get(Document, doc))[-1]
                    assert (last.action, last.from_status, last.to_status, last.actor.username,
                            last.reason) == (action, before, target, username, "Motivo")
            else:
                with pytest.raises(PermissionDenied):
                    act(session_factory, doc, action, username, "Motivo")
                assert status(session_factory, doc) == before


def test_no_action_outside_its_states(session_factory):
    doc = new_doc(session_factory, finished=True)
    for action, username in [("observar", "asesor"), ("aprobar", "asesor"),
                             ("devolver", "gerente")]:
        with pytest.raises(Conflict, match="Borrador"):
            act(session_factory, doc, action, username, "x")
    _bring_to(session_factory, doc, "aprobado")
    for action, username in [("enviar", "redactor"), ("observar", "asesor"),
                             ("aprobar", "asesor")]:
        with pytest.raises(Conflict, match="Aprobado"):
            act(session_factory, doc, action, username, "x")
    with transaction(session_factory) as s:
        d = s.get(Document, doc)
        for bad in (None, 5, ["enviar"], {"a": 1}, "emitir", "publicar"):
            with pytest.raises(ValidationError, match="desconocida"):
                workflow.transition(s, d, bad, get_user(s, "asesor"))
        with pytest.raises(ValidationError, match="4000"):
            workflow.transition(s, d, "devolver", get_user(s, "asesor"), "x" * 4001)
    assert status(session_factory, doc) == "aprobado"


# ---- who the document goes to after each step ----------------------------------------------

def assignee(factory, doc):
    with transaction(factory) as s:
        user = s.get(Document, doc).assignee
        return user.username if user else None


def test_resent_without_assignee_goes_back_to_the_legal_pool(session_factory):
    from docsys.inbox import awaiting_documents
    doc = new_doc(session_factory)
    with transaction(session_factory) as s:
        workflow.transition(s, s.get(Document, doc), "enviar", get_user(s, "redactor"),
                            assignee=get_user(s, "asesor"))
    assert assignee(session_factory, doc) == "asesor"
    act(session_factory, doc, "observar", "asesor", "Adjuntar el informe.")
    assert assignee(session_factory, doc) == "redactor"   # a return goes to the author
    act(session_factory, doc, "enviar", "redactor")       # "(sin asignar)"
    assert assignee(session_factory, doc) is None
    with transaction(session_factory) as s:
        assert doc in [d.id for d in awaiting_documents(s, get_user(s, "asesor"))]
        assert doc not in [d.id for d in awaiting_documents(s, get_user(s, "redactor"))]


def test_approved_draft_leaves_the_adviser_and_awaits_the_signer(session_factory):
    from docsys.inbox import awaiting_documents
    doc = new_doc(session_factory, finished=True)
    with transaction(session_factory) as s:
        workflow.transition(s, s.get(Document, doc), "enviar", get_user(s, "redactor"),
                            assignee=get_user(s, "asesor"))
    vb(session_factory, doc, "asesor")
    vb(session_factory, doc, "gerente")
    act(session_factory, doc, "aprobar", "asesor")
    assert assignee(session_factory, doc) is None
    with transaction(session_factory) as s:
        assert doc not in [d.id for d in awaiting_documents(s, get_user(s, "asesor"))]
        assert doc in [d.id for d in awaiting_documents(s, get_user(s, "gerente"))]
    act(session_factory, doc, "devolver", "gerente", "Falta el informe presupuestal.")
    assert (status(session_factory, doc), assignee(session_factory, doc)) == ("observado",
                                                                              "redactor")


def test_assignee_must_be_able_to_act_in_the_new_state(session_factory):
    doc = new_doc(session_factory, finished=True)
    _add_user(session_factory, "asesor_inactivo", ["legal"], "GAJ")
    with transaction(session_factory) as s:
        get_user(s, "asesor_inactivo").active = False
    cases = [("archivo", "no puede atender"), ("redactor2", "no tiene acceso"),
             ("asesor_inactivo", "inactivo")]
    for username, message in cases:
        with transaction(session_factory) as s:
            with pytest.raises(ValidationError, match=message):
                workflow.transition(s, s.get(Document, doc), "enviar", get_user(s, "redactor"),
                                    assignee=get_user(s, username))
    assert (status(session_factory, doc), assignee(session_factory, doc)) == ("borrador", None)
    # the area head may receive it for his V°B°; an approved draft may go to a signer
    with transaction(session_factory) as s:
        workflow.transition(s, s.get(Document, doc), "enviar", get_user(s, "redactor"),
                            assignee=get_user(s, "gerente"))
    assert assignee(session_factory, doc) == "gerente"
    vb(session_factory, doc, "asesor")
    vb(session_factory, doc, "gerente")
    with transaction(session_factory) as s:
        d = s.get(Document, doc)
        with pytest.raises(ValidationError, match="no puede atender"):
            workflow.transition(s, d, "aprobar", get_user(s, "asesor"),
                                assignee=get_user(s, "redactor"))
    with transaction(session_factory) as s:
        workflow.transition(s, s.get(Document, doc), "aprobar", get_user(s, "asesor"),
                            assignee=get_user(s, "gerente"))
        rows = workflow.derivations(s, s.get(Document, doc))
        assert [(r.from_user.username, r.to_user.username) for r in rows] == [
            ("redactor", "gerente"), ("asesor", "gerente")]
    assert assignee(session_factory, doc) == "gerente"


def test_derivation_checks(session_factory):
    doc = new_doc(session_factory)
    with transaction(session_factory) as s:
        d = s.get(Document, doc)
        rosa = get_user(s, "redactor")
        with pytest.raises(ValidationError, match="no tiene acceso"):
            workflow.derive(s, d, rosa, get_user(s, "redactor2"))   # another office
        with pytest.raises(ValidationError, match="4000"):
            workflow.derive(s, d, rosa, get_user(s, "asesor"), "x" * 4001)
        with pytest.raises(PermissionDenied):
            workflow.derive(s, d, get_user(s, "redactor2"), get_user(s, "asesor"))
        before = d.updated_at.replace(tzinfo=None)   # SQLite gives naive UTC datetimes
        workflow.derive(s, d, rosa, get_user(s, "asesor"), "  Para su opinión  ")
        assert d.updated_at.replace(tzinfo=None) > before   # it waits for its recipient from now
        assert workflow.derivations(s, d)[-1].note == "Para su opinión"
        d.status = "publicado"
        with pytest.raises(Conflict, match="publicada"):
            workflow.derive(s, d, get_user(s, "asesor"), get_user(s, "gerente"))
        s.rollback()


# ---- atomicity under concurrency -----------------------------------------------------------

def _ready_for_approval(factory):
    """Sent with its prompts filled (version 2) and both vistos buenos given."""
    doc = new_doc(factory, finished=True)
    act(factory, doc, "enviar", "redactor")
    vb(factory, doc, "asesor")
    vb(factory, doc, "gerente")
    return doc


def _race(*jobs):
    """Run the callables at the same moment; each result or its exception's message."""
    results, barrier = [None] * len(jobs), threading.Barrier(len(jobs))

    def run(index, job):
        barrier.wait()
        try:
            results[index] = job()
        except DocsysError as exc:
            results[index] = exc
    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _save_new_version(factory, doc, username="asesor"):
    with transaction(factory) as s:
        d = s.get(Document, doc)
        content = versions.latest_version(s, d).content
        content["closing"] = "REGÍSTRESE, COMUNÍQUESE, PUBLÍQUESE Y CÚMPLASE."
        return versions.save_version(s, d, content, d.latest_version, get_user(s, username)).number


def test_approval_racing_a_new_version_never_approves_an_unvisaed_text(session_factory):
    """An approval and a correction saved at the same moment: either the approval wins
    and the save is refused, or the save wins and the approval is refused; an approved
    document always carries both vistos buenos on its latest version."""
    for _ in range(3):
        doc = _ready_for_approval(session_factory)
        approve, save = _race(lambda: act(session_factory, doc, "aprobar", "asesor"),
                              lambda: _save_new_version(session_factory, doc))
        assert [isinstance(r, DocsysError) for r in (approve, save)].count(True) == 1, (approve,
                                                                                      save)
        with transaction(session_factory) as s:
            d = s.get(Document, doc)
            if approve == "aprobado":
                assert d.status == "aprobado" and d.latest_version == 2
                assert set(workflow.current_vistos(s, d)) == {"legal", "area"}
                # refused when it saw the approval, or when its update found it
                assert isinstance(save, PermissionDenied) or "Aprobado" in save.message
            else:
                assert isinstance(approve, Conflict)
                assert d.status == "en_revision" and d.latest_version == 3
                assert workflow.current_vistos(s, d) == {}
                assert "versión" in approve.message


def test_concurrent_vistos_buenos_of_two_advisers_one_wins(session_factory):
    _add_user(session_factory, "asesor2", ["legal"], "GAJ")
    doc = new_doc(session_factory)
    act(session_factory, doc, "enviar", "redactor")
    results = _race(lambda: vb(session_factory, doc, "asesor"),
                    lambda: vb(session_factory, doc, "asesor2"))
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "str"], results
    loser = next(r for r in results if isinstance(r, Conflict))
    assert "visto bueno" in loser.message
    with transaction(session_factory) as s:
        assert list(workflow.current_vistos(s, s.get(Document, doc))) == ["legal"]


# ---- comments: anchors and quoted passages -------------------------------------------------

def _first_article(content):
    return next(sec for sec in content["sections"] if sec["kind"] == "articles")["items"][0]


def test_quoted_passage_must_be_in_the_commented_part(session_factory):
    doc = new_doc(session_factory)
    with transaction(session_factory) as s:
        d = s.get(Document, doc)
        legal = get_user(s, "asesor")
        content = versions.latest_version(s, d).content
        article = _first_article(content)
        passage = article["text"][8:40]
        with pytest.raises(ValidationError, match="no figura"):
            workflow.add_comment(s, d, legal, "x", 1, item_id=article["id"], quote="PAC 2099")
        with pytest.raises(ValidationError, match="2000"):
            workflow.add_comment(s, d, legal, "x", 1, item_id=article["id"], quote="q" * 2001)
        for bad in (["a"], 5, {"id": 1}):
            with pytest.raises(ValidationError):
                workflow.add_comment(s, d, legal, "x", 1, item_id=bad)
        with pytest.raises(ValidationError):
            workflow.add_comment(s, d, legal, "x", 1, quote=["a"])
        # spacing and capitals do not matter; the passage is kept as the reviewer wrote it
        loose = "  " + passage.upper().replace(" ", "   ") + " "
        comment = workflow.add_comment(s, d, legal, "Precisar.", 1, item_id=article["id"],
                                       quote=loose)
        assert comment.quote == loose.strip() and comment.section_key == "resuelve"
        general = workflow.add_comment(s, d, legal, "Sumilla imprecisa.", "1",
                                       quote="Aprobar el PAC")
        assert general.item_id == "" and general.quote == "Aprobar el PAC"
        for bad_thread in ("x", "-1", "0", str(2**40), 10**25, 1.5, [1], True):
            with pytest.raises(NotFound):
                workflow.add_comment(s, d, legal, "y", 1, thread_id=bad_thread)
        reply = workflow.add_comment(s, d, legal, "y", None, thread_id=comment.id)
        with pytest.raises(NotFound):   # threads are one level deep
            workflow.add_comment(s, d, legal, "z", None, thread_id=reply.id)
        for bad_version in ("x", "0", str(10**25), 10**25, 9):
            with pytest.raises(NotFound):
                workflow.add_comment(s, d, legal, "y", bad_version)
        for bad_comment in ("x", 10**25, reply.id):
            with pytest.raises(NotFound):
                workflow.resolve_comment(s, d, legal, bad_comment)


def test_no_new_observations_once_issued(session_factory):
    doc = new_doc(session_factory)
    with transaction(session_factory) as s:
        thread = workflow.add_comment(s, s.get(Document, doc), get_user(s, "asesor"), "Ver.", 1)
        s.get(Document, doc).status = "emitido"
    with transaction(session_factory) as s:
        d, legal = s.get(Document, doc), get_user(s, "asesor")
        with pytest.raises(Conflict, match="ya fue emitida"):
            workflow.add_comment(s, d, legal, "Tarde.", 1)
        with pytest.raises(Conflict, match="ya fue emitida"):
            workflow.add_comment(s, d, legal, "Tarde.", None, thread_id=thread.id)
        workflow.resolve_comment(s, d, legal, thread.id)   # old threads can still be closed


def test_threads_say_when_the_quoted_passage_or_the_part_changed(session_factory):
    doc = new_doc(session_factory)
    with transaction(session_factory) as s:
        d = s.get(Document, doc)
        author, legal = get_user(s, "redactor"), get_user(s, "asesor")
        content = versions.latest_version(s, d).content
        articles = next(sec for sec in content["sections"] if sec["kind"] == "articles")
        articles["items"] = [{"text": "APROBAR el PAC por S/ 100 000."},
                             {"text": "ENCARGAR a la Gerencia de Administración."}]
        v2 = versions.save_version(s, d, content, 1, author).content
        first, second = next(sec for sec in v2["sections"] if sec["kind"] == "articles")["items"]
        workflow.add_comment(s, d, legal, "¿Monto?", 2, item_id=first["id"], quote="S/ 100 000")
        workflow.add_comment(s, d, legal, "¿Qué gerencia?", 2, item_id=second["id"],
                             quote="Gerencia de Administración")
        threads = workflow.comment_threads(s, d)
        assert [t["quote_changed"] for t in threads] == [False, False]
        arts = next(sec for sec in v2["sections"] if sec["kind"] == "articles")
        arts["items"][0]["text"] = "APROBAR el PAC por S/ 125 000."
        del arts["items"][1]
        versions.save_version(s, d, v2, 2, author)
        threads = workflow.comment_threads(s, d)
        assert [t["quote_changed"] for t in threads] == [True, True]
        assert [t["anchor_removed"] for t in threads] == [False, True]
        assert threads[0]["current_position"][1] == 1


# PostgreSQL runs transactions side by side (SQLite queues writers on BEGIN IMMEDIATE), so
# there the exact interleavings are replayed step by step with two sessions.

on_postgres = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


def wait_for_lock_wait(factory, table: str, timeout: float = 10.0) -> None:
    """Block until some PostgreSQL backend waits on a lock in a statement about ``table``."""
    import time

    from sqlalchemy import text
    deadline = time.monotonic() + timeout
    with factory() as s:
        while time.monotonic() < deadline:
            waiting = s.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database() AND query ILIKE :q"),
                {"q": f"%{table}%"}).scalar()
            s.rollback()
            if waiting:
                return
            time.sleep(0.02)
    raise AssertionError(f"no statement on {table} waited for a lock")


@on_postgres
def test_approval_of_a_version_replaced_meanwhile_is_refused_on_postgres(session_factory):
    doc = _ready_for_approval(session_factory)
    adviser = session_factory()
    try:
        d = adviser.get(Document, doc)
        assert d.latest_version == 2                      # she reads version 2 and its V°B°
        assert _save_new_version(session_factory, doc) == 3    # a colleague saves version 3
        with pytest.raises(Conflict, match="guardó la versión 3"):
            workflow.transition(adviser, d, "aprobar", get_user(adviser, "asesor"))
    finally:
        adviser.rollback()
        adviser.close()
    assert status(session_factory, doc) == "en_revision"


@on_postgres
def test_save_after_a_concurrent_approval_is_refused_on_postgres(session_factory):
    doc = _ready_for_approval(session_factory)
    editor = session_factory()
    try:
        d = editor.get(Document, doc)                     # en revisión: she may still edit
        content = versions.latest_version(editor, d).content
        act(session_factory, doc, "aprobar", "asesor")         # approved meanwhile
        content["closing"] = "REGÍSTRESE Y CÚMPLASE."
        with pytest.raises(Conflict, match="Aprobado"):
            versions.save_version(editor, d, content, 2, get_user(editor, "asesor"))
    finally:
        editor.rollback()
        editor.close()
    with transaction(session_factory) as s:
        d = s.get(Document, doc)
        assert (d.status, d.latest_version) == ("aprobado", 2)


@on_postgres
def test_identical_visto_bueno_at_the_same_moment_is_a_conflict_on_postgres(session_factory):
    _add_user(session_factory, "asesor2", ["legal"], "GAJ")
    doc = new_doc(session_factory)
    act(session_factory, doc, "enviar", "redactor")
    first = session_factory()
    workflow.give_visto_bueno(first, first.get(Document, doc), get_user(first, "asesor2"))
    outcome = {}

    def second():
        try:
            outcome["second"] = vb(session_factory, doc, "asesor")
        except Conflict as exc:
            outcome["second"] = exc.message
    thread = threading.Thread(target=second)
    thread.start()
    try:
        wait_for_lock_wait(session_factory, "vistos_buenos")   # blocked on the unique key
    finally:
        first.commit()
        first.close()
        thread.join()
    assert outcome["second"] == "Otra persona acaba de dar ese visto bueno sobre la versión actual."
    with transaction(session_factory) as s:
        rows = workflow.current_vistos(s, s.get(Document, doc))
        assert [(k, v.user.username) for k, v in rows.items()] == [("legal", "asesor2")]
