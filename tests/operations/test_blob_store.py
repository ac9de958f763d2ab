"""Stored files in PostgreSQL (DOCSYS_BLOB_BACKEND=database), for several app nodes without
a shared disk: content is stored and read from the database, nothing is written to the
files folder, and the garbage collector works on it. (tests/operations/test_backup.py
issues, backs up, verifies and restores a norm with this store on PostgreSQL.)"""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from docsys import blobs, migrate
from docsys.db import make_engine, make_session_factory, transaction
from docsys.housekeeping import collect_garbage
from docsys.models import BlobContent, ImportBatch, ImportedFile
from tests.conftest import get_user, make_test_app, seed


@pytest.fixture
def db_store_app(pg_schema_url, tmp_path):
    engine = make_engine(pg_schema_url)
    migrate.upgrade(engine)
    seed(make_session_factory(engine))
    engine.dispose()
    app = make_test_app(pg_schema_url, tmp_path, BLOB_BACKEND="database",
                        BLOB_DIR=str(tmp_path / "no-usado"), TSA_URL=None)
    yield app
    app.extensions["docsys.engine"].dispose()


def test_files_live_in_postgresql(db_store_app, tmp_path):
    """(An issued norm's PDF stored there, backed up and verified: see test_backup.)"""
    app = db_store_app
    factory = app.extensions["docsys.sessions"]
    blob_dir = app.config["BLOB_DIR"]
    with transaction(factory) as session:
        kept = blobs.put(session, blob_dir, b"%PDF- en uso", "application/pdf").sha256
        batch = ImportBatch(source="cli", label="x", created_by_id=get_user(session, "archivo").id)
        session.add(batch)
        session.flush()
        session.add(ImportedFile(batch_id=batch.id, filename="a.pdf", sha256=kept))
    try:
        with transaction(factory) as session:
            orphan = blobs.put(session, blob_dir, b"%PDF- fallido", "application/pdf").sha256
            raise RuntimeError("la emisión falló")
    except RuntimeError:
        pass
    assert not (tmp_path / "no-usado").exists()  # nothing on this node's disk
    with transaction(factory) as session:
        assert set(session.scalars(select(BlobContent.sha256))) == {kept, orphan}
        session.execute(update(BlobContent).values(
            stored_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=2)))
    assert collect_garbage(factory, blob_dir, grace=dt.timedelta(days=1)).removed == [orphan]
    assert blobs.get(blob_dir, kept) == b"%PDF- en uso"
    assert app.test_client().get("/readyz").get_json()["checks"]["storage"]["ok"]


def test_the_database_store_needs_postgresql(seeded_sqlite, tmp_path):
    with pytest.raises(RuntimeError, match="necesita PostgreSQL"):
        make_test_app(f"sqlite:///{seeded_sqlite}", tmp_path, BLOB_BACKEND="database")
