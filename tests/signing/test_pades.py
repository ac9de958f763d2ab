"""PAdES signing and verification on a real resolution PDF, checked by docsys (pyHanko) and,
independently, by poppler's pdfsig."""
from __future__ import annotations

import datetime as dt
import io
import random
import re
import socket
import subprocess

import pytest
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils import generic
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.stamp import TextStamp, TextStampStyle
from weasyprint import HTML

from docsys.errors import ValidationError
from docsys.signing import pades
from docsys.signing.keystore import open_pkcs12
from docsys.signing.pades import (
    INDETERMINATE,
    INVALID,
    VALID,
    SignerLabel,
    SlotSpec,
    TimestampUnavailable,
    prepare_signature_fields,
    sign_pdf,
    verify_pdf,
)
from tests.signing.conftest import P12_PASSPHRASE, SIGNERS
from tests.signing.support import appearance_lines, run_pdfsig

NOW = dt.datetime.now(dt.timezone.utc)


def _write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _reader(pdf: bytes) -> PdfFileReader:
    return PdfFileReader(io.BytesIO(pdf))


def _flip_byte_in_first_revision(signed: bytes, first_revision: bytes) -> bytes:
    """Change one character of the /Producer string: inside the signed bytes of every
    signature, and harmless to the PDF's structure."""
    at = first_revision.index(b"/Producer")
    at = first_revision.index(b"WeasyPrint", at) + 1
    assert at < len(first_revision)
    changed = bytearray(signed)
    changed[at] = ord("X")
    return bytes(changed)


def _append_page_content(pdf: bytes) -> bytes:
    """A non-signature incremental update drawing text on the last page."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    style = TextStampStyle(stamp_text="ANULADO", border_width=0)
    TextStamp(writer, style).apply(dest_page=0, x=100, y=500)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --------------------------------------------------------------------------- fields


def test_all_fields_are_created_in_one_revision_on_the_last_page(resolution, prepared):
    assert prepared.startswith(resolution)
    reader = _reader(prepared)
    assert reader.xrefs.total_revisions == _reader(resolution).xrefs.total_revisions + 1
    found = list(fields.enumerate_sig_fields(reader))
    assert [name for name, _, _ in found] == ["VB_1", "VB_2", "FIRMA"]
    assert all(value is None for _, value, _ in found)
    pages = reader.root["/Pages"]
    last_page = pages["/Kids"][-1].get_object()
    width = float(last_page["/MediaBox"][2])
    boxes = []
    for _, _, field_ref in found:
        widget = field_ref.get_object()
        assert widget["/P"].get_object() == last_page
        x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
        assert (round(x2 - x1, 2), round(y2 - y1, 2)) == (pades.STAMP_WIDTH, pades.STAMP_HEIGHT)
        assert 0 <= x1 and x2 <= width and y1 >= pades.GRID_BOTTOM
        boxes.append((x1, y1, x2, y2))
    # no overlap, and the final signature is the lowest
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
    assert boxes[-1][1] == min(box[1] for box in boxes)


def test_grid_puts_vistos_buenos_above_the_final_signature():
    boxes = pades.grid_boxes(3, 595.28)
    assert boxes[0][1] == boxes[1][1] > boxes[2][1] == pades.GRID_BOTTOM
    assert pades.signature_area_height(3) == 2 * pades.STAMP_HEIGHT + pades.GRID_GAP
    assert pades.signature_area_height(1) == pades.STAMP_HEIGHT


def test_explicit_box_is_used(resolution):
    pdf = prepare_signature_fields(resolution, [SlotSpec("FIRMA", box=(300, 100, 492, 161.5))])
    (_, _, ref), = fields.enumerate_sig_fields(_reader(pdf))
    assert [float(v) for v in ref.get_object()["/Rect"]] == [300, 100, 492, 161.5]


def test_fields_are_refused_when_they_clash_or_the_document_is_signed(resolution, prepared,
                                                                     signed_pdf):
    with pytest.raises(ValidationError, match="ya existe"):
        prepare_signature_fields(prepared, [SlotSpec("VB_1")])
    with pytest.raises(ValidationError, match="ya tiene firmas"):
        prepare_signature_fields(signed_pdf, [SlotSpec("OTRA")])
    with pytest.raises(ValidationError, match="se repiten"):
        prepare_signature_fields(resolution, [SlotSpec("A"), SlotSpec("A")])
    with pytest.raises(ValidationError, match="no válido"):
        prepare_signature_fields(resolution, [SlotSpec("a.b")])
    with pytest.raises(ValidationError, match="página"):
        prepare_signature_fields(resolution, [SlotSpec("A", page=40)])


# --------------------------------------------------------------------------- signing


def test_signatures_are_successive_incremental_updates(prepared, signed_steps):
    previous = prepared
    for step in signed_steps:
        assert step.startswith(previous)
        previous = step
    reader = _reader(signed_steps[-1])
    assert reader.xrefs.total_revisions == _reader(prepared).xrefs.total_revisions + 3


def test_signatures_are_pades_with_sha256_and_a_visible_stamp(signed_pdf):
    reader = _reader(signed_pdf)
    signatures = reader.embedded_signatures
    assert [s.field_name for s in signatures] == ["VB_1", "VB_2", "FIRMA"]
    for sig, (key, (name, position, _, _, _, reason)) in zip(signatures, SIGNERS.items()):
        assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
        assert sig.sig_object["/Reason"] == reason
        assert sig.sig_object["/Location"] == "Camisea, Perú"
        assert sig.md_algorithm == "sha256"
        signed_attrs = {a["type"].native for a in sig.signer_info["signed_attrs"]}
        assert "signing_certificate_v2" in signed_attrs   # the CAdES/PAdES attribute
        widget = sig.sig_field
        lines = appearance_lines(widget["/AP"]["/N"].get_object().data)
        assert lines[:4] == ["Firmado digitalmente por:", name, position, f"Motivo: {reason}"]
        assert re.fullmatch(r"Fecha: \d\d/\d\d/\d{4} \d\d:\d\d:\d\d -05:00", lines[4])
        x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
        assert (x2 - x1, y2 - y1) == (pades.STAMP_WIDTH, pades.STAMP_HEIGHT)


def test_docsys_verifies_three_valid_signatures_in_order(signed_pdf, demo_ca):
    report = verify_pdf(signed_pdf, [demo_ca.cert])
    assert report.verdict == VALID, pades.describe(report)
    assert not report.altered_after_signing
    assert "no fue modificado" in report.summary
    assert [s.field_name for s in report.signatures] == ["VB_1", "VB_2", "FIRMA"]
    assert [s.signer_name for s in report.signatures] == [v[0] for v in SIGNERS.values()]
    assert [s.signer_position for s in report.signatures] == [v[1] for v in SIGNERS.values()]
    assert [s.signer_dni for s in report.signatures] == [v[3] for v in SIGNERS.values()]
    assert [s.reason for s in report.signatures] == [pades.REASON_VISTO_BUENO] * 2 + [
        pades.REASON_AUTHOR]
    assert [s.is_visto_bueno for s in report.signatures] == [True, True, False]
    revisions = [s.revision for s in report.signatures]
    assert revisions == sorted(revisions) and len(set(revisions)) == 3
    for sig in report.signatures:
        assert sig.verdict == VALID and sig.intact and sig.signature_valid and sig.trusted
        assert sig.certificate_valid_at_signing
        assert sig.only_signatures_after
        assert sig.signing_time.utcoffset() == dt.timedelta(hours=-5)
        assert _signed_during_this_run(sig.signing_time)
        assert sig.timestamp_time is None
        assert sig.issuer == "Autoridad Certificadora de Demostración docsys"
    first, second, final = report.signatures
    assert final.covers_whole_file and not final.modified_after
    assert final.later_changes == "ninguno"
    assert not first.covers_whole_file and first.modified_after
    assert first.later_changes == second.later_changes == "firmas"


def test_pdfsig_confirms_every_signature(signed_pdf, nss_dir, tmp_path):
    result = run_pdfsig(_write(tmp_path, "firmado.pdf", signed_pdf), nss_dir)
    assert [s.field_name for s in result] == ["VB_1", "VB_2", "FIRMA"]
    assert [s.common_name for s in result] == [v[0] for v in SIGNERS.values()]
    for sig in result:
        assert sig.valid, sig.lines
        assert sig.trusted, sig.lines
    assert [s.total_document_signed for s in result] == [False, False, True]


def test_pdfsig_without_ocsp_still_checks_the_signatures(signed_pdf, nss_dir, tmp_path):
    """``-no-ocsp``: poppler 22.12 then reads a stale NSS error code for the certificate line
    (it ignores CERT_PKIXVerifyCert's result), so only the signature line is asserted here;
    the trust check is the test above (the demo certificates name no OCSP responder, so
    NSS has nothing to query either way)."""
    result = run_pdfsig(_write(tmp_path, "firmado.pdf", signed_pdf), nss_dir, no_ocsp=True)
    assert len(result) == 3 and all(sig.valid for sig in result)


def test_one_changed_byte_is_detected_by_docsys_and_pdfsig(prepared, signed_pdf, demo_ca,
                                                          nss_dir, tmp_path):
    tampered = _flip_byte_in_first_revision(signed_pdf, prepared)
    assert len(tampered) == len(signed_pdf) and tampered != signed_pdf

    report = verify_pdf(tampered, [demo_ca.cert])
    assert report.verdict == INVALID
    assert report.altered_after_signing
    assert "modificado después de la firma" in report.summary
    for sig in report.signatures:
        assert sig.verdict == INVALID and not sig.intact
        assert sig.sub_indication == "HASH_FAILURE"
        assert "modificado después de la firma" in sig.explanation

    result = run_pdfsig(_write(tmp_path, "alterado.pdf", tampered), nss_dir)
    assert len(result) == 3
    for sig in result:
        assert not sig.valid
        assert sig.signature_validation == "Digest Mismatch.", sig.lines


def test_content_added_after_signing_is_reported_as_a_modification(signed_pdf, demo_ca,
                                                                   nss_dir, tmp_path):
    modified = _append_page_content(signed_pdf)
    assert modified.startswith(signed_pdf)

    report = verify_pdf(modified, [demo_ca.cert])
    assert report.verdict == INVALID
    assert report.altered_after_signing
    assert "El archivo fue modificado después de la firma." in report.summary
    for sig in report.signatures:
        assert sig.intact          # the signed revisions themselves are untouched ...
        assert sig.modified_after and sig.later_changes == "otros"   # ... but not the file
        assert not sig.only_signatures_after
        assert sig.verdict == INVALID
        assert "modificado después de la firma" in sig.explanation
    assert not report.signatures[-1].covers_whole_file

    # pdfsig checks each signed byte range (still intact) and sees the file is not covered
    result = run_pdfsig(_write(tmp_path, "modificado.pdf", modified), nss_dir)
    assert all(sig.valid for sig in result)
    assert not any(sig.total_document_signed for sig in result)


def test_untrusted_certificate_is_indeterminate_and_pdfsig_distrusts_it(
        prepared, untrusted_person, demo_ca, nss_dir, tmp_path):
    pdf = sign_pdf(prepared, "FIRMA", untrusted_person.p12, P12_PASSPHRASE,
                   pades.REASON_AUTHOR)
    report = verify_pdf(pdf, [demo_ca.cert])
    sig, = report.signatures
    assert sig.intact and sig.signature_valid and not sig.trusted
    assert sig.verdict == INDETERMINATE
    assert sig.sub_indication == "NO_CERTIFICATE_CHAIN_FOUND"
    assert "autoridad de certificación de confianza" in sig.explanation
    assert report.verdict == INDETERMINATE and not report.altered_after_signing
    assert "autoridad de certificación de confianza" in report.summary
    assert report.unsigned_fields == ["VB_1", "VB_2"]   # the vistos buenos still pending

    result, = run_pdfsig(_write(tmp_path, "no-confiable.pdf", pdf), nss_dir)
    assert result.valid
    assert not result.trusted
    assert result.certificate_validation in ("Certificate issuer isn't Trusted.",
                                             "Certificate issuer is unknown."), result.lines


def test_comment_added_after_signing_counts_as_a_modification(signed_pdf, demo_ca):
    """pyHanko's default difference policy does not accept new annotations on a signed
    page; for a municipal document a note added afterwards is a change after signing."""
    writer = IncrementalPdfFileWriter(io.BytesIO(signed_pdf))
    page_ref, _ = writer.find_page_for_modification(-1)
    page = page_ref.get_object()
    note = writer.add_object(generic.DictionaryObject({
        generic.pdf_name("/Type"): generic.pdf_name("/Annot"),
        generic.pdf_name("/Subtype"): generic.pdf_name("/Text"),
        generic.pdf_name("/Rect"): generic.ArrayObject(
            [generic.FloatObject(v) for v in (100, 700, 120, 720)]),
        generic.pdf_name("/Contents"): generic.TextStringObject("Nota agregada"),
    }))
    page["/Annots"].append(note)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    report = verify_pdf(out.getvalue(), [demo_ca.cert])
    assert report.verdict == INVALID and report.altered_after_signing
    assert report.signatures[-1].later_changes == "otros"


def test_document_timestamp_after_the_signatures_is_accepted(signed_pdf, demo_ca, tsa):
    """A later document timestamp (what PAdES B-LTA appends) is validation data, not a
    change to the signed content."""
    writer = IncrementalPdfFileWriter(io.BytesIO(signed_pdf))
    stamped = signers.PdfTimeStamper(HTTPTimeStamper(tsa.url)).timestamp_pdf(
        writer, "sha256").getvalue()
    report = verify_pdf(stamped, [demo_ca.cert])
    assert report.verdict == VALID, pades.describe(report)
    *signatures, timestamp = report.signatures
    assert [s.field_name for s in signatures] == ["VB_1", "VB_2", "FIRMA"]
    assert timestamp.kind == "sello de tiempo del documento"
    assert timestamp.timestamp_time is not None and timestamp.covers_whole_file
    assert timestamp.verdict == VALID
    assert signatures[-1].later_changes == "firmas" and signatures[-1].only_signatures_after


def test_genuine_signatures_are_indeterminate_without_their_root(signed_pdf, untrusted_ca):
    report = verify_pdf(signed_pdf, [untrusted_ca.cert])
    assert report.verdict == INDETERMINATE
    assert all(s.verdict == INDETERMINATE and s.intact for s in report.signatures)
    assert verify_pdf(signed_pdf, []).verdict == INDETERMINATE


def test_expired_certificate_is_refused_at_signing(prepared, expired_person):
    with pytest.raises(ValidationError, match="venció el"):
        sign_pdf(prepared, "FIRMA", expired_person.p12, P12_PASSPHRASE, pades.REASON_AUTHOR)


def test_expired_certificate_without_timestamp_is_indeterminate(prepared, short_lived_person,
                                                                demo_ca):
    pdf = sign_pdf(prepared, "FIRMA", short_lived_person.p12, P12_PASSPHRASE,
                   pades.REASON_AUTHOR)
    assert verify_pdf(pdf, [demo_ca.cert]).verdict == VALID
    later = NOW + dt.timedelta(days=7)
    report = verify_pdf(pdf, [demo_ca.cert], validation_time=later)
    sig, = report.signatures
    assert sig.intact and sig.timestamp_time is None
    assert sig.certificate_valid_at_signing      # as far as the signer's own clock says
    assert sig.verdict == INDETERMINATE
    assert sig.sub_indication == "OUT_OF_BOUNDS_NO_POE"
    assert "sello de tiempo" in sig.explanation
    assert report.verdict == INDETERMINATE


def test_timestamped_signature_survives_certificate_expiry(prepared, short_lived_person,
                                                           demo_ca, tsa, nss_dir, tmp_path):
    pdf = sign_pdf(prepared, "FIRMA", short_lived_person.p12, P12_PASSPHRASE,
                   pades.REASON_AUTHOR, timestamp_url=tsa.url)
    # the first signature also sizes the container with a token; later ones ask once
    before = tsa.requests
    sign_pdf(prepared, "VB_1", short_lived_person.p12, P12_PASSPHRASE,
             pades.REASON_VISTO_BUENO, timestamp_url=tsa.url)
    assert tsa.requests == before + 1
    report = verify_pdf(pdf, [demo_ca.cert])
    sig, = report.signatures
    assert sig.verdict == VALID, sig.explanation
    assert sig.timestamp_time is not None and sig.timestamp_trusted
    assert _signed_during_this_run(sig.timestamp_time)

    later = report.validation_time + dt.timedelta(days=7)
    sig_later, = verify_pdf(pdf, [demo_ca.cert], validation_time=later).signatures
    assert sig_later.verdict == VALID, sig_later.explanation
    assert sig_later.certificate_valid_at_signing

    result, = run_pdfsig(_write(tmp_path, "sellado.pdf", pdf), nss_dir)
    assert result.valid and result.trusted, result.lines


def test_unreachable_timestamp_authority_stops_the_signature(prepared, people):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(TimestampUnavailable, match="sello de tiempo"):
        sign_pdf(prepared, "FIRMA", people["gerente"].p12, P12_PASSPHRASE,
                 pades.REASON_AUTHOR, timestamp_url=f"http://127.0.0.1:{port}/tsa",
                 timestamp_timeout=2)


def test_wrong_passphrase_is_refused(prepared, people):
    with pytest.raises(ValidationError) as caught:
        sign_pdf(prepared, "VB_1", people["asesor"].p12, "equivocada", pades.REASON_VISTO_BUENO)
    assert caught.value.message == "La contraseña del certificado no es correcta."


def test_signing_errors_are_spanish(prepared, signed_steps, people):
    p12 = people["asesor"].p12
    with pytest.raises(ValidationError, match="Motivo de firma no admitido"):
        sign_pdf(prepared, "VB_1", p12, P12_PASSPHRASE, "Porque sí")
    with pytest.raises(ValidationError, match="no tiene el campo de firma «OTRO»"):
        sign_pdf(prepared, "OTRO", p12, P12_PASSPHRASE, pades.REASON_VISTO_BUENO)
    with pytest.raises(ValidationError, match="ya está firmado"):
        sign_pdf(signed_steps[0], "VB_1", p12, P12_PASSPHRASE, pades.REASON_VISTO_BUENO)
    with pytest.raises(ValidationError, match="no es un PDF"):
        sign_pdf(b"hola", "VB_1", p12, P12_PASSPHRASE, pades.REASON_VISTO_BUENO)


def test_stamp_label_can_be_given(prepared, people):
    pdf = sign_pdf(prepared, "FIRMA", people["gerente"].p12, P12_PASSPHRASE,
                   pades.REASON_BY_ORDER,
                   signer_label=SignerLabel("Jorge Mendoza Salas", "Gerente Municipal (e)"))
    sig = _reader(pdf).embedded_signatures[0]
    lines = appearance_lines(sig.sig_field["/AP"]["/N"].get_object().data)
    assert lines[1:4] == ["Jorge Mendoza Salas", "Gerente Municipal (e)", "Motivo: Por encargo"]


def test_stamp_text_is_limited_to_what_the_font_can_show():
    when = dt.datetime(2024, 3, 12, 15, 15, 2, tzinfo=dt.timezone.utc)
    lines = pades.stamp_lines("Łucja Ñahui “Pérez”", "Jefa de la Oficina de Tecnologías de "
                              "la Información y Comunicaciones", pades.REASON_VISTO_BUENO, when)
    assert lines[0] == "Firmado digitalmente por:"
    assert lines[1] == 'Lucja Ñahui "Pérez"'
    assert lines[2:4] == ["Jefa de la Oficina de Tecnologías de la",
                          "Información y Comunicaciones"]
    assert all(len(line) <= 43 for line in lines)
    assert lines[-2] == "Motivo: Doy V° B°"
    assert lines[-1] == "Fecha: 12/03/2024 10:15:02 -05:00"


# --------------------------------------------------------------------------- bad input


def test_not_a_pdf_is_a_validation_error(demo_ca):
    for data in (b"", b"hola mundo", b"\x89PNG\r\n\x1a\n" + b"0" * 100):
        with pytest.raises(ValidationError, match="vacío|no es un PDF"):
            verify_pdf(data, [demo_ca.cert])
    with pytest.raises(ValidationError, match="dañado"):
        verify_pdf(b"%PDF-1.7\n" + b"basura " * 50, [demo_ca.cert])


def test_unsigned_pdf_is_reported_as_not_signed(resolution, demo_ca):
    report = verify_pdf(resolution, [demo_ca.cert])
    assert not report.signed
    assert report.verdict == INVALID
    assert "no contiene firmas" in report.summary


def test_report_says_whether_the_file_is_the_issued_one(signed_pdf, demo_ca):
    import hashlib
    digest = hashlib.sha256(signed_pdf).hexdigest()
    report = verify_pdf(signed_pdf, [demo_ca.cert], expected_sha256=digest.upper())
    assert report.sha256 == digest and report.matches_issued is True
    assert verify_pdf(signed_pdf, [demo_ca.cert], expected_sha256="0" * 64).matches_issued \
        is False
    assert verify_pdf(signed_pdf, [demo_ca.cert]).matches_issued is None


def test_trust_roots_may_be_pem_bytes(signed_pdf, demo_ca):
    assert verify_pdf(signed_pdf, [demo_ca.cert_pem]).verdict == VALID


def test_damaged_files_never_crash_the_verifier(prepared, signed_pdf, demo_ca):
    rng = random.Random(20240312)
    first_revision = len(prepared)
    for _ in range(25):
        at = rng.randrange(len(signed_pdf))
        damaged = bytearray(signed_pdf)
        damaged[at] = (damaged[at] + rng.randrange(1, 255)) % 256
        try:
            report = verify_pdf(bytes(damaged), [demo_ca.cert])
        except ValidationError as exc:
            assert exc.message
            continue
        if at < first_revision:
            # inside bytes every signature covers
            assert report.verdict != VALID, (at, pades.describe(report))
    truncated = signed_pdf[: len(signed_pdf) // 2]
    try:
        report = verify_pdf(truncated, [demo_ca.cert])
        assert report.verdict != VALID
    except ValidationError:
        pass


def _signed_during_this_run(moment) -> bool:
    """Between this module's import and now (a minute's slack for clocks): however long
    the suite has run, whatever the machine's load."""
    slack = dt.timedelta(minutes=1)
    return NOW - slack <= moment <= dt.datetime.now(dt.timezone.utc) + slack


# ------------------------------------------- number and date filled by the last signer

_FORM_HTML = ("<html><body style='font-family:sans-serif'><p>RESOLUCIÓN DE GERENCIA MUNICIPAL"
              " N° <input type='text' name='NUMERO' style='width:7cm;border:0'></p>"
              "<p>Camisea, <input type='text' name='FECHA' style='width:4cm;border:0'></p>"
              "<p>SE RESUELVE: Artículo 1.- Aprobar el plan.</p></body></html>")


def test_number_and_date_filled_with_the_final_signature_keep_every_signature_valid(
        demo_ca, people, nss_dir, tmp_path):
    """The document flow of issue 12 item 2: each V°B° is signed when given, on a PDF whose
    number and date are empty text fields; the authority fills them in the revision of the
    final signature. Three signatures by three people; for pyHanko the earlier ones see only
    form filling (allowed), for pdfsig all three are valid."""
    pdf = HTML(string=_FORM_HTML).write_pdf(pdf_forms=True)
    pdf = prepare_signature_fields(pdf, pades.default_slots(2))
    for key in SIGNERS:
        field, reason = SIGNERS[key][4], SIGNERS[key][5]
        credential = open_pkcs12(people[key].p12, P12_PASSPHRASE)
        fill = {"NUMERO": "0045-2026-GM-MDM", "FECHA": "6 de diciembre de 2026"} \
            if field == pades.FINAL_FIELD else None
        pdf = pades.sign_pdf_with_credential(pdf, field, credential, reason, fill=fill)

    embedded = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    levels = [validate_pdf_signature(sig, skip_diff=False) for sig in embedded]
    assert [s.field_name for s in embedded] == ["VB_1", "VB_2", "FIRMA"]
    assert all(status.intact and status.valid and status.docmdp_ok for status in levels)
    assert [status.modification_level for status in levels] == [
        pades.ModificationLevel.FORM_FILLING, pades.ModificationLevel.FORM_FILLING,
        pades.ModificationLevel.NONE]
    report = verify_pdf(pdf, [demo_ca.cert], allow_fetching=False)
    assert report.verdict == VALID, report.summary
    assert [s.signer_dni for s in report.signatures] == [v[3] for v in SIGNERS.values()]

    path = _write(tmp_path, "numerado.pdf", pdf)
    result = run_pdfsig(path, nss_dir)
    assert [s.field_name for s in result] == ["VB_1", "VB_2", "FIRMA"]
    assert all(sig.valid and sig.trusted for sig in result), [s.lines for s in result]
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "0045-2026-GM-MDM" in text and "6 de diciembre de 2026" in text


def test_filling_a_missing_text_field_is_refused(people):
    credential = open_pkcs12(people["gerente"].p12, P12_PASSPHRASE)
    plain = HTML(string="<p>Sin campos de texto.</p>").write_pdf()
    unsigned = prepare_signature_fields(plain, [SlotSpec(pades.FINAL_FIELD)])
    with pytest.raises(ValidationError, match="campo de texto «NUMERO»"):
        pades.sign_pdf_with_credential(unsigned, pades.FINAL_FIELD, credential,
                                       pades.REASON_AUTHOR, fill={"NUMERO": "1"})
