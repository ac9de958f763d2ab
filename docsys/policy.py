"""Who may do what: the one answer to "may this user do this (to this document)?".

Pages, the API, the CLI, the Bandeja, search and compliance ask this module and never
decide alone. An answer has two parts, kept apart so a refusal says the right thing:

* ``state_allows(action, document)``: whether the action exists in the document's state
  (a refusal there is a conflict, HTTP 409: "not now");
* ``role_allows(user, action, document)``: whether this user may take it (a refusal is a
  permission error, HTTP 403: "not you").

``allows`` is both. The same rules are also written as SQL conditions
(``visible_condition``, ``awaiting_condition``) and as the search layer's ``Visibility``
(``search_visibility``), side by side with the Python rules they must agree with.

Roles: ``drafter`` (an office's redactor), ``legal`` (Asesoría Jurídica), ``signer``
(Gerente, Alcalde), ``archivist`` (Secretaría General), ``admin``.
"""
from __future__ import annotations

from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import and_, exists, false, func, or_, select, true
from sqlalchemy.orm import Session, object_session
from sqlalchemy.sql.elements import ColumnElement

from docsys.errors import Conflict, PermissionDenied
from docsys.models import Comment, Document, Office, TemplateVersion, User, UserRole, VistoBueno
from docsys.states import CLOSED, EDITABLE, MOVES, SIGNED, Status
from search import Visibility

# Roles that read every document in the system (they review, sign, archive or administer).
READ_ALL_ROLES = ("legal", "signer", "archivist", "admin")


class Action(StrEnum):
    VIEW = "view"
    CREATE = "create"
    EDIT = "edit"
    COMMENT = "comment"
    VISTO_BUENO = "visto_bueno"
    SEND = "enviar"
    OBSERVE = "observar"
    APPROVE = "aprobar"
    RETURN = "devolver"
    DERIVE = "derive"
    ISSUE = "emitir"
    PUBLISH = "publicar"
    WITHDRAW = "retirar"
    DISCARD = "descartar"
    START_CORRECTION = "corregir"
    IMPORT = "import"
    REVIEW_METADATA = "review_metadata"
    CONFIRM_RELATION = "confirm_relation"
    KEEP_CERTIFICATE = "keep_certificate"
    ADMINISTER = "administer"


# ---- who is who with respect to a document -----------------------------------------------

def is_author_side(user: User, document: Document) -> bool:
    """A drafter of the document's office, or its author."""
    return user.has_role("drafter") and (document.office_id == user.office_id
                                         or document.created_by_id == user.id)


def is_area_head(user: User, document: Document) -> bool:
    """The head of the drafting office: its designated head (whatever their roles), or else
    a signer of that office."""
    office = document.office
    if office is not None and office.head_id is not None:
        return office.head_id == user.id
    return user.has_role("signer") and user.office_id == document.office_id


def heads_an_office(user: User) -> bool:
    session = object_session(user)
    return session is not None and session.scalar(
        select(Office.id).where(Office.head_id == user.id).limit(1)) is not None


def visto_bueno_kind(user: User, document: Document) -> str | None:
    """Which V°B° the user gives on this document: "legal", "area" (its office's head) or none."""
    if user.has_role("legal"):
        return "legal"
    return "area" if is_area_head(user, document) else None


def template_definition(document: Document) -> dict[str, Any]:
    """The template the document came from (heading, number pattern, issuing and signing
    offices), or the defaults for a document without one."""
    if document.template_version is not None:
        return dict(document.template_version.definition or {})
    return {"heading": document.doc_type + " N° {numero}",
            "number_pattern": "{seq:03d}-{year}-{muni}"}


def numbering_office(document: Document) -> str:
    """The office whose sequence numbers the norm (the template's, else the document's)."""
    return template_definition(document).get("issuing_office") or document.office.code


def signer_office(document: Document) -> str:
    """The office of the authority who signs it: the template's ``signer_office`` (the
    Alcaldía for ordinances), else the numbering office."""
    return template_definition(document).get("signer_office") or numbering_office(document)


def is_signing_authority(user: User, document: Document) -> bool:
    """The signer of the office that signs this type of norm."""
    return (user.has_role("signer") and user.office is not None
            and user.office.code == signer_office(document))


# ---- the rules ---------------------------------------------------------------------------

def can_view(user: User, document: Document) -> bool:
    if user.has_role(*READ_ALL_ROLES) or document.status == Status.PUBLISHED:
        return True  # a published norm is public: every official may read it too
    return is_author_side(user, document)


def _may_edit(user: User, document: Document) -> bool:
    if document.official_number:
        return False
    if document.status in EDITABLE and is_author_side(user, document):
        return True
    # Asesoría Jurídica corrects a draft while reviewing it, never before it is sent.
    return document.status == Status.IN_REVIEW and user.has_role("legal")


_ROLE_RULES = {
    Action.VIEW: can_view,
    Action.EDIT: _may_edit,
    Action.COMMENT: lambda u, d: u.has_role("legal", "signer") or is_author_side(u, d),
    Action.VISTO_BUENO: lambda u, d: visto_bueno_kind(u, d) is not None,
    Action.SEND: is_author_side,
    Action.OBSERVE: lambda u, d: u.has_role("legal"),
    Action.APPROVE: lambda u, d: u.has_role("legal"),
    # Sent back by Asesoría Jurídica, or by the authority who would sign it: not any signer.
    Action.RETURN: lambda u, d: u.has_role("legal") or is_signing_authority(u, d),
    Action.DERIVE: lambda u, d: (is_author_side(u, d)
                                 or u.has_role("legal", "signer", "archivist", "admin")),
    Action.ISSUE: is_signing_authority,
    Action.PUBLISH: lambda u, d: u.has_role("archivist"),
    # The drafting side takes back what it sent (before anybody acted) or drops a draft.
    Action.WITHDRAW: is_author_side,
    Action.DISCARD: is_author_side,
    # An issued norm is corrected only by another norm, started by the authority who signs
    # that type of norm (docsys.corrections).
    Action.START_CORRECTION: is_signing_authority,
}

_OPEN = tuple(s for s in Status if s not in SIGNED and s not in CLOSED)
_STATES: dict[Action, tuple[Status, ...]] = {
    Action.EDIT: (*EDITABLE, Status.IN_REVIEW),
    Action.COMMENT: _OPEN,
    Action.VISTO_BUENO: (Status.IN_REVIEW,),
    Action.DERIVE: tuple(s for s in Status if s not in (Status.PUBLISHED, *CLOSED)),
    **{Action(key): MOVES[key].sources for key in
       ("enviar", "observar", "aprobar", "devolver", "emitir", "publicar", "retirar",
        "descartar")},
    Action.START_CORRECTION: SIGNED,
}

# Actions on no document in particular.
_GLOBAL_ROLES = {
    Action.CREATE: ("drafter",),
    Action.IMPORT: ("archivist",),
    Action.REVIEW_METADATA: ("archivist",),
    Action.CONFIRM_RELATION: ("archivist",),
    Action.KEEP_CERTIFICATE: ("signer", "legal"),   # those whose signatures docsys applies
    Action.ADMINISTER: ("admin",),
}

DOCUMENT_ACTIONS = tuple(_ROLE_RULES)
GLOBAL_ACTIONS = tuple(_GLOBAL_ROLES)


def state_allows(action: Action, document: Document) -> bool:
    """Whether ``action`` exists in the document's current state."""
    states = _STATES.get(action)
    return states is None or document.status in states


def role_allows(user: User | None, action: Action, document: Document | None = None) -> bool:
    """Whether ``user`` may take ``action`` (on ``document``), whatever its state."""
    if user is None or not user.active:
        return False
    if action in _GLOBAL_ROLES:
        if action == Action.CREATE and user.office_id is None:
            return False
        if action == Action.KEEP_CERTIFICATE and heads_an_office(user):
            return True  # a designated area head signs the area's V°B°
        return user.has_role(*_GLOBAL_ROLES[action])
    if document is None:
        raise TypeError(f"La acción {action} se refiere a un documento.")
    return _ROLE_RULES[action](user, document)


def allows(user: User | None, action: Action, document: Document | None = None) -> bool:
    """The whole answer: this user may take this action on this document now."""
    if document is not None and not state_allows(action, document):
        return False
    return role_allows(user, action, document)


def require(user: User | None, action: Action, document: Document | None = None,
            message: str = "No tiene permiso para realizar esta acción.",
            state_message: str | None = None) -> None:
    """Raise unless ``allows``: ``Conflict`` with ``state_message`` when the action does
    not exist in the document's state (``PermissionDenied`` when no such message is given),
    ``PermissionDenied`` with ``message`` when the user may not take it."""
    if document is not None and not state_allows(action, document):
        if state_message is not None:
            raise Conflict(state_message, current_status=document.status)
        raise PermissionDenied(message)
    if not role_allows(user, action, document):
        raise PermissionDenied(message)


# ---- accounts -----------------------------------------------------------------------------

# Those whose account can sign norms or change who does what: a stolen password alone must
# not be enough for them (a TOTP code is asked too).
SECOND_FACTOR_ROLES = ("signer", "admin")


def needs_second_factor(user: User) -> bool:
    """Whether ``user`` signs in with a second factor (TOTP) after the password."""
    return user.has_role(*SECOND_FACTOR_ROLES)


def may_manage_account(actor: User | None, owner: User) -> bool:
    """Sessions and API tokens are ended or revoked by their owner or an administrator."""
    return actor is not None and actor.active and (
        actor.id == owner.id or role_allows(actor, Action.ADMINISTER))


def may_resolve(user: User, comment: Comment) -> bool:
    """An observation is closed by whoever opened it, or by Asesoría Jurídica."""
    return comment.author_id == user.id or user.has_role("legal")


def may_address(user: User, document: Document) -> bool:
    """The drafting side marks an observation as attended to (addressed) while it may still
    change the text; whoever opened it then closes it (``may_resolve``)."""
    return (document.status in EDITABLE and is_author_side(user, document)
            and not document.official_number)


def has_next_step(user: User, document: Document, status: str) -> bool:
    """Whether ``user`` has the next step on ``document`` in ``status``: who a document in
    that state may be assigned to, and whose Bandeja it belongs in (``awaiting_condition``
    is this rule in SQL)."""
    if not user.active:
        return False
    if status in EDITABLE:
        return is_author_side(user, document)
    if status == Status.IN_REVIEW:
        return user.has_role("legal") or is_area_head(user, document)
    if status == Status.APPROVED:
        return is_signing_authority(user, document)
    if status == Status.ISSUED:
        return user.has_role("archivist")
    return False


# ---- the same rules for many documents at once ----------------------------------------

class Searcher(Protocol):
    """Who searches: a ``User`` or a bearer check's ``accounts.TokenUser``."""

    @property
    def id(self) -> int: ...
    @property
    def office_code(self) -> str | None: ...
    def has_role(self, *roles: str) -> bool: ...


def search_visibility(user: Searcher | None) -> Visibility:
    """What ``user`` may see, in the search layer's terms (``can_view``): reviewers,
    signers, the archive and administrators see everything; a drafter sees published norms,
    their office's documents and their own; anyone else (and the public) published norms.
    ``user`` may also be a bearer check's ``accounts.TokenUser`` (id, roles, office code)."""
    if user is None:
        return Visibility.public()
    if user.has_role(*READ_ALL_ROLES):
        return Visibility.everything()
    if user.has_role("drafter"):
        code = user.office_code
        return Visibility.for_user([code] if code else [], user.id)
    return Visibility.public()


def visible_condition(visibility: Visibility | None):
    """The SQL condition "``visibility`` lets see this document" on the documents table
    (``can_view`` for many rows). ``None`` restricts nothing (the CLI)."""
    if visibility is None or visibility.all:
        return true()
    published = Document.status == Status.PUBLISHED
    if visibility.published_only:
        return published
    allowed = [published]
    if visibility.offices:
        allowed.append(Document.office_id.in_(
            select(Office.id).where(func.upper(Office.code).in_(visibility.offices))))
    if visibility.user_id is not None:
        allowed.append(Document.created_by_id == visibility.user_id)
    return or_(*allowed)


def workspace_condition(user: User):
    """The documents that are the user's work (the Bandeja's list): everything for those
    who read everything, their office's and their own for a drafter, nothing otherwise;
    always within what they may see."""
    if user.has_role(*READ_ALL_ROLES):
        return true()
    if not user.has_role("drafter"):
        return false()
    return or_(Document.office_id == user.office_id, Document.created_by_id == user.id)


def _signed_by_office(session: Session, user: User):
    """Approved documents whose signing authority is the user's office (``signer_office``
    applied to every template version at once)."""
    if user.office is None:
        return false()
    own, defaulted = [], []
    for version_id, definition in session.execute(select(TemplateVersion.id,
                                                         TemplateVersion.definition)):
        office = (definition or {}).get("signer_office") or (definition or {}).get("issuing_office")
        if office == user.office.code:
            own.append(version_id)
        elif not office:
            defaulted.append(version_id)
    by_drafting_office = and_(Document.office_id == user.office_id,
                              or_(Document.template_version_id.is_(None),
                                  Document.template_version_id.in_(defaulted)))
    return or_(Document.template_version_id.in_(own), by_drafting_office)


def awaiting_condition(session: Session, user: User):
    """The documents whose next step is this user's (``has_next_step`` in SQL), except that
    in review a legal adviser leaves to another adviser what is assigned to them, and the
    area head has no step left once the area's V°B° is on the current version."""
    if not user.active:
        return false()
    conditions = []
    if user.has_role("drafter"):
        conditions.append(and_(Document.status.in_(EDITABLE),
                               or_(Document.office_id == user.office_id,
                                   Document.created_by_id == user.id)))
    if user.has_role("legal"):
        other_adviser = select(UserRole.user_id).where(UserRole.role == "legal",
                                                       UserRole.user_id != user.id)
        conditions.append(and_(Document.status == Status.IN_REVIEW,
                               or_(Document.assignee_id.is_(None),
                                   Document.assignee_id.not_in(other_adviser))))
    headed = select(Office.id).where(Office.head_id == user.id)
    heads_office: ColumnElement[bool] = Document.office_id.in_(headed)
    if user.has_role("signer"):  # the signer of an office without a designated head
        headless = select(Office.id).where(Office.head_id.is_(None))
        heads_office = or_(heads_office, and_(Document.office_id == user.office_id,
                                              Document.office_id.in_(headless)))
    area_visto_given = exists().where(VistoBueno.document_id == Document.id,
                                      VistoBueno.version_number == Document.latest_version,
                                      VistoBueno.kind == "area")
    conditions.append(and_(Document.status == Status.IN_REVIEW, heads_office, ~area_visto_given))
    if user.has_role("signer"):
        conditions.append(and_(Document.status == Status.APPROVED,
                               _signed_by_office(session, user)))
    if user.has_role("archivist"):
        conditions.append(Document.status == Status.ISSUED)
    return or_(*conditions)
