"""The compliance report against a real archive (SQLite and PostgreSQL) and a real index."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from docsys.compliance.norms import confirm_relation
from docsys.compliance.report import check_text, check_version
from docsys.db import transaction
from docsys.errors import ValidationError
from docsys.models import NormRelation
from search import SearchUnavailable, Visibility
from search.embedded import EmbeddedBackend
from tests.compliance.support import (CUIS, DELEGATION, MODIFIER, REPEALER, ROF, add_norm,
                                      index_all)
from tests.conftest import get_user

ALL = Visibility.everything()

DRAFT = """ORDENANZA MUNICIPAL N° 015-2026-MDM
EL CONCEJO MUNICIPAL HA DADO LA ORDENANZA SIGUIENTE:
CONSIDERANDO:
Que, el artículo 40 de la Ley N° 27972 establece que las ordenanzas son normas de carácter general;
Que, el Cuadro Único de Infracciones y Sanciones fue aprobado por la Ordenanza Municipal N° 008-2021-MDM;
Que, el artículo 12 de la Ordenanza Municipal N° 012-2019-MDM regula la Gerencia Municipal;
Que, la Ordenanza Municipal N° 013-2019-MDM regula el comercio;
Artículo 1.- APROBAR el Reglamento de Aplicación de Sanciones Administrativas y el Cuadro Único de Infracciones y Sanciones de la Municipalidad Distrital de Megantoni para el comercio ambulatorio, los mercados y la limpieza pública.
Artículo 2.- DEJAR SIN EFECTO la Resolución de Alcaldía N° 145-2023-A-MDM.
REGÍSTRESE, PUBLÍQUESE Y CÚMPLASE."""


@pytest.fixture
def archive(session_factory, tmp_path):
    """ROF (modified), CUIS (repealed), the delegation, the norms that changed them; indexed."""
    backend = EmbeddedBackend(tmp_path / "index")
    with transaction(session_factory) as session:
        add_norm(session, ROF)
        add_norm(session, CUIS)
        add_norm(session, DELEGATION, office="A")
        add_norm(session, MODIFIER)
        add_norm(session, REPEALER)
        archivist = get_user(session, "archivo")
        for relation in session.scalars(select(NormRelation)).all():
            confirm_relation(session, relation, archivist)
        index_all(session, backend)
    yield session_factory, backend
    backend.close()


def kinds(report):
    return [(w.kind, w.canonical_id) for w in report.warnings]


def test_the_report_of_a_draft(archive):
    factory, backend = archive
    with transaction(factory) as session:
        report = check_text(session, DRAFT, backend=backend, visibility=ALL)
    assert report.doc_type == "OM" and report.own_number == "ORDENANZA MUNICIPAL N° 015-2026-MDM"
    assert [c.citation.canonical_id for c in report.citations] == [
        "LEY-27972", "OM-8-2021", "OM-12-2019", "OM-13-2019", "RA-145-2023"]
    by_id = {c.citation.canonical_id: c for c in report.citations}
    assert by_id["OM-8-2021"].match.legal_status == "derogada"
    assert by_id["OM-12-2019"].citation.articles == ("12",)
    assert by_id["LEY-27972"].match is None and not by_id["LEY-27972"].citation.is_local
    assert kinds(report) == [("repealed", "OM-8-2021"), ("modified", "OM-12-2019"),
                             ("not_found", "OM-13-2019")]
    repealed, modified, missing = report.warnings
    assert repealed.message == ("La Ordenanza Municipal N° 008-2021-MDM está derogada: la "
                                "Ordenanza Municipal N° 002-2025-MDM la derogó, desde el 14 de "
                                "febrero de 2025.")
    assert DRAFT[repealed.start:repealed.end] == "Ordenanza Municipal N° 008-2021-MDM"
    assert "modificó el artículo 12" in modified.message and "Se cita el artículo 12" in \
        modified.message
    assert missing.message.startswith("La Ordenanza Municipal N° 013-2019-MDM no está en el archivo")
    assert "¿Quiso decir la Ordenanza Municipal N° 012-2019-MDM" not in missing.message
    assert [(r.mention.kind, r.match.number) for r in report.relations] == \
        [("deroga", "RESOLUCIÓN DE ALCALDÍA N° 145-2023-A-MDM")]
    similar = {s.norm.number: s for s in report.similar}
    assert report.similar[0].norm.number in ("ORDENANZA MUNICIPAL N° 008-2021-MDM",
                                             "ORDENANZA MUNICIPAL N° 002-2025-MDM")
    cuis = similar["ORDENANZA MUNICIPAL N° 008-2021-MDM"]
    assert any("Cuadro Único de Infracciones y Sanciones de la Municipalidad Distrital" in p.text
               for p in cuis.passages)
    data = report.to_dict()
    assert data["summary"] == {"citations": 5, "cited_norms": 5, "warnings": 3,
                               "similar": len(report.similar)}
    assert data["warnings"][0]["kind"] == "repealed" and "text" not in data


def test_a_wrong_year_suggests_the_norm_in_the_archive(archive):
    factory, _ = archive
    with transaction(factory) as session:
        report = check_text(session, "Que, según la Ordenanza Municipal N° 012-2020-MDM;")
    (warning,) = report.warnings
    assert warning.kind == "not_found" and warning.message.endswith(
        "¿Quiso decir la Ordenanza Municipal N° 012-2019-MDM?")
    assert report.doc_type is None and report.notes       # type unknown: structure not checked


def test_pending_relations_are_announced(session_factory):
    with transaction(session_factory) as session:
        add_norm(session, CUIS)
        add_norm(session, REPEALER)
        report = check_text(session, "Conforme a la Ordenanza Municipal N° 008-2021-MDM;")
    (warning,) = report.warnings
    assert warning.kind == "relation_pending"
    assert "podría estar derogada por la Ordenanza Municipal N° 002-2025-MDM" in warning.message


SPIJ_REPEAL = ("## ORDENANZA MUNICIPAL N° 012-2019-MDM (\\*)\n\n(\\*) DEROGADA por la [Ley N° "
               "32114](/spij-ext-web/detallenorma/H1), publicada el 03 setiembre 2024\n")
SPIJ_CHANGES = "".join(
    f"(*) Artículo modificado por el [Artículo 1 del Decreto Legislativo N° {n}]"
    f"(/spij-ext-web/detallenorma/H{n}), publicado el 10 diciembre {year}\n"
    for n, year in ((1260, 2014), (1261, 2015), (1262, 2016), (1263, 2017)))


def _warning_on_a_noted_norm(session_factory, notes: str, status: str):
    """The one warning of a draft citing the ROF once ``notes`` (SPIJ's) are recorded on it."""
    from docsys.compliance.norms import record_source_notes
    with transaction(session_factory) as session:
        rof = add_norm(session, ROF)
        record_source_notes(session, rof, notes)
        assert rof.legal_status == status
        report = check_text(session, "Conforme a la Ordenanza Municipal N° 012-2019-MDM;")
    (warning,) = report.warnings
    return warning


def test_a_norm_repealed_by_the_source_s_notes_names_what_repealed_it(session_factory):
    """A national norm's status often comes from SPIJ's notes alone (the norm that
    repealed it is not in the archive): the warning names it, as the notes' word."""
    warning = _warning_on_a_noted_norm(session_factory, SPIJ_REPEAL, "derogada")
    assert warning.kind == "repealed"
    assert warning.message == (
        "La Ordenanza Municipal N° 012-2019-MDM está derogada: la Ley N° 32114 la derogó, "
        "desde el 3 de setiembre de 2024 (según las notas del texto importado).")


def test_a_norm_modified_many_times_by_the_notes_names_the_newest(session_factory):
    warning = _warning_on_a_noted_norm(session_factory, SPIJ_CHANGES, "modificada")
    assert warning.kind == "modified"
    assert warning.message.startswith(
        "La Ordenanza Municipal N° 012-2019-MDM fue modificada: el Decreto Legislativo N° 1261 "
        "modificó parte de ella (Artículo), desde el 10 de diciembre de 2015; ")
    assert "N° 1263" in warning.message and "N° 1260" not in warning.message
    assert warning.message.endswith("; y 1 cambio anterior (según las notas del texto "
                                    "importado).")


LP_CHANGES = ("Artículo 5.- Del domicilio\nTexto.\n* Artículo modificado por la Ley 30305, "
              "publicada el 10 de marzo de 2015.\nArtículo 9.- De la sede\nTexto.\n* Párrafo "
              "segundo modificado por la Ley 31000, publicada el 2 de enero de 2020.\n")


def test_a_norm_changed_article_by_article_is_told_only_of_the_cited_articles(session_factory):
    """The notes name the article each change touched (LP's, as in the Constitution): a
    draft citing article 5 hears of article 5's change only; one citing article 7, which
    no note names, hears nothing; one citing the norm without an article hears of all."""
    from docsys.compliance.norms import record_source_notes
    with transaction(session_factory) as session:
        rof = add_norm(session, ROF)
        record_source_notes(session, rof, LP_CHANGES)
        assert rof.legal_status == "modificada"

        def warnings(text):
            return [w.message for w in check_text(session, text).warnings]

        (told,) = warnings("Conforme al artículo 5 de la Ordenanza Municipal N° 012-2019-MDM;")
        assert "la Ley N° 30305 modificó parte de ella (Artículo 5)" in told
        assert "31000" not in told and told.endswith(
            "Se cita el artículo 5, que fue modificado o derogado: verifique su texto vigente.")
        assert warnings("Conforme al artículo 7 de la Ordenanza Municipal N° 012-2019-MDM;") == []
        (whole,) = warnings("Conforme a la Ordenanza Municipal N° 012-2019-MDM;")
        assert "30305" in whole and "31000" in whole


ONE_LAW_TWO_ARTICLES = (
    "Artículo 5.- Del domicilio\nTexto.\n* Artículo modificado por la Ley 30305, publicada el "
    "10 de marzo de 2015.\nArtículo 9.- De la sede\nTexto.\n* Artículo modificado por la Ley "
    "30305, publicada el 10 de marzo de 2015.\n")


def test_one_change_of_several_articles_is_told_once(session_factory):
    """The notes name each article a law changed: the warning names the law once, with
    them, and says that both cited articles were changed."""
    from docsys.compliance.norms import record_source_notes
    with transaction(session_factory) as session:
        rof = add_norm(session, ROF)
        record_source_notes(session, rof, ONE_LAW_TWO_ARTICLES)
        (told,) = [w.message for w in check_text(
            session, "Conforme a los artículos 5 y 9 de la Ordenanza Municipal N° "
                     "012-2019-MDM;").warnings]
    assert told == (
        "La Ordenanza Municipal N° 012-2019-MDM fue modificada: la Ley N° 30305 modificó parte "
        "de ella (artículos 5 y 9), desde el 10 de marzo de 2015 (según las notas del texto "
        "importado). Se citan los artículos 5 y 9, que fueron modificados o derogados: "
        "verifique su texto vigente.")


def test_structure_findings_are_warnings(session_factory):
    with transaction(session_factory) as session:
        report = check_text(session, "RESOLUCIÓN DE ALCALDÍA N° 010-2026-A-MDM\nSe aprueba.",
                            similar_limit=3)
    assert report.doc_type == "RA"
    rules = [w.rule for w in report.warnings if w.kind == "missing_structure"]
    assert {"visto", "considerando", "se-resuelve", "cierre"} <= set(rules)


def test_a_norm_that_cites_itself_is_not_a_citation(archive):
    factory, _ = archive
    with transaction(factory) as session:
        text = ROF[0] + "\n" + "\n".join(ROF[3])
        report = check_text(session, text)
        assert report.own_number == ROF[0]
        assert [c.citation.canonical_id for c in report.citations] == ["LEY-27972"]


@pytest.mark.parametrize("bad, message", [
    ("", "vacío"), ("   \n\t ", "vacío"), (None, "Envíe"), (123, "cadena"),
    ("\x00\x01\x02\x03", "vacío"), ("!!! ??? ---", "palabras"),
    ("a" * 1_000_001, "caracteres"),
])
def test_bad_text_is_refused_with_a_reason(session_factory, bad, message):
    with transaction(session_factory) as session:
        with pytest.raises(ValidationError, match=message):
            check_text(session, bad)


def test_binary_junk_gives_an_empty_report(session_factory):
    junk = bytes(range(256)).decode("latin-1") * 20
    with transaction(session_factory) as session:
        report = check_text(session, junk)
    assert report.citations == [] and report.similar == []


def test_an_unavailable_index_only_adds_a_note(session_factory):
    class Down:
        def more_like_this(self, *args, **kwargs):
            raise SearchUnavailable("El índice de búsqueda está ocupado.")

    with transaction(session_factory) as session:
        report = check_text(session, DRAFT, backend=Down(), visibility=ALL)
    assert report.similar == [] and any("ocupado" in n for n in report.notes)


def test_the_report_of_a_saved_version(archive):
    from docsys.drafting import service
    from docsys.versions import latest_version

    factory, backend = archive
    with transaction(factory) as session:
        draft = service.create_document(session, "resolucion-gerencia-municipal", {
            "sumilla": "Aprobar el expediente técnico", "expediente": "2026-1",
            "informes": "el Informe N° 1-2026-GIP-MDM",
            "resolucion_delegacion": "Resolución de Alcaldía N° 145-2023-A-MDM"},
            get_user(session, "redactor"))
        report = check_version(session, draft, latest_version(session, draft), backend=backend,
                               visibility=ALL)
    assert report.doc_type == "RGM" and report.own_number is None
    assert [w.rule for w in report.warnings] == ["indicaciones"]
    assert "RA-145-2023" in {c.citation.canonical_id for c in report.citations}
    assert all(s.norm.document_id != draft.id for s in report.similar)
