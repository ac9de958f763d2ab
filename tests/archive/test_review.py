"""The archivist confirms or corrects an imported norm's metadata, on both databases."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from docsys.archive import review
from docsys.archive.service import import_bytes, start_batch
from docsys.drafting.structure import plain_text
from docsys.errors import Conflict, PermissionDenied, ValidationError, VersionConflict
from docsys.portal import address_of
from docsys.models import ArchivedNorm, AuditEntry, Document, DocumentVersion, NormCitation
from docsys.versions import latest_version
from tests.conftest import get_user

DOUBTFUL = ("RESOLUCIÓN DE GERENCIA MUNICIPAL N° ______-2022-GM-MDM\n"
            "Kepashiato, 22 de agosto de 2022\nVISTO: El Informe N° 104-2022-GAJ-MDM\n"
            "SE RESUELVE:\nARTÍCULO PRIMERO.- APROBAR la liquidación de la obra del puente "
            "peatonal de Kepashiato, conforme a los considerandos.\n")
GOOD_VALUES = {"doc_type": "RGM", "number": "0087-2022-GM-MDM", "year": "2022", "office": "GM",
               "date": "2022-08-22", "sumilla": "Aprobar la liquidación de la obra del puente"}


@pytest.fixture
def doubtful(importer):
    batch = start_batch(importer.factory, importer.actor_id, "cli", "prueba")
    outcome = import_bytes(importer.factory, importer.settings, batch, importer.actor_id,
                           DOUBTFUL.encode(), "RGM sin número.txt")
    assert outcome.status == "imported" and outcome.needs_review
    assert outcome.official_number is None
    return outcome.document_id


def _norm(session, document_id) -> ArchivedNorm:
    return session.scalar(select(ArchivedNorm).where(ArchivedNorm.document_id == document_id))


def test_queue_lists_doubtful_norms_with_the_guesses_as_form_values(importer, doubtful):
    with importer.factory() as session:
        queue, total = review.review_queue(session)
        assert total == 1 and queue[0].document_id == doubtful
        values = review.form_values(queue[0])
        assert values["doc_type"] == "RGM" and values["number"] == ""
        assert values["year"] == "2022" and values["date"] == "2022-08-22"
        assert values["office"] == "GM" and values["sumilla"].startswith("APROBAR la liquidación")
        assert review.next_to_review(session).document_id == doubtful


def test_confirming_sets_the_number_a_new_version_and_an_audit_entry(importer, doubtful):
    with importer.factory() as session:
        archivist = get_user(session, "archivo")
        norm = _norm(session, doubtful)
        document = review.confirm_metadata(session, norm, GOOD_VALUES, archivist, 1)
        session.commit()
    with importer.factory() as session:
        document = session.get(Document, doubtful)
        assert document.official_number == "RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0087-2022-GM-MDM"
        assert document.number_key == "RGM-87-2022" and document.issue_date == "2022-08-22"
        assert document.title == GOOD_VALUES["sumilla"] and document.latest_version == 2
        assert document.status == "publicado" and document.origin == "importado"
        version = latest_version(session, document)
        assert version.note == "Datos confirmados por el archivo"
        assert version.content["fields"]["numero"] == document.official_number
        assert "puente peatonal de Kepashiato" in plain_text(version.content)  # text kept
        norm = _norm(session, doubtful)
        assert not norm.needs_review and norm.reviewed_by.username == "archivo"
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "archive_confirm"))
        assert entry.document_id == doubtful
        assert entry.details["changes"]["official_number"] == [None, document.official_number]
        assert review.review_queue(session)[1] == 0
        # "Corregir datos" shows what was confirmed, no longer the guesses.
        assert review.form_values(norm) == {
            "doc_type": "RGM", "number": "0087-2022-GM-MDM", "year": "2022", "office": "GM",
            "date": "2022-08-22", "sumilla": GOOD_VALUES["sumilla"]}
        # Corrected later (a typo in the sumilla): a further version, still importado.
        review.confirm_metadata(session, norm, {**GOOD_VALUES, "sumilla": "Aprobar la obra"},
                                get_user(session, "archivo"), 2)
        session.commit()
        assert session.scalar(select(DocumentVersion.number).where(
            DocumentVersion.document_id == doubtful).order_by(DocumentVersion.number.desc())) == 3


INVALID = [
    ({"doc_type": "XYZ"}, "Elija el tipo"),  # national types are valid now (issue 11)
    ({"year": "20x2"}, "cuatro cifras"),
    ({"year": "1492"}, "no es válido"),
    ({"year": "1820"}, "no es válido"),  # before the Republic's first norms
    ({"doc_type": "CONST", "number": "1-2022"}, "no lleva número"),
    ({"number": "sin número"}, "empezar con cifras"),
    ({"number": "0"}, "empezar con cifras"),
    ({"number": "1234567-2022"}, "empezar con cifras"),
    ({"number": "٤٥-2022-GM-MDM"}, "empezar con cifras"),  # Arabic-Indic digits
    ({"number": "0087-2021-GM-MDM"}, "indica el año 2021"),
    ({"office": "XYZ"}, "Elija la oficina"),
    ({"date": "22/08/2022"}, "AAAA-MM-DD"),
    ({"date": "2999-01-01"}, "futura"),
    ({"sumilla": "   "}, "sumilla"),
]


def test_invalid_values_are_refused_in_spanish_and_change_nothing(importer, doubtful):
    with importer.factory() as session:
        for change, message in INVALID:
            norm = _norm(session, doubtful)
            with pytest.raises(ValidationError) as refused:
                review.confirm_metadata(session, norm, {**GOOD_VALUES, **change},
                                        get_user(session, "archivo"), 1)
            assert message in refused.value.message, change
            session.rollback()
            assert session.get(Document, doubtful).official_number is None


def test_a_norm_given_without_a_number_and_older_than_1950_is_confirmed(importer, doubtful):
    """The national framework in the review form: the Constitution of 1933 is confirmed with
    no number (its type has none, as the registry says) and a year before 1950; it is filed
    under its type's code, its name and year its official number, and its portal address
    is its type's and year's."""
    values = {**GOOD_VALUES, "doc_type": "CONST", "number": "", "year": "1933",
              "date": "1933-04-09", "office": "SG",
              "sumilla": "Constitución Política del Perú de 1933"}
    with importer.factory() as session:
        review.confirm_metadata(session, _norm(session, doubtful), values,
                                get_user(session, "archivo"), 1)
        session.commit()
    with importer.factory() as session:
        document = session.get(Document, doubtful)
        assert (document.doc_type, document.official_number, document.number_key) == (
            "CONST", "Constitución Política del Perú de 1933", "CONST")
        assert document.issue_date == "1933-04-09" and document.latest_version == 2
        assert latest_version(session, document).content["fields"]["numero"] == \
            "Constitución Política del Perú de 1933"
        assert review.form_values(_norm(session, doubtful))["number"] == ""
        assert address_of(document).as_args() == {"tipo": "constitucion", "anio": 1933}


def test_a_bare_number_is_completed_and_a_taken_number_refused(importer, doubtful):
    with importer.factory() as session:
        norm = _norm(session, doubtful)
        review.confirm_metadata(session, norm, {**GOOD_VALUES, "number": "N° 87"},
                                get_user(session, "archivo"), 1)
        session.commit()
        assert session.get(Document, doubtful).official_number == \
            "RESOLUCIÓN DE GERENCIA MUNICIPAL N° 087-2022-GM-MDM"
    batch = start_batch(importer.factory, importer.actor_id, "cli", "otra")
    other = import_bytes(importer.factory, importer.settings, batch, importer.actor_id,
                         DOUBTFUL.replace("agosto", "setiembre").encode(), "otra.txt")
    with importer.factory() as session:
        with pytest.raises(Conflict) as taken:
            review.confirm_metadata(session, _norm(session, other.document_id),
                                    {**GOOD_VALUES, "number": "87"},
                                    get_user(session, "archivo"), 1)
        assert "ya lo tiene el documento" in taken.value.message


def test_an_sgd_number_is_confirmed_as_printed(importer, doubtful):
    """A number of the State's document system ("D000087-2022-GM-MDM") is accepted as
    typed, D included, and keyed as the same number without it."""
    with importer.factory() as session:
        review.confirm_metadata(session, _norm(session, doubtful),
                                {**GOOD_VALUES, "number": "N° D000087-2022-GM-MDM"},
                                get_user(session, "archivo"), 1)
        session.commit()
        document = session.get(Document, doubtful)
        assert document.official_number == \
            "RESOLUCIÓN DE GERENCIA MUNICIPAL N° D000087-2022-GM-MDM"
        assert document.number_key == "RGM-87-2022"


def test_stale_form_and_wrong_role_are_refused(importer, doubtful):
    with importer.factory() as session:
        norm = _norm(session, doubtful)
        with pytest.raises(PermissionDenied):
            review.confirm_metadata(session, norm, GOOD_VALUES, get_user(session, "asesor"), 1)
        review.confirm_metadata(session, norm, GOOD_VALUES, get_user(session, "archivo"), 1)
        session.commit()
        with pytest.raises(VersionConflict):
            review.confirm_metadata(session, _norm(session, doubtful), GOOD_VALUES,
                                    get_user(session, "archivo"), 1)


def test_citations_are_stored_once_the_number_is_confirmed(importer):
    """A norm without a legible number is not analyzed at import; its confirmation runs
    the compliance analysis, so what it cites is known from then on."""
    citing = DOUBTFUL.replace("SE RESUELVE:", "CONSIDERANDO:\nQue, el artículo 20 de la Ley N° "
                                              "27972 atribuye la competencia;\nSE RESUELVE:")
    batch = start_batch(importer.factory, importer.actor_id, "cli", "prueba")
    outcome = import_bytes(importer.factory, importer.settings, batch, importer.actor_id,
                           citing.encode(), "cita.txt")
    assert outcome.needs_review and outcome.official_number is None

    def cited(session):
        return session.scalars(select(NormCitation.canonical_id).where(
            NormCitation.document_id == outcome.document_id)).all()

    with importer.factory() as session:
        assert cited(session) == []
        review.confirm_metadata(session, _norm(session, outcome.document_id), GOOD_VALUES,
                                get_user(session, "archivo"), 1)
        session.commit()
        assert cited(session) == ["LEY-27972"]
