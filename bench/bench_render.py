"""Rendering benchmark: a seeded 2-page and 20-page resolution to PDF and DOCX.

Run alone:  .venv/bin/python bench/bench_render.py [--runs 7] [--seed 2024] [--strict]

Prints the median (and min/max) of several runs per format and size against the
targets: 2-page PDF < 0.5 s, 2-page DOCX < 0.1 s. With --strict the exit status is 1
when a target is missed.
"""
from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from docx import Document  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from docsys.rendering import build_meta, render_docx, render_pdf  # noqa: E402

SETTINGS = {
    "MUNICIPALITY_NAME": "Municipalidad Distrital de Megantoni",
    "MUNICIPALITY_CODE": "MDM",
    "MUNICIPALITY_PLACE": "Camisea",
    "MUNICIPALITY_LOCATION": "Provincia de La Convención - Región Cusco",
    "YEAR_NAME": "Año de la recuperación y consolidación de la economía peruana",
}
TEMPLATE = {
    "heading": "RESOLUCIÓN DE GERENCIA MUNICIPAL N° {numero}",
    "number_pattern": "{seq:04d}-{year}-GM-{muni}",
    "issuing_office": "GM",
}
TARGETS = {("pdf", "2 páginas"): 0.5, ("docx", "2 páginas"): 0.1}

_NORMS = ["el artículo 194 de la Constitución Política del Perú",
          "el artículo II del Título Preliminar de la Ley N° 27972, Ley Orgánica de Municipalidades",
          "el artículo 39 de la Ley N° 27972",
          "el numeral 85.2 del artículo 85 del TUO de la Ley N° 27444, aprobado por Decreto "
          "Supremo N° 004-2019-JUS",
          "la Ordenanza Municipal N° 012-2019-MDM",
          "la Resolución de Alcaldía N° 002-2024-A-MDM"]
_VERBS = ["establece", "dispone", "precisa", "señala", "prevé"]
_MATTERS = ["que las municipalidades gozan de autonomía política, económica y administrativa en "
            "los asuntos de su competencia",
            "que las gerencias resuelven los aspectos administrativos a su cargo mediante "
            "resoluciones",
            "que el Alcalde puede delegar sus atribuciones administrativas en el Gerente Municipal",
            "que los actos administrativos deben estar debidamente motivados en proporción al "
            "contenido y conforme al ordenamiento jurídico",
            "que la entidad debe publicar sus disposiciones en el Portal Institucional"]
_ACTS = ["APROBAR", "ENCARGAR", "NOTIFICAR", "DISPONER", "AUTORIZAR", "RECONOCER"]
_OBJECTS = ["el expediente técnico del proyecto «Mejoramiento del servicio de agua potable en la "
            "comunidad nativa de Camisea»",
            "a la Gerencia de Desarrollo Urbano y Rural el cumplimiento de la presente resolución",
            "la presente resolución a las unidades orgánicas interesadas",
            "la publicación de la presente resolución en el Portal Institucional",
            "el reconocimiento de la deuda a favor del contratista por S/ 45 300.00"]


def resolution(rng: random.Random, considerandos: int, articles: int) -> dict:
    """A Resolución de Gerencia Municipal with seeded, realistic text."""
    return {
        "doc_type": "RGM",
        "fields": {"sumilla": "Aprobar el expediente técnico del proyecto de agua potable",
                   "lugar": "Camisea", "fecha": "2024-03-12",
                   "firmante_nombre": "Abog. Jorge Mendoza Salas",
                   "firmante_cargo": "Gerente Municipal"},
        "sections": [
            {"key": "visto", "title": "VISTO:", "kind": "paragraphs", "numbering": "none",
             "items": [{"text": f"El Expediente N° 2024-{rng.randint(1000, 9999):06d}; el Informe "
                                f"N° {rng.randint(1, 300):03d}-2024-GDUR-MDM; y,"}]},
            {"key": "considerando", "title": "CONSIDERANDO:", "kind": "paragraphs",
             "numbering": "none",
             "items": [{"text": f"Que, {rng.choice(_NORMS)} {rng.choice(_VERBS)} "
                                f"{rng.choice(_MATTERS)}; y {rng.choice(_NORMS)} "
                                f"{rng.choice(_VERBS)} {rng.choice(_MATTERS)};"}
                       for _ in range(considerandos)]},
            {"key": "resuelve", "title": "SE RESUELVE:", "kind": "articles",
             "numbering": "ordinal_upper",
             "items": [{"text": f"{rng.choice(_ACTS)} {rng.choice(_OBJECTS)}, conforme a lo "
                                f"expuesto en la parte considerativa."}
                       for _ in range(articles)]},
        ],
        "closing": "REGÍSTRESE, COMUNÍQUESE Y CÚMPLASE.",
    }


def timed(function, runs: int) -> tuple[list[float], bytes]:
    times, data = [], b""
    for _ in range(runs):
        start = time.perf_counter()
        data = function()
        times.append(time.perf_counter() - start)
    return times, data


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per measurement (default 7)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    rng = random.Random(args.seed)
    sizes = {"2 páginas": resolution(rng, 10, 5), "20 páginas": resolution(rng, 128, 40)}

    # Warm-up: the first WeasyPrint run loads fonts and parses the stylesheet.
    warm = sizes["2 páginas"]
    render_pdf(warm, build_meta(SETTINGS, TEMPLATE, warm))
    render_docx(warm, build_meta(SETTINGS, TEMPLATE, warm))

    print(f"docsys rendering benchmark — seed {args.seed}, median of {args.runs} runs")
    print(f"{'documento':<11} {'formato':<7} {'páginas':>7} {'mediana':>9} {'mín':>9} {'máx':>9}"
          f"  {'objetivo':<10}")
    missed = 0
    for size, content in sizes.items():
        meta = build_meta(SETTINGS, TEMPLATE, content, version_label="Versión 1 — borrador")
        runs = args.runs if size == "2 páginas" else max(3, args.runs // 2)
        for fmt, render in (("pdf", render_pdf), ("docx", render_docx)):
            times, data = timed(lambda: render(content, meta), runs)
            if fmt == "pdf":
                pages = str(len(PdfReader(io.BytesIO(data)).pages))
            else:  # Word paginates when it opens the file; check the package reads back
                Document(io.BytesIO(data))
                pages = "-"
            median = statistics.median(times)
            target = TARGETS.get((fmt, size))
            verdict = ""
            if target is not None:
                ok = median < target
                missed += not ok
                verdict = f"< {target:.1f} s {'OK' if ok else 'SUPERADO'}"
            print(f"{size:<11} {fmt:<7} {pages:>7} {median:>8.3f}s {min(times):>8.3f}s "
                  f"{max(times):>8.3f}s  {verdict}")
    if missed:
        print(f"{missed} objetivo(s) no alcanzado(s)")
    return 1 if (missed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
