"""Files the archivist uploads in the browser: kept on disk as "pending" at once, imported
by a background worker of the web process, one file at a time.

A scan takes seconds per page to OCR, far longer than a web request may last, so the
request only stores the files and answers; the batch page follows their progress. A file
is claimed with one conditional UPDATE (pending -> processing), so several web processes
never import the same upload twice; a claim left by a process that died is given back
after ``STALE_AFTER``. Nothing here knows about Flask.
"""
from __future__ import annotations

import logging
import threading
from datetime import timedelta
from pathlib import Path
from typing import IO, Iterable

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from docsys import policy
from docsys.archive.extract import ExtractionError, too_large_error
from docsys.archive.service import (ImportSettings, check_filename, import_bytes,
                                    record_failure, write_transaction)
from docsys.errors import NotFound, ValidationError
from docsys.ids import parse_id
from docsys.models import ImportBatch, ImportedFile, User
from docsys.models._common import utcnow

log = logging.getLogger("docsys.archive")

MAX_FILES_PER_UPLOAD = 500
STALE_AFTER = timedelta(hours=1)
IDLE_SECONDS = 60.0  # the worker thread ends after this long without work
STATUS_LABELS = {"pending": "En cola", "processing": "Procesando", "imported": "Importado",
                 "duplicate": "Ya estaba importado", "failed": "No importado"}


def upload_dir(config) -> Path:
    return Path(config.get("ARCHIVE_UPLOAD_DIR") or Path(config["INSTANCE_DIR"]) / "archive-uploads")


def staged_path(config, file_id: int) -> Path:
    return upload_dir(config) / str(file_id)


def stage_uploads(session: Session, config, actor: User,
                  files: Iterable[tuple[str, IO[bytes]]]) -> ImportBatch:
    """Keep the uploaded files as pending entries of a new batch, in the caller's
    transaction (the caller commits, then wakes the worker). A file over the size limit or
    with an unusable name is recorded as failed at once."""
    policy.require(actor, policy.Action.IMPORT, None,
                   "Solo el archivo (Secretaría General) importa normas.")
    files = [(name, stream) for name, stream in files if name and name.strip()]
    if not files:
        raise ValidationError("Elija al menos un archivo para importar.")
    if len(files) > MAX_FILES_PER_UPLOAD:
        raise ValidationError(f"Se pueden subir hasta {MAX_FILES_PER_UPLOAD} archivos a la vez; "
                              f"eligió {len(files)}. Para carpetas grandes use la importación "
                              "por línea de comandos (flask docsys import).")
    max_bytes = config["ARCHIVE_MAX_FILE_BYTES"]
    batch = ImportBatch(source="web", created_by_id=actor.id, label=(
        f"Carga desde el navegador ({len(files)} archivo{'s' if len(files) != 1 else ''})"))
    session.add(batch)
    session.flush()
    directory = upload_dir(config)
    directory.mkdir(parents=True, exist_ok=True)
    for name, stream in files:
        # Browsers may send a path ("C:\\fakepath\\x.pdf"): only its last part is the name.
        shown, problem = check_filename(name.replace("\\", "/").rsplit("/", 1)[-1])
        record = ImportedFile(batch_id=batch.id, filename=shown, status="pending")
        session.add(record)
        session.flush()
        if problem is None:
            record.size = _copy_limited(stream, staged_path(config, record.id), max_bytes)
            if record.size > max_bytes:
                staged_path(config, record.id).unlink(missing_ok=True)
                problem = too_large_error(shown, record.size, max_bytes)
        if problem is not None:
            record.status, record.reason, record.reason_code = "failed", problem.message, problem.code
            record.finished_at = utcnow()
    if not has_pending(session, batch.id):
        batch.finished_at = utcnow()
    session.flush()
    return batch


def _copy_limited(stream: IO[bytes], path: Path, limit: int) -> int:
    """Copy at most ``limit`` + 1 bytes (enough to know the file is too large)."""
    written = 0
    try:
        with open(path, "wb") as out:
            while written <= limit:
                chunk = stream.read(min(1024 * 1024, limit + 1 - written))
                if not chunk:
                    break
                out.write(chunk)
                written += len(chunk)
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise ValidationError(f"No se pudo guardar el archivo en el servidor ({exc.strerror}). "
                              "Avise al equipo técnico.") from exc
    if written > limit:  # count the rest without keeping it, for the message
        while chunk := stream.read(1024 * 1024):
            written += len(chunk)
    return written


# ---------------------------------------------------------------------------- processing


def process_pending(session_factory: sessionmaker, config, limit: int | None = None) -> int:
    """Import pending uploads until none is left (or ``limit``); returns how many."""
    _release_stale(session_factory)
    done = 0
    while limit is None or done < limit:
        file_id = _claim_next(session_factory)
        if file_id is None:
            break
        _process(session_factory, config, file_id)
        done += 1
    return done


def _release_stale(session_factory: sessionmaker) -> None:
    with write_transaction(session_factory) as session:
        session.execute(update(ImportedFile).where(
            ImportedFile.status == "processing",
            ImportedFile.claimed_at < utcnow() - STALE_AFTER).values(status="pending",
                                                                    claimed_at=None))


def _claim_next(session_factory: sessionmaker) -> int | None:
    with write_transaction(session_factory) as session:
        candidates = session.scalars(select(ImportedFile.id).where(
            ImportedFile.status == "pending").order_by(ImportedFile.id).limit(10)).all()
        for file_id in candidates:
            claimed = session.execute(update(ImportedFile).where(
                ImportedFile.id == file_id, ImportedFile.status == "pending")
                .values(status="processing", claimed_at=utcnow()))
            if claimed.rowcount == 1:
                return file_id
    return None


def _process(session_factory: sessionmaker, config, file_id: int) -> None:
    with write_transaction(session_factory) as session:
        record = session.get(ImportedFile, file_id)
        batch = session.get(ImportBatch, record.batch_id)
        batch_id, name, actor_id = record.batch_id, record.filename, batch.created_by_id
    path = staged_path(config, file_id)
    try:
        data = path.read_bytes()
    except OSError:
        record_failure(session_factory, batch_id, name, ExtractionError(
            f"El archivo subido «{name}» ya no está en el servidor; súbalo de nuevo.",
            "upload_missing"), None, file_id)
    else:
        try:
            import_bytes(session_factory, ImportSettings.from_config(config), batch_id,
                         actor_id, data, name, record_id=file_id)
        except Exception:
            log.exception("Import of upload %s failed", file_id)
            record_failure(session_factory, batch_id, name, ExtractionError(
                f"Error inesperado al importar «{name}». Avise al equipo técnico.",
                "unexpected"), None, file_id)
        path.unlink(missing_ok=True)
    _finish_if_done(session_factory, batch_id)


def _finish_if_done(session_factory: sessionmaker, batch_id: int) -> None:
    with write_transaction(session_factory) as session:
        open_files = session.scalar(select(func.count()).where(
            ImportedFile.batch_id == batch_id,
            ImportedFile.status.in_(("pending", "processing"))))
        batch = session.get(ImportBatch, batch_id)
        if not open_files and batch.finished_at is None:
            batch.finished_at = utcnow()


def get_batch(session: Session, batch_id) -> ImportBatch:
    """The import run ``batch_id`` (from a URL: anything that is no id is not found)."""
    batch_id = parse_id(batch_id)
    batch = None if batch_id is None else session.get(ImportBatch, batch_id)
    if batch is None:
        raise NotFound("La importación solicitada no existe.")
    return batch


def batch_counts(session: Session, batch_id: int) -> dict[str, int]:
    rows = session.execute(select(ImportedFile.status, func.count()).where(
        ImportedFile.batch_id == batch_id).group_by(ImportedFile.status))
    counts = {status: 0 for status in STATUS_LABELS}
    counts.update({status: count for status, count in rows})
    return counts


def has_pending(session: Session, batch_id: int | None = None) -> bool:
    query = select(ImportedFile.id).where(ImportedFile.status.in_(("pending", "processing")))
    if batch_id is not None:
        query = query.where(ImportedFile.batch_id == batch_id)
    return session.scalar(query.limit(1)) is not None


class ImportWorker:
    """The web process's importer: a daemon thread woken by uploads (or, when
    ``ARCHIVE_BACKGROUND`` is off, as in tests, the import runs inside the request)."""

    def __init__(self, config, session_factory: sessionmaker):
        self.config = config
        self.session_factory = session_factory
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def notify(self) -> None:
        if not self.config.get("ARCHIVE_BACKGROUND", True):
            process_pending(self.session_factory, self.config)
            return
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="docsys-archive-import",
                                                daemon=True)
                self._thread.start()
        self._wake.set()

    def _run(self) -> None:
        while True:
            self._wake.clear()
            try:
                process_pending(self.session_factory, self.config)
            except Exception:
                log.exception("Archive import worker failed")
            if not self._wake.wait(IDLE_SECONDS):
                return


def recent_batches(session: Session, limit: int = 20) -> list[ImportBatch]:
    return list(session.scalars(select(ImportBatch).order_by(ImportBatch.id.desc()).limit(limit)))


def batch_files(session: Session, batch_id: int) -> list[ImportedFile]:
    return list(session.scalars(select(ImportedFile).where(ImportedFile.batch_id == batch_id)
                                .order_by(ImportedFile.id)))
