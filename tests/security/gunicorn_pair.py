"""Two gunicorn processes (one worker each: processes that share nothing but the database)
serving docsys on one SQLite database, for the tests that must see state shared across
processes (login throttling, the bearer-token cache)."""
from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from docsys.config import PROJECT_ROOT
from tests.conftest import KEYSTORE_KEY


def started(process, log: Path) -> int:
    """The port of a gunicorn process once its worker answers /healthz (90 s at most)."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        text = log.read_text()
        found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", text)
        if found and "Booting worker" in text:
            port = int(found.group(1))
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return port
            except OSError:
                pass
        if process.poll() is not None:
            pytest.fail("gunicorn exited:\n" + text)
        time.sleep(0.2)
    pytest.fail("gunicorn did not start in 90 s:\n" + log.read_text())


@contextmanager
def two_gunicorns(tmp_path: Path, url: str, extra_args: tuple[str, ...] = ()):
    """Start both processes on ``url``; yields (ports, logs); SIGINT (quick shutdown) after."""
    env = dict(os.environ, DOCSYS_DATABASE_URL=url, DOCSYS_INSTANCE_DIR=str(tmp_path),
               DOCSYS_SECRET_KEY="gunicorn-test-secret", DOCSYS_SEARCH_DIR=str(tmp_path / "s"),
               DOCSYS_BLOB_DIR=str(tmp_path / "b"), DOCSYS_PKI_DIR=str(tmp_path / "pki"),
               DOCSYS_KEYSTORE_KEY=KEYSTORE_KEY)
    logs = [tmp_path / "gunicorn-a.log", tmp_path / "gunicorn-b.log"]
    processes = []
    try:
        for log in logs:
            with open(log, "w") as out:
                processes.append(subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind",
                     "127.0.0.1:0", *extra_args, "wsgi:app"],
                    cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT))
        yield [started(process, log) for process, log in zip(processes, logs)], logs
    finally:
        for process in processes:
            process.send_signal(signal.SIGINT)
        for process in processes:
            process.wait(timeout=30)
