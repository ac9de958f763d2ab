"""PAdES signatures with pyHanko: signature fields, successive visible signatures, verification.

The shape of a signed docsys document:

1. :func:`prepare_signature_fields` adds every visible signature field (vistos buenos first,
   the final signature last) to the unsigned PDF, in one revision, before anyone signs: later
   signatures then only fill fields, which validators accept as legitimate updates.
2. :func:`sign_pdf` fills one field per call, as an incremental update: PAdES baseline B-B
   (``ETSI.CAdES.detached``, SHA-256), or B-T when a timestamp authority URL is given, with a
   visible stamp (name, position, reason, date and time in Lima).
3. :func:`verify_pdf` reports every signature: who, when, whether the signed bytes are intact,
   whether the certificate chains to the configured trust roots and was valid, what changed in
   the file afterwards, and a verdict VÁLIDO / NO VÁLIDO / INDETERMINADO.

Verdicts follow ETSI EN 319 102-1 (indications TOTAL-PASSED / TOTAL-FAILED / INDETERMINATE):

* NO VÁLIDO (TOTAL-FAILED): the signed bytes do not match the signature (HASH_FAILURE), the
  signature value is wrong (SIG_CRYPTO_FAILURE), the signature cannot be parsed or does not
  cover its revision (FORMAT_FAILURE), the certificate is proven revoked or not yet valid at
  signing time, or the file was changed after signing in ways that are not further signatures
  (page content, objects...): what is shown is no longer what was signed.
* INDETERMINADO (INDETERMINATE): the signature is intact but cannot be tied to a trusted
  signer: the certificate does not chain to a configured root (NO_CERTIFICATE_CHAIN_FOUND),
  it has expired and no timestamp proves the signature existed before (OUT_OF_BOUNDS_NO_POE),
  its timestamp is not trusted, it violates key-usage constraints, or annotations were added
  after signing.
* VÁLIDO (TOTAL-PASSED): intact, trusted, certificate valid when signed, and later revisions
  of the file only add further signatures (or validation data).

This module knows nothing about the web: errors are :mod:`docsys.errors` exceptions with
Spanish messages.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import math
import threading
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Iterable, Sequence
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa
from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate, AdESStatus
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.general import SigningError, get_pyca_cryptography_hash
from pyhanko.sign.timestamps import HTTPTimeStamper, TimestampRequestError
from pyhanko.sign.validation import (
    SignatureCoverageLevel,
    validate_pdf_signature,
    validate_pdf_timestamp,
)
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import DocumentTimestampStatus, PdfSignatureStatus
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from docsys.errors import DocsysError, ValidationError
from docsys.rendering.metrics import text_width
from docsys.signing.keystore import (
    Credential,
    check_certificate_usable,
    format_datetime,
    open_pkcs12,
)

LIMA = ZoneInfo("America/Lima")

REASON_AUTHOR = "Soy el autor del documento"
REASON_CONFORMITY = "En señal de conformidad"
REASON_VISTO_BUENO = "Doy V° B°"
REASON_BY_ORDER = "Por encargo"
REASON_ATTEST = "Doy fe"
REASONS = (REASON_AUTHOR, REASON_CONFORMITY, REASON_VISTO_BUENO, REASON_BY_ORDER,
           REASON_ATTEST)

DEFAULT_LOCATION = "Camisea, Perú"

VALID = "VÁLIDO"
INVALID = "NO VÁLIDO"
INDETERMINATE = "INDETERMINADO"

# Size of a visible stamp, as RENIEC's ReFirma / FirmaPerú draw it (points).
STAMP_WIDTH = 192.0
STAMP_HEIGHT = 61.5
# Default grid: inside the side margins of docsys' A4 page (static/css/document.css: left 3 cm,
# right 2.5 cm), its lowest row just above the bottom margin (2.4 cm) and page footer.
GRID_LEFT = 85.0
GRID_RIGHT = 71.0
GRID_BOTTOM = 72.0
GRID_GAP = 6.0

FINAL_FIELD = "FIRMA"

_MAX_PDF_BYTES = 200 * 1024 * 1024

_KEY_USAGE = KeyUsageConstraints(key_usage={"non_repudiation", "digital_signature"},
                                 match_all_key_usages=False)


class TimestampUnavailable(DocsysError):
    """The timestamp authority could not be reached or refused the request."""

    status = 503


# --------------------------------------------------------------------------- fields


@dataclass(frozen=True)
class SlotSpec:
    """A visible signature field to create: its name and, optionally, where.

    ``box`` is ``(x1, y1, x2, y2)`` in points from the page's lower-left corner; when it is
    ``None`` the field goes in the default grid on ``page`` (negative: from the end).
    """

    name: str
    box: tuple[float, float, float, float] | None = None
    page: int = -1


def default_slots(vistos_buenos: int = 2) -> list[SlotSpec]:
    """``VB_1`` .. ``VB_n`` for the vistos buenos, then ``FIRMA`` for the final signature."""
    return [SlotSpec(f"VB_{i}") for i in range(1, vistos_buenos + 1)] + [SlotSpec(FINAL_FIELD)]


def grid_columns(page_width: float, left: float = GRID_LEFT, right: float = GRID_RIGHT,
                 gap: float = GRID_GAP) -> int:
    usable = page_width - left - right
    return max(1, int((usable + gap) // (STAMP_WIDTH + gap)))


def signature_area_height(count: int, page_width: float = 595.28) -> float:
    """Height (points) the default grid of ``count`` stamps takes above the bottom margin:
    what a renderer must leave blank at the end of the last page."""
    if count <= 0:
        return 0.0
    rows = math.ceil(count / grid_columns(page_width))
    return rows * STAMP_HEIGHT + (rows - 1) * GRID_GAP


def grid_boxes(count: int, page_width: float, left: float = GRID_LEFT,
               right: float = GRID_RIGHT, bottom: float = GRID_BOTTOM,
               gap: float = GRID_GAP) -> list[tuple[float, float, float, float]]:
    """Boxes for ``count`` stamps in reading order: rows filled left to right from the top,
    each row centred between the margins, the last row just above ``bottom``; so the final
    signature (the last slot) is the lowest."""
    columns = grid_columns(page_width, left, right, gap)
    rows = math.ceil(count / columns)
    usable = page_width - left - right
    boxes = []
    for index in range(count):
        row, column = divmod(index, columns)
        in_row = min(columns, count - row * columns)
        row_width = in_row * STAMP_WIDTH + (in_row - 1) * gap
        x1 = left + max(0.0, (usable - row_width) / 2) + column * (STAMP_WIDTH + gap)
        y1 = bottom + (rows - 1 - row) * (STAMP_HEIGHT + gap)
        boxes.append((round(x1, 2), round(y1, 2), round(x1 + STAMP_WIDTH, 2),
                      round(y1 + STAMP_HEIGHT, 2)))
    return boxes


def _read_pdf(pdf_bytes: bytes, strict: bool = True) -> PdfFileReader:
    if not isinstance(pdf_bytes, (bytes, bytearray, memoryview)) or not pdf_bytes:
        raise ValidationError("El archivo está vacío.")
    if len(pdf_bytes) > _MAX_PDF_BYTES:
        raise ValidationError("El archivo es demasiado grande.")
    head = bytes(pdf_bytes[:1024])
    if b"%PDF-" not in head:
        raise ValidationError("El archivo no es un PDF.")
    try:
        reader = PdfFileReader(io.BytesIO(bytes(pdf_bytes)), strict=strict)
        reader.root  # noqa: B018 - forces the catalog to be read
    except Exception as exc:  # pyHanko raises PdfReadError, but also KeyError/ValueError
        raise ValidationError("El PDF está dañado y no se puede leer.") from exc
    if reader.encrypted:
        raise ValidationError("El PDF está cifrado; docsys no firma ni verifica PDF cifrados.")
    return reader


def _page_size(reader: PdfFileReader, page: int) -> tuple[float, float, int]:
    """Width, height and zero-based index of ``page`` (negative counts from the end)."""
    count = int(reader.root["/Pages"]["/Count"])
    index = page if page >= 0 else count + page
    if not 0 <= index < count:
        raise ValidationError(f"El documento no tiene la página {page + 1 if page >= 0 else page}.")
    page_ref, _ = reader.find_page_for_modification(index)
    node = page_ref.get_object()
    box = None
    while node is not None and box is None:
        box = node.get("/MediaBox")
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    if box is None:
        return 595.28, 841.89, index
    x1, y1, x2, y2 = (float(v) for v in box)
    return abs(x2 - x1), abs(y2 - y1), index


def prepare_signature_fields(pdf_bytes: bytes, slots: Sequence[SlotSpec]) -> bytes:
    """Add every visible signature field in one incremental revision of an unsigned PDF.

    Slots without a box share the default grid of their page (see :func:`grid_boxes`), in
    the order given: vistos buenos first, the final signature last.
    """
    if not slots:
        raise ValidationError("Indique al menos un campo de firma.")
    names = [slot.name for slot in slots]
    for name in names:
        if not name or not name.replace("_", "").replace("-", "").isalnum() or "." in name:
            raise ValidationError(f"Nombre de campo de firma no válido: «{name}».")
    if len(set(names)) != len(names):
        raise ValidationError("Los nombres de los campos de firma se repiten.")
    reader = _read_pdf(pdf_bytes)
    existing = {name for name, _, _ in fields.enumerate_sig_fields(reader)}
    if reader.embedded_signatures:
        raise ValidationError(
            "El documento ya tiene firmas: los campos de firma se crean antes de la primera.")
    clash = existing.intersection(names)
    if clash:
        raise ValidationError(f"El campo de firma «{sorted(clash)[0]}» ya existe.")

    by_page: dict[int, list[SlotSpec]] = {}
    sizes: dict[int, float] = {}
    for slot in slots:
        width, _, index = _page_size(reader, slot.page)
        sizes[index] = width
        if slot.box is None:
            by_page.setdefault(index, []).append(slot)
    grid: dict[str, tuple[float, float, float, float]] = {}
    for index, page_slots in by_page.items():
        for slot, box in zip(page_slots, grid_boxes(len(page_slots), sizes[index])):
            grid[slot.name] = box

    writer = IncrementalPdfFileWriter.from_reader(reader)
    for slot in slots:
        _, _, index = _page_size(reader, slot.page)
        box = slot.box if slot.box is not None else grid[slot.name]
        fields.append_signature_field(writer, fields.SigFieldSpec(
            sig_field_name=slot.name, on_page=index,
            # pyHanko annotates the box as ints, but PDF rectangles take reals (and it
            # writes them as given).
            box=tuple(float(v) for v in box)))  # type: ignore[arg-type]
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --------------------------------------------------------------------------- signing


@dataclass(frozen=True)
class SignerLabel:
    """What the visible stamp says about the signer (default: the certificate's CN and
    title)."""

    name: str
    position: str = ""


def _to_asn1(cert) -> asn1_x509.Certificate:
    """A certificate as pyHanko takes it (asn1crypto)."""
    if isinstance(cert, asn1_x509.Certificate):
        return cert
    if isinstance(cert, x509.Certificate):
        return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    raise TypeError(f"Certificado no reconocido: {type(cert).__name__}")


class _CredentialSigner(signers.Signer):
    """A pyHanko signer over an already-loaded private key.

    pyHanko's ``SimpleSigner`` re-parses its key (with OpenSSL's RSA consistency check,
    ~35 ms) for each raw signature, and signing does two (size estimate + real one). Keeping
    the ``cryptography`` key object avoids that; the CMS is built by pyHanko as usual.
    """

    def __init__(self, credential: Credential):
        cert = _to_asn1(credential.cert)
        registry = SimpleCertificateStore()
        registry.register_multiple(_to_asn1(c) for c in credential.chain)
        super().__init__(signing_cert=cert, cert_registry=registry)
        self._key = credential.key

    async def async_sign_raw(self, data: bytes, digest_algorithm: str,
                             dry_run: bool = False) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        algorithm = mechanism.signature_algo
        key = self._key
        if algorithm == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
            return key.sign(data, padding.PKCS1v15(),
                            get_pyca_cryptography_hash(digest_algorithm))
        if algorithm == "ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
            return key.sign(data, ec.ECDSA(get_pyca_cryptography_hash(digest_algorithm)))
        if algorithm in ("ed25519", "ed448") and isinstance(
                key, (ed25519.Ed25519PrivateKey, ed448.Ed448PrivateKey)):
            return key.sign(data)
        raise SigningError(f"Mecanismo de firma no admitido: {algorithm}.")


def _stamp_safe(text: str) -> str:
    """Text the stamp's standard font (WinAnsi) can show: Spanish letters stay; anything
    else loses its accents or becomes ``?``."""
    replacements = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                    "\u2013": "-", "\u2014": "-", "\u2026": "...", "\u0141": "L",
                    "\u0142": "l", "\u0152": "OE", "\u0153": "oe", "\u0110": "D",
                    "\u0111": "d"}
    out = []
    for ch in " ".join(str(text).split()):
        if ch in replacements:
            out.append(replacements[ch])
            continue
        if 0x20 <= ord(ch) < 0x7F or 0xA1 <= ord(ch) <= 0xFF:
            out.append(ch)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch)
                       if not unicodedata.combining(c))
        out.append(base if base and all(0x20 <= ord(c) < 0x7F for c in base) else "?")
    return "".join(out)


def _wrap(text: str, width: int) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        while len(word) > width:
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:width])
            word = word[width:]
        candidate = f"{line} {word}" if line else word
        if len(candidate) <= width:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines or [""]


# Courier (a standard PDF font, WinAnsi) at 7 pt is 4.2 pt per character: 43 characters fill
# the 182 pt inside a 192 pt stamp; longer texts wrap, and a stamp with more lines than fit
# is scaled down to its box.
_STAMP_FONT_SIZE = 7
_STAMP_CHARS = 43


def stamp_lines(name: str, position: str, reason: str, when: dt.datetime) -> list[str]:
    """The lines of a visible stamp."""
    lines = ["Firmado digitalmente por:"]
    lines += _wrap(_stamp_safe(name), _STAMP_CHARS)
    if position:
        lines += _wrap(_stamp_safe(position), _STAMP_CHARS)
    lines += _wrap(_stamp_safe(f"Motivo: {reason}"), _STAMP_CHARS)
    local = when.astimezone(LIMA)
    lines.append(local.strftime("Fecha: %d/%m/%Y %H:%M:%S -05:00"))
    return lines


def _stamp_style() -> TextStampStyle:
    return TextStampStyle(
        stamp_text="%(docsys_stamp)s",
        text_box_style=TextBoxStyle(
            font_size=_STAMP_FONT_SIZE, leading=9,
            box_layout_rule=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MIN,
                y_align=layout.AxisAlignment.ALIGN_MID,
                margins=layout.Margins.uniform(0))),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN, y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(5),
            inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT),
        border_width=1,
        background=None,
    )


_STYLE = _stamp_style()


_timestampers: dict[tuple[str, float], HTTPTimeStamper] = {}
_timestampers_lock = threading.Lock()


def _timestamper(url: str, timeout: float) -> HTTPTimeStamper:
    """One client per TSA URL for the process: pyHanko sizes the signature container with a
    first timestamp token and keeps it on the client, so reusing the client makes every
    later signature cost one request to the TSA instead of two."""
    with _timestampers_lock:
        stamper = _timestampers.get((url, timeout))
        if stamper is None:
            stamper = _timestampers[(url, timeout)] = HTTPTimeStamper(url, timeout=timeout)
        return stamper


def _empty_signature_fields(reader: PdfFileReader) -> tuple[set[str], set[str]]:
    empty: set[str] = set()
    filled: set[str] = set()
    for name, value, _ in fields.enumerate_sig_fields(reader):
        (filled if value is not None else empty).add(name)
    return empty, filled


def sign_pdf(pdf_bytes: bytes, field_name: str, p12_bytes: bytes, passphrase: str | bytes,
             reason: str, location: str = DEFAULT_LOCATION,
             signer_label: SignerLabel | None = None, timestamp_url: str | None = None, *,
             timestamp_timeout: float = 10.0) -> bytes:
    """Sign the empty field ``field_name`` of ``pdf_bytes`` with the signer's PKCS#12,
    as an incremental update: PAdES B-B, or B-T when ``timestamp_url`` is given.

    The stamp shows ``signer_label`` (default: the certificate's CN and title), the reason
    and the signing time in Lima. Raises :class:`ValidationError` for a wrong passphrase, an
    expired or unusable certificate, a missing or already signed field or an unknown
    reason, and :class:`TimestampUnavailable` when the timestamp authority fails.
    """
    if reason not in REASONS:
        raise ValidationError(
            "Motivo de firma no admitido. Use uno de: " + "; ".join(REASONS) + ".")
    credential = open_pkcs12(p12_bytes, passphrase)
    return sign_pdf_with_credential(pdf_bytes, field_name, credential, reason,
                                    location=location, signer_label=signer_label,
                                    timestamp_url=timestamp_url,
                                    timestamp_timeout=timestamp_timeout)


@dataclass(frozen=True)
class TextStyle:
    """How a filled text field is drawn: Helvetica (the metric twin of the document's Arial /
    Liberation Sans), bold or not, aligned in its widget; the size follows the widget's
    height (one line of the surrounding text, see static/css/document.css) and shrinks when
    the text would not fit its width."""

    bold: bool = False
    align: str = "left"   # "left", "center" or "right"


_LINE_HEIGHT_EM = 1.2   # a signing copy's field is 1.2em high: the size is height / 1.2
_BASELINE_EM = 0.25     # the baseline sits that far above the field's bottom (see the CSS)


def _pdf_literal(text: str) -> bytes:
    """``text`` as a PDF literal string in WinAnsi (Helvetica's encoding), escaped."""
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _text_appearance(writer: IncrementalPdfFileWriter, rect, value: str,
                     style: TextStyle) -> generic.IndirectObject:
    """The appearance of ``value`` in a text widget of ``rect``, drawn as ``style`` says."""
    x1, y1, x2, y2 = (float(v) for v in rect)
    width, height = abs(x2 - x1), abs(y2 - y1)   # WeasyPrint writes the top edge first
    size = max(4.0, height / _LINE_HEIGHT_EM)
    measured = text_width(value, size, style.bold)
    if measured > width and measured > 0:
        size = max(4.0, size * width / measured)
        measured = text_width(value, size, style.bold)
    x = {"center": (width - measured) / 2, "right": width - measured}.get(style.align, 0.0)
    baseline = (height - size * _LINE_HEIGHT_EM) / 2 + size * _BASELINE_EM
    font = writer.add_object(generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Font"),
        generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
        generic.NameObject("/BaseFont"): generic.NameObject(
            "/Helvetica-Bold" if style.bold else "/Helvetica"),
        generic.NameObject("/Encoding"): generic.NameObject("/WinAnsiEncoding")}))
    stream = generic.StreamObject({
        generic.NameObject("/Type"): generic.NameObject("/XObject"),
        generic.NameObject("/Subtype"): generic.NameObject("/Form"),
        generic.NameObject("/BBox"): generic.ArrayObject(
            [generic.FloatObject(0), generic.FloatObject(0), generic.FloatObject(width),
             generic.FloatObject(height)]),
        generic.NameObject("/Resources"): generic.DictionaryObject({
            generic.NameObject("/Font"): generic.DictionaryObject(
                {generic.NameObject("/Helv"): font})}),
    }, stream_data=(b"/Tx BMC BT /Helv %.2f Tf %.2f %.2f Td " % (size, max(0.0, x), baseline))
        + _pdf_literal(value) + b" Tj ET EMC")
    return writer.add_object(stream)


def fill_text_fields(writer: IncrementalPdfFileWriter, values: dict[str, str],
                     styles: dict[str, TextStyle] | None = None) -> None:
    """Set the value (and a visible appearance) of existing text fields, e.g. the number and
    date of a norm at issuing. For earlier signatures this is form filling, which their
    DocMDP/FieldMDP allow unless they lock the field; a missing field is refused."""
    if not values:
        return
    acroform = writer.root.get("/AcroForm")
    found: dict[str, generic.IndirectObject] = {}
    for ref in (acroform.get_object().get("/Fields", []) if acroform else []):
        field_dict = ref.get_object()
        name = str(field_dict.get("/T", ""))
        if name in values and field_dict.get("/FT") == "/Tx":
            found[name] = ref
    missing = sorted(set(values) - set(found))
    if missing:
        raise ValidationError(f"El documento no tiene el campo de texto «{missing[0]}».")
    for name, ref in found.items():
        field_dict = ref.get_object()
        field_dict["/V"] = generic.TextStringObject(values[name])
        widgets = [kid for kid in field_dict.get("/Kids", [])] or [ref]
        for widget_ref in widgets:
            widget = widget_ref.get_object()
            widget["/AP"] = generic.DictionaryObject({
                generic.NameObject("/N"): _text_appearance(
                    writer, widget["/Rect"], values[name], (styles or {}).get(name, TextStyle()))})
            writer.mark_update(widget_ref)
        writer.mark_update(ref)


def fill_text_revision(pdf_bytes: bytes, values: dict[str, str],
                       styles: dict[str, TextStyle] | None = None) -> bytes:
    """``pdf_bytes`` plus one unsigned incremental revision filling text fields (a PDF to
    be signed elsewhere: the signature that follows covers the filled values)."""
    writer = IncrementalPdfFileWriter.from_reader(_read_pdf(pdf_bytes))
    fill_text_fields(writer, values, styles)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def sign_pdf_with_credential(pdf_bytes: bytes, field_name: str, credential: Credential,
                             reason: str, location: str = DEFAULT_LOCATION,
                             signer_label: SignerLabel | None = None,
                             timestamp_url: str | None = None, *,
                             timestamp_timeout: float = 10.0,
                             fill: dict[str, str] | None = None,
                             fill_styles: dict[str, TextStyle] | None = None) -> bytes:
    """:func:`sign_pdf` with an already opened PKCS#12 (see :func:`keystore.open_pkcs12`).

    ``fill``: text fields given their values in the same revision as this signature (the
    number and date written by the last signer, see :func:`fill_text_fields`)."""
    if reason not in REASONS:
        raise ValidationError(
            "Motivo de firma no admitido. Use uno de: " + "; ".join(REASONS) + ".")
    now = dt.datetime.now(LIMA)
    check_certificate_usable(credential.cert, now)
    reader = _read_pdf(pdf_bytes)
    empty, filled = _empty_signature_fields(reader)
    if field_name in filled:
        raise ValidationError(f"El campo de firma «{field_name}» ya está firmado.")
    if field_name not in empty:
        raise ValidationError(f"El documento no tiene el campo de firma «{field_name}».")

    info = credential.info
    label = signer_label or SignerLabel(info.common_name, info.position)
    timestamper = None
    tsa_url = timestamp_url or ""
    if tsa_url:
        timestamper = _timestamper(tsa_url, timestamp_timeout)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location or None,
        name=label.name,
    )
    pdf_signer = signers.PdfSigner(meta, _CredentialSigner(credential), stamp_style=_STYLE,
                                   timestamper=timestamper)
    writer = IncrementalPdfFileWriter.from_reader(reader)
    fill_text_fields(writer, fill or {}, fill_styles)
    text = "\n".join(stamp_lines(label.name, label.position, reason, now))
    try:
        output = pdf_signer.sign_pdf(writer, existing_fields_only=True,
                                     appearance_text_params={"docsys_stamp": text})
    except TimestampRequestError as exc:
        raise TimestampUnavailable(
            f"No se pudo obtener el sello de tiempo de {_host(tsa_url)}; "
            "la firma no se realizó. Intente nuevamente.", detail=str(exc)) from exc
    except (SigningError, PdfError) as exc:
        if timestamper is not None:
            # e.g. the TSA's tokens grew past the size estimated from its first token
            with _timestampers_lock:
                _timestampers.pop((tsa_url, timestamp_timeout), None)
        raise ValidationError("No se pudo firmar el documento.", detail=str(exc)) from exc
    return output.getvalue()


def _host(url: str) -> str:
    """The TSA's address without any credentials in the URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}" + (f":{parts.port}" if parts.port else "")


# --------------------------------------------------------------------------- verification


@dataclass(frozen=True)
class SignatureReport:
    """One signature as the verification page shows it."""

    field_name: str
    kind: str                      # "firma" or "sello de tiempo del documento"
    signer_name: str
    signer_position: str
    signer_dni: str
    signer_organization: str
    issuer: str
    certificate_serial: str
    certificate_not_before: dt.datetime | None
    certificate_not_after: dt.datetime | None
    reason: str
    location: str
    signing_time: dt.datetime | None       # claimed by the signer (Lima time)
    timestamp_time: dt.datetime | None     # from a timestamp authority, when present
    timestamp_trusted: bool | None
    intact: bool                   # the signed bytes match the signature's digest
    signature_valid: bool          # the signature value checks with the certificate's key
    covers_whole_file: bool
    revision: int                  # 1-based revision of the file this signature closes
    modified_after: bool           # revisions were appended after this signature
    later_changes: str             # what later revisions did: "ninguno", "firmas", "datos de
    #                                validación", "formularios", "anotaciones" or "otros"
    only_signatures_after: bool
    trusted: bool                  # chains to a configured trust root
    certificate_valid_at_signing: bool | None
    verdict: str
    explanation: str
    sub_indication: str            # ETSI EN 319 102-1 sub-indication, when not passed
    # Whether the certificate's revocation status was checked (None: it names no source).
    revocation_checked: bool | None = None

    @property
    def is_visto_bueno(self) -> bool:
        return self.reason == REASON_VISTO_BUENO


@dataclass(frozen=True)
class VerificationReport:
    sha256: str
    size: int
    validation_time: dt.datetime
    signatures: list[SignatureReport] = field(default_factory=list)
    verdict: str = INVALID
    summary: str = ""
    altered_after_signing: bool = False
    matches_issued: bool | None = None   # against expected_sha256, when given
    unsigned_fields: list[str] = field(default_factory=list)   # signature fields still empty

    @property
    def signed(self) -> bool:
        return bool(self.signatures)


def load_trust_roots(roots: Iterable) -> list[asn1_x509.Certificate]:
    """Trust roots from certificates (cryptography or asn1crypto) or PEM/DER bytes."""
    result: list[asn1_x509.Certificate] = []
    for root in roots or ():
        if isinstance(root, str):
            root = root.encode("ascii")
        if isinstance(root, (bytes, bytearray)):
            data = bytes(root)
            if b"-----BEGIN CERTIFICATE-----" in data:
                result.extend(_to_asn1(c) for c in x509.load_pem_x509_certificates(data))
            else:
                result.append(_to_asn1(x509.load_der_x509_certificate(data)))
        else:
            result.append(_to_asn1(root))
    return result


def _subject_attr(name: asn1_x509.Name, key: str) -> str:
    value = name.native.get(key)
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value or "")


def _lima(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(LIMA)


def _pdf_text(value) -> str:
    if value is None:
        return ""
    try:
        return str(value.get_object())
    except Exception:
        return str(value)


_INDETERMINATE_MESSAGES = {
    AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND:
        "El certificado no proviene de una autoridad de certificación de confianza "
        "(emisor desconocido).",
    AdESIndeterminate.OUT_OF_BOUNDS_NO_POE:
        "El certificado no está vigente en la fecha de verificación y la firma no tiene un "
        "sello de tiempo que pruebe que se firmó cuando lo estaba.",
    AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED:
        "El certificado no está vigente en la fecha de verificación y no hay prueba de la "
        "fecha de la firma.",
    AdESIndeterminate.EXPIRED:
        "El certificado está vencido y no hay prueba de que la firma sea anterior al "
        "vencimiento.",
    AdESIndeterminate.NOT_YET_VALID:
        "El certificado aún no era válido en la fecha de verificación.",
    AdESIndeterminate.REVOKED_NO_POE:
        "El certificado fue revocado y no hay prueba de que la firma sea anterior a la "
        "revocación.",
    AdESIndeterminate.REVOKED_CA_NO_POE:
        "El certificado de la autoridad emisora fue revocado.",
    AdESIndeterminate.CHAIN_CONSTRAINTS_FAILURE:
        "El certificado o su cadena no cumplen las restricciones de uso para firmar "
        "documentos.",
    AdESIndeterminate.SIG_CONSTRAINTS_FAILURE:
        "La firma no cumple las restricciones requeridas.",
    AdESIndeterminate.CERTIFICATE_CHAIN_GENERAL_FAILURE:
        "No se pudo validar la cadena de certificados.",
    AdESIndeterminate.CRYPTO_CONSTRAINTS_FAILURE:
        "La firma usa algoritmos criptográficos no admitidos.",
    AdESIndeterminate.CRYPTO_CONSTRAINTS_FAILURE_NO_POE:
        "La firma usa algoritmos criptográficos que ya no se consideran seguros.",
    AdESIndeterminate.TRY_LATER:
        "No se pudo consultar el estado de revocación del certificado; intente más tarde.",
    AdESIndeterminate.NO_SIGNING_CERTIFICATE_FOUND:
        "La firma no incluye el certificado del firmante.",
}

_FAILURE_MESSAGES = {
    AdESFailure.REVOKED: "El certificado del firmante estaba revocado al momento de firmar.",
    AdESFailure.NOT_YET_VALID: "El certificado del firmante aún no era válido al firmar.",
    AdESFailure.HASH_FAILURE: "El contenido firmado fue alterado.",
    AdESFailure.SIG_CRYPTO_FAILURE: "El valor de la firma no corresponde al certificado.",
    AdESFailure.FORMAT_FAILURE: "La firma tiene un formato no válido.",
}

_ALTERED = "El archivo fue modificado después de la firma."


def _expiry_related(indic) -> bool:
    return indic in (AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
                     AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
                     AdESIndeterminate.EXPIRED)


def _validation_context(roots, moment: dt.datetime, allow_fetching: bool,
                        crls=()) -> ValidationContext:
    return ValidationContext(trust_roots=list(roots), moment=moment, crls=list(crls),
                             allow_fetching=allow_fetching, revocation_mode="soft-fail")


def _revocation_checked(cert, crls, allow_fetching: bool, vc: ValidationContext) -> bool | None:
    """None when the certificate names no CRL or OCSP source; otherwise whether its
    status could be checked (a CRL of its issuer was given, or fetching succeeded)."""
    if not (cert.crl_distribution_points or cert.ocsp_urls):
        return None
    if vc.soft_fail_exceptions:
        return False
    issuer = cert.issuer
    if any(crl["tbs_cert_list"]["issuer"] == issuer for crl in crls):
        return True
    return allow_fetching


def _revocation_time(cert, crls) -> dt.datetime | None:
    for crl in crls:
        if crl["tbs_cert_list"]["issuer"] != cert.issuer:
            continue
        for entry in crl["tbs_cert_list"]["revoked_certificates"] or []:
            if entry["user_certificate"].native == cert.serial_number:
                return entry["revocation_date"].native
    return None


def _failed_report(embedded, index: int, message: str, sub: str, kind: str = "firma",
                   modified_after: bool = False) -> SignatureReport:
    try:
        name = embedded.field_name
    except Exception:
        name = f"firma {index + 1}"
    return SignatureReport(
        field_name=name, kind=kind, signer_name="", signer_position="", signer_dni="",
        signer_organization="", issuer="", certificate_serial="",
        certificate_not_before=None, certificate_not_after=None, reason="", location="",
        signing_time=None, timestamp_time=None, timestamp_trusted=None, intact=False,
        signature_valid=False, covers_whole_file=False, revision=0,
        modified_after=modified_after, later_changes="otros", only_signatures_after=False,
        trusted=False, certificate_valid_at_signing=None, verdict=INVALID,
        explanation=message, sub_indication=sub)


def _judge(status, later: str, ts_status) -> tuple[str, str, str]:
    """Verdict, Spanish explanation and ETSI sub-indication of one signature status."""
    if not status.intact:
        return INVALID, ("El contenido firmado no coincide con la firma (resumen criptográfico "
                         "distinto): " + _ALTERED.lower()), "HASH_FAILURE"
    if not status.valid:
        return INVALID, _FAILURE_MESSAGES[AdESFailure.SIG_CRYPTO_FAILURE], "SIG_CRYPTO_FAILURE"
    if status.coverage is None or status.coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        return INVALID, ("La firma no cubre su versión completa del documento: "
                         "formato no válido."), "FORMAT_FAILURE"
    if later == "otros" or status.docmdp_ok is False:
        return INVALID, (_ALTERED + " Después de firmar se cambió contenido del documento "
                         "(no solo se agregaron firmas): lo que se ve ya no es lo que se "
                         "firmó."), "FORMAT_FAILURE"
    if ts_status is not None and not (ts_status.intact and ts_status.valid):
        return INVALID, "El sello de tiempo de la firma no es íntegro.", "HASH_FAILURE"
    indic = status.trust_problem_indic
    if indic is not None:
        if indic.status is AdESStatus.FAILED:
            return INVALID, _FAILURE_MESSAGES.get(indic, "La validación del certificado "
                                                  "falló."), indic.standard_name
        return INDETERMINATE, _INDETERMINATE_MESSAGES.get(
            indic, "No se pudo determinar la validez del certificado."), indic.standard_name
    if not status.trusted:
        return (INDETERMINATE, _INDETERMINATE_MESSAGES[
            AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND], "NO_CERTIFICATE_CHAIN_FOUND")
    if ts_status is not None and not ts_status.trusted:
        return INDETERMINATE, ("El sello de tiempo no proviene de una autoridad de sellado "
                               "de confianza."), "TIMESTAMP_NOT_TRUSTED"
    if later in ("anotaciones", "formularios"):
        what = "anotaciones" if later == "anotaciones" else "datos o campos de formulario"
        return INDETERMINATE, (f"La firma es íntegra, pero después de firmar se agregaron "
                               f"{what} que pueden cambiar lo que se ve."), "GENERIC"
    message = "La firma es válida: el contenido firmado está íntegro y el certificado es de " \
              "confianza."
    if later == "firmas":
        message += " Después solo se agregaron otras firmas."
    elif later == "datos de validación":
        message += " Después solo se agregaron datos de validación (sin cambiar el contenido)."
    return VALID, message, ""


def verify_pdf(pdf_bytes: bytes, trust_roots: Iterable, *,
               validation_time: dt.datetime | None = None,
               expected_sha256: str | None = None,
               allow_fetching: bool = False, crls: Iterable[bytes] = ()) -> VerificationReport:
    """Verify every signature of ``pdf_bytes`` against ``trust_roots``.

    ``validation_time`` (default: now) is when certificates must be valid, unless a trusted
    timestamp proves the signature is older (then they are checked at the timestamp's time).
    Revocation data is not fetched unless ``allow_fetching``; ``crls`` (DER) are used as
    given. A certificate that names a revocation source whose status could not be
    checked makes its signature INDETERMINADO (TRY_LATER). Raises
    :class:`ValidationError` only when the file is not a readable PDF.
    """
    data = bytes(pdf_bytes) if pdf_bytes is not None else b""
    sha256 = hashlib.sha256(data).hexdigest()
    moment = validation_time or dt.datetime.now(dt.timezone.utc)
    if moment.tzinfo is None:
        raise ValueError("validation_time must be timezone-aware")
    reader = _read_pdf(data, strict=False)
    matches = None if expected_sha256 is None else (sha256 == expected_sha256.lower())
    try:
        unsigned = sorted(_empty_signature_fields(reader)[0])
    except Exception:
        unsigned = []
    base = VerificationReport(sha256=sha256, size=len(data), validation_time=moment,
                              matches_issued=matches, unsigned_fields=unsigned)
    try:
        embedded_all = list(reader.embedded_signatures)
    except Exception as exc:
        raise ValidationError("Las firmas del PDF están dañadas y no se pueden leer.") from exc
    if not embedded_all:
        return replace(
            base, verdict=INVALID,
            summary="El archivo no contiene firmas digitales: no es un documento firmado.")

    roots = load_trust_roots(trust_roots)
    crl_list = [asn1_crl.CertificateList.load(bytes(c)) for c in crls]
    total_revisions = reader.xrefs.total_revisions
    signed_revisions = []
    for emb in embedded_all:
        try:
            signed_revisions.append(emb.signed_revision)
        except Exception:
            signed_revisions.append(None)

    reports = []
    for index, emb in enumerate(embedded_all):
        reports.append(_verify_one(emb, index, roots, moment, allow_fetching,
                                   total_revisions, signed_revisions, crl_list))

    altered = any(r.later_changes == "otros" or not r.intact for r in reports)
    verdicts = {r.verdict for r in reports}
    if INVALID in verdicts:
        verdict = INVALID
    elif INDETERMINATE in verdicts:
        verdict = INDETERMINATE
    else:
        verdict = VALID
    count = len(reports)
    noun = "firma" if count == 1 else "firmas"
    if verdict == VALID:
        summary = (f"El documento tiene {count} {noun} y todas son válidas. "
                   "El archivo no fue modificado después de la firma.")
    elif altered:
        summary = f"{_ALTERED} Las firmas ya no garantizan el contenido que se muestra."
    elif verdict == INVALID:
        summary = "Al menos una firma no es válida."
    else:
        first = next(r for r in reports if r.verdict == INDETERMINATE)
        summary = ("No se pudo confirmar la validez de todas las firmas. "
                   f"{first.field_name}: {first.explanation}")
    return replace(base, signatures=reports, verdict=verdict, summary=summary,
                   altered_after_signing=altered)


def _verify_one(emb, index, roots, moment, allow_fetching, total_revisions,
                signed_revisions, crls=()) -> SignatureReport:
    revision = signed_revisions[index]
    modified_after = revision is not None and revision < total_revisions - 1
    is_timestamp = emb.sig_object_type == "/DocTimeStamp"
    kind = "sello de tiempo del documento" if is_timestamp else "firma"
    status: DocumentTimestampStatus | PdfSignatureStatus
    try:
        vc = _validation_context(roots, moment, allow_fetching, crls)
        if is_timestamp:
            status = validate_pdf_timestamp(emb, validation_context=vc)
        else:
            status = validate_pdf_signature(emb, vc, key_usage_settings=_KEY_USAGE)
    except Exception as exc:  # malformed CMS, unsupported algorithms, broken objects
        return _failed_report(emb, index, "La firma está dañada o tiene un formato no "
                              f"reconocido ({type(exc).__name__}).", "FORMAT_FAILURE", kind,
                              modified_after)

    # The timestamp validator's status for a document timestamp, the signature
    # validator's otherwise (``is_timestamp``).
    ts_status = status.timestamp_validity if isinstance(status, PdfSignatureStatus) else None
    timestamp_time = status.timestamp if isinstance(status, DocumentTimestampStatus) else (
        ts_status.timestamp if ts_status is not None else None)
    ts_ok = ts_status is not None and ts_status.intact and ts_status.valid and \
        ts_status.trusted

    cert = status.signing_cert
    not_before = cert.not_valid_before
    not_after = cert.not_valid_after
    # Past-signature validation: the certificate expired after a timestamp proving the
    # signature existed while it was valid -> validate the chain at the timestamp's time.
    if (not is_timestamp and ts_ok and timestamp_time is not None
            and _expiry_related(status.trust_problem_indic)
            and not_before <= timestamp_time <= not_after):
        try:
            vc_past = _validation_context(roots, timestamp_time, allow_fetching, crls)
            status = validate_pdf_signature(emb, vc_past, key_usage_settings=_KEY_USAGE)
            ts_status = status.timestamp_validity
        except Exception:
            pass

    level = status.modification_level
    later_revisions = set(range(revision + 1, total_revisions)) if revision is not None \
        else set()
    # Every later change is covered by a later signature (the file's last revision is a
    # signature's): e.g. the number and date filled, then signed by the authority.
    last_signed = max((r for r in signed_revisions if r is not None), default=-1)
    accounted = not later_revisions or last_signed == total_revisions - 1
    if not modified_after or level is ModificationLevel.NONE:
        later = "ninguno"
    elif accounted and level in (ModificationLevel.LTA_UPDATES,
                                 ModificationLevel.FORM_FILLING):
        later = "firmas"   # each later revision is another signature filling its field
    elif level is ModificationLevel.LTA_UPDATES:
        later = "datos de validación"
    elif level is ModificationLevel.FORM_FILLING:
        later = "formularios"
    elif level is ModificationLevel.ANNOTATIONS:
        later = "anotaciones"
    else:   # OTHER, or no difference analysis result: not provably harmless
        later = "otros"
    only_signatures = later in ("ninguno", "firmas", "datos de validación")

    verdict, explanation, sub = _judge(status, later, ts_status)
    revocation_checked = _revocation_checked(status.signing_cert, crls, allow_fetching, vc)
    revoked_at = _revocation_time(status.signing_cert, crls)
    claimed = status.signer_reported_dt if isinstance(status, PdfSignatureStatus) else None
    if revoked_at is not None and verdict != INVALID and (
            claimed is None or claimed >= revoked_at):
        # Signed (by its own account) after its certificate was revoked.
        verdict, sub = INVALID, AdESFailure.REVOKED.standard_name
        explanation = ("El certificado del firmante fue revocado el "
                       f"{format_datetime(revoked_at)}, antes de esta firma.")
    elif verdict == VALID and revocation_checked is False:
        verdict, sub = INDETERMINATE, AdESIndeterminate.TRY_LATER.standard_name
        explanation = ("No se pudo comprobar si el certificado del firmante fue revocado "
                       "(su autoridad publica la revocación, pero no se pudo consultar); "
                       "intente más tarde.")
    if is_timestamp and verdict == VALID:
        explanation = "El sello de tiempo del documento es válido."

    signer_reported = status.signer_reported_dt if isinstance(status, PdfSignatureStatus) \
        else None
    proof_time = timestamp_time or signer_reported
    cert_ok_at_signing = None
    if proof_time is not None:
        cert_ok_at_signing = not_before <= proof_time <= not_after

    subject = cert.subject
    sig_object = emb.sig_object
    serial_attr = _subject_attr(subject, "serial_number")
    dni = "".join(ch for ch in serial_attr if ch.isdigit())
    return SignatureReport(
        field_name=emb.field_name,
        kind=kind,
        signer_name=_subject_attr(subject, "common_name"),
        signer_position=_subject_attr(subject, "title"),
        signer_dni=dni if len(dni) == 8 else "",
        signer_organization=_subject_attr(subject, "organization_name"),
        issuer=_subject_attr(cert.issuer, "common_name") or cert.issuer.human_friendly,
        certificate_serial=format(cert.serial_number, "X"),
        certificate_not_before=_lima(not_before),
        certificate_not_after=_lima(not_after),
        reason=_pdf_text(sig_object.get("/Reason")),
        location=_pdf_text(sig_object.get("/Location")),
        signing_time=_lima(signer_reported),
        timestamp_time=_lima(timestamp_time),
        timestamp_trusted=bool(status.trusted) if is_timestamp else (
            None if ts_status is None else bool(ts_status.trusted)),
        intact=bool(status.intact),
        signature_valid=bool(status.valid),
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        revision=(revision + 1) if revision is not None else 0,
        modified_after=modified_after,
        later_changes=later,
        only_signatures_after=only_signatures,
        trusted=bool(status.trusted),
        certificate_valid_at_signing=cert_ok_at_signing,
        verdict=verdict,
        explanation=explanation,
        sub_indication=sub,
        revocation_checked=revocation_checked,
    )


def check_external_signature(prepared: bytes, signed: bytes, field_name: str,
                             trust_roots: Iterable, *, crls: Iterable[bytes] = (),
                             allow_fetching: bool = False,
                             ) -> tuple[x509.Certificate, list[x509.Certificate]]:
    """Check a file signed outside docsys against the PDF docsys prepared for it: the
    same bytes with exactly one revision added, holding exactly one new signature, in
    ``field_name``, covering the whole file, valid and trusted, and every earlier
    signature still valid (so nothing else changed). Returns the signer's certificate
    and the other certificates the signature carries; a Spanish ValidationError naming
    the failed check otherwise."""
    reader = _read_pdf(signed, strict=False)
    if not bytes(signed).startswith(bytes(prepared)):
        raise ValidationError(
            "El archivo no es el PDF preparado con una firma agregada: su contenido difiere "
            "del que docsys preparó (es otro documento, o se modificó antes de firmar).")
    original = _read_pdf(prepared, strict=False)
    before = len(original.embedded_signatures)
    try:
        embedded = list(reader.embedded_signatures)
    except Exception as exc:
        raise ValidationError("Las firmas del PDF están dañadas y no se pueden leer.") from exc
    added = embedded[before:]
    if len(added) != 1:
        raise ValidationError(f"Se esperaba exactamente una firma nueva; el archivo tiene "
                              f"{len(added)}.")
    new = added[0]
    if new.field_name != field_name:
        raise ValidationError(f"La firma nueva está en el campo «{new.field_name}»; debe "
                              f"firmar en el campo «{field_name}».")
    if reader.xrefs.total_revisions != original.xrefs.total_revisions + 1:
        raise ValidationError("Además de la firma, el archivo tiene otros cambios (más de una "
                              "revisión agregada).")
    report = verify_pdf(signed, trust_roots, crls=crls, allow_fetching=allow_fetching)
    final = report.signatures[-1]
    if not final.covers_whole_file:
        raise ValidationError("Después de firmar se hicieron otros cambios al archivo.")
    if final.verdict != VALID:
        raise ValidationError(f"La firma agregada no es válida: {final.explanation}")
    broken = [r for r in report.signatures[:-1] if r.verdict != VALID]
    if broken:
        raise ValidationError(f"La firma {broken[0].field_name} ya no es válida en el archivo "
                              f"subido: {broken[0].explanation}")
    cert = x509.load_der_x509_certificate(new.signer_cert.dump())
    others = [x509.load_der_x509_certificate(c.chosen.dump())
              for c in (new.signed_data["certificates"] or [])
              if c.name == "certificate" and c.chosen.dump() != new.signer_cert.dump()]
    return cert, others


def describe(report: VerificationReport) -> str:
    """A plain-text rendering of a report (CLI output, logs)."""
    lines = [f"Resultado: {report.verdict}", report.summary, f"SHA-256: {report.sha256}"]
    for number, sig in enumerate(report.signatures, 1):
        moment = sig.timestamp_time or sig.signing_time
        when = format_datetime(moment) if moment else "sin fecha"
        lines.append(f"{number}. [{sig.verdict}] {sig.field_name}: {sig.signer_name}"
                     f"{' - ' + sig.signer_position if sig.signer_position else ''}; "
                     f"{sig.reason or 'sin motivo'}; {when}. {sig.explanation}")
    return "\n".join(lines)

