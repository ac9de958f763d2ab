"""The review workflow: moves between states, vistos buenos, derivations and comments.

The states and moves are declared in docsys.states; who may take each move is
docsys.policy's answer. This module holds what must hold before a move (open
observations block approval; both vistos buenos must be on the current version) and the
move itself: one conditional UPDATE on the document's status (and, for an approval, on
the version whose vistos buenos were checked), so two reviewers acting at once get one
winner and one clear conflict. After each move the document goes to whoever has the next
step (``policy.has_next_step``; docsys.inbox lists it there). Each change records a domain
event (docsys.events): the audit trail and the search index follow from it.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from docsys import events, policy
from docsys.compliance.finished import unfinished
from docsys.errors import Conflict, NotFound, PermissionDenied, ValidationError
from docsys.ids import parse_id
from docsys.models import Comment, Derivation, Document, Office, Transition, User, VistoBueno
from docsys.models._common import utcnow
from docsys.policy import Action as Can
from docsys.rendering.layout import part_names
from docsys.states import EDITABLE, MOVES, REVIEW_MOVES, Move, Status, label
from docsys.versions import get_version
from docsys.versions import latest_version

MAX_REASON = 4000
MAX_COMMENT = 10_000
MAX_QUOTE = 2000


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
    # Nothing unfinished is approved (and so signed): the compliance checks as a gate.
    left = unfinished(document, latest_version(session, document).content)
    if left:
        problems.append("El texto no está terminado: " + " ".join(left))
    return problems


def _last_sent(session: Session, document: Document) -> Transition | None:
    return session.scalar(select(Transition).where(Transition.document_id == document.id,
                                                   Transition.action == "enviar")
                          .order_by(Transition.id.desc()).limit(1))


def _withdrawal_blockers(session: Session, document: Document) -> list[str]:
    """The author takes a document back only while nobody has acted on it since it was
    sent: no visto bueno, comment or derivation by anybody else."""
    sent = _last_sent(session, document)
    if sent is None:
        return []
    since, author = sent.created_at, sent.actor_id
    acted = (
        session.scalar(select(func.count(VistoBueno.id)).where(
            VistoBueno.document_id == document.id, VistoBueno.created_at >= since)),
        session.scalar(select(func.count(Comment.id)).where(
            Comment.document_id == document.id, Comment.created_at >= since,
            Comment.author_id != author)),
        session.scalar(select(func.count(Derivation.id)).where(
            Derivation.document_id == document.id, Derivation.created_at >= since,
            Derivation.from_user_id != author)),
    )
    if any(acted):
        return ["La revisión ya empezó (hay vistos buenos, comentarios o derivaciones desde "
                "el envío): pida a Asesoría Jurídica que lo devuelva con observaciones."]
    return []


def _discard_blockers(session: Session, document: Document) -> list[str]:
    """Only a draft never sent is discarded; once reviewed it stays in the record."""
    if _last_sent(session, document) is not None:
        return ["El documento ya fue enviado a revisión alguna vez: no se descarta."]
    return []


# The review moves the pages offer (docsys.states declares them), and what must hold first.
ACTIONS: dict[str, Move] = {key: MOVES[key] for key in REVIEW_MOVES}
BLOCKERS: dict[str, Callable[[Session, Document], list[str]]] = {
    "aprobar": _approval_blockers, "retirar": _withdrawal_blockers,
    "descartar": _discard_blockers}
# "emitir" and "publicar" belong to the issuing service: they need a number, a signed PDF
# and the archive; they call ``move`` below.


def available_actions(session: Session, user: User, document: Document) -> list[Move]:
    return [a for a in ACTIONS.values() if policy.allows(user, Can(a.key), document)]


@dataclass(frozen=True)
class ActionOption:
    """A move the user may take in this state, and what is still missing for it to
    succeed (empty when it can be taken now): the page shows it disabled with the reasons."""
    move: Move
    missing: tuple[str, ...]

    @property
    def ready(self) -> bool:
        return not self.missing


def action_blockers(session: Session, user: User, document: Document) -> list[ActionOption]:
    """Every move the policy lets ``user`` take on ``document`` now, each with the reasons
    it would still be refused (``BLOCKERS``), so that no button leads to a conflict."""
    return [ActionOption(move, tuple(BLOCKERS[move.key](session, document))
                         if move.key in BLOCKERS else ())
            for move in available_actions(session, user, document)]


def return_reason(session: Session, document: Document) -> Transition | None:
    """Why an observed document came back: the last "observar" or "devolver" move."""
    if document.status != Status.OBSERVED:
        return None
    return session.scalar(select(Transition).where(
        Transition.document_id == document.id,
        Transition.action.in_(("observar", "devolver"))).order_by(Transition.id.desc()).limit(1))


def derivation_candidates(session: Session, document: Document,
                          status: str | None = None) -> list[User]:
    """Who a document may be sent to: active users who may read it and have the next
    step on it (in ``status``, by default its own), so that nobody offered is refused."""
    status = status or document.status
    users = session.scalars(select(User).where(User.active.is_(True)).order_by(User.full_name))
    return [user for user in users if policy.allows(user, Can.VIEW, document)
            and policy.has_next_step(user, document, status)]


def move(session: Session, document: Document, target: str, actor: User, action: str,
         reason: str = "", expected: tuple[str, ...] | None = None,
         version: int | None = None) -> Transition:
    """Change the status atomically from one of ``expected`` to ``target`` and record it.

    With ``version``, the move also requires the latest version to still be that one (an
    approval checked the vistos buenos of that version)."""
    expected = expected or (document.status,)
    conditions = [Document.id == document.id, Document.status.in_(expected)]
    if version is not None:
        conditions.append(Document.latest_version == version)
    result = session.execute(
        update(Document).where(*conditions)
        .values(status=target, updated_at=utcnow())
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE gives a CursorResult
        current, latest = session.execute(select(Document.status, Document.latest_version)
                                          .where(Document.id == document.id)).one()
        if current in expected and version is not None and latest != version:
            raise Conflict(
                f"Otra persona guardó la versión {latest} mientras usted actuaba sobre la "
                f"versión {version}; su acción no se aplicó. Recargue la página y revise "
                "la nueva versión.", current_status=current, current_version=latest)
        raise Conflict(
            f"Otra persona cambió el estado del documento a «{label(current)}» "
            "antes que usted; su acción no se aplicó. Recargue la página.", current_status=current)
    from_status = document.status
    session.refresh(document)
    transition = Transition(document_id=document.id, action=action, from_status=from_status,
                            to_status=target, version_number=document.latest_version,
                            actor_id=actor.id, reason=reason)
    session.add(transition)
    events.record(session, "transition", actor, document.id, step=action,
                 from_status=from_status, to_status=target, reason=reason,
                 version=document.latest_version)
    session.flush()
    return transition


def _clean_text(value, limit: int, what: str) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if len(text) > limit:
        raise ValidationError(f"{what} supera los {limit} caracteres.")
    return text


def transition(session: Session, document: Document, action_key, actor: User,
               reason="", assignee: User | None = None) -> Transition:
    """Take a workflow action, if the actor may and its conditions hold.

    The document then goes to ``assignee`` when given (a derivation); otherwise a return
    goes back to the author, and a document sent to review or approved goes to nobody in
    particular: it awaits every legal adviser, or the signing authority (docsys.inbox)."""
    action = ACTIONS.get(action_key) if isinstance(action_key, str) else None
    if action is None:
        raise ValidationError(f"Acción desconocida: «{str(action_key)[:40]}».")
    reason = _clean_text(reason, MAX_REASON, "El motivo")
    if document.status not in action.sources:
        raise Conflict(f"No se puede «{action.label.lower()}» un documento en estado "
                       f"«{label(document.status)}».",
                       current_status=document.status)
    if not policy.role_allows(actor, Can(action.key), document):
        raise PermissionDenied(f"Su rol no le permite «{action.label.lower()}» este documento.")
    if action.needs_reason and not reason:
        raise ValidationError("Indique el motivo o las observaciones.")
    if assignee is not None:
        _check_recipient(document, assignee, action.target)
    version = None
    blockers = BLOCKERS.get(action.key)
    if blockers:
        version = document.latest_version
        problems = blockers(session, document)
        if problems:
            raise Conflict(" ".join(problems), blockers=problems)
    result = move(session, document, action.target, actor, action.key, reason,
                  expected=action.sources, version=version)
    if assignee is not None:
        derive(session, document, actor, assignee, reason)
    else:
        author = document.created_by
        back_to_author = action.target in EDITABLE and author.active
        document.assignee = author if back_to_author else None
        session.flush()
    return result


def _check_recipient(document: Document, user: User, status: str | None = None) -> None:
    """The person a document is sent to must be active, able to read it and, when it moves
    to ``status``, able to act on it there."""
    if not user.active:
        raise ValidationError("No se puede derivar a un usuario inactivo.")
    if not policy.allows(user, Can.VIEW, document):
        raise ValidationError(f"{user.full_name} no tiene acceso a este documento.")
    if status is not None and not policy.has_next_step(user, document, status):
        raise ValidationError(f"{user.full_name} no puede atender un documento en estado "
                              f"«{label(status)}».")


def derive(session: Session, document: Document, actor: User, to_user: User,
           note="") -> Derivation:
    """Send (assign) the document to a person, keeping the history of derivations."""
    policy.require(actor, Can.DERIVE, document, "Su rol no le permite derivar este documento.",
                   state_message="Una norma publicada ya no se deriva.")
    note = _clean_text(note, MAX_REASON, "La nota")
    _check_recipient(document, to_user)
    row = Derivation(document_id=document.id, from_user_id=actor.id, to_user_id=to_user.id,
                     note=note)
    session.add(row)
    document.assignee = to_user
    document.updated_at = utcnow()  # it waits for the new person from now on
    events.record(session, "derive", actor, document.id, to=to_user.username, note=note)
    session.flush()
    return row


def may_give_visto_bueno(session: Session, user: User, document: Document) -> bool:
    """Whether the page offers the user a V°B° now (in review, and not given yet on this version)."""
    return (policy.allows(user, Can.VISTO_BUENO, document)
            and policy.visto_bueno_kind(user, document) not in current_vistos(session, document))


def give_visto_bueno(session: Session, document: Document, actor: User) -> VistoBueno:
    """Record the actor's V°B° on the current version (legal adviser or area head).

    This is the record half of the act: docsys.holder_signing calls it in the transaction
    that stores the V°B°'s signature on the signing copy, and every door (page, API, CLI,
    demo data) goes through there, so no V°B° is recorded without its signature."""
    refusal = "Solo Asesoría Jurídica o el jefe del área pueden dar visto bueno."
    if not policy.role_allows(actor, Can.VISTO_BUENO, document):  # "not you" before "not now"
        raise PermissionDenied(refusal)
    policy.require(actor, Can.VISTO_BUENO, document, refusal,
                   state_message="El visto bueno se da cuando el documento está en revisión.")
    kind = policy.visto_bueno_kind(actor, document)
    assert kind is not None  # the policy allowed it: a legal adviser or the area head
    existing = current_vistos(session, document).get(kind)
    if existing is not None:
        raise Conflict("Ya se dio ese visto bueno sobre la versión actual.")
    row = VistoBueno(document_id=document.id, version_number=document.latest_version, kind=kind,
                     user_id=actor.id)
    try:
        with session.begin_nested():  # a simultaneous identical V°B° hits the unique key
            session.add(row)
    except IntegrityError:
        raise Conflict("Otra persona acaba de dar ese visto bueno sobre la versión actual.") \
            from None
    events.record(session, "visto_bueno", actor, document.id, kind=kind,
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

def may_comment(user: User, document: Document) -> bool:
    """Whether the page offers the user to comment (reviewers and the authors, until issued)."""
    return policy.allows(user, Can.COMMENT, document)


def _folded(text: str) -> str:
    """Text compared loosely for a quoted passage: NFC, spaces collapsed, case folded."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text or "")).strip().casefold()


def _item_texts(content: dict) -> dict[str, tuple[str, str]]:
    """Item id -> (section key, the item's heading and text)."""
    texts = {}
    for section in content.get("sections", []):
        for item in section.get("items", []):
            if isinstance(item, dict) and item.get("id"):
                texts[item["id"]] = (section.get("key", ""),
                                     f"{item.get('heading') or ''} {item.get('text') or ''}")
    return texts


def _whole_text(content: dict) -> str:
    parts = [str(v) for v in (content.get("fields") or {}).values()]
    parts += [s.get("title") or "" for s in content.get("sections", [])]
    parts += [text for _, text in _item_texts(content).values()]
    parts.append(content.get("closing") or "")
    return " ".join(parts)


def add_comment(session: Session, document: Document, actor: User, body, version_number,
                item_id="", quote="", thread_id=None) -> Comment:
    """A new thread anchored to an item of a version (and optionally a passage quoted from
    it), or a reply to an existing thread."""
    policy.require(actor, Can.COMMENT, document, "Su rol no le permite comentar este documento.",
                   state_message="La norma ya fue emitida y su texto no cambia: las "
                                 "observaciones se hacen antes de la emisión.")
    body = _clean_text(body, MAX_COMMENT, "El comentario")
    if not body:
        raise ValidationError("El comentario no puede estar vacío.")
    if thread_id not in (None, ""):
        parent_id = parse_id(thread_id)
        parent = session.get(Comment, parent_id) if parent_id else None
        if parent is None or parent.document_id != document.id or parent.thread_id is not None:
            raise NotFound("El hilo de comentarios no existe.")
        reply = Comment(document_id=document.id, thread_id=parent.id,
                        version_number=parent.version_number, section_key=parent.section_key,
                        item_id=parent.item_id, body=body, author_id=actor.id)
        session.add(reply)
        events.record(session, "comment_reply", actor, document.id, thread=parent.id)
        session.flush()
        return reply
    version = get_version(session, document, version_number)
    if item_id is not None and not isinstance(item_id, str):
        raise ValidationError("La parte comentada debe indicarse con su identificador (texto).")
    if quote is not None and not isinstance(quote, str):
        raise ValidationError("El pasaje citado debe ser texto.")
    item_id = (item_id or "").strip()
    quote = _clean_text(quote, MAX_QUOTE, "El pasaje citado")
    section_key, where = "", _whole_text(version.content)
    if item_id:
        found = _item_texts(version.content).get(item_id)
        if found is None:
            raise ValidationError("La parte comentada no existe en esa versión.")
        section_key, where = found
    if quote and _folded(quote) not in _folded(where):
        raise ValidationError(
            f"El pasaje citado no figura en {'la parte comentada' if item_id else 'el texto'} "
            f"de la versión {version.number}: cópielo tal como aparece.")
    comment = Comment(document_id=document.id, version_number=version.number,
                      section_key=section_key, item_id=item_id, quote=quote, body=body,
                      author_id=actor.id)
    session.add(comment)
    session.flush()
    events.record(session, "comment", actor, document.id, comment=comment.id,
                 version=version.number, item=item_id)
    return comment


def _observation(session: Session, document: Document, comment_id) -> Comment:
    """An opening comment (not a reply) of ``document``, or NotFound."""
    number = parse_id(comment_id)
    comment = session.get(Comment, number) if number else None
    if comment is None or comment.document_id != document.id or comment.thread_id is not None:
        raise NotFound("El comentario no existe.")
    return comment


def resolve_comment(session: Session, document: Document, actor: User, comment_id) -> Comment:
    comment = _observation(session, document, comment_id)
    if not policy.may_resolve(actor, comment):
        raise PermissionDenied("Solo quien abrió la observación o Asesoría Jurídica pueden resolverla.")
    if comment.resolved_at is not None:
        raise Conflict("La observación ya estaba resuelta.")
    comment.resolved_at, comment.resolved_by_id = utcnow(), actor.id
    events.record(session, "comment_resolve", actor, document.id, comment=comment.id)
    session.flush()
    return comment


def address_comment(session: Session, document: Document, actor: User, comment_id) -> Comment:
    """The drafting side marks an observation as attended to (its author then closes it)."""
    comment = _observation(session, document, comment_id)
    if not policy.may_address(actor, document):
        raise PermissionDenied("Solo la oficina que redacta marca una observación como "
                               "atendida, mientras el documento está en borrador u observado.")
    if comment.resolved_at is not None or comment.addressed_at is not None:
        raise Conflict("La observación ya estaba atendida o resuelta.")
    comment.addressed_at, comment.addressed_by_id = utcnow(), actor.id
    events.record(session, "comment_address", actor, document.id, comment=comment.id)
    session.flush()
    return comment


def thread_data(threads: list[dict]) -> list[dict]:
    """The threads as plain data for the editor's script (JSON)."""
    return [{"id": t["comment"].id, "item": t["comment"].item_id, "part": t["part_name"],
             "quote": t["comment"].quote, "body": t["comment"].body,
             "author": t["comment"].author.full_name,
             "resolved": t["comment"].resolved_at is not None,
             "addressed": t["comment"].addressed_at is not None,
             "removed": t["anchor_removed"],
             "replies": [{"author": r.author.full_name, "body": r.body} for r in t["replies"]]}
            for t in threads]


def comment_threads(session: Session, document: Document) -> list[dict]:
    """Threads with replies, each placed where its anchored item now stands.

    ``current_position`` is (section title, number) of the item in the latest version;
    ``anchor_removed`` says the item is gone; ``quote_changed`` that the quoted passage no
    longer reads the same in the latest version (the observation may have been met)."""
    rows = list(session.scalars(select(Comment).where(Comment.document_id == document.id)
                                .order_by(Comment.id)))
    replies: dict[int, list[Comment]] = {}
    for row in rows:
        if row.thread_id is not None:
            replies.setdefault(row.thread_id, []).append(row)
    latest = latest_version(session, document).content
    names = part_names(latest)
    positions = {}
    for section in latest.get("sections", []):
        for index, item in enumerate(section.get("items", []), start=1):
            positions[item.get("id")] = (section.get("title") or section["key"], index)
    texts = _item_texts(latest)
    whole = _folded(_whole_text(latest))
    threads = []
    for row in rows:
        if row.thread_id is None:
            where = positions.get(row.item_id) if row.item_id else None
            current = (_folded(texts[row.item_id][1]) if row.item_id in texts
                       else "" if row.item_id else whole)
            threads.append({"comment": row, "replies": replies.get(row.id, []),
                            "current_position": where,
                            "part_name": names.get(row.item_id, "") if row.item_id else "",
                            "anchor_removed": bool(row.item_id) and where is None,
                            "quote_changed": bool(row.quote)
                            and _folded(row.quote) not in current})
    return threads


def set_office_head(session: Session, office: Office, user: User | None) -> None:
    office.head_id = user.id if user else None
    session.flush()
