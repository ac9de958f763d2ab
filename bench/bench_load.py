"""Load benchmark: a realistic mix of users against a real gunicorn server, per configuration.

Each configuration gets its own instance loaded with the demo (`docsys init` + `docsys
demo`, DOCSYS_DEMO_ARCHIVE_SIZE norms in the archive), then gunicorn is started with
gunicorn.conf.py (SQLite: one process with threads; PostgreSQL: DOCSYS_WORKERS processes)
on 127.0.0.1, and N simulated users (threads, seeded) run this mix for a bounded time:

    search 25%  open 20%  save 13%  save-then-search 10%  Bandeja 15%  PDF 5%  compliance 12%

"save-then-search" saves a version with a new word and searches for it at once as its author:
a result without the document is a read-your-writes miss. Printed per configuration and
number of users: requests/s, p50/p95/p99 (ms) overall and per operation, 5xx and other
errors, read-your-writes misses, and the machine's load average (other work on the machine
counts: say so when quoting the figures).

With ``--documents N`` each instance also gets N documents seeded as bench/bench_inbox.py
does (plain INSERTs; in the search index only with ``--reindex``, done before serving).

Run: .venv/bin/python bench/bench_load.py [--users 10,50] [--seconds 20]
       [--configs sqlite-1,pg-1,pg-2] [--archive 20] [--documents 0 [--reindex]] [--postgres URL]
       [--cache DIR]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
FLASK = str(ROOT / ".venv" / "bin" / "flask")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PASSWORD = "megantoni2026"
DRAFTERS = ["redactor.gm", "redactor.gdur", "redactor.gds", "redactor.gaf", "redactor.gde"]
RGM = "resolucion-gerencia-municipal"
MIX = [("search", 25), ("open", 20), ("save", 13), ("save_search", 10), ("bandeja", 15),
       ("pdf", 5), ("compliance", 12)]
QUERIES = ["resolución", "obra", "presupuesto", "camino vecinal", "ordenanza", "designar",
           "comunidad nativa", "contratación", "agua potable", "transparencia"]
SYLLABLES = "bcdfgjklmnprstvz"
KEEPALIVE = 5.0  # gunicorn's DOCSYS_KEEPALIVE for the bench's server (its default)
# A user's connection idle longer than this is closed by the user before the next request,
# as a careful HTTP client does: otherwise a request sent just as gunicorn drops the idle
# connection is reset unanswered (a browser would silently retry it).
CLIENT_IDLE = KEEPALIVE / 2  # half: a loaded client thread may pause between check and send
COMPLIANCE_TEXT = ("Que, de conformidad con la Ley N° 27972, Ley Orgánica de Municipalidades, "
                   "y la Ordenanza Municipal N° 005-2024-MDM, se resuelve aprobar el plan.")


# ---- preparing an instance --------------------------------------------------------------

def _env(instance: Path, url: str, archive: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"DOCSYS_INSTANCE_DIR": str(instance), "DOCSYS_DATABASE_URL": url,
                "DOCSYS_SECRET_KEY": "bench-secret-key", "DOCSYS_LOG_FORMAT": "json",
                "DOCSYS_DEMO_ARCHIVE_SIZE": str(archive), "FLASK_APP": "wsgi",
                "DOCSYS_DEMO_PKI": "1"})  # the demo's signers, as scripts/setup.sh run
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    return env


def _flask(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([FLASK, "--app", "wsgi", "docsys", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=1800)
    if result.returncode != 0:
        raise SystemExit(f"docsys {' '.join(args)} falló:\n{result.stderr[-2000:]}")
    return result.stdout


def add_documents(url: str, count: int) -> None:
    """``count`` more documents (bench/bench_inbox.py's seeding: plain INSERTs, seeded
    random office, type, state and last change): the Bandeja and the lists page through
    them; the search index gets them only with --reindex."""
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_inbox import populate

    from docsys.db import make_engine, make_session_factory
    engine = make_engine(url)
    populate(make_session_factory(engine), count, random.Random(16))
    if engine.dialect.name == "postgresql":  # what autovacuum does in service
        from sqlalchemy import text
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    engine.dispose()


def prepare(instance: Path, url: str, archive: int, documents: int = 0,
            reindex: bool = False) -> tuple[dict[str, str], dict[str, str]]:
    """The demo in a new instance (or one prepared before, with --cache); API tokens."""
    env = _env(instance, url, archive)
    marker = instance / "bench-ready"
    if not marker.exists():
        started = time.monotonic()
        _flask(env, "init")
        _flask(env, "demo")
        if documents:
            add_documents(url, documents)
            if reindex:  # before serving, so the server is not measured while rebuilding
                _flask(env, "reindex", "--quiet")
        marker.write_text("1")
        print(f"  demo{f' + {documents} documentos' if documents else ''} cargada en "
              f"{time.monotonic() - started:.0f} s", flush=True)
    tokens = {user: _flask(env, "create-token", user, "--name", "bench").strip().splitlines()[-1]
              for user in DRAFTERS}
    return env, tokens


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with gunicorn.conf.py, on a free local port; stopped by its own pid."""

    def __init__(self, env: dict[str, str], workers: int, log: Path):
        self.port = _free_port()
        env = dict(env, DOCSYS_WORKERS=str(workers), DOCSYS_BIND=f"127.0.0.1:{self.port}",
                   DOCSYS_KEEPALIVE=str(int(KEEPALIVE)))
        self.log_path = log
        self.log = open(log, "w")
        self.process = subprocess.Popen([GUNICORN, "-c", "gunicorn.conf.py", "wsgi:app"],
                                        cwd=ROOT, env=env, stdout=self.log,
                                        stderr=subprocess.STDOUT)
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if requests.get(self.base + "/readyz", timeout=5).status_code in (200, 503):
                    return
            except requests.RequestException:
                time.sleep(0.5)
        self.stop()
        raise SystemExit(f"gunicorn no arrancó (ver {log})")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


# ---- one simulated user -----------------------------------------------------------------

@dataclass
class Failure:
    """One answer outside 2xx, with what the server said and the id of its log lines."""
    op: str
    method: str
    path: str
    status: int
    message: str
    request_id: str

    @property
    def route(self) -> str:
        return re.sub(r"/\d+", "/{n}", self.path)


@dataclass
class Miss:
    """A read-your-writes miss: the save, the search after it and what the search said."""
    save_id: str
    search_id: str
    said: str


@dataclass
class Results:
    timings: dict[str, list[float]] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    ryw_checks: int = 0
    misses: list[Miss] = field(default_factory=list)
    searches: int = 0
    flagged: int = 0  # searches that said recent changes or a rebuild may be missing
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def server_errors(self) -> int:
        return sum(1 for f in self.failures if f.status >= 500 or f.status == 0)

    @property
    def other_errors(self) -> int:
        return sum(1 for f in self.failures if 400 <= f.status < 500)

    def add(self, op: str, ms: float, failure: Failure | None) -> None:
        with self.lock:
            self.timings.setdefault(op, []).append(ms)
            if failure is not None:
                self.failures.append(failure)


def _message(response) -> str:
    """The Spanish message of an error answer: the API's JSON, else the error page's text."""
    try:
        return str(response.json()["error"]["message"])
    except (ValueError, KeyError, TypeError):
        pass
    found = re.search(r'<p[^>]*class="[^"]*(?:error|message|lead)[^"]*"[^>]*>(.*?)</p>',
                      response.text, re.S) or re.search(r"<title>(.*?)</title>", response.text,
                                                        re.S)
    text = found.group(1) if found else response.text[:200]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", text)).strip()


class User:
    def __init__(self, base: str, token: str, username: str, seed: int, results: Results):
        self.base, self.results = base, results
        self.rng = random.Random(seed)
        self.api = requests.Session()
        self.api.headers["Authorization"] = f"Bearer {token}"
        self.web = requests.Session()
        self.username = username
        self.document: dict = {}
        self.visible: list[int] = []
        self.last_request_id = ""
        self.last_used: dict[int, float] = {}

    def call(self, op: str, method: str, path: str, session=None, **kwargs):
        request_id = f"bench-{uuid.uuid4().hex}"
        self.last_request_id = request_id
        failure = None
        session = session or self.api
        idle = time.monotonic() - self.last_used.get(id(session), 0.0)
        if idle > CLIENT_IDLE:
            session.close()  # its pooled connections may be closing on the server's side
        start = time.perf_counter()
        try:
            response = session.request(
                method, self.base + path, timeout=120, headers={"X-Request-ID": request_id},
                **kwargs)
            elapsed = time.perf_counter() - start
            if not 200 <= response.status_code < 300:
                failure = Failure(op, method, path, response.status_code, _message(response),
                                  request_id)
            elif path == "/api/v1/search":
                body = response.json()
                with self.results.lock:
                    self.results.searches += 1
                    self.results.flagged += bool(body.get("rebuilding") or any(
                        "incorporando" in w or "reconstruyendo" in w
                        for w in body.get("warnings", [])))
        except requests.RequestException as exc:
            elapsed = time.perf_counter() - start
            response = None
            reused = f"conexión inactiva {idle:.1f} s" if idle <= CLIENT_IDLE else "conexión nueva"
            failure = Failure(op, method, path, 0, f"sin respuesta ({reused}, "
                              f"{elapsed:.1f} s): {type(exc).__name__}: {exc}"[:300], request_id)
        self.last_used[id(session)] = time.monotonic()
        self.results.add(op, elapsed * 1000, failure)
        return response

    def setup(self) -> None:
        page = self.web.get(self.base + "/ingresar", timeout=60).text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page) or \
            re.search(r'name="csrf-token" content="([^"]+)"', page)
        self.web.post(self.base + "/ingresar", timeout=60, data={
            "username": self.username, "password": PASSWORD,
            "csrf_token": csrf.group(1) if csrf else ""})
        created = self.api.post(self.base + "/api/v1/documents", timeout=60, json={
            "template": RGM, "fields": {"sumilla": f"Medición de carga {self.rng.random()}",
                                        "expediente": "2026-000001"}})
        created.raise_for_status()
        self.document = created.json()
        listed = self.api.get(self.base + "/api/v1/documents", timeout=60).json()
        items = listed.get("documents", listed.get("items", [])) if isinstance(listed, dict) \
            else listed
        self.visible = [d["id"] for d in items if isinstance(d, dict) and "id" in d] \
            or [self.document["id"]]

    def word(self) -> str:
        return "".join(self.rng.choice(SYLLABLES) + self.rng.choice("aeiou") for _ in range(5))

    def save(self, op: str, text: str) -> bool:
        content = self.document["content"]
        content["fields"]["sumilla"] = f"Aprobar el plan {text}"
        response = self.call(op, "POST", f"/api/v1/documents/{self.document['id']}/versions",
                             json={"content": content,
                                   "base_version": self.document["latest_version"]})
        if response is not None and response.status_code == 201:
            self.document["latest_version"] = response.json()["number"]
            return True
        return False

    def step(self) -> None:
        op = self.rng.choices([m for m, _ in MIX], weights=[w for _, w in MIX])[0]
        doc_id = self.document["id"]
        if op == "search":
            self.call(op, "GET", "/api/v1/search", params={"q": self.rng.choice(QUERIES)})
        elif op == "open":
            self.call(op, "GET", f"/api/v1/documents/{self.rng.choice(self.visible)}")
        elif op == "save":
            self.save(op, self.word())
        elif op == "save_search":
            word = self.word()
            if self.save("save", word):
                saved_id = self.last_request_id
                found = self.call("search", "GET", "/api/v1/search", params={"q": word})
                hit = found is not None and found.status_code == 200 and doc_id in [
                    h["document_id"] for h in found.json().get("hits", [])]
                with self.results.lock:
                    self.results.ryw_checks += 1
                    if not hit:
                        said = ("; ".join(found.json().get("warnings", [])) or "(sin aviso)"
                                if found is not None and found.status_code == 200
                                else "sin respuesta")
                        self.results.misses.append(Miss(saved_id, self.last_request_id, said))
        elif op == "bandeja":
            self.call(op, "GET", "/", session=self.web)
        elif op == "pdf":
            self.call(op, "GET", f"/api/v1/documents/{doc_id}/versions/"
                                 f"{self.document['latest_version']}/render",
                      params={"format": "pdf"})
        elif op == "compliance":
            self.call(op, "POST", "/api/v1/compliance/check", json={"text": COMPLIANCE_TEXT})


def run_level(base: str, tokens: dict[str, str], users: int, seconds: float) -> Results:
    results = Results()
    names = list(tokens)
    people = [User(base, tokens[names[i % len(names)]], names[i % len(names)], 1000 + i,
                   results) for i in range(users)]
    for person in people:
        person.setup()
    stop = time.monotonic() + seconds
    started = time.monotonic()

    def loop(person: User) -> None:
        while time.monotonic() < stop:
            person.step()

    threads = [threading.Thread(target=loop, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.elapsed = time.monotonic() - started  # type: ignore[attr-defined]
    return results


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def server_lines(log: Path | None, request_ids: set[str]) -> dict[str, list[str]]:
    """The server's JSON log lines for these request ids, other than the access line: its
    warnings and errors, with the last line of any traceback."""
    found: dict[str, list[str]] = {}
    if log is None or not request_ids or not log.exists():
        return found
    for line in log.read_text(errors="replace").splitlines():
        if not line.startswith("{"):
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        request_id = entry.get("request_id")
        if request_id not in request_ids or "status" in entry:  # the access line
            continue
        text = f"{entry.get('level')} {entry.get('logger')}: {entry.get('message')}"
        if entry.get("exception"):
            text += f" | {entry['exception'].strip().splitlines()[-1]}"
        found.setdefault(request_id, []).append(text[:400])
    return found


def report(label: str, users: int, results: Results, log: Path | None = None) -> None:
    everything = [t for ts in results.timings.values() for t in ts]
    elapsed = getattr(results, "elapsed", 1.0)
    load = os.getloadavg()[0]
    print(f"{label:<12} users={users:<3} req/s={len(everything) / elapsed:6.1f}  "
          f"p50={_pct(everything, .5):6.0f} p95={_pct(everything, .95):6.0f} "
          f"p99={_pct(everything, .99):6.0f} ms  5xx={results.server_errors}  "
          f"4xx={results.other_errors}  ryw_misses={len(results.misses)}/{results.ryw_checks}  "
          f"load1={load:.1f}", flush=True)
    print(f"    searches flagged incomplete (index catching up or rebuilding): "
          f"{results.flagged}/{results.searches}", flush=True)
    for op in sorted(results.timings):
        ts = results.timings[op]
        print(f"    {op:<11} n={len(ts):<5} p50={statistics.median(ts):6.0f} "
              f"p95={_pct(ts, .95):6.0f} ms", flush=True)
    ids = {f.request_id for f in results.failures if f.status >= 500 or f.status == 0}
    ids |= {i for m in results.misses for i in (m.save_id, m.search_id)}
    logged = server_lines(log, ids)
    causes: dict[tuple[int, str, str, str], list[Failure]] = {}
    for failure in results.failures:
        if 400 <= failure.status < 500:
            key = (failure.status, failure.method, failure.route, failure.message)
            causes.setdefault(key, []).append(failure)
    for (status, method, route, message), same in sorted(causes.items(),
                                                          key=lambda kv: -len(kv[1])):
        print(f"    4xx x{len(same):<4} {status} {method} {route}: «{message}» "
              f"(p. ej. {same[0].request_id})", flush=True)
    for failure in results.failures:
        if failure.status >= 500 or failure.status == 0:
            print(f"    5xx {failure.status} {failure.method} {failure.path} "
                  f"[{failure.request_id}]: «{failure.message}»", flush=True)
            for line in logged.get(failure.request_id, []):
                print(f"        servidor: {line}", flush=True)
    for miss in results.misses:
        print(f"    read-your-writes miss: guardado [{miss.save_id}], búsqueda "
              f"[{miss.search_id}] dijo: {miss.said}", flush=True)
        for request_id in (miss.save_id, miss.search_id):
            for line in logged.get(request_id, []):
                print(f"        servidor [{request_id}]: {line}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", default="10,50")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--configs", default="sqlite-1,pg-1,pg-2")
    parser.add_argument("--archive", type=int, default=20, help="normas importadas al archivo")
    parser.add_argument("--documents", type=int, default=0,
                        help="documentos más, sembrados como en bench_inbox.py (p. ej. 50000)")
    parser.add_argument("--reindex", action="store_true",
                        help="indexar también esos documentos antes de servir (lento)")
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--cache", default=None,
                        help="carpeta donde guardar las instancias preparadas (se reutilizan)")
    args = parser.parse_args()
    levels = [int(u) for u in args.users.split(",")]
    work = Path(args.cache or tempfile.mkdtemp(prefix="docsys-bench-load-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"docsys bench_load: {os.cpu_count()} núcleos, load1 al empezar "
          f"{os.getloadavg()[0]:.1f}, {args.seconds:.0f} s por nivel, "
          f"{args.documents} documentos sembrados de más", flush=True)
    prepared: dict[str, tuple[dict[str, str], dict[str, str]]] = {}
    schemas = []
    try:
        for config in args.configs.split(","):
            kind, workers = config.split("-")
            if kind not in prepared:
                if kind == "sqlite":
                    url = f"sqlite:///{work / 'sqlite' / 'docsys.db'}"
                else:
                    schema_file = work / "pg-schema"
                    schema = schema_file.read_text() if schema_file.exists() \
                        else "bench_" + uuid.uuid4().hex[:8]
                    schema_file.write_text(schema)
                    from sqlalchemy import create_engine, text
                    admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
                    with admin.connect() as conn:
                        conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
                    admin.dispose()
                    if not args.cache:
                        schemas.append(schema)
                    url = f"{args.postgres}?options=-csearch_path%3D{schema}"
                print(f"preparando {kind} ...", flush=True)
                prepared[kind] = prepare(work / kind, url, args.archive, args.documents,
                                         args.reindex)
            env, tokens = prepared[kind]
            server = Server(env, int(workers), work / f"gunicorn-{config}.log")
            try:
                for users in levels:
                    report(f"{kind} x{workers}", users,
                           run_level(server.base, tokens, users, args.seconds), server.log_path)
            finally:
                server.stop()
    finally:
        if schemas:
            from sqlalchemy import create_engine, text
            admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                for schema in schemas:
                    conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            admin.dispose()
        if not args.cache:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
