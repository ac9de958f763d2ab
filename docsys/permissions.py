"""Who may do what. Domain functions call these; routes never decide access themselves."""
from __future__ import annotations

from docsys.errors import PermissionDenied
from docsys.models import Document, User

# Roles that read every document in the system (they review, sign, archive or administer).
READ_ALL_ROLES = ("legal", "signer", "archivist", "admin")
EDITABLE_STATUSES = ("borrador", "observado")
# Legal advisers may also correct a draft while they review it.
LEGAL_EDITABLE_STATUSES = EDITABLE_STATUSES + ("en_revision",)


def can_view(user: User, document: Document) -> bool:
    if user.has_role(*READ_ALL_ROLES) or document.status == "publicado":
        return True  # a published norm is public: every official may read it too
    return user.has_role("drafter") and (
        document.office_id == user.office_id or document.created_by_id == user.id
    )


def can_create(user: User) -> bool:
    return user.has_role("drafter") and user.office_id is not None


def can_edit(user: User, document: Document) -> bool:
    if user.has_role("legal") and document.status in LEGAL_EDITABLE_STATUSES:
        return True
    if document.status not in EDITABLE_STATUSES:
        return False
    return user.has_role("drafter") and (
        document.office_id == user.office_id or document.created_by_id == user.id
    )


def require(allowed: bool, message: str = "No tiene permiso para realizar esta acción."):
    if not allowed:
        raise PermissionDenied(message)
