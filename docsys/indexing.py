"""docsys' side of the search index: what a document looks like to the index, who may
see what, and the background consumer that keeps the index in step with the database.

The ``search`` package knows nothing about docsys' models; this module maps them. The
database stays the source of truth: the index is filled from the outbox after commit and
can always be rebuilt (``flask docsys reindex``).
"""
from __future__ import annotations

import logging
import threading
import time
from contextvars import ContextVar
from typing import Any, Callable, Iterator, Sequence

import inspect

import orjson
from sqlalchemy import Connection, Text, and_, bindparam, cast, func, select
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session, sessionmaker

from docsys.drafting.structure import plain_text
from docsys.states import CLOSED, SIGNED, Origin, Status
from docsys.models import Document, DocumentVersion, Issuance, Office, SearchOutbox, User
from search import SearchBackend, SearchDoc, SearchError, get_backend, search_id
from search.base import SearchResults, plan_page
from search.markup import without_markdown
from search.numbers import EXTRACTOR_REVISION, extract_number_keys
from docsys.db import read_only_transactions, scalar
from docsys.outbox import pending, process_outbox, reindex_all
from docsys import events
from docsys.outbox import REINDEXING

log = logging.getLogger("docsys.search")

NORM_STATUSES = SIGNED
POLL_SECONDS = 30.0  # the consumer also wakes on every commit that queued something
# Another consumer (a process sharing the database) held the outbox when this one woke: it
# may have found the outbox empty just before this process's commit, so this one tries
# again soon rather than at the next poll.
BUSY_RETRY_SECONDS = 0.5


def search_status(document: Document) -> str:
    """The status a searcher filters on: a norm's legal status, or "borrador" until issued
    (a norm imported from the archive is a norm even while its number awaits confirmation)."""
    return _status(document.official_number, document.origin, document.legal_status)


def _status(official_number: str | None, origin: str, legal_status: str | None) -> str:
    if official_number or origin == Origin.IMPORTED:
        return legal_status or "vigente"
    return Status.DRAFT.value


def to_search_doc(document: Document, version: DocumentVersion | None,
                  signer: str = "") -> SearchDoc:
    return _entry(document.id, document.doc_type, document.title, document.status,
                  document.official_number, document.issue_date, document.updated_at,
                  document.legal_status, document.origin, document.created_by_id,
                  document.office.code if document.office else None,
                  version.number if version is not None else None,
                  version.content if version is not None else None, signer,
                  version.cited_keys if version is not None else None,
                  version.cited_keys_rev if version is not None else None)


def _entry(document_id, doc_type, title, status, official_number, issue_date, updated_at,
           legal_status, origin, created_by_id, office_code, version_number, content,
           signer, cited_keys=None, cited_keys_rev=None) -> SearchDoc:
    """The index entry of a document, from its columns (one place for both paths: the
    ORM objects of ``to_search_doc`` and the rows of ``load_docs``/``iter_docs``). The
    version's stored citations are used when the current extractor found them; otherwise
    the engine finds them in the text. ``content`` may come as its JSON text (the rebuild
    reads it so: decoding it here is about half the cost of the column's own type)."""
    if isinstance(content, (str, bytes)):
        content = orjson.loads(content)
    body = plain_text(content or {})
    if origin == Origin.IMPORTED:   # the open data's Markdown: its words, not its markup
        body = without_markdown(body)
    return SearchDoc(
        id=search_id(document_id), document_id=document_id,
        version_number=version_number if version_number is not None else 0,
        doc_type=doc_type, title=title, body=body,
        number=official_number or "", date=issue_date or updated_at.date().isoformat(),
        office=office_code or "", status=_status(official_number, origin, legal_status),
        published=status == Status.PUBLISHED, signer=signer or "", created_by=created_by_id,
        body_cites=(tuple(cited_keys.split()) if cited_keys is not None
                    and cited_keys_rev == EXTRACTOR_REVISION else None))


def version_citations(content: dict | None) -> str:
    """The keys of the norms a version's text cites, as stored in
    ``DocumentVersion.cited_keys`` (space-separated, sorted)."""
    return " ".join(sorted(extract_number_keys(plain_text(content or {}))))


def _store_citations(_mapper, _connection, version: DocumentVersion) -> None:
    """Find a new version's citations as it is written (versions never change after), so a
    rebuild of the index reads them instead of every text."""
    if version.cited_keys is None or version.cited_keys_rev != EXTRACTOR_REVISION:
        version.cited_keys = version_citations(version.content)
        version.cited_keys_rev = EXTRACTOR_REVISION


def install_version_hooks() -> None:
    """Store each new version's citations (idempotent; docsys.subscribers installs it)."""
    if not sa_event.contains(DocumentVersion, "before_insert", _store_citations):
        sa_event.listen(DocumentVersion, "before_insert", _store_citations)


# What an index entry needs, in one query: the document, its office, its latest version
# and its signer (a document is issued at most once). Plain rows rather than ORM objects:
# loading a Document joins four more tables and builds objects the index never uses,
# which made a rebuild several times slower than the engine.
_ENTRY_COLUMNS = (
    select(Document.id.label("document_id"), Document.doc_type, Document.title,
           Document.status, Document.official_number, Document.issue_date,
           Document.updated_at, Document.legal_status, Document.origin,
           Document.created_by_id, Office.code.label("office_code"),
           DocumentVersion.number.label("version_number"),
           cast(DocumentVersion.content, Text).label("content"),
           User.full_name.label("signer"), DocumentVersion.cited_keys,
           DocumentVersion.cited_keys_rev)
    .outerjoin(Office, Office.id == Document.office_id)
    .outerjoin(DocumentVersion, and_(DocumentVersion.document_id == Document.id,
                                     DocumentVersion.number == Document.latest_version))
    .outerjoin(Issuance, Issuance.document_id == Document.id)
    .outerjoin(User, User.id == Issuance.signer_id))

# Rows are passed to ``_entry`` by position (``_row_entry``: a mapping per row weighed on
# every entry of a rebuild); the columns' labels are its parameters, in order.
if [c.name for c in _ENTRY_COLUMNS.selected_columns] != list(inspect.signature(_entry).parameters):
    raise RuntimeError("_ENTRY_COLUMNS and _entry disagree")


def _row_entry(row: Any) -> SearchDoc:
    return _entry(*row)


REBUILD_BATCH = 500   # documents read from the database at a time during a rebuild


def load_docs(session: Session, document_ids: Sequence[int]) -> list[SearchDoc]:
    """The index entries of these documents (a deleted or discarded document is simply left
    out, so it leaves the index)."""
    if not document_ids:
        return []
    rows = session.execute(_ENTRY_COLUMNS.where(Document.id.in_(list(document_ids)),
                                               Document.status.not_in(CLOSED))
                           .order_by(Document.id))
    return [_row_entry(row) for row in rows]


def iter_docs(session: Session, batch: int = REBUILD_BATCH) -> Iterator[SearchDoc]:
    """Every document, streamed in batches of ``batch`` by id (for a rebuild): at most one
    batch of rows is held at a time, whatever the size of the archive."""
    last_id = 0
    while True:
        rows = session.execute(_ENTRY_COLUMNS.where(Document.id > last_id,
                                                   Document.status.not_in(CLOSED))
                               .order_by(Document.id).limit(batch)).all()
        if not rows:
            return
        last_id = rows[-1][0]
        for row in rows:
            yield _row_entry(row)
        del rows


def count_docs(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Document)) or 0)


REBUILDING_WARNING = "El índice se está reconstruyendo: resultados incompletos."
CATCHING_UP_WARNING = ("El índice aún está incorporando los cambios más recientes: "
                       "puede que falten en los resultados.")
FRESH_WAIT = 2.0        # seconds a search waits for changes committed before it (default of
                        # the setting SEARCH_FRESH_WAIT)
OWN_WRITES_WAIT = 15.0  # ... and for its own user's saves (SEARCH_OWN_WRITES_WAIT): under heavy
                        # load the index can lag more than FRESH_WAIT, and an author must
                        # find what they just saved
_FRESH_POLL = 0.02

# Whether this request's search may miss changes saved before it (the wait ran out).
_stale: ContextVar[bool] = ContextVar("docsys_search_stale", default=False)
# The newest outbox row one user queued (built once: it runs before every search).
_OWN_PENDING = select(func.max(SearchOutbox.id)).where(
    SearchOutbox.actor_id == bindparam("actor"))


def _own_pending(upto: int, user_id: int):
    """The first outbox row up to ``upto`` for a document whose latest version ``user_id``
    saved (what that user just wrote and waits to find)."""
    return (select(SearchOutbox.id)
            .join(Document, Document.id == SearchOutbox.document_id)
            .join(DocumentVersion, and_(DocumentVersion.document_id == Document.id,
                                        DocumentVersion.number == Document.latest_version))
            .where(SearchOutbox.id <= upto, DocumentVersion.author_id == user_id).limit(1))


class _HealingBackend:
    """What callers search through: the live backend, whose failures start a repair in
    the background instead of reaching the user, and whose results say when they are
    incomplete (``warnings``, and ``rebuilding`` for the API)."""

    def __init__(self, service: "SearchService"):
        self._service = service

    def __getattr__(self, name):
        return getattr(self._service.live_backend(), name)

    def _flag(self, results):
        incomplete = self._service.incomplete()
        if incomplete and REBUILDING_WARNING not in results.warnings:
            results.warnings.append(REBUILDING_WARNING)
        elif _stale.get() and CATCHING_UP_WARNING not in results.warnings:
            results.warnings.append(CATCHING_UP_WARNING)
        results.rebuilding = incomplete
        return results

    def search(self, query, **kwargs):
        try:
            results = self._service.live_backend().search(query, **kwargs)
        except SearchError:
            raise  # the user's query: a clear message, not damage
        except Exception as exc:
            self._service.heal(f"la búsqueda falló ({type(exc).__name__}: {exc})")
            page = plan_page(kwargs.get("page", 1), kwargs.get("per_page", 20))
            results = SearchResults(hits=[], total=0, page=page.page,
                                    per_page=page.per_page, pages=0,
                                    sort=str(kwargs.get("sort", "relevance")), facets={},
                                    warnings=[])
        return self._flag(results)

    def more_like_this(self, text, **kwargs):
        try:
            return self._service.live_backend().more_like_this(text, **kwargs)
        except SearchError:
            raise
        except Exception as exc:
            self._service.heal(f"la búsqueda de similares falló ({type(exc).__name__})")
            return []


class SearchService:
    """The index of one application: its backend, a consumer thread woken by commits, and
    the repair of a lost or damaged index (rebuilt in the background while searches go on,
    flagged as incomplete)."""

    def __init__(self, config, session_factory: sessionmaker, background: bool = True):
        self.config = config
        self.session_factory = session_factory
        self.background = background
        self._backend: SearchBackend | None = None
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._healer: threading.Thread | None = None
        self._stopping = False
        self._rebuild_checked = False
        self.rebuilding = False
        self.started = False
        self.last_damage: str | None = None

    def live_backend(self):
        with self._lock:
            if self._backend is None:
                self._backend = get_backend(self.config)
            return self._backend

    @property
    def backend(self):
        """The backend to search (see ``_HealingBackend``)."""
        return _HealingBackend(self)

    def catch_up(self, on_busy: Callable[[], None] | None = None) -> int:
        """Index whatever the outbox holds (never raises; failed rows stay for later).
        ``on_busy()``: called when another consumer holds the outbox."""
        return process_outbox(self.session_factory, self.live_backend(), load_docs,
                              on_busy=on_busy)

    def pending(self) -> int:
        return pending(self.session_factory)

    def start(self) -> None:
        """When a serving process starts: check the index and apply the queued changes, in
        the background (a CLI command does it itself, see ``ensure_fresh``)."""
        self.started = True
        if self.background:
            self._rebuild_checked = True
            self.notify()

    def ensure_fresh(self, session: Session | Connection | None = None,
                     user_id: int | None = None, everyone: bool = False) -> None:
        """Before a search: make sure changes committed before it are in the index, so that
        a user always finds what they just saved. Never waits for a rebuild.

        With the background consumer running, a search by a user waits only for that user's
        own changes (nobody else's pending work delays it; with none pending it does not
        wait at all), and for those up to OWN_WRITES_WAIT. Without one (the CLI, tests), the
        search itself applies everything queued, waiting at most FRESH_WAIT, and up to
        OWN_WRITES_WAIT while some left are ``user_id``'s own saves. ``everyone``: wait for
        every user's changes (a compliance check reads the norms others just issued).
        ``session``: the request's session, or a plain connection, to read the outbox in."""
        _stale.set(False)
        try:
            if not self._rebuild_checked:
                self._rebuild_checked = True
                if self.background:
                    self.notify()  # the consumer thread checks and rebuilds; no one waits
                else:
                    self.rebuild_if_needed()
            if self.incomplete():  # no search waits for a rebuild, here or elsewhere
                return
            problem = self._damage()
            if problem is not None:
                self.heal(problem)  # searches go on, flagged, on the new index
                return
            own = user_id if self.background and self.started and not everyone else None
            if not self._wait_for_outbox(session, own, user_id):
                _stale.set(True)
        except Exception:  # the search still runs on what the index has
            log.exception("No se pudo actualizar el índice antes de buscar.")

    def _wait_for_outbox(self, session: Session | Connection | None,
                         actor_id: int | None = None,
                         user_id: int | None = None) -> bool:
        """Apply or wait for every outbox row committed before now (only ``actor_id``'s, if
        given); False if it took longer than FRESH_WAIT (the search goes on, flagged). Past
        FRESH_WAIT it keeps waiting, up to OWN_WRITES_WAIT, while a row left is the user's
        own: queued by ``actor_id``, or a change to a document whose latest version
        ``user_id`` saved. The search then sees its author's writes, others' maybe not."""
        table = SearchOutbox.__tablename__
        if session is not None:
            upto = (scalar(session, f"SELECT max(id) FROM {table}") if actor_id is None
                    else scalar(session, _OWN_PENDING, {"actor": int(actor_id)}))
        else:
            with read_only_transactions(), self.session_factory() as fresh:
                newest = select(func.max(SearchOutbox.id))
                if actor_id is not None:
                    newest = newest.where(SearchOutbox.actor_id == actor_id)
                upto = fresh.scalar(newest)
        if upto is None:
            return True
        started = time.monotonic()
        deadline = started + float(self.config.get("SEARCH_FRESH_WAIT", FRESH_WAIT))
        own_deadline = started + float(self.config.get("SEARCH_OWN_WRITES_WAIT",
                                                       OWN_WRITES_WAIT))
        while True:
            self.catch_up()  # returns at once when another consumer holds the lock
            left = select(SearchOutbox.id).where(SearchOutbox.id <= upto)
            if actor_id is not None:
                left = left.where(SearchOutbox.actor_id == actor_id)
            with read_only_transactions(), self.session_factory() as fresh:
                waiting = fresh.scalar(left.limit(1))
                now = time.monotonic()
                late = now >= deadline
                own = waiting is not None and late and (
                    actor_id is not None or (user_id is not None and fresh.scalar(
                        _own_pending(upto, user_id)) is not None))
            if waiting is None or self.incomplete() or now >= own_deadline or \
                    (late and not own):
                # Rows were applied since this search began, maybe by another process: the
                # reader must see that commit (its own change check can miss one).
                refresh = getattr(self._backend, "refresh", None)
                if refresh is not None:
                    refresh()
                if waiting is None:
                    return True
                log.warning("La búsqueda no esperó a la cola de indexación (fila %s).", waiting)
                return False
            self._wake.set()
            time.sleep(_FRESH_POLL if not late else 5 * _FRESH_POLL)

    def incomplete(self) -> bool:
        """Whether the live index is being rebuilt, by this process or by another one (its
        live generation is still marked as waiting for a rebuild): searches say so."""
        if self.rebuilding:
            return True
        backend = self._backend
        try:
            return bool(backend is not None and backend.needs_rebuild)
        except Exception:  # a damaged index: reported by index_problem
            return False

    def index_problem(self) -> str | None:
        """Why the index cannot serve complete results now (None: it can)."""
        if self.incomplete():
            return "el índice se está reconstruyendo"
        return self._damage()

    def _damage(self) -> str | None:
        """Why the open index can no longer serve (its folder or generation removed)."""
        backend = self._backend
        damage = getattr(backend, "damage", None) if backend is not None else None
        return damage() if damage is not None else None

    def heal(self, problem: str) -> None:
        """Replace a lost or damaged index: searches at once use a new (empty, growing) one,
        flagged as incomplete, while a background thread rebuilds it from the database."""
        with self._lock:
            if self.rebuilding:
                return
            self.rebuilding = True
            self.last_damage = problem
            log.error("Índice de búsqueda dañado o perdido (%s): se reconstruye.", problem)
            old, self._backend = self._backend, None
        try:
            if old is not None:
                old.close()
        except Exception:
            log.exception("No se pudo cerrar el índice dañado.")
        self._healer = threading.Thread(target=self._rebuild_in_background,
                                        name="docsys-search-healer", daemon=True)
        self._healer.start()

    def _rebuild_in_background(self) -> None:
        try:
            for attempt in range(3):
                try:
                    self.reindex(progress=False)
                    log.info("Índice de búsqueda reconstruido.")
                    return
                except Exception:
                    log.exception("Falló la reconstrucción del índice (intento %d).",
                                  attempt + 1)
                    with self._lock:  # start again from a fresh index object
                        self._backend = None
                    time.sleep(1.0)
        finally:
            self.rebuilding = False

    def wait_until_healed(self, timeout: float) -> bool:
        """For the CLI and tests: wait for a background rebuild to finish."""
        healer = self._healer
        if healer is not None:
            healer.join(timeout)
        return not self.rebuilding

    def reindex(self, progress=True) -> int:
        return reindex_all(self.session_factory, self.live_backend(), iter_docs,
                           total=count_docs, progress=progress, load_docs=load_docs)

    def rebuild_if_needed(self) -> None:
        backend = self.live_backend()
        if backend.needs_rebuild:
            log.info("Índice de búsqueda nuevo o desactualizado: se reconstruye.")
            self.rebuilding = True
            try:
                self.reindex(progress=False)
            finally:
                self.rebuilding = False

    def notify(self) -> None:
        """A commit queued changes: wake the consumer (started on first use)."""
        if not self.background:
            return
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._start()
        self._wake.set()

    def _start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="docsys-search-indexer",
                                        daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self.rebuild_if_needed()
        except Exception:
            log.exception("No se pudo reconstruir el índice de búsqueda.")
        while not self._stopping:
            busy: list[bool] = []
            try:
                self.catch_up(on_busy=lambda: busy.append(True))
            except Exception:
                log.exception("Fallo del indexador de búsqueda.")
            self._wake.wait(BUSY_RETRY_SECONDS if busy else POLL_SECONDS)
            self._wake.clear()

    def close(self) -> None:
        self._stopping = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._healer is not None:
            self._healer.join(timeout=10)
        if self._backend is not None:
            self._backend.close()


def hit_json(hit) -> dict:
    return {"document_id": hit.document_id, "version": hit.version_number, "number": hit.number,
            "title": hit.title, "title_html": hit.title_html, "type": hit.doc_type,
            "year": hit.year, "date": hit.date, "status": hit.status, "office": hit.office,
            "signer": hit.signer, "published": hit.published, "score": hit.score,
            "snippets": hit.snippets}


def results_json(results, version_url=None, native: bool = False) -> dict:
    """The JSON shape shared by the API and the CLI. ``version_url(document_id, version)``
    gives each hit's ``url`` (the API address of the exact version found). ``native``:
    for orjson, which writes a ``FacetValue`` (a dataclass of ``value`` and ``count``) as
    that very object, so the facets (hundreds of values) are not copied into dicts first."""
    hits = [hit_json(h) for h in results.hits]
    if version_url is not None:
        for hit in hits:
            hit["url"] = version_url(hit["document_id"], hit["version"])
    return {
        "total": results.total, "page": results.page, "per_page": results.per_page,
        "pages": results.pages, "sort": results.sort,
        "hits": hits,
        "facets": ({name: list(values) for name, values in results.facets.items()} if native
                   else {name: [{"value": f.value, "count": f.count} for f in values]
                         for name, values in results.facets.items()}),
        "warnings": list(results.warnings),
        # True while the index is being rebuilt: the results may be incomplete.
        "rebuilding": bool(getattr(results, "rebuilding", False)),
    }


def register_commit_hook(session_factory: sessionmaker, service: SearchService) -> None:
    """Wake the consumer after each commit whose domain events changed the index."""

    def wake(_session: Session, committed: list[events.DomainEvent]) -> None:
        if any(event.name in REINDEXING for event in committed):
            service.notify()

    events.install(session_factory, wake)


__all__ = ["SearchService", "load_docs", "iter_docs", "count_docs", "results_json", "register_commit_hook", "search_status", "to_search_doc", "version_citations", "install_version_hooks"]

