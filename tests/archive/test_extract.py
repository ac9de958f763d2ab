"""Text out of real files: generated PDFs, DOCX, a scanned page read by tesseract in
Spanish, DOC through antiword and LibreOffice; and every kind of bad input refused with a
Spanish reason and a stable code."""
from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import pytest
from pypdf import PdfReader, PdfWriter

from docsys.archive import extract as extract_module
from docsys.archive import ExtractionError, extract_file


def _refused(data: bytes, name: str, **kwargs) -> ExtractionError:
    with pytest.raises(ExtractionError) as caught:
        extract_file(data, name, **kwargs)
    error = caught.value
    assert error.message and "«" in error.message  # names the file for the archivist
    return error


# ---------------------------------------------------------------------------- good files


def test_text_pdf_keeps_accents_numbers_and_pages(pdf_of, norms):
    result = extract_file(pdf_of(1), "RGM 2024.pdf")
    assert result.method == "pdf-text" and not result.ocr and result.ocr_confidence is None
    assert result.pages == 1 and result.mime == "application/pdf"
    assert norms[1].heading in result.text  # "RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0..."
    assert "CONSIDERANDO:" in result.text and "Megantoni" in result.text
    assert result.sha256 == __import__("hashlib").sha256(pdf_of(1)).hexdigest()
    assert result.warnings == ()


def test_multi_page_pdf_separates_pages_with_form_feeds(pdf_of):
    writer = PdfWriter()
    for index in (1, 2):
        for page in PdfReader(io.BytesIO(pdf_of(index))).pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    result = extract_file(out.getvalue(), "dos.pdf")
    assert result.pages == 2 and result.text.count("\f") == 1


def test_docx_paragraphs_in_order(docx_of, norms):
    result = extract_file(docx_of(2), "norma.docx")
    assert result.method == "docx" and result.pages is None
    lines = result.text.splitlines()
    assert lines[0] == "MUNICIPALIDAD DISTRITAL DE MEGANTONI"
    assert norms[2].heading in lines and norms[2].date_line in lines


def test_docx_tables_text_boxes_and_tracked_deletions():
    import docx

    document = docx.Document()
    document.add_paragraph("ACUERDO DE CONCEJO N° 034-2024-MDM")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Regidor", "Voto a favor"
    paragraph = document.add_paragraph("Texto vigente ")
    deleted = paragraph._p.makeelement(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}del", {})
    run = paragraph.add_run("texto borrado")
    run._r.getparent().remove(run._r)
    deleted.append(run._r)
    for t in run._r.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"):
        t.tag = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}delText"
    paragraph._p.append(deleted)
    out = io.BytesIO()
    document.save(out)
    text = extract_file(out.getvalue(), "acuerdo.docx").text
    assert "Regidor\tVoto a favor" in text
    assert "Texto vigente" in text and "borrado" not in text


def test_scanned_page_is_read_by_ocr_in_spanish(scan_bytes, scan_norm):
    result = extract_file(scan_bytes, "escaneado.pdf")
    assert result.method == "ocr" and result.ocr and result.ocr_pages == (1,)
    assert 60 <= result.ocr_confidence <= 100
    text = result.text
    for words in ("RESOLUCIÓN DE ALCALDÍA", "CONSIDERANDO", "SE RESUELVE", "REGÍSTRESE"):
        assert words in text, words
    # Nearly every word of the printed page is recognised, accents included.
    import re
    printed = {w for w in re.findall(r"\w{4,}", scan_norm.text())}
    recognised = set(re.findall(r"\w{4,}", text))
    assert len(printed & recognised) >= 0.9 * len(printed), printed - recognised
    assert {"Constitución", "Política", "artículo", "Municipalidades"} <= recognised
    # Tesseract's "N*" for "N°" is put back, so numbers and citations read as typed.
    assert scan_norm.heading in text
    assert "Ley N° 27972" in text or "Ley N° 30305" in text


def test_only_the_scanned_page_of_a_mixed_pdf_is_ocrd(pdf_of, scan_bytes):
    writer = PdfWriter()
    for data in (pdf_of(3), scan_bytes):
        for page in PdfReader(io.BytesIO(data)).pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    result = extract_file(out.getvalue(), "mixto.pdf")
    assert result.ocr_pages == (2,) and result.pages == 2
    first, second = result.text.split("\f")
    assert "CONSIDERANDO" in first and "RESOLUCIÓN DE ALCALDÍA" in second


def test_plain_text_in_utf8_and_windows_1252():
    text = "RESOLUCIÓN DE ALCALDÍA N° 145-2023-A-MDM\nCamisea, 12 de marzo de 2023\n"
    assert "ALCALDÍA" in extract_file(text.encode("utf-8"), "r.txt").text
    legacy = extract_file(text.encode("cp1252"), "r.txt")
    assert legacy.method == "txt" and "RESOLUCIÓN" in legacy.text


def test_extension_that_lies_is_read_by_content_with_a_warning(docx_of):
    result = extract_file(docx_of(2), "norma.pdf")
    assert result.method == "docx"
    assert any("no coincide" in w for w in result.warnings)


@pytest.fixture(scope="session")
def doc_bytes(docx_of, tmp_path_factory) -> bytes:
    """A Word 97-2003 file made by LibreOffice from a generated DOCX."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (libreoffice-writer-nogui) is a runtime dependency"
    folder = tmp_path_factory.mktemp("doc")
    (folder / "norma.docx").write_bytes(docx_of(4))
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{folder}/perfil",
                    "--convert-to", "doc", "--outdir", str(folder), str(folder / "norma.docx")],
                   check=True, capture_output=True, timeout=180, env={"HOME": str(folder),
                                                                      "PATH": "/usr/bin:/bin"})
    return (folder / "norma.doc").read_bytes()


def test_doc_is_read_by_antiword(doc_bytes, norms):
    result = extract_file(doc_bytes, "antigua.doc")
    assert result.method == "doc" and norms[4].heading in result.text


def test_doc_falls_back_on_libreoffice_when_antiword_cannot(doc_bytes, norms, monkeypatch):
    real_which = shutil.which
    monkeypatch.setattr(extract_module.shutil, "which",
                        lambda name: None if name == "antiword" else real_which(name))
    result = extract_file(doc_bytes, "antigua.doc")
    assert result.method == "doc" and norms[4].heading in result.text


def test_misread_number_signs_are_repaired():
    fix = extract_module._fix_number_signs
    assert fix("Ley N* 27972 y N?* 145-2023 y N” 12") == "Ley N° 27972 y N° 145-2023 y N° 12"
    assert fix("ESTADO N* de cosas") == "ESTADO N* de cosas"  # no number follows


# ---------------------------------------------------------------------------- the zoo


def test_empty_and_blank_files():
    assert _refused(b"", "vacio.pdf").code == "empty_file"
    assert _refused(b"  \n ", "vacio.txt").code == "empty_file"
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    assert _refused(out.getvalue(), "blanco.pdf").code == "pdf_no_text"
    out = io.BytesIO()
    PdfWriter().write(out)
    error = _refused(out.getvalue(), "sin-paginas.pdf")
    assert error.code == "pdf_empty" and "no tiene páginas" in error.message


def test_corrupt_and_truncated_pdfs(pdf_of):
    data = pdf_of(1)
    assert _refused(b"%PDF-1.7\n" + b"\x00garbage" * 50, "roto.pdf").code == "pdf_corrupt"
    assert _refused(data[: len(data) // 2], "cortado.pdf").code == "pdf_corrupt"
    nearly = extract_file(data[:-30], "casi.pdf")  # readable, but its end is missing
    assert any("incompleto" in w for w in nearly.warnings)
    assert _refused(b"esto no es un pdf \xff\xfe\x00\x01" * 3, "falso.pdf").code == "pdf_corrupt"


def test_encrypted_pdf_is_refused_but_owner_only_protection_is_read(pdf_of):
    for password in ("clave", ""):
        writer = PdfWriter(clone_from=io.BytesIO(pdf_of(1)))
        writer.encrypt(user_password=password, owner_password="dueño")
        out = io.BytesIO()
        writer.write(out)
        if password:
            error = _refused(out.getvalue(), "cifrado.pdf")
            assert error.code == "pdf_encrypted" and "contraseña" in error.message
        else:
            assert extract_file(out.getvalue(), "permisos.pdf").method == "pdf-text"


def _zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_docx_that_is_not_a_zip_or_not_word():
    error = _refused(b"Hola, esto es texto con extension equivocada \x00\x01", "falso.docx")
    assert error.code == "docx_not_zip" and "ZIP" in error.message
    xlsx = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
    error = _refused(xlsx, "planilla.docx")
    assert error.code == "unknown_type" and "Excel" in error.message
    odt = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
    assert "ODT" in _refused(odt, "libre.docx").message


def test_damaged_docx(docx_of):
    data = bytearray(docx_of(2))
    # Flip bytes inside the compressed main part: its CRC no longer matches.
    start = data.find(b"word/document.xml") + 40
    data[start:start + 200] = bytes(200)
    assert _refused(bytes(data), "danado.docx").code in ("docx_invalid",)
    broken_xml = _zip({"word/document.xml": b"<w:document><w:body><w:p>"})
    assert _refused(broken_xml, "xml.docx").code == "docx_invalid"


def test_zip_bombs_are_refused_before_inflating():
    ratio_bomb = _zip({"word/document.xml": b"\x00" * (3 * 1024 * 1024)})
    error = _refused(ratio_bomb, "bomba.docx")
    assert error.code == "zip_bomb" and "bomba" in error.message.lower()
    many = _zip({f"word/media/{i}.xml": b"x" for i in range(5001)}, zipfile.ZIP_STORED)
    assert _refused(many, "miles.docx").code == "zip_bomb"


def test_oversize_file_is_refused_by_size(pdf_of):
    error = _refused(pdf_of(1), "grande.pdf", max_bytes=1000)
    assert error.code == "too_large" and "máximo" in error.message


@pytest.mark.parametrize("data, name, words", [
    (b"\x89PNG\r\n\x1a\n" + bytes(64), "foto.png", "imagen PNG"),
    (b"\xff\xd8\xff\xe0" + bytes(64), "scan.jpg", "imagen JPEG"),
    (b"MZ\x90\x00" + bytes(64), "programa.exe", "ejecutable"),
    (b"{\\rtf1\\ansi Resoluci\\'f3n}", "norma.rtf", "RTF"),
    (b"<!DOCTYPE html><html><body>Hola</body></html>", "pagina.htm", "HTML"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "libro.xls", "no es de Word"),
    (bytes(range(256)) * 8, "datos.bin", "tipo de archivo desconocido"),
])
def test_unknown_types_say_what_they_are(data, name, words):
    error = _refused(data, name)
    assert error.code == "unknown_type" and words in error.message


def test_odd_file_names_appear_cleaned_in_messages():
    error = _refused(b"\x89PNG\r\n\x1a\n" + bytes(8), "foto\nde\tprueba.png")
    assert "\n" not in error.message and "foto?de?prueba.png" in error.message


def test_plain_text_is_read_in_this_process_even_with_limits(pdf_of):
    """A bulk import reads thousands of Markdown files: decoding text runs no parser that
    could hang, so it is not worth a child process each (a limit no child could meet
    shows where it ran). A PDF still goes to the bounded child, and fails that limit."""
    from docsys.bounded import Limits
    text = "---\ntitle: Ley\n---\n\n## LEY Nº 27972\n\nArtículo 1.- Objeto".encode()
    impossible = Limits(seconds=0.000001)
    found = extract_module.extract_bounded(text, "ley.md", 10_000_000, limits=impossible)
    assert found.method == "txt" and "LEY Nº 27972" in found.text
    with pytest.raises(ExtractionError) as refused:
        extract_module.extract_bounded(pdf_of(0), "a.pdf", 10_000_000, limits=impossible)
    assert refused.value.code == "timeout"


def test_normalize_replaces_the_invisible_and_composed_characters_as_the_table_says():
    """_normalize replaces each character of _CLEAN with str.replace (a norm has hundreds
    of no-break spaces): the same text as translating through the table."""
    from docsys.archive.extract import _CLEAN, _normalize
    text = ("Ley\u00a0N°\u00a027972\r\nde\u202fla o\ufb01cina\u00ad\r\u200bfin\x0b"
            "\ufeffArt.\u00a01.-\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06\u00a0\n\n\n\nUnica\u0301")
    assert _normalize(text) == ("Ley N° 27972\nde la oficina\nfin\nArt. 1.-fffiflffifflstst\n\n"
                                "Unicá")
    expected = text.replace("\r\n", "\n").translate(_CLEAN)
    assert _normalize(text) == _normalize(expected)
