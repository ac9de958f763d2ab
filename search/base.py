"""The data that crosses the search interface: indexed documents, visibility, results."""
from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from datetime import date as Date
from typing import Any, Iterable, Mapping

from search.numbers import (extract_number_keys, normalize_type, number_key, number_keys,
                            yearless_key)

STATUSES = ("vigente", "rectificada", "modificada", "derogada", "sin_efecto", "borrador")
# The filters offered as facets with counts (dates are faceted by year).
FACET_FIELDS = ("doc_type", "year", "office", "status", "signer")

# Pagination. Deep pages are capped the same way on every backend (Elasticsearch refuses
# from+size beyond 10,000 by default): "afine la búsqueda" instead of page 5,000.
MAX_PER_PAGE = 100
MAX_RESULT_WINDOW = 10_000

# More-like-this (similar norms): the text is read up to MLT_MAX_CHARS; the MLT_MAX_TERMS
# most significant words (tf-idf) of at least MLT_MIN_WORD_LENGTH letters make the query;
# words found in more than MLT_MAX_DOC_SHARE of the entries say nothing about a subject.
MLT_MAX_CHARS = 100_000
MLT_MAX_TERMS = 30
MLT_MIN_WORD_LENGTH = 3
MLT_MAX_DOC_SHARE = 0.3


class SearchError(Exception):
    """A search problem with a Spanish message fit to show the user."""


class SearchUnavailable(SearchError):
    """The index cannot be reached or locked right now; try again later."""


class RebuildInProgress(SearchError):
    """Another rebuild of the same index is running."""


@dataclass
class SearchDoc:
    """One entry of the index: a document at one version.

    ``number_key`` is derived from ``doc_type`` + ``number`` (+ ``year``) when left empty.
    """

    id: str
    document_id: int
    version_number: int
    doc_type: str
    title: str
    body: str = ""
    number: str = ""
    number_key: str = ""
    year: int | None = None
    date: str | None = None
    office: str = ""
    status: str = "borrador"
    published: bool = False
    signer: str = ""
    created_by: int | None = None
    # Keys of the norms the body cites, when the caller already has them (docsys stores
    # them with each version); None: found in the body when indexed.
    body_cites: tuple[str, ...] | None = None

    @classmethod
    def coerce(cls, value: "SearchDoc | Mapping[str, Any]") -> "SearchDoc":
        if isinstance(value, SearchDoc):
            return value
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in value.items() if k in names})

    def as_dict(self) -> dict[str, Any]:
        # Every field is a str, int, bool or None: a shallow copy is a full one (and
        # dataclasses.asdict's deep copy weighed on every entry of a rebuild).
        return dict(self.__dict__)

    def normalized(self) -> "SearchDoc":
        """A copy with derived fields filled and values in their canonical form."""
        d = self.as_dict()
        d["id"] = str(self.id)
        d["document_id"] = int(self.document_id)
        d["version_number"] = int(self.version_number or 0)
        d["doc_type"] = normalize_type(self.doc_type or "")
        d["title"] = self.title or ""
        d["body"] = self.body or ""
        d["number"] = self.number or ""
        if isinstance(self.date, Date):
            d["date"] = self.date.isoformat()[:10]
        elif self.date:
            d["date"] = str(self.date)[:10]
            Date.fromisoformat(d["date"])  # reject malformed dates at the door
        else:
            d["date"] = None
        year = self.year
        if year is None and d["date"]:
            year = int(d["date"][:4])
        d["year"] = int(year) if year is not None else None
        d["office"] = (self.office or "").strip().upper()
        d["status"] = (self.status or "borrador").strip().lower()
        d["published"] = bool(self.published)
        d["signer"] = self.signer or ""
        d["created_by"] = int(self.created_by) if self.created_by is not None else None
        if self.body_cites is not None:
            d["body_cites"] = tuple(self.body_cites)
        if not self.number_key:
            d["number_key"] = number_key(d["doc_type"], d["number"], d["year"])
        return SearchDoc(**d)

    def number_keys(self) -> list[str]:
        """Every key the document is found by: its number key, the same without its year
        (a yearly number typed without it: ``search.numbers.yearless_key``), and last the
        key with its sector for national norms numbered per sector
        (``search.numbers.number_keys``)."""
        if not self.number_key:
            return []
        keys = [self.number_key]
        plain = yearless_key(self.number_key)   # "RM 148" typed without its year
        if plain:
            keys.append(plain)
        # the key with the sector last (search.fitting reads it there)
        return keys + [k for k in number_keys(self.doc_type, self.number, self.year)
                       if k != self.number_key]

    def cited_keys(self) -> list[str]:
        """Keys of the norms this document cites (its own number excluded, with its
        sector too: a decree's text that repeats its heading does not cite itself)."""
        keys = extract_number_keys(self.title)
        keys.update(extract_number_keys(self.body) if self.body_cites is None
                    else self.body_cites)
        keys.discard(self.number_key)
        keys.difference_update(self.number_keys())
        return sorted(keys)


def search_id(document_id: int) -> str:
    """The conventional index id of a document: one entry per document, its latest version."""
    return f"doc-{int(document_id)}"


@dataclass(frozen=True)
class Visibility:
    """Who is searching. Exactly one of three shapes:

    - ``Visibility.everything()``: no restriction (archivists, administrators, the CLI);
    - ``Visibility.public()``: published norms only (the public portal);
    - ``Visibility.for_user(offices, user_id)``: published norms, plus every document of
      the given offices, plus the documents the user created.
    """

    all: bool = False
    published_only: bool = False
    offices: tuple[str, ...] = ()
    user_id: int | None = None

    @classmethod
    def everything(cls) -> "Visibility":
        return cls(all=True)

    @classmethod
    def public(cls) -> "Visibility":
        return cls(published_only=True)

    @classmethod
    def for_user(cls, offices: Iterable[str], user_id: int | None) -> "Visibility":
        return cls(offices=tuple(sorted({o.strip().upper() for o in offices if o})),
                   user_id=user_id)

    def allows(self, doc: SearchDoc) -> bool:
        """The rule itself, in Python: what the backends' filters must agree with."""
        if self.all:
            return True
        if doc.published:
            return True
        if self.published_only:
            return False
        if doc.office and doc.office.upper() in self.offices:
            return True
        return self.user_id is not None and doc.created_by == self.user_id


@dataclass
class Hit:
    id: str
    document_id: int
    version_number: int
    number: str
    title: str
    title_html: str           # the title, HTML-escaped, matched words in <mark>
    doc_type: str
    year: int | None
    date: str | None
    status: str
    office: str
    signer: str
    published: bool
    score: float | None       # None when sorted by date
    snippets: list[str] = field(default_factory=list)  # escaped HTML with <mark>


@dataclass  # not slotted: orjson writes a slotted dataclass seven times slower
class FacetValue:
    value: str
    count: int


@dataclass
class SearchResults:
    hits: list[Hit]
    total: int
    page: int
    per_page: int
    pages: int
    sort: str
    facets: dict[str, list[FacetValue]]
    warnings: list[str]
    query: Any = None           # the parsed QueryTree

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


@dataclass(frozen=True)
class Page:
    page: int
    per_page: int
    offset: int
    warnings: tuple[str, ...]


def plan_page(page: Any, per_page: Any) -> Page:
    """Validate the requested page before searching: page < 1 reads as 1, per_page is kept
    within 1..100, and nothing beyond the first 10,000 results is served."""
    warnings: list[str] = []
    try:
        per = int(per_page)
    except (TypeError, ValueError):
        per = 20
    if per < 1 or per > MAX_PER_PAGE:
        per = min(max(per, 1), MAX_PER_PAGE)
    try:
        p = int(page)
    except (TypeError, ValueError):
        p = 1
        warnings.append("El número de página no es válido; se muestra la primera.")
    if p < 1:
        p = 1
        warnings.append("El número de página no es válido; se muestra la primera.")
    last_allowed = max(1, MAX_RESULT_WINDOW // per)
    if p > last_allowed:
        warnings.append(
            f"Solo se pueden recorrer los primeros {MAX_RESULT_WINDOW:,} resultados"
            .replace(",", " ") + "; afine la búsqueda con más palabras o filtros.")
        p = last_allowed
    return Page(p, per, (p - 1) * per, tuple(warnings))


def page_count(total: int, per_page: int) -> int:
    reachable = min(total, MAX_RESULT_WINDOW)
    return max(1, math.ceil(reachable / per_page))


def clamp_warning(requested: int, last: int) -> str:
    return (f"La página {requested} no existe: hay {last} "
            f"{'página' if last == 1 else 'páginas'} de resultados; se muestra la última.")


def order_buckets(name: str, buckets: Iterable[Mapping[str, Any]]) -> list[FacetValue]:
    """The values of a facet as the page shows them, from an engine's terms buckets
    (``{"key": ..., "doc_count": ...}``, distinct keys): years newest first, every other
    facet by count, then value; empty values and zero counts left out. It runs for five
    facets of up to FACET_SIZE values on every search: one sort, on a tuple key."""
    if name == "year":
        years = [(str(b["key"]), b["doc_count"]) for b in buckets]
        years.sort(key=_newest_first)
        return [FacetValue(k, c) for k, c in years if c > 0 and k]
    items = [(-b["doc_count"], str(b["key"])) for b in buckets]
    items.sort()  # count (descending), then value
    return [FacetValue(k, -c) for c, k in items if c < 0 and k]


def _newest_first(item: tuple[str, int]) -> tuple[int, str]:
    year = item[0]
    return (-int(year) if year.lstrip("-").isdigit() else 0, year)
