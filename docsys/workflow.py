"""The one state machine of a document's life, used by web, API and CLI alike.

    borrador --enviar--> en_revision --aprobar--> aprobado --emitir--> emitido --publicar--> publicado
                             |  ^
                     observar|  |enviar
                             v  |
                          observado

Each transition names who may take it (a guard on role and office) and the conditions
that must hold (open observations block approval; both vistos buenos must be on the
current version). The move itself is one conditional UPDATE on the document's status,
so two reviewers acting at once get one winner and one clear conflict.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from docsys import audit
from search import indexer as search_indexer
from docsys.errors import Conflict, NotFound, PermissionDenied, ValidationError
from docsys.models import Comment, Derivation, Document, Office, Transition, User, VistoBueno
from docsys.models._common import utcnow

STATES = {
    "borrador": "Borrador",
    "en_revision": "En revisión",
    "observado": "Observado",
    "aprobado": "Aprobado",
    "emitido": "Emitido",
    "publicado": "Publicado",
}
MAX_REASON = 4000
MAX_COMMENT = 10_000


def _is_author_side(user: User, document: Document) -> bool:
    return user.has_role("drafter") and (document.office_id == user.office_id
                                         or document.created_by_id == user.id)


def is_area_head(user: User, document: Document) -> bool:
    """The head of the drafting office: its designated head, or a signer of that office."""
    office = document.office
    if office is not None and office.head_id is not None:
        return office.head_id == user.id
    return user.has_role("signer") and user.office_id == document.office_id


def open_comment_count(session: Session, document: Document) -> int:
    return session.scalar(select(func.count(Comment.id)).where(
        Comment.document_id == document.id, Comment.thread_id.is_(None),
        Comment.resolved_at.is_(None))) or 0


def current_vistos(session: Session, document: Document) -> dict[str, VistoBueno]:
    """The vistos buenos that still hold: those given on the latest version."""
    rows = session.scalars(select(VistoBueno).where(
        VistoBueno.document_id == document.id,
        VistoBueno.version_number == document.latest_version))
    return {row.kind: row for row in rows}


def _approval_blockers(session: Session, document: Document) -> list[str]:
    problems = []
    open_count = open_comment_count(session, document)
    if open_count:
        problems.append(f"Hay {open_count} observación(es) abierta(s); deben resolverse antes de aprobar.")
    vistos = current_vistos(session, document)
    if "legal" not in vistos:
        problems.append("Falta el visto bueno de Asesoría Jurídica sobre la versión actual.")
    if "area" not in vistos:
        problems.append("Falta el visto bueno del jefe del área sobre la versión actual.")
    return problems


@dataclass(frozen=True)
class Action:
    key: str
    label: str
    sources: tuple[str, ...]
    target: str
    may: Callable[[User, Document], bool]
    needs_reason: bool = False
    blockers: Callable[[Session, Document], list[str]] | None = None


ACTIONS: dict[str, Action] = {a.key: a for a in (
    Action("enviar", "Enviar a revisión", ("borrador", "observado"), "en_revision",
           _is_author_side),
    Action("observar", "Devolver con observaciones", ("en_revision",), "observado",
           lambda u, d: u.has_role("legal"), needs_reason=True),
    Action("aprobar", "Aprobar", ("en_revision",), "aprobado",
           lambda u, d: u.has_role("legal"), blockers=_approval_blockers),
    Action("devolver", "Devolver a borrador", ("aprobado",), "observado",
           lambda u, d: u.has_role("legal", "signer"), needs_reason=True),
)}
# "emitir" (aprobado -> emitido) and "publicar" (emitido -> publicado) belong to the signing
# module: they need a number, a signed PDF and the archive; they call ``move`` below.


def available_actions(session: Session, user: User, document: Document) -> list[Action]:
    return [a for a in ACTIONS.values() if document.status in a.sources and a.may(user, document)]


def move(session: Session, document: Document, target: str, actor: User, action: str,
         reason: str = "", expected: tuple[str, ...] | None = None) -> Transition:
    """Change the status atomically from one of ``expected`` to ``target`` and record it."""
    expected = expected or (document.status,)
    result = session.execute(
        update(Document).where(Document.id == document.id, Document.status.in_(expected))
        .values(status=target, updated_at=utcnow())
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        current = session.scalar(select(Document.status).where(Document.id == document.id))
        raise Conflict(
            f"Otra persona cambió el estado del documento a «{STATES.get(current, current)}» "
            "antes que usted; su acción no se aplicó. Recargue la página.", current_status=current)
    from_status = document.status
    session.refresh(document)
    transition = Transition(document_id=document.id, action=action, from_status=from_status,
                            to_status=target, version_number=document.latest_version,
                            actor_id=actor.id, reason=reason)
    session.add(transition)
    search_indexer.enqueue(session, document.id)
    session.info["search_changed"] = True
    audit.record(session, "transition", actor, document.id, step=action,
                 from_status=from_status, to_status=target, reason=reason,
                 version=document.latest_version)
    session.flush()
    return transition


def transition(session: Session, document: Document, action_key: str, actor: User,
               reason: str = "", assignee: User | None = None) -> Transition:
    """Take a workflow action, if the actor may and its conditions hold."""
    action = ACTIONS.get(action_key)
    if action is None:
        raise ValidationError(f"Acción desconocida: «{action_key}».")
    reason = (reason or "").strip() if isinstance(reason, str) else ""
    if len(reason) > MAX_REASON:
        raise ValidationError(f"El motivo supera los {MAX_REASON} caracteres.")
    if document.status not in action.sources:
        raise Conflict(f"No se puede «{action.label.lower()}» un documento en estado "
                       f"«{STATES.get(document.status, document.status)}».",
                       current_status=document.status)
    if not action.may(actor, document):
        raise PermissionDenied(f"Su rol no le permite «{action.label.lower()}» este documento.")
    if action.needs_reason and not reason:
        raise ValidationError("Indique el motivo o las observaciones.")
    if action.blockers:
        problems = action.blockers(session, document)
        if problems:
            raise Conflict(" ".join(problems), blockers=problems)
    result = move(session, document, action.target, actor, action.key, reason,
                  expected=action.sources)
    if assignee is not None:
        derive(session, document, actor, assignee, reason)
    elif action.key in ("observar", "devolver"):
        document.assignee = document.created_by
    return result


def derive(session: Session, document: Document, actor: User, to_user: User,
           note: str = "") -> Derivation:
    """Send (assign) the document to a person, keeping the history of derivations."""
    if not to_user.active:
        raise ValidationError("No se puede derivar a un usuario inactivo.")
    if not (_is_author_side(actor, document) or actor.has_role("legal", "signer", "archivist",
                                                                "admin")):
        raise PermissionDenied("Su rol no le permite derivar este documento.")
    note = (note or "").strip()[:MAX_REASON]
    row = Derivation(document_id=document.id, from_user_id=actor.id, to_user_id=to_user.id,
                     note=note)
    session.add(row)
    document.assignee = to_user
    audit.record(session, "derive", actor, document.id, to=to_user.username, note=note)
    session.flush()
    return row


def give_visto_bueno(session: Session, document: Document, actor: User) -> VistoBueno:
    """Record the actor's V°B° on the current version (legal adviser or area head)."""
    if document.status != "en_revision":
        raise Conflict("El visto bueno se da cuando el documento está en revisión.")
    if actor.has_role("legal"):
        kind = "legal"
    elif is_area_head(actor, document):
        kind = "area"
    else:
        raise PermissionDenied("Solo Asesoría Jurídica o el jefe del área pueden dar visto bueno.")
    existing = current_vistos(session, document).get(kind)
    if existing is not None:
        raise Conflict("Ya se dio ese visto bueno sobre la versión actual.")
    row = VistoBueno(document_id=document.id, version_number=document.latest_version, kind=kind,
                     user_id=actor.id)
    session.add(row)
    audit.record(session, "visto_bueno", actor, document.id, kind=kind,
                 version=document.latest_version)
    session.flush()
    return row


def history(session: Session, document: Document) -> list[Transition]:
    return list(session.scalars(select(Transition).where(Transition.document_id == document.id)
                                .order_by(Transition.id)))


def derivations(session: Session, document: Document) -> list[Derivation]:
    return list(session.scalars(select(Derivation).where(Derivation.document_id == document.id)
                                .order_by(Derivation.id)))


# ---- comments -------------------------------------------------------------------------

def _can_comment(user: User, document: Document) -> bool:
    return user.has_role("legal", "signer") or _is_author_side(user, document)


def add_comment(session: Session, document: Document, actor: User, body, version_number,
                item_id: str = "", quote: str = "", thread_id=None) -> Comment:
    """A new thread anchored to an item of a version, or a reply to an existing thread."""
    from docsys.versions import get_version
    if not _can_comment(actor, document):
        raise PermissionDenied("Su rol no le permite comentar este documento.")
    body = (body or "").strip() if isinstance(body, str) else ""
    if not body:
        raise ValidationError("El comentario no puede estar vacío.")
    if len(body) > MAX_COMMENT:
        raise ValidationError(f"El comentario supera los {MAX_COMMENT} caracteres.")
    if thread_id not in (None, ""):
        parent = session.get(Comment, int(thread_id)) if str(thread_id).isdigit() else None
        if parent is None or parent.document_id != document.id or parent.thread_id is not None:
            raise NotFound("El hilo de comentarios no existe.")
        reply = Comment(document_id=document.id, thread_id=parent.id,
                        version_number=parent.version_number, section_key=parent.section_key,
                        item_id=parent.item_id, body=body, author_id=actor.id)
        session.add(reply)
        audit.record(session, "comment_reply", actor, document.id, thread=parent.id)
        session.flush()
        return reply
    version = get_version(session, document, version_number)
    section_key = ""
    item_id = (item_id or "").strip()
    if item_id:
        for section in version.content.get("sections", []):
            if any(item.get("id") == item_id for item in section.get("items", [])):
                section_key = section["key"]
                break
        else:
            raise ValidationError("La parte comentada no existe en esa versión.")
    quote = (quote or "").strip()[:2000] if isinstance(quote, str) else ""
    comment = Comment(document_id=document.id, version_number=version.number,
                      section_key=section_key, item_id=item_id, quote=quote, body=body,
                      author_id=actor.id)
    session.add(comment)
    session.flush()
    audit.record(session, "comment", actor, document.id, comment=comment.id,
                 version=version.number, item=item_id)
    return comment


def resolve_comment(session: Session, document: Document, actor: User, comment_id) -> Comment:
    comment = session.get(Comment, int(comment_id)) if str(comment_id).isdigit() else None
    if comment is None or comment.document_id != document.id or comment.thread_id is not None:
        raise NotFound("El comentario no existe.")
    if not (comment.author_id == actor.id or actor.has_role("legal")):
        raise PermissionDenied("Solo quien abrió la observación o Asesoría Jurídica pueden resolverla.")
    if comment.resolved_at is not None:
        raise Conflict("La observación ya estaba resuelta.")
    comment.resolved_at, comment.resolved_by_id = utcnow(), actor.id
    audit.record(session, "comment_resolve", actor, document.id, comment=comment.id)
    session.flush()
    return comment


def comment_threads(session: Session, document: Document) -> list[dict]:
    """Threads with replies, each placed where its anchored item now stands."""
    rows = list(session.scalars(select(Comment).where(Comment.document_id == document.id)
                                .order_by(Comment.id)))
    replies: dict[int, list[Comment]] = {}
    for row in rows:
        if row.thread_id is not None:
            replies.setdefault(row.thread_id, []).append(row)
    from docsys.versions import latest_version
    latest = latest_version(session, document).content
    positions = {}
    for section in latest.get("sections", []):
        for index, item in enumerate(section.get("items", []), start=1):
            positions[item.get("id")] = (section.get("title") or section["key"], index)
    threads = []
    for row in rows:
        if row.thread_id is None:
            where = positions.get(row.item_id) if row.item_id else None
            threads.append({"comment": row, "replies": replies.get(row.id, []),
                            "current_position": where,
                            "anchor_removed": bool(row.item_id) and where is None})
    return threads


def set_office_head(session: Session, office: Office, user: User | None) -> None:
    office.head_id = user.id if user else None
    session.flush()
