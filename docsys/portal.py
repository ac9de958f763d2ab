"""The public portal's view of the archive: published norms only, each at a permanent
address made of its type, year and number (``/normas/rgm/2026/45``).

Framework-free: the web layer turns these lookups into pages. A norm's address comes from
its ``number_key`` ("RGM-45-2026", see :mod:`search.numbers`), so the same address works for
norms issued in docsys and for norms imported into the archive. Laws and legislative
decrees are numbered without a year ("LEY-30341"): their address takes the year they were
given (``/normas/ley/2015/30341``). A type given without a number (the Constitution) is
found by its registry's portal slug and its year (``/normas/constitucion/1993``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from docsys.errors import NotFound
from docsys.models import Document
from docsys.states import Status
from docsys.compliance.archive import note_lines, relation_scope
from docsys.compliance.norms import RELATION_LABELS, norm_links
from docsys.paging import Paging
from docsys.models import ArchivedNorm
from search.numbers import NO_YEAR_TYPES, key_sector, number_keys
from search.registry import registry

PUBLIC_STATUS = Status.PUBLISHED
LEGAL_STATUS_LABELS = {"vigente": "Vigente", "modificada": "Modificada", "derogada": "Derogada",
                       "rectificada": "Rectificada", "sin_efecto": "Sin efecto"}
_KEY = re.compile(r"^(?P<type>[A-Z]+)-(?P<number>\d+)(?:-(?P<year>\d{4}))?$")


@dataclass(frozen=True)
class NormAddress:
    """The parts of a norm's permanent address; ``sector`` ("JUS") tells apart the
    national norms numbered per sector that share a number and year (``?sector=JUS``)."""

    tipo: str
    anio: int
    numero: int | None     # None: a type given without a number, ``tipo`` its portal slug
    sector: str | None = None

    def as_args(self) -> dict:
        args: dict = {"tipo": self.tipo, "anio": self.anio}
        if self.numero is not None:
            args["numero"] = self.numero
        if self.sector:
            args["sector"] = self.sector
        return args

    @property
    def yearless(self) -> bool:
        """A type numbered without the year (laws): the address's year is the issue's."""
        return self.tipo.upper() in NO_YEAR_TYPES

    @property
    def number_key(self) -> str | None:
        if self.numero is None:
            return None
        if self.yearless:
            return f"{self.tipo.upper()}-{self.numero}"
        return f"{self.tipo.upper()}-{self.numero}-{self.anio}"


def _address(number_key: str | None, issue_date: str | None, doc_type: str | None = None,
             official_number: str | None = None) -> NormAddress | None:
    match = _KEY.match(number_key or "")
    if match is None:   # no number, or a single norm's key (Document.is_single_norm)
        return (_unnumbered_address(doc_type, issue_date)
                if not number_key or number_key == doc_type else None)
    year = match["year"] or (issue_date or "")[:4]
    if not year.isdigit() or (match["year"] is None
                              and match["type"] not in NO_YEAR_TYPES):
        return None
    return NormAddress(match["type"].lower(), int(year), int(match["number"]),
                       sector_of(doc_type, official_number, int(year)))


def _unnumbered_address(doc_type: str | None, issue_date: str | None) -> NormAddress | None:
    """The address of a norm of a type given without a number (the Constitution): its
    type's portal slug and its year."""
    info = registry().get(doc_type or "")
    year = (issue_date or "")[:4]
    if info is None or not info.unnumbered or not info.portal_slug \
            or not year.isdigit():
        return None
    return NormAddress(info.portal_slug, int(year), None)


def _unnumbered_types(slug: str) -> list[str]:
    """The codes of the types given without a number whose portal slug is ``slug``."""
    return [t.code for t in registry().types
            if t.unnumbered and t.portal_slug == slug]


def sector_of(doc_type: str | None, official_number: str | None,
              year: int | None = None) -> str | None:
    """The issuing sector of a national norm numbered per sector ("JUS" for "Decreto
    Supremo N° 004-2019-JUS"), as search keys it; None for the others."""
    info = registry().get(doc_type or "")
    if info is None or info.municipal or not info.has_sector or not official_number:
        return None
    keys = number_keys(doc_type or "", official_number, year)
    return key_sector(keys[0], keys[1]) if len(keys) == 2 else None


def address_of(document: Document) -> NormAddress | None:
    """The permanent address of a numbered norm (None for drafts, and for a law whose
    date is unknown)."""
    return _address(document.number_key, document.issue_date, document.doc_type,
                    document.official_number)


def published_norms(session: Session, address: NormAddress) -> list[Document]:
    """The published norms at an address: usually one; a Resolución de Gerencia number can
    repeat across gerencias, so the page lists them when there are several."""
    if address.numero is None:   # a type given without a number: all of that year
        codes = _unnumbered_types(address.tipo)
        if not codes:
            return []
        return list(session.scalars(select(Document).where(
            Document.doc_type.in_(codes),
            Document.issue_date.like(f"{address.anio:04d}-%"),
            Document.status == PUBLIC_STATUS).order_by(Document.id)))
    if not re.fullmatch(r"[a-z]{1,10}", address.tipo or ""):
        return []
    found = select(Document).where(Document.number_key == address.number_key,
                                   Document.status == PUBLIC_STATUS)
    if address.yearless:   # the year of the address is the law's
        found = found.where(Document.issue_date.like(f"{address.anio:04d}-%"))
    return list(session.scalars(found.order_by(Document.id)))


def find_published(session: Session, address: NormAddress, office: str | None = None,
                   document_id: int | None = None) -> list[Document]:
    """The published norms at an address (narrowed to one office, or to the address's
    sector, when given; to one document for a type given without a number, whose norms of
    a year share their address); NotFound when there is none."""
    norms = published_norms(session, address)
    if document_id is not None and address.numero is None:
        norms = [d for d in norms if d.id == document_id]
    if office:
        norms = [d for d in norms if d.office and d.office.code.lower() == office.lower()]
    if address.sector:
        norms = [d for d in norms if (sector_of(d.doc_type, d.official_number, address.anio)
                                      or "").lower() == address.sector.lower()]
    if not norms:
        raise NotFound("No hay una norma publicada de ese tipo en ese año. Verifique el tipo y "
                       "el año, o búsquela en el portal." if address.numero is None else
                       "No hay una norma publicada con ese número. Verifique el tipo, el año y "
                       "el número, o búsquela en el portal.")
    return norms


def addresses_by_id(session: Session, document_ids) -> dict[int, NormAddress]:
    """Addresses of many documents at once (for a page of search results)."""
    ids = list(document_ids)
    if not ids:
        return {}
    rows = session.execute(select(Document.id, Document.number_key, Document.issue_date,
                                  Document.doc_type, Document.official_number)
                           .where(Document.id.in_(ids), Document.status == PUBLIC_STATUS))
    result = {}
    for document_id, key, issue_date, doc_type, official_number in rows:
        address = _address(key, issue_date, doc_type, official_number)
        if address is not None:
            result[document_id] = address
    return result


@dataclass(frozen=True)
class PublicLink:
    """One line of a norm's public relations: a text and, when the other norm is published,
    its portal address."""

    text: str
    number: str | None      # a document's official number (a column that may be empty)
    address: NormAddress | None
    note: str = ""


@dataclass(frozen=True)
class PublicRelations:
    affected_by: list[PublicLink]   # confirmed repeals / modifications of this norm
    cites: list[PublicLink]
    cited_by: list[PublicLink]      # one page of the published norms that cite it
    affects: list[PublicLink]       # what this norm repealed or modified (confirmed)
    cited_by_paging: Paging = Paging(0)


def _scope(relation) -> str:
    return relation_scope(relation.articles)


_PASSIVE = {"deroga": "Derogada por", "modifica": "Modificada por",
            "reglamenta": "Reglamentada por", "rectifica": "Rectificada por",
            "deja_sin_efecto": "Sin efecto por"}


def _since(date) -> str:
    text = str(date or "")
    return f"desde el {text[8:10]}/{text[5:7]}/{text[:4]}" if len(text) >= 10 else ""


def public_relations(session: Session, document: Document,
                     cited_by_page: int = 1) -> PublicRelations:
    """What the portal shows of a norm's links: only confirmed relations, and addresses
    only for published norms (nothing internal is revealed to the public); page
    ``cited_by_page`` of the published norms that cite it."""
    links = norm_links(session, document, cited_by_page=cited_by_page, published_only=True)
    confirmed_by = [r for r in links.affected_by if r.status == "confirmada"]
    confirmed = [r for r in links.affects if r.status == "confirmada"]
    noted = [n for n in links.noted_by   # a source's note, unless confirmed here too
             if (n.kind, n.by_document_id) not in {(r.kind, r.source_document_id)
                                                    for r in confirmed_by}]
    ids = ({r.source_document_id for r in confirmed_by}
           | {n.by_document_id for n in noted if n.by_document_id}
           | {c.match.document_id for c in links.cites if c.match}
           | {n.document_id for n in links.cited_by}
           | {r.target_document_id for r in confirmed if r.target_document_id})
    addresses = addresses_by_id(session, ids)
    noted_from = ("según las notas de su texto"
                  + (f" ({links.source.name})" if links.source is not None else ""))
    affected_by = [PublicLink(_PASSIVE[r.kind], r.source.official_number,
                              addresses.get(r.source_document_id),
                              ", ".join(filter(None, [_scope(r), _since(r.effective_date)])))
                   for r in confirmed_by if r.source_document_id in addresses]
    affected_by += [PublicLink(n.label, n.by_label, addresses.get(n.by_document_id)
                               if n.by_document_id else None,
                               ", ".join(filter(None, [_since(n.effective_date),
                                                       noted_from])))
                    for n in note_lines(noted)]
    cites = [PublicLink("", c.match.number if c.match and c.match.document_id in addresses
                        else c.label,
                        addresses.get(c.match.document_id) if c.match else None,
                        f"art. {', '.join(c.articles)}" if c.articles else "")
             for c in links.cites]
    cited_by = [PublicLink(n.title, n.number, addresses[n.document_id])
                for n in links.cited_by if n.document_id in addresses]
    affects = []
    for r in confirmed:
        target = r.target if r.target_document_id in addresses else None
        affects.append(PublicLink(RELATION_LABELS[r.kind],
                                  target.official_number if target is not None
                                  else r.target_label,
                                  addresses[target.id] if target is not None else None,
                                  _scope(r)))
    return PublicRelations(affected_by, cites, cited_by, affects, links.cited_by.paging)


def archived_original(session: Session, document: Document):
    """The original file of a norm imported into the archive (None for norms issued here)."""
    return session.scalar(select(ArchivedNorm).where(ArchivedNorm.document_id == document.id))
