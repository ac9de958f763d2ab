"""A small generated archive for the demo: the earlier Megantoni norms that the demo's
drafts cite (the ROF ordinance, the 2023 delegation, the sanctions regime), as a text
PDF, a scan and Word documents, and one resolution whose number was left blank on paper,
so that `flask docsys demo` shows imported norms, OCR and the review queue."""
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
        "OM", 12, 2019, dt.date(2019, 5, 17), "Camisea",
        "ORDENANZA QUE APRUEBA EL REGLAMENTO DE ORGANIZACIÓN Y FUNCIONES (ROF) DE LA "
        "MUNICIPALIDAD DISTRITAL DE MEGANTONI"), "scan"),
    (specimens.SpecimenNorm(
        "RA", 145, 2023, dt.date(2023, 3, 13), "Camisea",
        "DELEGAR en el Gerente Municipal las atribuciones administrativas y resolutivas del "
        "Despacho de Alcaldía", (_C[0], _C[1], _C[3])), "pdf"),
    (specimens.SpecimenNorm(
        "OM", 8, 2021, dt.date(2021, 6, 28), "Camisea",
        "ORDENANZA QUE ESTABLECE EL RÉGIMEN DE APLICACIÓN DE SANCIONES ADMINISTRATIVAS Y EL "
        "CUADRO ÚNICO DE INFRACCIONES Y SANCIONES (CUIS)"), "docx"),
    (specimens.SpecimenNorm(
        "DA", 3, 2024, dt.date(2024, 2, 9), "Camisea",
        "APROBAR el cronograma de pago del impuesto predial y arbitrios municipales del "
        "ejercicio 2024", (_C[0], _C[3], _C[2].format(inf=27, year=2024))), "docx"),
    (specimens.SpecimenNorm(
        "RGM", 87, 2022, dt.date(2022, 8, 22), "Kepashiato",
        "APROBAR la liquidación técnica y financiera de la obra del puente peatonal de "
        "Kepashiato", (_C[0], _C[2].format(inf=131, year=2022)), number_legible=False), "pdf"),
]


def demo_files() -> list[tuple[str, bytes]]:
    """(file name, bytes) of the demo archive, the same bytes on every call."""
    render = {"pdf": specimens.to_pdf, "docx": specimens.to_docx, "scan": specimens.to_scan}
    files = []
    for norm, kind in DEMO_NORMS:
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
                for name, data in demo_files()]
    finish_batch(session_factory, batch_id)
    return {status: sum(o.status == status for o in outcomes)
            for status in ("imported", "duplicate", "failed")}
