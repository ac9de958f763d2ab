"""docsys.policy on SQLite and PostgreSQL: the rules the reviews found broken, and the SQL
forms of the rules (what a user sees, their Bandeja's list) agreeing with the Python ones."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from docsys import accounts, inbox, policy, workflow
from docsys.db import transaction
from docsys.errors import Conflict, PermissionDenied
from docsys.models import Document, Office
from docsys.policy import Action
from docsys.states import MOVES, Status
from tests.conftest import get_user
from tests.domain.test_workflow import act, new_doc, vb


def allows(factory, username, action, doc_id):
    with transaction(factory) as s:
        return policy.allows(get_user(s, username), action, s.get(Document, doc_id))


def approved(factory, author="redactor"):
    doc = new_doc(factory, author, finished=True)
    act(factory, doc, "enviar", author)
    vb(factory, doc, "asesor")
    vb(factory, doc, "gerente")
    act(factory, doc, "aprobar", "asesor")
    return doc


def test_only_the_signing_authority_or_legal_returns_an_approved_norm(session_factory):
    with transaction(session_factory) as s:
        accounts.create_user(s, "gerente_gdur", "clave-segura-1", "Raúl Apaza", ["signer"],
                             office_code="GDUR")
    doc = approved(session_factory)          # a Resolución de Gerencia Municipal, signed by GM
    assert allows(session_factory, "gerente", Action.RETURN, doc)
    assert allows(session_factory, "asesor", Action.RETURN, doc)
    assert not allows(session_factory, "gerente_gdur", Action.RETURN, doc)
    with pytest.raises(PermissionDenied):
        act(session_factory, doc, "devolver", "gerente_gdur", "No me corresponde, pero…")
    assert act(session_factory, doc, "devolver", "gerente", "Falta el informe técnico.") \
        == "observado"


def test_legal_advisers_edit_drafts_under_review_only(session_factory):
    doc = new_doc(session_factory)
    assert allows(session_factory, "redactor", Action.EDIT, doc)
    assert not allows(session_factory, "asesor", Action.EDIT, doc)      # still the office's
    act(session_factory, doc, "enviar", "redactor")
    assert allows(session_factory, "asesor", Action.EDIT, doc)
    assert not allows(session_factory, "redactor", Action.EDIT, doc)    # out of its hands
    act(session_factory, doc, "observar", "asesor", "Corregir la base legal.")
    assert not allows(session_factory, "asesor", Action.EDIT, doc)


def test_a_designated_head_with_only_the_drafter_role_gives_the_area_visto_bueno(
        session_factory):
    with transaction(session_factory) as s:
        accounts.create_user(s, "jefe_gm", "clave-segura-1", "Julia Huamán", ["drafter"],
                             office_code="GM")
        office = s.scalar(select(Office).where(Office.code == "GM"))
        workflow.set_office_head(s, office, get_user(s, "jefe_gm"))
    doc = new_doc(session_factory)
    act(session_factory, doc, "enviar", "redactor")
    assert allows(session_factory, "jefe_gm", Action.VISTO_BUENO, doc)
    assert not allows(session_factory, "gerente", Action.VISTO_BUENO, doc)  # not the head now
    assert vb(session_factory, doc, "jefe_gm") == "area"
    with transaction(session_factory) as s:
        assert policy.allows(get_user(s, "jefe_gm"), Action.KEEP_CERTIFICATE)


def test_not_now_is_a_conflict_and_not_you_is_a_refusal(session_factory):
    doc = new_doc(session_factory)
    with pytest.raises(Conflict):   # a legal adviser approves, but not a draft
        act(session_factory, doc, "aprobar", "asesor")
    act(session_factory, doc, "enviar", "redactor")
    with pytest.raises(PermissionDenied):
        act(session_factory, doc, "aprobar", "redactor")


def test_moves_are_declared_once_and_the_policy_follows_them(session_factory):
    for key, move in MOVES.items():
        assert all(isinstance(s, Status) for s in move.sources) and isinstance(move.target, Status)
        assert policy._STATES[Action(key)] == move.sources
    assert list(workflow.ACTIONS) == ["enviar", "observar", "aprobar", "devolver", "retirar",
                                      "descartar"]


def test_sql_rules_agree_with_the_python_rules(session_factory):
    drafts = [new_doc(session_factory, u) for u in ("redactor", "redactor", "redactor2")]
    act(session_factory, drafts[1], "enviar", "redactor")
    approved(session_factory)
    with transaction(session_factory) as s:
        documents = list(s.scalars(select(Document)))
        s.get(Document, drafts[2]).status = Status.PUBLISHED  # a published norm of GDUR
        s.flush()
        for username in ("redactor", "redactor2", "asesor", "gerente", "archivo", "admin"):
            user = get_user(s, username)
            condition = policy.visible_condition(policy.search_visibility(user))
            by_sql = set(s.scalars(select(Document.id).where(condition)))
            assert by_sql == {d.id for d in documents if policy.can_view(user, d)}, username
            listed = {d.id for d in inbox.inbox_documents(s, user)}
            assert listed == {d.id for d in documents if policy.can_view(user, d)
                              and (user.has_role(*policy.READ_ALL_ROLES)
                                   or policy.is_author_side(user, d))}, username
