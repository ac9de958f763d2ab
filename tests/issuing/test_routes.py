"""Issuing, publication, the portal and verification through real HTTP (Flask's test client)
and the CLI: the happy path, immutability after issue, and bad input."""
from __future__ import annotations

import io
import json
import re

import pytest
from sqlalchemy import select

from docsys.db import transaction
from docsys.errors import ValidationError
from docsys.models import AuditEntry, Document, Issuance
from tests.conftest import TEST_DNIS, get_user
from tests.issuing.support import SECRET, approved_document, demo_pki


@pytest.fixture
def ready(app):
    """The app with demo certificates and one approved RGM; returns its id."""
    with transaction(app.extensions["docsys.sessions"]) as session:
        demo_pki(session, app.config)
        return approved_document(session, app.config).id


# The ticked «Entiendo que no se puede deshacer», and the Gerente's clave de firma.
CONFIRMED = {"entiendo": "si", "clave_firma": SECRET}


def _issuance(app, document_id) -> Issuance:
    with transaction(app.extensions["docsys.sessions"]) as session:
        return session.scalar(select(Issuance).where(Issuance.document_id == document_id))


def _issue_via_web(browser, document_id):
    gerente = browser("gerente")
    page = gerente.get(f"/documentos/{document_id}/revision").get_data(as_text=True)
    assert "Emitir y firmar" in page and "escriba su clave de firma" in page
    assert "Entiendo que no se puede deshacer" in page
    # Without ticking «Entiendo que no se puede deshacer» nothing is issued.
    refused = gerente.post_form(f"/documentos/{document_id}/emitir",
                                content_type="multipart/form-data")
    assert refused.status_code in (400, 422)
    assert "no se puede deshacer" in refused.get_data(as_text=True)
    response = gerente.post_form(f"/documentos/{document_id}/emitir", CONFIRMED,
                                 content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    return gerente


def test_issue_publish_and_portal_in_the_browser_pages(app, browser, ready):
    gerente = _issue_via_web(browser, ready)
    issuance = _issuance(app, ready)
    page = gerente.get(f"/documentos/{ready}/revision").get_data(as_text=True)
    assert issuance.official_number in page and issuance.verification_code in page
    assert "Publicar en el portal" not in page  # only the archive publishes
    pdf = gerente.get(f"/documentos/{ready}/firmado.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    # Not on the portal until published.
    public = app.test_client()
    assert issuance.official_number not in public.get("/normas").get_data(as_text=True)
    assert public.get("/normas/rgm/2026/1").status_code == 404
    archivo = browser("archivo")
    panel = archivo.get(f"/documentos/{ready}/revision").get_data(as_text=True)
    assert "no se puede deshacer" in panel and issuance.official_number in panel
    assert archivo.post_form(f"/documentos/{ready}/publicar").status_code in (400, 422)
    assert public.get(f"/normas/rgm/{issuance.year}/1").status_code == 404
    assert archivo.post_form(f"/documentos/{ready}/publicar", CONFIRMED).status_code == 302
    listing = public.get("/normas?q=camino+vecinal").get_data(as_text=True)
    year = issuance.year
    assert f'href="/normas/rgm/{year}/1"' in listing
    norm = public.get(f"/normas/rgm/{year}/1")
    assert norm.status_code == 200
    html = norm.get_data(as_text=True)
    assert issuance.official_number in html and "Vigente" in html
    assert "Aprobar el expediente técnico del camino vecinal" in html
    # Reading order: the title and the text first, then the QR and verification footer.
    assert (html.index('class="doc-heading"') < html.index('class="doc-signature"')
            < html.index('class="doc-verify"') < html.index('class="doc-verify-qr"'))
    download = public.get(f"/normas/rgm/{year}/1.pdf")
    assert download.status_code == 200 and download.data == pdf.data
    with transaction(app.extensions["docsys.sessions"]) as session:
        actions = [e.action for e in session.scalars(
            select(AuditEntry).where(AuditEntry.document_id == ready).order_by(AuditEntry.seq))]
    assert actions.count("sign") == 3 and {"issue", "download", "publish"} <= set(actions)


def test_issued_norm_is_immutable_through_web_api_and_cli(app, browser, api_token, ready):
    _issue_via_web(browser, ready)
    before = _issuance(app, ready)
    with transaction(app.extensions["docsys.sessions"]) as session:
        document = session.get(Document, ready)
        latest = document.latest_version
        content = document.versions[-1].content
    # Web: saving or restoring is refused, and re-issuing too.
    for username in ("redactor", "asesor", "gerente"):
        b = browser(username)
        saved = b.post_json(f"/documentos/{ready}/guardar",
                            {"content": content, "base_version": latest})
        assert saved.status_code == 409
        assert "su texto es inmutable" in saved.get_json()["error"]["message"]
        restored = b.post_form(f"/documentos/{ready}/versiones/1/restaurar",
                               {"base_version": latest})
        assert restored.status_code == 409
    again = browser("gerente").post_form(f"/documentos/{ready}/emitir", CONFIRMED,
                                         content_type="multipart/form-data")
    assert again.status_code == 409 and "ya fue emitido" in again.get_data(as_text=True)
    # API.
    headers = {"Authorization": f"Bearer {api_token('asesor')}"}
    saved = app.test_client().post(f"/api/v1/documents/{ready}/versions", headers=headers,
                                   json={"content": content, "base_version": latest})
    assert saved.status_code == 409 and "inmutable" in saved.get_json()["error"]["message"]
    signer = {"Authorization": f"Bearer {api_token('gerente')}"}
    again = app.test_client().post(f"/api/v1/documents/{ready}/issue", headers=signer)
    assert again.status_code == 409
    back = app.test_client().post(f"/api/v1/documents/{ready}/transitions", headers=signer,
                                  json={"action": "devolver", "reason": "Corregir"})
    assert back.status_code == 409
    # CLI.
    result = app.test_cli_runner().invoke(args=["docsys", "issue", str(ready), "--user", "gerente"])
    assert result.exit_code == 1 and "ya fue emitido" in result.output
    # Nothing changed.
    after = _issuance(app, ready)
    assert (after.official_number, after.pdf_sha256) == (before.official_number, before.pdf_sha256)
    with transaction(app.extensions["docsys.sessions"]) as session:
        assert session.get(Document, ready).latest_version == latest


def test_orm_refuses_changes_to_an_issued_norm(app, browser, ready):
    from docsys.errors import ImmutableError
    _issue_via_web(browser, ready)
    with pytest.raises(ImmutableError):
        with transaction(app.extensions["docsys.sessions"]) as session:
            session.get(Document, ready).title = "Otro título"
    with pytest.raises(ImmutableError):
        with transaction(app.extensions["docsys.sessions"]) as session:
            session.scalar(select(Issuance)).pdf_sha256 = "0" * 64


def test_issue_and_publish_through_the_api(app, api_token, ready):
    client = app.test_client()
    drafter = {"Authorization": f"Bearer {api_token('redactor')}"}
    assert client.post(f"/api/v1/documents/{ready}/issue", headers=drafter).status_code == 403
    signer = {"Authorization": f"Bearer {api_token('gerente')}"}
    response = client.post(f"/api/v1/documents/{ready}/issue", headers=signer,
                           json={"secret": SECRET})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["number"].endswith("0001-" + str(body["year"]) + "-GM-MDM")
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", body["verification_code"])
    assert body["portal_url"] is None
    pdf = client.get(f"/api/v1/documents/{ready}/signed.pdf", headers=signer)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    archive = {"Authorization": f"Bearer {api_token('archivo')}"}
    published = client.post(f"/api/v1/documents/{ready}/publish", headers=archive)
    assert published.status_code == 200
    assert published.get_json()["portal_url"].endswith(f"/normas/rgm/{body['year']}/1")
    assert client.get(f"/api/v1/documents/{ready}/issuance",
                      headers=drafter).get_json()["status"] == "publicado"


def test_api_issue_with_a_presented_certificate_and_bad_ones(app, api_token, ready, tmp_path):
    from docsys.signing import pki
    signer = {"Authorization": f"Bearer {api_token('gerente')}"}
    client = app.test_client()
    junk = client.post(f"/api/v1/documents/{ready}/issue", headers=signer,
                       data={"certificate": (io.BytesIO(b"no soy un p12"), "c.p12"),
                             "passphrase": "x"}, content_type="multipart/form-data")
    assert junk.status_code == 400 and "PKCS#12" in junk.get_json()["error"]["message"]
    ca = pki.load_ca(app.config["PKI_DIR"])
    p12 = tmp_path / "g.p12"
    pki.write_person_pkcs12(ca, p12, "clave-correcta", "Jorge Mendoza Salas", "Gerente Municipal",
                            "j@megantoni.gob.pe", dni=TEST_DNIS["gerente"])
    wrong = client.post(f"/api/v1/documents/{ready}/issue", headers=signer,
                        data={"certificate": (io.BytesIO(p12.read_bytes()), "g.p12"),
                              "passphrase": "otra"}, content_type="multipart/form-data")
    assert wrong.status_code == 400 and "contraseña" in wrong.get_json()["error"]["message"]
    assert _issuance(app, ready) is None  # nothing was numbered
    ok = client.post(f"/api/v1/documents/{ready}/issue", headers=signer,
                     data={"certificate": (io.BytesIO(p12.read_bytes()), "g.p12"),
                           "passphrase": "clave-correcta"}, content_type="multipart/form-data")
    assert ok.status_code == 201 and ok.get_json()["sequence"] == 1


# ---- verification -------------------------------------------------------------------------

@pytest.fixture
def issued(app, browser, ready):
    _issue_via_web(browser, ready)
    issuance = _issuance(app, ready)
    with app.app_context():
        from docsys import issuing
        pdf = issuing.signed_pdf(app.config, issuance)
    return issuance, pdf


def _tamper(pdf: bytes) -> bytes:
    """One byte of the first revision's /Producer string changed (inside what was signed)."""
    at = pdf.index(b"WeasyPrint") + 1
    return pdf[:at] + b"X" + pdf[at + 1:]


def test_verification_page_by_code(app, issued):
    issuance, _ = issued
    client = app.test_client()
    page = client.get(f"/verificar/{issuance.verification_code}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Documento auténtico" in html
    assert html.count("VÁLIDO") >= 3 and "Doy V° B°" in html
    # Typed by hand: lower case, spaces, no dashes.
    typed = issuance.verification_code.lower().replace("-", " ")
    redirect = client.get("/verificar", query_string={"codigo": typed})
    assert redirect.status_code == 302
    assert redirect.headers["Location"].endswith(f"/verificar/{issuance.verification_code}")
    assert client.get("/verificar", query_string={"codigo": "abc"}).status_code == 400
    unknown = client.get("/verificar/ABCD-EFGH-JKLM")
    assert unknown.status_code == 404 and "No existe" in unknown.get_data(as_text=True)
    original = client.get(f"/verificar/{issuance.verification_code}/documento.pdf")
    assert original.status_code == 200 and original.data.startswith(b"%PDF")


def _upload_page(app, data: bytes, name="copia.pdf"):
    from tests.conftest import Browser
    b = Browser(app.test_client())
    b.refresh_csrf("/verificar")
    return b.post_form("/verificar", {"archivo": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_verification_page_by_upload(app, issued):
    issuance, pdf = issued
    page = _upload_page(app, pdf)
    assert page.status_code == 200
    assert "Documento auténtico" in page.get_data(as_text=True)
    altered = _upload_page(app, _tamper(pdf)).get_data(as_text=True)
    assert "NO es el emitido" in altered and issuance.official_number in altered
    assert "modificado después de la firma" in altered and "NO VÁLIDO" in altered
    junk = _upload_page(app, b"GIF89a no es un pdf", "foto.pdf")
    assert junk.status_code == 400 and "no es un PDF" in junk.get_data(as_text=True)
    # The form is protected by CSRF like every form.
    bare = app.test_client().post("/verificar", data={"archivo": (io.BytesIO(pdf), "a.pdf")},
                                  content_type="multipart/form-data")
    assert bare.status_code == 400


def test_api_verify(app, issued):
    issuance, pdf = issued
    client = app.test_client()
    body = client.post("/api/v1/verify", data={"file": (io.BytesIO(pdf), "n.pdf")},
                       content_type="multipart/form-data").get_json()
    assert body["authentic"] is True and body["verdict"] == "VÁLIDO"
    assert body["norm"]["number"] == issuance.official_number
    assert [s["reason"] for s in body["signatures"]] == ["Doy V° B°", "Doy V° B°",
                                                         "Soy el autor del documento"]
    assert all(s["intact"] and s["trusted"] for s in body["signatures"])
    raw = client.post("/api/v1/verify", data=_tamper(pdf), content_type="application/pdf")
    altered = raw.get_json()
    assert raw.status_code == 200 and altered["authentic"] is False
    assert altered["altered_after_signing"] and altered["verdict"] == "NO VÁLIDO"
    assert altered["norm"]["verification_code"] == issuance.verification_code
    assert client.post("/api/v1/verify", data=b"%PDF-1.7 roto",
                       content_type="application/pdf").status_code == 400
    assert client.post("/api/v1/verify", json={"x": 1}).status_code == 400
    by_code = client.get(f"/api/v1/verify/{issuance.verification_code}").get_json()
    assert by_code["authentic"] and by_code["verdict"] == "VÁLIDO"
    assert client.get("/api/v1/verify/XXXX").status_code == 404


def test_oversized_upload_is_refused(app, issued):
    response = app.test_client().post(
        "/api/v1/verify", data=b"%PDF-" + b"0" * (app.config["MAX_CONTENT_LENGTH"] + 10),
        content_type="application/pdf")
    assert response.status_code == 413


def test_cli_verify_and_pki_demo(app, issued, tmp_path):
    _, pdf = issued
    runner = app.test_cli_runner()
    good = tmp_path / "bueno.pdf"
    good.write_bytes(pdf)
    result = runner.invoke(args=["docsys", "verify", str(good)])
    assert result.exit_code == 0 and "Documento auténtico" in result.output
    as_json = runner.invoke(args=["docsys", "verify", str(good), "--json"])
    assert json.loads(as_json.output)["verdict"] == "VÁLIDO"
    bad = tmp_path / "malo.pdf"
    bad.write_bytes(_tamper(pdf))
    result = runner.invoke(args=["docsys", "verify", str(bad)])
    assert result.exit_code == 1 and "NO es el emitido" in result.output
    text = tmp_path / "nota.pdf"
    text.write_text("hola")
    result = runner.invoke(args=["docsys", "verify", str(text)])
    assert result.exit_code == 1 and "no es un PDF" in result.output
    missing = runner.invoke(args=["docsys", "verify", str(tmp_path / "no-existe.pdf")])
    assert missing.exit_code == 1 and "no se pudo leer" in missing.output
    made = runner.invoke(args=["docsys", "pki", "demo"])
    assert made.exit_code == 0 and "ca.pem" in made.output and "ya existía" in made.output


def test_certificate_page_keeps_it_sealed(app, browser, tmp_path):
    from docsys.signing import credentials, pki
    from docsys.models import SigningCredential
    ca = pki.create_demo_ca(app.config["PKI_DIR"])
    p12 = tmp_path / "a.p12"
    pki.write_person_pkcs12(ca, p12, "mi-clave-secreta", "Carmen Rojas Villanueva",
                            "Gerente de Asesoría Jurídica", "c@megantoni.gob.pe",
                            dni=TEST_DNIS["asesor"])
    asesor = browser("asesor")
    assert "Registrar certificado" in asesor.get("/cuenta/certificado").get_data(as_text=True)

    def store(passphrase, clave, again):
        return asesor.post_form("/cuenta/certificado",
                                {"certificate": (io.BytesIO(p12.read_bytes()), "a.p12"),
                                 "passphrase": passphrase, "clave_firma": clave,
                                 "clave_firma_2": again}, content_type="multipart/form-data")
    assert store("otra", "mi-firma-2026", "mi-firma-2026").status_code == 400
    differ = store("mi-clave-secreta", "mi-firma-2026", "mi-firma-2027")
    assert differ.status_code == 400 and "no coinciden" in differ.get_data(as_text=True)
    short = store("mi-clave-secreta", "corta", "corta")
    assert short.status_code == 400 and "al menos 6" in short.get_data(as_text=True)
    with transaction(app.extensions["docsys.sessions"]) as session:
        assert session.scalar(select(SigningCredential)) is None
    assert store("mi-clave-secreta", "mi-firma-2026", "mi-firma-2026").status_code == 302
    page = asesor.get("/cuenta/certificado").get_data(as_text=True)
    assert "Carmen Rojas Villanueva" in page and "Válido hasta" in page
    assert "su clave de firma" in page and 'id="reentry-warning"' not in page
    with transaction(app.extensions["docsys.sessions"]) as session:
        row = session.scalar(select(SigningCredential))
        assert row.sealed.startswith(b"DKS2") and credentials.needs_reentry(row) is False
        assert b"mi-clave-secreta" not in row.sealed and b"Carmen" not in row.sealed
        assert b"mi-firma-2026" not in row.sealed
        carmen = get_user(session, "asesor")
        with pytest.raises(ValidationError, match="clave de firma"):
            credentials.load_credential(session, app.config, carmen)   # the server alone
        with pytest.raises(ValidationError, match="no es correcta"):
            credentials.load_credential(session, app.config, carmen, holder_secret="otra-cosa")
        opened = credentials.load_credential(session, app.config, carmen,
                                             holder_secret="mi-firma-2026")
        assert opened.info.common_name == "Carmen Rojas Villanueva"
        # One stored before claves de firma (installation key only) gets a warning.
        credentials.store_credential(session, app.config, carmen, p12.read_bytes(),
                                     "mi-clave-secreta")
    page = asesor.get("/cuenta/certificado").get_data(as_text=True)
    assert 'id="reentry-warning"' in page and "Regístrelo de nuevo" in page
    assert browser("redactor").get("/cuenta/certificado").status_code == 403
