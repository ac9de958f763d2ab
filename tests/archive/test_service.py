"""The import service on SQLite and PostgreSQL: norms created with their original and
text, searchable; nothing imported twice; interrupted runs resume; bad files reported and
skipped while the batch goes on."""
from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from docsys import audit, blobs
from docsys.archive import service
from docsys.archive.service import ImportInterrupted, import_bytes, import_directory, start_batch
from docsys.drafting.structure import plain_text
from docsys.indexing import SearchService
from docsys.models import (ArchivedNorm, AuditEntry, Document, DocumentVersion, ImportBatch,
                           ImportedFile, NormCitation)
from search import Visibility


def _write(folder: Path, files: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder


def _count(factory, model) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(model))


def _search(factory, tmp_path, query: str):
    search = SearchService({"SEARCH_DIR": str(tmp_path / "index")}, factory, background=False)
    try:
        search.catch_up()
        return search.backend.search(query, visibility=Visibility.public())
    finally:
        search.close()


def test_a_folder_becomes_published_searchable_norms(importer, norms, pdf_of, docx_of):
    folder = _write(importer.tmp / "archivo", {
        "2019/" + "OM 012.pdf": pdf_of(4), "2024/RGM.docx": docx_of(1), "RA.pdf": pdf_of(0),
        "roto.pdf": b"%PDF-1.4\n\x00\x00 basura"})
    summary = import_directory(importer.factory, importer.settings, folder, importer.actor_id)
    assert [f.filename for f in summary.files] == ["RA.pdf", "roto.pdf", "2019/OM 012.pdf",
                                                   "2024/RGM.docx"]
    assert len(summary.imported) == 3 and len(summary.failed) == 1 and not summary.duplicates
    assert summary.failed[0].code == "pdf_corrupt"
    as_json = summary.as_dict()
    assert as_json["counts"] == {"imported": 3, "duplicates": 0, "failed": 1,
                                 "needs_review": 0, "ocr": 0}

    with importer.factory() as session:
        batch = session.get(ImportBatch, summary.batch_id)
        assert batch.finished_at is not None and batch.source == "cli"
        for outcome, norm in ((summary.files[0], norms[0]), (summary.files[2], norms[4])):
            document = session.get(Document, outcome.document_id)
            assert (document.origin, document.status, document.legal_status) == (
                "importado", "publicado", "vigente")
            assert document.official_number == norm.heading
            assert document.number_key == f"{norm.doc_type}-{norm.number}-{norm.year}"
            assert document.issue_date == norm.date.isoformat()
            assert document.published_at is not None and document.doc_type == norm.doc_type
            version = session.scalar(select(DocumentVersion).where(
                DocumentVersion.document_id == document.id))
            assert version.number == 1 and norm.heading in plain_text(version.content)
            assert version.content["fields"]["fecha"] == norm.date.isoformat()
            archived = session.scalar(select(ArchivedNorm).where(
                ArchivedNorm.document_id == document.id))
            original = pdf_of(0) if outcome is summary.files[0] else pdf_of(4)
            assert archived.original_sha256 == hashlib.sha256(original).hexdigest()
            assert blobs.get(importer.settings.blob_dir, archived.original_sha256) == original
            assert archived.method == "pdf-text" and not archived.ocr
            assert not archived.needs_review and archived.metadata_confidence >= 0.8
        records = session.scalars(select(ImportedFile).order_by(ImportedFile.id)).all()
        assert [r.status for r in records] == ["imported", "failed", "imported", "imported"]
        assert records[1].reason_code == "pdf_corrupt" and "dañado" in records[1].reason
        # The compliance analysis ran on the numbered norm: the laws its considerandos cite.
        cited = set(session.scalars(select(NormCitation.canonical_id).where(
            NormCitation.document_id == summary.files[0].document_id)))
        assert {"LEY-27972", "LEY-30305"} <= cited
        actions = [e.action for e in session.scalars(select(AuditEntry))]
        assert actions.count("archive_import") == 3
        assert audit.verify_chain(session).ok

    # Public search finds them at once, by words and by number as people type it.
    hits = _search(importer.factory, importer.tmp, f"ordenanza {norms[4].number}-{norms[4].year}")
    assert hits.hits and hits.hits[0].document_id == summary.files[2].document_id
    words = _search(importer.factory, importer.tmp, "distrito de Megantoni")
    assert {h.document_id for h in words.hits} == {f.document_id for f in summary.imported}


def test_running_again_imports_nothing_twice(importer, pdf_of, docx_of):
    folder = _write(importer.tmp / "a", {"uno.pdf": pdf_of(0), "dos.docx": docx_of(1),
                                         "copia de uno.pdf": pdf_of(0)})
    first = import_directory(importer.factory, importer.settings, folder, importer.actor_id)
    assert len(first.imported) == 2 and len(first.duplicates) == 1  # the copy, same bytes
    copy = first.duplicates[0]
    assert copy.filename == "uno.pdf" and copy.document_id == first.files[2].document_id
    assert "Ya estaba importado" in copy.reason
    documents = _count(importer.factory, Document)
    second = import_directory(importer.factory, importer.settings, folder, importer.actor_id)
    assert len(second.duplicates) == 3 and not second.imported and not second.failed
    assert _count(importer.factory, Document) == documents == 2
    assert _count(importer.factory, ImportBatch) == 2


def test_an_interrupted_import_resumes_where_it_stopped(importer, pdf_of, docx_of):
    files = {f"{i}.{'pdf' if i % 2 else 'docx'}": (pdf_of(i) if i % 2 else docx_of(i))
             for i in range(1, 6)}
    folder = _write(importer.tmp / "b", files)
    done = []

    def stop_after_two(outcome):
        done.append(outcome)
        if len(done) == 2:
            raise KeyboardInterrupt

    with pytest.raises(ImportInterrupted) as stopped:
        import_directory(importer.factory, importer.settings, folder, importer.actor_id,
                         progress=stop_after_two)
    partial = stopped.value.summary
    assert partial.interrupted and len(partial.imported) == 2
    with importer.factory() as session:
        assert session.get(ImportBatch, partial.batch_id).finished_at is None
    assert _count(importer.factory, Document) == 2

    resumed = import_directory(importer.factory, importer.settings, folder, importer.actor_id)
    assert len(resumed.duplicates) == 2 and len(resumed.imported) == 3
    assert _count(importer.factory, Document) == _count(importer.factory, ArchivedNorm) == 5


def test_bad_files_are_reported_and_the_batch_goes_on(importer, pdf_of, docx_of, monkeypatch):
    from pypdf import PdfWriter

    encrypted = PdfWriter(clone_from=io.BytesIO(pdf_of(1)))
    encrypted.encrypt("secreto")
    buffer = io.BytesIO()
    encrypted.write(buffer)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\x00" * (3 * 1024 * 1024))
    folder = _write(importer.tmp / "zoo", {
        "a-bueno.pdf": pdf_of(2), "b-cifrado.pdf": buffer.getvalue(), "c-vacio.pdf": b"",
        "d-no-zip.docx": b"no soy un zip", "e-bomba.docx": bomb.getvalue(),
        "f-foto.png": b"\x89PNG\r\n\x1a\n" + bytes(100), "g-bueno.docx": docx_of(3),
        "h-enorme.pdf": pdf_of(5) + b"%" + b"x" * 300_000, "i-falla.pdf": pdf_of(6),
        "j-tilde ñandú «copia».pdf": pdf_of(7)})
    (folder / "k-salto\nde línea.pdf").write_bytes(pdf_of(2) + b"\n")
    (folder / b"l-latin1-resoluci\xf3n.pdf".decode("utf-8", "surrogateescape")).write_bytes(b"x")
    real_extract = service.extract_file

    def crash_on_one(data, name, **kwargs):
        if name == "i-falla.pdf":
            raise RuntimeError("pdfium se cayó")
        return real_extract(data, name, **kwargs)

    monkeypatch.setattr(service, "extract_file", crash_on_one)
    settings = service.ImportSettings(blob_dir=importer.settings.blob_dir, max_file_bytes=200_000)
    summary = import_directory(importer.factory, settings, folder, importer.actor_id)
    by_name = {f.filename: f for f in summary.files}
    assert {f.filename for f in summary.imported} == {"a-bueno.pdf", "g-bueno.docx",
                                                      "j-tilde ñandú «copia».pdf"}
    expected = {"b-cifrado.pdf": "pdf_encrypted", "c-vacio.pdf": "empty_file",
                "d-no-zip.docx": "docx_not_zip", "e-bomba.docx": "zip_bomb",
                "f-foto.png": "unknown_type", "h-enorme.pdf": "too_large",
                "i-falla.pdf": "unexpected", "k-salto�de línea.pdf": "bad_filename",
                "l-latin1-resoluci�n.pdf": "bad_filename"}
    assert {name: by_name[name].code for name in expected} == expected
    for failure in summary.failed:
        assert failure.reason.startswith(("El ", "«", "No ", "Error inesperado")), failure.reason
    assert "Renómbrelo" in by_name["k-salto�de línea.pdf"].reason
    with importer.factory() as session:
        stored = {r.filename: r.reason_code for r in session.scalars(select(ImportedFile))}
    assert stored["e-bomba.docx"] == "zip_bomb" and len(stored) == 12


def test_a_number_already_taken_is_not_given_twice(importer, pdf_of, docx_of, norms):
    folder = _write(importer.tmp / "c", {"1.pdf": pdf_of(1), "2.docx": docx_of(1)})
    summary = import_directory(importer.factory, importer.settings, folder, importer.actor_id)
    first, second = summary.imported
    assert first.official_number == norms[1].heading and not first.needs_review
    assert second.official_number is None and second.needs_review
    assert any("ya lo tiene el documento" in w for w in second.warnings)


def test_an_unregistered_office_is_provisional_and_sent_to_review(importer):
    text = ("RESOLUCIÓN DE GERENCIA N° 021-2024-GIP-MDM\nCamisea, 15 de julio de 2024\n"
            "SE RESUELVE:\nARTÍCULO PRIMERO.- APROBAR el expediente técnico del proyecto.\n")
    batch = start_batch(importer.factory, importer.actor_id, "cli", "prueba")
    outcome = import_bytes(importer.factory, importer.settings, batch, importer.actor_id,
                           text.encode(), "rg.txt")
    assert outcome.status == "imported" and outcome.needs_review
    with importer.factory() as session:
        document = session.get(Document, outcome.document_id)
        norm = session.scalar(select(ArchivedNorm).where(ArchivedNorm.document_id == document.id))
        assert document.office.code == "SG"  # the archivist's office, provisionally
        assert "office" in norm.guessed["to_confirm"]
        assert any("GIP" in note for note in norm.guessed["notes"])


def test_long_texts_are_split_to_fit_the_structure(importer):
    page = ("Que, el artículo 194 de la Constitución Política del Perú establece la autonomía "
            "municipal en los asuntos de su competencia.\n") * 600
    text = "ORDENANZA MUNICIPAL N° 001-2020-MDM\n" + page + "\f" + page
    batch = start_batch(importer.factory, importer.actor_id, "cli", "prueba")
    outcome = import_bytes(importer.factory, importer.settings, batch, importer.actor_id,
                           text.encode(), "larga.txt")
    assert outcome.status == "imported"
    with importer.factory() as session:
        version = session.scalar(select(DocumentVersion).where(
            DocumentVersion.document_id == outcome.document_id))
        items = version.content["sections"][0]["items"]
        assert len(items) >= 4 and all(len(i["text"]) <= 30_000 for i in items)
        assert plain_text(version.content).count("Constitución Política") == 1200


def test_two_runs_racing_on_the_same_file_keep_one_norm(importer, pdf_of, monkeypatch):
    """Both runs passed the duplicate check before either committed: the unique hash
    makes the second commit fail, and it is reported as a duplicate."""
    batch = start_batch(importer.factory, importer.actor_id, "cli", "carrera")
    first = import_bytes(importer.factory, importer.settings, batch, importer.actor_id,
                         pdf_of(3), "a.pdf")
    real = service._existing_norm
    calls = []

    def blind_first_time(factory, digest):
        calls.append(digest)
        return None if len(calls) == 1 else real(factory, digest)

    monkeypatch.setattr(service, "_existing_norm", blind_first_time)
    second = import_bytes(importer.factory, importer.settings, batch, importer.actor_id,
                          pdf_of(3), "b.pdf")
    assert second.status == "duplicate" and second.document_id == first.document_id
    assert _count(importer.factory, Document) == 1


def test_the_analysis_subscriber_sees_the_text_and_cannot_undo_the_import(
        importer, pdf_of, docx_of, monkeypatch):
    import docsys.subscribers
    seen = []

    def analyse(session, document, text=None, actor=None):
        seen.append((document.id, document.official_number, "CONSIDERANDO" in text))
        if len(seen) == 2:
            raise ValueError("análisis roto")

    monkeypatch.setattr(docsys.subscribers, "analyze_norm", analyse)
    folder = _write(importer.tmp / "d", {"1.pdf": pdf_of(1), "2.docx": docx_of(2)})
    summary = import_directory(importer.factory, importer.settings, folder, importer.actor_id)
    assert len(summary.imported) == 2 and len(seen) == 2
    assert all(official and has_text for _, official, has_text in seen)
    assert summary.imported[1].warnings and "análisis posterior falló" in summary.imported[1].warnings[0]
    assert _count(importer.factory, Document) == 2
