"""A structured import's group does its pure-CPU work (each norm's content and hash, the
number keys its text cites, its SPIJ notes) and writes its originals before its write
transaction, so that transaction holds SQLite's write lock for the rows only
(docsys.archive.service, ``StructuredGroup._drafts``); what was made ahead is used only when
it still fits, and duplicates are still caught. Real corpus files, SQLite and PostgreSQL."""
from __future__ import annotations

import shutil
from contextlib import contextmanager

from sqlalchemy import select

from docsys import blobs
from docsys.archive import service
from docsys.archive.service import import_directory
from docsys.audit import verify_chain
from docsys.compliance import norms as compliance_norms
from docsys.drafting.structure import content_hash
from docsys.indexing import version_citations
from docsys import indexing
from docsys.models import ArchivedNorm, Document, DocumentVersion, SourceRelation
from search.numbers import EXTRACTOR_REVISION
from tests.archive.test_national import CORPUS, SLICE, needs_corpus
from tests.archive.test_pending_analysis import _count


def _folder(tmp_path, names=SLICE):
    folder = tmp_path / "marco"
    folder.mkdir()
    for name in names:
        shutil.copy(CORPUS / name, folder / name)
    return folder


def _versions(factory) -> dict[str, DocumentVersion]:
    with factory() as session:
        rows = session.execute(select(ArchivedNorm.original_filename, DocumentVersion)
                               .join(Document, Document.id == ArchivedNorm.document_id)
                               .join(DocumentVersion,
                                     DocumentVersion.document_id == Document.id)).all()
        session.expunge_all()
    return {name: version for name, version in rows}


def _consistent(version: DocumentVersion) -> None:
    """The version's hash and cited keys are those of its stored content."""
    assert version.content_hash == content_hash(version.content)
    assert version.cited_keys == version_citations(version.content)
    assert version.cited_keys_rev == EXTRACTOR_REVISION


@needs_corpus
def test_a_groups_pure_work_and_originals_are_done_outside_its_write_transaction(
        importer, tmp_path, monkeypatch):
    writing = {"open": False}
    calls: list[tuple[str, bool]] = []
    original_transaction = service.write_transaction

    @contextmanager
    def watched(factory, resumable=False):
        with original_transaction(factory, resumable) as session:
            writing["open"] = True
            try:
                yield session
            finally:
                writing["open"] = False

    def spy(name, function):
        def called(*args, **kwargs):
            calls.append((name, writing["open"]))
            return function(*args, **kwargs)
        return called

    monkeypatch.setattr(service, "write_transaction", watched)
    monkeypatch.setattr(indexing, "extract_number_keys",
                        spy("keys", indexing.extract_number_keys))
    monkeypatch.setattr(compliance_norms, "source_relations",
                        spy("notes", compliance_norms.source_relations))
    monkeypatch.setattr(blobs.FileStore, "write", spy("blob", blobs.FileStore.write))
    summary = import_directory(importer.factory, importer.settings, _folder(tmp_path),
                               importer.actor_id)
    assert len(summary.imported) == len(SLICE) and not summary.failed
    made = [name for name, _ in calls]
    assert made.count("keys") == made.count("blob") == len(SLICE)
    assert made.count("notes") >= 1
    assert [call for call in calls if call[1]] == []    # none inside the write transaction
    # ... and what they made is what the transaction would have made
    for version in _versions(importer.factory).values():
        _consistent(version)
    assert _count(importer.factory, SourceRelation) > 0
    with importer.factory() as session:
        ley = session.scalar(select(Document).where(Document.number_key == "LEY-25211"))
        assert ley.legal_status in ("modificada", "derogada")   # from its SPIJ notes
        assert verify_chain(session).ok


@needs_corpus
def test_a_draft_made_for_a_number_then_taken_is_made_again(importer, tmp_path):
    """Two different files of the same norm in one group: the second's number is taken by
    the first inside the transaction, so its content holds no number, as inline."""
    folder = _folder(tmp_path, SLICE[:2])
    copy = folder / "copia.md"
    copy.write_bytes((CORPUS / SLICE[0]).read_bytes() + b"\n")    # other bytes, same norm
    summary = import_directory(importer.factory, importer.settings, folder, importer.actor_id)
    assert len(summary.imported) == 3 and not summary.failed
    versions = _versions(importer.factory)
    first, second = (versions[SLICE[0]], versions["copia.md"])
    assert first.content["fields"]["numero"]                   # imported first: numbered
    assert second.content["fields"]["numero"] == ""            # its number was taken
    assert second.content["fields"]["numero"] != first.content["fields"]["numero"]
    for version in versions.values():
        _consistent(version)
    copied = next(f for f in summary.imported if f.filename == "copia.md")
    assert copied.needs_review and copied.official_number is None


@needs_corpus
def test_a_file_imported_by_another_run_meanwhile_is_a_duplicate(importer, tmp_path,
                                                                 monkeypatch):
    """Another run commits one of the group's files between the group's duplicate check
    (before its transaction) and its transaction: the file is reported a duplicate of that
    norm, the others are imported, and nothing is doubled."""
    folder = _folder(tmp_path)
    other = tmp_path / "otra"
    other.mkdir()
    shutil.copy(CORPUS / SLICE[1], other / SLICE[1])
    original_drafts = service.StructuredGroup._drafts
    raced: list = []

    def drafts_then_another_run(self, waiting):
        made = original_drafts(self, waiting)
        if not raced:
            raced.append(None)   # once (the other run's own group comes here too)
            raced[0] = import_directory(self.session_factory, self.settings, other,
                                        self.actor_id)
        return made

    monkeypatch.setattr(service.StructuredGroup, "_drafts", drafts_then_another_run)
    summary = import_directory(importer.factory, importer.settings, folder, importer.actor_id)
    [their] = raced[0].imported
    [duplicate] = summary.duplicates
    assert (duplicate.filename, duplicate.document_id) == (SLICE[1], their.document_id)
    assert sorted(f.filename for f in summary.imported) == sorted(set(SLICE) - {SLICE[1]})
    assert not summary.failed
    assert _count(importer.factory, ArchivedNorm) == len(SLICE)
    with importer.factory() as session:
        assert verify_chain(session).ok


@needs_corpus
def test_a_file_whose_draft_fails_fails_alone_in_its_savepoint(importer, tmp_path,
                                                                monkeypatch):
    """Drafting ahead is outside the savepoints: a file it fails on is drafted again in its
    own savepoint, where a failure is reported for that file only, as before."""
    texts: list[str] = []
    victim: list[str] = []
    original = service.norm_content

    def failing_for_the_third(doc_type, text, **fields):
        texts.append(text)
        if len(texts) == 3:
            victim.append(text)
        if victim and text is victim[0]:
            raise RuntimeError("falla simulada")
        return original(doc_type, text, **fields)

    monkeypatch.setattr(service, "norm_content", failing_for_the_third)
    summary = import_directory(importer.factory, importer.settings, _folder(tmp_path),
                               importer.actor_id)
    [failed] = summary.failed
    assert failed.code == "unexpected" and "RuntimeError" in failed.reason
    assert len(summary.imported) == len(SLICE) - 1
    assert sum(text is victim[0] for text in texts) == 2     # ahead, then in its savepoint
    for version in _versions(importer.factory).values():
        _consistent(version)
    with importer.factory() as session:
        assert verify_chain(session).ok
