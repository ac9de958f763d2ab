"""Fixtures of the search tests: every backend, and a small corpus of Megantoni norms.

``any_backend`` runs a test on the embedded engine (in memory and on disk) and on
Elasticsearch when ELASTICSEARCH_URL is set; otherwise the Elasticsearch run is reported as
skipped with the reason.
"""
from __future__ import annotations

import os
import uuid

import pytest

from search import SearchDoc, Visibility
from search.embedded import EmbeddedBackend

ALL = Visibility.everything()


def make_doc(n: int, doc_type: str, title: str, body: str = "", *, number: str = "",
             date: str | None = None, office: str = "GM", status: str = "vigente",
             published: bool = True, signer: str = "", created_by: int = 1,
             version: int = 1) -> SearchDoc:
    return SearchDoc(id=f"doc-{n}", document_id=n, version_number=version, doc_type=doc_type,
                     number=number, title=title, body=body, date=date, office=office,
                     status=status, published=published, signer=signer, created_by=created_by)


CORPUS = [
    make_doc(1, "OM", "Ordenanza que aprueba el régimen de arbitrios municipales",
             "EL ALCALDE DE LA MUNICIPALIDAD DISTRITAL DE MEGANTONI. POR CUANTO: El Concejo "
             "Municipal, en sesión ordinaria, aprobó la ordenanza que regula los arbitrios de "
             "limpieza pública, parques y jardines y serenazgo. Conforme a la Ley N° 27972. "
             "Artículo 2.- DERÓGASE la Ordenanza Municipal N° 005-2015-MDM.",
             number="ORDENANZA MUNICIPAL N° 012-2019-MDM", date="2019-05-02", office="CM",
             signer="Juan Pérez Quispe"),
    make_doc(2, "RA", "Designan responsable de la licencia de funcionamiento",
             "VISTO: el Informe N° 120-2023-GDE-MDM. CONSIDERANDO: Que, conforme a la "
             "Ordenanza Municipal N° 012-2019-MDM y a la Ley N° 27972, corresponde designar al "
             "responsable de emitir la licencia de funcionamiento de los establecimientos.",
             number="RESOLUCIÓN DE ALCALDÍA N° 145-2023-A-MDM", date="2023-08-10",
             office="ALC", signer="Rosa Huamán Ccahuana"),
    make_doc(3, "RGM", "Declaran infundado el recurso de apelación",
             "Que, el recurso de apelación interpuesto por don Víctor Apaza no desvirtúa los "
             "fundamentos de la resolución impugnada; por lo que se declara infundado, dándose "
             "por agotada la vía administrativa.",
             number="RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0045-2024-GM-MDM", date="2024-03-12",
             office="GM", signer="Carlos Quispe Mamani"),
    make_doc(4, "OM", "Ordenanza de arbitrios del ejercicio 2015",
             "Regula los arbitrios del ejercicio fiscal.", number="ORDENANZA MUNICIPAL N° "
             "005-2015-MDM", date="2015-02-10", office="CM", status="derogada",
             signer="Juan Pérez Quispe"),
    make_doc(5, "DA", "Reglamentan la ordenanza de arbitrios",
             "Reglamento de la Ordenanza Municipal N° 012-2019-MDM sobre arbitrios.",
             number="DECRETO DE ALCALDÍA N° 003-2020-A-MDM", date="2020-07-01", office="ALC",
             status="modificada", signer="Rosa Huamán Ccahuana"),
    make_doc(6, "RG", "Otorgan licencia de edificación en Kiteni",
             "Se otorga licencia de edificación para la institución educativa de Kiteni.",
             number="RESOLUCIÓN DE GERENCIA N° 021-2024-GDUR-MDM", date="2024-06-01",
             office="GDUR", signer="Luis Condori Mamani"),
    # drafts: unpublished, no number
    make_doc(7, "RA", "Proyecto de modificación presupuestaria reservada",
             "Borrador sobre la modificación presupuestaria del canon gasífero.",
             office="GDUR", status="borrador", published=False, created_by=20),
    make_doc(8, "RGM", "Proyecto de designación del responsable de caja chica",
             "Borrador: caja chica de la Gerencia Municipal.", office="GM", status="borrador",
             published=False, created_by=10),
    make_doc(9, "DIR", "Proyecto de directiva de viáticos",
             "Borrador de la directiva de viáticos y caja chica para comisiones de servicio.",
             office="GAF", status="borrador", published=False, created_by=10),
    make_doc(10, "LEY", "Ley Orgánica de Municipalidades",
             "Los gobiernos locales gozan de autonomía política, económica y administrativa.",
             number="LEY N° 27972", date="2003-05-26", office="SG"),
    make_doc(11, "RA", "Dejan sin efecto la licencia <provisional> & otras",
             "Dejar sin efecto la licencia de funcionamiento otorgada; ver <script>alert('x')"
             "</script> & anexos.", number="RESOLUCIÓN DE ALCALDÍA N° 146-2023-A-MDM",
             date="2023-11-20", office="ALC", signer="Rosa Huamán Ccahuana"),
    # issued but not yet published (GM)
    make_doc(12, "RGM", "Aprueban el plan anual de contrataciones",
             "Se aprueba el plan anual de contrataciones del ejercicio.",
             number="RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0046-2024-GM-MDM", date="2024-04-02",
             office="GM", published=False, signer="Carlos Quispe Mamani", created_by=11),
]


def _elasticsearch_backend():
    url = os.environ.get("ELASTICSEARCH_URL")
    if not url:
        pytest.skip("ELASTICSEARCH_URL no definido: las pruebas de contrato de Elasticsearch "
                    "necesitan un servidor (p. ej. ELASTICSEARCH_URL=http://localhost:9200)")
    from search.elastic import ElasticsearchBackend

    return ElasticsearchBackend(url, prefix=f"docsys-test-{uuid.uuid4().hex[:10]}")


@pytest.fixture(params=[
    "embedded-memory", "embedded-disk",
    pytest.param("elasticsearch", marks=pytest.mark.elasticsearch),
])
def any_backend(request, tmp_path):
    """A fresh, empty backend of each kind."""
    if request.param == "embedded-memory":
        backend = EmbeddedBackend(None)
    elif request.param == "embedded-disk":
        backend = EmbeddedBackend(tmp_path / "index")
    else:
        backend = _elasticsearch_backend()
    yield backend
    if request.param == "elasticsearch":
        backend.client.indices.delete(index=f"{backend.prefix}-*", ignore_unavailable=True)
    backend.close()


@pytest.fixture
def loaded(any_backend):
    any_backend.index(CORPUS)
    return any_backend


def ids(results) -> list[str]:
    return [h.id for h in results.hits]
