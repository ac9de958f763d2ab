"""Helpers for the signing tests: a short resolution as PDF, poppler's pdfsig, a local TSA."""
from __future__ import annotations

import re
import shutil
import subprocess
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.sign.timestamps import DummyTimeStamper
from weasyprint import HTML

PDFSIG = shutil.which("pdfsig")
CERTUTIL = shutil.which("certutil")

RESOLUTION_HTML = """<!doctype html>
<html lang="es"><head><meta charset="utf-8">
<title>RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0045-2024-GM-MDM</title>
<style>
@page { size: A4; margin: 4.1cm 2.5cm 2.4cm 3cm; }
body { font-family: "DejaVu Serif", serif; font-size: 11pt; line-height: 1.35; }
h1 { font-size: 13pt; text-align: center; }
.firmas { height: 5cm; }
</style></head>
<body>
<p>MUNICIPALIDAD DISTRITAL DE MEGANTONI</p>
<h1>RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0045-2024-GM-MDM</h1>
<p>Camisea, 12 de marzo de 2024</p>
<p><b>VISTO:</b> El Informe N° 123-2024-GDUR-MDM y el Expediente N° 4567-2024;</p>
<p><b>CONSIDERANDO:</b></p>
<p>Que, el artículo 194 de la Constitución Política del Perú establece que las municipalidades
distritales tienen autonomía política, económica y administrativa en los asuntos de su
competencia;</p>
<p>Que, el artículo 39 de la Ley N° 27972, Ley Orgánica de Municipalidades, dispone que las
gerencias resuelven los aspectos administrativos a su cargo a través de resoluciones;</p>
<p><b>SE RESUELVE:</b></p>
<p><b>ARTÍCULO PRIMERO.-</b> APROBAR el mantenimiento de la trocha carrozable Camisea –
Timpía, conforme al informe del visto.</p>
<p><b>ARTÍCULO SEGUNDO.-</b> ENCARGAR a la Gerencia de Desarrollo Urbano y Rural su
cumplimiento.</p>
<p>REGÍSTRESE, COMUNÍQUESE Y CÚMPLASE.</p>
<div class="firmas"></div>
</body></html>
"""


def resolution_pdf() -> bytes:
    return HTML(string=RESOLUTION_HTML).write_pdf()


# --------------------------------------------------------------------------- pdfsig


@dataclass
class PdfsigSignature:
    field_name: str = ""
    common_name: str = ""
    signature_validation: str = ""
    certificate_validation: str = ""
    total_document_signed: bool = False
    signed: bool = True
    lines: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.signature_validation == "Signature is Valid."

    @property
    def trusted(self) -> bool:
        return self.certificate_validation == "Certificate is Trusted."


def make_nss_db(directory: Path, ca_pem: bytes) -> Path:
    """An NSS database trusting ``ca_pem`` (what pdfsig reads its trust from)."""
    directory.mkdir(parents=True, exist_ok=True)
    ca_file = directory / "ca.pem"
    ca_file.write_bytes(ca_pem)
    subprocess.run([CERTUTIL, "-N", "-d", f"sql:{directory}", "--empty-password"],
                   check=True, capture_output=True)
    subprocess.run([CERTUTIL, "-A", "-d", f"sql:{directory}", "-n", "ca", "-t", "CT,C,C",
                    "-i", str(ca_file)], check=True, capture_output=True)
    return directory


def run_pdfsig(pdf_path: Path, nss_dir: Path, no_ocsp: bool = False,
               include_unsigned: bool = False) -> list[PdfsigSignature]:
    """pdfsig's report on the signed fields (and the empty ones, when asked), parsed.
    pdfsig exits 0 even on failures, so the text is what counts.

    Without ``-no-ocsp`` NSS would only go online for certificates naming an OCSP responder;
    the demo certificates name none, so nothing leaves the machine either way.
    """
    args = [PDFSIG, "-nssdir", f"sql:{nss_dir}"]
    if no_ocsp:
        args.append("-no-ocsp")
    result = subprocess.run(args + [str(pdf_path)], capture_output=True, text=True, timeout=60)
    signatures: list[PdfsigSignature] = []
    for line in result.stdout.splitlines():
        if re.match(r"^Signature #\d+:", line):
            signatures.append(PdfsigSignature())
            continue
        if not signatures:
            continue
        current = signatures[-1]
        text = line.strip().lstrip("- ").strip()
        current.lines.append(text)
        key, _, value = text.partition(": ")
        if key == "Signature Field Name":
            current.field_name = value
        elif key == "Signer Certificate Common Name":
            current.common_name = value
        elif key == "Signature Validation":
            current.signature_validation = value
        elif key == "Certificate Validation":
            current.certificate_validation = value
        elif text == "Total document signed":
            current.total_document_signed = True
        elif text == "The signature form field is not signed.":
            current.signed = False
    return [s for s in signatures if s.signed or include_unsigned]


# --------------------------------------------------------------------------- stamps

_LITERAL = re.compile(rb"\((?:\\.|[^\\)])*\)", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f",
            b"(": b"(", b")": b")", b"\\": b"\\"}


def _unescape(literal: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(literal):
        ch = literal[i:i + 1]
        if ch != b"\\":
            out += ch
            i += 1
            continue
        nxt = literal[i + 1:i + 2]
        octal = re.match(rb"[0-7]{1,3}", literal[i + 1:i + 4])
        if octal:
            out.append(int(octal.group(), 8) & 0xFF)
            i += 1 + len(octal.group())
        elif nxt in (b"\n", b"\r"):
            i += 2
        else:
            out += _ESCAPES.get(nxt, nxt)
            i += 2
    return bytes(out)


def appearance_lines(stream_data: bytes) -> list[str]:
    """The text lines shown by a stamp's appearance stream (its PDF string literals)."""
    return [_unescape(m.group()[1:-1]).decode("latin-1")
            for m in _LITERAL.finditer(stream_data)]


# --------------------------------------------------------------------------- local TSA


class LocalTSA:
    """An RFC 3161 timestamp authority on 127.0.0.1 (pyHanko's TSA implementation behind a
    real HTTP endpoint), so the signing code talks HTTP to a TSA as in production."""

    def __init__(self, tsa_cert, tsa_key, ca_cert):
        key_info = asn1_keys.PrivateKeyInfo.load(tsa_key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))
        der = serialization.Encoding.DER
        self.stamper = DummyTimeStamper(
            tsa_cert=asn1_x509.Certificate.load(tsa_cert.public_bytes(der)),
            tsa_key=key_info,
            certs_to_embed=[asn1_x509.Certificate.load(ca_cert.public_bytes(der))])
        self.requests = 0
        tsa = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                tsa.requests += 1
                response = tsa.stamper.request_tsa_response(tsp.TimeStampReq.load(body))
                payload = response.dump()
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/tsa"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
