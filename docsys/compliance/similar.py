"""Norms of the archive on the same subject as a text: possible duplicates or conflicts.

The search backend ranks the archive by likeness (``more_like_this``: the text's most
significant words); the database then gives each candidate's text, and the passages the
two share word for word are shown as evidence. The words that most candidates share with
the text (the same legal boilerplate: "Que, el artículo 194 de la Constitución ...") are
common: a passage made of them is marked so and shown only when nothing more telling is
found, and a norm's overlap counts only the text's own words, so a norm that repeats the
text is a likely duplicate however much boilerplate the two also share.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from docsys.compliance.archive import ArchiveNorm, as_archive_norm, visible_ids
from docsys.compliance.passages import MIN_WORDS, Run, Words, common_runs
from docsys.compliance.text import document_text
from docsys.models import Document, DocumentVersion

NORM_STATUSES = ("vigente", "rectificada", "modificada", "derogada", "sin_efecto")
PASSAGES_PER_NORM = 3
DUPLICATE_SHARE = 0.5    # a norm sharing this share of the text's words is a likely duplicate


@dataclass(frozen=True)
class Passage:
    text: str            # in the archive norm
    checked_text: str    # the same words in the text checked
    words: int
    common: bool = False  # shared with most of the other candidates too (boilerplate)

    def to_dict(self) -> dict:
        return {"text": self.text, "checked_text": self.checked_text, "words": self.words,
                "common": self.common}


@dataclass
class SimilarNorm:
    norm: ArchiveNorm
    score: float
    overlap: float    # share of the text's own words (not boilerplate) found in this norm
    passages: list[Passage] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {**self.norm.to_dict(), "score": round(self.score, 4),
                "overlap": round(self.overlap, 3),
                "passages": [p.to_dict() for p in self.passages]}


def _texts(session: Session, document_ids: list[int]) -> dict[int, tuple[Document, str]]:
    documents = {d.id: d for d in session.scalars(
        select(Document).where(Document.id.in_(document_ids)))}
    latest = select(DocumentVersion.document_id, DocumentVersion.content).join(
        Document, and_(Document.id == DocumentVersion.document_id,
                       Document.latest_version == DocumentVersion.number)
    ).where(Document.id.in_(document_ids))
    contents: dict[int, dict] = {doc_id: content
                                 for doc_id, content in session.execute(latest).all()}
    return {i: (d, document_text(d, contents.get(i) or {})) for i, d in documents.items()}


def similar_norms(session: Session, backend, text: str, *, visibility, limit: int = 5,
                  exclude_document_ids=()) -> list[SimilarNorm]:
    """The ``limit`` archive norms most like ``text``, best first, with shared passages.
    Raises the backend's SearchError when the index cannot be searched."""
    hits = backend.more_like_this(text, visibility=visibility, limit=limit,
                                  statuses=NORM_STATUSES,
                                  exclude_document_ids=exclude_document_ids)
    if not hits:
        return []
    # The database is the truth: an index that has not caught up yet shows nothing more.
    visible = visible_ids(session, [h.document_id for h in hits], visibility)
    stored = _texts(session, sorted(visible))
    checked = Words.of(text)
    found = []
    for hit in hits:
        if hit.document_id not in stored:
            continue                    # deleted since it was indexed, or not to be seen
        document, norm_text = stored[hit.document_id]
        if not document.official_number:
            continue
        norm_words = Words.of(norm_text)
        found.append((hit, document, norm_words, common_runs(checked, norm_words)))
    common = _common_words(len(checked.words), [runs for *_, runs in found])
    own_words = common.count(False)
    out = []
    for hit, document, norm_words, runs in found:
        marked, shared_own = [], 0
        for run in runs:
            inner = _trim(run, common)
            own = sum(1 for i in range(inner.a, inner.a + inner.words) if not common[i])
            shared_own += own
            marked.append((inner, False) if own >= MIN_WORDS else (run, True))
        chosen = sorted(marked, key=lambda rc: (rc[1], -rc[0].words))[:PASSAGES_PER_NORM]
        out.append(SimilarNorm(
            norm=as_archive_norm(document), score=float(hit.score or 0.0),
            overlap=shared_own / own_words if own_words else 0.0,
            passages=[Passage(norm_words.snippet(r.b, r.words), checked.snippet(r.a, r.words),
                              r.words, is_common) for r, is_common in chosen]))
    return out


def _common_words(total: int, all_runs: list[list[Run]]) -> list[bool]:
    """For each word of the checked text: is it shared with most candidates (the legal
    boilerplate every norm repeats)? Needs three candidates to tell; fewer, none is."""
    if len(all_runs) < 3:
        return [False] * total
    threshold = max(2, (len(all_runs) * 3 + 4) // 5)
    counts = [0] * total
    for runs in all_runs:
        for run in runs:
            for i in range(run.a, run.a + run.words):
                counts[i] += 1
    return [c >= threshold for c in counts]


def _trim(run: Run, common: list[bool]) -> Run:
    """``run`` without the common words at either end (the same words in both texts)."""
    start, end = run.a, run.a + run.words
    while start < end and common[start]:
        start += 1
    while end > start and common[end - 1]:
        end -= 1
    return Run(start, run.b + (start - run.a), end - start)


__all__ = ["MIN_WORDS", "NORM_STATUSES", "DUPLICATE_SHARE", "Passage", "SimilarNorm",
           "similar_norms"]
