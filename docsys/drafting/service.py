"""Creating drafts from templates, and keeping templates (files -> database -> new versions)."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from docsys import events, policy
from docsys.drafting.templates import (instantiate, parse_template, source_hash,
                                       template_files)
from docsys.errors import NotFound, ValidationError
from docsys.models import Document, DocumentTemplate, DocumentVersion, Office, TemplateVersion, User
from docsys.drafting.structure import content_hash
from docsys.states import Status


def list_templates(session: Session) -> list[DocumentTemplate]:
    return list(session.scalars(select(DocumentTemplate).order_by(DocumentTemplate.name)))


def get_template(session: Session, key) -> DocumentTemplate:
    template = None
    if isinstance(key, str) and key:
        template = session.scalar(select(DocumentTemplate).where(DocumentTemplate.key == key))
    if template is None:
        raise NotFound(f"La plantilla «{key}» no existe.")
    return template


def latest_template_version(session: Session, template: DocumentTemplate) -> TemplateVersion:
    """Every stored template has one: a template is created with its first version."""
    return session.scalars(select(TemplateVersion).where(
        TemplateVersion.template_id == template.id,
        TemplateVersion.number == template.latest_version)).one()


def _add_template_version(session: Session, template: DocumentTemplate, source_text: str,
                          definition: dict, author: User | None, note: str) -> TemplateVersion:
    template.latest_version += 1
    template.name = definition["name"]
    version = TemplateVersion(
        template=template, number=template.latest_version, definition=definition,
        source_text=source_text, source_hash=source_hash(source_text),
        author_id=author.id if author else None, note=note)
    session.add(version)
    session.flush()
    return version


def load_template_files(session: Session, directory: str | Path, update: bool = False) -> dict:
    """Load templates/documents/*.yaml. New keys are created; with ``update`` a file that
    differs from the latest version becomes a new version (an admin's browser edits are
    otherwise kept). Returns counts for the CLI."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for path in template_files(directory):
        text = path.read_text(encoding="utf-8")
        try:
            definition = parse_template(text)
        except ValidationError as exc:
            raise ValidationError(f"{path.name}: {exc.message}") from None
        template = session.scalar(
            select(DocumentTemplate).where(DocumentTemplate.key == definition["key"]))
        if template is None:
            template = DocumentTemplate(key=definition["key"], name=definition["name"],
                                        doc_type=definition["doc_type"], latest_version=0)
            session.add(template)
            _add_template_version(session, template, text, definition, None,
                                  f"Cargada desde {path.name}")
            counts["created"] += 1
        elif update and latest_template_version(session, template).source_hash != source_hash(text):
            _add_template_version(session, template, text, definition, None,
                                  f"Actualizada desde {path.name}")
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    return counts


def update_template(session: Session, template: DocumentTemplate, source_text, author: User,
                    note: str = "") -> TemplateVersion:
    """An admin's edit becomes a new template version; drafts keep the one they came from."""
    policy.require(author, policy.Action.ADMINISTER, None, "Solo un administrador puede editar plantillas.")
    if not isinstance(source_text, str) or not source_text.strip():
        raise ValidationError("El texto de la plantilla no puede estar vacío.")
    definition = parse_template(source_text)
    if definition["key"] != template.key or definition["doc_type"] != template.doc_type:
        raise ValidationError("No se puede cambiar la clave ni el tipo de una plantilla existente.")
    latest = latest_template_version(session, template)
    if latest and latest.source_hash == source_hash(source_text):
        raise ValidationError("La plantilla no tiene cambios respecto de su última versión.")
    note = (note or "").strip()[:500]
    return _add_template_version(session, template, source_text, definition, author,
                                 note or "Editada en el navegador")


def create_document(session: Session, template_key, fields, author: User,
                    note: str = "") -> Document:
    """Create a draft from the latest version of a template; it becomes version 1."""
    policy.require(author, policy.Action.CREATE, None,
                        "Solo un redactor con oficina asignada puede crear documentos.")
    if not isinstance(fields, dict):
        raise ValidationError("Los campos del documento deben ser un objeto.")
    template = get_template(session, template_key)
    tversion = latest_template_version(session, template)
    content = instantiate(tversion.definition, fields)
    document = Document(
        doc_type=template.doc_type, title=content["fields"]["sumilla"], status=Status.DRAFT,
        office_id=author.office_id, created_by_id=author.id,
        template_version_id=tversion.id, latest_version=1,
    )
    session.add(document)
    session.flush()
    session.add(DocumentVersion(
        document_id=document.id, number=1, content=content, content_hash=content_hash(content),
        author_id=author.id, note=(note or "Creado desde la plantilla")[:500]))
    session.flush()
    events.record(session, "create", author, document.id, template=template.key,
                 template_version=tversion.number)
    return document


def get_office(session: Session, code: str) -> Office:
    office = session.scalar(select(Office).where(Office.code == code))
    if office is None:
        raise NotFound(f"La oficina «{code}» no existe.")
    return office


def template_versions(session: Session, template: DocumentTemplate) -> list[TemplateVersion]:
    """A template's versions, newest first."""
    return list(session.scalars(select(TemplateVersion)
                                .where(TemplateVersion.template_id == template.id)
                                .order_by(TemplateVersion.number.desc())))


def template_version(session: Session, template: DocumentTemplate, number: int) -> TemplateVersion:
    version = session.scalar(select(TemplateVersion).where(
        TemplateVersion.template_id == template.id, TemplateVersion.number == number))
    if version is None:
        raise NotFound(f"La versión {number} de la plantilla no existe.")
    return version
