"""A generated archive for the demo, imported through the real import service: a few
hand-picked norms as a text PDF, a scan (OCR) and Word documents, one resolution whose
number was left blank on paper (the review queue), and ``DEMO_ARCHIVE_SIZE`` generated
norms of 2019-2025 (default 120), so that search, the portal and compliance have an
archive to work on. The earlier norms the demo drafts cite, with their repeal and modify
relations, come from :mod:`docsys.compliance.demo`; none of these numbers repeats them."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from docsys.archive import specimens
from docsys.archive.service import ImportSettings, finish_batch, import_bytes, start_batch
from docsys.models import ImportBatch, User

DEMO_ARCHIVIST = "archivo.sg"
_C = specimens.CONSIDERANDOS
DEMO_NORMS = [
    (specimens.SpecimenNorm(
        "OM", 5, 2018, dt.date(2018, 4, 20), "Camisea",
        "ORDENANZA QUE REGULA EL USO DE LA VÍA PÚBLICA PARA EL COMERCIO EN LA CAPITAL DEL "
        "DISTRITO DE MEGANTONI"), "scan"),
    (specimens.SpecimenNorm(
        "RA", 210, 2022, dt.date(2022, 9, 5), "Camisea",
        "CONFORMAR el Comité de Seguridad y Salud en el Trabajo de la Municipalidad Distrital "
        "de Megantoni", (_C[0], _C[1], _C[3])), "pdf"),
    (specimens.SpecimenNorm(
        "OM", 7, 2017, dt.date(2017, 11, 30), "Camisea",
        "ORDENANZA QUE APRUEBA EL TEXTO ÚNICO DE PROCEDIMIENTOS ADMINISTRATIVOS (TUPA) DE LA "
        "MUNICIPALIDAD DISTRITAL DE MEGANTONI"), "docx"),
    (specimens.SpecimenNorm(
        "DA", 3, 2024, dt.date(2024, 2, 9), "Camisea",
        "APROBAR el cronograma de pago del impuesto predial y arbitrios municipales del "
        "ejercicio 2024", (_C[0], _C[3], _C[2].format(inf=27, year=2024))), "docx"),
    (specimens.SpecimenNorm(
        "RGM", 87, 2022, dt.date(2022, 8, 22), "Kepashiato",
        "APROBAR la liquidación técnica y financiera de la obra del puente peatonal de "
        "Kepashiato", (_C[0], _C[2].format(inf=131, year=2022)), number_legible=False), "pdf"),
]


DEFAULT_SIZE = 120
GENERATED_SEED = 2026


def generated_norms(size: int) -> list[tuple[specimens.SpecimenNorm, str]]:
    """``size`` generated norms (every third a DOCX, the rest text PDFs), none of them with
    the number of a hand-picked one or of the compliance demo's archive."""
    from docsys.compliance.demo_archive import ARCHIVE
    from search.numbers import number_key
    taken = {number_key(a["doc_type"], a["number"], int(a["date"][:4])) for a in ARCHIVE}
    taken |= {f"{n.doc_type}-{n.number}-{n.year}" for n, _ in DEMO_NORMS}
    chosen = []
    for norm in specimens.specimens(size + len(taken), seed=GENERATED_SEED):
        if f"{norm.doc_type}-{norm.number}-{norm.year}" not in taken and len(chosen) < size:
            chosen.append((norm, "docx" if len(chosen) % 3 == 2 else "pdf"))
    return chosen


def demo_files(size: int = DEFAULT_SIZE) -> list[tuple[str, bytes]]:
    """(file name, bytes) of the demo archive, the same bytes on every call."""
    render = {"pdf": specimens.to_pdf, "docx": specimens.to_docx, "scan": specimens.to_scan}
    files = []
    for norm, kind in DEMO_NORMS + generated_norms(size):
        extension = "docx" if kind == "docx" else "pdf"
        name = specimens.file_name(norm, extension)
        if kind == "scan":
            name = name.replace(".pdf", " (escaneado).pdf")
        if not norm.number_legible:
            name = f"{norm.doc_type} sin número {norm.year}.pdf"
        files.append((name, render[kind](norm)))
    return files


def import_demo_archive(session_factory: sessionmaker, config) -> dict:
    """Import the demo archive once, as the demo's archivist (nothing when it already was,
    or when the demo users are not loaded). Returns counts for the command line."""
    with session_factory() as session:
        done = session.scalar(select(ImportBatch.id).where(ImportBatch.source == "demo",
                                                           ImportBatch.finished_at.is_not(None)))
        actor_id = session.scalar(select(User.id).where(User.username == DEMO_ARCHIVIST))
    if done is not None or actor_id is None:
        return {"imported": 0, "duplicates": 0, "failed": 0}
    settings = ImportSettings.from_config(config)
    batch_id = start_batch(session_factory, actor_id, "demo", "Archivo de demostración")
    outcomes = [import_bytes(session_factory, settings, batch_id, actor_id, data, name)
                for name, data in demo_files(int(config.get("DEMO_ARCHIVE_SIZE", DEFAULT_SIZE)))]
    finish_batch(session_factory, batch_id)
    return {status: sum(o.status == status for o in outcomes)
            for status in ("imported", "duplicate", "failed")}
