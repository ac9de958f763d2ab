"""The index from an operator's side: a search issued after a save has returned finds that
save (with the background consumer running, on both databases); a deleted or corrupted
index is noticed while running, searches say so instead of a silent zero, and it heals in
the background; changes queued while no process ran are applied when one starts."""
from __future__ import annotations

import random
import shutil
import time
from pathlib import Path

import pytest

from docsys import indexing, outbox
from docsys.indexing import CATCHING_UP_WARNING, REBUILDING_WARNING
from tests.conftest import make_test_app

RGM = "resolucion-gerencia-municipal"
ROUNDS = 10


def _word(rng: random.Random) -> str:
    return "".join(rng.choice("bcdfgjklmnprstvz") + rng.choice("aeiou") for _ in range(5))


def _client(app, api_token, username="redactor"):
    client = app.test_client()
    headers = {"Authorization": f"Bearer {api_token(username)}"}

    def call(method, path, **kwargs):
        return client.open(f"/api/v1{path}", method=method, headers=headers, **kwargs)
    return call


def _token_factory(app):
    from sqlalchemy import select
    from docsys import accounts
    from docsys.db import transaction
    from docsys.models import User

    def make(username):
        with transaction(app.extensions["docsys.sessions"]) as session:
            user = session.scalar(select(User).where(User.username == username))
            return accounts.create_api_token(session, user, "tests")
    return make


def _until(condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def _started(app) -> None:
    """The process has started: its first request, and the new index built."""
    service = app.extensions["docsys.search"]
    assert app.test_client().get("/healthz").status_code == 200
    assert _until(lambda: not service.rebuilding and not service.live_backend().needs_rebuild)


def test_a_search_after_a_save_finds_it(session_factory, database_url, tmp_path):
    # A generous bound: this checks that the search waits for the save, not how fast the
    # index is (the old code returned at once when the consumer was busy).
    app = make_test_app(database_url, tmp_path, SEARCH_BACKGROUND=True, SEARCH_FRESH_WAIT=30)
    try:
        api = _client(app, _token_factory(app))
        _started(app)
        rng = random.Random(16)
        misses = []
        document = None
        for i in range(ROUNDS):
            word = _word(rng)
            if document is None or i % 2:
                response = api("POST", "/documents", json={"template": RGM, "fields": {
                    "sumilla": f"Aprobar el plan {word}", "expediente": f"2026-{i:06d}"}})
                assert response.status_code == 201, response.get_data(as_text=True)
                document = response.get_json()
            else:
                content = document["content"]
                content["fields"]["sumilla"] = f"Modificar el plan {word}"
                response = api("POST", f"/documents/{document['id']}/versions",
                               json={"content": content,
                                     "base_version": document["latest_version"]})
                assert response.status_code == 201, response.get_data(as_text=True)
                document["latest_version"] = response.get_json()["number"]
            found = api("GET", f"/search?q={word}").get_json()
            if document["id"] not in [hit["document_id"] for hit in found["hits"]]:
                misses.append((i, word, found["warnings"]))
        assert misses == []
    finally:
        app.extensions["docsys.search"].close()
        app.extensions["docsys.engine"].dispose()


@pytest.fixture
def running_app(app):
    """The app with a background consumer and two saved documents, found by search."""
    service = app.extensions["docsys.search"]
    service.background = True
    api = _client(app, _token_factory(app))
    _started(app)
    for word in ("quinuales", "cochabamba"):
        created = api("POST", "/documents", json={"template": RGM, "fields": {
            "sumilla": f"Aprobar el plan de {word}", "expediente": "2026-000001"}})
        assert created.status_code == 201
    assert api("GET", "/search?q=quinuales").get_json()["total"] == 1
    yield app, api
    service.close()


def _search_while_rebuild_waits(app, api, damage):
    """Damage the index while holding the outbox consumer lock, so the rebuild cannot
    finish before the searches have been looked at."""
    service = app.extensions["docsys.search"]
    with outbox._consumer_lock(app.extensions["docsys.sessions"]) as alone:
        assert alone
        damage(Path(app.config["SEARCH_DIR"]))
        during = api("GET", "/search?q=quinuales")
        assert during.status_code == 200
        body = during.get_json()
        assert body["rebuilding"] is True and REBUILDING_WARNING in body["warnings"]
        assert service.rebuilding
    assert service.wait_until_healed(timeout=60)
    after = api("GET", "/search?q=quinuales").get_json()
    assert after["total"] == 1 and after["rebuilding"] is False and not after["warnings"]


def test_a_deleted_index_is_rebuilt_and_searches_say_so(running_app):
    app, api = running_app
    _search_while_rebuild_waits(app, api, lambda folder: shutil.rmtree(folder))


def test_a_corrupted_index_gives_no_500_and_heals(running_app):
    app, api = running_app

    def corrupt(folder: Path) -> None:
        live = folder / (folder / "CURRENT").read_text().strip()
        for path in live.iterdir():
            if path.is_file():
                path.write_bytes(b"\x00garbage" * 64)
    _search_while_rebuild_waits(app, api, corrupt)


def test_queued_changes_are_applied_when_a_process_starts(app, api_token, tmp_path):
    api = _client(app, api_token)
    created = api("POST", "/documents", json={"template": RGM, "fields": {
        "sumilla": "Aprobar el plan de Kepashiato", "expediente": "2026-000002"}})
    assert created.status_code == 201
    service = app.extensions["docsys.search"]
    assert service.pending() >= 1  # no consumer ran (the process "stopped" before it)
    service.close()

    restarted = make_test_app(app.config["DATABASE_URL"], tmp_path, SEARCH_BACKGROUND=True)
    again = restarted.extensions["docsys.search"]
    try:
        assert restarted.test_client().get("/healthz").status_code == 200
        assert _until(lambda: again.pending() == 0)
        from search import Visibility
        hits = again.live_backend().search("Kepashiato", visibility=Visibility.everything())
        assert hits.total == 1
    finally:
        again.close()
        restarted.extensions["docsys.engine"].dispose()


def test_a_search_waits_only_for_its_own_users_changes(app):
    """Read your writes, not everyone's: while the consumer is held up, a save by Rosa
    makes Rosa's next search wait (and say it could not catch up) but not Luis's."""
    service = app.extensions["docsys.search"]
    service.background = True
    app.config.update(SEARCH_FRESH_WAIT=1.0, SEARCH_OWN_WRITES_WAIT=1.0)
    tokens = _token_factory(app)
    rosa, luis = _client(app, tokens, "redactor"), _client(app, tokens, "redactor2")
    _started(app)
    try:
        with outbox._consumer_lock(app.extensions["docsys.sessions"], wait=30) as alone:
            assert alone  # nobody applies the outbox meanwhile
            created = rosa("POST", "/documents", json={"template": RGM, "fields": {
                "sumilla": "Aprobar el plan de Pichari", "expediente": "2026-000003"}})
            assert created.status_code == 201
            assert service.pending() >= 1
            other = luis("GET", "/search?q=plan")
            assert other.status_code == 200
            assert CATCHING_UP_WARNING not in other.get_json()["warnings"]
            own = rosa("GET", "/search?q=plan")
            assert own.status_code == 200
            assert CATCHING_UP_WARNING in own.get_json()["warnings"]
        found = rosa("GET", "/search?q=Pichari").get_json()  # she waits for her save
        assert found["total"] == 1 and not found["warnings"]
    finally:
        service.close()


def _consumer_held(app, seconds: float):
    """Hold the outbox consumer lock for ``seconds`` from another thread (an index that lags
    behind, as under heavy load); returns once it is held."""
    import threading
    held, thread = threading.Event(), None

    def hold():
        with outbox._consumer_lock(app.extensions["docsys.sessions"]) as alone:
            assert alone
            held.set()
            time.sleep(seconds)
    thread = threading.Thread(target=hold)
    thread.start()
    assert held.wait(10)
    return thread


def test_an_author_finds_their_save_when_the_index_lags(app):
    """bench_load at load 25 (2 cores): the index lagged more than the 2-second wait and an
    author's search missed their own save. The author's search now waits for their own
    saves (up to SEARCH_OWN_WRITES_WAIT); another user's search does not wait for them."""
    service = app.extensions["docsys.search"]
    service.background = True
    app.config.update(SEARCH_FRESH_WAIT=0.3, SEARCH_OWN_WRITES_WAIT=30)
    tokens = _token_factory(app)
    author, other = _client(app, tokens), _client(app, tokens, "asesor")
    _started(app)
    try:
        lag = _consumer_held(app, 1.5)
        created = author("POST", "/documents", json={"template": RGM, "fields": {
            "sumilla": "Aprobar el plan de Sepahua", "expediente": "2026-000001"}})
        assert created.status_code == 201
        started = time.monotonic()
        found = author("GET", "/search?q=Sepahua").get_json()
        assert time.monotonic() - started >= 1.0  # it waited for the lagging index
        assert created.get_json()["id"] in [hit["document_id"] for hit in found["hits"]]
        assert found["warnings"] == []
        lag.join()

        lag = _consumer_held(app, 1.5)
        created = author("POST", "/documents", json={"template": RGM, "fields": {
            "sumilla": "Aprobar el plan de Timpía", "expediente": "2026-000002"}})
        started = time.monotonic()
        seen = other("GET", "/search?q=Timpía").get_json()
        assert time.monotonic() - started < 1.2  # someone else's save: no wait for it
        assert seen["hits"] == []
        lag.join()
        # Found once the index catches up: the consumer that found the outbox held tries
        # again soon, not at the next poll (30 s).
        assert _until(lambda: created.get_json()["id"] in [
            hit["document_id"] for hit in other("GET", "/search?q=Timpía").get_json()["hits"]],
            timeout=indexing.POLL_SECONDS / 2)
    finally:
        service.close()


def test_another_process_says_so_while_one_rebuilds(running_app, tmp_path):
    """Several workers share the index folder: when one rebuilds a lost index, the others
    open its new, still empty generation. The operator's check on PostgreSQL with three
    workers found /readyz "ready" there while the index was empty; every process now says
    the results are incomplete until the rebuilt index is swapped in."""
    app, api = running_app
    keys = Path(app.config["INSTANCE_DIR"])
    other_app = make_test_app(app.config["DATABASE_URL"], tmp_path / "otro",
                              SEARCH_DIR=app.config["SEARCH_DIR"],
                              AUDIT_KEY=(keys / "audit_key").read_text())
    other = _client(other_app, _token_factory(other_app))
    folder = Path(app.config["SEARCH_DIR"])
    try:
        assert other("GET", "/search?q=quinuales").get_json()["total"] == 1
        with outbox._consumer_lock(app.extensions["docsys.sessions"]) as alone:
            assert alone  # the rebuild cannot finish meanwhile
            shutil.rmtree(folder)
            assert api("GET", "/search?q=quinuales").get_json()["rebuilding"] is True
            assert _until(lambda: (folder / "CURRENT").exists() and any(
                folder.glob("gen-*/meta.json")))  # the rebuilding process's new generation
            seen = other("GET", "/search?q=quinuales")
            body = seen.get_json()
            assert seen.status_code == 200 and body["total"] == 0
            assert body["rebuilding"] is True and REBUILDING_WARNING in body["warnings"]
            ready = other_app.test_client().get("/readyz").get_json()
            assert ready["status"] == "degraded"
            assert ready["checks"]["index"]["problems"] == ["el índice se está reconstruyendo"]
        assert app.extensions["docsys.search"].wait_until_healed(timeout=60)
        after = other("GET", "/search?q=quinuales").get_json()
        assert after["total"] == 1 and after["rebuilding"] is False and not after["warnings"]
    finally:
        other_app.extensions["docsys.search"].close()
        other_app.extensions["docsys.engine"].dispose()
