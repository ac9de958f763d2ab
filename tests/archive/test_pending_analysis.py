"""A bulk import queues each norm's citation and relation analysis (docsys.compliance.pending)
and reads it after its transactions: the same analysis as inline, pages say while it is
pending, and a run killed with SIGKILL (kill -9) at any point loses neither a norm nor an
analysis. Real corpus files (a slice of ../shared/corpus/legalize-pe), real processes, on
SQLite and PostgreSQL."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from docsys import blobs
from docsys.archive.service import import_directory
from docsys.compliance import extract_citations, pending
from docsys.compliance.archive import norm_canonical_id
from docsys.compliance.pending import _archived_text
from docsys.compliance.spij import source_relations, strip_notes
from docsys.db import make_engine, make_session_factory, read_only_transactions, transaction
from docsys.models import (ArchivedNorm, Document, NormCitation, NormRelation, PendingAnalysis,
                           SourceRelation)
from tests.archive.test_national import CORPUS, SLICE, needs_corpus
from tests.conftest import KEYSTORE_KEY

ROOT = Path(__file__).resolve().parents[2]


def _count(factory, model, *where) -> int:
    with read_only_transactions(), factory() as session:  # never waits for a writer
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def _analysis(factory) -> tuple[set, set]:
    """(citations, proposed relations) of the archive, by official numbers."""
    with factory() as session:
        cites = set(session.execute(
            select(Document.official_number, NormCitation.canonical_id)
            .join(Document, Document.id == NormCitation.document_id)).all())
        proposed = set(session.execute(
            select(NormRelation.target_canonical_id, NormRelation.kind,
                   NormRelation.articles_key)).all())
    return cites, proposed


@needs_corpus
def test_a_bulk_import_queues_the_analysis_and_then_gives_the_inline_one(importer, tmp_path):
    folder = tmp_path / "marco"
    folder.mkdir()
    for name in SLICE:
        shutil.copy(CORPUS / name, folder / name)
    summary = import_directory(importer.factory, importer.settings, folder, importer.actor_id)
    assert len(summary.imported) == len(SLICE)
    # Committed with the norms: one row each, no citation yet, but the source's own notes
    # (and the legal status they give) are there at once.
    assert _count(importer.factory, PendingAnalysis) == len(SLICE)
    assert _count(importer.factory, NormCitation) == 0
    assert _count(importer.factory, SourceRelation) > 0
    with importer.factory() as session:
        target = session.scalar(select(Document).where(Document.number_key == "LEY-25211"))
        assert target.legal_status in ("modificada", "derogada")
        assert pending.is_pending(session, target.id) and pending.count(session) == len(SLICE)

    done = pending.process(importer.factory, batch_size=3)
    assert done == {"analizadas": len(SLICE), "fallidas": 0}
    assert _count(importer.factory, PendingAnalysis) == 0
    queued = _analysis(importer.factory)
    assert queued[0]                                   # citations were read

    # Inline, the import analysed the text it had just read (the front matter's body): the
    # queue reads the stored text, and must find the same. Analysing each norm again from
    # the read text changes nothing (citations are replaced, proposals never doubled).
    from docsys.archive.frontmatter import read_structured
    from docsys.compliance.norms import analyze_norm
    with transaction(importer.factory) as session:
        for name in SLICE:
            document = session.scalar(select(Document).join(ArchivedNorm).where(
                ArchivedNorm.original_filename == name))
            body = read_structured((CORPUS / name).read_text("utf-8"), name).body
            analyze_norm(session, document, body)
    assert _analysis(importer.factory) == queued


def test_the_norm_pages_say_while_the_analysis_is_pending(app, browser):
    from docsys.models import DocumentVersion, User
    from docsys.archive.norms import norm_content
    factory = app.extensions["docsys.sessions"]
    with transaction(factory) as session:
        archivist = session.scalar(select(User).where(User.username == "archivo"))
        document = Document(doc_type="LEY", title="Ley de prueba", status="publicado",
                            office_id=archivist.office_id, created_by_id=archivist.id,
                            latest_version=1, official_number="LEY N° 99001",
                            number_key="LEY-99001", legal_status="vigente",
                            origin="importado")
        session.add(document)
        session.flush()
        content = norm_content("LEY", "Artículo 1.- Derógase la Ley N° 27444.",
                               sumilla="Ley de prueba", number="LEY N° 99001")
        session.add(DocumentVersion(document_id=document.id, number=1, content=content,
                                    content_hash="x", author_id=archivist.id))
        pending.enqueue(session, document.id)
        document_id = document.id
    archivo = browser("archivo")
    pages = (f"/archivo/normas/{document_id}", f"/normas/{document_id}/relaciones")
    for url in pages:
        page = archivo.get(url)
        assert page.status_code == 200
        assert "Análisis de citas y relaciones pendiente" in page.get_data(as_text=True)
    assert pending.process(factory) == {"analizadas": 1, "fallidas": 0}
    with factory() as session:
        assert session.scalar(select(NormRelation.kind).where(
            NormRelation.source_document_id == document_id)) == "deroga"
    for url in pages:
        assert 'id="analysis-pending"' not in archivo.get(url).get_data(as_text=True)


def test_a_failed_analysis_stays_queued_with_its_error_and_blocks_nothing(importer, tmp_path,
                                                                          monkeypatch):
    import docsys.compliance.pending as queue
    folder = tmp_path / "dos"
    folder.mkdir()
    if not CORPUS.is_dir():
        pytest.skip(f"corpus legalize-pe ausente ({CORPUS})")
    for name in SLICE[:2]:
        shutil.copy(CORPUS / name, folder / name)
    import_directory(importer.factory, importer.settings, folder, importer.actor_id)
    real = queue.analyze_norm
    calls = []

    def broken_once(session, document, text=None, **kw):
        calls.append(document.id)
        if len(calls) == 1:
            raise ValueError("análisis roto")
        return real(session, document, text, **kw)

    monkeypatch.setattr(queue, "analyze_norm", broken_once)
    assert pending.process(importer.factory) == {"analizadas": 1, "fallidas": 1}
    with importer.factory() as session:
        [row] = session.scalars(select(PendingAnalysis)).all()
        assert row.attempts == 1 and "análisis roto" in row.last_error
    assert pending.process(importer.factory) == {"analizadas": 1, "fallidas": 0}
    assert _count(importer.factory, PendingAnalysis) == 0


# ---------------------------------------------------------------------------- kill -9

def _own_text(text: str | None) -> str:
    """A norm's text without SPIJ's notes when it has some (as analyze_norm reads it)."""
    return strip_notes(text or "") if source_relations(text or "") else (text or "")


def _flask(env: dict, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "docsys", *args],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def _kill_when(process: subprocess.Popen, ready, timeout: float = 240.0) -> bool:
    """SIGKILL ``process`` once ``ready()`` holds; False if it ended first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        if ready():
            if process.poll() is not None:
                return False
            process.send_signal(signal.SIGKILL)
            process.wait()
            return True
        time.sleep(0.05)
    process.kill()
    raise AssertionError("the run never reached the point to kill it")


@needs_corpus
def test_kill_9_mid_import_and_mid_analysis_loses_nothing(database_url, session_factory,
                                                          tmp_path):
    files = sorted(p.name for p in CORPUS.glob("LEY-2*.md"))[:160]
    folder = tmp_path / "lote"
    folder.mkdir()
    for name in files:
        os.symlink(CORPUS / name, folder / name)
    env = {**os.environ, "DOCSYS_DATABASE_URL": database_url,
           "DOCSYS_INSTANCE_DIR": str(tmp_path / "instancia"),
           "DOCSYS_BLOB_DIR": str(tmp_path / "blobs"), "DOCSYS_SEARCH_DIR": str(tmp_path / "ix"),
           # the key the seed sealed its users' second-factor secrets with: docsys refuses to
           # start without it rather than make a new one
           "DOCSYS_KEYSTORE_KEY": KEYSTORE_KEY}
    factory = make_session_factory(make_engine(database_url))
    try:
        # 1. Killed while importing: some groups committed, the rest not.
        run = _flask(env, "import", str(folder), "--quiet", "--analizar-despues")
        killed = _kill_when(run, lambda: _count(factory, ArchivedNorm) >= 50)
        assert killed, "the import ended before it could be killed"
        stored = _count(factory, ArchivedNorm)
        assert 50 <= stored < len(files)
        assert _count(factory, PendingAnalysis) == stored     # each norm with its row

        # 2. Run again, then kill the analysis of the queue half-way.
        assert _flask(env, "import", str(folder), "--quiet", "--analizar-despues").wait() == 0
        assert _count(factory, ArchivedNorm) == len(files)
        assert _count(factory, PendingAnalysis) == len(files)
        run = _flask(env, "compliance", "analyze", "--pendientes", "--quiet")
        killed = _kill_when(run, lambda: _count(factory, PendingAnalysis) <= len(files) - 50)
        left = _count(factory, PendingAnalysis)
        assert not killed or 0 < left < len(files)

        # 3. The next run finishes the queue: nothing lost, nothing twice.
        assert _flask(env, "compliance", "analyze", "--pendientes", "--quiet").wait() == 0
        assert _count(factory, PendingAnalysis) == 0
        with factory() as session:
            norms = session.scalars(select(ArchivedNorm)).all()
            assert sorted(n.original_filename for n in norms) == files
            analysed = set(session.scalars(select(NormCitation.document_id).distinct()))
            # every norm whose text cites another norm has its citations stored
            citing = {n.document_id for n in norms if any(
                c.canonical_id != norm_canonical_id(n.document)
                for c in extract_citations(_own_text(_archived_text(session, n.document))))}
            assert analysed == citing and len(citing) > len(files) // 2
        for norm in norms:                               # every original is on disk
            assert blobs.blob_path(tmp_path / "blobs", norm.original_sha256).is_file()
    finally:
        factory.kw["bind"].dispose()


@needs_corpus
def test_the_queue_reads_a_groups_norms_at_once_and_only_their_columns(importer, tmp_path):
    """Each group's norms are read in one query, with their texts in another, and no
    norm is loaded with its office, users and template joined (which cost more than the
    rest of its analysis): the analysis reads the norms' own columns."""
    from sqlalchemy import event

    folder = tmp_path / "marco"
    folder.mkdir()
    for name in SLICE:
        shutil.copy(CORPUS / name, folder / name)
    import_directory(importer.factory, importer.settings, folder, importer.actor_id)
    engine = importer.factory.kw["bind"]
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(" ".join(statement.split()).lower())

    event.listen(engine, "before_cursor_execute", seen)
    try:
        done = pending.process(importer.factory, batch_size=len(SLICE))
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert done == {"analizadas": len(SLICE), "fallidas": 0}
    joined = [s for s in statements if " join offices" in s or " join users" in s
              or " join template_versions" in s]
    assert joined == []
    by_key = [s for s in statements if s.startswith("select documents.id")
              and "where documents.id = " in s]
    # Only norms a relation points at are read one by one (their columns); the queued
    # ones came with their group.
    assert len(by_key) < len(SLICE)


@needs_corpus
def test_a_group_checks_its_files_for_duplicates_in_one_query(importer, tmp_path):
    """Structured files read in a group are checked against the archive with their
    group, in one query (not a session of their own each): a copy under another name in
    the same run, and every file of a second run, are reported as duplicates."""
    from sqlalchemy import event

    folder = tmp_path / "marco"
    folder.mkdir()
    for name in SLICE:
        shutil.copy(CORPUS / name, folder / name)
    shutil.copy(CORPUS / SLICE[1], folder / "copia.md")
    first = import_directory(importer.factory, importer.settings, folder, importer.actor_id)
    assert len(first.imported) == len(SLICE)
    [copy] = first.duplicates
    original = next(f for f in first.imported if f.filename == SLICE[1])
    assert (copy.filename, copy.document_id) == ("copia.md", original.document_id)

    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(" ".join(statement.split()).lower())

    engine = importer.factory.kw["bind"]
    event.listen(engine, "before_cursor_execute", seen)
    try:
        second = import_directory(importer.factory, importer.settings, folder,
                                  importer.actor_id)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert not second.imported and not second.failed
    assert sorted(f.filename for f in second.duplicates) == sorted([*SLICE, "copia.md"])
    assert {f.document_id for f in second.duplicates} == {f.document_id for f in first.imported}
    checks = [s for s in statements if s.startswith("select")
              and "archived_norms.original_sha256" in s]
    assert len(checks) == 1, checks
    assert _count(importer.factory, ArchivedNorm) == len(SLICE)
    assert _count(importer.factory, PendingAnalysis) == len(SLICE)
