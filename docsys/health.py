"""What an operator's process manager asks: can this process serve, and if not, why.

``readiness`` looks at the database, the folders docsys writes to, the free disk space, the
search index and the keys; ``unavailable_reason`` tells a machine failure (database down,
disk full, storage read-only, database busy) from a bug, so that a user reads an honest
"try again later" (503) instead of an internal error.
"""
from __future__ import annotations

import errno
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy import exc as sa_exc

MIN_FREE_BYTES = 100 * 1024 * 1024

DATABASE_DOWN = "La base de datos no está disponible en este momento."
DATABASE_BUSY = "La base de datos está ocupada en este momento."
DISK_FULL = "El disco del servidor está lleno."
READ_ONLY = "El almacenamiento del servidor está en modo de solo lectura."
STORAGE_ERROR = "El almacenamiento del servidor no responde correctamente."


@dataclass(frozen=True)
class Unavailable:
    """A machine failure: what the user reads, and when to try again (seconds)."""

    message: str
    retry_after: int
    reason: str


def _chain(exc: BaseException):
    seen = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def unavailable_reason(exc: BaseException) -> Unavailable | None:
    """The machine failure behind ``exc`` (looking through its causes), or None for a bug."""
    for error in _chain(exc):
        if isinstance(error, sa_exc.DBAPIError) or isinstance(error, sa_exc.TimeoutError):
            found = _database_failure(error)
            if found is not None:
                return found
        elif isinstance(error, OSError):
            found = _os_failure(error)
            if found is not None:
                return found
    return None


def _database_failure(error) -> Unavailable | None:
    message = str(getattr(error, "orig", None) or error).lower()
    if "database or disk is full" in message or "no space left" in message \
            or "could not extend file" in message:
        return Unavailable(DISK_FULL, 120, "disk_full")
    if "readonly database" in message or "read-only" in message:
        return Unavailable(READ_ONLY, 120, "read_only")
    if "database is locked" in message or "lock timeout" in message \
            or "deadlock detected" in message:
        return Unavailable(DATABASE_BUSY, 5, "database_busy")
    if isinstance(error, (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError)) \
            or getattr(error, "connection_invalidated", False):
        if "no such table" in message or "no such column" in message:
            return None  # a schema not migrated is a bug of the installation, not an outage
        return Unavailable(DATABASE_DOWN, 30, "database_down")
    return None


def _os_failure(error: OSError) -> Unavailable | None:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return Unavailable(DISK_FULL, 120, "disk_full")
    if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return Unavailable(READ_ONLY, 120, "read_only")
    if error.errno == errno.EIO:
        return Unavailable(STORAGE_ERROR, 60, "storage_error")
    return None


# ---- readiness ----------------------------------------------------------------------------

def writable_folders(settings) -> dict[str, Path]:
    """The folders docsys writes to (the index folder only for the embedded index)."""
    folders = {"instancia": Path(settings["INSTANCE_DIR"])}
    if settings.get("BLOB_BACKEND", "filesystem") != "database":
        folders["archivos"] = Path(settings["BLOB_DIR"])
    if not settings.get("ELASTICSEARCH_URL"):
        folders["índice"] = Path(settings["SEARCH_DIR"])
    return folders


def writable_problems(settings) -> list[str]:
    """Each folder docsys must write to and cannot (a file is created and removed)."""
    problems = []
    for label, folder in writable_folders(settings).items():
        probe = folder / f".docsys-probe-{uuid.uuid4().hex}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with open(probe, "wb") as handle:
                handle.write(b"ok")
                handle.flush()
                os.fsync(handle.fileno())
            probe.unlink()
        except OSError as exc:
            problems.append(f"no se puede escribir en la carpeta de {label} ({folder}): "
                            f"{exc.strerror or exc}")
    return problems


def disk_problems(settings, min_free: int = MIN_FREE_BYTES) -> list[str]:
    problems = []
    for label, folder in writable_folders(settings).items():
        try:
            free = shutil.disk_usage(folder).free
        except OSError:
            continue  # reported by writable_problems
        if free < min_free:
            problems.append(f"queda poco espacio en la carpeta de {label}: "
                            f"{free // (1024 * 1024)} MB libres")
    return problems


def database_problem(engine: Engine) -> str | None:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # any failure to answer means "not ready"
        return f"la base de datos no responde ({type(exc).__name__})"
    return None


def keys_problems(settings, engine: Engine) -> list[str]:
    """Keys missing while what they protect exists (see docsys.backup.check_keys)."""
    from docsys.backup import audit_key_problems, keystore_key_present, sealed_with_keystore_key
    problems = []
    if not keystore_key_present(settings) and any(sealed_with_keystore_key(engine)):
        problems.append("falta la clave del almacén de certificados")
    return problems + audit_key_problems(settings, engine)


def readiness(settings, engine: Engine, index_state: str | None = None,
              min_free: int = MIN_FREE_BYTES) -> dict[str, list[str]]:
    """Problems per area; an empty list is a healthy area. ``index_state`` is what the
    search service says about its index (None: healthy)."""
    database = database_problem(engine)
    keys = keys_problems(settings, engine)
    return {
        "database": [database] if database else [],
        "storage": writable_problems(settings),
        "disk": disk_problems(settings, min_free),
        "index": [index_state] if index_state else [],
        "keys": keys,
    }
