"""Housekeeping of stored files: remove blobs nothing refers to, safely.

A file is written before the transaction that refers to it commits (docsys.blobs), so at
any moment a file may be "about to be referenced" by a transaction still running. The
collector therefore removes only what has been unreferenced for a grace period: a file
whose modification time is older than the grace (``blobs.put`` refreshes it when it reuses
an existing file), and a row of ``blobs`` no issued norm, archived original or import
refers to. Files left by failed or killed issues (written, then rolled back) have no row
and are collected the same way once their grace has passed.
"""
from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, exists, select, union
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from docsys.blobs import FileStore, store_for
from docsys.db import read_only_transactions, transaction
from docsys.models import ArchivedNorm, Blob, ImportedFile, InstitutionSetting, Issuance

log = logging.getLogger("docsys.blobs")
DEFAULT_GRACE = dt.timedelta(hours=24)


@dataclass
class GcReport:
    rows_removed: int = 0
    files_removed: int = 0
    bytes_freed: int = 0
    kept_recent: int = 0
    removed: list[str] = field(default_factory=list)


def _references():
    return union(select(Issuance.pdf_sha256), select(ArchivedNorm.original_sha256),
                 select(ImportedFile.sha256).where(ImportedFile.sha256.is_not(None)),
                 select(InstitutionSetting.blob_sha256)
                 .where(InstitutionSetting.blob_sha256.is_not(None)))


def _unreferenced_condition():
    return ~exists().where(Issuance.pdf_sha256 == Blob.sha256) \
        & ~exists().where(ArchivedNorm.original_sha256 == Blob.sha256) \
        & ~exists().where(ImportedFile.sha256 == Blob.sha256) \
        & ~exists().where(InstitutionSetting.blob_sha256 == Blob.sha256)


def collect_garbage(session_factory: sessionmaker, blob_dir: str | Path,
                    grace: dt.timedelta = DEFAULT_GRACE, dry_run: bool = False) -> GcReport:
    """Remove unreferenced blobs (rows and stored content) older than ``grace``."""
    report = GcReport()
    store = store_for(blob_dir)
    cutoff = time.time() - grace.total_seconds()
    created_cutoff = dt.datetime.now(dt.timezone.utc) - grace
    with read_only_transactions(), session_factory() as session:
        referenced = {r for r in session.scalars(select(_references().subquery().c[0]))}
        rows = {sha: created if created.tzinfo else created.replace(tzinfo=dt.timezone.utc)
                for sha, created in session.execute(select(Blob.sha256, Blob.created_at))}

    def old(digest: str) -> bool:
        stored = store.stored_at(digest)
        return stored is None or stored < cutoff

    # Rows nobody refers to, old enough, whose content was not reused within the grace.
    for digest, created in rows.items():
        if digest in referenced:
            continue
        if created > created_cutoff or not old(digest):
            report.kept_recent += 1
            continue
        if dry_run:
            report.removed.append(digest)
            continue
        try:
            with transaction(session_factory) as session:
                gone = session.execute(delete(Blob).where(
                    Blob.sha256 == digest, _unreferenced_condition())).rowcount
        except IntegrityError:  # referenced meanwhile by a transaction that committed
            continue
        if gone:
            report.rows_removed += 1
            _remove(store, digest, cutoff, report)
    # Content without a row (failed issues, interrupted writes), old enough.
    with read_only_transactions(), session_factory() as session:
        known = set(session.scalars(select(Blob.sha256)))
    for digest in list(store.digests()):
        if digest in known or digest in referenced:
            continue
        if isinstance(store, FileStore) and len(digest) != 64:  # an interrupted write
            path = store.temporary_path(digest)
            if path is not None and path.stat().st_mtime < cutoff and not dry_run:
                path.unlink(missing_ok=True)
                report.files_removed += 1
            continue
        if not old(digest):
            report.kept_recent += 1
            continue
        if dry_run:
            report.removed.append(digest)
            continue
        _remove(store, digest, cutoff, report)
    return report


def _remove(store, digest: str, cutoff: float, report: GcReport) -> None:
    size = store.remove(digest, older_than=cutoff)  # kept if reused in the meantime
    if size:
        report.files_removed += 1
        report.bytes_freed += size
        report.removed.append(digest)
        log.info("Archivo sin referencias eliminado: %s", digest)
