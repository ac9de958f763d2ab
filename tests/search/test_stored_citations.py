"""Each version's citations are found once, when it is written, and a rebuild of the index
reads them instead of every text again: the stored keys follow the text (a new version
of other text cites other norms), keys found by another extractor revision are not
trusted, and the rebuilt index is the one that finding them in the texts gives — the same
entries, facets and citing documents. Real SQLite and PostgreSQL, real tantivy."""
from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select, update

from docsys import services
from docsys.db import transaction
from docsys.indexing import iter_docs, version_citations
from docsys.models import Document, DocumentVersion
from search import Visibility
from search.embedded import EmbeddedBackend
from search.numbers import EXTRACTOR_REVISION
from tests.conftest import get_user
from tests.search.test_bulk_indexing import _contents, content, make_archive

ALL = Visibility.everything()


def _stored(session_factory, document_id):
    with transaction(session_factory) as session:
        return [(v.number, v.cited_keys, v.cited_keys_rev) for v in session.scalars(
            select(DocumentVersion).where(DocumentVersion.document_id == document_id)
            .order_by(DocumentVersion.number))]


def _citing(backend, query):
    return {h.document_id for h in backend.search(query, visibility=ALL, per_page=100).hits}


def test_saved_versions_store_the_citations_of_their_own_text(session_factory):
    """Through the services a person's saves go through: each version keeps what its own
    text cites, so a change of text changes the stored keys with it."""
    session = session_factory()
    try:
        author = get_user(session, "redactor")
        document = services.create_document(
            session, author, "resolucion-gerencia-municipal",
            {"sumilla": "Aprobar el plan de arbitrios conforme a la Ordenanza Municipal N° "
                        "012-2019-MDM", "expediente": "2026-000001"})
        first = session.get(DocumentVersion, session.scalar(
            select(DocumentVersion.id).where(DocumentVersion.document_id == document.id)))
        changed = dict(first.content)
        changed["fields"] = dict(changed["fields"], sumilla="Aprobar el plan conforme a la "
                                                            "Ley N° 29151")
        services.save_version(session, author, document.id, changed, base_version=1)
        document_id = document.id
    finally:
        session.close()
    [(one, keys1, rev1), (two, keys2, rev2)] = _stored(session_factory, document_id)
    assert rev1 == rev2 == EXTRACTOR_REVISION
    assert "OM-12-2019" in keys1.split() and "LEY-29151" not in keys1.split()
    assert "LEY-29151" in keys2.split() and "OM-12-2019" not in keys2.split()


def test_stored_citations_follow_the_text_and_reach_the_index(session_factory):
    ids = make_archive(session_factory)
    first = ids[0]
    before = _stored(session_factory, first)
    assert [keys for _, keys, _ in before] == ["LEY-27972 OM-12-2019"] * 3
    with transaction(session_factory) as session:
        document = session.get(Document, first)
        author = get_user(session, "redactor")
        session.add(DocumentVersion(
            document_id=first, number=4, author_id=author.id, content_hash="1" * 64,
            content=content("Plan de arborización (versión 4)",
                            "Que, la Ley N° 27444 regula el procedimiento;")))
        document.latest_version = 4
    assert _stored(session_factory, first)[-1][1:] == ("LEY-27444", EXTRACTOR_REVISION)

    backend = EmbeddedBackend(None)
    try:
        with transaction(session_factory) as session:
            backend.rebuild(iter_docs(session))
        assert first in _citing(backend, "ley 27444")
        assert first not in _citing(backend, "ordenanza 12-2019")
        assert ids[1] in _citing(backend, "ordenanza 12-2019")
    finally:
        backend.close()


def test_keys_of_another_extractor_revision_are_found_again(session_factory):
    ids = make_archive(session_factory)
    with transaction(session_factory) as session:
        # Not through the ORM (versions are immutable there): as a registry change leaves
        # rows written before it.
        session.execute(update(DocumentVersion).where(DocumentVersion.document_id == ids[0])
                        .values(cited_keys="LEY-1", cited_keys_rev="0-old"))
        session.execute(update(DocumentVersion).where(DocumentVersion.document_id == ids[1])
                        .values(cited_keys=None, cited_keys_rev=None))
        entries = {e.document_id: e for e in iter_docs(session)}
    assert entries[ids[0]].body_cites is None and entries[ids[1]].body_cites is None
    assert "LEY-1" not in entries[ids[0]].normalized().cited_keys()
    assert "OM-12-2019" in entries[ids[0]].normalized().cited_keys()
    assert entries[ids[2]].body_cites == ("LEY-27972", "OM-12-2019")


def test_a_rebuild_from_stored_citations_equals_one_that_reads_the_texts(session_factory):
    ids = make_archive(session_factory)
    stored, read = EmbeddedBackend(None), EmbeddedBackend(None)
    try:
        with transaction(session_factory) as session:
            entries = list(iter_docs(session))
        assert sum(e.body_cites is not None for e in entries) == len(ids) - 1  # no version
        assert all(e.body_cites == tuple(version_citations_of(e)) for e in entries
                   if e.body_cites is not None)
        assert stored.rebuild(entries) == read.rebuild(
            [replace(e, body_cites=None) for e in entries]) == len(ids)
        assert _contents(stored) == _contents(read)
        assert _contents(stored)[3]          # documents found through their citations
        for query in ("ley 27972", "ordenanza 12-2019", "plan", "tipo:RA año:2023"):
            assert _citing(stored, query) == _citing(read, query), query
    finally:
        stored.close()
        read.close()


def version_citations_of(entry) -> list[str]:
    """The keys of an entry's body, found in its text (what the stored ones must be)."""
    from search.numbers import extract_number_keys
    return sorted(extract_number_keys(entry.body))


def test_version_citations_reads_the_whole_text():
    text = content("Sumilla citando la Ley N° 29151",
                   "Que, el Decreto Supremo N° 004-2019-JUS aprueba el TUO;")
    assert version_citations(text).split() == sorted({"LEY-29151", "DS-4-2019", "DS-4-2019-JUS"})
    assert version_citations(None) == ""
