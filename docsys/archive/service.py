"""Importing the old archive: each file becomes an archived norm, or a reasoned refusal.

A file is one unit of work: an interrupted run keeps every norm committed so far, and
running it again skips them (the SHA-256 of the original bytes is unique among archived
norms, so nothing is imported twice, even by two runs at once). Scanned and office files
are committed one by one. Markdown with front matter (a source's structured export, read
by the thousand) is committed in groups of ``GROUP_SIZE`` files, each file in a savepoint
of its own: a file that fails rolls back alone and is reported, the others commit
together, and the originals are flushed to disk once per group, before its commit.
The slow part, reading the text (OCR), happens outside any transaction, so the database
is never locked while tesseract works. A group's pure-CPU work (each norm's content, its
hash, the number keys its text cites, the SPIJ notes its subscribers parse) and the writing
of its originals are done before its write transaction too (``StructuredGroup._drafts``),
so that transaction holds SQLite's write lock for the rows only, and a process analysing
the queue meanwhile (docsys.analysis_worker) waits less for it.

An imported norm is a ``Document`` with origin "importado" and status "publicado":

* its status is "publicado" because these are norms the municipality already issued and
  made public before docsys; "publicado" is what search, the public portal and the API
  treat as a public, valid norm. "emitido" would be wrong: it means "signed here, waiting
  for the archive to publish it", and would put every imported norm in the archivist's
  publication queue. Doubtful metadata does not make a norm less valid; it sends it to
  the review queue (``ArchivedNorm.needs_review``) while its text is already searchable;
* its legal status starts as "vigente"; the compliance module's relations say otherwise;
* its official number, number key and issue date are set only when they were read with
  confidence (and the number is not already taken); otherwise they wait for the
  archivist's confirmation, with the guesses kept in ``ArchivedNorm.guessed``;
* its text is version 1 of its content (one "texto" section, split at pages), so the
  search index and ``plain_text`` read it like any other document; the original file is
  kept as a blob and is what counts.

Each norm is stored with an "archive_import" domain event: its subscribers audit it, queue
it for the search index and analyse its citations and relations (in a savepoint: a
failed analysis is a warning, never a lost import).
"""
from __future__ import annotations

import hashlib
import logging
import os
import time
import unicodedata
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Callable

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from docsys import blobs, events
from docsys.bounded import Limits
from docsys.archive.extract import (DEFAULT_MAX_BYTES, MAX_PDF_PAGES, Extraction, ExtractionError,
                                    extract_bounded, extract_file, too_large_error)
from docsys.archive.frontmatter import read_structured
from docsys.archive.metadata import CONFIRM_BELOW, FIELDS, GuessedMetadata, guess_metadata
from docsys.archive.norms import (ORIGIN, UNKNOWN_TYPE, compose_official_number, norm_content,
                                  number_conflicts, single_norm_number, type_heading)
from docsys.db import polling_writes, read_only_transactions, transaction, write_transactions
from docsys.models import ArchivedNorm, Document, DocumentVersion, ImportBatch, ImportedFile, Office, User
from docsys.models._common import utcnow
from docsys.drafting.structure import content_hash
from docsys.indexing import version_citations
from docsys.states import Status
from search.numbers import EXTRACTOR_REVISION, number_key
from search.registry import registry

log = logging.getLogger("docsys.archive")

NORM_STATUS = Status.PUBLISHED
INITIAL_LEGAL_STATUS = "vigente"
GROUP_SIZE = 50  # structured files per transaction (see the module's docstring)



# ---------------------------------------------------------------------------- results


@dataclass
class FileOutcome:
    """What happened to one file; ``reason`` is Spanish, ``code`` stable for programs."""

    filename: str
    status: str  # imported, duplicate or failed
    reason: str = ""
    code: str = ""
    sha256: str | None = None
    document_id: int | None = None
    title: str = ""
    official_number: str | None = None
    needs_review: bool = False
    ocr: bool = False
    ocr_confidence: float | None = None
    metadata_confidence: float | None = None
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class ImportSummary:
    batch_id: int
    label: str
    files: list[FileOutcome] = field(default_factory=list)
    interrupted: bool = False
    seconds: float = 0.0

    def _with(self, status: str) -> list[FileOutcome]:
        return [f for f in self.files if f.status == status]

    @property
    def imported(self) -> list[FileOutcome]:
        return self._with("imported")

    @property
    def duplicates(self) -> list[FileOutcome]:
        return self._with("duplicate")

    @property
    def failed(self) -> list[FileOutcome]:
        return self._with("failed")

    def as_dict(self) -> dict:
        return {
            "batch_id": self.batch_id, "label": self.label, "interrupted": self.interrupted,
            "seconds": round(self.seconds, 2), "total": len(self.files),
            "counts": {"imported": len(self.imported), "duplicates": len(self.duplicates),
                       "failed": len(self.failed),
                       "needs_review": sum(f.needs_review for f in self.imported),
                       "ocr": sum(f.ocr for f in self.imported)},
            "imported": [f.as_dict() for f in self.imported],
            "duplicates": [f.as_dict() for f in self.duplicates],
            "failed": [f.as_dict() for f in self.failed],
        }


class ImportInterrupted(KeyboardInterrupt):
    """Ctrl-C during a run: every file finished before it stays imported."""

    def __init__(self, summary: ImportSummary):
        super().__init__("importación interrumpida")
        self.summary = summary


@dataclass(frozen=True)
class ImportSettings:
    blob_dir: str
    max_file_bytes: int = DEFAULT_MAX_BYTES
    ocr_lang: str = "spa"
    muni_code: str = "MDM"
    max_pages: int = MAX_PDF_PAGES
    # Each file is read in a bounded child process when set (seconds, memory in MB; 0 =
    # no memory cap: LibreOffice reserves much address space).
    timeout_seconds: float | None = None
    memory_mb: int = 0
    # Structured files imported in bulk queue their citation and relation analysis for
    # after the import's transactions (docsys.compliance.pending); False: analysed inline.
    defer_analysis: bool = True

    @classmethod
    def from_config(cls, config, **overrides) -> "ImportSettings":
        """The application's settings (docsys.config); overrides that are None are ignored."""
        values = {"blob_dir": config["BLOB_DIR"],
                  "max_file_bytes": int(config["ARCHIVE_MAX_FILE_BYTES"]),
                  "ocr_lang": config["ARCHIVE_OCR_LANG"],
                  "muni_code": config["MUNICIPALITY_CODE"],
                  "max_pages": int(config.get("ARCHIVE_MAX_PAGES", MAX_PDF_PAGES)),
                  "timeout_seconds": float(config.get("ARCHIVE_TIMEOUT_SECONDS", 1800))}
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


# ---------------------------------------------------------------------------- batches


def start_batch(session_factory: sessionmaker, actor_id: int, source: str, label: str) -> int:
    with write_transaction(session_factory) as session:
        batch = ImportBatch(source=source, label=_shown_name(label, 1000),
                            created_by_id=actor_id)
        session.add(batch)
        session.flush()
        return batch.id


def finish_batch(session_factory: sessionmaker, batch_id: int) -> None:
    with write_transaction(session_factory) as session:
        batch = session.get(ImportBatch, batch_id)
        if batch is not None and batch.finished_at is None:
            batch.finished_at = utcnow()


def list_files(directory: str | os.PathLike) -> list[tuple[str, Path]]:
    """Every regular file under ``directory`` (sub-folders too, in name order) with the
    name shown for it (its path relative to the folder). Hidden files and folders (".x")
    are system files, not norms: they are left out. Symbolic links to folders are not
    followed (no loops)."""
    root = Path(directory)
    found = []
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue
            path = Path(folder, name)
            if path.is_file():
                found.append((str(path.relative_to(root)), path))
    return found


# SQLite: the import's write transactions try for the lock every 2 ms, as the analysis
# worker's do (its groups commit meanwhile), not after the busy handler's sleeps of up to
# 100 ms (docsys.db.polling_writes).
@polling_writes()
def import_directory(session_factory: sessionmaker, settings: ImportSettings, directory,
                     actor_id: int, *, source: str = "cli",
                     progress: Callable[[FileOutcome], None] | None = None,
                     files: list[tuple[str, Path]] | None = None) -> ImportSummary:
    """Import every file of a folder (structured files in groups, the others one per
    transaction). Ctrl-C raises
    :class:`ImportInterrupted` with what was done; the batch then stays unfinished."""
    files = list_files(directory) if files is None else files
    label = str(Path(directory).resolve())
    batch_id = start_batch(session_factory, actor_id, source, label)
    summary = ImportSummary(batch_id, label)
    started = time.monotonic()
    group = StructuredGroup(session_factory, settings, batch_id, actor_id)

    def report(outcomes: list[FileOutcome]) -> None:
        summary.files.extend(outcomes)  # all of them first: they are committed
        for outcome in outcomes:
            if progress is not None:
                progress(outcome)

    try:
        for name, path in files:
            outcome = import_path(session_factory, settings, batch_id, actor_id, path, name,
                                  group)
            if outcome is not None:
                report([outcome])
            if len(group) >= GROUP_SIZE:
                report(group.store())
        report(group.store())
    except KeyboardInterrupt:
        summary.interrupted = True
        summary.seconds = time.monotonic() - started
        raise ImportInterrupted(summary) from None
    finish_batch(session_factory, batch_id)
    summary.seconds = time.monotonic() - started
    return summary


# ---------------------------------------------------------------------------- one file


def import_path(session_factory: sessionmaker, settings: ImportSettings, batch_id: int,
                actor_id: int, path: Path, name: str,
                group: "StructuredGroup | None" = None) -> FileOutcome | None:
    """Import one file from disk (its size is checked before it is read). With ``group``,
    a structured file is queued there (None is returned) and stored by its ``store``."""
    shown, problem = check_filename(name)
    if problem:
        return record_failure(session_factory, batch_id, shown, problem, None)
    try:
        size = path.stat().st_size
        if size > settings.max_file_bytes:
            return record_failure(session_factory, batch_id, shown,
                                   too_large_error(shown, size, settings.max_file_bytes), None)
        data = path.read_bytes()
    except OSError as exc:
        return record_failure(session_factory, batch_id, shown, ExtractionError(
            f"No se pudo leer «{shown}»: {exc.strerror or exc}.", "unreadable"), None)
    return import_bytes(session_factory, settings, batch_id, actor_id, data, name, group=group)


def import_bytes(session_factory: sessionmaker, settings: ImportSettings, batch_id: int,
                 actor_id: int, data: bytes, name: str,
                 record_id: int | None = None,
                 group: "StructuredGroup | None" = None) -> FileOutcome | None:
    """Import one file's bytes: duplicate check, text, metadata, then one transaction that
    stores the original and creates the norm. ``record_id`` is an uploaded file's row.
    With ``group``, a structured file is queued there instead (None is returned)."""
    shown, problem = check_filename(name)
    if problem:
        return record_failure(session_factory, batch_id, shown, problem, None, record_id)
    digest = hashlib.sha256(data).hexdigest()
    # A file that may be structured, read in a group: checked with its group (one query
    # for all, see StructuredGroup.store), unless it turns out not to be.
    grouped = group is not None and record_id is None and _maybe_structured(data)
    if not grouped:
        existing = _existing_norm(session_factory, digest)
        if existing is not None:
            return _record_duplicate(session_factory, batch_id, shown, digest, len(data),
                                     existing, record_id)
    try:
        if settings.timeout_seconds:        # in a bounded child process
            extraction = extract_bounded(
                data, shown, settings.max_file_bytes, ocr_lang=settings.ocr_lang,
                max_pages=settings.max_pages,
                limits=Limits(settings.timeout_seconds, settings.memory_mb))
        else:
            extraction = extract_file(data, shown, max_bytes=settings.max_file_bytes,
                                      ocr_lang=settings.ocr_lang, max_pages=settings.max_pages)
    except Exception as exc:
        existing = _existing_norm(session_factory, digest) if grouped else None
        if existing is not None:
            return _record_duplicate(session_factory, batch_id, shown, digest, len(data),
                                     existing, record_id)
        if isinstance(exc, ExtractionError):
            return record_failure(session_factory, batch_id, shown, exc, digest, record_id,
                                   size=len(data))
        # a bug or a library crash on one file must not stop the batch
        log.exception("Unexpected error reading %r", shown)
        error = ExtractionError(f"Error inesperado al leer «{shown}» ({type(exc).__name__}). "
                                "El archivo se omitió; avise al equipo técnico.", "unexpected")
        return record_failure(session_factory, batch_id, shown, error, digest, record_id,
                               size=len(data))
    structured = read_structured(extraction.text, shown) if extraction.method == "txt" else None
    if group is not None and structured is not None and record_id is None:
        group.add(_Prepared(data, shown, digest, replace(extraction, text=structured.body),
                            structured.metadata))
        return None
    if grouped:  # not structured after all: checked now, as any other file
        existing = _existing_norm(session_factory, digest)
        if existing is not None:
            return _record_duplicate(session_factory, batch_id, shown, digest, len(data),
                                     existing, record_id)
    if structured is not None:  # Markdown with front matter: the source's metadata
        guess = structured.metadata
        extraction = replace(extraction, text=structured.body)
    else:
        guess = guess_metadata(extraction.text, shown, muni_code=settings.muni_code)
    try:
        with write_transaction(session_factory, resumable=True) as session:
            norm, warnings = _create_norm(session, settings, batch_id, actor_id, data, shown,
                                          extraction, guess, record_id)
            outcome = _imported_outcome(shown, norm)
            outcome.warnings += warnings
    except IntegrityError:
        # Another run stored the same bytes between the check and this commit.
        existing = _existing_norm(session_factory, digest)
        if existing is None:
            raise
        return _record_duplicate(session_factory, batch_id, shown, digest, len(data), existing,
                                 record_id)
    except ExtractionError as exc:  # e.g. no office to file it under
        return record_failure(session_factory, batch_id, shown, exc, digest, record_id,
                               size=len(data))
    return outcome


@dataclass
class _Prepared:
    """A structured file read and understood, waiting for its group's transaction."""

    data: bytes
    shown: str
    digest: str
    extraction: Extraction
    guess: GuessedMetadata
    saved: str | None = None  # its original's digest once stored ahead (blobs.save)


class StructuredGroup:
    """Structured files stored together: one transaction, a savepoint per file, one flush
    of the blob folder before the commit (the originals are on disk before the rows that
    name them are committed)."""

    def __init__(self, session_factory: sessionmaker, settings: ImportSettings,
                 batch_id: int, actor_id: int):
        self.session_factory, self.settings = session_factory, settings
        self.batch_id, self.actor_id = batch_id, actor_id
        self.waiting: list[_Prepared] = []

    def __len__(self) -> int:
        return len(self.waiting)

    def add(self, prepared: _Prepared) -> None:
        self.waiting.append(prepared)

    def store(self) -> list[FileOutcome]:
        """Store the waiting files; their outcomes once committed (nothing if it fails)."""
        waiting, self.waiting = self.waiting, []
        if not waiting:
            return []
        outcomes, written = [], []
        # Checked against the database before the transaction: a file imported by another
        # run meanwhile (or earlier in this group) fails on the unique digest in its
        # savepoint and is reported as a duplicate all the same (``_store_one``).
        stored, drafts = self._drafts(waiting)
        with write_transaction(self.session_factory, resumable=True) as session:
            for item, draft in zip(waiting, drafts):
                existing = stored.get(item.digest)
                outcome = (self._store_one(session, item, draft) if existing is None else
                           _duplicate_in(session, self.batch_id, item.shown, item.digest,
                                         len(item.data), existing))
                if outcome.status == "imported":
                    written.append(item.digest)
                outcomes.append(outcome)
            blobs.make_durable(self.settings.blob_dir, written)
        return outcomes

    @property
    def _analyze(self) -> str:
        return "later" if self.settings.defer_analysis else "now"

    def _drafts(self, waiting: list[_Prepared]
                ) -> tuple[dict[str, tuple[int, int, str]], list[_Draft | None]]:
        """The norms already imported with these files' bytes (one query, see
        ``_norms_with_digests``) and each other file's ``_Draft``, made before the group's
        write transaction (so the write lock is not held meanwhile) for the heading it is
        expected to get there: its office as registered now, its number not yet taken."""
        with read_only_transactions(), self.session_factory() as session:  # no write lock
            stored = _norms_with_digests(session, [item.digest for item in waiting])
            codes = set(session.scalars(select(Office.code)))
            actor = session.get(User, self.actor_id)
            fallback = (actor.office.code if actor is not None and actor.office is not None
                        else session.scalar(select(Office.code).order_by(Office.id)))
        drafts: list[_Draft | None] = []
        for item in waiting:
            office = item.guess.office if item.guess.office in codes else fallback
            draft = None
            if item.digest not in stored and office is not None:
                try:
                    draft = self._draft_ahead(item, office)
                except Exception:  # done again in its savepoint, where a failure is its own
                    log.debug("Drafting %r ahead failed", item.shown, exc_info=True)
            drafts.append(draft)
        return stored, drafts

    def _draft_ahead(self, item: _Prepared, office: str) -> _Draft:
        """``item``'s draft for the heading it gets when filed under ``office`` with its
        number free; its original is stored too (made durable with the group's, before
        the commit)."""
        guess = item.guess
        numbered = _official_number(guess, office, self.settings)
        official = numbered[0] if numbered else None
        date = guess.stored_date() or ""
        heading = _Heading(guess.doc_type or UNKNOWN_TYPE,
                           _title(guess, official, office, self.settings, item.shown),
                           date, guess.place or "", official or "")
        draft = _draft(heading, item.extraction.text,
                       _import_payload(item.extraction.text, self._analyze))
        item.saved = blobs.save(self.settings.blob_dir, item.data, durable=False)
        return draft

    def _store_one(self, session: Session, item: _Prepared,
                   draft: _Draft | None = None) -> FileOutcome:
        size = len(item.data)
        try:
            with session.begin_nested():
                norm, warnings = _create_norm(session, self.settings, self.batch_id,
                                              self.actor_id, item.data, item.shown,
                                              item.extraction, item.guess, None, durable=False,
                                              analyze=self._analyze, draft=draft,
                                              saved=item.saved)
                outcome = _imported_outcome(item.shown, norm)
                outcome.warnings += warnings
                return outcome
        except IntegrityError:  # the same bytes earlier in this group, or by another run
            existing = _norm_with_digest(session, item.digest)
            if existing is None:
                raise
            return _duplicate_in(session, self.batch_id, item.shown, item.digest, size, existing)
        except ExtractionError as exc:  # e.g. no office to file it under
            error = exc
        except Exception as exc:  # a bug on one file must not undo the others
            log.exception("Unexpected error storing %r", item.shown)
            error = ExtractionError(f"Error inesperado al guardar «{item.shown}» "
                                    f"({type(exc).__name__}). El archivo se omitió; avise al "
                                    "equipo técnico.", "unexpected")
        _write_record(session, self.batch_id, item.shown, "failed", None, sha256=item.digest,
                      size=size, reason=error.message, reason_code=error.code)
        return FileOutcome(item.shown, "failed", reason=error.message, code=error.code,
                           sha256=item.digest)


def check_filename(name: str) -> tuple[str, ExtractionError | None]:
    """The name as shown (folders kept, one line) and a refusal when it cannot be stored
    faithfully: bytes that are not text in the disk's encoding, or control characters
    (line breaks, tabs) that would make it ambiguous in lists and reports."""
    shown = _shown_name(name, 1000)
    bad_bytes = any(0xDC80 <= ord(ch) <= 0xDCFF for ch in name)
    controls = any(unicodedata.category(ch) == "Cc" for ch in name)
    if bad_bytes or controls or not name.strip():
        what = ("caracteres que no son texto válido (codificación desconocida)" if bad_bytes
                else "caracteres de control (saltos de línea o tabulaciones)" if controls
                else "un nombre vacío")
        return shown, ExtractionError(
            f"El nombre del archivo «{shown}» tiene {what}. Renómbrelo (solo letras, números, "
            "espacios y signos comunes) y vuelva a importarlo.", "bad_filename")
    return shown, None


def _shown_name(name: str, limit: int) -> str:
    clean = "".join("�" if (0xDC80 <= ord(ch) <= 0xDCFF
                              or unicodedata.category(ch) == "Cc") else ch for ch in name)
    clean = unicodedata.normalize("NFC", clean).strip()
    return clean if len(clean) <= limit else clean[:limit - 31] + "…" + clean[-30:]


# ---------------------------------------------------------------------------- the norm


@dataclass(frozen=True)
class _Heading:
    """What a norm's stored content holds besides its text (``norm_content``)."""

    doc_type: str
    title: str
    date: str
    place: str
    number: str


@dataclass(frozen=True)
class _Draft:
    """The pure-CPU part of a norm's rows: its content, the content's hash, the number keys
    its text cites (``DocumentVersion.cited_keys``) and its import event's payload, as
    prepared by the event's subscribers (``events.prepare``). A group's drafts are made
    before its transaction, for the heading each norm is expected to get; the transaction
    uses a draft only for the same heading and text, else drafts again."""

    heading: _Heading
    text: str
    content: dict
    content_hash: str
    cited_keys: str
    payload: dict


def _draft(heading: _Heading, text: str, payload: dict) -> _Draft:
    content = norm_content(heading.doc_type, text, sumilla=heading.title, date=heading.date,
                           place=heading.place, number=heading.number)
    return _Draft(heading, text, content, content_hash(content), version_citations(content),
                  events.prepare("archive_import", payload))


def _import_payload(text: str, analyze: str) -> dict:
    return {"text": text, "analyze": analyze}


def _official_number(guess: GuessedMetadata, office_code: str, settings: ImportSettings
                     ) -> tuple[str, str] | None:
    """The official number and its key when type, number and year were read with
    confidence (before any check against the numbers already taken); for the
    Constitution, a type that is one norm, its name and code when the type was."""
    if guess.doc_type and guess.confidence.get("doc_type", 0.0) >= CONFIRM_BELOW:
        single = single_norm_number(guess.doc_type, guess.year)
        if single is not None:
            return single
    if not (guess.doc_type and guess.number and guess.year and all(
            guess.confidence.get(n, 0.0) >= CONFIRM_BELOW for n in ("doc_type", "number", "year"))):
        return None
    official = compose_official_number(guess.doc_type, guess.number_label, guess.number,
                                       guess.year, office_code, settings.muni_code)
    return official, number_key(guess.doc_type, official, guess.year)


def _title(guess: GuessedMetadata, official: str | None, office_code: str,
           settings: ImportSettings, shown: str) -> str:
    return (guess.sumilla or official or _heading_guess(guess, office_code, settings)
            or Path(shown).stem or shown)[:1000]


def _create_norm(session: Session, settings: ImportSettings, batch_id: int, actor_id: int,
                 data: bytes, shown: str, extraction: Extraction, guess: GuessedMetadata,
                 record_id: int | None, durable: bool = True,
                 analyze: str = "now", draft: _Draft | None = None,
                 saved: str | None = None) -> tuple[ArchivedNorm, list[str]]:
    """The norm's rows and its import event, in the caller's transaction. ``draft``: its
    pure-CPU part made ahead (used only if it still fits, see ``_Draft``); ``saved``: the
    digest of its original when already stored (``blobs.save``)."""
    payload = _import_payload(extraction.text, analyze)
    if draft is not None and draft.payload.get("analyze") != analyze:
        draft = None
    actor = session.get_one(User, actor_id)
    blob = blobs.put(session, settings.blob_dir, data, extraction.mime, durable=durable,
                     saved=saved)
    notes = list(guess.notes)
    office = _office_for(session, guess, actor, notes)
    doc_type = guess.doc_type or UNKNOWN_TYPE

    official = key = None
    numbered = _official_number(guess, office.code, settings)
    if numbered is not None:
        official, key = numbered
        clash = number_conflicts(session, official, key, office.id)
        if clash:
            notes.append(clash.message)
            if clash.exact:
                official = key = None
    issue_date = guess.stored_date()
    title = _title(guess, official, office.code, settings, shown)
    heading = _Heading(doc_type, title, issue_date or "", guess.place or "", official or "")
    if draft is None or draft.heading != heading or draft.text != extraction.text:
        draft = _draft(heading, extraction.text, payload)

    to_confirm = guess.to_confirm()
    needs_review = bool(to_confirm) or len(notes) > len(guess.notes) or doc_type == UNKNOWN_TYPE
    document = Document(
        doc_type=doc_type, title=title, status=NORM_STATUS, office_id=office.id,
        created_by_id=actor.id, latest_version=1, official_number=official,
        number_key=key or None,
        issue_date=issue_date, legal_status=INITIAL_LEGAL_STATUS, published_at=utcnow(),
        origin=ORIGIN)
    session.add(document)
    session.add(DocumentVersion(
        document=document, number=1, content=draft.content, content_hash=draft.content_hash,
        cited_keys=draft.cited_keys, cited_keys_rev=EXTRACTOR_REVISION,
        author_id=actor.id, note=f"Importada del archivo: {shown}"[:500]))
    norm = ArchivedNorm(
        document=document, batch_id=batch_id, original_sha256=blob.sha256,
        original_filename=shown, mimetype=extraction.mime, size=extraction.size,
        method=extraction.method, pages=extraction.pages, ocr=extraction.ocr,
        ocr_confidence=extraction.ocr_confidence, ocr_pages=list(extraction.ocr_pages),
        guessed=guess_json(guess, notes), warnings=list(extraction.warnings),
        source_url=guess.source_url, source_identifier=guess.source_identifier,
        metadata_confidence=min(guess.confidence.get(n, 0.0) for n in FIELDS),
        needs_review=needs_review, imported_by_id=actor.id)
    session.add(norm)
    # The document, its version, the archived norm and the file's record: one flush.
    _write_record(session, batch_id, shown, "imported", record_id, sha256=blob.sha256,
                  size=len(data), norm=norm)
    # Subscribers: audit, search index, and the compliance analysis of its text (which
    # may fail without undoing the import: its warning comes back in the event's payload;
    # ``analyze="later"`` queues it, see docsys.compliance.pending).
    imported = events.record(
        session, "archive_import", actor, document.id, payload=draft.payload,
        file=shown, sha256=blob.sha256, method=extraction.method, ocr=extraction.ocr,
        ocr_confidence=extraction.ocr_confidence, needs_review=needs_review,
        official_number=official, batch=batch_id)
    return norm, imported.payload.get("warnings", [])


def _office_for(session: Session, guess: GuessedMetadata, actor: User, notes: list[str]) -> Office:
    """The guessed office when it is registered; else the importing archivist's office
    (noted, and its confidence dropped so the archivist confirms it)."""
    if guess.office:
        office = session.scalar(select(Office).where(Office.code == guess.office))
        if office is not None:
            return office
    fallback = actor.office or session.scalar(select(Office).order_by(Office.id))
    if fallback is None:
        raise ExtractionError("No hay oficinas registradas en docsys: cree al menos una "
                              "(flask docsys create-office) antes de importar.", "no_office")
    if guess.office:
        notes.append(f"La oficina «{guess.office}» del número no está registrada en docsys; "
                     f"se asignó provisionalmente {fallback.code}.")
    doc_type = registry().get(guess.doc_type or "")
    if doc_type is None or doc_type.municipal or guess.office:
        guess.confidence["office"] = 0.0
    # else: a national or regional norm is filed under the archive's office, as it should
    return fallback


def _heading_guess(guess: GuessedMetadata, office_code: str, settings: ImportSettings) -> str:
    if not guess.doc_type:
        return ""
    if guess.number and guess.year:
        return compose_official_number(guess.doc_type, guess.number_label, guess.number,
                                       guess.year, office_code, settings.muni_code)
    return type_heading(guess.doc_type)


def guess_json(guess: GuessedMetadata, notes: list[str] | None = None) -> dict:
    values = {name: getattr(guess, name) for name in FIELDS}
    values["date"] = guess.date.isoformat() if guess.date else None
    values.update(number_label=guess.number_label, place=guess.place)
    return {"values": values, "confidence": dict(guess.confidence),
            "sources": dict(guess.sources), "notes": list(notes if notes is not None else guess.notes),
            "to_confirm": guess.to_confirm()}


def _imported_outcome(shown: str, norm: ArchivedNorm) -> FileOutcome:
    document = norm.document
    return FileOutcome(shown, "imported", sha256=norm.original_sha256, document_id=document.id,
                       title=document.title, official_number=document.official_number,
                       needs_review=norm.needs_review, ocr=norm.ocr,
                       ocr_confidence=norm.ocr_confidence,
                       metadata_confidence=round(norm.metadata_confidence, 2),
                       warnings=list(norm.warnings) + list(norm.guessed.get("notes", [])))


# ---------------------------------------------------------------------------- records


def _existing_norm(session_factory: sessionmaker, digest: str) -> tuple[int, int, str] | None:
    """(norm id, document id, title) of the norm whose original has these bytes."""
    with read_only_transactions(), session_factory() as session:  # no SQLite write lock
        return _norm_with_digest(session, digest)


def _norms_with_digests(session: Session, digests: list[str]
                        ) -> dict[str, tuple[int, int, str]]:
    """``_norm_with_digest`` for many digests at once: {digest: (norm id, document id,
    title)} of those already imported."""
    digests = sorted(set(digests))
    found: dict[str, tuple[int, int, str]] = {}
    for i in range(0, len(digests), 500):
        for sha, norm_id, document_id, title in session.execute(
                select(ArchivedNorm.original_sha256, ArchivedNorm.id, Document.id,
                       Document.title)
                .join(Document, Document.id == ArchivedNorm.document_id)
                .where(ArchivedNorm.original_sha256.in_(digests[i:i + 500]))):
            found[sha] = (norm_id, document_id, title)
    return found


def has_structured(files: list[tuple[str, Path]]) -> bool:
    """Whether any of these files (``list_files``) may open with a front matter: only such
    files are imported in groups with their analysis queued, so only then is a process
    draining the queue meanwhile worth starting (docsys.analysis_worker: about a second of
    CPU). Reads the first bytes of each file until one does."""
    for _name, path in files:
        try:
            with open(path, "rb") as handle:
                if _maybe_structured(handle.read(len(_BOM) + 3)):
                    return True
        except OSError:  # reported by the import itself
            continue
    return False


_BOM = b"\xef\xbb\xbf"


def _maybe_structured(data: bytes) -> bool:
    """Whether a file's bytes may open with a front matter (``read_structured``): only
    such files are read in groups, so only their duplicate check waits for the group."""
    return data.removeprefix(_BOM)[:3] == b"---"


def _norm_with_digest(session: Session, digest: str) -> tuple[int, int, str] | None:
    row = session.execute(
        select(ArchivedNorm.id, Document.id, Document.title)
        .join(Document, Document.id == ArchivedNorm.document_id)
        .where(ArchivedNorm.original_sha256 == digest)).first()
    return (row[0], row[1], row[2]) if row else None


def _record_duplicate(session_factory, batch_id, shown, digest, size, existing,
                      record_id=None) -> FileOutcome:
    with write_transaction(session_factory) as session:
        return _duplicate_in(session, batch_id, shown, digest, size, existing, record_id)


def _duplicate_in(session: Session, batch_id, shown, digest, size, existing,
                  record_id=None) -> FileOutcome:
    norm_id, document_id, title = existing
    reason = (f"Ya estaba importado: es el mismo archivo (idéntico byte a byte) que la norma "
              f"«{title}» (documento {document_id}).")
    _write_record(session, batch_id, shown, "duplicate", record_id, sha256=digest, size=size,
                  norm_id=norm_id, reason=reason, reason_code="duplicate")
    return FileOutcome(shown, "duplicate", reason=reason, code="duplicate", sha256=digest,
                       document_id=document_id, title=title)


def record_failure(session_factory, batch_id, shown, error: ExtractionError, digest,
                    record_id=None, size=None) -> FileOutcome:
    with write_transaction(session_factory) as session:
        _write_record(session, batch_id, shown, "failed", record_id, sha256=digest, size=size,
                      reason=error.message, reason_code=error.code)
    return FileOutcome(shown, "failed", reason=error.message, code=error.code, sha256=digest)


def _write_record(session: Session, batch_id: int, shown: str, status: str,
                  record_id: int | None, **values) -> ImportedFile:
    record = session.get(ImportedFile, record_id) if record_id else None
    if record is None:
        record = ImportedFile(batch_id=batch_id, filename=shown)
        session.add(record)
    values["reason"] = (values.get("reason") or "")[:2000]
    for name, value in values.items():
        setattr(record, name, value)
    record.status = status
    record.finished_at = utcnow()
    session.flush()
    return record


@contextmanager
def write_transaction(session_factory: sessionmaker, resumable: bool = False):
    """:func:`docsys.db.transaction` with SQLite's write lock taken up front (BEGIN
    IMMEDIATE), whatever the caller's context (a read-only GET request, a worker thread).

    ``resumable``: the work is redone by the next run if lost (an import is found again by
    its hash), so on PostgreSQL the commit does not wait for its WAL flush
    (``synchronous_commit = off``: still atomic and consistent, and several times faster
    per file; a crash can only lose the last fraction of a second of imports)."""
    with write_transactions(), transaction(session_factory) as session:
        if resumable and session.get_bind().dialect.name == "postgresql":
            session.execute(text("SET LOCAL synchronous_commit = off"))
        yield session
