"""Vistos buenos and issues end to end, through the services the web routes call.

Makes its own SQLite (or --postgres) database, the test users, a demo CA with certificates
sealed under the demo clave de firma, and N ~2-page resolutions with seeded text. Each is
sent to review and given its two vistos buenos through ``services.give_visto_bueno`` (the
first one renders the version's signing copy; each opens its holder's key with the clave
de firma and signs its field), approved, then issued one after another through
``services.issue`` (the authority's key opened with its clave, the copy's vistos buenos
checked, the number taken, the number/date/signer filled and FIRMA signed, stored,
committed). Prints p50/p95/max of each (targets: a V°B° signature under 200 ms, an issue
under 1 s), the split of the issue, and documents per second.

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

from docsys import holder_signing, issuing, migrate, services, workflow  # noqa: E402
from docsys import accounts  # noqa: E402
from docsys.config import PROJECT_ROOT, load_config  # noqa: E402
from docsys.db import make_engine, make_session_factory, transaction  # noqa: E402
from docsys.drafting import service  # noqa: E402
from docsys.models import User  # noqa: E402
from docsys.signing import pades  # noqa: E402
from docsys.signing.demo_setup import DEMO_SIGNING_SECRET, setup_demo_pki  # noqa: E402
from docsys.versions import latest_version, save_version  # noqa: E402

WORDS = ("municipalidad distrital megantoni gerencia expediente informe técnico presupuesto "
         "contratación obra comunidad nativa timpía camisea artículo numeral ley reglamento "
         "procedimiento administrativo servicio público transitabilidad vehicular").split()
USERS = [("redactor", "Rosa Quispe Huamán", "drafter", "GM", "Asistente"),
         ("asesor", "Carmen Rojas Villanueva", "legal", "GAJ", "Gerente de Asesoría Jurídica"),
         ("gerente", "Jorge Mendoza Salas", "signer", "GM", "Gerente Municipal")]


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def sent(session, rng, index) -> int:
    """A finished resolution sent to review."""
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
    return document.id


def give_vistos(factory, settings, document_id, timings) -> None:
    """Both vistos buenos through the service (as the review page), each timed; then the
    approval."""
    for username, key in (("asesor", "first"), ("gerente", "second")):
        session = factory()
        try:
            user = session.scalar(select(User).where(User.username == username))
            start = time.perf_counter()
            services.give_visto_bueno(session, settings, user, document_id,
                                      secret=DEMO_SIGNING_SECRET)
            timings[key].append(time.perf_counter() - start)
        finally:
            session.close()
    with transaction(factory) as session:
        asesor = session.scalar(select(User).where(User.username == "asesor"))
        services.transition(session, asesor, document_id, "aprobar")


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
            ids = [sent(session, rng, i) for i in range(args.documents + 1)]
        vistos: dict[str, list[float]] = {"first": [], "second": []}
        for document_id in ids:
            give_vistos(factory, settings, document_id, vistos)

        # Split the issue by timing the calls it makes.
        parts: dict[str, list[float]] = {"open": [], "check": [], "sign": []}

        def timed(name, func):
            def wrapper(*a, **k):
                start = time.perf_counter()
                try:
                    return func(*a, **k)
                finally:
                    parts[name].append(time.perf_counter() - start)
            return wrapper
        issuing.open_authority_credential = timed("open", issuing.open_authority_credential)  # type: ignore[method-assign]
        holder_signing.checked_copy = timed("check", holder_signing.checked_copy)
        pades.sign_pdf_with_credential = timed("sign", pades.sign_pdf_with_credential)

        real_issue = issuing.issue
        issue_in_lock: list[float] = []

        def locked_part(*a, **k):
            start = time.perf_counter()
            try:
                return real_issue(*a, **k)
            finally:
                issue_in_lock.append(time.perf_counter() - start)
        issuing.issue = locked_part  # type: ignore[assignment]

        totals, pages = [], []
        for n, document_id in enumerate(ids):
            session = factory()
            try:
                gerente = session.scalar(select(User).where(User.username == "gerente"))
                start = time.perf_counter()
                issuance = services.issue(session, settings, gerente, document_id,
                                          secret=DEMO_SIGNING_SECRET)
                elapsed = time.perf_counter() - start
            finally:
                session.close()
            if n == 0:
                parts = {key: [] for key in parts}  # the first one warms caches up
                issue_in_lock.clear()
                continue
            totals.append(elapsed)
            from pypdf import PdfReader
            import io
            pages.append(len(PdfReader(io.BytesIO(issuing.signed_pdf(settings, issuance))).pages))
        engine.dispose()
        drop_schema()

    def line(label, seconds, target=None):
        values = [t * 1000 for t in seconds]
        p95 = percentile(values, 0.95)
        verdict = "" if target is None else \
            f"  (target < {target} ms: {'OK' if p95 < target else 'OVER TARGET'})"
        print(f"{label:<44} p50={statistics.median(values):5.0f} ms  p95={p95:5.0f} ms  "
              f"max={max(values):5.0f} ms{verdict}")
    print(f"database: {engine.dialect.name}; documents: {len(ids)} (the first warms up)")
    line("V°B° signed, 1st of a version (renders copy)", vistos["first"][1:])
    line("V°B° signed, 2nd (on the existing copy)", vistos["second"][1:], 200)
    ms = [t * 1000 for t in totals]
    print(f"pages per signed PDF: {min(pages)}-{max(pages)} (signatures on the last)")
    line("issue end to end", totals, 1000)
    line("  open the authority's key (clave de firma)", parts["open"])
    line("  check the copy's vistos buenos", parts["check"])
    line("  fill number/date/signer + sign FIRMA", parts["sign"])
    line("  of which inside the issue lock", issue_in_lock)
    print(f"throughput: {len(ms) / sum(totals):.2f} documents/s (one at a time, one process)")


if __name__ == "__main__":
    main()
