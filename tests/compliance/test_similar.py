"""Similar norms in a report (real archive, real embedded index): the passages shared with
the text checked, legal boilerplate told apart, and the likely duplicate announced."""
from __future__ import annotations

import pytest

from docsys.compliance.report import check_text
from docsys.db import transaction
from docsys.policy import search_visibility as visibility_for
from search import Visibility
from search.embedded import EmbeddedBackend
from tests.compliance.support import add_norm, index_all
from tests.conftest import get_user

BOILERPLATE = ("Que, el artículo 194 de la Constitución Política del Perú, modificado por la Ley "
               "N° 30305, establece que las municipalidades provinciales y distritales son los "
               "órganos de gobierno local y tienen autonomía política, económica y "
               "administrativa en los asuntos de su competencia;")
MARKET = ("Artículo 1.- APROBAR el Reglamento del Mercado de Abastos de Kepashiato, que regula "
          "los puestos de venta, los horarios de atención, la limpieza de los pasadizos y el "
          "cobro de la merced conductiva a los comerciantes inscritos en el padrón municipal.")
SUBJECTS = {
    "ORDENANZA MUNICIPAL N° 001-2024-MDM": "el servicio de serenazgo y la vigilancia vecinal "
                                           "en las comunidades nativas del distrito",
    "ORDENANZA MUNICIPAL N° 002-2024-MDM": "la licencia de edificación de viviendas de madera "
                                           "en la zona urbana de Camisea",
    "ORDENANZA MUNICIPAL N° 003-2024-MDM": "el transporte fluvial de pasajeros en el río "
                                           "Urubamba y sus embarcaderos",
}
DUPLICATE = "ORDENANZA MUNICIPAL N° 004-2024-MDM"
TEXT = "\n".join(["ORDENANZA MUNICIPAL N° 020-2026-MDM", "CONSIDERANDO:", BOILERPLATE,
                  "EL CONCEJO MUNICIPAL HA DADO LA ORDENANZA SIGUIENTE:", MARKET,
                  "REGÍSTRESE, PUBLÍQUESE Y CÚMPLASE."])


def ordinance(number, body):
    return (number, "2024-05-02", f"Ordenanza sobre {body[:60]}",
            [BOILERPLATE, "EL CONCEJO MUNICIPAL HA DADO LA ORDENANZA SIGUIENTE:", body,
             "REGÍSTRESE, PUBLÍQUESE Y CÚMPLASE."])


@pytest.fixture
def archive(session_factory, tmp_path):
    backend = EmbeddedBackend(tmp_path / "index")
    with transaction(session_factory) as session:
        ids = {number: add_norm(session, ordinance(
            number, f"Artículo 1.- APROBAR las disposiciones que regulan {subject}, conforme "
                    "a la Ley Orgánica de Municipalidades.")).id
               for number, subject in SUBJECTS.items()}
        ids[DUPLICATE] = add_norm(session, ordinance(DUPLICATE, MARKET), office="GDUR").id
        index_all(session, backend)
    yield session_factory, backend, ids
    backend.close()


def test_a_norm_that_says_the_same_is_a_likely_duplicate(archive):
    factory, backend, ids = archive
    with transaction(factory) as session:
        report = check_text(session, TEXT, backend=backend, visibility=Visibility.everything())
    assert report.similar[0].norm.document_id == ids[DUPLICATE]
    duplicate = report.similar[0]
    assert duplicate.overlap >= 0.5
    (warning,) = report.warnings_of("duplicate")
    assert warning.document_id == ids[DUPLICATE]
    assert warning.message.startswith(f"El texto coincide en un {round(duplicate.overlap * 100)} "
                                      "% con la Ordenanza Municipal N° 004-2024-MDM")
    # The passage shown is what the two share beyond the boilerplate.
    (telling,) = duplicate.passages
    assert not telling.common and "Reglamento del Mercado de Abastos de Kepashiato" in \
        telling.text and "194" not in telling.text
    assert telling.text == telling.checked_text.replace("\n", " ")
    # The constitutional boilerplate every candidate shares is marked as such.
    others = [s for s in report.similar if s.norm.document_id != ids[DUPLICATE]]
    assert len(others) == 3 and all(p.common for s in others for p in s.passages)
    assert all(any("artículo 194 de la Constitución" in p.text for p in s.passages)
               for s in others)
    assert all(s.overlap < 0.5 for s in others)      # boilerplate alone is no duplicate


def test_a_cited_norm_is_no_duplicate_and_a_hidden_one_is_not_shown(archive):
    factory, backend, ids = archive
    with transaction(factory) as session:
        citing = TEXT.replace("CONSIDERANDO:", "CONSIDERANDO:\nQue, la Ordenanza Municipal N° "
                                               "004-2024-MDM aprobó el reglamento;")
        report = check_text(session, citing, backend=backend, visibility=Visibility.everything())
        assert report.similar[0].norm.document_id == ids[DUPLICATE]
        assert report.warnings_of("duplicate") == []

        from docsys.models import Document
        session.get(Document, ids[DUPLICATE]).status = "emitido"      # not published yet
        session.flush()
        index_all(session, backend)
        drafter = check_text(session, TEXT, backend=backend,
                             visibility=visibility_for(get_user(session, "redactor")))
        assert ids[DUPLICATE] not in {s.norm.document_id for s in drafter.similar}
        assert drafter.warnings_of("duplicate") == []
        office = check_text(session, TEXT, backend=backend,
                            visibility=visibility_for(get_user(session, "redactor2")))
        assert office.similar[0].norm.document_id == ids[DUPLICATE]


def test_an_index_behind_the_database_shows_nothing_hidden(archive):
    """The index still says "published" for a norm the database no longer shows a drafter
    of another office (say, the index was unavailable when it changed)."""
    factory, backend, ids = archive
    with transaction(factory) as session:
        from docsys.models import Document
        session.get(Document, ids[DUPLICATE]).status = "emitido"       # index not told
        session.flush()
        drafter = check_text(session, TEXT, backend=backend,
                             visibility=visibility_for(get_user(session, "redactor")))
    assert ids[DUPLICATE] not in {s.norm.document_id for s in drafter.similar}
    assert drafter.similar and drafter.warnings_of("duplicate") == []
