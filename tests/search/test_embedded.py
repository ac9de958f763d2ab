"""The embedded engine's own duties: persistence, schema versions, generations swapped
atomically, several processes (instances) on one directory, locks, crash recovery."""
from __future__ import annotations

import threading

import pytest

from search import RebuildInProgress, SearchUnavailable, Visibility
from search import embedded
from search.embedded import EmbeddedBackend, _FileLock
from tests.search.conftest import ALL, CORPUS, ids, make_doc


def generations(path):
    return sorted(p.name for p in path.iterdir() if p.is_dir() and p.name.startswith("gen-"))


def test_fresh_directory_asks_for_a_rebuild(tmp_path):
    backend = EmbeddedBackend(tmp_path / "idx")
    assert backend.needs_rebuild and backend.count() == 0
    backend.rebuild(CORPUS)
    assert not backend.needs_rebuild
    assert EmbeddedBackend(None).needs_rebuild is False


def test_index_persists_across_reopen(tmp_path):
    backend = EmbeddedBackend(tmp_path / "idx")
    backend.rebuild(CORPUS)
    backend.close()
    again = EmbeddedBackend(tmp_path / "idx")
    assert again.count() == len(CORPUS) and not again.needs_rebuild
    assert ids(again.search("RGM 45-2024", visibility=ALL))[0] == "doc-3"


def test_outdated_schema_is_replaced_and_flagged(tmp_path):
    path = tmp_path / "idx"
    backend = EmbeddedBackend(path)
    backend.rebuild(CORPUS)
    (old,) = generations(path)
    backend.close()
    (path / old / "docsys_schema").write_text("docsys-search-0")
    reopened = EmbeddedBackend(path)
    assert reopened.needs_rebuild and reopened.count() == 0
    assert old not in generations(path)
    reopened.rebuild(CORPUS)
    assert not reopened.needs_rebuild and reopened.count() == len(CORPUS)


def test_closed_backend_reports_unavailable(tmp_path):
    backend = EmbeddedBackend(tmp_path / "idx")
    backend.close()
    with pytest.raises(SearchUnavailable):
        backend.search("x", visibility=ALL)
    with pytest.raises(SearchUnavailable):
        backend.index(CORPUS[:1])


def test_rebuild_switches_generation_and_removes_the_old_one(tmp_path):
    path = tmp_path / "idx"
    backend = EmbeddedBackend(path)
    first = generations(path)
    backend.rebuild(CORPUS)
    second = generations(path)
    assert len(second) == 1 and second != first
    assert (path / "CURRENT").read_text() == second[0]
    assert not (path / "REBUILDING").exists()


def test_other_instances_follow_the_swap(tmp_path):
    """Two instances on one directory stand for two worker processes."""
    a, b = EmbeddedBackend(tmp_path / "idx"), EmbeddedBackend(tmp_path / "idx")
    a.rebuild(CORPUS[:3])
    assert b.count() == 3
    b.index([make_doc(40, "RA", "Resolución sobre serenazgo")])
    assert a.count() == 4
    a.rebuild(CORPUS)
    assert set(ids(b.search("", visibility=ALL, per_page=100))) == {d.id for d in CORPUS}


def test_refresh_sees_another_instance_commit_its_change_check_missed(tmp_path):
    """Two commits close together can leave meta.json with the same inode, time and size
    (issue 16: a save missed by its author's search under load). After the outbox wait
    the search calls refresh(), which reloads whatever the files' stat says."""
    a, b = EmbeddedBackend(tmp_path / "idx"), EmbeddedBackend(tmp_path / "idx")
    a.rebuild(CORPUS[:3])
    assert b.count() == 3
    b.index([make_doc(41, "RA", "Resolución sobre el serenazgo nocturno")])
    meta = a._dir / a._live / "meta.json"
    st = meta.stat()
    a._meta_stat = (st.st_ino, st.st_mtime_ns, st.st_size)  # the change check sees nothing
    a.refresh()
    assert "doc-41" in ids(a.search("serenazgo nocturno", visibility=ALL))


def test_writes_from_another_instance_during_a_rebuild_survive(tmp_path):
    a, b = EmbeddedBackend(tmp_path / "idx"), EmbeddedBackend(tmp_path / "idx")
    a.rebuild(CORPUS)
    started, release = threading.Event(), threading.Event()

    def docs():
        yield from CORPUS[:5]
        started.set()
        release.wait(20)
        yield from CORPUS[5:]

    thread = threading.Thread(target=a.rebuild, args=(docs(),))
    thread.start()
    try:
        assert started.wait(20)
        b.index([make_doc(41, "OM", "Ordenanza de serenazgo nocturno")])
        b.delete(["doc-1"])
        assert "doc-41" in ids(b.search("serenazgo", visibility=ALL))
        with pytest.raises(RebuildInProgress):
            b.rebuild(CORPUS)
    finally:
        release.set()
        thread.join(30)
    found = set(ids(b.search("", visibility=ALL, per_page=100)))
    assert "doc-41" in found and "doc-1" not in found
    assert found == {d.id for d in CORPUS} - {"doc-1"} | {"doc-41"}
    assert not list((tmp_path / "idx").glob("*.journal"))


def test_failed_rebuild_leaves_the_live_index_alone(tmp_path):
    path = tmp_path / "idx"
    backend = EmbeddedBackend(path)
    backend.rebuild(CORPUS)
    live = generations(path)

    def broken():
        yield CORPUS[0]
        raise RuntimeError("la base de datos se cayó")

    with pytest.raises(RuntimeError):
        backend.rebuild(broken())
    assert generations(path) == live and backend.count() == len(CORPUS)
    assert not (path / "REBUILDING").exists()
    backend.rebuild(CORPUS[:2])  # and the next rebuild works
    assert backend.count() == 2


def test_stale_rebuild_marker_from_a_crash_is_ignored(tmp_path):
    path = tmp_path / "idx"
    backend = EmbeddedBackend(path)
    backend.rebuild(CORPUS)
    (path / "gen-crashed").mkdir()
    (path / "REBUILDING").write_text("gen-crashed")
    (path / "gen-crashed.journal").write_text("")
    backend.index([make_doc(42, "RA", "Resolución tras la caída")])
    assert not (path / "REBUILDING").exists()
    assert not (path / "gen-crashed.journal").exists()
    backend.rebuild(CORPUS)
    assert generations(path) == [(path / "CURRENT").read_text()]


def test_concurrent_writers_in_threads(tmp_path):
    backend = EmbeddedBackend(tmp_path / "idx")
    errors = []

    def write(k):
        try:
            for i in range(5):
                backend.index([make_doc(1000 + k * 10 + i, "RA", f"Resolución {k} {i}")])
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and backend.count() == 30


def test_a_writer_held_elsewhere_makes_writes_unavailable(tmp_path, monkeypatch):
    backend = EmbeddedBackend(tmp_path / "idx")
    monkeypatch.setattr(embedded, "WRITE_LOCK_TIMEOUT", 0.2)
    other = _FileLock(tmp_path / "idx" / "write.lock")
    assert other.acquire(timeout=1)
    try:
        with pytest.raises(SearchUnavailable):
            backend.index(CORPUS[:1])
        assert backend.search("", visibility=ALL).total == 0  # reading still works
    finally:
        other.release()
    backend.index(CORPUS[:1])
    assert backend.count() == 1


def test_duplicate_ids_in_a_rebuild_keep_the_last(tmp_path):
    backend = EmbeddedBackend(tmp_path / "idx")
    backend.rebuild([make_doc(1, "RA", "Primera versión"), make_doc(1, "RA", "Segunda versión")])
    assert backend.count() == 1
    assert ids(backend.search("segunda", visibility=ALL)) == ["doc-1"]


def test_facets_skip_documents_without_year(tmp_path):
    backend = EmbeddedBackend(None)
    backend.index([make_doc(1, "RA", "Borrador sin fecha", status="borrador", published=False)])
    r = backend.search("", visibility=Visibility.everything())
    assert r.facets["year"] == [] and r.total == 1 and r.hits[0].date is None


def test_an_index_written_under_another_number_key_revision_is_outdated(tmp_path, monkeypatch):
    """Stored number keys are search.numbers' reading of the registry: once its rules or the
    registry change, the index is rebuilt instead of answering with keys queries no longer
    produce."""
    import search.embedded as embedded

    path = tmp_path / "idx"
    backend = EmbeddedBackend(path)
    backend.rebuild(CORPUS)
    backend.close()
    from search import elastic
    from search.numbers import EXTRACTOR_REVISION

    assert EXTRACTOR_REVISION in embedded.SCHEMA_VERSION
    assert EXTRACTOR_REVISION in elastic.SCHEMA_VERSION
    monkeypatch.setattr(embedded, "SCHEMA_VERSION",
                        embedded.SCHEMA_VERSION.rsplit("keys ", 1)[0] + "keys 9-rules-changed")
    reopened = EmbeddedBackend(path)
    assert reopened.needs_rebuild and reopened.count() == 0
    reopened.rebuild(CORPUS)
    assert not reopened.needs_rebuild and reopened.count() == len(CORPUS)
