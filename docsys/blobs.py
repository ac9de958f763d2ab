"""Content-addressed file storage: bytes on disk under their SHA-256, a row in ``blobs``.

Files are written before the database commits; a rolled-back transaction can leave an
unreferenced file behind, which is harmless (same name, same bytes) and never the reverse.
A caller storing many files in one transaction may write them with ``durable=False`` and
call :func:`make_durable` once before its commit: the invariant (file on disk before the
row that names it) is kept with one flush of the disk instead of one per file.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import os
import tempfile
from pathlib import Path

from sqlalchemy.orm import Session

from docsys.errors import NotFound
from docsys.models import Blob


def _path(blob_dir: str | Path, digest: str) -> Path:
    return Path(blob_dir) / digest[:2] / digest[2:4] / digest


def put(session: Session, blob_dir: str | Path, data: bytes, mimetype: str, *,
        durable: bool = True) -> Blob:
    """Store ``data`` (once) and its row. ``durable=False``: the caller calls
    :func:`make_durable` before committing."""
    digest = hashlib.sha256(data).hexdigest()
    path = _path(blob_dir, digest)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
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
    if not digests:
        return
    if _syncfs is not None:
        fd = os.open(blob_dir, os.O_RDONLY)
        try:
            if _syncfs(fd) == 0:
                return
        finally:
            os.close(fd)
    folders = set()
    for digest in digests:
        path = _path(blob_dir, digest)
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
    path = _path(blob_dir, digest)
    if not path.exists():
        raise NotFound("El archivo solicitado no está disponible.")
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != digest:
        raise NotFound("El archivo almacenado está dañado (su huella no coincide).")
    return data
