"""The Bandeja on SQLite and PostgreSQL: what awaits each user (by state, role, office,
assignment and vistos buenos), counted per state and listed oldest first."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from docsys import accounts, inbox, issuing, policy, workflow
from docsys.db import transaction
from docsys.drafting import service
from docsys.models import Document, Office
from tests.conftest import get_user
from tests.domain.test_workflow import act, new_doc, vb
from tests.finishing import finish


def awaiting(factory, username):
    with transaction(factory) as s:
        return [d.id for d in inbox.awaiting_documents(s, get_user(s, username))]


def counts(factory, username):
    with transaction(factory) as s:
        return inbox.awaiting_counts(s, get_user(s, username))


def add_user(factory, username, roles, office):
    with transaction(factory) as s:
        accounts.create_user(s, username, "clave-segura-1", username.title(), roles,
                             office_code=office)


def set_updated(factory, doc, minutes_ago):
    with transaction(factory) as s:
        s.get(Document, doc).updated_at = (datetime.now(timezone.utc)
                                           - timedelta(minutes=minutes_ago))


def test_oldest_first_with_counts_per_state(session_factory):
    a, b, c = (new_doc(session_factory) for _ in range(3))
    d = new_doc(session_factory)
    for doc in (a, b, c):
        act(session_factory, doc, "enviar", "redactor")
    act(session_factory, c, "observar", "asesor", "Completar.")
    for doc, minutes in ((a, 30), (b, 90), (c, 60), (d, 10)):
        set_updated(session_factory, doc, minutes)
    assert awaiting(session_factory, "asesor") == [b, a]
    assert awaiting(session_factory, "redactor") == [c, d]
    assert counts(session_factory, "redactor") == {"borrador": 1, "observado": 1}
    assert counts(session_factory, "asesor") == {"en_revision": 2}
    assert list(counts(session_factory, "gerente")) == ["en_revision"]   # workflow order
    assert awaiting(session_factory, "redactor2") == []                  # another office
    assert awaiting(session_factory, "admin") == [] and counts(session_factory, "admin") == {}


def test_legal_pool_and_assignments(session_factory):
    add_user(session_factory, "asesor2", ["legal"], "GAJ")
    pool, mine, theirs, derived = (new_doc(session_factory) for _ in range(4))
    act(session_factory, pool, "enviar", "redactor")
    with transaction(session_factory) as s:
        rosa = get_user(s, "redactor")
        for doc, to in ((mine, "asesor"), (theirs, "asesor2"), (derived, "gerente")):
            workflow.transition(s, s.get(Document, doc), "enviar", rosa, assignee=get_user(s, to))
    assert set(awaiting(session_factory, "asesor")) == {pool, mine, derived}
    assert set(awaiting(session_factory, "asesor2")) == {pool, theirs, derived}
    # a draft assigned to its author while in review (data from before the fix) is not lost
    with transaction(session_factory) as s:
        s.get(Document, pool).assignee = get_user(s, "redactor")
    assert pool in awaiting(session_factory, "asesor")


def test_area_head_until_his_visto_bueno_is_on_the_current_version(session_factory):
    from docsys import versions
    doc = new_doc(session_factory)
    act(session_factory, doc, "enviar", "redactor")
    assert doc in awaiting(session_factory, "gerente")
    vb(session_factory, doc, "gerente")
    assert doc not in awaiting(session_factory, "gerente")
    with transaction(session_factory) as s:             # a new version voids his V°B°
        d = s.get(Document, doc)
        content = versions.latest_version(s, d).content
        content["closing"] = "REGÍSTRESE Y CÚMPLASE."
        versions.save_version(s, d, content, 1, get_user(s, "asesor"))
    assert doc in awaiting(session_factory, "gerente")
    # once the office has a designated head, it is the head's, not every signer's
    add_user(session_factory, "jefe_gm", ["drafter"], "GM")
    with transaction(session_factory) as s:
        office = s.query(Office).filter_by(code="GM").one()
        workflow.set_office_head(s, office, get_user(s, "jefe_gm"))
    assert doc not in awaiting(session_factory, "gerente")
    assert doc in awaiting(session_factory, "jefe_gm")
    with transaction(session_factory) as s:
        assert policy.has_next_step(get_user(s, "jefe_gm"), s.get(Document, doc), "en_revision")


def _approved(factory, template, drafter, head):
    with transaction(factory) as s:
        author = get_user(s, drafter)
        doc = finish(s, service.create_document(s, template, {"sumilla": f"Norma de prueba {template}"},
                                                author), author).id
    act(factory, doc, "enviar", drafter)
    vb(factory, doc, "asesor")
    vb(factory, doc, head)
    act(factory, doc, "aprobar", "asesor")
    return doc


def test_approved_norm_awaits_the_authority_that_signs_it(session_factory):
    add_user(session_factory, "alcalde", ["signer"], "A")
    add_user(session_factory, "gerente_gdur", ["signer"], "GDUR")
    rgm = _approved(session_factory, "resolucion-gerencia-municipal", "redactor", "gerente")
    ra = _approved(session_factory, "resolucion-alcaldia", "redactor", "gerente")
    om = _approved(session_factory, "ordenanza-municipal", "redactor", "gerente")
    rg = _approved(session_factory, "resolucion-gerencia", "redactor2", "gerente_gdur")
    assert set(awaiting(session_factory, "gerente")) == {rgm}
    assert set(awaiting(session_factory, "alcalde")) == {ra, om}
    assert set(awaiting(session_factory, "gerente_gdur")) == {rg}
    # the same rule as the one that lets a signer issue, for every template
    with transaction(session_factory) as s:
        signers = [get_user(s, u) for u in ("gerente", "alcalde", "gerente_gdur")]
        for doc in (rgm, ra, om, rg):
            document = s.get(Document, doc)
            for user in signers:
                listed = doc in [d.id for d in inbox.awaiting_documents(s, user)]
                assert listed == issuing.can_issue(user, document), (document.doc_type, user.username)
                assert listed == policy.has_next_step(user, document, "aprobado")


def test_issued_norm_awaits_the_archive_and_inactive_users_see_nothing(session_factory):
    doc = _approved(session_factory, "resolucion-gerencia-municipal", "redactor", "gerente")
    with transaction(session_factory) as s:
        workflow.move(s, s.get(Document, doc), "emitido", get_user(s, "gerente"), "emitir",
                      expected=("aprobado",))
    assert awaiting(session_factory, "archivo") == [doc]
    assert doc not in awaiting(session_factory, "gerente")
    with transaction(session_factory) as s:
        get_user(s, "archivo").active = False
    assert awaiting(session_factory, "archivo") == []


BANDEJA = {"borrador": {"redactor"}, "observado": {"redactor"},
           "en_revision": {"asesor", "gerente"}, "aprobado": {"gerente"}, "emitido": {"archivo"},
           "publicado": set()}


def test_the_bandeja_agrees_with_who_may_act(session_factory):
    users = ("redactor", "redactor2", "asesor", "gerente", "archivo", "admin")
    doc = new_doc(session_factory)
    for state, expected in BANDEJA.items():
        with transaction(session_factory) as s:
            s.get(Document, doc).status = state
        assert {u for u in users if doc in awaiting(session_factory, u)} == expected, state
        with transaction(session_factory) as s:
            d = s.get(Document, doc)
            assert {u for u in users if policy.has_next_step(get_user(s, u), d, state)} == expected
