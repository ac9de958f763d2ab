"""Save-version latency (target: under 50 ms) on SQLite and, when reachable, PostgreSQL.

Generates its own seeded draft, then saves N successive versions of a realistic 2-page
resolution through the same domain function the web and API use, and prints p50/p95/max.
Run: .venv/bin/python bench/bench_versions.py [--saves 200] [--postgres URL]
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

from docsys import accounts, migrate, versions  # noqa: E402
from docsys.config import PROJECT_ROOT  # noqa: E402
from docsys.db import make_engine, make_session_factory, transaction  # noqa: E402
from docsys.drafting.service import create_document, load_template_files  # noqa: E402

WORDS = ("municipalidad distrital megantoni gerencia resolución expediente informe técnico "
         "presupuesto contratación obra comunidad nativa timpía camisea artículo numeral ley "
         "reglamento procedimiento administrativo servicio público transitabilidad vehicular").split()


def paragraph(rng: random.Random, words: int) -> str:
    return "Que, " + " ".join(rng.choice(WORDS) for _ in range(words)) + ";"


def run(url: str, saves: int, label: str) -> None:
    engine = make_engine(url)
    migrate.upgrade(engine)
    factory = make_session_factory(engine)
    rng = random.Random(42)
    with transaction(factory) as session:
        accounts.ensure_office(session, "GM", "Gerencia Municipal")
        load_template_files(session, PROJECT_ROOT / "templates" / "documents")
        user = accounts.create_user(session, f"bench{uuid.uuid4().hex[:6]}", "clave-bench-123",
                                    "Usuario de medición", ["drafter"], office_code="GM")
        document = create_document(session, "resolucion-gerencia-municipal",
                                   {"sumilla": "Medición de guardado"}, user)
        doc_id, user_id = document.id, user.id
        content = versions.latest_version(session, document).content
    # About two A4 pages: 8 considerandos of ~80 words and 5 articles.
    considerandos = next(s for s in content["sections"] if s["key"].startswith("considerando"))
    considerandos["items"] = [{"text": paragraph(rng, 80)} for _ in range(8)]
    timings = []
    for n in range(saves):
        considerandos["items"][n % 8]["text"] = paragraph(rng, 80)
        start = time.perf_counter()
        with transaction(factory) as session:
            from docsys.models import Document, User
            document = session.get(Document, doc_id)
            versions.save_version(session, document, content, n + 1, session.get(User, user_id))
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p50 = statistics.median(timings)
    p95 = timings[int(len(timings) * 0.95) - 1]
    verdict = "OK" if p95 < 50 else "OVER TARGET"
    print(f"{label:<11} saves={saves}  p50={p50:6.2f} ms  p95={p95:6.2f} ms  "
          f"max={timings[-1]:6.2f} ms  (target < 50 ms: {verdict})")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{tmp}/bench.db", args.saves, "SQLite")
    schema = "bench_" + uuid.uuid4().hex[:8]
    try:
        admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:
        print(f"PostgreSQL  skipped: {type(exc).__name__}")
        return
    try:
        run(f"{args.postgres}?options=-csearch_path%3D{schema}", args.saves, "PostgreSQL")
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


if __name__ == "__main__":
    main()
