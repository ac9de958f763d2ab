"""One number space for imported and issued norms: the sequence continues after the
highest number already in the archive, a clash is a Spanish 409 with no number taken, and
an import claiming a number docsys issued goes to the review queue with the reason."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from docsys import issuing, services
from docsys.archive.service import ImportSettings, import_bytes, start_batch
from docsys.db import transaction
from docsys.models import ArchivedNorm, Document, NumberSequence
from tests.conftest import get_user
from tests.issuing.support import SECRET, RA, approved_document

IMPORTED = ("RESOLUCIÓN DE ALCALDÍA N° {number}-2026-A-MDM\n"
            "Camisea, 5 de enero de 2026\nVISTO: El Informe N° 004-2026-GM-MDM\n"
            "CONSIDERANDO:\nQue, la Ley N° 27972, Ley Orgánica de Municipalidades, faculta "
            "al Alcalde;\nSE RESUELVE:\nARTÍCULO PRIMERO.- DESIGNAR al responsable del "
            "archivo central de la municipalidad.\nREGÍSTRESE, COMUNÍQUESE Y CÚMPLASE.\n")


def _import(factory, settings, text: str, name: str):
    with factory() as session:
        archivist = get_user(session, "archivo").id
    batch = start_batch(factory, archivist, "cli", "prueba")
    return import_bytes(factory, ImportSettings(blob_dir=settings["BLOB_DIR"]), batch,
                        archivist, text.encode(), name)


def _approved_ra(factory, settings, sumilla):
    with transaction(factory) as session:
        return approved_document(session, settings, template=RA, sumilla=sumilla).id


def test_issued_and_imported_norms_share_one_number_space(signing_ready, settings):
    imported = _import(signing_ready, settings, IMPORTED.format(number="001"), "ra-001.txt")
    assert imported.status == "imported"
    assert imported.official_number == "RESOLUCIÓN DE ALCALDÍA N° 001-2026-A-MDM"
    # The sequence continues after the archive's highest number, never a 500.
    first = _approved_ra(signing_ready, settings, "Designar al responsable del portal de transparencia")
    session = signing_ready()
    try:
        alcalde = get_user(session, "alcalde")
        issuance = services.issue(session, settings, alcalde, first, secret=SECRET)
        assert issuance.official_number == "RESOLUCIÓN DE ALCALDÍA N° 002-2026-A-MDM"
    finally:
        session.close()

    # An import claiming a number docsys issued does not take it: review queue, reason.
    clash = _import(signing_ready, settings, IMPORTED.format(number="002"), "ra-002.txt")
    assert clash.status == "imported" and clash.needs_review
    with signing_ready() as session:
        norm = session.scalar(select(ArchivedNorm).where(
            ArchivedNorm.document_id == clash.document_id))
        assert norm.needs_review
        assert any("002-2026-A-MDM" in note and "ya lo tiene" in note
                   for note in norm.guessed["notes"]), norm.guessed
        assert session.get(Document, clash.document_id).official_number is None


def test_a_clash_with_the_archive_is_a_409_with_no_number_taken(signing_ready, settings):
    from docsys.errors import Conflict
    import pytest
    second = _approved_ra(signing_ready, settings, "Designar al responsable del portal de transparencia")
    with transaction(signing_ready) as session:
        # An imported norm whose number key could not be read ("N° 1-A") still holds the
        # official number the next issue would print.
        norm = session.get(Document, second)
        other = Document(doc_type="RA", title="Importada", status=norm.status,
                         office_id=norm.office_id, created_by_id=norm.created_by_id,
                         latest_version=1,
                         official_number="RESOLUCIÓN DE ALCALDÍA N° 001-2026-A-MDM")
        session.add(other)
    with transaction(signing_ready) as session:
        with pytest.raises(Conflict, match="ya lo tiene el documento"):
            issuing.issue(session, settings, session.get(Document, second),
                          get_user(session, "alcalde"), date=dt.date(2026, 3, 12), secret=SECRET)
        session.rollback()
    with transaction(signing_ready) as session:
        assert session.scalar(select(NumberSequence)) is None
