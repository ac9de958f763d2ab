"""Helpers: a small archive of norms stored as the import stores them, and its index."""
from __future__ import annotations

from sqlalchemy import select

from demo.compliance import store_archive_norm
from docsys.models import Office
from tests.conftest import get_user

ROF = ("ORDENANZA MUNICIPAL N° 012-2019-MDM", "2019-04-26",
       "Aprueba el Reglamento de Organización y Funciones",
       ["EL CONCEJO MUNICIPAL HA DADO LA ORDENANZA SIGUIENTE:",
        "Artículo 1.- APROBAR el Reglamento de Organización y Funciones de la Municipalidad "
        "Distrital de Megantoni, conforme al artículo 9 de la Ley N° 27972.",
        "REGÍSTRESE, PUBLÍQUESE Y CÚMPLASE."])
CUIS = ("ORDENANZA MUNICIPAL N° 008-2021-MDM", "2021-06-15",
        "Aprueba el Cuadro Único de Infracciones y Sanciones",
        ["Artículo 1.- APROBAR el Reglamento de Aplicación de Sanciones Administrativas y el "
         "Cuadro Único de Infracciones y Sanciones de la Municipalidad Distrital de Megantoni "
         "para el comercio ambulatorio, los mercados y la limpieza pública.",
         "REGÍSTRESE, PUBLÍQUESE Y CÚMPLASE."])
REPEALER = ("ORDENANZA MUNICIPAL N° 002-2025-MDM", "2025-02-14",
            "Aprueba el nuevo Cuadro de Infracciones y Sanciones",
            ["Artículo 1.- APROBAR el nuevo Cuadro de Infracciones y Sanciones.",
             "Artículo 2.- DERÓGUESE la Ordenanza Municipal N° 008-2021-MDM.",
             "REGÍSTRESE, PUBLÍQUESE Y CÚMPLASE."])
MODIFIER = ("ORDENANZA MUNICIPAL N° 004-2022-MDM", "2022-03-30",
            "Modifica el Reglamento de Organización y Funciones",
            ["Artículo 1.- MODIFÍQUESE el artículo 12 de la Ordenanza Municipal N° 012-2019-MDM.",
             "REGÍSTRESE, PUBLÍQUESE Y CÚMPLASE."])
DELEGATION = ("RESOLUCIÓN DE ALCALDÍA N° 145-2023-A-MDM", "2023-08-10",
              "Delega atribuciones administrativas en el Gerente Municipal",
              ["SE RESUELVE:", "ARTÍCULO PRIMERO.- DELEGAR en el Gerente Municipal la "
               "aprobación de expedientes técnicos.", "REGÍSTRESE, COMUNÍQUESE Y CÚMPLASE."])

TYPES = {"ORDENANZA": "OM", "RESOLUCIÓN DE ALCALDÍA": "RA", "RESOLUCIÓN DE GERENCIA MUNICIPAL":
         "RGM", "DECRETO": "DA", "RESOLUCIÓN DE GERENCIA N": "RG", "DIRECTIVA": "DIR"}


def doc_type_of(number: str) -> str:
    return next(code for prefix, code in sorted(TYPES.items(), key=lambda kv: -len(kv[0]))
                if number.startswith(prefix))


def add_norm(session, spec, office="SG", analyze=True, author="archivo"):
    number, date, title, paragraphs = spec
    office_row = session.scalar(select(Office).where(Office.code == office))
    document = store_archive_norm(session, doc_type=doc_type_of(number), number=number,
                                  date=date, sumilla=title, paragraphs=paragraphs,
                                  office=office_row, author=get_user(session, author),
                                  analyze=analyze)
    return document


def index_all(session, backend) -> None:
    """Put every document in the search index, as the outbox consumer would."""
    from docsys.indexing import load_docs
    from docsys.models import Document

    backend.index(load_docs(session, list(session.scalars(select(Document.id)))))
