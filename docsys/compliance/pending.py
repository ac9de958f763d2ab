"""Analyses left for after a bulk import (the import's own outbox).

Reading a norm's citations and proposing its relations costs about as much CPU as the
rest of its import. A bulk import (``flask docsys import`` of a structured export, read by
the thousand) therefore commits, with each norm, a ``PendingAnalysis`` row instead of the
analysis; ``process`` reads them afterwards, a group per transaction, and deletes each row
in the transaction that stores its analysis. A run killed at any point loses nothing: the
rows left are analysed by the next ``process`` (the next import, or ``flask docsys
compliance analyze --pendientes``), and pages say meanwhile that the analysis is pending.
A failed analysis stays queued with its error, retried up to ``MAX_ATTEMPTS`` times.
"""
from __future__ import annotations

import logging
from typing import Callable, Sequence

from sqlalchemy import and_, delete, func, select
from sqlalchemy.orm import Session, lazyload, sessionmaker

from docsys.archive.norms import ORIGIN, norm_text
from docsys.compliance.archive import norm_canonical_id, title_index
from docsys.compliance.norms import (TextReading, analyze_norm,  # deletes the norm's queued rows
                                     read_norm_text)
from docsys.compliance.titles import NamedNorm, TitleIndex
from docsys.db import read_only_transactions, transaction, write_transactions
from docsys.compliance.relations import RULES_REVISION
from docsys.models import (Document, DocumentVersion, NormRelation, PendingAnalysis,
                           SystemMarker)
from search.numbers import EXTRACTOR_REVISION

log = logging.getLogger("docsys.compliance")
BATCH_SIZE = 50
MAX_ATTEMPTS = 3
# The readers an analysis is made with: numbers and citations, then clauses and notes.
ANALYSIS_REVISION = f"{EXTRACTOR_REVISION} relaciones {RULES_REVISION}"
READERS_MARKER = "analysis_revision"


def enqueue(session: Session, document_id: int) -> None:
    """Ask for ``document_id`` to be analysed once the caller's transaction commits."""
    session.add(PendingAnalysis(document_id=int(document_id), last_error=""))


def queue_if_readers_changed(session: Session) -> int:
    """After an upgrade whose readers of citations or relations read differently: queue
    every norm of the archive for its analysis again (what is stored was read by the old
    ones; proposals already made and the archivist's decisions are kept, see
    ``analyze_norm``), and remember the readers' revision. Returns how many norms were
    queued: none when the revision is the one remembered, or the archive is empty."""
    marker = session.get(SystemMarker, READERS_MARKER)
    if marker is not None and marker.value == ANALYSIS_REVISION:
        return 0
    queued = set(session.scalars(select(PendingAnalysis.document_id)))
    ids = [i for i in session.scalars(select(Document.id).where(
        Document.official_number.is_not(None)).order_by(Document.id)) if i not in queued]
    session.add_all([PendingAnalysis(document_id=i, last_error="") for i in ids])
    if marker is None:
        session.add(SystemMarker(name=READERS_MARKER, value=ANALYSIS_REVISION))
    else:
        marker.value = ANALYSIS_REVISION
    return len(ids)


def is_pending(session: Session, document_id: int) -> bool:
    return session.scalar(select(PendingAnalysis.id).where(
        PendingAnalysis.document_id == document_id).limit(1)) is not None


def count(session: Session) -> int:
    """Norms waiting for their analysis (failed ones included)."""
    return int(session.scalar(select(func.count(func.distinct(PendingAnalysis.document_id)))) or 0)


def process(session_factory: sessionmaker, *, batch_size: int = BATCH_SIZE,
            progress: Callable[[int], object] | None = None,
            passed: set[int] | None = None,
            until: Callable[[], bool] | None = None,
            newest_first: bool = False,
            coming: Sequence[NamedNorm] = ()) -> dict:
    """Analyse the queued norms, oldest first (so a repeal meets the norm it names), one
    transaction per ``batch_size`` rows. Returns counts: analysed, failed (left queued).

    Each group's texts are read in a read-only transaction and analysed outside any
    transaction (the CPU); only storing them takes the write lock, so an import writing
    meanwhile (docsys.analysis_worker) waits for the stores alone. A row is analysed in
    the transaction that deletes it: a row another consumer took, or that failed, is
    left to that consumer or to the next run (``passed``: the ids left so far, kept
    across calls by a caller that calls again). ``until``: stop between groups when true.
    ``newest_first``: a second consumer helping the first one (which goes oldest first)
    from the other end, never retrying a row that failed (that is the first one's), so
    the two meet once and share at most a group's reading. ``coming``: the norms an import
    running meanwhile is yet to store, by title (docsys.analysis_worker.coming_titles),
    looked for too when a clause names a norm by its title."""
    totals = {"analizadas": 0, "fallidas": 0}
    passed = set() if passed is None else passed
    grown = _Grown(coming)
    while until is None or not until():
        with read_only_transactions(), transaction(session_factory) as session:
            waiting = list(session.scalars(
                select(PendingAnalysis.id).where(
                    PendingAnalysis.attempts < (1 if newest_first else MAX_ATTEMPTS),
                    PendingAnalysis.id.not_in(passed))
                .order_by(PendingAnalysis.id.desc() if newest_first else PendingAnalysis.id)
                .limit(batch_size)))
            if not waiting:
                return totals
            titles = grown.of(title_index(session))
            readings = _read(_prefetch(session, list(session.scalars(
                select(PendingAnalysis.document_id)
                .where(PendingAnalysis.id.in_(waiting))))), titles)
        with write_transactions(), transaction(session_factory) as session:
            rows = list(session.scalars(
                select(PendingAnalysis).where(PendingAnalysis.id.in_(waiting),
                                              PendingAnalysis.attempts < MAX_ATTEMPTS)
                .order_by(PendingAnalysis.id.desc() if newest_first else PendingAnalysis.id)
                .with_for_update(skip_locked=True)))   # PostgreSQL: two consumers never share
            # Left to another consumer: the rows it took (locked or already analysed).
            passed.update(set(waiting) - {row.id for row in rows})
            loaded = _prefetch(session, [row.document_id for row in rows])
            # which of them have relations of their own (to withdraw a stale one): one
            # query for the group, not one a norm
            proposing = set(session.scalars(select(NormRelation.source_document_id).where(
                NormRelation.source_document_id.in_([row.document_id for row in rows]))
                .distinct()))
            for row in rows:
                if _analyse(session, row, loaded, readings.get(row.document_id),
                            row.document_id in proposing):
                    totals["analizadas"] += 1
                else:
                    totals["fallidas"] += 1
                    passed.add(row.id)   # retried by the next run, not again in this one
        if progress is not None:
            progress(len(rows))
    return totals


class _Grown:
    """The archive's title index with the ``coming`` norms added, made again only when
    the archive's own index changed (a group of the import committed)."""

    def __init__(self, coming: Sequence[NamedNorm]):
        self.coming = coming
        self._base: TitleIndex | None = None
        self._grown: TitleIndex | None = None

    def of(self, base: TitleIndex) -> TitleIndex:
        if not self.coming:
            return base
        if base is not self._base or self._grown is None:
            self._base, self._grown = base, base.adding(self.coming)
        return self._grown


def _read(loaded: dict[int, tuple[Document, str | None]],
          titles: TitleIndex | None = None) -> dict[int, TextReading]:
    """The texts of a group read (``read_norm_text``), outside any transaction; a norm
    whose text cannot be read here is read again, and fails, where it is stored.
    ``titles``: the archive's norms by title (``archive.title_index``)."""
    readings = {}
    for document_id, (document, text) in loaded.items():
        if document.official_number and text is not None:
            try:
                readings[document_id] = read_norm_text(
                    text, norm_canonical_id(document),
                    titles.until(document.issue_date) if titles is not None else None)
            except Exception:   # noqa: BLE001 - its failure is recorded by _analyse
                continue
    return readings


def _prefetch(session: Session, document_ids: list[int]
              ) -> dict[int, tuple[Document, str | None]]:
    """Load a group's documents in one query (their columns only: the analysis reads no
    office, user or template) and their archived texts in another: (document, text) by id
    (held here: the session's identity map alone would let them go)."""
    ids = sorted(set(document_ids))
    documents = session.scalars(select(Document).where(Document.id.in_(ids))
                                .options(lazyload("*"))).all()
    contents: dict[int, dict] = dict(session.execute(
        select(DocumentVersion.document_id, DocumentVersion.content)
        .join(Document, and_(Document.id == DocumentVersion.document_id,
                             Document.latest_version == DocumentVersion.number))
        .where(Document.id.in_(ids), Document.origin == ORIGIN)).all())
    return {d.id: (d, _text_from(d, contents.get(d.id))) for d in documents}


def _archived_text(session: Session, document: Document) -> str | None:
    """An imported norm's text as it was imported (its "texto" sections), the text the
    import would have analysed; None (the text as it prints) for any other document."""
    if document.origin != ORIGIN or not document.latest_version:
        return None
    return _text_from(document, session.scalar(select(DocumentVersion.content).where(
        DocumentVersion.document_id == document.id,
        DocumentVersion.number == document.latest_version)))


def _text_from(document: Document, content: dict | None) -> str | None:
    """``_archived_text`` from the latest version's content, already read."""
    if document.origin != ORIGIN or not document.latest_version:
        return None
    return norm_text(content) if content else None


def _analyse(session: Session, row: PendingAnalysis,
             loaded: dict[int, tuple[Document, str | None]],
             reading: TextReading | None = None, proposed_before: bool | None = None) -> bool:
    document, text = loaded.get(row.document_id, (None, None))
    try:
        with session.begin_nested():
            if document is not None and document.official_number:
                analyze_norm(session, document, text, reading=reading,
                             proposed_before=proposed_before)
            else:  # no number (yet): analysed when the archivist confirms it
                session.execute(delete(PendingAnalysis).where(
                    PendingAnalysis.document_id == row.document_id))
        return True
    except Exception as exc:
        log.exception("Compliance analysis failed for document %s", row.document_id)
        row.attempts += 1
        row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        return False
