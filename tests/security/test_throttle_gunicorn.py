"""Login throttling holds across gunicorn worker processes: two gunicorn processes serve
one SQLite database; wrong passwords alternate between them, then the right password is
refused by both until the wait is over (moved into the past in the database, never slept).

Two servers of one worker each are what two workers of one server are (processes that
share nothing but the database), except that the test, not the kernel's accept queue,
chooses which process answers: a 2-worker server hands a burst of requests to whichever
worker happens to be waiting, often the same one."""
from __future__ import annotations

import http.client
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from docsys import accounts, migrate
from docsys.db import make_engine, make_session_factory, transaction
from docsys.models import LoginAttempt
from tests.security.gunicorn_pair import two_gunicorns

PASSWORD = "clave-segura-1"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _request(port, method, path, body=None, cookie=""):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Cookie": cookie} if cookie else {}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read().decode("utf-8", "replace")
    result = (response.status, dict(response.getheaders()), data)
    conn.close()
    return result


@pytest.fixture
def gunicorn(tmp_path):
    """Two ``gunicorn`` processes on one fresh database with one user; yields their ports,
    their logs and the database URL."""
    url = f"sqlite:///{tmp_path / 'docsys.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    with transaction(make_session_factory(engine)) as session:
        accounts.ensure_office(session, "GM", "Gerencia Municipal")
        accounts.create_user(session, "redactor", PASSWORD, "Rosa Quispe Huamán", ["drafter"],
                             office_code="GM")
    engine.dispose()
    with two_gunicorns(tmp_path, url, ("--access-logfile", "-", "--access-logformat",
                                        "ACCESS %(p)s %(m)s %(U)s %(s)s")) as (ports, logs):
        yield ports, logs, url


def _login(port, password):
    """One whole login from a fresh client: the form (its CSRF token and cookie), then
    the POST; returns (status, Retry-After, text)."""
    status, headers, html = _request(port, "GET", "/ingresar")
    cookie = headers.get("Set-Cookie", "").split(";")[0]
    body = urlencode({"username": "redactor", "password": password,
                      "csrf_token": CSRF.search(html).group(1)})
    status, headers, text = _request(port, "POST", "/ingresar", body, cookie)
    return status, headers.get("Retry-After"), text


def _worker_pids(log, status):
    return {line.split()[1] for line in log.read_text().splitlines()
            if line.startswith("ACCESS ") and line.endswith(f"POST /ingresar {status}")}


def test_throttle_is_shared_by_two_gunicorn_workers(gunicorn):
    ports, logs, url = gunicorn
    # Five wrong passwords, alternating between the two processes: each answers 401.
    for n in range(5):
        assert _login(ports[n % 2], "equivocada-123456")[0] == 401
    assert all(len(_worker_pids(log, 401)) == 1 for log in logs)
    assert _worker_pids(logs[0], 401) != _worker_pids(logs[1], 401)   # two processes

    # Now the right password is refused by both, with the wait in Spanish and in seconds.
    for port in ports:
        status, retry, text = _login(port, PASSWORD)
        assert status == 429 and 0 < int(retry) <= 60
        assert "Demasiados intentos fallidos. Espere 1 minuto" in text

    # Concurrent wrong attempts do not slip past the count: each is checked and counted
    # in one transaction, so while locked none is even tried.
    with ThreadPoolExecutor(max_workers=6) as pool:
        burst = list(pool.map(lambda n: _login(ports[n % 2], "equivocada-123456"), range(6)))
    assert {status for status, _, _ in burst} == {429}

    engine = make_engine(url)
    with transaction(make_session_factory(engine)) as session:
        for attempt in session.scalars(select(LoginAttempt)):
            attempt.at = attempt.at - timedelta(seconds=61)
    engine.dispose()
    assert _login(ports[1], PASSWORD)[0] == 302
