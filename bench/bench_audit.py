"""Audit trail: time to append an entry (one transaction each) and to verify the whole
chain, on SQLite and, when reachable, PostgreSQL.

Generates its own seeded entries (details like a real comment or transition) through
``docsys.audit.record``; appends in one transaction per entry (as requests do) for the
first ``--timed`` ones, then in batches up to ``--entries``, then times ``verify_chain``
(which the admin page and `flask docsys audit verify` run) and ``export_csv``.
Run: .venv/bin/python bench/bench_audit.py [--entries 20000] [--timed 500] [--postgres URL]
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text  # noqa: E402

from docsys import accounts, audit, migrate  # noqa: E402
from docsys.db import make_engine, make_session_factory, transaction  # noqa: E402
from docsys.models import User  # noqa: E402

ACTIONS = ("save", "comment", "transition", "download", "visto_bueno", "derive")


def details(rng: random.Random) -> dict:
    return {"version": rng.randint(1, 30), "step": rng.choice(("enviar", "observar", "aprobar")),
            "reason": "Se devuelve para precisar el artículo segundo y citar la Ley N° 27972.",
            "format": rng.choice(("pdf", "docx"))}


def run(url: str, entries: int, timed: int, label: str) -> None:
    engine = make_engine(url)
    migrate.upgrade(engine)
    factory = make_session_factory(engine)
    rng = random.Random(7)
    with transaction(factory) as session:
        accounts.ensure_office(session, "GAJ", "Gerencia de Asesoría Jurídica")
        user_id = accounts.create_user(session, f"bench{uuid.uuid4().hex[:6]}", "clave-bench-123",
                                       "Asesora de medición", ["legal"], office_code="GAJ").id
    timings = []
    for _ in range(timed):
        start = time.perf_counter()
        with transaction(factory) as session:
            audit.record(session, rng.choice(ACTIONS), session.get(User, user_id),
                         rng.randint(1, 2000), **details(rng))
        timings.append((time.perf_counter() - start) * 1000)
    done = timed
    while done < entries:
        with transaction(factory) as session:
            actor = session.get(User, user_id)
            for _ in range(min(1000, entries - done)):
                audit.record(session, rng.choice(ACTIONS), actor, rng.randint(1, 2000),
                             **details(rng))
                done += 1
    timings.sort()
    print(f"{label:<11} append (1 transaction each, n={timed}): "
          f"p50 {statistics.median(timings):6.2f} ms  p95 {timings[int(len(timings) * .95) - 1]:6.2f} ms")
    with transaction(factory) as session:
        start = time.perf_counter()
        report = audit.verify_chain(session)
        verify_s = time.perf_counter() - start
        start = time.perf_counter()
        csv_text = audit.export_csv(session)
        export_s = time.perf_counter() - start
    assert report.ok and report.checked == entries, report
    print(f"{label:<11} verify {entries} entries: {verify_s:6.2f} s "
          f"({entries / verify_s:,.0f} entries/s)   CSV export: {export_s:6.2f} s "
          f"({len(csv_text) / 2**20:.1f} MiB)")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--timed", type=int, default=500)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{tmp}/bench.db", args.entries, args.timed, "SQLite")
    schema = "bench_" + uuid.uuid4().hex[:8]
    try:
        admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # noqa: BLE001 - no server: report and stop
        print(f"PostgreSQL  skipped: {type(exc).__name__}")
        return
    try:
        run(f"{args.postgres}?options=-csearch_path%3D{schema}", args.entries, args.timed,
            "PostgreSQL")
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


if __name__ == "__main__":
    main()
