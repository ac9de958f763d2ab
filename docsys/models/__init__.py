"""SQLAlchemy models, one module per aggregate. Importing this package registers them all."""
from docsys.db import Base
from docsys.models.users import (ApiToken, AuthGeneration, LoginAttempt, Office, User, UserRole,
                                 UserSession, ROLES, ROLE_LABELS)
from docsys.models.templates import DocumentTemplate, TemplateVersion
from docsys.models.documents import Document, DocumentVersion, WorkingCopy
from docsys.models.search import SearchOutbox
from docsys.models.workflow import Comment, Derivation, Transition, VistoBueno
from docsys.models.audit import AuditCheckpoint, AuditEntry, AuditHead
from docsys.models.issuing import (Blob, BlobContent, Issuance, NumberSequence, PreparedSignature,
                                    SigningCopy, SigningCredential)
from docsys.models.archive import ArchivedNorm, ImportBatch, ImportedFile
from docsys.models.compliance import NormCitation, NormRelation, PendingAnalysis, SourceRelation
from docsys.models.corrections import NormCorrection
from docsys.models.notifications import LocalHoliday, Notification
from docsys.models.institution import InstitutionSetting, YearName
from docsys.models.usage import UsageCounter
from docsys.models.system import SystemMarker

__all__ = [
    "Base", "ApiToken", "AuthGeneration", "LoginAttempt", "Office", "User", "UserRole", "UserSession", "ROLES", "ROLE_LABELS",
    "DocumentTemplate", "TemplateVersion", "Document", "DocumentVersion", "SearchOutbox",
    "Comment", "Derivation", "Transition", "VistoBueno", "AuditEntry", "AuditHead",
    "AuditCheckpoint", "Blob", "BlobContent", "Issuance", "NumberSequence", "PreparedSignature",
    "SigningCopy", "SigningCredential", "ArchivedNorm", "ImportBatch", "ImportedFile",
    "NormCitation", "NormRelation", "PendingAnalysis", "SourceRelation", "NormCorrection",
    "WorkingCopy", "Notification", "LocalHoliday", "YearName",
    "InstitutionSetting", "UsageCounter", "SystemMarker",
]
