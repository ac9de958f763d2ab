"""Settings from the environment (DOCSYS_*), with embedded defaults that run on one machine."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

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


def generated_secret(path: Path) -> str:
    """A random secret kept in ``path``, created once with owner-only permissions from the
    start (never readable by others, not even for a moment)."""
    ensure_instance_dir(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def _secret_key(instance: Path) -> str:
    """The secret comes from the environment; otherwise one is generated once per instance
    and kept outside the repository, so nothing secret is ever committed."""
    return _env("DOCSYS_SECRET_KEY") or generated_secret(instance / "secret_key")


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
        "BLOB_DIR": _env("DOCSYS_BLOB_DIR", str(instance / "blobs")),
        # Signing: the key that seals stored certificates (else one generated in the
        # instance directory), an optional RFC 3161 timestamp authority, the PEM files of
        # the trusted roots (separated by ":"; the demo CA of `docsys pki demo` is added
        # when present in PKI_DIR).
        "KEYSTORE_KEY": _env("DOCSYS_KEYSTORE_KEY"),
        "TSA_URL": _env("DOCSYS_TSA_URL"),
        "TRUST_ROOTS": _env("DOCSYS_TRUST_ROOTS", ""),
        "PKI_DIR": _env("DOCSYS_PKI_DIR", str(instance / "pki")),
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
        # How many generated norms `docsys demo` imports into the archive.
        "DEMO_ARCHIVE_SIZE": int(_env("DOCSYS_DEMO_ARCHIVE_SIZE", 120)),
        # Archive import: one file's size limit, one upload's (the upload page lifts
        # MAX_CONTENT_LENGTH for itself), OCR language(s) of tesseract.
        "ARCHIVE_MAX_FILE_BYTES": int(_env("DOCSYS_ARCHIVE_MAX_FILE_BYTES", 50 * 1024 * 1024)),
        "ARCHIVE_MAX_UPLOAD_BYTES": int(_env("DOCSYS_ARCHIVE_MAX_UPLOAD_BYTES", 200 * 1024 * 1024)),
        "ARCHIVE_OCR_LANG": _env("DOCSYS_ARCHIVE_OCR_LANG", "spa"),
    }
