"""The outbox: every committed change reaches the index, a failing index loses nothing and
blocks nothing, the next run catches up. On real SQLite and PostgreSQL databases."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from docsys import events
from docsys.db import make_engine, make_session_factory, transaction
from docsys.models import Document, Office, SearchOutbox
from search import SearchDoc, SearchUnavailable, Visibility, search_id
from search import embedded
from search.embedded import EmbeddedBackend, _FileLock
from docsys.outbox import _consumer_lock, enqueue, pending, process_outbox, reindex_all
from tests.conftest import get_user

ALL = Visibility.everything()
SKIP = "[no indexar]"


def load_docs(session, document_ids):
    """What the application provides: the current state of each document to index."""
    rows = session.scalars(select(Document).where(Document.id.in_(document_ids))).all()
    return [SearchDoc(id=search_id(d.id), document_id=d.id, version_number=d.latest_version,
                      doc_type=d.doc_type, title=d.title, body=f"Texto de {d.title}",
                      office=d.office.code, status=d.status,
                      published=d.status in ("vigente", "modificada", "derogada"),
                      created_by=d.created_by_id)
            for d in rows if not d.title.startswith(SKIP)]


def iter_docs(session):
    for (doc_id,) in session.execute(select(Document.id).order_by(Document.id)):
        yield from load_docs(session, [doc_id])


def add_document(session_factory, title, *, office="GM", user="redactor", enqueue_it=True):
    with transaction(session_factory) as session:
        office_id = session.scalar(select(Office.id).where(Office.code == office))
        doc = Document(doc_type="RA", title=title, office_id=office_id,
                       created_by_id=get_user(session, user).id, latest_version=1)
        session.add(doc)
        session.flush()
        if enqueue_it:  # the command's event queues it (else: a document predating the index)
            events.record(session, "create", None, doc.id)
        return doc.id


def rename(session_factory, doc_id, title):
    with transaction(session_factory) as session:
        session.get(Document, doc_id).title = title
        events.record(session, "save", None, doc_id)


def outbox_rows(session_factory):
    with transaction(session_factory) as session:
        return [(r.document_id, r.attempts) for r in
                session.scalars(select(SearchOutbox).order_by(SearchOutbox.id))]


def titles(backend, query=""):
    return sorted(h.title for h in backend.search(query, visibility=ALL, per_page=100).hits)


@pytest.fixture
def backend(tmp_path):
    b = EmbeddedBackend(tmp_path / "index")
    yield b
    b.close()


def test_committed_changes_reach_the_index(session_factory, backend):
    a = add_document(session_factory, "Resolución sobre arbitrios")
    add_document(session_factory, "Resolución sobre serenazgo")
    assert pending(session_factory) == 2
    assert process_outbox(session_factory, backend, load_docs) == 2
    assert titles(backend) == ["Resolución sobre arbitrios", "Resolución sobre serenazgo"]
    assert outbox_rows(session_factory) == []
    rename(session_factory, a, "Resolución sobre limpieza pública")
    rename(session_factory, a, "Resolución sobre limpieza pública y parques")
    assert process_outbox(session_factory, backend, load_docs) == 2  # two rows, one document
    assert titles(backend, "parques") == ["Resolución sobre limpieza pública y parques"]
    assert backend.count() == 2


def test_a_rolled_back_change_enqueues_nothing(session_factory, backend):
    with pytest.raises(RuntimeError):
        with transaction(session_factory) as session:
            office_id = session.scalar(select(Office.id).where(Office.code == "GM"))
            doc = Document(doc_type="RA", title="Nunca guardado", office_id=office_id,
                           created_by_id=get_user(session, "redactor").id)
            session.add(doc)
            session.flush()
            enqueue(session, doc.id)
            raise RuntimeError("falla el guardado")
    assert outbox_rows(session_factory) == []
    assert process_outbox(session_factory, backend, load_docs) == 0


def test_documents_not_returned_leave_the_index(session_factory, backend):
    doc_id = add_document(session_factory, "Resolución por retirar")
    process_outbox(session_factory, backend, load_docs)
    assert backend.count() == 1
    rename(session_factory, doc_id, SKIP + " Resolución por retirar")
    process_outbox(session_factory, backend, load_docs)
    assert backend.count() == 0


def test_failing_index_keeps_the_rows_and_the_next_run_catches_up(session_factory, backend,
                                                                  tmp_path, monkeypatch):
    monkeypatch.setattr(embedded, "WRITE_LOCK_TIMEOUT", 0.2)
    errors = []
    held = _FileLock(tmp_path / "index" / "write.lock")  # another process is writing
    assert held.acquire(timeout=1)
    try:
        add_document(session_factory, "Resolución guardada con el índice ocupado")
        add_document(session_factory, "Otra resolución guardada")
        done = process_outbox(session_factory, backend, load_docs,
                              on_error=lambda exc, ids: errors.append((type(exc), ids)))
        assert done == 0
        assert [a for _, a in outbox_rows(session_factory)] == [1, 1]
        assert errors and errors[0][0] is SearchUnavailable
        assert backend.count() == 0
        # saves are not blocked meanwhile
        add_document(session_factory, "Tercera resolución")
    finally:
        held.release()
    assert process_outbox(session_factory, backend, load_docs) == 3
    assert outbox_rows(session_factory) == []
    assert backend.count() == 3


def test_one_bad_document_does_not_hold_back_the_others(session_factory, backend):
    good = [add_document(session_factory, f"Resolución número {i}") for i in range(3)]
    bad = add_document(session_factory, "Resolución que no se puede leer")

    def picky(session, ids):
        if bad in ids:
            raise ValueError("contenido ilegible")
        return load_docs(session, ids)

    assert process_outbox(session_factory, backend, picky) == 3
    assert backend.count() == 3
    assert outbox_rows(session_factory) == [(bad, 1)]
    # failed rows go after fresh ones; once readable, it is indexed
    newer = add_document(session_factory, "Resolución posterior")
    assert process_outbox(session_factory, backend, load_docs, batch_size=1, max_batches=1) == 1
    assert outbox_rows(session_factory) == [(bad, 1)]
    assert process_outbox(session_factory, backend, load_docs) == 1
    assert backend.count() == 5 and set(good) | {bad, newer} == {
        h.document_id for h in backend.search("", visibility=ALL, per_page=100).hits}


def test_small_batches_drain_the_outbox(session_factory, backend):
    for i in range(7):
        add_document(session_factory, f"Resolución {i}")
    assert process_outbox(session_factory, backend, load_docs, batch_size=2) == 7
    assert backend.count() == 7


def test_only_one_consumer_at_a_time(session_factory, backend):
    add_document(session_factory, "Resolución concurrente")
    inner = []

    def loading(session, ids):
        inner.append(process_outbox(session_factory, backend, load_docs))
        return load_docs(session, ids)

    assert process_outbox(session_factory, backend, loading) == 1
    assert inner == [0]


def test_reindex_all_rebuilds_from_the_database(session_factory, backend):
    for i in range(4):
        add_document(session_factory, f"Resolución de archivo {i}", enqueue_it=False)
    add_document(session_factory, "Resolución pendiente")      # its outbox row is covered
    add_document(session_factory, SKIP + " fuera del índice", enqueue_it=False)
    backend.index([SearchDoc(id="doc-999", document_id=999, version_number=1, doc_type="RA",
                             title="Entrada huérfana")])
    steps = []
    total = lambda session: session.scalar(select(func.count()).select_from(Document))
    assert reindex_all(session_factory, backend, iter_docs, total, progress=steps.append) == 5
    assert sum(steps) == 5
    assert backend.count() == 5 and "Entrada huérfana" not in titles(backend)
    assert outbox_rows(session_factory) == []
    assert not backend.needs_rebuild


def test_reindex_all_with_a_progress_bar(session_factory, backend, capsys):
    add_document(session_factory, "Resolución con barra", enqueue_it=False)
    assert reindex_all(session_factory, backend, iter_docs, total=1) == 1
    assert "Reindexando" in capsys.readouterr().err


def test_changes_saved_during_a_reindex_reach_the_new_index(session_factory, backend):
    add_document(session_factory, "Resolución de archivo", enqueue_it=False)
    seen = []

    def iter_and_save(session):
        yield from iter_docs(session)
        # a user saves while the rebuild runs; the consumer is held back meanwhile
        seen.append(add_document(session_factory, "Resolución guardada durante la reindexación"))
        seen.append(process_outbox(session_factory, backend, load_docs))

    assert reindex_all(session_factory, backend, iter_and_save, progress=False,
                       load_docs=load_docs) == 1
    assert seen[1] == 0
    assert titles(backend) == ["Resolución de archivo",
                               "Resolución guardada durante la reindexación"]
    assert outbox_rows(session_factory) == []


def test_a_consumer_of_another_database_in_this_process_holds_nothing_back(
        session_factory, backend, tmp_path):

    other = make_engine(f"sqlite:///{tmp_path / 'otra.db'}")
    try:
        add_document(session_factory, "Resolución de esta instalación")
        # another app of this process (another database) is consuming its own outbox
        with _consumer_lock(make_session_factory(other)) as alone:
            assert alone
            assert process_outbox(session_factory, backend, load_docs) == 1
            with _consumer_lock(session_factory) as this_one_too:
                assert this_one_too
                assert process_outbox(session_factory, backend, load_docs) == 0
    finally:
        other.dispose()


def test_the_consumer_lock_is_per_schema_on_postgresql(session_factory, backend):
    engine = session_factory.kw["bind"]
    if engine.dialect.name != "postgresql":
        pytest.skip("bloqueo consultivo de PostgreSQL")
    from sqlalchemy import text

    from docsys.outbox import _ADVISORY_CLASS
    add_document(session_factory, "Resolución con bloqueo")
    lock = "SELECT pg_advisory_lock(:k, hashtext(:schema))"
    unlock = "SELECT pg_advisory_unlock(:k, hashtext(:schema))"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as other:
        schema = other.execute(text("SELECT current_schema()")).scalar()
        # Another installation's consumer (another schema of the same database) runs…
        other.execute(text(lock), {"k": _ADVISORY_CLASS, "schema": "otra_instalacion"})
        # …and one of this schema's, elsewhere: this call must leave the rows to it.
        other.execute(text(lock), {"k": _ADVISORY_CLASS, "schema": schema})
        assert process_outbox(session_factory, backend, load_docs) == 0
        other.execute(text(unlock), {"k": _ADVISORY_CLASS, "schema": schema})
        assert process_outbox(session_factory, backend, load_docs) == 1
        other.execute(text(unlock), {"k": _ADVISORY_CLASS, "schema": "otra_instalacion"})
