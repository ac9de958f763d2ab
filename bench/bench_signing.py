"""Time per PAdES signature (target: under 100 ms), a V°B° signature as its holder makes it
(target: under 200 ms) and verification time.

Makes its own demo CA and three signers' PKCS#12 files, renders a seeded ~2-page resolution
with WeasyPrint, prepares its three signature fields, then signs it N times over as in
production: two vistos buenos ("Doy V° B°") and the final signature, each through
``sign_pdf`` (PKCS#12 opened with the passphrase + signature + incremental write). Prints
p50/p95/max per position (first signature, second, third), the part spent opening the
PKCS#12, and the time to verify the three-signature document. Then a V°B° as docsys signs
it when given: the holder's stored certificate unsealed with their clave de firma (scrypt,
docsys.signing.keystore DKS2) and their field signed on the signing copy.

Run: .venv/bin/python bench/bench_signing.py [--documents 30] [--timestamp-url URL]
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from weasyprint import HTML  # noqa: E402

from docsys.signing import keystore, pades, pki  # noqa: E402

PASSPHRASE = "clave-de-medicion"
SIGNERS = [
    ("Carmen Rojas Villanueva", "Gerente de Asesoría Jurídica", "VB_1",
     pades.REASON_VISTO_BUENO),
    ("Luis Condori Mamani", "Gerente de Desarrollo Urbano y Rural", "VB_2",
     pades.REASON_VISTO_BUENO),
    ("Jorge Mendoza Salas", "Gerente Municipal", "FIRMA", pades.REASON_AUTHOR),
]
WORDS = ("municipalidad distrital megantoni gerencia resolución expediente informe técnico "
         "presupuesto contratación obra comunidad nativa timpía camisea artículo numeral ley "
         "reglamento procedimiento administrativo servicio público transitabilidad vehicular").split()


def resolution_html(rng: random.Random) -> str:
    considerandos = "".join(
        f"<p>Que, {' '.join(rng.choice(WORDS) for _ in range(80))};</p>" for _ in range(8))
    articles = "".join(
        f"<p><b>ARTÍCULO {n}.-</b> {' '.join(rng.choice(WORDS) for _ in range(40))}.</p>"
        for n in ("PRIMERO", "SEGUNDO", "TERCERO", "CUARTO", "QUINTO"))
    return f"""<!doctype html><html lang="es"><head><meta charset="utf-8"><style>
        @page {{ size: A4; margin: 4.1cm 2.5cm 2.4cm 3cm; }}
        body {{ font-family: "DejaVu Serif", serif; font-size: 11pt; }}
        .firmas {{ height: {pades.signature_area_height(3) + 10}pt; }}</style></head><body>
        <h1>RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0045-2024-GM-MDM</h1>
        <p>Camisea, 12 de marzo de 2024</p><p><b>VISTO:</b> el informe técnico;</p>
        <p><b>CONSIDERANDO:</b></p>{considerandos}<p><b>SE RESUELVE:</b></p>{articles}
        <p>REGÍSTRESE, COMUNÍQUESE Y CÚMPLASE.</p><div class="firmas"></div></body></html>"""


def stats(label: str, timings: list[float], target: float | None = None) -> None:
    timings = sorted(timings)
    p50 = statistics.median(timings)
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    verdict = ""
    if target is not None:
        verdict = f"  (target < {target:.0f} ms: {'OK' if p95 < target else 'OVER TARGET'})"
    print(f"{label:<34} n={len(timings):<4} p50={p50:7.2f} ms  p95={p95:7.2f} ms  "
          f"max={timings[-1]:7.2f} ms{verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=30)
    parser.add_argument("--timestamp-url", default=None,
                        help="also sign with an RFC 3161 timestamp from this TSA (PAdES B-T)")
    args = parser.parse_args()
    rng = random.Random(42)

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        ca = pki.create_demo_ca(Path(tmp) / "ca")
        p12s = []
        for name, position, _, _ in SIGNERS:
            cert, key = pki.issue_person_certificate(ca, name, position, "")
            p12s.append(pki.export_pkcs12(cert, key, ca.cert, PASSPHRASE))
        print(f"setup: demo CA + 3 certificates in {(time.perf_counter() - start) * 1000:.0f} ms"
              " (RSA 2048)")

    start = time.perf_counter()
    source = HTML(string=resolution_html(rng)).write_pdf()
    render_ms = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    prepared = pades.prepare_signature_fields(source, pades.default_slots(2))
    prepare_ms = (time.perf_counter() - start) * 1000
    print(f"document: {len(source) // 1024} KB, rendered in {render_ms:.0f} ms, "
          f"3 signature fields added in {prepare_ms:.1f} ms")

    # warm-up (imports, first asyncio loop, font objects)
    pades.sign_pdf(prepared, "VB_1", p12s[0], PASSPHRASE, pades.REASON_VISTO_BUENO)

    per_position: list[list[float]] = [[] for _ in SIGNERS]
    open_ms, sign_only_ms, verify_ms, external_ms = [], [], [], []
    signed = prepared
    for _ in range(args.documents):
        pdf = prepared
        for position, ((_, _, field, reason), p12) in enumerate(zip(SIGNERS, p12s)):
            before_final = pdf
            start = time.perf_counter()
            pdf = pades.sign_pdf(pdf, field, p12, PASSPHRASE, reason)
            per_position[position].append((time.perf_counter() - start) * 1000)
        signed = pdf
        start = time.perf_counter()
        credential = keystore.open_pkcs12(p12s[2], PASSPHRASE)
        open_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        pades.sign_pdf_with_credential(prepared, "FIRMA", credential, pades.REASON_AUTHOR)
        sign_only_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        report = pades.verify_pdf(signed, [ca.cert])
        verify_ms.append((time.perf_counter() - start) * 1000)
        assert report.verdict == pades.VALID, pades.describe(report)
        # An uploaded external signature: the final one added to the V°B°-signed PDF.
        start = time.perf_counter()
        pades.check_external_signature(before_final, signed, "FIRMA", [ca.cert_pem])
        external_ms.append((time.perf_counter() - start) * 1000)

    print(f"signed document: {len(signed) // 1024} KB, 3 signatures")
    stats("sign_pdf, 1st signature (V°B°)", per_position[0], 100)
    stats("sign_pdf, 2nd signature (V°B°)", per_position[1], 100)
    stats("sign_pdf, 3rd signature (final)", per_position[2], 100)
    stats("  of which: open PKCS#12", open_ms)
    stats("  signature with opened PKCS#12", sign_only_ms)
    stats("verify_pdf, 3 signatures", verify_ms)
    stats("external signature upload check", external_ms, 300)

    start = time.perf_counter()
    store = keystore.KeyStore("clave-maestra-de-medicion-0123456789")
    keystore_init_ms = (time.perf_counter() - start) * 1000

    # A V°B° signed by its holder: unseal with the clave de firma, sign VB_1 on the copy.
    # docsys keeps the PKCS#12 re-exported without a passphrase, sealed (credentials.py).
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12
    opened = keystore.open_pkcs12(p12s[0], PASSPHRASE)
    bare = pkcs12.serialize_key_and_certificates(
        name=b"vb", key=opened.key, cert=opened.cert, cas=list(opened.chain) or None,
        encryption_algorithm=serialization.NoEncryption())
    holder = store.seal_for_holder(bare, None, "clave-de-firma-1")
    unseal_ms, vb_ms = [], []
    for _ in range(args.documents):
        start = time.perf_counter()
        credential = keystore.open_pkcs12(store.open_for_holder(holder, "clave-de-firma-1"), None)
        unseal_ms.append((time.perf_counter() - start) * 1000)
        pades.sign_pdf_with_credential(prepared, "VB_1", credential, pades.REASON_VISTO_BUENO)
        vb_ms.append((time.perf_counter() - start) * 1000)
    stats("V°B° signature (clave de firma)", vb_ms, 200)
    stats("  of which: unseal with the clave", unseal_ms)

    sealed = store.seal(p12s[0], PASSPHRASE)
    timings = []
    for _ in range(50):
        start = time.perf_counter()
        store.open(sealed)
        timings.append((time.perf_counter() - start) * 1000)
    print(f"keystore: KeyStore() (scrypt) {keystore_init_ms:.0f} ms once per process; "
          f"open {statistics.median(timings):.2f} ms")

    if args.timestamp_url:
        timings = []
        for _ in range(min(args.documents, 10)):
            start = time.perf_counter()
            pades.sign_pdf(prepared, "FIRMA", p12s[2], PASSPHRASE, pades.REASON_AUTHOR,
                           timestamp_url=args.timestamp_url)
            timings.append((time.perf_counter() - start) * 1000)
        stats("sign_pdf with timestamp (B-T)", timings)


if __name__ == "__main__":
    main()
