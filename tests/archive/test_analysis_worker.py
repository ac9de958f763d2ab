"""The analysis queue drained by a worker process while the import runs
(docsys.analysis_worker): the same analysis as inline, each norm's analysis stored once,
the audit chain intact, and a worker that dies (SIGKILL) or cannot start reported, with
nothing lost. Real corpus files and real processes, on SQLite and PostgreSQL."""
from __future__ import annotations

import os
import signal
import threading
import time
from collections import Counter

import pytest
from sqlalchemy import func, select, text

from docsys.analysis_worker import AnalysisWorker, WorkerSpec
from docsys.archive import service
from docsys.archive.frontmatter import read_structured
from docsys.archive.service import import_directory
from docsys.audit import verify_chain
from docsys.compliance import pending
from docsys.compliance.norms import analyze_norm
from docsys.db import make_engine, read_only_transactions, transaction
from docsys.models import ArchivedNorm, AuditEntry, Document, NormRelation, PendingAnalysis
from tests.archive.test_national import CORPUS, needs_corpus
from tests.archive.test_pending_analysis import _analysis, _count

# Norms whose clauses repeal or modify others (so relations are proposed and audited),
# and some that only cite.
NAMES = ["DLEG-1416-2018.md", "DLEG-1625-2024.md", "DLEG-1082-2008.md", "DLEG-1671-2024.md",
         "DLEG-713-1991.md", "DLEG-54-1981.md", "DLEG-688-1991.md", "DLEG-1239-2015.md",
         "LEY-25211-1990.md", "LEY-27741-2002.md", "DU-039-2000.md", "RM-291-2006-VIVIENDA.md"]
FILES = len(NAMES)


def _folder(tmp_path):
    folder = tmp_path / "marco"
    folder.mkdir()
    for name in NAMES:
        os.symlink(CORPUS / name, folder / name)
    return folder


def _wait_for(check, seconds: float = 120.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.02)
    return False


def _proposals_audited_once(factory) -> bool:
    """Each norm's relation proposals were audited once: its analysis was stored once."""
    with factory() as session:
        per_norm = Counter(session.scalars(select(AuditEntry.document_id).where(
            AuditEntry.action == "relation_propose")))
    return bool(per_norm) and max(per_norm.values()) == 1


def _same_as_inline(factory, folder) -> None:
    """Analysing every norm again inline, from the text the import read, changes nothing
    (citations are replaced, proposals never doubled): the queue's analysis was that one."""
    stored = _analysis(factory)
    assert stored[0] and stored[1]
    with transaction(factory) as session:
        for path in sorted(folder.iterdir()):
            document = session.scalar(select(Document).join(ArchivedNorm).where(
                ArchivedNorm.original_filename == path.name))
            analyze_norm(session, document, read_structured(path.read_text("utf-8"),
                                                            path.name).body)
    assert _analysis(factory) == stored


@needs_corpus
def test_the_worker_analyses_while_the_import_runs_and_gives_the_inline_analysis(
        importer, tmp_path, monkeypatch):
    monkeypatch.setattr(service, "GROUP_SIZE", 2)       # several commits to analyse
    folder = _folder(tmp_path)
    worker = AnalysisWorker.start(importer.factory)
    assert worker is not None
    during: list[int] = []

    def progress(outcome):
        # The import waits (once) until the worker has analysed a group it committed:
        # the analysis runs alongside the import, not after it.
        if not during:
            during.append(int(_wait_for(lambda: worker.analysed >= 1)))

    summary = import_directory(importer.factory, importer.settings, folder,
                               importer.actor_id, progress=progress)
    assert len(summary.imported) == FILES
    reported: list[int] = []
    result = worker.finish(progress=reported.append, helper=importer.factory)
    assert during == [1]
    assert result.error is None
    assert result.totals == {"analizadas": FILES, "fallidas": 0}
    assert sum(reported) == FILES       # the progress told: each norm once
    assert result.cpu_seconds > 0
    assert _count(importer.factory, PendingAnalysis) == 0
    assert _proposals_audited_once(importer.factory)
    with importer.factory() as session:
        assert verify_chain(session).ok          # the worker's entries chain with the rest
    _same_as_inline(importer.factory, folder)


@needs_corpus
def test_a_norm_named_by_title_is_found_though_the_import_stores_it_later(importer, tmp_path):
    """DLEG 52 repeals parts of "el Código de Procedimientos Penales" (Ley 9024), named by
    title only, and its file comes first: the worker analyses it before the law is stored,
    yet finds the law among the import's files, as an analysis after the import would."""
    folder = tmp_path / "marco"
    folder.mkdir()
    for name in ("DLEG-52-1981.md", "LEY-9024-1940.md"):
        os.symlink(CORPUS / name, folder / name)
    files = service.list_files(folder)
    worker = AnalysisWorker.start(importer.factory, files=[str(path) for _, path in files])
    assert worker is not None
    import_directory(importer.factory, importer.settings, folder, importer.actor_id,
                     files=files[:1])
    assert _wait_for(lambda: worker.analysed >= 1)       # the decree, the law not yet stored
    import_directory(importer.factory, importer.settings, folder, importer.actor_id,
                     files=files[1:])
    assert worker.finish(helper=importer.factory).error is None
    with importer.factory() as session:
        law = session.scalar(select(Document.id).where(Document.number_key.like("LEY-9024%")))
        found = session.execute(select(NormRelation.kind, NormRelation.target_document_id)
                                .where(NormRelation.target_canonical_id == "LEY-9024")).all()
    assert law is not None and ("deroga", law) in found


@needs_corpus
def test_a_worker_killed_mid_queue_is_reported_and_nothing_is_lost_or_doubled(
        importer, tmp_path, monkeypatch):
    monkeypatch.setattr(service, "GROUP_SIZE", 2)
    folder = _folder(tmp_path)
    worker = AnalysisWorker.start(importer.factory)
    assert worker is not None
    killed: list[int] = []

    def progress(outcome):
        if not killed and _wait_for(lambda: worker.analysed >= 1):
            worker.process.send_signal(signal.SIGKILL)   # maybe inside a transaction
            worker.process.wait()
            killed.append(worker.process.returncode)

    import_directory(importer.factory, importer.settings, folder, importer.actor_id,
                     progress=progress)
    result = worker.finish(helper=importer.factory)
    assert killed == [-signal.SIGKILL]
    assert result.error is not None and "SIGKILL" in result.error
    left = _count(importer.factory, PendingAnalysis)
    assert 0 < left < FILES                      # what it had committed stays analysed
    # The queue is the truth: the rest is analysed by whoever drains it next.
    assert pending.process(importer.factory) == {"analizadas": left, "fallidas": 0}
    assert _count(importer.factory, PendingAnalysis) == 0
    assert _proposals_audited_once(importer.factory)
    _same_as_inline(importer.factory, folder)


def test_a_worker_that_cannot_open_the_database_says_why(tmp_path):
    worker = AnalysisWorker(WorkerSpec(url=f"sqlite:///{tmp_path / 'no' / 'such' / 'x.db'}"))
    result = worker.finish(timeout=120)
    assert result.error is not None and "OperationalError" in result.error
    assert result.totals == {"analizadas": 0, "fallidas": 0}


def test_an_in_memory_database_gets_no_worker():
    from docsys.db import make_session_factory
    assert AnalysisWorker.start(make_session_factory(make_engine("sqlite://"))) is None


def test_no_process_to_be_had_means_no_worker_not_a_crash(tmp_path, monkeypatch, caplog):
    """A machine that cannot start the worker (memory, process limits): the import goes on
    and the command analyses the queue itself afterwards."""
    import subprocess

    from docsys.db import make_session_factory

    def refuse(*args, **kwargs):
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(subprocess, "Popen", refuse)
    factory = make_session_factory(make_engine(f"sqlite:///{tmp_path / 'x.db'}"))
    assert AnalysisWorker.start(factory) is None
    assert "No se pudo iniciar el análisis en paralelo" in caplog.text


def test_the_polling_writer_gets_the_lock_when_freed_and_keeps_the_busy_timeout(tmp_path):
    """db.make_engine(write_poll=...): BEGIN IMMEDIATE tried again while another
    connection writes, then the connection's busy timeout as it was; past the timeout it
    fails as any SQLite write does."""
    url = f"sqlite:///{tmp_path / 'lock.db'}"
    holder = make_engine(url)
    polling = make_engine(url, busy_timeout=5, write_poll=0.002)
    impatient = make_engine(url, busy_timeout=0.3, write_poll=0.002)
    with holder.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
    held = threading.Event()

    def hold(seconds: float) -> None:
        with holder.begin() as conn:                     # BEGIN IMMEDIATE: the lock
            conn.execute(text("INSERT INTO t VALUES (1)"))
            held.set()
            time.sleep(seconds)

    thread = threading.Thread(target=hold, args=(0.5,))
    thread.start()
    held.wait()
    started = time.monotonic()
    with polling.begin() as conn:
        waited = time.monotonic() - started
        conn.execute(text("INSERT INTO t VALUES (2)"))
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    thread.join()
    assert 0.3 < waited < 4.5

    held.clear()
    thread = threading.Thread(target=hold, args=(2.0,))
    thread.start()
    held.wait()
    from sqlalchemy.exc import OperationalError
    with pytest.raises(OperationalError):
        with impatient.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (3)"))
    thread.join()
    with read_only_transactions(), holder.connect() as conn:
        assert conn.execute(select(func.count()).select_from(text("t"))).scalar() == 3
    for engine in (holder, polling, impatient):
        engine.dispose()


def test_writes_poll_for_the_lock_inside_polling_writes_only(tmp_path, monkeypatch):
    """db.polling_writes: an engine made without ``write_poll`` polls for SQLite's write
    lock inside it (every WRITE_POLL_SECONDS), takes it as soon as another writer frees
    it, and waits with SQLite's busy handler outside it."""
    from docsys import db
    url = f"sqlite:///{tmp_path / 'poll.db'}"
    holder, writer = make_engine(url), make_engine(url, busy_timeout=5)
    with holder.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
    polls: list[float] = []
    real = db._begin_polling
    monkeypatch.setattr(db, "_begin_polling",
                        lambda conn, timeout, poll: polls.append(poll) or real(conn, timeout, poll))
    with writer.begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (1)"))
    assert polls == []
    held = threading.Event()

    def hold() -> None:
        with holder.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (2)"))
            held.set()
            time.sleep(0.3)

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait()
    with db.polling_writes(), writer.begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (3)"))
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    thread.join()
    assert polls == [db.WRITE_POLL_SECONDS]
    with read_only_transactions(), db.polling_writes(), writer.connect() as conn:
        assert conn.execute(select(func.count()).select_from(text("t"))).scalar() == 3
    assert polls == [db.WRITE_POLL_SECONDS]   # a read-only transaction takes no lock
    for engine in (holder, writer):
        engine.dispose()


@needs_corpus
def test_the_import_polls_for_the_write_lock(importer, tmp_path, monkeypatch):
    """import_directory's write transactions poll for SQLite's lock as the worker's do."""
    from docsys import db
    if importer.factory.kw["bind"].dialect.name != "sqlite":
        pytest.skip("SQLite only")
    polls: list[float] = []
    real = db._begin_polling
    monkeypatch.setattr(db, "_begin_polling",
                        lambda conn, timeout, poll: polls.append(poll) or real(conn, timeout, poll))
    folder = tmp_path / "normas"
    folder.mkdir()
    for path in sorted(CORPUS.glob("*.md"))[:3]:
        (folder / path.name).write_bytes(path.read_bytes())
    summary = import_directory(importer.factory, importer.settings, folder, importer.actor_id)
    assert len(summary.imported) == 3
    # the batch, the group of three, the batch's end: each polled
    assert polls == [db.WRITE_POLL_SECONDS] * 3


@pytest.fixture(params=["sqlite", "postgresql"])
def any_app(request):
    return request.getfixturevalue("app" if request.param == "sqlite" else "pg_app")


@needs_corpus
def test_flask_import_drains_the_queue_with_its_worker(any_app, tmp_path, monkeypatch):
    """`flask docsys import` of structured files: the norms and their analysis, at once;
    the worker's audit entries chain with the app's (same key) and its checkpoints."""
    app = any_app
    folder = _folder(tmp_path)
    factory = app.extensions["docsys.sessions"]
    engine = factory.kw["bind"]
    spawned = _spawns(monkeypatch)
    result = app.test_cli_runner().invoke(args=["docsys", "import", str(folder), "--quiet"])
    assert result.exit_code == 0, result.output
    assert spawned == [engine.url.render_as_string(hide_password=False)]
    assert f"Análisis de citas y relaciones: {FILES} norma(s)." in result.output
    assert _count(factory, PendingAnalysis) == 0
    assert _proposals_audited_once(factory)
    with factory() as session:
        assert verify_chain(session).ok


@needs_corpus
def test_rows_another_consumer_analysed_meanwhile_are_not_analysed_again(importer, tmp_path,
                                                                        monkeypatch):
    """Between reading a group (outside any transaction) and storing it, another consumer
    analyses the same rows: the first finds them gone and stores nothing for them."""
    import docsys.compliance.pending as queue
    from docsys.db import make_session_factory

    import_directory(importer.factory, importer.settings, _folder(tmp_path),
                     importer.actor_id)
    other = make_session_factory(make_engine(str(importer.factory.kw["bind"].url
                                                 .render_as_string(hide_password=False))))
    real_read = queue._read
    raced: list[dict] = []

    def read_then_race(loaded, *more):
        readings = real_read(loaded, *more)
        if not raced:                      # once: the other consumer takes everything
            raced.append({})
            raced[0] = pending.process(other)
        return readings

    monkeypatch.setattr(queue, "_read", read_then_race)
    try:
        mine = pending.process(importer.factory)
    finally:
        other.kw["bind"].dispose()
    assert raced == [{"analizadas": FILES, "fallidas": 0}]
    assert mine == {"analizadas": 0, "fallidas": 0}
    assert _count(importer.factory, PendingAnalysis) == 0
    assert _proposals_audited_once(importer.factory)


def test_a_long_queue_keeps_only_the_rows_it_left_aside(importer, monkeypatch):
    """``passed`` holds the rows left to another consumer or failed, not every row
    analysed: a queue of tens of thousands must not grow its NOT IN list to match."""
    import docsys.compliance.pending as queue
    from docsys.archive.norms import norm_content
    from docsys.models import DocumentVersion, User

    with transaction(importer.factory) as session:
        archivist = session.get_one(User, importer.actor_id)
        for number in range(1, 8):
            document = Document(doc_type="LEY", title=f"Ley {number}", status="publicado",
                                office_id=archivist.office_id, created_by_id=archivist.id,
                                latest_version=1, official_number=f"LEY N° 9900{number}",
                                number_key=f"LEY-9900{number}", legal_status="vigente",
                                origin="importado")
            session.add(document)
            session.flush()
            content = norm_content("LEY", "Artículo 1.- Derógase la Ley N° 27444.",
                                   sumilla=f"Ley {number}", number=document.official_number)
            session.add(DocumentVersion(document_id=document.id, number=1, content=content,
                                        content_hash="x", author_id=archivist.id))
            pending.enqueue(session, document.id)
    real = queue.analyze_norm

    def fails_on_the_third(session, document, text=None, **kw):
        if document.official_number == "LEY N° 99003":
            raise ValueError("roto")
        return real(session, document, text, **kw)

    monkeypatch.setattr(queue, "analyze_norm", fails_on_the_third)
    passed: set[int] = set()
    assert pending.process(importer.factory, batch_size=2, passed=passed) == {
        "analizadas": 6, "fallidas": 1}
    with importer.factory() as session:
        [left] = session.scalars(select(PendingAnalysis)).all()
    assert passed == {left.id}


def _spawns(monkeypatch) -> list[str]:
    spawned: list[str] = []
    original = AnalysisWorker.__init__

    def counting(self, spec):
        spawned.append(spec.url)
        original(self, spec)

    monkeypatch.setattr(AnalysisWorker, "__init__", counting)
    return spawned


def test_flask_import_of_files_without_front_matter_starts_no_worker(any_app, tmp_path,
                                                                      monkeypatch, pdf_of,
                                                                      docx_of):
    """PDF, DOCX and plain text are analysed as they are imported (nothing is queued):
    no worker process is started for them (about a second of CPU for nothing)."""
    app = any_app
    folder = tmp_path / "escaneos"
    folder.mkdir()
    (folder / "RA.pdf").write_bytes(pdf_of(0))
    (folder / "RGM.docx").write_bytes(docx_of(1))
    (folder / "nota.txt").write_text("--\nno es un encabezado de metadatos", "utf-8")
    spawned = _spawns(monkeypatch)
    result = app.test_cli_runner().invoke(args=["docsys", "import", str(folder), "--quiet"])
    assert result.exit_code == 0, result.output
    assert spawned == []
    factory = app.extensions["docsys.sessions"]
    assert _count(factory, ArchivedNorm) == 3
    assert _count(factory, PendingAnalysis) == 0


def test_has_structured_finds_a_front_matter_anywhere_in_the_folder(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.7")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_bytes(b"\xef\xbb\xbf---\ntitulo: x\n---\n")
    files = service.list_files(tmp_path)
    assert service.has_structured(files)
    assert not service.has_structured([f for f in files if f[0] == "a.pdf"])
    assert not service.has_structured([])
    assert not service.has_structured([("gone.md", tmp_path / "gone.md")])   # unreadable


def test_the_worker_is_given_the_checkpoint_settings_and_no_secret(tmp_path):
    """Its spec travels to another process: only what the audit checkpoints read goes."""
    from docsys.analysis_worker import spec_for
    from docsys.db import make_engine, make_session_factory

    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    try:
        spec = spec_for(make_session_factory(engine), {
            "SECRET_KEY": "no-debe-salir", "INSTANCE_DIR": str(tmp_path),
            "AUDIT_CHECKPOINT_EVERY": 50, "MUNICIPALITY_NAME": "Megantoni",
            "AUDIT_SIGNING_KEY_FILE": None, "DATABASE_BUSY_TIMEOUT": 7})
    finally:
        engine.dispose()
    assert spec is not None and spec.busy_timeout == 7
    assert spec.settings == {"INSTANCE_DIR": str(tmp_path), "AUDIT_CHECKPOINT_EVERY": 50,
                             "MUNICIPALITY_NAME": "Megantoni"}
