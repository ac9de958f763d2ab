"""The Bandeja at scale: one page of "Todos los documentos" (docsys.inbox.inbox_page) and the
"Pendientes para usted" list, over N seeded documents, on SQLite and, when reachable,
PostgreSQL.

Seeds offices, users and templates like the tests, then inserts ``--documents`` documents
(random office, type, state and last change over two years; seeded RNG) with plain INSERTs,
and times, for a legal adviser (who sees everything) and a drafter (their office's):
the first page, the 200th page by keyset cursor, a word search, a state + office filter and
the overdue filter; and the awaiting list with its counts. Prints p50 and p95 per query.
Run: .venv/bin/python bench/bench_inbox.py [--documents 50000] [--repeat 30] [--postgres URL]
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, insert, select, text  # noqa: E402

from docsys import inbox, migrate  # noqa: E402
from docsys.db import make_engine, make_session_factory, transaction  # noqa: E402
from docsys.drafting.structure import content_hash  # noqa: E402
from docsys.drafting.templates import instantiate  # noqa: E402
from docsys.models import (Document, DocumentTemplate, DocumentVersion, Office,  # noqa: E402
                           TemplateVersion, User)
from docsys.states import Status  # noqa: E402
from tests.conftest import seed  # noqa: E402

WORDS = ("agua", "riego", "puente", "camino", "plan", "directiva", "caja", "obra", "licencia",
         "presupuesto", "contrato", "personal", "vehículos", "limpieza", "coliseo")
STATES = [Status.DRAFT] * 3 + [Status.IN_REVIEW] * 2 + [Status.OBSERVED, Status.APPROVED,
                                                        Status.ISSUED] + [Status.PUBLISHED] * 4


def populate(factory, count: int, rng: random.Random) -> None:
    """``count`` documents as docsys would hold them: each made from one of the installed
    templates with its version 1 (content, hash and author), so that opening, listing or
    rendering one works as for a drafted document. Issued and published ones carry a number
    but no signed PDF: the Bandeja and the lists only read the document row."""
    with transaction(factory) as s:
        offices = list(s.scalars(select(Office.id)))
        authors = list(s.scalars(select(User.id)))
        templates = [(t.doc_type, tv.id, tv.definition) for t, tv in s.execute(
            select(DocumentTemplate, TemplateVersion)
            .join(TemplateVersion, (TemplateVersion.template_id == DocumentTemplate.id)
                  & (TemplateVersion.number == DocumentTemplate.latest_version))
            .order_by(DocumentTemplate.id))]
    now = datetime.now(timezone.utc)
    batch: list[dict] = []
    contents: list[tuple[dict, int]] = []

    def flush(s) -> None:
        ids = s.scalars(insert(Document).returning(Document.id, sort_by_parameter_order=True),
                        batch).all()
        s.execute(insert(DocumentVersion), [
            {"document_id": document_id, "number": 1, "content": content,
             "content_hash": content_hash(content), "author_id": author,
             "note": "Creado desde la plantilla", "created_at": row["created_at"]}
            for document_id, (content, author), row in zip(ids, contents, batch)])
        batch.clear()
        contents.clear()

    with transaction(factory) as s:
        for n in range(count):
            title = " ".join(rng.choice(WORDS) for _ in range(6))
            status = rng.choice(STATES)
            doc_type, template_version_id, definition = rng.choice(templates)
            author = rng.choice(authors)
            sumilla = f"Aprobar {title} n.º {n}"
            batch.append({"doc_type": doc_type, "title": sumilla, "status": status,
                          "office_id": rng.choice(offices), "created_by_id": author,
                          "template_version_id": template_version_id,
                          "latest_version": 1, "origin": "redactado",
                          "updated_at": now - timedelta(minutes=rng.randint(0, 2 * 365 * 24 * 60)),
                          "created_at": now - timedelta(days=800),
                          "official_number": f"{n:05d}-2026-GM-MDM"
                          if status in (Status.ISSUED, Status.PUBLISHED) else None})
            contents.append((instantiate(definition, {"sumilla": sumilla,
                                                      "expediente": f"2026-{n:06d}"}), author))
            if len(batch) == 5000:
                flush(s)
        if batch:
            flush(s)


def timed(work, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def run(url: str, count: int, repeat: int, label: str) -> None:
    engine = make_engine(url)
    migrate.upgrade(engine)
    factory = make_session_factory(engine)
    seed(factory)
    populate(factory, count, random.Random(15))
    if engine.dialect.name == "postgresql":  # what autovacuum does in service; without
        with engine.begin() as conn:         # statistics the plans are the planner's guesses
            conn.execute(text("ANALYZE"))
    print(f"\n{label}: {count} documentos")
    for username in ("asesor", "redactor"):
        with transaction(factory) as s:
            user = s.scalar(select(User).where(User.username == username))
            page = inbox.InboxFilters()
            cursor = ""
            for _ in range(199):  # the cursor of page 200
                cursor = inbox.inbox_page(s, user, inbox.InboxFilters(after=cursor)).next_cursor
                if not cursor:
                    break
            queries = {
                "primera página": lambda: inbox.inbox_page(s, user, page),
                "página 200 (cursor)": lambda: inbox.inbox_page(
                    s, user, inbox.InboxFilters(after=cursor)),
                "búsqueda «riego»": lambda: inbox.inbox_page(s, user, inbox.InboxFilters(q="riego")),
                "estado + oficina": lambda: inbox.inbox_page(
                    s, user, inbox.InboxFilters(status="en_revision", office="GM")),
                "vencidos": lambda: inbox.inbox_page(s, user, inbox.InboxFilters(deadline="vencido")),
                "pendientes + conteo": lambda: (inbox.awaiting_documents(s, user),
                                                inbox.awaiting_counts(s, user)),
            }
            for name, work in queries.items():
                p50, p95 = timed(work, repeat)
                print(f"  {username:9} {name:22} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{tmp}/bench.db", args.documents, args.repeat, "SQLite")
    schema = "bench_" + uuid.uuid4().hex[:8]
    try:
        admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # no server: SQLite only
        print(f"\nPostgreSQL no disponible ({type(exc).__name__}); solo SQLite.")
        return
    try:
        sep = "&" if "?" in args.postgres else "?"
        run(f"{args.postgres}{sep}options=-csearch_path%3D{schema}", args.documents, args.repeat,
            "PostgreSQL")
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
