"""The signature stamps of an issued norm sit with the signature block, at the foot of the
last page of text: whatever the length of the document, no signed PDF ends with a page that
holds only stamps. Signed PDFs are read back with pypdf (where the stamps are) and poppler's
pdftotext (what text each page carries)."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from docsys import issuing, versions, workflow
from docsys.db import transaction
from docsys.drafting import service
from docsys.signing import pades
from tests.conftest import get_user
from tests.finishing import fill_prompts
from tests.issuing.support import SECRET, FIELDS, RGM, give_vistos, pages_text

LINE = "Que, se deja constancia del antecedente número {n} obrante en el expediente;"


def _issue_with_extra_paragraphs(session, settings, extra: int):
    """An approved resolution with ``extra`` more considerandos, issued and signed."""
    author = get_user(session, "redactor")
    document = service.create_document(session, RGM, {"sumilla": f"Norma de {extra} párrafos",
                                                      **FIELDS}, author)
    latest = versions.latest_version(session, document)
    content = fill_prompts(latest.content)
    considerando = next(s for s in content["sections"] if s["key"] == "considerando")
    considerando["items"] += [{"id": f"x{n:07d}", "text": LINE.format(n=n)}
                              for n in range(extra)]
    versions.save_version(session, document, content, latest.number, author, note="Largo")
    workflow.transition(session, document, "enviar", author)
    give_vistos(session, settings, document)
    workflow.transition(session, document, "aprobar", get_user(session, "asesor"))
    issuance = issuing.issue(session, settings, document, get_user(session, "gerente"),
                             date=dt.date(2026, 3, 12), secret=SECRET)
    return issuing.signed_pdf(settings, issuance)


def _stamp_pages(pdf: bytes) -> dict[str, int]:
    """Each signature field's page (zero-based), read from the widgets of the signed PDF."""
    reader = PdfReader(io.BytesIO(pdf))
    found = {}
    for index, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/FT") == "/Sig" or annot.get("/Parent", {}).get("/FT") == "/Sig":
                found[str(annot.get("/T") or annot["/Parent"]["/T"])] = index
    return found


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_no_signed_pdf_ends_with_a_page_of_stamps_only(signing_ready, settings, tmp_path):
    # Two to four pages; before the fix, 4 and 32 ended with the signature block or the
    # stamps alone on a page.
    lengths = [0, 4, 12, 24, 32]
    page_counts = set()
    for extra in lengths:
        with transaction(signing_ready) as session:
            pdf = _issue_with_extra_paragraphs(session, settings, extra)
        pages = pages_text(pdf, tmp_path)
        page_counts.add(len(pages))
        stamps = _stamp_pages(pdf)
        last = len(PdfReader(io.BytesIO(pdf)).pages) - 1
        assert len(pages) == last + 1
        # Every stamp (vistos buenos and the final signature) is on the last page...
        assert set(stamps) == {"VB_1", "VB_2", pades.FINAL_FIELD}, stamps
        assert set(stamps.values()) == {last}, (extra, stamps)
        # ... which is the page of the signature block and carries text of the norm.
        text = " ".join(pages[-1].split())
        assert "Jorge Mendoza Salas" in text, (extra, text)
        assert "REGÍSTRESE, COMUNÍQUESE Y CÚMPLASE." in text, (extra, text)
        # The last words of the last article come along with the signature.
        assert "cargo de la Oficina de Tecnologías de la Información." in text, (extra, text)
    assert len(page_counts) >= 2, page_counts  # the lengths did cross page breaks
