"""The public portal (no login): published norms with search, a permanent page per norm
with its signed PDF and text, and the verification of signed documents (by code or by
uploading the PDF)."""
from __future__ import annotations

from io import BytesIO

from flask import (Blueprint, abort, current_app, jsonify, redirect, render_template, request,
                   Response,
                   send_file, url_for)

from docsys import (blobs, checkpoints, institution, issuing, portal, services, verification,
                    versions)
from docsys.archive.markdown_text import is_markdown, markdown_html
from docsys.archive.norms import norm_text
from docsys.archive.provenance import text_source
from docsys.archive.review import download_name
from docsys.drafting.structure import plain_text
from docsys.errors import NotFound, ValidationError
from docsys.rendering import render_html
from docsys.signing import identity
from docsys.web.search import (FACET_LABELS, STATUS_LABELS, run_search, with_filter)
from docsys.web.request_class import page_arg
from docsys.web.session import db, image_urls
from search import FACET_FIELDS, Visibility

bp = Blueprint("portal", __name__)


@bp.route("/normas")
def index():
    query, sort, results, error = run_search(Visibility.public())
    addresses = portal.addresses_by_id(db(), [h.document_id for h in results.hits]) \
        if results else {}

    def hit_url(hit):
        """Its page; none for a norm without an address (a law whose date is unknown),
        shown without a link rather than a dead one."""
        address = addresses.get(hit.document_id)
        return url_for("portal.norm", **address.as_args()) if address else None

    return render_template(
        "portal/index.html", query=query, sort=sort, results=results, error=error,
        facet_fields=FACET_FIELDS, facet_labels=FACET_LABELS, status_labels=STATUS_LABELS,
        with_filter=with_filter, endpoint="portal.index", hit_url=hit_url,
        images=services.institution_image_keys(db()))


def _address(tipo: str, anio: int, numero: int | None) -> portal.NormAddress:
    sector = request.args.get("sector", "")[:40] or None
    return portal.NormAddress(tipo.lower(), anio, numero, sector)


def _published(session, tipo, anio, numero):
    """The published norm at that address (the office, ``?oficina=``, or for a type given
    without a number the document, ``?documento=``, picks among several)."""
    return portal.find_published(session, _address(tipo, anio, numero),
                                 request.args.get("oficina"), _document_arg())[0]


def _document_arg() -> int | None:
    return request.args.get("documento", type=int)


def _picking(document, address: portal.NormAddress) -> dict:
    """The address arguments that pick ``document`` among the norms sharing ``address``:
    its office (a Resolución de Gerencia number repeats across gerencias) or, for a type
    given without a number, the document itself (its office could not tell them apart)."""
    if address.numero is None:
        return {**address.as_args(), "documento": document.id}
    return {**address.as_args(), "oficina": document.office.code}


def _choice_url(document, address: portal.NormAddress) -> tuple[str, bool]:
    """The link that opens one of several norms at an address, and whether its sector (not
    its office) tells it apart."""
    own = portal.address_of(document)
    if own is not None and own.sector:
        return url_for("portal.norm", **own.as_args()), True
    return url_for("portal.norm", **_picking(document, address)), False


# The public addresses of the letterhead images, by their setting key.
IMAGE_PATHS = {"escudo": "shield", "membrete": "letterhead"}


@bp.route("/institucion/<nombre>")
def institution_image(nombre):
    """The municipal shield or letterhead logo, for the portal's pages (public)."""
    if nombre not in IMAGE_PATHS:
        abort(404)
    image = services.institution_image(db(), current_app.config, IMAGE_PATHS[nombre])
    response = send_file(BytesIO(image.data), mimetype=image.mimetype)
    response.headers["Cache-Control"] = "public, max-age=300"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/normas/<tipo>/<int:anio>", defaults={"numero": None})   # the Constitution
@bp.route("/normas/<tipo>/<int:anio>/<int:numero>")
def norm(tipo, anio, numero):
    session = db()
    address = _address(tipo, anio, numero)
    norms = portal.find_published(session, address, request.args.get("oficina"),
                                  _document_arg())
    if len(norms) > 1:
        return render_template("portal/choose.html", unnumbered=address.numero is None,
                               choices=[(d, *_choice_url(d, address)) for d in norms])
    document = norms[0]
    issuance = issuing.issuance_of(session, document)
    original = portal.archived_original(session, document)
    paragraphs: list[str] = []
    if issuance is not None:
        settings = institution.with_year_names(session, current_app.config, image_urls())
        content = issuing.issued_content(session, issuance)
        meta = issuing.issued_meta(settings, document, content,
                                   issuing.short_number(settings, document, issuance),
                                   issuance.verification_code)
        text_html = render_html(content, meta, standalone=False)
    elif original is not None and is_markdown(original.original_filename):
        # imported from the open-data format: its Markdown shown as what it says
        text_html = markdown_html(norm_text(versions.latest_version(session, document).content))
    else:  # a norm imported into the archive: its extracted text, as read
        text_html = None
        paragraphs = plain_text(versions.latest_version(session, document).content).split("\n")
    return render_template("portal/norm.html", document=document, issuance=issuance,
                           original=original, source=text_source(original), address=address,
                           file_args=_picking(document, address),  # the very norm's files
                           text_html=text_html,
                           paragraphs=[p for p in paragraphs if p.strip()],
                           relations=portal.public_relations(session, document,
                                                             page_arg("citada_por")),
                           legal_status_labels=portal.LEGAL_STATUS_LABELS)


@bp.route("/normas/<tipo>/<int:anio>/original", defaults={"numero": None})
@bp.route("/normas/<tipo>/<int:anio>/<int:numero>/original")
def norm_original(tipo, anio, numero):
    """The file an archived norm was imported from (a scan, a PDF, a Word document)."""
    session = db()
    original = portal.archived_original(session, _published(session, tipo, anio, numero))
    if original is None:
        abort(404)
    data = blobs.get(current_app.config["BLOB_DIR"], original.original_sha256)
    return send_file(BytesIO(data), mimetype=original.mimetype, as_attachment=True,
                     download_name=download_name(original.original_filename))


@bp.route("/normas/<tipo>/<int:anio>.pdf", defaults={"numero": None})
@bp.route("/normas/<tipo>/<int:anio>/<int:numero>.pdf")
def norm_pdf(tipo, anio, numero):
    session = db()
    return _signed_pdf(issuing.issuance_of(session, _published(session, tipo, anio, numero)))


def _signed_pdf(issuance):
    """The signed PDF of an issued norm, as it was stored (404 when there is none)."""
    if issuance is None:
        abort(404)
    data = issuing.signed_pdf(current_app.config, issuance)
    return send_file(BytesIO(data), mimetype="application/pdf",
                     download_name=issuing.pdf_filename(issuance))


# ---- verification -----------------------------------------------------------------------

@bp.route("/pki/demo-ca.crl")
def demo_crl():
    """The demo CA's revocation list, named in every demo certificate (demo mode only)."""
    crls = identity.local_crls(current_app.config)
    if not crls:
        raise NotFound("Esta instalación no publica una autoridad de demostración.")
    return Response(crls[0], mimetype="application/pkix-crl",
                    headers={"Cache-Control": "max-age=300"})


@bp.route("/verificar", methods=["GET", "POST"])
def verify():
    if request.method == "POST":
        upload = request.files.get("archivo")
        if upload is None or not upload.filename:
            raise ValidationError("Adjunte el archivo PDF que desea verificar.")
        result = verification.verify_file(db(), current_app.config, upload.read())
        return render_template("portal/verify.html", result=result,
                               uploaded_name=upload.filename)
    code = (request.args.get("codigo") or "").strip()
    if code:
        normalized = issuing.normalize_code(code)
        if not normalized:
            return render_template("portal/verify.html", code=code, result=None,
                                   code_error="El código tiene 12 letras y números, por "
                                              "ejemplo K7QX-M3PA-9RZD."), 400
        return redirect(url_for("portal.verify_code", code=normalized))
    return render_template("portal/verify.html", result=None)


@bp.route("/verificar/<code>")
def verify_code(code):
    result = verification.verify_code(db(), current_app.config, code)
    if result is None:
        return render_template("portal/verify.html", code=code, result=None,
                               code_error="No existe ningún documento emitido con ese código de "
                                          "verificación. Revise que lo copió bien."), 404
    return render_template("portal/verify.html", code=code, result=result)


@bp.route("/verificar/<code>/documento.pdf")
def verified_pdf(code):
    return _signed_pdf(issuing.by_code(db(), code))


# ---- the audit trail's checkpoints ------------------------------------------------------------

@bp.route("/auditoria/puntos-de-control")
def audit_checkpoints():
    """The signed heads of the audit trail, for anyone to copy: once copied elsewhere,
    no rewrite of the database can change them."""
    return render_template("portal/checkpoints.html", checkpoints=checkpoints.listed(db()),
                           public_key=checkpoints.public_key_pem(current_app.config))


@bp.route("/auditoria/puntos-de-control.json")
def audit_checkpoints_json():
    return jsonify({
        "format": checkpoints.FORMAT, "algorithm": "Ed25519",
        "public_key": checkpoints.public_key_pem(current_app.config),
        "how_to_verify": "Cada firma (base64) es Ed25519 sobre el texto exacto de «statement» "
                         "(UTF-8), verificable con la clave pública.",
        "checkpoints": [item.as_json() for item in checkpoints.listed(db())],
    })
