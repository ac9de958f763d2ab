"""`docsys blobs gc` on both databases: unreferenced rows and files older than the grace
period go, referenced ones and recent ones stay, files of failed transactions are
collected, and a blob that a running transaction has just reused is never removed."""
from __future__ import annotations

import datetime as dt
import os
import time

from sqlalchemy import select, update

from docsys import blobs
from docsys.db import read_only_transactions, transaction
from docsys.housekeeping import collect_garbage
from docsys.models import Blob, ImportBatch, ImportedFile
from tests.conftest import get_user

DAY = dt.timedelta(days=1)


def _age(blob_dir, factory, digest, days=2):
    """Make a stored blob look ``days`` old (its file's time and its row's)."""
    old = time.time() - days * 86400
    os.utime(blobs.blob_path(blob_dir, digest), (old, old))
    with transaction(factory) as session:
        session.execute(update(Blob).where(Blob.sha256 == digest)
                        .values(created_at=dt.datetime.now(dt.timezone.utc) - days * DAY))


def _put(factory, blob_dir, data: bytes, fail=False) -> str:
    try:
        with transaction(factory) as session:
            digest = blobs.put(session, blob_dir, data, "application/pdf").sha256
            if fail:
                raise RuntimeError("la emisión falló después de escribir el PDF")
    except RuntimeError:
        pass
    return digest


def test_gc_removes_only_old_unreferenced_blobs(session_factory, tmp_path):
    blob_dir = tmp_path / "blobs"
    referenced = _put(session_factory, blob_dir, b"%PDF- referenciado")
    with transaction(session_factory) as session:
        batch = ImportBatch(source="cli", label="x", created_by_id=get_user(session, "archivo").id)
        session.add(batch)
        session.flush()
        session.add(ImportedFile(batch_id=batch.id, filename="a.pdf", sha256=referenced))
    unreferenced = _put(session_factory, blob_dir, b"%PDF- sin referencias")
    recent = _put(session_factory, blob_dir, b"%PDF- reciente")
    failed = _put(session_factory, blob_dir, b"%PDF- de una emision fallida", fail=True)
    failed_recent = _put(session_factory, blob_dir, b"%PDF- fallida hace poco", fail=True)
    reused = _put(session_factory, blob_dir, b"%PDF- reutilizado ahora")
    for digest in (referenced, unreferenced, reused):
        _age(blob_dir, session_factory, digest)
    old = time.time() - 2 * 86400
    os.utime(blobs.blob_path(blob_dir, failed), (old, old))

    # A transaction still running has just reused an old unreferenced blob.
    with read_only_transactions(), session_factory() as running:
        blobs.put(running, blob_dir, b"%PDF- reutilizado ahora", "application/pdf")
        report = collect_garbage(session_factory, blob_dir, grace=DAY)
        running.rollback()

    assert sorted(report.removed) == sorted([unreferenced, failed])
    assert report.rows_removed == 1 and report.files_removed == 2
    with transaction(session_factory) as session:
        rows = set(session.scalars(select(Blob.sha256)))
    assert rows == {referenced, recent, reused}
    for digest in (referenced, recent, reused, failed_recent):
        assert blobs.get(blob_dir, digest)
    for digest in (unreferenced, failed):
        assert not blobs.blob_path(blob_dir, digest).exists()


def test_cli_blobs_gc(app):
    result = app.test_cli_runner().invoke(args=["docsys", "blobs", "gc", "--dry-run"])
    assert result.exit_code == 0 and "Se eliminarían 0 archivos" in result.output
    result = app.test_cli_runner().invoke(args=["docsys", "blobs", "gc"])
    assert result.exit_code == 0 and "Eliminados: 0 registros" in result.output
