"""Every signature made by its holder when they act (issue 12, item 2), on SQLite and
PostgreSQL: each V°B° is signed when given, on the version's signing copy, with the holder's
own secret; the authority signs at issuing with theirs, and no other key is opened then.
Checked with docsys' verification, pyHanko's difference analysis and poppler's pdfsig."""
from __future__ import annotations

import io
import threading

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from sqlalchemy import func, select

from docsys import blobs, holder_signing, issuing, services, verification, versions, workflow
from docsys.db import transaction
from docsys.drafting import service
from docsys.errors import Conflict, NotFound, ValidationError
from docsys.models import AuditEntry, Document, SigningCopy, VistoBueno
from docsys.signing import credentials, pades, pki, verify_pdf
from docsys.signing.demo_setup import DEMO_PASSPHRASE
from docsys.verification import revocation, trust_roots
from tests.conftest import get_user
from tests.finishing import finish
from tests.issuing.support import FIELDS, RA, RGM, SECRET, approved_document, give_vistos
from tests.signing.support import PDFSIG, make_nss_db, run_pdfsig


def _in_review(session, template=RGM, sumilla="Aprobar el expediente técnico del camino"):
    author = get_user(session, "redactor")
    document = service.create_document(session, template, {"sumilla": sumilla, **FIELDS}, author)
    finish(session, document, author)
    workflow.transition(session, document, "enviar", author)
    return document


def _copy_pdf(session, settings, document) -> bytes:
    copy = holder_signing.signing_copy(session, document, document.latest_version)
    assert copy is not None
    return blobs.get(settings["BLOB_DIR"], copy.pdf_sha256)


def _counts(session, document_id):
    return (session.scalar(select(func.count()).select_from(VistoBueno).where(
                VistoBueno.document_id == document_id)),
            session.scalar(select(func.count()).select_from(SigningCopy).where(
                SigningCopy.document_id == document_id)))


def _refusals(session, action="visto_bueno_refused"):
    return session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == action))


def test_each_visto_bueno_is_signed_when_given_in_its_own_field(signing_ready, settings):
    """The area head first, then the legal adviser: each signs its own field (VB_2, VB_1)
    on the one signing copy, with their certificate; the number, date and FIRMA stay empty."""
    with transaction(signing_ready) as session:
        document = _in_review(session)
        document_id = document.id
    session = signing_ready()
    try:
        gerente, asesor = get_user(session, "gerente"), get_user(session, "asesor")
        row = services.give_visto_bueno(session, settings, gerente, document_id, secret=SECRET)
        assert row.kind == "area"
        first = _copy_pdf(session, settings, session.get(Document, document_id))
        report = verify_pdf(first, trust_roots(settings), **revocation(settings))
        assert [(s.field_name, s.signer_dni, s.reason) for s in report.signatures] == [
            ("VB_2", gerente.dni, "Doy V° B°")]
        assert report.verdict == "VÁLIDO", report.summary
        assert set(report.unsigned_fields) == {"VB_1", "FIRMA"}
        services.give_visto_bueno(session, settings, asesor, document_id, secret=SECRET)
        second = _copy_pdf(session, settings, session.get(Document, document_id))
        assert second.startswith(first)   # an incremental update of the same copy
        report = verify_pdf(second, trust_roots(settings), **revocation(settings))
        assert sorted((s.field_name, s.signer_dni) for s in report.signatures) == [
            ("VB_1", asesor.dni), ("VB_2", gerente.dni)]
        assert report.verdict == "VÁLIDO" and report.unsigned_fields == ["FIRMA"]
        # The number, date and signer are empty text fields until the authority signs.
        fields = PdfFileReader(io.BytesIO(second)).root["/AcroForm"]["/Fields"]
        values = {str(f.get_object()["/T"]): str(f.get_object().get("/V") or "")
                  for f in fields}
        assert {k: values[k] for k in ("NUMERO", "FECHA", "FIRMANTE_NOMBRE",
                                       "FIRMANTE_CARGO")} == dict.fromkeys(
            ("NUMERO", "FECHA", "FIRMANTE_NOMBRE", "FIRMANTE_CARGO"), "")
        signs = session.scalars(select(AuditEntry).where(
            AuditEntry.document_id == document_id, AuditEntry.action == "sign")).all()
        assert len(signs) == 2
        # A second submit is a harmless 409: nothing signed again.
        with pytest.raises(Conflict, match="Ya se dio ese visto bueno"):
            services.give_visto_bueno(session, settings, asesor, document_id, secret=SECRET)
        assert _copy_pdf(session, settings, session.get(Document, document_id)) == second
    finally:
        session.close()


def test_a_wrong_clave_or_another_persons_certificate_changes_nothing(signing_ready, settings,
                                                                      tmp_path):
    with transaction(signing_ready) as session:
        document_id = _in_review(session).id
    session = signing_ready()
    try:
        asesor = get_user(session, "asesor")
        with pytest.raises(ValidationError, match="clave de firma no es correcta"):
            services.give_visto_bueno(session, settings, asesor, document_id,
                                      secret="no-es-la-clave")
        with pytest.raises(ValidationError, match="Escriba su clave de firma"):
            services.give_visto_bueno(session, settings, asesor, document_id)
        # The Gerente's .p12 presented by the legal adviser: not hers.
        gerente_p12 = (tmp_path / "pki" / "usuarios" / "gerente.p12").read_bytes()
        with pytest.raises(ValidationError, match="no de Carmen Rojas Villanueva"):
            services.give_visto_bueno(session, settings, asesor, document_id, p12=gerente_p12,
                                      passphrase=DEMO_PASSPHRASE)
        with pytest.raises(ValidationError, match="contraseña del certificado"):
            services.give_visto_bueno(session, settings, asesor, document_id,
                                      p12=(tmp_path / "pki" / "usuarios" / "asesor.p12")
                                      .read_bytes(), passphrase="otra")
        assert _counts(session, document_id) == (0, 0)
        assert _refusals(session) == 4
        # Her own .p12 with its passphrase works (nothing kept).
        own = (tmp_path / "pki" / "usuarios" / "asesor.p12").read_bytes()
        services.give_visto_bueno(session, settings, asesor, document_id, p12=own,
                                  passphrase=DEMO_PASSPHRASE)
        assert _counts(session, document_id) == (1, 1)
    finally:
        session.close()


def test_a_certificate_stored_without_a_clave_de_firma_is_refused(signing_ready, settings,
                                                                  tmp_path):
    """A DKS1 row (installation key only): the server alone could use it, so it signs
    nothing; its holder is told to register it again."""
    with transaction(signing_ready) as session:
        asesor = get_user(session, "asesor")
        credentials.store_credential(session, settings, asesor,
                                     (tmp_path / "pki" / "usuarios" / "asesor.p12").read_bytes(),
                                     DEMO_PASSPHRASE)
        assert credentials.needs_reentry(credentials.stored_credential(session, asesor))
        document_id = _in_review(session).id
    session = signing_ready()
    try:
        for secret in (SECRET, "cualquier-clave"):
            with pytest.raises(ValidationError, match="regístrelo de nuevo"):
                services.give_visto_bueno(session, settings, get_user(session, "asesor"),
                                          document_id, secret=secret)
        assert _counts(session, document_id) == (0, 0)
    finally:
        session.close()


def test_a_visto_bueno_needs_a_certificate(signing_ready, settings):
    with transaction(signing_ready) as session:
        credentials.remove_credential(session, get_user(session, "asesor"))
        document_id = _in_review(session).id
    session = signing_ready()
    try:
        with pytest.raises(NotFound, match="no tiene un certificado"):
            services.give_visto_bueno(session, settings, get_user(session, "asesor"),
                                      document_id, secret=SECRET)
        assert _counts(session, document_id) == (0, 0)
    finally:
        session.close()


def _at_once(factory, settings, document_id, usernames):
    """Each user gives their V°B° from their own session, all having read the document
    before any of them records (a barrier between reading and signing)."""
    barrier = threading.Barrier(len(usernames))
    real_sign = holder_signing.sign_visto_bueno
    results: dict[int, object] = {}

    def sign_after_all_read(settings, step):
        barrier.wait(timeout=60)
        return real_sign(settings, step)

    def give(index, username):
        session = factory()
        try:
            results[index] = services.give_visto_bueno(
                session, settings, get_user(session, username), document_id, secret=SECRET)
        except Conflict as exc:
            results[index] = exc
        finally:
            session.close()
    holder_signing.sign_visto_bueno = sign_after_all_read
    try:
        threads = [threading.Thread(target=give, args=(i, u)) for i, u in enumerate(usernames)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        holder_signing.sign_visto_bueno = real_sign
    return [results[i] for i in range(len(usernames))]


def test_two_vistos_at_once_one_wins_the_other_retries(signing_ready, settings):
    """Both read a version with no signing copy yet: both render one, one stores it and
    the other gets a Spanish 409 ("intente nuevamente"); retried, it signs the stored copy.
    Never a lost signature."""
    with transaction(signing_ready) as session:
        document_id = _in_review(session).id
    results = _at_once(signing_ready, settings, document_id, ["asesor", "gerente"])
    lost = [r for r in results if isinstance(r, Conflict)]
    assert len(lost) == 1 and "Intente nuevamente" in lost[0].message and lost[0].status == 409
    loser = ["asesor", "gerente"][results.index(lost[0])]
    session = signing_ready()
    try:
        assert _counts(session, document_id) == (1, 1)
        services.give_visto_bueno(session, settings, get_user(session, loser), document_id,
                                  secret=SECRET)
        pdf = _copy_pdf(session, settings, session.get(Document, document_id))
        report = verify_pdf(pdf, trust_roots(settings), **revocation(settings))
        assert sorted(s.field_name for s in report.signatures) == ["VB_1", "VB_2"]
        assert report.verdict == "VÁLIDO"
    finally:
        session.close()


def test_a_double_submit_signs_once(signing_ready, settings):
    with transaction(signing_ready) as session:
        document_id = _in_review(session).id
    results = _at_once(signing_ready, settings, document_id, ["asesor", "asesor"])
    assert sum(isinstance(r, Conflict) for r in results) == 1
    session = signing_ready()
    try:
        pdf = _copy_pdf(session, settings, session.get(Document, document_id))
        assert [s.field_name for s in verify_pdf(pdf, trust_roots(settings)).signatures] == [
            "VB_1"]
        assert _counts(session, document_id) == (1, 1)
    finally:
        session.close()


def test_a_new_version_gets_a_fresh_copy(signing_ready, settings):
    with transaction(signing_ready) as session:
        document = _in_review(session)
        give_vistos(session, settings, document)
        first = holder_signing.signing_copy(session, document, document.latest_version)
        workflow.transition(session, document, "observar", get_user(session, "asesor"),
                            "Precisar el monto")
        author = get_user(session, "redactor")
        latest = versions.latest_version(session, document)
        content = dict(latest.content, closing="REGÍSTRESE Y CÚMPLASE.")
        versions.save_version(session, document, content, latest.number, author)
        workflow.transition(session, document, "enviar", author)
        assert workflow.current_vistos(session, document) == {}
        give_vistos(session, settings, document)
        second = holder_signing.signing_copy(session, document, document.latest_version)
        assert second.id != first.id and second.verification_code != first.verification_code


def test_issue_opens_only_the_authoritys_key_and_every_signature_stays_valid(
        signing_ready, settings, tmp_path):
    """A Resolución de Alcaldía: the legal adviser's and the area head's vistos buenos signed
    when given; their certificates are then gone (their secrets unknown at issue), and the
    Alcalde issues with his own clave. Three signatures by three people: for pyHanko the
    vistos buenos see form filling only, the last one nothing; pdfsig finds all three
    valid; docsys says VÁLIDO with every signer the official recorded."""
    with transaction(signing_ready) as session:
        document = approved_document(session, settings, template=RA,
                                     sumilla="Designar al responsable del portal de transparencia")
        document_id = document.id
        for username in ("asesor", "gerente"):
            credentials.remove_credential(session, get_user(session, username))
    session = signing_ready()
    try:
        alcalde = get_user(session, "alcalde")
        with pytest.raises(ValidationError, match="clave de firma no es correcta"):
            services.issue(session, settings, alcalde, document_id, secret="otra-clave")
        assert _refusals(session, "issue_refused") == 1
        issuance = services.issue(session, settings, alcalde, document_id, secret=SECRET)
        pdf = issuing.signed_pdf(settings, issuance)
        dnis = [get_user(session, u).dni for u in ("asesor", "gerente", "alcalde")]
        result = verification.verify_code(session, settings, issuance.verification_code)
    finally:
        session.close()
    assert result.verdict == "VÁLIDO", result.report.summary
    assert [(s.field_name, s.signer_dni) for s in result.report.signatures] == list(
        zip(["VB_1", "VB_2", "FIRMA"], dnis))
    assert len(set(dnis)) == 3 and not result.wrong_signers
    embedded = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    levels = [validate_pdf_signature(sig, skip_diff=False).modification_level
              for sig in embedded]
    assert levels == [ModificationLevel.FORM_FILLING, ModificationLevel.FORM_FILLING,
                      ModificationLevel.NONE]
    text = " ".join(issuance.official_number.split())
    assert text.endswith("001-" + str(issuance.year) + "-A-MDM")
    if PDFSIG:
        path = tmp_path / "ra.pdf"
        path.write_bytes(pdf)
        checked = run_pdfsig(path, make_nss_db(tmp_path / "nss",
                                               (tmp_path / "pki" / "ca.pem").read_bytes()))
        assert [s.field_name for s in checked] == ["VB_1", "VB_2", "FIRMA"]
        assert all(s.valid and s.trusted for s in checked), [s.lines for s in checked]


def test_a_visto_bueno_signed_by_someone_else_is_not_issued(signing_ready, settings):
    """The V°B° record says the legal adviser, but VB_1 carries another certificate (a copy
    tampered with in storage): issuing refuses before taking a number."""
    with transaction(signing_ready) as session:
        document = approved_document(session, settings)
        copy = holder_signing.signing_copy(session, document, document.latest_version)
        # Re-sign a fresh copy's VB_1 with the Alcalde's certificate and store it instead.
        layout = holder_signing.copy_layout(session, settings, document, document.latest_version,
                                            issuing.today_in_lima(), copy.verification_code)
        alcalde = credentials.load_credential(session, settings, get_user(session, "alcalde"),
                                              holder_secret=SECRET)
        forged = holder_signing.render_copy(layout)
        for field in ("VB_1", "VB_2"):
            forged = pades.sign_pdf_with_credential(forged, field, alcalde,
                                                    pades.REASON_VISTO_BUENO)
        copy.pdf_sha256 = blobs.put(session, settings["BLOB_DIR"], forged,
                                    "application/pdf").sha256
        with pytest.raises(Conflict, match="no está firmado por Carmen Rojas Villanueva"):
            issuing.issue(session, settings, document, get_user(session, "gerente"),
                          secret=SECRET)


def test_api_and_cli_sign_a_visto_bueno_with_the_holders_secret(app, api_token, tmp_path):
    from tests.issuing.support import demo_pki
    with transaction(app.extensions["docsys.sessions"]) as session:
        demo_pki(session, app.config)
        document_id = _in_review(session).id
    client = app.test_client()
    headers = {"Authorization": f"Bearer {api_token('asesor')}"}
    url = f"/api/v1/documents/{document_id}/vistos-buenos"
    wrong = client.post(url, headers=headers, json={"secret": "no-es-la-clave"})
    assert wrong.status_code == 400 and "no es correcta" in wrong.get_json()["error"]["message"]
    assert client.post(url, headers=headers, json={"secret": 123}).status_code == 400
    given = client.post(url, headers=headers, json={"secret": SECRET})
    assert given.status_code == 201, given.get_json()
    again = client.post(url, headers=headers, json={"secret": SECRET})
    assert again.status_code == 409
    # The area head, from the command line, his clave in a file.
    secret_file = tmp_path / "clave.txt"
    secret_file.write_text(SECRET + "\n", encoding="utf-8")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["docsys", "visto-bueno", str(document_id), "--user", "gerente",
                                 "--secret-file", str(secret_file)])
    assert result.exit_code == 0 and "firmado" in result.output, result.output
    with transaction(app.extensions["docsys.sessions"]) as session:
        document = session.get(Document, document_id)
        assert set(workflow.current_vistos(session, document)) == {"legal", "area"}


def test_another_persons_certificate_registered_as_ones_own_is_refused(signing_ready, settings,
                                                                        tmp_path):
    with transaction(signing_ready) as session:
        ca = pki.load_ca(settings["PKI_DIR"])
        dni = get_user(session, "gerente").dni
    p12 = tmp_path / "gerente2.p12"
    pki.write_person_pkcs12(ca, p12, "x-clave", "Jorge Mendoza Salas", "Gerente Municipal",
                            "j@megantoni.gob.pe", dni=dni)
    session = signing_ready()
    try:
        with pytest.raises(ValidationError, match="no de Carmen Rojas Villanueva"):
            services.store_certificate(session, settings, get_user(session, "asesor"),
                                       p12.read_bytes(), "x-clave", "nueva-clave", "nueva-clave")
    finally:
        session.close()
