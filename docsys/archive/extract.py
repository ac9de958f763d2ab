"""Text out of one archive file: PDF (OCR for the pages without a text layer), DOCX, DOC, TXT.

The municipality's old norms arrive as folders of mixed files, many of them scans, some
renamed by hand (a DOCX called ``.doc``), some broken. The type is therefore detected from
the content (magic bytes), never from the extension, and every refusal is an
:class:`ExtractionError` with a Spanish reason for the archivist and a short ``code`` for
the program.

Choices, measured on this project's documents (see bench/bench_import.py):

* PDF text and page rendering: pypdfium2 (PDFium). It is ~20x faster than pypdf
  (6 ms against 120 ms for a one-page resolution, opening included), keeps the Spanish accents, splits ligatures
  (ﬁ -> fi) and renders pages for OCR in-process. PDFium marks a hyphen that ends a line
  with U+FFFE; it is turned back into "-" plus a line break, so "0045-2024-GM-\\nMDM" keeps
  its hyphens. PDFium is not thread-safe: every call goes through one lock.
* OCR: the ``tesseract`` program (Debian tesseract-ocr + tesseract-ocr-spa) with TSV
  output, which gives each word's confidence; pages are rendered at 300 dpi, only the
  pages without a usable text layer, and up to two pages are read in parallel.
* DOCX: the WordprocessingML is read directly (zip + python-docx's safe XML parser, no
  entity expansion): paragraphs and tables in document order, text boxes once, tracked
  deletions and field codes left out, headers first and footnotes last. The zip's central
  directory is checked against bombs *before* anything is decompressed; :mod:`zipfile`
  never inflates a member beyond the size declared there.
* DOC (Word 97-2003): ``antiword`` (2 ms a file) and, if it fails or finds no text,
  LibreOffice (``soffice --convert-to docx``, about 1-4 s a file) with a private profile.

Every subprocess runs in its own process group with a timeout, and is killed whole when
it runs out. The original file name is only shown in messages, never used on disk.
"""
from __future__ import annotations

import concurrent.futures
import functools
import hashlib
import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docsys import bounded
from docsys.errors import DocsysError

DEFAULT_MAX_BYTES = 50 * 1024 * 1024  # one file
MAX_ZIP_UNCOMPRESSED = 50 * 1024 * 1024  # all members of a DOCX, as declared
MAX_ZIP_RATIO = 100  # uncompressed / compressed, for members over ZIP_RATIO_MIN_SIZE
ZIP_RATIO_MIN_SIZE = 1024 * 1024
MAX_ZIP_MEMBERS = 5000
MAX_PDF_PAGES = 2000
MIN_PAGE_TEXT_CHARS = 25  # letters and digits under which a page counts as scanned
OCR_DPI = 300
OCR_MAX_PIXELS = 40_000_000  # larger pages (plans) are rendered at a lower resolution
OCR_PAGE_TIMEOUT = 180
ANTIWORD_TIMEOUT = 30
SOFFICE_TIMEOUT = 180

MIME_PDF = "application/pdf"
MIME_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MIME_DOC = "application/msword"
MIME_TXT = "text/plain"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_PDFIUM_LOCK = threading.Lock()


@dataclass(frozen=True)
class Extraction:
    """The text of one file and how it was obtained.

    ``method`` is "pdf-text", "ocr" (a PDF with at least one page read by OCR: then
    ``ocr_pages`` lists them, 1-based, and ``ocr_confidence`` is tesseract's mean word
    confidence, 0-100), "docx", "doc" or "txt". PDF pages are separated by a form feed
    (``\\f``) in ``text``; ``pages`` is None for the other types. ``warnings`` are Spanish
    notes for the archivist (extension that does not match the content, a PDF that looks
    truncated, a low OCR confidence).
    """

    text: str
    method: str
    ocr: bool
    ocr_confidence: float | None
    pages: int | None
    mime: str
    sha256: str
    size: int
    ocr_pages: tuple[int, ...] = ()
    warnings: tuple[str, ...] = ()


class ExtractionError(DocsysError):
    """A file that cannot be imported. ``message`` (Spanish) says why and what to do;
    ``code`` is stable for programs: too_large, too_many_pages, empty_file, unknown_type, pdf_corrupt,
    pdf_encrypted, pdf_empty, pdf_no_text, docx_not_zip, docx_invalid, zip_bomb, doc_invalid,
    no_text, ocr_unavailable, converter_unavailable, timeout."""

    status = 422

    def __init__(self, message: str, code: str, **details):
        super().__init__(message, code=code, **details)
        self.code = code

    def __repr__(self) -> str:
        return f"ExtractionError({self.code!r}, {self.message!r})"


# ---------------------------------------------------------------------------- entry point


def extract_file(path_or_bytes: str | os.PathLike | bytes, filename: str | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES, *, ocr_lang: str = "spa",
                 ocr_workers: int | None = None, max_pages: int = MAX_PDF_PAGES) -> Extraction:
    """Extract the text of a PDF, DOCX, DOC or plain-text file given as a path or as bytes.

    ``filename`` is the name shown to the archivist (any characters); it defaults to the
    path's name. A PDF of more than ``max_pages`` pages is refused before any page is
    read. Raises :class:`ExtractionError` for anything that cannot be imported.
    """
    if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
        data = bytes(path_or_bytes)
        filename = filename or "documento"
    else:
        path = Path(path_or_bytes)
        filename = filename or path.name
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise ExtractionError(f"No se pudo leer «{_shown(filename)}»: {exc.strerror}.",
                                  "unreadable") from exc
        _check_size(size, max_bytes, filename)
        data = path.read_bytes()
    _check_size(len(data), max_bytes, filename)
    if not data.strip():
        raise ExtractionError(f"El archivo «{_shown(filename)}» está vacío.", "empty_file")

    kind, mime, plain = _detect(data, filename)
    warnings = _extension_warnings(filename, kind)
    sha256 = hashlib.sha256(data).hexdigest()
    if kind == "pdf":
        pdf = _extract_pdf(data, filename, ocr_lang, ocr_workers, max_pages)
        return Extraction(text=pdf.text, method="ocr" if pdf.ocr_pages else "pdf-text",
                          ocr=bool(pdf.ocr_pages), ocr_confidence=pdf.confidence,
                          pages=pdf.pages, ocr_pages=pdf.ocr_pages,
                          warnings=tuple(warnings + pdf.warnings), mime=mime, sha256=sha256,
                          size=len(data))
    if kind == "docx":
        text = _docx_text(data, filename)
    elif kind == "doc":
        text = _doc_text(data, filename)
    else:
        text = _normalize(plain or "")
    if not _ANY_ALNUM.search(text):
        raise ExtractionError(f"El archivo «{_shown(filename)}» no contiene texto.", "no_text")
    return Extraction(text=text, method=kind, ocr=False, ocr_confidence=None, pages=None,
                      warnings=tuple(warnings), mime=mime, sha256=sha256, size=len(data))


def extract_bounded(data: bytes, filename: str, max_bytes: int, *, ocr_lang: str = "spa",
                    max_pages: int = MAX_PDF_PAGES,
                    limits: bounded.Limits | None = None) -> Extraction:
    """``extract_file`` in a child process bounded by ``limits`` (time, memory); past them
    an ExtractionError ("timeout", "memory") like any other refusal. Without limits, in
    this process."""
    if limits is None:
        return extract_file(data, filename, max_bytes, ocr_lang=ocr_lang, max_pages=max_pages)
    _check_size(len(data), max_bytes, filename)
    if _is_plain_text(data):
        # Decoding text (at most max_bytes of it) runs no parser or converter that could
        # hang or swell: a child process per file would only cost its start (a bulk import
        # of Markdown reads thousands).
        return extract_file(data, filename, max_bytes, ocr_lang=ocr_lang, max_pages=max_pages)
    try:
        return bounded.run(_extract_job, data, filename, max_bytes, ocr_lang, max_pages,
                           limits=limits, what=f"La lectura de «{_shown(filename)}»")
    except bounded.LimitExceeded as exc:
        raise ExtractionError(exc.message, exc.code) from exc


def _is_plain_text(data: bytes) -> bool:
    """Bytes that ``extract_file`` reads as plain text (no PDF, Office or other format)."""
    try:
        return _detect(data, "texto.txt")[0] == "txt"
    except ExtractionError:
        return False


def _extract_job(data: bytes, filename: str, max_bytes: int, ocr_lang: str,
                 max_pages: int) -> Extraction:
    return extract_file(data, filename, max_bytes, ocr_lang=ocr_lang, max_pages=max_pages)


def _check_size(size: int, max_bytes: int, filename: str) -> None:
    if size > max_bytes:
        raise too_large_error(filename, size, max_bytes)


def too_large_error(filename: str, size: int, max_bytes: int) -> ExtractionError:
    """The refusal of a file over the size limit (also before it is read or uploaded)."""
    return ExtractionError(
        f"El archivo «{_shown(filename)}» pesa {megabytes(size)}, más que el máximo "
        f"permitido de {megabytes(max_bytes)}. Divídalo o redúzcalo antes de importarlo.",
        "too_large", size=size, max_bytes=max_bytes)


# ---------------------------------------------------------------------------- type detection

_KNOWN_MAGIC = [  # what the archivist is told an unsupported file is
    (b"\x89PNG\r\n\x1a\n", "una imagen PNG"), (b"\xff\xd8\xff", "una imagen JPEG"),
    (b"GIF8", "una imagen GIF"), (b"II*\x00", "una imagen TIFF"), (b"MM\x00*", "una imagen TIFF"),
    (b"MZ", "un programa ejecutable (EXE)"), (b"\x7fELF", "un programa ejecutable (ELF)"),
    (b"Rar!", "un archivo comprimido RAR"), (b"7z\xbc\xaf\x27\x1c", "un archivo comprimido 7z"),
    (b"\x1f\x8b", "un archivo comprimido GZIP"),
]


def _detect(data: bytes, filename: str) -> tuple[str, str, str | None]:
    """("pdf" | "docx" | "doc" | "txt", MIME, decoded text for "txt") from the bytes. The
    extension only chooses the error when the content is not recognised, and keeps a
    ".pdf"/".docx"/".doc" that is not one from being read as plain text."""
    name = _shown(filename)
    if b"%PDF-" in data[:1024]:
        return "pdf", MIME_PDF, None
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return "docx", MIME_DOCX, None  # confirmed (or refused) by _docx_text
    if data.startswith(OLE2_MAGIC):
        if "WordDocument".encode("utf-16-le") in data:
            return "doc", MIME_DOC, None
        raise ExtractionError(
            f"«{name}» es un archivo de Office antiguo que no es de Word (Excel, PowerPoint u "
            "otro). Solo se importan documentos PDF, Word y de texto.", "unknown_type")
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:200].lower()
    if start.startswith(b"{\\rtf"):
        raise ExtractionError(f"«{name}» es un documento RTF. Ábralo en Word o LibreOffice y "
                              "guárdelo como DOCX o PDF para importarlo.", "unknown_type")
    if start.startswith((b"<!doctype html", b"<html")) or b"<html" in start:
        raise ExtractionError(f"«{name}» es una página web (HTML). Guárdela como PDF o DOCX "
                              "para importarla.", "unknown_type")
    suffix = Path(filename).suffix.lower()
    plain = _decode_text(data) if suffix not in (".pdf", ".docx", ".doc") else None
    if plain is not None:
        return "txt", MIME_TXT, plain
    if suffix == ".docx":
        raise ExtractionError(f"«{name}» tiene extensión .docx pero no es un documento Word "
                              "válido: no es un archivo ZIP (¿dañado o renombrado?).",
                              "docx_not_zip")
    if suffix == ".pdf":
        raise ExtractionError(f"«{name}» tiene extensión .pdf pero no es un PDF: no tiene la "
                              "cabecera %PDF (¿dañado o renombrado?).", "pdf_corrupt")
    if suffix == ".doc":
        raise ExtractionError(f"«{name}» tiene extensión .doc pero no es un documento de Word "
                              "97-2003 válido (¿dañado o renombrado?).", "doc_invalid")
    what = next((label for magic, label in _KNOWN_MAGIC if data.startswith(magic)),
                "un tipo de archivo desconocido")
    raise ExtractionError(f"«{name}» es {what}. Solo se importan documentos PDF, Word (DOCX, "
                          "DOC) y de texto.", "unknown_type")


def _extension_warnings(filename: str, kind: str) -> list[str]:
    suffix = Path(filename).suffix.lower()
    expected = {"pdf": (".pdf",), "docx": (".docx", ".docm", ".dotx"), "doc": (".doc", ".dot")}
    if kind == "txt" or suffix in expected[kind]:
        return []
    return [f"La extensión «{suffix or '(ninguna)'}» no coincide con el contenido: el archivo "
            f"es {kind.upper()} y se leyó como tal."]


def _decode_text(data: bytes) -> str | None:
    """The text of a plain-text file (UTF-8, UTF-16 with BOM, Windows-1252 or Latin-1), or
    None when the bytes do not look like text (binary, random)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    try:
        text = data.decode("utf-8-sig")
        legacy = False
    except UnicodeDecodeError:
        legacy = True
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    if not text or len(_BINARY.findall(text)) > len(text) // 200:
        return None
    if legacy and len(_NON_ASCII.findall(text)) > len(text) * 0.15:
        return None  # any byte decodes as Latin-1: ask for mostly ASCII, as Spanish prose is
    return text


_BINARY = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


# ---------------------------------------------------------------------------- normalisation

_CLEAN = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi",
                        "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st", "\u00ad": None,
                        "\u00a0": " ", "\u202f": " ", "\u200b": None, "\ufeff": None,
                        "\r": "\n", "\x0b": "\n"})
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# str.translate looks every character up in the table (slow on a long text), and a
# regular expression's substitution calls Python for each one found (a published norm has
# hundreds of no-break spaces): each character of the table is replaced by str.replace, in
# C, when the text holds it. None is replaced by text holding another.
_CLEAN_AS = {chr(k): v or "" for k, v in _CLEAN.items()}
# Three line breaks or more (as "\n{3,}", written with a literal opening: scanned in C)
_BLANK_LINES = re.compile(r"\n\n\n+")


def _normalize(text: str) -> str:
    """NFC (a composed "ó", as typed), ligatures split, invisible characters and trailing
    spaces dropped, at most one blank line in a row; tabs and form feeds kept."""
    text = text.replace("\r\n", "\n")
    for found, replacement in _CLEAN_AS.items():
        if found in text:
            text = text.replace(found, replacement)
    text = unicodedata.normalize("NFC", text)
    text = _CONTROLS.sub("", text)
    lines = [line.rstrip(" \t") for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n ")


_NOT_ALNUM = re.compile(r"[\W_]+")
_ANY_ALNUM = re.compile(r"[^\W_]")


def _alnum(text: str) -> int:
    """How many letters and digits (str.isalnum) ``text`` holds."""
    return len(text) - sum(map(len, _NOT_ALNUM.findall(text)))


def _shown(filename: str) -> str:
    """The file name as it can be shown in one line of a message."""
    name = "".join("?" if unicodedata.category(ch)[0] == "C" else ch for ch in filename)
    return name if len(name) <= 120 else name[:80] + "…" + name[-30:]


def megabytes(size: int) -> str:
    """A size as the archivist reads it: "1,5 MB", "200 MB"."""
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",").replace(",0 MB", " MB")


# ---------------------------------------------------------------------------- subprocesses


def _run(cmd: list[str], *, timeout: float, stdin: bytes | None = None, cwd: str | None = None,
         env: dict | None = None, what: str) -> subprocess.CompletedProcess:
    """Run ``cmd`` in its own process group; on timeout kill the whole group (soffice
    starts helpers) and raise ExtractionError("timeout")."""
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd,
                            env={**os.environ, **(env or {})}, start_new_session=True)
    bounded.register_group(proc.pid)     # killed with a bounded job that is cancelled
    try:
        out, err = proc.communicate(stdin, timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise ExtractionError(f"{what} no terminó en {timeout:.0f} s y se canceló.", "timeout")
    finally:
        bounded.unregister_group(proc.pid)
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


# ---------------------------------------------------------------------------- PDF


@dataclass
class _PdfResult:
    text: str
    pages: int
    ocr_pages: tuple[int, ...]
    confidence: float | None
    warnings: list[str]


def _extract_pdf(data: bytes, filename: str, lang: str, workers: int | None,
                 max_pages: int = MAX_PDF_PAGES) -> _PdfResult:
    """Text layer of every page; pages without one (scans) are rendered and OCR'd."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    name = _shown(filename)
    with _PDFIUM_LOCK:
        try:
            doc = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            # PDFium's error code is process-global and can be stale (a previous file's),
            # so the bytes decide: an /Encrypt dictionary, or a page tree of no pages.
            if _encrypted(data):
                raise ExtractionError(
                    f"El PDF «{name}» está protegido con contraseña (cifrado) y no se puede "
                    "leer. Pida la versión sin contraseña a la oficina que lo emitió.",
                    "pdf_encrypted") from exc
            if re.search(rb"/Count\s+0\b", data) and not re.search(rb"/Count\s+[1-9]", data):
                raise ExtractionError(f"El PDF «{name}» no tiene páginas.", "pdf_empty") from exc
            raise ExtractionError(f"El PDF «{name}» está dañado o incompleto y no se puede "
                                  "abrir.", "pdf_corrupt") from exc
    try:
        with _PDFIUM_LOCK:
            count = len(doc)
            if count > max_pages:
                raise ExtractionError(f"El documento «{name}» excede el límite de {max_pages} "
                                      f"páginas (tiene {count}). Divídalo en partes.",
                                      "too_many_pages", pages=count, max_pages=max_pages)
            texts, candidates = [], []
            for index in range(count):
                page = doc[index]
                text = _pdfium_page_text(page)
                if _needs_ocr(text, page, pdfium_c):
                    candidates.append(index)
                texts.append(text)
                page.close()
        confidence, scanned = None, []
        if candidates:
            ocr, confidence = _ocr_pages(doc, candidates, lang, workers, name)
            for index, text in ocr.items():
                if _alnum(text) > _alnum(texts[index]):
                    texts[index] = text
                    scanned.append(index)
    finally:
        with _PDFIUM_LOCK:
            doc.close()
    warnings = []
    if count == 0 or not any(_alnum(t) for t in texts):
        raise ExtractionError(
            f"El PDF «{name}» no contiene texto: no tiene capa de texto y el OCR no "
            "reconoció nada (¿páginas en blanco o imagen ilegible?).", "pdf_no_text")
    if b"%%EOF" not in data[-2048:]:
        warnings.append("El PDF parece incompleto (no termina con la marca %%EOF): revise que "
                        "el texto esté completo.")
    if confidence is not None and confidence < 70:
        warnings.append(f"El OCR tuvo una confianza baja ({confidence:.0f} de 100): revise el "
                        "texto reconocido.")
    return _PdfResult("\f".join(texts), count, tuple(i + 1 for i in scanned), confidence,
                      warnings)


def _encrypted(data: bytes) -> bool:
    return re.search(rb"/Encrypt\s*(?:\d+\s+\d+\s+R|<<)", data) is not None


def _pdfium_page_text(page) -> str:
    textpage = page.get_textpage()
    try:
        raw = textpage.get_text_range()
    finally:
        textpage.close()
    # PDFium replaces a line-ending hyphen and its line break by U+FFFE (or 0x02).
    return _normalize(raw.replace("\ufffe", "-\n").replace("\x02", "-\n"))


def _needs_ocr(text: str, page, pdfium_c) -> bool:
    """A page is read by OCR when its text layer is garbage (a font without a Unicode map)
    or (almost) empty while the page shows an image (a scan) or nothing that is text at
    all (text drawn as curves); a blank page is then skipped when rendered."""
    letters = _alnum(text)
    garbage = sum(1 for ch in text if ch == "\ufffd" or "\ue000" <= ch <= "\uf8ff")
    if garbage > 10 and garbage * 2 > letters:
        return True
    if letters >= MIN_PAGE_TEXT_CHARS:
        return False
    return letters == 0 or any(
        True for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=3))


# ---------------------------------------------------------------------------- OCR


def _ocr_pages(doc, indexes: list[int], lang: str, workers: int | None,
               name: str) -> tuple[dict[int, str], float | None]:
    """OCR the given pages: rendered one batch at a time (under the PDFium lock), read by
    up to ``workers`` tesseract processes at once. Returns texts and mean word confidence."""
    workers = workers or max(1, min(2, os.cpu_count() or 1))
    texts: dict[int, str] = {}
    confidences: list[float] = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        for start in range(0, len(indexes), workers):
            batch = indexes[start:start + workers]
            with _PDFIUM_LOCK:
                images = [_render_png(doc[index]) for index in batch]
            if any(images):
                _require_tesseract(lang)
            jobs = [pool.submit(_tesseract, png, lang, name) if png else None for png in images]
            for index, job in zip(batch, jobs):
                text, words = job.result() if job else ("", [])
                texts[index] = text
                confidences.extend(words)
    return texts, (round(sum(confidences) / len(confidences), 1) if confidences else None)


def _render_png(page) -> bytes | None:
    """The page at 300 dpi in grey as PNG (with its dpi, so tesseract need not guess), or
    None for a blank page."""
    width, height = page.get_size()
    scale = OCR_DPI / 72
    if width * height * scale * scale > OCR_MAX_PIXELS:
        scale = (OCR_MAX_PIXELS / (width * height)) ** 0.5
    image = page.render(scale=scale, grayscale=True).to_pil().convert("L")
    page.close()
    if image.getextrema()[0] > 200:  # nothing darker than light grey: blank page
        return None
    out = io.BytesIO()
    dpi = round(scale * 72)
    image.save(out, format="PNG", compress_level=1, dpi=(dpi, dpi))
    return out.getvalue()


def _tesseract(png: bytes, lang: str, name: str) -> tuple[str, list[float]]:
    """Text and word confidences of one page image, from tesseract's TSV output."""
    result = _run(["tesseract", "stdin", "stdout", "-l", lang, "--psm", "3", "tsv"],
                  stdin=png, timeout=OCR_PAGE_TIMEOUT, env={"OMP_THREAD_LIMIT": "1"},
                  what=f"El OCR de una página de «{name}»")
    if result.returncode != 0:
        raise ExtractionError(f"El OCR falló en «{name}»: "
                              f"{result.stderr.decode(errors='replace').strip()[:200]}",
                              "ocr_failed")
    return _parse_tsv(result.stdout.decode("utf-8", errors="replace"))


def _parse_tsv(tsv: str) -> tuple[str, list[float]]:
    """Rebuild lines (words of one block/paragraph/line) and paragraphs from the TSV."""
    lines: list[str] = []
    confidences: list[float] = []
    previous = None
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        block, par, line = cols[2], cols[3], cols[4]
        if previous is None or (block, par, line) != previous:
            if previous is not None and (block, par) != previous[:2]:
                lines.append("")
            lines.append(cols[11])
            previous = (block, par, line)
        else:
            lines[-1] += " " + cols[11]
        confidence = float(cols[10])
        if confidence >= 0:
            confidences.append(confidence)
    return _fix_number_signs(_normalize("\n".join(lines))), confidences


# Tesseract reads the "°" of "N°" as "*", "?", "”" or "'" (or two of them); put the sign
# back before a number so that citations ("Ley N* 27972") are found like typed ones.
_MISREAD_NUMBER_SIGN = re.compile(r"\b([Nn])[ \t]?[*?”“\"'´`^][*?”“\"'´`^°º]?(?=[ \t]*\d)")


def _fix_number_signs(text: str) -> str:
    return _MISREAD_NUMBER_SIGN.sub(lambda m: m.group(1).upper() + "°", text)


@functools.lru_cache(maxsize=None)
def _tesseract_langs() -> frozenset[str] | None:
    if not shutil.which("tesseract"):
        return None
    result = _run(["tesseract", "--list-langs"], timeout=30, what="tesseract --list-langs")
    output = (result.stdout + result.stderr).decode(errors="replace").splitlines()
    return frozenset(line.strip() for line in output[1:] if line.strip())


def _require_tesseract(lang: str) -> None:
    langs = _tesseract_langs()
    missing = [part for part in lang.split("+") if langs is None or part not in langs]
    if missing:
        raise ExtractionError(
            "El PDF tiene páginas escaneadas y este servidor no puede aplicar OCR: falta "
            f"tesseract o su idioma «{'+'.join(missing)}» (paquetes Debian tesseract-ocr y "
            "tesseract-ocr-spa).", "ocr_unavailable")


# ---------------------------------------------------------------------------- DOCX

_W_NS = {"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
         "http://purl.oclc.org/ooxml/wordprocessingml/main"}
_SKIPPED = {"pPr", "rPr", "sectPr", "tblPr", "trPr", "tcPr", "delText", "instrText",
            "moveFrom", "del", "fldData", "footnoteReference", "endnoteReference"}


def _docx_text(data: bytes, filename: str) -> str:
    """Headers, body (paragraphs and table rows in order) and footnotes of a DOCX."""
    from docx.oxml.parser import parse_xml

    archive = _open_zip(data, filename)
    names = set(archive.namelist())
    main = _main_part(archive, names, parse_xml)
    if main is None:
        raise ExtractionError(f"«{_shown(filename)}» es un archivo ZIP{_zip_kind(archive, names)}"
                              ", no un documento Word. Solo se importan documentos PDF, Word "
                              "y de texto.", "unknown_type")
    try:
        lines: list[str] = []
        headers = sorted((n for n in names if re.fullmatch(r"word/header\d*\.xml", n)),
                         key=lambda n: int(re.sub(r"\D", "", n) or 0))
        seen = set()
        for part in headers:
            block: list[str] = []
            _blocks(parse_xml(archive.read(part)), block)
            key = "\n".join(block).strip()
            if key and key not in seen:
                seen.add(key)
                lines.extend(block)
        _blocks(parse_xml(archive.read(main)), lines)
        if "word/footnotes.xml" in names:
            for note in parse_xml(archive.read("word/footnotes.xml")):
                if _local(note.tag) == "footnote" and not _w_attr(note, "type"):
                    _blocks(note, lines)
    except ExtractionError:
        raise
    except Exception as exc:  # bad CRC, truncated member, malformed XML
        raise ExtractionError(f"El documento Word «{_shown(filename)}» está dañado y no se "
                              "puede leer.", "docx_invalid") from exc
    return _normalize("\n".join(lines))


def _open_zip(data: bytes, filename: str) -> zipfile.ZipFile:
    """Open the zip and refuse bombs from its central directory alone (declared sizes):
    too many members, too much declared content, or an implausible compression ratio."""
    name = _shown(filename)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ExtractionError(f"El documento Word «{name}» está dañado: su contenido ZIP no se "
                              "puede leer.", "docx_invalid") from exc
    total = sum(info.file_size for info in infos)
    bomb = (len(infos) > MAX_ZIP_MEMBERS or total > MAX_ZIP_UNCOMPRESSED
            or any(info.file_size > ZIP_RATIO_MIN_SIZE
                   and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1)
                   for info in infos))
    if bomb:
        raise ExtractionError(
            f"«{name}» se rechazó por seguridad: descomprimido ocuparía {megabytes(total)} "
            f"en {len(infos)} partes (máximo {megabytes(MAX_ZIP_UNCOMPRESSED)}, y una parte no "
            f"puede comprimirse más de {MAX_ZIP_RATIO} veces). Podría ser una «bomba ZIP».",
            "zip_bomb", uncompressed=total, members=len(infos))
    return archive


def _main_part(archive: zipfile.ZipFile, names: set[str], parse_xml) -> str | None:
    """The main document part named by the package relationships (word/document.xml)."""
    if "_rels/.rels" in names:
        try:
            for rel in parse_xml(archive.read("_rels/.rels")):
                if (rel.get("Type") or "").endswith("/officeDocument"):
                    target = (rel.get("Target") or "").lstrip("/")
                    if target in names and target.startswith("word/"):
                        return target
        except Exception:  # malformed rels: fall back on the usual name
            pass
    return "word/document.xml" if "word/document.xml" in names else None


def _zip_kind(archive: zipfile.ZipFile, names: set[str]) -> str:
    if "mimetype" in names:
        mimetype = archive.read("mimetype")[:100]
        if b"opendocument.text" in mimetype:
            return " de LibreOffice (ODT; guárdelo como DOCX o PDF)"
        if b"opendocument" in mimetype:
            return " de LibreOffice"
    if any(n.startswith("xl/") for n in names):
        return " de Excel (XLSX)"
    if any(n.startswith("ppt/") for n in names):
        return " de PowerPoint (PPTX)"
    return ""


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _is_w(tag) -> bool:
    return isinstance(tag, str) and tag[1:].split("}", 1)[0] in _W_NS


def _w_attr(element, name: str) -> str | None:
    return next((v for k, v in element.attrib.items() if _local(k) == name), None)


def _blocks(element, out: list[str]) -> None:
    """Append the lines of the paragraphs and tables under ``element``, in order."""
    for child in element:
        tag = _local(child.tag)
        if tag in _SKIPPED or tag == "Fallback":
            continue
        if tag == "p" and _is_w(child.tag):
            boxes: list[str] = []
            parts: list[str] = []
            _runs(child, parts, boxes)
            out.append("".join(parts))
            out.extend(boxes)
        elif tag == "tbl" and _is_w(child.tag):
            for row in _wrapped(child, "tr"):
                cells = []
                for cell in _wrapped(row, "tc"):
                    cell_lines: list[str] = []
                    _blocks(cell, cell_lines)  # nested tables too
                    cells.append(" ".join(line.strip() for line in cell_lines if line.strip()))
                if any(cells):
                    out.append("\t".join(cells))
        else:
            _blocks(child, out)


def _wrapped(element, tag: str):
    """Children named ``tag``, also when wrapped in content controls or custom XML."""
    for child in element:
        local = _local(child.tag)
        if local == tag:
            yield child
        elif local in ("sdt", "sdtContent", "customXml"):
            yield from _wrapped(child, tag)


def _runs(element, parts: list[str], boxes: list[str]) -> None:
    """The text of a paragraph's runs; text boxes inside it go to ``boxes``."""
    for child in element:
        tag = _local(child.tag)
        if tag in _SKIPPED or tag == "Fallback":  # mc:Fallback repeats mc:Choice in VML
            continue
        if tag == "txbxContent":
            _blocks(child, boxes)
        elif _is_w(child.tag) and tag == "t":
            parts.append(child.text or "")
        elif _is_w(child.tag) and tag in ("tab", "ptab"):
            parts.append("\t")
        elif _is_w(child.tag) and tag in ("br", "cr"):
            parts.append("\n")
        elif _is_w(child.tag) and tag == "noBreakHyphen":
            parts.append("-")
        else:
            _runs(child, parts, boxes)


# ---------------------------------------------------------------------------- DOC (Word 97-2003)


def _doc_text(data: bytes, filename: str) -> str:
    """antiword when it reads the file; otherwise LibreOffice converts it to DOCX."""
    text = _doc_via_antiword(data, filename) if shutil.which("antiword") else None
    if text and _alnum(text):
        return text
    return _doc_via_soffice(data, filename)


def _doc_via_antiword(data: bytes, filename: str) -> str | None:
    with tempfile.TemporaryDirectory(prefix="docsys-doc-") as tmp:
        source = Path(tmp, "documento.doc")
        source.write_bytes(data)
        result = _run(["antiword", "-m", "UTF-8.txt", "-w", "0", str(source)],
                      timeout=ANTIWORD_TIMEOUT, cwd=tmp, what=f"La lectura de «{_shown(filename)}»")
    if result.returncode != 0:
        return None
    text = result.stdout.decode("utf-8", errors="replace")
    return _normalize(re.sub(r"^\s*\[pic\]\s*$", "", text, flags=re.M))


def _doc_via_soffice(data: bytes, filename: str) -> str:
    name = _shown(filename)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise ExtractionError(f"No se puede leer el documento Word 97-2003 «{name}»: este "
                              "servidor no tiene LibreOffice (paquete libreoffice-writer-nogui).",
                              "converter_unavailable")
    with tempfile.TemporaryDirectory(prefix="docsys-doc-") as tmp:
        source = Path(tmp, "documento.doc")
        source.write_bytes(data)
        result = _run([soffice, "--headless", "--norestore", "--nolockcheck",
                       f"-env:UserInstallation={Path(tmp, 'perfil').as_uri()}",
                       "--convert-to", "docx", "--outdir", str(Path(tmp, "salida")), str(source)],
                      timeout=SOFFICE_TIMEOUT, cwd=tmp, env={"HOME": tmp},
                      what=f"La conversión de «{name}»")
        converted = Path(tmp, "salida", "documento.docx")
        if result.returncode != 0 or not converted.is_file():
            raise ExtractionError(f"El documento Word 97-2003 «{name}» está dañado o no se pudo "
                                  "convertir.", "doc_invalid")
        return _docx_text(converted.read_bytes(), filename)
