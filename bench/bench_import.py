"""Import speed of the old archive (target: at least 20 files/s for text PDFs and DOCX) and
seconds per scanned page for OCR.

Generates its own seeded archive (demo.specimens: text PDFs rendered by
WeasyPrint, DOCX by python-docx, scans rasterised into image-only PDFs), then imports each
kind into a fresh database through the same function as `flask docsys import` (each file
its own transaction: read, hash, duplicate check, text, metadata, blob, norm, audit), and
finally indexes them. Prints files/s (import alone, and with the index caught up), text
extraction alone, and OCR seconds per page.
With --legalize N: imports N files (all: 0) of the legalize-pe sample of national norms
(Markdown with YAML front matter, read from ../shared/corpus/legalize-pe) and reports
files/s (target: at least 50 files/s), how many went to the review queue, and how many
relations the SPIJ notes gave; three ways in one run: the analysis inline, queued (the
queue's drain timed apart), and queued with the queue drained meanwhile by a worker
process (docsys.analysis_worker, as `flask docsys import` does): import plus analysis.
Run: .venv/bin/python bench/bench_import.py [--files 100] [--scans 3] [--postgres URL]
     .venv/bin/python bench/bench_import.py --legalize 0 [--rounds 2] [--postgres URL]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text  # noqa: E402

from demo import specimens  # noqa: E402
from docsys import accounts, migrate  # noqa: E402
from docsys.analysis_worker import AnalysisWorker  # noqa: E402
from docsys.archive import extract_file  # noqa: E402
from docsys.archive.service import ImportSettings, import_directory  # noqa: E402
from docsys.db import make_engine, make_session_factory, transaction  # noqa: E402
from docsys.compliance.norms import count_noted_proposals  # noqa: E402
from docsys.indexing import SearchService  # noqa: E402

OFFICES = {"A": "Alcaldía", "GM": "Gerencia Municipal", "SG": "Secretaría General",
           "GDUR": "Gerencia de Desarrollo Urbano y Rural"}


def make_archive(root: Path, files: int, scans: int, seed: int = 2026) -> dict[str, Path]:
    norms = specimens.specimens(2 * files + scans, seed=seed)
    folders = {}
    for kind, chunk in (("pdf", norms[:files]), ("docx", norms[files:2 * files]),
                        ("scan", norms[2 * files:])):
        folders[kind] = root / kind
        specimens.write_archive(folders[kind], chunk, [kind] * len(chunk))
    return folders


def extraction_rate(folder: Path) -> float:
    paths = sorted(folder.iterdir())
    start = time.perf_counter()
    for path in paths:
        extract_file(path)
    return len(paths) / (time.perf_counter() - start)


def fresh_database(postgres: str | None, tmp: Path):
    """A new, migrated database with the offices and an archivist: a SQLite file, or a
    schema of its own on ``postgres`` (dropped by ``drop``)."""
    url, drop = f"sqlite:///{tmp / f'bench-{uuid.uuid4().hex[:6]}.db'}", lambda: None
    if postgres:
        url, drop = postgres_schema(postgres)
    engine = make_engine(url)
    migrate.upgrade(engine)
    factory = make_session_factory(engine)
    with transaction(factory) as session:
        for code, name in OFFICES.items():
            accounts.ensure_office(session, code, name)
        user = accounts.create_user(session, "archivo.bench", "Mirador-Tamarindo-7291",
                                    "Archivo de medición", ["archivist"], office_code="SG")
        user_id = user.id
    return engine, factory, user_id, drop


def import_rate(folder: Path, postgres: str | None, tmp: Path) -> tuple[float, float, int, float]:
    """(files/s importing, files/s including the search index, files, seconds), each kind
    into a database of its own."""
    engine, factory, user_id, drop = fresh_database(postgres, tmp)
    try:
        settings = ImportSettings(blob_dir=str(tmp / "blobs" / uuid.uuid4().hex[:6]))
        start = time.perf_counter()
        summary = import_directory(factory, settings, folder, user_id)
        imported = time.perf_counter() - start
        search = SearchService({"SEARCH_DIR": str(tmp / f"index-{uuid.uuid4().hex[:6]}")},
                               factory, background=False)
        search.catch_up()
        total = time.perf_counter() - start
        search.close()
    finally:
        engine.dispose()
        drop()
    assert not summary.failed, [f.reason for f in summary.failed]
    count = len(summary.imported)
    return count / imported, count / total, count, imported


def postgres_schema(url: str):
    """The URL of a new schema on ``url``, and the function that drops it."""
    schema = "bench_" + uuid.uuid4().hex[:8]
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}", drop


class LockTimer:
    """Time spent inside the import's write transactions (docsys.archive.service's
    ``write_transaction``: on SQLite, while holding the database's write lock), wall and CPU
    of this process: what a process writing alongside (the analysis worker) waits on."""

    def __init__(self):
        self.wall = self.cpu = 0.0

    @contextmanager
    def installed(self):
        from docsys.archive import service
        original = service.write_transaction

        @contextmanager
        def timed(factory, resumable=False):
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                with original(factory, resumable) as session:
                    yield session
            finally:
                self.wall += time.perf_counter() - wall
                self.cpu += time.process_time() - cpu

        service.write_transaction = timed
        try:
            yield self
        finally:
            service.write_transaction = original


def legalize_rate(count: int, tmp: Path, rounds: int = 1, postgres: str | None = None) -> None:
    """Import ``count`` legalize-pe files (0: all) into fresh databases (SQLite files, or
    schemas on ``postgres``), three ways in
    the same run, alternating: the analysis of each norm inline in the import transaction
    (as before), and queued for after it (docsys.compliance.pending, the default), whose
    queue is then drained and timed on its own; and queued with a worker process draining
    the queue meanwhile (docsys.analysis_worker), timed until both ended."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import national_corpus
    from docsys.compliance import pending
    if not national_corpus.available():
        print(f"SKIP: corpus not found at {national_corpus.CORPUS}")
        return
    root = national_corpus.CORPUS / "pe"
    files = [(p.name, p) for p in sorted(root.glob("*.md"))]
    files = files[:count] if count else files
    print(f"legalize-pe en {'PostgreSQL' if postgres else 'SQLite'}; carga al empezar "
          f"{os.getloadavg()[0]:.1f} (2 núcleos)")
    for _ in range(rounds):
        for mode in ("inline", "queued", "worker"):
            engine, factory, user_id, drop = fresh_database(postgres, tmp)
            try:
                settings = ImportSettings(blob_dir=str(tmp / f"blobs-{uuid.uuid4().hex[:6]}"),
                                          defer_analysis=mode != "inline")
                load = os.getloadavg()[0]
                start, cpu = time.perf_counter(), time.process_time()
                worker = (AnalysisWorker.start(factory, files=[str(p) for _, p in files])
                          if mode == "worker" else None)
                lock = LockTimer()
                with lock.installed():
                    summary = import_directory(factory, settings, root, user_id, files=files)
                seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
                drained, drain_cpu = time.perf_counter(), time.process_time()
                if worker is not None:
                    result = worker.finish(helper=factory)
                    assert result.error is None, result.error
                    analysed = result.totals["analizadas"]
                    worker_cpu = result.cpu_seconds
                else:
                    analysed = pending.process(factory)["analizadas"] if mode == "queued" else 0
                drained = time.perf_counter() - drained
                drain_cpu = time.process_time() - drain_cpu
                with transaction(factory) as session:
                    noted = session.scalar(text("SELECT count(*) FROM source_relations"))
                    proposed = session.scalar(text("SELECT count(*) FROM norm_relations"))
                    decidable = session.scalar(text(
                        "SELECT count(*) FROM norm_relations WHERE target_document_id "
                        "IS NOT NULL"))
                    recorded = count_noted_proposals(session)
                    cited = session.scalar(text("SELECT count(*) FROM norm_citations"))
                    left = session.scalar(text("SELECT count(*) FROM pending_analyses"))
            finally:
                engine.dispose()
                drop()
            imported = summary.imported
            review = sum(f.needs_review for f in imported)
            counts = (f"importados {len(imported)}, a revisión {review}, fallidos "
                      f"{len(summary.failed)}, relaciones de las notas de la fuente {noted}, "
                      f"relaciones propuestas {proposed} ({decidable} sobre normas del "
                      f"archivo, {recorded} registradas por la fuente), citas {cited}, "
                      f"análisis pendientes "
                      f"{left}")
            files_n = len(summary.files)
            if mode == "worker":
                # The import and the worker's analysis at once: wall time until both ended;
                # CPU of this process and of the worker's (its start included).
                total, total_cpu = seconds + drained, cpu + drain_cpu + worker_cpu
                rate = files_n / total
                verdict = "OK" if rate >= 50 else "POR DEBAJO DEL OBJETIVO"
                print(f"legalize-pe (análisis en paralelo, un proceso de análisis): {files_n} "
                      f"archivos en {total:5.1f} s: importación más análisis {rate:6.1f} "
                      f"archivos/s {verdict}; {counts}")
                print(f"  carga de la máquina {load:.1f} (2 núcleos); importación sola "
                      f"{seconds:5.1f} s, análisis restante {drained:5.1f} s; CPU "
                      f"{total_cpu:5.1f} s (importación {cpu + drain_cpu:5.1f} s, análisis "
                      f"{worker_cpu:5.1f} s): {files_n / total_cpu:6.1f} archivos por segundo "
                      f"de CPU; {analysed} normas analizadas")
                continue
            rate = files_n / seconds
            verdict = "OK" if rate >= 50 else "POR DEBAJO DEL OBJETIVO"
            label = "análisis en cola" if mode == "queued" else "análisis en línea"
            print(f"legalize-pe ({label}): {files_n} archivos en {seconds:5.1f} s: "
                  f"{rate:6.1f} archivos/s {verdict}; {counts}")
            # Other processes share the machine: the CPU time of this one tells what an idle
            # core would do (waits for the disk are not in it).
            print(f"  carga de la máquina {load:.1f} (2 núcleos); CPU de este proceso "
                  f"{cpu:5.1f} s: {files_n / cpu:6.1f} archivos por segundo de CPU")
            if mode == "queued":
                print(f"  importación dentro de sus transacciones de escritura: "
                      f"{lock.wall:5.1f} s, CPU {lock.cpu:5.1f} s "
                      f"({100 * lock.cpu / cpu:3.0f} % de su CPU)")
            if mode == "queued":
                total = seconds + drained
                print(f"  cola de análisis: {analysed} normas en {drained:5.1f} s "
                      f"({analysed / drained if drained else 0:6.1f} normas/s; CPU "
                      f"{drain_cpu:5.1f} s: {analysed / drain_cpu if drain_cpu else 0:6.1f} "
                      f"normas por segundo de CPU); importación más análisis: "
                      f"{files_n / total:6.1f} archivos/s, "
                      f"{files_n / (cpu + drain_cpu):6.1f} archivos por segundo "
                      f"de CPU")
    print(f"  carga al terminar {os.getloadavg()[0]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--legalize", type=int, default=None,
                        help="import this many legalize-pe files (0: all) instead")
    parser.add_argument("--rounds", type=int, default=1,
                        help="with --legalize: how many times to alternate the two ways")
    parser.add_argument("--files", type=int, default=100, help="text PDFs, and as many DOCX")
    parser.add_argument("--scans", type=int, default=3, help="scanned one-page PDFs (OCR)")
    parser.add_argument("--postgres", help="also measure on this PostgreSQL URL")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="docsys-bench-import-") as tmp_name:
        tmp = Path(tmp_name)
        if args.legalize is not None:
            legalize_rate(args.legalize, tmp, args.rounds, args.postgres)
            return
        started = time.perf_counter()
        folders = make_archive(tmp / "archivo", args.files, args.scans)
        print(f"Archivo generado: {args.files} PDF con texto, {args.files} DOCX, "
              f"{args.scans} escaneos ({time.perf_counter() - started:.1f} s)")
        for kind in ("pdf", "docx"):
            print(f"  extracción de texto {kind.upper():5}: {extraction_rate(folders[kind]):7.1f} archivos/s")
        targets = [("SQLite", None)]
        if args.postgres:
            targets.append(("PostgreSQL", args.postgres))
        for label, url in targets:
            print(f"Importación completa en {label} (objetivo: >= 20 archivos/s):")
            for kind in ("pdf", "docx"):
                rate, with_index, count, seconds = import_rate(folders[kind], url, tmp)
                verdict = "OK" if rate >= 20 else "POR DEBAJO DEL OBJETIVO"
                print(f"  {kind.upper():5} {count} archivos en {seconds:5.2f} s: {rate:6.1f} archivos/s"
                      f" ({with_index:6.1f} con el índice al día)  {verdict}")
            if args.scans:
                _, _, count, seconds = import_rate(folders["scan"], url, tmp)
                print(f"  OCR   {count} páginas escaneadas en {seconds:5.2f} s: "
                      f"{seconds / count:5.2f} s por página")


if __name__ == "__main__":
    main()
