"""SQLAlchemy models, one module per aggregate. Importing this package registers them all."""
from docsys.db import Base
from docsys.models.users import (ApiToken, LoginAttempt, Office, User, UserRole, UserSession,
                                 ROLES, ROLE_LABELS)
from docsys.models.templates import DocumentTemplate, TemplateVersion
from docsys.models.documents import Document, DocumentVersion
from docsys.models.search import SearchOutbox
from docsys.models.workflow import Comment, Derivation, Transition, VistoBueno
from docsys.models.audit import AuditEntry, AuditHead
from docsys.models.issuing import Blob, Issuance, NumberSequence, SigningCredential
from docsys.models.archive import ArchivedNorm, ImportBatch, ImportedFile
from docsys.models.compliance import NormCitation, NormRelation

__all__ = [
    "Base", "ApiToken", "LoginAttempt", "Office", "User", "UserRole", "UserSession", "ROLES", "ROLE_LABELS",
    "DocumentTemplate", "TemplateVersion", "Document", "DocumentVersion", "SearchOutbox",
    "Comment", "Derivation", "Transition", "VistoBueno", "AuditEntry", "AuditHead",
    "Blob", "Issuance", "NumberSequence", "SigningCredential",
    "ArchivedNorm", "ImportBatch", "ImportedFile", "NormCitation", "NormRelation",
]
