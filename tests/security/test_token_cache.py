"""Bearer checks are cached per process and invalidated by change, not by time: the
``auth_generation`` row that triggers bump (migration 0019) is read on every request, so a
revocation, deactivation or role change made anywhere — another gunicorn process, the CLI,
plain SQL — applies to the very next request of every process, while an unchanged token
costs one primary-key read instead of loading the token, user, office and roles."""
from __future__ import annotations

import http.client
import json
from datetime import timedelta

import pytest
from sqlalchemy import event, select, text, update

from docsys import accounts, migrate
from docsys.db import make_engine, make_session_factory, transaction
from docsys.models import ApiToken, User, UserRole
from docsys.models._common import utcnow
from tests.security.gunicorn_pair import two_gunicorns

PASSWORD = "clave-segura-1"


# ---- two gunicorn processes ------------------------------------------------------------------

def _request(port, method, path, token):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request(method, path, headers={"Authorization": f"Bearer {token}"})
    response = conn.getresponse()
    body = response.read().decode("utf-8", "replace")
    conn.close()
    return response.status, body


@pytest.fixture
def two_servers(tmp_path):
    """Two gunicorn processes (one worker each: processes that share nothing but the
    database) on one SQLite database with a drafter and three of her tokens."""
    url = f"sqlite:///{tmp_path / 'docsys.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    with transaction(make_session_factory(engine)) as session:
        accounts.ensure_office(session, "GM", "Gerencia Municipal")
        user = accounts.create_user(session, "redactor", PASSWORD, "Rosa Quispe Huamán",
                                    ["drafter"], office_code="GM")
        tokens = [accounts.create_api_token(session, user, f"t{i}") for i in range(3)]
    try:
        with two_gunicorns(tmp_path, url) as (ports, _):
            yield ports, tokens, engine
    finally:
        engine.dispose()


def _warm(ports, token, path="/api/v1/search?q=plan"):
    """Each process answers twice (the second from its cache)."""
    for port in ports:
        for _ in range(2):
            status, body = _request(port, "GET", path, token)
            assert status == 200, body


def test_revocation_in_one_process_applies_to_the_next_request_of_the_other(two_servers):
    ports, tokens, engine = two_servers
    first, second, third = tokens
    for token in tokens:
        _warm(ports, token)
        _warm(ports, token, "/api/v1/templates")

    # Revoked through process A's API: process B refuses the very next request.
    status, body = _request(ports[0], "GET", "/api/v1/tokens", first)
    mine = {t["name"]: t["id"] for t in json.loads(body)["tokens"]}
    status, body = _request(ports[0], "POST", f"/api/v1/tokens/{mine['t0']}/revoke", first)
    assert status == 200, body
    for port in (ports[1], ports[0]):
        assert _request(port, "GET", "/api/v1/search?q=plan", first)[0] == 401
        assert _request(port, "GET", "/api/v1/templates", first)[0] == 401
    # The other tokens are untouched.
    assert _request(ports[1], "GET", "/api/v1/search?q=plan", second)[0] == 200

    # Revoked by plain SQL, outside any docsys process: both refuse at once.
    with engine.begin() as conn:
        conn.execute(update(ApiToken).where(ApiToken.id == mine["t1"])
                     .values(revoked_at=utcnow(), revoked_reason="sql"))
    for port in ports:
        assert _request(port, "GET", "/api/v1/search?q=plan", second)[0] == 401

    # The user deactivated: her last token stops working in both processes.
    _warm(ports, third)
    with engine.begin() as conn:
        conn.execute(update(User).where(User.username == "redactor").values(active=False))
    for port in ports:
        assert _request(port, "GET", "/api/v1/search?q=plan", third)[0] == 401
        assert _request(port, "GET", "/api/v1/templates", third)[0] == 401


# ---- in one process, on both databases ------------------------------------------------------

def test_an_unchanged_token_costs_one_read_and_any_change_reloads_it(session_factory):
    with transaction(session_factory) as session:
        user = session.scalar(select(User).where(User.username == "redactor"))
        token = accounts.create_api_token(session, user, "cache")
    engine = session_factory.kw["bind"]
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith(("BEGIN", "ROLLBACK", "SELECT 1", "SET")):
            statements.append(statement)

    cache = accounts.TokenCache()
    touched: list = []

    def check(now=None):
        statements.clear()
        with session_factory() as session:
            return cache.check(session, token, touch=touched.append, now=now)

    event.listen(engine, "before_cursor_execute", record)
    try:
        first = check()
        assert first is not None and first.office_code == "GM" and first.has_role("drafter")
        assert len(statements) == 2            # the generation, then the full lookup
        assert check() == first
        assert len(statements) == 1 and "auth_generation" in statements[0]

        # A role given elsewhere (plain SQL): the next check sees it.
        with transaction(session_factory) as session:
            session.add(UserRole(user_id=first.id, role="archivist"))
        again = check()
        assert again is not None and again.has_role("archivist") and len(statements) == 2
        from docsys.policy import search_visibility
        assert search_visibility(again).all

        # The last use is handed over to be written at most once a minute, not on every hit
        # (here it is never written, so each reload finds it unset and hands it over).
        touches = len(touched)
        assert check() is not None and len(statements) == 1 and len(touched) == touches
        later = check(now=utcnow() + timedelta(minutes=2))
        assert later is not None and len(touched) == touches + 1

        # Expiry is a time: a cached check past it refuses without asking the database
        # for the token again.
        assert check(now=utcnow() + timedelta(days=91)) is None

        # Revoked by SQL in another connection: refused at once.
        with transaction(session_factory) as session:
            session.execute(update(ApiToken).where(ApiToken.user_id == first.id)
                            .values(revoked_at=utcnow()))
        assert check() is None
        # ... and a refused token is not remembered.
        assert check() is None and len(statements) == 2
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_every_watched_change_bumps_the_generation(session_factory):
    """The triggers of migration 0019 on both databases: what a bearer check relies on
    bumps the generation; the last-use bookkeeping does not."""
    def generation():
        with session_factory() as session:
            return accounts.auth_generation(session)

    with transaction(session_factory) as session:
        user = session.scalar(select(User).where(User.username == "redactor"))
        accounts.create_api_token(session, user, "cache")
    changes = [
        "UPDATE api_tokens SET revoked_at = expires_at",
        "UPDATE api_tokens SET expires_at = created_at",
        "DELETE FROM api_tokens",
        "UPDATE users SET active = active",
        "UPDATE users SET office_id = office_id",
        "DELETE FROM user_roles WHERE role = 'legal'",
        "UPDATE offices SET code = code",
    ]
    for change in changes:
        before = generation()
        with transaction(session_factory) as session:
            session.execute(text(change))
        assert generation() > before, change
    before = generation()
    with transaction(session_factory) as session:
        session.execute(text("UPDATE api_tokens SET last_used_at = created_at"))
        session.execute(text("UPDATE users SET email = 'x@example.pe'"))
    assert generation() == before


def test_the_remembered_check_on_a_plain_connection_follows_the_same_rules(session_factory):
    """``TokenCache.cached`` (the lean search path's check): only a check remembered under
    the current generation answers; expiry and any watched change refuse at once."""
    with transaction(session_factory) as session:
        user = session.scalar(select(User).where(User.username == "redactor"))
        token = accounts.create_api_token(session, user, "cache")
    engine = session_factory.kw["bind"]
    cache = accounts.TokenCache()

    def cached(now=None):
        with engine.connect() as connection:
            return cache.cached(connection, token, now=now)

    assert cached() is None                 # never checked: the full check must run first
    with session_factory() as session:
        checked = cache.check(session, token)
    assert checked is not None and cached() == checked
    assert cached(now=utcnow() + timedelta(days=91)) is None     # expired
    touched: list = []
    with engine.connect() as connection:
        assert cache.cached(connection, token, touch=touched.append,
                            now=utcnow() + timedelta(minutes=2)) == checked
    assert len(touched) == 1                # the last use handed over, as by check()
    with transaction(session_factory) as session:
        session.add(UserRole(user_id=checked.id, role="archivist"))
    assert cached() is None                 # a role given: checked again in full
    with session_factory() as session:
        assert cache.check(session, token).has_role("archivist")
    assert cached() is not None
    with transaction(session_factory) as session:
        session.execute(update(ApiToken).where(ApiToken.user_id == checked.id)
                        .values(revoked_at=utcnow()))
    assert cached() is None                 # revoked
