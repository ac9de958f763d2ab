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

from docsys.blobs import blob_files, blob_path
from docsys.db import read_only_transactions, transaction
from docsys.models import ArchivedNorm, Blob, ImportedFile, Issuance

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
                 select(ImportedFile.sha256).where(ImportedFile.sha256.is_not(None)))


def _unreferenced_condition():
    return ~exists().where(Issuance.pdf_sha256 == Blob.sha256) \
        & ~exists().where(ArchivedNorm.original_sha256 == Blob.sha256) \
        & ~exists().where(ImportedFile.sha256 == Blob.sha256)


def _old(path: Path, cutoff: float) -> bool:
    try:
        return path.stat().st_mtime < cutoff
    except FileNotFoundError:
        return True


def collect_garbage(session_factory: sessionmaker, blob_dir: str | Path,
                    grace: dt.timedelta = DEFAULT_GRACE, dry_run: bool = False) -> GcReport:
    """Remove unreferenced blobs (rows and files) older than ``grace``."""
    report = GcReport()
    cutoff = time.time() - grace.total_seconds()
    created_cutoff = dt.datetime.now(dt.timezone.utc) - grace
    with read_only_transactions(), session_factory() as session:
        referenced = {r for r in session.scalars(select(_references().subquery().c[0]))}
        rows = {sha: created if created.tzinfo else created.replace(tzinfo=dt.timezone.utc)
                for sha, created in session.execute(select(Blob.sha256, Blob.created_at))}
    # Rows nobody refers to, old enough, whose file was not touched within the grace.
    for digest, created in rows.items():
        if digest in referenced:
            continue
        path = blob_path(blob_dir, digest)
        if created > created_cutoff or not _old(path, cutoff):
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
            _remove_file(path, cutoff, report, digest)
    # Files without a row (failed issues, interrupted imports), old enough.
    with read_only_transactions(), session_factory() as session:
        known = set(session.scalars(select(Blob.sha256)))
    for path in blob_files(blob_dir, include_temporary=True):
        if path.name in known or path.name in referenced:
            continue
        if not _old(path, cutoff):
            report.kept_recent += 1
            continue
        if dry_run:
            report.removed.append(path.name)
            continue
        _remove_file(path, cutoff, report, path.name)
    return report


def _remove_file(path: Path, cutoff: float, report: GcReport, name: str) -> None:
    try:
        if not _old(path, cutoff):  # reused in the meantime: keep it
            return
        size = path.stat().st_size
        path.unlink()
    except FileNotFoundError:
        return
    report.files_removed += 1
    report.bytes_freed += size
    report.removed.append(name)
    log.info("Archivo sin referencias eliminado: %s", name)
