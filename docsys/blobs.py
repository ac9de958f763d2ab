"""Content-addressed file storage: bytes on disk under their SHA-256, a row in ``blobs``.

Files are written before the database commits; a rolled-back transaction can leave an
unreferenced file behind, which is harmless (same name, same bytes) and never the reverse.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Iterator

from sqlalchemy.orm import Session

from docsys.errors import NotFound
from docsys.models import Blob


def blob_path(blob_dir: str | Path, digest: str) -> Path:
    return Path(blob_dir) / digest[:2] / digest[2:4] / digest


_path = blob_path


def blob_files(blob_dir: str | Path, include_temporary: bool = False) -> Iterator[Path]:
    """Every stored file (and, if asked, the temporary files of interrupted writes)."""
    root = Path(blob_dir)
    if not root.is_dir():
        return
    for path in sorted(root.glob("??/??/*")):
        if not path.is_file():
            continue
        if len(path.name) == 64 or (include_temporary and path.name.startswith("tmp")):
            yield path


def put(session: Session, blob_dir: str | Path, data: bytes, mimetype: str) -> Blob:
    """Store ``data`` (once) and its row. Reusing a stored file refreshes its modification
    time: the garbage collector then leaves it alone while this transaction is running."""
    digest = hashlib.sha256(data).hexdigest()
    path = _path(blob_dir, digest)
    if path.exists():
        try:
            os.utime(path)
        except FileNotFoundError:
            pass  # collected just now: written again below
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    blob = session.get(Blob, digest)
    if blob is None:
        blob = Blob(sha256=digest, size=len(data), mimetype=mimetype)
        session.add(blob)
        session.flush()
    return blob


def get(blob_dir: str | Path, digest: str) -> bytes:
    path = _path(blob_dir, digest)
    if not path.exists():
        raise NotFound("El archivo solicitado no está disponible.")
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != digest:
        raise NotFound("El archivo almacenado está dañado (su huella no coincide).")
    return data
