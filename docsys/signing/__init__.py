"""Digital signatures: PAdES signing and verification (pades), signers' PKCS#12 files kept
encrypted at rest (keystore), and a local demo certification authority (pki).

Domain code: no web imports. Errors are :mod:`docsys.errors` exceptions with Spanish messages.
"""
from docsys.signing.keystore import (
    CertificateInfo,
    Credential,
    KeyStore,
    open_pkcs12,
)
from docsys.signing.pades import (
    FINAL_FIELD,
    INDETERMINATE,
    INVALID,
    REASON_AUTHOR,
    REASON_VISTO_BUENO,
    REASONS,
    STAMP_HEIGHT,
    STAMP_WIDTH,
    VALID,
    SignatureReport,
    SignerLabel,
    SlotSpec,
    TimestampUnavailable,
    VerificationReport,
    default_slots,
    prepare_signature_fields,
    sign_pdf,
    sign_pdf_with_credential,
    verify_pdf,
)
from docsys.signing.pki import (
    DemoCA,
    create_demo_ca,
    export_pkcs12,
    issue_person_certificate,
)

__all__ = [
    "FINAL_FIELD", "INDETERMINATE", "INVALID", "REASON_AUTHOR", "REASON_VISTO_BUENO",
    "REASONS", "STAMP_HEIGHT", "STAMP_WIDTH", "VALID",
    "CertificateInfo", "Credential", "DemoCA", "KeyStore", "SignatureReport", "SignerLabel",
    "SlotSpec", "TimestampUnavailable", "VerificationReport",
    "create_demo_ca", "default_slots", "export_pkcs12", "issue_person_certificate",
    "open_pkcs12", "prepare_signature_fields", "sign_pdf", "sign_pdf_with_credential",
    "verify_pdf",
]
