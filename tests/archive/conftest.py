"""Fixtures of the archive tests: generated norms as real PDF, DOCX and scanned PDF bytes
(made once per test session: OCR is slow), and an importer on each database."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from demo import specimens
from docsys.archive.service import ImportSettings
from tests.conftest import get_user


@pytest.fixture(scope="session")
def norms() -> list[specimens.SpecimenNorm]:
    """Eight norms, one or two of each type, different numbers."""
    return specimens.specimens(8, seed=11)


def _rendered(norms, render):
    """``make(i)``: the bytes of norm i rendered once, then cached for the session."""
    cache: dict[int, bytes] = {}

    def make(index: int) -> bytes:
        if index not in cache:
            cache[index] = render(norms[index])
        return cache[index]
    return make


@pytest.fixture(scope="session")
def pdf_of(norms):
    return _rendered(norms, specimens.to_pdf)


@pytest.fixture(scope="session")
def docx_of(norms):
    return _rendered(norms, specimens.to_docx)


@pytest.fixture(scope="session")
def scan_norm(norms) -> specimens.SpecimenNorm:
    return norms[0]  # a Resolución de Alcaldía


@pytest.fixture(scope="session")
def scan_bytes(scan_norm) -> bytes:
    """One scanned page (no text layer): the only OCR most tests pay for."""
    return specimens.to_scan(scan_norm)


@pytest.fixture
def importer(session_factory, tmp_path):
    """What the import service needs on each database: settings, the archivist's id and
    the session factory."""
    with session_factory() as session:
        archivist = get_user(session, "archivo").id
    settings = ImportSettings(blob_dir=str(tmp_path / "blobs"))
    return SimpleNamespace(factory=session_factory, settings=settings, actor_id=archivist,
                           tmp=tmp_path)
