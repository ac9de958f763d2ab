"""Whose certificate is this, and may docsys trust it: the checks made before a certificate
is stored ("Mi certificado"), used to sign, or accepted in a file signed outside docsys.

A certificate is accepted for a user only when

1. it chains to a configured trust root (``DOCSYS_TRUST_ROOTS``; the demo CA only in the
   explicit demo mode ``DOCSYS_DEMO_PKI=1``, never because its file exists), is valid now
   and not revoked (the demo CA's CRL is read from disk; other authorities' CRL or OCSP
   are fetched when the certificate names them), and
2. its subject identifies that user: the DNI in the subject (ETSI EN 319 412-1
   ``serialNumber = PNOPE-<DNI>``, or "DNI <number>") is the DNI of the user's record.

Each refusal is a Spanish :class:`ValidationError` naming the check that failed.
"""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
import datetime as dt
import re
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import (
    ExpiredError,
    InsufficientRevinfoError,
    NotYetValidError,
    PathBuildingError,
    PathValidationError,
    RevokedError,
)
from pyhanko_certvalidator.errors import ValidationError as ChainError

from docsys.errors import ValidationError
from docsys.models import User
from docsys.signing.keystore import CertificateInfo, format_date
from docsys.signing.pades import load_trust_roots
from docsys.signing.pki import current_crl

DEMO_CA_FILE = "ca.pem"
_DNI_IN_SUBJECT = re.compile(r"(?:PNOPE|IDCPE|DNI)[\s:-]*(\d{8})\b", re.IGNORECASE)


def demo_mode(settings) -> bool:
    """The demo certification authority is trusted only when this is switched on."""
    return bool(settings.get("DEMO_PKI"))


def trust_roots(settings) -> list[bytes]:
    """PEM bytes of every trusted root: the DOCSYS_TRUST_ROOTS files and, in demo mode
    only, the demo CA."""
    paths = [p for p in (settings.get("TRUST_ROOTS") or "").split(":") if p.strip()]
    if demo_mode(settings) and settings.get("PKI_DIR"):
        paths.append(str(Path(settings["PKI_DIR"]) / DEMO_CA_FILE))
    roots = []
    for path in paths:
        try:
            roots.append(Path(path).read_bytes())
        except OSError:
            continue  # a missing file is a configuration problem, not a verification error
    return roots


def local_crls(settings) -> list[bytes]:
    """The demo CA's current CRL (DER), when the demo mode is on and it has one."""
    if not (demo_mode(settings) and settings.get("PKI_DIR")):
        return []
    crl = current_crl(settings["PKI_DIR"])
    return [crl] if crl else []


def fetches_revocation(settings) -> bool:
    """Whether CRLs / OCSP named by certificates are fetched over the network. Not in demo
    mode: the demo CA's CRL is read from disk (docsys serves that same file)."""
    return bool(settings.get("FETCH_REVOCATION", True)) and not demo_mode(settings)


def validation_context(settings, moment: dt.datetime | None = None,
                       extra_certs=()) -> ValidationContext:
    """Trust roots, the local CRLs, and fetching of revocation data named by certificates
    of other authorities (soft-fail: an unreachable source leaves the check undecided)."""
    return ValidationContext(
        trust_roots=load_trust_roots(trust_roots(settings)), other_certs=list(extra_certs),
        crls=local_crls(settings), allow_fetching=fetches_revocation(settings),
        revocation_mode="soft-fail", moment=moment)


def dni_of(cert: x509.Certificate) -> str:
    """The holder's DNI written in the certificate's subject, or ""."""
    for attribute in cert.subject:
        match = _DNI_IN_SUBJECT.search(str(attribute.value))
        if match:
            return match.group(1)
    return CertificateInfo.from_certificate(cert).dni


def _asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _run(coroutine):
    """Run ``coroutine`` to completion, also from code already inside an event loop (in a
    worker thread then)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def check_chain(settings, cert: x509.Certificate, chain=(),
                moment: dt.datetime | None = None) -> None:
    """Refuse a certificate that does not chain to a trust root, is revoked or not valid."""
    info = CertificateInfo.from_certificate(cert)
    context = validation_context(settings, moment, extra_certs=[_asn1(c) for c in chain])
    validator = CertificateValidator(_asn1(cert), validation_context=context)
    try:
        _run(validator.async_validate_usage({"digital_signature"}))
    except PathBuildingError:
        raise ValidationError(
            f"El certificado de {info.common_name} no proviene de una autoridad de "
            f"certificación de confianza (emisor: {info.issuer}); no se acepta.") from None
    except RevokedError:
        raise ValidationError(
            f"El certificado de {info.common_name} (serie {info.serial_number}) fue revocado "
            "por su autoridad de certificación; no se acepta.") from None
    except ExpiredError:
        raise ValidationError(f"El certificado de {info.common_name} venció el "
                              f"{format_date(info.not_after)}; no se acepta.") from None
    except NotYetValidError:
        raise ValidationError(f"El certificado de {info.common_name} todavía no es "
                              "válido; no se acepta.") from None
    except InsufficientRevinfoError:
        raise ValidationError(
            f"No se pudo comprobar si el certificado de {info.common_name} fue revocado; "
            "intente más tarde.") from None
    except (PathValidationError, ChainError) as exc:
        raise ValidationError(
            f"La cadena del certificado de {info.common_name} no es válida para firmar "
            f"({type(exc).__name__}).") from None


def check_holder(cert: x509.Certificate, user: User) -> None:
    """Refuse a certificate whose subject does not carry the user's DNI."""
    info = CertificateInfo.from_certificate(cert)
    if not user.dni:
        raise ValidationError(
            f"{user.full_name} no tiene DNI registrado en docsys: el administrador debe "
            "registrarlo antes de aceptar su certificado.")
    dni = dni_of(cert)
    if not dni:
        raise ValidationError(
            f"El certificado de {info.common_name} no indica el DNI de su titular "
            "(serialNumber PNOPE-…): no se puede comprobar que sea de "
            f"{user.full_name}.")
    if dni != user.dni:
        raise ValidationError(
            f"El certificado es de {info.common_name} (DNI {dni}), no de {user.full_name} "
            f"(DNI {user.dni}): cada persona firma solo con su propio certificado.")


def accept(settings, user: User, cert: x509.Certificate, chain=(),
           moment: dt.datetime | None = None) -> None:
    """Both checks: this is ``user``'s certificate, and docsys may trust it now."""
    check_holder(cert, user)
    check_chain(settings, cert, chain, moment)
