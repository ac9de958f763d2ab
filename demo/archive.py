"""A generated archive for the demo, imported through the real import service: a few
hand-picked norms (``demo/data/archive.yaml``) as a text PDF, a scan (OCR) and Word
documents, one resolution whose number was left blank on paper (the review queue), and
``DEMO_ARCHIVE_SIZE`` generated norms of 2019-2025 (default 120), so that search, the
portal and compliance have an archive to work on. The earlier norms the demo drafts cite,
with their repeal and modify relations, come from :mod:`demo.compliance`; none of these
numbers repeats them."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from demo import specimens
from demo.loader import data
from docsys.archive.service import ImportSettings, finish_batch, import_bytes, start_batch
from docsys.models import ImportBatch, User

DEMO_ARCHIVIST = "archivo.sg"
DEFAULT_SIZE = 120
GENERATED_SEED = 2026


def demo_norms() -> list[tuple[specimens.SpecimenNorm, str]]:
    """The hand-picked norms of ``demo/data/archive.yaml`` and how each is rendered
    ("pdf", "docx" or "scan")."""
    norms = []
    for spec in data("archive")["norms"]:
        kind = spec.pop("kind")
        spec["considerandos"] = tuple(spec.get("considerandos", ()))
        norms.append((specimens.SpecimenNorm(**spec), kind))
    return norms


def generated_norms(size: int) -> list[tuple[specimens.SpecimenNorm, str]]:
    """``size`` generated norms (every third a DOCX, the rest text PDFs), none of them with
    the number of a hand-picked one or of the compliance demo's archive."""
    from search.numbers import number_key
    taken = {number_key(a["doc_type"], a["number"], int(a["date"][:4]))
             for a in data("compliance_norms")["norms"]}
    taken |= {f"{n.doc_type}-{n.number}-{n.year}" for n, _ in demo_norms()}
    chosen = []
    for norm in specimens.specimens(size + len(taken), seed=GENERATED_SEED):
        if f"{norm.doc_type}-{norm.number}-{norm.year}" not in taken and len(chosen) < size:
            chosen.append((norm, "docx" if len(chosen) % 3 == 2 else "pdf"))
    return chosen


def demo_files(size: int = DEFAULT_SIZE) -> list[tuple[str, bytes]]:
    """(file name, bytes) of the demo archive, the same bytes on every call."""
    render = {"pdf": specimens.to_pdf, "docx": specimens.to_docx, "scan": specimens.to_scan}
    files = []
    for norm, kind in demo_norms() + generated_norms(size):
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
    outcomes = [import_bytes(session_factory, settings, batch_id, actor_id, content, name)
                for name, content in demo_files(int(config.get("DEMO_ARCHIVE_SIZE", DEFAULT_SIZE)))]
    finish_batch(session_factory, batch_id)
    return {status: sum(o.status == status for o in outcomes)
            for status in ("imported", "duplicate", "failed")}
