"""Immutable versions of a document: save, list, get, restore, with optimistic concurrency.

A save names the version it was based on. If somebody else saved in between, the save is
refused with VersionConflict (HTTP 409) instead of silently overwriting their work; the
caller can then show both texts. The check and the increment are one conditional UPDATE,
so it holds under concurrent requests on SQLite and PostgreSQL alike.
"""
from __future__ import annotations


from sqlalchemy import select, update
from sqlalchemy.orm import Session

from docsys import events, policy
from docsys.drafting.structure import content_hash, normalize_content
from docsys.errors import Conflict, ImmutableError, NotFound, ValidationError, VersionConflict
from docsys.ids import parse_id
from docsys.models import Document, DocumentVersion, User, WorkingCopy
from docsys.models._common import utcnow
from docsys.states import label

MAX_NOTE_LENGTH = 500


def get_document(session: Session, document_id, user: User) -> Document:
    document_id = parse_id(document_id)
    document = session.get(Document, document_id) if document_id else None
    if document is None:
        raise NotFound("El documento solicitado no existe.")
    policy.require(user, policy.Action.VIEW, document, "No tiene permiso para ver este documento.")
    return document


def list_versions(session: Session, document: Document) -> list[DocumentVersion]:
    return list(session.scalars(
        select(DocumentVersion).where(DocumentVersion.document_id == document.id)
        .order_by(DocumentVersion.number.desc())
    ))


def get_version(session: Session, document: Document, number) -> DocumentVersion:
    number = parse_id(number)
    if number is None:
        raise NotFound("La versión solicitada no existe.")
    version = session.scalar(select(DocumentVersion).where(
        DocumentVersion.document_id == document.id, DocumentVersion.number == number))
    if version is None:
        raise NotFound(f"La versión {number} de este documento no existe.")
    return version


def latest_version(session: Session, document: Document) -> DocumentVersion:
    return get_version(session, document, document.latest_version)


def _parse_base(base_version) -> int:
    """The version a save was made over: a whole number from 1 (or its digits), read as
    every id (no bool, no float: 1.5 is no version, 1e999 is infinity to json)."""
    base = parse_id(base_version)
    if base is None:
        raise ValidationError("Indique la versión sobre la que trabajó (versión base): un "
                              "número entero desde 1.")
    return base


ISSUED_MESSAGE = ("La norma ya fue emitida y firmada: su texto es inmutable. Para cambiarla, "
                  "redacte una nueva norma que la modifique.")


def _append_version(session: Session, document: Document, content: dict, base: int,
                    author: User, note: str, autosave: bool = False,
                    restored_from: int | None = None) -> DocumentVersion:
    """Take the next version number atomically and write the version row."""
    new_number = base + 1
    if document.official_number:
        raise ImmutableError(ISSUED_MESSAGE)
    # The status the caller's permission was checked against must still hold: a save must
    # not slip in after a concurrent approval (whose vistos buenos name the old version).
    result = session.execute(
        update(Document)
        .where(Document.id == document.id, Document.latest_version == base,
               Document.status == document.status, Document.official_number.is_(None))
        .values(latest_version=new_number, updated_at=utcnow(),
                title=content["fields"].get("sumilla") or document.title)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE gives a CursorResult
        current, number, status = session.execute(
            select(Document.latest_version, Document.official_number, Document.status)
            .where(Document.id == document.id)).one()
        if number:  # issued meanwhile
            raise ImmutableError(ISSUED_MESSAGE)
        if status != document.status:
            raise Conflict(
                f"El documento pasó al estado «{label(status)}» mientras usted "
                "lo editaba; su texto no se guardó. Recargue la página.", current_status=status)
        newer_author = session.scalar(select(DocumentVersion.author_id).where(
            DocumentVersion.document_id == document.id, DocumentVersion.number == current))
        if newer_author == author.id:  # a page left behind (Back, another tab): not "otra persona"
            raise VersionConflict(
                f"Esta página mostraba la versión {base}, pero usted ya guardó la versión "
                f"{current} (en otra pestaña o antes de volver atrás). Su texto no se guardó: "
                "compare ambas versiones y elija cómo continuar.",
                current_version=current, base_version=base, same_author=True)
        raise VersionConflict(
            f"El documento fue modificado por otra persona (versión {current}) "
            f"después de la versión {base} en la que usted trabajó. Su texto no se guardó: "
            "compare ambas versiones y vuelva a guardar.",
            current_version=current, base_version=base,
        )
    version = DocumentVersion(
        document_id=document.id, number=new_number, content=content,
        content_hash=content_hash(content), author_id=author.id, note=note,
        autosave=autosave, restored_from=restored_from,
    )
    session.add(version)
    session.flush()
    session.refresh(document)
    events.record(session, "restore" if restored_from else "save", author, document.id,
                 version=new_number, autosave=autosave, restored_from=restored_from)
    return version


def _clean_note(note) -> str:
    note = (note or "").strip() if isinstance(note, str) else ""
    if len(note) > MAX_NOTE_LENGTH:
        raise ValidationError(f"La nota de la versión supera los {MAX_NOTE_LENGTH} caracteres.")
    return note


def _require_editable(user: User, document: Document) -> None:
    if document.official_number:
        raise ImmutableError(ISSUED_MESSAGE)
    policy.require(user, policy.Action.EDIT, document,
                   "No puede editar este documento en su estado actual o con su rol.")


def save_version(session: Session, document: Document, content, base_version, author: User,
                 note: str = "", autosave: bool = False) -> DocumentVersion:
    """Save ``content`` as the next version, if ``base_version`` is still the latest.

    An autosave whose content equals the latest version writes nothing and returns it.
    """
    _require_editable(author, document)
    base = _parse_base(base_version)
    note = _clean_note(note)
    clean = normalize_content(content, required_fields=("sumilla",))
    if clean["doc_type"] != document.doc_type:
        raise ValidationError("No se puede cambiar el tipo de un documento existente.")
    if autosave and base == document.latest_version:
        current = latest_version(session, document)
        if current.content_hash == content_hash(clean):
            return current
    version = _append_version(session, document, clean, base, author,
                              note or ("Guardado automático" if autosave else ""),
                              autosave=autosave)
    drop_working_copy(session, document, author)
    return version


# ---- the working copy: what autosave keeps, not a version ------------------------------------

def working_copy(session: Session, document: Document, user: User) -> WorkingCopy | None:
    return session.scalar(select(WorkingCopy).where(WorkingCopy.document_id == document.id,
                                                    WorkingCopy.user_id == user.id))


def keep_working_copy(session: Session, document: Document, content, base_version,
                      user: User) -> WorkingCopy:
    """Keep what the user typed (autosave) without making a version: one copy per user and
    document, overwritten each time, based on the version the page was editing."""
    _require_editable(user, document)
    base = _parse_base(base_version)
    clean = normalize_content(content, required_fields=())
    if clean["doc_type"] != document.doc_type:
        raise ValidationError("No se puede cambiar el tipo de un documento existente.")
    copy = working_copy(session, document, user)
    if copy is None:
        copy = WorkingCopy(document_id=document.id, user_id=user.id, base_version=base,
                           content=clean)
        session.add(copy)
    else:
        copy.base_version, copy.content, copy.updated_at = base, clean, utcnow()
    session.flush()
    return copy


def drop_working_copy(session: Session, document: Document, user: User) -> None:
    copy = working_copy(session, document, user)
    if copy is not None:
        session.delete(copy)
        session.flush()


def promote_working_copy(session: Session, document: Document, user: User) -> None:
    """Before a change of state, the user's unsaved copy becomes a version (a state change
    makes a version), so that what is sent is what they see."""
    copy = working_copy(session, document, user)
    if copy is None:
        return
    if (copy.base_version == document.latest_version
            and policy.allows(user, policy.Action.EDIT, document)
            and latest_version(session, document).content_hash != content_hash(copy.content)):
        clean = normalize_content(copy.content, required_fields=("sumilla",))
        _append_version(session, document, clean, copy.base_version, user,
                        "Copia de trabajo guardada al cambiar de estado")
    drop_working_copy(session, document, user)


def restore_version(session: Session, document: Document, number, base_version,
                    author: User) -> DocumentVersion:
    """Bring an old version back as a new version; history is never rewritten."""
    _require_editable(author, document)
    old = get_version(session, document, number)
    base = _parse_base(base_version)
    return _append_version(session, document, old.content, base, author,
                           f"Restaurada desde la versión {old.number}", restored_from=old.number)
