"""Versions on SQLite and PostgreSQL: immutable rows, optimistic concurrency, restore."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from docsys import versions
from docsys.db import transaction
from docsys.drafting import service
from docsys.errors import (ImmutableError, NotFound, PermissionDenied, ValidationError,
                           VersionConflict)
from docsys.models import Document, DocumentVersion, TemplateVersion
from tests.conftest import get_user

RGM = "resolucion-gerencia-municipal"


def _create(session_factory, username="redactor", sumilla="Aprobar el expediente técnico"):
    with transaction(session_factory) as session:
        document = service.create_document(session, RGM, {"sumilla": sumilla},
                                           get_user(session, username))
        return document.id


def _edit(content, text):
    content = dict(content)
    sections = [dict(s) for s in content["sections"]]
    target = next(s for s in sections if s["kind"] == "articles")
    target["items"] = [dict(i) for i in target["items"]]
    target["items"][0]["text"] = text
    content["sections"] = sections
    return content


def test_create_from_template_is_version_one(session_factory):
    doc_id = _create(session_factory)
    with transaction(session_factory) as session:
        user = get_user(session, "redactor")
        document = versions.get_document(session, doc_id, user)
        assert document.latest_version == 1 and document.status == "borrador"
        assert document.office.code == "GM"
        v1 = versions.latest_version(session, document)
        assert v1.content["fields"]["sumilla"] == "Aprobar el expediente técnico"
        assert v1.author.username == "redactor"
        tv = session.get(TemplateVersion, document.template_version_id)
        assert tv.template.key == RGM and tv.number == 1


def test_save_creates_numbered_immutable_versions(session_factory):
    doc_id = _create(session_factory)
    with transaction(session_factory) as session:
        user = get_user(session, "redactor")
        document = versions.get_document(session, doc_id, user)
        content = versions.latest_version(session, document).content
        v2 = versions.save_version(session, document, _edit(content, "APROBAR el expediente."),
                                   1, user, note="Primera corrección")
        v3 = versions.save_version(session, document, _edit(content, "APROBAR el expediente técnico."),
                                   2, user)
        assert (v2.number, v3.number) == (2, 3)
        assert v2.note == "Primera corrección"
        assert v2.content_hash != v3.content_hash
    with transaction(session_factory) as session:
        numbers = session.scalars(select(DocumentVersion.number)
                                  .where(DocumentVersion.document_id == doc_id)
                                  .order_by(DocumentVersion.number)).all()
        assert numbers == [1, 2, 3]
        assert session.get(Document, doc_id).latest_version == 3


def test_version_rows_cannot_be_updated_or_deleted(session_factory):
    doc_id = _create(session_factory)
    with pytest.raises(ImmutableError):
        with transaction(session_factory) as session:
            version = session.scalar(select(DocumentVersion).where(DocumentVersion.document_id == doc_id))
            version.note = "alterada"
    with pytest.raises(ImmutableError):
        with transaction(session_factory) as session:
            version = session.scalar(select(DocumentVersion).where(DocumentVersion.document_id == doc_id))
            session.delete(version)
    with transaction(session_factory) as session:
        version = session.scalar(select(DocumentVersion).where(DocumentVersion.document_id == doc_id))
        assert version.note == "Creado desde la plantilla"


def test_stale_save_is_refused_and_changes_nothing(session_factory):
    doc_id = _create(session_factory)
    with transaction(session_factory) as session:
        user = get_user(session, "redactor")
        document = versions.get_document(session, doc_id, user)
        content = versions.latest_version(session, document).content
        versions.save_version(session, document, _edit(content, "Texto de Rosa"), 1, user)
    with pytest.raises(VersionConflict) as info:
        with transaction(session_factory) as session:  # Rosa again, from an old tab
            other = get_user(session, "redactor")
            document = versions.get_document(session, doc_id, other)
            versions.save_version(session, document, _edit(content, "Texto de Carmen"), 1, other)
    assert info.value.details["current_version"] == 2
    assert "versión 2" in info.value.message
    with transaction(session_factory) as session:
        document = session.get(Document, doc_id)
        assert document.latest_version == 2
        latest = versions.latest_version(session, document)
        assert "Texto de Rosa" in str(latest.content)


def test_concurrent_saves_on_same_base_have_one_winner(session_factory):
    doc_id = _create(session_factory)
    with transaction(session_factory) as session:
        content = versions.latest_version(session, session.get(Document, doc_id)).content
    outcomes, barrier = [], threading.Barrier(4)

    def worker(n):
        barrier.wait()
        try:
            with transaction(session_factory) as session:
                user = get_user(session, "redactor")
                document = versions.get_document(session, doc_id, user)
                versions.save_version(session, document, _edit(content, f"Texto {n}"), 1, user)
            outcomes.append("ok")
        except VersionConflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "conflict", "conflict", "ok"]
    with transaction(session_factory) as session:
        assert session.get(Document, doc_id).latest_version == 2
        count = len(session.scalars(select(DocumentVersion.id)
                                    .where(DocumentVersion.document_id == doc_id)).all())
        assert count == 2


def test_restore_creates_a_new_version_with_old_content(session_factory):
    doc_id = _create(session_factory)
    with transaction(session_factory) as session:
        user = get_user(session, "redactor")
        document = versions.get_document(session, doc_id, user)
        v1 = versions.latest_version(session, document)
        versions.save_version(session, document, _edit(v1.content, "Cambio"), 1, user)
        restored = versions.restore_version(session, document, 1, 2, user)
        assert restored.number == 3 and restored.restored_from == 1
        assert restored.content == v1.content
        assert "Restaurada desde la versión 1" == restored.note


def test_autosave_without_changes_writes_nothing(session_factory):
    doc_id = _create(session_factory)
    with transaction(session_factory) as session:
        user = get_user(session, "redactor")
        document = versions.get_document(session, doc_id, user)
        v1 = versions.latest_version(session, document)
        same = versions.save_version(session, document, v1.content, 1, user, autosave=True)
        assert same.number == 1
        changed = versions.save_version(session, document, _edit(v1.content, "Nuevo"), 1, user,
                                        autosave=True)
        assert changed.number == 2 and changed.autosave and changed.note == "Guardado automático"


@pytest.mark.parametrize("content, message", [
    (None, "objeto JSON"),
    ({"doc_type": "RGM", "fields": {"sumilla": ""}, "sections": []}, "sumilla"),
    ({"doc_type": "RGM", "fields": {"sumilla": "x" * 1001}, "sections": []}, "máximo"),
    ({"doc_type": "OM", "fields": {"sumilla": "x"}, "sections": []}, "tipo"),
    ({"doc_type": "RGM", "fields": {"sumilla": "x"}, "sections": "no"}, "lista"),
])
def test_invalid_content_is_refused_in_spanish(session_factory, content, message):
    doc_id = _create(session_factory)
    with pytest.raises(ValidationError) as info:
        with transaction(session_factory) as session:
            user = get_user(session, "redactor")
            document = versions.get_document(session, doc_id, user)
            versions.save_version(session, document, content, 1, user)
    assert message in info.value.message
    with transaction(session_factory) as session:
        assert session.get(Document, doc_id).latest_version == 1


def test_access_rules(session_factory):
    doc_id = _create(session_factory, "redactor")
    with transaction(session_factory) as session:
        other_office = get_user(session, "redactor2")
        with pytest.raises(PermissionDenied):
            versions.get_document(session, doc_id, other_office)
        signer = get_user(session, "gerente")
        document = versions.get_document(session, doc_id, signer)  # signers read everything
        with pytest.raises(PermissionDenied):
            versions.save_version(session, document, versions.latest_version(session, document).content,
                                  1, signer)
        with pytest.raises(NotFound):
            versions.get_document(session, 999_999, signer)
        with pytest.raises(NotFound):
            versions.get_version(session, document, 42)


def test_documents_remember_their_template_version(session_factory):
    first = _create(session_factory)
    with transaction(session_factory) as session:
        template = service.get_template(session, RGM)
        source = service.latest_template_version(session, template).source_text
        service.update_template(session, template, source.replace("SE RESUELVE:", "SE RESUELVE :"),
                                get_user(session, "admin"), "Ajuste de formato")
    second = _create(session_factory)
    with transaction(session_factory) as session:
        a, b = session.get(Document, first), session.get(Document, second)
        assert a.template_version.number == 1 and b.template_version.number == 2
        assert "Ajuste de formato" == b.template_version.note


def test_template_edits_need_admin_and_valid_yaml(session_factory):
    with transaction(session_factory) as session:
        template = service.get_template(session, RGM)
        with pytest.raises(PermissionDenied):
            service.update_template(session, template, "key: x", get_user(session, "redactor"))
        admin = get_user(session, "admin")
        with pytest.raises(ValidationError, match="YAML"):
            service.update_template(session, template, "key: [unbalanced", admin)
        source = service.latest_template_version(session, template).source_text
        with pytest.raises(ValidationError, match="no tiene cambios"):
            service.update_template(session, template, source, admin)
        with pytest.raises(ValidationError, match="clave"):
            service.update_template(session, template, source.replace(f"key: {RGM}", "key: otra"), admin)
    with transaction(session_factory) as session:
        assert service.get_template(session, RGM).latest_version == 1


def test_template_version_rows_are_immutable(session_factory):
    with pytest.raises(ImmutableError):
        with transaction(session_factory) as session:
            tv = session.scalar(select(TemplateVersion))
            tv.note = "cambiada"
