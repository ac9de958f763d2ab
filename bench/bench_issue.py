"""Documents issued end to end: official number, final PDF (WeasyPrint), two vistos buenos
and the final signature (pyHanko, demo PKI), stored blob, audit, commit.

Makes its own SQLite (or --database-url) database, the test users, a demo CA and N approved
~2-page resolutions with seeded text, then issues them one after another through
``docsys.issuing.issue`` exactly as the web route does (one transaction each), and prints
the time per document (p50/p95/max; target: a 2-page document under 1 s), the split
between rendering and signing, and documents per second.

Run: .venv/bin/python bench/bench_issue.py [--documents 20]
     [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/test]
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from docsys import accounts, issuing, migrate, workflow  # noqa: E402
from docsys.config import PROJECT_ROOT, load_config  # noqa: E402
from docsys.db import make_engine, make_session_factory, transaction  # noqa: E402
from docsys.drafting import service  # noqa: E402
from docsys.models import User  # noqa: E402
from docsys.rendering import pdf as pdf_module  # noqa: E402
from docsys.signing import pades  # noqa: E402
from docsys.signing.demo_setup import setup_demo_pki  # noqa: E402
from docsys.versions import latest_version, save_version  # noqa: E402

WORDS = ("municipalidad distrital megantoni gerencia expediente informe técnico presupuesto "
         "contratación obra comunidad nativa timpía camisea artículo numeral ley reglamento "
         "procedimiento administrativo servicio público transitabilidad vehicular").split()
USERS = [("redactor", "Rosa Quispe Huamán", "drafter", "GM", "Asistente"),
         ("asesor", "Carmen Rojas Villanueva", "legal", "GAJ", "Gerente de Asesoría Jurídica"),
         ("gerente", "Jorge Mendoza Salas", "signer", "GM", "Gerente Municipal")]


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def approved(session, rng, index) -> int:
    user = {u.username: u for u in session.scalars(select(User))}
    document = service.create_document(session, "resolucion-gerencia-municipal", {
        "sumilla": f"Aprobar el expediente técnico N° {index} de la obra {sentence(rng, 6)}",
        "expediente": f"2026-{index:06d}", "informes": "el Informe N° 045-2026-GIP-MDM",
        "resolucion_delegacion": "Resolución de Alcaldía N° 002-2026-A-MDM"}, user["redactor"])
    content = latest_version(session, document).content
    for section in content["sections"]:
        for item in section["items"]:
            if "[" in item.get("text", ""):
                item["text"] = "Que, " + sentence(rng, 25) + ";"
    save_version(session, document, content, document.latest_version, user["redactor"])
    workflow.transition(session, document, "enviar", user["redactor"])
    workflow.give_visto_bueno(session, document, user["asesor"])
    workflow.give_visto_bueno(session, document, user["gerente"])
    workflow.transition(session, document, "aprobar", user["asesor"])
    return document.id


def scratch_database(postgres_url, tmp):
    """SQLite in the temporary directory, or a fresh schema dropped at the end."""
    if not postgres_url:
        return f"sqlite:///{tmp}/bench.db", lambda: None
    import uuid

    from sqlalchemy import create_engine, text
    schema = "bench_" + uuid.uuid4().hex[:8]
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    sep = "&" if "?" in postgres_url else "?"
    return f"{postgres_url}{sep}options=-csearch_path%3D{schema}", drop


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=20)
    parser.add_argument("--postgres", default=None, metavar="URL",
                        help="measure on PostgreSQL (in a scratch schema) instead of SQLite")
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_config()
        settings.update({"INSTANCE_DIR": tmp, "BLOB_DIR": f"{tmp}/blobs", "PKI_DIR": f"{tmp}/pki",
                         "KEYSTORE_KEY": "clave-maestra-de-medicion-0123456789",
                         "DEMO_PKI": True,
                         "DOCUMENT_TEMPLATES_DIR": str(PROJECT_ROOT / "templates" / "documents")})
        url, drop_schema = scratch_database(args.postgres, tmp)
        engine = make_engine(url)
        migrate.upgrade(engine)
        factory = make_session_factory(engine)
        with transaction(factory) as session:
            for code, name in (("GM", "Gerencia Municipal"), ("GAJ", "Asesoría Jurídica")):
                accounts.ensure_office(session, code, name)
            for username, name, role, office, position in USERS:
                accounts.create_user(session, username, "clave-de-medicion", name, [role],
                                     office_code=office, position=position)
            service.load_template_files(session, settings["DOCUMENT_TEMPLATES_DIR"])
            setup_demo_pki(session, settings, usernames=["asesor", "gerente"])
            ids = [approved(session, rng, i) for i in range(args.documents + 1)]

        # Split rendering and signing by timing the two calls issue() makes.
        parts = {"render": [], "sign": []}
        real_render, real_sign = pdf_module.render_pdf, pades.sign_pdf_with_credential

        def timed(name, func):
            def wrapper(*a, **k):
                start = time.perf_counter()
                try:
                    return func(*a, **k)
                finally:
                    parts[name].append(time.perf_counter() - start)
            return wrapper
        issuing.render_pdf = timed("render", real_render)
        issuing.pades.sign_pdf_with_credential = timed("sign", real_sign)

        totals, pages = [], []
        for n, document_id in enumerate(ids):
            start = time.perf_counter()
            with issuing.issue_lock(), transaction(factory) as session:
                from docsys.models import Document
                document = session.get(Document, document_id)
                gerente = session.scalar(select(User).where(User.username == "gerente"))
                issuance = issuing.issue(session, settings, document, gerente)
            elapsed = time.perf_counter() - start
            if n == 0:
                parts = {"render": [], "sign": []}  # the first one warms caches up
                continue
            totals.append(elapsed)
            from pypdf import PdfReader
            import io
            pages.append(len(PdfReader(io.BytesIO(issuing.signed_pdf(settings, issuance))).pages))
        engine.dispose()
        drop_schema()

    ms = [t * 1000 for t in totals]
    print(f"database: {engine.dialect.name}; documents issued: {len(ms)}; "
          f"pages per signed PDF: {min(pages)}-{max(pages)} (signatures on the last)")
    print(f"issue end to end: p50={statistics.median(ms):.0f} ms  p95={percentile(ms, 0.95):.0f} ms"
          f"  max={max(ms):.0f} ms  (target < 1000 ms: "
          f"{'OK' if percentile(ms, 0.95) < 1000 else 'OVER TARGET'})")
    render = [t * 1000 for t in parts["render"]]
    sign = [t * 1000 for t in parts["sign"]]
    print(f"  render final PDF:   p50={statistics.median(render):.0f} ms")
    print(f"  each signature:     p50={statistics.median(sign):.0f} ms  "
          f"p95={percentile(sign, 0.95):.0f} ms  (target < 100 ms: "
          f"{'OK' if percentile(sign, 0.95) < 100 else 'OVER TARGET'})")
    print(f"throughput: {len(ms) / sum(totals):.2f} documents/s (one at a time, one process)")


if __name__ == "__main__":
    main()
