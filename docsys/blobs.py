"""Content-addressed storage of files (signed PDFs, archived originals): the bytes under
their SHA-256 in a store, a row in ``blobs``.

Two stores, chosen by ``DOCSYS_BLOB_BACKEND``:
- ``filesystem`` (default): files under BLOB_DIR/aa/bb/<sha256>;
- ``database`` (PostgreSQL only): the table ``blob_contents`` of the same database, so that
  several app nodes share the files without a shared disk.

The bytes are stored before the caller's transaction commits (the database store writes in
a short transaction of its own); a rolled-back transaction can leave unreferenced content
behind, which is harmless (same name, same bytes), never the reverse: ``docsys blobs gc``
collects it after a grace period. Reusing stored content refreshes its time, so the
collector leaves it alone while the transaction that reuses it is running.

A caller storing many files in one transaction may write them with ``durable=False`` and
call :func:`make_durable` once before its commit: the invariant (content stored before the
row that names it) is kept with one flush of the disk instead of one per file.
"""
from __future__ import annotations

import datetime as dt
import ctypes
import ctypes.util
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Iterator, Protocol

from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.orm import Session

from docsys.errors import NotFound
from docsys.models import Blob, BlobContent


class BlobStore(Protocol):
    def write(self, digest: str, data: bytes, durable: bool = True) -> None: ...
    def read(self, digest: str) -> bytes | None: ...
    def touch(self, digest: str) -> bool: ...
    def stored_at(self, digest: str) -> float | None: ...
    def remove(self, digest: str, older_than: float) -> int: ...
    def digests(self) -> Iterator[str]: ...


def blob_path(blob_dir: str | Path, digest: str) -> Path:
    return Path(blob_dir) / digest[:2] / digest[2:4] / digest


class FileStore:
    """Files on disk; the modification time is the "last stored or reused" time."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def write(self, digest: str, data: bytes, durable: bool = True) -> None:
        path = blob_path(self.root, digest)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)

    def read(self, digest: str) -> bytes | None:
        try:
            return blob_path(self.root, digest).read_bytes()
        except FileNotFoundError:
            return None

    def touch(self, digest: str) -> bool:
        try:
            os.utime(blob_path(self.root, digest))
            return True
        except FileNotFoundError:
            return False

    def stored_at(self, digest: str) -> float | None:
        try:
            return blob_path(self.root, digest).stat().st_mtime
        except FileNotFoundError:
            return None

    def remove(self, digest: str, older_than: float) -> int:
        """Remove unless stored or reused since ``older_than``; the bytes freed (0: kept)."""
        path = blob_path(self.root, digest)
        try:
            stat = path.stat()
            if stat.st_mtime >= older_than:
                return 0
            path.unlink()
            return stat.st_size or 1
        except FileNotFoundError:
            return 0

    def digests(self) -> Iterator[str]:
        """Every stored digest, and the temporary files of interrupted writes (``tmp…``)."""
        if not self.root.is_dir():
            return
        for path in sorted(self.root.glob("??/??/*")):
            if path.is_file() and (len(path.name) == 64 or path.name.startswith("tmp")):
                yield path.name

    def temporary_path(self, name: str) -> Path | None:
        matches = list(self.root.glob(f"??/??/{name}"))
        return matches[0] if matches else None


class DatabaseStore:
    """Rows of ``blob_contents`` (PostgreSQL), written in short transactions of their own."""

    def __init__(self, engine: Engine):
        if engine.dialect.name != "postgresql":
            raise RuntimeError("DOCSYS_BLOB_BACKEND=database necesita PostgreSQL; con SQLite "
                               "los archivos se guardan en el disco (filesystem).")
        self.engine = engine

    def write(self, digest: str, data: bytes, durable: bool = True) -> None:
        """Committed at once in its own transaction (``durable`` has nothing to add)."""
        from sqlalchemy.dialects.postgresql import insert
        with self.engine.begin() as conn:
            conn.execute(insert(BlobContent).values(sha256=digest, data=data,
                                                    stored_at=dt.datetime.now(dt.timezone.utc))
                         .on_conflict_do_nothing())

    def read(self, digest: str) -> bytes | None:
        with self.engine.connect() as conn:
            return conn.scalar(select(BlobContent.data).where(BlobContent.sha256 == digest))

    def touch(self, digest: str) -> bool:
        with self.engine.begin() as conn:
            return bool(conn.execute(update(BlobContent).where(BlobContent.sha256 == digest)
                                     .values(stored_at=dt.datetime.now(dt.timezone.utc)))
                        .rowcount)

    def stored_at(self, digest: str) -> float | None:
        with self.engine.connect() as conn:
            moment = conn.scalar(select(BlobContent.stored_at)
                                 .where(BlobContent.sha256 == digest))
        return moment.timestamp() if moment is not None else None

    def remove(self, digest: str, older_than: float) -> int:
        cutoff = dt.datetime.fromtimestamp(older_than, dt.timezone.utc)
        with self.engine.begin() as conn:
            size = conn.scalar(delete(BlobContent).where(
                BlobContent.sha256 == digest, BlobContent.stored_at < cutoff)
                .returning(func.length(BlobContent.data)))
        return int(size or 0)

    def digests(self) -> Iterator[str]:
        with self.engine.connect() as conn:
            yield from list(conn.scalars(select(BlobContent.sha256).order_by(BlobContent.sha256)))


_stores: dict[str, BlobStore] = {}


def use_store(blob_dir: str | Path, store: BlobStore) -> None:
    """Keep the files named ``blob_dir`` (the setting BLOB_DIR) in ``store`` instead of on
    disk (set by the app factory from DOCSYS_BLOB_BACKEND)."""
    _stores[str(blob_dir)] = store


def store_for(blob_dir: str | Path) -> BlobStore:
    return _stores.get(str(blob_dir)) or FileStore(blob_dir)


def save(blob_dir: str | Path, data: bytes, *, durable: bool = True) -> str:
    """Store ``data``'s content (once; reused content has its time refreshed), without its
    row: its digest. A caller may save ahead of the transaction that calls ``put`` (a bulk
    import, so that the database's write lock is not held while files are written)."""
    digest = hashlib.sha256(data).hexdigest()
    store = store_for(blob_dir)
    if not store.touch(digest):  # reused: its time is refreshed, else it is written now
        store.write(digest, data, durable=durable)
    return digest


def put(session: Session, blob_dir: str | Path, data: bytes, mimetype: str, *,
        durable: bool = True, saved: str | None = None) -> Blob:
    """Store ``data`` (once) and its row. ``durable=False``: the caller calls
    :func:`make_durable` before committing. ``saved``: the digest ``save`` returned for
    these bytes just before (their content is not stored again)."""
    digest = hashlib.sha256(data).hexdigest()
    if saved != digest:
        save(blob_dir, data, durable=durable)
    blob = session.get(Blob, digest)
    if blob is None:
        blob = Blob(sha256=digest, size=len(data), mimetype=mimetype)
        session.add(blob)
        session.flush()
    return blob


def make_durable(blob_dir: str | Path, digests: list[str]) -> None:
    """Put the files of ``digests`` (written with ``durable=False``) and their folder
    entries on stable storage: one ``syncfs`` of the blob folder's file system on Linux,
    else an fsync of each file and folder."""
    if not digests or not isinstance(store_for(blob_dir), FileStore):
        return  # the database store commits each write on its own
    if _syncfs is not None:
        fd = os.open(blob_dir, os.O_RDONLY)
        try:
            if _syncfs(fd) == 0:
                return
        finally:
            os.close(fd)
    folders = set()
    for digest in digests:
        path = blob_path(blob_dir, digest)
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())
        folders.update({path.parent, path.parent.parent, path.parent.parent.parent})
    for folder in folders:
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _load_syncfs():
    name = ctypes.util.find_library("c")
    syncfs = getattr(ctypes.CDLL(name, use_errno=True), "syncfs", None) if name else None
    if syncfs is not None:
        syncfs.argtypes, syncfs.restype = [ctypes.c_int], ctypes.c_int
    return syncfs


try:
    _syncfs = _load_syncfs()
except OSError:  # no C library to load (not Linux): fsync each file instead
    _syncfs = None


def get(blob_dir: str | Path, digest: str) -> bytes:
    data = store_for(blob_dir).read(digest)
    if data is None:
        raise NotFound("El archivo solicitado no está disponible.")
    if hashlib.sha256(data).hexdigest() != digest:
        raise NotFound("El archivo almacenado está dañado (su huella no coincide).")
    return data


__all__ = ["put", "save", "get", "use_store", "store_for", "FileStore", "DatabaseStore", "blob_path"]
