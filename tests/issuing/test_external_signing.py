"""«Firmar con mi propio programa»: docsys prepares the PDF (vistos buenos signed, field
FIRMA empty, the next number printed), the authority signs it with an independent tool
(pyHanko's command line), docsys checks the upload and only then takes the number. Every
bad upload is a Spanish 4xx naming the check, takes no number and is audited.
On SQLite and PostgreSQL."""
from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pyhanko.pdf_utils.generic import NameObject, NumberObject, pdf_string
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from sqlalchemy import func, select

from docsys import services, verification
from docsys.db import transaction
from docsys.errors import ValidationError
from docsys.models import AuditEntry, Issuance, NumberSequence
from docsys.signing.demo_setup import DEMO_PASSPHRASE
from tests.conftest import get_user
from tests.issuing.support import approved_document
from tests.signing.support import PDFSIG, make_nss_db, run_pdfsig

PYHANKO = shutil.which("pyhanko") or str(Path(__file__).parents[2] / ".venv" / "bin" / "pyhanko")


def _sign_outside(settings, tmp_path: Path, pdf: bytes, username: str,
                  field: str = "FIRMA") -> bytes:
    """Sign with pyHanko's command line and the user's demo .p12, as an official would
    with their own software."""
    source, out = tmp_path / f"in-{username}.pdf", tmp_path / f"out-{username}.pdf"
    passfile = tmp_path / "clave.txt"
    source.write_bytes(pdf)
    passfile.write_text(DEMO_PASSPHRASE)
    p12 = Path(settings["PKI_DIR"]) / "usuarios" / f"{username}.p12"
    subprocess.run([PYHANKO, "sign", "addsig", "--field", field, "--use-pades",
                    "--reason", "Soy el autor del documento", "pkcs12",
                    "--passfile", str(passfile), str(source), str(out), str(p12)],
                   check=True, capture_output=True, timeout=120)
    return out.read_bytes()


def _with_extra_change(pdf: bytes) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    info = writer.trailer["/Info"].get_object() if "/Info" in writer.trailer else None
    if info is not None:
        info[NameObject("/Title")] = pdf_string("Otro título")
        writer.update_container(info)
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page[NameObject("/Rotate")] = NumberObject(90)   # the page turned after signing
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_sign_with_my_own_software_round_trip_and_bad_uploads(signing_ready, settings,
                                                              tmp_path):
    with transaction(signing_ready) as session:
        first = approved_document(session, settings).id
        second = approved_document(session, settings, sumilla="Aprobar el plan de trabajo").id
    session = signing_ready()
    try:
        gerente = get_user(session, "gerente")
        prepared, pdf = services.prepare_external_signing(session, settings, gerente, first)
        number = prepared.official_number
        assert number.endswith("0001-" + str(prepared.year) + "-GM-MDM")
        assert session.scalar(select(func.count()).select_from(NumberSequence)) == 0
        good = _sign_outside(settings, tmp_path, pdf, "gerente")
        refusals = [
            (b"", "Adjunte el PDF firmado"),
            (good[: len(good) - 900], "dañado|firma|cambios"),
            (_sign_outside(settings, tmp_path, pdf, "alcalde"), "no de Jorge Mendoza Salas"),
            (_sign_outside(settings, tmp_path, good, "asesor", "1/300,300,400,350/OTRA"),
             "exactamente una firma nueva"),
            (_with_extra_change(good), "exactamente una firma nueva|otros cambios"),
        ]
        for upload, why in refusals:
            with pytest.raises(ValidationError, match=why):
                services.issue_signed_elsewhere(session, settings, gerente, first, upload)
        # The signed file of one document is not another document's signature.
        services.prepare_external_signing(session, settings, gerente, second)
        with pytest.raises(ValidationError, match="difiere del que docsys preparó"):
            services.issue_signed_elsewhere(session, settings, gerente, second, good)
        assert session.scalar(select(func.count()).select_from(NumberSequence)) == 0
        assert session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "issue_refused")) == len(refusals) + 1

        issuance = services.issue_signed_elsewhere(session, settings, gerente, first, good)
        assert issuance.official_number == number and issuance.sequence == 1
        # Twice is harmless: the second upload is refused, nothing changes.
        with pytest.raises(Exception, match="ya fue emitido"):
            services.issue_signed_elsewhere(session, settings, gerente, first, good)
        result = verification.verify_code(session, settings, issuance.verification_code)
        assert result.verdict == "VÁLIDO", result.report.summary
        assert [(s.field_name, s.signer_dni) for s in result.report.signatures] == [
            ("VB_1", get_user(session, "asesor").dni), ("VB_2", gerente.dni),
            ("FIRMA", gerente.dni)]
        assert session.scalar(select(func.count()).select_from(Issuance)) == 1
    finally:
        session.close()
    if PDFSIG:
        path = tmp_path / "emitida.pdf"
        path.write_bytes(good)
        nss = make_nss_db(tmp_path / "nss", (Path(settings["PKI_DIR"]) / "ca.pem").read_bytes())
        checked = run_pdfsig(path, nss)
        assert [s.field_name for s in checked] == ["VB_1", "VB_2", "FIRMA"]
        assert checked[-1].valid and checked[-1].total_document_signed
