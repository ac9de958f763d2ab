"""Settings from the environment (DOCSYS_*), with embedded defaults that run on one machine."""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Callable

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default=None):
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _instance_dir() -> Path:
    return Path(_env("DOCSYS_INSTANCE_DIR", PROJECT_ROOT / "instance"))


def ensure_instance_dir(instance: Path) -> Path:
    """The instance directory (database, keys, files), created readable by its owner only.
    An existing folder is left as it is (it may be shared); the files docsys writes in it
    are owner-only themselves."""
    instance.mkdir(mode=0o700, parents=True, exist_ok=True)
    return instance


def owner_only_file(path: Path, make: Callable[[], bytes]) -> bytes:
    """The bytes of ``path``, created once from ``make()`` with owner-only permissions from
    the start (never readable by others, not even for a moment)."""
    ensure_instance_dir(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "wb") as handle:
            handle.write(make())
    return path.read_bytes()


def generated_secret(path: Path) -> str:
    """A random secret kept in ``path`` (see owner_only_file)."""
    return owner_only_file(path, lambda: secrets.token_urlsafe(48).encode()).decode().strip()


def _secret_key(instance: Path) -> str:
    """The secret comes from the environment; otherwise one is generated once per instance
    and kept outside the repository, so nothing secret is ever committed."""
    return _env("DOCSYS_SECRET_KEY") or generated_secret(instance / "secret_key")


def audit_key(instance: Path | None = None) -> bytes:
    """The secret that keys the audit chain (HMAC): from DOCSYS_AUDIT_KEY, else generated
    once in the instance directory (owner-only). It never enters the database, so whoever
    can write the database cannot recompute the chain."""
    value = _env("DOCSYS_AUDIT_KEY") or generated_secret((instance or _instance_dir())
                                                         / "audit_key")
    return value.encode("utf-8")


def _secure_cookies() -> bool:
    flag = _env("DOCSYS_SECURE_COOKIES")
    if flag is not None:
        return flag == "1"
    return str(_env("DOCSYS_PUBLIC_BASE_URL", "")).startswith("https://")


def load_config() -> dict:
    instance = ensure_instance_dir(_instance_dir())
    return {
        "INSTANCE_DIR": str(instance),
        "SECRET_KEY": _secret_key(instance),
        "DATABASE_URL": _env("DOCSYS_DATABASE_URL", f"sqlite:///{instance / 'docsys.db'}"),
        "SEARCH_DIR": _env("DOCSYS_SEARCH_DIR", str(instance / "search-index")),
        # Search: the embedded index (SEARCH_DIR) unless ELASTICSEARCH_URL is set; then
        # the index alias SEARCH_INDEX_PREFIX on that cluster.
        "ELASTICSEARCH_URL": _env("ELASTICSEARCH_URL"),
        "ELASTICSEARCH_API_KEY": _env("ELASTICSEARCH_API_KEY"),
        "ELASTICSEARCH_CA_CERTS": _env("ELASTICSEARCH_CA_CERTS"),
        "SEARCH_INDEX_PREFIX": _env("DOCSYS_SEARCH_INDEX_PREFIX", "docsys"),
        # Seconds a search waits for changes saved before it to reach the index.
        "SEARCH_FRESH_WAIT": float(_env("DOCSYS_SEARCH_FRESH_WAIT", 2.0)),
        "SEARCH_OWN_WRITES_WAIT": float(_env("DOCSYS_SEARCH_OWN_WRITES_WAIT", 15.0)),
        "BLOB_DIR": _env("DOCSYS_BLOB_DIR", str(instance / "blobs")),
        # Where stored files live: "filesystem" (BLOB_DIR) or "database" (PostgreSQL only:
        # the table blob_contents, shared by several app nodes without a shared disk).
        "BLOB_BACKEND": _env("DOCSYS_BLOB_BACKEND", "filesystem"),
        # Signing: the key that seals stored certificates (else one generated in the
        # instance directory), an optional RFC 3161 timestamp authority, the PEM files of
        # the trusted roots (separated by ":"). The demo CA of `docsys pki demo` (in
        # PKI_DIR) is trusted only in the explicit demo mode DOCSYS_DEMO_PKI=1; revocation
        # data named by other certificates is fetched unless DOCSYS_FETCH_REVOCATION=0.
        "KEYSTORE_KEY": _env("DOCSYS_KEYSTORE_KEY"),
        "TSA_URL": _env("DOCSYS_TSA_URL"),
        "TRUST_ROOTS": _env("DOCSYS_TRUST_ROOTS", ""),
        "PKI_DIR": _env("DOCSYS_PKI_DIR", str(instance / "pki")),
        "DEMO_PKI": _env("DOCSYS_DEMO_PKI", "") in ("1", "true", "yes", "si", "sí"),
        "FETCH_REVOCATION": _env("DOCSYS_FETCH_REVOCATION", "1") not in ("0", "false", "no"),
        "DOCUMENT_TEMPLATES_DIR": _env(
            "DOCSYS_DOCUMENT_TEMPLATES_DIR", str(PROJECT_ROOT / "templates" / "documents")
        ),
        "MUNICIPALITY_NAME": _env("DOCSYS_MUNICIPALITY_NAME", "Municipalidad Distrital de Megantoni"),
        "MUNICIPALITY_CODE": _env("DOCSYS_MUNICIPALITY_CODE", "MDM"),
        "MUNICIPALITY_PLACE": _env("DOCSYS_MUNICIPALITY_PLACE", "Camisea"),
        "MUNICIPALITY_LOCATION": _env(
            "DOCSYS_MUNICIPALITY_LOCATION", "Provincia de La Convención - Región Cusco"
        ),
        # The official name of the year is fixed each year by the national government.
        "YEAR_NAME": _env(
            "DOCSYS_YEAR_NAME", "Año de la recuperación y consolidación de la economía peruana"
        ),
        "PUBLIC_BASE_URL": _env("DOCSYS_PUBLIC_BASE_URL", "http://127.0.0.1:5000"),
        "MAX_CONTENT_LENGTH": int(_env("DOCSYS_MAX_UPLOAD_BYTES", 2 * 1024 * 1024)),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Secure cookies (and HSTS) when asked, or when the public address is https.
        "SESSION_COOKIE_SECURE": _secure_cookies(),
        "WTF_CSRF_TIME_LIMIT": None,
        # Server-side sessions end after this long without use, and this long after login.
        "SESSION_IDLE_MINUTES": int(_env("DOCSYS_SESSION_IDLE_MINUTES", 30)),
        "SESSION_MAX_HOURS": int(_env("DOCSYS_SESSION_MAX_HOURS", 12)),
        # API tokens: the lifetime a new one gets unless told, and the longest allowed.
        "API_TOKEN_DAYS": int(_env("DOCSYS_API_TOKEN_DAYS", 90)),
        "API_TOKEN_MAX_DAYS": int(_env("DOCSYS_API_TOKEN_MAX_DAYS", 365)),
        "AUTOSAVE_SECONDS": int(_env("DOCSYS_AUTOSAVE_SECONDS", 30)),
        # Notifications by e-mail: the SMTP server (none: only in-app notices), its
        # credentials and the sender address. STARTTLS when DOCSYS_SMTP_STARTTLS=1.
        "SMTP_HOST": _env("DOCSYS_SMTP_HOST"),
        "SMTP_PORT": int(_env("DOCSYS_SMTP_PORT", 25)),
        "SMTP_USER": _env("DOCSYS_SMTP_USER"),
        "SMTP_PASSWORD": _env("DOCSYS_SMTP_PASSWORD"),
        "SMTP_STARTTLS": _env("DOCSYS_SMTP_STARTTLS", "0") == "1",
        "MAIL_FROM": _env("DOCSYS_MAIL_FROM", "docsys@localhost"),
        # How many generated norms `docsys demo` imports into the archive.
        "DEMO_ARCHIVE_SIZE": int(_env("DOCSYS_DEMO_ARCHIVE_SIZE", 120)),
        # Archive import: one file's size limit, one upload's (the upload page lifts
        # MAX_CONTENT_LENGTH for itself), OCR language(s) of tesseract.
        "ARCHIVE_MAX_FILE_BYTES": int(_env("DOCSYS_ARCHIVE_MAX_FILE_BYTES", 50 * 1024 * 1024)),
        "ARCHIVE_MAX_UPLOAD_BYTES": int(_env("DOCSYS_ARCHIVE_MAX_UPLOAD_BYTES", 200 * 1024 * 1024)),
        "ARCHIVE_OCR_LANG": _env("DOCSYS_ARCHIVE_OCR_LANG", "spa"),
        # Bounded work (docsys.bounded): PDF/DOCX downloads and the files of a compliance
        # check are drawn or read in a child process with these limits; archive imports
        # too, file by file, with a page and a time limit of their own.
        "WORK_MEMORY_MB": int(_env("DOCSYS_WORK_MEMORY_MB", 1536)),
        "RENDER_TIMEOUT_SECONDS": float(_env("DOCSYS_RENDER_TIMEOUT_SECONDS", 60)),
        "RENDER_MAX_PAGES": int(_env("DOCSYS_RENDER_MAX_PAGES", 300)),
        "RENDER_MAX_CHARS": int(_env("DOCSYS_RENDER_MAX_CHARS", 1_000_000)),
        "COMPLIANCE_TIMEOUT_SECONDS": float(_env("DOCSYS_COMPLIANCE_TIMEOUT_SECONDS", 60)),
        "COMPLIANCE_MAX_PAGES": int(_env("DOCSYS_COMPLIANCE_MAX_PAGES", 100)),
        "ARCHIVE_TIMEOUT_SECONDS": float(_env("DOCSYS_ARCHIVE_TIMEOUT_SECONDS", 1800)),
        "ARCHIVE_MAX_PAGES": int(_env("DOCSYS_ARCHIVE_MAX_PAGES", 2000)),
        # Per-user limits on the expensive endpoints (downloads, compliance checks,
        # archive uploads): so many per window of seconds, counted in the database so
        # that every gunicorn worker sees the same count.
        "RATE_LIMITS": _env("DOCSYS_RATE_LIMITS", "render=30/60,compliance=20/60,import=10/600"),
        # The audit trail's checkpoints: one is signed after this many new entries (and
        # after each issue or publication), and by `docsys audit checkpoint` (cron).
        "AUDIT_CHECKPOINT_EVERY": int(_env("DOCSYS_AUDIT_CHECKPOINT_EVERY", 100)),
        # Operations: log lines as JSON objects ("json") or Flask's plain text ("text");
        # the bearer token that opens /metrics to other machines (else local only).
        "LOG_FORMAT": _env("DOCSYS_LOG_FORMAT", "json"),
        # GET /api/v1/search answered without Flask's per-request machinery when it
        # succeeds (docsys.web.lean); 0: always through Flask.
        "LEAN_SEARCH": _env("DOCSYS_LEAN_SEARCH", "1") == "1",
        # Seconds a SQLite write waits for the database's lock before answering 503.
        "DATABASE_BUSY_TIMEOUT": float(_env("DOCSYS_DATABASE_BUSY_TIMEOUT", 30)),
        "METRICS_TOKEN": _env("DOCSYS_METRICS_TOKEN"),
    }
