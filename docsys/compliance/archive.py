"""The archive's side of a check: which stored norm each citation points to, and what
happened to it since (repealed or modified, by which norm, from when).

The archive is every document with an official number: norms issued in docsys and norms
imported from the municipality's files. A citation is looked up by its archive key
(``documents.number_key``, indexed) and then told apart by its canonical id, so
"Resolución de Gerencia N° 021-2024-GDUR-MDM" does not match the 021-2024 of another
gerencia, nor an ordinance of another municipality ours.

A report names only the norms its reader may see (``visible_to``: the search layer's
``Visibility``, read against the documents table): a norm issued but not yet published is
not named to a drafter of another office.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Iterable

import re
import threading
import weakref

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from docsys import policy
from docsys.compliance.citations import Citation, archive_key_for, parse_norm_reference
from docsys.compliance.titles import TitleIndex
from docsys.models import Document, NormRelation, SourceRelation
from docsys.states import Status

NEAR_YEARS = 3            # a citation not found: the same number this many years around


@dataclass(frozen=True)
class ArchiveNorm:
    """What a report shows of a stored norm."""

    document_id: int
    number: str
    title: str
    doc_type: str
    legal_status: str
    issue_date: str | None
    published: bool
    canonical_id: str | None
    label: str = ""          # "Ordenanza Municipal N° 012-2019-MDM"

    def to_dict(self) -> dict:
        return asdict(self)


_COLUMNS = (Document.id, Document.official_number, Document.title, Document.doc_type,
            Document.legal_status, Document.issue_date, Document.status, Document.number_key)


@lru_cache(maxsize=50_000)
def _identity(doc_type: str, official_number: str | None, number_key: str | None):
    """(canonical id, label) of a stored norm; cached: numbers never change once issued."""
    ref = parse_norm_reference(official_number, doc_type) if official_number else None
    if ref is None:
        return (number_key if official_number else None), official_number or ""
    return ref.canonical_id, ref.canonical_label


def norm_canonical_id(document: Document) -> str | None:
    """The canonical id of a stored norm, read from its official number."""
    return _identity(document.doc_type, document.official_number, document.number_key)[0]


def _norm(row) -> ArchiveNorm:
    """From a row of ``_COLUMNS`` or a Document."""
    canonical, label = _identity(row.doc_type, row.official_number, row.number_key)
    return ArchiveNorm(document_id=row.id, number=row.official_number, title=row.title,
                       doc_type=row.doc_type, legal_status=row.legal_status or "vigente",
                       issue_date=row.issue_date, published=row.status == Status.PUBLISHED,
                       canonical_id=canonical, label=label)


def as_archive_norm(document: Document) -> ArchiveNorm:
    return _norm(document)      # a Document has every column _norm reads


@lru_cache(maxsize=50_000)
def _reference(doc_type: str, official_number: str) -> Citation | None:
    return parse_norm_reference(official_number, doc_type)


@dataclass(frozen=True)
class _HeldTitles:
    count: int           # archived norms
    last: int            # their highest id
    newest: object       # their latest created_at: another database's rows differ
    index: TitleIndex


_titles_lock = threading.Lock()
_titles: "weakref.WeakKeyDictionary[object, _HeldTitles]" = weakref.WeakKeyDictionary()


def title_index(session: Session) -> TitleIndex:
    """The archive's norms by title (docsys.compliance.titles), for the relation finder.
    Kept per database and grown with the norms added since (a norm's title is frozen once
    it is issued); built again when the archive changed otherwise (a draft issued under an
    older id, a norm removed, another database on the same engine)."""
    archived = Document.official_number.is_not(None)
    engine = session.get_bind().engine
    with _titles_lock:
        held = _titles.get(engine)
    # one query: the archive's size, its last id, its newest row, and the newest of the
    # rows the held index was built from (the same rows still there: it may grow)
    count, last, newest, newest_held = session.execute(select(
        func.count(Document.id), func.max(Document.id), func.max(Document.created_at),
        func.max(case((Document.id <= (held.last if held else 0), Document.created_at))))
        .where(archived)).one()
    count, last = int(count or 0), int(last or 0)
    if held is not None and (held.count, held.last, held.newest) == (count, last, newest):
        return held.index
    query = select(Document.id, Document.doc_type, Document.official_number, Document.title,
                   Document.issue_date).where(archived)
    rows = None
    if held is not None and held.last < last and held.count < count \
            and newest_held == held.newest:
        rows = session.execute(query.where(Document.id > held.last)).all()
        if held.count + len(rows) != count:
            rows = None
    grow = rows is not None
    if rows is None:
        rows = session.execute(query).all()
    norms = [(row.title, ref, row.issue_date) for row in rows
             if (ref := _reference(row.doc_type, row.official_number)) is not None]
    index = held.index.adding(norms) if grow and held is not None else TitleIndex(norms)
    with _titles_lock:
        _titles[engine] = _HeldTitles(count, last, newest, index)
    return index


def candidates_by_key(session: Session,
                      keys: Iterable[str | None]) -> dict[str, list[ArchiveNorm]]:
    """Stored norms filed under each of ``keys`` (``documents.number_key``); empty keys
    are skipped."""
    keys = sorted({k for k in keys if k})
    found: dict[str, list[ArchiveNorm]] = {}
    for i in range(0, len(keys), 500):
        rows = session.execute(select(*_COLUMNS).where(
            Document.number_key.in_(keys[i:i + 500]), Document.official_number.is_not(None)))
        for row in rows:
            found.setdefault(row.number_key, []).append(_norm(row))
    return found


def pick(citation_id: str, archive_key: str | None,
         candidates: list[ArchiveNorm]) -> ArchiveNorm | None:
    """The stored norm a citation names, among those filed under its archive key: the one
    with the same canonical id (the newest of several: a citation of "la Constitución"
    means the one in force); or the only one, when the citation gives no office or sector
    to tell them apart."""
    named = [norm for norm in candidates if norm.canonical_id == citation_id]
    if named:
        return max(named, key=lambda norm: (norm.issue_date or "", norm.document_id))
    if citation_id == archive_key and len(candidates) == 1:
        return candidates[0]
    return None


def find_norms(session: Session, citations: Iterable[Citation],
               visibility=None) -> dict[str, ArchiveNorm]:
    """canonical id -> stored norm, for the cited norms the archive holds and
    ``visibility`` lets see. A norm hidden from the reader is left out, as if the archive
    did not hold it: it is picked among all the candidates first, so hiding one never makes
    a citation point at another."""
    citations = list(citations)
    candidates = candidates_by_key(session, (c.archive_key for c in citations))
    found = {}
    for citation in citations:
        if citation.canonical_id in found or not citation.archive_key:
            continue
        norm = pick(citation.canonical_id, citation.archive_key,
                    candidates.get(citation.archive_key, []))
        if norm is not None:
            found[citation.canonical_id] = norm
    visible = visible_ids(session, (n.document_id for n in found.values()), visibility)
    return {cid: norm for cid, norm in found.items() if norm.document_id in visible}


def near_misses(session: Session, citations: Iterable[Citation],
                visibility=None) -> dict[str, list[ArchiveNorm]]:
    """For citations not found: stored norms ``visibility`` lets see, of the same type and
    number from a few years around (a wrong year is the usual slip), by canonical id."""
    keys = {}
    for c in citations:
        if not (c.archive_key and c.year):
            continue
        for year in range(c.year - NEAR_YEARS, c.year + NEAR_YEARS + 1):
            if year != c.year:
                keys[archive_key_for(c.kind, c.number, year)] = c.canonical_id
    out: dict[str, list[ArchiveNorm]] = {}
    for key, norms in candidates_by_key(session, keys).items():
        out.setdefault(keys[key], []).extend(norms)
    visible = visible_ids(session, (n.document_id for ns in out.values() for n in ns),
                          visibility)
    return {cid: sorted((n for n in norms if n.document_id in visible),
                        key=lambda n: n.issue_date or "")
            for cid, norms in out.items()}


visible_to = policy.visible_condition


def visible_documents(visibility):
    """``select(Document.id)`` of what ``visibility`` lets see, for ``IN`` conditions; None
    when it restricts nothing."""
    if visibility is None or visibility.all:
        return None
    return select(Document.id).where(visible_to(visibility))


def visible_ids(session: Session, document_ids: Iterable[int], visibility) -> set[int]:
    """Those of ``document_ids`` that ``visibility`` lets see."""
    ids = sorted({i for i in document_ids if i is not None})
    if visibility is None or visibility.all or not ids:
        return set(ids)
    out: set[int] = set()
    for i in range(0, len(ids), 500):
        out.update(session.scalars(select(Document.id).where(
            Document.id.in_(ids[i:i + 500]), visible_to(visibility))))
    return out


WHOLE_NORM_PART = "norma completa"   # the part stored for a source's note on the whole norm
_WHOLE_NORM = (WHOLE_NORM_PART, "ley", "decreto", "norma", "resolucion", "resolución",
               "la presente", "el presente", "el decreto", "la ley", "la resolución")


def whole_norm(part: str) -> bool:
    """Whether a source's note changed the whole norm (its ``part``), not a part of it."""
    return part.lower().strip(" .") in _WHOLE_NORM


def source_notes(session: Session, document_ids: Iterable[int]) -> dict[int, list[SourceRelation]]:
    """What the sources of imported texts record about these norms (SPIJ's notes:
    modified or repealed by ...), oldest first, by document id. Confirmed by the source,
    they are shown apart from docsys's relations, which the archive decides."""
    ids = sorted({i for i in document_ids if i is not None})
    out: dict[int, list[SourceRelation]] = {}
    for i in range(0, len(ids), 500):
        for note in session.scalars(select(SourceRelation).where(
                SourceRelation.document_id.in_(ids[i:i + 500]))):
            out.setdefault(note.document_id, []).append(note)
    for notes in out.values():
        notes.sort(key=lambda n: (n.effective_date or "", n.id))
    return out


def relation_scope(parts: Iterable[str]) -> str:
    """What a relation changed, in words: "el artículo 5", "los artículos 5, 6 y 7", "la
    Quinta Disposición Complementaria Final", or both joined. Articles are stored by their
    numbers ("20.6", "129-Q"); any other part as the text names it, with its article
    (relations.find_relations), so it holds a space."""
    parts = list(parts)
    articles = [p for p in parts if " " not in p]
    said = [p for p in parts if " " in p]
    if articles:
        said.insert(0, f"el artículo {articles[0]}" if len(articles) == 1 else
                    "los artículos " + _listed(articles))
    return _listed(said)


def _listed(items: list[str]) -> str:
    """"5", "5 y 6", "5, 6 y 7"."""
    return ", ".join(items[:-1]) + " y " + items[-1] if len(items) > 1 else "".join(items)


@dataclass(frozen=True)
class NoteLine:
    """What a source's notes say of one change (one norm, one act, one date), as one
    line: SPIJ and LP note each article a law changed, so LP's copy of Ley 27444 notes the
    Decreto Legislativo 1272 once per article, twenty-three times."""
    kind: str
    whole: bool                 # the whole norm, not a part of it
    scope: str                  # the parts named: "artículos I y 5; El numeral 5 del artículo 2"
    by_label: str
    by_canonical_id: str
    by_document_id: int | None
    effective_date: str | None

    @property
    def label(self) -> str:
        """"Derogada por", "Modificada en parte (artículos I y 5) por"."""
        verb = {"deroga": "Derogada", "modifica": "Modificada"}.get(self.kind,
                                                                   self.kind.capitalize())
        if self.whole:
            return f"{verb} por"
        return f"{verb} en parte" + (f" ({self.scope})" if self.scope else "") + " por"


def note_lines(notes: Iterable[SourceRelation]) -> list[NoteLine]:
    """``notes`` (oldest first) as lines, one per change, in the order of their first note;
    a whole-norm note is a line of its own."""
    groups: dict[tuple, list[SourceRelation]] = {}
    for note in notes:
        key = (note.kind, note.by_document_id or note.by_label, note.effective_date,
               whole_norm(note.part))
        groups.setdefault(key, []).append(note)
    return [NoteLine(kind, whole, "" if whole else _parts_said([m.part for m in members]),
                     members[0].by_label, members[0].by_canonical_id,
                     members[0].by_document_id, effective_date)
            for (kind, _, effective_date, whole), members in groups.items()]


_ARTICLE_PART = re.compile(r"Art[íi]culo (\S+)", re.IGNORECASE)


def _parts_said(parts: list[str]) -> str:
    """The parts the notes named, once each: "artículos 5 y 6; El numeral 5 del artículo 2";
    one article as the note wrote it ("Artículo 5"), a part it did not name ("Artículo")
    too."""
    parts = list(dict.fromkeys(p for p in parts if p))
    articles = [m[1] for p in parts if (m := _ARTICLE_PART.fullmatch(p))]
    said = [p for p in parts if not _ARTICLE_PART.fullmatch(p)]
    if len(articles) > 1:
        said.insert(0, "artículos " + _listed(articles))
    elif articles:
        said.insert(0, next(p for p in parts if _ARTICLE_PART.fullmatch(p)))
    return "; ".join(said)


def relations_affecting(session: Session, document_ids: Iterable[int],
                        statuses=("confirmada",)) -> dict[int, list[NormRelation]]:
    """Repeals, modifications and corrections (rectified, left without effect) of these
    norms, oldest first, by target document id."""
    ids = sorted(set(document_ids))
    out: dict[int, list[NormRelation]] = {}
    for i in range(0, len(ids), 500):
        rows = session.scalars(select(NormRelation).where(
            NormRelation.target_document_id.in_(ids[i:i + 500]),
            NormRelation.kind.in_(("deroga", "modifica", "rectifica", "deja_sin_efecto")),
            NormRelation.status.in_(statuses)))
        for relation in rows:
            target = relation.target_document_id
            if target is not None:      # always: selected by target id
                out.setdefault(target, []).append(relation)
    for relations in out.values():
        relations.sort(key=lambda r: (r.effective_date or "", r.id))
    return out
