"""Where an imported norm's text was taken from: the source a structured export names
(its front matter's ``source`` address, such as SPIJ's or El Peruano's), shown by its
name on the archive's and the portal's pages, and the reader of it for norms imported
before docsys kept it."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from docsys import blobs
from docsys.archive.frontmatter import read_structured
from docsys.errors import NotFound
from docsys.models import ArchivedNorm, SystemMarker

# The sources of Peruvian legal texts, by their web address's host name or the name it
# ends in (a ministry's own site, www.minam.gob.pe, is not the gob.pe platform):
# (host, short name as lawyers say it, full name).
KNOWN_SOURCES = (
    ("spij.minjus.gob.pe", "SPIJ", "Sistema Peruano de Información Jurídica (MINJUSDH)"),
    ("elperuano.pe", "El Peruano", "Diario Oficial El Peruano"),
    ("congreso.gob.pe", "Congreso", "Archivo Digital de la Legislación del Perú (Congreso)"),
    ("www.gob.pe", "gob.pe", "Plataforma digital única del Estado peruano"),
    ("lpderecho.pe", "LP", "LP Pasión por el Derecho"),
)
FILLED_MARKER = "archive.sources"   # SystemMarker: norms imported before were read once


@dataclass(frozen=True)
class TextSource:
    """The source of an imported text, as the archive's pages show it."""

    url: str
    name: str           # "SPIJ", "El Peruano", or the host of an unknown one
    full_name: str
    identifier: str | None


def text_source(norm: ArchivedNorm | None) -> TextSource | None:
    """``norm``'s source, or None when its file named none (a scanned PDF, a DOCX)."""
    if norm is None or not norm.source_url:
        return None
    host = (urlsplit(norm.source_url).hostname or "").lower()
    for known, name, full_name in KNOWN_SOURCES:
        if host == known or host.endswith("." + known):
            return TextSource(norm.source_url, name, full_name, norm.source_identifier)
    return TextSource(norm.source_url, host, host, norm.source_identifier)


def source_of(session: Session, document_id: int) -> TextSource | None:
    """The source of the text of the norm ``document_id`` (None when it was not imported
    from a file that names one)."""
    return sources_of(session, [document_id]).get(document_id)


def sources_of(session: Session, document_ids) -> dict[int, TextSource]:
    """The sources of several norms' texts at once, by document id (those that name one)."""
    ids = sorted({i for i in document_ids if i is not None})
    out: dict[int, TextSource] = {}
    for i in range(0, len(ids), 500):
        for norm in session.scalars(select(ArchivedNorm).where(
                ArchivedNorm.document_id.in_(ids[i:i + 500]),
                ArchivedNorm.source_url.is_not(None))):
            source = text_source(norm)
            if source is not None:
                out[norm.document_id] = source
    return out


def fill_earlier_sources(session: Session, blob_dir: str | Path) -> int:
    """Read the source of every norm imported from a structured file before docsys kept it
    (migration 0024), from its original; once per installation. Reads columns and writes
    with UPDATE, so an archive of any size is not loaded into memory. Returns how many
    norms gained one."""
    if session.get(SystemMarker, FILLED_MARKER) is not None:
        return 0
    filled = 0
    for norm_id, digest in session.execute(select(ArchivedNorm.id, ArchivedNorm.original_sha256)
                                           .where(ArchivedNorm.method == "txt",
                                                  ArchivedNorm.source_url.is_(None),
                                                  ArchivedNorm.source_identifier.is_(None))
                                           .order_by(ArchivedNorm.id)).all():
        try:
            text = blobs.get(blob_dir, digest).decode("utf-8", "replace")
        except NotFound:   # an original missing or damaged: ``docsys blobs verify`` says so
            continue
        structured = read_structured(text)    # None without a front matter
        meta = structured.metadata if structured is not None else None
        if meta is not None and (meta.source_url or meta.source_identifier):
            session.execute(update(ArchivedNorm).where(ArchivedNorm.id == norm_id).values(
                source_url=meta.source_url, source_identifier=meta.source_identifier))
            filled += 1
    session.add(SystemMarker(name=FILLED_MARKER, value="1"))
    return filled
