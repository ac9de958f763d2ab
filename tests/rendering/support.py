"""Fixture content and read-back helpers for the rendering tests (no Flask, no database)."""
from __future__ import annotations

import io
import shutil
import subprocess

import pytest

from docsys.rendering import build_meta

SETTINGS = {
    "MUNICIPALITY_NAME": "Municipalidad Distrital de Megantoni",
    "MUNICIPALITY_CODE": "MDM",
    "MUNICIPALITY_PLACE": "Camisea",
    "MUNICIPALITY_LOCATION": "Provincia de La Convención - Región Cusco",
    "YEAR_NAME": "Año de la recuperación y consolidación de la economía peruana",
}
RGM_TEMPLATE = {
    "key": "resolucion-gerencia-municipal",
    "doc_type": "RGM",
    "issuing_office": "GM",
    "heading": "RESOLUCIÓN DE GERENCIA MUNICIPAL N° {numero}",
    "number_pattern": "{seq:04d}-{year}-GM-{muni}",
}

_LEGAL_BASES = [
    "el artículo 194 de la Constitución Política del Perú, modificado por la Ley N° 30305, "
    "establece que las municipalidades provinciales y distritales son los órganos de gobierno "
    "local y tienen autonomía política, económica y administrativa en los asuntos de su competencia",
    "el artículo II del Título Preliminar de la Ley N° 27972, Ley Orgánica de Municipalidades, "
    "precisa que dicha autonomía radica en la facultad de ejercer actos de gobierno, "
    "administrativos y de administración, con sujeción al ordenamiento jurídico",
    "el artículo 39 de la Ley N° 27972 establece que las gerencias resuelven los aspectos "
    "administrativos a su cargo a través de resoluciones y directivas",
    "el numeral 85.2 del artículo 85 del Texto Único Ordenado de la Ley N° 27444, aprobado por "
    "Decreto Supremo N° 004-2019-JUS, dispone que los órganos de dirección se encuentran "
    "liberados de cualquier rutina de ejecución",
]
_ACTS = ["APROBAR", "ENCARGAR", "NOTIFICAR", "DISPONER", "AUTORIZAR", "RECONOCER"]


def considerando(index: int) -> str:
    base = _LEGAL_BASES[index % len(_LEGAL_BASES)]
    return f"Que, {base} (considerando {index + 1}, referencia C{index + 1:03d});"


def article_text(index: int) -> str:
    act = _ACTS[index % len(_ACTS)]
    return (f"{act} el expediente técnico del proyecto N° {2400 + index}-2024 «Mejoramiento del "
            f"servicio de agua potable en la comunidad nativa de Camisea», por el monto de "
            f"S/ {1000 * (index + 1)}.00 (referencia A{index + 1:03d}).")


def resolution_content(considerandos: int = 8, articles: int = 5, *, numbering: str = "ordinal_upper",
                       fecha: str = "2024-03-12", extra_fields: dict | None = None) -> dict:
    """A Resolución de Gerencia Municipal with the given number of considerandos and articles."""
    fields = {
        "sumilla": "Aprobar el expediente técnico del proyecto de agua potable de Camisea",
        "expediente": "2024-004512",
        "lugar": "Camisea",
        "fecha": fecha,
        "firmante_nombre": "Abog. Jorge Mendoza Salas",
        "firmante_cargo": "Gerente Municipal",
    }
    fields.update(extra_fields or {})
    return {
        "doc_type": "RGM",
        "fields": fields,
        "sections": [
            {"key": "visto", "title": "VISTO:", "kind": "paragraphs", "numbering": "none",
             "items": [{"id": "v1", "text": "El Expediente N° 2024-004512; el Informe N° 123-2024-"
                                            "GDUR-MDM de la Gerencia de Desarrollo Urbano y Rural; y,"}]},
            {"key": "considerando", "title": "CONSIDERANDO:", "kind": "paragraphs",
             "numbering": "none",
             "items": [{"id": f"c{i}", "text": considerando(i)} for i in range(considerandos)]},
            {"key": "resuelve", "title": "SE RESUELVE:", "kind": "articles", "numbering": numbering,
             "items": [{"id": f"a{i}", "text": article_text(i)} for i in range(articles)]},
        ],
        "closing": "REGÍSTRESE, COMUNÍQUESE Y CÚMPLASE.",
    }


def meta_for(content, number=None, version_label="", template=None):
    return build_meta(SETTINGS, template or RGM_TEMPLATE, content, number=number,
                      version_label=version_label)


def words(text: str) -> list[str]:
    return text.split()


def remove_run(sequence: list[str], run: list[str]) -> list[str]:
    """``sequence`` without the first contiguous occurrence of ``run``; fails if absent."""
    n = len(run)
    for start in range(len(sequence) - n + 1):
        if sequence[start:start + n] == run:
            return sequence[:start] + sequence[start + n:]
    raise AssertionError(f"{' '.join(run)!r} not found in page text")


def body_words(page_texts: list[str], furniture: list[str]) -> list[str]:
    """The words of a PDF's pages with the page furniture (letterhead lines, version label,
    "Página i de N") removed from every page, each exactly once."""
    total = len(page_texts)
    out: list[str] = []
    for number, text in enumerate(page_texts, start=1):
        page = words(text)
        for line in furniture + [f"Página {number} de {total}"]:
            page = remove_run(page, words(line))
        out.extend(page)
    return out


def pypdf_pages(pdf: bytes) -> list[str]:
    from pypdf import PdfReader
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def pdftotext_pages(pdf: bytes) -> list[str]:
    binary = shutil.which("pdftotext")
    if binary is None:
        pytest.fail("pdftotext (poppler-utils) is required: scripts/setup.sh installs it")
    out = subprocess.run([binary, "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True,
                         check=True).stdout.decode("utf-8")
    pages = out.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return pages
