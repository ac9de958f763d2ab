"""Issuing in the browser: sign and number an approved document, publish it, download the
signed PDF, and keep one's own signing certificate."""
from __future__ import annotations

from io import BytesIO

from flask import (Blueprint, current_app, flash, redirect, render_template, request,
                   send_file, url_for)
from flask_login import current_user

from docsys import issuing, services
from docsys.errors import ValidationError
from docsys.signing import credentials
from docsys.signing.keystore import MIN_HOLDER_SECRET_CHARS
from docsys.web import queues_for_writing, records_audit
from docsys.policy import Action
from docsys.web.auth import roles_required
from docsys.web.session import db

bp = Blueprint("issuing", __name__)


def uploaded_certificate() -> tuple[bytes | None, str | None]:
    """The certificate file and passphrase sent with a form, if any."""
    upload = request.files.get("certificate")
    data = upload.read() if upload and upload.filename else None
    return data, request.form.get("passphrase") or None


def signing_secret() -> str | None:
    """The «clave de firma» typed in a signing form (never kept, never logged)."""
    return request.form.get("clave_firma") or None


def require_confirmation(what: str) -> None:
    """Issuing and publishing cannot be undone: the form must carry the ticked
    «Entiendo que no se puede deshacer» (checked here, not only in the browser)."""
    if request.form.get("entiendo") != "si":
        raise ValidationError(f"Para {what}, marque «Entiendo que no se puede deshacer»: "
                              "esta acción no se puede deshacer.")


@bp.route("/documentos/<document_id>/emitir", methods=["POST"])
@queues_for_writing
@roles_required()
def issue(document_id):
    require_confirmation("emitir y firmar")
    p12, passphrase = uploaded_certificate()
    issuance = services.issue(db(), current_app.config, current_user, document_id,
                              p12=p12, passphrase=passphrase, secret=signing_secret())
    flash(f"Norma emitida y firmada: {issuance.official_number}. "
          f"Código de verificación {issuance.verification_code}.", "success")
    return redirect(url_for("review.page", document_id=issuance.document_id))


@bp.route("/documentos/<document_id>/preparar-firma", methods=["POST"])
@queues_for_writing
@roles_required()
def prepare_external(document_id):
    """«Firmar con mi propio programa»: download the PDF prepared for the signature."""
    prepared, pdf = services.prepare_external_signing(db(), current_app.config, current_user,
                                                      document_id)
    return send_file(BytesIO(pdf), mimetype="application/pdf", as_attachment=True,
                     download_name=f"para-firmar-{prepared.document_id}.pdf")


@bp.route("/documentos/<document_id>/firma-externa", methods=["POST"])
@queues_for_writing
@roles_required()
def upload_signed(document_id):
    require_confirmation("emitir con su firma")
    upload = request.files.get("firmado")
    data = upload.read() if upload and upload.filename else None
    issuance = services.issue_signed_elsewhere(db(), current_app.config, current_user,
                                               document_id, data)
    flash(f"Norma emitida con su firma: {issuance.official_number}. "
          f"Código de verificación {issuance.verification_code}.", "success")
    return redirect(url_for("review.page", document_id=issuance.document_id))


@bp.route("/documentos/<document_id>/publicar", methods=["POST"])
@roles_required()
def publish(document_id):
    require_confirmation("publicar")
    document = services.publish(db(), current_user, document_id)
    flash(f"Publicada en el portal de normas: {document.official_number}.", "success")
    return redirect(url_for("review.page", document_id=document.id))


@bp.route("/documentos/<document_id>/firmado.pdf")
@roles_required()
@records_audit
def signed_pdf(document_id):
    issuance, data = services.download_signed_pdf(db(), current_app.config, current_user,
                                                  document_id)
    return send_file(BytesIO(data), mimetype="application/pdf", as_attachment=True,
                     download_name=issuing.pdf_filename(issuance))


@bp.route("/cuenta/certificado", methods=["GET", "POST"])
@roles_required(Action.KEEP_CERTIFICATE)
def certificate():
    session = db()
    if request.method == "POST":
        if request.form.get("remove"):
            services.remove_certificate(session, current_user)
            flash("Se eliminó su certificado de docsys.", "success")
            return redirect(url_for("issuing.certificate"))
        p12, passphrase = uploaded_certificate()
        if not p12:
            raise ValidationError("Adjunte su certificado digital (.p12 o .pfx).")
        services.store_certificate(session, current_app.config, current_user, p12,
                                   passphrase or "", request.form.get("clave_firma"),
                                   request.form.get("clave_firma_2"))
        flash("Certificado guardado, cifrado con su clave de firma. Ni la contraseña del "
              "certificado ni su clave de firma se guardaron.", "success")
        return redirect(url_for("issuing.certificate"))
    stored = credentials.stored_credential(session, current_user)
    return render_template("issuing/certificate.html", stored=stored,
                           reentry=stored is not None and credentials.needs_reentry(stored),
                           min_secret=MIN_HOLDER_SECRET_CHARS)
