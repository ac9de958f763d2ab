"""A rebuild (``flask docsys reindex``) reads the database as plain rows in batches: the
entries are the ones the documents themselves give, the rebuilt index holds what indexing
the documents one by one holds, and no more than one batch is read at a time. Real
SQLite and PostgreSQL databases, real tantivy indexes."""
from __future__ import annotations

from sqlalchemy import event, select

from docsys.db import transaction
from docsys.indexing import iter_docs, load_docs, to_search_doc
from docsys.models import Blob, Document, DocumentVersion, Issuance, Office
from docsys.states import Origin, Status
from search import Visibility
from search.embedded import EmbeddedBackend
from tests.conftest import get_user

ALL = Visibility.everything()


def content(sumilla: str, *paragraphs: str) -> dict:
    return {"doc_type": "RA", "fields": {"sumilla": sumilla},
            "sections": [{"key": "texto", "title": "CONSIDERANDO:", "kind": "paragraphs",
                          "numbering": "none",
                          "items": [{"id": f"p{i}", "text": p}
                                    for i, p in enumerate(paragraphs)]}],
            "closing": "REGÍSTRESE Y COMUNÍQUESE."}


def make_archive(session_factory) -> list[int]:
    """Documents of every shape the index maps: drafts with several versions, an issued
    and published norm with its signer, an imported norm without number, a document
    without any version, documents of two offices."""
    ids = []
    with transaction(session_factory) as session:
        author = get_user(session, "redactor")
        signer = get_user(session, "alcalde") if _has_user(session, "alcalde") else author
        offices = {o.code: o.id for o in session.scalars(select(Office))}
        gm, other = "GM", next(code for code in sorted(offices) if code != "GM")
        shapes = [
            dict(title="Aprobar el plan de arborización de Kiteni", status=Status.DRAFT.value,
                 office=gm, versions=3),
            dict(title="Designar responsable de la licencia de funcionamiento",
                 status=Status.PUBLISHED.value, office=other, versions=2,
                 number="RESOLUCIÓN DE ALCALDÍA N° 145-2023-A-MDM", issue_date="2023-08-10",
                 legal_status="modificada", issued=True),
            dict(title="Ordenanza antigua de arbitrios", status=Status.PUBLISHED.value,
                 office=gm, versions=1, origin=Origin.IMPORTED.value, legal_status=None),
            dict(title="Documento sin versiones", status=Status.DRAFT.value, office=other,
                 versions=0),
        ] + [dict(title=f"Directiva número {n} de caja chica", status=Status.DRAFT.value,
                  office=gm if n % 2 else other, versions=1) for n in range(5)]
        for shape in shapes:
            doc = Document(doc_type="RA", title=shape["title"], status=shape["status"],
                           office_id=offices[shape["office"]], created_by_id=author.id,
                           latest_version=shape["versions"],
                           official_number=shape.get("number"),
                           issue_date=shape.get("issue_date"),
                           legal_status=shape.get("legal_status"),
                           origin=shape.get("origin", Origin.DRAFTED.value))
            session.add(doc)
            session.flush()
            for v in range(1, shape["versions"] + 1):
                session.add(DocumentVersion(
                    document_id=doc.id, number=v, author_id=author.id, content_hash="0" * 64,
                    content=content(f"{shape['title']} (versión {v})",
                                    f"Que, conforme a la Ley N° 27972, versión {v};",
                                    "Que, la Ordenanza Municipal N° 012-2019-MDM dispone...")))
            if shape.get("issued"):
                session.add(Blob(sha256="a" * 64, size=1, mimetype="application/pdf"))
                session.flush()
                session.add(Issuance(document_id=doc.id, version_number=shape["versions"],
                                     doc_type="RA", office_code=shape["office"], year=2023,
                                     sequence=145, official_number=shape["number"],
                                     issue_date=shape["issue_date"], verification_code="X" * 12,
                                     pdf_sha256="a" * 64, signer_id=signer.id))
            ids.append(doc.id)
    return ids


def _has_user(session, username) -> bool:
    from docsys.models import User
    return session.scalar(select(User.id).where(User.username == username)) is not None


def test_rows_give_the_entries_the_documents_give(session_factory):
    ids = make_archive(session_factory)
    with transaction(session_factory) as session:
        expected = []
        for doc in session.scalars(select(Document).order_by(Document.id)):
            version = session.scalar(select(DocumentVersion).where(
                DocumentVersion.document_id == doc.id,
                DocumentVersion.number == doc.latest_version))
            issuance = session.scalar(select(Issuance).where(Issuance.document_id == doc.id))
            expected.append(to_search_doc(doc, version,
                                          issuance.signer.full_name if issuance else ""))
        assert list(iter_docs(session, batch=3)) == expected
        assert load_docs(session, ids[::-1]) == [e for e in expected if e.document_id in ids]
    by_id = {e.document_id: e for e in expected}
    issued = by_id[ids[1]]
    assert issued.signer and issued.status == "modificada" and issued.published
    assert issued.version_number == 2 and "versión 2" in issued.body
    assert by_id[ids[2]].status == "vigente"          # imported: a norm, in force
    assert by_id[ids[3]].version_number == 0 and by_id[ids[3]].body == ""


def _contents(backend: EmbeddedBackend) -> list[tuple]:
    results = backend.search(None, visibility=ALL, per_page=100)
    hits = sorted((h.id, h.document_id, h.version_number, h.number, h.title, h.doc_type,
                   h.year, h.date, h.status, h.office, h.signer, h.published)
                  for h in results.hits)
    facets = {name: [(f.value, f.count) for f in values]
              for name, values in results.facets.items()}
    cited = backend.search("ordenanza 12-2019", visibility=ALL, per_page=100)
    return [hits, facets, results.total, sorted(h.id for h in cited.hits)]


def test_a_rebuild_holds_what_indexing_one_by_one_holds(session_factory):
    ids = make_archive(session_factory)
    bulk, incremental = EmbeddedBackend(None), EmbeddedBackend(None)
    try:
        with transaction(session_factory) as session:
            assert bulk.rebuild(iter_docs(session, batch=4)) == len(ids)
            for doc_id in ids:
                incremental.index(load_docs(session, [doc_id]))
        assert bulk.count() == incremental.count() == len(ids)
        assert _contents(bulk) == _contents(incremental)
        assert _contents(bulk)[3]  # the citation reached both (cites field)
    finally:
        bulk.close()
        incremental.close()


def test_a_rebuild_reads_one_batch_at_a_time(session_factory):
    make_archive(session_factory)
    engine = session_factory.kw["bind"]
    fetched: list[int] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT") and "documents" in statement:
            fetched.append(cursor.rowcount)

    with transaction(session_factory) as session:
        total = len(list(session.scalars(select(Document.id))))
        event.listen(engine, "after_cursor_execute", count)
        try:
            entries = iter_docs(session, batch=3)
            queries_seen = []
            for _ in entries:
                queries_seen.append(len(fetched))
        finally:
            event.remove(engine, "after_cursor_execute", count)
    assert len(queries_seen) == total >= 9
    # The k-th entry is yielded after ceil(k / 3) queries: never more than 3 rows ahead.
    assert queries_seen == [(k + 2) // 3 for k in range(1, total + 1)]
    assert len(fetched) == (total + 2) // 3 + 1     # and one more that finds the end
